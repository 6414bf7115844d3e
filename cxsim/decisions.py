"""Exercises that are decisions: a fixed set of answers, judged fairly against the best.

A lesson ends with a trade-off the trainee decides: where in the day do 16 extra
agent-hours pay most, how many extra agents, which fix for the airport reaches the
satisfaction target at the lowest cost.  A :class:`Decision` names its candidate answers
(each a policy of the scenario or a mapping of overrides), the KPI that decides
(``objective``, maximised or minimised), optionally a ``constraint`` (a KPI and the
lowest acceptable mean), and the runs that judge it: ``replications`` runs of ``days``
days from base ``seed``.

How it judges (:func:`judge`), as simulation textbooks teach comparing systems with
the best (Law, *Simulation Modeling and Analysis*, 5th ed., §10.4; Hsu, *Multiple
Comparisons*, 1996, ch. 4):

1. every candidate runs on the same seeds (common random numbers), so replication
   ``i`` of each meets the same customers and differences are paired;
2. the best is the candidate with the best mean objective (among those meeting the
   constraint, if any);
3. for every other candidate, the paired differences against the best give a Student
   t interval at level ``1 - (1 - level) / m``, with ``m`` the number of comparisons
   (Bonferroni): together the intervals hold with probability at least ``level``;
4. a candidate is *acceptable* when its interval contains 0 (the data cannot tell it
   from the best) and it meets the constraint; a candidate meets the constraint unless
   its interval for the constraint KPI (Bonferroni over the candidates) lies wholly below
   the target.

The results are a pure function of the scenario, the candidates, the seeds and the
days, so each decision's table is precomputed (:mod:`cxsim.precomputed`,
``scripts/build_precomputed.py``): a trainee's click is instant.  :func:`verdict` says
whether an answer is acceptable and why, with the numbers; :mod:`cxsim.decision_widgets`
puts a decision on a dropdown and a button.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .catalog import load_scenario
from .experiments import compare, t_critical
from .formatting import format_value, table_html, table_text
from .i18n import Text, _, join_list
from .kpis import KPIS
from .precomputed import precomputed, register_table

__all__ = [
    "Candidate",
    "Decision",
    "DecisionVerdict",
    "Judgement",
    "judge",
    "register",
    "verdict",
]

#: Every registered decision, by name.
DECISIONS: dict[str, Decision] = {}


@dataclass(frozen=True)
class Candidate:
    """One answer: ``key`` (what a trainee types or picks), ``label`` (English, marked
    with ``N_`` for the catalogue) and ``spec``: a policy name of the scenario, ``None``
    (the scenario as it is) or a mapping of overrides (``{"touchpoints.phone.staff": 9}``).
    ``extra_cost`` (toman, optional): a cost the model does not count, subtracted from
    money objectives and shown (e.g. a one-off fix)."""

    key: str
    label: str
    spec: str | None | Mapping[str, Any] = None
    extra_cost: float = 0.0


@dataclass(frozen=True)
class Decision:
    """A lesson's decision (see the module's docstring)."""

    name: str
    scenario: str
    question: str
    candidates: tuple[Candidate, ...]
    objective: str
    maximise: bool = True
    constraint: tuple[str, float] | None = None
    replications: int = 20
    days: float = 28
    seed: int = 0
    level: float = 0.95
    shown: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        keys = [c.key for c in self.candidates]
        if len(keys) < 2 or len(set(keys)) != len(keys):
            raise ValueError(f"decision {self.name}: needs two or more candidates, keys unique")
        for kpi in (
            self.objective,
            *self.shown,
            *([self.constraint[0]] if self.constraint else []),
        ):
            if kpi not in KPIS:
                raise ValueError(f"decision {self.name}: unknown KPI {kpi!r}")
        if self.replications < 2:
            raise ValueError(f"decision {self.name}: replications must be 2 or more")

    def key(self) -> dict[str, Any]:
        """What the decision's table depends on (besides the model's code and data)."""
        return {
            "scenario": self.scenario,
            "candidates": [[c.key, c.spec, c.extra_cost] for c in self.candidates],
            "kpis": self.kpis,
            "replications": self.replications,
            "days": self.days,
            "seed": self.seed,
        }

    @property
    def kpis(self) -> list[str]:
        """The KPIs stored per run: the objective, the constraint's and the shown ones."""
        wanted = [self.objective, *(self.constraint[:1] if self.constraint else ()), *self.shown]
        return list(dict.fromkeys(wanted))

    def candidate(self, answer: Any) -> Candidate | None:
        """The candidate an answer names: its key or its label (either language), any case."""
        text = str(answer).strip().casefold()
        for found in self.candidates:
            names = {found.key, found.label, _(found.label)}
            if text in {name.strip().casefold() for name in names}:
                return found
        return None

    def runs(self) -> dict[str, dict[str, list[float]]]:
        """Candidate key -> KPI -> its value in each replication (precomputed)."""
        return precomputed(f"decision_{self.name}", self.key(), self._compute)

    def _compute(self) -> dict[str, dict[str, list[float]]]:
        comparison = compare(
            load_scenario(self.scenario),
            {c.key: c.spec for c in self.candidates},
            self.replications,
            seed=self.seed,
            days=self.days,
            progress=True,
        )
        runs = comparison.runs.sort_values(["policy", "replication"])
        missing = [kpi for kpi in self.kpis if kpi not in runs.columns]
        if missing:
            raise ValueError(
                f"decision {self.name}: the runs of {self.scenario} give no "
                + ", ".join(repr(kpi) for kpi in missing)
            )
        table: dict[str, dict[str, list[float]]] = {}
        for candidate in self.candidates:
            rows = runs[runs["policy"] == candidate.key]
            table[candidate.key] = {
                kpi: [float(v) for v in rows[kpi].to_numpy(dtype=float)] for kpi in self.kpis
            }
        return table


def register(decision: Decision) -> Decision:
    """Declare ``decision`` (its table is shipped precomputed) and return it."""
    if decision.name in DECISIONS:
        raise ValueError(f"decision {decision.name!r} is registered twice")
    DECISIONS[decision.name] = decision
    register_table(f"decision_{decision.name}", decision.key, decision._compute)
    return decision


# --------------------------------------------------------------------------- judging
@dataclass(frozen=True)
class Row:
    """One candidate judged: means, the paired interval against the best, the verdict."""

    candidate: Candidate
    mean: float
    feasible: bool
    constraint_mean: float | None
    constraint_low: float | None
    difference: float
    ci_low: float
    ci_high: float
    acceptable: bool
    shown: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Judgement:
    """Every candidate of a decision judged (:func:`judge`)."""

    decision: Decision
    rows: tuple[Row, ...]
    best: Candidate
    comparisons: int

    def row(self, key: str) -> Row:
        """The row of candidate ``key``."""
        return next(row for row in self.rows if row.candidate.key == key)

    @cached_property
    def acceptable(self) -> list[Candidate]:
        """The candidates the data cannot tell from the best (the best included)."""
        return [row.candidate for row in self.rows if row.acceptable]

    def table(self) -> pd.DataFrame:
        """One row per candidate, in the reader's language, for a notebook or a verdict."""
        decision = self.decision
        objective = _kpi_label(decision.objective)
        objective_kind = KPIS[decision.objective].kind
        # differences of shares are percentage points, said in the column's name
        points = objective_kind == "share"
        scale = 100.0 if points else 1.0
        unit = f" ({_('percentage points')})" if points else ""
        difference, low, high = (
            _("difference from the best") + unit,
            _("interval low") + unit,
            _("interval high") + unit,
        )
        records = []
        for row in self.rows:
            record = {objective: row.mean}
            if decision.constraint:
                record[_kpi_label(decision.constraint[0])] = row.constraint_mean
            record[difference] = row.difference * scale
            record[low] = row.ci_low * scale
            record[high] = row.ci_high * scale
            for kpi, value in row.shown.items():
                record[_kpi_label(kpi)] = value
            record[_("verdict")] = _verdict_word(row, decision)
            records.append(record)
        table = pd.DataFrame(records, index=[_(row.candidate.label) for row in self.rows])
        table.index.name = _("answer")
        difference_kind = "number" if points else objective_kind
        kinds = {
            objective: objective_kind,
            difference: difference_kind,
            low: difference_kind,
            high: difference_kind,
        }
        table.attrs["column_kinds"] = kinds
        return table


def _kpi_label(kpi: str) -> str:
    return _(KPIS[kpi].label)


def _verdict_word(row: Row, decision: Decision) -> str:
    if not row.feasible:
        return _("misses the target")
    return _("acceptable") if row.acceptable else _("worse than the best")


def _objective_values(decision: Decision, runs: Mapping[str, Mapping[str, list[float]]]):
    values = {}
    for candidate in decision.candidates:
        value = np.asarray(runs[candidate.key][decision.objective], dtype=float)
        if KPIS[decision.objective].kind == "money" and candidate.extra_cost:
            # a cost the model does not count: less profit, or more cost
            sign = -1.0 if decision.maximise else 1.0
            value = value + sign * candidate.extra_cost
        values[candidate.key] = value
    return values


def judge(decision: Decision) -> Judgement:
    """Judge every candidate of ``decision`` (see the module's docstring)."""
    runs = decision.runs()
    values = _objective_values(decision, runs)
    k = len(decision.candidates)
    n = decision.replications
    feasible: dict[str, tuple[bool, float | None, float | None]] = {}
    for candidate in decision.candidates:
        if decision.constraint is None:
            feasible[candidate.key] = (True, None, None)
            continue
        kpi, target = decision.constraint
        x = np.asarray(runs[candidate.key][kpi], dtype=float)
        level = 1 - (1 - decision.level) / k
        half = t_critical(n - 1, level) * x.std(ddof=1) / math.sqrt(n)
        feasible[candidate.key] = (
            bool(x.mean() + half >= target),
            float(x.mean()),
            float(x.mean() - half),
        )
    options = [c for c in decision.candidates if feasible[c.key][0]]
    if not options:
        raise ValueError(f"decision {decision.name}: no candidate meets the constraint")
    sign = 1.0 if decision.maximise else -1.0
    best = max(options, key=lambda c: (sign * values[c.key].mean(), -decision.candidates.index(c)))
    comparisons = max(len(options) - 1, 1)
    t = t_critical(n - 1, 1 - (1 - decision.level) / comparisons)
    rows = []
    for candidate in decision.candidates:
        difference = values[candidate.key] - values[best.key]
        mean = float(difference.mean())
        half = float(t * difference.std(ddof=1) / math.sqrt(n))
        ok, c_mean, c_low = feasible[candidate.key]
        acceptable = ok and (mean - half <= 0 <= mean + half or candidate is best)
        shown = {kpi: float(np.mean(runs[candidate.key][kpi])) for kpi in decision.shown}
        rows.append(
            Row(
                candidate=candidate,
                mean=float(values[candidate.key].mean()),
                feasible=ok,
                constraint_mean=c_mean,
                constraint_low=c_low,
                difference=mean,
                ci_low=mean - half,
                ci_high=mean + half,
                acceptable=bool(acceptable),
                shown=shown,
            )
        )
    return Judgement(decision=decision, rows=tuple(rows), best=best, comparisons=comparisons)


# --------------------------------------------------------------------------- verdicts
class DecisionVerdict:
    """Whether an answer is acceptable, why (with the numbers), and the table behind it.

    True when acceptable.  In a notebook: the message in a box (green or amber, right to
    left in Persian) above the table of every candidate."""

    __slots__ = ("right", "message", "judgement")

    def __init__(self, right: bool, message: str, judgement: Judgement | None):
        self.right = bool(right)
        self.message = message
        self.judgement = judgement

    def __bool__(self) -> bool:
        return self.right

    def __repr__(self) -> str:
        if self.judgement is None:
            return self.message
        return f"{self.message}\n\n{table_text(self.judgement.table())}"

    def _repr_html_(self) -> str:
        colour = "#2e7d32" if self.right else "#b26a00"
        box = Text(self.message).as_html(
            "cxsim-verdict",
            style=f"border-inline-start: 4px solid {colour}; padding: 4px 10px; margin: 2px 0",
        )
        if self.judgement is None:
            return box
        return box + table_html(self.judgement.table())


def _value(decision: Decision, value: float, *, signed: bool = False, unit: bool = True) -> str:
    kind = KPIS[decision.objective].kind
    if kind == "money" and not unit:
        return format_value(value / 1e6, "number", decimals=1, signed=signed)
    if kind == "money":
        return _(
            "{amount} million toman",
            amount=format_value(value / 1e6, "number", decimals=1, signed=signed),
        )
    if kind == "share" and signed:
        # a difference of two shares is in percentage points, said in words
        points = format_value(value * 100, "number", decimals=1, signed=True)
        return _("{points} percentage points", points=points) if unit else points
    return format_value(value, kind, signed=signed)


def _name(candidate: Candidate) -> str:
    return "«" + _(candidate.label) + "»"


def verdict(decision: Decision, answer: Any) -> DecisionVerdict:
    """Judge ``answer`` (a candidate's key or label) and say why, with the numbers."""
    candidate = decision.candidate(answer)
    if candidate is None:
        allowed = join_list(_name(c) for c in decision.candidates)
        return DecisionVerdict(
            False,
            _(
                "{answer!r} is not one of the answers; allowed: {allowed}",
                answer=answer,
                allowed=allowed,
            ),
            None,
        )
    judgement = judge(decision)
    row = judgement.row(candidate.key)
    best = judgement.row(judgement.best.key)
    objective = _kpi_label(decision.objective)
    runs = _(
        "{n} paired runs of {days} days each, on the same customers",
        n=format_value(decision.replications, "count"),
        days=format_value(decision.days, "count"),
    )
    others = [c for c in judgement.acceptable if c.key != candidate.key]
    also = join_list(_name(c) for c in others)
    if not row.feasible:
        kpi, target = decision.constraint
        lines = [
            _(
                "Not yet: {answer} misses the target. Its {kpi} is {value}, and even the top of "
                "its interval stays below the target of {target}.",
                answer=_name(candidate),
                kpi=_kpi_label(kpi),
                value=format_value(row.constraint_mean, KPIS[kpi].kind),
                target=format_value(target, KPIS[kpi].kind),
            )
        ]
    elif candidate.key == judgement.best.key:
        lines = [
            _(
                "Right: {answer} is the best answer: {objective} {value} ({runs}).",
                answer=_name(candidate),
                objective=objective,
                value=_value(decision, row.mean),
                runs=runs,
            )
        ]
    else:
        numbers = _(
            "{answer} gives {value}; the best, {best}, gives {best_value}: a difference of "
            "{difference} (interval {low} to {high}, {runs}, corrected for {m} comparisons).",
            answer=_name(candidate),
            value=_value(decision, row.mean),
            best=_name(judgement.best),
            best_value=_value(decision, best.mean),
            difference=_value(decision, row.difference, signed=True),
            low=_value(decision, row.ci_low, signed=True, unit=False),
            high=_value(decision, row.ci_high, signed=True, unit=False),
            runs=runs,
            m=format_value(judgement.comparisons, "count"),
        )
        if row.acceptable:
            lines = [
                _("Right: {answer} is among the best.", answer=_name(candidate)),
                numbers,
                _(
                    "The interval contains 0: the runs cannot tell the two apart, "
                    "so both are good answers."
                ),
            ]
        else:
            lines = [
                _("Not yet: {answer} is not among the best.", answer=_name(candidate)),
                numbers,
                _(
                    "The whole interval lies on one side of 0: the gap is real, not luck, "
                    "whether or not it is large enough to matter to you."
                ),
            ]
    if also and row.acceptable:
        lines.append(_("Also acceptable: {answers}.", answers=also))
    elif also:
        lines.append(_("Acceptable answers: {answers}.", answers=also))
    return DecisionVerdict(row.acceptable, "\n".join(lines), judgement)


def candidates_from(decision: Decision) -> Sequence[tuple[str, str]]:
    """``(label in the reader's language, key)`` of every candidate, for a dropdown."""
    return [(_(c.label), c.key) for c in decision.candidates]
