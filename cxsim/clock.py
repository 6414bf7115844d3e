"""Times of day and of the week: when a contact can happen, and when a place is open.

The run's clock counts minutes from midnight of day 0 (a Saturday when a
scenario has a weekly pattern).  Demand is shaped by an hourly profile (24
multipliers) and optionally a weekly one (7); staffing by a rota.  This module
turns those shapes into times:

* :class:`Profile` draws a time within an interval with density proportional
  to the profile, constant within each hour: a customer who comes back "in
  about two weeks" calls at a time of day people call, not at 3 am;
* :func:`open_periods` finds when a staffed touchpoint is open (staff above 0).

>>> profile = Profile([0.0] * 8 + [1.0] * 8 + [0.0] * 8)   # demand 08:00-16:00 only
>>> 8 * 60 <= profile.draw(0.5, 0.0, 1440.0) < 16 * 60
True
>>> profile.draw(0.0, 0.0, 1440.0) / 60, profile.draw(0.5, 0.0, 1440.0) / 60
(8.0, 12.0)
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence

__all__ = [
    "Profile",
    "open_periods",
    "next_open_interval",
    "DAYS_PER_WEEK",
    "DAYS_PER_YEAR",
    "HOURS_PER_DAY",
    "HOURS_PER_WEEK",
    "MINUTES_PER_DAY",
    "MINUTES_PER_HOUR",
]

MINUTES_PER_HOUR = 60.0
MINUTES_PER_DAY = 1440.0
HOURS_PER_DAY = 24
DAYS_PER_WEEK = 7
DAYS_PER_YEAR = 365.0
HOURS_PER_WEEK = HOURS_PER_DAY * DAYS_PER_WEEK


class Profile:
    """Relative demand hour by hour, repeating every day (24 values) or week (168).

    Times are drawn by inverting the cumulative weight, which is piecewise linear
    (constant weight within each hour): a bisection over the cycle's prefix sums, so a
    draw costs the same for an interval of an hour or of a month.
    """

    def __init__(self, weights: Sequence[float]):
        if len(weights) not in (HOURS_PER_DAY, HOURS_PER_WEEK):
            raise ValueError(f"a profile has 24 or 168 hourly weights, got {len(weights)}")
        self.weights = tuple(float(w) for w in weights)
        self.period = len(self.weights)
        prefix = [0.0]
        for weight in self.weights:
            prefix.append(prefix[-1] + weight)
        self._prefix = prefix
        self._total = prefix[-1]

    @classmethod
    def combine(
        cls, hourly: Sequence[float] | None, weekly: Sequence[float] | None = None
    ) -> Profile:
        """An hour-of-day profile times a day-of-week one (either may be absent: flat)."""
        hourly = tuple(hourly) if hourly is not None else (1.0,) * HOURS_PER_DAY
        if weekly is None:
            return cls(hourly)
        return cls(
            [hourly[h % HOURS_PER_DAY] * weekly[h // HOURS_PER_DAY] for h in range(HOURS_PER_WEEK)]
        )

    def cumulative(self, t_min: float) -> float:
        """Weight-hours from the start of the run to ``t_min``."""
        hour = int(t_min // MINUTES_PER_HOUR)
        cycles, h = divmod(hour, self.period)
        return (
            cycles * self._total
            + self._prefix[h]
            + self.weights[h] * (t_min - hour * MINUTES_PER_HOUR) / MINUTES_PER_HOUR
        )

    def at_cumulative(self, c: float) -> float:
        """The time (minutes) at which the cumulative weight reaches ``c``."""
        cycles = int(c // self._total)
        rest = c - cycles * self._total
        h = bisect_right(self._prefix, rest) - 1
        if h >= self.period:  # exactly at the end of a cycle
            cycles, rest, h = cycles + 1, 0.0, bisect_right(self._prefix, 0.0) - 1
        return (
            (cycles * self.period + h) + (rest - self._prefix[h]) / self.weights[h]
        ) * MINUTES_PER_HOUR

    def draw(self, u: float, start_min: float, end_min: float) -> float:
        """A time in [start_min, end_min) by inverting the profile's cumulative weight at u.

        ``u`` is uniform on [0, 1).  An interval whose hours all weigh 0 gives a
        time uniform within it (the caller chose the interval; it is not empty).
        """
        low, high = self.cumulative(start_min), self.cumulative(end_min)
        if high <= low:
            return start_min + u * (end_min - start_min)
        t = self.at_cumulative(low + u * (high - low))
        return min(max(t, start_min), math.nextafter(end_min, start_min))

    def draw_in_day(self, u: float, day: int) -> float | None:
        """A time anywhere on ``day`` (the same as ``draw`` over the whole day, done in
        one bisection: the draw every returning customer needs); None if the day has no
        demand."""
        prefix = self._prefix
        first = day % (self.period // HOURS_PER_DAY) * HOURS_PER_DAY
        total = prefix[first + HOURS_PER_DAY] - prefix[first]
        if total <= 0:
            return None
        target = prefix[first] + u * total
        h = bisect_right(prefix, target, first, first + HOURS_PER_DAY) - 1
        return (
            day * HOURS_PER_DAY + h - first + (target - prefix[h]) / self.weights[h]
        ) * MINUTES_PER_HOUR

    def draw_on_day(self, u: float, not_before_min: float, day: int) -> float | None:
        """A time on ``day``, not before ``not_before_min``; None if that leaves no demand."""
        if not_before_min <= day * MINUTES_PER_DAY:
            return self.draw_in_day(u, day)
        start = not_before_min
        end = (day + 1) * MINUTES_PER_DAY
        if start >= end or self.cumulative(end) <= self.cumulative(start):
            return None
        return self.draw(u, start, end)


def open_periods(staff_by_hour: Sequence[int]) -> tuple[bool, ...]:
    """Whether each hour of a rota's cycle (24 or 168 hours) is open: staff above 0.

    >>> open_periods([0] * 8 + [2] * 14 + [0] * 2)[7:9]
    (False, True)
    """
    return tuple(staff > 0 for staff in staff_by_hour)


def next_open_interval(is_open: Sequence[bool], now_min: float) -> tuple[float, float] | None:
    """The next open period of a touchpoint closed at ``now_min``: (start, end) in minutes.

    ``is_open`` gives each hour of the rota's cycle.  None if it never opens.

    >>> hours = [False] * 8 + [True] * 14 + [False] * 2
    >>> [t / 60 for t in next_open_interval(hours, 23 * 60.0)]
    [32.0, 46.0]
    """
    period = len(is_open)
    if not any(is_open):
        return None
    hour = int(now_min // MINUTES_PER_HOUR) + 1
    while not is_open[hour % period]:
        hour += 1
    start = hour
    while is_open[hour % period] and hour - start < period:
        hour += 1
    return start * MINUTES_PER_HOUR, hour * MINUTES_PER_HOUR
