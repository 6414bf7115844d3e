"""Fingerprints of every bundled scenario and policy under seeds 0 and 1.

A change that should not alter any result (a refactor, a speed-up) must leave
every fingerprint unchanged: save them before, compare after.

    .venv/bin/python scripts/fingerprint_runs.py > before.txt
    ... change the engine ...
    .venv/bin/python scripts/fingerprint_runs.py --compare before.txt

Each line hashes a run's interactions and journeys tables (every column, to the
digit) and its KPIs.
"""

from __future__ import annotations

import argparse
import hashlib
import sys

import pandas as pd

import cxsim
from cxsim.catalog import list_scenarios, load_scenario


def fingerprint(frame: pd.DataFrame) -> str:
    hashed = pd.util.hash_pandas_object(frame.reset_index(drop=True), index=True)
    return hashlib.sha256(hashed.values.tobytes()).hexdigest()[:16]


def runs(seeds: tuple[int, ...] = (0, 1)):
    for name in list_scenarios():
        scenario = load_scenario(name)
        for policy in [None, *scenario.policies]:
            for seed in seeds:
                result = cxsim.simulate(scenario, policy=policy, seed=seed)
                kpis = pd.DataFrame([result.kpis()])
                yield (
                    f"{name}/{policy or 'baseline'}/{seed}",
                    fingerprint(result.interactions),
                    fingerprint(result.journeys),
                    fingerprint(kpis),
                )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", help="a file printed by an earlier run")
    args = parser.parse_args(argv)
    lines = [" ".join(run) for run in runs()]
    if not args.compare:
        print("\n".join(lines))
        return 0
    with open(args.compare, encoding="utf-8") as handle:
        before = dict(line.split(" ", 1) for line in handle.read().splitlines() if line)
    changed = [line for line in lines if before.get(line.split(" ", 1)[0]) != line.split(" ", 1)[1]]
    for line in changed:
        print("changed:", line)
    print(f"{len(lines) - len(changed)} of {len(lines)} runs identical")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
