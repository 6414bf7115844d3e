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
    CHALLENGE_DAYS,
    CHALLENGE_REPLICATIONS,
    CHALLENGE_SEED,
    CORE_LEVERS,
    DO_NOTHING,
    LIMITS,
    OPTIONAL_LEVERS,
    WEEKLY_BUDGET,
    BudgetCheck,
    Policy,
    _as_policy,
    budget_check,
    example_rivals,
    lever_label,
)
from ..formatting import format_value
from ..i18n import Text, _, localise_digits, translate_name
from ..plots import NotebookFigure, plot_evaluation, policy_colour
from ..results import kpi_label
from ..widgets import Control, Dashboard, kpi_frame
from . import Verdict, check_answer, in_millions

__all__ = [
    "CHALLENGE_DAYS",
    "CHALLENGE_REPLICATIONS",
    "CORE_LEVERS",
    "DO_NOTHING",
    "LIMITS",
    "OPTIONAL_LEVERS",
    "WEEKLY_BUDGET",
    "BudgetCheck",
    "Evaluation",
    "Policy",
    "app_page",
    "budget_check",
    "challenge_controls",
    "check_challenge",
    "check_weekly_cost",
    "dashboard",
    "policy_table",
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
    policies: Mapping[str, Policy | Mapping[str, Any]],
    n: int = CHALLENGE_REPLICATIONS,
    **options: Any,
) -> Evaluation:
    """:func:`cxsim.challenge.evaluate` (same ``options``: days, seed, budget, progress,
    executor), giving an evaluation a notebook can plot."""
    evaluated = challenge.evaluate(policies, n, **options)
    return Evaluation(
        comparison=evaluated.comparison,
        policies=evaluated.policies,
        budget=evaluated.budget,
        days=evaluated.days,
        n=evaluated.n,
        seed=evaluated.seed,
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
    """A dashboard whose levers are a :class:`Policy`'s: the core levers first, the
    optional ones (lessons 06 and 08) folded under "more levers", and a note saying
    which horizon the dashboard runs and which one the ranking uses."""

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

    def widget(self) -> Any:
        """The dashboard's widget, its optional levers in a closed "more levers" section
        and, under the controls, the horizon note (:func:`horizon_note`)."""
        import ipywidgets as w

        box = super().widget()
        keys = list(self.ui.inputs)
        children = list(box.children)
        # the controls' column: one row per input, in the controls' order (a row may wrap
        # its input, as Persian sliders are)
        at = next(
            i
            for i, child in enumerate(children)
            if isinstance(child, w.VBox) and len(child.children) == len(keys)
        )
        rows = dict(zip(keys, children[at].children, strict=True))
        more = w.Accordion(
            children=[w.VBox([rows[key] for key in OPTIONAL_LEVERS])], selected_index=None
        )
        more.set_title(0, more_levers_title())
        more.add_class("cxsim-more-levers")
        note = w.HTML(Text(horizon_note(self.days)).as_html("cxsim-note"))
        children[at : at + 1] = [w.VBox([rows[key] for key in CORE_LEVERS]), more, note]
        box.children = tuple(children)
        self.more_levers = more
        return box


def more_levers_title() -> str:
    """The heading of the optional levers' section (the lessons that teach them)."""
    first, second = sorted(set(OPTIONAL_LEVERS.values()))
    return _(
        "More levers (if your class did lessons {first} and {second})",
        first=localise_digits(first),
        second=localise_digits(second),
    )


def horizon_note(days: float | None) -> str:
    """What a trainee reads under the controls: the dashboard's horizon against the
    challenge's (the ranking, the check and the standings)."""
    return _(
        "Each move simulates {days} days, one run, so it answers fast. The ranking, the "
        "check and the class standings use {horizon} days and {n} paired replications: "
        "profit there counts the customers a policy keeps or loses.",
        days=format_value(days or CHALLENGE_DAYS),
        horizon=format_value(CHALLENGE_DAYS),
        n=format_value(CHALLENGE_REPLICATIONS),
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


def policy_table(policy: Policy | Mapping[str, Any]) -> pd.DataFrame:
    """A policy's levers as a reader reads them: one row per lever (its label in the
    reader's language), its value ("off" for a promise or follow-up left off), and the
    lesson that teaches it.  What travels to the class standings, nothing else."""
    policy = _as_policy(policy)
    lessons = {**CORE_LEVERS, **OPTIONAL_LEVERS}
    rows = {}
    for lever, value in policy.to_dict().items():
        if value is None or value is False:
            shown_value = _("off")
        elif value is True:
            shown_value = _("on")
        else:
            shown_value = format_value(value)
        rows[lever_label(lever)] = {
            _("value"): shown_value,
            _("taught in lesson"): localise_digits(lessons[lever]),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = _("lever")
    return table


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
            "Add: extra agents × 24 hours × 7 days × 0.2 million, plus training × "
            "0.3 million × (staffed hours a day / 8) × 7 days; the budget check of "
            "section 1 does the same sum."
        ),
    )


def _do_nothing_name(evaluation: challenge.Evaluation) -> str | None:
    """The name under which ``evaluation`` holds today's policy (no lever moved), or None."""
    for name, policy in evaluation.policies.items():
        if policy == Policy():
            return name
    return None


def _judged(
    source: challenge.Evaluation | Policy | Mapping[str, Any], team: str
) -> tuple[challenge.Evaluation, str, str]:
    """An evaluation at the challenge's horizon holding ``team`` and doing nothing: the
    one given when it is one, else a new one (same seeds as the class standings)."""
    if isinstance(source, challenge.Evaluation):
        if team not in source.policies:
            raise ValueError(
                _(
                    "unknown policy {name!r}; allowed: {allowed}",
                    name=team,
                    allowed=", ".join(source.policies),
                )
            )
        nothing = _do_nothing_name(source)
        if (
            nothing is not None
            and source.days == CHALLENGE_DAYS
            and source.n >= CHALLENGE_REPLICATIONS
        ):
            return source, team, nothing
        policy = source.policies[team]
    else:
        policy = _as_policy(source)
    nothing = translate_name(DO_NOTHING)
    team = team if team != nothing else _("your policy")
    evaluation = challenge.evaluate(
        {nothing: Policy(), team: policy},
        n=CHALLENGE_REPLICATIONS,
        days=CHALLENGE_DAYS,
        seed=CHALLENGE_SEED,
    )
    return evaluation, team, nothing


def check_challenge(
    source: challenge.Evaluation | Policy | Mapping[str, Any], team: str = "our team"
) -> Verdict:
    """Exercise: is ``team``'s policy within the weekly budget, and does it earn more
    than doing nothing (today's policy) beyond luck?

    Judged as the class standings rank: profit over :data:`CHALLENGE_DAYS` days
    (customer equity included) on :data:`CHALLENGE_REPLICATIONS` paired replications
    (the same callers for both), the 95% interval of the difference above 0.
    ``source``: the team's :class:`Policy` (or dict of levers), or an
    :class:`Evaluation` holding ``team`` (reused when it ran the challenge's horizon
    beside doing nothing; else the team's policy is re-run, about 10 seconds).  The
    verdict says why, with the numbers.
    """
    evaluation, team, nothing = _judged(source, team)
    check = budget_check(evaluation.policies[team], evaluation.budget)
    row = evaluation.differences(against=nothing).loc[team]
    mean, low, high = row[_("mean difference")], row[_("CI low")], row[_("CI high")]
    team_name = translate_name(team)  # as tables show it
    context = _(
        "{team} minus doing nothing, profit over {days} days (customer equity included), "
        "{n} paired replications: {mean:.2f} million toman, 95% CI {low:.2f} to {high:.2f}.",
        team=team_name,
        days=format_value(evaluation.days),
        n=format_value(evaluation.n),
        mean=mean,
        low=low,
        high=high,
    )
    cost = _(
        "Extra cost: {cost:.2f} million toman a week, budget {budget:.2f}.",
        cost=check.total / 1e6,
        budget=check.budget / 1e6,
    )
    beats = bool(low > 0)
    if not check.within:
        line = _(
            "Not yet: the policy is over budget by {over:.2f} million toman a week; "
            "the board would not pay for it, whatever it earns.",
            over=-check.left / 1e6,
        )
    elif high < 0:
        line = _(
            "Not yet: within budget, but the policy loses money against doing nothing, "
            "beyond luck: the bank would be better off leaving the line as it is."
        )
    elif not beats:
        line = _(
            "Not yet: within budget, but the interval contains 0: on these callers the "
            "policy could be no better than doing nothing. Try a change that moves "
            "profit more."
        )
    else:
        line = _(
            "Correct: within budget, and {team} earns more than doing nothing beyond "
            "luck: every replication's callers met both policies.",
            team=team_name,
        )
    return Verdict(check.within and beats, f"{context}\n{cost}\n{line}")


# --------------------------------------------------------------------------- app page
def challenge_controls(board: Dashboard) -> Any:
    """What a team needs beside the dashboard ``board`` to take part without code: a
    **Check my policy** button that judges the levers as set on it
    (:func:`check_challenge`: paired replications at the challenge's horizon, against
    doing nothing) and a team name with a **Submit** button
    (:func:`cxsim.classroom.submit_widget`) that sends those levers."""
    import html

    import ipywidgets as w

    from .. import classroom

    button = w.Button(
        description=_("Check my policy"),
        icon="check",
        tooltip=_("Judge the levers as set: paired replications against doing nothing"),
    )
    verdict = w.HTML(value="")

    def check(_button: Any = None) -> None:
        button.disabled = True
        verdict.value = html.escape(
            _(
                "Running {n} paired replications of {days} days... (about 15 seconds)",
                n=format_value(CHALLENGE_REPLICATIONS),
                days=format_value(CHALLENGE_DAYS),
            )
        )
        try:
            judged = check_challenge(board.policy(**board.last_values), team=_("your policy"))
            verdict.value = judged._repr_html_()
        except ValueError as error:
            verdict.value = html.escape(str(error))
        finally:
            button.disabled = False

    button.on_click(check)
    submit = classroom.submit_widget(board)
    box = w.VBox([w.HBox([button]), verdict, submit])
    box.add_class("cxsim-challenge-controls")
    box.board, box.check_button, box.verdict, box.submit = board, button, verdict, submit
    box.check = check
    return box


def app_page(*, seed: int = 0, days: float = 7) -> Any:
    """The challenge without code on one page: the dashboard (core levers, the optional
    ones folded) above :func:`challenge_controls` (Check my policy, team name, Submit)."""
    import ipywidgets as w

    board = dashboard(seed=seed, days=days)
    controls = challenge_controls(board)
    page = w.VBox([board.widget(), controls])
    page.add_class("cxsim-challenge-page")
    page.board, page.verdict, page.submit = board, controls.verdict, controls.submit
    page.check = controls.check
    return page
