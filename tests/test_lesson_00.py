"""Lesson 00: the first exercise checks a number the trainee reads off the policy table."""

import cxsim
from cxsim.lessons import start_here


def test_the_rise_is_lean_minus_baseline_in_points():
    baseline = cxsim.simulate("contact_centre", seed=1).kpis()["abandonment_rate"]
    lean = cxsim.simulate("contact_centre", policy="lean", seed=1).kpis()["abandonment_rate"]
    assert start_here.abandonment_rise() == 100 * (lean - baseline)
    assert 2 < start_here.abandonment_rise() < 15  # lean loses callers


def test_checker_accepts_the_table_reading_and_rejects_a_relative_change():
    right = round(start_here.abandonment_rise(), 1)
    verdict = start_here.check_abandonment_rise(right)
    assert verdict and repr(verdict).startswith("Correct")
    verdict = start_here.check_abandonment_rise(33.0)
    assert not verdict and repr(verdict).startswith("Not yet")


def test_a_verdict_shows_its_message_once_coloured_and_escaped():
    from cxsim.lessons import Verdict, check_answer

    right, wrong = check_answer(11, 11), check_answer("<b>9</b>", 11, hint="Try more.")
    assert (bool(right), bool(wrong)) == (True, False)
    assert repr(right) == "Correct: 11."
    assert "#2e7d32" in right._repr_html_() and "#b26a00" in wrong._repr_html_()
    assert "&lt;b&gt;9&lt;/b&gt;" in wrong._repr_html_() and "<b>" not in wrong._repr_html_()
    two_lines = Verdict(False, "With 9 agents: 71%.\nNot yet.")
    assert "With 9 agents: 71%.<br>Not yet." in two_lines._repr_html_()
    assert 'dir="auto"' in right._repr_html_()  # Persian messages flow right to left
