"""Shared fixtures: a throwaway PostgreSQL cluster and a running classroom service; helpers
the test modules import (free ports, the artifacts folder, the scripts as modules)."""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
# The tests' class store: never the machine's own (~/.cxsim/classroom.sqlite).
os.environ.setdefault(
    "CXSIM_CLASS_STORE", str(Path(tempfile.mkdtemp(prefix="cxsim-store-")) / "classroom.sqlite")
)


# Test modules `make check` leaves out (`make test` runs them): replications and theory
# checks, the class service with its databases, browsers, notebooks and whole lessons.
SLOW_MODULES = frozenset(
    {
        "test_against_theory",
        "test_experiments",
        "test_plausibility",
        "test_properties",
        "test_classroom_load",
        "test_classroom_service",
        "test_classroom_store",
        "test_classroom_room",
        "test_classroom_shutdown",
        "test_fuzz_scenarios",  # hundreds of fuzzed files in child processes
        "test_wheelhouse",
        "test_app",
        "test_fa_notebooks",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.stem
        if (
            module in SLOW_MODULES
            or module.startswith("test_lesson_")
            or "browser" in item.path.parts
        ):
            item.add_marker(pytest.mark.slow)


def load_script(name: str) -> ModuleType:
    """``scripts/NAME.py`` as a module (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(Path(path).parts[-3])
    )
    if not found:
        pytest.fail(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): "
            "run `make system`, or as root `apt-get install -y --no-install-recommends "
            "postgresql`",
            pytrace=False,
        )
    return Path(found[-1]).parent


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL cluster made for this test session on a free loopback port (as the
    `postgres` system user when we are root: PostgreSQL refuses to run as root);
    stopped and deleted after."""
    bindir = _postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="cxsim-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.fail("runuser not found: install util-linux", pytrace=False)
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, logfile, port = root / "data", root / "server.log", free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    try:
        run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(logfile),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200",
            "start",
        )
    except subprocess.CalledProcessError as error:
        log = logfile.read_text() if logfile.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {error.stderr.decode()}\n{log}", pytrace=False)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


class ServiceThread:
    """A uvicorn server for ``app`` on 127.0.0.1 in a thread of this process."""

    def __init__(self, app: object) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServiceThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the classroom service did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def marked_processes(mark: str) -> list:
    """Live processes that inherited ``CXSIM_TEST_MARK=mark`` from a test: a service, its
    workers and multiprocessing's resource tracker (what a clean stop must not leave)."""
    import psutil

    found = []
    for process in psutil.process_iter():
        try:
            if (
                process.environ().get("CXSIM_TEST_MARK") == mark
                and process.status() != psutil.STATUS_ZOMBIE
            ):
                found.append(process)
        except psutil.Error:
            continue
    return found
