"""The Persian lessons quote the Persian sources word for word (issue 17, rule 2).

A quote in a Persian lesson or instructor page is marked ``<!--quote:N5-->«…»<!--/quote-->``;
its words must be those of the passage ``docs/sources.md`` copies from the seed text
(up to zero-width non-joiners, spacing and omissions marked «…»).  The copy itself is
checked against the seeds by ``scripts/check_quotes.py`` (the seeds live outside the
repository).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
check_quotes = load_script("check_quotes")
QUOTE = re.compile(r"<!--quote:([NQ]\d+)-->(.*?)<!--/quote-->", re.S)
PERSIAN = sorted((ROOT / "notebooks" / "src" / "fa").glob("*.py")) + sorted(
    (ROOT / "notebooks" / "instructor" / "fa").glob("*.md")
)
#: Claims a lesson quotes from the sources (the review found N5 and Q9 paraphrased).
QUOTED = {"03": ("N5",), "04": ("Q9",), "05": ("N2",), "07": ("Q10",), "08": ("Q4",)}


def _prose(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":  # comment lines of the percent format
        text = "\n".join(line[2:] if line.startswith("# ") else line for line in text.splitlines())
    return text


def _quotes() -> list[tuple[str, str, str]]:
    found = []
    for path in PERSIAN:
        for claim, text in QUOTE.findall(_prose(path)):
            found.append((path.relative_to(ROOT).as_posix(), claim, text))
    return found


def test_the_sources_page_copies_a_passage_for_every_quoted_claim():
    passages = check_quotes.passages()
    claims = set(
        re.findall(r"^\| ([NQ]\d+) \|", (ROOT / "docs" / "sources.md").read_text("utf-8"), re.M)
    )
    assert set(passages) <= claims
    for claims_quoted in QUOTED.values():
        assert set(claims_quoted) <= set(passages)


@pytest.mark.parametrize("where,claim,text", _quotes(), ids=lambda v: str(v)[:40])
def test_every_marked_quote_is_word_for_word(where, claim, text):
    passages = check_quotes.passages()
    assert claim in passages, f"{where}: no passage for {claim} in docs/sources.md"
    text = " ".join(text.split())
    assert text.startswith("«") and text.endswith("»"), f"{where}: a quote sits in «»: {text}"
    assert check_quotes.contains(passages[claim][1], text[1:-1]), (
        f"{where}: the quote of {claim} is not the source's words: {text}"
    )


@pytest.mark.parametrize("lesson,claims", sorted(QUOTED.items()))
def test_the_lessons_quote_their_claims(lesson, claims):
    path = next((ROOT / "notebooks" / "src" / "fa").glob(f"{lesson}_*.py"))
    marked = {claim for claim, _text in QUOTE.findall(_prose(path))}
    assert set(claims) <= marked, f"{path.name} quotes {sorted(marked)}, not {claims}"


def test_a_changed_word_is_caught():
    passage = check_quotes.passages()["Q9"][1]
    assert check_quotes.contains(passage, "ما از تجاربمان تنها دو چیز را به‌خاطر می‌آوریم")
    assert not check_quotes.contains(
        passage, "احساسات و خاطراتمان را به یاد می‌آوریم، نه میانگین آن را"
    )
