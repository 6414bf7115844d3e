"""Lesson 09 · The policy challenge: design a policy under a budget, compare it fairly.

The policy (:class:`Policy`), its weekly price (:func:`budget_check`) and its
replicated evaluation (:func:`evaluate`) are domain code in :mod:`cxsim.challenge`,
re-exported here; this module adds what a notebook needs on top: the team's
dashboard, an :class:`Evaluation` that plots itself, and the exercises.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from .. import challenge
from ..catalog import load_scenario
from ..challenge import (
    _TOUCHPOINT,
    LIMITS,
    WEEKLY_BUDGET,
    BudgetCheck,
    Policy,
    _as_policy,
    budget_check,
    example_rivals,
    lever_label,
)
from ..i18n import _, translate_name
from ..plots import NotebookFigure, plot_evaluation, policy_colour
from ..results import kpi_label
from ..widgets import Control, Dashboard, kpi_frame
from . import Verdict, check_answer, in_millions

__all__ = [
    "LIMITS",
    "WEEKLY_BUDGET",
    "BudgetCheck",
    "Evaluation",
    "Policy",
    "budget_check",
    "check_challenge",
    "check_weekly_cost",
    "dashboard",
    "evaluate",
    "example_rivals",
]

_SCENARIO = challenge._SCENARIO


class Evaluation(challenge.Evaluation):
    """:class:`cxsim.challenge.Evaluation` that a notebook can also :meth:`plot`."""

    def plot(self) -> Figure:
        """Profit against CSAT, one point per policy with its confidence intervals."""
        return plot_evaluation(self)


def evaluate(
    policies: Mapping[str, Policy | Mapping[str, Any]], n: int = 5, **options: Any
) -> Evaluation:
    """:func:`cxsim.challenge.evaluate` (same ``options``: days, seed, budget, progress,
    executor), giving an evaluation a notebook can plot."""
    evaluated = challenge.evaluate(policies, n, **options)
    return Evaluation(
        comparison=evaluated.comparison, policies=evaluated.policies, budget=evaluated.budget
    )


# --------------------------------------------------------------------------- dashboard
DASHBOARD_KPIS = (
    "mean_wait_min",
    "abandonment_rate",
    "csat",
    "nps",
    "retention_rate",
    "cost",
    "profit",
)


class _PolicyDashboard(Dashboard):
    """A dashboard whose levers are a :class:`Policy`'s."""

    def update(self, **values: Any) -> tuple[pd.DataFrame, list[Figure]]:
        """As :meth:`Dashboard.update`; the view also prices the policy of ``values``."""
        self.last_values = self.values(**values)
        return super().update(**values)

    def policy(self, **values: Any) -> Policy:
        """The :class:`Policy` that control ``values`` describe (defaults for the rest)."""
        checked = self.values(**values)
        return Policy(
            extra_agents=checked["extra_agents"],
            training=checked["training"],
            promise_min=checked["promise_min"],
            follow_up=checked["follow_up"],
            follow_up_capacity=checked["follow_up_capacity"],
        )


def dashboard(*, seed: int = 0, days: float = 7, budget: float = WEEKLY_BUDGET) -> Dashboard:
    """The team's levers -> their KPIs beside the baseline (no policy), the extra
    weekly cost and the budget left, and a bar chart of profit and CSAT.

    Each move runs ``days`` days (default 7, about 0.1 s a run) with the same
    callers (``seed``): one run, one week's luck; :func:`evaluate` gives the
    honest, replicated answer.
    """
    low, high, _whole = LIMITS["extra_agents"]
    cap_low, cap_high, _whole = LIMITS["follow_up_capacity"]
    promise_low, promise_high, _whole = LIMITS["promise_min"]
    promises = [(_("no promise"), None)] + [
        (_("{minutes} min", minutes=m), float(m))
        for m in (1, 2, 3, 5, 10)
        if promise_low <= m <= promise_high
    ]
    label = lever_label
    controls = [
        Control(
            f"touchpoints.{_TOUCHPOINT}.staff",
            label("extra_agents"),
            "staff_shift",
            min=int(low),
            max=int(high),
            step=1,
            key="extra_agents",
        ),
        Control(
            "levers.training",
            label("training"),
            "float",
            min=0.0,
            max=1.0,
            step=0.25,
            default=0.0,
            key="training",
        ),
        Control(
            "levers.promise_min",
            label("promise_min"),
            "dropdown",
            options=tuple(promises),
            default=None,
            key="promise_min",
        ),
        Control(
            "levers.follow_up.enabled", label("follow_up"), "toggle", default=False, key="follow_up"
        ),
        Control(
            "levers.follow_up.capacity_per_day",
            label("follow_up_capacity"),
            "int",
            min=int(cap_low),
            max=int(cap_high),
            step=5,
            default=10,
            key="follow_up_capacity",
        ),
    ]
    board: _PolicyDashboard

    def view(results: Any) -> tuple[pd.DataFrame, list[Figure]]:
        table = in_millions(kpi_frame(results, DASHBOARD_KPIS))
        check = budget_check(board.policy(**board.last_values), budget)
        extra = pd.DataFrame(
            [
                [0.0, round(check.total / 1e6, 2), round(check.total / 1e6, 2)],
                [
                    round(budget / 1e6, 2),
                    round(check.left / 1e6, 2),
                    round(check.left / 1e6 - budget / 1e6, 2),
                ],
            ],
            columns=table.columns,
            index=[_("Extra cost a week (million toman)"), _("Weekly budget left (million toman)")],
        )
        combined = pd.concat([table, extra]) + 0.0  # no "-0.00"
        combined.index.name = table.index.name
        return combined, [_plot_pair(results)]

    board = _PolicyDashboard(
        load_scenario(_SCENARIO),
        controls,
        view,
        reference=True,
        seed=seed,
        days=days,
        title=_("Your team's policy"),
    )
    board.last_values = board.defaults()
    return board


def _plot_pair(results: Mapping[str, Any]) -> Figure:
    """Profit and CSAT of the baseline and the team's policy, side by side."""
    figure = NotebookFigure(figsize=(8.0, 3.6), layout="constrained")
    axes = figure.subplots(1, 2)
    labels = list(results)
    kpis = {label: result.kpis() for label, result in results.items()}
    colours = [policy_colour(label) for label in labels]
    panels = (
        ("profit", 1e6, _("Profit (million toman)")),
        ("csat", 0.01, _("CSAT (share satisfied, %)")),
    )
    for ax, (kpi, scale, ylabel) in zip(axes, panels, strict=True):
        ax.bar(labels, [kpis[label][kpi] / scale for label in labels], color=colours)
        ax.set_ylabel(ylabel)
        ax.set_xlabel(_("Policy"))
        ax.set_title(kpi_label(kpi), fontsize="medium")
        ax.grid(True, axis="y", alpha=0.3, linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    figure.suptitle(_("Your policy against the baseline (one run)"))
    return figure


# --------------------------------------------------------------------------- exercises
def check_weekly_cost(answer: float, policy: Policy | Mapping[str, Any] | None = None) -> Verdict:
    """Exercise: the extra cost a week, in million toman, of ``policy`` (default: one
    extra agent and full training), computed by :func:`budget_check`; answers within
    0.05 million count."""
    policy = Policy(extra_agents=1, training=1.0) if policy is None else _as_policy(policy)
    expected = round(budget_check(policy).total / 1e6, 2)
    return check_answer(
        answer,
        expected,
        tolerance=0.05,
        unit=" " + _("million toman"),
        hint=_(
            "Run lesson.budget_check(...) on that policy, or add: agents × "
            "24 h × 7 days × 0.2 million, plus training × 0.3 million × "
            "(staffed hours a day / 8) × 7 days."
        ),
    )


def check_challenge(
    evaluation: Evaluation, team: str = "our team", rival: str = "more_agents"
) -> Verdict:
    """Exercise: is ``team``'s policy within budget, and does its profit beat
    ``rival``'s with a paired confidence interval that excludes 0?  The verdict
    says why or why not."""
    for name in (team, rival):
        if name not in evaluation.policies:
            raise ValueError(
                _(
                    "unknown policy {name!r}; allowed: {allowed}",
                    name=name,
                    allowed=", ".join(evaluation.policies),
                )
            )
    check = budget_check(evaluation.policies[team], evaluation.budget)
    row = evaluation.differences(against=rival).loc[team]
    beats = bool(row[_("CI low")] > 0)
    team_name, rival_name = translate_name(team), translate_name(rival)  # as tables show them
    context = _(
        "{team} minus {rival}: {mean:.2f} million toman, 95% CI {low:.2f} to {high:.2f}.",
        team=team_name,
        rival=rival_name,
        mean=row[_("mean difference")],
        low=row[_("CI low")],
        high=row[_("CI high")],
    )
    if not check.within:
        line = _(
            "Not yet: the policy is over budget by {over:.2f} million toman a week.",
            over=-check.left / 1e6,
        )
    elif not beats:
        line = _(
            "Not yet: within budget, but the interval does not lie above 0: "
            "{rival} could be as good or better.",
            rival=rival_name,
        )
    else:
        line = _(
            "Correct: within budget, and {team} earns more than {rival} beyond luck.",
            team=team_name,
            rival=rival_name,
        )
    return Verdict(check.within and beats, f"{context}\n{line}")
