"""No English in what a Persian reader sees (issue 17, rule 4): the stored outputs of the
Persian lessons and app pages, read as a browser shows them.

HTML outputs are read as text nodes (not tags, attributes, style sheets or scripts);
plain-text outputs count where no HTML stands beside them (printed lines, text reprs).
Latin is allowed only for NPS, CSAT, claim numbers and Erlang A/C
(:func:`cxsim.i18n.latin_words`).  Figures are checked as they are drawn: with
``CXSIM_STRICT_TEXT`` set, as ``make notebooks`` does, a Persian figure that shows English
fails its cell (tests/test_fa_plots.py).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from cxsim.i18n import latin_words

ROOT = Path(__file__).resolve().parent.parent
PERSIAN = sorted((ROOT / "notebooks" / "fa").glob("*.ipynb")) + sorted(
    (ROOT / "notebooks" / "app" / "fa").glob("*.ipynb")
)


class _TextNodes(HTMLParser):
    """The text nodes of an HTML fragment, outside <style> and <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("style", "script"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data)


def visible_texts(output: dict) -> list[str]:
    """What a reader sees of one stored output."""
    if output.get("output_type") == "stream":
        return [output.get("text", "")]
    data = output.get("data", {})
    if "text/html" in data:
        parser = _TextNodes()
        parser.feed("".join(data["text/html"]))
        return parser.texts
    if "text/plain" in data and not any(
        k.startswith(("image/", "application/vnd.jupyter.widget")) for k in data
    ):
        return ["".join(data["text/plain"])]
    return []


def test_text_nodes_are_found_and_english_is_caught():
    texts = visible_texts(
        {
            "output_type": "display_data",
            "data": {"text/html": "<style>.a{color:red}</style><td class='x'>سیاست lean</td>"},
        }
    )
    assert texts == ["سیاست lean"]
    assert latin_words(texts[0]) == ["lean"]


@pytest.mark.parametrize("path", PERSIAN, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_english_in_persian_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            for text in visible_texts(output):
                words = latin_words(text)
                if words:
                    found.append(f"cell {index}: {sorted(set(words))[:6]} in {text.strip()[:80]!r}")
    assert not found, "\n".join(found)
