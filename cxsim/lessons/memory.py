"""Lesson 04: memory and satisfaction (claim Q9: people remember peaks and endings).

The lesson starts with the pure formula :func:`cxsim.behaviour.remember_journey`
on a few journeys made by hand, then runs the ``retail_journey`` scenario with
customers who remember by the peak-end rule and with customers who remember
the plain average, and compares CSAT, NPS and the remembered scores.

>>> table = hand_made_journeys()
>>> float(table.loc["one bad step", "peak-end"])
4.5
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
from ..experiments import SerialExecutor, compare
from ..i18n import N_, _, translate_name
from ..plots import BASELINE_COLOUR, NotebookFigure, policy_colour
from ..results import Result
from ..scenario import Scenario
from ..simulation import simulate
from ..widgets import Control, Dashboard, kpi_frame
from . import Verdict, check_answer

__all__ = [
    "EXAMPLE_JOURNEYS",
    "EXERCISE_JOURNEY",
    "FIXES",
    "MEMORY_COLOURS",
    "MEMORY_MODELS",
    "SCENARIO",
    "check_better_fix",
    "check_peak_end",
    "dashboard",
    "hand_made_journeys",
    "loyalty_groups",
    "memory_table",
    "plot_hand_made",
    "plot_remembered_scores",
    "run_memory_models",
    "survey_run",
]

#: The scenario of the lesson: website, store, delivery, an outsourced support line.
SCENARIO = "retail_journey"
#: The two ways a customer can sum up a journey.
MEMORY_MODELS = ("peak_end", "average")
#: Journeys made by hand: the scores (0-10) of each contact, in order.
#: Names are marked for the catalogue: figures show them in the reader's language,
#: tables keep them as they are (so ``table.loc["one bad step"]`` works in every language).
EXAMPLE_JOURNEYS: dict[str, tuple[float, ...]] = {
    N_("smooth"): (7.0, 7.0, 7.0, 7.0),
    N_("one bad step"): (8.0, 1.0, 8.0, 8.0),
    N_("a good last step"): (6.0, 6.0, 10.0),
    N_("bad start, good end"): (2.0, 7.0, 7.0, 9.0),
    N_("good start, bad end"): (9.0, 7.0, 7.0, 2.0),
}
#: The journey of the hand-calculation exercise.
EXERCISE_JOURNEY: tuple[float, ...] = (8.0, 6.0, 2.0, 7.0, 9.0)
#: KPIs the lesson shows.
MEMORY_KPIS = ("csat", "nps", "mean_memory_score", "bad_journey_rate")
_DAYS = 7
#: The scenario of the survey section: the bank's phone line, whose hang-ups a
#: post-contact survey never hears from.
SURVEY_SCENARIO = "contact_centre"
#: Colours of the memory models (peak-end is the scenario's own, so baseline blue).
MEMORY_COLOURS = {"peak_end": BASELINE_COLOUR, "average": "#882255"}


# --------------------------------------------------------------------------- pure formulas
def hand_made_journeys(journeys: Mapping[str, Sequence[float]] | None = None) -> pd.DataFrame:
    """One row per journey: its scores, the average, the peak, the end and the peak-end memory.

    ``journeys`` maps a name to the contact scores in order (default:
    :data:`EXAMPLE_JOURNEYS`).  The last two columns give the answer to "would
    you recommend us?" (rounded, 0-10) under each memory model.
    """
    journeys = EXAMPLE_JOURNEYS if journeys is None else journeys
    rows = []
    for name, scores in journeys.items():
        scores = [float(s) for s in scores]
        peak = max(scores, key=lambda s: abs(s - behaviour.NEUTRAL_SCORE))
        average = behaviour.remember_journey(scores, "average")
        peak_end = behaviour.remember_journey(scores, "peak_end")
        rows.append(
            {
                _("journey"): name,
                _("scores"): " → ".join(f"{s:g}" for s in scores),
                _("average"): round(average, 2),
                _("peak"): peak,
                _("end"): scores[-1],
                _("peak-end"): round(peak_end, 2),
                _("recommend (average)"): behaviour.recommend_score(average),
                _("recommend (peak-end)"): behaviour.recommend_score(peak_end),
            }
        )
    return pd.DataFrame(rows).set_index(_("journey"))


def plot_hand_made(journeys: Mapping[str, Sequence[float]] | None = None) -> Figure:
    """Bars of the average and the peak-end memory of each hand-made journey."""
    table = hand_made_journeys(journeys)
    figure = NotebookFigure(figsize=(8.0, 4.2), layout="constrained")
    ax = figure.subplots()
    positions = np.arange(len(table))
    ax.bar(
        positions - 0.2,
        table[_("average")],
        width=0.4,
        label=_("average"),
        color=_colour("average"),
    )
    ax.bar(
        positions + 0.2,
        table[_("peak-end")],
        width=0.4,
        label=_("peak-end"),
        color=_colour("peak_end"),
    )
    ax.axhline(
        behaviour.NEUTRAL_SCORE,
        color="#555555",
        linestyle="--",
        linewidth=1,
        label=_("neutral contact (7)"),
    )
    ax.set_xticks(positions, [translate_name(str(name)) for name in table.index], rotation=15)
    ax.set_ylim(0, 10.5)
    ax.set_xlabel(_("Journey"))
    ax.set_ylabel(_("Remembered score (points, 0-10)"))
    ax.legend(fontsize="small", loc="lower right")
    ax.grid(True, axis="y", alpha=0.3)
    figure.suptitle(_("Same contacts, two memories: the average against peak-end"))
    return figure


# --------------------------------------------------------------------------- the model
def _scenario(memory: str, overrides: Mapping[str, Any] | None = None) -> Scenario:
    scenario = load_scenario(SCENARIO).with_overrides({"behaviour.memory": memory}, path="memory")
    if overrides:
        scenario = scenario.with_overrides(dict(overrides), path="lesson")
    return scenario


def run_memory_models(seed: int = 0, days: float = _DAYS) -> dict[str, Result]:
    """``retail_journey`` run once under each memory model, same seed: ``{model: Result}``."""
    return {memory: simulate(_scenario(memory), seed=seed, days=days) for memory in MEMORY_MODELS}


def _colour(label: str) -> str:
    return MEMORY_COLOURS.get(label) or policy_colour(label)


def _measured_journeys(result: Result) -> pd.DataFrame:
    journeys = result.journeys
    return journeys[journeys["start_min"] >= result.window[0]]


def _ended_journeys(result: Result) -> pd.DataFrame:
    """Journeys that ended in the window: those the satisfaction KPIs count."""
    journeys = result.journeys
    return journeys[journeys["end_min"] >= result.window[0]]


def loyalty_groups(result: Result) -> dict[str, float]:
    """Shares of journeys that ended in the window: promoters (9-10), passives (7-8),
    detractors (0-6); and, apart, the share of journeys started in the window still
    under way when the run ended (no memory yet, so not in the other three).

    Promoters, passives and detractors add up to 1, and promoters minus detractors
    is the NPS of :meth:`Result.kpis`.
    """
    journeys = _measured_journeys(result)
    if len(journeys) == 0:
        return dict.fromkeys(("promoters", "passives", "detractors", "under_way"), float("nan"))
    under_way = float(journeys["end_min"].isna().mean())
    # as the KPIs count them: journeys that ended in the window
    finished = _ended_journeys(result)["recommend"].to_numpy(dtype=float)
    finished = finished[~np.isnan(finished)]
    if len(finished) == 0:
        return {
            "promoters": float("nan"),
            "passives": float("nan"),
            "detractors": float("nan"),
            "under_way": under_way,
        }
    return {
        "promoters": float((finished >= 9).mean()),
        "passives": float(((finished >= 7) & (finished <= 8)).mean()),
        "detractors": float((finished <= 6).mean()),
        "under_way": under_way,
    }


def memory_table(results: Mapping[str, Result]) -> pd.DataFrame:
    """One column per run: CSAT, NPS, mean remembered score, and the shares of promoters,
    passives, detractors and journeys still under way."""
    columns = {}
    for label, result in results.items():
        kpis = result.kpis()
        groups = loyalty_groups(result)
        columns[label] = {
            _("CSAT (share satisfied)"): kpis["csat"],
            _("Net Promoter Score"): kpis["nps"],
            _("Remembered experience (0-10)"): kpis["mean_memory_score"],
            _("Promoters (9-10)"): groups["promoters"],
            _("Passives (7-8)"): groups["passives"],
            _("Detractors (0-6)"): groups["detractors"],
            _("Still under way at the end"): groups["under_way"],
        }
    return pd.DataFrame(columns).round(2)


def plot_remembered_scores(results: Mapping[str, Result] | Result) -> Figure:
    """Histogram of the remembered score ("how likely to recommend", 0-10), one bar per run.

    Journeys still under way at the end of the run have no memory yet and are
    left out.  The background marks detractors (0-6), passives (7-8) and promoters (9-10).
    """
    if isinstance(results, Result):
        results = {results.policy or _("baseline"): results}
    if not results:
        raise ValueError(_("plot_remembered_scores: no results to plot"))
    figure = NotebookFigure(figsize=(8.0, 4.2), layout="constrained")
    ax = figure.subplots()
    ax.axvspan(-0.5, 6.5, color="#D55E00", alpha=0.08)
    ax.axvspan(8.5, 10.5, color="#009E73", alpha=0.08)
    width = 0.8 / len(results)
    for number, (label, result) in enumerate(results.items()):
        recommend = _ended_journeys(result)["recommend"].to_numpy(dtype=float)
        recommend = recommend[~np.isnan(recommend)].astype(int)
        counts = np.bincount(recommend, minlength=11)[:11]
        shares = counts / max(1, counts.sum())
        offset = (number - (len(results) - 1) / 2) * width
        ax.bar(
            np.arange(11) + offset, shares, width=width, label=str(label), color=_colour(str(label))
        )
    top = ax.get_ylim()[1]
    for x, text in ((3.0, _("detractors")), (7.5, _("passives")), (9.5, _("promoters"))):
        ax.text(x, top * 0.95, text, ha="center", va="top", fontsize="small", color="#333333")
    ax.set_xticks(range(11))
    ax.set_xlim(-0.6, 10.6)
    ax.set_xlabel(_("Remembered score, rounded (points, 0-10)"))
    ax.set_ylabel(_("Finished journeys (%)"))
    ax.yaxis.set_major_formatter(lambda value, _pos: f"{100 * value:.0f}%")
    ax.legend(title=_("Memory model / policy"), fontsize="small", loc="upper left")
    ax.grid(True, axis="y", alpha=0.3)
    figure.suptitle(_("How customers remember their journeys"))
    return figure


# --------------------------------------------------------------------------- survey
def survey_run(seed: int = 1, days: float = 14) -> Result:
    """One seeded run of the bank's phone line (``contact_centre``), for the survey section.

    Its :meth:`~cxsim.results.Result.survey_table` sets three numbers side by side: CSAT
    as remembered by every journey that ended in the window (hang-ups included: the
    headline ``csat``), by the journeys with a served call (the ones the bank's
    post-contact survey goes to), and as the survey's answers report it (about 15% of
    those surveyed answer, the delighted and the furious more often: Hu, Pavlou & Zhang
    2017; :mod:`cxsim.survey`).  Plot it with :func:`cxsim.plots.plot_survey_vs_memory`.
    """
    return simulate(load_scenario(SURVEY_SCENARIO), seed=seed, days=days)


# --------------------------------------------------------------------------- dashboard
def _view(results: Any) -> tuple[pd.DataFrame, list[Figure]]:
    return kpi_frame(results, MEMORY_KPIS), [plot_remembered_scores(results)]


def dashboard(*, seed: int = 0, days: float = _DAYS) -> Dashboard:
    """Memory model, courtesy of the support agency and of the store → CSAT, NPS, histogram.

    Each update runs ``retail_journey`` for ``days`` days (7 by default, so a
    move of a control answers in a fraction of a second) beside the scenario
    as it is (peak-end, same seed).
    """
    scenario = load_scenario(SCENARIO)
    controls = [
        Control(
            "behaviour.memory",
            _("Memory model"),
            "dropdown",
            options=((_("peak-end"), "peak_end"), (_("average"), "average")),
            key="memory",
        ),
        Control(
            "touchpoints.support.courtesy",
            _("Courtesy of support (last touchpoint)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.05,
            key="support_courtesy",
        ),
        Control(
            "touchpoints.store.courtesy",
            _("Courtesy in the store"),
            "float",
            min=0.0,
            max=1.0,
            step=0.05,
            key="store_courtesy",
        ),
    ]
    return Dashboard(
        scenario,
        controls,
        _view,
        reference=True,
        seed=seed,
        days=days,
        title=_("What customers remember"),
    )


# --------------------------------------------------------------------------- exercises
def check_peak_end(answer: float) -> Verdict:
    """Exercise: the peak-end memory of :data:`EXERCISE_JOURNEY`, computed by hand (±0.05)."""
    expected = behaviour.remember_journey(list(EXERCISE_JOURNEY), "peak_end")
    return check_answer(
        answer,
        round(expected, 2),
        tolerance=0.05,
        hint=_(
            "The peak is the score farthest from 7 (good or bad); average it with the last score."
        ),
    )


#: The two fixes of the second exercise: label -> overrides of ``retail_journey``.
FIXES: dict[str, dict[str, float]] = {
    "store": {"touchpoints.store.courtesy": 0.9},
    "support": {"touchpoints.support.courtesy": 0.65},
}


@lru_cache(maxsize=4)
def _nps_gains(seed: int, n: int, days: float) -> dict[str, float]:
    policies = {_("as it is"): {}, **{label: spec for label, spec in FIXES.items()}}
    comparison = compare(
        SCENARIO, policies, n, seed=seed, days=days, progress=False, executor=SerialExecutor()
    )
    table = comparison.differences()
    table = table[table["kpi"] == "nps"].set_index("policy")
    return {label: float(table.loc[label, "mean_difference"]) for label in FIXES}


def check_better_fix(answer: str, *, seed: int = 0, n: int = 5, days: float = _DAYS) -> Verdict:
    """Exercise: which fix lifts NPS more under peak-end, ``"store"`` or ``"support"``?

    ``"store"``: store courtesy 0.7 → 0.9; ``"support"``: the agency's courtesy
    0.45 → 0.65.  The model answers with ``n`` paired replications of ``days`` days.
    """
    gains = _nps_gains(seed, n, days)
    best = max(gains, key=gains.get)
    return check_answer(str(answer), best, hint=_("Try both in the dashboard above and watch NPS."))
