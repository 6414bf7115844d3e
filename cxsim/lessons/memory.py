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
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import behaviour
from ..catalog import load_scenario
from ..decisions import Candidate, Decision, DecisionVerdict, register
from ..fix_value import register_rule, rule_table, rule_verdict
from ..i18n import N_, _, translate_name
from ..plots import BASELINE_COLOUR, NotebookFigure, policy_colour
from ..results import Result
from ..scenario import Scenario
from ..simulation import simulate
from ..widgets import Control, Dashboard, kpi_frame
from . import Verdict, check_answer
from .journeys import rule_decision_widget

__all__ = [
    "DECISION",
    "EXAMPLE_JOURNEYS",
    "EXERCISE_JOURNEY",
    "FIXED_TOUCHPOINT",
    "MEMORY_COLOURS",
    "MEMORY_MODELS",
    "SCENARIO",
    "check_better_fix",
    "check_peak_end",
    "dashboard",
    "exercise",
    "fix_rule",
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
MEMORY_KPIS = ("csat", "nps", "mean_memory_score", "bad_journey_rate", "cost", "profit")
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
            np.arange(11) + offset,
            shares,
            width=width,
            label=translate_name(str(label)),
            color=_colour(str(label)),
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
    """Memory model, the support agency's courtesy, first-call resolution and price, the
    store's courtesy and training → CSAT, NPS, cost, profit, histogram: every lever of
    :data:`DECISION`.

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
            "touchpoints.support.resolution_probability",
            _("Support: share of problems solved at the first call"),
            "float",
            min=0.5,
            max=1.0,
            step=0.05,
            default=0.8,  # the default of data/defaults.yaml: the scenario does not set it
            key="support_resolution",
        ),
        Control(
            "touchpoints.support.staff_cost_per_hour",
            _("What the agency charges an hour (toman)"),
            "dropdown",
            options=(
                (_("150,000 (today's contract)"), 150_000),
                (_("175,000 (a second-level desk)"), RESOLVING_CONTRACT_PER_HOUR),
                (_("200,000 (a better contract)"), 200_000),
            ),
            key="support_price",
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
        Control(
            "levers.training",
            _("Courtesy training of the store staff (0 none, 1 full)"),
            "float",
            min=0.0,
            max=1.0,
            step=0.25,
            key="store_training",
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


#: What the agency charges an hour for a team that solves more at the first call
#: (assumption: a sixth more than today's 150,000 toman, for a second-level desk and a
#: knowledge base).
RESOLVING_CONTRACT_PER_HOUR = 175_000

DECISION = register(
    Decision(
        name="l04_peak_or_end",
        scenario=SCENARIO,
        question=N_(
            "Fix the worst moment or polish the end? Judged on profit over four weeks, "
            "customer equity included, with customers who remember by peak-end."
        ),
        candidates=(
            Candidate("nothing", N_("nothing: keep the money"), None),
            Candidate(
                "worst_moment",
                N_("worst moment: support solves 95% of problems at the first call, not 80%"),
                {
                    "touchpoints.support.resolution_probability": 0.95,
                    "touchpoints.support.staff_cost_per_hour": RESOLVING_CONTRACT_PER_HOUR,
                },
            ),
            Candidate(
                "end",
                N_("the end: courtesy training for the store staff"),
                {"levers.training": 1.0},
            ),
        ),
        objective="profit",
        maximise=True,
        replications=30,
        days=28,
        seed=0,
        shown=("csat", "bad_journey_rate", "nps", "cost", "customer_equity"),
    )
)
#: The touchpoint each candidate changes (the rule's "reach" counts its journeys).
FIXED_TOUCHPOINT = {"worst_moment": "support", "end": "store"}
register_rule(DECISION, FIXED_TOUCHPOINT)


def fix_rule() -> pd.DataFrame:
    """The rule of lesson 01 for this decision, with the position customers who averaged
    their journey would give (:func:`cxsim.fix_value.rule_table`)."""
    return rule_table(DECISION, FIXED_TOUCHPOINT, average_too=True)


def check_better_fix(answer: Any) -> DecisionVerdict:
    """Exercise: fix the worst moment (``"worst_moment"``: the support line's unsolved
    problems) or polish the end (``"end"``: the store, last contact of most store
    journeys)?  Judged on profit (:data:`DECISION`) and explained by the rule."""
    return rule_verdict(DECISION, FIXED_TOUCHPOINT, answer)


def exercise() -> Any:
    """The decision on screen: question, answers, Check (notebook and app alike)."""
    return rule_decision_widget(DECISION, check_better_fix)
