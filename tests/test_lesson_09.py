"""Lesson 09 (cxsim.lessons.challenge): Policy, budget, evaluate, dashboard, checkers."""

from __future__ import annotations

import json

import pytest
from matplotlib.figure import Figure

from cxsim.lessons import challenge as lesson
from cxsim.lessons.challenge import Policy
from cxsim.results import kpi_label

PROFIT, CSAT = "profit", "csat"
WAIT, LEFT = "mean_wait_min", "Weekly budget left (million toman)"
YOURS, BASE, DIFF = "your policy", "baseline", "difference"


@pytest.fixture(scope="module")
def evaluation():
    return lesson.evaluate(
        {
            "baseline": Policy(),
            "ours": Policy(extra_agents=1, training=0.25),
            **lesson.example_rivals(),
        },
        n=3,
        days=7,
        seed=0,
    )


@pytest.fixture(scope="module")
def board():
    return lesson.dashboard()


# --------------------------------------------------------------------------- Policy
def test_policy_round_trips_through_a_dict_and_json():
    policy = Policy(
        extra_agents=2, training=0.75, promise_min=3, follow_up=True, follow_up_capacity=25
    )
    data = json.loads(json.dumps(policy.to_dict()))
    assert Policy.from_dict(data) == policy
    assert Policy.from_dict({}) == Policy()
    assert isinstance(Policy(promise_min=3).promise_min, float)


@pytest.mark.parametrize(
    ("levers", "lever", "allowed"),
    [
        ({"extra_agents": 6}, "extra_agents", "-2 to 5"),
        ({"extra_agents": 1.5}, "extra_agents", "-2 to 5"),
        ({"training": -0.1}, "training", "0 to 1"),
        ({"training": "full"}, "training", "0 to 1"),
        ({"promise_min": 0}, "promise_min", "1 to 15"),
        ({"follow_up_capacity": 41}, "follow_up_capacity", "0 to 40"),
        ({"follow_up": "yes"}, "follow_up", "True or False"),
    ],
)
def test_policy_rejects_values_outside_the_range_naming_lever_and_range(levers, lever, allowed):
    with pytest.raises(ValueError, match=lever) as error:
        Policy.from_dict(levers)
    assert allowed in str(error.value)


def test_policy_rejects_unknown_levers():
    with pytest.raises(ValueError, match="unknown lever.*budget"):
        Policy.from_dict({"budget": 5})


def test_policy_overrides_match_the_scenarios_own_policies():
    import cxsim

    scenario = cxsim.load_scenario("contact_centre")
    generous = scenario.with_policy("generous").touchpoint("phone").hourly_staff
    lean = scenario.with_policy("lean").touchpoint("phone").hourly_staff
    assert tuple(Policy(extra_agents=2).rota()) == generous
    assert tuple(Policy(extra_agents=-1).rota()) == lean
    built = Policy(training=1.0, follow_up=True).scenario()
    assert built.levers.training == 1.0 and built.levers.follow_up.enabled


# --------------------------------------------------------------------------- budget
def test_budget_check_prices_each_lever_from_the_economics():
    assert lesson.budget_check(Policy()).total == 0
    # an extra agent works every hour the line is open: 24 a day on the phone
    agents = lesson.budget_check(Policy(extra_agents=1))
    assert agents.total == 1 * 24 * 7 * 200_000 and agents.within
    trained = lesson.budget_check(Policy(training=1.0))
    assert trained.total == pytest.approx(1.0 * 300_000 * 57 / 8 * 7)
    calls = lesson.budget_check(Policy(follow_up=True, follow_up_capacity=20))
    assert calls.total == 20 * 7 * 40_000
    assert lesson.budget_check(Policy(follow_up_capacity=20)).total == 0  # switched off
    over = lesson.budget_check(Policy(extra_agents=2))
    assert not over.within and over.left == pytest.approx(40e6 - 67.2e6)
    assert "Over budget by 27.20" in repr(over)
    assert lesson.budget_check(Policy(extra_agents=-1)).total < 0  # a saving
    assert over.table()["total"] == 67.2


# --------------------------------------------------------------------------- evaluate
def test_standings_rank_by_profit_with_intervals(evaluation):
    table = evaluation.standings()
    profits = list(table["profit (million toman)"])
    assert profits == sorted(profits, reverse=True)
    assert list(table.index) == [1, 2, 3, 4]
    assert set(table["policy"]) == {"baseline", "ours", "more_agents", "full_training"}
    assert (table["profit CI low"] <= table["profit (million toman)"]).all()
    assert (table["profit (million toman)"] <= table["profit CI high"]).all()
    assert set(table["within budget"]) == {"yes"}
    charm = table[table["policy"] == "full_training"].iloc[0]
    base = table[table["policy"] == "baseline"].iloc[0]
    assert charm[kpi_label(CSAT)] > base[kpi_label(CSAT)] + 0.1  # courteous agents please


def test_differences_are_paired_against_a_reference(evaluation):
    table = evaluation.differences(against="baseline")
    assert list(table.index) == ["ours", "more_agents", "full_training"]
    runs = evaluation.comparison.runs.set_index(["policy", "replication"])["profit"]
    expected = ((runs.loc["ours"] - runs.loc["baseline"]) / 1e6).mean()
    assert table.at["ours", "mean difference"] == pytest.approx(expected, abs=0.01)
    assert set(table["distinguishable from 0"]) <= {"yes", "no"}
    with pytest.raises(ValueError, match="unknown policy"):
        evaluation.differences(against="nobody")


def test_plot_shows_profit_against_csat_per_policy(evaluation):
    figure = evaluation.plot()
    assert isinstance(figure, Figure) and "Profit against CSAT" in figure.get_suptitle()
    ax = figure.axes[0]
    assert "CSAT" in ax.get_xlabel() and "million toman" in ax.get_ylabel()
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["baseline", "ours", "more_agents", "full_training"]
    summary = evaluation.comparison.summary().set_index(["policy", "kpi"])
    x, y = ax.lines[0].get_data()
    assert x[0] == pytest.approx(summary.loc[("baseline", "csat"), "mean"] * 100)
    assert y[0] == pytest.approx(summary.loc[("baseline", "profit"), "mean"] / 1e6)


# --------------------------------------------------------------------------- dashboard
def test_dashboard_shows_kpis_beside_the_baseline_and_the_budget(board):
    default, figures = board.update()
    assert list(default.columns) == [BASE, YOURS, DIFF]
    assert (default[DIFF] == 0).all() and default.at[LEFT, YOURS] == 40.0
    assert len(figures) == 1 and isinstance(figures[0], Figure)
    more, _ = board.update(extra_agents=2)
    assert more.at[WAIT, YOURS] < default.at[WAIT, YOURS]
    assert more.at[LEFT, YOURS] == pytest.approx(40.0 - 67.2)  # two agents, every hour
    trained, _ = board.update(training=1.0)
    assert trained.at[CSAT, YOURS] > default.at[CSAT, YOURS] + 0.1
    over, _ = board.update(extra_agents=3, training=1.0)
    assert over.at[LEFT, YOURS] < 0
    with pytest.raises(ValueError, match="extra_agents"):
        board.update(extra_agents=6)


def test_dashboard_extra_agents_work_only_08_to_18(board):
    scenario, _seed, _days = board.variant(extra_agents=2)
    assert scenario.touchpoint("phone").hourly_staff == tuple(Policy(extra_agents=2).rota())
    assert board.policy(extra_agents=2, follow_up=True) == Policy(extra_agents=2, follow_up=True)


# --------------------------------------------------------------------------- checkers
def test_check_weekly_cost():
    assert lesson.check_weekly_cost(54.86)  # one extra agent and full training
    verdict = lesson.check_weekly_cost(48.21)  # the old answer, with agents 08:00-18:00 only
    assert not verdict and "Not yet" in repr(verdict)
    assert lesson.check_weekly_cost(33.6, Policy(extra_agents=1))


@pytest.mark.slow  # 40 runs of 28 days
def test_check_challenge_judges_the_taught_horizon_against_doing_nothing():
    # the class standings' criterion: 28-day profit, 10 paired replications, seed 0
    trained = Policy(training=1.0)
    verdict = lesson.check_challenge(trained, team="ours")
    direct = lesson.evaluate({"do nothing": Policy(), "ours": trained})
    assert (direct.days, direct.n, direct.seed) == (28, 10, 0)
    row = direct.differences(against="do nothing").loc["ours"]
    assert bool(verdict) and row["CI low"] > 0
    text = repr(verdict)
    assert text.startswith("ours minus doing nothing, profit over 28 days")
    assert f"{row['mean difference']:.2f} million toman" in text
    assert f"95% CI {row['CI low']:.2f} to {row['CI high']:.2f}" in text
    assert "Extra cost: 14.96 million toman a week, budget 40.00" in text
    # an evaluation already at the horizon, beside doing nothing, is reused as it is
    again = lesson.check_challenge(direct, team="ours")
    assert repr(again) == text


@pytest.fixture
def short_horizon(monkeypatch):
    """The checker's horizon cut to 2 days and 3 replications, for speed."""
    monkeypatch.setattr(lesson, "CHALLENGE_DAYS", 2)
    monkeypatch.setattr(lesson, "CHALLENGE_REPLICATIONS", 3)


def test_check_challenge_says_why_not(short_horizon, evaluation):
    over = lesson.check_challenge(Policy(extra_agents=3), team="big")
    assert not over and "over budget by 60.80 million toman" in repr(over)
    lean = lesson.check_challenge(Policy(extra_agents=-2), team="lean")
    assert not lean and "loses money against doing nothing" in repr(lean)
    # an evaluation at another horizon (7 days, 3 replications): re-run at the taught one
    verdict = lesson.check_challenge(evaluation, team="ours")
    assert "profit over 2 days" in repr(verdict)
    with pytest.raises(ValueError, match="unknown policy"):
        lesson.check_challenge(evaluation, team="nobody")


# --------------------------------------------------------------------------- levers
def test_core_and_optional_levers_name_the_lessons_that_teach_them():
    from cxsim.lessons.registry import lesson as lesson_of

    levers = {**lesson.CORE_LEVERS, **lesson.OPTIONAL_LEVERS}
    assert set(levers) == set(Policy().to_dict())  # every lever, once
    assert not set(lesson.CORE_LEVERS) & set(lesson.OPTIONAL_LEVERS)
    assert all(lesson_of(number).core for number in lesson.CORE_LEVERS.values())
    assert not any(lesson_of(number).core for number in lesson.OPTIONAL_LEVERS.values())
    assert lesson.OPTIONAL_LEVERS["promise_min"] == "06"
    assert lesson.OPTIONAL_LEVERS["follow_up"] == "08"


def test_dashboard_folds_the_optional_levers_and_names_the_horizon():
    board = lesson.dashboard()
    box = board.widget()
    more = board.more_levers
    assert more.selected_index is None  # closed: off by default
    assert more.get_title(0) == "More levers (if your class did lessons 06 and 08)"
    inside = list(more.children[0].children)
    assert inside == [board.ui.inputs[key] for key in lesson.OPTIONAL_LEVERS]
    assert board.defaults()["promise_min"] is None and board.defaults()["follow_up"] is False
    notes = [child.value for child in box.children if "cxsim-note" in getattr(child, "value", "")]
    assert len(notes) == 1 and "simulates 7 days" in notes[0]
    assert "use 28 days and 10 paired replications" in notes[0]


def test_app_page_checks_and_submits_without_code(short_horizon, tmp_path):
    from cxsim import classroom

    page = lesson.app_page()
    page.board.update(extra_agents=-2)
    page.check()
    assert "loses money against doing nothing" in page.verdict.value
    here = classroom.local(tmp_path / "app.sqlite", classroom.ClassConfig(n=2, days=1))
    page.submit.classroom = here
    page.submit.team.value = "Pelicans"
    page.submit.submit()
    assert page.submit.receipt.policy["extra_agents"] == -2
