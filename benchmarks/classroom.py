"""Many trainees on one laptop: page-ready and slider-update times, CPU and memory.

``make bench-classroom`` (about 5-8 minutes) serves the app's pages with Voila, as
``make app`` does (the *before*: every page starts a kernel when it is opened, every
run simulated) and as ``make classroom`` does with what this benchmark argues for (the
*after*: kernels preheated for the lesson taught, one per trainee, not refilled while
the class works, and every kernel sharing one on-disk cache of runs,
:mod:`cxsim.run_cache`).  For each it drives the server at protocol level, as a
browser would, but without one:

- **page ready**: ``GET /voila/render/<lesson>`` until the whole page has arrived, then
  the kernel's websocket is opened and the widgets' state asked for
  (``jupyter.widget.control``, ``request_states``), as the page's widget manager does
  before it draws the dashboards;
- **slider update**: the dashboard's training slider is moved (a ``comm_msg``
  ``update`` of its value, what a released slider sends) and timed until the kernel is
  idle again, the table and figures sent.  Every trainee tries the same values, as a
  class does.

first with one trainee, then with ``--trainees`` (default 8) at once.  The targets
are ratios inside one run on the same machine: with 8 at once, page-ready p95 at most
2x and slider-update p95 at most 4x the one-trainee figures.  CPU-seconds are read
from each trainee's kernel process (psutil: everything its page cost, preheating
included) and the server's; memory is each kernel's unique memory (USS).  Last, a few
real browsers (Playwright with the system's Chromium, ``--browsers``, default 3) open
the page on the *after* server and move the slider, to check end to end that what the
driver measures is what a trainee sees.

Results go to ``test-artifacts/bench-classroom.json`` and are printed; the machine's
load average is printed with them (the figures move with it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cxsim.classroom.room import Room, RoomSettings, lesson_notebook  # noqa: E402

VALUES = (0.25, 0.5, 0.75, 1.0)  # the slider's positions every trainee tries, in order
OUT = ROOT / "test-artifacts" / "bench-classroom.json"


# --------------------------------------------------------------------------- statistics
def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0-1) by linear interpolation (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": round(statistics.median(values), 3) if values else float("nan"),
        "p95": round(percentile(values, 0.95), 3),
        "max": round(max(values), 3) if values else float("nan"),
    }


# --------------------------------------------------------------------------- the server
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A Voila server over the app's pages, as ``make app`` or ``make classroom`` run it."""

    lesson: str
    preheat: int  # kernels preheated for the lesson (0: none, as make app)
    run_cache: bool
    cache: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        settings = RoomSettings(
            code="bench",
            lesson=self.lesson if self.preheat else None,
            host="127.0.0.1",
            app_port=self.port,
            pool=self.preheat,
            db=str(self.cache / "class.sqlite"),
        )
        command = Room(settings).app_command()
        if self.preheat:
            # the pool is not refilled while the class works: a refill is a whole page's
            # run in a new kernel, competing with the trainees' slider moves
            command.append("--VoilaKernelManager.fill_delay=3600")
        return command

    def start(self) -> None:
        env = {
            **os.environ,
            "JUPYTER_PATH": str(ROOT / "share" / "jupyter"),
            "CXSIM_CACHE": str(self.cache),
            "CXSIM_RUN_CACHE_MB": "512" if self.run_cache else "0",
            "MPLBACKEND": "agg",
        }
        self.process = subprocess.Popen(
            self.command(),
            env=env,
            cwd=str(ROOT / "notebooks" / "app"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(self.cache / "voila.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )

    def url(self, page: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{page}"

    def processes(self) -> list[psutil.Process]:
        if self.process is None:
            return []
        try:
            parent = psutil.Process(self.process.pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.Error:
            return []

    def kernel_process(self, kernel_id: str) -> psutil.Process | None:
        for process in self.processes():
            try:
                if any(kernel_id in part for part in process.cmdline()):
                    return process
            except psutil.Error:
                continue
        return None

    async def wait_ready(self, timeout: float = 400.0) -> float:
        """Seconds until the server answers and every preheated kernel has run its page
        (the server's processes quiet for 3 s)."""
        started = time.perf_counter()
        client = AsyncHTTPClient()
        while time.perf_counter() - started < timeout:
            try:
                await client.fetch(self.url(), request_timeout=5)
                break
            except Exception:
                await asyncio.sleep(0.5)
        quiet_since = None
        while time.perf_counter() - started < timeout:
            kernels = [p for p in self.processes() if "ipykernel" in " ".join(p.cmdline())]
            before = sum(_cpu(p) for p in self.processes())
            await asyncio.sleep(1.0)
            busy = sum(_cpu(p) for p in self.processes()) - before
            if len(kernels) >= self.preheat and busy < 0.15:
                quiet_since = quiet_since or time.perf_counter()
                if time.perf_counter() - quiet_since >= 3:
                    break
            else:
                quiet_since = None
        return time.perf_counter() - started

    def stop(self) -> None:
        if self.process is None:
            return
        tree = self.processes()
        for process in tree:
            with contextlib.suppress(psutil.Error):
                process.terminate()
        _gone, alive = psutil.wait_procs(tree, timeout=10)
        for process in alive:
            with contextlib.suppress(psutil.Error):
                process.kill()
        self.process = None


def _cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
        return times.user + times.system
    except psutil.Error:
        return 0.0


def _uss(process: psutil.Process) -> float:
    try:
        return process.memory_full_info().uss / 2**20
    except psutil.Error:
        return float("nan")


# --------------------------------------------------------------------------- a trainee
def _message(msg_type: str, content: dict[str, Any], session: str) -> dict[str, Any]:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": session,
            "username": "bench",
            "version": "5.3",
            "date": "",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


def _decode(frame: str | bytes) -> dict[str, Any]:
    """A websocket frame as a message (binary frames: Jupyter's buffers format)."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 + 4 * i : 8 + 4 * i], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0] : end])


@dataclass
class Trainee:
    """One trainee's page, driven at protocol level."""

    server: Server
    page: str
    number: int
    kernel_id: str = ""
    page_seconds: float = float("nan")
    html_seconds: float = float("nan")
    updates: list[float] = field(default_factory=list)
    slider: str = ""
    connection: Any = None
    session: str = field(default_factory=lambda: uuid.uuid4().hex)

    async def open_page(self) -> None:
        started = time.perf_counter()
        response = await AsyncHTTPClient().fetch(
            HTTPRequest(self.server.url(f"voila/render/{self.page}"), request_timeout=900)
        )
        self.html_seconds = time.perf_counter() - started
        body = response.body.decode()
        marker = '"kernelId": "'
        at = body.index(marker) + len(marker)
        self.kernel_id = body[at : body.index('"', at)]
        self.connection = await websocket_connect(
            f"ws://127.0.0.1:{self.server.port}/api/kernels/{self.kernel_id}/channels"
            f"?session_id={self.session}",
            max_message_size=512 * 2**20,
        )
        comm = uuid.uuid4().hex
        await self.send(
            "comm_open",
            {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
            {"version": "1.0.0"},  # ipywidgets 8's control protocol
        )
        asked = await self.send("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})
        states: dict[str, Any] = {}
        while not states:
            message = _decode(await self.connection.read_message())
            data = message.get("content", {}).get("data", {})
            if (
                message.get("parent_header", {}).get("msg_id") == asked
                and data.get("method") == "update_states"
            ):
                states = data["states"]
        self.page_seconds = time.perf_counter() - started
        self.slider = _training_slider(states)

    async def send(
        self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
    ) -> str:
        message = _message(msg_type, content, self.session)
        message["metadata"] = metadata or {}
        await self.connection.write_message(json.dumps(message))
        return message["header"]["msg_id"]

    async def move(self, value: float) -> float:
        """Move the slider to ``value``; seconds until the kernel is idle again."""
        started = time.perf_counter()
        sent = await self.send(
            "comm_msg",
            {
                "comm_id": self.slider,
                "data": {"method": "update", "state": {"value": value}, "buffer_paths": []},
            },
        )
        while True:
            message = _decode(await self.connection.read_message())
            if (
                message.get("msg_type") == "status"
                and message.get("parent_header", {}).get("msg_id") == sent
                and message["content"].get("execution_state") == "idle"
            ):
                seconds = time.perf_counter() - started
                self.updates.append(seconds)
                return seconds

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _training_slider(states: dict[str, Any]) -> str:
    """The dashboard's courtesy-training slider: a decimal slider from 0 to 1 in quarters."""
    for model_id, entry in states.items():
        state = entry.get("state", {})
        if (
            state.get("_model_name") == "FloatSliderModel"
            and state.get("max") == 1.0
            and state.get("step") == 0.25
        ):
            return model_id
    raise LookupError("no training slider (0-1 in steps of 0.25) on the page")


# --------------------------------------------------------------------------- a phase
async def phase(server: Server, trainees: int, seed: int) -> dict[str, Any]:
    """``trainees`` open the page at once, then each moves the slider through VALUES
    (a pause of 0.5-2 s between moves, as a person reads the table)."""
    shutil.rmtree(server.cache / "runs", ignore_errors=True)  # a cold run cache
    page = lesson_notebook(ROOT / "notebooks" / "app", server.lesson)
    class_ = [Trainee(server, page, i) for i in range(trainees)]
    server_process = server.processes()[0]
    server_cpu = _cpu(server_process)
    started = time.perf_counter()
    await asyncio.gather(*(t.open_page() for t in class_))
    last_page = time.perf_counter() - started
    kernels = {t.number: server.kernel_process(t.kernel_id) for t in class_}
    page_cpu = {n: _cpu(p) for n, p in kernels.items() if p is not None}
    rng = random.Random(seed)

    async def work(trainee: Trainee) -> None:
        for value in VALUES:
            await asyncio.sleep(rng.uniform(0.5, 2.0))
            await trainee.move(value)

    await asyncio.gather(*(work(t) for t in class_))
    move_cpu = {n: _cpu(p) - page_cpu[n] for n, p in kernels.items() if p is not None}
    memory = [_uss(p) for p in kernels.values() if p is not None]
    server_cpu = _cpu(server_process) - server_cpu
    for trainee in class_:
        trainee.close()
    moves = [seconds for t in class_ for seconds in t.updates]
    return {
        "trainees": trainees,
        "page_ready_s": summary([t.page_seconds for t in class_]),
        "html_s": summary([t.html_seconds for t in class_]),
        "last_page_ready_s": round(last_page, 2),
        "slider_update_s": summary(moves),
        "kernel_cpu_s_per_trainee_page": round(statistics.mean(page_cpu.values()), 2),
        "kernel_cpu_s_per_update": round(sum(move_cpu.values()) / max(len(moves), 1), 3),
        "server_cpu_s": round(server_cpu, 2),
        "kernel_uss_mib": round(statistics.mean(memory), 1),
    }


# --------------------------------------------------------------------------- browsers
def browsers(server: Server, count: int) -> dict[str, Any]:
    """``count`` real Chromium pages at once: page ready (the dashboard's table drawn)
    and one slider move (arrow key on the training slider) until "Updated in" shows."""
    from playwright.sync_api import sync_playwright

    page_name = lesson_notebook(ROOT / "notebooks" / "app", server.lesson)
    url = server.url(f"voila/render/{page_name}")
    ready, moved, problems = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        pages = [browser.new_page() for _ in range(count)]
        started = time.perf_counter()
        for page in pages:
            page.goto(url, wait_until="commit", timeout=600_000)
        for page in pages:
            try:
                page.locator(".cxsim-kpis").first.wait_for(timeout=600_000)
                ready.append(time.perf_counter() - started)
            except Exception as exc:  # a page that never draws is a finding, not a crash
                problems.append(f"page: {exc}".splitlines()[0])
        for page in pages:
            try:
                dashboard = page.locator(".cxsim-dashboard").first
                status = dashboard.locator(".widget-label", has_text="Updated in").first
                handle = dashboard.locator(".widget-hslider .noUi-handle").first
                before = status.inner_text(timeout=60_000)
                moved_at = time.perf_counter()
                handle.focus()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(
                    "([before]) => [...document.querySelectorAll("
                    "'.cxsim-dashboard .widget-label')].some(e => "
                    "e.textContent.startsWith('Updated in') && e.textContent !== before)",
                    arg=[before],
                    timeout=120_000,
                )
                moved.append(time.perf_counter() - moved_at)
            except Exception as exc:
                problems.append(f"slider: {exc}".splitlines()[0])
        browser.close()
    return {
        "browsers": count,
        "page_ready_s": summary(ready),
        "slider_update_s": summary(moved),
        "problems": problems,
    }


# --------------------------------------------------------------------------- main
async def configuration(name: str, server: Server, trainees: int) -> dict[str, Any]:
    server.start()
    try:
        warm = await server.wait_ready()
        one = await phase(server, 1, seed=1)
        many = await phase(server, trainees, seed=2)
    finally:
        if name != "after":
            server.stop()
    return {
        "configuration": name,
        "preheated_kernels": server.preheat,
        "run_cache": server.run_cache,
        "server_ready_s": round(warm, 1),
        "one": one,
        "many": many,
        "ratios": {
            "page_ready_p95": round(many["page_ready_s"]["p95"] / one["page_ready_s"]["p95"], 2),
            "slider_update_p95": round(
                many["slider_update_s"]["p95"] / one["slider_update_s"]["p95"], 2
            ),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="03")
    parser.add_argument("--trainees", type=int, default=8)
    parser.add_argument("--browsers", type=int, default=3)
    parser.add_argument("--only", choices=("before", "after"), default=None)
    args = parser.parse_args(argv)
    AsyncHTTPClient.configure(None, max_clients=64)
    work = Path(tempfile.mkdtemp(prefix="cxsim-bench-"))
    report: dict[str, Any] = {
        "lesson": args.lesson,
        "cores": os.cpu_count(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "configurations": [],
    }
    plans = [
        ("before", 0, False),
        # one preheated kernel for the lone trainee, then one for each of the class,
        # plus one for each browser
        ("after", 1 + args.trainees + args.browsers, True),
    ]
    after: Server | None = None
    try:
        for name, preheat, cached in plans:
            if args.only and name != args.only:
                continue
            folder = work / name
            folder.mkdir()
            server = Server(args.lesson, preheat, cached, folder)
            result = asyncio.run(configuration(name, server, args.trainees))
            report["configurations"].append(result)
            print(json.dumps(result, indent=1), flush=True)
            if name == "after":
                after = server
        if after is not None and args.browsers:
            report["browsers"] = browsers(after, args.browsers)
            print(json.dumps(report["browsers"], indent=1), flush=True)
    finally:
        if after is not None:
            after.stop()
        report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        OUT.parent.mkdir(exist_ok=True)
        OUT.write_text(json.dumps(report, indent=1) + "\n")
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"load average at start {report['load_average_start']}, at end "
        f"{report['load_average_end']}; written to {OUT.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
