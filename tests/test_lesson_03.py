"""Lesson 03 (courtesy): dashboard directions, tables, figures and the lanes exercise."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from cxsim.lessons import courtesy as lesson
from cxsim.results import kpi_label
from cxsim.rota import shift_rota

CSAT, WAIT, NPS = "csat", "mean_wait_min", "nps"  # dashboards keep KPI names
YOURS, BASE, DIFF = "your policy", "baseline", "difference"


@pytest.fixture(scope="module")
def dashboard():
    return lesson.dashboard()


@pytest.fixture(scope="module")
def sweep_frame():
    return lesson.courtesy_lane_sweep(shifts=(-1, 0, 1), courtesy=(0.2, 1.0), n=2, days=3)


def test_dashboard_defaults_equal_the_baseline(dashboard):
    table, figures = dashboard.update()
    assert list(table.columns) == [BASE, YOURS, DIFF]
    assert (table[DIFF] == 0).all()
    # the airport's books are its costs: passengers do not come back for polite security
    assert "cost" in table.index
    assert "Profit (million toman)" not in table.index
    assert len(figures) == 1 and isinstance(figures[0], Figure)
    assert {"courtesy", "extra_lanes", "training", "passengers"} <= set(dashboard.defaults())


def test_courtesy_slider_lifts_csat(dashboard):
    table, _ = dashboard.update(courtesy=0.8)
    assert table.loc[CSAT, DIFF] >= 0.10  # 0.52 -> 0.66 with seed 0, 5 days (from today's 0.6)
    assert table.loc[NPS, DIFF] >= 15


def test_extra_lane_cuts_the_wait_and_costs_staff(dashboard):
    table, _ = dashboard.update(extra_lanes=1)
    assert table.loc[WAIT, DIFF] <= -2.0  # 5.71 -> 0.55 min
    assert table.loc[CSAT, DIFF] > 0.05
    assert table.loc["staff_cost", DIFF] > 0


def test_training_lifts_csat_and_costs(dashboard):
    table, _ = dashboard.update(training=1.0)
    assert table.loc[CSAT, DIFF] > 0.15
    assert table.loc["training_cost", DIFF] > 0


def test_crowded_terminal_courtesy_cannot_rescue(dashboard):
    crowded, _ = dashboard.update(passengers=55)
    kind, _ = dashboard.update(passengers=55, courtesy=1.0)
    assert crowded.loc[CSAT, YOURS] < 0.3
    assert kind.loc[CSAT, YOURS] < crowded.loc[CSAT, BASE]  # still below today's CSAT


def test_dashboard_rejects_courtesy_outside_0_1(dashboard):
    with pytest.raises(ValueError):
        dashboard.update(courtesy=1.5)


def test_shifting_lanes_keeps_a_lane_open():
    assert shift_rota([0, 1, 3], -1) == [0, 1, 2]
    assert shift_rota([0, 1, 3], 2) == [0, 3, 5]


def test_policy_comparison_table():
    comparison = lesson.compare_policies(n=2, days=3)
    table = lesson.policy_table(comparison)
    assert list(table["policy"].unique()) == ["baseline", "more_lanes", "courteous_staff"]
    lanes = table[(table["policy"] == "more_lanes") & (table["KPI"] == kpi_label(WAIT))]
    assert float(lanes["change vs baseline"].iloc[0]) < 0


def test_sweep_shows_when_courtesy_helps(sweep_frame):
    grid = lesson.sweep_table(sweep_frame)
    assert grid.loc[0, 1.0] > grid.loc[0, 0.2] + 0.3  # waits within expectations: courtesy pays
    assert grid.loc[-1, 1.0] < grid.loc[0, 0.2]  # understaffed: even full courtesy fails
    figure = lesson.plot_courtesy_lines(sweep_frame)
    assert "N5" in figure.get_suptitle()
    left = figure.axes[0]
    assert left.get_xlabel() == "Courtesy of security staff (0-1)"
    assert left.get_ylabel() == "CSAT (share satisfied) (%)"
    assert len(left.get_lines()) == 3


def test_lanes_exercise_checker():
    expected, gains = lesson.lanes_for_training_gain()
    assert gains["training"] > 0.15
    assert expected == "none" or gains[f"+{expected}"] >= gains["training"]
    verdict = lesson.check_lanes_for_training(expected)
    assert verdict and "Correct" in repr(verdict)
    verdict = lesson.check_lanes_for_training(1)
    assert not verdict and "Not yet" in repr(verdict)
