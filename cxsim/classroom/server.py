"""The classroom web service: teams submit over HTTP, everyone watches the standings.

``python -m cxsim classroom serve --code WORD`` runs :func:`serve`: a Starlette app
(:func:`create_app`) under uvicorn, with evaluations in a process pool.

=========================  ==============================================
``GET /``                  the standings page (refreshes itself every few seconds)
``GET /api/standings``     the standings as JSON (what the page polls)
``GET /plot.svg``          profit against CSAT per team (matplotlib, SVG)
``POST /api/submit``       ``{"code", "team", "policy", "token"}`` -> 202 and a receipt
``GET /api/health``        ``{"ok": true}``
``GET /instructor``        the instructor's page (asks for the instructor's key)
``GET /api/instructor``    every team as it is now, hidden ones too, and the
                           class's state (header ``X-Instructor-Key``)
``POST /api/instructor``   ``{"action", "team", "name"}``: hide, show, rename,
                           close, open, freeze, reveal, fresh (same header)
=========================  ==============================================

The standings rank teams on the challenge's criterion (profit over the class's days,
customer equity included), beside a row for doing nothing on the same seeds; each
team has its own colour and a budget breaker is marked.  The room's page follows the
reader's language: ``?lang=fa`` (the page's own switch), else the browser's
``Accept-Language``, else the service's language.

The instructor's controls are guarded by the instructor's key (:func:`serve` prints
it; ``$CXSIM_INSTRUCTOR_KEY`` or :func:`serve`'s ``instructor_key`` sets it): a wrong key is 401,
and counts with wrong class codes towards the 429 of :data:`MAX_WRONG_CODES`.

Refusals are JSON ``{"error": message, "field": name}``: 400 (not JSON), 401
(wrong class code, also logged, or wrong instructor's key), 403 (a team's name without
its token; the instructor's controls when the service has no key), 404 (no such team),
409 (submissions closed by the instructor; a rename onto another team's name), 413
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
import os
import re
import secrets
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
from ..i18n import _, available_languages, get_language, persian_digits, set_language
from ..scenario import shown
from .core import (
    ClassConfig,
    Classroom,
    against_labels,
    column_labels,
    parse_submission,
    plot_standings,
    status_labels,
)
from .network import addresses
from .store import Store, SubmissionError
from .workers import stop_executor, worker_pool

__all__ = [
    "INSTRUCTOR_ACTIONS",
    "INSTRUCTOR_KEY_ENV",
    "MAX_BODY",
    "MAX_DEPTH",
    "addresses",
    "create_app",
    "serve",
    "worker_pool",
]

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
#: The environment variable holding the instructor's key (else :func:`serve` makes one).
INSTRUCTOR_KEY_ENV = "CXSIM_INSTRUCTOR_KEY"
#: The header carrying the instructor's key.
KEY_HEADER = "X-Instructor-Key"
#: What the instructor may do, and whether the action names a team.
INSTRUCTOR_ACTIONS = {
    "hide": True,
    "show": True,
    "rename": True,
    "close": False,
    "open": False,
    "freeze": False,
    "reveal": False,
    "fresh": False,
}
#: Rendering switches cxsim's language for one request at a time (it is process-wide).
_LANGUAGE_LOCK = threading.RLock()

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
  const frozen = document.getElementById("frozen");
  const every = Number(document.body.dataset.refresh) * 1000;
  const lang = document.body.dataset.lang;
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
      row.className = team.classes;
      data.order.forEach(function (key) {
        // every cell's text is written by the server's one formatter, in the page's
        // language and digits; a team name is set as text, never as markup
        const td = cell("td", team.cells[key]);
        td.dataset.column = key;
        if (key === "team") {
          td.dir = "auto";
          td.textContent = "";
          const swatch = cell("span", "");
          swatch.className = "swatch";
          swatch.style.background = team.colour;
          td.appendChild(swatch);
          const name = cell("span", team.cells.team);
          name.className = "name";
          td.appendChild(name);
          team.badges.forEach(function (badge) {
            const mark = cell("span", badge.text);
            mark.className = "badge " + badge.kind;
            td.appendChild(mark);
          });
        }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    const thead = document.createElement("thead");
    thead.appendChild(head);
    table.replaceChildren(thead, body);
    summary.textContent = data.summary;
    frozen.textContent = data.frozen_note;
    frozen.hidden = !data.frozen_note;
    if (data.version !== version) {
      version = data.version;
      plot.src = "plot.svg?lang=" + encodeURIComponent(lang) + "&v=" + encodeURIComponent(version);
    }
  }
  function poll() {
    fetch("api/standings?lang=" + encodeURIComponent(lang), {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () {})
      .finally(function () { setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
"""

_INSTRUCTOR_SCRIPT = """\
"use strict";
(function () {
  const form = document.getElementById("login");
  const keyBox = document.getElementById("key");
  const panel = document.getElementById("panel");
  const news = document.getElementById("news");
  const state = document.getElementById("state");
  const teams = document.getElementById("teams");
  const text = JSON.parse(document.getElementById("texts").textContent);
  let key = sessionStorage.getItem("cxsim-instructor-key") || "";
  function cell(tag, value) {
    const element = document.createElement(tag);
    element.textContent = value;
    return element;
  }
  function call(method, body) {
    return fetch("api/instructor", {
      method: method,
      cache: "no-store",
      headers: {"Content-Type": "application/json", "X-Instructor-Key": key},
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    });
  }
  function act(body) {
    if (body.action === "fresh" && !window.confirm(text.confirm_fresh)) { return; }
    call("POST", body).then(function (data) { news.textContent = data.message; load(); })
      .catch(function (error) { news.textContent = error.message; });
  }
  function button(label, body, name) {
    const element = cell("button", label);
    element.type = "button";
    element.name = name || body.action;
    element.addEventListener("click", function () { act(body); });
    return element;
  }
  function show(data) {
    state.textContent = data.state_text;
    const actions = document.getElementById("actions");
    actions.replaceChildren(
      button(data.state.closed ? text.open : text.close,
             {action: data.state.closed ? "open" : "close"}, "submissions"),
      button(data.state.frozen_at === null ? text.freeze : text.reveal,
             {action: data.state.frozen_at === null ? "freeze" : "reveal"}, "standings"),
      button(text.fresh, {action: "fresh"}));
    const body = document.createDocumentFragment();  // rows straight into tbody#teams
    data.teams.forEach(function (team) {
      if (team.kind !== "team") { return; }
      const row = document.createElement("tr");
      row.className = team.classes;
      row.appendChild(cell("td", team.cells.rank));
      const name = cell("td", team.cells.team);
      name.dir = "auto";
      name.dataset.column = "team";
      row.appendChild(name);
      row.appendChild(cell("td", team.cells.profit));
      row.appendChild(cell("td", team.hidden ? text.hidden : text.shown));
      const tools = document.createElement("td");
      tools.appendChild(button(team.hidden ? text.show : text.hide,
                               {action: team.hidden ? "show" : "hide", team: team.key}));
      const rename = document.createElement("input");
      rename.type = "text";
      rename.placeholder = text.new_name;
      rename.dir = "auto";
      tools.appendChild(rename);
      const go = cell("button", text.rename);
      go.type = "button";
      go.name = "rename";
      go.addEventListener("click", function () {
        act({action: "rename", team: team.key, name: rename.value});
      });
      tools.appendChild(go);
      row.appendChild(tools);
      body.appendChild(row);
    });
    teams.replaceChildren(body);
  }
  function load() {
    call("GET").then(function (data) {
      form.hidden = true;
      panel.hidden = false;
      show(data);
    }).catch(function (error) {
      news.textContent = error.message;
      form.hidden = false;
      panel.hidden = true;
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    key = keyBox.value;
    sessionStorage.setItem("cxsim-instructor-key", key);
    load();
  });
  if (key) { load(); }
  setInterval(function () { if (!panel.hidden) { load(); } }, 5000);
})();
"""

_RIGHT_TO_LEFT = {"fa", "ar", "he", "ur"}
_ORDER = (
    "rank",
    "team",
    "profit",
    "profit_low",
    "profit_high",
    "vs_nothing",
    "against_nothing",
    "csat",
    "retention",
    "mean_wait",
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
    "vs_nothing": ("millions", 1),
    "cost": ("millions", 1),
    "extra_cost": ("millions", 1),
    "csat": ("share", None),
    "retention": ("share", None),
    "mean_wait": ("number", 2),
}


def _shown(row: dict[str, Any]) -> dict[str, str]:
    """A team's numbers as the reader's language writes them ("" for none yet)."""
    return {
        key: ""
        if row.get(key) is None
        else format_value(row[key], kind, decimals=decimals, signed=key == "vs_nothing")
        for key, (kind, decimals) in _KINDS.items()
    }


def _cells(row: dict[str, Any]) -> dict[str, str]:
    """Every cell of a standings row as text in the reader's language."""
    shown_numbers = _shown(row)
    statuses, against = status_labels(), against_labels()
    cells = {}
    for key in _ORDER:
        value = row.get(key)
        if key == "status":
            value = statuses.get(value, value)
        elif key == "within_budget":
            value = "" if value is None else (_("yes") if value else _("no"))
        elif key == "against_nothing":
            value = "" if value is None else against.get(value, value)
        elif key in _KINDS:
            value = shown_numbers[key]
        elif key in ("rank", "submissions") and value is not None:
            value = format_value(value, "count")
        elif value is None:
            value = "-" if key == "rank" else ""
        cells[key] = str(value)
    return cells


def _badges(row: dict[str, Any]) -> list[dict[str, str]]:
    """The marks beside a team's name: over budget, lost against doing nothing, hidden."""
    badges = []
    if row.get("kind") == "baseline":
        badges.append({"kind": "baseline", "text": _("benchmark")})
    if row.get("within_budget") is False:
        badges.append({"kind": "over-budget", "text": _("over budget")})
    if row.get("against_nothing") == "below":
        badges.append({"kind": "lost", "text": _("lost against doing nothing")})
    if row.get("hidden"):
        badges.append({"kind": "hidden", "text": _("hidden from the room")})
    return badges


def _classes(row: dict[str, Any]) -> str:
    classes = [f"status-{row['status']}", f"kind-{row.get('kind', 'team')}"]
    if row.get("within_budget") is False:
        classes.append("over-budget")
    if row.get("against_nothing") == "below":
        classes.append("lost")
    if row.get("hidden"):
        classes.append("hidden")
    return " ".join(classes)


def _payload(classroom: Classroom, *, instructor: bool = False) -> dict[str, Any]:
    teams = classroom.standings(instructor=instructor)
    state = classroom.state()
    for row in teams:
        row.pop("submission_id", None)
        row["shown"] = _shown(row)
        row["cells"] = _cells(row)
        row["badges"] = _badges(row)
        row["classes"] = _classes(row)
    entries = [row for row in teams if row.get("kind") == "team"]
    waiting = sum(row["status"] == "evaluating" for row in entries)
    version = hashlib.sha256(
        json.dumps(
            [(row["team"], row["status"], row.get("profit"), row.get("hidden")) for row in teams]
        ).encode()
    ).hexdigest()[:16]
    summary = _(
        "{teams} teams, {waiting} being evaluated; each policy is re-simulated "
        "{n} times for {days} days (seed {seed}), doing nothing too.",
        teams=format_value(len(entries), "count"),
        waiting=format_value(waiting, "count"),
        n=format_value(classroom.config.n, "count"),
        days=format_value(classroom.config.days, "count"),
        seed=format_value(classroom.config.seed, "count"),
    )
    frozen_note = ""
    if state["frozen_at"] is not None and not instructor:
        frozen_note = _(
            "The standings are frozen: later submissions count, and the instructor "
            "reveals them in the debrief."
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
        "frozen_note": frozen_note,
        "language": get_language(),
    }


def _cell(key: str, row: dict[str, Any]) -> str:
    text = html.escape(row["cells"][key])
    if key != "team":
        return f'<td data-column="{key}">{text}</td>'
    # a team name (Persian in an English page, or the reverse) takes its own direction
    colour = html.escape(row.get("colour") or "#888888")
    badges = "".join(
        f'<span class="badge {html.escape(b["kind"])}">{html.escape(b["text"])}</span>'
        for b in row["badges"]
    )
    return (
        f'<td data-column="team" dir="auto"><span class="swatch" style="background:{colour}">'
        f'</span><span class="name">{text}</span>{badges}</td>'
    )


_STYLE = """
body { font-family: system-ui, "Vazirmatn", "Noto Sans Arabic", sans-serif; margin: 1.5rem;
       color: #222; }
table { border-collapse: collapse; font-size: 0.95rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: end; }
th { background: #f3f3f3; }
td[data-column="team"], th[data-column="team"] { text-align: start; font-weight: 600; }
tr.status-evaluating td, tr.status-failed td { color: #888; font-style: italic; }
tr.kind-baseline td { background: #eaf2fa; font-style: italic; }
tr.over-budget td { background: #fff4e5; }
tr.lost td[data-column="vs_nothing"], tr.lost td[data-column="against_nothing"] {
  color: #b00020; font-weight: 600; }
tr.hidden td { color: #999; text-decoration: line-through; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%;
          margin-inline-end: 0.4em; vertical-align: baseline; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; border-radius: 0.6em;
         padding: 0.05em 0.5em; margin-inline-start: 0.4em; }
.badge.over-budget { background: #D55E00; color: white; }
.badge.lost { background: #b00020; color: white; }
.badge.baseline { background: #0072B2; color: white; }
.badge.hidden { background: #999; color: white; }
#frozen { background: #fff4c2; padding: 0.4rem 0.8rem; font-weight: 600; }
#plot { max-width: 100%; margin-top: 1rem; }
nav a { margin-inline-end: 0.8em; }
"""


def _language_links() -> str:
    names = {"en": "English", "fa": "فارسی"}
    links = [
        f'<a href="?lang={html.escape(code)}" lang="{html.escape(code)}">'
        f"{html.escape(names.get(code, code))}</a>"
        for code in available_languages()
    ]
    return "<nav>" + "".join(links) + "</nav>"


def _direction() -> str:
    return "rtl" if get_language().split("_")[0] in _RIGHT_TO_LEFT else "ltr"


def _page(data: dict[str, Any]) -> str:
    """The standings page, rendered on the server (the script then keeps it fresh)."""
    columns = data["columns"]
    head = "".join(f'<th data-column="{key}">{html.escape(columns[key])}</th>' for key in _ORDER)
    rows = "".join(
        f'<tr class="{html.escape(row["classes"])}">'
        + "".join(_cell(key, row) for key in _ORDER)
        + "</tr>"
        for row in data["teams"]
    )
    title = html.escape(_("Class standings"))
    note = html.escape(
        _(
            "Teams ranked by profit over {days} days, customer equity included (mean over "
            "the replications, with its 95% confidence interval), as lesson 09 teaches. "
            "Doing nothing (today's policy) runs on the same callers: a team below it lost "
            "money by acting. Every policy is re-simulated here on the class's own seeds: "
            "only lever values are submitted.",
            days=format_value(data["config"]["days"], "count"),
        )
    )
    alt = html.escape(_("Profit against CSAT per team"))
    version = html.escape(data["version"])
    language = get_language()
    frozen = html.escape(data["frozen_note"])
    hidden = "" if data["frozen_note"] else " hidden"
    return f"""<!doctype html>
<html lang="{html.escape(language)}" dir="{_direction()}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<noscript><meta http-equiv="refresh" content="{REFRESH_SECONDS * 3}"></noscript>
<title>{title}</title>
<style>{_STYLE}</style></head>
<body data-refresh="{REFRESH_SECONDS}" data-version="{version}" data-lang="{html.escape(language)}">
{_language_links()}
<h1>{title}</h1>
<p>{note}</p>
<p id="frozen"{hidden}>{frozen}</p>
<p id="summary">{html.escape(data["summary"])}</p>
<table id="standings"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
<img id="plot" src="plot.svg?lang={html.escape(language)}&amp;v={version}" alt="{alt}">
<script src="standings.js"></script>
</body></html>
"""


def _instructor_page() -> str:
    """The instructor's page: a key box, then the class's controls (filled by script)."""
    texts = {
        "open": _("Open submissions"),
        "close": _("Close submissions"),
        "freeze": _("Freeze the standings"),
        "reveal": _("Reveal the standings"),
        "fresh": _("Start a fresh class"),
        "confirm_fresh": _(
            "Start a fresh class? The standings start empty; earlier rounds stay in the store."
        ),
        "hide": _("Hide"),
        "show": _("Show"),
        "hidden": _("hidden from the room"),
        "shown": _("shown"),
        "rename": _("Rename"),
        "new_name": _("new name"),
    }
    # JSON in a script element the page's script reads (no inline script runs)
    data = json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")
    title = html.escape(_("Instructor's controls"))
    key_label, open_label = html.escape(_("Instructor's key")), html.escape(_("Open"))
    heads = "".join(
        f"<th>{html.escape(label)}</th>"
        for label in (
            _("rank"),
            _("team"),
            _("profit (million toman)"),
            _("on the standings"),
            "",
        )
    )
    back = html.escape(_("Class standings"))
    return f"""<!doctype html>
<html lang="{html.escape(get_language())}" dir="{_direction()}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{_STYLE}
button {{ margin: 0.2rem; }}</style></head>
<body>
{_language_links()}
<h1>{title}</h1>
<form id="login"><label>{key_label}
<input id="key" type="password" autocomplete="off"></label>
<button type="submit">{open_label}</button></form>
<p id="news" role="status"></p>
<section id="panel" hidden>
<p id="state"></p>
<p id="actions"></p>
<table><thead><tr>{heads}</tr></thead><tbody id="teams"></tbody></table>
<p><a href="./">{back}</a></p>
</section>
<script id="texts" type="application/json">{data}</script>
<script src="instructor.js"></script>
</body></html>
"""


def _state_text(state: dict[str, Any]) -> str:
    """The class's state in one sentence for the instructor."""
    parts = [
        _("submissions closed") if state["closed"] else _("submissions open"),
        _("standings frozen for the room")
        if state["frozen_at"] is not None
        else _("standings live"),
        _("round {number}", number=format_value(state["round"] + 1, "count")),
    ]
    hidden = len(state["hidden"])
    if hidden:
        parts.append(_("teams hidden: {count}", count=format_value(hidden, "count")))
    return ("؛ " if _direction() == "rtl" else "; ").join(parts)  # Persian's own semicolon


def request_language(request: Request) -> str:
    """The reader's language: ``?lang=``, else the browser's ``Accept-Language``
    (the first language cxsim has, by preference), else the service's own."""
    have = available_languages()
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in have:
        return asked
    preferences = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _sep, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        preferences.append((-weight, tag.split("-")[0].strip().lower()))
    for _weight, tag in sorted(preferences):
        if tag in have:
            return tag
    return get_language()


@contextmanager
def _speaking(language: str) -> Iterator[None]:
    """Render in ``language`` (cxsim's language is process-wide: one request at a time)."""
    with _LANGUAGE_LOCK:
        before, digits = get_language(), persian_digits()
        try:
            if language != before:
                set_language(language)
            yield
        finally:
            if get_language() != before or persian_digits() != digits:
                set_language(before, persian_digits=digits)


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


def create_app(
    classroom: Classroom,
    code: str,
    *,
    executor: Executor | None = None,
    instructor_key: str | None = None,
) -> Starlette:
    """The web app of one class (``code``: the word teams must send with each
    submission; ``instructor_key``: what the instructor's controls ask for, None to
    switch them off).  ``executor`` (if given) is shut down with the app."""
    plot_cache: dict[tuple[str, str], bytes] = {}
    plot_lock = threading.Lock()
    wrong_codes: dict[str, list[float]] = {}

    def guessing(client: str) -> bool:
        """Whether ``client`` sent too many wrong codes in the last minute (guessing)."""
        now = time.monotonic()
        recent = [t for t in wrong_codes.get(client, []) if now - t < 60]
        wrong_codes[client] = recent
        return len(recent) >= MAX_WRONG_CODES

    def payload(language: str, instructor: bool = False) -> dict[str, Any]:
        with _speaking(language):
            data = _payload(classroom, instructor=instructor)
            if instructor:
                data["state"] = classroom.state()
                data["state_text"] = _state_text(data["state"])
            return data

    def page_html(language: str) -> str:
        with _speaking(language):
            return _page(_payload(classroom))

    def plot_svg(language: str) -> bytes:
        with _speaking(language):
            data = _payload(classroom)
            with plot_lock:
                if (data["version"], language) not in plot_cache:
                    figure = plot_standings(
                        data["teams"], n=classroom.config.n, days=classroom.config.days
                    )
                    buffer = io.BytesIO()
                    figure.savefig(buffer, format="svg")
                    if len(plot_cache) > 8:
                        plot_cache.clear()
                    plot_cache[(data["version"], language)] = buffer.getvalue()
                return plot_cache[(data["version"], language)]

    async def page(request: Request) -> Response:
        text = await run_in_threadpool(page_html, request_language(request))
        return HTMLResponse(text, headers=_SECURITY_HEADERS)

    async def script(request: Request) -> Response:
        return Response(_SCRIPT, media_type="text/javascript", headers=_SECURITY_HEADERS)

    async def standings(request: Request) -> Response:
        data = await run_in_threadpool(payload, request_language(request))
        return JSONResponse(data, headers=_SECURITY_HEADERS)

    async def plot(request: Request) -> Response:
        svg = await run_in_threadpool(plot_svg, request_language(request))
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

    def authorise(request: Request) -> None:
        """The instructor's key, or :class:`SubmissionError` (403 off, 401 wrong, 429)."""
        client = request.client.host if request.client else "?"
        if not instructor_key:
            raise SubmissionError(
                _(
                    "the instructor's controls are off: this service was started without "
                    "an instructor's key (set ${env}, or start it with "
                    "python -m cxsim classroom serve, which makes one)",
                    env=INSTRUCTOR_KEY_ENV,
                ),
                status=403,
            )
        if guessing(client):
            raise SubmissionError(
                _("key: too many wrong keys from this address; wait a minute"),
                status=429,
                field="key",
            )
        given = request.headers.get(KEY_HEADER, "")
        if not hmac.compare_digest(
            given.encode("utf-8", "surrogatepass"), instructor_key.encode("utf-8")
        ):
            wrong_codes.setdefault(client, []).append(time.monotonic())
            log.warning("refused an instructor's request from %s: wrong key", client)
            raise SubmissionError(
                _("key: wrong instructor's key; it was printed when the service started"),
                status=401,
                field="key",
            )

    async def instructor_page(request: Request) -> Response:
        with _speaking(request_language(request)):
            text = _instructor_page()
        return HTMLResponse(text, headers=_SECURITY_HEADERS)

    async def instructor_script(request: Request) -> Response:
        return Response(_INSTRUCTOR_SCRIPT, media_type="text/javascript", headers=_SECURITY_HEADERS)

    async def instructor_view(request: Request) -> Response:
        language = request_language(request)
        try:
            with _speaking(language):
                authorise(request)
        except SubmissionError as error:
            return _error(str(error), error.status, error.field)
        data = await run_in_threadpool(payload, language, True)
        return JSONResponse(data, headers=_SECURITY_HEADERS)

    async def instructor_action(request: Request) -> Response:
        language = request_language(request)
        try:
            with _speaking(language):
                authorise(request)
            body = _parse(await _read_body(request))
            action, team, name = _instructor_request(body)
            message = await run_in_threadpool(_act, classroom, action, team, name, language)
        except SubmissionError as error:
            return _error(str(error), error.status, error.field)
        log.info("instructor: %s %s", action, "" if team is None else shown(team))
        data = await run_in_threadpool(payload, language, True)
        return JSONResponse({"message": message, **data}, headers=_SECURITY_HEADERS)

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
        Route("/instructor", instructor_page),
        Route("/instructor.js", instructor_script),
        Route("/api/instructor", instructor_view, methods=["GET"]),
        Route("/api/instructor", instructor_action, methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.classroom = classroom
    return app


def _instructor_request(body: Any) -> tuple[str, str | None, str | None]:
    """``(action, team, name)`` of an instructor's request, or :class:`SubmissionError`
    (422) naming the field and what is allowed."""
    allowed = ", ".join(INSTRUCTOR_ACTIONS)
    if not isinstance(body, dict):
        raise SubmissionError(
            _("a request is a JSON object with the fields action, team, name"), status=400
        )
    unknown = [str(key) for key in body if key not in ("action", "team", "name")]
    if unknown:
        raise SubmissionError(
            _(
                "unknown field(s) {names}; allowed: {allowed}",
                names=", ".join(unknown)[:80],
                allowed="action, team, name",
            ),
            field=unknown[0][:40],
        )
    action = body.get("action")
    if action not in INSTRUCTOR_ACTIONS:
        raise SubmissionError(
            _(
                "action: {value} is not an action; allowed: {allowed}",
                value=shown(action),
                allowed=allowed,
            ),
            field="action",
        )
    team, name = body.get("team"), body.get("name")
    if INSTRUCTOR_ACTIONS[action] and not (isinstance(team, str) and team.strip()):
        raise SubmissionError(
            _("team: missing; the action {action} needs the team's name", action=action),
            field="team",
        )
    if action == "rename" and not isinstance(name, str):
        raise SubmissionError(_("name: missing; a rename needs the new name (text)"), field="name")
    return action, team, name


def _act(
    classroom: Classroom, action: str, team: str | None, name: str | None, language: str
) -> str:
    """Do an instructor's action; one sentence saying what was done."""
    with _speaking(language):
        if team is not None:  # the team as the room sees it, however it was named here
            entry = classroom.team_entry(team)
            team = classroom.state()["names"].get(entry["team_key"], entry["team"])
        if action == "hide":
            classroom.hide(team)
            return _("{team} is hidden from the room.", team=team)
        if action == "show":
            classroom.show(team)
            return _("{team} is back on the standings.", team=team)
        if action == "rename":
            classroom.rename(team, name)
            return _("{team} is now shown as {name}.", team=team, name=name.strip())
        if action == "close":
            classroom.close()
            return _("Submissions are closed.")
        if action == "open":
            classroom.open()
            return _("Submissions are open.")
        if action == "freeze":
            classroom.freeze()
            return _("The standings are frozen for the room.")
        if action == "reveal":
            classroom.reveal()
            return _("The standings are revealed.")
        classroom.fresh()
        return _("A fresh class has started: the standings are empty.")


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
    instructor_key: str | None = None,
) -> None:
    """Run the class's service until Ctrl+C or SIGTERM, printing what trainees should
    type and the instructor's page with its key (``instructor_key``, else
    ``$CXSIM_INSTRUCTOR_KEY``, else a new one).  However it stops, :func:`_stop_service`
    ends the evaluations and their worker processes before it returns."""
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
            key = (
                instructor_key
                or os.environ.get(INSTRUCTOR_KEY_ENV, "").strip()
                or secrets.token_urlsafe(9)
            )
            app = create_app(classroom, code, executor=pool, instructor_key=key)
            _announce(classroom, code, host, port, key)
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
            # uvicorn stops on Ctrl+C or SIGTERM (running the app's lifespan, which stops
            # the class), then re-raises the signal: SIGTERM too is a KeyboardInterrupt
            # here (see _sigterm_as_interrupt), which uvicorn.run swallows
            uvicorn.run(app, host=host, port=port, log_level="warning")
        finally:
            # also when uvicorn skipped the lifespan (Ctrl+C twice) or never started
            _stop_service(classroom, pool)


def _announce(classroom: Classroom, code: str, host: str, port: int, key: str) -> None:
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
        print(_("Instructor's page: {url}/instructor (key: {key})", url=url, key=key))
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
