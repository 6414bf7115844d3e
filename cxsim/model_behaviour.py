"""The customer's mind and the firm's people, as processes of the SimPy model.

Mixed into the model's run object when a scenario has a ``behaviour:``
section.  Every formula is a call into :mod:`cxsim.behaviour`; this module only
decides *when* each one applies:

* at each contact: courtesy shown, resolution, the contact's score;
* at the end of a journey: what is remembered, word of mouth, a place on the
  follow-up list if the memory is bad;
* at the next purchase time: stay (start another journey) or leave;
* at each day's end: staff morale moves with the day's load; the follow-up
  team calls as many bad journeys as it can, newest within the window last.
"""

from __future__ import annotations

import functools
import math
from collections import deque

from . import behaviour as bh
from .lean_process import LeanProcess
from .records import (
    ABANDONED,
    COMPLETED,
    IN_SERVICE,
    LEAVE,
    LEFT_QUEUE,
    RETURN,
    SERVED,
    UNDECIDED,
)

__all__ = ["BehaviourMixin"]

MINUTES_PER_DAY = 1440.0
MINUTES_PER_HOUR = 60.0


class BehaviourMixin:
    """Behaviour processes; expects the attributes the model's ``_Run`` sets up."""

    def _setup_behaviour(self) -> None:
        scenario, behaviour, streams = self.scenario, self.behaviour, self.streams
        levers = scenario.levers
        self.levers = levers
        parameters = behaviour.contact.model_dump(exclude={"promise_credibility"})
        # Bound once: the keyword arguments are the same for every contact of the run.
        self.score_contact = functools.partial(bh.contact_score, promise_min=levers.promise_min,
                                               **parameters)
        tp_defaults = behaviour.touchpoint_defaults
        seg_defaults = behaviour.segment_defaults
        self.base_courtesy = [tp.courtesy if tp.courtesy is not None else tp_defaults.courtesy
                              for tp in scenario.touchpoints]
        self.courtesy_sd = [tp.courtesy_sd if tp.courtesy_sd is not None
                            else tp_defaults.courtesy_sd for tp in scenario.touchpoints]
        self.resolution = [tp.resolution_probability if tp.resolution_probability is not None
                           else tp_defaults.resolution_probability for tp in scenario.touchpoints]
        self.in_house = [tp.kind == "staffed" and tp.operator == "in_house"
                         for tp in scenario.touchpoints]
        morale = behaviour.morale
        self.morale = [morale.initial if in_house else math.nan for in_house in self.in_house]
        self.courtesy_today = [self._courtesy_level(index) for index in
                               range(len(scenario.touchpoints))]
        self.courtesy_noise = [streams.stream(f"courtesy:{tp.name}", "normal")
                               for tp in scenario.touchpoints]
        self.resolution_draw = [streams.stream(f"resolution:{tp.name}", "uniform")
                                for tp in scenario.touchpoints]

        self.tolerance = []
        self.tolerance_draw = []
        self.expected_courtesy = []
        self.inter_purchase = []
        self.inter_purchase_draw = []
        self.revenue = []
        economics = scenario.economics
        for segment in scenario.segments:
            tolerance = (segment.expected_wait_min or seg_defaults.expected_wait_min).build()
            self.tolerance.append(tolerance)
            self.tolerance_draw.append(streams.stream(f"tolerance:{segment.name}", tolerance.base))
            self.expected_courtesy.append(segment.expected_courtesy
                                          if segment.expected_courtesy is not None
                                          else seg_defaults.expected_courtesy)
            gap = (segment.inter_purchase_days or seg_defaults.inter_purchase_days).build()
            self.inter_purchase.append(gap)
            self.inter_purchase_draw.append(streams.stream(f"return:{segment.name}", gap.base))
            self.revenue.append(segment.revenue_per_purchase
                                if segment.revenue_per_purchase is not None
                                else economics.revenue_per_purchase)
        self.decision_draw = streams.stream("decision", "uniform")
        self.word_of_mouth_draw = streams.stream("word_of_mouth", "uniform")
        self.referral_delay_draw = streams.stream("referral_delay", "exponential")
        self.retry_draw = streams.stream("retry", "uniform")
        self.deterred_owed = 0
        self.counters = {"deterred": 0, "referrals": 0, "follow_ups": 0}
        self.follow_up_list: deque[int] = deque()
        self.daily = {"day": [], "touchpoint": [], "utilisation": [], "morale": [],
                      "courtesy": []}

    def _courtesy_level(self, touchpoint: int) -> float:
        """Today's courtesy at a touchpoint: its own level, plus training and morale in-house.
        An outside agent (Q14) keeps its own level: the brand's training does not reach it."""
        if not self.in_house[touchpoint]:
            return self.base_courtesy[touchpoint]
        morale = self.behaviour.morale
        return bh.effective_courtesy(
            self.base_courtesy[touchpoint], self.levers.training, self.morale[touchpoint],
            training_effect=morale.training_effect, morale_effect=morale.morale_effect,
            reference_morale=morale.reference_morale)

    # -- customers ---------------------------------------------------------------
    def start_customer(self, segment: int, now: float, referred: bool) -> None:
        customer_id = self.next_customer_id
        self.next_customer_id += 1
        tolerance = self.tolerance[segment].transform(self.tolerance_draw[segment]())
        journey_id = self.journeys.open(customer_id, segment, self.segment_journey[segment], now,
                                        referred)
        LeanProcess(self.customer(customer_id, journey_id, segment, tolerance,
                                  self.draw_needs(segment), referred))

    def customer(self, customer_id: int, journey_id: int, segment: int, tolerance: float,
                 needs: list, referred: bool):
        """One customer's life: a journey, then at the next purchase time come back for
        another (same process, so a loyal customer costs no new process) or leave."""
        env, visits, queues, journeys = self.env, self.visits, self.queues, self.journeys
        behaviour = self.behaviour
        priority = self.segment_priority[segment]
        journey = self.segment_journey[segment]
        credibility = behaviour.contact.promise_credibility
        expected_wait = bh.expected_wait(tolerance, self.levers.promise_min, credibility)
        expected_courtesy = self.expected_courtesy[segment]
        self_service = behaviour.self_service
        # Locals for the per-contact loop (the hot path of a behavioural run).
        courtesy_today, courtesy_sd = self.courtesy_today, self.courtesy_sd
        courtesy_noise, resolution_draw = self.courtesy_noise, self.resolution_draw
        resolution, score_contact = self.resolution, self.score_contact
        wait_factor = behaviour.perceived_wait_factor
        record_wait, record_outcome = visits.wait_min, visits.outcome
        record_service, record_score = visits.service_min, visits.score
        unresolved, retention = behaviour.unresolved, behaviour.retention
        inter_purchase = self.inter_purchase[segment]
        inter_purchase_draw = self.inter_purchase_draw[segment]
        while True:
            scores: list[float] = []
            abandoned = False
            for step, (touchpoint, service, patience) in enumerate(needs):
                tries = 0
                while True:
                    row = visits.open(customer_id, segment, journey, touchpoint, step, env.now,
                                      journey_id)
                    queue = queues[touchpoint]
                    wait = 0.0
                    if queue is not None:
                        arrived = env.now
                        ticket = queue.request(priority)
                        if ticket is not None:
                            if patience < math.inf:
                                env.timeout(patience).callbacks.append(
                                    lambda _event, ticket=ticket, queue=queue:
                                    queue.abandon(ticket))
                            served = yield ticket
                            wait = env.now - arrived
                            if not served:
                                record_wait[row] = wait
                                record_outcome[row] = ABANDONED
                                record_score[row] = bh.abandoned_score()
                                scores.append(bh.abandoned_score())
                                abandoned = True
                                break
                        queue.busy_minutes_today += service
                    record_wait[row] = wait
                    record_outcome[row] = IN_SERVICE
                    record_service[row] = service
                    if queue is None:
                        resolved = True
                        score = self_service.score_mean + self_service.score_sd * \
                            courtesy_noise[touchpoint]()
                        score = 10.0 if score > 10.0 else (0.0 if score < 0.0 else score)
                    else:
                        shown = courtesy_today[touchpoint] + \
                            courtesy_sd[touchpoint] * courtesy_noise[touchpoint]()
                        shown = 1.0 if shown > 1.0 else (0.0 if shown < 0.0 else shown)
                        resolved = resolution_draw[touchpoint]() < resolution[touchpoint]
                        score = score_contact(bh.perceived_wait(wait, wait_factor),
                                              expected_wait, shown, expected_courtesy, resolved)
                        visits.courtesy[row] = shown
                    yield env.timeout(service)
                    record_outcome[row] = SERVED
                    record_score[row] = score
                    scores.append(score)
                    if queue is not None:
                        queue.release()
                    # An unresolved problem brings the customer back once, or is left unsolved.
                    if resolved or tries >= 1 or \
                            self.retry_draw() >= unresolved.retry_probability:
                        break
                    tries += 1
                    yield env.timeout(unresolved.retry_delay_min)
                    service = self.service[touchpoint].transform(self.service_draw[touchpoint]())
                if abandoned:
                    break
            now = env.now
            journeys.end_min[journey_id] = now
            journeys.status[journey_id] = LEFT_QUEUE if abandoned else COMPLETED
            if not abandoned:
                journeys.revenue[journey_id] = self.revenue[segment]
            memory = bh.remember_journey(scores, behaviour.memory) if scores \
                else bh.NEUTRAL_SCORE
            journeys.memory_score[journey_id] = memory
            journeys.experienced_score[journey_id] = memory
            self.spread_word(segment, memory, now)
            if memory < behaviour.bad_memory_below and self.levers.follow_up.enabled:
                self.follow_up_list.append(journey_id)

            # At the next purchase time, the customer comes back or leaves (N2, Q5).
            gap = inter_purchase.transform(inter_purchase_draw()) * MINUTES_PER_DAY
            u = self.decision_draw()
            if now + gap >= self.end_min:
                journeys.outcome[journey_id] = UNDECIDED
                return
            yield env.timeout(gap)
            now = env.now
            journeys.decided_min[journey_id] = now
            # Read at decision time: a follow-up call may have lifted the memory since.
            leave = bh.leave_probability(journeys.memory_score[journey_id],
                                         floor=retention.floor, ceiling=retention.ceiling,
                                         midpoint=retention.midpoint,
                                         steepness=retention.steepness)
            if u < leave:
                journeys.outcome[journey_id] = LEAVE
                return
            journeys.outcome[journey_id] = RETURN
            journey_id = journeys.open(customer_id, segment, journey, now, referred)
            needs = self.draw_needs(segment)

    def spread_word(self, segment: int, memory: float, now: float) -> None:
        """Promoters bring friends; detractors put prospects off (Q5, Q13, N8)."""
        recommend = bh.recommend_score(memory)
        word = self.behaviour.word_of_mouth
        u = self.word_of_mouth_draw()
        if recommend >= 9 and u < word.referral_probability:
            delay = word.referral_delay_days * MINUTES_PER_DAY * self.referral_delay_draw()
            if now + delay < self.end_min:
                self.env.timeout(delay).callbacks.append(
                    lambda _event, segment=segment: self.referred_arrival(segment))
        elif recommend <= 6 and u < word.deterrence_probability:
            self.deterred_owed += 1

    def referred_arrival(self, segment: int) -> None:
        self.counters["referrals"] += 1
        self.start_customer(segment, self.env.now, referred=True)

    # -- the firm's days -----------------------------------------------------------
    def days(self):
        """At each day's end: morale follows the day's load; follow-up calls are made."""
        morale_parameters = self.behaviour.morale
        touchpoints = self.scenario.touchpoints
        day = 0
        while True:
            yield self.env.timeout(MINUTES_PER_DAY)
            for index, touchpoint in enumerate(touchpoints):
                queue = self.queues[index]
                if queue is None:
                    continue
                staff_minutes = sum(touchpoint.hourly_staff) * MINUTES_PER_HOUR
                load = queue.busy_minutes_today / staff_minutes if staff_minutes else 1.0
                queue.busy_minutes_today = 0.0
                if self.in_house[index]:
                    target = bh.morale_target(
                        min(load, 1.0), self.levers.training, base=morale_parameters.base,
                        comfortable_load=morale_parameters.comfortable_load,
                        overload_sensitivity=morale_parameters.overload_sensitivity,
                        training_lift=morale_parameters.training_lift)
                    self.morale[index] = bh.update_morale(self.morale[index], target,
                                                          morale_parameters.adjustment_days)
                    self.courtesy_today[index] = self._courtesy_level(index)
                daily = self.daily
                daily["day"].append(day)
                daily["touchpoint"].append(touchpoint.name)
                daily["utilisation"].append(load)
                daily["morale"].append(self.morale[index])
                daily["courtesy"].append(self.courtesy_today[index])
            self.follow_up()
            day += 1

    def follow_up(self) -> None:
        """Call customers whose journey went badly, within the window, up to capacity (Q4)."""
        plan = self.levers.follow_up
        if not plan.enabled:
            return
        journeys = self.journeys
        oldest_allowed = self.env.now - plan.window_days * MINUTES_PER_DAY
        pending = self.follow_up_list
        while pending and journeys.end_min[pending[0]] < oldest_allowed:
            pending.popleft()  # too late to call
        for _call in range(min(plan.capacity_per_day, len(pending))):
            journey_id = pending.popleft()
            journeys.memory_score[journey_id] = bh.recovered_score(
                journeys.memory_score[journey_id], plan.recovery_points)
            journeys.followed_up[journey_id] = True
            self.counters["follow_ups"] += 1
