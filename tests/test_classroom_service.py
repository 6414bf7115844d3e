"""The classroom web service over real HTTP: bad and hostile submissions, escaping,
the notebook clients and the Submit widget."""

from __future__ import annotations

import http.client
import json
import logging
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ServiceThread

from cxsim.classroom import ClassConfig, Classroom, Store, SubmissionError, connect, local
from cxsim.classroom.core import class_id
from cxsim.classroom.server import MAX_BODY, create_app
from cxsim.classroom.widget import submit_widget
from cxsim.lessons.challenge import Policy

CODE = "tulip"
SMALL = ClassConfig(n=2, days=1, seed=0)
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    db = tmp_path_factory.mktemp("service") / "class.sqlite"
    pool = ThreadPoolExecutor(2)
    room = Classroom(Store(db), class_id(CODE), SMALL, executor=pool)
    with ServiceThread(create_app(room, CODE, executor=pool)) as server:
        yield server


def post(
    url: str, body: bytes | str | dict, headers: dict | None = None, chunked: bool = False
) -> tuple[int, dict]:
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        if chunked:
            connection.request(
                "POST",
                "/api/submit",
                body=iter([body]),
                headers={"Content-Type": "application/json", **(headers or {})},
                encode_chunked=True,
            )
        else:
            connection.request(
                "POST",
                "/api/submit",
                body=body,
                headers={"Content-Type": "application/json", **(headers or {})},
            )
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def get(service, path: str) -> tuple[int, str, object]:
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode(), response.msg
    finally:
        connection.close()


def submission(team="Team", **policy):
    return {"code": CODE, "team": team, "policy": policy}


def test_wrong_or_missing_class_code_is_401_and_logged(service, caplog):
    with caplog.at_level(logging.WARNING, logger="cxsim.classroom"):
        status, answer = post(service.url, {**submission("Intruder"), "code": "rose"})
        assert (status, answer["field"]) == (401, "code")
        assert "class code" in answer["error"]
        status, _answer = post(service.url, {"team": "Intruder", "policy": {}})
        assert status == 401
    assert sum("wrong class code" in r.getMessage() for r in caplog.records) == 2
    assert "Intruder" in caplog.text


@pytest.mark.parametrize(
    ("policy", "field", "allowed"),
    [
        ({"extra_agents": 6}, "extra_agents", "-2 to 5"),
        ({"extra_agents": 1.5}, "extra_agents", "-2 to 5"),
        ({"training": "full"}, "training", "0 to 1"),
        ({"training": True}, "training", "0 to 1"),
        ({"promise_min": 0.5}, "promise_min", "1 to 15"),
        ({"follow_up_capacity": 1e9}, "follow_up_capacity", "0 to 40"),
        ({"follow_up": "yes"}, "follow_up", "True or False"),
        ({"bonus": 1}, "bonus", "extra_agents, training, promise_min, follow_up"),
    ],
)
def test_levers_out_of_range_or_unknown_are_422_naming_lever_and_allowed(
    service, policy, field, allowed
):
    status, answer = post(service.url, submission("Levers", **policy))
    assert status == 422, answer
    assert answer["field"] == "policy"
    assert field in answer["error"] and allowed in answer["error"]


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        (
            {"code": CODE, "team": "T", "policy": {}, "score": 99},
            422,
            "score",
            "allowed: code, team, policy, token",
        ),
        ({"code": CODE, "policy": {}}, 422, "team", "missing"),
        ({"code": CODE, "team": "T"}, 422, "policy", "missing"),
        ({"code": CODE, "team": "", "policy": {}}, 422, "team", "1 to 40 characters"),
        ({"code": CODE, "team": "x" * 41, "policy": {}}, 422, "team", "1 to 40 characters"),
        ({"code": CODE, "team": 7, "policy": {}}, 422, "team", "not text"),
        ({"code": CODE, "team": "bell\x07", "policy": {}}, 422, "team", "control"),
        ({"code": CODE, "team": "T", "policy": [1, 2]}, 422, "policy", "dict of levers"),
        ({"code": CODE, "team": "T", "policy": {}, "token": 5}, 422, "token", "text"),
        (
            {"code": CODE, "team": "T", "policy": {"extra_agents": 10**401}},
            422,
            "policy",
            "extra_agents: 1e+401 is outside the allowed range",
        ),
    ],
)
def test_malformed_submissions_are_4xx_naming_the_field(service, body, status, field, words):
    got, answer = post(service.url, body)
    assert (got, answer["field"]) == (status, field), answer
    assert words in answer["error"]


def test_not_json_is_400(service):
    assert post(service.url, b"code=tulip&team=x")[0] == 400
    assert post(service.url, b"\xff\xfe")[0] == 400
    assert post(service.url, "[1, 2]")[0] == 400
    # past Python's 4300-digit limit int() refuses a number: still read, and named
    huge = '{"code": "tulip", "team": "T", "policy": {"training": ' + "9" * 5000 + "}}"
    status, answer = post(service.url, huge)
    assert (status, answer["field"]) == (422, "policy")
    assert "training: 1e+5000 is outside the allowed range 0 to 1" in answer["error"]


def test_oversized_bodies_are_413_with_or_without_a_length(service):
    big = json.dumps({**submission("Big"), "token": "x" * (MAX_BODY + 10)})
    status, answer = post(service.url, big)
    assert status == 413 and str(MAX_BODY) in answer["error"]
    status, answer = post(service.url, big, chunked=True)
    assert status == 413 and str(MAX_BODY) in answer["error"]


def test_a_team_cannot_overwrite_another_without_its_token(service):
    status, first = post(service.url, submission("Owls", extra_agents=1))
    assert status == 202 and first["token"] and first["status"] in ("evaluating", "done")
    status, answer = post(service.url, submission("owls ", extra_agents=-2))
    assert (status, answer["field"]) == (403, "token")
    status, _other = post(service.url, submission("Larks"))
    status, answer = post(
        service.url, {**submission("Owls", extra_agents=-2), "token": _other["token"]}
    )
    assert status == 403
    status, again = post(
        service.url, {**submission("Owls", extra_agents=2), "token": first["token"]}
    )
    assert status == 202 and again["submissions"] == 2 and "token" in again
    assert again["token"] is None


def test_clients_submit_and_read_standings_with_the_same_numbers(service, tmp_path):
    remote = connect(service.url, CODE, tokens_file=tmp_path / "tokens.json")
    receipt = remote.submit("Herons", Policy(training=1.0))
    assert receipt.token and "Herons" in receipt.message()
    again = remote.submit("Herons", {"training": 0.5})  # token remembered
    assert again.submissions == 2
    # a new notebook (kernel restart) finds the token in the file
    later = connect(service.url, CODE, tokens_file=tmp_path / "tokens.json")
    assert later.submit("Herons", {"training": 0.75}).submissions == 3
    with pytest.raises(SubmissionError, match="wrong class code"):
        connect(service.url, "daisy", tokens_file=None).submit("X", {})
    table = remote.wait(timeout=60)
    row = table[table["team"] == "Herons"].iloc[0]
    here = local(tmp_path / "same.sqlite", SMALL)
    here.submit("Herons", {"training": 0.75})
    mine = here.standings().iloc[0]
    for column in ("profit (million toman)", "profit CI low", "CSAT (share satisfied)"):
        assert mine[column] == row[column]


def test_hostile_team_names_are_text_on_the_page_and_in_the_notebook(service, tmp_path):
    status, _answer = post(service.url, submission(HOSTILE, extra_agents=1))
    assert status == 202
    remote = connect(service.url, CODE, tokens_file=None)
    remote.wait(timeout=60)
    status, page, headers = get(service, "/")
    policy = headers["Content-Security-Policy"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert HOSTILE not in page
    assert "script-src 'self'" in policy
    html = remote.standings()._repr_html_()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and HOSTILE not in html
    here = local(tmp_path / "w.sqlite", SMALL)
    widget = submit_widget(Policy(extra_agents=1), here)
    widget.team.value = HOSTILE
    widget.button.click()
    assert "&lt;script&gt;" in widget.status.value and "<script>" not in widget.status.value
    assert sorted(here.standings()["team"].tolist()) == sorted([HOSTILE, "do nothing"])
    widget.button.click()  # same name, same notebook: the token is remembered
    assert "submission 2" in widget.status.value
    widget.team.value = ""
    widget.button.click()
    assert "Not submitted" in widget.status.value and "team" in widget.status.value
    status, svg, headers = get(service, "/plot.svg")
    assert status == 200 and svg.lstrip().startswith("<?xml")
    assert headers["Content-Type"].startswith("image/svg+xml")
    assert "<script" not in svg


def test_the_submit_widget_reads_the_dashboards_levers(tmp_path):
    from cxsim.lessons import challenge

    board = challenge.dashboard(days=1)
    board.update(extra_agents=2, training=0.5)
    here = local(tmp_path / "board.sqlite", SMALL)
    widget = submit_widget(board, here)
    widget.team.value = "Board"
    widget.submit()
    assert widget.receipt is not None
    assert widget.receipt.policy["extra_agents"] == 2
    assert widget.receipt.policy["training"] == 0.5


def test_page_columns_and_errors_pass_through_the_translation_function(tmp_path):
    from cxsim import i18n
    from cxsim.classroom.server import _page, _payload

    i18n._CATALOGUES["xx"] = {
        "Class standings": "XX standings",
        "team": "XX team",
        "evaluating": "XX evaluating",
        "code: wrong class code; ask your instructor for the class's code word": "XX wrong code",
    }
    room = Classroom(
        Store(tmp_path / "i18n.sqlite"), class_id(CODE), SMALL, executor=ThreadPoolExecutor(1)
    )
    try:
        i18n.set_language("xx")
        room.submit("Cranes", {})
        page = _page(_payload(room))
        assert "<title>XX standings</title>" in page and ">XX team</th>" in page
        assert "XX team" in room.standings_frame().columns
        with ServiceThread(create_app(room, CODE)) as server:
            status, answer = post(server.url, {**submission("X"), "code": "no"})
        assert (status, answer["error"]) == (401, "XX wrong code")
    finally:
        i18n.set_language("en")
        del i18n._CATALOGUES["xx"]
        room.executor.shutdown(wait=True)


def test_class_configuration_is_checked_naming_the_field():
    for field, value in (("n", 1), ("days", 0), ("seed", -1), ("n", 2.5)):
        with pytest.raises(ValueError, match=f"^{field}: .*allowed"):
            ClassConfig(**{field: value})
    # notebook 09's ranking and check: 10 paired replications of 28 days
    assert ClassConfig() == ClassConfig(n=10, days=28, seed=0)


def test_serve_refuses_a_missing_code_or_another_configuration(tmp_path, capsys):
    from cxsim.cli import main

    assert main(["classroom", "serve", "--code", " ", "--db", str(tmp_path / "c.sqlite")]) == 2
    assert "--code" in capsys.readouterr().err
    Classroom(Store(tmp_path / "c.sqlite"), class_id("oak"), SMALL)
    assert (
        main(["classroom", "serve", "--code", "oak", "--db", str(tmp_path / "c.sqlite"), "-n", "9"])
        == 2
    )
    assert "another configuration" in capsys.readouterr().err


def test_team_names_with_dollars_and_backslashes_plot_as_literal_text(tmp_path):
    import io

    from cxsim.classroom import plot_standings

    here = local(tmp_path / "plot.sqlite", SMALL)
    for team in ("$x^2$", "a$b", "back\\slash"):
        here.submit(team, {})
    figure = plot_standings(here.standings_rows(), n=SMALL.n)
    figure.savefig(io.BytesIO(), format="svg")  # mathtext would fail on "a$b"
    texts = sorted(t.get_text() for t in figure.axes[0].texts if ". " in t.get_text())
    assert [t.split(". ", 1)[1] for t in texts] == [r"\$x^2\$", r"a\$b", "back\\\\slash"]


def test_guessing_the_class_code_is_slowed_down(tmp_path):
    from cxsim.classroom.server import MAX_WRONG_CODES

    room = Classroom(Store(tmp_path / "guess.sqlite"), class_id(CODE), SMALL)
    with ServiceThread(create_app(room, CODE)) as server:
        statuses = [
            post(server.url, {**submission("G"), "code": f"guess{i}"})[0]
            for i in range(MAX_WRONG_CODES + 2)
        ]
        assert statuses == [401] * MAX_WRONG_CODES + [429, 429]
        status, answer = post(server.url, submission("G"))  # even the right code, for now
        assert (status, answer["field"]) == (429, "code")
