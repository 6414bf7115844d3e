"""The event log: fixed columns appended into plain lists during a run.

The model never touches pandas.  It appends one row per touchpoint visit
and one per customer into column buffers (fast inside the event loop), and
fills in a visit's wait and service when they become known.  ``to_frame``
turns the buffers into typed DataFrames once, after the run.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .behaviour import recommend_scores

__all__ = ["Records", "VisitLog", "JourneyLog", "OUTCOMES", "CUSTOMER_OUTCOMES", "RETURN_OUTCOMES"]

# Visit outcomes, stored as small integers during the run.
WAITING, IN_SERVICE, SERVED, ABANDONED = 0, 1, 2, 3
OUTCOMES = ("waiting", "in_service", "served", "abandoned")
# Customer (journey) outcomes.
# TURNED_AWAY: the journey reached a closed touchpoint whose step says ``when_closed: leave``.
IN_JOURNEY, COMPLETED, LEFT_QUEUE, TURNED_AWAY = 0, 1, 2, 3
CUSTOMER_OUTCOMES = ("open", "completed", "abandoned", "turned_away")
# What a customer did after a journey (behaviour only): stayed, left, or the run
# ended before they decided.  NOT_MODELLED without behaviour.
RETURN, LEAVE, UNDECIDED, NOT_MODELLED = 0, 1, 2, 9
RETURN_OUTCOMES = ("return", "leave", "open")

NAN = math.nan


class VisitLog:
    """One row per touchpoint visit.

    Columns are typed arrays (8 bytes a value, not a Python object each), so a run
    of a million visits stays well within memory.
    """

    def __init__(self) -> None:
        self.customer_id = array("q")
        self.segment = array("q")
        self.journey = array("q")
        self.touchpoint = array("q")
        self.step = array("q")
        self.arrival_min = array("d")
        self.wait_min = array("d")
        self.service_min = array("d")
        self.outcome = array("q")
        self.journey_id = array("q")
        self.score = array("d")
        self.score_without_morale = array("d")
        self.courtesy = array("d")
        self.callback = array("b")

    def __len__(self) -> int:
        return len(self.customer_id)

    def open(
        self,
        customer_id: int,
        segment: int,
        journey: int,
        touchpoint: int,
        step: int,
        now: float,
        journey_id: int,
    ) -> int:
        """Start a visit; returns its row index for the updates that follow."""
        self.journey_id.append(journey_id)
        self.score.append(NAN)
        self.score_without_morale.append(NAN)
        self.courtesy.append(NAN)
        self.callback.append(False)
        self.customer_id.append(customer_id)
        self.segment.append(segment)
        self.journey.append(journey)
        self.touchpoint.append(touchpoint)
        self.step.append(step)
        self.arrival_min.append(now)
        self.wait_min.append(NAN)
        self.service_min.append(NAN)
        self.outcome.append(WAITING)
        return len(self.customer_id) - 1

    def to_frame(
        self, segments: list[str], journeys: list[str], touchpoints: list[str], end_min: float
    ) -> pd.DataFrame:
        """The visits as a DataFrame; visits still open at ``end_min`` keep their wait so far."""
        arrival = np.array(self.arrival_min, dtype=float)
        wait = np.array(self.wait_min, dtype=float)
        outcome = np.array(self.outcome, dtype=np.int8)
        still_waiting = outcome == WAITING
        wait[still_waiting] = end_min - arrival[still_waiting]
        frame = pd.DataFrame(
            {
                "customer_id": np.array(self.customer_id, dtype=np.int64),
                "journey_id": np.array(self.journey_id, dtype=np.int64),
                "segment": _categorical(self.segment, segments),
                "journey": _categorical(self.journey, journeys),
                "touchpoint": _categorical(self.touchpoint, touchpoints),
                "step": np.array(self.step, dtype=np.int16),
                "arrival_min": arrival,
                "wait_min": wait,
                "service_min": np.array(self.service_min, dtype=float),
                "outcome": pd.Categorical.from_codes(outcome, categories=list(OUTCOMES)),
            }
        )
        frame["abandoned"] = outcome == ABANDONED
        frame["served"] = outcome == SERVED
        frame["score"] = np.array(self.score, dtype=float)
        # an in-house staffed contact's score had staff morale been at its reference level
        # (the same customer, wait, resolution and agent's day): morale's effect, measured
        frame["score_without_morale"] = np.array(self.score_without_morale, dtype=float)
        frame["courtesy"] = np.array(self.courtesy, dtype=float)
        # the firm calling back a customer who hung up (arrival: the hang-up; wait: until
        # the agent called; abandoned: dropped, not made in time)
        frame["callback"] = np.array(self.callback, dtype=bool)
        return frame


class JourneyLog:
    """One row per journey: a customer's trip through the touchpoints of one purchase.

    Without behaviour every customer makes one journey; with behaviour a
    customer who stays comes back for more, so one customer has many rows.
    """

    def __init__(self) -> None:
        self.customer_id = array("q")
        self.segment = array("q")
        self.journey = array("q")
        self.start_min = array("d")
        self.end_min = array("d")
        self.status = array("q")
        self.memory_score = array("d")
        self.experienced_score = array("d")
        self.followed_up = array("b")
        self.outcome = array("q")
        self.decided_min = array("d")
        self.revenue = array("d")
        self.referred = array("b")
        self.established = array("b")
        self.found_closed = array("q")
        self.redials = array("q")
        self.callbacks = array("q")
        self.follow_up_min = array("d")

    def __len__(self) -> int:
        return len(self.customer_id)

    def open(
        self,
        customer_id: int,
        segment: int,
        journey: int,
        now: float,
        referred: bool = False,
        established: bool = False,
    ) -> int:
        self.customer_id.append(customer_id)
        self.segment.append(segment)
        self.journey.append(journey)
        self.start_min.append(now)
        self.end_min.append(NAN)
        self.status.append(IN_JOURNEY)
        self.memory_score.append(NAN)
        self.experienced_score.append(NAN)
        self.followed_up.append(False)
        self.outcome.append(NOT_MODELLED)
        self.decided_min.append(NAN)
        self.revenue.append(0.0)
        self.referred.append(referred)
        self.established.append(established)
        self.found_closed.append(0)
        self.redials.append(0)
        self.callbacks.append(0)
        self.follow_up_min.append(NAN)
        return len(self.customer_id) - 1

    def to_frame(
        self, segments: list[str], journeys: list[str], bad_memory_below: float
    ) -> pd.DataFrame:
        memory = np.array(self.memory_score, dtype=float)
        outcome = np.array(self.outcome, dtype=np.int8)
        frame = pd.DataFrame(
            {
                "journey_id": np.arange(len(self.customer_id), dtype=np.int64),
                "customer_id": np.array(self.customer_id, dtype=np.int64),
                "segment": _categorical(self.segment, segments),
                "journey": _categorical(self.journey, journeys),
                "start_min": np.array(self.start_min, dtype=float),
                "end_min": np.array(self.end_min, dtype=float),
                "status": pd.Categorical.from_codes(
                    np.array(self.status, dtype=np.int8), categories=list(CUSTOMER_OUTCOMES)
                ),
                "experienced_score": np.array(self.experienced_score, dtype=float),
                "memory_score": memory,
                "recommend": recommend_scores(memory),
                "bad": memory < bad_memory_below,
                "followed_up": np.array(self.followed_up, dtype=bool),
                "outcome": pd.Categorical.from_codes(
                    np.where(outcome == NOT_MODELLED, -1, outcome), categories=list(RETURN_OUTCOMES)
                ),
                "decided_min": np.array(self.decided_min, dtype=float),
                "revenue": np.array(self.revenue, dtype=float),
                "referred": np.array(self.referred, dtype=bool),
                # a customer of the established base (a customer before the run began)
                "established": np.array(self.established, dtype=bool),
                # times this journey found a touchpoint closed (and came back, skipped or left)
                "found_closed": np.array(self.found_closed, dtype=np.int64),
                # times the customer hung up and called again in this journey
                "redials": np.array(self.redials, dtype=np.int64),
                # times the firm called the customer back after a hang-up, and reached them
                "callbacks": np.array(self.callbacks, dtype=np.int64),
                "follow_up_min": np.array(self.follow_up_min, dtype=float),
            }
        )
        return frame


@dataclass
class Records:
    """What one run produced: the logs plus what is needed to read them."""

    visits: VisitLog
    journeys: JourneyLog
    end_min: float
    warmup_min: float
    daily: dict[str, list] | None = None
    counters: dict[str, int] | None = None
    # customer_base: established: each segment's customers when the run began
    base_customers: dict[str, int] | None = None


def _categorical(codes: list[int], names: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int32), categories=names)
