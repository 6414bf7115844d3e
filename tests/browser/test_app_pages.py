"""``make app`` in a real browser: the index, a lesson page per language, drafts, readouts.

Voila serves a copy of ``notebooks/app`` as ``make app`` does (tree mode, sources stripped,
the local ``cxsim`` template); every request off this machine is refused and must not be
made (``page.blocked``).  Checked:

- the index lists every lesson page and offers the other language; the Persian index reads
  right to left;
- a Persian page (lesson 03) shows the lesson's prose, its stored tables and figures (not
  re-run) and its dashboard; slider readouts are written by the browser in Persian digits
  (``Intl.NumberFormat('fa-IR')``) and can be typed into, in Persian or Latin digits;
- an English page (lesson 05): a moved slider and its KPI table come back after a reload
  (the browser's ``localStorage``); Reset forgets the draft.

Screenshots (``test-artifacts/screenshots/``): ``app_index``, ``app_fa_index``,
``app_fa_03``, ``slider_fa``, ``app_05_restored``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cxsim.lessons.registry import LESSONS, notebook_name

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
APP_PAGES = [notebook_name(lesson) for lesson in LESSONS if lesson.app_page]
PERSIAN_NUMBER = re.compile(r"^[\u200e\u200f]*[\u2212-]?[۰-۹]+(٫[۰-۹]+)?$")
PAGE_TIMEOUT_MS = 180_000


def _open(page: Any, url: str) -> None:
    """Open a lesson page and wait until its last dashboard has run once."""
    page.goto(url, timeout=PAGE_TIMEOUT_MS)
    page.locator(".cxsim-dashboard table.cxsim-kpis").last.wait_for(timeout=PAGE_TIMEOUT_MS)
    _wait_idle(page)


def _wait_idle(page: Any) -> None:
    """Wait until no dashboard has a disabled control (a run under way)."""
    page.wait_for_function(
        "() => !document.querySelector('.cxsim-dashboard .mod-disabled, "
        ".cxsim-dashboard input:disabled, .cxsim-dashboard button:disabled')",
        timeout=60_000,
    )
    page.wait_for_timeout(300)


def _board(page: Any) -> Any:
    return page.locator(".cxsim-dashboard").last


def _table(page: Any) -> str:
    return str(_board(page).locator("table.cxsim-kpis").inner_text())


def _wait_table_change(page: Any, before: str) -> None:
    page.wait_for_function(
        "(before) => { const boards = document.querySelectorAll('.cxsim-dashboard');"
        " const board = boards[boards.length - 1];"
        " const t = board && board.querySelector('table.cxsim-kpis');"
        " return t && t.innerText !== before; }",
        arg=before,
        timeout=120_000,
    )
    _wait_idle(page)


def _drafts(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            "() => Object.fromEntries(Object.entries(localStorage)"
            ".filter(([key]) => key.startsWith('cxsim:draft:')))"
        )
    )


def test_index_offers_both_languages_and_reads_persian_right_to_left(
    page: Any, voila_server: Any, screenshot: Any
) -> None:
    page.goto(voila_server.url, timeout=60_000)
    links = page.locator("ol.cxsim-lessons a")
    assert links.count() == len(APP_PAGES)
    hrefs = [str(links.nth(i).get_attribute("href")) for i in range(links.count())]
    assert [href.rsplit("/", 1)[1] for href in hrefs] == APP_PAGES
    assert all("/voila/render/" in href and "/fa/" not in href for href in hrefs)
    screenshot(page, "app_index")

    page.locator(".cxsim-languages a", has_text="فارسی").click()
    page.wait_for_url("**/voila/tree/fa")
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"
    links = page.locator("ol.cxsim-lessons a")
    assert links.count() == len(APP_PAGES)
    first = links.first.inner_text()
    assert first.startswith("۰۰") and not re.search(r"[A-Za-z0-9]", first), first
    assert "/voila/render/fa/" in str(links.first.get_attribute("href"))
    screenshot(page, "app_fa_index")
    page.locator(".cxsim-languages a", has_text="English").click()
    page.wait_for_url("**/voila/tree/")
    assert page.locator("ol.cxsim-lessons a").count() == len(APP_PAGES)
    assert page.blocked == [] and page.errors == []


def test_persian_page_shows_the_lesson_with_persian_readouts_that_can_be_typed_into(
    page: Any, voila_server: Any, screenshot: Any
) -> None:
    _open(page, f"{voila_server.url}voila/render/fa/03_courtesy.ipynb")
    # the lesson's prose, right to left, and its stored tables and figures (not re-run)
    heading = page.locator("div[dir='rtl'] h1").first
    assert "۰۳" in heading.inner_text()
    stored = page.locator(".cxsim-stored")
    assert stored.count() >= 2
    assert stored.locator("table").count() >= 1 and stored.locator("img").count() >= 1
    assert page.locator(".jp-CodeCell .jp-InputArea:visible").count() == 0  # no code shown
    screenshot(page, "app_fa_03")

    # slider readouts: Persian digits, written in the browser; typed into, they move the slider
    board = _board(page)
    row = board.locator(".cxsim-slider-row").first
    readout = row.locator(".cxsim-readout")
    assert row.locator(".widget-readout").first.inner_text() == readout.inner_text()
    before = readout.inner_text()
    assert PERSIAN_NUMBER.match(before), before
    table = _table(page)
    row.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, before]) => el.innerText !== before",
        arg=[readout.element_handle(), before],
        timeout=30_000,
    )
    moved = readout.inner_text()
    assert PERSIAN_NUMBER.match(moved) and moved != before, moved
    _wait_table_change(page, table)

    readout.click()
    readout.press("Control+A")
    readout.press_sequentially("۰٫۷۵")
    readout.press("Enter")
    page.wait_for_function(
        "el => el.innerText === '۰٫۷۵'", arg=readout.element_handle(), timeout=30_000
    )
    _wait_idle(page)
    handle = row.locator(".noUi-handle")
    # the slider followed (noUiSlider rounds its aria value to one decimal)
    assert float(handle.get_attribute("aria-valuenow")) in (0.7, 0.75, 0.8)
    screenshot(row, "slider_fa")

    readout.click()
    readout.press("Control+A")
    readout.press_sequentially("0.5")  # Latin digits are read too
    readout.press("Enter")
    page.wait_for_function(
        "el => el.innerText === '۰٫۵۰'", arg=readout.element_handle(), timeout=30_000
    )
    readout.click()
    readout.press("Control+A")
    readout.press_sequentially("بسیار")  # not a number: the value stays
    readout.press("Enter")
    assert readout.inner_text() == "۰٫۵۰"
    assert page.blocked == [] and page.errors == []


def test_a_draft_survives_a_reload_and_reset_forgets_it(
    page: Any, voila_server: Any, screenshot: Any
) -> None:
    url = f"{voila_server.url}voila/render/05_retention_and_revenue.ipynb"
    _open(page, url)
    assert page.locator(".cxsim-stored table").count() >= 2
    slider = _board(page).locator(".widget-slider").first
    before = _table(page)
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")  # once: a second press would start a second run
    _wait_table_change(page, before)
    value = slider.locator(".widget-readout").inner_text()
    table = _table(page)
    saved = _drafts(page)
    assert any(key.endswith(":extra_agents") for key in saved), saved
    assert "/voila/render/05_retention_and_revenue.ipynb:" in next(iter(saved))

    page.reload(timeout=PAGE_TIMEOUT_MS)
    page.locator(".cxsim-dashboard table.cxsim-kpis").last.wait_for(timeout=PAGE_TIMEOUT_MS)
    # looked up afresh on every poll: a dashboard may redraw its nodes while it restores
    page.wait_for_function(
        "(value) => { const boards = document.querySelectorAll('.cxsim-dashboard');"
        " const board = boards[boards.length - 1];"
        " const out = board && board.querySelector('.widget-slider .widget-readout');"
        " return out && out.innerText === value; }",
        arg=value,
        timeout=120_000,
    )
    page.wait_for_function(
        "(table) => { const boards = document.querySelectorAll('.cxsim-dashboard');"
        " const board = boards[boards.length - 1];"
        " const t = board && board.querySelector('table.cxsim-kpis');"
        " return t && t.innerText === table; }",
        arg=table,
        timeout=120_000,
    )
    _wait_idle(page)
    assert _table(page) == table  # the same run: seeded, same values
    screenshot(page, "app_05_restored")

    _board(page).locator("button", has_text="Reset").click()
    _wait_table_change(page, table)
    assert _drafts(page) == {}
    page.reload(timeout=PAGE_TIMEOUT_MS)
    page.locator(".cxsim-dashboard table.cxsim-kpis").last.wait_for(timeout=PAGE_TIMEOUT_MS)
    _wait_idle(page)
    assert _table(page) == before
    assert page.blocked == [] and page.errors == []
