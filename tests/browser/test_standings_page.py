"""The standings page in a real browser (Debian's chromium driven by Python playwright):
teams in the right order, a hostile team name shown as text and never run, the page
refreshing by itself when a new submission is evaluated.  Screenshots go to
test-artifacts/screenshots/.  The ``browser`` fixture (one Chromium for the session) is
the one in ``tests/browser/conftest.py``."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

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
        assert sorted(expected) == sorted(["Lean", HOSTILE, "Charm", IMG])

        # ``page`` (tests/browser/conftest.py): 1400x1000, requests off 127.0.0.1 aborted
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server.url + "/")
        cells = page.locator('#standings td[data-column="team"]')
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
        assert ranks == [str(i) for i in range(1, len(expected) + 1)]
        profits = [
            float(p) for p in page.locator('#standings td[data-column="profit"]').all_inner_texts()
        ]
        assert profits == sorted(profits, reverse=True)
        page.screenshot(path=str(SHOTS / "classroom-standings-refreshed.png"), full_page=True)

        # the hostile names are text, literally, and nothing ran
        assert page.get_by_text(HOSTILE, exact=True).count() == 1
        assert page.get_by_text(IMG, exact=True).count() == 1
        assert page.locator("#standings script, #standings img").count() == 0
        assert page.evaluate("document.scripts.length") == 1  # standings.js only
        assert dialogs == []
