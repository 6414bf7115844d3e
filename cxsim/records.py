"""The event log: fixed columns appended into plain lists during a run.

The model never touches pandas.  It appends one row per touchpoint visit
and one per customer into column buffers (fast inside the event loop), and
fills in a visit's wait and service when they become known.  ``to_frame``
turns the buffers into typed DataFrames once, after the run.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["VisitLog", "CustomerLog", "OUTCOMES", "CUSTOMER_OUTCOMES"]

# Visit outcomes, stored as small integers during the run.
WAITING, IN_SERVICE, SERVED, ABANDONED = 0, 1, 2, 3
OUTCOMES = ("waiting", "in_service", "served", "abandoned")
# Customer (journey) outcomes.
IN_JOURNEY, COMPLETED, LEFT_QUEUE = 0, 1, 2
CUSTOMER_OUTCOMES = ("open", "completed", "abandoned")

NAN = math.nan


class VisitLog:
    """One row per touchpoint visit."""

    def __init__(self) -> None:
        self.customer_id: list[int] = []
        self.segment: list[int] = []
        self.journey: list[int] = []
        self.touchpoint: list[int] = []
        self.step: list[int] = []
        self.arrival_min: list[float] = []
        self.wait_min: list[float] = []
        self.service_min: list[float] = []
        self.outcome: list[int] = []

    def __len__(self) -> int:
        return len(self.customer_id)

    def open(self, customer_id: int, segment: int, journey: int, touchpoint: int, step: int,
             now: float) -> int:
        """Start a visit; returns its row index for the updates that follow."""
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

    def to_frame(self, segments: list[str], journeys: list[str], touchpoints: list[str],
                 end_min: float) -> pd.DataFrame:
        """The visits as a DataFrame; visits still open at ``end_min`` keep their wait so far."""
        arrival = np.asarray(self.arrival_min, dtype=float)
        wait = np.asarray(self.wait_min, dtype=float)
        outcome = np.asarray(self.outcome, dtype=np.int8)
        still_waiting = outcome == WAITING
        wait[still_waiting] = end_min - arrival[still_waiting]
        frame = pd.DataFrame(
            {
                "customer_id": np.asarray(self.customer_id, dtype=np.int64),
                "segment": _categorical(self.segment, segments),
                "journey": _categorical(self.journey, journeys),
                "touchpoint": _categorical(self.touchpoint, touchpoints),
                "step": np.asarray(self.step, dtype=np.int16),
                "arrival_min": arrival,
                "wait_min": wait,
                "service_min": np.asarray(self.service_min, dtype=float),
                "outcome": pd.Categorical.from_codes(outcome, categories=list(OUTCOMES)),
            }
        )
        frame["abandoned"] = outcome == ABANDONED
        frame["served"] = outcome == SERVED
        return frame


class CustomerLog:
    """One row per customer who arrived."""

    def __init__(self) -> None:
        self.segment: list[int] = []
        self.journey: list[int] = []
        self.arrival_min: list[float] = []
        self.end_min: list[float] = []
        self.outcome: list[int] = []

    def __len__(self) -> int:
        return len(self.segment)

    def open(self, segment: int, journey: int, now: float) -> int:
        self.segment.append(segment)
        self.journey.append(journey)
        self.arrival_min.append(now)
        self.end_min.append(NAN)
        self.outcome.append(IN_JOURNEY)
        return len(self.segment) - 1

    def to_frame(self, segments: list[str], journeys: list[str]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "customer_id": np.arange(len(self.segment), dtype=np.int64),
                "segment": _categorical(self.segment, segments),
                "journey": _categorical(self.journey, journeys),
                "arrival_min": np.asarray(self.arrival_min, dtype=float),
                "end_min": np.asarray(self.end_min, dtype=float),
                "outcome": pd.Categorical.from_codes(
                    np.asarray(self.outcome, dtype=np.int8), categories=list(CUSTOMER_OUTCOMES)
                ),
            }
        )


def _categorical(codes: list[int], names: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int32), categories=names)
