"""Follow one customer: what a run did to one simulated person, journey by journey.

KPI tables average thousands of customers; a trainee believes them more once they
have watched one customer go through the model.  :func:`customer_story` reads one
customer's rows of :attr:`Result.interactions <cxsim.results.Result.interactions>`
(every contact: when, how long the wait, served or hung up, the courtesy shown, how
the contact felt) and :attr:`Result.journeys <cxsim.results.Result.journeys>` (what
each journey left in memory, and what came of it) and tells them as a :class:`Story`:

* each journey's contacts (:class:`Contact`): the touchpoint, the day and time, the
  wait, served or hung up, the courtesy shown against the courtesy the customer's
  segment expects (Q2, Q8), and the contact's score (0-10,
  :func:`cxsim.behaviour.contact_score`);
* what the journey left in memory (:func:`cxsim.behaviour.remember_journey`: by
  default the mean of its most intense moment and its end, Kahneman et al. 1993, Q9),
  whether a follow-up call lifted it (Q4), and the customer's survey answer if they
  gave one (:mod:`cxsim.survey`);
* what happened next: they came back (when), left (after which journey, with the
  chance of leaving that memory carries, :func:`cxsim.behaviour.leave_probability`,
  N2), or the run ended first; and whether they recommended the firm to a friend or
  talked a prospect out of coming (Q5, Q13, N8).

The run's logs do not say who told whom.  The model decides word of mouth with its
own random stream (``word_of_mouth``), one draw per ended journey in the order the
journeys end (:meth:`cxsim.model_behaviour.CustomerBehaviour.spread_word`); the same
seed gives the same draws, so :func:`word_of_mouth` draws them again in that order
and reads each journey's outcome.  ``tests/test_story.py`` checks the result against
the run's own counts of referrals and deterred prospects.

:func:`pick_customers` chooses telling examples ("left after a long wait", "stayed
although one call went badly", "a loyal regular", "a referral"); :meth:`Story.sentences`
tells a story in a few plain sentences in the reader's language.  The figure and the
widget are in :mod:`cxsim.story_view`.

>>> from cxsim import simulate
>>> result = simulate("contact_centre", seed=1, days=7)
>>> story = customer_story(result, pick_customers(result)["loyal_regular"])
>>> len(story.journeys) >= 2 and all(j.outcome != "leave" for j in story.journeys)
True
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .behaviour import NEUTRAL_SCORE, leave_probability, recommend_score
from .clock import MINUTES_PER_DAY, MINUTES_PER_HOUR
from .formatting import format_value
from .i18n import N_, _, localise_digits, text_direction, translate_name
from .results import Result
from .rng import Streams

__all__ = [
    "LONG_WAIT_MIN",
    "PICKS",
    "Contact",
    "JourneyStory",
    "Story",
    "clock_time",
    "customer_story",
    "pick_customers",
    "word_of_mouth",
]

#: The examples :func:`pick_customers` looks for: key -> label (English, for the catalogue).
PICKS: dict[str, str] = {
    "left_after_long_wait": N_("left after a long wait"),
    "stayed_despite_bad_call": N_("stayed although one call went badly"),
    "loyal_regular": N_("a loyal regular"),
    "referral": N_("a referral"),
}

#: A wait on hold this long is long for most callers: the bank's customers expect 3.6
#: minutes on average, its premium customers 1.8 (N1, Q8), and most calls are answered
#: at once.
LONG_WAIT_MIN = 2.0

# How a contact came about, in the order a journey's contacts can follow each other.
FIRST, REDIAL, RETRY, CALLBACK = "first", "redial", "retry", "callback"
# How a contact ended: served, hung up, a call-back that never reached the customer,
# or the run ended first (still waiting, or being served).
SERVED, HUNG_UP, MISSED, UNFINISHED = "served", "hung_up", "missed", "unfinished"


def clock_time(minute: float) -> tuple[int, str]:
    """The day (counted from 1) and the time of day ``hh:mm`` of a minute of the run.

    >>> clock_time(0.0), clock_time(1440 + 10 * 60 + 42.7)
    ((1, '00:00'), (2, '10:42'))
    """
    day, within = divmod(float(minute), MINUTES_PER_DAY)
    hours, minutes = divmod(int(within), int(MINUTES_PER_HOUR))
    return int(day) + 1, f"{hours:02d}:{minutes:02d}"


@dataclass(frozen=True)
class Contact:
    """One contact of a journey: a call, a visit to the store, a page of the website."""

    touchpoint: str
    #: how it came about: ``first`` (the journey's first try at this step), ``redial``
    #: (called again after hanging up), ``retry`` (came back: the problem was not
    #: solved), ``callback`` (the firm called the customer back after a hang-up)
    kind: str
    #: minute of the run the customer arrived (for a callback: the hang-up)
    arrival_min: float
    #: minutes waited (for a callback: until an agent called)
    wait_min: float
    #: ``served``, ``hung_up``, ``missed`` (a callback that never reached them) or
    #: ``unfinished`` (the run ended while they waited or were served)
    outcome: str
    #: how the contact felt, 0 (awful) to 10 (delighted); NaN if it left no feeling
    score: float
    #: courtesy shown (0-1; NaN where nobody serves: self-service, a hang-up)
    courtesy: float
    #: courtesy the customer's segment expects (0-1; NaN without behaviour)
    expected_courtesy: float
    #: whether the touchpoint has staff (a queue); self-service has neither wait nor courtesy
    staffed: bool
    #: the touchpoint's target wait (N1: five minutes at the bank)
    target_wait_min: float

    @property
    def courtesy_met(self) -> bool | None:
        """Whether the courtesy shown reached what the customer expects; None if nobody
        served them (self-service, a hang-up)."""
        if math.isnan(self.courtesy) or math.isnan(self.expected_courtesy):
            return None
        return self.courtesy >= self.expected_courtesy

    @property
    def long_wait(self) -> bool:
        """A wait on hold at or beyond the touchpoint's target (not a callback's delay)."""
        return self.staffed and self.kind != CALLBACK and self.wait_min >= self.target_wait_min


@dataclass(frozen=True)
class JourneyStory:
    """One journey of a customer, what it left in memory and what came of it."""

    journey_id: int
    #: the scenario's journey name (``call``, ``buy_online``)
    journey: str
    start_min: float
    end_min: float
    #: ``completed``, ``abandoned`` (hung up), ``turned_away`` or ``open`` (the run ended)
    status: str
    contacts: tuple[Contact, ...]
    #: the journey as it felt when it ended (:func:`cxsim.behaviour.remember_journey`)
    experienced: float
    #: the memory the customer decided on (a follow-up call may have lifted it)
    remembered: float
    #: the memory rule of the scenario: ``peak_end`` or ``average``
    memory_rule: str
    #: positions in :attr:`contacts` of the most intense moment and of the end
    #: (None when no contact left a feeling)
    peak: int | None
    end: int | None
    #: minute of a follow-up call (NaN: none)
    follow_up_min: float
    #: the answer to "how likely are you to recommend us?" (0-10) if they answered the
    #: survey; None if not asked or not answered
    survey_answer: int | None
    #: whether the firm's survey went to them (a staffed contact served them)
    surveyed: bool
    #: ``return``, ``leave``, ``open`` (the run ended before they decided) or None
    #: (no decision in this model: no behaviour, or the run ended mid-journey)
    outcome: str | None
    decided_min: float
    #: the chance of leaving the remembered score carries (N2); NaN without a decision
    leave_chance: float
    #: when the next journey began (NaN: none in the run)
    next_start_min: float
    #: ``referred`` (brought a friend), ``deterred`` (put a prospect off) or None
    told: str | None

    @property
    def recommend(self) -> int | None:
        """How likely they are to recommend the firm after this journey (0-10)."""
        return None if math.isnan(self.experienced) else recommend_score(self.experienced)


@dataclass(frozen=True)
class Story:
    """One customer's journeys through a run (:func:`customer_story`)."""

    customer_id: int
    segment: str
    #: a customer of the firm before the run began
    established: bool
    #: came because another customer recommended the firm
    referred: bool
    journeys: tuple[JourneyStory, ...]
    #: the minute the run ended
    end_min: float

    @property
    def left(self) -> JourneyStory | None:
        """The journey after which the customer left, if they did."""
        return next((j for j in self.journeys if j.outcome == "leave"), None)

    def sentences(self) -> list[str]:
        """The story in a few plain sentences, in the current language."""
        lines = [self._introduction()]
        for number, journey in enumerate(self.journeys, start=1):
            lines.append(_journey_sentence(journey, number))
            memory = _memory_sentence(journey)
            if memory:
                lines.append(memory)
            lines.extend(_after_sentences(journey))
        return lines

    def _introduction(self) -> str:
        segment = translate_name(self.segment)
        customer = localise_digits(str(self.customer_id))
        if self.established:
            return _(
                "Customer {customer} ({segment}) was already a customer when the run began.",
                customer=customer,
                segment=segment,
            )
        day, time = clock_time(self.journeys[0].start_min)
        if self.referred:
            return _(
                "Customer {customer} ({segment}) came for the first time on day {day} at "
                "{time}, because a customer had recommended the firm.",
                customer=customer,
                segment=segment,
                day=format_value(day, "count"),
                time=localise_digits(time),
            )
        return _(
            "Customer {customer} ({segment}) came for the first time on day {day} at {time}.",
            customer=customer,
            segment=segment,
            day=format_value(day, "count"),
            time=localise_digits(time),
        )


# --------------------------------------------------------------------------- building a story
def _minutes(value: float) -> str:
    return format_value(round(value, 1), "number", decimals=1)


def _score(value: float) -> str:
    return format_value(round(value, 1), "number", decimals=1)


def _expected_courtesy(result: Result) -> dict[str, float]:
    """Courtesy each segment expects (Q2, Q8); NaN without behaviour."""
    behaviour = result.scenario.behaviour
    if behaviour is None:
        return {segment.name: math.nan for segment in result.scenario.segments}
    default = behaviour.segment_defaults.expected_courtesy
    return {
        segment.name: (
            segment.expected_courtesy if segment.expected_courtesy is not None else default
        )
        for segment in result.scenario.segments
    }


def _contacts(
    visits: pd.DataFrame, expected_courtesy: float, staffed: set[str], targets: dict[str, float]
) -> tuple[Contact, ...]:
    contacts: list[Contact] = []
    previous: dict[int, str] = {}  # step -> how the last contact at that step ended
    for row in visits.itertuples(index=False):
        step = int(row.step)
        if row.callback:
            kind = CALLBACK
        elif step not in previous:
            kind = FIRST
        else:
            kind = REDIAL if previous[step] in (HUNG_UP, MISSED) else RETRY
        if row.outcome == "served":
            outcome = SERVED
        elif row.outcome == "abandoned":
            outcome = MISSED if row.callback else HUNG_UP
        else:
            outcome = UNFINISHED
        previous[step] = outcome
        touchpoint = str(row.touchpoint)
        contacts.append(
            Contact(
                touchpoint=touchpoint,
                kind=kind,
                arrival_min=float(row.arrival_min),
                wait_min=float(row.wait_min),
                outcome=outcome,
                score=float(row.score),
                courtesy=float(row.courtesy),
                expected_courtesy=expected_courtesy,
                staffed=touchpoint in staffed,
                target_wait_min=float(targets[touchpoint]),
            )
        )
    return tuple(contacts)


def _peak_and_end(contacts: tuple[Contact, ...]) -> tuple[int | None, int | None]:
    """Positions of the most intense moment (the score farthest from neutral, the first
    such) and of the last contact that left a feeling, as
    :func:`cxsim.behaviour.remember_journey` reads them."""
    felt = [i for i, contact in enumerate(contacts) if not math.isnan(contact.score)]
    if not felt:
        return None, None
    peak = max(felt, key=lambda i: (abs(contacts[i].score - NEUTRAL_SCORE), -i))
    return peak, felt[-1]


def customer_story(result: Result, customer_id: int) -> Story:
    """The story of customer ``customer_id`` of ``result`` (see the module's docstring).

    Raises ``ValueError`` naming the allowed range if the run has no such customer."""
    journeys = result.journeys
    mine = journeys[journeys["customer_id"] == customer_id].sort_values("start_min")
    if mine.empty:
        last = int(journeys["customer_id"].max()) if len(journeys) else -1
        raise ValueError(
            _(
                "customer_id: no customer {customer} in this run; allowed: 0 to {last}",
                customer=customer_id,
                last=last,
            )
        )
    visits = result.interactions
    visits = visits[visits["customer_id"] == customer_id].sort_values("arrival_min", kind="stable")
    scenario = result.scenario
    behaviour = scenario.behaviour
    staffed = {t.name for t in scenario.touchpoints if t.kind == "staffed"}
    targets = {t.name: t.target_wait_min for t in scenario.touchpoints}
    segment = str(mine["segment"].iloc[0])
    expected = _expected_courtesy(result)[segment]
    answers = _survey_answers(result)
    told = word_of_mouth(result)
    # when each journey's successor began (NaN: none in the run)
    starts = np.append(mine["start_min"].to_numpy(dtype=float)[1:], math.nan)
    stories = []
    for position, row in enumerate(mine.itertuples(index=False)):
        contacts = _contacts(
            visits[visits["journey_id"] == row.journey_id], expected, staffed, targets
        )
        peak, end = _peak_and_end(contacts)
        outcome = None if pd.isna(row.outcome) else str(row.outcome)
        chance = math.nan
        if outcome in ("return", "leave") and behaviour is not None:
            retention = behaviour.retention
            chance = leave_probability(
                float(row.memory_score),
                floor=retention.floor,
                ceiling=retention.ceiling,
                midpoint=retention.midpoint,
                steepness=retention.steepness,
            )
        surveyed, answer = answers.get(int(row.journey_id), (False, None))
        stories.append(
            JourneyStory(
                journey_id=int(row.journey_id),
                journey=str(row.journey),
                start_min=float(row.start_min),
                end_min=float(row.end_min),
                status=str(row.status),
                contacts=contacts,
                experienced=float(row.experienced_score),
                remembered=float(row.memory_score),
                memory_rule=behaviour.memory if behaviour is not None else "",
                peak=peak,
                end=end,
                follow_up_min=float(row.follow_up_min),
                survey_answer=answer,
                surveyed=surveyed,
                outcome=outcome,
                decided_min=float(row.decided_min),
                leave_chance=chance,
                next_start_min=float(starts[position]),
                told=told.get(int(row.journey_id)),
            )
        )
    first = mine.iloc[0]
    return Story(
        customer_id=int(customer_id),
        segment=segment,
        established=bool(first["established"]),
        referred=bool(first["referred"]),
        journeys=tuple(stories),
        end_min=float(result.records.end_min),
    )


def _survey_answers(result: Result) -> dict[int, tuple[bool, int | None]]:
    """Journey id -> (surveyed, the answer to "would you recommend us?" if answered)."""
    if result.scenario.behaviour is None:
        return {}
    sample = result.survey_sample
    out: dict[int, tuple[bool, int | None]] = {}
    for journey_id, served, answered, score in zip(
        sample["journey_id"],
        sample["served"],
        sample["answered"],
        sample["experienced_score"],
        strict=True,
    ):
        out[int(journey_id)] = (bool(served), recommend_score(score) if answered else None)
    return out


# --------------------------------------------------------------------------- word of mouth
def word_of_mouth(result: Result) -> dict[int, str]:
    """Journey id -> ``"referred"`` (the customer brought a friend) or ``"deterred"``
    (talked a prospect out of coming), for the journeys whose word of mouth did either.

    The model draws one number from its ``word_of_mouth`` stream as each journey ends,
    in the order journeys end (Q5, Q13, N8;
    :meth:`cxsim.model_behaviour.CustomerBehaviour.spread_word`): a promoter (would
    recommend 9 or 10) brings a friend if it falls below ``referral_probability``, a
    detractor (0 to 6) puts a prospect off if it falls below ``deterrence_probability``.
    The same seed gives the same numbers, so they are drawn again here in that order.
    Empty without behaviour, and for customers who come once (``one_off``).
    """
    cached = _WORD_OF_MOUTH.get(result)
    if cached is None:
        cached = _WORD_OF_MOUTH[result] = _word_of_mouth(result)
    return dict(cached)


# one replay per run: a widget tells many stories of the same run
_WORD_OF_MOUTH: weakref.WeakKeyDictionary[Result, dict[int, str]] = weakref.WeakKeyDictionary()


def _word_of_mouth(result: Result) -> dict[int, str]:
    behaviour = result.scenario.behaviour
    told: dict[int, str] = {}
    if behaviour is not None and result.scenario.customer_base != "one_off":
        journeys = result.journeys
        ended = journeys[journeys["end_min"].notna()].sort_values(
            ["end_min", "journey_id"], kind="stable"
        )
        word = behaviour.word_of_mouth
        draw = Streams(result.seed).stream("word_of_mouth", "uniform")
        for journey_id, score in zip(
            ended["journey_id"].to_numpy(), ended["experienced_score"].to_numpy(), strict=True
        ):
            recommend = recommend_score(float(score))
            u = draw()
            if recommend >= 9 and u < word.referral_probability:
                told[int(journey_id)] = "referred"
            elif recommend <= 6 and u < word.deterrence_probability:
                told[int(journey_id)] = "deterred"
    return told


# --------------------------------------------------------------------------- picking examples
def pick_customers(result: Result) -> dict[str, int]:
    """Telling examples of :data:`PICKS`, key -> customer id (a key is left out when the
    run has no such customer).  The same run always gives the same picks.

    * ``left_after_long_wait``: left after a journey with a wait on hold of at least
      :data:`LONG_WAIT_MIN` (the longest such wait);
    * ``stayed_despite_bad_call``: a contact felt bad (below the scenario's bad-memory
      line), yet the customer stayed and came back (the worst such contact);
    * ``loyal_regular``: the most journeys, never leaving, none remembered as bad;
    * ``referral``: came because a customer recommended the firm (the most journeys).
    """
    behaviour = result.scenario.behaviour
    if behaviour is None:
        return {}
    bad_below = behaviour.bad_memory_below
    journeys = result.journeys
    visits = result.interactions
    staffed = [t.name for t in result.scenario.touchpoints if t.kind == "staffed"]
    on_hold = visits[visits["touchpoint"].isin(staffed) & ~visits["callback"]]
    longest = on_hold.groupby("journey_id")["wait_min"].max()
    longest = longest[longest >= LONG_WAIT_MIN]
    per_customer = journeys.groupby("customer_id")
    count = per_customer.size()
    picks: dict[str, int] = {}

    left = journeys[(journeys["outcome"] == "leave") & journeys["journey_id"].isin(longest.index)]
    if len(left):
        waits = longest.loc[left["journey_id"]].to_numpy()
        order = np.lexsort((left["customer_id"].to_numpy(), -waits))
        picks["left_after_long_wait"] = int(left["customer_id"].to_numpy()[order[0]])

    worst = visits.groupby("journey_id")["score"].min()
    came_back = journeys[(journeys["outcome"] == "return")]
    next_ids = set(
        journeys.loc[journeys.duplicated("customer_id", keep="first"), "customer_id"].to_numpy()
    )
    came_back = came_back[came_back["customer_id"].isin(next_ids)]
    came_back = came_back.assign(worst=worst.reindex(came_back["journey_id"]).to_numpy())
    # a journey that came back before its customer's last journey began
    last_start = per_customer["start_min"].max()
    came_back = came_back[
        (came_back["worst"] < bad_below)
        & (came_back["start_min"] < came_back["customer_id"].map(last_start))
    ]
    if len(came_back):
        row = came_back.sort_values(["worst", "customer_id"], kind="stable").iloc[0]
        picks["stayed_despite_bad_call"] = int(row["customer_id"])

    never_bad = ~per_customer["bad"].any() & ~per_customer["outcome"].agg(
        lambda s: (s == "leave").any()
    )
    loyal = count[never_bad & (count >= 2)]
    if len(loyal):
        memory = per_customer["memory_score"].mean().reindex(loyal.index)
        ranking = pd.DataFrame({"n": loyal, "memory": memory}).reset_index()
        ranking = ranking.sort_values(
            ["n", "memory", "customer_id"], ascending=[False, False, True], kind="stable"
        )
        picks["loyal_regular"] = int(ranking["customer_id"].iloc[0])

    referred = journeys.loc[journeys["referred"], "customer_id"].unique()
    if len(referred):
        ranking = pd.DataFrame({"customer_id": referred, "n": count.reindex(referred).to_numpy()})
        ranking = ranking.sort_values(["n", "customer_id"], ascending=[False, True], kind="stable")
        picks["referral"] = int(ranking["customer_id"].iloc[0])
    return picks


# --------------------------------------------------------------------------- sentences
def _separator() -> str:
    return "؛ " if text_direction() == "rtl" else "; "


def _contact_clause(contact: Contact) -> str:
    touchpoint = translate_name(contact.touchpoint)
    wait, score = _minutes(contact.wait_min), _score(contact.score)
    if contact.outcome == MISSED:
        return _("the firm's call-back did not reach them")
    if contact.outcome == UNFINISHED:
        return _("{touchpoint}: the run ended while they were there", touchpoint=touchpoint)
    if contact.kind == CALLBACK:
        body = _(
            "the firm called back after {wait} min, felt {score} of 10", wait=wait, score=score
        )
    elif contact.outcome == HUNG_UP:
        body = _(
            "{touchpoint}: hung up after {wait} min on hold, felt {score} of 10",
            touchpoint=touchpoint,
            wait=wait,
            score=score,
        )
    elif not contact.staffed:
        body = _("{touchpoint}: felt {score} of 10", touchpoint=touchpoint, score=score)
    else:
        met = contact.courtesy_met
        if met is None:
            body = _(
                "{touchpoint}: served after {wait} min, felt {score} of 10",
                touchpoint=touchpoint,
                wait=wait,
                score=score,
            )
        else:
            body = _(
                "{touchpoint}: served after {wait} min, {courtesy}, felt {score} of 10",
                touchpoint=touchpoint,
                wait=wait,
                courtesy=_("courtesy as expected or better")
                if met
                else _("less courtesy than expected"),
                score=score,
            )
    if contact.kind == REDIAL:
        return _("called again: {what}", what=body)
    if contact.kind == RETRY:
        return _("came back, the problem not solved: {what}", what=body)
    return body


def _journey_name(name: str) -> str:
    """A journey's name as a sentence starts it: ``call`` -> ``Call``, ``buy_online`` ->
    ``Buy online`` (Persian: the catalogue's name)."""
    shown = translate_name(name)
    return shown.replace("_", " ").capitalize() if shown == name else shown


def _journey_sentence(journey: JourneyStory, number: int) -> str:
    day, time = clock_time(journey.start_min)
    if journey.contacts:
        what = _separator().join(_contact_clause(contact) for contact in journey.contacts)
    elif journey.status == "turned_away":
        what = _("found it closed and gave up")
    else:
        what = _("found it closed, came back later")
    return _(
        "{journey} {number}, day {day} at {time}: {what}.",
        journey=_journey_name(journey.journey),
        number=format_value(number, "count"),
        day=format_value(day, "count"),
        time=localise_digits(time),
        what=what,
    )


def _memory_sentence(journey: JourneyStory) -> str:
    if journey.status == "open" or math.isnan(journey.experienced):
        return _("The run ended during this journey.")
    remembered = _score(journey.experienced)
    felt = sum(not math.isnan(contact.score) for contact in journey.contacts)
    if journey.peak is None:
        text = _("Nothing was felt: remembered as neutral, {score} of 10.", score=remembered)
    elif journey.memory_rule == "average":
        text = _("Remembered {score} of 10: the mean of its contacts.", score=remembered)
    elif felt == 1:
        text = _("Remembered {score} of 10, as it felt.", score=remembered)
    elif journey.peak == journey.end:
        text = _("Remembered {score} of 10: its most intense moment was its end.", score=remembered)
    else:
        text = _(
            "Remembered {score} of 10: the mean of its most intense moment ({peak}) and its "
            "end ({end}), the peak-end rule (Q9).",
            score=remembered,
            peak=_score(journey.contacts[journey.peak].score),
            end=_score(journey.contacts[journey.end].score),
        )
    if not math.isnan(journey.follow_up_min):
        day, _time = clock_time(journey.follow_up_min)
        text += " " + _(
            "A follow-up call on day {day} lifted the memory to {score} of 10.",
            day=format_value(day, "count"),
            score=_score(journey.remembered),
        )
    if journey.survey_answer is not None:
        text += " " + _(
            "Answered the survey: {answer} of 10 would recommend.",
            answer=format_value(journey.survey_answer, "count"),
        )
    elif journey.status == "abandoned" and not journey.surveyed:
        text += " " + _("Nobody surveyed them: they hung up.")
    return text


def _after_sentences(journey: JourneyStory) -> list[str]:
    lines = []
    if journey.told == "referred":
        lines.append(
            _(
                "Delighted ({recommend} of 10 would recommend), they brought a friend to the firm.",
                recommend=format_value(journey.recommend, "count"),
            )
        )
    elif journey.told == "deterred":
        lines.append(
            _(
                "Disappointed ({recommend} of 10 would recommend), they talked someone out of "
                "becoming a customer.",
                recommend=format_value(journey.recommend, "count"),
            )
        )
    chance = format_value(journey.leave_chance, "share", decimals=0)
    if journey.outcome == "leave":
        day, _time = clock_time(journey.decided_min)
        lines.append(
            _(
                "Left the firm on day {day}: after a journey remembered at {score} of 10, "
                "{chance} of customers leave (N2).",
                day=format_value(day, "count"),
                score=_score(journey.remembered),
                chance=chance,
            )
        )
    elif journey.outcome == "return":
        if math.isnan(journey.next_start_min):
            lines.append(
                _(
                    "Stayed (after such a memory {chance} of customers leave); the next "
                    "journey falls after the run.",
                    chance=chance,
                )
            )
        else:
            day, time = clock_time(journey.next_start_min)
            lines.append(
                _(
                    "Stayed (after such a memory {chance} of customers leave) and came back "
                    "on day {day} at {time}.",
                    chance=chance,
                    day=format_value(day, "count"),
                    time=localise_digits(time),
                )
            )
    elif journey.outcome == "open":
        lines.append(_("The run ended before they decided whether to stay."))
    return lines
