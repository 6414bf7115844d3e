"""The classroom web service: teams submit over HTTP, everyone watches the standings.

``python -m cxsim classroom serve --code WORD`` runs :func:`serve`: a Starlette app
(:func:`create_app`) under uvicorn, with evaluations in a process pool.

=================  ======================================================
``GET /``          the standings page (refreshes itself every few seconds)
``GET /api/standings``  the standings as JSON (what the page polls)
``GET /plot.svg``  profit against CSAT per team (matplotlib, SVG)
``POST /api/submit``  ``{"code", "team", "policy", "token"}`` -> 202 and a receipt
``GET /api/health``  ``{"ok": true}``
=================  ======================================================

Refusals are JSON ``{"error": message, "field": name}``: 400 (not JSON), 401
(wrong class code, also logged), 403 (a team's name without its token), 413
(body over :data:`MAX_BODY` bytes), 422 (a field out of range, unknown, missing,
nested over :data:`MAX_DEPTH` deep, or holding a lone surrogate such as ``\\ud800``),
429 (more than :data:`MAX_WRONG_CODES` wrong codes a minute from one address).
Hostile bodies (deep nesting, numbers of thousands of digits, lone surrogates) are
refused before they reach the parser's recursion, ``int()``'s digit limit or UTF-8.
Every team name is shown as text: escaped in the HTML, set with ``textContent``
in the page's script, and the page forbids inline scripts (Content-Security-Policy).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import io
import json
import logging
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import asynccontextmanager, contextmanager
from decimal import Decimal
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..formatting import format_value
from ..i18n import _, get_language
from ..scenario import shown
from .core import (
    ClassConfig,
    Classroom,
    column_labels,
    parse_submission,
    plot_standings,
    status_labels,
)
from .network import addresses
from .store import Store, SubmissionError
from .workers import stop_executor, worker_pool

__all__ = ["MAX_BODY", "MAX_DEPTH", "addresses", "create_app", "serve", "worker_pool"]

log = logging.getLogger("cxsim.classroom")
#: Largest submission body accepted, in bytes (a policy is about 150).
MAX_BODY = 8192
#: Deepest nesting of JSON arrays and objects accepted (a submission needs 2:
#: ``{"policy": {...}}``); Python's parser recurses once per level.
MAX_DEPTH = 16
#: Digits past which an integer is read through Decimal (``int()`` refuses 4300+).
_LONG_NUMBER = 400
_SHAPE = '{"code": "...", "team": "...", "policy": {"extra_agents": 1}, "token": "..."}'
#: Strings, brackets and colons of a JSON text (a string's escapes skipped whole).
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}:]', re.DOTALL)
#: Wrong class codes one address may send per minute before it is told to wait (429).
MAX_WRONG_CODES = 10
#: Seconds between two refreshes of the standings page.
REFRESH_SECONDS = 3

_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' "
    "'unsafe-inline'; img-src 'self'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_SCRIPT = """\
"use strict";
(function () {
  const table = document.getElementById("standings");
  const plot = document.getElementById("plot");
  const summary = document.getElementById("summary");
  const every = Number(document.body.dataset.refresh) * 1000;
  const numbers = ["profit", "profit_low", "profit_high", "csat", "retention", "mean_wait",
                   "cost", "extra_cost"];
  let version = document.body.dataset.version;
  function cell(tag, text) {
    const element = document.createElement(tag);
    element.textContent = text;
    return element;
  }
  function show(data) {
    const head = document.createElement("tr");
    data.order.forEach(function (key) {
      const th = cell("th", data.columns[key]);
      th.dataset.column = key;
      head.appendChild(th);
    });
    const body = document.createElement("tbody");
    data.teams.forEach(function (team) {
      const row = document.createElement("tr");
      row.className = "status-" + team.status;
      data.order.forEach(function (key) {
        let value = team[key];
        if (key === "status") { value = data.statuses[value] || value; }
        else if (key === "within_budget") {
          value = value === null || value === undefined ? "" : (value ? data.yes : data.no);
        } else if (numbers.indexOf(key) >= 0) {
          // written by the server's one formatter, in the page's language and digits
          value = (team.shown && team.shown[key]) || "";
        } else if (value === null || value === undefined) { value = ""; }
        const td = cell("td", String(value));
        td.dataset.column = key;
        if (key === "team") { td.dir = "auto"; }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    const thead = document.createElement("thead");
    thead.appendChild(head);
    table.replaceChildren(thead, body);
    summary.textContent = data.summary;
    if (data.version !== version) {
      version = data.version;
      plot.src = "plot.svg?v=" + encodeURIComponent(version);
    }
  }
  function poll() {
    fetch("api/standings", {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () {})
      .finally(function () { setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
"""

_RIGHT_TO_LEFT = {"fa", "ar", "he", "ur"}
_ORDER = (
    "rank",
    "team",
    "profit",
    "profit_low",
    "profit_high",
    "csat",
    "retention",
    "mean_wait",
    "cost",
    "extra_cost",
    "within_budget",
    "submissions",
    "status",
)


#: How each number of the standings is written (cxsim.formatting): money in millions
#: with one decimal, shares in percent, the wait in minutes with two decimals.
_KINDS: dict[str, tuple[str, int | None]] = {
    "profit": ("millions", 1),
    "profit_low": ("millions", 1),
    "profit_high": ("millions", 1),
    "cost": ("millions", 1),
    "extra_cost": ("millions", 1),
    "csat": ("share", None),
    "retention": ("share", None),
    "mean_wait": ("number", 2),
}


def _shown(row: dict[str, Any]) -> dict[str, str]:
    """A team's numbers as the reader's language writes them ("" for none yet)."""
    return {
        key: "" if row.get(key) is None else format_value(row[key], kind, decimals=decimals)
        for key, (kind, decimals) in _KINDS.items()
    }


def _payload(classroom: Classroom) -> dict[str, Any]:
    teams = classroom.standings()
    for row in teams:
        row.pop("submission_id", None)
        row["shown"] = _shown(row)
    waiting = sum(row["status"] == "evaluating" for row in teams)
    version = hashlib.sha256(
        json.dumps([(row["team"], row["status"], row.get("profit")) for row in teams]).encode()
    ).hexdigest()[:16]
    summary = _(
        "{teams} teams, {waiting} being evaluated; each policy is re-simulated "
        "{n} times for {days:g} days (seed {seed}).",
        teams=len(teams),
        waiting=waiting,
        n=classroom.config.n,
        days=classroom.config.days,
        seed=classroom.config.seed,
    )
    return {
        "teams": teams,
        "evaluating": waiting,
        "version": version,
        "config": classroom.config.to_dict(),
        "columns": column_labels(),
        "order": list(_ORDER),
        "statuses": status_labels(),
        "yes": _("yes"),
        "no": _("no"),
        "summary": summary,
    }


def _cell(key: str, row: dict[str, Any], statuses: dict[str, str]) -> str:
    value = row.get(key)
    if key == "status":
        value = statuses.get(value, value)
    elif key == "within_budget":
        value = "" if value is None else (_("yes") if value else _("no"))
    elif key in _KINDS:
        value = row["shown"][key]
    elif value is None:
        value = ""
    # a team name (Persian in an English page, or the reverse) takes its own direction
    direction = ' dir="auto"' if key == "team" else ""
    return f'<td data-column="{key}"{direction}>{html.escape(str(value))}</td>'


def _page(data: dict[str, Any]) -> str:
    """The standings page, rendered on the server (the script then keeps it fresh)."""
    columns, statuses = data["columns"], data["statuses"]
    head = "".join(f'<th data-column="{key}">{html.escape(columns[key])}</th>' for key in _ORDER)
    rows = "".join(
        f'<tr class="status-{html.escape(row["status"])}">'
        + "".join(_cell(key, row, statuses) for key in _ORDER)
        + "</tr>"
        for row in data["teams"]
    )
    title = html.escape(_("Class standings"))
    note = html.escape(
        _(
            "Teams ranked by profit (mean over the replications, with its 95% "
            "confidence interval). Every policy is re-simulated here on the "
            "class's own seeds: only lever values are submitted."
        )
    )
    alt = html.escape(_("Profit against CSAT per team"))
    version = html.escape(data["version"])
    language = get_language()
    direction = "rtl" if language.split("_")[0] in _RIGHT_TO_LEFT else "ltr"
    return f"""<!doctype html>
<html lang="{html.escape(language)}" dir="{direction}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<noscript><meta http-equiv="refresh" content="{REFRESH_SECONDS * 3}"></noscript>
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.95rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: right; }}
th {{ background: #f3f3f3; }}
td[data-column="team"] {{ text-align: left; font-weight: 600; }}
th[data-column="team"] {{ text-align: left; }}
tr.status-evaluating td, tr.status-failed td {{ color: #888; font-style: italic; }}
#plot {{ max-width: 100%; margin-top: 1rem; }}
</style></head>
<body data-refresh="{REFRESH_SECONDS}" data-version="{version}">
<h1>{title}</h1>
<p>{note}</p>
<p id="summary">{html.escape(data["summary"])}</p>
<table id="standings"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
<img id="plot" src="plot.svg?v={version}" alt="{alt}">
<script src="standings.js"></script>
</body></html>
"""


def _printable(text: str | None) -> str | None:
    # a lone surrogate echoed in an answer would fail in UTF-8: written as \ud800
    return None if text is None else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _error(message: str, status: int, field: str | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": _printable(message), "field": _printable(field)},
        status_code=status,
        headers=_SECURITY_HEADERS,
    )


def _too_deep(raw: bytes, limit: int = MAX_DEPTH) -> tuple[int, str | None] | None:
    """``(limit, field)`` if ``raw`` nests arrays and objects deeper than ``limit``
    (``field``: the top-level member where, or None), else None.  Checked before
    ``json.loads``, whose recursion a deep enough body exhausts."""
    depth, last, field = 0, b"", None
    for match in _JSON_TOKENS.finditer(raw):
        token = match.group()
        if token[:1] == b'"':
            last = token
        elif token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return limit, field
        elif token in (b"]", b"}"):
            depth = max(0, depth - 1)  # a stray closer: json.loads refuses it anyway
        elif depth == 1:  # a colon: the string before it names a top-level field
            try:
                field = str(json.loads(last))
            except ValueError:
                field = None
    return None


def _whole_number(text: str) -> int:
    # int() refuses more than 4300 digits (a ValueError the body's check would call
    # "not JSON"); Decimal has no such limit, and the lever's range check then names
    # the lever and its range (1e+5000 is outside -2 to 5)
    return int(text) if len(text) <= _LONG_NUMBER else int(Decimal(text))


def _parse(raw: bytes) -> Any:
    """The submission's JSON, or :class:`SubmissionError` (400 not JSON, 422 too deep)."""
    deep = _too_deep(raw)
    if deep is not None:
        limit, field = deep
        shown_field = None if field is None else str(shown(field))[1:-1]
        raise SubmissionError(
            _(
                "{field}: arrays or objects nested more than {limit} deep; allowed: "
                "a submission such as {shape}",
                field=shown_field or "body",
                limit=limit,
                shape=_SHAPE,
            ),
            status=400 if field is None else 422,
            field=shown_field,
        )
    try:
        return json.loads(raw, parse_int=_whole_number)
    except (UnicodeDecodeError, ValueError):
        raise SubmissionError(
            _("the body is not JSON; send a JSON object with the fields code, team, policy, token"),
            status=400,
        ) from None


async def _read_body(request: Request) -> bytes:
    too_big = SubmissionError(
        _(
            "the request body is larger than {limit} bytes; a submission is a small JSON object",
            limit=MAX_BODY,
        ),
        status=413,
    )
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise too_big
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise too_big
    return bytes(body)


def create_app(classroom: Classroom, code: str, *, executor: Executor | None = None) -> Starlette:
    """The web app of one class (``code``: the word teams must send with each
    submission).  ``executor`` (if given) is shut down with the app."""
    plot_cache: dict[str, bytes] = {}
    plot_lock = threading.Lock()
    wrong_codes: dict[str, list[float]] = {}

    def guessing(client: str) -> bool:
        """Whether ``client`` sent too many wrong codes in the last minute (guessing)."""
        now = time.monotonic()
        recent = [t for t in wrong_codes.get(client, []) if now - t < 60]
        wrong_codes[client] = recent
        return len(recent) >= MAX_WRONG_CODES

    def plot_svg(data: dict[str, Any]) -> bytes:
        with plot_lock:
            if data["version"] not in plot_cache:
                figure = plot_standings(data["teams"], n=classroom.config.n)
                buffer = io.BytesIO()
                figure.savefig(buffer, format="svg")
                plot_cache.clear()
                plot_cache[data["version"]] = buffer.getvalue()
            return plot_cache[data["version"]]

    async def page(request: Request) -> Response:
        data = await run_in_threadpool(_payload, classroom)
        return HTMLResponse(_page(data), headers=_SECURITY_HEADERS)

    async def script(request: Request) -> Response:
        return Response(_SCRIPT, media_type="text/javascript", headers=_SECURITY_HEADERS)

    async def standings(request: Request) -> Response:
        data = await run_in_threadpool(_payload, classroom)
        return JSONResponse(data, headers=_SECURITY_HEADERS)

    async def plot(request: Request) -> Response:
        data = await run_in_threadpool(_payload, classroom)
        svg = await run_in_threadpool(plot_svg, data)
        return Response(svg, media_type="image/svg+xml", headers=_SECURITY_HEADERS)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "evaluating": classroom.evaluating})

    async def submit(request: Request) -> Response:
        client = request.client.host if request.client else "?"
        try:
            body = _parse(await _read_body(request))
            if not isinstance(body, dict):
                parse_submission(body)  # raises: a submission is a JSON object (400)
            given = body.get("code")
            if guessing(client):
                raise SubmissionError(
                    _("code: too many wrong class codes from this address; wait a minute"),
                    status=429,
                    field="code",
                )
            # surrogatepass: a code holding "\ud800" is a wrong code, not a crash
            if not (
                isinstance(given, str)
                and hmac.compare_digest(
                    given.encode("utf-8", "surrogatepass"), code.encode("utf-8", "surrogatepass")
                )
            ):
                wrong_codes.setdefault(client, []).append(time.monotonic())
                log.warning(
                    "refused a submission from %s for team %s: wrong class code",
                    client,
                    shown(body.get("team")),  # short: never a 5000-digit number in full
                )
                raise SubmissionError(
                    _("code: wrong class code; ask your instructor for the class's code word"),
                    status=401,
                    field="code",
                )
            team, policy, token, _code = parse_submission(body)
            receipt = await run_in_threadpool(classroom.submit, team, policy, token)
        except SubmissionError as error:
            if error.status != 401:
                log.info("refused a submission from %s (%s): %s", client, error.status, error)
            return _error(str(error), error.status, error.field)
        log.info("submission %s from %s: team %r", receipt["id"], client, receipt["team"])
        return JSONResponse(receipt, status_code=202, headers=_SECURITY_HEADERS)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        yield
        if executor is not None:  # the app owns the evaluations: they stop with it
            classroom.stop()
            stop_executor(executor)  # if it is not the classroom's (already stopped)

    routes = [
        Route("/", page),
        Route("/standings.js", script),
        Route("/api/standings", standings),
        Route("/plot.svg", plot),
        Route("/api/health", health),
        Route("/api/submit", submit, methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.classroom = classroom
    return app


def open_classroom(
    code: str,
    db: str | None = None,
    config: ClassConfig | None = None,
    executor: Executor | None = None,
    renew: Callable[[], Executor] | None = None,
) -> Classroom:
    """The class with this code in store ``db`` (made with ``config`` if new)."""
    from .core import class_id

    return Classroom(Store(db), class_id(code), config, executor=executor, renew=renew)


def serve(
    code: str,
    *,
    db: str | None = None,
    host: str = "0.0.0.0",
    port: int = 8765,
    workers: int | None = None,
    config: ClassConfig | None = None,
) -> None:
    """Run the class's service until Ctrl+C or SIGTERM, printing what trainees should
    type.  However it stops, :func:`_stop_service` ends the evaluations and their
    worker processes before it returns."""
    import uvicorn

    if not code or not code.strip():
        raise ValueError(_("--code: a class code word is needed, e.g. --code tulip"))
    try:
        code.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 in the command line
        raise ValueError(
            _("--code: {code} is not text; allowed: a word such as tulip", code=shown(code))
        ) from None
    with _sigterm_as_interrupt():
        pool = worker_pool(workers)
        classroom: Classroom | None = None
        try:
            classroom = open_classroom(
                code, db, config, executor=pool, renew=lambda: worker_pool(workers)
            )
            app = create_app(classroom, code, executor=pool)
            _announce(classroom, code, host, port)
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
            # uvicorn stops on Ctrl+C or SIGTERM (running the app's lifespan, which stops
            # the class), then re-raises the signal: SIGTERM too is a KeyboardInterrupt
            # here (see _sigterm_as_interrupt), which uvicorn.run swallows
            uvicorn.run(app, host=host, port=port, log_level="warning")
        finally:
            # also when uvicorn skipped the lifespan (Ctrl+C twice) or never started
            _stop_service(classroom, pool)


def _announce(classroom: Classroom, code: str, host: str, port: int) -> None:
    print(
        _(
            "cxsim classroom: store {store}; each policy is re-simulated {n} times for "
            "{days:g} days (seed {seed}).",
            store=classroom.store,
            n=classroom.config.n,
            days=classroom.config.days,
            seed=classroom.config.seed,
        )
    )
    for address in addresses(host):
        url = f"http://{address}:{port}"
        print(_("Standings page: {url}/", url=url))
        print(_("In each team's notebook:"))
        print("    from cxsim import classroom")
        print(f"    classroom.connect({json.dumps(url)}, code={json.dumps(code)})")
    print(
        _(
            "Teams' laptops must reach this machine on port {port} (open it in the firewall "
            "if needed). Stop with Ctrl+C.",
            port=port,
        ),
        flush=True,
    )


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the service as Ctrl+C does (a KeyboardInterrupt), so ``finally``
    blocks run: by default SIGTERM ends the process at once, leaving its workers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_service(classroom: Classroom | None, pool: Executor) -> None:
    """The one way the service stops (Ctrl+C, SIGTERM, the room's Ctrl+C, which sends
    SIGTERM): the class stops evaluating for good, the pool's workers are ended.  Ctrl+C
    and SIGTERM are ignored meanwhile, so a second one cannot cut it short."""
    held = {}
    if threading.current_thread() is threading.main_thread():
        held = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if classroom is not None:
            classroom.stop()
        stop_executor(pool)
    finally:
        for sig, handler in held.items():
            signal.signal(sig, handler)
