"""Lesson 03 · Courtesy against waiting: the airport question (claims Q1, Q2, N5).

N5 says an airport study found passengers' satisfaction depended more on how the
security staff behaved than on the time spent in the queue.  The study could not be
traced, so the lesson lets the model confirm or refute it on ``airport_security``:
more lanes (shorter queues) against courteous staff (training), a sweep of courtesy
against lanes that shows when N5 holds (waits within expectations) and when it fails
(an understaffed queue), a dashboard, and an exercise checked by the model.
Lanes are added at every open hour (:func:`cxsim.rota.shift_rota`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..catalog import load_scenario
from ..experiments import Comparison, compare, sweep
from ..i18n import _
from ..plots import (
    BASELINE_COLOUR,
    NotebookFigure,
    kpi_axis_label,
    plot_kpi_comparison,
)
from ..results import kpi_label
from ..rota import shift_rota
from ..scenario import Scenario
from ..widgets import Control, Dashboard, kpi_frame
from . import Verdict, check_answer, in_millions

__all__ = [
    "DASHBOARD_KPIS",
    "check_lanes_for_training",
    "compare_policies",
    "courtesy_lane_sweep",
    "dashboard",
    "kpi_table",
    "lanes_for_training_gain",
    "plot_courtesy_lines",
    "policy_table",
    "sweep_table",
]

SCENARIO = "airport_security"
TOUCHPOINT = "security"
#: The KPIs the lesson reads: the queue, satisfaction, and money.
# The airport's books are its costs (passengers come once: customer_base one_off).
DASHBOARD_KPIS = (
    "mean_wait_min",
    "service_level",
    "csat",
    "nps",
    "mean_memory_score",
    "bad_journey_rate",
    "training_cost",
    "staff_cost",
    "cost",
)
_POLICY_KPIS = ("mean_wait_min", "csat", "nps")
# Line colours for lane changes: fewer lanes vermillion, the rota blue, more lanes greens.
_SHIFT_COLOURS = {-1: "#D55E00", 0: BASELINE_COLOUR, 1: "#009E73", 2: "#56B4E9", 3: "#000000"}


def _rota(scenario: Scenario | str = SCENARIO) -> list[int]:
    return list(load_scenario(scenario).touchpoint(TOUCHPOINT).hourly_staff)


# --------------------------------------------------------------------------- policies
def compare_policies(
    n: int = 5, days: float = 7, seed: int = 0, progress: bool = False
) -> Comparison:
    """Baseline, ``more_lanes`` and ``courteous_staff``, ``n`` paired replications each."""
    return compare(
        SCENARIO,
        [None, "more_lanes", "courteous_staff"],
        n,
        seed=seed,
        days=days,
        progress=progress,
    )


def policy_table(
    comparison: Comparison, kpis: Sequence[str] = _POLICY_KPIS, digits: int = 2
) -> pd.DataFrame:
    """Per policy and KPI: the mean, and the paired change from the baseline with its CI."""
    summary = comparison.summary().set_index(["policy", "kpi"])
    differences = comparison.differences().set_index(["policy", "kpi"])
    rows = []
    for policy in comparison.policies:
        for kpi in kpis:
            row = {
                _("policy"): policy,
                _("KPI"): kpi_label(kpi),
                _("mean"): summary.loc[(policy, kpi), "mean"],
            }
            if policy != comparison.baseline:
                diff = differences.loc[(policy, kpi)]
                row.update(
                    {
                        _("change vs baseline"): diff["mean_difference"],
                        _("CI low"): diff["ci_low"],
                        _("CI high"): diff["ci_high"],
                        _("real difference"): bool(diff["significant"]),
                    }
                )
            rows.append(row)
    table = pd.DataFrame(rows).round(digits)
    return table.fillna({_("real difference"): "-"}) if len(table) else table


# --------------------------------------------------------------------------- sweep
def courtesy_lane_sweep(
    shifts: Sequence[int] = (-1, 0, 1, 2),
    courtesy: Sequence[float] = (0.2, 0.5, 0.8, 1.0),
    n: int = 3,
    days: float = 5,
    seed: int = 0,
    progress: bool = False,
) -> pd.DataFrame:
    """CSAT, NPS and mean wait for every courtesy level and lane change.

    Returns a tidy frame: ``lanes`` (lanes added at every open hour), ``courtesy``,
    ``kpi``, ``mean``, ``ci_low``, ``ci_high``, ``n``.
    """
    rota = _rota()
    staff_path = f"touchpoints.{TOUCHPOINT}.staff"
    courtesy_path = f"touchpoints.{TOUCHPOINT}.courtesy"
    grid = {
        staff_path: [shift_rota(rota, k) for k in shifts],
        courtesy_path: [float(c) for c in courtesy],
    }
    result = sweep(SCENARIO, grid, n, seed=seed, days=days, progress=progress)
    summary = result.summary()
    by_rota = {str(shift_rota(rota, k)): int(k) for k in shifts}
    summary.insert(0, "lanes", [by_rota[str(list(r))] for r in summary[staff_path]])
    summary = summary.rename(columns={courtesy_path: "courtesy"})
    columns = ["lanes", "courtesy", "kpi", "mean", "ci_low", "ci_high", "n"]
    return summary[columns].reset_index(drop=True)


def sweep_table(frame: pd.DataFrame, kpi: str = "csat", digits: int = 2) -> pd.DataFrame:
    """One KPI of :func:`courtesy_lane_sweep` as a grid: lanes down, courtesy across."""
    here = frame[frame["kpi"] == kpi]
    table = here.pivot(index="lanes", columns="courtesy", values="mean").round(digits)
    table.index.name = _("extra lanes")
    table.columns.name = _("courtesy")
    return table


def plot_courtesy_lines(frame: pd.DataFrame) -> Figure:
    """CSAT against courtesy, one line per lane change; beside it, the mean wait per lane change.

    ``frame`` is :func:`courtesy_lane_sweep`'s table; bands are confidence intervals.
    """
    figure = NotebookFigure(figsize=(11.0, 4.4), layout="constrained")
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    csat = frame[frame["kpi"] == "csat"]
    wait = frame[frame["kpi"] == "mean_wait_min"]
    shifts = sorted(csat["lanes"].unique())
    for k in shifts:
        line = csat[csat["lanes"] == k].sort_values("courtesy")
        colour = _SHIFT_COLOURS.get(int(k), "#999933")
        label = _("{k:+d} lanes", k=int(k)) if k else _("lanes as today")
        left.plot(line["courtesy"], line["mean"] * 100, marker="o", color=colour, label=label)
        left.fill_between(
            line["courtesy"],
            line["ci_low"] * 100,
            line["ci_high"] * 100,
            color=colour,
            alpha=0.2,
            linewidth=0,
        )
    left.set_xlabel(_("Courtesy of security staff (0-1)"))
    left.set_ylabel(kpi_axis_label("csat"))
    left.set_ylim(0, 100)
    left.set_title(_("Courtesy lifts CSAT, unless the queue is too long"), fontsize="medium")
    left.legend(title=_("Lanes"), fontsize="small")
    waits = [float(wait[wait["lanes"] == k]["mean"].mean()) for k in shifts]
    positions = np.arange(len(shifts))
    right.bar(positions, waits, color=[_SHIFT_COLOURS.get(int(k), "#999933") for k in shifts])
    right.set_xticks(positions, [f"{int(k):+d}" for k in shifts])
    right.set_yscale("log")
    right.set_xlabel(_("Lanes added at every open hour"))
    right.set_ylabel(_("Mean wait at security (min, log scale)"))
    right.set_title(_("The queue each lane change gives"), fontsize="medium")
    figure.suptitle(_("airport_security: courtesy against lanes (claim N5)"))
    return figure


# --------------------------------------------------------------------------- dashboard
def kpi_table(results: Any, kpis: Sequence[str] = DASHBOARD_KPIS) -> pd.DataFrame:
    """:func:`cxsim.widgets.kpi_frame` with money in million toman (readable, no 1e+08)."""
    return in_millions(kpi_frame(results, kpis, digits=4)).round(2) + 0.0


def _view(results: Any) -> tuple[pd.DataFrame, list[Figure]]:
    table = kpi_table(results)
    figure = plot_kpi_comparison(results, ["mean_wait_min", "csat", "nps"])
    return table, [figure]


def dashboard(seed: int = 0, days: float = 5) -> Dashboard:
    """Courtesy, lanes, training and traffic at airport security, KPIs beside the baseline.

    Controls: the courtesy of security staff (0-1), extra lanes at every hour (0-3),
    courtesy training (0-1) and passengers per hour (30-60).  ``days=5`` keeps a
    slider move at about 0.1 s (the baseline run is cached).
    """
    scenario = load_scenario(SCENARIO)
    controls = [
        Control(
            f"touchpoints.{TOUCHPOINT}.courtesy",
            _("Courtesy of security staff (0-1)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.05,
            key="courtesy",
        ),
        Control(
            f"touchpoints.{TOUCHPOINT}.staff",
            _("Extra lanes at every hour"),
            "staff_shift",
            min=0,
            max=3,
            step=1,
            key="extra_lanes",
        ),
        Control(
            "levers.training",
            _("Courtesy training (0 none, 1 full)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.1,
            key="training",
        ),
        Control(
            "arrivals.rate_per_hour",
            _("Passengers per hour (average)"),
            "int",
            min=30,
            max=60,
            step=1,
            key="passengers",
        ),
    ]
    return Dashboard(
        scenario,
        controls,
        _view,
        reference=True,
        seed=seed,
        days=days,
        title=_("Airport security: courtesy or shorter queues?"),
    )


# --------------------------------------------------------------------------- exercise
def lanes_for_training_gain(
    max_lanes: int = 4, n: int = 3, days: float = 7, seed: int = 0
) -> tuple[int | str, dict[str, float]]:
    """The fewest extra lanes whose CSAT gain matches full courtesy training.

    Runs the baseline, ``training = 1`` and 1..``max_lanes`` extra lanes (paired
    replications) and returns ``(answer, gains)``: ``answer`` is a whole number, or
    ``"none"`` when even ``max_lanes`` extra lanes gain less CSAT than training;
    ``gains`` maps each variant to its mean CSAT gain over the baseline.
    """
    rota = _rota()
    staff_path = f"touchpoints.{TOUCHPOINT}.staff"
    policies: dict[str, Any] = {"baseline": None, "training": {"levers.training": 1.0}}
    for k in range(1, max_lanes + 1):
        policies[f"+{k}"] = {staff_path: shift_rota(rota, k)}
    comparison = compare(SCENARIO, policies, n, seed=seed, days=days, progress=False)
    diff = comparison.differences().set_index(["policy", "kpi"])["mean_difference"]
    gains = {label: float(diff[(label, "csat")]) for label in policies if label != "baseline"}
    for k in range(1, max_lanes + 1):
        if gains[f"+{k}"] >= gains["training"]:
            return k, gains
    return "none", gains


def check_lanes_for_training(answer: Any) -> Verdict:
    """Exercise: how many extra security lanes (at every open hour) buy the same CSAT
    gain as full courtesy training?  Answer a whole number, or ``"none"`` if 4 extra
    lanes are not enough.  The model computes the answer (paired runs)."""
    expected, gains = lanes_for_training_gain()
    hint = _(
        "Compare the CSAT change of one, two and more lanes with that of training in "
        "the paired table and the sweep above, not in one dashboard week."
    )
    return check_answer(answer, expected, hint=hint)
