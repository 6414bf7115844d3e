"""The policy challenge: a team's policy for the bank's phone line, priced and compared.

Teams describe a policy for the bank's phone line (``contact_centre``) with a
:class:`Policy`: extra agents during opening hours, courtesy training, an
advertised response time, proactive follow-up.  :func:`budget_check` prices it
per week from the scenario's economics; :func:`evaluate` replicates it beside
rival policies with common random numbers (:func:`cxsim.compare`) and ranks
them by profit with confidence intervals.  Survival, growth and profit (Q12):
a policy that delights customers but loses money does not last.

One horizon and one criterion for the whole challenge (lesson 09's comparison and
check, and the class standings of lesson 10): **profit over** :data:`CHALLENGE_DAYS`
**days** (revenue minus cost plus customer equity, :func:`cxsim.metrics.summarise`),
so that customers a policy keeps or loses count, on :data:`CHALLENGE_REPLICATIONS`
paired replications from seed :data:`CHALLENGE_SEED`, against **doing nothing**
(today's policy, :data:`DO_NOTHING`) on the same callers.  One week undervalues kept
customers: a customer kept today pays in the weeks after.  Dashboards may run one week
for speed; they say so.

The levers: :data:`CORE_LEVERS` (extra agents, courtesy training) are taught in core
lessons; :data:`OPTIONAL_LEVERS` (the promise, follow-up calls) in lessons 06 and 08,
which a short workshop may skip: a team's page shows them apart, off by default.

This is domain code: lesson 09 (:mod:`cxsim.lessons.challenge`) puts a
dashboard and exercises on it, and the class standings service
(:mod:`cxsim.classroom`) evaluates submissions with it, without widgets or plots.

A :class:`Policy` is plain data: :meth:`Policy.to_dict` and
:meth:`Policy.from_dict` round-trip it, and every lever is checked against its
allowed range with a :class:`ValueError` that names the lever and the range, so
a class-wide submission service can accept policies as JSON.

>>> Policy.from_dict({"extra_agents": 2}).to_dict()["extra_agents"]
2
>>> Policy(training=1.5)
Traceback (most recent call last):
...
ValueError: training: 1.5 is outside the allowed range 0 to 1
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .catalog import load_scenario
from .experiments import Comparison, compare, confidence_interval
from .formatting import format_value, table_html, table_text
from .i18n import N_, Text, _
from .results import kpi_label
from .rota import shift_rota
from .scenario import Scenario, shown

__all__ = [
    "CHALLENGE_DAYS",
    "CHALLENGE_REPLICATIONS",
    "CHALLENGE_SEED",
    "CORE_LEVERS",
    "DO_NOTHING",
    "LIMITS",
    "OPTIONAL_LEVERS",
    "WEEKLY_BUDGET",
    "BudgetCheck",
    "Evaluation",
    "Policy",
    "budget_check",
    "evaluate",
    "example_rivals",
    "lever_label",
]

_SCENARIO = "contact_centre"
_TOUCHPOINT = "phone"
#: The weekly budget for extra spending, in toman (assumption: one extra agent at
#: every hour, 33.6 million, or full training plus follow-up calls with room to spare).
WEEKLY_BUDGET = 40_000_000
#: Allowed range of every numeric lever: (low, high, whole number?).  A numeric
#: field of :class:`Policy` missing here fails tests/test_bounds.py.
LIMITS: dict[str, tuple[float, float, bool]] = {
    "extra_agents": (-2, 5, True),
    "training": (0.0, 1.0, False),
    "promise_min": (1.0, 15.0, False),
    "follow_up_capacity": (0, 40, True),
}
#: The challenge's horizon in days: long enough that a customer kept or lost counts
#: (customer equity, and the purchases of those who came back).
CHALLENGE_DAYS = 28
#: Paired replications behind every ranking and check of the challenge.
CHALLENGE_REPLICATIONS = 10
#: The base seed: replication ``i`` of every policy meets the same callers.
CHALLENGE_SEED = 0
#: The name of today's policy (no lever moved) in the challenge's tables: the benchmark.
DO_NOTHING = N_("do nothing")
#: The core levers and the lesson that teaches each (lesson ids of
#: :mod:`cxsim.lessons.registry`): every class has met them.
CORE_LEVERS: dict[str, str] = {"extra_agents": "05", "training": "03"}
#: The optional levers and their lessons (06 and 08 are optional): shown apart, under
#: "more levers", and off by default.
OPTIONAL_LEVERS: dict[str, str] = {
    "promise_min": "06",
    "follow_up": "08",
    "follow_up_capacity": "08",
}
_DAYS_PER_WEEK = 7
_HOURS_PER_SHIFT = 8
_LEVER_LABELS = {
    "extra_agents": N_("Extra agents at every hour"),
    "training": N_("Courtesy training (0 none, 1 full)"),
    "promise_min": N_("Promised answer time (min)"),
    "follow_up": N_("Follow-up calls on"),
    "follow_up_capacity": N_("Follow-up calls a day"),
}


def lever_label(lever: str) -> str:
    """A lever's label in the current language."""
    # a function, so that message extraction sees no literal inside _(...)
    return _(_LEVER_LABELS[lever])


def _finite(value: numbers.Real) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float: finite, and out of range later
        return True


# --------------------------------------------------------------------------- policy
@dataclass(frozen=True)
class Policy:
    """A team's policy for the bank's phone line.

    ``extra_agents``: agents added (or, if negative, removed) at every open hour, as
    every lesson means it (:func:`cxsim.rota.shift_rota`), whole numbers -2 to 5;
    ``training``: courtesy training, 0 (none) to 1 (full programme);
    ``promise_min``: an advertised answer time in minutes (1 to 15), or ``None`` for
    no promise; ``follow_up``: call back customers after a bad journey;
    ``follow_up_capacity``: calls a day, 0 to 40.
    """

    extra_agents: int = 0
    training: float = 0.0
    promise_min: float | None = None
    follow_up: bool = False
    follow_up_capacity: int = 10

    def __post_init__(self) -> None:
        for name, (low, high, whole) in LIMITS.items():
            value = getattr(self, name)
            if name == "promise_min" and value is None:
                continue
            allowed = _("{low} to {high}", low=format_value(low), high=format_value(high))
            if name == "promise_min":
                allowed = _("{range} minutes, or None for no promise", range=allowed)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not _finite(value):
                raise ValueError(
                    _(
                        "{lever}: {value!r} is not a number; allowed: {allowed}",
                        lever=name,
                        value=shown(value),
                        allowed=allowed,
                    )
                )
            if whole and value != int(value):  # int(): a 401-digit int overflows float()
                raise ValueError(
                    _(
                        "{lever}: {value!r} is not a whole number; allowed: {allowed}",
                        lever=name,
                        value=shown(value),
                        allowed=allowed,
                    )
                )
            if not low <= value <= high:
                raise ValueError(
                    _(
                        "{lever}: {value!r} is outside the allowed range {allowed}",
                        lever=name,
                        value=shown(value),
                        allowed=allowed,
                    )
                )
            object.__setattr__(self, name, int(value) if whole else float(value))
        if not isinstance(self.follow_up, bool):
            raise ValueError(
                _(
                    "follow_up: {value!r} is not on or off; allowed: True or False",
                    value=shown(self.follow_up),
                )
            )

    # -- plain data ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The policy as a plain dict (JSON-ready)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """A policy from a dict such as :meth:`to_dict` gives; levers left out keep
        their defaults, unknown names raise ValueError."""
        if isinstance(data, Policy):
            return data
        if not isinstance(data, Mapping):
            raise ValueError(_("a policy is a dict of levers, got {value!r}", value=shown(data)))
        known = [field.name for field in dataclasses.fields(cls)]
        unknown = [str(key) for key in data if key not in known]
        if unknown:
            raise ValueError(
                _(
                    "unknown lever(s) {names}; allowed: {allowed}",
                    names=", ".join(unknown),
                    allowed=", ".join(known),
                )
            )
        return cls(**dict(data))

    # -- scenario -----------------------------------------------------------------
    def rota(self, scenario: Scenario | None = None) -> list[int]:
        """The phone rota with the extra agents at every open hour (at least one agent)."""
        base = (scenario or load_scenario(_SCENARIO)).touchpoint(_TOUCHPOINT).hourly_staff
        return shift_rota(base, self.extra_agents)

    def overrides(self, scenario: Scenario | None = None) -> dict[str, Any]:
        """Dotted overrides of ``contact_centre`` that apply this policy."""
        return {
            f"touchpoints.{_TOUCHPOINT}.staff": self.rota(scenario),
            "levers.training": self.training,
            "levers.promise_min": self.promise_min,
            "levers.follow_up.enabled": self.follow_up,
            "levers.follow_up.capacity_per_day": self.follow_up_capacity,
        }

    def scenario(self) -> Scenario:
        """``contact_centre`` under this policy."""
        base = load_scenario(_SCENARIO)
        return base.with_overrides(self.overrides(base), path="policy")


def _as_policy(policy: Policy | Mapping[str, Any]) -> Policy:
    return policy if isinstance(policy, Policy) else Policy.from_dict(policy)


def example_rivals() -> dict[str, Policy]:
    """Two rival policies for the notebook, on the core levers only (every class has
    met them): more staff, or full courtesy training."""
    # N_: the names are keys in code, and shown in the reader's language (translate_name)
    return {
        N_("more_agents"): Policy(extra_agents=1),
        N_("full_training"): Policy(training=1.0),
    }


# --------------------------------------------------------------------------- budget
@dataclass(frozen=True)
class BudgetCheck:
    """A policy's extra cost per week against the budget (toman).

    ``lines``: cost per lever (extra agents, training, follow-up calls at full
    capacity; a promise is free); ``total``; ``budget``; ``within``.
    """

    lines: dict[str, float]
    total: float
    budget: float

    @property
    def within(self) -> bool:
        """Whether the extra cost fits the budget."""
        return self.total <= self.budget

    @property
    def left(self) -> float:
        """Budget left (negative: over budget), toman."""
        return self.budget - self.total

    def _millions(self) -> dict[str, float]:
        """Cost lines, total and budget, in million toman."""
        values = {**self.lines, _("total"): self.total, _("weekly budget"): self.budget}
        return {label: value / 1e6 for label, value in values.items()}

    def table(self) -> pd.Series:
        """Cost lines, total and budget in million toman, rounded to 2 digits."""
        rounded = {label: round(value, 2) for label, value in self._millions().items()}
        return pd.Series(rounded, name=_("million toman a week"))

    def _shown(self) -> tuple[pd.DataFrame, str]:
        """The cost lines in million toman and the verdict, for reading."""
        column = _("Extra cost a week (million toman)")
        table = pd.DataFrame({column: self._millions()})
        table.attrs["column_kinds"] = {column: "millions"}  # written by cxsim.formatting
        verdict = (
            _("Within budget: {left:.2f} million toman left.", left=self.left / 1e6)
            if self.within
            else _("Over budget by {over:.2f} million toman.", over=-self.left / 1e6)
        )
        return table, verdict

    def __repr__(self) -> str:
        table, verdict = self._shown()
        return f"{table_text(table)}\n{verdict}"

    def _repr_html_(self) -> str:
        table, verdict = self._shown()
        return table_html(table) + Text(verdict).as_html("cxsim-verdict")


def budget_check(policy: Policy | Mapping[str, Any], budget: float = WEEKLY_BUDGET) -> BudgetCheck:
    """The policy's extra cost for one week, from the scenario's economics.

    - extra agents: agents × open hours a day (24 on the phone) × 7 days ×
      ``staff_cost_per_hour``
      (negative when agents are removed: a saving);
    - training: ``training × training_cost_per_staff_per_day × headcount × 7``
      with headcount = staffed hours a day / 8 under the policy's rota, minus the
      baseline's training (none);
    - follow-up: ``capacity × 7 × follow_up_cost_per_contact`` (every call made);
    - a promise costs nothing to print (its cost shows in the customers' scores).
    """
    policy = _as_policy(policy)
    scenario = load_scenario(_SCENARIO)
    economics = scenario.economics
    base_rota = scenario.touchpoint(_TOUCHPOINT).hourly_staff
    rota = policy.rota(scenario)
    staff_hours = sum(rota) - sum(base_rota)
    headcount = sum(rota) / _HOURS_PER_SHIFT
    lines = {
        _("extra agents"): staff_hours * _DAYS_PER_WEEK * economics.staff_cost_per_hour,
        _("courtesy training"): (
            policy.training * economics.training_cost_per_staff_per_day * headcount * _DAYS_PER_WEEK
        ),
        _("follow-up calls"): (
            policy.follow_up_capacity * _DAYS_PER_WEEK * economics.follow_up_cost_per_contact
            if policy.follow_up
            else 0.0
        ),
        _("promise"): 0.0,
    }
    return BudgetCheck(lines=lines, total=float(sum(lines.values())), budget=float(budget))


# --------------------------------------------------------------------------- evaluate
_STANDING_KPIS = ("csat", "retention_rate", "mean_wait_min", "cost")


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Policies replicated side by side: :meth:`standings`, :meth:`differences`
    (:func:`cxsim.plots.plot_evaluation` draws it)."""

    comparison: Comparison
    policies: dict[str, Policy]
    budget: float = WEEKLY_BUDGET
    #: the horizon and replications it ran (the challenge's own unless told)
    days: float = CHALLENGE_DAYS
    n: int = CHALLENGE_REPLICATIONS
    seed: int = CHALLENGE_SEED

    def __repr__(self) -> str:
        return self.standings().to_string()

    def _repr_html_(self) -> str:
        return self.standings().to_html()

    def standings(self, level: float = 0.95) -> pd.DataFrame:
        """One row per policy, best profit first: profit (mean and CI, million toman),
        CSAT, retention, mean wait, total cost (million toman), weekly extra cost and
        whether it fits the budget."""
        summary = self.comparison.summary(level).set_index(["policy", "kpi"])
        rows = []
        for name, policy in self.policies.items():
            profit = summary.loc[(name, "profit")]
            check = budget_check(policy, self.budget)
            row = {
                _("policy"): name,
                _("profit (million toman)"): profit["mean"] / 1e6,
                _("profit CI low"): profit["ci_low"] / 1e6,
                _("profit CI high"): profit["ci_high"] / 1e6,
            }
            for kpi in _STANDING_KPIS:
                value = summary.loc[(name, kpi), "mean"]
                label = kpi_label(kpi)
                if kpi == "cost":
                    value, label = value / 1e6, _("{label} (million toman)", label=label)
                row[label] = value
            row[_("extra cost a week (million toman)")] = check.total / 1e6
            row[_("within budget")] = _("yes") if check.within else _("no")
            rows.append(row)
        table = pd.DataFrame(rows).sort_values(
            _("profit (million toman)"), ascending=False, kind="stable"
        )
        table.insert(0, _("rank"), range(1, len(table) + 1))
        return table.set_index(_("rank")).round(2)

    def differences(
        self, against: str | None = None, kpi: str = "profit", level: float = 0.95
    ) -> pd.DataFrame:
        """Each policy minus ``against`` (default: the first), paired by replication
        (common random numbers): mean difference, its CI and whether the CI
        excludes 0 ("yes": a real difference; "no": could be luck).  Money in
        million toman."""
        names = list(self.policies)
        against = names[0] if against is None else against
        if against not in self.policies:
            raise ValueError(
                _(
                    "unknown policy {name!r}; allowed: {allowed}",
                    name=against,
                    allowed=", ".join(names),
                )
            )
        runs = self.comparison.runs.set_index(["policy", "replication"])[kpi]
        scale = 1e6 if kpi in ("profit", "revenue", "cost") else 1.0
        rows = []
        for name in names:
            if name == against:
                continue
            ci = confidence_interval((runs.loc[name] - runs.loc[against]) / scale, level)
            distinct = ci["ci_low"] > 0 or ci["ci_high"] < 0
            rows.append(
                {
                    _("policy"): name,
                    _("minus"): against,
                    _("mean difference"): ci["mean"],
                    _("CI low"): ci["ci_low"],
                    _("CI high"): ci["ci_high"],
                    _("distinguishable from 0"): _("yes") if distinct else _("no"),
                }
            )
        return pd.DataFrame(rows).set_index(_("policy")).round(2)


def evaluate(
    policies: Mapping[str, Policy | Mapping[str, Any]],
    n: int = CHALLENGE_REPLICATIONS,
    *,
    days: float = CHALLENGE_DAYS,
    seed: int = CHALLENGE_SEED,
    budget: float = WEEKLY_BUDGET,
    progress: bool = False,
    executor: Executor | None = None,
) -> Evaluation:
    """Replicate every policy ``n`` times for ``days`` days with common random
    numbers (replication ``i`` of every policy meets the same callers), via
    :func:`cxsim.compare`; by default the challenge's horizon and replications
    (:data:`CHALLENGE_DAYS`, :data:`CHALLENGE_REPLICATIONS`).  Policies are
    :class:`Policy` objects or dicts of levers; all are checked before anything
    runs.  The first one is the reference of :meth:`Evaluation.differences`.  ``executor``: as for
    :func:`cxsim.compare` (the numbers do not depend on it)."""
    if not isinstance(policies, Mapping) or not policies:
        raise ValueError(_("policies must be a dict name -> Policy with at least one policy"))
    checked = {str(name): _as_policy(policy) for name, policy in policies.items()}
    base = load_scenario(_SCENARIO)
    specs = {name: policy.overrides(base) for name, policy in checked.items()}
    comparison = compare(base, specs, n, seed=seed, days=days, progress=progress, executor=executor)
    return Evaluation(
        comparison=comparison, policies=checked, budget=budget, days=days, n=n, seed=seed
    )
