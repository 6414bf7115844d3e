"""The classroom store and the Classroom core, against SQLite and a real PostgreSQL."""

from __future__ import annotations

import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from cxsim.classroom import ClassConfig, Classroom, Store, SubmissionError
from cxsim.classroom.core import evaluate_policy
from cxsim.lessons import challenge
from cxsim.lessons.challenge import Policy

SMALL = ClassConfig(n=2, days=1, seed=3)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = (
        str(tmp_path / "class.sqlite")
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    store = Store(url)
    yield store
    store.close()


def new_class() -> str:
    return "test-" + uuid.uuid4().hex


def test_a_class_keeps_the_configuration_it_was_made_with(store):
    name = new_class()
    assert store.open_class(name, SMALL.to_dict()) == SMALL.to_dict()
    assert store.open_class(name, ClassConfig().to_dict(), strict=False) == SMALL.to_dict()
    with pytest.raises(ValueError, match="another configuration"):
        store.open_class(name, ClassConfig().to_dict())
    room = Classroom(store, name)  # no config given: the stored one
    assert room.config == SMALL


def test_first_submission_gives_a_token_later_ones_need_it(store):
    name = new_class()
    store.open_class(name, SMALL.to_dict())
    first = store.submit(name, "blue", "Blue", {"extra_agents": 1}, None)
    assert first["token"] and first["submissions"] == 1
    for token in (None, "", "not-the-token"):
        with pytest.raises(SubmissionError, match="token") as error:
            store.submit(name, "blue", "Blue", {"extra_agents": 2}, token)
        assert error.value.status == 403 and error.value.field == "token"
    again = store.submit(name, "blue", "BLUE", {"extra_agents": 2}, first["token"])
    assert again["token"] is None and again["submissions"] == 2 and again["id"] > first["id"]
    entries = store.entries(name)
    assert [(e["team"], e["policy"], e["submissions"]) for e in entries] == [
        ("BLUE", {"extra_agents": 2}, 2)
    ]
    assert [(h["team"], h["policy"]) for h in store.history(name)] == [
        ("Blue", {"extra_agents": 1}),
        ("BLUE", {"extra_agents": 2}),
    ]


def test_another_teams_token_does_not_open_a_team(store):
    name = new_class()
    store.open_class(name, SMALL.to_dict())
    red = store.submit(name, "red", "Red", {}, None)
    store.submit(name, "green", "Green", {}, None)
    with pytest.raises(SubmissionError):
        store.submit(name, "green", "Green", {"training": 1.0}, red["token"])


def test_classes_do_not_see_each_others_teams(store):
    one, two = new_class(), new_class()
    for name in (one, two):
        store.open_class(name, SMALL.to_dict())
    store.submit(one, "blue", "Blue", {}, None)
    assert store.submit(two, "blue", "Blue", {}, None)["token"]  # a new team there
    assert len(store.entries(one)) == len(store.entries(two)) == 1


def test_racing_first_submissions_of_one_name_make_one_team(store):
    name = new_class()
    store.open_class(name, SMALL.to_dict())

    def attempt(i: int):
        try:
            return store.submit(name, "same", "Same", {"extra_agents": i % 3}, None)
        except SubmissionError as error:
            return error.status

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, range(16)))
    tokens = [o for o in outcomes if isinstance(o, dict)]
    assert len(tokens) == 1 and tokens[0]["token"]
    assert sorted(o for o in outcomes if not isinstance(o, dict)) == [403] * 15
    assert len(store.history(name)) == 1


def test_evaluations_are_stored_once_per_policy(store):
    name = new_class()
    store.open_class(name, SMALL.to_dict())
    receipt = store.submit(name, "a", "A", {"training": 0.5}, None)
    assert store.pending(name) == {receipt["policy_key"]: {"training": 0.5}}
    store.record_evaluation(name, receipt["policy_key"], {"x": 1})
    store.record_evaluation(name, receipt["policy_key"], {"x": 2})  # ignored
    assert store.evaluation(name, receipt["policy_key"]) == {"x": 1}
    assert store.pending(name) == {}


def test_standings_agree_with_a_direct_evaluation(store):
    policies = {
        "Charm": Policy(training=1.0, follow_up=True, follow_up_capacity=20),
        "More": Policy(extra_agents=2),
        "Lean": Policy(extra_agents=-1),
        "Also more": Policy(extra_agents=2),
    }
    with ProcessPoolExecutor(2) as pool:
        room = Classroom(store, new_class(), SMALL, executor=pool)
        for team, policy in policies.items():
            assert room.submit(team, policy)["token"]
        pool.shutdown(wait=True)
    everything = room.standings()
    assert all(row["status"] == "done" for row in everything)
    rows = [row for row in everything if row["kind"] == "team"]
    direct = challenge.evaluate(
        dict(sorted(policies.items(), key=lambda kv: kv[0].lower())),
        n=SMALL.n,
        days=SMALL.days,
        seed=SMALL.seed,
    ).standings()
    assert [row["team"] for row in rows] == list(direct["policy"])
    for row, (_rank, expected) in zip(rows, direct.iterrows(), strict=True):
        assert round(row["profit"], 2) == expected["profit (million toman)"]
        assert round(row["profit_low"], 2) == expected["profit CI low"]
        assert round(row["profit_high"], 2) == expected["profit CI high"]
        assert round(row["csat"], 2) == expected["CSAT (share satisfied)"]
        assert round(row["mean_wait"], 2) == expected["Mean wait (min)"]


def test_a_restarted_classroom_evaluates_what_was_left_pending(store):
    name = new_class()
    store.open_class(name, SMALL.to_dict())
    store.submit(name, "a", "A", {"extra_agents": 3}, None)  # stored, never evaluated
    room = Classroom(store, name)  # serial: resume() evaluates at once
    [row] = [row for row in room.standings() if row["kind"] == "team"]
    assert row["status"] == "done"
    assert (
        row["profit"]
        == evaluate_policy(SMALL.to_dict(), {"extra_agents": 3})["kpis"]["profit"]["mean"] / 1e6
    )


def test_a_killed_worker_loses_no_submission(tmp_path):
    import os
    import signal
    import time

    store = Store(tmp_path / "broken.sqlite")
    pools = [ProcessPoolExecutor(1)]

    def renew():
        pools.append(ProcessPoolExecutor(1))
        return pools[-1]

    room = Classroom(store, new_class(), SMALL, executor=pools[0], renew=renew)
    try:
        worker = pools[0].submit(os.getpid).result()
        room.submit("Before", {"extra_agents": 1})  # in flight when the worker dies
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while len(pools) == 1 or room.evaluating:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        room.submit("After", {"extra_agents": 2})  # on the new pool
        while room.evaluating:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert {row["team"]: row["status"] for row in room.standings()} == {
            "Before": "done",
            "After": "done",
            "do nothing": "done",
        }
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)


def test_the_class_history_shows_the_rooms_local_time_to_the_minute(monkeypatch):
    import datetime

    import cxsim
    from cxsim.classroom.core import room_time

    moment = datetime.datetime(2026, 12, 3, 9, 5, 7, 123456, tzinfo=datetime.UTC)
    monkeypatch.delenv("CXSIM_TIMEZONE", raising=False)
    cxsim.set_language("fa")
    try:
        assert room_time(moment) == "۲۰۲۶-۱۲-۰۳ ۱۲:۳۵"  # Tehran, UTC+3:30, no seconds
        assert room_time(None) == "-"
    finally:
        cxsim.set_language("en")
    monkeypatch.setenv("CXSIM_TIMEZONE", "Europe/London")
    assert room_time(moment.isoformat()) == "2026-12-03 09:05"
