"""The debrief against doing nothing (issue 16 item 6) and the page in the reader's
language (issue 17 item 9), at protocol level: a real HTTP service on 127.0.0.1.

- the standings hold a do-nothing row evaluated on the class's seeds, rank teams on
  the challenge's criterion, give each team's profit minus doing nothing (paired),
  mark budget breakers and teams that lost against doing nothing, give every team
  its own colour and keep share intervals inside 0-100%;
- the instructor's controls (hide, rename, close, freeze and reveal, fresh class) are
  guarded by the instructor's key;
- the page follows ``?lang=`` or ``Accept-Language``.
"""

from __future__ import annotations

import http.client
import json
import re

import pytest
from conftest import ServiceThread

from cxsim import challenge
from cxsim.challenge import Policy
from cxsim.classroom import ClassConfig, Classroom, Store
from cxsim.classroom.core import BASELINE_COLOUR, TEAM_COLOURS, class_id, evaluate_policy
from cxsim.classroom.server import KEY_HEADER, create_app

pytestmark = pytest.mark.slow  # a service, a store and a few dozen short runs

CODE = "tulip"
KEY = "sesame-42"
CONFIG = ClassConfig(n=3, days=2, seed=0)
TEAMS = {
    "Blue whales": Policy(extra_agents=1),
    "Lean": Policy(extra_agents=-2),  # loses customers: below doing nothing
    "Big spenders": Policy(extra_agents=4, training=1.0),  # over the weekly budget
}


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.request(
            method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})}
        )
        response = connection.getresponse()
        text = response.read().decode()
        kind = response.getheader("Content-Type", "")
        return response.status, json.loads(text) if "json" in kind else text
    finally:
        connection.close()


def submit(server, team, policy, token=None):
    body = {"code": CODE, "team": team, "policy": policy.to_dict()}
    if token:
        body["token"] = token
    return request(server, "POST", "/api/submit", body)


def act(server, key=KEY, **body):
    return request(server, "POST", "/api/instructor", body, {KEY_HEADER: key})


def public(server, query=""):
    status, data = request(server, "GET", "/api/standings" + query)
    assert status == 200
    return data["teams"]


@pytest.fixture
def server(tmp_path):
    # no executor: each submission is evaluated inside its request, so every answer
    # already holds the numbers
    room = Classroom(Store(tmp_path / "debrief.sqlite"), class_id(CODE), CONFIG)
    with ServiceThread(create_app(room, CODE, instructor_key=KEY)) as running:
        running.room = room
        yield running


@pytest.fixture
def class_of_three(server):
    tokens = {}
    for team, policy in TEAMS.items():
        status, receipt = submit(server, team, policy)
        assert status == 202, receipt
        tokens[team] = receipt["token"]
    server.tokens = tokens
    return server


# --------------------------------------------------------------------------- standings
def test_standings_hold_doing_nothing_on_the_same_seeds(class_of_three):
    rows = public(class_of_three)
    nothing = [row for row in rows if row["kind"] == "baseline"]
    assert len(nothing) == 1 and nothing[0]["team"] == "do nothing"
    expected = evaluate_policy(CONFIG.to_dict(), Policy().to_dict())["kpis"]["profit"]["mean"]
    assert nothing[0]["profit"] == pytest.approx(expected / 1e6)
    assert nothing[0]["rank"] is None and nothing[0]["colour"] == BASELINE_COLOUR
    # ranked by profit over the class's days; doing nothing sits at its place
    profits = [row["profit"] for row in rows]
    assert profits == sorted(profits, reverse=True)
    assert [row["rank"] for row in rows if row["kind"] == "team"] == [1, 2, 3]
    # profit minus doing nothing, paired by replication, as notebook 09 computes it
    direct = challenge.evaluate(
        {"do nothing": Policy(), **TEAMS}, n=CONFIG.n, days=CONFIG.days, seed=CONFIG.seed
    ).differences(against="do nothing")
    for row in rows:
        if row["kind"] == "team":
            assert row["vs_nothing"] == pytest.approx(
                direct.at[row["team"], "mean difference"], abs=0.006
            )
            assert row["vs_nothing_low"] == pytest.approx(
                direct.at[row["team"], "CI low"], abs=0.006
            )


def test_budget_breakers_and_teams_below_doing_nothing_are_marked(class_of_three):
    rows = {row["team"]: row for row in public(class_of_three)}
    assert rows["Big spenders"]["within_budget"] is False
    assert rows["Lean"]["against_nothing"] == "below" and rows["Lean"]["vs_nothing_high"] < 0
    assert rows["Blue whales"]["within_budget"] is True
    status, page = request(class_of_three, "GET", "/")
    assert status == 200
    big = re.search(r'<tr class="([^"]*)">(?:(?!</tr>).)*Big spenders', page).group(1)
    lean = re.search(r'<tr class="([^"]*)">(?:(?!</tr>).)*>Lean<', page).group(1)
    assert "over-budget" in big.split() and "lost" in lean.split()
    assert page.count('class="badge over-budget">over budget<') == 1
    assert page.count('class="badge lost">lost against doing nothing<') == 1
    assert "kind-baseline" in page and "profit over 2 days, customer equity included" in page


def test_every_team_has_its_own_colour_and_keeps_it(server):
    names = [f"Team {letter}" for letter in "ABCDEFGH"]
    tokens = {}
    for name in names:
        tokens[name] = submit(server, name, Policy(training=0.25))[1]["token"]
    colours = {row["team"]: row["colour"] for row in public(server) if row["kind"] == "team"}
    assert len(set(colours.values())) == len(names)  # eight teams, eight colours
    assert BASELINE_COLOUR not in colours.values()
    assert set(colours.values()) <= set(TEAM_COLOURS)
    submit(server, "Team A", Policy(extra_agents=2), tokens["Team A"])  # its rank moves
    after = {row["team"]: row["colour"] for row in public(server) if row["kind"] == "team"}
    assert after == colours


def test_share_intervals_stay_inside_0_and_100_percent():
    # two replications of a line with every lever pulled: CSAT near 100%, and a t
    # interval over two values is wide
    result = evaluate_policy(
        ClassConfig(n=2, days=1, seed=0).to_dict(), {"extra_agents": 5, "training": 1.0}
    )
    raw = challenge.evaluate(
        {"all": Policy(extra_agents=5, training=1.0)}, n=2, days=1, seed=0
    ).comparison.summary()
    raw_high = raw.set_index("kpi").loc["csat", "ci_high"]
    assert raw_high > 1  # what the standings would have shown
    for kpi in ("csat", "retention_rate"):
        stats = result["kpis"][kpi]
        assert 0 <= stats["ci_low"] <= stats["mean"] <= stats["ci_high"] <= 1


# --------------------------------------------------------------------------- instructor
def test_the_instructors_controls_need_the_instructors_key(class_of_three, tmp_path):
    assert request(class_of_three, "GET", "/api/instructor")[0] == 401
    status, answer = act(class_of_three, key="guess", action="close")
    assert (status, answer["field"]) == (401, "key")
    status, answer = request(class_of_three, "GET", "/api/instructor", headers={KEY_HEADER: KEY})
    assert status == 200 and answer["state"]["closed"] is False
    room = Classroom(Store(tmp_path / "off.sqlite"), class_id(CODE), CONFIG)
    with ServiceThread(create_app(room, CODE)) as keyless:  # no key: the controls are off
        status, answer = act(keyless, action="close")
        assert status == 403 and "CXSIM_INSTRUCTOR_KEY" in answer["error"]
    status, page = request(class_of_three, "GET", "/instructor")
    assert status == 200 and 'src="instructor.js"' in page and KEY not in page


def test_hide_show_and_rename_change_what_the_room_sees(class_of_three):
    server = class_of_three
    status, answer = act(server, action="hide", team="lean")
    assert status == 200, answer
    assert "Lean" not in [row["team"] for row in public(server)]
    assert [row["rank"] for row in public(server) if row["kind"] == "team"] == [1, 2]
    everyone = request(server, "GET", "/api/instructor", headers={KEY_HEADER: KEY})[1]["teams"]
    assert [row["hidden"] for row in everyone if row["team"] == "Lean"] == [True]
    act(server, action="show", team="Lean")
    assert "Lean" in [row["team"] for row in public(server)]
    status, answer = act(server, action="rename", team="Big spenders", name="Team 3")
    assert status == 200, answer
    teams = [row["team"] for row in public(server)]
    assert "Team 3" in teams and "Big spenders" not in teams
    # the team's token still works under the name it typed; the room still sees the new one
    status, _receipt = submit(
        server, "Big spenders", Policy(extra_agents=3), server.tokens["Big spenders"]
    )
    assert status == 202 and "Team 3" in [row["team"] for row in public(server)]
    status, answer = act(server, action="rename", team="Team 3", name="blue WHALES")
    assert (status, answer["field"]) == (409, "name")
    status, answer = act(server, action="hide", team="Nobody")
    assert (status, answer["field"]) == (404, "team") and "Blue whales" in answer["error"]
    status, answer = act(server, action="dance")
    assert (status, answer["field"]) == (422, "action") and "freeze" in answer["error"]
    status, answer = act(server, action="rename", name="x")
    assert (status, answer["field"]) == (422, "team")


def test_closed_submissions_are_refused_until_opened(class_of_three):
    server = class_of_three
    act(server, action="close")
    status, answer = submit(server, "Late", Policy())
    assert status == 409 and "closed" in answer["error"]
    act(server, action="open")
    assert submit(server, "Late", Policy())[0] == 202


def test_frozen_standings_hide_later_submissions_until_revealed(class_of_three):
    server = class_of_three
    before = public(server)
    status, answer = act(server, action="freeze")
    assert status == 200 and answer["state"]["frozen_at"] is not None
    submit(server, "Blue whales", Policy(training=1.0), server.tokens["Blue whales"])
    submit(server, "Newcomers", Policy(training=0.5))
    assert public(server) == before  # the room sees the standings as they were
    assert "frozen" in request(server, "GET", "/")[1]
    now = request(server, "GET", "/api/instructor", headers={KEY_HEADER: KEY})[1]["teams"]
    assert "Newcomers" in [row["team"] for row in now]
    act(server, action="reveal")
    revealed = {row["team"]: row for row in public(server)}
    assert "Newcomers" in revealed and revealed["Blue whales"]["policy"]["training"] == 1.0


def test_a_fresh_class_starts_empty_and_keeps_the_earlier_round(class_of_three):
    server = class_of_three
    act(server, action="hide", team="Lean")
    act(server, action="close")
    status, answer = act(server, action="fresh")
    assert status == 200 and answer["state"] == {
        "round": 1,
        "closed": False,
        "frozen_at": None,
        "hidden": [],
        "names": {},
    }
    assert public(server) == []
    status, receipt = submit(server, "Blue whales", Policy(extra_agents=1))  # a new team
    assert status == 202 and receipt["token"] and receipt["submissions"] == 1
    earlier = server.room.store.entries(class_id(CODE))
    assert sorted(entry["team"] for entry in earlier) == sorted(TEAMS)


# --------------------------------------------------------------------------- language
PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")


def test_the_page_follows_the_readers_language(class_of_three):
    server = class_of_three
    status, english = request(server, "GET", "/")
    assert '<html lang="en" dir="ltr">' in english
    for path, headers in (("/?lang=fa", {}), ("/", {"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"})):
        status, page = request(server, "GET", path, headers=headers)
        assert status == 200 and '<html lang="fa" dir="rtl">' in page
    rows = public(server, "?lang=fa")
    lean = next(row for row in rows if row["team"] == "Lean")
    shown_profit = lean["cells"]["vs_nothing"]
    assert shown_profit.startswith("\u200e\u2212") and set(shown_profit) & PERSIAN_DIGITS
    assert not re.search(r"[0-9]", shown_profit)  # no Latin digit in a Persian cell
    assert next(row for row in rows if row["kind"] == "baseline")["team"] != "do nothing"
    status, data = request(server, "GET", "/api/standings?lang=fa")
    assert not re.search(r"[A-Za-z]", data["columns"]["profit"])
    # the service's own language is left as it was
    assert '<html lang="en" dir="ltr">' in request(server, "GET", "/")[1]
