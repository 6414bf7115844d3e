"""Lesson 03's dashboard in a real browser: JupyterLab and Voila (``make app``).

A slider moved in the browser must re-run the model in the kernel and show a new
KPI table; the numbers shown must be exactly those of
``cxsim.lessons.courtesy.dashboard().update(...)`` (same seed), and more courtesy
training must lift CSAT and NPS.  Screenshots of each step go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cxsim.formatting import table_strings
from cxsim.lessons import courtesy
from cxsim.results import kpi_label

TITLE = "Airport security: the cheapest way to satisfied passengers"
COURTESY = "Courtesy training (0 none, 1 full)"
CSAT, NPS, WAIT = kpi_label("csat"), kpi_label("nps"), kpi_label("mean_wait_min")
BASE, YOURS, DIFF = "baseline", "your policy", "difference"
APP = Path(__file__).resolve().parents[2] / "notebooks" / "app"


@pytest.fixture(scope="module")
def expected() -> dict[float, pd.DataFrame]:
    """The KPI tables the dashboard must show, computed here, for the courtesy levels used."""
    board = courtesy.dashboard()
    return {level: board.update(training=level)[0] for level in (0.0, 0.25, 1.0)}


def assert_shows(board: Any, table: pd.DataFrame) -> None:
    """Every cell of ``table`` exactly as the one formatter writes it (cxsim.formatting)."""
    written = table_strings(table)
    want = {row: dict(written.loc[row]) for row in written.index}
    assert board.cells() == want


def assert_more_courtesy_pleases(
    before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]
) -> None:
    assert before[CSAT][DIFF] == 0 and before[NPS][DIFF] == 0  # the defaults are the baseline
    assert after[CSAT][BASE] == before[CSAT][BASE]  # the baseline does not move
    assert after[CSAT][YOURS] > before[CSAT][YOURS] + 0.03  # CSAT up by over 3 points
    assert after[NPS][YOURS] > before[NPS][YOURS] + 3
    assert after[CSAT][DIFF] > 0.03 and after[NPS][DIFF] > 3


def move_courtesy_and_check(
    board: Any, move: Any, level: float, before: dict, expected: dict, screenshot: Any, shot: str
) -> None:
    """``move`` the courtesy slider to ``level``; the page must show a new table, exactly
    the model's for that level, with more courtesy pleasing customers."""
    text = board.table_text()
    move()
    board.wait_for_new_table(text)
    after = board.kpis()
    screenshot(board.root, shot)
    assert board.slider_value(COURTESY) == level
    assert_shows(board, expected[level])
    assert_more_courtesy_pleases(before, after)


def test_lab_courtesy_slider_moves_csat(
    page: Any, lab: Any, dashboard_view: Any, screenshot: Any, expected: dict
) -> None:
    lab.open(page, "03_courtesy.ipynb")
    seconds = lab.run_all(page)
    assert seconds < 180
    board = dashboard_view(page, TITLE)
    board.wait_ready()
    cell = page.locator(".jp-CodeCell").filter(has=board.root)
    cell.evaluate("cell => cell.scrollIntoView({block: 'start'})")  # code and dashboard
    screenshot(page, "lab_03_courtesy_ran_all")
    before = board.kpis()
    assert board.slider_value(COURTESY) == 0.0  # no training today
    assert_shows(board, expected[0.0])
    screenshot(board.root, "lab_03_courtesy_before")

    move_courtesy_and_check(
        board,
        lambda: board.press_on_slider(COURTESY, "ArrowRight"),
        0.25,
        before,
        expected,
        screenshot,  # ArrowRight: one step of 0.25
        "lab_03_courtesy_after",
    )
    assert page.errors == []


def test_voila_index_links_every_page_in_both_languages(
    page: Any, voila_server: Any, screenshot: Any
) -> None:
    page.goto(voila_server.url)
    names = sorted(path.name for path in APP.glob("*.ipynb"))
    assert len(names) == 10
    for name in names:
        assert page.locator(f"a[href$='voila/render/{name}']").count() >= 1, name
    assert page.locator("a[href*='voila/tree/fa']").count() >= 1  # the Persian pages
    screenshot(page, "voila_index")
    assert page.errors == []


def test_voila_courtesy_slider_moves_csat_with_code_hidden(
    page: Any, voila_server: Any, dashboard_view: Any, screenshot: Any, expected: dict
) -> None:
    page.goto(f"{voila_server.url}voila/render/03_courtesy.ipynb", timeout=120_000)
    board = dashboard_view(page, TITLE)
    board.wait_ready()
    html = page.content()
    assert "courtesy.dashboard()" not in html and "from cxsim" not in html
    assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor").count() == 0
    assert page.get_by_text("Decide: the cheapest way to 80%").count() == 1  # the prose shows
    before = board.kpis()
    assert_shows(board, expected[0.0])
    screenshot(page, "voila_03_courtesy_before")

    move_courtesy_and_check(
        board,
        lambda: board.type_in_slider(COURTESY, "1"),
        1.0,
        before,
        expected,
        screenshot,
        "voila_03_courtesy_after",
    )
    assert page.errors == []
