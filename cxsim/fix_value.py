"""What a fix is worth: one rule for "which touchpoint do we fix?" (lessons 01 and 04).

A fix changes the score of the contacts at one touchpoint.  What it earns is the
product of four numbers:

    value a week = journeys it reaches a week          (reach)
                   x points it adds to each contact     (size)
                   x share of that change the memory keeps (position)
                   x what a remembered point is worth   (worth)

*Position* comes from how customers remember (Kahneman et al. 1993; Q9; docs/model.md
§2): under peak-end a journey is remembered as the mean of its most intense contact and
its last one, so a contact that is both the peak and the end passes all its change to
the memory, one that is only the end (or only the peak) half, one in the middle nothing;
under the plain average every contact passes ``1/n``.  *Worth* comes from what a memory
does (docs/model.md §3, §5): below about 5 a quarter of customers leave (N2), 0-6
detractors put prospects off, 9-10 promoters bring friends (Q5), each customer counted
at their lifetime value.  So a remembered point is worth most where it moves a memory
across one of those lines, and little in between.

Position is where the touchpoint sits in the journeys as they are: a first-order
share, from below, since a step that becomes the peak once fixed passes more (the old
peak, a website at 5.5, no longer counts): measured memories move up to a fifth more
(store) or two fifths more (support) than reach x size x position says.

The first three factors are measured on paired runs (common random numbers) of the
decision's candidates; the value and the cost come from the decision's own judged runs
(:mod:`cxsim.decisions`), so the rule's last column is the decision's profit, per week,
and *worth* is what is left when reach, size and position are divided out.  Both tables
are precomputed (:mod:`cxsim.precomputed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .behaviour import NEUTRAL_SCORE
from .catalog import load_scenario
from .decisions import Decision, DecisionVerdict, verdict
from .experiments import replication_seed
from .formatting import format_value
from .i18n import N_, _, translate_name
from .precomputed import precomputed, register_table
from .results import Result
from .simulation import simulate

__all__ = [
    "RULE_COLUMNS",
    "ended_journeys",
    "explain",
    "position_weights",
    "register_rule",
    "remembered_change",
    "rule_runs",
    "rule_verdict",
    "rule_table",
]

#: Days in a week: the rule counts journeys and money per week.
WEEK_DAYS = 7.0
#: The rule table's columns (English, translated when shown) and their kinds.
RULE_COLUMNS: dict[str, str] = {
    N_("touchpoint"): "text",
    N_("journeys reached a week"): "count",
    N_("contact score change (points)"): "number",
    N_("position: share the memory keeps"): "share",
    N_("position if customers averaged"): "share",
    N_("remembered points a week"): "count",
    N_("worth of a remembered point (toman)"): "count",
    N_("value a week (million toman)"): "millions",
    N_("cost a week (million toman)"): "millions",
    N_("profit a week (million toman)"): "millions",
}
# Below this many remembered points a week a fix moves too little memory to divide by:
# what it earns comes from elsewhere (a shorter queue sells a little more).
_FEW_POINTS = 50.0


def ended_journeys(result: Result) -> pd.DataFrame:
    """Journeys that ended (have a memory) in the measured window: those CSAT counts."""
    journeys = result.journeys
    return journeys[(journeys["end_min"] >= result.window[0]) & journeys["memory_score"].notna()]


def _scored_contacts(result: Result, journey_ids: pd.Series) -> pd.DataFrame:
    visits = result.interactions
    visits = visits[visits["journey_id"].isin(journey_ids) & visits["score"].notna()]
    return visits.sort_values(["journey_id", "arrival_min", "step"], kind="stable")


def position_weights(result: Result, touchpoint: str, memory: str = "peak_end") -> pd.Series:
    """How much of a change at ``touchpoint`` each journey that met it remembers, in [0, 1].

    Under ``peak_end`` a journey is remembered as the mean of its peak (the contact
    farthest from 7, the first if two tie: :func:`cxsim.behaviour.remember_journey`) and
    its last contact, so a contact's weight is 1/2 if it is the peak, plus 1/2 if it is
    the end (a journey of one contact: 1).  Under ``average`` it is the touchpoint's
    share of the journey's contacts.  One value per ended journey that met
    ``touchpoint``, indexed by ``journey_id``.
    """
    if memory not in ("peak_end", "average"):
        raise ValueError(f"memory must be 'peak_end' or 'average', got {memory!r}")
    visits = _scored_contacts(result, ended_journeys(result)["journey_id"])
    here = visits["touchpoint"] == touchpoint
    reached = visits.loc[here, "journey_id"].unique()
    visits = visits[visits["journey_id"].isin(reached)]
    here = visits["touchpoint"] == touchpoint
    grouped = visits.groupby("journey_id", sort=True)
    if memory == "average":
        return (here.groupby(visits["journey_id"]).sum() / grouped.size()).rename("weight")
    intensity = (visits["score"] - NEUTRAL_SCORE).abs()
    peak = intensity.groupby(visits["journey_id"]).idxmax()  # first of equals, as max() does
    last = grouped.tail(1).set_index("journey_id").index
    last_rows = grouped.tail(1).index
    at_peak = pd.Series(here.loc[peak.to_numpy()].to_numpy(), index=peak.index)
    at_end = pd.Series(here.loc[last_rows].to_numpy(), index=last)
    return (0.5 * at_peak.astype(float) + 0.5 * at_end.astype(float)).rename("weight")


def _touchpoint_means(result: Result, touchpoint: str) -> tuple[float, float]:
    """Mean contact score at ``touchpoint`` and mean memory of the journeys that met it."""
    journeys = ended_journeys(result)
    visits = _scored_contacts(result, journeys["journey_id"])
    here = visits[visits["touchpoint"] == touchpoint]
    met = journeys[journeys["journey_id"].isin(here["journey_id"])]
    return float(here["score"].mean()), float(met["memory_score"].mean())


def _weeks(result: Result) -> float:
    start, end = result.window
    return (end - start) / (24 * 60) / WEEK_DAYS


def _baseline(decision: Decision) -> str:
    for candidate in decision.candidates:
        if candidate.spec is None:
            return candidate.key
    raise ValueError(f"decision {decision.name}: the rule needs a candidate 'as it is' (spec None)")


def _rule_key(
    decision: Decision, touchpoints: Mapping[str, str], replications: int, days: float
) -> dict[str, Any]:
    return {
        "decision": decision.key(),
        "touchpoints": dict(touchpoints),
        "replications": replications,
        "days": days,
    }


def _compute_rule_runs(
    decision: Decision, touchpoints: Mapping[str, str], replications: int, days: float
) -> dict[str, Any]:
    base_key = _baseline(decision)
    scenario = load_scenario(decision.scenario)
    variants = {
        c.key: scenario.with_overrides(dict(c.spec), path=c.key)
        for c in decision.candidates
        if c.key in touchpoints and isinstance(c.spec, Mapping)
    }
    wanted = sorted(set(touchpoints.values()))
    out: dict[str, Any] = {
        "baseline": {t: {"reach": [], "peak_end": [], "average": []} for t in wanted},
        "score": {key: [] for key in [base_key, *variants]},
        "memory": {key: [] for key in [base_key, *variants]},
    }
    for i in range(replications):
        seed = replication_seed(decision.seed, i)  # the same customers under every candidate
        base = simulate(scenario, seed=seed, days=days)
        for touchpoint in wanted:
            weights = position_weights(base, touchpoint, "peak_end")
            out["baseline"][touchpoint]["reach"].append(len(weights) / _weeks(base))
            out["baseline"][touchpoint]["peak_end"].append(float(weights.mean()))
            out["baseline"][touchpoint]["average"].append(
                float(position_weights(base, touchpoint, "average").mean())
            )
        out["score"][base_key].append({t: _touchpoint_means(base, t)[0] for t in wanted})
        out["memory"][base_key].append({t: _touchpoint_means(base, t)[1] for t in wanted})
        for key, variant in variants.items():
            run = simulate(variant, seed=seed, days=days)
            touchpoint = touchpoints[key]
            score, remembered = _touchpoint_means(run, touchpoint)
            out["score"][key].append({touchpoint: score})
            out["memory"][key].append({touchpoint: remembered})
    return out


def rule_runs(
    decision: Decision, touchpoints: Mapping[str, str], replications: int = 6, days: float = 14
) -> dict[str, Any]:
    """Reach, position and the contact and memory scores of the rule, per replication
    (precomputed as ``rule_NAME``): ``replications`` paired runs of ``days`` days on the
    decision's seeds.  ``touchpoints``: candidate key -> the touchpoint it changes."""
    return precomputed(
        f"rule_{decision.name}",
        _rule_key(decision, touchpoints, replications, days),
        lambda: _compute_rule_runs(decision, touchpoints, replications, days),
    )


def register_rule(
    decision: Decision, touchpoints: Mapping[str, str], replications: int = 6, days: float = 14
) -> None:
    """Ship the rule's runs of ``decision`` with the workbook (``scripts/build_precomputed.py``)."""
    register_table(
        f"rule_{decision.name}",
        lambda: _rule_key(decision, touchpoints, replications, days),
        lambda: _compute_rule_runs(decision, touchpoints, replications, days),
    )


def rule_table(
    decision: Decision,
    touchpoints: Mapping[str, str],
    replications: int = 6,
    days: float = 14,
    *,
    average_too: bool = False,
) -> pd.DataFrame:
    """One row per candidate that changes a touchpoint: the four factors of the rule and
    the money they make (see the module's docstring).

    *Size* and the memory come from :func:`rule_runs`; value, cost and profit are the
    decision's own judged means (its runs, against the candidate "as it is"), per week;
    *worth* = value / remembered points (a dash where the fix moves almost no memory).
    ``average_too`` adds the position customers who averaged their journey would give.
    """
    runs = rule_runs(decision, touchpoints, replications, days)
    base_key = _baseline(decision)
    judged = decision.runs()
    weeks = decision.days / WEEK_DAYS
    base_profit = np.asarray(judged[base_key]["profit"], dtype=float)
    base_cost = np.asarray(judged[base_key]["cost"], dtype=float)
    rows = {}
    for candidate in decision.candidates:
        touchpoint = touchpoints.get(candidate.key)
        if touchpoint is None:
            continue
        baseline = runs["baseline"][touchpoint]
        reach = float(np.mean(baseline["reach"]))
        size = float(
            np.mean(
                [
                    v[touchpoint] - b[touchpoint]
                    for v, b in zip(
                        runs["score"][candidate.key], runs["score"][base_key], strict=True
                    )
                ]
            )
        )
        position = float(np.mean(baseline["peak_end"]))
        points = reach * size * position
        cost = (
            np.asarray(judged[candidate.key]["cost"], dtype=float)
            + candidate.extra_cost
            - base_cost
        ).mean() / weeks
        profit = (
            np.asarray(judged[candidate.key]["profit"], dtype=float)
            - candidate.extra_cost
            - base_profit
        ).mean() / weeks
        value = profit + cost
        worth = value / points if abs(points) >= _FEW_POINTS else float("nan")
        row = {
            _("touchpoint"): touchpoint,
            _("journeys reached a week"): reach,
            _("contact score change (points)"): round(size, 2),
            _("position: share the memory keeps"): position,
            _("position if customers averaged"): float(np.mean(baseline["average"])),
            _("remembered points a week"): points,
            _("worth of a remembered point (toman)"): worth,
            _("value a week (million toman)"): value / 1e6,
            _("cost a week (million toman)"): cost / 1e6,
            _("profit a week (million toman)"): profit / 1e6,
        }
        if not average_too:
            del row[_("position if customers averaged")]
        rows[_(candidate.label)] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = _("answer")
    table.attrs["column_kinds"] = {
        _(label): kind for label, kind in RULE_COLUMNS.items() if kind != "text"
    }
    return table


def remembered_change(
    decision: Decision, touchpoints: Mapping[str, str], replications: int = 6, days: float = 14
) -> dict[str, float]:
    """Measured change of the mean memory of the journeys that met each candidate's
    touchpoint (paired runs of :func:`rule_runs`): what reach x size x position predicts
    per journey, size x position, to first order."""
    runs = rule_runs(decision, touchpoints, replications, days)
    base_key = _baseline(decision)
    out = {}
    for key, touchpoint in touchpoints.items():
        out[key] = float(
            np.mean(
                [
                    v[touchpoint] - b[touchpoint]
                    for v, b in zip(runs["memory"][key], runs["memory"][base_key], strict=True)
                ]
            )
        )
    return out


def explain(
    decision: Decision,
    touchpoints: Mapping[str, str],
    key: str,
    replications: int = 6,
    days: float = 14,
) -> str:
    """One sentence: candidate ``key`` by the rule, with its numbers (reader's language)."""
    candidate = next(c for c in decision.candidates if c.key == key)
    name = "«" + _(candidate.label) + "»"
    if key not in touchpoints:
        return _("{answer} changes no contact, costs nothing and earns nothing more.", answer=name)
    row = rule_table(decision, touchpoints, replications, days).loc[_(candidate.label)]
    return _(
        "{answer}: {reach} journeys a week meet {touchpoint}; each contact there gains "
        "{size} points; the memory keeps {position} of it: {points} remembered points a "
        "week, worth {value} million toman a week against a cost of {cost} million "
        "(profit {profit} million a week).",
        answer=name,
        reach=format_value(row[_("journeys reached a week")], "count"),
        touchpoint=translate_name(touchpoints[key]),
        size=format_value(row[_("contact score change (points)")], "number", signed=True),
        position=format_value(row[_("position: share the memory keeps")], "share", decimals=0),
        points=format_value(row[_("remembered points a week")], "count"),
        value=format_value(row[_("value a week (million toman)")], "number", decimals=1),
        cost=format_value(row[_("cost a week (million toman)")], "number", decimals=1),
        profit=format_value(
            row[_("profit a week (million toman)")], "number", decimals=1, signed=True
        ),
    )


def rule_verdict(
    decision: Decision,
    touchpoints: Mapping[str, str],
    answer: Any,
    replications: int = 6,
    days: float = 14,
) -> DecisionVerdict:
    """:func:`cxsim.decisions.verdict`, then why by the rule: the answer's numbers and,
    if it is not the best, the best's."""
    judged = verdict(decision, answer)
    if judged.judgement is None:
        return judged
    chosen = decision.candidate(answer)
    keys = [chosen.key]
    if judged.judgement.best.key != chosen.key:
        keys.append(judged.judgement.best.key)
    lines = [
        judged.message,
        _(
            "Why, by one rule: value = journeys reached x points added to each contact x "
            "share the memory keeps (peak and end) x what a remembered point is worth."
        ),
        *(explain(decision, touchpoints, key, replications, days) for key in keys),
    ]
    return DecisionVerdict(judged.right, "\n".join(lines), judged.judgement)
