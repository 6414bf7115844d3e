"""The one formatter: every number and table a person reads, in either language.

Tables in the lessons are ordinary DataFrames of numbers, labelled for reading; they stay
data a lesson computes with.  Only how they are *shown* goes through here: a notebook
displays every DataFrame and Series with :func:`table_html` (and :func:`table_text` as
its plain text), a dashboard renders its table with the same function, the command line
and the class standings write single values with :func:`format_value`.

How a value is written depends on its *kind* (:mod:`cxsim.kpis`):

* ``share``: percent, ``83.1%`` (a difference of shares: ``+1.5%``);
* ``count``: a whole number with thousands separators, ``8,660``;
* ``money``: whole toman with separators, ``1,752,000,000``; ``millions``: an amount
  already in millions (the row or column says so), ``5,527.6``;
* ``nps``: points with their sign, ``+6.4``;
* ``number``: the decimals the table was rounded to (at most three), never scientific
  notation.

A cell's kind comes from its row or its column: a KPI's machine name (``service_level``)
or its label in the current language ("Service level (answered within target)"), a
label ending in "(million toman)", or ``table.attrs["kinds"]`` (label -> kind) for the
rest; ``table.attrs["row_kinds"]`` gives every row's kind at once (a table whose KPI is
a column), ``table.attrs["column_kinds"]`` columns whose kind no row overrides (the
number of runs).  A column labelled "difference" is written with its sign.

In Persian the digits are Persian (``۸۳٫۱٪``, ``۸٬۶۶۰``) and a minus sign is U+2212
after a left-to-right mark, as CLDR writes it for ``fa``, so that ``‎−۲۱۰٫۴`` keeps its
sign on the left inside right-to-left text; labels that are bundled names (policies,
touchpoints) or KPI names are translated, True/False read yes/no and a missing value
"-".

>>> format_value(0.8312, "share"), format_value(8660.4, "count")
('83.1%', '8,660')
>>> format_value(-210.4, "millions"), format_value(6.43, "nps")
('-210.4', '+6.4')
>>> format_value(2.5e-05, "number"), format_value(None)
('0', '-')
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from typing import Any, Literal

from . import i18n
from .i18n import _, localise_digits, text_direction, translate_name
from .kpis import KPI_LABELS, KPIS

__all__ = [
    "MINUS",
    "MISSING",
    "Kind",
    "decimals_of",
    "format_value",
    "kind_of",
    "minus_sign",
    "show_tables_formatted",
    "table_html",
    "table_strings",
    "table_text",
]

Kind = Literal["share", "count", "money", "millions", "nps", "number"]
#: The minus sign of typeset numbers (U+2212); in right-to-left text it follows a
#: left-to-right mark (U+200E), CLDR's minus sign for Persian.
MINUS = "\u2212"
_LRM = "\u200e"  # i18n.PERSIAN_MINUS is this mark and MINUS
#: Shown for a missing value (None, NaN).
MISSING = "-"
# The most decimals a plain number is shown with: more is noise to a reader.
_MAX_DECIMALS = 3


def minus_sign() -> str:
    """The minus sign of the current language: ``-`` in English; in Persian U+2212 after
    a left-to-right mark, so that it stays on the left of the number in right-to-left
    text."""
    return i18n.PERSIAN_MINUS if text_direction() == "rtl" else "-"


def _signed(text: str, negative: bool, plus: bool) -> str:
    if negative:
        return minus_sign() + text
    if plus:
        return (_LRM + "+" if text_direction() == "rtl" else "+") + text
    return text


def decimals_of(value: float, most: int = _MAX_DECIMALS) -> int:
    """The fewest decimals (at most ``most``) that write ``value`` as it was rounded.

    >>> decimals_of(0.25), decimals_of(2207.6), decimals_of(3.0), decimals_of(1 / 3)
    (2, 1, 0, 3)
    """
    for decimals in range(most + 1):
        if math.isclose(round(value, decimals), value, rel_tol=0, abs_tol=1e-9):
            return decimals
    return most


def format_value(
    value: Any,
    kind: Kind = "number",
    *,
    decimals: int | None = None,
    signed: bool = False,
) -> str:
    """One value written as the current language reads it (see the module docstring).

    ``decimals`` fixes the decimals (of the percent, for a share) instead of the
    kind's own; ``signed`` writes a plus sign on positive values (a difference).
    """
    if value is None or isinstance(value, str):
        return MISSING if value is None else localise_digits(translate_name(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if not isinstance(value, numbers.Real):
        return str(value)
    number = float(value)
    if math.isnan(number):
        return MISSING
    if math.isinf(number):
        return _signed("∞", number < 0, signed)
    suffix = ""
    if kind == "share":
        number *= 100
        suffix = "%"
        places = 1 if decimals is None else decimals
    elif kind in ("count", "money"):
        places = 0 if decimals is None else decimals
    elif kind == "nps":
        places = 1 if decimals is None else decimals
        signed = True
    else:
        places = decimals_of(number) if decimals is None else decimals
        if decimals is None and round(number, places) == 0:
            places = 0  # a number too small to show is 0, not 0.000
    text = f"{abs(number):,.{places}f}"
    negative = number < 0 and any(digit not in "0.," for digit in text)
    return localise_digits(_signed(text + suffix, negative, signed and number > 0))


# --------------------------------------------------------------------------- kinds
_MILLIONS = re.compile(r"\(million toman\)$")


def _label_kinds() -> dict[str, Kind]:
    """Label in the current language -> kind, for tables labelled for reading."""
    language = i18n.get_language()
    if language not in _KINDS_BY_LABEL:
        _KINDS_BY_LABEL[language] = {
            _(label): KPIS[name].kind for name, label in KPI_LABELS.items()
        }
    return _KINDS_BY_LABEL[language]


_KINDS_BY_LABEL: dict[str, dict[str, Kind]] = {}


def kind_of(label: Any, explicit: Mapping[Any, str] | None = None) -> Kind | None:
    """The kind a row or column label says its values are, or None if it says nothing.

    >>> kind_of("service_level"), kind_of("Profit (million toman)"), kind_of("lanes")
    ('share', 'millions', None)
    """
    if explicit and label in explicit:
        return explicit[label]  # type: ignore[return-value]
    if isinstance(label, tuple):  # a row of a MultiIndex: the part that names a kind
        kinds = [kind_of(part, explicit) for part in label]
        return next((kind for kind in reversed(kinds) if kind is not None), None)
    if not isinstance(label, str):
        return None
    if label in KPIS:
        return KPIS[label].kind
    kinds = _label_kinds()
    if label in kinds:
        return kinds[label]
    # the unit as lessons write it after a label (cxsim.lessons.in_millions)
    in_millions = _("{label} (million toman)", label="").strip()
    if _MILLIONS.search(label) or label.endswith(in_millions):
        return "millions"
    return None


def _says_millions(name: Any) -> bool:
    """Whether a table's index or column name says its money is in millions."""
    return isinstance(name, str) and (
        name in ("million toman", _("million toman")) or kind_of(name) == "millions"
    )


def _is_difference(label: Any) -> bool:
    return isinstance(label, str) and label in (_("difference"), "difference")


# --------------------------------------------------------------------------- tables
def _label(value: Any, kind: Kind | None = None) -> str:
    """A row or column label as a reader reads it: a KPI's name as its label (with the
    unit when its amounts are in millions), a bundled name translated."""
    if isinstance(value, tuple):
        return " · ".join(_label(part, kind) for part in value)
    if isinstance(value, str):
        if value in KPI_LABELS:
            label = _(KPI_LABELS[value])
            return _("{label} (million toman)", label=label) if kind == "millions" else label
        return localise_digits(translate_name(value))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return format_value(value)
    return localise_digits(str(value))


def _line_decimals(values: list[Any]) -> int | None:
    """The decimals a line of plain numbers (a row or column) is shown with: as many as
    its most precise value needs, so the line reads evenly, at most three."""
    reals = [
        float(value)
        for value in values
        if isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    ]
    return max((decimals_of(value) for value in reals), default=None)


def table_strings(table: Any) -> Any:
    """A DataFrame (or Series) of strings: every value written by :func:`format_value`
    with the kind its row or column gives, labels translated.  For showing only.

    A row's kind wins over its column's.  Numbers of no kind are counts when they are
    integers, else plain numbers; plain numbers and amounts in millions take the
    decimals their line (the row that gives the kind, else the column) needs.
    """
    import pandas as pd  # a notebook has it loaded; cxsim's import stays light

    if isinstance(table, pd.Series):
        table = table.to_frame(name="" if table.name is None else table.name)
    explicit = dict(table.attrs.get("kinds", {}))
    row_kinds = list(table.attrs.get("row_kinds", ())) or [
        kind_of(label, explicit) for label in table.index
    ]
    column_kinds = [kind_of(label, explicit) for label in table.columns]
    if _says_millions(table.index.name) or _says_millions(table.columns.name):
        # the table's corner says its money is in millions ("million toman")
        row_kinds = ["millions" if kind == "money" else kind for kind in row_kinds]
        column_kinds = ["millions" if kind == "money" else kind for kind in column_kinds]
    values = table.to_numpy(dtype=object)
    n_rows, n_columns = values.shape
    # a column that says what it holds whatever the row (runs, a count) wins
    fixed = [table.attrs.get("column_kinds", {}).get(label) for label in table.columns]
    kinds = [
        [fixed[j] or row_kinds[i] or column_kinds[j] for j in range(n_columns)]
        for i in range(n_rows)
    ]
    # the line whose decimals a cell shares: its row if the row gives the kind
    lines: dict[tuple[str, int], list[Any]] = {}
    for i in range(n_rows):
        for j in range(n_columns):
            if kinds[i][j] in (None, "number", "millions"):
                lines.setdefault(_line(kinds[i][j], row_kinds[i], i, j), []).append(values[i, j])
    decimals = {key: _line_decimals(line) for key, line in lines.items()}
    shown: dict[int, list[str]] = {}
    for j, column in enumerate(table.columns):
        signed = _is_difference(column)
        cells = []
        for i in range(n_rows):
            value, kind = values[i, j], kinds[i][j]
            places = None
            if kind in (None, "number", "millions"):
                if kind is None and isinstance(value, numbers.Integral):
                    kind = "count"
                else:
                    kind = kind or "number"
                    places = decimals[_line(kinds[i][j], row_kinds[i], i, j)]
            cells.append(format_value(value, kind, decimals=places, signed=signed))
        shown[j] = cells
    frame = pd.DataFrame(shown, index=range(n_rows))
    frame.columns = _labelled(table.columns, column_kinds)
    frame.index = _labelled(table.index, row_kinds)
    return frame


def _labelled(index: Any, kinds: list[Kind | None]) -> Any:
    """An index (or a MultiIndex, each level's part labelled) for reading."""
    import pandas as pd

    names = [None if name is None else _label(name) for name in index.names]
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(
            [
                tuple(_label(part, kind) for part in label)
                for label, kind in zip(index, kinds, strict=True)
            ],
            names=names,
        )
    labels = [_label(label, kind) for label, kind in zip(index, kinds, strict=True)]
    return pd.Index(labels, name=names[0])


def _line(kind: Kind | None, row_kind: Kind | None, i: int, j: int) -> tuple[Any, ...]:
    """Which cells share their decimals: all amounts in millions of a table (so the books
    read evenly), else the row that gives the kind, else the column."""
    if kind == "millions":
        return ("millions",)
    return ("row", i) if row_kind else ("column", j)


def table_html(table: Any, css_class: str = "") -> str:
    """A DataFrame or Series as HTML for a reader of the current language: formatted
    by :func:`table_strings`, right to left in a right-to-left language (first column
    on the right, numbers kept whole by isolation); ``css_class`` is added to the
    table's classes (a dashboard's ``cxsim-kpis``)."""
    import pandas as pd

    strings = table_strings(table)
    rendered = strings.to_html(
        border=0,
        # pandas adds its own "dataframe" class too; the stored outputs carry both
        classes=" ".join(filter(None, ("dataframe", "cxsim-table", css_class))),
        escape=True,
        max_rows=pd.get_option("display.max_rows"),
        max_cols=pd.get_option("display.max_columns"),
    )
    direction = text_direction()
    style = (
        "<style>.cxsim-table td, .cxsim-table th {text-align: right;}"
        ".cxsim-table td {unicode-bidi: isolate; white-space: nowrap;}</style>"
    )
    return f'<div dir="{direction}" class="cxsim-table-box">{style}{rendered}</div>'


def table_text(table: Any) -> str:
    """A DataFrame or Series as plain text, formatted like :func:`table_html`."""
    return table_strings(table).to_string()


# --------------------------------------------------------------------------- notebooks
def show_tables_formatted() -> None:
    """In a notebook, every DataFrame and Series shown goes through this formatter (HTML
    and plain text), in whichever language is current.  Called when cxsim is imported
    and whenever the language changes."""
    shell = i18n.notebook_shell()
    if shell is None:
        return
    import pandas as pd

    def plain(table: Any, printer: Any, cycle: bool) -> None:
        printer.text(table_text(table))

    for kind in (pd.DataFrame, pd.Series):
        shell.display_formatter.formatters["text/html"].for_type(kind, table_html)
        shell.display_formatter.formatters["text/plain"].for_type(kind, plain)


i18n.on_language_change(show_tables_formatted)
show_tables_formatted()
