"""Is a scenario plausible?  Checks a sceptical trainer can read, against published ranges.

Each check is a small function over one run (a :class:`~cxsim.results.Result`) that
gives one number: the share of calls that came in a closed hour, the yearly churn, the
worst open hour's service level...  ``data/plausibility.yaml`` gives, per bundled
scenario, each check's target range and where the range comes from (a published figure
or the word *assumption*).  :func:`evaluate` runs a scenario over several seeds and
measures every check; ``scripts/plausibility_card.py`` writes the results into
``docs/model.md`` (the plausibility card) and ``tests/test_plausibility.py`` holds
every bundled scenario inside its ranges.

A check passes when the value of *every* seed lies in its range: a trainer runs one
seed, and each must look plausible.  A check of a feature switched off in the scenario
(redials with probability 0) is *off*: it passes when it measures exactly 0.

>>> sorted(CHECKS)[:3]
['bad_from_hang_ups', 'calls_follow_profile', 'churn_per_year']
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .catalog import data_dir, list_scenarios, load_scenario
from .clock import HOURS_PER_DAY, MINUTES_PER_DAY, MINUTES_PER_HOUR
from .metrics import inbound, remembered_csat, served_journeys
from .results import Result
from .scenario import Scenario, ScenarioError

__all__ = [
    "CHECKS",
    "Check",
    "Target",
    "Measured",
    "PlausibilityError",
    "targets_path",
    "load_targets",
    "applicable_checks",
    "measure",
    "evaluate",
    "format_value",
    "format_range",
    "card_markdown",
]

# A pooled hour of day with fewer visits than this is left out of the worst-hour
# service level: one unlucky call at 03:00 is not a pattern.
MIN_VISITS_PER_HOUR = 10


class PlausibilityError(ScenarioError):
    """A targets file that cannot be used: names the file, the field and what is allowed."""


# --------------------------------------------------------------------------- the checks
def _measured_journeys(result: Result) -> pd.DataFrame:
    """Journeys that started in the measured window (after the warm-up)."""
    start, end = result.window
    journeys = result.journeys
    return journeys[(journeys["start_min"] >= start) & (journeys["start_min"] < end)]


def _ended_journeys(result: Result) -> pd.DataFrame:
    """Journeys that ended in the window with a memory (what a survey would ask about)."""
    journeys = result.journeys
    return journeys[(journeys["end_min"] >= result.window[0]) & journeys["memory_score"].notna()]


def _staffed_names(scenario: Scenario, touchpoint: str | None = None) -> list[str]:
    if touchpoint is not None:
        return [touchpoint]
    return [t.name for t in scenario.touchpoints if t.kind == "staffed"]


def _measured_visits(result: Result, touchpoints: Sequence[str]) -> pd.DataFrame:
    """The customers' own visits (not the firm's callbacks) to ``touchpoints`` in the window."""
    visits = inbound(result.interactions)
    start, end = result.window
    return visits[
        visits["touchpoint"].isin(list(touchpoints))
        & (visits["arrival_min"] >= start)
        & (visits["arrival_min"] < end)
    ]


def _hourly_shares(profile: Sequence[float] | None) -> np.ndarray:
    weights = np.ones(HOURS_PER_DAY) if profile is None else np.asarray(profile, dtype=float)
    return weights / weights.sum()


def expected_hourly_shares(scenario: Scenario, segment_counts: Mapping[str, int]) -> np.ndarray:
    """The share of journeys the profiles put in each hour of the day (24 values).

    Each segment follows its own ``hourly_profile`` if it has one, else the arrivals'
    (a weekly profile scales whole days, so it leaves the hour-of-day shares alone);
    the segments are mixed in the proportions observed (``segment_counts``).
    """
    total = sum(segment_counts.values())
    mixed = np.zeros(HOURS_PER_DAY)
    for segment in scenario.segments:
        weight = segment_counts.get(segment.name, 0) / total if total else segment.share
        profile = segment.hourly_profile or scenario.arrivals.hourly_profile
        mixed += weight * _hourly_shares(profile)
    return mixed / mixed.sum()


def calls_follow_profile(result: Result, touchpoint: str | None = None) -> float:
    """Largest gap, in percentage points, between the share of contacts in an hour of day
    and the share the scenario's hourly profile puts there.

    Without ``touchpoint``: journeys started after the warm-up (every journey is a
    customer's contact with the firm).  With one: every visit to that touchpoint
    (repeat calls and redials included: what the line's staff see), against the
    profile over the hours it is open (a customer who finds it closed comes back when
    it opens, at an hour drawn from the same profile).
    """
    if touchpoint is None:
        contacts = _measured_journeys(result)
        times = contacts["start_min"].to_numpy()
    else:
        contacts = _measured_visits(result, [touchpoint])
        times = contacts["arrival_min"].to_numpy()
    if len(times) == 0:
        return math.nan
    hours = (times // MINUTES_PER_HOUR).astype(int) % HOURS_PER_DAY
    observed = np.bincount(hours, minlength=HOURS_PER_DAY) / len(times)
    counts = contacts["segment"].value_counts()
    expected = expected_hourly_shares(result.scenario, {str(k): int(v) for k, v in counts.items()})
    if touchpoint is not None:
        touchpoint_spec = result.scenario.touchpoint(touchpoint)
        if touchpoint_spec.kind == "staffed":
            open_hours = np.asarray(touchpoint_spec.open_hours[:HOURS_PER_DAY], dtype=bool)
            expected = np.where(open_hours, expected, 0.0)
            expected = expected / expected.sum()
    return float(100 * np.abs(observed - expected).max())


def closed_hour_visits(result: Result, touchpoint: str | None = None) -> float:
    """Share of visits to staffed touchpoints that arrived in an hour the touchpoint was
    closed (no staff on its rota): nobody should be queueing at a closed door."""
    names = _staffed_names(result.scenario, touchpoint)
    visits = _measured_visits(result, names)
    if len(visits) == 0:
        return math.nan
    hour = (visits["arrival_min"].to_numpy() // MINUTES_PER_HOUR).astype(int)
    closed = np.zeros(len(visits), dtype=bool)
    where = visits["touchpoint"].to_numpy()
    for name in names:
        rota = np.asarray(result.scenario.touchpoint(name).hourly_staff)
        mine = where == name
        closed[mine] = rota[hour[mine] % len(rota)] == 0
    return float(closed.mean())


def daily_volume_trend(result: Result, touchpoint: str | None = None) -> float:
    """Trend of the journeys started per day after the warm-up, in % of the mean a week
    (least-squares slope over whole days): a going concern's volume is level."""
    start, end = result.window
    first, last = int(math.ceil(start / MINUTES_PER_DAY)), int(end // MINUTES_PER_DAY)
    if last - first < 2:
        return math.nan
    days = (_measured_journeys(result)["start_min"].to_numpy() // MINUTES_PER_DAY).astype(int)
    counts = np.bincount(days[(days >= first) & (days < last)] - first, minlength=last - first)
    if counts.mean() == 0:
        return math.nan
    slope = np.polyfit(np.arange(last - first), counts, 1)[0]
    return float(100 * 7 * slope / counts.mean())


def churn_per_year(result: Result, touchpoint: str | None = None) -> float:
    """Yearly churn (the KPI ``churn_per_year``: leavers over customer-years in the window)."""
    return float(result.kpis().get("churn_per_year", math.nan))


def csat_served(result: Result, touchpoint: str | None = None) -> float:
    """CSAT of served customers: share of journeys with a served contact at a staffed
    touchpoint that are remembered at 7 or more (journeys that ended in the window)."""
    served = served_journeys(result.interactions, _staffed_names(result.scenario, touchpoint))
    ended = _ended_journeys(result)
    return remembered_csat(ended[ended["journey_id"].isin(served)])


def nps(result: Result, touchpoint: str | None = None) -> float:
    """Net Promoter Score of the journeys that ended in the window (the KPI ``nps``)."""
    return float(result.kpis().get("nps", math.nan))


def cost_to_revenue(result: Result, touchpoint: str | None = None) -> float:
    """The firm's service cost (staff, training, follow-up) over its revenue in the window
    (purchase margins plus relationship margin): what share of what customers bring
    the service spends.  Above 1, the firm serves its customers at a loss."""
    kpis = result.kpis()
    revenue = kpis.get("revenue", math.nan)
    if not revenue or revenue != revenue:
        return math.nan
    return float(kpis["cost"] / revenue)


def worst_hour_service_level(result: Result, touchpoint: str | None = None) -> float:
    """The lowest service level of any open hour of the day (visits pooled over the days of
    the window, at least ``MIN_VISITS_PER_HOUR`` of them): the share answered within the
    touchpoint's target wait, hang-ups counted as not answered."""
    worst = math.inf
    for name in _staffed_names(result.scenario, touchpoint):
        place = result.scenario.touchpoint(name)
        visits = _measured_visits(result, [name])
        if len(visits) == 0:
            continue
        period = len(place.hourly_staff)
        hour = (visits["arrival_min"].to_numpy() // MINUTES_PER_HOUR).astype(int) % period
        answered = visits["outcome"].isin(["served", "in_service"]).to_numpy()
        good = answered & (visits["wait_min"].to_numpy() <= place.target_wait_min)
        count = np.bincount(hour, minlength=period)
        hits = np.bincount(hour, weights=good, minlength=period)
        open_hours = np.asarray(place.open_hours, dtype=bool)
        usable = open_hours & (count >= MIN_VISITS_PER_HOUR)
        if usable.any():
            worst = min(worst, float((hits[usable] / count[usable]).min()))
    return worst if worst < math.inf else math.nan


def bad_from_hang_ups(result: Result, touchpoint: str | None = None) -> float:
    """Share of the bad journeys (remembered below ``behaviour.bad_memory_below``) that
    ended in a hang-up (journey status ``abandoned``)."""
    ended = _ended_journeys(result)
    bad = ended[ended["bad"]]
    if len(bad) == 0:
        return math.nan
    return float((bad["status"] == "abandoned").mean())


def redial_share(result: Result, touchpoint: str | None = None) -> float:
    """Redials per hang-up: calls made again after hanging up, over hang-ups at staffed
    touchpoints in the window (0 when the scenario's redial probability is 0)."""
    visits = _measured_visits(result, _staffed_names(result.scenario))
    hang_ups = int(visits["abandoned"].sum())
    if hang_ups == 0:
        return 0.0
    return int(_measured_journeys(result)["redials"].sum()) / hang_ups


# --------------------------------------------------------------------------- the table
def _behaviour(scenario: Scenario) -> bool:
    return scenario.behaviour is not None


def _has_staffed(scenario: Scenario) -> bool:
    return any(t.kind == "staffed" for t in scenario.touchpoints)


def _can_hang_up(scenario: Scenario) -> bool:
    return _behaviour(scenario) and any(
        segment.patience_min is not None for segment in scenario.segments
    )


def _has_closed_hour(scenario: Scenario) -> bool:
    return any(t.kind == "staffed" and not all(t.open_hours) for t in scenario.touchpoints)


def _keeps_customers(scenario: Scenario) -> bool:
    return _behaviour(scenario) and scenario.customer_base in ("established", "opening")


def _has_books(scenario: Scenario) -> bool:
    return scenario.economics is not None and _keeps_customers(scenario)


def _redials_off(scenario: Scenario) -> bool:
    return scenario.behaviour is not None and scenario.behaviour.redial.probability == 0


@dataclass(frozen=True)
class Check:
    """One plausibility check: what a trainer reads, how it is measured, where it applies."""

    name: str
    label: str
    unit: str  # share | pp | points | pct_per_week
    measure: Callable[..., float]
    applies: Callable[[Scenario], bool]
    takes_touchpoint: bool = False
    off: Callable[[Scenario], bool] = lambda scenario: False
    off_note: str = ""


CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        Check(
            "calls_follow_profile",
            "contacts by hour follow the profile: largest gap",
            "pp",
            calls_follow_profile,
            lambda s: True,
            takes_touchpoint=True,
        ),
        Check(
            "closed_hour_visits",
            "visits in a closed hour",
            "share",
            closed_hour_visits,
            _has_closed_hour,
            takes_touchpoint=True,
        ),
        Check(
            "daily_volume_trend",
            "daily volume flat (trend)",
            "pct_per_week",
            daily_volume_trend,
            lambda s: True,
        ),
        Check("churn_per_year", "yearly churn", "share", churn_per_year, _keeps_customers),
        Check(
            "csat_served",
            "CSAT of served customers (remembered 7+)",
            "share",
            csat_served,
            lambda s: _behaviour(s) and _has_staffed(s),
            takes_touchpoint=True,
        ),
        Check("nps", "NPS", "points", nps, _behaviour),
        Check(
            "cost_to_revenue",
            "margin: service cost / revenue",
            "share",
            cost_to_revenue,
            _has_books,
        ),
        Check(
            "worst_hour_service_level",
            "service level in the worst open hour",
            "share",
            worst_hour_service_level,
            _has_staffed,
            takes_touchpoint=True,
        ),
        Check(
            "bad_from_hang_ups",
            "bad journeys that were hang-ups",
            "share",
            bad_from_hang_ups,
            _can_hang_up,
        ),
        Check(
            "redial_share",
            "redials per hang-up",
            "share",
            redial_share,
            _can_hang_up,
            off=_redials_off,
            off_note="redials off (behaviour.redial.probability 0)",
        ),
    )
}


def applicable_checks(scenario: Scenario) -> list[str]:
    """Names of the checks that mean something for ``scenario`` (no churn for one-off
    passengers, no satisfaction without behaviour, no closed hours for a line never closed)."""
    return [name for name, check in CHECKS.items() if check.applies(scenario)]


@dataclass(frozen=True)
class Target:
    """A check's target range for one scenario (``None``: open on that side) and its source."""

    scenario: str
    check: str
    low: float | None
    high: float | None
    source: str
    touchpoint: str | None = None

    @property
    def key(self) -> str:
        """What the card and the tests call this row: ``check`` or ``check[touchpoint]``."""
        return f"{self.check}[{self.touchpoint}]" if self.touchpoint else self.check

    def contains(self, value: float) -> bool:
        if value != value:  # NaN: nothing measured is not plausible
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


# --------------------------------------------------------------------------- the file
_FIELDS = ("check", "low", "high", "source", "touchpoint")


def targets_path() -> Path:
    """``data/plausibility.yaml``."""
    return data_dir() / "plausibility.yaml"


def load_targets(path: str | os.PathLike[str] | None = None) -> dict[str, list[Target]]:
    """The targets per scenario, checked: one :class:`PlausibilityError` naming the file,
    the field and what is allowed for the first problem found."""
    path = Path(path) if path is not None else targets_path()
    source = str(path)
    if not path.is_file():
        raise PlausibilityError(source, "", "file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PlausibilityError(source, "", f"not valid YAML{where}: {problem}") from None
    if not isinstance(data, Mapping) or not data:
        raise PlausibilityError(source, "", "expected a mapping: scenario name -> list of targets")
    bundled = list_scenarios()
    targets = {}
    for name, rows in data.items():
        if name not in bundled:
            raise PlausibilityError(
                source, str(name), f"unknown scenario {name!r}; bundled: {', '.join(bundled)}"
            )
        if not isinstance(rows, list) or not rows:
            raise PlausibilityError(
                source, str(name), "must be a non-empty list of targets (check, low, high, source)"
            )
        scenario = load_scenario(name)
        targets[name] = [
            _target(scenario, name, index, row, source) for index, row in enumerate(rows)
        ]
        keys = [target.key for target in targets[name]]
        for index, key in enumerate(keys):
            if key in keys[:index]:
                raise PlausibilityError(source, f"{name}[{index}]", f"duplicate target {key!r}")
    return targets


def _number(value: Any, where: str, source: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PlausibilityError(source, where, f"must be a number or null (open), got {value!r}")
    return float(value)


def _target(scenario: Scenario, name: str, index: int, row: Any, source: str) -> Target:
    where = f"{name}[{index}]"
    if not isinstance(row, Mapping):
        raise PlausibilityError(
            source, where, "must be a mapping with fields " + ", ".join(_FIELDS)
        )
    for key in row:
        if key not in _FIELDS:
            raise PlausibilityError(
                source, f"{where}.{key}", f"unknown field; allowed: {', '.join(_FIELDS)}"
            )
    check = row.get("check")
    applicable = applicable_checks(scenario)
    if check not in CHECKS:
        raise PlausibilityError(
            source, f"{where}.check", f"unknown check {check!r}; allowed: {', '.join(CHECKS)}"
        )
    if check not in applicable:
        raise PlausibilityError(
            source,
            f"{where}.check",
            f"{check!r} does not apply to {name}; allowed here: {', '.join(applicable)}",
        )
    low = _number(row.get("low"), f"{where}.low", source)
    high = _number(row.get("high"), f"{where}.high", source)
    if low is None and high is None:
        raise PlausibilityError(source, where, "needs low, high or both")
    if low is not None and high is not None and low > high:
        raise PlausibilityError(
            source, f"{where}.high", f"must be at least low ({low:g}), got {high:g}"
        )
    text = row.get("source")
    if not isinstance(text, str) or not text.strip():
        raise PlausibilityError(
            source,
            f"{where}.source",
            "needs the source of the range: a published figure or 'assumption: why'",
        )
    touchpoint = row.get("touchpoint")
    if touchpoint is not None:
        staffed = [t.name for t in scenario.touchpoints if t.kind == "staffed"]
        if not CHECKS[check].takes_touchpoint:
            raise PlausibilityError(
                source, f"{where}.touchpoint", f"{check!r} does not take a touchpoint"
            )
        if touchpoint not in staffed:
            raise PlausibilityError(
                source,
                f"{where}.touchpoint",
                f"unknown staffed touchpoint {touchpoint!r}; allowed: {', '.join(staffed)}",
            )
    return Target(name, check, low, high, " ".join(text.split()), touchpoint)


# --------------------------------------------------------------------------- measuring
def measure(result: Result, target: Target) -> float:
    """The value of ``target``'s check on one run."""
    return CHECKS[target.check].measure(result, target.touchpoint)


@dataclass(frozen=True)
class Measured:
    """A target and what its check measured on each seed."""

    target: Target
    values: tuple[float, ...]
    off: bool = False

    @property
    def mean(self) -> float:
        return float(np.mean(self.values)) if self.values else math.nan

    @property
    def passed(self) -> bool:
        if self.off:
            return all(value == 0 for value in self.values)
        return bool(self.values) and all(self.target.contains(value) for value in self.values)


@dataclass
class Card:
    """Every scenario's measured targets, and how they were run."""

    seeds: tuple[int, ...]
    rows: dict[str, list[Measured]] = field(default_factory=dict)


def evaluate(
    targets: Mapping[str, Sequence[Target]],
    seeds: Iterable[int],
    days: Mapping[str, float] | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> Card:
    """Run each scenario with each seed (baseline policy, its own horizon unless ``days``
    names another) and measure its targets."""
    from .simulation import simulate

    seeds = tuple(seeds)
    card = Card(seeds)
    runs = [(name, seed) for name in targets for seed in seeds]
    values: dict[str, list[list[float]]] = {name: [[] for _ in targets[name]] for name in targets}
    for name, seed in progress(runs) if progress else runs:
        result = simulate(name, seed=seed, days=(days or {}).get(name))
        for index, target in enumerate(targets[name]):
            values[name][index].append(measure(result, target))
    for name, rows in targets.items():
        scenario = load_scenario(name)
        card.rows[name] = [
            Measured(target, tuple(values[name][index]), CHECKS[target.check].off(scenario))
            for index, target in enumerate(rows)
        ]
    return card


# --------------------------------------------------------------------------- the card
def format_value(unit: str, value: float | None) -> str:
    """A number as the card shows it.

    >>> format_value("share", 0.0912), format_value("points", -0.74)
    ('9.1%', '-0.7')
    >>> format_value("pp", 0.83), format_value("pct_per_week", 1.26)
    ('0.8 pp', '+1.3% a week')
    >>> format_value("pct_per_week", -0.01)
    '+0.0% a week'
    """
    if value is None or value != value:
        return "-"
    value = round(value, 1 if unit != "share" else 3) + 0.0  # never "-0.0"
    if unit == "share":
        return f"{100 * value:.1f}%"
    if unit == "pp":
        return f"{value:.1f} pp"
    if unit == "pct_per_week":
        return f"{value:+.1f}% a week"
    return f"{value:+.1f}"


def format_range(unit: str, low: float | None, high: float | None) -> str:
    """A target range as the card shows it.

    >>> format_range("share", 0.07, 0.2), format_range("pp", None, 1.5)
    ('7.0% to 20.0%', 'at most 1.5 pp')
    """
    if low is None:
        return f"at most {format_value(unit, high)}"
    if high is None:
        return f"at least {format_value(unit, low)}"
    if low == high:
        return format_value(unit, low)
    return f"{format_value(unit, low)} to {format_value(unit, high)}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def card_markdown(card: Card, command: str) -> str:
    """The plausibility card: one table per scenario (check, target, source, measured mean
    with min-max over seeds, pass or fail)."""
    seeds = card.seeds
    seed_text = (
        f"seeds {seeds[0]}-{seeds[-1]}"
        if seeds == tuple(range(seeds[0], seeds[-1] + 1)) and len(seeds) > 1
        else "seeds " + ", ".join(map(str, seeds))
    )
    lines = [
        "<!-- Generated by `" + command + "` from data/plausibility.yaml; do not edit by hand. -->",
        "",
        f"Each bundled scenario run with {seed_text} (its baseline, its own horizon), "
        "every check measured on each run. A check passes (✓) when every seed lies in "
        "the target range; *off* means the feature is switched off in the scenario and "
        "the check measures 0. Targets and sources live in `data/plausibility.yaml`, the "
        "checks in `cxsim/plausibility.py`; `tests/test_plausibility.py` holds every "
        f"bundled scenario inside its ranges. Regenerate with `{command}`.",
        "",
    ]
    failed = []
    for name, rows in card.rows.items():
        lines += [
            f"### {name}",
            "",
            "| check | target | source | measured: mean (min to max) | |",
            "|---|---|---|---|---|",
        ]
        for row in rows:
            check = CHECKS[row.target.check]
            label = check.label + (f" ({row.target.touchpoint})" if row.target.touchpoint else "")
            if row.off:
                target = f"off: {format_value(check.unit, 0.0)}"
                source = check.off_note + "; when on: " + row.target.source
                target += "; when on: " + format_range(check.unit, row.target.low, row.target.high)
            else:
                target = format_range(check.unit, row.target.low, row.target.high)
                source = row.target.source
            values = row.values
            measured = (
                f"{format_value(check.unit, row.mean)} "
                f"({format_value(check.unit, min(values))} to "
                f"{format_value(check.unit, max(values))})"
            )
            mark = ("✓ off" if row.off else "✓") if row.passed else "✗"
            if not row.passed:
                failed.append(f"{name}: {label}")
            lines.append(
                f"| {_cell(label)} | {_cell(target)} | {_cell(source)} | {measured} | {mark} |"
            )
        lines.append("")
    if failed:
        lines += [
            "**Out of range:** " + "; ".join(failed) + ". The model's owner decides "
            "whether the model or the range is wrong; the tests mark these as expected "
            "failures until it is fixed.",
            "",
        ]
    else:
        lines += ["Every check of every bundled scenario is in range.", ""]
    return "\n".join(lines)
