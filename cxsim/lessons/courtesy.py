"""Lesson 03 · What buys satisfaction most cheaply at airport security? (Q1, Q2, N5).

N5 says an airport study found passengers' satisfaction depended more on how the
security staff behaved than on the time spent in the queue.  The study could not be
traced, and passengers pass security once (they choose a flight, not an airport), so
the airport earns nothing from a happier passenger: its books are its costs.  The
lesson therefore asks N5 as a question of cost-effectiveness: *what is the cheapest way
to a satisfaction target?*  Its parts:

- the priced levers, alone (:data:`SINGLE_LEVERS`): courtesy training (half or full) and
  lanes (one more in the evening wave, or at every hour with passengers), with their
  cost and CSAT from paired runs (:func:`lever_table`, :func:`plot_cost_against_csat`);
- a check by hour of day (:func:`hourly_frame`, :func:`plot_by_hour`): where the queue
  builds, what each lever changes hour by hour, and the night lane that serves nobody;
- a dashboard with exactly the decision's levers (lane plan and training), cost beside
  CSAT (:func:`dashboard`);
- the decision (:data:`DECISION`, :func:`check_cheapest_fix`): the cheapest of eight
  priced plans that reaches CSAT :data:`TARGET_CSAT`, judged on paired runs
  (:mod:`cxsim.decisions`: cost minimised, the target a constraint).

Every conclusion rests on the model's assumed weight of courtesy in a passenger's score
(``behaviour.contact.courtesy_weight``, 5 points) and on passengers expecting about ten
minutes at security; the lesson says so, and the assumptions panel varies them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..catalog import load_scenario
from ..decisions import Candidate, Decision, DecisionVerdict, judge, register, verdict
from ..experiments import Comparison, compare, replication_seed, t_critical
from ..formatting import format_value
from ..i18n import N_, _
from ..metrics import remembered_csat
from ..plots import (
    BASELINE_COLOUR,
    NotebookFigure,
    kpi_axis_label,
    plot_kpi_comparison,
)
from ..results import kpi_label
from ..scenario import Scenario
from ..simulation import simulate
from ..widgets import Control, Dashboard, kpi_frame
from . import in_millions

__all__ = [
    "DASHBOARD_KPIS",
    "DECISION",
    "EVENING_HOURS",
    "LANE_PLANS",
    "SINGLE_LEVERS",
    "TARGET_CSAT",
    "best_answer",
    "check_cheapest_fix",
    "compare_policies",
    "dashboard",
    "dashboard_values",
    "hourly_frame",
    "kpi_table",
    "lane_plan",
    "lever_table",
    "plot_by_hour",
    "plot_cost_against_csat",
    "shown_lever_table",
]

SCENARIO = "airport_security"
TOUCHPOINT = "security"
_STAFF = f"touchpoints.{TOUCHPOINT}.staff"
_TRAINING = "levers.training"

#: The airport's satisfaction target at security: the share of passengers who remember
#: the departure at 7 of 10 or more.  A teaching choice: above what full courtesy
#: training reaches alone (about 77%), below what training and lanes reach together, so
#: the cheapest way to it is a real trade-off rather than "more of everything".
TARGET_CSAT = 0.80
#: The evening wave's hours (17:00-20:00): three lanes face the day's second peak of
#: departures and the queue builds there (see :func:`plot_by_hour`).
EVENING_HOURS = (17, 18, 19)
#: The KPIs the dashboard shows: the queue, satisfaction, and the airport's costs.
DASHBOARD_KPIS = (
    "mean_wait_min",
    "service_level",
    "csat",
    "nps",
    "staff_cost",
    "training_cost",
    "cost",
)
#: The lane plans the decision and the dashboard offer (English labels, for the catalogue).
LANE_PLANS = {
    "today": N_("lanes as today"),
    "evening": N_("one more lane 17:00-20:00"),
    "every_hour": N_("one more lane at every hour with passengers"),
}


def _rota(scenario: Scenario | str = SCENARIO) -> list[int]:
    return list(load_scenario(scenario).touchpoint(TOUCHPOINT).hourly_staff)


def lane_plan(name: str) -> list[int]:
    """The security rota of a lane plan of :data:`LANE_PLANS`.

    ``"evening"`` adds one lane at 17:00, 18:00 and 19:00 (three lane-hours a day);
    ``"every_hour"`` is the scenario's ``more_lanes`` policy: one more lane at every
    hour with departing passengers, 04:00-23:00 (19 lane-hours), the empty night keeping
    its single lane.

    >>> sum(lane_plan("evening")) - sum(lane_plan("today")), lane_plan("evening")[17:20]
    (3, [4, 4, 3])
    """
    if name not in LANE_PLANS:
        raise ValueError(
            _(
                "lane plan {name!r} is unknown; allowed: {allowed}",
                name=name,
                allowed=", ".join(LANE_PLANS),
            )
        )
    scenario = load_scenario(SCENARIO)
    if name == "every_hour":
        return list(scenario.with_policy("more_lanes").touchpoint(TOUCHPOINT).hourly_staff)
    rota = _rota(scenario)
    if name == "evening":
        for hour in EVENING_HOURS:
            rota[hour] += 1
    return rota


def _plan(lanes: str = "today", training: float = 0.0) -> dict[str, Any] | None:
    """The overrides of a lane plan and a training level (None: the scenario as it is)."""
    spec: dict[str, Any] = {}
    if lanes != "today":
        spec[_STAFF] = lane_plan(lanes)
    if training:
        spec[_TRAINING] = float(training)
    return spec or None


# --------------------------------------------------------------------------- the decision
#: (key, label, lane plan, training) of every answer, cheapest first.
_ANSWERS = (
    ("today", N_("as today"), "today", 0.0),
    ("evening_lane", N_("one more lane 17:00-20:00"), "evening", 0.0),
    ("half_training", N_("half courtesy training"), "today", 0.5),
    ("half_training_evening_lane", N_("half training + one more lane 17:00-20:00"), "evening", 0.5),
    ("full_training", N_("full courtesy training"), "today", 1.0),
    ("full_training_evening_lane", N_("full training + one more lane 17:00-20:00"), "evening", 1.0),
    ("lane_every_hour", N_("one more lane at every hour"), "every_hour", 0.0),
    (
        "full_training_lane_every_hour",
        N_("full training + one more lane at every hour"),
        "every_hour",
        1.0,
    ),
)
#: The answers that pull one lever alone (the lesson's first table and figure).
SINGLE_LEVERS = ("today", "evening_lane", "half_training", "full_training", "lane_every_hour")

#: The cheapest way to the target, judged on 20 paired weeks (cost is certain for a
#: plan: lanes and training are paid whatever happens; CSAT is not).
DECISION = register(
    Decision(
        name="l03_cheapest_csat",
        scenario=SCENARIO,
        question=N_(
            "Which plan reaches the airport's target, CSAT of at least 80% at security, "
            "at the lowest cost?"
        ),
        candidates=tuple(
            Candidate(key, label, _plan(lanes, training))
            for key, label, lanes, training in _ANSWERS
        ),
        objective="cost",
        maximise=False,
        constraint=("csat", TARGET_CSAT),
        replications=20,
        days=7,
        seed=0,
        shown=("mean_wait_min", "staff_cost", "training_cost"),
    )
)


def check_cheapest_fix(answer: str) -> DecisionVerdict:
    """Exercise: the cheapest plan that reaches CSAT :data:`TARGET_CSAT` at security.

    ``answer``: a plan's key (``"full_training"``) or its label, in English or Persian.
    The verdict judges it on the decision's 20 paired weeks: a plan whose CSAT interval
    lies wholly below the target misses it; among the others the cheapest wins, and it
    says why with the numbers (:func:`cxsim.decisions.verdict`).
    """
    return verdict(DECISION, answer)


def _mean_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    x = np.asarray(values, dtype=float)
    half = t_critical(len(x) - 1, level) * x.std(ddof=1) / math.sqrt(len(x))
    return float(x.mean()), float(x.mean() - half), float(x.mean() + half)


def lever_table(keys: Sequence[str] = SINGLE_LEVERS) -> pd.DataFrame:
    """The answers ``keys`` from the decision's paired weeks (precomputed, instant).

    Per answer: its extra cost over today and its CSAT with a 95% interval, what one
    percentage point of CSAT gained costs, and the mean wait.  Money in million toman a
    week.  Columns are machine names (``extra_cost``, ``csat``, ``csat_low``,
    ``csat_high``, ``cost_per_point``, ``mean_wait_min``); rows the answers' keys."""
    runs = DECISION.runs()
    base_cost = float(np.mean(runs["today"]["cost"]))
    base_csat = float(np.mean(runs["today"]["csat"]))
    rows = {}
    for key in keys:
        if key not in runs:
            raise ValueError(
                _("answer {key!r} is unknown; allowed: {allowed}", key=key, allowed=", ".join(runs))
            )
        csat, low, high = _mean_interval(runs[key]["csat"])
        extra = (float(np.mean(runs[key]["cost"])) - base_cost) / 1e6
        points = (csat - base_csat) * 100
        rows[key] = {
            "extra_cost": extra,
            "csat": csat,
            "csat_low": low,
            "csat_high": high,
            "cost_per_point": extra / points if points > 0 else np.nan,
            "mean_wait_min": float(np.mean(runs[key]["mean_wait_min"])),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _label(key: str) -> str:
    return _(next(label for k, label, _lanes, _t in _ANSWERS if k == key))


def shown_lever_table(keys: Sequence[str] = SINGLE_LEVERS) -> pd.DataFrame:
    """:func:`lever_table` for people: labels in the reader's language, values rounded."""
    table = lever_table(keys)
    interval = [
        f"{format_value(low, 'share', decimals=1)} - {format_value(high, 'share', decimals=1)}"
        for low, high in zip(table["csat_low"], table["csat_high"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            _("extra cost a week (million toman)"): table["extra_cost"].round(1).to_numpy(),
            kpi_label("csat"): table["csat"].round(3).to_numpy(),
            _("95% interval"): interval,
            _("cost of one point of CSAT (million toman a week)"): (
                table["cost_per_point"].round(2).to_numpy()
            ),
            kpi_label("mean_wait_min"): table["mean_wait_min"].round(1).to_numpy(),
        },
        index=[_label(key) for key in table.index],
    )
    shown.index.name = _("plan")
    return shown


# One colour per answer (Okabe-Ito and two darker tones): a plan keeps its colour everywhere.
_COLOURS = {
    "today": BASELINE_COLOUR,
    "evening_lane": "#E69F00",
    "half_training": "#56B4E9",
    "half_training_evening_lane": "#CC79A7",
    "full_training": "#009E73",
    "full_training_evening_lane": "#882255",
    "lane_every_hour": "#D55E00",
    "full_training_lane_every_hour": "#000000",
}


def plot_cost_against_csat(keys: Sequence[str] = SINGLE_LEVERS) -> Figure:
    """Each answer's extra cost a week (x, from 0) against its CSAT with its 95% interval
    (y, 0-100%), the target as a dashed line: the cheapest point on or above the line is
    the cheapest way to the target."""
    table = lever_table(keys)
    figure = NotebookFigure(figsize=(9.0, 5.0), layout="constrained")
    axes = figure.subplots()
    for key, row in table.iterrows():
        colour = _COLOURS[key]
        axes.errorbar(
            row["extra_cost"],
            row["csat"] * 100,
            yerr=[
                [(row["csat"] - row["csat_low"]) * 100],
                [(row["csat_high"] - row["csat"]) * 100],
            ],
            fmt="o",
            color=colour,
            markersize=8,
            capsize=4,
            label=_label(key),
        )
        axes.annotate(
            f"{format_value(row['csat'] * 100, 'number', decimals=1)}%",
            (row["extra_cost"], row["csat"] * 100),
            textcoords="offset points",
            xytext=(8, -12),
            fontsize="small",
            color=colour,
        )
    axes.axhline(TARGET_CSAT * 100, color="#555555", linestyle="--", linewidth=1)
    axes.annotate(
        _("target {target}%", target=format_value(TARGET_CSAT * 100, "number", decimals=0)),
        (0, TARGET_CSAT * 100),
        textcoords="offset points",
        xytext=(4, 4),
        fontsize="small",
        color="#555555",
    )
    axes.set_xlim(left=0, right=max(float(table["extra_cost"].max()) * 1.15, 1.0))
    axes.set_ylim(0, 100)
    axes.set_xlabel(_("Extra cost over today (million toman a week)"))
    axes.set_ylabel(kpi_axis_label("csat"))
    axes.legend(title=_("plan"), fontsize="small", loc="lower right")
    axes.set_title(
        _(
            "What each plan buys: CSAT against its cost ({n} paired weeks)",
            n=format_value(DECISION.replications, "count"),
        ),
        fontsize="medium",
    )
    return figure


# --------------------------------------------------------------------------- by hour
#: (key, lane plan, training) of the plans the hour-by-hour check compares.
_HOURLY_PLANS = (
    ("today", "today", 0.0),
    ("full_training", "today", 1.0),
    ("evening_lane", "evening", 0.0),
)


def hourly_frame(n: int = 2, days: float = 7, seed: int = 0) -> pd.DataFrame:
    """Hour by hour, for today, full training and the evening lane: passengers a day,
    lanes open, mean wait at security and CSAT (journeys by the hour they reached
    security), over ``n`` runs of ``days`` days on the same seeds as the decision.

    Columns: ``plan``, ``hour``, ``passengers`` (a day), ``lanes``, ``mean_wait_min``,
    ``csat`` (NaN in an hour without passengers)."""
    scenario = load_scenario(SCENARIO)
    frames = []
    for key, lanes, training in _HOURLY_PLANS:
        spec = _plan(lanes, training)
        variant = scenario.with_overrides(spec, path="plan") if spec else scenario
        rota = list(variant.touchpoint(TOUCHPOINT).hourly_staff)
        visits, journeys = [], []
        for i in range(n):
            result = simulate(variant, seed=replication_seed(seed, i), days=days)
            here = result.interactions
            here = here[here["touchpoint"] == TOUCHPOINT]
            visits.append(here.assign(run=i))
            journeys.append(result.journeys.assign(run=i))
        visit = pd.concat(visits, ignore_index=True)
        journey = pd.concat(journeys, ignore_index=True).set_index(["run", "journey_id"])
        visit["hour"] = (visit["arrival_min"] % 1440 // 60).astype(int)
        visit["memory_score"] = journey.loc[
            list(zip(visit["run"], visit["journey_id"], strict=True)), "memory_score"
        ].to_numpy()
        for hour in range(24):
            at = visit[visit["hour"] == hour]
            frames.append(
                {
                    "plan": key,
                    "hour": hour,
                    "passengers": len(at) / (n * days),
                    "lanes": rota[hour],
                    "mean_wait_min": float(at["wait_min"].mean()) if len(at) else np.nan,
                    "csat": remembered_csat(at) if len(at) else np.nan,
                }
            )
    return pd.DataFrame(frames)


def plot_by_hour(frame: pd.DataFrame) -> Figure:
    """Three panels over the day: passengers a day and lanes open (today), the mean wait,
    and CSAT, one line per plan of :func:`hourly_frame`."""
    figure = NotebookFigure(figsize=(10.0, 8.0), layout="constrained")
    top, middle, bottom = figure.subplots(3, 1, sharex=True)
    today = frame[frame["plan"] == "today"].sort_values("hour")
    hours = today["hour"].to_numpy()
    top.bar(hours, today["passengers"], color="#BBBBBB", label=_("passengers a day"))
    top.set_ylabel(_("Passengers a day"))
    top.set_ylim(bottom=0)
    lanes_axis = top.twinx()
    lanes_axis.step(hours, today["lanes"], where="mid", color=BASELINE_COLOUR)
    lanes_axis.set_ylabel(_("Lanes open today"), color=BASELINE_COLOUR)
    lanes_axis.set_ylim(0, max(today["lanes"]) + 1)
    empty = today[(today["passengers"] == 0) & (today["lanes"] > 0)]
    if len(empty):
        top.annotate(
            _("a lane open, no passengers"),
            (float(empty["hour"].min()), 0),
            textcoords="offset points",
            xytext=(0, 20),
            fontsize="small",
        )
    top.set_title(_("Passengers and lanes by hour of day (today)"), fontsize="medium")
    for key, _lanes, _training in _HOURLY_PLANS:
        line = frame[frame["plan"] == key].sort_values("hour")
        colour = _COLOURS[key]
        label = _label(key)
        middle.plot(line["hour"], line["mean_wait_min"], marker=".", color=colour, label=label)
        bottom.plot(line["hour"], line["csat"] * 100, marker=".", color=colour, label=label)
    middle.set_ylabel(kpi_axis_label("mean_wait_min"))
    middle.set_ylim(bottom=0)
    middle.set_title(_("The queue by hour: where a lane helps"), fontsize="medium")
    middle.legend(fontsize="small", loc="upper left")
    bottom.set_ylabel(kpi_axis_label("csat"))
    bottom.set_ylim(0, 100)
    bottom.axhline(TARGET_CSAT * 100, color="#555555", linestyle="--", linewidth=1)
    bottom.set_title(_("CSAT by hour: training lifts every hour"), fontsize="medium")
    bottom.set_xlabel(_("Hour of day"))
    bottom.set_xticks(range(0, 24, 2))
    return figure


# --------------------------------------------------------------------------- comparison
def compare_policies(
    n: int = 5, days: float = 7, seed: int = 0, progress: bool = False
) -> Comparison:
    """Baseline, ``more_lanes`` and ``courteous_staff``, ``n`` paired replications each
    (the comparison the assumptions panel varies)."""
    return compare(
        SCENARIO,
        [None, "more_lanes", "courteous_staff"],
        n,
        seed=seed,
        days=days,
        progress=progress,
    )


# --------------------------------------------------------------------------- dashboard
def kpi_table(results: Any, kpis: Sequence[str] = DASHBOARD_KPIS) -> pd.DataFrame:
    """:func:`cxsim.widgets.kpi_frame` with money in million toman (readable, no 1e+08)."""
    return in_millions(kpi_frame(results, kpis, digits=4)).round(2) + 0.0


def _view(results: Any) -> tuple[pd.DataFrame, list[Figure]]:
    table = kpi_table(results)
    figure = plot_kpi_comparison(results, ["mean_wait_min", "csat", "cost"])
    return table, [figure]


def _lane_options() -> tuple[tuple[str, list[int]], ...]:
    return tuple((_(label), lane_plan(name)) for name, label in LANE_PLANS.items())


def dashboard(seed: int = 0, days: float = 7) -> Dashboard:
    """The decision's levers, a week at airport security beside today's.

    Controls: the lane plan (as today, one more lane 17:00-20:00, one more lane at every
    hour with passengers) and courtesy training (0 none, 0.5 half, 1 full): every answer
    of :data:`DECISION` is one setting.  The table shows the queue, CSAT and the week's
    costs in million toman (one week on one seed: the decision judges on twenty).
    """
    controls = [
        Control(_STAFF, _("Security lanes"), "dropdown", options=_lane_options(), key="lanes"),
        Control(
            _TRAINING,
            _("Courtesy training (0 none, 1 full)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.25,
            key="training",
        ),
    ]
    return Dashboard(
        load_scenario(SCENARIO),
        controls,
        _view,
        reference=True,
        seed=seed,
        days=days,
        title=_("Airport security: the cheapest way to satisfied passengers"),
    )


def dashboard_values(key: str) -> Mapping[str, Any]:
    """The dashboard's control values that set answer ``key`` of :data:`DECISION`."""
    for k, _label, lanes, training in _ANSWERS:
        if k == key:
            return {"lanes": lane_plan(lanes), "training": training}
    raise ValueError(
        _(
            "answer {key!r} is unknown; allowed: {allowed}",
            key=key,
            allowed=", ".join(k for k, *_rest in _ANSWERS),
        )
    )


def best_answer() -> str:
    """The key of the cheapest answer that reaches the target (the decision's best)."""
    return judge(DECISION).best.key
