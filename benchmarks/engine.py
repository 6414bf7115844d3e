"""Engine speed against a bare SimPy M/M/c+M of the same customers, in one process.

    python benchmarks/engine.py            # or: make bench

Prints wall times and the ratio engine / bare SimPy.  The bare model is the
textbook SimPy program (``Resource``, ``request | timeout``) fed the very
same inter-arrival, patience and service times, so the ratio measures what
cxsim's bookkeeping costs on top of SimPy itself.
"""

from __future__ import annotations

import argparse
import gc
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


def once(function) -> float:
    """Seconds one call takes, after a garbage collection (so no run pays for another's)."""
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def time_it(function, repeats: int) -> float:
    return statistics.median(once(function) for _ in range(repeats))


def time_pair(first, second, repeats: int) -> tuple[float, float]:
    """Median times of two functions run in turns, so that both meet the machine in the
    same state: its speed swings by 2x from minute to minute, and a ratio of two
    measurements taken a minute apart would carry that swing."""
    pairs = [(once(first), once(second)) for _ in range(repeats)]
    return (statistics.median(a for a, _b in pairs), statistics.median(b for _a, b in pairs))


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
    # The same customers with behaviour and economics on (courtesy, scores, memory, the
    # return decision, morale, the books); returns and word of mouth are pushed beyond the
    # horizon so that exactly the same customers arrive as in the bare model.
    behavioural = scenario.with_overrides(
        {
            "behaviour": {
                "segment_defaults": {
                    "inter_purchase_days": {"dist": "deterministic", "value": 3650}
                },
                "word_of_mouth": {"referral_probability": 0.0, "deterrence_probability": 0.0},
            },
            "economics": {},
        }
    )

    def engine_with_behaviour():
        result = cxsim.simulate(behavioural, seed=1)
        result.interactions  # noqa: B018
        return result

    minded = time_it(engine_with_behaviour, args.repeats)
    # The same, with every problem solved at the first contact: no call-backs, so exactly
    # the bare model's visits (an unresolved problem adds a visit the bare model never has).
    behavioural = behavioural.with_overrides(
        {"behaviour.touchpoint_defaults.resolution_probability": 1.0}
    )
    minded_same_visits = time_it(engine_with_behaviour, args.repeats)
    # The yardstick for a workshop run: bare SimPy serving as many customers as the run
    # has visits, so the target can be read against what SimPy itself needs here.
    workshop_visits = len(cxsim.simulate("contact_centre", seed=1).interactions)
    workshop, bare_workshop = time_pair(
        lambda: cxsim.simulate("contact_centre", seed=1).kpis(),
        lambda: bare_simpy(
            interarrival[:workshop_visits],
            patience[:workshop_visits],
            service[:workshop_visits],
            phone.staff,
        ),
        max(args.repeats, 7),
    )
    one_day = time_it(lambda: cxsim.simulate("contact_centre", seed=1, days=1).kpis(), args.repeats)

    print(f"customers                      {n:>10,}")
    print(f"bare SimPy M/M/c+M             {bare:>10.3f} s")
    print(f"cxsim engine + tables          {ours:>10.3f} s")
    print(f"ratio engine / bare SimPy      {ours / bare:>10.2f}x   (target <= 1.2x)")
    print(f"engine with behaviour + tables {minded:>10.3f} s")
    print(f"ratio with behaviour / bare    {minded / bare:>10.2f}x   (target <= 1.6x)")
    print(
        f"  ... without call-backs       {minded_same_visits:>10.3f} s = "
        f"{minded_same_visits / bare:.2f}x (the same visits as the bare model)"
    )
    print(f"contact_centre, 28 days + KPIs {workshop:>10.3f} s   (a workshop run; target < 0.2 s)")
    print(
        f"  bare SimPy, {workshop_visits:,} customers {bare_workshop:>8.3f} s   "
        f"(as many as that run's visits): ratio {workshop / bare_workshop:.2f}x"
    )
    print(f"contact_centre, 1 day + KPIs   {one_day:>10.3f} s   (a dashboard update)")


if __name__ == "__main__":
    main()
