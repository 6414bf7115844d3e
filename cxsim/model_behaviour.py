"""The customer's mind and the firm's people: the behaviour the engine calls.

The engine (:mod:`cxsim.model`) moves customers through queues and calls its
behaviour object at fixed moments:

* ``admit``: a prospect arrives (bad word of mouth may have put them off);
* ``start``: a customer's first journey begins (what they expect);
* ``contact`` / ``abandoned_score``: a contact starts being served, or the
  customer hangs up; each gives the contact's score;
* ``tries_again``: an unresolved problem brings the customer back;
* ``redial_delay``: a caller who hung up calls again a few minutes later;
* ``journey_end``: what is remembered, word of mouth, a place on the
  follow-up list, and when the customer decides whether to stay;
* ``stays``: at that time, stay (and when the next journey comes) or leave;
* ``processes``: its own SimPy processes (the firm's days: morale, follow-up).

:class:`NoBehaviour` does nothing at each moment (pure queueing, checked against
Erlang C/A); :class:`CustomerBehaviour` applies the formulas of
:mod:`cxsim.behaviour`: this module only decides *when* each one applies.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

from . import behaviour as bh
from .clock import DAYS_PER_WEEK, MINUTES_PER_DAY, MINUTES_PER_HOUR
from .distributions import Exponential
from .records import LEAVE, RETURN, UNDECIDED

__all__ = ["NoBehaviour", "CustomerBehaviour"]

NAN = math.nan


class NoBehaviour:
    """Customers who queue and go, and remember nothing: the pure queueing model."""

    daily: dict[str, list] | None = None
    counters: dict[str, int] | None = None
    retry_delay_min = 0.0

    def admit(self) -> bool:
        return True

    def start(self, segment: int) -> Any:
        return None

    def contact(self, mind: Any, row: int, touchpoint: int, wait: float) -> tuple[float, bool]:
        """(score, resolved) of a contact whose service starts now."""
        return NAN, True

    def abandoned_score(self, mind: Any, wait: float) -> float:
        return NAN

    def patience(self, mind: Any, segment: int, drawn: float) -> float:
        """A customer's patience at a queue, from the segment's draw."""
        return drawn

    def tries_again(self, tries: int) -> bool:
        return False

    def redial_delay(self, redials: int) -> float | None:
        """Minutes until a caller who just hung up calls again, or None: they give up."""
        return None

    def journey_end(
        self,
        mind: Any,
        journey_id: int,
        segment: int,
        scores: list[float],
        completed: bool,
        now: float,
    ) -> float | None:
        """When the customer decides whether to stay (minutes), or None: no decision in
        the run (this was their last journey, or the run ends first)."""
        return None

    def stays(self, mind: Any, journey_id: int, now: float) -> float | None:
        """The decision: when the next journey comes, or None (left, or not in the run)."""
        return None

    def processes(self) -> list[Generator]:
        return []


class _Mind:
    """What one customer brings to every contact, and their pending decision."""

    __slots__ = (
        "expected_wait",
        "expected_courtesy",
        "decision_u",
        "next_journey_min",
        "patience_scale",
    )

    def __init__(self, expected_wait: float, expected_courtesy: float, patience_scale: float = 1.0):
        self.expected_wait = expected_wait
        self.patience_scale = patience_scale
        self.expected_courtesy = expected_courtesy
        self.decision_u = 0.0
        self.next_journey_min = math.inf


class CustomerBehaviour(NoBehaviour):
    """Customers who feel each contact, remember the journey, talk, and stay or leave;
    staff whose morale follows their load; a follow-up team (a scenario's ``behaviour:``)."""

    def __init__(self, run: Any, start_customer: Callable[[int, float, bool], None]):
        scenario, behaviour, streams = run.scenario, run.scenario.behaviour, run.streams
        self.scenario, self.behaviour, self.streams = scenario, behaviour, streams
        self.env, self.journeys, self.visits = run.env, run.journeys, run.visits
        self.queues, self.end_min = run.queues, run.end_min
        self.start_customer = start_customer
        levers = scenario.levers
        self.levers = levers
        parameters = behaviour.contact.model_dump(
            exclude={"promise_credibility", "abandon_penalty"}
        )
        # Bound once: the keyword arguments are the same for every contact of the run.
        self.score_contact = functools.partial(
            bh.contact_score, promise_min=levers.promise_min, **parameters
        )
        contact = behaviour.contact
        self.score_abandoned = functools.partial(
            bh.abandoned_score,
            abandon_penalty=contact.abandon_penalty,
            late_loss_per_min=contact.late_loss_per_min,
            max_late_loss=contact.max_late_loss,
            promise_min=levers.promise_min,
            broken_promise_penalty=contact.broken_promise_penalty,
        )
        tp_defaults = behaviour.touchpoint_defaults
        seg_defaults = behaviour.segment_defaults
        self.base_courtesy = [
            tp.courtesy if tp.courtesy is not None else tp_defaults.courtesy
            for tp in scenario.touchpoints
        ]
        self.courtesy_sd = [
            tp.courtesy_sd if tp.courtesy_sd is not None else tp_defaults.courtesy_sd
            for tp in scenario.touchpoints
        ]
        self.resolution = [
            tp.resolution_probability
            if tp.resolution_probability is not None
            else tp_defaults.resolution_probability
            for tp in scenario.touchpoints
        ]
        self.in_house = [
            tp.kind == "staffed" and tp.operator == "in_house" for tp in scenario.touchpoints
        ]
        morale = behaviour.morale
        self.morale = [morale.initial if in_house else math.nan for in_house in self.in_house]
        self.courtesy_today = [
            self._courtesy_level(index) for index in range(len(scenario.touchpoints))
        ]
        # Courtesy with morale at its reference level: the morale term is zero.
        self.courtesy_without_morale = [
            bh.effective_courtesy(
                self.base_courtesy[index],
                levers.training,
                morale.reference_morale,
                training_effect=morale.training_effect,
                morale_effect=morale.morale_effect,
                reference_morale=morale.reference_morale,
            )
            if in_house
            else self.base_courtesy[index]
            for index, in_house in enumerate(self.in_house)
        ]
        self.courtesy_noise = [
            streams.stream(f"courtesy:{tp.name}", "normal") for tp in scenario.touchpoints
        ]
        self.resolution_draw = [
            streams.stream(f"resolution:{tp.name}", "uniform") for tp in scenario.touchpoints
        ]

        self.tolerance = []
        self.mean_tolerance = []
        self.tolerance_draw = []
        self.expected_courtesy = []
        self.inter_purchase = []
        self.inter_purchase_draw = []
        self.revenue = []
        economics = scenario.economics
        for segment in scenario.segments:
            tolerance = (segment.expected_wait_min or seg_defaults.expected_wait_min).build()
            self.tolerance.append(tolerance)
            self.mean_tolerance.append(tolerance.mean)
            self.tolerance_draw.append(streams.stream(f"tolerance:{segment.name}", tolerance.base))
            self.expected_courtesy.append(
                segment.expected_courtesy
                if segment.expected_courtesy is not None
                else seg_defaults.expected_courtesy
            )
            if segment.base is not None:  # established: as often as the base and rate say
                gap = Exponential(mean=run.base_flows[len(self.inter_purchase)].gap_days)
            else:
                gap = (segment.inter_purchase_days or seg_defaults.inter_purchase_days).build()
            self.inter_purchase.append(gap)
            self.inter_purchase_draw.append(streams.stream(f"return:{segment.name}", gap.base))
            self.revenue.append(
                segment.revenue_per_purchase
                if segment.revenue_per_purchase is not None
                else economics.revenue_per_purchase
            )
        self.decision_draw = streams.stream("decision", "uniform")
        self.one_off = scenario.customer_base == "one_off"  # nobody comes back
        self.decision_min = behaviour.retention.decision_days * MINUTES_PER_DAY
        self.profiles = run.segment_profile
        self.return_time_draw = [
            streams.stream(f"return_time:{segment.name}", "uniform")
            for segment in scenario.segments
        ]
        self.referral_time_draw = [
            streams.stream(f"referral_time:{segment.name}", "uniform")
            for segment in scenario.segments
        ]
        self.word_of_mouth_draw = streams.stream("word_of_mouth", "uniform")
        self.referral_delay_draw = streams.stream("referral_delay", "exponential")
        self.retry_draw = streams.stream("retry", "uniform")
        self.redial = behaviour.redial
        self.redial_choice = streams.stream("redial", "uniform")
        self.redial_wait = streams.stream("redial_delay", "exponential")
        self.deterred_owed = 0
        self.retry_delay_min = behaviour.unresolved.retry_delay_min
        self.counters = {"deterred": 0, "referrals": 0, "follow_ups": 0}
        self.follow_up_list: deque[int] = deque()
        self.daily = {"day": [], "touchpoint": [], "utilisation": [], "morale": [], "courtesy": []}

    def _courtesy_level(self, touchpoint: int) -> float:
        """Today's courtesy at a touchpoint: its own level, plus training and morale in-house.
        An outside agent (Q14) keeps its own level: the brand's training does not reach it."""
        if not self.in_house[touchpoint]:
            return self.base_courtesy[touchpoint]
        morale = self.behaviour.morale
        return bh.effective_courtesy(
            self.base_courtesy[touchpoint],
            self.levers.training,
            self.morale[touchpoint],
            training_effect=morale.training_effect,
            morale_effect=morale.morale_effect,
            reference_morale=morale.reference_morale,
        )

    # -- customers ---------------------------------------------------------------
    def admit(self) -> bool:
        if self.deterred_owed > 0:  # a detractor talked this prospect out of coming
            self.deterred_owed -= 1
            self.counters["deterred"] += 1
            return False
        return True

    def start(self, segment: int) -> _Mind:
        tolerance = self.tolerance[segment].transform(self.tolerance_draw[segment]())
        expected_wait = bh.expected_wait(
            tolerance, self.levers.promise_min, self.behaviour.contact.promise_credibility
        )
        # patience adapts to the wait the customer anticipates (before any promise)
        scale = bh.adapted_patience(1.0, tolerance, self.mean_tolerance[segment])
        return _Mind(expected_wait, self.expected_courtesy[segment], scale)

    def contact(self, mind: _Mind, row: int, touchpoint: int, wait: float) -> tuple[float, bool]:
        """Courtesy shown, resolution and the contact's score, as its service starts."""
        if self.queues[touchpoint] is None:
            self_service = self.behaviour.self_service
            score = (
                self_service.score_mean + self_service.score_sd * self.courtesy_noise[touchpoint]()
            )
            return (10.0 if score > 10.0 else (0.0 if score < 0.0 else score)), True
        noise = self.courtesy_sd[touchpoint] * self.courtesy_noise[touchpoint]()
        shown = self.courtesy_today[touchpoint] + noise
        shown = 1.0 if shown > 1.0 else (0.0 if shown < 0.0 else shown)
        resolved = self.resolution_draw[touchpoint]() < self.resolution[touchpoint]
        perceived = bh.perceived_wait(wait, self.behaviour.perceived_wait_factor)
        score = self.score_contact(
            perceived, mind.expected_wait, shown, mind.expected_courtesy, resolved
        )
        self.visits.courtesy[row] = shown
        if self.in_house[touchpoint]:
            # The same contact (customer, wait, resolution, the agent's day) without the
            # morale term: morale's effect measured on one sample path, not assumed.
            neutral = self.courtesy_without_morale[touchpoint] + noise
            neutral = 1.0 if neutral > 1.0 else (0.0 if neutral < 0.0 else neutral)
            self.visits.score_without_morale[row] = self.score_contact(
                perceived, mind.expected_wait, neutral, mind.expected_courtesy, resolved
            )
        return score, resolved

    def abandoned_score(self, mind: _Mind, wait: float) -> float:
        """A hang-up, felt by how long the wait was against what the caller expected."""
        return self.score_abandoned(
            bh.perceived_wait(wait, self.behaviour.perceived_wait_factor), mind.expected_wait
        )

    def patience(self, mind: _Mind, segment: int, drawn: float) -> float:
        """The segment's patience draw, scaled to the wait this customer anticipates
        (Zohar, Mandelbaum & Shimkin 2002)."""
        return drawn * mind.patience_scale

    def redial_delay(self, redials: int) -> float | None:
        """A share of callers who hang up call again after a few minutes (retrials: Aguir,
        Karaesmen, Aksin & Chauvet 2004), at most ``max_redials`` times."""
        redial = self.redial
        if redial.probability == 0 or redials >= redial.max_redials:
            return None  # no draw: a scenario without redials keeps its random numbers
        if self.redial_choice() >= redial.probability:
            return None
        return redial.delay_min * self.redial_wait()

    def tries_again(self, tries: int) -> bool:
        """An unresolved problem brings the customer back once, or is left unsolved."""
        return tries < 1 and self.retry_draw() < self.behaviour.unresolved.retry_probability

    def journey_end(
        self,
        mind: _Mind,
        journey_id: int,
        segment: int,
        scores: list[float],
        completed: bool,
        now: float,
    ) -> float | None:
        """Remember the journey, talk about it, queue for follow-up if bad; when the
        customer decides whether to stay (N2, Q5).

        The decision comes ``retention.decision_days`` after the journey (N2: "right
        after"; a follow-up call in those days can still change it), or at the next
        purchase if that is sooner.  The next purchase falls on the day a gap of
        ``inter_purchase_days`` reaches, at a time of day people come (the segment's
        profile): a customer who comes back "in about two weeks" calls when customers
        call, not at 3 am."""
        journeys, behaviour = self.journeys, self.behaviour
        if completed:
            journeys.revenue[journey_id] = self.revenue[segment]
        memory = bh.remember_journey(scores, behaviour.memory) if scores else bh.NEUTRAL_SCORE
        journeys.memory_score[journey_id] = memory
        journeys.experienced_score[journey_id] = memory
        follow_up = memory < behaviour.bad_memory_below and self.levers.follow_up.enabled
        if follow_up:
            self.follow_up_list.append(journey_id)
        if self.one_off:
            return None
        self.spread_word(segment, memory, now)
        gap = (
            self.inter_purchase[segment].transform(self.inter_purchase_draw[segment]())
            * MINUTES_PER_DAY
        )
        mind.decision_u = self.decision_draw()
        u = self.return_time_draw[segment]()
        if (now + gap) // MINUTES_PER_DAY * MINUTES_PER_DAY >= self.end_min:
            comes = math.inf  # due on a day after the run
        else:
            comes = self.time_of_day(segment, now, now + gap, u)
        mind.next_journey_min = comes
        decide = min(now + self.decision_min, comes)
        if decide >= self.end_min:
            journeys.outcome[journey_id] = UNDECIDED
            return None
        if comes >= self.end_min and not follow_up:
            # Nothing can change this memory before the decision and no journey follows
            # in the run: take the decision now, dated when it falls (the same draw, the
            # same outcome), so the customer's process ends instead of waiting for it.
            self.stays(mind, journey_id, decide)
            return None
        return decide

    def time_of_day(self, segment: int, now: float, due: float, u: float) -> float:
        """The time a customer due at ``due`` comes: that day (or, if nothing of that day is
        left after ``now``, the next day with demand), at a time from the segment's profile."""
        profile = self.profiles[segment]
        day = int(due // MINUTES_PER_DAY)
        for later in range(DAYS_PER_WEEK + 1):
            comes = profile.draw_on_day(u, now, day + later)
            if comes is not None:
                return comes
        raise AssertionError("a profile with demand has some in every week")  # pragma: no cover

    def stays(self, mind: _Mind, journey_id: int, now: float) -> float | None:
        """Stay or leave, on the journey's memory (read now: a follow-up call may have
        lifted it since); if staying, when the next journey comes (None: after the run)."""
        journeys = self.journeys
        retention = self.behaviour.retention
        journeys.decided_min[journey_id] = now
        leave = bh.leave_probability(
            journeys.memory_score[journey_id],
            floor=retention.floor,
            ceiling=retention.ceiling,
            midpoint=retention.midpoint,
            steepness=retention.steepness,
        )
        if mind.decision_u < leave:
            journeys.outcome[journey_id] = LEAVE
            return None
        journeys.outcome[journey_id] = RETURN
        return mind.next_journey_min if mind.next_journey_min < self.end_min else None

    def spread_word(self, segment: int, memory: float, now: float) -> None:
        """Promoters bring friends; detractors put prospects off (Q5, Q13, N8)."""
        recommend = bh.recommend_score(memory)
        word = self.behaviour.word_of_mouth
        u = self.word_of_mouth_draw()
        if recommend >= 9 and u < word.referral_probability:
            delay = word.referral_delay_days * MINUTES_PER_DAY * self.referral_delay_draw()
            comes = self.time_of_day(segment, now, now + delay, self.referral_time_draw[segment]())
            if comes < self.end_min:
                self.env.timeout(comes - now).callbacks.append(
                    lambda _event, segment=segment: self.referred_arrival(segment)
                )
        elif recommend <= 6 and u < word.deterrence_probability:
            self.deterred_owed += 1

    def referred_arrival(self, segment: int) -> None:
        self.counters["referrals"] += 1
        self.start_customer(segment, self.env.now, True)

    # -- the firm's days -----------------------------------------------------------
    def processes(self) -> list[Generator]:
        return [self.days(), self.follow_up_team()]

    def days(self):
        """At each day's end: morale follows the day's load (busy minutes over the
        minutes staffed that day)."""
        morale_parameters = self.behaviour.morale
        touchpoints = self.scenario.touchpoints
        day = 0
        while True:
            yield self.env.timeout(MINUTES_PER_DAY)
            for index, touchpoint in enumerate(touchpoints):
                queue = self.queues[index]
                if queue is None:
                    continue
                staff_minutes = touchpoint.staff_hours_on_day(day) * MINUTES_PER_HOUR
                load = queue.busy_minutes_today / staff_minutes if staff_minutes else 1.0
                queue.busy_minutes_today = 0.0
                if self.in_house[index]:
                    target = bh.morale_target(
                        min(load, 1.0),
                        self.levers.training,
                        base=morale_parameters.base,
                        comfortable_load=morale_parameters.comfortable_load,
                        overload_sensitivity=morale_parameters.overload_sensitivity,
                        training_lift=morale_parameters.training_lift,
                    )
                    self.morale[index] = bh.update_morale(
                        self.morale[index], target, morale_parameters.adjustment_days
                    )
                    self.courtesy_today[index] = self._courtesy_level(index)
                daily = self.daily
                daily["day"].append(day)
                daily["touchpoint"].append(touchpoint.name)
                daily["utilisation"].append(load)
                daily["morale"].append(self.morale[index])
                daily["courtesy"].append(self.courtesy_today[index])
            day += 1

    def follow_up_team(self):
        """Call customers whose journey went badly, within the window, up to capacity (Q4):
        calls spread evenly over the team's working hours, oldest eligible first."""
        plan = self.levers.follow_up
        if not plan.enabled or plan.capacity_per_day == 0:
            return
        start_hour, end_hour = plan.working_hours
        spacing = (end_hour - start_hour) * MINUTES_PER_HOUR / plan.capacity_per_day
        env, day = self.env, 0
        while True:
            for call in range(plan.capacity_per_day):
                at = day * MINUTES_PER_DAY + start_hour * MINUTES_PER_HOUR + call * spacing
                if at >= self.end_min:
                    return
                yield env.timeout(at - env.now)
                self.follow_up_call()
            day += 1

    def follow_up_call(self) -> None:
        """One call: the oldest bad journey still within the window, if any."""
        plan, journeys, pending = self.levers.follow_up, self.journeys, self.follow_up_list
        now = self.env.now
        oldest_allowed = now - plan.window_days * MINUTES_PER_DAY
        while pending and journeys.end_min[pending[0]] < oldest_allowed:
            pending.popleft()  # too late to call
        if not pending:
            return
        journey_id = pending.popleft()
        journeys.memory_score[journey_id] = bh.recovered_score(
            journeys.memory_score[journey_id], plan.recovery_points
        )
        journeys.followed_up[journey_id] = True
        journeys.follow_up_min[journey_id] = now
        self.counters["follow_ups"] += 1
