"""Engine speed against a bare SimPy M/M/c+M of the same customers, in one process.

    python benchmarks/engine.py            # or: make bench

Prints wall times and the ratio engine / bare SimPy.  The bare model is the
textbook SimPy program (``Resource``, ``request | timeout``) fed the very
same inter-arrival, patience and service times, so the ratio measures what
cxsim's bookkeeping costs on top of SimPy itself.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import simpy

import cxsim


def bare_simpy(interarrival, patience, service, servers: int) -> int:
    """The M/M/c+M every SimPy tutorial writes; returns the number served."""
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=servers)
    served = [0]

    def customer(env, patience_min, service_min):
        with desk.request() as request:
            outcome = yield request | env.timeout(patience_min)
            if request in outcome:
                yield env.timeout(service_min)
                served[0] += 1

    def arrivals(env):
        for gap, p, s in zip(interarrival, patience, service, strict=True):
            yield env.timeout(gap)
            env.process(customer(env, p, s))

    env.process(arrivals(env))
    env.run()
    return served[0]


def time_it(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    scenario = cxsim.load_scenario("erlang_check")
    rate_per_min = scenario.arrivals.rate_per_hour / 60
    days = args.customers / rate_per_min / 1440
    scenario = scenario.with_overrides({"horizon_days": days, "warmup_days": 0})
    phone = scenario.touchpoints[0]
    patience_mean = scenario.segments[0].patience_min.mean
    rng = np.random.default_rng(1)
    n = args.customers
    interarrival = (rng.standard_exponential(n) / rate_per_min).tolist()
    patience = (rng.standard_exponential(n) * patience_mean).tolist()
    service = (rng.standard_exponential(n) * phone.service_min.mean).tolist()

    def engine():
        result = cxsim.simulate(scenario, seed=1)
        result.interactions  # noqa: B018 - build the table: recording is part of the cost
        return result

    bare = time_it(lambda: bare_simpy(interarrival, patience, service, phone.staff), args.repeats)
    ours = time_it(engine, args.repeats)
    workshop = time_it(lambda: cxsim.simulate("erlang_check", seed=1, days=1).kpis(), args.repeats)

    print(f"customers                      {n:>10,}")
    print(f"bare SimPy M/M/c+M             {bare:>10.3f} s")
    print(f"cxsim engine + tables          {ours:>10.3f} s")
    print(f"ratio engine / bare SimPy      {ours / bare:>10.2f}x   (target <= 1.3x)")
    print(f"contact_centre run + KPIs      {workshop:>10.3f} s   (target < 0.3 s)")


if __name__ == "__main__":
    main()
