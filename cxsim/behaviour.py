"""How customers and staff respond: small pure functions, each with its source.

The simulator calls these functions; it never hides behaviour inside the event
loop.  A trainee (or a sceptical instructor) can read each one here, try it on
numbers, and see which claim of the source texts (N1..N8, Q1..Q15; see
``docs/sources.md``) or which published study it carries.

Scores are on the 0-10 scale of the "likelihood to recommend" question
(Reichheld 2003), so one number runs from a single contact to NPS.

>>> round(contact_score(wait_min=2.0, expected_wait_min=5.0, courtesy_shown=0.8,
...                     expected_courtesy=0.6, resolved=True), 2)
8.6
>>> round(contact_score(wait_min=12.0, expected_wait_min=5.0, courtesy_shown=0.8,
...                     expected_courtesy=0.6, resolved=True), 2)
4.85
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "NEUTRAL_SCORE",
    "perceived_wait",
    "expected_wait",
    "contact_score",
    "abandoned_score",
    "late_cost",
    "adapted_patience",
    "remember_journey",
    "recommend_score",
    "nps",
    "leave_probability",
    "recovered_score",
    "effective_courtesy",
    "morale_target",
    "update_morale",
    "customer_lifetime_value",
]

#: A contact that went as expected: answered, resolved, nothing remarkable.
NEUTRAL_SCORE = 7.0


def perceived_wait(wait_min: float, factor: float = 1.2) -> float:
    """How long a wait *feels*: unoccupied, uncertain waits feel longer.

    Maister (1985), "The psychology of waiting lines": occupied time feels
    shorter than unoccupied time, uncertain and unexplained waits longer.
    The factor (1 = no distortion) is an assumption; Maister gives no number.

    >>> perceived_wait(10.0, factor=1.5)
    15.0
    """
    return wait_min * factor


def expected_wait(tolerance_min: float, promise_min: float | None, credibility: float) -> float:
    """The wait a customer expects, after the firm's advertising.

    Q13: the firm's own promises set expectations.  A promised response time
    pulls each customer's own tolerance towards the promise, in proportion to
    how far customers believe advertising (``credibility`` in [0, 1]).

    >>> expected_wait(4.0, promise_min=None, credibility=0.7)
    4.0
    >>> round(expected_wait(4.0, promise_min=1.0, credibility=0.7), 2)
    1.9
    """
    if promise_min is None:
        return tolerance_min
    return (1 - credibility) * tolerance_min + credibility * promise_min


def late_cost(
    wait_min: float, expected_wait_min: float, late_loss_per_min: float, max_late_loss: float
) -> float:
    """What a wait beyond the one expected costs a contact's score: ``late_loss_per_min``
    a minute late, at most ``max_late_loss`` (Anderson & Sullivan 1993, Marketing
    Science 12(2): falling short of expectations weighs more than beating them).

    >>> late_cost(2.0, 3.6, 0.45, 6.0), late_cost(8.6, 3.6, 0.45, 6.0)
    (0.0, 2.25)
    """
    return min(max_late_loss, late_loss_per_min * max(0.0, wait_min - expected_wait_min))


def contact_score(
    wait_min: float,
    expected_wait_min: float,
    courtesy_shown: float,
    expected_courtesy: float,
    resolved: bool,
    *,
    early_gain: float = 1.0,
    late_loss_per_min: float = 0.45,
    max_late_loss: float = 6.0,
    courtesy_weight: float = 5.0,
    unresolved_penalty: float = 2.5,
    promise_min: float | None = None,
    broken_promise_penalty: float = 1.5,
) -> float:
    """The experience of one staffed contact, 0 (awful) to 10 (delighted).

    Expectation-disconfirmation (Oliver 1980): satisfaction is what happened
    against what was expected.  It is asymmetric: being late hurts more than
    being early pleases (Anderson & Sullivan 1993, Marketing Science 12(2):
    negative disconfirmation weighs more), so an early answer adds at most
    ``early_gain`` while every minute late costs ``late_loss_per_min``.

    Courtesy shown against courtesy expected moves the score (Q1, Q2, N5);
    an unresolved problem costs ``unresolved_penalty`` (Q3: customers accept
    that not all is solved at once, but not being let down).  A wait longer
    than an advertised promise costs ``broken_promise_penalty`` on top (Q13).
    """
    if wait_min <= expected_wait_min:
        slack = 1.0 - wait_min / expected_wait_min if expected_wait_min > 0 else 0.0
        wait_term = early_gain * slack
    else:
        wait_term = -late_cost(wait_min, expected_wait_min, late_loss_per_min, max_late_loss)
    courtesy_term = courtesy_weight * (courtesy_shown - expected_courtesy)
    score = NEUTRAL_SCORE + wait_term + courtesy_term
    if not resolved:
        score -= unresolved_penalty
    if promise_min is not None and wait_min > promise_min:
        score -= broken_promise_penalty
    return min(10.0, max(0.0, score))


def abandoned_score(
    wait_min: float,
    expected_wait_min: float,
    *,
    abandon_penalty: float = 1.8,
    late_loss_per_min: float = 0.45,
    max_late_loss: float = 6.0,
    promise_min: float | None = None,
    broken_promise_penalty: float = 1.5,
) -> float:
    """The experience of a contact the customer gave up on, 0 to 10.

    Nothing was solved (``abandon_penalty`` below neutral: Q3), and the wait hurts
    as it does in a served contact: only the part beyond what the customer
    expected, minute by minute (Anderson & Sullivan 1993; expectation-
    disconfirmation, Oliver 1980), plus a broken promise (Q13).  So a caller who
    hangs up after 20 seconds is disappointed (5.2: not yet a bad memory), one whose
    wait felt 5 minutes longer than expected is not (2.95).  ``wait_min`` is the
    wait as it felt (:func:`perceived_wait`).

    >>> abandoned_score(0.3, 3.6), abandoned_score(8.6, 3.6)
    (5.2, 2.95)
    """
    score = (
        NEUTRAL_SCORE
        - abandon_penalty
        - late_cost(wait_min, expected_wait_min, late_loss_per_min, max_late_loss)
    )
    if promise_min is not None and wait_min > promise_min:
        score -= broken_promise_penalty
    return min(10.0, max(0.0, score))


def adapted_patience(
    patience_min: float, expected_wait_min: float, mean_expected_wait_min: float
) -> float:
    """A customer's patience, adapted to the wait they expect.

    Customers adapt their patience to their anticipated wait (Zohar, Mandelbaum &
    Shimkin 2002, Management Science 48(4): in call-centre data, mean patience
    grows with mean wait): a caller who expects a long wait holds on longer.  The
    segment's patience draw is scaled by the customer's expected wait over the
    segment's mean expected wait, so the segment's mean patience (Brown et al.
    2005) is kept.

    >>> adapted_patience(4.0, 7.2, 3.6)
    8.0
    """
    return patience_min * expected_wait_min / mean_expected_wait_min


def remember_journey(scores: Sequence[float], memory: str = "peak_end") -> float:
    """What a customer remembers of a journey, from the scores of its contacts.

    ``peak_end`` (the default): the mean of the most intense moment and the
    last one (Kahneman, Fredrickson, Schreiber & Redelmeier 1993; Q9: people
    remember feelings and moments, not averages).  The most intense moment is
    the score farthest from neutral.  ``average``: the plain mean, for contrast.

    >>> remember_journey([8, 1, 8, 8])           # one bad step
    4.5
    >>> remember_journey([8, 1, 8, 8], "average")
    6.25
    >>> remember_journey([6, 6, 10])              # a good last step
    10.0
    """
    if not scores:
        raise ValueError("a journey needs at least one contact to remember")
    if len(scores) == 1:  # most journeys: peak and end are the same moment
        if memory not in ("peak_end", "average"):
            raise ValueError(f"unknown memory model {memory!r}; allowed: peak_end, average")
        return scores[0]
    if memory == "average":
        return sum(scores) / len(scores)
    if memory != "peak_end":
        raise ValueError(f"unknown memory model {memory!r}; allowed: peak_end, average")
    peak = max(scores, key=lambda score: abs(score - NEUTRAL_SCORE))
    return 0.5 * (peak + scores[-1])


def recommend_score(memory_score: float) -> int:
    """The answer to "how likely are you to recommend us?" (0-10, whole number).

    >>> recommend_score(8.6)
    9
    """
    return int(min(10, max(0, math.floor(memory_score + 0.5))))


def recommend_scores(memory_scores: Any) -> np.ndarray:
    """:func:`recommend_score` of many journeys at once (NaN stays NaN: not remembered).

    >>> recommend_scores([8.6, 6.5, 6.4, np.nan, 11.0]).tolist()
    [9.0, 7.0, 6.0, nan, 10.0]
    """
    scores = np.asarray(memory_scores, dtype=float)
    return np.where(np.isnan(scores), np.nan, np.floor(np.clip(scores, 0, 10) + 0.5))


def promoter_points(recommend: Any) -> np.ndarray:
    """Each answer's share of NPS: +100 a promoter (9-10), -100 a detractor (0-6), 0 a
    passive; their mean is :func:`nps` (Reichheld 2003).

    >>> promoter_points([10, 8, 3]).tolist()
    [100.0, 0.0, -100.0]
    """
    answers = np.asarray(recommend, dtype=float)
    return 100.0 * ((answers >= 9).astype(float) - (answers <= 6).astype(float))


def nps(recommend: Any) -> float:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), Reichheld 2003;
    NaN without answers.

    >>> nps([10, 9, 8, 7, 3])
    20.0
    """
    answers = np.asarray(recommend, dtype=float)
    if not len(answers):
        return math.nan
    return float(100 * ((answers >= 9).mean() - (answers <= 6).mean()))


def leave_probability(
    memory_score: float,
    *,
    floor: float = 0.01,
    ceiling: float = 0.28,
    midpoint: float = 4.5,
    steepness: float = 3.0,
) -> float:
    """Chance that a customer leaves after a journey remembered so.

    A logistic curve from ``floor`` (delighted customers still drift away) to
    ``ceiling`` (the worst memories).  Calibrated in the bundled scenarios so
    that about a quarter of customers leave after a journey remembered as bad
    (N2: "25% leave after one bad experience"; PwC 2018, *Experience is
    everything*, measured 32% globally and 17% in the US leaving a brand they
    love after one bad experience; the 25% could not be traced to a study).

    >>> round(leave_probability(9.0), 3), round(leave_probability(2.0), 3)
    (0.01, 0.28)
    """
    # exp(709.8) is the largest float: past 700 the curve is at its floor to 1e-304, and
    # the cap keeps a steep curve from overflowing (the same numbers below it).
    exponent = min(steepness * (memory_score - midpoint), 700.0)
    return floor + (ceiling - floor) / (1.0 + math.exp(exponent))


def recovered_score(memory_score: float, recovery_points: float) -> float:
    """A bad journey remembered after a proactive follow-up call (Q4, Q15).

    Service recovery lifts satisfaction (the "recovery paradox" shows on
    satisfaction); de Matos, Henrique & Rossi (2007, J. Service Research
    10(1)) found no such effect on repurchase intention, so the model gives no
    retention bonus beyond what the lifted memory itself brings.

    >>> recovered_score(3.0, 2.5)
    5.5
    """
    return min(10.0, memory_score + recovery_points)


def effective_courtesy(
    base: float,
    training: float,
    morale: float,
    *,
    training_effect: float = 0.25,
    morale_effect: float = 0.4,
    reference_morale: float = 0.7,
) -> float:
    """The courtesy level staff bring to work today, in [0, 1].

    Training raises it (Q1: courtesy can be learned); morale above or below
    its reference level moves it (Q10: happy employees create happy
    customers; Heskett et al. 1994, the service-profit chain).

    >>> round(effective_courtesy(0.6, training=1.0, morale=0.7), 2)
    0.85
    >>> round(effective_courtesy(0.6, training=0.0, morale=0.3), 2)
    0.44
    """
    level = base + training_effect * training + morale_effect * (morale - reference_morale)
    return min(1.0, max(0.0, level))


def morale_target(
    utilisation: float,
    training: float,
    *,
    base: float = 0.75,
    comfortable_load: float = 0.8,
    overload_sensitivity: float = 2.0,
    training_lift: float = 0.15,
) -> float:
    """The morale a team drifts towards at a given load, in [0, 1].

    Sustained load above ``comfortable_load`` wears morale down; training and a
    reasonable load lift it (Q10; Oliva & Sterman 2001, "Cutting corners and
    working overtime", Management Science 47(7)).

    >>> morale_target(0.7, training=0.0)
    0.75
    >>> round(morale_target(0.95, training=0.0), 2)
    0.45
    """
    overload = max(0.0, utilisation - comfortable_load)
    level = base + training_lift * training - overload_sensitivity * overload
    return min(1.0, max(0.0, level))


def update_morale(morale: float, target: float, adjustment_days: float = 5.0) -> float:
    """One day's move of morale towards its target: first-order adjustment, as a
    stock in system dynamics (Oliva & Sterman 2001), taking ``adjustment_days``
    to close about 63% of the gap.

    >>> round(update_morale(0.8, 0.3, adjustment_days=5.0), 3)
    0.709
    """
    return target + (morale - target) * math.exp(-1.0 / adjustment_days)


def customer_lifetime_value(
    margin_per_year: float, retention_per_year: float, discount_rate_per_year: float = 0.25
) -> float:
    """Expected discounted margin of a customer over their expected lifetime.

    The simple retention model of Gupta & Lehmann (2003, J. Interactive
    Marketing 17(1)): CLV = m (1 + i) / (1 + i - r) for margin m a year,
    retention r a year and discount rate i a year (this year's margin included).

    >>> round(customer_lifetime_value(100.0, 0.8, 0.0), 1)
    500.0
    >>> round(customer_lifetime_value(1_200_000, 0.88, 0.25) / 1e6, 2)  # a bank customer
    4.05
    """
    if not 0 <= retention_per_year < 1 + discount_rate_per_year:
        raise ValueError("retention must be in [0, 1)")
    rate = 1.0 + discount_rate_per_year
    return margin_per_year * rate / (rate - retention_per_year)
