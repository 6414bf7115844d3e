"""The Persian glossary's rules, checked wherever Persian is written (issue 17).

Expectation is «توقع» (plural «توقعات»), never «انتظار», which in Persian also means
waiting: «سه‌چهارم مشتریان بیش از این انتظار ندارند» reads as the opposite of claim N1.
A quote of the Persian sources, between « and », keeps their own words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "cxsim" / "locale" / "fa" / "LC_MESSAGES" / "cxsim.po"
# «انتظار» in the sense of expectation: what customers expect, the expected result
EXPECTATION_AS_WAITING = re.compile(
    r"انتظارات|مورد انتظار|انتظار\s*(?:دار|ندار|داشت|نداشت|می‌رود|می‌رفت|رود)"
)
QUOTE = re.compile(r"«[^»]*»")


def persian_texts() -> list[Path]:
    return sorted(
        [
            *(ROOT / "notebooks" / "src" / "fa").glob("*.py"),
            *(ROOT / "notebooks" / "fa").glob("*.ipynb"),
            *(ROOT / "notebooks" / "instructor" / "fa").glob("*.md"),
            ROOT / "notebooks" / "fa" / "README.md",
        ]
    )


def unquoted(text: str) -> str:
    """The text without quoted passages (the sources keep their own words)."""
    return QUOTE.sub("«»", text)


def misuses(text: str) -> list[str]:
    return [match.group(0) for match in EXPECTATION_AS_WAITING.finditer(unquoted(text))]


@pytest.mark.parametrize("path", persian_texts(), ids=lambda path: path.name)
def test_no_persian_text_says_intizar_for_expectation(path):
    found = misuses(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)}: {found} (expectation is «توقع»)"


def test_no_catalogue_entry_says_intizar_for_expectation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    wrong = {
        message.id: misuses(message.string)
        for message in catalogue
        if message.id and isinstance(message.string, str) and misuses(message.string)
    }
    assert not wrong
    expecting = [
        message
        for message in catalogue
        if message.id
        and "expect" in str(message.id).lower()
        and isinstance(message.string, str)
        and message.string
    ]
    assert expecting, "the catalogue has entries about expectations"
    for message in expecting:
        assert "انتظار" not in unquoted(message.string) or "wait" in str(message.id).lower(), (
            message.id,
            message.string,
        )


def test_the_rule_catches_what_it_should():
    assert misuses("سه‌چهارم مشتریان بیش از این انتظار ندارند")
    assert misuses("## نتایج مورد انتظار")
    assert misuses("وعده‌ها انتظارات مشتری را می‌سازند")
    assert not misuses("زمان انتظار با توقعات مشتری سنجیده می‌شود")
    assert not misuses("کتاب می‌گوید: «مشتریان انتظار ارائه خدمات را دارند»")


def test_the_glossary_states_the_rule():
    glossary = (ROOT / "docs" / "fa-glossary.md").read_text(encoding="utf-8")
    row = next(line for line in glossary.splitlines() if line.startswith("| expectation |"))
    assert "توقع" in row and "never «انتظار»" in row


#: KPI terms a Persian trainer misreads (fa-review-1): «اشتغال» is *employment*, «باجه» a
#: ticket or bank counter, «رهاکردن صف» not the contact centre's word; the glossary's
#: terms are «درصد مشغولیت کارکنان», «خط بازرسی», «نرخ ترک صف».
OLD_TERMS = re.compile(r"اشتغال|باجه|رها\s?کردن صف")


def test_no_catalogue_entry_uses_an_old_kpi_term():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    wrong = {
        message.id: OLD_TERMS.findall(message.string)
        for message in catalogue
        if message.id and isinstance(message.string, str) and OLD_TERMS.search(message.string)
    }
    assert wrong == {}


@pytest.mark.parametrize("path", persian_texts(), ids=lambda path: path.name)
def test_no_persian_text_uses_an_old_kpi_term(path):
    found = OLD_TERMS.findall(unquoted(path.read_text(encoding="utf-8")))
    assert not found, f"{path.relative_to(ROOT)}: {found} (see docs/fa-glossary.md)"
