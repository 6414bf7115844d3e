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
    assert set(table["policy"]) == {"baseline", "ours", "more_agents", "charm_and_call"}
    assert (table["profit CI low"] <= table["profit (million toman)"]).all()
    assert (table["profit (million toman)"] <= table["profit CI high"]).all()
    assert set(table["within budget"]) == {"yes"}
    charm = table[table["policy"] == "charm_and_call"].iloc[0]
    base = table[table["policy"] == "baseline"].iloc[0]
    assert charm[kpi_label(CSAT)] > base[kpi_label(CSAT)] + 0.1  # training and call-backs please


def test_differences_are_paired_against_a_reference(evaluation):
    table = evaluation.differences(against="baseline")
    assert list(table.index) == ["ours", "more_agents", "charm_and_call"]
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
    assert labels == ["baseline", "ours", "more_agents", "charm_and_call"]
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


def test_check_challenge(evaluation):
    verdict = lesson.check_challenge(evaluation, team="ours", rival="baseline")
    row = evaluation.differences(against="baseline").loc["ours"]
    assert bool(verdict) == bool(row["CI low"] > 0)
    assert repr(verdict).startswith("ours minus baseline")
    over = lesson.evaluate({"big": Policy(extra_agents=3), "base": Policy()}, n=2, days=2)
    verdict = lesson.check_challenge(over, team="big", rival="base")
    assert not verdict and "over budget" in repr(verdict)
