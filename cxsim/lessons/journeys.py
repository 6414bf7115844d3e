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

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..catalog import load_scenario
from ..experiments import replication_seed
from ..i18n import N_, _
from ..plots import BASELINE_COLOUR, NotebookFigure
from ..results import Result
from ..simulation import simulate
from ..widgets import Control, Dashboard, change_rota
from . import Verdict, check_answer

__all__ = [
    "ROWS",
    "check_best_touchpoint",
    "courtesy_gains",
    "dashboard",
    "journey_kpis",
    "plot_touchpoint_vs_journey",
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
    axes[0].set_yticks(positions, labels)
    axes[0].set_ylabel(_("Touchpoint (blue) or whole journey (red)"))
    figure.suptitle(title or _("Each touchpoint against the whole journey (retail_journey)"))
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
    # keyed by English labels (and a KPI name), translated when shown (cxsim.formatting)
    return {
        N_("Store: mean contact score (0-10)"): table.loc["store", score],
        N_("Support: mean contact score (0-10)"): table.loc["support", score],
        N_("Store: contacts satisfied (7+)"): table.loc["store", satisfied],
        N_("Support: contacts satisfied (7+)"): table.loc["support", satisfied],
        N_("Journey CSAT (remembered 7+)"): table.loc[remembered, satisfied],
        "bad_journey_rate": table.loc[remembered, bad],
        "profit": result.kpis()["profit"] / 1e6,
    }


#: How :func:`journey_kpis` rows are written: scores as numbers, shares in percent,
#: profit in millions.
JOURNEY_KPI_KINDS = {
    N_("Store: mean contact score (0-10)"): "number",
    N_("Support: mean contact score (0-10)"): "number",
    N_("Store: contacts satisfied (7+)"): "share",
    N_("Support: contacts satisfied (7+)"): "share",
    N_("Journey CSAT (remembered 7+)"): "share",
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


# --------------------------------------------------------------------------- exercise
def courtesy_gains(
    level: float = 0.9,
    touchpoints: Sequence[str] = ("store", "support"),
    n: int = 5,
    days: float = 7,
    seed: int = 0,
) -> dict[str, float]:
    """Journey CSAT gain (paired, mean of ``n`` runs) when one touchpoint's staff
    become as courteous as ``level``; self-service touchpoints have no staff and gain 0.

    CSAT here is the share of ended journeys remembered at 7 or more (see
    :func:`journey_kpis`)."""
    base = load_scenario(SCENARIO)
    variants = {
        name: base.with_overrides({f"touchpoints.{name}.courtesy": level}) for name in touchpoints
    }
    remembered, satisfied = _(ROWS[3]), _("satisfied (7+)")
    gains: dict[str, float] = dict.fromkeys(touchpoints, 0.0)
    for i in range(n):
        run_seed = replication_seed(seed, i)  # the same customers under every variant
        reference = touchpoint_vs_journey(simulate(base, seed=run_seed, days=days), 6)
        for name, variant in variants.items():
            table = touchpoint_vs_journey(simulate(variant, seed=run_seed, days=days), 6)
            gains[name] += (
                float(table.loc[remembered, satisfied] - reference.loc[remembered, satisfied]) / n
            )
    for touchpoint in base.touchpoints:
        gains.setdefault(touchpoint.name, 0.0)
    return gains


def check_best_touchpoint(answer: Any) -> Verdict:
    """Exercise: which touchpoint, if its staff became as courteous as 0.9, lifts journey
    CSAT the most?  Answer its name (``"website"``, ``"store"``, ``"delivery"`` or
    ``"support"``); the model computes the gains."""
    gains = courtesy_gains()
    expected = max(gains, key=gains.__getitem__)
    return check_answer(
        answer,
        expected,
        hint=_(
            "Try the courtesy sliders of the dashboard one at a time and "
            "watch journey CSAT, not the touchpoint's own score."
        ),
    )
