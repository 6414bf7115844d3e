"""Lesson 00, start here: read a KPI table, follow one customer, choose a policy.

The exercise is a decision with money: run the ``lean``, the baseline or the
``generous`` rota of ``contact_centre``?  Judged on profit over four weeks (revenue
minus costs, plus the customers won or lost at their lifetime value) in 20 paired runs
(:mod:`cxsim.decisions`).
"""

from __future__ import annotations

from ..decisions import Candidate, Decision, DecisionVerdict, register, verdict
from ..i18n import N_

__all__ = ["DECISION", "check_which_policy"]

SCENARIO = "contact_centre"


#: The lesson's exercise: which of the three rotas would you run?  Four weeks, as the
#: policy table shows, on 20 paired runs (3 x 20 runs, about a minute to build).
DECISION = register(
    Decision(
        name="l00_which_policy",
        scenario=SCENARIO,
        question=N_(
            "Which rota would you run: lean, the baseline or generous? The best gives the "
            "bank the highest profit over four weeks (revenue - cost + customer equity)."
        ),
        candidates=(
            Candidate("lean", N_("lean: one agent fewer at every hour"), "lean"),
            Candidate("baseline", N_("baseline: the rota as it is"), None),
            Candidate("generous", N_("generous: two more at every hour"), "generous"),
        ),
        objective="profit",
        maximise=True,
        replications=20,
        days=28,
        seed=0,
        shown=("abandonment_rate", "staff_cost", "customer_equity"),
    )
)


def check_which_policy(answer: str) -> DecisionVerdict:
    """Exercise: ``"lean"``, ``"baseline"`` or ``"generous"`` (or a candidate's label):
    which rota gives the highest profit over four weeks, customer equity included?

    Every rota whose Bonferroni-corrected paired interval against the best contains 0 is
    accepted (the runs cannot tell it from the best); the verdict says why, with the
    numbers (:func:`cxsim.decisions.verdict`)."""
    return verdict(DECISION, answer)
