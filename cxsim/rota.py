"""Staffing levers on a rota, with one meaning in every lesson.

"Two extra agents" means two more people at every hour the touchpoint is open,
in every lesson, dashboard and policy.  A lever never closes a line by
accident: an open hour keeps at least one person, and a closed hour (0 staff,
a shop at night) stays closed.  To staff hour by hour, set the rota itself
(``touchpoints.<name>.staff``: 24 numbers, or a week of them).

>>> shift_rota([0, 1, 3], 1), shift_rota([0, 1, 3], -2), scale_rota([0, 2, 3], 1.5)
([0, 2, 4], [0, 1, 1], [0, 3, 5])
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["shift_rota", "scale_rota"]


def shift_rota(rota: Sequence[int], extra: int) -> list[int]:
    """``extra`` people more (or, if negative, fewer) at every open hour; open hours keep
    at least one, closed hours stay closed."""
    return [max(1, int(staff) + int(extra)) if staff > 0 else 0 for staff in rota]


def scale_rota(rota: Sequence[int], factor: float) -> list[int]:
    """Every open hour's staff times ``factor``, rounded to whole people (at least one);
    closed hours stay closed."""
    return [max(1, math.floor(staff * factor + 0.5)) if staff > 0 else 0 for staff in rota]
