"""Lesson 01 · Journeys, not touchpoints (claims N3, Q7, Q11).

Employees can do well at each touchpoint while the whole journey still disappoints
(Q7); experience forms at every touchpoint (Q11); journeys, not touchpoints, drive
satisfaction (N3).  On ``retail_journey`` (website, store, delivery, an outsourced
support line) the lesson sets touchpoint-level scores beside journey-level ones:
problems add up along a journey, and a journey is remembered by its worst (or best)
moment and its end (peak-end, Q9), so one bad step spoils it.

>>> ROWS[-1]
'journey as remembered (peak-end)'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..catalog import load_scenario
from ..decision_widgets import decision_widget
from ..decisions import Candidate, Decision, DecisionVerdict, register
from ..fix_value import ended_journeys, register_rule, rule_table, rule_verdict
from ..i18n import N_, _, translate_name
from ..plots import BASELINE_COLOUR, NotebookFigure
from ..results import Result
from ..simulation import simulate
from ..widgets import Control, Dashboard, change_rota

__all__ = [
    "DECISION",
    "FIXED_TOUCHPOINT",
    "ROWS",
    "artefact_checks",
    "check_best_touchpoint",
    "dashboard",
    "exercise",
    "fix_rule",
    "gain_by_segment_and_hour",
    "journey_kpis",
    "plot_touchpoint_vs_journey",
    "rule_decision_widget",
    "touchpoint_vs_journey",
]

SCENARIO = "retail_journey"
SATISFIED_FROM = 7.0  # a score of 7 or more counts as satisfied (the CSAT of docs/model.md)
#: The journey-level rows of :func:`touchpoint_vs_journey`, after one row per touchpoint.
ROWS = (
    N_("all contacts"),
    N_("journey: average of its steps"),
    N_("journey: step by step"),
    N_("journey as remembered (peak-end)"),
)
_COLUMNS = (N_("count"), N_("mean score (0-10)"), N_("satisfied (7+)"), N_("bad (below 5)"))
_JOURNEY_COLOUR = "#D55E00"  # vermillion: the journey, against blue touchpoints


def _measured(result: Result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Visits with a score and journeys with a memory, started after the warm-up."""
    start = result.window[0]
    visits = result.interactions
    visits = visits[(visits["arrival_min"] >= start) & visits["score"].notna()]
    journeys = result.journeys
    journeys = journeys[(journeys["start_min"] >= start) & journeys["memory_score"].notna()]
    return visits, journeys


def _bad_below(result: Result) -> float:
    behaviour = result.scenario.behaviour
    return float(behaviour.bad_memory_below) if behaviour is not None else 5.0


def touchpoint_vs_journey(result: Result, digits: int = 2) -> pd.DataFrame:
    """Touchpoint-level satisfaction beside journey-level satisfaction.

    One row per touchpoint (its contacts: count, mean score, share satisfied
    (7+), share bad (below 5)), then four journey rows: all contacts pooled;
    each journey's average contact score; "step by step" (satisfied: every step
    7+, bad: at least one step below 5); and the journey as remembered
    (peak-end memory, the score behind CSAT).
    """
    visits, journeys = _measured(result)
    bad = _bad_below(result)
    rows: dict[str, list[float]] = {}

    def describe(scores: pd.Series) -> list[float]:
        return [
            float(len(scores)),
            float(scores.mean()),
            float((scores >= SATISFIED_FROM).mean()),
            float((scores < bad).mean()),
        ]

    for touchpoint in result.scenario.touchpoints:
        here = visits.loc[visits["touchpoint"] == touchpoint.name, "score"]
        if len(here):
            rows[touchpoint.name] = describe(here)
    rows[_(ROWS[0])] = describe(visits["score"])
    steps = visits[visits["journey_id"].isin(journeys["journey_id"])].groupby("journey_id")
    per_journey = steps["score"].agg(["mean", "min"])
    rows[_(ROWS[1])] = describe(per_journey["mean"])
    rows[_(ROWS[2])] = [
        float(len(per_journey)),
        float("nan"),
        float((per_journey["min"] >= SATISFIED_FROM).mean()),
        float((per_journey["min"] < bad).mean()),
    ]
    rows[_(ROWS[3])] = describe(journeys["memory_score"])
    table = pd.DataFrame.from_dict(rows, orient="index", columns=[_(c) for c in _COLUMNS])
    table[_("count")] = table[_("count")].astype(int)
    table.index.name = _("level")
    return table.round(digits)


def plot_touchpoint_vs_journey(table: pd.DataFrame, title: str | None = None) -> Figure:
    """Share satisfied and share bad, touchpoint by touchpoint and for the journey.

    ``table`` is :func:`touchpoint_vs_journey`'s; touchpoint bars are blue, journey
    bars vermillion.
    """
    figure = NotebookFigure(figsize=(11.0, 4.6), layout="constrained")
    axes = figure.subplots(1, 2, sharey=True)
    labels = list(table.index)
    journey_rows = {_(row) for row in ROWS[1:]}
    colours = [_JOURNEY_COLOUR if label in journey_rows else BASELINE_COLOUR for label in labels]
    positions = np.arange(len(labels))[::-1]
    for ax, column, name in zip(
        axes,
        (_COLUMNS[2], _COLUMNS[3]),
        (_("Satisfied (score 7 or more)"), _("Bad (score below 5)")),
        strict=True,
    ):
        values = table[_(column)].to_numpy(dtype=float) * 100
        ax.barh(positions, values, color=colours)
        for y, value in zip(positions, values, strict=True):
            ax.text(value + 1, y, f"{value:.0f}%", va="center", fontsize="small")
        right = 100.0 if column == _COLUMNS[2] else max(30.0, float(np.nanmax(values)) * 1.3)
        ax.set_xlim(0, right)
        ax.set_xlabel(_("{name} (% of contacts or journeys)", name=name))
        ax.set_title(name, fontsize="medium")
        ax.grid(False, axis="y")
    axes[0].set_yticks(positions, [translate_name(str(label)) for label in labels])
    axes[0].set_ylabel(_("Touchpoint (blue) or whole journey (orange)"))
    figure.suptitle(title or _("Each touchpoint against the whole journey"))
    return figure


def journey_kpis(result: Result) -> dict[str, float]:
    """A few numbers of one run: contact scores at the staffed touchpoints and journey CSAT.

    Journey CSAT and the bad share are taken over journeys that have ended (they have
    a memory): ``Result.kpis()["csat"]`` also counts journeys still under way (a parcel
    still on its way at the end of the run) as not satisfied.
    """
    table = touchpoint_vs_journey(result, digits=6)
    score, satisfied, bad = _("mean score (0-10)"), _("satisfied (7+)"), _("bad (below 5)")
    remembered = _(ROWS[3])
    kpis = result.kpis()
    # keyed by English labels (and a KPI name), translated when shown (cxsim.formatting)
    return {
        N_("Store: mean contact score (0-10)"): table.loc["store", score],
        N_("Support: mean contact score (0-10)"): table.loc["support", score],
        N_("Store: contacts satisfied (7+)"): table.loc["store", satisfied],
        N_("Support: contacts satisfied (7+)"): table.loc["support", satisfied],
        N_("Journey CSAT (remembered 7+)"): table.loc[remembered, satisfied],
        "bad_journey_rate": table.loc[remembered, bad],
        "cost": kpis["cost"] / 1e6,
        "customer_equity": kpis["customer_equity"] / 1e6,
        "profit": kpis["profit"] / 1e6,
    }


#: How :func:`journey_kpis` rows are written: scores as numbers, shares in percent,
#: money in millions.
JOURNEY_KPI_KINDS = {
    N_("Store: mean contact score (0-10)"): "number",
    N_("Support: mean contact score (0-10)"): "number",
    N_("Store: contacts satisfied (7+)"): "share",
    N_("Support: contacts satisfied (7+)"): "share",
    N_("Journey CSAT (remembered 7+)"): "share",
    "cost": "millions",
    "customer_equity": "millions",
    "profit": "millions",
}


# --------------------------------------------------------------------------- dashboard
def _view(results: dict[str, Result]) -> tuple[pd.DataFrame, list[Figure]]:
    columns = {label: journey_kpis(result) for label, result in results.items()}
    table = pd.DataFrame(columns)
    first, second = table.columns
    table[_("difference")] = table[second] - table[first]
    table.index.name = _("KPI")
    table.attrs["kinds"] = JOURNEY_KPI_KINDS
    yours = results[second]
    figure = plot_touchpoint_vs_journey(
        touchpoint_vs_journey(yours), _("Your settings: each touchpoint against the journey")
    )
    return table.round(2) + 0.0, [figure]


def dashboard(seed: int = 1, days: float = 7) -> Dashboard:
    """Support operator, courtesy and staff, store courtesy and staff: touchpoint against
    journey scores, beside the baseline.  ``days=7`` keeps a slider move near 0.1 s.

    Store staff are added only at open hours (a slider that adds people at every
    hour would open the store at night)."""
    scenario = load_scenario(SCENARIO)
    rota = list(scenario.touchpoint("store").hourly_staff)
    controls = [
        Control(
            "touchpoints.support.operator",
            _("Support run by"),
            "dropdown",
            options=((_("an outside agency"), "agent"), (_("our own staff"), "in_house")),
            key="support_operator",
        ),
        Control(
            "touchpoints.support.courtesy",
            _("Support courtesy (0-1)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.05,
            key="support_courtesy",
        ),
        Control(
            "touchpoints.support.staff",
            _("Support agents added at every open hour"),
            "staff_shift",
            min=-1,
            max=3,
            key="support_staff",
        ),
        Control(
            "touchpoints.support.staff_cost_per_hour",
            _("What the agency charges an hour (toman)"),
            "dropdown",
            options=(
                (_("150,000 (today's contract)"), 150_000),
                (_("200,000 (a better contract)"), BETTER_CONTRACT_PER_HOUR),
            ),
            key="support_price",
        ),
        Control(
            "levers.training",
            _("Courtesy training of the store staff (0 none, 1 full)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.25,
            key="store_training",
        ),
        Control(
            "touchpoints.store.courtesy",
            _("Store staff courtesy (0-1)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.05,
            key="store_courtesy",
        ),
        Control(
            "touchpoints.store.staff",
            _("Store staff"),
            "dropdown",
            options=tuple(
                (_("as today"), rota)
                if k == 0
                else (_("+{k} at every open hour", k=k), change_rota(rota, "staff_shift", k))
                for k in range(3)
            ),
            key="store_staff",
        ),
    ]
    return Dashboard(
        scenario,
        controls,
        _view,
        reference=True,
        seed=seed,
        days=days,
        title=_("Touchpoints against the journey: a retailer"),
    )


# --------------------------------------------------------------------------- the decision
#: Days in a week: prices and the rule's counts are per week.
WEEK_DAYS = 7.0
_BASE = load_scenario(SCENARIO)
#: The rotas of today, and with one more person at every open hour (never at night: a
#: rota that adds people at every hour would open the store at 3 am).
STORE_ROTA = list(_BASE.touchpoint("store").hourly_staff)
SUPPORT_ROTA = list(_BASE.touchpoint("support").hourly_staff)
STORE_PLUS_ONE = change_rota(STORE_ROTA, "staff_shift", 1)
SUPPORT_PLUS_ONE = change_rota(SUPPORT_ROTA, "staff_shift", 1)
#: What the agency charges an hour for a better-trained team (assumption: a third more
#: than today's 150,000 toman; the same as our own staff cost, data/defaults.yaml).
BETTER_CONTRACT_PER_HOUR = 200_000

DECISION = register(
    Decision(
        name="l01_touchpoint_budget",
        scenario=SCENARIO,
        question=N_(
            "You have one improvement budget of 10 to 20 million toman a week. Which "
            "touchpoint do you fix? Judged on profit over four weeks, customer equity included."
        ),
        candidates=(
            Candidate("nothing", N_("nothing: keep the money"), None),
            Candidate(
                "store_staff",
                N_("store: one more salesperson at every open hour"),
                {"touchpoints.store.staff": STORE_PLUS_ONE},
            ),
            Candidate(
                "store_training",
                N_("store: courtesy training for the sales staff"),
                {"levers.training": 1.0},
            ),
            Candidate(
                "support_staff",
                N_("support: one more agent at every open hour"),
                {"touchpoints.support.staff": SUPPORT_PLUS_ONE},
            ),
            Candidate(
                "support_contract",
                N_("support: a better agency contract (courtesy 0.45 to 0.7)"),
                {
                    "touchpoints.support.courtesy": 0.7,
                    "touchpoints.support.staff_cost_per_hour": BETTER_CONTRACT_PER_HOUR,
                },
            ),
        ),
        objective="profit",
        maximise=True,
        replications=24,
        days=28,
        seed=0,
        shown=("csat", "bad_journey_rate", "nps", "cost", "customer_equity"),
    )
)
#: The touchpoint each candidate changes (the rule's "reach" counts its journeys).
FIXED_TOUCHPOINT = {
    "store_staff": "store",
    "store_training": "store",
    "support_staff": "support",
    "support_contract": "support",
}
register_rule(DECISION, FIXED_TOUCHPOINT)


def fix_rule() -> pd.DataFrame:
    """The rule behind the decision, one row per fix: journeys reached a week x points
    added to each contact x share the memory keeps = remembered points a week; x what a
    remembered point is worth = value a week; less the cost = profit a week
    (:func:`cxsim.fix_value.rule_table`)."""
    return rule_table(DECISION, FIXED_TOUCHPOINT)


def check_best_touchpoint(answer: Any) -> DecisionVerdict:
    """Exercise: which touchpoint does the improvement budget fix?  Answer a candidate's
    key (``"store_training"``…) or label; judged on profit over four weeks, with paired
    replications (:mod:`cxsim.decisions`), and explained by the rule (:func:`fix_rule`)."""
    return rule_verdict(DECISION, FIXED_TOUCHPOINT, answer)


def rule_decision_widget(decision: Decision, checker: Callable[[Any], Any]) -> Any:
    """:func:`cxsim.decision_widgets.decision_widget` whose Check button shows
    ``checker(answer)`` (the verdict with the rule's why) instead of the bare verdict."""
    return decision_widget(decision, checker=checker)


def exercise() -> Any:
    """The decision on screen: question, answers, Check (notebook and app alike)."""
    return rule_decision_widget(DECISION, check_best_touchpoint)


# --------------------------------------------------------------------------- the sceptic
def artefact_checks(result: Result) -> pd.DataFrame:
    """Is the journey's story an artefact?  Five shares of one run:

    store visits in an hour the store is closed (a shopper queuing at a locked door: 0
    since closed steps wait for the next opening, ``when_closed: next_open``); journeys
    that started while the store was closed; journeys remembered as bad; of those, the
    share whose worst moment was a self-service step (website, delivery: a 7 ± 1 draw no
    lever touches, docs/model.md §2); and self-service contacts scored below 5 (about
    2.3% for a normal draw 2 points below its mean).
    """
    start = result.window[0]
    visits = result.interactions
    visits = visits[visits["arrival_min"] >= start]
    store = result.scenario.touchpoint("store")
    closed_hours = np.array([not open_ for open_ in store.open_hours])
    hour = (visits["arrival_min"] // 60).astype(int) % len(closed_hours)
    at_store = visits["touchpoint"] == "store"
    journeys = ended_journeys(result)
    start_hour = (journeys["start_min"] // 60).astype(int) % len(closed_hours)
    bad = journeys[journeys["memory_score"] < _bad_below(result)]
    contacts = visits[visits["journey_id"].isin(bad["journey_id"]) & visits["score"].notna()]
    worst = contacts.loc[(contacts["score"] - 7.0).abs().groupby(contacts["journey_id"]).idxmax()]
    self_service = {t.name for t in result.scenario.touchpoints if t.kind == "self_service"}
    selfs = visits[visits["touchpoint"].isin(self_service) & visits["score"].notna()]
    rows = {
        N_("store visits while the store is closed"): float(
            closed_hours[hour[at_store]].mean() if at_store.any() else 0.0
        ),
        N_("journeys started while the store is closed"): float(closed_hours[start_hour].mean()),
        N_("journeys remembered as bad"): float(len(bad) / max(1, len(journeys))),
        N_("bad journeys whose worst moment was self-service"): float(
            worst["touchpoint"].isin(self_service).mean() if len(worst) else 0.0
        ),
        N_("self-service contacts scored below 5"): float((selfs["score"] < 5).mean()),
    }
    table = pd.DataFrame({_("share"): {_(k): v for k, v in rows.items()}})
    table.index.name = _("check")
    table.attrs["column_kinds"] = {_("share"): "share"}
    return table


#: Hours of the day, in the bands a shop reads its day by (the store opens 08-22).
HOUR_BANDS = (
    (N_("08-12"), 8, 12),
    (N_("12-17"), 12, 17),
    (N_("17-22"), 17, 22),
    (N_("22-08 (store closed)"), 22, 32),
)


def gain_by_segment_and_hour(key: str, seed: int = 0, days: float = 28) -> pd.DataFrame:
    """Where a fix of :data:`DECISION` acts: for each segment and each band of the day
    (by the hour the journey started), ended journeys, the mean remembered score as it
    is and with the fix, and the share remembered as bad, on one paired run.

    A gain that sat only in the night, or only in one segment, would be a warning."""
    candidate = DECISION.candidate(key)
    if candidate is None:
        allowed = ", ".join(c.key for c in DECISION.candidates)
        raise ValueError(
            _("key: {key!r} is not an answer; allowed: {allowed}", key=key, allowed=allowed)
        )
    base = load_scenario(SCENARIO)
    variant = base if candidate.spec is None else base.with_overrides(dict(candidate.spec))
    runs = [simulate(s, seed=seed, days=days) for s in (base, variant)]
    groups: dict[str, list[pd.Series]] = {}
    for result in runs:
        journeys = ended_journeys(result)
        bad = journeys["memory_score"] < _bad_below(result)
        hour = (journeys["start_min"] // 60).astype(int) % 24
        masks = {str(name): journeys["segment"] == name for name in journeys["segment"].unique()}
        for label, low, high in HOUR_BANDS:
            masks[_(label)] = (hour >= low) & (hour < high) | (hour + 24 >= low) & (
                hour + 24 < high
            )
        for label, mask in masks.items():
            groups.setdefault(label, []).append(
                pd.Series(
                    {
                        "n": float(mask.sum()),
                        "memory": float(journeys.loc[mask, "memory_score"].mean()),
                        "bad": float(bad[mask].mean()),
                    }
                )
            )
    rows = {}
    for label, (before, after) in groups.items():
        rows[label] = {
            _("journeys (as it is)"): before["n"],
            _("remembered score as it is"): before["memory"],
            _("remembered score with the fix"): after["memory"],
            _("difference"): after["memory"] - before["memory"],
            _("bad as it is"): before["bad"],
            _("bad with the fix"): after["bad"],
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    for column in (
        _("remembered score as it is"),
        _("remembered score with the fix"),
        _("difference"),
    ):
        table[column] = table[column].round(2)
    table.index.name = _("segment or hour")
    table.attrs["column_kinds"] = {
        _("journeys (as it is)"): "count",
        _("bad as it is"): "share",
        _("bad with the fix"): "share",
    }
    return table
