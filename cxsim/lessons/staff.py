"""Lesson 07 · Happy staff, happy customers (claim Q10).

The service-profit chain (Heskett et al. 1994) says that staff who are content
treat customers better.  In cxsim each in-house team has a *morale* that drifts,
day by day, towards a target set by the day's load and by training (Oliva &
Sterman 2001: sustained overload erodes quality); morale moves the courtesy
agents show, and courtesy moves every caller's score.

This module gives the notebook its tables, plot, dashboard and checkers:

- :func:`morale_table`: the pure formulas :func:`cxsim.behaviour.morale_target`
  and :func:`cxsim.behaviour.update_morale` on a few loads;
- :func:`run_policies`: the contact centre under higher demand, one run per policy;
- :func:`daily_table`, :func:`kpi_comparison`: what the runs show, rounded;
- :func:`plot_morale`: load, morale and courtesy by day, one colour per policy;
- :func:`dashboard`: demand, extra agents and training -> morale and KPIs;
- :func:`check_overload_load` (the formula) and :func:`check_agents_for_morale`
  (judged on 10 runs per number of agents, :mod:`cxsim.lessons.thresholds`): checkers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from .. import behaviour
from ..catalog import load_scenario
from ..formatting import format_value
from ..i18n import N_, _, localise_digits
from ..plots import NotebookFigure, policy_colour, policy_label
from ..results import Result
from ..rota import shift_rota
from ..scenario import Scenario
from ..simulation import simulate
from ..widgets import Control, Dashboard, kpi_frame
from . import Verdict, check_answer, in_millions
from .thresholds import Threshold, ThresholdVerdict, register_threshold

__all__ = [
    "morale_effect_table",
    "DASHBOARD_DAYS",
    "DEMAND",
    "EXERCISE_DEMAND",
    "KPIS",
    "MORALE_THRESHOLD",
    "agents_for_morale",
    "check_agents_for_morale",
    "check_overload_load",
    "daily_table",
    "dashboard",
    "kpi_comparison",
    "lowest_morale",
    "morale_table",
    "plot_morale",
    "run_policies",
    "scenario_at",
]

#: Calls per hour in this lesson: more than the contact centre's usual 15.
DEMAND = 40
#: Days a dashboard run covers: long enough for morale to move, short enough
#: (about 0.3 s) for a slider.
DASHBOARD_DAYS = 10
#: Calls per hour in the extra-agents exercise: the dashboard's top demand, where the
#: rota without extra agents lets morale fall to about 0.67 (at 40 only to 0.74).
EXERCISE_DEMAND = 50
#: Morale the extra-agents exercise asks to keep every day: where the team started (at
#: 50 calls an hour one extra agent at every hour keeps it there).
EXERCISE_MORALE = 0.75
#: The KPIs the lesson prints.
KPIS = (
    "utilisation",
    "mean_wait_min",
    "abandonment_rate",
    "csat",
    "nps",
    "retention_rate",
    "staff_cost",
    "profit",
)
_SCENARIO = "contact_centre"
_TOUCHPOINT = "phone"


def _morale_parameters(scenario: Scenario | None = None) -> Any:
    loaded = scenario if scenario is not None else load_scenario(_SCENARIO)
    return loaded.behaviour.morale


# --------------------------------------------------------------------------- pure formulas
def morale_table(
    loads: Sequence[float] = (0.6, 0.8, 0.85, 0.9, 0.95, 1.0),
    trainings: Sequence[float] = (0.0, 1.0),
    start: float | None = None,
    after_days: Sequence[int] = (1, 5, 10),
) -> pd.DataFrame:
    """The morale formulas on a small grid, rounded to 3 digits.

    One row per (load, training): the morale ``target`` the team drifts
    towards, and its morale after ``after_days`` days at that load, starting
    from ``start`` (default: the scenario's initial morale, 0.75).  The
    parameters are those of the contact centre (``data/defaults.yaml``).

    >>> table = morale_table(loads=(0.7,), trainings=(0.0,), after_days=(1,))
    >>> table.iloc[0].tolist()
    [0.7, 0.0, 0.75, 0.75]
    """
    p = _morale_parameters()
    start = p.initial if start is None else start
    rows = []
    for load in loads:
        for training in trainings:
            target = behaviour.morale_target(
                load,
                training,
                base=p.base,
                comfortable_load=p.comfortable_load,
                overload_sensitivity=p.overload_sensitivity,
                training_lift=p.training_lift,
            )
            row: dict[str, float] = {
                _("load"): load,
                _("training"): training,
                _("target"): round(target, 3),
            }
            for days in after_days:
                morale = start
                for _day in range(days):
                    morale = behaviour.update_morale(morale, target, p.adjustment_days)
                row[_("after {days} days", days=days)] = round(morale, 3)
            rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- runs
def scenario_at(
    demand: float = DEMAND, extra_agents: int = 0, training: float = 0.0, policy: str | None = None
) -> Scenario:
    """The contact centre at ``demand`` calls an hour (old and new customers), under
    ``policy``, with ``extra_agents`` more on the phone at every open hour and courtesy
    ``training`` (0-1)."""
    scenario = load_scenario(_SCENARIO).with_policy(policy)
    rota = shift_rota(scenario.touchpoint(_TOUCHPOINT).hourly_staff, int(extra_agents))
    return scenario.with_overrides(
        {
            "arrivals.rate_per_hour": demand,
            f"touchpoints.{_TOUCHPOINT}.staff": rota,
            "levers.training": training,
        },
        path="lesson",
    )


def run_policies(
    policies: Sequence[str | None] = ("lean", None, "generous"),
    *,
    demand: float = DEMAND,
    days: float = 14,
    seed: int = 1,
) -> dict[str, Result]:
    """One seeded run per policy at ``demand`` calls an hour: ``{label: Result}``.

    The same seed means the same callers under every policy (common random numbers).
    """
    return {
        policy_label(policy): simulate(scenario_at(demand, policy=policy), seed=seed, days=days)
        for policy in policies
    }


def _staff_days(result: Result) -> pd.DataFrame:
    """Days with a morale record (the last day of a run has none: it ends at midnight)."""
    daily = result.daily
    if "morale" not in daily.columns:
        raise ValueError(_("this run has no staff morale: its scenario needs a behaviour section"))
    return daily.dropna(subset=["morale"])


def lowest_morale(result: Result) -> float:
    """The lowest end-of-day morale of a run's in-house staff."""
    return float(_staff_days(result)["morale"].min())


def daily_table(
    results: Mapping[str, Result], every: int = 3, column: str = "morale"
) -> pd.DataFrame:
    """``column`` (morale, courtesy or utilisation) by day, one column per policy,
    every ``every`` days, rounded to 2 digits."""
    table = pd.DataFrame(
        {label: _staff_days(result).set_index("day")[column] for label, result in results.items()}
    )
    table.index.name = _("day")
    return table.iloc[::every].round(2)


def kpi_comparison(results: Mapping[str, Result]) -> pd.DataFrame:
    """The lesson's KPIs, one column per policy, with the lowest morale on top."""
    table = in_millions(kpi_frame(dict(results), KPIS).loc[:, list(results)], digits=1)
    low = pd.DataFrame(
        [[round(lowest_morale(r), 2) for r in results.values()]],
        columns=list(results),
        index=[_("Lowest staff morale (0-1)")],
    )
    low.index.name = table.index.name
    return pd.concat([low, table])


def morale_effect_table(results: Mapping[str, Result]) -> pd.DataFrame:
    """How much morale moved CSAT, per policy, measured on each run's own calls: CSAT as
    it was, CSAT had morale stayed at its reference level (the same callers, queue and
    agents' days), and the difference in points with its 95% interval."""
    rows = {}
    for label, result in results.items():
        effect = result.morale_effect().loc["csat"]
        rows[label] = {
            _("CSAT"): round(effect["actual"], 3),
            _("CSAT without the morale effect"): round(effect["without_morale"], 3),
            _("difference (points)"): round(100 * effect["difference"], 1),
            _("95% interval"): localise_digits(
                f"[{100 * effect['ci_low']:+.1f}, {100 * effect['ci_high']:+.1f}]"
            ),
        }
    table = pd.DataFrame(rows)
    table.index.name = _("morale's effect")
    return table


# --------------------------------------------------------------------------- plot
def plot_morale(results: Result | Mapping[str, Result], threshold: float | None = 0.7) -> Figure:
    """Load, morale and courtesy of the phone team by day, one line per policy.

    ``results``: one :class:`Result` or ``{label: Result}``; each policy keeps
    its colour (:func:`cxsim.plots.policy_colour`).  A dashed grey line marks
    the comfortable load (top) and ``threshold`` on the morale panel.
    """
    named = (
        {policy_label(results.policy): results} if isinstance(results, Result) else dict(results)
    )
    if not named:
        raise ValueError(_("plot_morale: nothing to plot, no results given"))
    figure = NotebookFigure(figsize=(8.0, 7.0), layout="constrained")
    axes = figure.subplots(3, 1, sharex=True)
    panels = (
        ("utilisation", _("Load (busy share)")),
        ("morale", _("Morale (0-1)")),
        ("courtesy", _("Courtesy (0-1)")),
    )
    comfortable = None
    for label, result in named.items():
        days = _staff_days(result)
        comfortable = result.scenario.behaviour.morale.comfortable_load
        for ax, (column, _title) in zip(axes, panels, strict=True):
            ax.plot(
                days["day"] + 1,
                days[column],
                marker="o",
                markersize=3,
                linewidth=1.8,
                color=policy_colour(label),
                label=policy_label(label),
            )
    for ax, (_column, title) in zip(axes, panels, strict=True):
        ax.set_ylabel(title)
        ax.grid(True, alpha=0.3, linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    if comfortable is not None:
        axes[0].axhline(
            comfortable, color="#555555", linestyle="--", linewidth=1.0, label=_("comfortable load")
        )
    if threshold is not None:
        axes[1].axhline(
            threshold,
            color="#555555",
            linestyle=":",
            linewidth=1.0,
            label=_("morale {value:g}", value=threshold),
        )
    axes[0].legend(fontsize="small", loc="best")
    axes[1].legend(handles=axes[1].get_lines()[-1:], fontsize="small", loc="best")
    axes[2].set_xlabel(_("Day of the run (day)"))
    figure.suptitle(_("Overload wears staff down: load, morale and courtesy by day"))
    return figure


# --------------------------------------------------------------------------- dashboard
def dashboard(*, seed: int = 0, days: float = DASHBOARD_DAYS) -> Dashboard:
    """Demand, extra agents and training -> the team's morale by day and the KPIs.

    Each move runs ``days`` days (default 10, about 0.3 s) of the contact
    centre with the same callers (``seed``).  The table shows the KPIs and the
    lowest morale; the figure the load, morale and courtesy by day.
    """
    controls = [
        Control(
            "arrivals.rate_per_hour",
            _("Calls per hour"),
            "int",
            min=15,
            max=50,
            step=5,
            default=DEMAND,
            key="demand",
        ),
        Control(
            f"touchpoints.{_TOUCHPOINT}.staff",
            _("Extra agents at every hour"),
            "staff_shift",
            min=0,
            max=4,
            step=1,
            key="extra_agents",
        ),
        Control(
            "levers.training",
            _("Courtesy training (0 none, 1 full)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.25,
            default=0.0,
            key="training",
        ),
    ]

    def view(result: Any) -> tuple[pd.DataFrame, list[Figure]]:
        table = kpi_comparison({_("your settings"): result})
        return table, [plot_morale({_("your settings"): result})]

    return Dashboard(
        load_scenario(_SCENARIO),
        controls,
        view,
        seed=seed,
        days=days,
        title=_("Staff morale under load"),
    )


# --------------------------------------------------------------------------- exercises
def check_overload_load(answer: float, target: float = 0.55, training: float = 0.0) -> Verdict:
    """Exercise: at what load (busy share, 0-1) does the morale target fall to ``target``?

    The answer is found from :func:`cxsim.behaviour.morale_target` by bisection;
    answers within 0.01 count.
    """
    p = _morale_parameters()

    def target_at(load: float) -> float:
        return behaviour.morale_target(
            load,
            training,
            base=p.base,
            comfortable_load=p.comfortable_load,
            overload_sensitivity=p.overload_sensitivity,
            training_lift=p.training_lift,
        )

    low, high = 0.0, 1.0
    if not target_at(high) <= target <= target_at(low):
        raise ValueError(
            _("no load between 0 and 1 gives a morale target of {target}", target=target)
        )
    for _step in range(60):
        middle = (low + high) / 2
        if target_at(middle) > target:
            low = middle
        else:
            high = middle
    expected = round((low + high) / 2, 3)
    try:
        given = float(answer)
    except (TypeError, ValueError):
        given = math.nan
    context = ""
    if 0.0 <= given <= 1.0:
        context = _(
            "At a load of {load} the target is {value}; it falls to {target} at a load of "
            "{expected}.",
            load=format_value(given, "number"),
            value=format_value(target_at(given), "number"),
            target=format_value(target, "number"),
            expected=format_value(expected, "number"),
        )
    return check_answer(
        answer,
        expected,
        tolerance=0.01,
        context=context,
        hint=_(
            "Read the target column of the table: the target falls by "
            "0.02 for each point of load above 0.8."
        ),
    )


@lru_cache(maxsize=32)
def _lowest_morale_with(extra_agents: int, demand: float, days: float, seed: int) -> float:
    return lowest_morale(simulate(scenario_at(demand, extra_agents), seed=seed, days=days))


def agents_for_morale(
    threshold: float = EXERCISE_MORALE,
    demand: float = EXERCISE_DEMAND,
    days: float = DASHBOARD_DAYS,
    seed: int = 0,
    most: int = 6,
) -> int:
    """The fewest extra agents at every hour that keep the lowest daily morale at or
    above ``threshold`` (simulated, seeded like the dashboard)."""
    for extra in range(most + 1):
        if _lowest_morale_with(extra, demand, days, seed) >= threshold:
            return extra
    raise ValueError(
        _(
            "even {most} extra agents do not keep morale at {threshold}",
            most=most,
            threshold=threshold,
        )
    )


def _lowest_morale_of_run(extra_agents: int, seed: int) -> float:
    """The lowest daily morale of one run of the exercise (the dashboard's 10 days at
    50 calls an hour) with ``extra_agents`` more at every hour."""
    return _lowest_morale_with(int(extra_agents), EXERCISE_DEMAND, DASHBOARD_DAYS, int(seed))


#: Exercise 2 judged on replications: 10 runs of the dashboard's 10 days at 50 calls an
#: hour per number of extra agents, the same callers for every number
#: (:mod:`cxsim.lessons.thresholds`).
MORALE_THRESHOLD = register_threshold(
    Threshold(
        name="l07_agents_for_morale",
        settings=(0, 1, 2, 3, 4),
        measure=_lowest_morale_of_run,
        target=EXERCISE_MORALE,
        inputs={"scenario": _SCENARIO, "demand": EXERCISE_DEMAND, "measure": "lowest_morale"},
        setting_label={
            0: N_("no extra agent"),
            1: N_("one extra agent at every hour"),
            2: N_("two extra agents at every hour"),
            3: N_("three extra agents at every hour"),
            4: N_("four extra agents at every hour"),
        },
        measure_label=N_("lowest staff morale"),
        kind="number",
        decimals=4,
        replications=10,
        seed=0,
        days=DASHBOARD_DAYS,
    )
)


def check_agents_for_morale(answer: int) -> ThresholdVerdict:
    """Exercise: how many extra agents at every hour keep morale at or above 0.75
    every day at 50 calls an hour (the dashboard's 10 days)?

    Judged on 10 runs per number of agents, the same callers for each: an answer is
    right when its runs do not fall short of 0.75 and no smaller number clearly keeps
    morale there (:mod:`cxsim.lessons.thresholds`); the verdict gives the numbers.
    """
    return MORALE_THRESHOLD.verdict(answer)
