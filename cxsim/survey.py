"""Surveys as a firm runs them: who is asked, who answers, and what they say.

The model knows how every customer remembers every journey (``csat`` and ``nps`` in
:meth:`cxsim.Result.kpis` count them all: *the remembered experience*).  A firm
knows only what its post-contact survey brings back, and that differs twice over:

1. **Who is asked.**  A transactional survey (an SMS or an IVR question after the
   call) is sent when an agent or a cashier closes a contact.  A caller who only hung
   up left no contact record, so nobody asks them; the angriest customers are missing
   before anyone answers.  Here: a journey is *surveyed* when the customer was served
   at a staffed touchpoint at least once (:func:`cxsim.metrics.served_journeys`).
2. **Who answers.**  Few do (post-contact surveys typically bring back 5-30%), and
   not at random: people with an extreme experience, delighted or furious, answer
   more often than those for whom nothing remarkable happened.  Online reviews show
   it as a J-shaped distribution of ratings (Hu, Pavlou & Zhang 2017, "On
   self-selection biases in online product reviews", *MIS Quarterly* 41(2));
   dissatisfied customers talk more (Anderson 1998, *J. Service Research* 1(1)).

What a respondent says is the journey's experience when it ended
(``experienced_score``), before any follow-up call lifted the memory: the survey
goes out as the contact closes.  The answer to "how likely are you to recommend
us?" is :func:`cxsim.behaviour.recommend_score` of it (0-10, whole), which makes NPS;
a respondent counts as satisfied when the experience scored 7 or more, the line the
remembered CSAT draws, so that survey and memory differ only in who is asked and who
answers (rounding the answer first would add, in the bank, some ten points that
come from rounding, not from the survey).

>>> round(response_probability(5.0, 0.15, 2.0), 3), round(response_probability(10.0, 0.15, 2.0), 3)
(0.09, 0.27)
>>> response_probability(9.0, 0.15, 0.0)
0.15
"""

from __future__ import annotations

import numpy as np

from . import behaviour

__all__ = ["MIDPOINT", "response_probability", "draw_respondents", "csat", "nps"]

#: The middle of the 0-10 scale: the least extreme experience.
MIDPOINT = 5.0
#: The mean extremity ((score - 5) / 5)^2 of scores spread evenly over 0-10.
_UNIFORM_EXTREMITY = 1.0 / 3.0


def response_probability(score, response_rate: float, extremity_bias: float):
    """The chance that a surveyed customer answers, given the experience's score (0-10).

    ``extremity = ((score - 5) / 5)^2`` is 0 in the middle of the scale and 1 at either
    end; the chance is ``response_rate * (1 + extremity_bias * extremity) / (1 +
    extremity_bias / 3)``, at most 1.  ``response_rate`` is thus the share who answer
    among customers whose experiences spread evenly over the scale (the divisor is
    the mean of ``1 + extremity_bias * extremity`` over them); with
    ``extremity_bias = 0`` every surveyed customer answers with chance
    ``response_rate`` (a simple random sample).  With a bias ``b`` an experience at
    either end of the scale answers ``1 + b`` times as often as one in the middle
    (self-selection, J-shaped reporting: Hu, Pavlou & Zhang 2017).  The two tails are
    treated alike (an assumption: Anderson 1998 found the dissatisfied talk more).
    Works on a number or a numpy array of scores.

    >>> [round(response_probability(s, 0.15, 2.0), 3) for s in (0, 3, 5, 7, 10)]
    [0.27, 0.119, 0.09, 0.119, 0.27]
    >>> response_probability(10.0, 0.9, 2.0)   # clipped: everyone answers
    1.0
    """
    extremity = ((np.asarray(score, dtype=float) - MIDPOINT) / MIDPOINT) ** 2
    weight = (1.0 + extremity_bias * extremity) / (1.0 + extremity_bias * _UNIFORM_EXTREMITY)
    probability = np.minimum(1.0, response_rate * weight)
    return float(probability) if probability.ndim == 0 else probability


def draw_respondents(
    scores, surveyed, response_rate: float, extremity_bias: float, generator: np.random.Generator
) -> np.ndarray:
    """Who answers: a boolean array, one entry per journey.

    ``scores`` are the journeys' experienced scores, ``surveyed`` whether each was
    sent a survey.  One uniform number is drawn for *every* journey, surveyed or
    not, in the order given, and a surveyed journey answers when its number falls
    below :func:`response_probability`: the same generator state gives the same
    respondents to the digit, and a journey keeps its number when the parameters
    change (a higher response rate only adds respondents).

    >>> answered = draw_respondents([9.0, 6.0, 2.0, 8.0], [True, True, False, True],
    ...                             1.0, 0.0, np.random.default_rng(0))
    >>> answered.tolist()
    [True, True, False, True]
    """
    scores = np.asarray(scores, dtype=float)
    surveyed = np.asarray(surveyed, dtype=bool)
    draws = generator.random(len(scores))
    chance = np.atleast_1d(
        response_probability(np.nan_to_num(scores, nan=MIDPOINT), response_rate, extremity_bias)
    )
    return surveyed & (draws < chance)


def csat(scores) -> float:
    """Share of answers from an experience of 7 or more (satisfied), NaN without answers.

    >>> csat([7.0, 6.9, 9.5, 3.0])
    0.5
    """
    scores = np.asarray(scores, dtype=float)
    return float((scores >= 7).mean()) if len(scores) else float("nan")


def nps(scores) -> float:
    """Net Promoter Score of the answers: promoters (9-10) minus detractors (0-6), in
    points (Reichheld 2003), each answer the experience rounded to a whole number.

    >>> nps([9.4, 8.6, 6.4, 6.5])   # answers 9, 9, 6, 7
    25.0
    """
    return behaviour.nps(behaviour.recommend_scores(scores))
