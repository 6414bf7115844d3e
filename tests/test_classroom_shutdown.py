"""Stopping the standings service while a worker evaluates leaves no process behind
(issue 19, item 10): SIGTERM, Ctrl+C (once or twice) and even kill -9 of
``python -m cxsim classroom serve``, each repeated, counting the service's processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import psutil
import pytest
from conftest import ROOT, free_port, marked_processes

from cxsim.classroom import ClassConfig, Classroom
from cxsim.classroom.core import class_id
from cxsim.classroom.store import Store
from cxsim.classroom.workers import stop_executor, worker_pool

CODE = "tulip"
SMALL = ClassConfig(n=2, days=1, seed=0)
#: Seconds the service's processes get to be gone after it stopped (measured: 0.0-0.2).
GONE_WITHIN = 5.0
#: After kill -9, a worker ends itself once it has started (it may still be importing:
#: 0.2-6 s measured on 2 busy cores).
GONE_AFTER_KILL = 30.0


def _workers(mark: str) -> list[psutil.Process]:
    return [p for p in marked_processes(mark) if "spawn_main" in " ".join(_quiet(p.cmdline, []))]


def _quiet(call, default):
    try:
        return call()
    except psutil.Error:
        return default


def _start(tmp_path: Path, mark: str) -> tuple[subprocess.Popen, int, Path]:
    port, db = free_port(), tmp_path / "class.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CXSIM_TEST_MARK": mark}
    # replications long enough that a worker is still evaluating when the signal comes
    command = [
        sys.executable, "-m", "cxsim", "classroom", "serve", "--code", CODE,
        "--host", "127.0.0.1", "--port", str(port), "--db", str(db),
        "--workers", "2", "-n", "40", "--days", "60",
    ]  # fmt: skip
    log = open(tmp_path / "service.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a process group of its own, as in a terminal
    )
    log.close()
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5):
                return process, port, db
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError((tmp_path / "service.log").read_text()) from None
            time.sleep(0.1)


def _submit(port: int, team: str, policy: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/submit",
        data=json.dumps({"code": CODE, "team": team, "policy": policy}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status


STOPS = {
    "SIGTERM at once": (signal.SIGTERM, 0.0),
    "SIGTERM while importing": (signal.SIGTERM, 0.3),
    "SIGTERM while evaluating": (signal.SIGTERM, 2.5),
    "SIGTERM later": (signal.SIGTERM, 4.0),
    "Ctrl+C": ("ctrl-c", 2.5),
    "Ctrl+C twice": ("ctrl-c twice", 2.5),
    "kill -9": (signal.SIGKILL, 2.5),
}


@pytest.mark.parametrize("stop", list(STOPS))
def test_stopping_the_service_while_workers_evaluate_leaves_no_process(tmp_path, stop):
    how, busy_for = STOPS[stop]
    mark = uuid.uuid4().hex
    process, port, db = _start(tmp_path, mark)
    try:
        # two policies: both workers busy, two evaluations in flight when it stops
        assert _submit(port, "Owls", {"extra_agents": 1}) == 202
        assert _submit(port, "Larks", {"training": 0.5}) == 202
        deadline = time.monotonic() + 60
        while len(_workers(mark)) < 2:
            assert time.monotonic() < deadline, "no worker started"
            time.sleep(0.05)
        time.sleep(busy_for)
        family = marked_processes(mark)
        assert len(family) >= 3  # the service, two workers (and the resource tracker)
        if how == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # a terminal sends it to the whole group
        elif how == "ctrl-c twice":
            os.killpg(process.pid, signal.SIGINT)
            time.sleep(0.05)
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(how)
        process.wait(timeout=30)
        if how != signal.SIGKILL:
            assert process.returncode == 0, (tmp_path / "service.log").read_text()
        deadline = time.monotonic() + (GONE_AFTER_KILL if how == signal.SIGKILL else GONE_WITHIN)
        while (left := marked_processes(mark)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert left == [], [" ".join(_quiet(p.cmdline, [])) for p in left]
        # what was being evaluated is still stored, for the next start to finish
        pending = Store(db).pending(class_id(CODE))
        assert len(pending) == 2
    finally:
        if process.poll() is None:
            process.kill()
        for leftover in marked_processes(mark):
            _quiet(leftover.kill, None)


class _Manual(ThreadPoolExecutor):
    """An executor whose work ends only when the test says so."""

    def __init__(self) -> None:
        super().__init__(1)
        self.futures: list[Future] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        self.futures.append(Future())
        return self.futures[-1]


def test_a_pool_that_breaks_after_the_stop_is_not_renewed(tmp_path):
    """The race of item 10, step by step: the service stops the pool, the pool's
    callback then reports it broken; before, it started a new pool after the stop."""
    first, renewed = _Manual(), []

    def renew() -> _Manual:
        renewed.append(_Manual())
        return renewed[-1]

    room = Classroom(
        Store(tmp_path / "s.sqlite"), class_id(CODE), SMALL, executor=first, renew=renew
    )
    room.submit("Owls", {"extra_agents": 1})
    assert len(first.futures) == 2  # doing nothing (the benchmark, from the start) and Owls
    room.stop()
    for future in first.futures:
        future.set_exception(BrokenProcessPool("a worker was ended"))
    assert renewed == [] and room.evaluating == 0
    assert room.submit("Larks", {})["status"] == "evaluating"  # stored, for the next start
    assert renewed == [] and len(first.futures) == 2
    assert {row["status"] for row in room.standings()} == {"evaluating"}
    # and the next start evaluates both (here at once, in this process)
    again = Classroom(Store(tmp_path / "s.sqlite"), class_id(CODE))
    assert {row["status"] for row in again.standings()} == {"done"}


def test_a_stopped_class_ends_its_workers_and_renews_no_pool(tmp_path):
    pool, renewed = worker_pool(1), []

    def renew() -> ProcessPoolExecutor:
        renewed.append(worker_pool(1))
        return renewed[-1]

    busy = ClassConfig(n=40, days=60)  # still evaluating when stopped
    room = Classroom(Store(tmp_path / "w.sqlite"), class_id(CODE), busy, executor=pool, renew=renew)
    try:
        room.submit("Owls", {"extra_agents": 1})
        workers = list(pool._processes.values())
        assert workers and all(worker.is_alive() for worker in workers)
        room.stop()
        deadline = time.monotonic() + 10  # ended, and reaped, within seconds on a busy CI
        while any(worker.is_alive() for worker in workers):
            assert time.monotonic() < deadline, "a worker outlived the stopped class"
            time.sleep(0.05)
        deadline = time.monotonic() + 10
        while room.evaluating:  # the broken pool's callback has run
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert renewed == []
    finally:
        for executor in (pool, *renewed):
            stop_executor(executor)
