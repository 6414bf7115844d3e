"""The standings page in a real browser (Debian's chromium driven by Python playwright):
teams in the right order beside doing nothing, a hostile team name shown as text and never
run, the page refreshing by itself when a new submission is evaluated, the debrief's marks
(a budget breaker, a team below doing nothing, one colour per team) in English and in
Persian.  Screenshots go to test-artifacts/screenshots/ (and $CXSIM_SHOTS, if set).  The
``browser`` fixture (one Chromium for the session) is the one in
``tests/browser/conftest.py``."""

from __future__ import annotations

import json
import os
import re
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import ARTIFACTS, ServiceThread

from cxsim.classroom import ClassConfig, Classroom, Store, connect
from cxsim.classroom.core import class_id
from cxsim.classroom.server import create_app
from cxsim.lessons.challenge import Policy

CODE = "maple"
HOSTILE = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
SHOTS = ARTIFACTS / "screenshots"


def until(condition, timeout: float = 30.0) -> None:
    """Poll ``condition`` (the page's CSP forbids the string predicates of
    wait_for_function: we test the page as served)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the page did not get there in time"
        time.sleep(0.25)


def test_the_standings_page_ranks_teams_and_shows_hostile_names_as_text(page, tmp_path):
    pool = ThreadPoolExecutor(2)
    room = Classroom(
        Store(tmp_path / "class.sqlite"),
        class_id(CODE),
        ClassConfig(n=2, days=1, seed=0),
        executor=pool,
    )
    with ServiceThread(create_app(room, CODE, executor=pool)) as server:
        client = connect(server.url, CODE, tokens_file=None)
        for team, policy in [
            ("Lean", Policy(extra_agents=-2)),
            (HOSTILE, Policy(extra_agents=1)),
            ("Charm", Policy(training=1.0, follow_up=True)),
            (IMG, Policy(extra_agents=3)),
        ]:
            client.submit(team, policy)
        client.wait(timeout=60)
        with urllib.request.urlopen(server.url + "/api/standings") as response:
            expected = [row["team"] for row in json.loads(response.read())["teams"]]
        assert sorted(expected) == sorted(["Lean", HOSTILE, "Charm", IMG, "do nothing"])

        # ``page`` (tests/browser/conftest.py): 1400x1000, requests off 127.0.0.1 aborted
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server.url + "/")
        cells = page.locator('#standings td[data-column="team"] .name')
        assert cells.all_inner_texts() == expected
        until(lambda: page.locator("#plot").evaluate("img => img.naturalWidth") > 0)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "classroom-standings.png"), full_page=True)

        # a new team: the page picks it up by itself (no reload)
        client.submit("Late owls", Policy(extra_agents=2, training=0.5))
        until(lambda: "Late owls" in cells.all_inner_texts())
        client.wait(timeout=60)
        until(lambda: page.locator("#standings tr.status-evaluating").count() == 0)
        with urllib.request.urlopen(server.url + "/api/standings") as response:
            data = json.loads(response.read())
        expected = [row["team"] for row in data["teams"]]
        assert cells.all_inner_texts() == expected
        until(
            lambda: (
                page.locator("#plot").get_attribute("src").endswith(data["version"])
                and page.locator("#plot").evaluate("img => img.complete && img.naturalWidth")
            )
        )
        ranks = page.locator('#standings td[data-column="rank"]').all_inner_texts()
        assert [rank for rank in ranks if rank != "-"] == [str(i) for i in range(1, len(expected))]
        assert ranks.count("-") == 1  # doing nothing: the bar, not a rank
        profits = [
            float(p.replace(",", ""))
            for p in page.locator('#standings td[data-column="profit"]').all_inner_texts()
        ]
        assert profits == sorted(profits, reverse=True)
        page.screenshot(path=str(SHOTS / "classroom-standings-refreshed.png"), full_page=True)

        # the hostile names are text, literally, and nothing ran
        assert page.get_by_text(HOSTILE, exact=True).count() == 1
        assert page.get_by_text(IMG, exact=True).count() == 1
        assert page.locator("#standings script, #standings img").count() == 0
        assert page.evaluate("document.scripts.length") == 1  # standings.js only
        assert dialogs == []


PERSIAN_TEAMS = {
    "شیرهای آبی": Policy(extra_agents=1),  # ZWNJ-free, plain Persian
    "خوش\u200cروها": Policy(training=1.0),  # a ZWNJ inside the word
    "علي كم\u200cخرج": Policy(extra_agents=-2),  # Arabic ي/ك typed: stored as Persian
    "Big spenders": Policy(extra_agents=4, training=1.0),  # over the budget
    "Balanced": Policy(extra_agents=1, training=0.1, follow_up=True, follow_up_capacity=10),
}


def _shots() -> list[Path]:
    folders = [SHOTS]
    if os.environ.get("CXSIM_SHOTS"):
        folders.append(Path(os.environ["CXSIM_SHOTS"]))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders


def test_the_debrief_marks_budget_breakers_and_losers_in_english_and_persian(page, tmp_path):
    room = Classroom(
        Store(tmp_path / "debrief.sqlite"), class_id(CODE), ClassConfig(n=3, days=2, seed=0)
    )  # evaluated inside each request: the answers hold the numbers
    with ServiceThread(create_app(room, CODE, instructor_key="k")) as server:
        client = connect(server.url, CODE, tokens_file=None)
        for team, policy in PERSIAN_TEAMS.items():
            client.submit(team, policy)
        page.goto(server.url + "/?lang=en")
        until(lambda: page.locator("#plot").evaluate("img => img.naturalWidth") > 0)
        rows = page.locator("#standings tbody tr")
        assert rows.count() == len(PERSIAN_TEAMS) + 1
        nothing = page.locator("#standings tr.kind-baseline")
        assert nothing.locator(".name").inner_text() == "do nothing"
        over = page.locator("#standings tr.over-budget .name").all_inner_texts()
        assert over == ["Big spenders"]
        assert page.locator("#standings tr.lost .name").all_inner_texts() == ["علی کم\u200cخرج"]
        colours = page.locator("#standings .swatch").evaluate_all(
            "spans => spans.map(s => getComputedStyle(s).backgroundColor)"
        )
        assert len(set(colours)) == len(colours)  # every team and doing nothing: its own
        for folder in _shots():
            page.screenshot(path=str(folder / "debrief_en.png"), full_page=True)

        # the instructor renames the two English names for the Persian room
        for team, name in (("Big spenders", "ولخرج‌ها"), ("Balanced", "میانه‌روها")):
            request = urllib.request.Request(
                server.url + "/api/instructor",
                data=json.dumps({"action": "rename", "team": team, "name": name}).encode(),
                headers={"Content-Type": "application/json", "X-Instructor-Key": "k"},
                method="POST",
            )
            with urllib.request.urlopen(request) as answer:
                assert answer.status == 200
        page.goto(server.url + "/?lang=fa")
        until(lambda: page.locator("#plot").evaluate("img => img.naturalWidth") > 0)
        assert page.locator("html").get_attribute("dir") == "rtl"
        lost = page.locator('#standings tr.lost td[data-column="vs_nothing"]').inner_text()
        assert "\u2212" in lost and not re.search("[0-9]", lost)  # Persian minus and digits
        heads = " ".join(page.locator("#standings th").all_inner_texts())
        assert not re.search("[A-Za-z]", heads)
        names = page.locator("#standings .name").all_inner_texts()
        assert not re.search("[A-Za-z]", " ".join(names)) and "ولخرج‌ها" in names
        for folder in _shots():
            page.screenshot(path=str(folder / "debrief_fa.png"), full_page=True)


def test_the_instructors_page_asks_for_the_key_then_hides_and_freezes(page, tmp_path):
    room = Classroom(
        Store(tmp_path / "controls.sqlite"), class_id(CODE), ClassConfig(n=2, days=1, seed=0)
    )
    with ServiceThread(create_app(room, CODE, instructor_key="open sesame")) as server:
        client = connect(server.url, CODE, tokens_file=None)
        for team in ("Herons", "Rude name"):
            client.submit(team, Policy(extra_agents=1))
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(server.url + "/instructor")
        page.fill("#key", "wrong")
        page.click("#login button")
        until(lambda: "wrong instructor's key" in page.inner_text("#news"))
        assert page.locator("#panel").is_hidden()
        page.fill("#key", "open sesame")
        page.click("#login button")
        until(lambda: page.locator("#teams tr").count() == 2)
        row = page.locator("#teams tr", has_text="Rude name")
        row.locator('button[name="hide"]').click()
        until(lambda: "hidden from the room" in page.inner_text("#news"))
        public = [row["team"] for row in client.standings_rows()]
        assert "Rude name" not in public and "Herons" in public
        page.click('button[name="standings"]')  # freeze
        until(lambda: "frozen" in page.inner_text("#state"))
        client.submit("Late", Policy())
        assert "Late" not in [row["team"] for row in client.standings_rows()]
        page.click('button[name="standings"]')  # reveal
        until(lambda: "Late" in [row["team"] for row in client.standings_rows()])
        for folder in _shots():
            page.screenshot(path=str(folder / "instructor_controls.png"), full_page=True)
