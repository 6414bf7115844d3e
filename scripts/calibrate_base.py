"""Calibrate an established customer base so that the baseline is at its steady state.

A scenario with ``customer_base: established`` names, per segment, its customers and
two numbers this script computes from runs of the baseline (no policy):

* ``new_per_day``: newcomers a day who, with word of mouth (referred friends in,
  prospects put off out), replace exactly the customers who leave; then the base
  and the daily volume stay level;
* ``churn_per_year``: the share of the segment's customers who leave in a year
  under the baseline (the rate its customers' lifetime value is reckoned at).

Each round runs the baseline over several seeds, counts customers joining (newcomers
and referred friends, less prospects put off) and leaving as the books do, and moves
the newcomers by the difference; a few rounds settle it.

    python scripts/calibrate_base.py                   # every established bundled scenario
    python scripts/calibrate_base.py contact_centre --write   # and write the numbers back
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import cxsim
from cxsim import load_scenario
from cxsim.clock import MINUTES_PER_DAY
from cxsim.metrics import customer_flows, yearly_churn

SCENARIOS = Path(__file__).resolve().parent.parent / "data" / "scenarios"


def measure(scenario, seeds: range) -> list[dict[str, float]]:
    """Per segment, over ``seeds``: customers joining and leaving a day (as the books
    count them), and the yearly churn."""
    totals = [dict(joined=0.0, left=0.0, years=0.0) for _ in scenario.segments]
    days = 0.0
    for seed in seeds:
        result = cxsim.simulate(scenario, seed=seed)
        window = result.window
        days += (window[1] - window[0]) / MINUTES_PER_DAY
        for index, segment in enumerate(scenario.segments):
            years, joined, left = customer_flows(
                result.journeys,
                segment.name,
                result.records.base_customers[segment.name],
                window,
                scenario.behaviour.retention,
            )
            totals[index]["joined"] += joined
            totals[index]["left"] += left
            totals[index]["years"] += years
    return [
        {
            "joined": t["joined"] / days,
            "left": t["left"] / days,
            "churn": yearly_churn(t["left"], t["years"]),
        }
        for t in totals
    ]


def calibrate(name: str, seeds: range, rounds: int) -> tuple[list[float], list[float]]:
    """Newcomers move by the gap between leavers and joiners until the two balance."""
    scenario = load_scenario(name)
    if scenario.customer_base != "established":
        raise SystemExit(f"{name}: customer_base is {scenario.customer_base!r}, not established")
    for round_ in range(rounds):
        measured = measure(scenario, seeds)
        new = [
            round(max(0.0, s.base.new_per_day + m["left"] - m["joined"]), 2)
            for s, m in zip(scenario.segments, measured, strict=True)
        ]
        churn = [round(m["churn"], 3) for m in measured]
        print(
            f"{name} round {round_ + 1}: "
            + "; ".join(
                f"{s.name}: joined {m['joined']:.2f}/day, left {m['left']:.2f}/day -> "
                f"new_per_day {n}, churn_per_year {c}"
                for s, m, n, c in zip(scenario.segments, measured, new, churn, strict=True)
            )
        )
        scenario = scenario.with_overrides(
            {
                f"segments.{s.name}.base": {"new_per_day": n, "churn_per_year": c}
                for s, n, c in zip(scenario.segments, new, churn, strict=True)
            }
        )
    return new, churn


def write_back(name: str, new: list[float], churn: list[float]) -> None:
    """Replace the numbers in the YAML file, keeping its comments."""
    path = SCENARIOS / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    for key, values in (("new_per_day", new), ("churn_per_year", churn)):
        numbers = iter(values)
        text, count = re.subn(
            rf"(\b{key}: )[0-9.]+",
            lambda m, numbers=numbers: m.group(1) + f"{next(numbers):g}",
            text,
        )
        assert count == len(values), f"{path}: {count} {key} lines for {len(values)} segments"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    names = args.scenarios or sorted(
        path.stem
        for path in SCENARIOS.glob("*.yaml")
        if load_scenario(path.stem).customer_base == "established"
    )
    for name in names:
        new, churn = calibrate(name, range(args.seeds), args.rounds)
        if args.write:
            write_back(name, new, churn)


if __name__ == "__main__":
    main()
