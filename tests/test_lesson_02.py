"""Lesson 02 (response time): dashboard, tables, figures and the staffing exercise."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from cxsim import theory
from cxsim.decisions import judge
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


# --------------------------------------------------------------------------- dashboard reach
def test_dashboard_reaches_the_busiest_hour_question(dashboard):
    """The review: the dashboard could not explore the staffing question (no arrival
    rate, handle time capped at 2 minutes); now 120 calls an hour, 4-minute calls and
    3-minute patience are on its sliders, and its formula column agrees with Erlang A."""
    table, _ = dashboard.update(calls_per_hour=120, handle_time=4.0, patience=3.0, agents=8)
    formula = theory.mm_c_m(2.0, 0.25, 8, 1 / 3, 5.0)
    assert table.loc[LEVEL, "Erlang A formula"] == round(formula.service_level, 2)
    assert abs(table.loc[LEVEL, "difference"]) <= 0.06  # one simulated day
    with pytest.raises(ValueError, match="Calls an hour"):
        dashboard.update(calls_per_hour=5000)


# --------------------------------------------------------------------------- trust the engine
def test_trust_table_is_wide_and_counts_agreement(sweep_frame):
    table = lesson.trust_table(sweep_frame)
    assert list(table.index) == [8, 10] and table.index.name == "agents"
    assert table.loc[8, "mean wait (min), simulated"] > table.loc[10, "mean wait (min), simulated"]
    assert table.attrs["cases"] == 8 and table.attrs["inside"] >= 6
    assert "of 8 cases (2 staffing levels x 4 KPIs)" in lesson.trust_summary(sweep_frame)


# --------------------------------------------------------------------------- the bank by hour
def test_lost_hours_lists_the_worst_hours_first():
    runs = [lesson.simulate("contact_centre", seed=s, days=2) for s in (0, 1)]
    table = lesson.hourly_service(runs, "phone")
    worst = lesson.lost_hours(table, k=3)
    lost = worst["hung up a day"].tolist()
    assert lost == sorted(lost, reverse=True) and len(worst) == 3
    assert lost[0] == round(table["abandoned"].max(), 1)
    assert worst.index[0] == f"{int(table['abandoned'].idxmax()):02d}:00"


# --------------------------------------------------------------------------- the decision
def test_every_shift_buys_the_same_four_agent_hours():
    bank = sum(lesson.load_scenario("contact_centre").touchpoint("phone").hourly_staff)
    for key, (_label, hours) in lesson.SHIFTS.items():
        rota = lesson.extra_shift_rota(key)
        assert sum(rota) == bank + lesson.EXTRA_AGENT_HOURS and len(hours) == 4
    cost = lesson.shift_cost()["weekly_cost"]
    assert cost == 4 * 7 * 200_000  # the question's "5.6 million toman a week"
    assert "5.6 million toman a week" in lesson.DECISION.question
    with pytest.raises(ValueError, match="unknown shift 'night'; allowed: morning"):
        lesson.extra_shift_rota("night")


def test_decision_accepts_the_best_shift_and_rejects_a_clearly_worse_one():
    judgement = judge(lesson.DECISION)
    best = judgement.best
    assert lesson.check_extra_shift(best.key)
    assert lesson.check_extra_shift(best.label)  # its label works too
    rows = {row.candidate.key: row for row in judgement.rows}
    # every shift costs the same: the decision is about where, not how much
    assert len({round(row.shown["staff_cost"]) for row in rows.values()}) == 1
    worst = min(rows.values(), key=lambda row: row.mean)
    assert worst.candidate.key != best.key and worst.ci_high < 0
    verdict = lesson.check_extra_shift(worst.candidate.key)
    assert not verdict and "Not yet" in verdict.message and "not luck" in verdict.message
    assert not lesson.check_extra_shift("at night")
    # more service within five minutes goes with fewer hang-ups
    assert rows[best.key].shown["abandonment_rate"] <= worst.shown["abandonment_rate"]


@pytest.mark.slow
def test_the_best_shift_gains_where_its_agent_works():
    """Not an artefact of nights or closed hours: the lunch shift's gain in answered
    calls comes from the hours it staffs (11-14), where the bank's rota dips."""
    tables = lesson.shifts_by_hour(("lunch", "evening"), n=3, days=14)
    bank, lunch, evening = tables.values()
    gain = lunch["answered_in_target"] - bank["answered_in_target"]
    inside = gain.loc[11:14].sum()
    assert inside > 0.8 * gain.sum() and inside > 0
    assert (evening["answered_in_target"] - bank["answered_in_target"]).loc[19:22].sum() < inside
