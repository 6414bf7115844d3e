"""One module per lesson of the workbook: its dashboards and its exercise checkers.

A notebook stays thin by calling these, e.g.::

    from cxsim.lessons import response_time as lesson
    lesson.dashboard()                  # the live dashboard of the lesson
    lesson.check_staff_for_target(11)   # a trainee checks an exercise answer

Lesson modules sit on top of everything else (scenario, model, results,
experiments, plots, widgets); nothing in cxsim imports them.

The lessons themselves (ids, titles, minutes, their module, dashboard and exercises,
their notebooks) are declared once in :mod:`cxsim.lessons.registry`, from which
``scripts/make_notebook.py`` builds the notebooks and the lesson tables
(``docs/adding-a-lesson.md``).
"""

from __future__ import annotations

import pandas as pd

from ..i18n import Text, _, localise_digits
from ..plots import MONEY_KPIS

__all__ = ["Verdict", "check_answer", "in_millions"]


def in_millions(table: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """Money rows of a KPI table (rows named by their KPI, as
    :func:`cxsim.widgets.kpi_frame` gives) in million toman, rounded to ``digits``:
    easier to read than nine-digit amounts.  A row keeps its name and is shown as
    "Profit (million toman)" (:mod:`cxsim.formatting`)."""
    table = table.copy()
    kinds = dict(table.attrs.get("kinds", {}))
    for row in table.index:
        if row in MONEY_KPIS:
            table.loc[row] = (table.loc[row] / 1e6).round(digits)
            kinds[row] = "millions"
    table.attrs["kinds"] = kinds
    return table


class Verdict:
    """The result of an exercise check: true when the answer is right.

    In a notebook it shows its message once, in a box whose colour says right
    (green) or not yet (amber), instead of a printed line followed by a bare
    ``True`` or ``False``.  In code it is a truth value: ``if check(...)``.
    """

    __slots__ = ("right", "message")

    def __init__(self, right: bool, message: str):
        self.right = bool(right)
        self.message = message

    def __bool__(self) -> bool:
        return self.right

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        colour = "#2e7d32" if self.right else "#b26a00"
        return Text(self.message).as_html(
            "cxsim-verdict",
            style=f"border-inline-start: 4px solid {colour}; padding: 4px 10px; margin: 2px 0",
        )


def check_answer(
    given: float | str,
    expected: float | str,
    *,
    tolerance: float = 0.0,
    hint: str = "",
    unit: str = "",
    context: str = "",
) -> Verdict:
    """Whether a trainee's answer is right, with a hint when it is not.

    Numbers count as right within ``tolerance`` (absolute); text must match
    after trimming and ignoring case.  ``context`` (say, what the answer gives
    in the simulation) is shown on a line before the verdict.

    >>> check_answer(11, 11)
    Correct: 11.
    >>> verdict = check_answer(9, 11, hint="Try more agents.")
    >>> verdict
    Not yet: 9 is not the answer. Try more agents.
    >>> bool(verdict)
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
        line = _("Correct: {answer}.", answer=shown)
    else:
        line = " ".join(
            part for part in (_("Not yet: {answer} is not the answer.", answer=shown), hint) if part
        )
    return Verdict(right, f"{context}\n{line}" if context else line)
