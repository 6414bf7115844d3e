"""Lesson 06: word of mouth and promises (claims Q5, Q13, N8).

The social customer: promoters bring friends (referrals), detractors talk
prospects out of coming (deterred).  And the firm's own promises set
expectations: an advertised response time pulls every customer's expected wait
towards it, and a broken promise hurts (``levers.promise_min``).

>>> PROMISES[0]
('none', None)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..catalog import load_scenario
from ..experiments import compare
from ..i18n import _, translate_name
from ..plots import NotebookFigure, policy_colour
from ..results import Result, kpi_label
from ..simulation import simulate
from ..widgets import Control, Dashboard, kpi_frame
from . import Verdict, check_answer

__all__ = [
    "PROMISES",
    "SCENARIO",
    "WORD_OF_MOUTH_KPIS",
    "check_safe_promise",
    "dashboard",
    "plot_new_customers",
    "promise_label",
    "promise_policies",
    "promise_table",
    "run_policies",
    "word_of_mouth_table",
]

#: The scenario of the lesson: a bank's phone line over four weeks.
SCENARIO = "contact_centre"
#: Promises a dashboard offers: (label, minutes or None for no promise).
PROMISES: tuple[tuple[str, float | None], ...] = (
    ("none", None),
    ("1 min", 1),
    ("2 min", 2),
    ("5 min", 5),
    ("10 min", 10),
)
#: KPIs of word of mouth.
WORD_OF_MOUTH_KPIS = ("customers", "nps", "referrals", "deterred", "mean_memory_score")
_PROMISE_KPIS = ("nps", "mean_memory_score", "service_level")
_DASHBOARD_DAYS = 14
_PROMISE_DAYS = 14
_PROMISE_N = 5


# --------------------------------------------------------------------------- word of mouth
def run_policies(
    policies: Iterable[str | None] = (None, "lean", "courtesy_training"),
    *,
    seed: int = 0,
    days: float | None = None,
) -> dict[str, Result]:
    """One seeded run per policy of ``contact_centre``: ``{label: Result}``."""
    return {
        policy or "baseline": simulate(SCENARIO, policy=policy, seed=seed, days=days)
        for policy in policies
    }


def word_of_mouth_table(results: Mapping[str, Result]) -> pd.DataFrame:
    """New customers, NPS, referrals, deterred prospects and their balance, one column per run."""
    columns = {}
    for label, result in results.items():
        kpis = result.kpis()
        column = {kpi_label(kpi): kpis[kpi] for kpi in WORD_OF_MOUTH_KPIS}
        column[_("Word of mouth, net (referred − put off)")] = kpis["referrals"] - kpis["deterred"]
        columns[label] = column
    return pd.DataFrame(columns).round(2)


def plot_new_customers(results: Mapping[str, Result] | Result) -> Figure:
    """New customers arriving each day (first journeys), one line per run."""
    if isinstance(results, Result):
        results = {results.policy or _("baseline"): results}
    if not results:
        raise ValueError(_("plot_new_customers: no results to plot"))
    figure = NotebookFigure(figsize=(7.5, 4.0), layout="constrained")
    ax = figure.subplots()
    for label, result in results.items():
        daily = result.daily
        ax.plot(
            daily["day"] + 1,
            daily["new_customers"],
            marker="o",
            markersize=3,
            label=translate_name(str(label)),
            color=policy_colour(str(label)),
            linewidth=1.6,
        )
    ax.set_xlabel(_("Day"))
    ax.set_ylabel(_("New customers (people per day)"))
    ax.set_ylim(bottom=0)
    ax.legend(title=_("Policy"), fontsize="small", loc="lower left")
    ax.grid(True, alpha=0.3)
    figure.suptitle(_("New customers per day: referrals in, deterred prospects out"))
    return figure


# --------------------------------------------------------------------------- promises
def promise_label(minutes: float | None) -> str:
    """``"none"`` or ``"2 min"``."""
    return _("none") if minutes is None else _("{minutes:g} min", minutes=minutes)


def promise_policies(promises: Iterable[float | None]) -> dict[str, dict[str, Any]]:
    """Label -> overrides of ``levers.promise_min``, for :func:`cxsim.compare`."""
    return {promise_label(p): {"levers.promise_min": p} for p in promises}


@lru_cache(maxsize=4)
def _promise_comparison(
    promises: tuple[float | None, ...], n: int, seed: int, days: float
) -> pd.DataFrame:
    comparison = compare(
        SCENARIO, promise_policies(promises), n, seed=seed, days=days, progress=False
    )
    return comparison.differences()


def promise_table(
    promises: Iterable[float | None] = (None, 2, 10),
    n: int = _PROMISE_N,
    *,
    seed: int = 0,
    days: float = _PROMISE_DAYS,
) -> pd.DataFrame:
    """Each promise against no promise (the first of ``promises``): ``n`` paired runs of
    ``days`` days; mean of each KPI and the paired difference with its 95% interval."""
    promises = tuple(promises)
    differences = _promise_comparison(promises, n, seed, days)
    here = differences[differences["kpi"].isin(_PROMISE_KPIS)].copy()
    here["kpi"] = here["kpi"].map(kpi_label)
    table = here.rename(
        columns={
            "policy": _("promise"),
            "kpi": _("KPI"),
            "baseline_mean": promise_label(promises[0]),
            "policy_mean": _("with the promise"),
            "mean_difference": _("difference"),
            "ci_low": _("CI low"),
            "ci_high": _("CI high"),
        }
    )
    keep = [
        _("promise"),
        _("KPI"),
        promise_label(promises[0]),
        _("with the promise"),
        _("difference"),
        _("CI low"),
        _("CI high"),
    ]
    return table[keep].set_index([_("promise"), _("KPI")]).round(2)


# --------------------------------------------------------------------------- dashboard
def _view(results: Any) -> tuple[pd.DataFrame, list[Figure]]:
    return kpi_frame(results, WORD_OF_MOUTH_KPIS), [plot_new_customers(results)]


def dashboard(*, seed: int = 0, days: float = _DASHBOARD_DAYS) -> Dashboard:
    """Promise, referral probability and courtesy → NPS, referrals, deterred, new customers.

    Each update runs ``contact_centre`` for ``days`` days (14 by default: long
    enough for referrals, who come about a week later, and short enough to
    answer in well under a second) beside the scenario as it is.
    """
    scenario = load_scenario(SCENARIO)
    controls = [
        Control(
            "levers.promise_min",
            _("Advertised promise"),
            "dropdown",
            options=tuple((promise_label(p), p) for _label, p in PROMISES),
            key="promise",
        ),
        Control(
            "behaviour.word_of_mouth.referral_probability",
            _("Chance a promoter refers a friend"),
            "float",
            min=0.0,
            max=0.5,
            step=0.01,
            key="referral_probability",
        ),
        Control(
            "touchpoints.phone.courtesy",
            _("Courtesy of the agents"),
            "float",
            min=0.0,
            max=1.0,
            step=0.05,
            key="courtesy",
        ),
    ]
    return Dashboard(
        scenario,
        controls,
        _view,
        reference=True,
        seed=seed,
        days=days,
        title=_("Word of mouth and promises"),
    )


# --------------------------------------------------------------------------- exercise
def _safe_promise(n: int, seed: int, days: float) -> float:
    promises = tuple(p for _label, p in PROMISES)
    differences = _promise_comparison(promises, n, seed, days)
    nps = differences[differences["kpi"] == "nps"].set_index("policy")["mean_difference"]
    safe = [p for p in promises[1:] if nps[promise_label(p)] >= 0]
    return min(safe) if safe else float("nan")


def check_safe_promise(
    answer: float, *, n: int = _PROMISE_N, seed: int = 0, days: float = _PROMISE_DAYS
) -> Verdict:
    """Exercise: the shortest promise (1, 2, 5 or 10 minutes) that does not lower NPS
    against no promise, with the bank's staffing.

    The model answers with ``n`` paired runs of ``days`` days for each promise.
    """
    expected = _safe_promise(n, seed, days)
    return check_answer(
        answer,
        expected,
        unit=" " + _("min"),
        hint=_("Try the promises in the dashboard and compare NPS with 'none'."),
    )
