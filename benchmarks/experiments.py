"""Replications in parallel: 20 runs of ``contact_centre`` on 1 and 2 worker processes.

    python benchmarks/experiments.py            # --n 20 --repeats 3

Prints the wall time (median of ``--repeats``, the modes taking turns) of
``cxsim.experiments.replicate`` run serially in this process, on a process pool
of 1 worker and of 2 workers (pool start-up included: that is what a user waits
for) and with the default ``executor=None``; then the speed-up 1 worker / 2
workers (target >= 1.7x on two idle cores).  Every mode must give the very same
runs; the script checks it.  Other programs using the CPUs slow the pools down,
so the load average is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor

import pandas as pd

import cxsim
from cxsim.experiments import SerialExecutor, replicate


def timed(
    modes: dict[str, Callable[[], pd.DataFrame]], repeats: int
) -> dict[str, tuple[float, pd.DataFrame]]:
    """Median wall time of each mode and the runs frame it returned.

    The modes take turns within each repeat, so a burst of load from other
    programs slows all of them rather than one.
    """
    times: dict[str, list[float]] = {name: [] for name in modes}
    frames: dict[str, pd.DataFrame] = {}
    for _repeat in range(repeats):
        for name, run in modes.items():
            start = time.perf_counter()
            frames[name] = run()
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]), frames[name]) for name in modes}


def with_pool(workers: int, scenario: cxsim.Scenario, n: int) -> Callable[[], pd.DataFrame]:
    def run() -> pd.DataFrame:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return replicate(scenario, n, executor=pool, progress=False).runs

    return run


def with_executor(
    executor: Executor | None, scenario: cxsim.Scenario, n: int
) -> Callable[[], pd.DataFrame]:
    return lambda: replicate(scenario, n, executor=executor, progress=False).runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="contact_centre")
    parser.add_argument("--n", type=int, default=20, help="replications (default 20)")
    parser.add_argument("--repeats", type=int, default=3, help="timings per mode (median)")
    args = parser.parse_args()

    scenario = cxsim.load_scenario(args.scenario)
    modes = {
        "serial, no pool": with_executor(SerialExecutor(), scenario, args.n),
        "process pool, 1 worker": with_pool(1, scenario, args.n),
        "process pool, 2 workers": with_pool(2, scenario, args.n),
        "default (executor=None)": with_executor(None, scenario, args.n),
    }
    results = timed(modes, args.repeats)
    reference = results["serial, no pool"][1]
    for name, (_seconds, frame) in results.items():
        pd.testing.assert_frame_equal(frame, reference, obj=name)

    expected = scenario.expected_arrivals * args.n
    print(
        f"{scenario.name}: {args.n} replications, {scenario.total_days:g} days each, "
        f"{expected:,.0f} expected new customers in all; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'mode':<28}{'wall time':>12}{'runs/s':>10}")
    for name, (seconds, _frame) in results.items():
        print(f"{name:<28}{seconds:>10.2f} s{args.n / seconds:>10.2f}")
    one, two = results["process pool, 1 worker"][0], results["process pool, 2 workers"][0]
    print(f"{'speed-up 1 -> 2 workers':<28}{one / two:>10.2f}x   (target >= 1.7x)")
    print("all modes gave identical runs")


if __name__ == "__main__":
    main()
