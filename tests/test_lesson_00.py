"""Lesson 00: the first exercise checks a number the trainee reads off the policy table."""

import cxsim
from cxsim.lessons import start_here


def test_the_rise_is_lean_minus_baseline_in_points():
    baseline = cxsim.simulate("contact_centre", seed=1).kpis()["abandonment_rate"]
    lean = cxsim.simulate("contact_centre", policy="lean", seed=1).kpis()["abandonment_rate"]
    assert start_here.abandonment_rise() == 100 * (lean - baseline)
    assert 2 < start_here.abandonment_rise() < 15  # lean loses callers


def test_checker_accepts_the_table_reading_and_rejects_a_relative_change(capsys):
    right = round(start_here.abandonment_rise(), 1)
    assert start_here.check_abandonment_rise(right)
    assert not start_here.check_abandonment_rise(33.0)
    printed = capsys.readouterr().out
    assert "Correct" in printed and "Not yet" in printed
