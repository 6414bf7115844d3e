"""Lesson 08 · Call them back: proactive follow-up and service recovery (Q4, Q15).

The source texts urge firms to stay in touch and, when a customer is unhappy,
to "call, visit, fix it" (Q4), and not to wait for complaints (Q15).  In cxsim
the lever ``levers.follow_up`` does this: at each day's end the team calls up to
``capacity_per_day`` customers whose journey was bad and ended within
``window_days``, oldest first; a call lifts the remembered score by
``recovery_points`` and costs ``follow_up_cost_per_contact``.  Following de
Matos, Henrique & Rossi (2007), recovery lifts *satisfaction*; it brings no
extra loyalty beyond what the better memory itself brings.

This module gives the notebook its runs, tables, plot, dashboard and checker:

- :func:`run_pair`: the contact centre with and without follow-up (same callers);
- :func:`kpi_comparison`, :func:`recovery_table`, :func:`capacity_table`;
- :func:`plot_follow_up`: bad journeys by day and how many were called back,
  and remembered scores before and after the call;
- :func:`dashboard`: follow-up on/off, capacity, window, recovery points -> KPIs;
- :func:`check_capacity_for_share`: the exercise checker, judged on 20 runs per
  capacity (:mod:`cxsim.lessons.thresholds`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import behaviour
from ..catalog import load_scenario
from ..i18n import N_, _
from ..plots import NotebookFigure, policy_colour, policy_label
from ..results import Result, kpi_label
from ..scenario import Scenario
from ..simulation import simulate
from ..widgets import Control, Dashboard, kpi_frame
from . import in_millions
from .thresholds import Threshold, ThresholdVerdict, register_threshold

__all__ = [
    "CAPACITY_THRESHOLD",
    "DASHBOARD_DAYS",
    "DAYS",
    "KPIS",
    "capacity_for_share",
    "callback_comparison",
    "capacity_table",
    "check_capacity_for_share",
    "dashboard",
    "kpi_comparison",
    "plot_follow_up",
    "reached_share",
    "recovery_table",
    "run_pair",
    "scenario_with",
]

#: Days of every run in this lesson: two weeks (about 0.15 s a run).
DAYS = 14
#: Days a dashboard run covers: one week (two runs and a plot in about 0.3 s).
DASHBOARD_DAYS = 7
#: The KPIs the lesson prints.
KPIS = (
    "csat",
    "nps",
    "mean_memory_score",
    "bad_journey_rate",
    "retention_rate",
    "leave_after_bad",
    "follow_ups",
    "follow_up_cost",
    "profit",
)
_SCENARIO = "contact_centre"
_CAPACITY_STEP = 5


def scenario_with(
    enabled: bool = True,
    capacity_per_day: int | None = None,
    window_days: float | None = None,
    recovery_points: float | None = None,
) -> Scenario:
    """The contact centre with follow-up switched on or off and its settings changed
    (``None`` keeps the scenario's value: 10 calls a day, 3 days, 2.5 points)."""
    overrides: dict[str, Any] = {"levers.follow_up.enabled": bool(enabled)}
    for name, value in (
        ("capacity_per_day", capacity_per_day),
        ("window_days", window_days),
        ("recovery_points", recovery_points),
    ):
        if value is not None:
            overrides[f"levers.follow_up.{name}"] = value
    return load_scenario(_SCENARIO).with_overrides(overrides, path="lesson")


def run_pair(*, days: float = DAYS, seed: int = 1, **settings: Any) -> dict[str, Result]:
    """``{"baseline": run without follow-up, "follow_up": run with it}``, same seed
    (the same callers).  ``settings``: capacity_per_day, window_days, recovery_points."""
    baseline = simulate(scenario_with(False), seed=seed, days=days)
    follow_up = simulate(scenario_with(True, **settings), seed=seed, days=days)
    follow_up.policy = "follow_up"  # so tables and plots name it (and colour it) as such
    return {policy_label(None): baseline, "follow_up": follow_up}


# --------------------------------------------------------------------------- tables
def _bad_below(result: Result) -> float:
    return result.scenario.behaviour.bad_memory_below


def _bad_before(result: Result) -> pd.Series:
    """Journeys that were bad before any follow-up (remembered score below the bad mark)."""
    journeys = result.journeys
    return journeys["experienced_score"] < _bad_below(result)


def reached_share(result: Result) -> float:
    """The share of bad journeys the team called back."""
    bad = _bad_before(result)
    if not bad.any():
        return float("nan")
    return float(result.journeys.loc[bad, "followed_up"].mean())


def kpi_comparison(results: Mapping[str, Result]) -> pd.DataFrame:
    """The lesson's KPIs per run (with a difference column for two runs), money in
    million toman, with the share of bad journeys called back on top."""
    table = in_millions(kpi_frame(dict(results), KPIS)) + 0.0  # no "-0.00"
    reached = [round(reached_share(result), 2) for result in results.values()]
    if len(results) == 2:
        reached.append(round(reached[1] - reached[0], 2))
    top = pd.DataFrame(
        [reached], columns=table.columns, index=[_("Bad journeys called back (share)")]
    )
    top.index.name = table.index.name
    return pd.concat([top, table])


def recovery_table(result: Result) -> pd.DataFrame:
    """The bad journeys of a run, one column for those called back, one for the
    others (rows: measures): how many, their remembered
    score before and after, how many are still bad, and, of those whose customer
    has decided, the share who left against the share the remembered score predicts.

    The last two columns agree: a call brings no loyalty beyond the better memory
    (de Matos et al. 2007).
    """
    journeys = result.journeys[_bad_before(result)]
    retention = result.scenario.behaviour.retention
    bad_below = _bad_below(result)
    rows = {}
    for called, group in (
        (True, journeys[journeys["followed_up"]]),
        (False, journeys[~journeys["followed_up"]]),
    ):
        decided = group[group["outcome"].isin(["return", "leave"])]
        predicted = [
            behaviour.leave_probability(
                score,
                floor=retention.floor,
                ceiling=retention.ceiling,
                midpoint=retention.midpoint,
                steepness=retention.steepness,
            )
            for score in decided["memory_score"]
        ]
        label = _("called back") if called else _("not called")
        rows[label] = {
            _("journeys"): len(group),
            _("score before call"): group["experienced_score"].mean(),
            _("score remembered"): group["memory_score"].mean(),
            _("still bad (share)"): (group["memory_score"] < bad_below).mean()
            if len(group)
            else np.nan,
            _("decided"): len(decided),
            _("left (share)"): (decided["outcome"] == "leave").mean() if len(decided) else np.nan,
            _("left, predicted from memory"): float(np.mean(predicted)) if predicted else np.nan,
        }
    table = pd.DataFrame(rows).round(2).astype(object)
    for row in (_("journeys"), _("decided")):
        table.loc[row] = [int(value) for value in table.loc[row]]
    table.columns.name = _("bad journeys")
    return table


@lru_cache(maxsize=64)
def _run(
    enabled: bool, capacity: int, window: float, recovery: float, days: float, seed: int
) -> Result:
    return simulate(scenario_with(enabled, capacity, window, recovery), seed=seed, days=days)


def capacity_table(
    capacities: Sequence[int] = (0, 10, 20, 40),
    *,
    window_days: float = 3.0,
    days: float = DAYS,
    seed: int = 1,
) -> pd.DataFrame:
    """One seeded run per daily capacity (same callers), one column each: calls made,
    share of bad journeys reached, CSAT, retention, follow-up cost and profit
    (million toman)."""
    rows = []
    for capacity in capacities:
        result = _run(True, int(capacity), float(window_days), 2.5, float(days), seed)
        kpis = result.kpis()
        rows.append(
            {
                _("capacity per day"): int(capacity),
                kpi_label("follow_ups"): int(kpis["follow_ups"]),
                _("Bad journeys called back (share)"): round(reached_share(result), 2),
                kpi_label("csat"): round(kpis["csat"], 3),
                kpi_label("retention_rate"): round(kpis["retention_rate"], 3),
                _("Follow-up cost (million toman)"): round(kpis["follow_up_cost"] / 1e6, 2),
                _("Profit (million toman)"): round(kpis["profit"] / 1e6, 2),
            }
        )
    table = pd.DataFrame(rows).set_index(_("capacity per day")).T.astype(object)
    table.loc[kpi_label("follow_ups")] = [
        int(value) for value in table.loc[kpi_label("follow_ups")]
    ]
    return table


#: What follow-up and callbacks are compared on: the line, the memories, the books.
CALLBACK_KPIS = (
    "abandonment_rate",
    "completed_rate",
    "bad_journey_rate",
    "csat",
    "churn_per_year",
    "follow_ups",
    "callbacks",
    "cost",
    "customer_equity",
    "profit",
)


def callback_comparison(*, days: float = DAYS, seed: int = 1) -> pd.DataFrame:
    """The bank as it is, with follow-up calls after bad journeys, and with callbacks
    to callers who hung up (the same callers: one seed), money in million toman.

    A follow-up call lifts a memory; a callback serves the customer, by the same
    agents, in the moments nobody is on hold (Armony & Maglaras 2004)."""
    scenario = load_scenario(_SCENARIO)
    results = {policy_label(None): simulate(scenario, seed=seed, days=days)}
    for policy in ("follow_up", "callback"):
        results[policy_label(policy)] = simulate(scenario, policy=policy, seed=seed, days=days)
    # each row is written as its KPI's kind says (cxsim.formatting): counts whole
    return in_millions(kpi_frame(results, CALLBACK_KPIS, digits=3), digits=1) + 0.0


# --------------------------------------------------------------------------- plot
def plot_follow_up(result: Result, label: str | None = None) -> Figure:
    """Two panels for one run: bad journeys by the day they ended, with the part
    called back (the dashed line is the daily capacity); and the remembered score
    of the called-back journeys before and after the call."""
    label = label or policy_label(result.policy)
    journeys = result.journeys
    bad = journeys[_bad_before(result) & journeys["end_min"].notna()]
    days = int(np.ceil(result.window[1] / 1440))
    end_day = np.minimum((bad["end_min"] // 1440).astype(int).to_numpy(), days - 1)
    all_bad = np.bincount(end_day, minlength=days)
    called = np.bincount(end_day[bad["followed_up"].to_numpy()], minlength=days)
    figure = NotebookFigure(figsize=(10.0, 4.2), layout="constrained")
    left, right = figure.subplots(1, 2)
    x = np.arange(1, days + 1)
    left.bar(x, all_bad, color="#BBBBBB", label=_("bad journeys"))
    left.bar(x, called, color=policy_colour(label), label=_("called back"))
    levers = result.scenario.levers
    if levers is not None and levers.follow_up.enabled:
        left.axhline(
            levers.follow_up.capacity_per_day,
            color="#555555",
            linestyle="--",
            linewidth=1.0,
            label=_("calls a day (capacity)"),
        )
    left.set_xlabel(_("Day the journey ended (day)"))
    left.set_ylabel(_("Journeys (count)"))
    left.set_title(_("Bad journeys and calls back"), fontsize="medium")
    left.legend(fontsize="small", loc="upper left")
    followed = journeys[journeys["followed_up"]]
    bins = np.arange(0, 10.5, 0.5)
    right.hist(
        followed["experienced_score"], bins=bins, color="#BBBBBB", label=_("before the call")
    )
    right.hist(
        followed["memory_score"],
        bins=bins,
        color=policy_colour(label),
        alpha=0.7,
        label=_("after the call"),
    )
    right.axvline(
        _bad_below(result),
        color="#555555",
        linestyle=":",
        linewidth=1.0,
        label=_("bad below {value:g}", value=_bad_below(result)),
    )
    right.set_xlabel(_("Remembered score (points, 0-10)"))
    right.set_ylabel(_("Journeys called back (count)"))
    right.set_title(_("What a call does to the memory"), fontsize="medium")
    right.legend(fontsize="small", loc="upper right")
    for ax in (left, right):
        ax.grid(True, alpha=0.3, linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    figure.suptitle(
        _(
            "Proactive follow-up ({label}): {calls} calls, {share:.0%} of bad journeys reached",
            label=label,
            calls=int(called.sum()),
            share=float(called.sum() / max(all_bad.sum(), 1)),
        )
    )
    return figure


# --------------------------------------------------------------------------- dashboard
def dashboard(*, seed: int = 1, days: float = DASHBOARD_DAYS) -> Dashboard:
    """Follow-up on/off, calls per day (0-40), window (1-7 days) and recovery points
    (0-5) -> KPIs beside the baseline without follow-up, and the follow-up plot.

    Each move runs ``days`` days (default 7, about 0.07 s a run) with the same
    callers (``seed``)."""
    controls = [
        Control(
            "levers.follow_up.enabled",
            _("Follow-up calls on"),
            "toggle",
            default=True,
            key="follow_up",
        ),
        Control(
            "levers.follow_up.capacity_per_day",
            _("Calls a day (capacity)"),
            "int",
            min=0,
            max=40,
            step=_CAPACITY_STEP,
            key="capacity_per_day",
        ),
        Control(
            "levers.follow_up.window_days",
            _("Call within (days)"),
            "int",
            min=1,
            max=7,
            step=1,
            default=3,
            key="window_days",
        ),
        Control(
            "levers.follow_up.recovery_points",
            _("Points a call adds to the memory"),
            "float",
            min=0.0,
            max=5.0,
            step=0.5,
            key="recovery_points",
        ),
    ]

    def view(results: Any) -> tuple[pd.DataFrame, list[Figure]]:
        table = kpi_comparison(results)
        current = list(results.values())[-1]
        return table, [plot_follow_up(current, label=_("your policy"))]

    return Dashboard(
        load_scenario(_SCENARIO),
        controls,
        view,
        reference={"follow_up": False},
        seed=seed,
        days=days,
        title=_("Calling customers back after a bad experience"),
    )


# --------------------------------------------------------------------------- exercise
def capacity_for_share(
    share: float = 0.5,
    *,
    window_days: int = 3,
    days: float = DASHBOARD_DAYS,
    seed: int = 1,
    most: int = 40,
) -> int:
    """The smallest daily capacity, in steps of 5 as on the dashboard, that calls
    back at least ``share`` of the bad journeys (simulated, seeded like the dashboard)."""
    for capacity in range(0, most + 1, _CAPACITY_STEP):
        result = _run(True, capacity, float(window_days), 2.5, float(days), seed)
        if reached_share(result) >= share:
            return capacity
    raise ValueError(
        _("no capacity up to {most} calls a day reaches {share:.0%}", most=most, share=share)
    )


def _reached_share_of_run(capacity: int, seed: int) -> float:
    """The share of bad journeys called back in one run of the exercise: the dashboard's
    week, a 3-day window, 2.5 points a call, ``capacity`` calls a day."""
    result = _run(True, int(capacity), 3.0, 2.5, float(DASHBOARD_DAYS), int(seed))
    return reached_share(result)


#: The exercise judged on replications: 20 runs of the dashboard's week per daily
#: capacity (0 to 40 in steps of 5), the same callers for every capacity
#: (:mod:`cxsim.lessons.thresholds`).
CAPACITY_THRESHOLD = register_threshold(
    Threshold(
        name="l08_capacity_for_share",
        settings=tuple(range(0, 41, _CAPACITY_STEP)),
        measure=_reached_share_of_run,
        target=0.5,
        inputs={
            "scenario": _SCENARIO,
            "window_days": 3.0,
            "recovery_points": 2.5,
            "measure": "reached_share",
        },
        setting_label=N_("{n} calls a day"),
        measure_label=N_("share of bad journeys called back"),
        kind="share",
        replications=20,
        seed=1,
        days=DASHBOARD_DAYS,
    )
)


def check_capacity_for_share(answer: int) -> ThresholdVerdict:
    """Exercise: the fewest calls a day (a multiple of 5) that reach at least half of
    the bad journeys in the dashboard's week, calling within 3 days.

    Judged on 20 runs of the week per capacity, the same callers for each: an answer is
    right when its runs do not fall short of half and no smaller capacity clearly
    reaches it (:mod:`cxsim.lessons.thresholds`); the verdict gives the numbers.
    """
    return CAPACITY_THRESHOLD.verdict(answer)
