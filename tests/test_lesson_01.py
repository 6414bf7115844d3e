"""Lesson 01 (journeys, not touchpoints): tables, figure, dashboard and exercise."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

import cxsim
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


def test_exercise_checker_uses_the_model():
    gains = lesson.courtesy_gains(n=2)
    assert gains["website"] == gains["delivery"] == 0.0
    best = max(gains, key=gains.__getitem__)
    assert best == "support"
    verdict = lesson.check_best_touchpoint(" Support ")
    assert verdict and "Correct" in repr(verdict)
    verdict = lesson.check_best_touchpoint("store")
    assert not verdict and "Not yet" in repr(verdict)
