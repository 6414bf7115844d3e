"""``make classroom``: the standings service and the dashboards app for a room, together.

``python -m cxsim classroom room --code WORD --lesson 03`` (what ``make classroom``
runs) checks the two ports, starts

- the standings service (``python -m cxsim classroom serve``) and
- the dashboards app (Voila over ``notebooks/app`` with the local ``cxsim`` template, so
  nothing leaves the machine), with kernels preheated for the lesson being taught only,

both on the local network and both on one class store (:func:`.store.class_store`,
passed on as ``$CXSIM_CLASS_STORE``, with the class code as ``$CXSIM_CLASS_CODE``, so a
Submit button in the app adds to the class the standings page shows), prints the
addresses, the class code and a QR code of the app's address, and waits.

Ctrl+C (SIGINT) or SIGTERM stops everything, here and only here (:meth:`Room.stop`):
each service is asked to stop with SIGTERM, so the standings service stops exactly as
``python -m cxsim classroom serve`` does on SIGTERM or Ctrl+C (one code path,
:func:`.server.serve`'s ``_stop_service``: its class stops evaluating, its workers are
ended, no pool is renewed); then whatever is still running (Voila's kernels, anything
orphaned) is ended too, found by a mark in its environment that every process the room
starts inherits, so nothing is left behind.  The room depends on the store and the
network helpers, never on lessons or widgets.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from ..i18n import _
from .network import addresses, port_free
from .store import CLASS_CODE_ENV, CLASS_STORE_ENV, class_store

#: The variable that hands the instructor's key to the standings service (see
#: :data:`.server.INSTRUCTOR_KEY_ENV`; the room never imports the server).
INSTRUCTOR_KEY_ENV = "CXSIM_INSTRUCTOR_KEY"

__all__ = ["ROOM_MARK_ENV", "Room", "RoomSettings", "lesson_notebook", "qr_text", "run"]

#: Every process the room starts carries this variable (inherited by their children):
#: how :meth:`Room.stop` finds them all.
ROOM_MARK_ENV = "CXSIM_ROOM_ID"
#: Seconds a service has to stop by itself before it is ended.
GRACE_SECONDS = 10.0
#: Seconds to wait for both services to answer before giving up.
START_SECONDS = 300.0
_WORDS = (
    "tulip",
    "iris",
    "lotus",
    "poppy",
    "daisy",
    "lily",
    "aster",
    "orchid",
    "jasmine",
    "violet",
    "cedar",
    "maple",
)
_REPO = Path(__file__).resolve().parent.parent.parent


@dataclass
class RoomSettings:
    """What the room serves, and where."""

    code: str = ""
    lesson: str | None = None
    host: str = "0.0.0.0"
    port: int = 8765
    app_port: int = 8866
    pool: int = 2
    notebooks: Path = field(default_factory=lambda: _REPO / "notebooks" / "app")
    jupyter_path: Path = field(default_factory=lambda: _REPO / "share" / "jupyter")
    db: str | None = None
    workers: int | None = None
    #: the key of the instructor's page (``/instructor`` of the standings service)
    instructor_key: str = ""

    def __post_init__(self) -> None:
        self.code = (self.code or "").strip() or new_code()
        self.instructor_key = (self.instructor_key or "").strip() or secrets.token_urlsafe(9)
        self.notebooks = Path(self.notebooks).resolve()
        self.jupyter_path = Path(self.jupyter_path).resolve()
        if self.db is None:
            self.db = class_store()


def new_code() -> str:
    """A class code word that is easy to say aloud, e.g. ``tulip47``."""
    return secrets.choice(_WORDS) + str(10 + secrets.randbelow(90))


def lesson_notebook(folder: Path, lesson: str) -> str:
    """The app's notebook of ``lesson`` (``"03"`` or ``"3"``), relative to ``folder``."""
    number = f"{int(lesson):02d}" if str(lesson).strip().isdigit() else str(lesson).strip()
    found = sorted(path.name for path in Path(folder).glob(f"{number}_*.ipynb"))
    if not found:
        there = ", ".join(sorted(p.name[:2] for p in Path(folder).glob("*.ipynb"))) or "-"
        raise ValueError(
            _(
                "LESSON: no lesson {lesson!r} in {folder}; allowed: {allowed}",
                lesson=lesson,
                folder=folder,
                allowed=there,
            )
        )
    return found[0]


def _editions(folder: Path, name: str) -> list[Path]:
    """The sub-folders of ``folder`` that hold another language's page ``name``."""
    return sorted(sub for sub in Path(folder).iterdir() if (sub / name).is_file())


def qr_text(url: str) -> str:
    """A QR code of ``url`` drawn with block characters, for a terminal or a projector."""
    import segno

    buffer = io.StringIO()
    segno.make(url, error="m").terminal(out=buffer, compact=True)
    return buffer.getvalue()


class Room:
    """The room's two services; :meth:`start`, then :meth:`stop` (once, from anywhere)."""

    def __init__(self, settings: RoomSettings) -> None:
        self.settings = settings
        self.mark = secrets.token_hex(8)
        self.children: list[subprocess.Popen[bytes]] = []
        self.known: set[psutil.Process] = set()
        #: set by Ctrl+C or SIGTERM (see :func:`run`): the room is to stop
        self.interrupted = threading.Event()
        self._lock = threading.Lock()

    # -- starting ----------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        """The environment of both services (and, through them, of every kernel)."""
        settings = self.settings
        paths = [str(settings.jupyter_path), *filter(None, [os.environ.get("JUPYTER_PATH")])]
        return {
            **os.environ,
            CLASS_STORE_ENV: str(settings.db),
            CLASS_CODE_ENV: settings.code,
            "JUPYTER_PATH": os.pathsep.join(paths),
            ROOM_MARK_ENV: self.mark,
        }

    def service_command(self) -> list[str]:
        s = self.settings
        command = [
            sys.executable,
            "-m",
            "cxsim",
            "classroom",
            "serve",
            "--code",
            s.code,
            "--host",
            s.host,
            "--port",
            str(s.port),
            "--db",
            str(s.db),
        ]
        return command + (["--workers", str(s.workers)] if s.workers else [])

    def app_command(self) -> list[str]:
        s = self.settings
        command = [
            sys.executable,
            "-m",
            "voila",
            str(s.notebooks),
            f"--port={s.app_port}",
            "--Voila.port_retries=0",
            f"--Voila.ip={s.host}",
            "--no-browser",
            "--strip_sources=True",
            "--template=cxsim",
        ]
        if s.lesson is not None and s.pool > 0:
            # Voila 0.5's preheated kernels: a pool only for the lesson taught; "default"
            # (pool size 0) leaves every other page as it was, a kernel started on opening
            # (without it, Voila preheats one kernel for every notebook of the folder).
            # (the lesson's page in each language the folder has: English, and fa/)
            name = lesson_notebook(s.notebooks, s.lesson)
            pages = [name, *(f"{sub.name}/{name}" for sub in _editions(s.notebooks, name))]
            pools = {page: {"pool_size": s.pool} for page in pages}
            pools["default"] = {"pool_size": 0}
            command += [
                "--preheat_kernel=True",
                "--pool_size=0",
                f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
            ]
        return command

    def start(self) -> None:
        """Start both services (their output goes to this process's standard error)."""
        environment = self.environment()
        # the instructor's key reaches the standings service only, never a kernel
        service = {**environment, INSTRUCTOR_KEY_ENV: self.settings.instructor_key}
        for command, env in ((self.service_command(), service), (self.app_command(), environment)):
            # a session of its own: Ctrl+C in the terminal reaches the room only, which
            # then stops the services in order
            self.children.append(
                subprocess.Popen(
                    command,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=sys.stderr,
                    start_new_session=True,
                    cwd=str(self.settings.notebooks),
                )
            )

    def local_urls(self) -> tuple[str, str]:
        """The standings page and the app on this machine (for the readiness check)."""
        host = "127.0.0.1" if self.settings.host in ("0.0.0.0", "") else self.settings.host
        return (
            f"http://{host}:{self.settings.port}/api/health",
            f"http://{host}:{self.settings.app_port}/",
        )

    def wait_ready(self, timeout: float = START_SECONDS) -> bool:
        """Whether both services answer within ``timeout`` seconds (False if one died,
        or on :meth:`stop`)."""
        deadline = time.monotonic() + timeout
        waiting = list(self.local_urls())
        while waiting and time.monotonic() < deadline and not self.interrupted.is_set():
            if any(child.poll() is not None for child in self.children):
                return False
            try:
                with urllib.request.urlopen(waiting[0], timeout=5) as answer:
                    if answer.status == 200:
                        waiting.pop(0)
                        continue
            except (OSError, urllib.error.URLError):
                pass
            self.interrupted.wait(0.25)
        return not waiting

    # -- stopping ----------------------------------------------------------------------
    def _marked(self) -> set[psutil.Process]:
        """Every live process carrying this room's mark."""
        found = set()
        for process in psutil.process_iter():
            try:
                if process.pid != os.getpid() and process.environ().get(ROOM_MARK_ENV) == self.mark:
                    found.add(process)
            except (psutil.Error, OSError):
                continue
        return found

    def _track(self) -> None:
        for child in self.children:
            try:
                process = psutil.Process(child.pid)
                self.known |= {process, *process.children(recursive=True)}
            except psutil.Error:
                continue

    def stop(self) -> None:
        """Stop both services and everything they started; safe to call twice."""
        with self._lock:
            self._track()
            for child in self.children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + GRACE_SECONDS
            while time.monotonic() < deadline and any(c.poll() is None for c in self.children):
                self._track()  # a kernel started while stopping is ended too
                time.sleep(0.1)
            for child in self.children:
                if child.poll() is None:
                    child.kill()
                child.wait()
            leftovers = {p for p in self.known | self._marked() if _alive(p)}
            for process in leftovers:
                _quietly(process.terminate)
            _gone, alive = psutil.wait_procs(leftovers, timeout=5)
            for process in alive:
                _quietly(process.kill)
            psutil.wait_procs(alive, timeout=5)
            self.children = []


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _quietly(action: Any) -> None:
    with contextlib.suppress(psutil.Error):
        action()


def _announce(room: Room) -> None:
    s = room.settings
    lan = addresses(s.host)
    app_url = f"http://{lan[0]}:{s.app_port}/"
    print(_("Class code: {code}    class store: {store}", code=s.code, store=s.db))
    for address in lan:
        print(_("Dashboards (trainees): {url}", url=f"http://{address}:{s.app_port}/"))
        if s.lesson is not None:
            page = lesson_notebook(s.notebooks, s.lesson)
            print(
                _(
                    "  lesson {lesson} (kernels preheated): {url}",
                    lesson=s.lesson,
                    url=f"http://{address}:{s.app_port}/voila/render/{page}",
                )
            )
        print(_("Standings page: {url}/", url=f"http://{address}:{s.port}"))
        print(
            _(
                "Instructor's page: {url}/instructor (key: {key})",
                url=f"http://{address}:{s.port}",
                key=s.instructor_key,
            )
        )
    print(_("In JupyterLab on a team's laptop, before notebook 09's Submit button:"))
    print("    from cxsim import classroom")
    print(
        f"    classroom.connect({json.dumps(f'http://{lan[0]}:{s.port}')}, "
        f"code={json.dumps(s.code)})"
    )
    print(_("Scan to open the dashboards ({url}):", url=app_url))
    try:
        print(qr_text(app_url))
    except UnicodeEncodeError:  # a terminal that cannot show block characters
        print(_("(this terminal cannot draw the QR code)"))
    print(_("Ready. Stop everything with Ctrl+C."), flush=True)


def preflight(settings: RoomSettings) -> bool:
    """Print one line on the ports and the address trainees use; whether both are free."""
    ports = [(settings.port, _("standings")), (settings.app_port, _("dashboards"))]
    states = [(port, name, port_free(settings.host, port)) for port, name in ports]
    parts = [
        _(
            "port {port} ({name}) {state}",
            port=port,
            name=name,
            state=_("free") if free else _("BUSY"),
        )
        for port, name, free in states
    ]
    print(
        _(
            "Pre-flight: {ports}; trainees use {address}",
            ports="; ".join(parts),
            address=", ".join(addresses(settings.host)),
        ),
        flush=True,
    )
    return all(free for _port, _name, free in states)


def run(settings: RoomSettings) -> int:
    """Run the room until Ctrl+C or SIGTERM; the exit status (0, or 2 on a busy port,
    1 if a service failed to start)."""
    if settings.lesson is not None:
        lesson_notebook(settings.notebooks, settings.lesson)  # a wrong LESSON fails first
    if settings.port == settings.app_port:
        raise ValueError(
            _(
                "--app-port: {port} is the standings' port too; allowed: two different ports",
                port=settings.port,
            )
        )
    if not preflight(settings):
        print(
            _(
                "error: a port is in use; stop what uses it or choose other ports "
                "(CLASS_PORT=... APP_PORT=... make classroom)"
            ),
            file=sys.stderr,
        )
        return 2
    room = Room(settings)
    stop_requested = room.interrupted

    def on_signal(signum: int, _frame: Any) -> None:
        stop_requested.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    status = 0
    try:
        room.start()
        if room.wait_ready():
            _announce(room)
            while not stop_requested.is_set():
                if any(child.poll() is not None for child in room.children):
                    print(
                        _("error: a service stopped by itself; stopping the room"), file=sys.stderr
                    )
                    status = 1
                    break
                stop_requested.wait(0.5)
        elif not stop_requested.is_set():
            print(_("error: the services did not start; see the messages above"), file=sys.stderr)
            status = 1
    finally:
        print(_("Stopping the classroom..."), file=sys.stderr, flush=True)
        room.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(_("Classroom stopped."), file=sys.stderr, flush=True)
    return status
