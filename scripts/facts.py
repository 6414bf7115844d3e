"""Numbers quoted in prose, taken from the executed notebooks instead of copied by hand.

A lesson's prose and the instructor guide quote results ("the lean policy saves 78.4
million toman of staff cost").  Each such number is a *fact*, declared once in
``notebooks/facts.yaml``: where the English notebook shows it (a cell id, and a table's
row and column, or a pattern in the cell's text), optionally combined with other shown
numbers (a difference, a sum, a ratio), and how to write it (see :func:`fact`).  In the
prose the number sits between markers, invisible once rendered::

    saves <!--fact:l05_lean_staff_saving-->78.4<!--/fact--> million toman

A table's row and column are its labels as the English notebook shows them; a row of a
MultiIndex is its levels joined by " / " ("2 min / Net Promoter Score"), and a row may
also be named by its cells ({policy: more_agents}), for tables whose index is a rank or
a counter.  A marker cannot sit inside inline code (it would show): numbers in code
examples stay as written; nor begin a line (Markdown would take the line for an HTML
block and cut the paragraph there).

``--write`` fills every marker in the notebook sources (``notebooks/src/**``) and the
instructor guide (``notebooks/instructor/**.md``) from the stored outputs of the
executed English notebooks, in the language of the file (Persian digits and minus sign
under ``fa/``); rebuild the notebooks afterwards (``scripts/make_notebook.py``; prose
only, no execution needed).  ``tests/test_facts.py`` fails when a marker's number is not
the one the notebooks show.

    .venv/bin/python scripts/facts.py --write     # after re-executing the notebooks
    .venv/bin/python scripts/facts.py --check     # exit 1 if any marker is stale
"""

from __future__ import annotations

import functools
import html
import math
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FACTS = NOTEBOOKS / "facts.yaml"
MARKER = re.compile(r"<!--fact:([a-z0-9_]+)-->(.*?)<!--/fact-->", re.S)
sys.path.insert(0, str(ROOT / "scripts"))
from output_numbers import numbers_in  # noqa: E402


class FactError(Exception):
    """A fact that cannot be read from the notebooks: names the fact and what is wrong."""


# --------------------------------------------------------------------------- tables
class _Table(HTMLParser):
    """The rows of the first HTML table of an output, each a list of cells (text, header
    cell or not); a cell spanning rows (a MultiIndex) or columns is repeated in each."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, bool]]] = []
        self.head_rows = 0
        self._cell: list[str] | None = None
        self._span = (1, 1, False)
        self._spanned: dict[int, tuple[int, tuple[str, bool]]] = {}  # column -> rows left, cell
        self._in_head = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if self._done:
            return
        if tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self.rows.append([])
            self.head_rows += self._in_head
            self._fill_spanned()
        elif tag in ("td", "th"):
            found = dict(attrs)
            span = (int(found.get("rowspan") or 1), int(found.get("colspan") or 1), tag == "th")
            self._cell, self._span = [], span

    def _fill_spanned(self) -> None:
        row = self.rows[-1]
        while len(row) in self._spanned:
            left, cell = self._spanned.pop(len(row))
            row.append(cell)
            if left > 1:
                self._spanned[len(row) - 1] = (left - 1, cell)

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self.rows:
            row = self.rows[-1]
            rowspan, colspan, header = self._span
            cell = (" ".join("".join(self._cell).split()), header)
            for _ in range(colspan):
                if rowspan > 1:
                    self._spanned[len(row)] = (rowspan - 1, cell)
                row.append(cell)
            self._cell = None
            self._fill_spanned()
        elif tag == "table":
            self._done = True

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@functools.cache
def _notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _cell_outputs(cell_id: str) -> tuple[Path, list[dict]]:
    lesson = cell_id.split("-")[0]
    for path in sorted(NOTEBOOKS.glob(f"{lesson}_*.ipynb")):
        for cell in _notebook(path).cells:
            if cell.get("id") == cell_id:
                return path, cell.get("outputs", [])
    raise FactError(f"no cell {cell_id!r} in notebooks/{lesson}_*.ipynb")


def table_labels(markup: str) -> tuple[dict[str, int], dict[str, list[str]]]:
    """The first table of ``markup`` as (column label -> position, row label -> cells).

    A row's label is its header cells (the index; a MultiIndex's levels joined by
    " / ", e.g. "2 min / Net Promoter Score"); a column's label is the text above it on
    the header rows (several levels joined by " / "; the index's name above the index).
    The header's first row starts above the row labels, so position i is the row's
    cell i."""
    parser = _Table()
    parser.feed(markup)
    rows = [cells for cells in parser.rows if cells]
    head, body = rows[: max(parser.head_rows, 1)], rows[max(parser.head_rows, 1) :]
    index = max((sum(header for _, header in cells) for cells in body), default=1)
    columns: dict[str, int] = {}
    for position in range(max(map(len, head))):
        parts = [cells[position][0] for cells in head if position < len(cells)]
        columns.setdefault(" / ".join(part for part in parts if part), position)
    labelled = {}
    for cells in body:
        label = " / ".join(text for text, header in cells[:index] if header and text)
        labelled.setdefault(label, [text for text, _ in cells])
    return columns, labelled


def _table_value(outputs: list[dict], row: str | dict, column: str, where: str) -> str:
    """The cell at ``row`` (a row label, or {column: text} naming the row by its cells,
    e.g. {team: Balanced}) and ``column``."""
    for output in outputs:
        markup = "".join(output.get("data", {}).get("text/html", ""))
        if "<table" not in markup:
            continue
        columns, rows = table_labels(markup)
        for label in [column, *(row if isinstance(row, dict) else [])]:
            if str(label) not in columns:
                raise FactError(f"{where}: no column {label!r}; columns: {list(columns)}")
        if isinstance(row, dict):
            found = [
                cells
                for cells in rows.values()
                if all(cells[columns[str(key)]] == str(text) for key, text in row.items())
            ]
            if len(found) != 1:
                raise FactError(f"{where}: {len(found)} rows have {row!r}, not one")
            return found[0][columns[column]]
        if str(row) not in rows:
            raise FactError(f"{where}: no row {row!r}; rows: {list(rows)}")
        return rows[str(row)][columns[column]]
    raise FactError(f"{where}: the cell shows no table")


def _text_value(outputs: list[dict], pattern: str, where: str) -> str:
    for output in outputs:
        data = output.get("data", {})
        text = output.get("text") or "".join(data.get("text/plain", ""))
        if "text/html" in data:
            text = html.unescape(re.sub(r"<[^>]+>", " ", "".join(data["text/html"])))
        match = re.search(pattern, text)
        if match:
            return match.group(1)
    raise FactError(f"{where}: no output matches {pattern!r}")


# --------------------------------------------------------------------------- facts
class Shown(NamedTuple):
    """A number as a notebook shows it: its value, decimals, and whether in percent."""

    value: float
    decimals: int
    percent: bool


class Fact(NamedTuple):
    """A fact as the prose writes it: value, decimals (of the fraction, for a share),
    kind ("share": written in percent, or "number") and whether a plus sign is written."""

    value: float
    decimals: int
    kind: str
    signed: bool = False


def _shown(text: str, where: str) -> Shown:
    found = numbers_in(text)
    if len(found) != 1:
        raise FactError(f"{where}: {text!r} is not one number")
    value, decimals = found[0]
    percent = "%" in text or "\u066a" in text
    return Shown(value, decimals, percent)


def _read(spec: dict, where: str) -> Shown:
    cell = str(spec["cell"])
    path, outputs = _cell_outputs(cell)
    here = f"{where} ({path.name}, cell {cell})"
    if "pattern" in spec:
        return _shown(_text_value(outputs, spec["pattern"], here), here)
    return _shown(_table_value(outputs, spec["row"], str(spec["column"]), here), here)


def _listed(spec: Any) -> list[dict]:
    return [] if spec is None else spec if isinstance(spec, list) else [spec]


def fact(spec: dict, name: str = "fact") -> Fact:
    """One declared fact read from the executed English notebooks.

    A fact is ``{cell, row, column}`` or ``{cell, pattern}``, optionally with ``plus``
    and ``minus`` (another such number, or a list: the fact is the sum or difference),
    ``over`` (divides: the fact is a ratio, written in percent), ``absolute: true``,
    ``scale`` (multiplies; a power of ten moves the decimals shown with it),
    ``decimals`` (else as shown; a percent counts those of its fraction, so 2 writes
    "25%") and ``signed: true`` (a plus sign on a positive value).  A percent stays a
    percent unless scaled ("11.4" points from "19.3%" minus "7.9%", scale 100)."""
    first = _read(spec, name)
    value, decimals = first.value, first.decimals
    for key, sign in (("plus", 1), ("minus", -1)):
        for other in _listed(spec.get(key)):
            shown = _read(other, name)
            value += sign * shown.value
            decimals = max(decimals, shown.decimals)
    if "over" in spec:
        if "decimals" not in spec:
            raise FactError(f"{name}: a ratio (over) needs its decimals")
        value /= _read(spec["over"], name).value
    if spec.get("absolute"):
        value = abs(value)
    scale = spec.get("scale", 1)
    value *= scale
    decimals -= round(math.log10(abs(scale)))
    decimals = spec.get("decimals", decimals)
    percent = (first.percent or "over" in spec) and "scale" not in spec
    return Fact(value, decimals, "share" if percent else "number", bool(spec.get("signed")))


def fact_values() -> dict[str, Fact]:
    """Fact name -> :class:`Fact`, for every fact of ``notebooks/facts.yaml``."""
    declared = yaml.safe_load(FACTS.read_text(encoding="utf-8")) or {}
    return {name: fact(spec, name) for name, spec in declared.items()}


def written(value: float, decimals: int, kind: str, language: str, signed: bool = False) -> str:
    """A fact as the prose of ``language`` writes it (the one formatter's digits and
    signs)."""
    import cxsim
    from cxsim.formatting import format_value

    cxsim.set_language(language)
    try:
        if kind == "share":
            return format_value(value, "share", decimals=max(0, decimals - 2), signed=signed)
        return format_value(value, "number", decimals=max(0, decimals), signed=signed)
    finally:
        cxsim.set_language("en")


def _language(path: Path) -> str:
    return "fa" if "fa" in path.relative_to(ROOT).parts else "en"


def prose_files() -> list[Path]:
    """The files whose markers are filled: notebook sources and the instructor guide."""
    files = [*sorted((NOTEBOOKS / "src").rglob("*.py")), *sorted((NOTEBOOKS / "src").rglob("*.md"))]
    files += sorted((NOTEBOOKS / "instructor").rglob("*.md"))
    return files


def filled(text: str, language: str, values: dict[str, Fact], where: str) -> str:
    """``text`` with every marker holding its fact, as ``language`` writes it."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise FactError(f"{where}: unknown fact {name!r}; declare it in notebooks/facts.yaml")
        value, decimals, kind, signed = values[name]
        return f"<!--fact:{name}-->{written(value, decimals, kind, language, signed)}<!--/fact-->"

    return MARKER.sub(fill, text)


def stale() -> list[str]:
    """Files whose markers do not hold what the notebooks show."""
    values = fact_values()
    problems = []
    for path in prose_files():
        text = path.read_text(encoding="utf-8")
        if "<!--fact:" in text and filled(text, _language(path), values, str(path)) != text:
            problems.append(str(path.relative_to(ROOT)))
    return problems


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        problems = stale()
        print("\n".join(problems) or "every quoted number is what the notebooks show")
        return 1 if problems else 0
    if argv == ["--write"]:
        values = fact_values()
        for path in prose_files():
            text = path.read_text(encoding="utf-8")
            if "<!--fact:" in text:
                new = filled(text, _language(path), values, str(path))
                if new != text:
                    path.write_text(new, encoding="utf-8")
                    print(f"updated {path.relative_to(ROOT)}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
