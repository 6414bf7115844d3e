"""Load test on loopback: 40 teams submit 5 policies each, at once, to the real service
(``python -m cxsim classroom serve`` in a subprocess, evaluations in its worker pool).
Every submission must be stored exactly once, the page must stay responsive, and the
standings must agree with a direct re-simulation (challenge.evaluate, same config)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from statistics import median

import psutil
from conftest import ARTIFACTS, free_port

from cxsim.classroom import ClassConfig, Store, connect
from cxsim.classroom.core import class_id, team_key
from cxsim.lessons import challenge
from cxsim.lessons.challenge import Policy

TEAMS, EACH = 40, 5
CODE = "load-test"
CONFIG = ClassConfig(n=2, days=1, seed=11)


# 24 distinct policies to draw from: the test is about the transport and the queue, and
# identical policies share one evaluation (fixed seeds), as they would in a class.
CANDIDATES = [
    Policy(extra_agents=agents, training=training, follow_up=follow_up, follow_up_capacity=20)
    for agents in (-1, 0, 1, 2)
    for training in (0.0, 1.0)
    for follow_up in (False, True)
] + [
    Policy(extra_agents=agents, promise_min=promise)
    for agents in (0, 1, 3, 4)
    for promise in (2.0, 5.0)
]


def _policies(team: int) -> list[Policy]:
    rng = random.Random(team)
    return [rng.choice(CANDIDATES) for _ in range(EACH)]


def _get(url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
    return time.perf_counter() - start, body


@contextmanager
def served(tmp_path, db: str) -> Iterator[str]:
    """``python -m cxsim classroom serve`` on a free loopback port, stopped after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cxsim",
                "classroom",
                "serve",
                "--code",
                CODE,
                "--db",
                db,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "2",
                "-n",
                str(CONFIG.n),
                "--days",
                str(CONFIG.days),
                "--seed",
                str(CONFIG.seed),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    _get(url + "/api/health")
                    break
                except OSError:
                    assert server.poll() is None, (tmp_path / "server.log").read_text()
                    assert time.monotonic() < deadline, "the service did not start"
                    time.sleep(0.2)
            yield url
        finally:
            workers = psutil.Process(server.pid).children(recursive=True)
            server.terminate()
            server.wait(timeout=30)
            # Stopping the service stops its simulation workers too: none is left behind.
            _gone, alive = psutil.wait_procs(workers, timeout=10)
            for process in alive:
                process.kill()
            assert not alive, f"worker processes outlived the service: {alive}"


def test_forty_teams_submitting_at_once_lose_nothing(tmp_path):
    db = tmp_path / "load.sqlite"
    with served(tmp_path, str(db)) as url:
        printed = (tmp_path / "server.log").read_text()
        assert f'classroom.connect("{url}", code="{CODE}")' in printed

        # the page, polled all along by a projector
        page_times: list[float] = []
        stop = threading.Event()

        def projector() -> None:
            while not stop.is_set():
                page_times.append(_get(url + "/")[0])
                page_times.append(_get(url + "/api/standings")[0])
                time.sleep(0.2)

        watcher = threading.Thread(target=projector)
        watcher.start()
        barrier = threading.Barrier(TEAMS)
        latencies: list[float] = []

        def team(index: int) -> list[tuple[str, int, Policy]]:
            client = connect(url, CODE, tokens_file=None)
            name = f"Team {index:02d}"
            barrier.wait()
            done = []
            for policy in _policies(index):
                start = time.perf_counter()
                receipt = client.submit(name, policy)
                latencies.append(time.perf_counter() - start)
                done.append((name, receipt.id, policy))
            return done

        start = time.perf_counter()
        with ThreadPoolExecutor(TEAMS) as pool:
            sent = [item for items in pool.map(team, range(TEAMS)) for item in items]
        submitted = time.perf_counter() - start
        table = connect(url, CODE, tokens_file=None).wait(timeout=120, every=0.25)
        table = table[table["team"] != "do nothing"]  # the benchmark row: not a team
        evaluated = time.perf_counter() - start
        stop.set()
        watcher.join()

    # every submission in the store exactly once
    history = Store(db).history(class_id(CODE))
    ids = [row["id"] for row in history]
    assert len(sent) == TEAMS * EACH
    assert sorted(ids) == sorted(receipt for _team, receipt, _policy in sent)
    assert len(set(ids)) == len(ids)
    by_id = {row["id"]: row for row in history}
    for name, receipt, policy in sent:
        assert by_id[receipt]["team"] == name and by_id[receipt]["policy"] == policy.to_dict()

    # the standings: each team's last policy, re-simulated, as a direct evaluation says
    final = {f"Team {i:02d}": _policies(i)[-1] for i in range(TEAMS)}
    with ProcessPoolExecutor(2) as workers:  # the numbers do not depend on the executor
        direct = challenge.evaluate(
            dict(sorted(final.items(), key=lambda kv: team_key(kv[0]))),
            n=CONFIG.n,
            days=CONFIG.days,
            seed=CONFIG.seed,
            executor=workers,
        ).standings()
    assert len(table) == TEAMS
    assert list(table["team"]) == list(direct["policy"])
    columns = [
        "profit (million toman)",
        "profit CI low",
        "profit CI high",
        "CSAT (share satisfied)",
        "Stayed after a journey",
        "Mean wait (min)",
        "Total cost (million toman)",
        "extra cost a week (million toman)",
        "within budget",
    ]
    assert (table[columns].to_numpy() == direct[columns].to_numpy()).all()
    assert (table["submissions"] == EACH).all()

    figures = {
        "teams": TEAMS,
        "submissions": len(sent),
        "stored": len(ids),
        "lost": 0,
        "distinct_policies": len({json.dumps(p.to_dict(), sort_keys=True) for _t, _r, p in sent}),
        "submit_wall_s": round(submitted, 2),
        "all_evaluated_wall_s": round(evaluated, 2),
        "submit_latency_median_s": round(median(latencies), 3),
        "submit_latency_max_s": round(max(latencies), 3),
        "page_requests": len(page_times),
        "page_latency_max_s": round(max(page_times), 3),
        "config": CONFIG.to_dict(),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "classroom-load.json").write_text(json.dumps(figures, indent=1))
    print("\nclassroom load test:", json.dumps(figures))
    assert max(page_times) < 5.0, "the standings page blocked while teams submitted"


def test_the_service_keeps_its_class_in_postgresql(tmp_path, postgres_url):
    with served(tmp_path, postgres_url) as url:

        def team(index: int) -> list[int]:
            client = connect(url, CODE, tokens_file=None)
            return [client.submit(f"PG {index}", policy).id for policy in _policies(index)[:2]]

        with ThreadPoolExecutor(8) as pool:
            ids = [i for items in pool.map(team, range(8)) for i in items]
        table = connect(url, CODE, tokens_file=None).wait(timeout=120, every=0.25)
    table = table[table["team"] != "do nothing"]  # the benchmark row: not a team
    history = Store(postgres_url).history(class_id(CODE))
    assert sorted(row["id"] for row in history) == sorted(ids) and len(ids) == 16
    assert sorted(table["team"]) == [f"PG {i}" for i in range(8)]
    final = {f"PG {i}": _policies(i)[1] for i in range(8)}
    direct = challenge.evaluate(
        dict(sorted(final.items(), key=lambda kv: team_key(kv[0]))),
        n=CONFIG.n,
        days=CONFIG.days,
        seed=CONFIG.seed,
    ).standings()
    assert list(table["team"]) == list(direct["policy"])
    assert (
        table["profit (million toman)"].to_numpy() == direct["profit (million toman)"].to_numpy()
    ).all()
