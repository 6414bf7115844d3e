"""The one-page lesson handouts (notebooks/handouts/**) are what the lessons say now."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import load_script

from cxsim.lessons.registry import LESSONS

ROOT = Path(__file__).resolve().parent.parent
make_handouts = load_script("make_handouts")


def test_every_handout_is_current():
    """A lesson's takeaways, decision or claims changed: run scripts/make_handouts.py."""
    stale = [
        str(path.relative_to(ROOT))
        for path, text in make_handouts.pages().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale handouts, run scripts/make_handouts.py: {stale}"


def test_a_handout_fits_a_page_and_carries_the_lessons_decision():
    for item in LESSONS:
        for folder in ("", "fa"):
            text = (ROOT / "notebooks" / "handouts" / folder / f"{item.name}.md").read_text("utf-8")
            words = len(re.findall(r"\w+", text))
            assert words < 450, f"{folder}/{item.name}: {words} words is more than a page"
            assert "<!--fact" not in text
    five = (ROOT / "notebooks" / "handouts" / "05_retention_and_revenue.md").read_text("utf-8")
    assert "## The decision" in five and "Answers the runs support" in five
    persian = (ROOT / "notebooks" / "handouts" / "fa" / "03_courtesy.md").read_text("utf-8")
    assert "«" in persian and 'dir="rtl"' in persian
