"""The simulator against queueing theory: Erlang C (M/M/c) and Erlang A (M/M/c+M).

A user who reads "the share who waited" off a simulated phone queue wants it to
be the number Erlang's formulas give for the same queue.  Each case below runs
``R`` independent replications (seeds ``0 .. R-1``, every replication with its own
random numbers), computes a 95% Student-t confidence interval for each KPI, and
asserts that the formula lies inside it, widened by a small allowance for the
bias of a finite horizon.  So that a wide interval cannot pass trivially, each
test also asserts that the interval is narrow (a few per cent of the value).

All rates are per minute, as in :mod:`cxsim.theory`.
"""

from __future__ import annotations

import functools
import math
import os
import statistics
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

import cxsim
from cxsim.theory import mm_c, mm_c_m

# --------------------------------------------------------------------------- statistics

# Two-sided 95% quantiles of Student's t, by degrees of freedom.
T_975 = {4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228, 11: 2.201}

# Allowed bias of a finite run (empty start, customers cut off by the end of the run),
# as a share of the formula's value: added to the confidence interval's half-width.
BIAS_ALLOWANCE = 0.01

# The largest half-width, relative to the value, that we accept as "an informative
# interval".  Waits in heavy traffic are much noisier than the share who waited.
MAX_RELATIVE_HALF_WIDTH = {
    "p_wait": 0.05,
    "mean_wait_min": 0.15,
    "abandonment_rate": 0.10,
    "service_level": 0.02,
    "utilisation": 0.02,
}


@dataclass(frozen=True)
class Interval:
    """Mean of independent replications and the half-width of its 95% t-interval."""

    mean: float
    half_width: float

    def covers(self, value: float) -> bool:
        """Is ``value`` inside the interval widened by the finite-horizon allowance?"""
        return abs(self.mean - value) <= self.half_width + BIAS_ALLOWANCE * abs(value)

    def __str__(self) -> str:
        return f"{self.mean:.5f} ± {self.half_width:.5f}"


def t_interval(values: list[float]) -> Interval:
    """95% confidence interval for the mean of independent, roughly normal values."""
    count = len(values)
    t = T_975[count - 1]
    return Interval(statistics.fmean(values), t * statistics.stdev(values) / math.sqrt(count))


def assert_matches(values: list[float], formula: float, kpi: str, where: str = "") -> None:
    """The replications' CI covers ``formula``, and the CI is narrow enough to mean something."""
    interval = t_interval(values)
    label = f"{where} {kpi}".strip()
    limit = MAX_RELATIVE_HALF_WIDTH[kpi] * formula
    assert interval.half_width <= limit, (
        f"{label}: CI {interval} is too wide (> {limit:.5f}) to test anything; "
        "run longer or more replications"
    )
    assert interval.covers(formula), f"{label}: simulated {interval}, formula {formula:.5f}"


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Queue:
    """One staffed queue (or a tandem of two) with Poisson arrivals, as a test case.

    ``patience`` is the mean patience in minutes (``None``: nobody hangs up);
    ``customers`` is how many arrive per replication (this fixes the horizon).
    """

    arrival_rate: float
    mean_service: float
    staff: int
    patience: float | None = None
    customers: int = 40_000
    warmup_days: float = 0.1
    replications: int = 10

    @property
    def horizon_days(self) -> float:
        return self.customers / self.arrival_rate / 1440.0

    def scenario(self) -> dict[str, Any]:
        segment: dict[str, Any] = {"name": "caller", "share": 1.0, "journey": "call"}
        if self.patience is not None:
            segment["patience_min"] = {"dist": "exponential", "mean": self.patience}
        return {
            "name": "theory_check",
            "horizon_days": self.horizon_days,
            "warmup_days": self.warmup_days,
            "arrivals": {"rate_per_hour": 60.0 * self.arrival_rate},
            "segments": [segment],
            "touchpoints": [
                {
                    "name": "phone",
                    "kind": "staffed",
                    "staff": self.staff,
                    "service_min": {"dist": "exponential", "mean": self.mean_service},
                },
            ],
            "journeys": [{"name": "call", "steps": [{"touchpoint": "phone"}]}],
        }

    def formula(self):
        """Erlang C without patience, Erlang A with exponential patience."""
        if self.patience is None:
            return mm_c(self.arrival_rate, 1.0 / self.mean_service, self.staff)
        return mm_c_m(self.arrival_rate, 1.0 / self.mean_service, self.staff, 1.0 / self.patience)


def _one_replication(job: tuple[dict[str, Any], int, str | None]) -> Any:
    scenario, seed, by = job
    return cxsim.simulate(scenario, seed=seed).kpis(by=by)


def simulate_replications(scenario: dict[str, Any], count: int, by: str | None = None) -> list:
    """``kpis(by=by)`` of replications with seeds ``0 .. count-1``, on up to two cores."""
    jobs = [(scenario, seed, by) for seed in range(count)]
    workers = min(2, os.cpu_count() or 1)
    if workers == 1:
        return [_one_replication(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_one_replication, jobs))


@functools.cache
def replications(queue: Queue) -> tuple[dict[str, float], ...]:
    """KPIs of each replication (cached: several tests read the same runs)."""
    return tuple(simulate_replications(queue.scenario(), queue.replications))


def kpi_values(queue: Queue, kpi: str) -> list[float]:
    return [run[kpi] for run in replications(queue)]


# --------------------------------------------------------------------------- cases

ERLANG_C_MODERATE = Queue(arrival_rate=7.0, mean_service=1.0, staff=10)
# Heavy traffic relaxes slowly (queue-length correlations last ~1/(c mu (1 - sqrt rho)^2)
# ≈ 80 minutes): a longer run and a longer warm-up keep the waits' interval informative.
ERLANG_C_HEAVY = Queue(
    arrival_rate=19.0, mean_service=1.0, staff=20, customers=150_000, warmup_days=0.25
)
ERLANG_A_BUSY = Queue(arrival_rate=9.0, mean_service=1.0, staff=10, patience=2.0)
ERLANG_A_OVERLOADED = Queue(arrival_rate=12.0, mean_service=1.0, staff=10, patience=2.0)
# Many servers: at 90 arrivals a minute a day passes in 130,000 customers, and the noise of a
# replication depends on its length in time, so this case needs more customers than the others.
ERLANG_A_LARGE_POOL = Queue(
    arrival_rate=90.0, mean_service=1.0, staff=95, patience=1.0, customers=150_000, warmup_days=0.05
)
# The textbook example: 100 calls per 30 minutes, 3-minute handle time, 14 agents.
PUBLISHED = Queue(arrival_rate=100 / 30, mean_service=3.0, staff=14, customers=60_000)

SINGLE_QUEUES = [
    pytest.param(ERLANG_C_MODERATE, id="erlang_c-rho0.7-c10"),
    pytest.param(ERLANG_C_HEAVY, id="erlang_c-rho0.95-c20"),
    pytest.param(ERLANG_A_BUSY, id="erlang_a-rho0.9-c10"),
    pytest.param(ERLANG_A_OVERLOADED, id="erlang_a-rho1.2-c10"),
    pytest.param(ERLANG_A_LARGE_POOL, id="erlang_a-rho0.95-c95"),
    pytest.param(PUBLISHED, id="published-14-agents"),
]


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("queue", SINGLE_QUEUES)
def test_share_who_waited_and_mean_wait_match_erlang(queue: Queue) -> None:
    """Share who waited, mean wait (ASA) and service level agree with Erlang C / Erlang A."""
    formula = queue.formula()
    assert_matches(kpi_values(queue, "p_wait"), formula.p_wait, "p_wait")
    assert_matches(kpi_values(queue, "mean_wait_min"), formula.mean_wait, "mean_wait_min")
    assert_matches(kpi_values(queue, "service_level"), formula.service_level, "service_level")


@pytest.mark.parametrize("queue", [q for q in SINGLE_QUEUES if q.values[0].patience])
def test_abandonment_matches_erlang_a(queue: Queue) -> None:
    """With exponential patience the share who hang up agrees with Erlang A."""
    assert_matches(
        kpi_values(queue, "abandonment_rate"), queue.formula().abandonment_rate, "abandonment_rate"
    )


@pytest.mark.parametrize("queue", [q for q in SINGLE_QUEUES if not q.values[0].patience])
def test_nobody_abandons_without_patience(queue: Queue) -> None:
    """Erlang C has no hang-ups: without a patience distribution nobody abandons."""
    assert kpi_values(queue, "abandonment_rate") == [0.0] * queue.replications


def test_utilisation_matches_erlang_a_when_overloaded() -> None:
    """Overloaded (offered 12 Erlangs on 10 agents), agents are busy ~96.5%, not 120%:

    hang-ups shed the excess, and the simulated utilisation agrees with Erlang A.
    """
    queue = ERLANG_A_OVERLOADED
    formula = queue.formula()
    assert formula.utilisation < 1.0
    assert_matches(kpi_values(queue, "utilisation"), formula.utilisation, "utilisation")


def test_published_example_formula() -> None:
    """The textbook numbers: 100 calls / 30 min, 3-min handle time, 14 agents:

    P(wait) = 17.41%, average speed of answer 7.84 seconds.
    """
    formula = PUBLISHED.formula()
    assert round(formula.p_wait, 4) == 0.1741
    assert round(formula.mean_wait * 60, 2) == 7.84


# A two-step journey, phone then desk, nobody hangs up.  Departures of a stable M/M/c
# queue are Poisson (Burke 1956), so the desk is itself an M/M/c queue fed at the same rate.
TANDEM_RATE = 8.0
TANDEM_STEPS = {
    "phone": {"staff": 10, "mean_service": 1.0},  # 8 Erlangs on 10 agents
    "desk": {"staff": 6, "mean_service": 0.6},  # 4.8 Erlangs on 6 agents
}
TANDEM_REPLICATIONS = 10


def tandem_scenario(customers: int = 40_000) -> dict[str, Any]:
    return {
        "name": "tandem",
        "horizon_days": customers / TANDEM_RATE / 1440.0,
        "warmup_days": 0.1,
        "arrivals": {"rate_per_hour": 60.0 * TANDEM_RATE},
        "segments": [{"name": "visitor", "share": 1.0, "journey": "visit"}],
        "touchpoints": [
            {
                "name": name,
                "kind": "staffed",
                "staff": step["staff"],
                "service_min": {"dist": "exponential", "mean": step["mean_service"]},
            }
            for name, step in TANDEM_STEPS.items()
        ],
        "journeys": [{"name": "visit", "steps": [{"touchpoint": "phone"}, {"touchpoint": "desk"}]}],
    }


@functools.cache
def tandem_tables() -> tuple[Any, ...]:
    return tuple(simulate_replications(tandem_scenario(), TANDEM_REPLICATIONS, by="touchpoint"))


@pytest.mark.parametrize("touchpoint", list(TANDEM_STEPS))
def test_each_step_of_a_tandem_matches_erlang_c(touchpoint: str) -> None:
    """Phone then desk: each step waits like its own Erlang C queue at the same arrival rate."""
    step = TANDEM_STEPS[touchpoint]
    formula = mm_c(TANDEM_RATE, 1.0 / step["mean_service"], step["staff"])
    rows = [table.loc[touchpoint] for table in tandem_tables()]
    for kpi, value in [
        ("p_wait", formula.p_wait),
        ("mean_wait_min", formula.mean_wait),
        ("service_level", formula.service_level),
        ("utilisation", formula.utilisation),
    ]:
        assert_matches([float(row[kpi]) for row in rows], value, kpi, where=touchpoint)
    assert all(row["abandoned"] == 0 for row in rows)
