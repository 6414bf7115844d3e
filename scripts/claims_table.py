"""What the bundled scenarios now show for the seed claims the model rests on.

Runs the bundled scenarios over several seeds and writes, into ``docs/model.md``
between ``<!-- claims-table:start -->`` and ``<!-- claims-table:end -->``, one row
per claim: the claim, the mechanism that carries it, and what the runs show (mean
over seeds, with the range).  Generated: edit this script, not the table.

    python scripts/claims_table.py [--seeds 5]
"""

from __future__ import annotations

import argparse
import functools
import re
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

import cxsim

ROOT = Path(__file__).resolve().parent.parent
MODEL_CARD = ROOT / "docs" / "model.md"
START, END = "<!-- claims-table:start -->", "<!-- claims-table:end -->"


@functools.cache
def run(name: str, policy: str | None, seed: int) -> cxsim.Result:
    """One seeded run of a bundled scenario (several claims read the same runs)."""
    return cxsim.simulate(name, policy=policy, seed=seed)


def spread(values: list[float], scale: float = 1.0, digits: int = 1, unit: str = "") -> str:
    """Mean over seeds, with the range: "7.1% (6.5-7.8)"."""
    array = np.asarray(values, dtype=float) * scale
    return f"{array.mean():.{digits}f}{unit} ({array.min():.{digits}f} to {array.max():.{digits}f})"


def pct(values: list[float]) -> str:
    return spread(values, 100.0, 1, "%")


def n1(seeds: range) -> str:
    """N1: three quarters expect an answer within five minutes; does the target bind?"""
    within, late, abandoned, score_in, score_late = [], [], [], [], []
    for seed in tqdm(seeds, desc="N1 bank", leave=False):
        result = run("contact_centre", None, seed)
        kpis = result.kpis()
        within.append(kpis["service_level"])
        abandoned.append(kpis["abandonment_rate"])
        late.append(1.0 - kpis["service_level"] - kpis["abandonment_rate"])
        visits = result.interactions
        served = visits[visits["served"] & ~visits["callback"]]
        score_in.append(served.loc[served["wait_min"] <= 5, "score"].mean())
        score_late.append(served.loc[served["wait_min"] > 5, "score"].mean())
    return (
        f"Bank: answered within 5 min {pct(within)}, hung up {pct(abandoned)}, answered "
        f"after 5 min {pct(late)}. A call answered within 5 min scores "
        f"{spread(score_in)} of 10, one answered later {spread(score_late)}: the target "
        "marks where calls start to hurt, but few callers hold on past it, so on this "
        "line abandonment, not the 5-minute mark, is what binds."
    )


def n2(seeds: range) -> str:
    """N2: a quarter leave after one bad experience."""
    parts = []
    for name, label in (("contact_centre", "Bank"), ("retail_journey", "Retailer")):
        values, churn = [], []
        for seed in tqdm(seeds, desc=f"N2 {name}", leave=False):
            kpis = run(name, None, seed).kpis()
            values.append(kpis["leave_after_bad"])
            churn.append(kpis["churn_per_year"])
        parts.append(f"{label}: left after a bad journey {pct(values)}; yearly churn {pct(churn)}")
    return "; ".join(parts) + "."


def n5(seeds: range) -> str:
    """N5: at the airport, staff behaviour matters more than queue time."""
    rows = {}
    for policy in (None, "more_lanes", "courteous_staff"):
        csat, wait = [], []
        for seed in tqdm(seeds, desc=f"N5 {policy}", leave=False):
            kpis = run("airport_security", policy, seed).kpis()
            csat.append(kpis["csat"])
            wait.append(kpis["mean_wait_min"])
        rows[policy] = (np.asarray(csat), np.asarray(wait))
    base_csat, base_wait = rows[None]
    lanes_csat, lanes_wait = rows["more_lanes"]
    courtesy_csat, _ = rows["courteous_staff"]
    return (
        f"Airport CSAT {pct(list(base_csat))}. One more lane at every open hour cuts "
        f"the mean wait from {spread(list(base_wait))} to {spread(list(lanes_wait))} min "
        f"and moves CSAT by {spread(list(lanes_csat - base_csat), 100)} points; courtesy "
        f"training moves it by {spread(list(courtesy_csat - base_csat), 100)} points."
    )


def q4_q15(seeds: range) -> str:
    """Q4, Q15: follow-up after a bad experience; callbacks to those who hung up."""
    keys = ("bad_journey_rate", "churn_per_year", "profit")
    runs: dict[str | None, dict[str, list[float]]] = {}
    for policy in (None, "follow_up", "callback"):
        runs[policy] = {key: [] for key in keys}
        for seed in tqdm(seeds, desc=f"Q4 {policy}", leave=False):
            kpis = run("contact_centre", policy, seed).kpis()
            for key in keys:
                runs[policy][key].append(kpis[key])

    def gain(policy: str, key: str, scale: float = 1.0, digits: int = 1) -> str:
        difference = np.asarray(runs[policy][key]) - np.asarray(runs[None][key])
        return spread(list(difference), scale, digits)

    return (
        f"Bank, 28 days. Follow-up (10 calls a day): bad journeys "
        f"{gain('follow_up', 'bad_journey_rate', 100)} points, yearly churn "
        f"{gain('follow_up', 'churn_per_year', 100)} points, profit "
        f"{gain('follow_up', 'profit', 1e-6, 0)} million toman. Callbacks: bad journeys "
        f"{gain('callback', 'bad_journey_rate', 100)} points, yearly churn "
        f"{gain('callback', 'churn_per_year', 100)} points, profit "
        f"{gain('callback', 'profit', 1e-6, 0)} million toman. Q15 (asking customers "
        "how to stay excellent) is not modelled: the survey (section 6) measures, it "
        "does not change anything."
    )


def q10(seeds: range) -> str:
    """Q10: happy staff, happy customers (morale measured on one sample path)."""
    parts = []
    for label, policy in (("as staffed", None), ("one agent fewer at every hour (lean)", "lean")):
        differences = []
        for seed in tqdm(seeds, desc=f"Q10 {label}", leave=False):
            result = run("contact_centre", policy, seed)
            table = result.morale_effect()
            differences.append(float(table.loc["csat", "difference"]))
        parts.append(
            f"{label}: CSAT {spread(differences, 100, 2)} points against morale "
            "held at its reference"
        )
    return (
        "Bank, counterfactual scoring of the same contacts without the morale term: "
        + "; ".join(parts)
        + "."
    )


CLAIMS = (
    (
        "N1",
        "Three quarters of customers expect service within five minutes.",
        "Expected waits are exponential with mean 3.61 min, so 75% expect 5 min or less; a "
        "call scores by its wait against the caller's own expectation; patience scales with "
        "it (Zohar, Mandelbaum & Shimkin 2002).",
        n1,
    ),
    (
        "N2",
        "25% of customers leave right after one bad experience.",
        "The leave curve (floor 0.015, ceiling 0.28, midpoint 5) calibrated on N2; the "
        "decision comes 3 days after the journey.",
        n2,
    ),
    (
        "N5",
        "At an airport, staff behaviour mattered more than queue time.",
        "A contact's score weighs courtesy against the felt wait; the airport's passengers "
        "expect long queues.",
        n5,
    ),
    (
        "Q4, Q15",
        "Stay in touch; when a customer is unhappy, call and fix it.",
        "Follow-up calls lift a bad memory by 2.5 points; callbacks serve callers who hung "
        "up (Armony & Maglaras 2004).",
        q4_q15,
    ),
    (
        "Q10",
        "Happy employees create happy customers.",
        "Morale follows the day's load and lifts courtesy; measured by scoring every contact "
        "with and without the morale term.",
        q10,
    ),
)


def table(seeds: range) -> str:
    lines = [
        START,
        "",
        f"*Generated by `python scripts/claims_table.py --seeds {len(seeds)}` over "
        f"seeds {seeds.start}-{seeds.stop - 1}, default horizons: mean (min to max "
        "over seeds). Do not edit by hand.*",
        "",
        "| Claim | Says | Mechanism | What the bundled scenarios show |",
        "|---|---|---|---|",
    ]
    for claim, says, mechanism, measure in tqdm(CLAIMS, desc="claims"):
        lines.append(f"| {claim} | {says} | {mechanism} | {measure(seeds)} |")
    lines += ["", END]
    return "\n".join(lines)


def write(text: str) -> None:
    card = MODEL_CARD.read_text(encoding="utf-8")
    if START in card:
        card = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: text, card, flags=re.S)
    else:
        heading = "## 9. The seed claims: what the model shows"
        card = card.rstrip("\n") + f"\n\n{heading}\n\n{text}\n"
    MODEL_CARD.write_text(card, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    arguments = parser.parse_args()
    text = table(range(arguments.seeds))
    write(text)
    print(text)


if __name__ == "__main__":
    main()
