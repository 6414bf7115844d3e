"""Lesson 05: retention and revenue (claims N2, N4, Q12).

One bad experience drives customers away (N2: 25%); the firm's books
(revenue, staff cost, training cost, profit, customer lifetime value, in
toman) show when generosity stops paying (Q12).  A 24-hour rota cannot be
swept as one number, so :func:`extra_agent_policies` builds one variant per
number of extra agents at every hour, for :func:`cxsim.compare`.

>>> sorted(extra_agent_policies([0, 1]))
['+0', '+1']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import behaviour
from ..catalog import load_scenario
from ..decisions import Candidate, Decision, DecisionVerdict, register, verdict
from ..experiments import SerialExecutor, compare, confidence_interval, replicate, sweep
from ..formatting import format_value
from ..i18n import N_, _, currency_name
from ..plots import NotebookFigure, plot_sweep, policy_colour
from ..results import Result, kpi_label
from ..rota import shift_rota
from ..widgets import Control, Dashboard, kpi_frame
from . import in_millions

__all__ = [
    "DECISION",
    "EXTRA_AGENTS",
    "SCENARIO",
    "TRAINING_LEVELS",
    "best_row",
    "books_table",
    "check_best_extra_agents",
    "decision_sweep",
    "dashboard",
    "extra_agent_policies",
    "leave_after_bad_table",
    "plot_daily_active",
    "plot_leave_curve",
    "plot_profit_by_agents",
    "plot_profit_by_training",
    "profit_table",
    "staff_sweep",
    "training_sweep",
]

#: The scenario of the lesson: a bank's phone line over four weeks.
SCENARIO = "contact_centre"
#: Extra agents at every hour, as swept in the lesson.
EXTRA_AGENTS = (-1, 0, 1, 2, 3, 4)
#: Courtesy training levels, as swept in the lesson.
TRAINING_LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)
#: The KPIs of the books, in the order the lesson prints them.
BOOK_KPIS = (
    "revenue",
    "staff_cost",
    "training_cost",
    "follow_up_cost",
    "cost",
    "customer_equity",
    "profit",
    "clv",
)
_MONEY = frozenset(BOOK_KPIS)
_DASHBOARD_KPIS = (
    "revenue",
    "staff_cost",
    "training_cost",
    "customer_equity",
    "profit",
    "churn_per_year",
    "csat",
    "abandonment_rate",
)
_SWEEP_DAYS = 14
_SWEEP_N = 5


# --------------------------------------------------------------------------- one bad experience
def leave_after_bad_table(
    n: int = 5, *, seed: int = 0, days: float | None = None, progress: bool = False
) -> pd.DataFrame:
    """``n`` replications of the scenario: journeys remembered as bad, share leaving after
    one, retention; mean and 95% interval, beside the claim N2 and the PwC 2018 figures."""
    reps = replicate(
        SCENARIO, n, seed=seed, days=days, progress=progress, executor=SerialExecutor()
    )
    summary = reps.summary()
    rows = {}
    for kpi in ("bad_journey_rate", "leave_after_bad", "retention_rate"):
        stats = summary.loc[kpi]
        rows[kpi_label(kpi)] = {
            _("mean"): stats["mean"],
            _("CI low"): stats["ci_low"],
            _("CI high"): stats["ci_high"],
        }
    table = pd.DataFrame(rows).T.round(3)
    table.index.name = _("KPI ({n} runs)", n=n)
    return table


def plot_leave_curve(observed: float | pd.DataFrame | None = None) -> Figure:
    """The chance of leaving after a journey, by its remembered score (the model's curve).

    Dashed lines mark the "bad journey" threshold (5) and the claim N2 (25%);
    ``observed`` (a share, or the table of :func:`leave_after_bad_table`) adds the
    simulated share leaving after a bad journey.
    """
    if isinstance(observed, pd.DataFrame):  # its labels are in the reader's language
        observed = float(observed.loc[kpi_label("leave_after_bad"), _("mean")])
    defaults = load_scenario(SCENARIO).behaviour
    threshold = defaults.bad_memory_below if defaults is not None else 5.0
    scores = np.linspace(0, 10, 201)
    retention = defaults.retention
    chances = [
        behaviour.leave_probability(
            score,
            floor=retention.floor,
            ceiling=retention.ceiling,
            midpoint=retention.midpoint,
            steepness=retention.steepness,
        )
        for score in scores
    ]
    figure = NotebookFigure(figsize=(7.5, 4.2), layout="constrained")
    ax = figure.subplots()
    ax.plot(
        scores,
        chances,
        color=policy_colour(None),
        linewidth=2,
        label=_("chance of leaving (model)"),
    )
    ax.axvline(
        threshold,
        color="#555555",
        linestyle="--",
        linewidth=1,
        label=_("bad journey: remembered below {x:g}", x=threshold),
    )
    ax.axhline(
        0.25,
        color="#D55E00",
        linestyle=":",
        linewidth=1.5,
        label=_("claim N2: 25% leave after one bad experience"),
    )
    if observed is not None:
        ax.axhline(
            observed,
            color="#009E73",
            linestyle="-.",
            linewidth=1.5,
            label=_("simulated: {share:.0%} left after a bad journey", share=observed),
        )
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 0.35)
    ax.yaxis.set_major_formatter(lambda value, _pos: f"{100 * value:.0f}%")
    ax.set_xlabel(_("Remembered score of the journey (points, 0-10)"))
    ax.set_ylabel(_("Chance of not coming back (%)"))
    ax.legend(fontsize="small", loc="upper right")
    ax.grid(True, alpha=0.3)
    figure.suptitle(_("One bad experience: who leaves"))
    return figure


# --------------------------------------------------------------------------- the books
def books_table(results: Mapping[str, Result]) -> pd.DataFrame:
    """The books of each run, in million toman: revenue, costs, profit and CLV."""
    columns = {}
    for label, result in results.items():
        kpis = result.kpis()
        columns[label] = {kpi_label(kpi): kpis[kpi] / 1e6 for kpi in BOOK_KPIS}
    table = pd.DataFrame(columns).round(1)
    currency = next(iter(results.values())).scenario.economics.currency
    table.index.name = _("million {currency}", currency=currency_name(currency))
    return table


# --------------------------------------------------------------------------- sweeps
def extra_agent_policies(
    extra: Iterable[int] = EXTRA_AGENTS, *, touchpoint: str = "phone", scenario: str = SCENARIO
) -> dict[str, dict[str, Any]]:
    """Label -> overrides, one per number of extra agents at every open hour
    (:func:`cxsim.rota.shift_rota`: an open hour keeps at least one agent).

    For :func:`cxsim.compare`: ``compare("contact_centre", extra_agent_policies(), 5)``.
    """
    rota = list(load_scenario(scenario).touchpoint(touchpoint).hourly_staff)
    return {f"{k:+d}": {f"touchpoints.{touchpoint}.staff": shift_rota(rota, k)} for k in extra}


@lru_cache(maxsize=4)
def _staff_sweep(extra: tuple[int, ...], n: int, seed: int, days: float) -> pd.DataFrame:
    comparison = compare(
        SCENARIO, extra_agent_policies(extra), n, seed=seed, days=days, progress=False
    )
    summary = comparison.summary()
    labels = {f"{k:+d}": k for k in extra}
    summary.insert(0, "extra_agents", summary["policy"].map(labels).astype(int))
    return summary.drop(columns="policy").sort_values(["kpi", "extra_agents"], ignore_index=True)


def staff_sweep(
    extra: Iterable[int] = EXTRA_AGENTS,
    n: int = _SWEEP_N,
    *,
    seed: int = 0,
    days: float = _SWEEP_DAYS,
) -> pd.DataFrame:
    """Replications at each number of extra agents: a tidy table as :meth:`Sweep.summary`
    gives it (columns ``extra_agents, kpi, mean, std, ci_low, ci_high, half_width, n``).

    ``days`` days per run (14 by default, to keep the lesson short).  Results are cached.
    """
    return _staff_sweep(tuple(int(k) for k in extra), n, seed, days).copy()


@lru_cache(maxsize=4)
def _training_sweep(levels: tuple[float, ...], n: int, seed: int, days: float) -> pd.DataFrame:
    result = sweep(
        SCENARIO, {"levers.training": list(levels)}, n, seed=seed, days=days, progress=False
    )
    return result.summary()


def training_sweep(
    levels: Iterable[float] = TRAINING_LEVELS,
    n: int = _SWEEP_N,
    *,
    seed: int = 0,
    days: float = _SWEEP_DAYS,
) -> pd.DataFrame:
    """Replications at each courtesy training level (``levers.training``): a tidy table."""
    return _training_sweep(tuple(float(x) for x in levels), n, seed, days).copy()


def best_row(table: pd.DataFrame, kpi: str = "profit") -> pd.Series:
    """The row of a tidy sweep table with the highest mean ``kpi``."""
    here = table[table["kpi"] == kpi]
    return here.loc[here["mean"].idxmax()]


def profit_table(table: pd.DataFrame, x: str) -> pd.DataFrame:
    """Profit by setting, in million toman: mean and 95% interval."""
    here = table[table["kpi"] == "profit"].set_index(x)
    out = here[["mean", "ci_low", "ci_high"]] / 1e6
    out.columns = [_("profit (million toman)"), _("CI low"), _("CI high")]
    out.index.name = _(SWEEP_LABELS.get(x, x))
    return out.round(1)


#: What a sweep's setting is called in a table (its override path is for code).
SWEEP_LABELS = {"extra_agents": N_("extra agents"), "levers.training": N_("training level (0-1)")}


def plot_profit_by_agents(table: pd.DataFrame) -> Figure:
    """Profit (mean and interval) against extra agents at every hour."""
    figure = plot_sweep(
        table, x="extra_agents", kpi="profit", xlabel=_("Extra agents at every hour (people)")
    )
    return figure


def plot_profit_by_training(table: pd.DataFrame) -> Figure:
    """Profit (mean and interval) against the courtesy training level."""
    return plot_sweep(
        table,
        x="levers.training",
        kpi="profit",
        xlabel=_("Courtesy training (0 = none, 1 = full programme)"),
    )


# --------------------------------------------------------------------------- dashboard
def plot_daily_active(results: Mapping[str, Result] | Result) -> Figure:
    """Customers active each day (arrived and not yet left), one line per run."""
    if isinstance(results, Result):
        results = {results.policy or _("baseline"): results}
    figure = NotebookFigure(figsize=(7.5, 4.0), layout="constrained")
    ax = figure.subplots()
    for label, result in results.items():
        daily = result.daily
        ax.plot(
            daily["day"] + 1,
            daily["active_customers"],
            marker="o",
            label=str(label),
            color=policy_colour(str(label)),
            linewidth=1.8,
        )
    ax.set_xlabel(_("Day"))
    ax.set_ylabel(_("Active customers (people)"))
    ax.set_ylim(bottom=0)
    ax.legend(title=_("Policy"), fontsize="small")
    ax.grid(True, alpha=0.3)
    figure.suptitle(_("Customers still with the firm, day by day"))
    return figure


def _view(results: Any) -> tuple[pd.DataFrame, list[Figure]]:
    table = in_millions(kpi_frame(results, _DASHBOARD_KPIS, digits=4))
    return table.round(2), [plot_daily_active(results)]


def dashboard(*, seed: int = 0, days: float = 7) -> Dashboard:
    """Extra agents, training and a regular customer's monthly margin → the books, churn,
    active customers.

    Each update runs ``contact_centre`` for ``days`` days (7 by default, to
    answer in a fraction of a second) beside the scenario as it is.
    """
    controls = [
        Control(
            "touchpoints.phone.staff",
            _("Extra agents at every hour"),
            "staff_shift",
            min=-2,
            max=4,
            step=1,
            key="extra_agents",
        ),
        Control(
            "levers.training",
            _("Courtesy training (0-1)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.25,
            key="training",
        ),
        Control(
            "segments.regular.margin_per_month",
            _("Monthly margin of a regular customer (toman)"),
            "int",
            min=20000,
            max=300000,
            step=10000,
            key="margin_per_month",
        ),
    ]
    return Dashboard(
        SCENARIO,
        controls,
        _view,
        reference=True,
        seed=seed,
        days=days,
        title=_("When does generosity pay?"),
    )


# --------------------------------------------------------------------------- exercise
#: Replications and days of the extra-agents decision: four weeks, as the books, and
#: enough paired runs to tell +1 from its neighbours (6 x 20 runs, about 50 s to build).
DECISION_REPLICATIONS = 20
DECISION_DAYS = 28
#: The candidates' labels, by extra agents at every hour (English, for the catalogue).
_DECISION_LABELS = {
    -1: N_("-1: one agent fewer at every hour"),
    0: N_("0: the rota as it is"),
    1: N_("+1: one more at every hour"),
    2: N_("+2: two more at every hour"),
    3: N_("+3: three more at every hour"),
    4: N_("+4: four more at every hour"),
}


def _decision_key(extra: int) -> str:
    return f"{int(extra):+d}"


def _extra_agents_decision() -> Decision:
    policies = extra_agent_policies(EXTRA_AGENTS)
    return register(
        Decision(
            name="l05_extra_agents",
            scenario=SCENARIO,
            question=N_(
                "How many extra agents at every hour (from -1 to +4) give the bank the "
                "highest profit over four weeks (revenue - cost + customer equity)?"
            ),
            candidates=tuple(
                Candidate(_decision_key(k), _DECISION_LABELS[k], policies[_decision_key(k)])
                for k in EXTRA_AGENTS
            ),
            objective="profit",
            maximise=True,
            replications=DECISION_REPLICATIONS,
            days=DECISION_DAYS,
            seed=0,
            shown=("revenue", "staff_cost", "customer_equity", "abandonment_rate"),
        )
    )


#: The lesson's exercise: extra agents at every hour, judged on 20 paired runs of four
#: weeks against the most profitable number (:mod:`cxsim.decisions`).
DECISION = _extra_agents_decision()


def decision_sweep() -> pd.DataFrame:
    """The decision's runs (20 paired runs of four weeks per number of extra agents,
    precomputed, so instant) as a tidy table like :func:`staff_sweep`'s: columns
    ``extra_agents, kpi, mean, std, ci_low, ci_high, half_width, n``, for
    :func:`profit_table` and :func:`plot_profit_by_agents`."""
    runs = DECISION.runs()
    rows = []
    for extra in EXTRA_AGENTS:
        for kpi, values in runs[_decision_key(extra)].items():
            rows.append({"extra_agents": extra, "kpi": kpi, **confidence_interval(values)})
    return pd.DataFrame(rows).sort_values(["kpi", "extra_agents"], ignore_index=True)


def _why(answer: str, best: str) -> str:
    """Why ``answer`` earns less than the best, in million toman over the four weeks:
    what its staff cost against the customers (customer equity) it keeps or loses."""
    runs = DECISION.runs()

    def gap(kpi: str) -> float:
        return float(np.mean(runs[answer][kpi]) - np.mean(runs[best][kpi])) / 1e6

    def amount(value: float) -> str:
        return format_value(abs(value), "number", decimals=1)

    staff, equity = gap("staff_cost"), gap("customer_equity")
    if staff > 0:
        return _(
            "Why: over four weeks its extra agents cost {staff} million toman more than "
            "the best's, and keep customers worth only {equity} million more.",
            staff=amount(staff),
            equity=amount(equity),
        )
    return _(
        "Why: over four weeks it saves {staff} million toman of staff against the best, "
        "but loses customers worth {equity} million (customer equity).",
        staff=amount(staff),
        equity=amount(equity),
    )


def check_best_extra_agents(answer: int | str) -> DecisionVerdict:
    """Exercise: how many extra agents at every hour (from -1 to 4) maximise profit?

    ``answer``: a number of extra agents (``2``, ``"+2"``) or a candidate's label.  The
    verdict judges it on the decision's 20 paired four-week runs (common random numbers):
    every number whose Bonferroni-corrected interval against the best contains 0 is
    accepted, because the runs cannot tell it from the best, and the message says why,
    with the numbers (:func:`cxsim.decisions.verdict`).
    """
    try:
        number = float(str(answer).strip())
    except ValueError:
        number = math.nan
    if not isinstance(answer, bool) and number.is_integer():
        answer = _decision_key(int(number))
    judged = verdict(DECISION, answer)
    chosen = DECISION.candidate(answer)
    if judged.judgement is None or chosen is None:
        return judged  # not one of the answers: the verdict lists them
    best = judged.judgement.best.key
    if chosen.key == best:
        return judged
    message = judged.message + "\n" + _why(chosen.key, best)
    return DecisionVerdict(judged.right, message, judged.judgement)
