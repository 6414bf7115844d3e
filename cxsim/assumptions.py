"""Which conclusions survive the assumptions no study pins down (issue 16 item 5).

Every number of the model names its source, and some sources are "assumption": the
weight of courtesy in a contact's score, what a minute of waiting costs it, how many
customers leave after a bad journey (N2's 25% could not be traced).  A lesson's
conclusion is a comparison of two settings on one KPI ("courtesy training raises CSAT
more than one more lane", N5); this module re-runs that comparison with each such
parameter at a low, its default and a high value, one at a time, and says per row
whether the conclusion *survives*.

How (:func:`robustness`): for each value, both settings run ``replications`` times on
the same seeds (common random numbers, :func:`cxsim.experiments.compare`), and the
paired differences ``policy - against`` give a Student t interval (95%).  A row's
outcome (:data:`OUTCOMES`):

``survives``  the difference has the conclusion's sign and its interval excludes 0;
``held``      the same sign, but the interval contains 0: the runs cannot show it;
``lost``      the opposite sign, the interval containing 0;
``reversed``  the opposite sign, the interval excluding 0: the conclusion is wrong there.

The lessons, their comparisons and the ranges are in ``data/assumptions.yaml`` (each
number with its source); the texts people read, in the catalogue, are here
(:data:`TEXTS`).  The runs are a pure function of the scenario files, the model and the
seeds, so they are shipped precomputed (:mod:`cxsim.precomputed`,
``scripts/build_precomputed.py``): the panel opens at once.  The panel itself (figure
and controls) is :mod:`cxsim.assumptions_view`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .catalog import _parse, _ShapeError, data_dir, list_scenarios, load_scenario
from .experiments import SerialExecutor, compare, confidence_interval
from .i18n import N_, _
from .kpis import KPIS
from .precomputed import precomputed, register_table
from .scenario import MAX_FILE_BYTES, Scenario, ScenarioError, listing, shown

__all__ = [
    "OUTCOMES",
    "TEXTS",
    "AssumptionsError",
    "Assumption",
    "LessonAssumptions",
    "Robustness",
    "RobustnessRow",
    "assumptions_path",
    "lesson_ids",
    "load_assumptions",
    "outcome",
    "rerun",
    "robustness",
    "value_at",
]

#: A row's outcome: the conclusion survives, holds in direction only, is lost, or reverses.
OUTCOMES = ("survives", "held", "lost", "reversed")
OUTCOME_LABELS = {
    "survives": N_("survives"),
    "held": N_("direction held, not significant"),
    "lost": N_("direction lost, not significant"),
    "reversed": N_("reversed"),
}
LEVELS = ("low", "default", "high")
LEVEL_LABELS = {"low": N_("low"), "default": N_("default"), "high": N_("high")}

#: Per lesson: its conclusion, the two settings compared, and per assumption what the
#: parameter means and why its range is what it is (the numbers: data/assumptions.yaml).
TEXTS: dict[str, dict[str, Any]] = {
    "01": {
        "conclusion": N_(
            "Training the outsourced support line lifts journey CSAT more than training "
            "the shop's staff (Q7, Q14)"
        ),
        "policy": N_("support line trained to courtesy 0.9"),
        "against": N_("shop staff trained to courtesy 0.9"),
        "assumptions": {
            "support_courtesy": (
                N_("Courtesy of the support agency (0-1)"),
                N_(
                    "No study measures it. Low: an agency visibly worse than the brand's own "
                    "staff; high: an ordinary team, as courteous as customers expect."
                ),
            ),
            "store_courtesy": (
                N_("Courtesy of the shop's staff (0-1)"),
                N_(
                    "No study measures it. Low: an ordinary team; high: a team close to the "
                    "0.9 of the training."
                ),
            ),
            "courtesy_weight": (
                N_("Weight of courtesy in a contact's score (points)"),
                N_(
                    "No study gives the size: the points of 10 that separate a rude team "
                    "(courtesy 0) from a perfect one (1). From 2 to 8 points."
                ),
            ),
        },
    },
    "02": {
        "conclusion": N_("One agent fewer at every hour (lean) lowers CSAT (N1)"),
        "policy": N_("lean: one agent fewer at every hour"),
        "against": N_("the rota as it is"),
        "assumptions": {
            "patience": (
                N_("Regular callers' mean patience (min)"),
                N_(
                    "Brown et al. (2005) found callers' patience to be a few minutes, but not "
                    "this bank's: from half to double."
                ),
            ),
            "late_loss": (
                N_("Points a contact loses per minute of waiting beyond the expected"),
                N_(
                    "Anderson & Sullivan (1993) found that falling short of expectations "
                    "weighs more than beating them, but give no size on this scale: from "
                    "under half to double."
                ),
            ),
            "perceived_wait": (
                N_("How much longer an empty wait feels (factor)"),
                N_(
                    "Maister (1985) found that empty waits feel longer, but gives no number. "
                    "Low: no distortion at all; high: half as long again."
                ),
            ),
        },
    },
    "03": {
        "conclusion": N_("Courtesy training raises CSAT more than one more lane (N5)"),
        "policy": N_("courtesy training for the security staff"),
        "against": N_("one more lane at every open hour"),
        "assumptions": {
            "courtesy_weight": (
                N_("Weight of courtesy in a contact's score (points)"),
                N_(
                    "No study gives the size: the points of 10 that separate a rude team "
                    "(courtesy 0) from a perfect one (1). From 2 to 8 points."
                ),
            ),
            "expected_wait": (
                N_("The wait passengers expect at security (min)"),
                N_(
                    "No study: passengers surely expect more than callers (N1: 3.6 minutes), "
                    "how much more is unknown. From half to half as long again."
                ),
            ),
            "training_effect": (
                N_("Courtesy gained by full training (0-1)"),
                N_(
                    "Q1 says courtesy can be trained; by how much, no study says. From "
                    "little (0.1) to a lot (0.4)."
                ),
            ),
        },
    },
    "04": {
        "conclusion": N_(
            "Under peak-end memory more journeys are remembered as bad than under the "
            "average: one bad step spoils a journey (Q9)"
        ),
        "policy": N_("customers remember the peak and the end"),
        "against": N_("customers remember the average"),
        "assumptions": {
            "bad_below": (
                N_("A journey remembered below this counts as bad (0-10)"),
                N_(
                    "A line drawn by the workbook. Low: a stricter line (4); high: 6, where "
                    "NPS starts calling a customer a detractor."
                ),
            ),
            "support_courtesy": (
                N_("Courtesy of the support agency (0-1)"),
                N_(
                    "No study measures it. Low: an agency visibly worse than the brand's own "
                    "staff; high: an ordinary team, as courteous as customers expect."
                ),
            ),
            "self_service_spread": (
                N_("Spread of website and delivery scores (points)"),
                N_(
                    "No study: a website or a delivery that works scores about 7 of 10, "
                    "give or take this much. Low: they hardly vary; high: a late parcel or a "
                    "broken page now and then."
                ),
            ),
        },
    },
    "05": {
        "conclusion": N_(
            "The lean rota loses profit against the rota as it is, once lost customers "
            "are counted (N2, Q12)"
        ),
        "policy": N_("lean: one agent fewer at every hour"),
        "against": N_("the rota as it is"),
        "assumptions": {
            "leave_ceiling": (
                N_("Highest chance of leaving after a bad journey (0-1)"),
                N_(
                    "N2's 25% could not be traced. Low: about 17% leave after a bad journey "
                    "(PwC 2018, United States); high: about 32% (PwC 2018, worldwide)."
                ),
            ),
            "margin": (
                N_("Monthly margin of a regular customer (toman)"),
                N_("The bank's own figure is not known: from half to double."),
            ),
            "discount_rate": (
                N_("Discount rate a year (0-1)"),
                N_(
                    "Iranian deposit rates have been above 20% a year; from 15% to 35% "
                    "covers a cheaper and a dearer cost of money."
                ),
            ),
        },
    },
}


# --------------------------------------------------------------------------- the file
class AssumptionsError(ScenarioError):
    """``data/assumptions.yaml`` (or another file given) is wrong: the file, the field
    and what is allowed, in one line."""


@dataclass(frozen=True)
class Assumption:
    """One parameter no study pins down: its dotted scenario path and its range."""

    name: str
    path: str
    low: float
    default: float
    high: float

    def value(self, level: str) -> float:
        """The value at ``level`` ("low", "default" or "high")."""
        return {"low": self.low, "default": self.default, "high": self.high}[level]


@dataclass(frozen=True)
class LessonAssumptions:
    """A lesson's comparison and the assumptions its conclusion is re-run at."""

    lesson: str
    scenario: str
    kpi: str
    policy: str | None | Mapping[str, Any]
    against: str | None | Mapping[str, Any]
    direction: str
    replications: int
    days: float
    seed: int
    assumptions: tuple[Assumption, ...]

    @property
    def sign(self) -> int:
        """+1 when the conclusion says ``policy - against`` is above 0, -1 below."""
        return 1 if self.direction == "higher" else -1

    def assumption(self, name: str) -> Assumption:
        """The assumption called ``name``; ValueError naming the allowed ones."""
        for found in self.assumptions:
            if found.name == name:
                return found
        raise ValueError(
            _(
                "lesson {lesson} has no assumption {name!r}; allowed: {allowed}",
                lesson=self.lesson,
                name=name,
                allowed=listing([a.name for a in self.assumptions]),
            )
        )

    def key(self) -> dict[str, Any]:
        """What the lesson's table depends on (besides the model's code and data)."""
        return {
            "scenario": self.scenario,
            "kpi": self.kpi,
            "policy": self.policy,
            "against": self.against,
            "replications": self.replications,
            "days": self.days,
            "seed": self.seed,
            "assumptions": [[a.path, a.low, a.default, a.high] for a in self.assumptions],
        }


def assumptions_path() -> Path:
    """``data/assumptions.yaml``."""
    return data_dir() / "assumptions.yaml"


def value_at(scenario: Scenario, path: str) -> Any:
    """The value at a dotted path of ``scenario`` (named lists by name), None if absent.

    >>> value_at(load_scenario("airport_security"), "touchpoints.security.courtesy")
    0.6
    """
    current: Any = scenario.model_dump(mode="json", exclude={"source"})
    for part in path.split("."):
        if isinstance(current, list):
            current = next(
                (i for i in current if isinstance(i, dict) and i.get("name") == part), None
            )
        elif isinstance(current, dict):
            current = current.get(part)
        else:
            return None
        if current is None:
            return None
    return current


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _read(path: Path) -> Any:
    source = str(path)
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise AssumptionsError(
            source, "", _("cannot be read: {reason}", reason=exc.strerror or type(exc).__name__)
        ) from None
    if len(content) > MAX_FILE_BYTES:
        raise AssumptionsError(
            source,
            "",
            _(
                "a file of more than {limit:,} bytes; allowed: at most {limit:,}",
                limit=MAX_FILE_BYTES,
            ),
        )
    try:
        return _parse(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise AssumptionsError(source, "", _("not a text file; expected YAML")) from None
    except _ShapeError as exc:
        raise AssumptionsError(source, exc.path, exc.problem) from None
    except Exception as exc:  # yaml.YAMLError and int() past its digit limit
        mark = getattr(exc, "problem_mark", None)
        where = _(" (line {line})", line=mark.line + 1) if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise AssumptionsError(
            source, "", _("not valid YAML{where}: {problem}", where=where, problem=problem)
        ) from None


def _setting(
    source: str, field: str, value: Any, scenario: Scenario
) -> str | None | dict[str, Any]:
    """A setting to compare: a policy name of the scenario, null, or overrides."""
    if value is None:
        return None
    if isinstance(value, str):
        if value not in scenario.policies:
            raise AssumptionsError(
                source,
                field,
                _(
                    "{value!r} is not a policy of {scenario}; allowed: {allowed}, null "
                    "(the scenario as it is) or a mapping of overrides",
                    value=shown(value),
                    scenario=scenario.name,
                    allowed=listing(sorted(scenario.policies)),
                ),
            )
        return value
    if isinstance(value, Mapping) and value:
        try:
            scenario.with_overrides(dict(value), path=field)
        except ScenarioError as exc:
            raise AssumptionsError(source, field, exc.problem) from None
        return {str(k): v for k, v in value.items()}
    raise AssumptionsError(
        source,
        field,
        _(
            "must be a policy name, null or a mapping of overrides, got {value!r}",
            value=shown(value),
        ),
    )


def _whole(source: str, field: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise AssumptionsError(
            source,
            field,
            _(
                "must be a whole number >= {minimum}, got {value!r}",
                minimum=minimum,
                value=shown(value),
            ),
        )
    return value


def _assumption(source: str, field: str, item: Any, scenario: Scenario, names: set[str]):
    if not isinstance(item, Mapping):
        raise AssumptionsError(
            source, field, _("must be a mapping of name, path, low, default, high")
        )
    missing = [k for k in ("name", "path", "low", "default", "high") if k not in item]
    extra = [str(k) for k in item if k not in ("name", "path", "low", "default", "high")]
    if missing or extra:
        raise AssumptionsError(
            source,
            field,
            _(
                "needs exactly name, path, low, default, high; missing: {missing}; unknown: "
                "{extra}",
                missing=listing(missing) or "-",
                extra=listing(extra) or "-",
            ),
        )
    name = item["name"]
    if not isinstance(name, str) or name not in names:
        raise AssumptionsError(
            source,
            f"{field}.name",
            _(
                "{name!r} has no texts in cxsim/assumptions.py; allowed: {allowed}",
                name=shown(name),
                allowed=listing(sorted(names)),
            ),
        )
    path = item["path"]
    own = value_at(scenario, path) if isinstance(path, str) else None
    if not _is_number(own):
        raise AssumptionsError(
            source,
            f"{field}.path",
            _(
                "{path!r} is not a number of scenario {scenario}; allowed: a dotted path "
                "to one (touchpoints.NAME.courtesy, behaviour.contact.courtesy_weight)",
                path=shown(path),
                scenario=scenario.name,
            ),
        )
    values = {}
    for level in LEVELS:
        value = item[level]
        if not _is_number(value):
            raise AssumptionsError(
                source, f"{field}.{level}", _("must be a number, got {value!r}", value=shown(value))
            )
        values[level] = float(value)
    if not values["low"] < values["default"] < values["high"]:
        raise AssumptionsError(
            source,
            field,
            _(
                "low < default < high is needed, got {low}, {default}, {high}",
                low=values["low"],
                default=values["default"],
                high=values["high"],
            ),
        )
    if not math.isclose(values["default"], float(own), rel_tol=1e-12, abs_tol=1e-12):
        raise AssumptionsError(
            source,
            f"{field}.default",
            _(
                "{default} is not the scenario's value at {path}, {own}; allowed: {own}",
                default=values["default"],
                path=path,
                own=own,
            ),
        )
    for level in ("low", "high"):
        try:
            scenario.with_overrides({path: values[level]}, path=f"{field}.{level}")
        except ScenarioError as exc:
            raise AssumptionsError(source, f"{field}.{level}", exc.problem) from None
    return Assumption(name=name, path=path, **values)


_LESSON_FIELDS = (
    "scenario",
    "kpi",
    "policy",
    "against",
    "direction",
    "replications",
    "days",
    "seed",
    "assumptions",
)


def _lesson(source: str, lesson: str, entry: Any) -> LessonAssumptions:
    field = f"lessons.{lesson}"
    if not isinstance(entry, Mapping):
        raise AssumptionsError(
            source, field, _("must be a mapping of {fields}", fields=listing(_LESSON_FIELDS))
        )
    missing = [k for k in _LESSON_FIELDS if k not in entry]
    extra = [str(k) for k in entry if k not in _LESSON_FIELDS]
    if missing or extra:
        raise AssumptionsError(
            source,
            field,
            _(
                "needs exactly {fields}; missing: {missing}; unknown: {extra}",
                fields=listing(_LESSON_FIELDS),
                missing=listing(missing) or "-",
                extra=listing(extra) or "-",
            ),
        )
    name = entry["scenario"]
    if name not in list_scenarios():
        raise AssumptionsError(
            source,
            f"{field}.scenario",
            _(
                "{name!r} is not a bundled scenario; allowed: {allowed}",
                name=shown(name),
                allowed=listing(list_scenarios()),
            ),
        )
    scenario = load_scenario(name)
    kpi = entry["kpi"]
    if kpi not in KPIS:
        raise AssumptionsError(
            source,
            f"{field}.kpi",
            _(
                "{kpi!r} is not a KPI; allowed: {allowed}",
                kpi=shown(kpi),
                allowed=listing(sorted(KPIS)),
            ),
        )
    direction = entry["direction"]
    if direction not in ("higher", "lower"):
        raise AssumptionsError(
            source,
            f"{field}.direction",
            _("must be higher or lower, got {value!r}", value=shown(direction)),
        )
    days = entry["days"]
    if not _is_number(days) or not 0 < days <= 365:
        raise AssumptionsError(
            source,
            f"{field}.days",
            _("must be a number of days above 0, at most 365, got {value!r}", value=shown(days)),
        )
    items = entry["assumptions"]
    if not isinstance(items, list) or not 1 <= len(items) <= 3:
        raise AssumptionsError(
            source, f"{field}.assumptions", _("must be a list of one to three assumptions")
        )
    names = set(TEXTS[lesson]["assumptions"])
    assumptions = tuple(
        _assumption(source, f"{field}.assumptions[{i}]", item, scenario, names)
        for i, item in enumerate(items)
    )
    if len({a.name for a in assumptions}) != len(assumptions):
        raise AssumptionsError(source, f"{field}.assumptions", _("each name may appear once"))
    return LessonAssumptions(
        lesson=lesson,
        scenario=name,
        kpi=kpi,
        policy=_setting(source, f"{field}.policy", entry["policy"], scenario),
        against=_setting(source, f"{field}.against", entry["against"], scenario),
        direction=direction,
        replications=_whole(source, f"{field}.replications", entry["replications"], 2),
        days=float(days),
        seed=_whole(source, f"{field}.seed", entry["seed"], 0),
        assumptions=assumptions,
    )


def load_assumptions(path: str | os.PathLike[str] | None = None) -> dict[str, LessonAssumptions]:
    """The lessons of ``data/assumptions.yaml`` (or of ``path``), checked: every problem
    is one :class:`AssumptionsError` naming the file, the field and what is allowed."""
    file = Path(path) if path is not None else assumptions_path()
    if path is None:
        return dict(_bundled())
    return _load(file)


@cache
def _bundled() -> dict[str, LessonAssumptions]:
    return _load(assumptions_path())


def _load(file: Path) -> dict[str, LessonAssumptions]:
    source = str(file)
    data = _read(file)
    if (
        not isinstance(data, Mapping)
        or set(data) != {"lessons"}
        or not isinstance(data["lessons"], Mapping)
    ):
        raise AssumptionsError(
            source, "", _("must be a mapping with one key, lessons: a mapping of lesson ids")
        )
    lessons = {}
    for lesson, entry in data["lessons"].items():
        if lesson not in TEXTS:
            raise AssumptionsError(
                source,
                f"lessons.{shown(lesson)}",
                _(
                    "not a lesson with texts in cxsim/assumptions.py; allowed: {allowed} "
                    '(quoted: "01")',
                    allowed=listing(sorted(TEXTS)),
                ),
            )
        lessons[lesson] = _lesson(source, lesson, entry)
    return lessons


def lesson_ids() -> list[str]:
    """The lessons with an assumptions panel, in order."""
    return sorted(load_assumptions())


def _spec(lesson: str) -> LessonAssumptions:
    lessons = load_assumptions()
    if lesson not in lessons:
        raise ValueError(
            _(
                "no assumptions panel for lesson {lesson!r}; allowed: {allowed}",
                lesson=shown(lesson),
                allowed=listing(sorted(lessons)),
            )
        )
    return lessons[lesson]


# --------------------------------------------------------------------------- the runs
def _pair(
    spec: LessonAssumptions,
    overrides: Mapping[str, float],
    replications: int,
    days: float,
    seed: int,
):
    """Both settings' KPI in every replication, with ``overrides`` applied to both."""
    base = load_scenario(spec.scenario)
    if overrides:
        base = base.with_overrides(dict(overrides), path="assumption")
    comparison = compare(
        base,
        {"against": spec.against, "policy": spec.policy},
        replications,
        seed=seed,
        days=days,
        executor=SerialExecutor(),
        progress=False,
    )
    runs = comparison.runs.sort_values(["policy", "replication"])
    return {
        label: [float(v) for v in runs[runs["policy"] == label][spec.kpi].to_numpy(dtype=float)]
        for label in ("policy", "against")
    }


def _setting_key(name: str | None, value: float | None) -> str:
    return "default" if name is None else f"{name}={value!r}"


def _compute(spec: LessonAssumptions, replications: int, days: float, seed: int) -> dict[str, Any]:
    settings = {"default": _pair(spec, {}, replications, days, seed)}
    for assumption in spec.assumptions:
        for level in ("low", "high"):
            value = assumption.value(level)
            overrides = {assumption.path: value}
            settings[_setting_key(assumption.name, value)] = _pair(
                spec, overrides, replications, days, seed
            )
    return {"settings": settings}


def _table(spec: LessonAssumptions, replications: int, days: float, seed: int) -> dict[str, Any]:
    key = {**spec.key(), "replications": replications, "days": days, "seed": seed}
    return precomputed(
        f"assumptions_{spec.lesson}", key, lambda: _compute(spec, replications, days, seed)
    )


def outcome(difference: float, ci_low: float, ci_high: float, sign: int) -> str:
    """The outcome of a row (see the module): survives, held, lost or reversed.

    >>> outcome(0.1, 0.05, 0.15, +1), outcome(0.1, -0.02, 0.22, +1)
    ('survives', 'held')
    >>> outcome(-0.03, -0.05, -0.01, +1), outcome(-0.03, -0.05, -0.01, -1)
    ('reversed', 'survives')
    """
    significant = ci_low > 0 or ci_high < 0
    same = sign * difference > 0
    if same:
        return "survives" if significant else "held"
    return "reversed" if significant else "lost"


@dataclass(frozen=True)
class RobustnessRow:
    """The comparison at one value of one assumption (the others at their defaults)."""

    assumption: str
    level: str
    value: float
    policy_mean: float
    against_mean: float
    difference: float
    ci_low: float
    ci_high: float
    n: int
    outcome: str

    @property
    def survives(self) -> bool:
        """The conclusion holds here: the same sign, the interval clear of 0."""
        return self.outcome == "survives"


def _row(
    spec: LessonAssumptions, name: str, level: str, value: float, pair: Mapping[str, list]
) -> RobustnessRow:
    policy = np.asarray(pair["policy"], dtype=float)
    against = np.asarray(pair["against"], dtype=float)
    ci = confidence_interval(policy - against)
    return RobustnessRow(
        assumption=name,
        level=level,
        value=float(value),
        policy_mean=float(np.nanmean(policy)),
        against_mean=float(np.nanmean(against)),
        difference=float(ci["mean"]),
        ci_low=float(ci["ci_low"]),
        ci_high=float(ci["ci_high"]),
        n=int(ci["n"]),
        outcome=outcome(ci["mean"], ci["ci_low"], ci["ci_high"], spec.sign),
    )


@dataclass(frozen=True)
class Robustness:
    """A lesson's comparison re-run at each assumption's low, default and high value."""

    spec: LessonAssumptions
    rows: tuple[RobustnessRow, ...]
    replications: int
    days: float
    seed: int

    @property
    def lesson(self) -> str:
        """The lesson's id ("03")."""
        return self.spec.lesson

    @property
    def conclusion(self) -> str:
        """The conclusion tested, in the reader's language."""
        return _(TEXTS[self.lesson]["conclusion"])

    def row(self, assumption: str, level: str) -> RobustnessRow:
        """The row of ``assumption`` at ``level`` ("low", "default", "high")."""
        for found in self.rows:
            if found.assumption == assumption and found.level == level:
                return found
        raise KeyError((assumption, level))

    @property
    def default(self) -> RobustnessRow:
        """The comparison with every assumption at its default (the lesson's own)."""
        return (
            self.rows[0]
            if self.rows[0].level == "default"
            else self.row(self.rows[0].assumption, "default")
        )

    def fragile(self) -> list[RobustnessRow]:
        """The rows where the conclusion does not survive."""
        return [row for row in self.rows if not row.survives]

    def table(self) -> pd.DataFrame:
        """One row per assumption and value, in the reader's language."""
        texts = TEXTS[self.lesson]["assumptions"]
        kind = KPIS[self.spec.kpi].kind
        records = []
        for row in self.rows:
            records.append(
                {
                    _("assumption"): _(texts[row.assumption][0]),
                    _("level"): _(LEVEL_LABELS[row.level]),
                    _("value"): row.value,
                    _("difference"): row.difference,
                    _("interval low"): row.ci_low,
                    _("interval high"): row.ci_high,
                    _("conclusion"): _(OUTCOME_LABELS[row.outcome]),
                }
            )
        table = pd.DataFrame(records)
        table.attrs["column_kinds"] = {
            _("value"): "number",
            _("difference"): kind,
            _("interval low"): kind,
            _("interval high"): kind,
        }
        return table


def robustness(
    lesson: str,
    replications: int | None = None,
    days: float | None = None,
    seed: int | None = None,
) -> Robustness:
    """Lesson ``lesson``'s comparison at each assumption's low, default and high value.

    ``replications``, ``days`` and ``seed`` default to ``data/assumptions.yaml``'s, whose
    table is shipped precomputed; other values compute (and cache) their own.  Rows: for
    each assumption its low, default and high value (the default rows of every assumption
    are the same runs: the lesson's own comparison)."""
    spec = _spec(lesson)
    replications = spec.replications if replications is None else int(replications)
    days = spec.days if days is None else float(days)
    seed = spec.seed if seed is None else int(seed)
    if replications < 2:
        raise ValueError(_("replications must be 2 or more, got {n}", n=replications))
    settings = _table(spec, replications, days, seed)["settings"]
    rows = []
    for assumption in spec.assumptions:
        for level in LEVELS:
            value = assumption.value(level)
            key = "default" if level == "default" else _setting_key(assumption.name, value)
            rows.append(_row(spec, assumption.name, level, value, settings[key]))
    return Robustness(spec=spec, rows=tuple(rows), replications=replications, days=days, seed=seed)


def rerun(lesson: str, assumption: str, value: float) -> RobustnessRow:
    """The lesson's comparison with ``assumption`` at ``value`` (any value the scenario
    accepts; the others at their defaults): from the shipped table when ``value`` is the
    low, default or high one, else run now (a few seconds) and cached."""
    spec = _spec(lesson)
    found = spec.assumption(assumption)
    if not _is_number(value):
        raise ValueError(_("value must be a number, got {value!r}", value=shown(value)))
    value = float(value)
    for level in LEVELS:
        if math.isclose(value, found.value(level), rel_tol=1e-12, abs_tol=1e-12):
            return robustness(lesson).row(assumption, level)
    key = {**spec.key(), "assumption": found.path, "value": value}
    overrides = {found.path: value}
    pair = precomputed(
        f"assumption_{lesson}_{assumption}_{value:g}",
        key,
        lambda: _pair(spec, overrides, spec.replications, spec.days, spec.seed),
    )
    level = "low" if value < found.default else "high"
    return _row(spec, assumption, level, value, pair)


def _register() -> None:
    for lesson in TEXTS:

        def key(lesson: str = lesson) -> dict[str, Any]:
            return _spec(lesson).key()

        def compute(lesson: str = lesson) -> dict[str, Any]:
            spec = _spec(lesson)
            return _compute(spec, spec.replications, spec.days, spec.seed)

        register_table(f"assumptions_{lesson}", key, compute)


_register()
