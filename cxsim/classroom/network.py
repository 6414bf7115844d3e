"""Which addresses trainees type, and whether a port is free (for the room's pre-flight)."""

from __future__ import annotations

import socket
import subprocess

__all__ = ["addresses", "port_free"]

_ANY = ("0.0.0.0", "::", "")


def addresses(host: str) -> list[str]:
    """The addresses trainees can type: ``host`` itself, or this machine's IPv4
    addresses on its networks when it listens on all of them (``0.0.0.0``), read
    from ``ip`` or the host name (no packet is sent)."""
    if host not in _ANY:
        return [host]
    found: list[str] = []
    try:
        shown = subprocess.run(
            ["ip", "-4", "-o", "addr", "show", "scope", "global"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout
        found += [
            line.split()[3].split("/")[0] for line in shown.splitlines() if len(line.split()) > 3
        ]
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    unique = [a for i, a in enumerate(found) if not a.startswith("127.") and a not in found[:i]]
    return unique or ["127.0.0.1"]


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host``:``port`` now (tried by binding it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # as the servers do: a port left in TIME_WAIT by the last run counts as free
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host or "0.0.0.0", port))
        except OSError:
            return False
    return True
