"""Smoke test of the course on JupyterHub (deploy/jupyterhub/): the very configuration
shipped, on loopback, as a course admin's `make hub` runs it.

JupyterHub starts with configurable-http-proxy from npm (scripts/install_proxy.sh), the
test-only DummyAuthenticator and SimpleLocalProcessSpawner (CXSIM_HUB_SMOKE=1, which the
configuration refuses off loopback). A trainee logs in through the login form; opening
lesson 03's dashboard spawns their Jupyter server, which sends them through the hub's
OAuth and renders the lesson under Voila with the offline template; the standings
service answers under /services/standings/ through the proxy, takes a submission and
evaluates it. What stays untested (Kubernetes, images): deploy/jupyterhub/README.md.

About a minute on 2 cores (measured 55-75 s): the hub and proxy start (7-12 s), the
server spawns and Voila runs lesson 03 (25-55 s), the standings evaluate one policy
(5-13 s).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest
import requests
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from cxsim.classroom import hub_service

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
CODE = "smoke-tulip"
KEY = "smoke-instructor-key"
USER = "trainee"
LESSON = "app/03_courtesy.ipynb"


@dataclass
class Hub:
    url: str
    state: Path
    log: Path
    started: float
    pid: int

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


def free_ports(count: int) -> list[int]:
    """Ports free on loopback now (held open together, so all differ)."""
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


@pytest.fixture
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    # make test installs both (extra dev; scripts/system_packages.sh): a missing one fails
    import jupyterhub  # noqa: F401

    assert shutil.which("npm"), "JupyterHub's proxy needs Node 20+ and npm: make system"
    begun = time.monotonic()
    proxy = subprocess.run(
        ["bash", str(REPO / "scripts" / "install_proxy.sh")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout.strip()
    state = tmp_path_factory.mktemp("hub")
    public, api, internal, service = free_ports(4)
    env = dict(
        os.environ,
        CXSIM_HUB_SMOKE="1",
        CXSIM_HUB_BIND=f"http://127.0.0.1:{public}/",
        CXSIM_HUB_STATE=str(state),
        CXSIM_HUB_PROXY=str(REPO / proxy),
        CXSIM_HUB_PROXY_API_PORT=str(api),
        CXSIM_HUB_INTERNAL_PORT=str(internal),
        CXSIM_HUB_SERVICE_PORT=str(service),
        CXSIM_CLASS_CODE=CODE,
        CXSIM_INSTRUCTOR_KEY=KEY,
    )
    env.pop("CXSIM_HUB_EXTRA_CONFIG", None)
    env.pop("CXSIM_CLASS_STORE", None)  # the class store stays in the test's folder
    log = state / "hub.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=state,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{public}"
    running = Hub(url, state, log, begun, process.pid)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, f"the hub ended:\n{running.tail()}"
            assert time.monotonic() < deadline, f"no hub after 90 s:\n{running.tail()}"
            try:
                if requests.get(f"{url}/hub/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        print(f"\nhub up in {time.monotonic() - begun:.1f} s", file=sys.stderr)
        yield running
    finally:
        stop_tree(process)
        print(f"\nhub stopped, {time.monotonic() - begun:.1f} s in all", file=sys.stderr)


def stop_tree(process: subprocess.Popen) -> None:
    """SIGTERM to the hub (it stops the servers, the service and the proxy it
    started), then kill whatever of its process tree is left."""
    try:
        tree = [process.pid, *(p.pid for p in psutil.Process(process.pid).children(True))]
    except psutil.NoSuchProcess:
        tree = [process.pid]
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    for pid in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(pid).kill()


def server_mb(hub: Hub) -> float:
    """Resident memory of the trainee's Jupyter server and its kernels (sizing a hub)."""
    total = 0
    for child in psutil.Process(hub.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "jupyterhub.singleuser" in " ".join(child.cmdline()):
                tree = [child, *child.children(recursive=True)]
                total += sum(p.memory_info().rss for p in tree)
    return total / 2**20


def login(hub: Hub) -> requests.Session:
    """A browser-like session logged in as the trainee through the hub's login form."""
    session = requests.Session()
    form = session.get(f"{hub.url}/hub/login", timeout=30)
    assert form.status_code == 200
    xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', form.text)
    assert xsrf, "no _xsrf field in the hub's login form"
    home = session.post(
        f"{hub.url}/hub/login?next=/hub/home",
        data={"username": USER, "password": "any", "_xsrf": xsrf.group(1)},
        timeout=30,
    )
    assert home.status_code == 200, hub.tail()
    assert home.url == f"{hub.url}/hub/home"
    return session


@pytest.mark.slow
def test_a_course_on_the_hub(hub: Hub) -> None:
    """One hub for both checks (a module fixture would start one per xdist worker)."""
    a_trainee_logs_in_and_opens_lesson_03_under_voila(hub)
    the_standings_answer_under_the_hub_prefix(hub)


def a_trainee_logs_in_and_opens_lesson_03_under_voila(hub: Hub) -> None:
    session = login(hub)
    assert USER in session.get(f"{hub.url}/hub/home", timeout=30).text
    # an outsider without the hub's cookie is sent to log in, not shown the lesson
    page = f"{hub.url}/user/{USER}/voila/render/{LESSON}"
    anonymous = requests.get(page, timeout=30)
    assert anonymous.url.startswith(f"{hub.url}/hub/login")

    begun = time.monotonic()
    # the hub's home page's "Start My Server": spawn, then on to the lesson (the hub waits
    # up to 60 s before showing "your server is starting"), through the server's OAuth
    # round trip with the hub; then Voila runs the lesson
    path = f"/user/{USER}/voila/render/{LESSON}"
    response = session.get(f"{hub.url}/hub/spawn/{USER}?next={quote(path)}", timeout=240)
    for _ in range(60):  # a busy machine: the hub showed "your server is starting"
        if response.url == page:
            break
        time.sleep(2)
        response = session.get(page, timeout=240)
    took = time.monotonic() - begun
    print(f"\nspawn + lesson 03 under Voila: {took:.1f} s", file=sys.stderr)
    assert response.status_code == 200, hub.tail()
    assert response.url == page, hub.tail()
    print(f"one trainee's server with lesson 03's kernel: {server_mb(hub):.0f} MB", file=sys.stderr)
    html = response.text
    assert "Courtesy or a shorter queue?" in html  # the lesson's title
    assert "cxsim-stored" in html  # the stored tables of the cxsim template
    assert "cdn.jsdelivr.net/npm/@fortawesome" not in html  # offline: no CDN
    assert "application/vnd.jupyter.widget-view+json" in html  # the decision widget
    # every cell ran: Voila writes this in place of a failed cell's output
    assert "There was an error when executing cell" not in html, html[-3000:]
    assert "Traceback" not in html, html[-3000:]
    # the trainee's own copy of the course, made by the configuration's pre-spawn hook
    course = hub.state / "home" / USER / "cxsim"
    assert (course / LESSON).exists()
    assert (course / "fa" / "03_courtesy.ipynb").exists()
    assert not (course / "src").exists()
    # and the trainee's JupyterLab is there too
    lab = session.get(f"{hub.url}/user/{USER}/lab/tree/03_courtesy.ipynb", timeout=60)
    assert lab.status_code == 200


def the_standings_answer_under_the_hub_prefix(hub: Hub) -> None:
    from cxsim.classroom.client import RemoteClass

    base = f"{hub.url}/services/standings"
    assert requests.get(f"{base}/api/health", timeout=30).json()["ok"] is True
    page = requests.get(base, timeout=30)  # without the slash: sent to the slash
    assert page.status_code == 200 and page.url == base + "/"
    assert '<script src="standings.js">' in page.text  # relative: stays under the prefix
    assert requests.get(f"{base}/standings.js", timeout=30).status_code == 200
    plot = requests.get(f"{base}/plot.svg", timeout=60)
    assert plot.status_code == 200 and plot.headers["content-type"].startswith("image/svg")
    # the instructor's controls ask for the key the hub's configuration gave the service
    assert requests.get(f"{base}/api/instructor", timeout=30).status_code in (401, 403)
    state = requests.get(f"{base}/api/instructor", headers={"X-Instructor-Key": KEY}, timeout=30)
    assert state.status_code == 200

    # a team submits through the proxy as a notebook on the hub does, and is ranked
    begun = time.monotonic()
    team = RemoteClass(base, CODE, tokens_file=hub.state / "tokens.json")
    receipt = team.submit("Hub team", {"extra_agents": 1})
    assert receipt is not None
    with pytest.raises(Exception, match="code"):
        RemoteClass(base, "wrong-code", tokens_file=hub.state / "t2.json").submit(
            "Other", {"extra_agents": 1}
        )
    deadline = time.monotonic() + 120
    while True:
        rows = team.standings_rows()
        mine = [row for row in rows if row.get("team") == "Hub team"]
        if mine and mine[0].get("rank") is not None:
            break
        assert time.monotonic() < deadline, f"not evaluated in 120 s: {rows}\n{hub.tail()}"
        time.sleep(1)
    print(f"\nstandings: one policy evaluated in {time.monotonic() - begun:.1f} s", file=sys.stderr)
    assert mine[0]["rank"] == 1
    assert (hub.state / "classroom.sqlite").exists()  # the store the configuration set


# --- the prefix wrapper alone (fast) -------------------------------------------------------


def echo_app() -> Starlette:
    async def echo(request) -> PlainTextResponse:  # noqa: ANN001
        return PlainTextResponse(f"{request.url.path} {request.scope['root_path']}")

    return Starlette(routes=[Route("/", echo), Route("/api/standings", echo)])


def call(app, path: str, query: str = "") -> tuple[int, dict[str, str], str]:  # noqa: ANN001
    """One GET through the ASGI ``app`` as uvicorn makes it: (status, headers, text)."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"hub.example.org")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8765),
    }
    # in a thread of its own: a browser test in the same worker (Playwright's sync API)
    # may keep an event loop running in this one, and asyncio.run refuses to nest
    worker = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    worker.start()
    worker.join(timeout=60)
    headers = {k.decode(): v.decode() for k, v in sent[0].get("headers", [])}
    body = b"".join(m.get("body", b"") for m in sent[1:]).decode()
    return sent[0]["status"], headers, body


def test_the_service_answers_under_the_prefix_with_whole_paths_as_the_hub_sends_them() -> None:
    app = hub_service.under_prefix(echo_app(), "/services/standings/")
    status, _headers, text = call(app, "/services/standings/")
    assert (status, text) == (200, "/services/standings/ /services/standings")
    assert call(app, "/services/standings/api/standings")[0] == 200
    # without the slash: a redirect to it, query kept (the page's links are relative)
    status, headers, _text = call(app, "/services/standings", "lang=fa")
    assert (status, headers["location"]) == (308, "/services/standings/?lang=fa")
    # outside the prefix, and the prefix's look-alikes: nothing
    assert call(app, "/api/standings")[0] == 404
    assert call(app, "/services/standingsX/api/standings")[0] == 404


def test_the_service_refuses_bad_settings_naming_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(hub_service.CLASS_CODE_ENV, raising=False)
    assert hub_service.main() == 2
    assert "CXSIM_CLASS_CODE: missing" in capsys.readouterr().err
    monkeypatch.setenv(hub_service.CLASS_CODE_ENV, "tulip")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1")
    assert hub_service.main() == 2
    assert "JUPYTERHUB_SERVICE_URL: 'http://127.0.0.1'" in capsys.readouterr().err
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8765")
    monkeypatch.setenv(hub_service.WORKERS_ENV, "many")
    assert hub_service.main() == 2
    assert "CXSIM_CLASS_WORKERS: 'many'" in capsys.readouterr().err
