"""One module per lesson of the workbook: its dashboards and its exercise checkers.

A notebook stays thin by calling these, e.g.::

    from cxsim.lessons import response_time as lesson
    lesson.dashboard()                  # the live dashboard of the lesson
    lesson.check_staff_for_target(11)   # a trainee checks an exercise answer

Lesson modules sit on top of everything else (scenario, model, results,
experiments, plots, widgets); nothing in cxsim imports them.
"""

from __future__ import annotations

import pandas as pd

from ..i18n import _, localise_digits
from ..plots import MONEY_KPIS
from ..results import kpi_label

__all__ = ["check_answer", "in_millions"]


def in_millions(table: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """Money rows of a KPI table (rows labelled by ``kpi_label``) in million toman,
    rounded to ``digits``: easier to read than nine-digit amounts."""
    table = table.copy()
    money = {kpi_label(kpi) for kpi in MONEY_KPIS}
    renamed = {}
    for row in table.index:
        if row in money:
            table.loc[row] = (table.loc[row] / 1e6).round(digits)
            renamed[row] = _("{label} (million toman)", label=row)
    return table.rename(index=renamed)


def check_answer(given: float | str, expected: float | str, *, tolerance: float = 0.0,
                 hint: str = "", unit: str = "") -> bool:
    """Print whether a trainee's answer is right, with a hint when it is not.

    Numbers count as right within ``tolerance`` (absolute); text must match
    after trimming and ignoring case.

    >>> check_answer(11, 11)
    Correct: 11.
    True
    >>> check_answer(9, 11, hint="Try more agents.")
    Not yet: 9 is not the answer. Try more agents.
    False
    """
    if isinstance(expected, str):
        right = str(given).strip().lower() == expected.strip().lower()
    else:
        try:
            right = abs(float(given) - float(expected)) <= tolerance
        except (TypeError, ValueError):
            right = False
    shown = localise_digits(f"{given}{unit}")
    if right:
        print(_("Correct: {answer}.", answer=shown))
    else:
        print(" ".join(part for part in (_("Not yet: {answer} is not the answer.", answer=shown),
                                         hint) if part))
    return right
