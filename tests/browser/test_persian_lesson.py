"""A Persian lesson in a real browser: prose and dashboard laid out right to left.

Voila runs ``notebooks/fa/00_start_here.ipynb`` (the Persian first lesson: prose and a
staffing dashboard).  The checks read what the browser computed, not the HTML we sent:
the prose's direction and alignment, the dashboard's direction, where a control's label
sits relative to its slider, and that a slider still moves the right way.  Screenshots:
``voila_fa_00_start_here`` (the page) and ``voila_fa_00_dashboard`` (the dashboard).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "fa" / "00_start_here.ipynb"


def _style(locator: Any, prop: str) -> str:
    return locator.evaluate(f"element => getComputedStyle(element).{prop}")


def _number(text: str) -> float:
    """A readout's number, Persian digits and separators read back."""
    latin = text.strip().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٫٬", "0123456789.,"))
    return float(latin.replace(",", "").replace("\u2212", "-").replace("\u200e", ""))


def test_persian_lesson_reads_right_to_left(page: Any, start_voila: Any, screenshot: Any) -> None:
    server = start_voila(LESSON)
    page.goto(server.url, timeout=120_000)
    # the first dashboard with sliders (the customer's story above it has none)
    board = (
        page.locator(".cxsim-dashboard.cxsim-rtl").filter(has=page.locator(".widget-slider")).first
    )
    board.wait_for(timeout=120_000)
    page.locator(".cxsim-rtl .widget-slider").first.wait_for()

    # The prose: Persian, right to left, paragraphs aligned right (set_language's style).
    prose = page.locator("div[dir='rtl'] p").first
    assert _style(prose, "direction") == "rtl"
    assert _style(prose, "textAlign") in ("right", "start")
    text = prose.inner_text()
    persian = sum("\u0600" <= char <= "\u06ff" for char in text)
    assert persian > 0.5 * sum(char.isalpha() for char in text), text[:80]
    screenshot(page, "voila_fa_00_start_here")

    # The dashboard: right to left, each label to the right of its slider.
    assert _style(board, "direction") == "rtl"
    row = board.locator(".widget-slider").first
    label = row.locator(".widget-label").first
    track = row.locator(".slider-container, .noUi-target").first
    label_box, track_box = label.bounding_box(), track.bounding_box()
    assert label_box["x"] > track_box["x"] + track_box["width"] / 2, (label_box, track_box)
    assert any("\u0600" <= char <= "\u06ff" for char in label.inner_text())

    # The slider itself still reads left to right: ArrowRight raises its value.
    readout = row.locator(".widget-readout").first
    before = readout.inner_text()
    row.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([element, before]) => element.innerText !== before",
        arg=[readout.element_handle(), before],
        timeout=30_000,
    )
    # the readout is written by the browser in Persian digits (Intl.NumberFormat('fa-IR'))
    assert _number(readout.inner_text()) > _number(before)
    screenshot(board, "voila_fa_00_dashboard")
    assert page.errors == []
