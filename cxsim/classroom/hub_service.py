"""The standings service as a JupyterHub service, under the hub's URL prefix.

On a JupyterHub (``deploy/jupyterhub/``) the class's standings are at
``https://HUB/services/standings/``: the hub's proxy forwards every address under that
prefix to this service *with the prefix kept* (JupyterHub's proxy never strips it).
:func:`under_prefix` wraps the app of :func:`.server.create_app` so that it answers
there: its routes see ``/``, ``/api/submit``... and its pages, whose links are relative
(``api/standings``, ``plot.svg``), work unchanged under the prefix.

Run by the hub (``c.JupyterHub.services``, see ``deploy/jupyterhub/jupyterhub_config.py``)
or by Kubernetes beside Zero to JupyterHub (``deploy/jupyterhub/standings.yaml``)::

    python -m cxsim.classroom.hub_service

It reads its settings from the environment:

=============================  ===================================================
``JUPYTERHUB_SERVICE_PREFIX``  the prefix, e.g. ``/services/standings/`` (the hub
                               sets it for a service it runs)
``JUPYTERHUB_SERVICE_URL``     where to listen, e.g. ``http://127.0.0.1:10101``
                               (the hub sets it from the service's ``url``)
``CXSIM_CLASS_CODE``           the class code word teams send (required)
``CXSIM_CLASS_STORE``          the class store (default ``~/.cxsim/classroom.sqlite``)
``CXSIM_INSTRUCTOR_KEY``       the instructor's key (else a new one, in the hub's log)
``CXSIM_CLASS_WORKERS``        evaluation processes (default: one per core)
=============================  ===================================================

Teams connect from their notebooks on the hub with the hub's public address::

    classroom.connect("https://HUB/services/standings", code="WORD")
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from ..i18n import _
from .store import CLASS_CODE_ENV

__all__ = [
    "DEFAULT_PREFIX",
    "WORKERS_ENV",
    "listen_address",
    "main",
    "service_prefix",
    "under_prefix",
]

#: The prefix when the hub gives none (the name the shipped configurations use).
DEFAULT_PREFIX = "/services/standings/"
#: The environment variable holding the number of evaluation processes.
WORKERS_ENV = "CXSIM_CLASS_WORKERS"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def service_prefix(value: str | None) -> str:
    """The prefix as ``/a/b`` (no trailing slash; ``""`` for the root), from the
    hub's ``JUPYTERHUB_SERVICE_PREFIX`` (``/services/standings/``).

    >>> service_prefix("/services/standings/"), service_prefix("services/x"), service_prefix("/")
    ('/services/standings', '/services/x', '')
    """
    value = (value or "").strip().strip("/")
    return "/" + value if value else ""


def listen_address(url: str) -> tuple[str, int]:
    """``(host, port)`` to listen on, from the service's URL (``JUPYTERHUB_SERVICE_URL``).

    >>> listen_address("http://127.0.0.1:10101"), listen_address("http://[::1]:80/")
    (('127.0.0.1', 10101), ('::1', 80))
    """
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "http" or not parts.hostname or port is None:
        raise ValueError(
            _(
                "JUPYTERHUB_SERVICE_URL: {value!r} is not an address to listen on; "
                "allowed: http://HOST:PORT, e.g. http://127.0.0.1:10101",
                value=url,
            )
        )
    return parts.hostname, port


def under_prefix(app: ASGIApp, prefix: str) -> ASGIApp:
    """``app`` answering under ``prefix`` (``/services/standings/``) of a proxy that
    forwards whole paths, as JupyterHub's does.

    A request for ``PREFIX/api/standings`` reaches ``app`` with its path unchanged and
    ``root_path`` set to ``PREFIX``: Starlette routes it as ``/api/standings`` (the ASGI
    rule: ``path`` holds the whole path, ``root_path`` the part that is the mount).
    ``PREFIX`` without its slash is redirected to ``PREFIX/`` (the page's relative
    links need the slash); anything outside the prefix is 404.  The lifespan (which
    stops the class's evaluations) passes through.
    """
    base = service_prefix(prefix)
    if not base:
        return app

    async def prefixed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(base + "/"):
            await app(dict(scope, root_path=scope.get("root_path", "") + base), receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1000})
            return
        query = scope.get("query_string", b"")
        if path == base:
            location = base + "/" + ("?" + query.decode("latin-1") if query else "")
            await _reply(send, 308, b"", [(b"location", location.encode("latin-1"))])
        else:
            await _reply(send, 404, b"Not Found", [(b"content-type", b"text/plain")])

    return prefixed


async def _reply(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main(argv: list[str] | None = None) -> int:
    """Run the standings service under the hub's prefix until the hub stops it
    (SIGTERM), with the settings of the module's docstring; 2 on bad settings."""
    import uvicorn

    from .server import INSTRUCTOR_KEY_ENV, create_app, open_classroom
    from .workers import stop_executor, worker_pool

    environ = os.environ
    try:
        code = environ.get(CLASS_CODE_ENV, "").strip()
        if not code:
            raise ValueError(
                _("{name}: missing; allowed: a class code word, e.g. tulip", name=CLASS_CODE_ENV)
            )
        host, port = listen_address(environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8765"))
        workers_text = environ.get(WORKERS_ENV, "").strip()
        if workers_text and not (workers_text.isdigit() and int(workers_text) > 0):
            raise ValueError(
                _(
                    "{name}: {value!r} is not a number of processes; allowed: 1, 2, 3...",
                    name=WORKERS_ENV,
                    value=workers_text,
                )
            )
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    prefix = service_prefix(environ.get("JUPYTERHUB_SERVICE_PREFIX", DEFAULT_PREFIX))
    key = environ.get(INSTRUCTOR_KEY_ENV, "").strip() or secrets.token_urlsafe(9)
    workers = int(workers_text) if workers_text else None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    pool = worker_pool(workers)
    classroom = None
    try:
        classroom = open_classroom(code, None, executor=pool, renew=lambda: worker_pool(workers))
        app = create_app(classroom, code, executor=pool, instructor_key=key)
        print(
            _(
                "cxsim standings on the hub: {prefix}/ (instructor's page {prefix}/instructor, "
                "key: {key}); store {store}",
                prefix=prefix,
                key=key,
                store=classroom.store,
            ),
            flush=True,
        )
        # uvicorn ends on the hub's SIGTERM, running the app's lifespan (which stops the
        # class and its workers); the finally below covers a start that failed
        uvicorn.run(under_prefix(app, prefix), host=host, port=port, log_level="warning")
    finally:
        if classroom is not None:
            classroom.stop()
        stop_executor(pool)
    return 0


if __name__ == "__main__":
    sys.exit(main())
