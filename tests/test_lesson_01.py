"""Lesson 01 (journeys, not touchpoints): tables, figure, dashboard and exercise."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import cxsim
from cxsim.decisions import judge
from cxsim.experiments import SerialExecutor, compare
from cxsim.fix_value import _compute_rule_runs, position_weights
from cxsim.lessons import journeys as lesson

YOURS, BASE, DIFF = "your policy", "baseline", "difference"
CSAT = "Journey CSAT (remembered 7+)"  # an English key, translated when shown
SUPPORT = "Support: mean contact score (0-10)"


@pytest.fixture(scope="module")
def result():
    return cxsim.simulate("retail_journey", seed=1, days=7)


@pytest.fixture(scope="module")
def dashboard():
    return lesson.dashboard()


def test_table_has_touchpoints_then_journey_rows(result):
    table = lesson.touchpoint_vs_journey(result)
    assert list(table.index[:4]) == ["website", "store", "delivery", "support"]
    assert list(table.index[4:]) == list(lesson.ROWS)
    assert list(table.columns) == ["count", "mean score (0-10)", "satisfied (7+)", "bad (below 5)"]
    contacts = table.loc["all contacts"]
    step, remembered = table.loc["journey: step by step"], table.loc[lesson.ROWS[-1]]
    # problems add up: more journeys hold a bad step than contacts are bad
    assert step["bad (below 5)"] > contacts["bad (below 5)"]
    # and peak-end remembers a journey with one bad step worse than an average would
    assert remembered["bad (below 5)"] > table.loc[lesson.ROWS[1], "bad (below 5)"]
    assert step["satisfied (7+)"] < table.loc[lesson.ROWS[1], "satisfied (7+)"]
    assert remembered["count"] == step["count"] > 0


def test_figure_shows_the_table(result):
    table = lesson.touchpoint_vs_journey(result)
    figure = lesson.plot_touchpoint_vs_journey(table)
    assert "journey" in figure.get_suptitle().lower()
    left, right = figure.axes
    assert "%" in left.get_xlabel() and "%" in right.get_xlabel()
    heights = sorted(p.get_width() for p in right.patches)
    assert heights == pytest.approx(sorted(table["bad (below 5)"] * 100))


def test_dashboard_defaults_equal_baseline(dashboard):
    table, figures = dashboard.update()
    assert list(table.columns) == [BASE, YOURS, DIFF]
    assert (table[DIFF] == 0).all()
    assert len(figures) == 1 and isinstance(figures[0], Figure)


def test_support_courtesy_lifts_support_score_and_journey_csat(dashboard):
    table, _ = dashboard.update(support_courtesy=0.9)
    assert table.loc[SUPPORT, DIFF] > 1.5  # 6.74 -> 8.92 with seed 1, 7 days
    assert table.loc[CSAT, DIFF] >= 0.04  # 0.70 -> 0.78


def test_in_house_support_and_fewer_agents(dashboard):
    in_house, _ = dashboard.update(support_operator="in_house")
    assert in_house.loc[SUPPORT, DIFF] > 0
    fewer, _ = dashboard.update(support_staff=-1)  # one agent at every open hour, not two
    assert fewer.loc[SUPPORT, DIFF] < 0


def test_store_staff_options_only_at_open_hours(dashboard):
    control = next(c for c in dashboard.controls if c.key == "store_staff")
    _label, rota = control.choices()[1]
    assert rota[0] == 0 and rota[10] == 5
    with pytest.raises(ValueError):
        dashboard.update(store_courtesy=1.2)


def test_training_and_agency_price_levers_are_on_the_dashboard(dashboard):
    trained, _ = dashboard.update(store_training=1.0)
    # 7 days x 300,000 toman x 7 people (50 staffed hours a day / 8, rounded up): 14.7 million
    assert trained.loc["cost", DIFF] == pytest.approx(14.7, abs=0.01)
    assert trained.loc["Store: mean contact score (0-10)", DIFF] > 0.8  # courtesy +0.25: +1.25
    priced, _ = dashboard.update(support_price=lesson.BETTER_CONTRACT_PER_HOUR)
    # 28 agent-hours a day x 50,000 toman more x 7 days: 9.8 million, nothing else moves
    assert priced.loc["cost", DIFF] == pytest.approx(9.8, abs=0.01)
    assert priced.loc[SUPPORT, DIFF] == 0


def test_position_weights_follow_peak_end(result):
    support = position_weights(result, "support")
    # support is the last step of every journey that calls it: half the memory, or all
    # of it when it is also the worst (or best) moment
    assert set(support.round(6).unique()) <= {0.5, 1.0}
    store = position_weights(result, "store")
    assert 0.8 < store.mean() <= 1.0  # the store ends nine in ten store journeys
    average = position_weights(result, "support", "average")
    assert average.between(0.2, 1.0).all() and average.mean() < support.mean()
    with pytest.raises(ValueError, match="memory"):
        position_weights(result, "support", "median")


def test_artefact_checks(result):
    checks = lesson.artefact_checks(result)["share"]
    assert checks["store visits while the store is closed"] == 0.0  # fixed: next_open
    # shoppers start at night too (the website; 0.1 of the daytime rate), and come back
    # to the store when it opens
    assert 0.05 < checks["journeys started while the store is closed"] < 0.2
    # a 7 +- 1 draw falls below 5 about 2.3% of the time
    assert 0.01 < checks["self-service contacts scored below 5"] < 0.04
    assert 0.1 < checks["bad journeys whose worst moment was self-service"] < 0.6


def test_rule_predicts_the_memory_change():
    """reach x size x position: size x position predicts, to first order, how much the
    memory of a journey that meets the touchpoint moves (fresh paired runs)."""
    touchpoints = {"store_training": "store", "support_contract": "support"}
    runs = _compute_rule_runs(lesson.DECISION, touchpoints, replications=2, days=7)
    for key, touchpoint in touchpoints.items():
        size = np.mean(
            [
                v[touchpoint] - b[touchpoint]
                for v, b in zip(runs["score"][key], runs["score"]["nothing"], strict=True)
            ]
        )
        moved = np.mean(
            [
                v[touchpoint] - b[touchpoint]
                for v, b in zip(runs["memory"][key], runs["memory"]["nothing"], strict=True)
            ]
        )
        position = np.mean(runs["baseline"][touchpoint]["peak_end"])
        assert size > 1.0  # courtesy +0.25 or more, x 5 points per unit of courtesy
        # first order, from below: a step that becomes the peak once fixed passes more
        # than its position's share (its old peak, a website at 5.5, no longer counts)
        assert size * position * 0.95 <= moved <= 1.5 * size


def test_more_staff_loses_money_fresh():
    """The queues are short: one more salesperson costs 19.6 million a week and sells
    almost nothing more (3 paired runs of 14 days)."""
    comparison = compare(
        "retail_journey",
        {"nothing": None, "store_staff": lesson.DECISION.candidate("store_staff").spec},
        3,
        days=14,
        progress=False,
        executor=SerialExecutor(),
    )
    runs = comparison.runs.set_index(["policy", "replication"])
    gain = runs.loc["store_staff", "profit"] - runs.loc["nothing", "profit"]
    assert (gain < -20e6).all()  # 39.2 million of staff cost over two weeks


def test_decision_verdict_says_why():
    judgement = judge(lesson.DECISION)
    acceptable = {c.key for c in judgement.acceptable}
    assert judgement.best.key in {"support_contract", "store_training"}
    assert not acceptable & {"nothing", "store_staff", "support_staff"}
    verdict = lesson.check_best_touchpoint("support_staff")
    assert not verdict and "Why, by one rule" in verdict.message
    assert "journeys a week meet" in verdict.message
    right = lesson.check_best_touchpoint(judgement.best.key)
    assert right
    table = lesson.fix_rule()
    assert list(table["touchpoint"]) == ["store", "store", "support", "support"]
    profit = table["profit a week (million toman)"]
    assert profit.iloc[0] < 0 and profit.iloc[2] < 0  # more staff
    assert profit.iloc[1] > 0 and profit.iloc[3] > 0  # training, the better contract


def test_exercise_widget_checks_with_the_rule():
    box = lesson.exercise()
    button = box.children[1].children[1]
    assert button._click_handlers.callbacks == [box.check]  # the rule's verdict, only
    assert [key for _label, key in box.choice.options][1:] == [
        c.key for c in lesson.DECISION.candidates
    ]
    box.choice.value = "store_training"
    box.check()  # shows the verdict (in a kernel); must not fail outside one
