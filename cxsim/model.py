"""The SimPy model: customers arriving, walking their journeys, queueing for staff.

This is the only module that imports simpy.  Three kinds of process run, each a
generator resumed by SimPy events (through :class:`~cxsim.lean_process.LeanProcess`,
which spares the two bookkeeping events per process that nothing here waits on):

* **arrivals**: a Poisson stream whose rate follows the hour of the day
  (generated exactly by inverting the cumulative rate, which is piecewise
  linear because the rate is constant within each hour);
* **customers**: one process each, visiting the steps of a journey in order,
  skipping a step with probability ``1 - probability``, leaving the journey
  when they abandon a queue;
* **rosters**: at every hour boundary, staffed touchpoints take the number
  of people the schedule says (people already serving finish their customer).

A staffed touchpoint is a :class:`StaffedQueue`: a pool of servers with a
waiting line ordered by segment priority (lower number first), then arrival.
A customer who finds a free server starts at once; otherwise they wait until
served or until their patience runs out (Erlang A's "+M" when patience is
exponential), whichever comes first.
"""

from __future__ import annotations

import math
from collections import deque

import simpy

from .clock import Profile, next_open_interval
from .customer_base import arrival_weights, segment_flows
from .lean_process import LeanProcess
from .model_behaviour import CustomerBehaviour, NoBehaviour
from .records import (
    ABANDONED,
    COMPLETED,
    IN_SERVICE,
    LEFT_QUEUE,
    SERVED,
    TURNED_AWAY,
    JourneyLog,
    Records,
    VisitLog,
)
from .rng import Streams
from .scenario import MINUTES_PER_DAY, Scenario

__all__ = ["StaffedQueue", "Records", "run_model"]

MINUTES_PER_HOUR = 60.0
# What a customer does on reaching a closed touchpoint (Step.when_closed), as small ints.
NEXT_OPEN, SKIP, LEAVE_JOURNEY = 0, 1, 2
_WHEN_CLOSED = {"next_open": NEXT_OPEN, "skip": SKIP, "leave": LEAVE_JOURNEY}
# Minutes an agent lets a callback ring when nobody answers (assumption: about 30 s).
CALLBACK_RING_MIN = 0.5


class StaffedQueue:
    """Servers whose number may change, and a line of waiting customers.

    ``request`` returns ``None`` when a server is free (the customer starts at
    once, no event needed) or an event that succeeds with ``True`` when a
    server takes the customer, or ``False`` if :meth:`abandon` removes them
    first.  Abandoners are removed lazily: their entry stays in the line,
    marked, and is skipped when it reaches the front.
    """

    def __init__(self, env: simpy.Environment, servers: int):
        self.env = env
        self.servers = servers
        self.busy = 0
        self.waiting = 0
        self.closing = False  # closed by the rota, but the people on duty finish the line
        self.busy_minutes_today = 0.0  # service started today: the load that wears on morale
        self._lines: dict[int, deque[simpy.Event]] = {}
        self._priorities: list[int] = []

    def request(self, priority: int = 0) -> simpy.Event | None:
        if self.busy < self.servers and self.waiting == 0:
            self.busy += 1
            return None
        ticket = self.env.event()
        line = self._lines.get(priority)
        if line is None:
            line = self._lines[priority] = deque()
            self._priorities = sorted(self._lines)
        line.append(ticket)
        self.waiting += 1
        return ticket

    def abandon_after(self, ticket: simpy.Event, minutes: float) -> None:
        """Leave the line after ``minutes`` (patience, a callback's window) unless served."""
        self.env.timeout(minutes).callbacks.append(lambda _event: self.abandon(ticket))

    def abandon(self, ticket: simpy.Event) -> None:
        """Patience ran out: leave the line unless already being served."""
        if not ticket.triggered:
            self.waiting -= 1
            ticket.succeed(False)
            if self.closing and not self.waiting:
                self._close()

    def release(self) -> None:
        """A server finished a customer and takes the next one, if on duty."""
        self.busy -= 1
        if self.waiting:
            self._dispatch()
        elif self.closing:
            self._close()

    def set_servers(self, servers: int) -> None:
        """A new shift: more people start serving at once; fewer take effect as people finish.

        Closing time (0 staff) with people still in line: as in a shop at closing
        time, those on duty serve the line first, and go when it is empty.
        """
        if servers == 0 and self.waiting:
            self.closing = True
            return
        self.closing = False
        self.servers = servers
        if self.waiting:
            self._dispatch()

    def _close(self) -> None:
        self.closing = False
        self.servers = 0

    def _dispatch(self) -> None:
        while self.busy < self.servers and self.waiting:
            for priority in self._priorities:
                line = self._lines[priority]
                while line and line[0].triggered:  # abandoned: skip
                    line.popleft()
                if line:
                    ticket = line.popleft()
                    break
            else:  # pragma: no cover - waiting counter and lines disagree
                raise RuntimeError("waiting count out of step with the lines")
            self.waiting -= 1
            self.busy += 1
            ticket.succeed(True)


class _Run:
    """State of one simulation run (kept on one object so processes stay small).

    The engine moves customers through queues; what customers feel and do about
    it is ``self.behaviour``, an object it calls at fixed moments (see
    :class:`~cxsim.model_behaviour.NoBehaviour`): a pure queueing scenario gets
    the do-nothing version, so one customer process serves both.
    """

    def __init__(self, scenario: Scenario, seed: int):
        self.scenario = scenario
        self.env = simpy.Environment()
        self.visits = VisitLog()
        self.journeys = JourneyLog()
        self.next_customer_id = 0
        streams = Streams(seed)
        self.streams = streams
        self.end_min = scenario.total_days * MINUTES_PER_DAY

        self.touchpoint_index = {t.name: i for i, t in enumerate(scenario.touchpoints)}
        self.journey_index = {j.name: i for i, j in enumerate(scenario.journeys)}
        self.queues: list[StaffedQueue | None] = [
            StaffedQueue(self.env, t.staff_at_hour(0)) if t.kind == "staffed" else None
            for t in scenario.touchpoints
        ]
        self.service = [t.service_min.build() for t in scenario.touchpoints]
        self.service_draw = [
            streams.stream(f"service:{t.name}", dist.base)
            for t, dist in zip(scenario.touchpoints, self.service, strict=True)
        ]
        # Opening hours: a staffed touchpoint is closed in an hour its rota has 0 staff.
        self.open_hours = [t.open_hours for t in scenario.touchpoints]
        self.always_open = [all(hours) for hours in self.open_hours]
        self.reopen_draw = [
            streams.stream(f"reopening:{t.name}", "uniform") for t in scenario.touchpoints
        ]
        # When each segment's returning, referred and deferred customers come.
        arrivals = scenario.arrivals
        self.segment_profile = [
            Profile.combine(s.hourly_profile, arrivals.weekly_profile)
            if s.hourly_profile
            else arrivals.profile
            for s in scenario.segments
        ]
        # Per segment: journey steps as (touchpoint index, probability, when closed), patience.
        self.segment_steps = []
        self.segment_patience = []
        self.patience_draw = []
        for segment in scenario.segments:
            journey = scenario.journey(segment.journey)
            self.segment_steps.append(
                tuple(
                    (
                        self.touchpoint_index[s.touchpoint],
                        s.probability,
                        _WHEN_CLOSED[s.when_closed],
                    )
                    for s in journey.steps
                )
            )
            patience = segment.patience_min.build() if segment.patience_min else None
            self.segment_patience.append(patience)
            self.patience_draw.append(
                streams.stream(f"patience:{segment.name}", patience.base if patience else None)
            )
        self.redial_patience_draw = [
            streams.stream(f"redial_patience:{segment.name}", patience.base if patience else None)
            for segment, patience in zip(scenario.segments, self.segment_patience, strict=True)
        ]
        self.segment_journey = [self.journey_index[s.journey] for s in scenario.segments]
        self.segment_priority = [s.priority for s in scenario.segments]
        cumulative, total = [], 0.0
        for segment in scenario.segments:
            total += segment.share
            cumulative.append(total)
        self.segment_cumulative = cumulative
        # An established base (customer_base: established): who comes first on each day.
        self.base_flows = (
            segment_flows(scenario) if scenario.customer_base == "established" else None
        )
        self.day_weights = (
            []
            if self.base_flows is None
            else [
                arrival_weights(self.base_flows, day)
                for day in range(math.ceil(self.end_min / MINUTES_PER_DAY))
            ]
        )
        self.routing = streams.stream("routing", "uniform")
        # who arrives (segment; newcomer or base customer) on a stream of its own, so that
        # policies meet the same arrivals (common random numbers): the routing stream's
        # draws follow the journeys, which policies change
        self.arrival_pick = streams.stream("arrival_pick", "uniform")
        self._plan_callbacks(scenario)
        self.behaviour: NoBehaviour = (
            NoBehaviour()
            if scenario.behaviour is None
            else CustomerBehaviour(self, self.start_customer)
        )

    def _plan_callbacks(self, scenario: Scenario) -> None:
        """Callbacks to callers who hung up (``levers.callback``): where, and in what order."""
        levers = scenario.levers
        plan = levers.callback if levers is not None else None
        if plan is None or not plan.enabled or plan.capacity_per_day == 0:
            self.callback_plan = None
            return
        self.callback_plan = plan
        self.callback_at = [
            t.kind == "staffed" and (plan.touchpoints is None or t.name in plan.touchpoints)
            for t in scenario.touchpoints
        ]
        # after_inbound: behind every caller on hold (a priority after all segments')
        self.callback_priority = (
            max(self.segment_priority) + 1 if plan.served == "after_inbound" else None
        )
        self.callbacks_queued: dict[int, int] = {}
        self.callback_reach = self.streams.stream("callback_reach", "uniform")

    def callback_limit(self, touchpoint: int, now: float) -> float | None:
        """Minutes a callback to a caller who just hung up may wait for an agent, or None:
        no callback (not made here, the day's callbacks are used up, or the line is
        closed).  A callback is made within the window and before the line closes."""
        plan = self.callback_plan
        if not self.callback_at[touchpoint]:
            return None
        day = int(now // MINUTES_PER_DAY)
        queued = self.callbacks_queued.get(day, 0)
        if queued >= plan.capacity_per_day:
            return None
        limit = self.minutes_open(touchpoint, now, plan.window_hours * MINUTES_PER_HOUR)
        if limit <= 0.0:
            return None
        self.callbacks_queued[day] = queued + 1
        return limit

    def minutes_open(self, touchpoint: int, now: float, horizon: float) -> float:
        """Minutes from ``now`` until ``touchpoint`` closes, at most ``horizon``."""
        if self.always_open[touchpoint]:
            return horizon
        until = now
        while until < now + horizon and self.is_open(touchpoint, until):
            until = (int(until // MINUTES_PER_HOUR) + 1) * MINUTES_PER_HOUR
        return min(until, now + horizon) - now

    # -- processes ------------------------------------------------------------
    def arrivals(self):
        """New customers: a Poisson stream with a rate constant within each hour.

        Exact, by inverting the cumulative rate: each unit-mean exponential draw is
        spent hour by hour at that hour's rate, so no candidate is wasted.
        """
        env = self.env
        arrivals = self.scenario.arrivals
        flows = self.base_flows
        if flows is None:
            hourly = [
                arrivals.rate_per_hour * weight / MINUTES_PER_HOUR
                for weight in arrivals.profile.weights
            ]
            day_total = None
        else:
            # An established base: each day's first journeys (newcomers, and base
            # customers calling for the first time in the run) spread by the profile.
            # The day's total already holds the profile's mean (segment_journeys_per_day),
            # so the profile only shapes the day: its weights are divided by their mean.
            weights = arrivals.profile.weights
            mean_weight = sum(weights) / len(weights)
            hourly = [weight / (mean_weight * MINUTES_PER_DAY) for weight in weights]
            day_total = [sum(weights) for weights in self.day_weights]
        cycle = len(hourly)
        gap = self.streams.stream("arrivals", "exponential")
        end = self.end_min
        new_customer = self.new_customer
        now = 0.0
        if day_total is None and min(hourly) == max(hourly):
            rate = hourly[0]
            while True:
                now += gap() / rate
                if now >= end:
                    return
                yield env.timeout(now - env.now)
                new_customer(now)
        while True:
            remaining = gap()
            while True:
                hour = int(now // MINUTES_PER_HOUR)
                hour_end = (hour + 1) * MINUTES_PER_HOUR
                rate = hourly[hour % cycle]
                if day_total is not None:
                    rate *= day_total[min(hour // 24, len(day_total) - 1)]
                capacity = rate * (hour_end - now)
                if remaining < capacity:
                    now += remaining / rate
                    break
                remaining -= capacity
                now = hour_end
                if now >= end:
                    return
            if now >= end:
                return
            yield env.timeout(now - env.now)
            new_customer(now)

    def new_customer(self, now: float) -> None:
        """A prospect arrives (unless bad word of mouth put them off), or, with an
        established base, one of its customers calls for the first time in the run."""
        u = self.arrival_pick()
        if self.base_flows is not None:
            self.base_or_new_customer(u, now)
            return
        segment = 0
        for index, bound in enumerate(self.segment_cumulative):
            segment = index
            if u < bound:
                break
        if self.behaviour.admit():
            self.start_customer(segment, now, referred=False)

    def base_or_new_customer(self, u: float, now: float) -> None:
        """Pick, by today's expected numbers, a newcomer or a base customer of a segment."""
        weights = self.day_weights[min(int(now // MINUTES_PER_DAY), len(self.day_weights) - 1)]
        target, total = u * sum(weights), 0.0
        pick = len(weights) - 1
        for index, weight in enumerate(weights):
            total += weight
            if target < total:
                pick = index
                break
        segments = len(self.base_flows)
        if pick >= segments:  # already a customer: word of mouth cannot put them off
            self.start_customer(pick - segments, now, referred=False, established=True)
        elif self.behaviour.admit():
            self.start_customer(pick, now, referred=False)

    def start_customer(
        self, segment: int, now: float, referred: bool, established: bool = False
    ) -> None:
        """A customer's first journey starts now; their own process takes it from here."""
        customer_id = self.next_customer_id
        self.next_customer_id += 1
        mind = self.behaviour.start(segment)
        journey_id = self.journeys.open(
            customer_id, segment, self.segment_journey[segment], now, referred, established
        )
        LeanProcess(
            self.customer(
                customer_id,
                journey_id,
                segment,
                self.draw_needs(segment, mind),
                mind,
                referred,
                established,
            )
        )

    def draw_needs(self, segment: int, mind: object) -> list[tuple[int, float, float, int]]:
        """Every step's need, drawn now in arrival order so policies cannot reshuffle them:
        (touchpoint, service minutes, patience minutes, what to do if it is closed) for
        the steps the customer takes."""
        patience_draw = self.patience_draw[segment]
        needs = []
        for touchpoint, probability, when_closed in self.segment_steps[segment]:
            visit = self.routing() < probability
            service = self.service[touchpoint].transform(self.service_draw[touchpoint]())
            wait_limit = self.draw_patience(segment, mind, patience_draw)
            if visit:
                needs.append((touchpoint, service, wait_limit, when_closed))
        return needs

    def is_open(self, touchpoint: int, at: float) -> bool:
        """Whether ``touchpoint`` is open at minute ``at`` (self-service always is)."""
        if self.always_open[touchpoint]:
            return True
        hours = self.open_hours[touchpoint]
        return hours[int(at // MINUTES_PER_HOUR) % len(hours)]

    def draw_patience(self, segment: int, mind: object, draw) -> float:
        """A customer's patience at a queue from the segment's distribution, on ``draw``
        (a step's stream, or the redial stream: a redialling caller's patience is drawn
        afresh), adapted by their behaviour to the wait they expect; no limit if the
        segment has none."""
        patience = self.segment_patience[segment]
        if patience is None:
            return math.inf
        return self.behaviour.patience(mind, segment, patience.transform(draw()))

    def reopening_time(self, touchpoint: int, segment: int, now: float) -> float | None:
        """When a customer who found ``touchpoint`` closed comes back: within its next open
        period, at a time drawn from their segment's profile (not all at the opening
        minute); None if it never opens."""
        period = next_open_interval(self.open_hours[touchpoint], now)
        if period is None:
            return None
        return self.segment_profile[segment].draw(self.reopen_draw[touchpoint](), *period)

    def customer(
        self,
        customer_id: int,
        journey_id: int,
        segment: int,
        needs: list,
        mind: object,
        referred: bool,
        established: bool = False,
    ):
        """One customer: visit each step of a journey in turn, queueing where staffed;
        leave the journey on abandoning.  Then, if their behaviour brings them back,
        another journey (the same process, so a loyal customer costs no new one)."""
        env, visits, queues, journeys = self.env, self.visits, self.queues, self.journeys
        behaviour = self.behaviour
        contact, abandoned_score = behaviour.contact, behaviour.abandoned_score
        redial_delay = behaviour.redial_delay
        priority = self.segment_priority[segment]
        journey = self.segment_journey[segment]
        record_wait, record_outcome = visits.wait_min, visits.outcome
        record_service, record_score = visits.service_min, visits.score
        is_open = self.is_open
        callback_plan = self.callback_plan
        while True:
            scores: list[float] = []
            abandoned = turned_away = False
            for step, (touchpoint, service, patience, when_closed) in enumerate(needs):
                tries = redials = 0
                while True:
                    queue = queues[touchpoint]
                    if queue is not None and not is_open(touchpoint, env.now):
                        # Closed: nobody queues at a closed door.
                        journeys.found_closed[journey_id] += 1
                        if when_closed == SKIP:
                            break
                        if when_closed == NEXT_OPEN:
                            back = self.reopening_time(touchpoint, segment, env.now)
                            if back is not None:
                                yield env.timeout(back - env.now)
                                continue
                        turned_away = True
                        break
                    row = visits.open(
                        customer_id, segment, journey, touchpoint, step, env.now, journey_id
                    )
                    wait = felt_wait = 0.0
                    if queue is not None:
                        arrived = env.now
                        ticket = queue.request(priority)
                        if ticket is not None:
                            if patience < math.inf:
                                queue.abandon_after(ticket, patience)
                            served = yield ticket
                            wait = felt_wait = env.now - arrived
                            if not served:
                                record_wait[row] = wait
                                record_outcome[row] = ABANDONED
                                score = abandoned_score(mind, wait)
                                record_score[row] = score
                                scores.append(score)
                                delay = redial_delay(redials)
                                if delay is not None and is_open(touchpoint, env.now + delay):
                                    # calls again, with a fresh patience (Aguir et al. 2004)
                                    redials += 1
                                    yield env.timeout(delay)
                                    journeys.redials[journey_id] += 1
                                    patience = self.draw_patience(
                                        segment, mind, self.redial_patience_draw[segment]
                                    )
                                    continue
                                limit = (
                                    None
                                    if callback_plan is None
                                    else self.callback_limit(touchpoint, env.now)
                                )
                                reached = None
                                if limit is not None:  # the firm calls back
                                    reached = yield from self.callback(
                                        customer_id,
                                        segment,
                                        journey,
                                        touchpoint,
                                        step,
                                        journey_id,
                                        queue,
                                        priority,
                                        limit,
                                    )
                                if reached is None:
                                    abandoned = True
                                    break
                                row, wait = reached
                                # the delay was spent off the line: felt as a fraction of it
                                felt_wait = wait * callback_plan.delay_felt_share
                        queue.busy_minutes_today += service
                    record_wait[row] = wait
                    record_outcome[row] = IN_SERVICE
                    record_service[row] = service
                    score, resolved = contact(mind, row, touchpoint, felt_wait)
                    yield env.timeout(service)
                    record_outcome[row] = SERVED
                    record_score[row] = score
                    scores.append(score)
                    if queue is not None:
                        queue.release()
                    if resolved or not behaviour.tries_again(tries):
                        break
                    tries += 1
                    yield env.timeout(behaviour.retry_delay_min)
                    service = self.service[touchpoint].transform(self.service_draw[touchpoint]())
                if abandoned or turned_away:
                    break
            now = env.now
            journeys.end_min[journey_id] = now
            journeys.status[journey_id] = (
                LEFT_QUEUE if abandoned else TURNED_AWAY if turned_away else COMPLETED
            )
            decide_min = behaviour.journey_end(
                mind, journey_id, segment, scores, not (abandoned or turned_away), now
            )
            if decide_min is None:
                return
            yield env.timeout(decide_min - now)
            next_journey_min = behaviour.stays(mind, journey_id, env.now)
            if next_journey_min is None:
                return
            yield env.timeout(max(0.0, next_journey_min - env.now))  # may be the decision time
            now = env.now
            journey_id = journeys.open(customer_id, segment, journey, now, referred, established)
            needs = self.draw_needs(segment, mind)

    def callback(
        self,
        customer_id: int,
        segment: int,
        journey: int,
        touchpoint: int,
        step: int,
        journey_id: int,
        queue: StaffedQueue,
        priority: int,
        limit: float,
    ):
        """The firm calls back a caller who just hung up: a virtual queue the same agents
        serve, for at most ``limit`` minutes.  Gives (the callback's visit row, minutes
        since the hang-up) once an agent has them on the line, or None: not made in
        time, or nobody answered (the agent lets it ring, then moves on)."""
        env, visits = self.env, self.visits
        hung_up = env.now
        row = visits.open(customer_id, segment, journey, touchpoint, step, hung_up, journey_id)
        visits.callback[row] = True
        ticket = queue.request(
            self.callback_priority if self.callback_priority is not None else priority
        )
        if ticket is not None:
            queue.abandon_after(ticket, limit)
            if not (yield ticket):  # not made in time: dropped
                visits.wait_min[row] = env.now - hung_up
                visits.outcome[row] = ABANDONED
                return None
        if self.callback_reach() >= self.callback_plan.reach_probability:
            visits.wait_min[row] = env.now - hung_up
            visits.outcome[row] = ABANDONED
            yield env.timeout(CALLBACK_RING_MIN)
            queue.release()
            return None
        self.journeys.callbacks[journey_id] += 1
        return row, env.now - hung_up

    def roster(self):
        """Change staffing at each hour boundary for touchpoints with an hourly schedule."""
        schedules = [
            (queue, t.hourly_staff)
            for queue, t in zip(self.queues, self.scenario.touchpoints, strict=True)
            if queue is not None and isinstance(t.staff, tuple)
        ]
        if not schedules:
            return
        hour = 0
        while True:
            yield self.env.timeout(MINUTES_PER_HOUR)
            hour += 1
            for queue, staff in schedules:
                queue.set_servers(staff[hour % len(staff)])

    def run(self) -> Records:
        LeanProcess(self.arrivals())
        LeanProcess(self.roster())
        for process in self.behaviour.processes():
            LeanProcess(process)
        self.env.run(until=self.end_min)
        return Records(
            visits=self.visits,
            journeys=self.journeys,
            end_min=self.end_min,
            warmup_min=self.scenario.warmup_days * MINUTES_PER_DAY,
            daily=self.behaviour.daily,
            counters=self.behaviour.counters,
            base_customers=None
            if self.base_flows is None
            else {
                segment.name: flow.customers
                for segment, flow in zip(self.scenario.segments, self.base_flows, strict=True)
            },
        )


def run_model(scenario: Scenario, seed: int = 0) -> Records:
    """Simulate ``scenario`` once with ``seed`` and return the raw logs."""
    return _Run(scenario, seed).run()
