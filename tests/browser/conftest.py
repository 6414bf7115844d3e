"""Fixtures for tests that drive a real browser: Chromium through Playwright.

The browser is the system's Chromium (Debian package ``chromium``, at
``/usr/bin/chromium``), never one downloaded by ``playwright install``.  Pages
reach only ``127.0.0.1``: every other request is aborted (and listed in
``page.blocked``), so a test never depends on the internet.

Fixtures (see each docstring):

- ``browser`` (session): Chromium, headless, launched with :data:`CHROMIUM_ARGS`.
- ``page``: a fresh tab in its own context, 1400x1000, requests off 127.0.0.1 blocked.
- ``new_page``: ``new_page("phone")``, more such tabs, at a size of :data:`SCREENS`.
- ``screenshot``: ``screenshot(page_or_locator, "name")`` writes
  ``test-artifacts/screenshots/name.png`` for a person to look at.
- ``lab_server`` (session): JupyterLab on a free port, serving a copy of ``notebooks/``.
- ``lab``: :class:`Lab`, opens a notebook in ``lab_server`` and runs all its cells.
- ``voila_server`` (session): Voila in tree mode on a copy of ``notebooks/app/``
  (what ``make app`` serves), code hidden, with ``make app``'s template (:data:`VOILA_TEMPLATE`).
- ``start_voila`` (session): ``start_voila(folder_or_notebook)``, Voila for any other path.
- ``start_server`` (session): starts any other server (a command and a readiness
  path) and stops it by PID at the end of the session.
- ``dashboard_view``: :class:`DashboardView`, ``dashboard_view(page, title)``.

A later test needs only what it asks for, e.g. a web service of its own::

    def test_standings_page(page, start_server, screenshot):
        server = start_server("standings", [sys.executable, "-m", "myservice",
                              "--port", "{port}"], ready_path="/health")
        page.goto(server.url)
        screenshot(page, "standings_page")

:class:`DashboardView` reads a :class:`cxsim.widgets.Dashboard` on a page: its
sliders, its status line and its KPI table as numbers.

Servers run as child processes started here; at the end of the session each is
stopped by its PID (SIGTERM, then SIGKILL after 10 s), and so is any process it
started (kernels) that is still alive.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psutil
import pytest

# tests/conftest.py (the folder above): shared with the classroom tests
from conftest import ARTIFACTS, free_port

ROOT = Path(__file__).resolve().parents[2]
#: Where screenshots go (``test-artifacts/`` is not committed).
SCREENSHOTS = ARTIFACTS / "screenshots"
#: The system's Chromium; ``CXSIM_CHROMIUM`` points elsewhere.
CHROMIUM = Path(os.environ.get("CXSIM_CHROMIUM", "/usr/bin/chromium"))
#: Flags checked on these machines: headless, as root, no network chatter of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Hosts a page may reach: this machine.
ALLOWED_HOSTS = ("127.0.0.1", "localhost")
VIEWPORT = {"width": 1400, "height": 1000}
#: Screens a tab can have: a desktop's, and a phone held upright (CSS pixels of a common
#: 6.1" phone, with its mobile layout and touch screen).
SCREENS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": VIEWPORT},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
#: ``make app``'s Voila template: Voila's ``lab`` without requests to a CDN. It lives in
#: ``share/jupyter/voila/templates/cxsim``, found through ``JUPYTER_PATH``.
VOILA_TEMPLATE = "cxsim"
JUPYTER_DATA = ROOT / "share" / "jupyter"
# Servers: how long to wait for them to answer, and to stop.
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0


# --------------------------------------------------------------------------- servers
@dataclass
class Server:
    """A server process started by a fixture: its address, PID and log file."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    root: Path | None = None  # the folder it serves, when it serves one
    children: list[int] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's output, for failure messages."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server by its PID, then any process it started that is still alive."""
        try:
            children = psutil.Process(self.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_S)
        for child in children:
            try:
                child.terminate()
            except psutil.NoSuchProcess:
                continue
        _gone, alive = psutil.wait_procs(children, timeout=STOP_TIMEOUT_S)
        for child in alive:
            child.kill()
        self.children = [child.pid for child in children]


def launch(
    name: str,
    command: Sequence[str],
    *,
    ready_path: str,
    port: int,
    log: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = START_TIMEOUT_S,
) -> Server:
    """Start ``command`` and wait until ``http://127.0.0.1:PORT{ready_path}`` answers.

    Any HTTP answer counts, an error status too (Voila answers 404 on
    ``/api/kernels`` once it listens).  Fails the test with the log's tail if
    the process exits or does not answer within ``timeout`` seconds.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(command),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
        )
    server = Server(name, process, f"http://127.0.0.1:{port}/", log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"{name} exited with code {process.returncode}:\n{server.log_tail()}", pytrace=False
            )
        try:
            with urllib.request.urlopen(server.url + ready_path.lstrip("/"), timeout=5):
                return server
        except urllib.error.HTTPError:
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    server.stop()
    pytest.fail(
        f"{name} did not answer on port {port} within {timeout:.0f} s:\n{server.log_tail()}",
        pytrace=False,
    )


def jupyter_env(state: Path) -> dict[str, str]:
    """The environment for a Jupyter server whose state stays in ``state``, not in ``~``.

    Lab settings stop the news toast (it covers elements) and render every cell
    (no windowing, so a cell far down the notebook is in the page).
    """
    env = dict(os.environ)
    dirs = {
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "IPYTHONDIR": "ipython",
    }
    for variable, name in dirs.items():
        (state / name).mkdir(parents=True, exist_ok=True)
        env[variable] = str(state / name)
    settings = state / "lab-settings"
    _write(
        settings / "@jupyterlab/apputils-extension/notification.jupyterlab-settings",
        '{"fetchNews": "false", "checkForUpdates": false}',
    )
    _write(
        settings / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings",
        '{"windowingMode": "none"}',
    )
    env.pop("MPLBACKEND", None)  # breaks %matplotlib inline figures in the kernel
    return env


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _copy_notebooks(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Server]]:
    """``start_server(name, command, ready_path=..., port=None, env=None, cwd=None)``.

    Starts a server (see :func:`launch`; its log goes to a temporary folder) and
    stops it by PID at the end of the session.  Without ``port``, a free port
    replaces ``{port}`` in ``command``; ``server.url`` is ``http://127.0.0.1:PORT/``.
    """
    started: list[Server] = []
    logs = tmp_path_factory.mktemp("server-logs")

    def start(
        name: str,
        command: Sequence[str],
        *,
        ready_path: str,
        port: int | None = None,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = START_TIMEOUT_S,
    ) -> Server:
        if port is None:
            port = free_port()
            command = [part.replace("{port}", str(port)) for part in command]
        server = launch(
            name,
            command,
            ready_path=ready_path,
            port=port,
            log=logs / f"{name}.log",
            env=env,
            cwd=cwd,
            timeout=timeout,
        )
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


@pytest.fixture(scope="session")
def lab_server(
    start_server: Callable[..., Server], tmp_path_factory: pytest.TempPathFactory
) -> Server:
    """JupyterLab on a free port of 127.0.0.1, no token, serving a copy of ``notebooks/``.

    A copy, because Lab saves notebooks and would overwrite their stored outputs.
    ``--expose-app-in-browser`` gives pages ``window.jupyterapp`` (see :class:`Lab`).
    ``server.root`` is the copied folder.
    """
    base = tmp_path_factory.mktemp("lab")
    root = _copy_notebooks(ROOT / "notebooks", base / "notebooks")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=",
        f"--ServerApp.root_dir={root}",
        "--expose-app-in-browser",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.getuid() == 0:
        command.append("--allow-root")
    server = start_server(
        "jupyterlab",
        command,
        ready_path="/api/status",
        port=port,
        env=jupyter_env(base / "state"),
        cwd=root,
    )
    server.root = root
    return server


@pytest.fixture(scope="session")
def start_voila(
    start_server: Callable[..., Server], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Path], Server]:
    """``start_voila(path)``: Voila on a free port of 127.0.0.1 for a copy of ``path``.

    ``path`` is a folder (tree mode: ``/`` lists its notebooks, ``voila/render/NAME.ipynb``
    runs one) or one notebook (``/`` runs it).  The options are ``make app``'s
    (sources stripped, its template).  A page takes about 5-10 s: the notebook executes on the
    server before the page arrives.  The same path twice gives the same server.
    """
    servers: dict[Path, Server] = {}

    def start(path: Path) -> Server:
        path = Path(path).resolve()
        if path in servers:
            return servers[path]
        base = tmp_path_factory.mktemp("voila")
        if path.is_dir():
            root = served = _copy_notebooks(path, base / path.name)
        else:
            root = base
            served = Path(shutil.copy2(path, base / path.name))
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "voila",
            str(served),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--strip_sources=True",
            f"--template={VOILA_TEMPLATE}",
        ]
        env = jupyter_env(base / "state")
        env["JUPYTER_PATH"] = os.pathsep.join(
            [str(JUPYTER_DATA), *filter(None, [os.environ.get("JUPYTER_PATH")])]
        )
        server = start_server(
            f"voila-{path.stem}", command, ready_path="/api/kernels", port=port, env=env, cwd=root
        )
        server.root = root
        servers[path] = server
        return server

    return start


@pytest.fixture(scope="session")
def voila_server(start_voila: Callable[[Path], Server]) -> Server:
    """Voila in tree mode over a copy of ``notebooks/app/``: what ``make app`` serves."""
    return start_voila(ROOT / "notebooks" / "app")


# --------------------------------------------------------------------------- the browser
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (the Debian package), launched through Playwright.

    Fails, never skips, when Chromium or Playwright is missing, naming what to install.
    """
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install the Debian package 'chromium' "
            "(as root: apt-get install -y --no-install-recommends chromium), or set "
            "CXSIM_CHROMIUM to a Chromium binary",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "the Python package 'playwright' is missing: pip install -e '.[dev]' "
            "(never 'playwright install': the tests use the system's Chromium)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``new_page(screen="desktop")``: a new tab in a fresh context (no cookies) with a
    screen of :data:`SCREENS`, that reaches only this machine (:data:`ALLOWED_HOSTS`).

    Every other request is aborted and its address listed in ``tab.blocked``; so is a
    websocket to another host (a route cannot abort those).  Uncaught page errors go to
    ``tab.errors``.  The contexts are closed at the end of the test.
    """
    contexts: list[Any] = []

    def make(screen: str = "desktop") -> Any:
        context = browser.new_context(device_scale_factor=1, **SCREENS[screen])
        contexts.append(context)
        context.set_default_timeout(30_000)
        tab = context.new_page()
        tab.blocked, tab.errors = [], []

        def only_local(route: Any) -> None:
            url = route.request.url
            if urlparse(url).hostname in ALLOWED_HOSTS:
                route.continue_()
            else:
                tab.blocked.append(url)
                route.abort()

        def note_socket(socket: Any) -> None:
            if urlparse(socket.url).hostname not in ALLOWED_HOSTS:
                tab.blocked.append(socket.url)

        tab.route("**/*", only_local)
        tab.on("websocket", note_socket)
        tab.on("pageerror", lambda error: tab.errors.append(str(error)))
        return tab

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A new tab in a fresh context (no cookies, 1400x1000); it reaches only this machine.

    Aborted addresses are collected in ``page.blocked`` (a list of URLs); uncaught
    page errors in ``page.errors`` (see ``new_page``).
    """
    return new_page()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """``screenshot(page_or_locator, name)``: save ``test-artifacts/screenshots/NAME.png``.

    A page gives the visible viewport, a locator just that element (scrolled into
    view).  Names are lower case, digits and underscores, e.g. ``lab_03_courtesy_after``.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(target: Any, name: str) -> Path:
        if not re.fullmatch(r"[a-z0-9_]+", name):
            raise ValueError(f"screenshot name {name!r}: use a-z, 0-9 and _ only")
        path = SCREENSHOTS / f"{name}.png"
        target.screenshot(path=str(path))
        return path

    return shoot


# --------------------------------------------------------------------------- JupyterLab
_RUN_STATE_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return 'no notebook';
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    for (let j = 0; j < cell.outputs.length; j++) {
      const output = cell.outputs.get(j);
      if (output.type === 'error') return 'error in cell ' + i + ': ' + output.toJSON().ename;
    }
    if (cell.executionCount === null) return 'running';
  }
  return kernel ? kernel.status : 'no kernel';
}"""


class Lab:
    """JupyterLab driven through ``window.jupyterapp`` (the server has ``--expose-app-in-browser``).

    The toolbar's idle indicator is not trusted (it says idle before a kernel
    exists): readiness is the kernel's own status.
    """

    def __init__(self, server: Server) -> None:
        self.server = server

    def open(self, page: Any, notebook: str, timeout_s: float = 60) -> None:
        """Open ``notebook`` (a path under the served folder) and wait for an idle kernel."""
        page.goto(f"{self.server.url}lab/tree/{notebook}?reset", wait_until="domcontentloaded")
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell "
            "&& window.jupyterapp.shell.currentWidget "
            "&& window.jupyterapp.shell.currentWidget.sessionContext",
            timeout=timeout_s * 1000,
        )
        self.wait_idle(page, timeout_s)

    def kernel_status(self, page: Any) -> str:
        """``'idle'``, ``'busy'``, ``'running'`` (cells pending), ``'error in cell N: ...'``."""
        return str(page.evaluate(_RUN_STATE_JS))

    def wait_idle(self, page: Any, timeout_s: float = 60) -> None:
        """Wait until the kernel is idle and no cell waits to run; fail on an error output."""
        deadline = time.monotonic() + timeout_s
        status = ""
        while time.monotonic() < deadline:
            status = self.kernel_status(page)
            if status == "idle":
                return
            if status.startswith("error"):
                pytest.fail(f"the notebook failed: {status}", pytrace=False)
            page.wait_for_timeout(250)
        pytest.fail(
            f"the kernel is not idle after {timeout_s:.0f} s (status: {status})", pytrace=False
        )

    def run_all(self, page: Any, timeout_s: float = 240) -> float:
        """Clear every output, run all cells and wait until all ran; returns the seconds taken.

        Clearing first tells a fresh run from the stored outputs (the same
        execution counts come back).
        """
        started = time.monotonic()
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_timeout(500)
        self.wait_idle(page, timeout_s)
        return time.monotonic() - started


@pytest.fixture
def lab(lab_server: Server) -> Lab:
    """A :class:`Lab` on the session's JupyterLab server."""
    return Lab(lab_server)


# --------------------------------------------------------------------------- dashboards
_TABLE_JS = """table => {
  const head = table.querySelector('thead tr');
  const columns = [...head.querySelectorAll('th')].slice(1).map(th => th.textContent.trim());
  const rows = {};
  for (const tr of table.querySelectorAll('tbody tr')) {
    rows[tr.querySelector('th').textContent.trim()] =
      [...tr.querySelectorAll('td')].map(td => td.textContent.trim());
  }
  return {columns, rows};
}"""


def parse_number(text: str) -> float:
    """A number as the KPI table shows it (cxsim.formatting): ``1,234``, ``-0.28``,
    ``−3.1``, ``+6.4``, a percent as a fraction; ``-`` alone is NaN.

    >>> parse_number("1,234"), parse_number("\u22123.5"), parse_number("49.0%")
    (1234.0, -3.5, 0.49)
    """
    text = text.replace(",", "").replace("\u2212", "-").replace("\u200e", "").strip()
    if text in ("\u2013", "-", ""):
        return float("nan")
    if text.endswith("%"):
        return round(float(text[:-1]) / 100, 6)
    return float(text)


class DashboardView:
    """A :class:`cxsim.widgets.Dashboard` on a page (Lab or Voila), found by its title.

    ``root`` is the dashboard's outer box: title, controls, a Reset button and
    status line, the KPI table (``table.cxsim-kpis``) and the figures.
    """

    def __init__(self, page: Any, title: str) -> None:
        self.page = page
        self.root = (
            page.locator(".widget-vbox").filter(has=page.locator("h3", has_text=title)).first
        )

    def wait_ready(self, timeout_s: float = 60) -> None:
        """Wait for the table and a finished first update."""
        self.root.locator("table.cxsim-kpis").wait_for(timeout=timeout_s * 1000)
        self.wait_status("Updated in", timeout_s)

    def status(self) -> str:
        """The line beside the Reset button: ``Updated in 0.12 s``, ``Simulating…``."""
        return (
            str(
                self.root.locator(".widget-hbox")
                .filter(has=self.page.locator("button"))
                .first.inner_text()
            )
            .replace("Reset", "")
            .strip()
        )

    def wait_status(self, starts: str, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while not self.status().startswith(starts):
            if time.monotonic() > deadline:
                pytest.fail(
                    f"dashboard status {self.status()!r}, waited for {starts!r}", pytrace=False
                )
            self.page.wait_for_timeout(100)

    def table_text(self) -> str:
        return str(self.root.locator("table.cxsim-kpis").inner_text())

    def cells(self) -> dict[str, dict[str, str]]:
        """The KPI table as the page shows it: ``{row label: {column: text}}``."""
        table = self.root.locator("table.cxsim-kpis").evaluate(_TABLE_JS)
        return {
            row: dict(zip(table["columns"], cells, strict=True))
            for row, cells in table["rows"].items()
        }

    def kpis(self) -> dict[str, dict[str, float]]:
        """The KPI table as numbers: ``{row label: {column: value}}``."""
        return {
            row: {column: parse_number(cell) for column, cell in cells.items()}
            for row, cells in self.cells().items()
        }

    def slider(self, label: str) -> Any:
        """The slider whose description contains ``label``."""
        return self.root.locator(".widget-slider").filter(has_text=label).first

    def slider_value(self, label: str) -> float:
        """The number the slider's readout shows."""
        return parse_number(self.slider(label).locator(".widget-readout").inner_text())

    def press_on_slider(self, label: str, key: str) -> None:
        """Focus the slider's handle and press ``key`` (``ArrowRight``: one step,
        ``PageUp``: five steps, ``Home``/``End``: the ends)."""
        handle = self.slider(label).locator(".noUi-handle")
        handle.focus()
        handle.press(key)

    def type_in_slider(self, label: str, value: str) -> None:
        """Type ``value`` into the slider's readout and press Enter."""
        readout = self.slider(label).locator(".widget-readout")
        readout.click()
        readout.press("Control+A")
        readout.press_sequentially(value)
        readout.press("Enter")

    def wait_for_new_table(self, before: str, timeout_s: float = 60) -> None:
        """Wait until a run has finished and the table's text differs from ``before``."""
        deadline = time.monotonic() + timeout_s
        while not (self.status().startswith("Updated in") and self.table_text() != before):
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the KPI table did not change in {timeout_s:.0f} s (status {self.status()!r})",
                    pytrace=False,
                )
            self.page.wait_for_timeout(100)


@pytest.fixture
def dashboard_view() -> type[DashboardView]:
    """The :class:`DashboardView` class: ``dashboard_view(page, title)``."""
    return DashboardView
