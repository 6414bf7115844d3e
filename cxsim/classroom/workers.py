"""The service's evaluation workers: a process pool that stops with the service, every time.

:func:`worker_pool` makes the pool of ``python -m cxsim classroom serve``;
:func:`stop_executor` ends it and its processes.  :meth:`.core.Classroom.stop` is the
one way a class stops evaluating (it calls :func:`stop_executor` and forbids renewing
the pool afterwards); the service calls it however it is stopped (Ctrl+C, SIGTERM,
the room's Ctrl+C, which sends SIGTERM), and each worker ends itself when the
service is gone without stopping it (``kill -9``).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor

__all__ = ["PARENT_CHECK_SECONDS", "STOP_SECONDS", "stop_executor", "worker_pool"]

#: Seconds between a worker's checks that the service that started it is still there.
PARENT_CHECK_SECONDS = 0.5
#: Seconds a stopped worker has to end before it is killed.
STOP_SECONDS = 5.0


def worker_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool for evaluations (fresh interpreters: ``spawn``, safe beside the
    server's threads), whose workers ignore Ctrl+C and end when the service is gone."""
    workers = workers or max(1, (os.cpu_count() or 1))
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_started,
        initargs=(os.getpid(),),
    )


def _worker_started(service: int) -> None:
    # Ctrl+C in a terminal reaches the whole process group: the service stops its
    # workers itself, after it stopped taking submissions.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(
        target=_end_with_the_service, args=(service,), name="cxsim-service-watch", daemon=True
    ).start()


def _end_with_the_service(service: int) -> None:
    # A spawned worker holds its own ends of the pool's pipes, so a service killed
    # with SIGKILL leaves it waiting for work forever (and multiprocessing's resource
    # tracker with it): a worker whose parent changed ends itself.
    while os.getppid() == service:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def stop_executor(executor: Executor | None, timeout: float = STOP_SECONDS) -> None:
    """Stop an executor without waiting for its work: queued work is cancelled and
    a process pool's workers are ended (terminated, killed after ``timeout`` s)."""
    if executor is None:
        return
    if not isinstance(executor, ProcessPoolExecutor):
        executor.shutdown(wait=False, cancel_futures=True)
        return
    # The pool's own table of workers (shutdown() drops the attribute, not the
    # table): a worker it started while we stopped it is in there too.
    table = executor._processes  # noqa: SLF001 - no public handle on the workers
    executor.shutdown(wait=False, cancel_futures=True)
    processes = list((table or {}).values())
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + timeout
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join(timeout=1)
