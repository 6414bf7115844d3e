"""Lesson 02 (response time): dashboard, tables, figures and the staffing exercise."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from cxsim import theory
from cxsim.lessons import response_time as lesson
from cxsim.results import kpi_label

WAIT, LEVEL, ABANDON = "mean_wait_min", "service_level", "abandonment_rate"


@pytest.fixture(scope="module")
def dashboard():
    return lesson.dashboard()


@pytest.fixture(scope="module")
def sweep_frame():
    return lesson.staff_sweep(staff=(8, 10), n=3, days=0.5)


def test_dashboard_prints_simulation_beside_erlang_a(dashboard):
    table, figures = dashboard.update()
    assert list(table.columns) == ["simulation", "Erlang A formula", "difference"]
    formula = theory.mm_c_m(9, 1, 10, 0.5, 5)
    assert table.loc[WAIT, "Erlang A formula"] == round(formula.mean_wait, 2)
    assert abs(table.loc[LEVEL, "difference"]) <= 0.02
    assert len(figures) == 1 and isinstance(figures[0], Figure)


def test_fewer_agents_wait_longer_and_abandon_more(dashboard):
    base, _ = dashboard.update()
    cut, _ = dashboard.update(agents=7)
    assert cut.loc[WAIT, "simulation"] > base.loc[WAIT, "simulation"] + 0.2  # 0.14 -> ~0.5 min
    assert cut.loc[ABANDON, "simulation"] > base.loc[ABANDON, "simulation"] + 0.1
    assert cut.loc[WAIT, "Erlang A formula"] == 0.5


def test_more_patient_callers_abandon_less(dashboard):
    base, _ = dashboard.update()
    patient, _ = dashboard.update(patience=8.0)
    # 0.07 -> 0.04 with seed 0
    assert patient.loc[ABANDON, "simulation"] < base.loc[ABANDON, "simulation"] - 0.02


def test_dashboard_rejects_values_out_of_range(dashboard):
    with pytest.raises(ValueError):
        dashboard.update(agents=0)


def test_staff_sweep_matches_theory(sweep_frame):
    assert set(sweep_frame["staff"]) == {8, 10}
    assert {"case", "kpi", "simulated", "ci_low", "ci_high", "theory"} <= set(sweep_frame.columns)
    wait = sweep_frame[sweep_frame["kpi"] == "mean_wait_min"].set_index("staff")
    assert wait.loc[8, "simulated"] > wait.loc[10, "simulated"]
    assert (abs(sweep_frame["simulated"] - sweep_frame["theory"]) < 0.03).all()
    table = lesson.simulation_vs_theory(sweep_frame)
    assert "formula inside CI" in table.columns and len(table) == 8


def test_hockey_stick_figure(sweep_frame):
    figure = lesson.plot_hockey_stick(sweep_frame)
    assert figure.get_suptitle()
    left, right = figure.axes
    assert left.get_xlabel() == "Agents on duty (people)"
    assert left.get_ylabel() == "Mean wait (min)"
    assert right.get_xlabel() == "Staff utilisation (%)"
    formula = left.get_lines()[0]
    assert formula.get_ydata()[0] > formula.get_ydata()[-1]  # more agents, shorter waits


def test_five_minute_table_and_plot():
    table = lesson.five_minute_table(days=2)
    assert list(table.columns) == ["lean", "baseline", "generous"]
    level = kpi_label(LEVEL)  # a lesson table, labelled for reading
    assert table.loc[level, "lean"] < table.loc[level, "baseline"] < table.loc[level, "generous"]
    figure = lesson.plot_five_minutes(days=2)
    assert "waited" in figure.get_suptitle()
    assert len(figure.axes[0].get_lines()) >= 3


def test_staff_exercise_checker():
    lam, mu, theta = 2.0, 0.25, 1 / 3
    right = theory.staff_for_service_level(lam, mu, 5.0, 0.8, theta)
    assert theory.mm_c_m(lam, mu, right, theta, 5.0).service_level >= 0.8
    assert theory.mm_c_m(lam, mu, right - 1, theta, 5.0).service_level < 0.8
    verdict = lesson.check_staff_for_target(right)
    assert verdict and "Correct" in repr(verdict)
    # the simulated and the formula's share come first, then the verdict
    assert repr(verdict).startswith(f"With {right} agents:")
    assert not lesson.check_staff_for_target(right - 1)
    verdict = lesson.check_staff_for_target(right + 3)
    assert not verdict and "fewer" in repr(verdict)
    assert not lesson.check_staff_for_target("ten")


def test_exercise_simulation_agrees_with_formula():
    shares = lesson.exercise_service_level(8, n=2, days=1)
    assert abs(shares["simulated"] - shares["theory"]) < 0.05
