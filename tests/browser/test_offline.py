"""Nothing leaves the machine: a classroom of thirty on one laptop may have no internet.

Every page a trainee or the instructor opens is loaded in Chromium with each request off
this machine aborted and listed (the ``new_page`` fixture); a test fails naming them.
The pages: ``make app``'s index and lesson 03 (Voila, code hidden), a Persian lesson read
right to left (Voila), lesson 03 in JupyterLab, and the class standings page, at a
desktop's width and, where trainees may open them on a phone, at a phone's.  Pages are
waited for until their widgets have drawn and their fonts have loaded, so that what a
widget or a style sheet asks for late is counted too.

Voila's own ``lab`` template asks cdn.jsdelivr.net for Font Awesome (once on the index,
twice on a lesson); ``make app`` uses the template ``cxsim``
(``share/jupyter/voila/templates/cxsim``), which does not, and the icons still draw from
the fonts Voila serves itself (:func:`assert_icons_draw`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import ServiceThread

from cxsim.classroom import ClassConfig, Classroom, Store, connect
from cxsim.classroom.core import class_id
from cxsim.classroom.server import create_app
from cxsim.lessons.challenge import Policy

ROOT = Path(__file__).resolve().parents[2]
PERSIAN_LESSON = ROOT / "notebooks" / "fa" / "00_start_here.ipynb"
COURTESY = "Airport security: the cheapest way to satisfied passengers"  # lesson 03
WIDTHS = pytest.mark.parametrize("width", ["desktop", "phone"])

_ICONS_JS = """async () => {
  await document.fonts.ready;
  const icons = [...document.querySelectorAll('.fa, .fas, .far, .fab')];
  const faces = [...document.fonts].filter(face => face.family.includes('Font Awesome'));
  return {
    icons: icons.length,
    drawnBy: [...new Set(icons.map(icon => getComputedStyle(icon, '::before').fontFamily))],
    loaded: faces.filter(face => face.status === 'loaded').map(face => face.family),
  };
}"""


def assert_stayed_on_the_machine(page: Any, what: str) -> None:
    """Fail listing every address ``page`` asked for off this machine (all were aborted).

    Waits for the fonts first: a font is asked for only when text needs it.
    """
    page.evaluate("async () => { await document.fonts.ready; }")
    page.wait_for_timeout(500)  # late requests of scripts that just ran
    assert not page.blocked, (
        f"{what} asked for {len(page.blocked)} address(es) off this "
        "machine:\n  " + "\n  ".join(page.blocked)
    )


def assert_controls_fit_the_screen(page: Any) -> None:
    """Every slider, its readout included, lies within the screen's width: on a phone
    they ran off its right edge, readouts hidden."""
    overflow = page.evaluate("""() => [...document.querySelectorAll('.widget-slider')]
        .map(slider => slider.getBoundingClientRect().right - window.innerWidth)
        .filter(beyond => beyond > 1)""")
    assert overflow == [], f"{len(overflow)} slider(s) run past the screen's edge by {overflow} px"


def assert_icons_draw(page: Any) -> None:
    """The page's Font Awesome icons (the Reset button's) are drawn by a Font Awesome
    font that loaded, i.e. from this machine: no CDN style sheet was needed."""
    state = page.evaluate(_ICONS_JS)
    assert state["icons"] > 0, "no icon on the page: nothing to check"
    assert all("Font Awesome" in family for family in state["drawnBy"]), state
    assert state["loaded"], state


@WIDTHS
def test_voila_index_stays_on_the_machine(
    new_page: Callable[..., Any], voila_server: Any, screenshot: Any, width: str
) -> None:
    page = new_page(width)
    page.goto(voila_server.url)
    page.locator('a[href$="voila/render/03_courtesy.ipynb"]').wait_for()
    page.locator('a[href$="voila/tree/fa"]').wait_for()  # the language choice
    assert_stayed_on_the_machine(page, f"make app's index ({width})")
    screenshot(page, f"offline_voila_index_{width}")
    assert page.errors == []


@WIDTHS
def test_voila_lesson_stays_on_the_machine(
    new_page: Callable[..., Any],
    voila_server: Any,
    dashboard_view: Any,
    screenshot: Any,
    width: str,
) -> None:
    page = new_page(width)
    page.goto(f"{voila_server.url}voila/render/03_courtesy.ipynb", timeout=120_000)
    dashboard_view(page, COURTESY).wait_ready()
    assert_stayed_on_the_machine(page, f"lesson 03 in Voila ({width})")
    assert_icons_draw(page)
    assert_controls_fit_the_screen(page)
    screenshot(page, f"offline_voila_03_courtesy_{width}")
    assert page.errors == []


@WIDTHS
def test_persian_voila_lesson_stays_on_the_machine(
    new_page: Callable[..., Any], start_voila: Any, screenshot: Any, width: str
) -> None:
    server = start_voila(PERSIAN_LESSON)
    page = new_page(width)
    page.goto(server.url, timeout=120_000)
    page.locator(".cxsim-dashboard.cxsim-rtl .widget-slider").first.wait_for(timeout=120_000)
    assert_stayed_on_the_machine(page, f"the Persian lesson 00 in Voila ({width})")
    assert_controls_fit_the_screen(page)
    screenshot(page, f"offline_voila_fa_00_start_here_{width}")
    assert page.errors == []


def test_lab_lesson_stays_on_the_machine(page: Any, lab: Any, dashboard_view: Any) -> None:
    lab.open(page, "03_courtesy.ipynb")
    lab.run_all(page)
    dashboard_view(page, COURTESY).wait_ready()
    assert_stayed_on_the_machine(page, "lesson 03 in JupyterLab")
    assert page.errors == []


@WIDTHS
def test_standings_page_stays_on_the_machine(
    new_page: Callable[..., Any], tmp_path: Path, screenshot: Any, width: str
) -> None:
    pool = ThreadPoolExecutor(1)
    room = Classroom(
        Store(tmp_path / "class.sqlite"),
        class_id("oak"),
        ClassConfig(n=2, days=1, seed=0),
        executor=pool,
    )
    with ServiceThread(create_app(room, "oak", executor=pool)) as server:
        client = connect(server.url, "oak", tokens_file=None)
        client.submit("Owls", Policy(extra_agents=1))
        client.wait(timeout=60)
        page = new_page(width)
        page.goto(server.url + "/")
        page.locator('#standings td[data-column="team"]').first.wait_for()
        plot = page.locator("#plot")
        for _ in range(120):  # the page's CSP forbids wait_for_function's string predicates
            if plot.evaluate("img => img.complete && img.naturalWidth") > 0:
                break
            page.wait_for_timeout(250)
        assert_stayed_on_the_machine(page, f"the standings page ({width})")
        screenshot(page, f"offline_standings_{width}")
