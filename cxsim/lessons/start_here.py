"""Lesson 00, start here: the first exercise, reading a KPI table.

>>> check_abandonment_rise(11.4)
Correct: 11.4 points.
"""

from __future__ import annotations

from ..i18n import _
from ..simulation import simulate
from . import Verdict, check_answer

__all__ = ["abandonment_rise", "check_abandonment_rise"]


def abandonment_rise(seed: int = 1) -> float:
    """How many percentage points more callers hang up under ``lean`` than under the
    baseline rota of ``contact_centre`` (same seed, four weeks)."""
    baseline = simulate("contact_centre", seed=seed).kpis()["abandonment_rate"]
    lean = simulate("contact_centre", policy="lean", seed=seed).kpis()["abandonment_rate"]
    return 100 * (lean - baseline)


def check_abandonment_rise(answer: float, *, seed: int = 1) -> Verdict:
    """Exercise: read the rise in the abandonment rate (in points) from the policy table."""
    return check_answer(
        answer,
        round(abandonment_rise(seed), 1),
        tolerance=0.15,
        unit=_(" points"),
        hint=_(
            "Subtract the baseline's abandonment rate from lean's, "
            "in percentage points (e.g. 20.0% - 15.0% = 5.0)."
        ),
    )
