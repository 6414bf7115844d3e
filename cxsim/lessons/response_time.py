"""Lesson 02 · Response time: queues, the five-minute expectation (claim N1), the rota.

The lesson first lets trainees trust the engine in two minutes (the simulation beside
the Erlang A formula, M/M/c+M, on the one-queue ``erlang_check`` scenario, which also
draws the "hockey stick" of waiting as staff are cut), then measures the bank's phone
line (``contact_centre``) against N1 (three quarters of customers expect service
within five minutes) over the day and hour by hour, and ends with the rota as a
decision: the bank can pay one more agent for a four-hour shift a day; in which four
hours does it answer the most callers within five minutes?  Trainees try the shifts
in the rota editor (:mod:`cxsim.rota_editor`) and choose one (:data:`DECISION`, judged
on paired replications by :mod:`cxsim.decisions`).

>>> parameters = queue_parameters()
>>> parameters["servers"], parameters["arrival_rate"]
(10, 9.0)
>>> sorted(SHIFTS)
['afternoon', 'busiest', 'evening', 'lunch', 'morning']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import theory
from ..catalog import load_scenario
from ..decisions import Candidate, Decision, DecisionVerdict, register, verdict
from ..experiments import replicate, sweep
from ..hourly import hourly_service
from ..i18n import N_, _
from ..plots import BASELINE_COLOUR, NotebookFigure, kpi_axis_label, plot_wait_distribution
from ..results import Result, kpi_label
from ..rota_editor import RotaEditor, plot_service_by_hour, rota_cost
from ..scenario import Scenario
from ..simulation import simulate
from ..widgets import Control, Dashboard
from . import Verdict, check_answer

__all__ = [
    "DECISION",
    "EXERCISE",
    "EXTRA_AGENT_HOURS",
    "QUEUE_KPIS",
    "SHIFTS",
    "bank_by_hour",
    "check_extra_shift",
    "check_staff_for_target",
    "dashboard",
    "extra_shift_rota",
    "lost_hours",
    "plot_bank_by_hour",
    "plot_shifts_by_hour",
    "rota_editor",
    "shifts_by_hour",
    "trust_summary",
    "trust_table",
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


#: The columns of :func:`trust_table`: (KPI, simulated or formula) -> its heading.
_TRUST_COLUMNS = {
    ("mean_wait_min", "simulated"): N_("mean wait (min), simulated"),
    ("mean_wait_min", "theory"): N_("mean wait (min), formula"),
    ("service_level", "simulated"): N_("within 5 min, simulated"),
    ("service_level", "theory"): N_("within 5 min, formula"),
    ("abandonment_rate", "simulated"): N_("hung up, simulated"),
    ("abandonment_rate", "theory"): N_("hung up, formula"),
    ("utilisation", "simulated"): N_("agents busy, simulated"),
}


def trust_table(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`staff_sweep` as one row per number of agents: each KPI simulated (mean of
    the runs) beside the Erlang A formula, shares in percent.  How many formula values
    lie inside the simulation's 95% interval is in ``table.attrs["inside"]`` (of
    ``table.attrs["cases"]``)."""
    rows: dict[int, dict[str, float]] = {}
    kinds = {}
    for (kpi, column), heading in _TRUST_COLUMNS.items():
        label = _(heading)
        kinds[label] = "share" if kpi != "mean_wait_min" else "number"
        for _index, row in frame[frame["kpi"] == kpi].iterrows():
            rows.setdefault(int(row["staff"]), {})[label] = float(row[column])
    table = pd.DataFrame.from_dict(rows, orient="index").sort_index()
    table.index.name = _("agents")
    table.attrs["column_kinds"] = kinds
    inside = (frame["ci_low"] <= frame["theory"]) & (frame["theory"] <= frame["ci_high"])
    table.attrs["inside"], table.attrs["cases"] = int(inside.sum()), len(frame)
    return table


def trust_summary(frame: pd.DataFrame) -> str:
    """One sentence: in how many cases the formula lies inside the simulation's interval."""
    table = trust_table(frame)
    return _(
        "The Erlang A formula lies inside the simulation's 95% interval in {inside} of "
        "{cases} cases ({levels} staffing levels x {kpis} KPIs).",
        inside=table.attrs["inside"],
        cases=table.attrs["cases"],
        levels=len(table),
        kpis=len(QUEUE_KPIS),
    )


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
    abandonment, utilisation, CSAT; rounded to 3 digits.
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
    return table.round(3)  # shares to a tenth of a percent


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
    """Calls an hour, agents, handle time and patience on one phone queue, simulation
    beside Erlang A.

    The queue is ``erlang_check`` (540 calls an hour, 1-minute calls) with a warm-up of
    0.1 day and ``days=1``, so a slider answers in well under a second.  The ranges cover
    the bank's busiest hour of the staffing question in the instructor guide (120 calls
    an hour, 4-minute calls, 3-minute patience, :data:`EXERCISE`).
    """
    controls = [
        Control(
            "arrivals.rate_per_hour",
            _("Calls an hour"),
            "float",
            min=30,
            max=720,
            step=30,
            key="calls_per_hour",
        ),
        Control(
            f"touchpoints.{TOUCHPOINT}.staff",
            _("Agents on duty"),
            "int",
            min=1,
            max=16,
            key="agents",
        ),
        Control(
            f"touchpoints.{TOUCHPOINT}.service_min.mean",
            _("Mean handle time (min)"),
            "float",
            min=0.5,
            max=8.0,
            step=0.5,
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


# --------------------------------------------------------------------------- the bank by hour
BANK = "contact_centre"
BANK_TOUCHPOINT = "phone"
#: The share answered within five minutes a manager aims for at every hour (the chart's
#: dashed line): the industry's usual 80% (the "80/20" service level), stricter than
#: N1's three quarters.
HOURLY_TARGET = 0.8


def bank_by_hour(n: int = 5, days: float = 28, seed: int = 1) -> pd.DataFrame:
    """The bank's phone line (``contact_centre``, its own rota) by hour of day: mean of
    ``n`` seeded runs of ``days`` days and a 95% band (:func:`cxsim.hourly.hourly_service`)."""
    runs = [simulate(BANK, seed=seed + k, days=days) for k in range(n)]
    return hourly_service(runs, BANK_TOUCHPOINT)


def lost_hours(table: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """The ``k`` hours of :func:`bank_by_hour` (or any table of
    :func:`cxsim.hourly.hourly_service`) where most callers hang up, a day, worst first:
    calls, agents on duty, service level, abandonment and hang-ups."""
    worst = table.sort_values("abandoned", ascending=False).head(k)
    shown = pd.DataFrame(
        {
            _("calls a day"): worst["calls"].round(1),
            _("agents on duty"): worst["staff"].round(1),
            kpi_label("service_level"): worst["service_level"].round(3),
            kpi_label("abandonment_rate"): worst["abandonment_rate"].round(3),
            _("hung up a day"): worst["abandoned"].round(1),
        }
    )
    shown.index = [f"{hour:02d}:00" for hour in worst.index]
    shown.index.name = _("hour")
    shown.attrs["column_kinds"] = {
        _("calls a day"): "number",
        _("agents on duty"): "number",
        _("hung up a day"): "number",
    }
    return shown


def plot_bank_by_hour(table: pd.DataFrame | None = None) -> Figure:
    """:func:`bank_by_hour` drawn (computed with its defaults unless ``table`` is given):
    service level by hour against the target, and the callers who hung up, a day."""
    return plot_service_by_hour(
        {_("the bank's rota"): bank_by_hour() if table is None else table},
        target=HOURLY_TARGET,
        title=_("The bank's phone line hour by hour"),
    )


# --------------------------------------------------------------------------- the decision
#: The budget: one more agent for a four-hour shift a day.
EXTRA_AGENT_HOURS = 4
#: Where the four extra agent-hours can go: key -> (label, hours of day with one more agent).
SHIFTS: dict[str, tuple[str, tuple[int, ...]]] = {
    "morning": (N_("morning peak, 08:00-12:00"), (8, 9, 10, 11)),
    "lunch": (N_("lunch, 11:00-15:00"), (11, 12, 13, 14)),
    "afternoon": (N_("afternoon, 14:00-18:00"), (14, 15, 16, 17)),
    "evening": (N_("evening, 19:00-23:00"), (19, 20, 21, 22)),
    "busiest": (N_("the four busiest hours: 10, 11, 14 and 15"), (10, 11, 14, 15)),
}


def extra_shift_rota(shift: str) -> list[int]:
    """The bank's rota with one more agent at each hour of ``shift`` (a key of
    :data:`SHIFTS`): 4 more agent-hours a day, whichever the shift."""
    if shift not in SHIFTS:
        raise ValueError(
            _("unknown shift {shift!r}; allowed: {allowed}", shift=shift, allowed=", ".join(SHIFTS))
        )
    rota = list(load_scenario(BANK).touchpoint(BANK_TOUCHPOINT).hourly_staff)
    for hour in SHIFTS[shift][1]:
        rota[hour] += 1
    return rota


#: The exercise: where does a four-hour shift answer the most callers within five
#: minutes?  Every candidate costs the same (4 agent-hours a day), so the decision is
#: judged on the service level (N1's measure); profit is shown beside it.  14 paired
#: runs of 28 days (about 50 s of computing, shipped precomputed).
DECISION = register(
    Decision(
        name="l02_extra_shift",
        scenario=BANK,
        question=N_(
            "The bank can pay one more agent for a four-hour shift every day (4 "
            "agent-hours a day, 5.6 million toman a week). Which four hours answer the "
            "most callers within five minutes?"
        ),
        candidates=tuple(
            Candidate(key, label, {f"touchpoints.{BANK_TOUCHPOINT}.staff": extra_shift_rota(key)})
            for key, (label, _hours) in SHIFTS.items()
        ),
        objective="service_level",
        maximise=True,
        replications=14,
        days=28,
        seed=0,
        shown=("abandonment_rate", "staff_cost", "profit"),
    )
)


def check_extra_shift(answer: Any) -> DecisionVerdict:
    """Exercise: which four-hour shift answers the most callers within five minutes
    (:data:`DECISION`)?  Say why, with the numbers of every shift."""
    return verdict(DECISION, answer)


def shifts_by_hour(
    shifts: tuple[str, ...] = ("lunch", "busiest", "evening"),
    n: int = 5,
    days: float = 28,
    seed: int = 0,
) -> dict[str, pd.DataFrame]:
    """Service by hour of the bank's rota and of each shift's rota, ``n`` paired runs
    each (the same seeds): where in the day each shift's gain comes from."""
    rotas: dict[str, list[int] | None] = {_("the bank's rota"): None}
    rotas.update({_(SHIFTS[key][0]): extra_shift_rota(key) for key in shifts})
    tables = {}
    for label, rota in rotas.items():
        scenario = load_scenario(BANK)
        if rota is not None:
            scenario = scenario.with_overrides(
                {f"touchpoints.{BANK_TOUCHPOINT}.staff": rota}, path="shift"
            )
        runs = [simulate(scenario, seed=seed + k, days=days) for k in range(n)]
        tables[label] = hourly_service(runs, BANK_TOUCHPOINT)
    return tables


def plot_shifts_by_hour(tables: dict[str, pd.DataFrame]) -> Figure:
    """:func:`shifts_by_hour` drawn side by side, hour by hour."""
    return plot_service_by_hour(
        tables, target=HOURLY_TARGET, title=_("Where each shift's extra hours go")
    )


def rota_editor(seed: int = 0, days: float = 28) -> RotaEditor:
    """The bank's rota in the editor (:class:`cxsim.rota_editor.RotaEditor`), with the
    decision's shifts as presets: try each before you answer."""
    presets = {_(label): extra_shift_rota(key) for key, (label, _hours) in SHIFTS.items()}
    return RotaEditor(
        BANK,
        BANK_TOUCHPOINT,
        presets=presets,
        seed=seed,
        days=days,
        target=HOURLY_TARGET,
        title=_("The bank's phone rota, hour by hour"),
    )


def shift_cost() -> dict[str, float]:
    """What the four extra agent-hours cost (:func:`cxsim.rota_editor.rota_cost`)."""
    economics = load_scenario(BANK).economics
    return rota_cost([EXTRA_AGENT_HOURS], economics.staff_cost_per_hour)


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
