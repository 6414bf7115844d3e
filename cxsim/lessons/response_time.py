"""Lesson 02 · Response time: queues, staffing, waits and abandonment (claim N1).

The lesson puts the simulation beside the Erlang A formula (M/M/c+M, impatient
callers) on the ``erlang_check`` scenario, shows the "hockey stick" of waiting as
staff are cut, measures the share answered within five minutes (claim N1: three
quarters of customers expect service within five minutes) and ends with a staffing
exercise checked by the formula and by a simulation.

>>> parameters = queue_parameters()
>>> parameters["servers"], parameters["arrival_rate"]
(10, 9.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import theory
from ..catalog import load_scenario
from ..experiments import replicate, sweep
from ..i18n import _
from ..plots import BASELINE_COLOUR, NotebookFigure, kpi_axis_label, plot_wait_distribution
from ..results import Result, kpi_label
from ..scenario import Scenario
from ..simulation import simulate
from ..widgets import Control, Dashboard
from . import Verdict, check_answer

__all__ = [
    "EXERCISE",
    "QUEUE_KPIS",
    "check_staff_for_target",
    "dashboard",
    "erlang_a",
    "exercise_service_level",
    "five_minute_table",
    "plot_hockey_stick",
    "plot_five_minutes",
    "queue_parameters",
    "simulation_vs_theory",
    "staff_sweep",
]

SCENARIO = "erlang_check"
TOUCHPOINT = "phone"
SEGMENT = "caller"
#: The KPIs the formula and the simulation both give, simulation name -> formula name.
QUEUE_KPIS = {
    "mean_wait_min": "mean_wait",
    "service_level": "service_level",
    "abandonment_rate": "abandonment_rate",
    "utilisation": "utilisation",
}
#: The exercise: a bank's busiest hour (assumption: 120 calls an hour, 4-minute calls,
#: callers who hang up after 3 minutes on average), target 80% within 5 minutes (N1).
EXERCISE = {
    "rate_per_hour": 120.0,
    "handle_min": 4.0,
    "patience_min": 3.0,
    "target_wait_min": 5.0,
    "target_level": 0.8,
}


def _queue(scenario: str | Scenario = SCENARIO, warmup_days: float | None = None) -> Scenario:
    loaded = load_scenario(scenario)
    if warmup_days is not None:
        loaded = loaded.with_overrides({"warmup_days": warmup_days}, path="lesson")
    return loaded


def queue_parameters(scenario: str | Scenario = SCENARIO) -> dict[str, float]:
    """The Erlang A inputs of a one-queue scenario, per minute.

    ``arrival_rate`` (calls per minute), ``service_rate`` (1 / mean handle time),
    ``servers``, ``abandonment_rate`` (1 / mean patience) and ``target_wait`` (min).
    """
    loaded = load_scenario(scenario)
    touchpoint = loaded.touchpoint(TOUCHPOINT)
    segment = next(s for s in loaded.segments if s.name == SEGMENT)
    patience = segment.patience_min.mean if segment.patience_min is not None else None
    return {
        "arrival_rate": loaded.arrivals.rate_per_hour / 60.0,
        "service_rate": 1.0 / touchpoint.service_min.mean,
        "servers": int(touchpoint.hourly_staff[0]),
        "abandonment_rate": 1.0 / patience if patience else 0.0,
        "target_wait": float(touchpoint.target_wait_min),
    }


def erlang_a(
    scenario: str | Scenario = SCENARIO, servers: int | None = None
) -> theory.ErlangAResult:
    """The Erlang A prediction for a one-queue scenario (``servers`` overrides its staff)."""
    p = queue_parameters(scenario)
    return theory.mm_c_m(
        p["arrival_rate"],
        p["service_rate"],
        p["servers"] if servers is None else servers,
        p["abandonment_rate"],
        p["target_wait"],
    )


def staff_sweep(
    staff: tuple[int, ...] = (7, 8, 9, 10, 11, 12),
    n: int = 5,
    days: float = 1.0,
    seed: int = 0,
    progress: bool = False,
) -> pd.DataFrame:
    """Simulate ``erlang_check`` with each number of agents, ``n`` replications each.

    Returns one row per number of agents and KPI: ``staff, case, kpi, simulated,
    ci_low, ci_high, theory`` (``theory`` from Erlang A), the table
    :func:`cxsim.plots.plot_simulation_vs_theory` draws.
    """
    path = f"touchpoints.{TOUCHPOINT}.staff"
    swept = sweep(
        _queue(SCENARIO, warmup_days=0.2),
        {path: list(staff)},
        n,
        seed=seed,
        days=days,
        progress=progress,
    )
    summary = swept.summary()
    summary = summary[summary["kpi"].isin(QUEUE_KPIS)]
    rows = []
    for _index, row in summary.iterrows():
        agents = int(row[path])
        formula = erlang_a(SCENARIO, agents)
        rows.append(
            {
                "staff": agents,
                "case": _("{n} agents", n=agents),
                "kpi": row["kpi"],
                "simulated": row["mean"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "theory": getattr(formula, QUEUE_KPIS[row["kpi"]]),
            }
        )
    return pd.DataFrame(rows)


def simulation_vs_theory(frame: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """A readable table of :func:`staff_sweep`: per agents and KPI, simulated (CI) and formula.

    Adds ``inside``: whether the formula lies inside the simulation's confidence interval.
    """
    table = frame.copy()
    table["inside"] = (table["ci_low"] <= table["theory"]) & (table["theory"] <= table["ci_high"])
    table["kpi"] = [kpi_label(k) for k in table["kpi"]]
    table = table[["staff", "kpi", "simulated", "ci_low", "ci_high", "theory", "inside"]]
    table = table.rename(
        columns={
            "staff": _("agents"),
            "kpi": _("KPI"),
            "simulated": _("simulated (mean)"),
            "ci_low": _("CI low"),
            "ci_high": _("CI high"),
            "theory": _("Erlang A formula"),
            "inside": _("formula inside CI"),
        }
    )
    return table.round(digits).reset_index(drop=True)


def plot_hockey_stick(frame: pd.DataFrame) -> Figure:
    """Mean wait and abandonment against the number of agents, and wait against utilisation.

    ``frame`` is :func:`staff_sweep`'s table: dots with error bars are simulated,
    the line is Erlang A computed for every number of agents in the range.
    """
    figure = NotebookFigure(figsize=(11.0, 4.2), layout="constrained")
    axes = figure.subplots(1, 2)
    staff = sorted(frame["staff"].unique())
    grid = np.arange(max(1, staff[0] - 1), staff[-1] + 2)
    formulas = [erlang_a(SCENARIO, int(c)) for c in grid]
    ax = axes[0]
    ax.plot(
        grid,
        [f.mean_wait for f in formulas],
        color="#000000",
        linewidth=1.5,
        label=_("Erlang A formula"),
    )
    wait = frame[frame["kpi"] == "mean_wait_min"].sort_values("staff")
    ax.errorbar(
        wait["staff"],
        wait["simulated"],
        yerr=[wait["simulated"] - wait["ci_low"], wait["ci_high"] - wait["simulated"]],
        fmt="o",
        color=BASELINE_COLOUR,
        capsize=4,
        label=_("Simulated (mean, CI)"),
    )
    ax.set_xlabel(_("Agents on duty (people)"))
    ax.set_ylabel(kpi_axis_label("mean_wait_min"))
    ax.set_title(_("Fewer agents: the wait shoots up"), fontsize="medium")
    ax.legend(fontsize="small")
    ax = axes[1]
    ax.plot(
        [f.utilisation * 100 for f in formulas],
        [f.mean_wait for f in formulas],
        color="#000000",
        linewidth=1.5,
        label=_("Erlang A formula"),
    )
    util = frame[frame["kpi"] == "utilisation"].sort_values("staff")
    ax.plot(
        util["simulated"].to_numpy() * 100,
        wait["simulated"].to_numpy(),
        "o",
        color=BASELINE_COLOUR,
        label=_("Simulated (mean)"),
    )
    ax.set_xlabel(_("Staff utilisation (%)"))
    ax.set_ylabel(kpi_axis_label("mean_wait_min"))
    ax.set_title(_("The hockey stick: busy staff, long waits"), fontsize="medium")
    ax.legend(fontsize="small")
    figure.suptitle(_("Waiting against staffing (erlang_check: 540 calls an hour, 1-minute calls)"))
    return figure


def _contact_centre_runs(days: float, seed: int) -> dict[str, Result]:
    return {
        _("lean"): simulate("contact_centre", policy="lean", seed=seed, days=days),
        _("baseline"): simulate("contact_centre", seed=seed, days=days),
        _("generous"): simulate("contact_centre", policy="generous", seed=seed, days=days),
    }


def five_minute_table(days: float = 7, seed: int = 1) -> pd.DataFrame:
    """The bank's phone line (contact_centre) under lean, baseline and generous rotas.

    Per policy: agent hours, share answered within 5 minutes (N1), mean wait,
    abandonment, utilisation, CSAT; rounded to 2 digits.
    """
    runs = _contact_centre_runs(days, seed)
    chosen = ["service_level", "mean_wait_min", "abandonment_rate", "utilisation", "csat"]
    table = pd.DataFrame(
        {
            label: [
                float(result.kpis(by="touchpoint").loc[TOUCHPOINT, "staff_hours"]),
                *[result.kpis()[k] for k in chosen],
            ]
            for label, result in runs.items()
        },
        index=[kpi_label("staff_hours"), *[kpi_label(k) for k in chosen]],
    )
    return table.round(2)


def plot_five_minutes(days: float = 7, seed: int = 1) -> Figure:
    """The wait distribution of the bank's phone line under the three rotas (5-minute line)."""
    return plot_wait_distribution(_contact_centre_runs(days, seed), TOUCHPOINT)


# --------------------------------------------------------------------------- dashboard
def _view(result: Result) -> tuple[pd.DataFrame, list[Figure]]:
    formula = erlang_a(result.scenario)
    simulated = result.kpis()
    table = pd.DataFrame(
        {
            _("simulation"): [simulated[k] for k in QUEUE_KPIS],
            _("Erlang A formula"): [getattr(formula, v) for v in QUEUE_KPIS.values()],
        },
        index=list(QUEUE_KPIS),  # KPI names, shown as their labels (cxsim.formatting)
    )
    table[_("difference")] = table[_("simulation")] - table[_("Erlang A formula")]
    table.index.name = _("KPI")
    return table.round(2) + 0.0, [plot_wait_distribution(result, TOUCHPOINT)]


def dashboard(seed: int = 0, days: float = 1) -> Dashboard:
    """Agents, handle time and patience on one phone queue, simulation beside Erlang A.

    The queue is ``erlang_check`` (540 calls an hour) with a warm-up of 0.1 day
    (plenty for one-minute calls) and ``days=1`` so a slider answers in well under
    half a second.
    """
    controls = [
        Control(
            f"touchpoints.{TOUCHPOINT}.staff",
            _("Agents on duty"),
            "int",
            min=5,
            max=16,
            key="agents",
        ),
        Control(
            f"touchpoints.{TOUCHPOINT}.service_min.mean",
            _("Mean handle time (min)"),
            "float",
            min=0.5,
            max=2.0,
            step=0.1,
            key="handle_time",
        ),
        Control(
            f"segments.{SEGMENT}.patience_min.mean",
            _("Mean patience (min)"),
            "float",
            min=0.5,
            max=10.0,
            step=0.5,
            key="patience",
        ),
        Control("seed", _("Seed (which day's luck)"), "int", min=0, max=99),
    ]
    return Dashboard(
        _queue(SCENARIO, warmup_days=0.1),
        controls,
        _view,
        seed=seed,
        days=days,
        title=_("One phone queue: simulation beside the Erlang A formula"),
    )


# --------------------------------------------------------------------------- exercise
def _exercise_rates() -> tuple[float, float, float]:
    return (
        EXERCISE["rate_per_hour"] / 60.0,
        1.0 / EXERCISE["handle_min"],
        1.0 / EXERCISE["patience_min"],
    )


def exercise_service_level(
    agents: int, n: int = 3, days: float = 2, seed: int = 0
) -> dict[str, float]:
    """Share answered within 5 minutes in the exercise's queue with ``agents``:
    simulated (mean of ``n`` replications) and by the Erlang A formula."""
    lam, mu, theta = _exercise_rates()
    variant = _queue(SCENARIO).with_overrides(
        {
            "arrivals.rate_per_hour": EXERCISE["rate_per_hour"],
            f"touchpoints.{TOUCHPOINT}.service_min.mean": EXERCISE["handle_min"],
            f"touchpoints.{TOUCHPOINT}.target_wait_min": EXERCISE["target_wait_min"],
            f"segments.{SEGMENT}.patience_min.mean": EXERCISE["patience_min"],
            f"touchpoints.{TOUCHPOINT}.staff": int(agents),
            "warmup_days": 0.2,
        },
        path="exercise",
    )
    runs = replicate(variant, n, seed=seed, days=days, progress=False).runs
    formula = theory.mm_c_m(lam, mu, int(agents), theta, EXERCISE["target_wait_min"])
    return {"simulated": float(runs["service_level"].mean()), "theory": formula.service_level}


def check_staff_for_target(answer: Any) -> Verdict:
    """Exercise: the fewest agents that answer 80% of calls within 5 minutes in the
    busiest hour (120 calls an hour, 4-minute calls, mean patience 3 minutes).

    The right number comes from :func:`cxsim.theory.staff_for_service_level`; for a
    whole-number answer the simulation's service level with that many agents is
    printed as a hint.
    """
    lam, mu, theta = _exercise_rates()
    expected = theory.staff_for_service_level(
        lam, mu, EXERCISE["target_wait_min"], EXERCISE["target_level"], theta
    )
    hint = _("Look for the first number of agents whose share within 5 minutes reaches 80%.")
    context = ""
    if (
        isinstance(answer, int | float)
        and not isinstance(answer, bool)
        and float(answer).is_integer()
        and 1 <= answer <= 60
    ):
        shares = exercise_service_level(int(answer))
        context = _(
            "With {agents} agents: {sim:.0%} answered within 5 minutes in the "
            "simulation, {formula:.0%} by the Erlang A formula.",
            agents=int(answer),
            sim=shares["simulated"],
            formula=shares["theory"],
        )
        if int(answer) > expected:
            hint = _("That reaches 80%, but could fewer agents do it too?")
    return check_answer(answer, expected, hint=hint, context=context)
