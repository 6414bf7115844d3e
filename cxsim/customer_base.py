"""An established customer base at its steady state, without simulating its past.

A going concern (a bank) starts the run with customers who are between
contacts.  Each customer of a segment calls again after an exponential gap of
mean ``g`` days, so at any moment the time to a customer's next call is again
exponential with mean ``g`` (the gap is memoryless).  The first calls of the
run's ``N`` established customers are therefore a Poisson stream of rate
``N/g * exp(-t/g)``: nobody needs to be created until they call, so a base of
tens of thousands costs nothing until its customers appear.  After that first
call, each customer is an ordinary process (stay or leave, call again after a
gap).  New customers (``new_per_day``) replace those who leave, so under the
scenario's baseline the daily volume is level: at ``t = 0`` the base supplies
``N/g`` calls a day and newcomers ``new_per_day``, which together are the
segment's ``rate_per_hour x share x 24``; as the base's first calls thin out,
its returning customers take their place.

Policies start from the same base and drift from it: a gap between policies
that grows with the horizon is the policy's effect, not a warm-up artefact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .clock import DAYS_PER_YEAR

__all__ = ["SegmentFlows", "segment_flows", "base_first_calls", "arrival_weights"]


@dataclass(frozen=True)
class SegmentFlows:
    """One segment of an established base: its size and how its customers come."""

    customers: int
    new_per_day: float
    gap_days: float  # mean days between a customer's journeys

    @property
    def calls_per_customer_year(self) -> float:
        return DAYS_PER_YEAR / self.gap_days


def segment_flows(scenario) -> list[SegmentFlows]:
    """Each segment's base, newcomers and the mean gap between a customer's journeys.

    The gap follows from the base and the arrival rate: ``N`` customers making
    ``journeys a day - new a day`` journeys a day call every ``N / (that)`` days.

    >>> from cxsim import load_scenario
    >>> flows = segment_flows(load_scenario("contact_centre"))
    >>> [round(f.calls_per_customer_year, 1) for f in flows]  # doctest: +SKIP
    [4.2, 6.1]
    """
    flows = []
    for index, segment in enumerate(scenario.segments):
        base = segment.base
        returning_per_day = scenario.segment_journeys_per_day(index) - base.new_per_day
        flows.append(
            SegmentFlows(base.customers, base.new_per_day, base.customers / returning_per_day)
        )
    return flows


def base_first_calls(flow: SegmentFlows, day: int) -> float:
    """Expected first calls of the run on ``day`` by customers of the established base.

    >>> round(base_first_calls(SegmentFlows(1000, 0.0, 100.0), 0), 2)  # 1000 * (1 - e^-0.01)
    9.95
    """
    gap = flow.gap_days
    return flow.customers * (math.exp(-day / gap) - math.exp(-(day + 1) / gap))


def arrival_weights(flows: list[SegmentFlows], day: int) -> list[float]:
    """Expected first journeys on ``day``: newcomers of each segment, then the base's
    customers of each segment (the order a routing draw picks from)."""
    return [flow.new_per_day for flow in flows] + [base_first_calls(flow, day) for flow in flows]
