"""Lesson 00: the exercise is a decision: which rota to run, judged on paired runs of profit."""

from cxsim.lessons import start_here


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


def test_which_policy_is_judged_on_paired_runs_of_profit():
    """The exercise: the rota with the highest four-week profit, customer equity included,
    judged on 20 paired runs; every rota the runs cannot tell from the best is accepted."""
    from cxsim.decisions import judge

    judgement = judge(start_here.DECISION)
    means = {row.candidate.key: row.mean for row in judgement.rows}
    assert judgement.best.key == max(means, key=means.get)
    for row in judgement.rows:
        verdict = start_here.check_which_policy(row.candidate.key)
        assert bool(verdict) == row.acceptable == (row.ci_low <= 0 <= row.ci_high)
        assert format(row.mean / 1e6, ",.1f") in verdict.message
    # lean loses customers worth more than the staff it saves
    lean = judgement.row("lean")
    assert lean.shown["customer_equity"] < 0 and not lean.acceptable
    assert judgement.row(judgement.best.key).acceptable


def test_which_policy_refuses_an_unknown_answer_with_the_allowed_ones():
    verdict = start_here.check_which_policy("more staff")
    assert not verdict and "lean" in verdict.message and "generous" in verdict.message
