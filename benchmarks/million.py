"""One million touchpoint visits: wall time and peak memory.

    python benchmarks/million.py

Runs ``erlang_check`` long enough for about 1,000,000 visits, builds the
interactions table and computes the KPIs; prints the wall time and the peak
resident memory of the process (targets: under 60 s, under 1 GiB).
"""

from __future__ import annotations

import resource
import time

import cxsim


def main() -> None:
    scenario = cxsim.load_scenario("erlang_check")
    per_day = scenario.arrivals.rate_per_hour * 24
    days = 1_000_000 / per_day
    start = time.perf_counter()
    result = cxsim.simulate(scenario, seed=1, days=days - scenario.warmup_days)
    visits = len(result.interactions)
    result.kpis()
    elapsed = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"visits          {visits:>12,}")
    print(f"wall time       {elapsed:>12.1f} s    (target < 60 s)")
    print(f"peak memory     {peak_mib:>12.0f} MiB  (target < 1024 MiB)")


if __name__ == "__main__":
    main()
