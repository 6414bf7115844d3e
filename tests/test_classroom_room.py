"""`make classroom`: one class store for every reader, and the room's two services started,
announced and stopped with nothing left behind (cxsim/classroom/room.py)."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import psutil
import pytest
from conftest import ROOT, free_port, marked_processes

from cxsim import classroom
from cxsim.classroom import room as room_module
from cxsim.classroom.store import CLASS_STORE_ENV, class_store, database_url

READERS = {
    "lab": ROOT / "notebooks",
    "app": ROOT / "notebooks" / "app",
    "debrief (Persian)": ROOT / "notebooks" / "fa",
}


def test_every_reader_opens_the_one_class_store_whatever_its_folder(tmp_path, monkeypatch):
    """Lab's kernels run in notebooks/ (or notebooks/fa/), the app's in notebooks/app/:
    before, each made its own cxsim-classroom.sqlite there."""
    monkeypatch.delenv(CLASS_STORE_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    urls = {}
    for name, folder in READERS.items():
        monkeypatch.chdir(folder)
        room = classroom.local()
        urls[name] = room.classroom.store.url
        room.close()
    expected = f"sqlite:///{tmp_path / '.cxsim' / 'classroom.sqlite'}"
    assert set(urls.values()) == {expected}, urls
    assert not any((folder / "cxsim-classroom.sqlite").exists() for folder in READERS.values())


def test_the_environment_variable_names_another_store(tmp_path, monkeypatch):
    store = tmp_path / "room.sqlite"
    monkeypatch.setenv(CLASS_STORE_ENV, str(store))
    assert class_store() == str(store)
    for folder in READERS.values():
        monkeypatch.chdir(folder)
        assert database_url(None) == f"sqlite:///{store}"
    settings = room_module.RoomSettings(code="tulip")
    the_room = room_module.Room(settings)
    assert the_room.environment()[CLASS_STORE_ENV] == str(store)
    assert the_room.service_command()[-2:] == ["--db", str(store)]


def test_a_local_class_opens_the_rooms_class_by_its_code(tmp_path, monkeypatch):
    monkeypatch.setenv(CLASS_STORE_ENV, str(tmp_path / "room.sqlite"))
    monkeypatch.setenv("CXSIM_CLASS_CODE", "tulip")
    room = classroom.local()
    assert room.classroom.class_id == classroom.core.class_id("tulip")
    room.close()


def test_only_the_lesson_taught_is_preheated():
    settings = room_module.RoomSettings(code="tulip", lesson="3", pool=2)
    command = room_module.Room(settings).app_command()
    assert "--preheat_kernel=True" in command
    # the lesson's page in both languages, nothing else
    assert (
        '--VoilaKernelManager.kernel_pools_config={"03_courtesy.ipynb": {"pool_size": 2}, '
        '"fa/03_courtesy.ipynb": {"pool_size": 2}, "default": {"pool_size": 0}}'
    ) in command
    plain = room_module.Room(room_module.RoomSettings(code="tulip")).app_command()
    assert not any("preheat" in part for part in plain)
    with pytest.raises(ValueError, match="LESSON"):
        room_module.lesson_notebook(settings.notebooks, "42")


def _start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str, queue.Queue]:
    mark = uuid.uuid4().hex
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        CLASS_STORE_ENV: str(tmp_path / "c.sqlite"),
        "CXSIM_TEST_MARK": mark,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "cxsim", "classroom", "room", "--host", "127.0.0.1", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / "room.log", "w"),  # noqa: SIM115 (read when a test fails)
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout] and None or lines.put(None),
        daemon=True,
    ).start()
    return process, mark, lines


def _read_until(lines: queue.Queue, word: str) -> str:
    seen = []
    while True:
        line = lines.get(timeout=240)  # a safety net, not a measurement
        if line is None:
            raise AssertionError("the room stopped early:\n" + "".join(seen))
        seen.append(line)
        if word in line:
            return "".join(seen)


def _submit(port: int, policy: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/submit",
        data=json.dumps({"code": "tulip", "team": f"Team {policy}", "policy": policy}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=300) as answer:  # a safety net on a busy CI
        answer.read()
        return answer.status


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl+C", "SIGTERM"])
def test_the_room_serves_both_pages_and_stops_leaving_no_process(tmp_path, stop):
    port, app_port = free_port(), free_port()
    process, mark, lines = _start(
        tmp_path,
        "--port",
        str(port),
        "--app-port",
        str(app_port),
        "--code",
        "tulip",
        "--lesson",
        "03",
        "--pool",
        "1",
        "--workers",
        "1",
    )
    try:
        shown = _read_until(lines, "Ctrl+C")
        assert "port " + str(port) in shown and "free" in shown.split("\n")[0]
        assert "tulip" in shown
        assert f"http://127.0.0.1:{app_port}/" in shown
        assert f"http://127.0.0.1:{port}/" in shown
        assert "/voila/render/03_courtesy.ipynb" in shown
        assert shown.count("▀") > 20 and "█" in shown  # the QR code
        assert _get(f"http://127.0.0.1:{app_port}/") == 200
        # the preheated page, possibly still being run: it must arrive whole all the same
        try:
            assert _get(f"http://127.0.0.1:{app_port}/voila/render/03_courtesy.ipynb") == 200
        except TimeoutError:
            log = (tmp_path / "room.log").read_text(errors="replace")[-6000:]
            message = f"lesson 03's page did not arrive; the room's log:\n{log}"
            raise AssertionError(message) from None
        assert _get(f"http://127.0.0.1:{port}/") == 200
        # a worker busy evaluating when the room stops (issue 19, item 10): the service
        # stops as `serve` does on SIGTERM, and renews no pool after
        for extra in (1, 2, 3):
            assert _submit(port, {"extra_agents": extra}) == 202
        deadline = time.monotonic() + 60
        while not any("spawn_main" in " ".join(p.cmdline()) for p in marked_processes(mark)):
            assert time.monotonic() < deadline, "no evaluation worker started"
            time.sleep(0.05)
        family = marked_processes(mark)
        names = " ".join(" ".join(p.cmdline()) for p in family)
        assert "voila" in names and "ipykernel" in names and "classroom serve" in names
        process.send_signal(stop)
        assert process.wait(timeout=120) == 0
        assert marked_processes(mark) == []
        assert not any(
            p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in family if _exists(p)
        )
    finally:
        if process.poll() is None:
            process.kill()
        for leftover in marked_processes(mark):
            leftover.kill()


def _exists(process: psutil.Process) -> bool:
    try:
        return process.is_running()
    except psutil.Error:
        return False


def test_a_busy_port_stops_the_room_before_it_starts_anything(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process, mark, lines = _start(
            tmp_path, "--port", str(port), "--app-port", str(free_port()), "--code", "tulip"
        )
        assert process.wait(timeout=120) == 2
        shown = _read_until(lines, "Pre-flight")
    assert f"port {port} (standings) BUSY" in shown and "trainees use 127.0.0.1" in shown
    assert marked_processes(mark) == []
