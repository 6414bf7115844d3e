"""Numbers quoted in the lessons' prose and the instructor guide are the numbers the
executed notebooks show (``scripts/facts.py``, ``notebooks/facts.yaml``)."""

from __future__ import annotations

import re

import yaml
from conftest import load_script

facts = load_script("facts")
DECLARED = yaml.safe_load(facts.FACTS.read_text(encoding="utf-8")) or {}


def _used() -> dict[str, set[str]]:
    """Fact name -> the languages whose prose quotes it."""
    used: dict[str, set[str]] = {}
    for path in facts.prose_files():
        for name in facts.MARKER.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name[0], set()).add(facts._language(path))
    return used


def test_every_quoted_number_is_what_the_notebooks_show():
    assert facts.stale() == [], "run scripts/facts.py --write, then scripts/make_notebook.py --all"


def test_every_fact_is_declared_read_and_quoted_in_both_languages():
    values = facts.fact_values()  # raises FactError naming a fact the notebooks lack
    assert set(values) == set(DECLARED) and len(DECLARED) >= 20
    used = _used()
    assert set(used) <= set(DECLARED), "a marker names an undeclared fact"
    unused = sorted(set(DECLARED) - set(used))
    assert unused == [], f"declared but quoted nowhere: {unused}"


def test_a_persian_fact_is_written_with_persian_digits_and_minus():
    assert facts.written(-891.3, 1, "number", "fa") == "\u200e\u2212۸۹۱٫۳"
    assert facts.written(0.253, 3, "share", "fa") == "۲۵٫۳٪"
    assert facts.written(0.253, 3, "share", "en") == "25.3%"


def test_built_notebooks_carry_the_filled_prose():
    """The markers survive the build into the notebooks' markdown, filled."""
    notebook = facts.NOTEBOOKS / "05_retention_and_revenue.ipynb"
    assert re.search(r"<!--fact:[a-z0-9_]+-->[^<]+<!--/fact-->", notebook.read_text())


# A table as pandas writes a MultiIndex: the index names on a second header row, the
# first level spanning its rows.
MULTI = """<table><thead>
<tr><th></th><th></th><th>none</th><th>difference</th></tr>
<tr><th>promise</th><th>KPI</th><th></th><th></th></tr></thead><tbody>
<tr><th rowspan="2" valign="top">2 min</th><th>Net Promoter Score</th>
<td>-0.3</td><td>-1.2</td></tr>
<tr><th>Service level</th><td>93.0%</td><td>0.0%</td></tr>
<tr><th>10 min</th><th>Net Promoter Score</th><td>-0.3</td><td>+1.5</td></tr>
</tbody></table>"""
RANKED = """<table><thead><tr><th></th><th>team</th><th>profit</th></tr>
<tr><th>rank</th><th></th><th></th></tr></thead><tbody>
<tr><th>1</th><td>Charm &amp; call</td><td>1,570.68</td></tr>
<tr><th>2</th><td>Balanced</td><td>1,495.64</td></tr></tbody></table>"""


def test_a_multiindex_row_is_its_levels_and_a_row_can_be_named_by_its_cells():
    columns, rows = facts.table_labels(MULTI)
    assert rows["2 min / Service level"][columns["difference"]] == "0.0%"
    assert rows["10 min / Net Promoter Score"][columns["difference"]] == "+1.5"
    outputs = [{"data": {"text/html": RANKED}}]
    assert facts._table_value(outputs, {"team": "Balanced"}, "profit", "t") == "1,495.64"
    assert facts._table_value(outputs, {"team": "Balanced"}, "rank", "t") == "2"


def test_a_fact_combines_shown_numbers(monkeypatch):
    outputs = {"a": [{"data": {"text/html": MULTI}}], "b": [{"text": "total   33.60\n"}]}
    monkeypatch.setattr(facts, "_cell_outputs", lambda cell: (facts.FACTS, outputs[cell]))
    sl = {"cell": "a", "row": "2 min / Service level", "column": "none"}
    nps = {"cell": "a", "row": "2 min / Net Promoter Score", "column": "difference"}
    total = {"cell": "b", "pattern": r"total\s+([\d.]+)"}
    assert facts.fact(sl) == (0.93, 3, "share", False)
    assert facts.fact({**sl, "scale": 100}) == (93.0, 1, "number", False)
    assert facts.fact({**nps, "absolute": True, "signed": True})[:2] == (1.2, 1)
    combined = facts.fact({**total, "minus": [nps, nps], "plus": nps})
    assert facts.written(*combined[:3], "en") == "34.80"
    ratio = facts.fact({**total, "over": total, "decimals": 2})
    assert facts.written(*ratio[:3], "en") == "100%"
    assert facts.written(1.5, 1, "number", "en", signed=True) == "+1.5"
    assert facts.written(1.5, 1, "number", "fa", signed=True) == "\u200e+۱٫۵"


def test_no_marker_starts_a_line():
    """A line that starts with "<!--" is an HTML block in Markdown: it would cut the
    paragraph and show the line's Markdown raw.  Keep a word before the marker."""
    starts = re.compile(r"^(?:# )?\s{0,3}<!--fact:", re.M)
    found = [str(path) for path in facts.prose_files() if starts.search(path.read_text())]
    assert found == []
