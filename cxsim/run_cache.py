"""A shared on-disk cache of simulation runs: the second identical click costs nothing.

In a classroom every trainee's page runs in a kernel of its own, and everyone starts
from the same seeds: thirty kernels building lesson 03's dashboard run the same two
weeks of airport security thirty times, and a slider moved to "full training" by the
first team is moved there by the next twenty-nine.  A run is a pure function of

- the scenario's content (every field, after the policy and the days are applied; not
  the path it was read from),
- the policy's name (kept on the result),
- the seed and the days, and
- the model's code and data (:func:`cxsim.precomputed.model_fingerprint`),

so :func:`simulate` looks the run up under a hash of exactly these before running it,
and stores what it ran.  The folder is ``$CXSIM_CACHE/runs`` (default
``~/.cache/cxsim/runs``): the room gives every kernel the same ``$CXSIM_CACHE``, so
one kernel's run serves all the others.

What is stored is the run's event log (:class:`cxsim.records.Records`: typed columns,
a ``.npz`` file read without pickle, so a file in a shared folder cannot run code) and
its key; the tables and KPIs are computed from it as for a fresh run, so a run read
from the cache gives the same numbers, to the digit.

The cache is safe to share and to lose:

- a file is written under a temporary name and renamed into place (atomic on one
  file system), so a reader never sees half a file and two kernels writing the same
  run at once both succeed;
- a file that cannot be read, or whose stored key differs, is a miss (and removed);
- the folder is bounded (``$CXSIM_RUN_CACHE_MB``, default 512 MB): after a write the
  least recently used runs are removed until it holds at most 80 % of the bound;
  ``CXSIM_RUN_CACHE_MB=0`` turns the cache off;
- a folder that cannot be written (a read-only home) only means running again;
- a run is made once even when many kernels ask for it at the same moment (the class
  moves its sliders together): the first takes a lock on the run's key (``flock`` on
  ``<key>.lock``; the system releases it if that kernel dies), the others wait for it
  and then read its file instead of running the same run again.

In a dashboard (:meth:`cxsim.widgets.Dashboard.run`)::

    from cxsim import run_cache
    result = run_cache.simulate(scenario, seed=0, days=7)  # read, if anyone ran it
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
import tempfile
import time
import zipfile
from array import array
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .catalog import load_scenario
from .precomputed import cache_dir, model_fingerprint
from .records import JourneyLog, Records, VisitLog
from .results import Result
from .scenario import Scenario
from .simulation import simulate as _simulate

__all__ = [
    "LIMIT_ENV",
    "DEFAULT_LIMIT_MB",
    "limit_bytes",
    "prune",
    "run_key",
    "runs_dir",
    "simulate",
]

#: The variable that bounds the folder, in megabytes (0 turns the cache off).
LIMIT_ENV = "CXSIM_RUN_CACHE_MB"
DEFAULT_LIMIT_MB = 512
#: After a write that took the folder over its bound, prune it down to this share of it
#: (so that the next few writes do not each prune again).
PRUNE_TO = 0.8
#: Bumped when the stored layout changes: older files are then misses.
FORMAT = 1
_SUFFIX = ".npz"
_LOCK_SUFFIX = ".lock"
# a temporary file (or a run's lock) older than this was left by a writer that died, or
# by a run made long ago: removed when pruning (a lock removed in use costs at most one
# run made twice)
_STALE_TMP_SECONDS = 3600.0
# numpy's dtype for each array typecode the logs use
_DTYPES = {"q": np.int64, "d": np.float64, "b": np.int8}


def runs_dir() -> Path:
    """The folder of cached runs: ``runs`` inside :func:`cxsim.precomputed.cache_dir`."""
    return cache_dir() / "runs"


def limit_bytes() -> int:
    """The folder's bound in bytes, from ``$CXSIM_RUN_CACHE_MB`` (0: the cache is off)."""
    text = os.environ.get(LIMIT_ENV, "").strip()
    if not text:
        return DEFAULT_LIMIT_MB * 1024 * 1024
    try:
        megabytes = float(text)
    except ValueError:
        raise ValueError(
            f"{LIMIT_ENV}: {text!r} is not a number; allowed: megabytes, 0 or more "
            "(0 turns the run cache off)"
        ) from None
    if not megabytes >= 0:
        raise ValueError(f"{LIMIT_ENV}: {text!r}; allowed: megabytes, 0 or more")
    return int(megabytes * 1024 * 1024)


def _effective(
    scenario: str | os.PathLike[str] | Mapping[str, Any] | Scenario,
    policy: str | None,
    days: float | None,
) -> Scenario:
    """The scenario a run of ``scenario`` with ``policy`` over ``days`` simulates (what
    :func:`cxsim.simulation.simulate` builds before running)."""
    loaded = load_scenario(scenario).with_policy(policy)
    if days is not None:
        loaded = loaded.with_overrides({"horizon_days": days}, path="days")
    return loaded


def _key_text(scenario: Scenario, policy: str | None, seed: int, days: float | None) -> str:
    content = scenario.model_dump(mode="json", exclude={"source"})
    return json.dumps(
        {
            "format": FORMAT,
            "model": model_fingerprint(),
            "scenario": content,
            "policy": policy,
            "seed": int(seed),
            "days": None if days is None else float(days),
        },
        sort_keys=True,
        ensure_ascii=True,
    )


def run_key(
    scenario: str | os.PathLike[str] | Mapping[str, Any] | Scenario,
    *,
    policy: str | None = None,
    seed: int = 0,
    days: float | None = None,
) -> str:
    """The cache key of a run (32 hex digits): changes with anything that changes the run.

    >>> run_key("contact_centre", seed=1) == run_key("contact_centre", seed=2)
    False
    """
    effective = _effective(scenario, policy, days)
    return hashlib.sha256(_key_text(effective, policy, seed, days).encode()).hexdigest()[:32]


# --------------------------------------------------------------------------- files
def _log_arrays(prefix: str, log: VisitLog | JourneyLog) -> dict[str, np.ndarray]:
    return {
        f"{prefix}.{name}": np.frombuffer(column, dtype=_DTYPES[column.typecode])
        for name, column in vars(log).items()
        if isinstance(column, array)
    }


def _fill_log(log: VisitLog | JourneyLog, prefix: str, stored: Any) -> None:
    for name, column in vars(log).items():
        if isinstance(column, array):
            data = stored[f"{prefix}.{name}"]
            if data.dtype != np.dtype(_DTYPES[column.typecode]):
                raise ValueError(f"column {prefix}.{name} has type {data.dtype}")
            column.frombytes(data.tobytes())
    lengths = {len(column) for column in vars(log).values() if isinstance(column, array)}
    if len(lengths) > 1:
        raise ValueError(f"columns of {prefix} differ in length: {sorted(lengths)}")


def _encode(key_text: str, records: Records) -> bytes:
    meta = {
        "key": key_text,
        "end_min": records.end_min,
        "warmup_min": records.warmup_min,
        "daily": records.daily,
        "counters": records.counters,
        "base_customers": records.base_customers,
    }
    arrays = {**_log_arrays("visits", records.visits), **_log_arrays("journeys", records.journeys)}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _decode(path: Path, key_text: str) -> Records | None:
    """The records stored at ``path`` under ``key_text``; None if missing, unreadable or
    stored under another key (a damaged file is removed)."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            meta = json.loads(stored["meta"].tobytes().decode())
            if not isinstance(meta, dict) or meta.get("key") != key_text:
                return None
            visits, journeys = VisitLog(), JourneyLog()
            _fill_log(visits, "visits", stored)
            _fill_log(journeys, "journeys", stored)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return Records(
        visits=visits,
        journeys=journeys,
        end_min=float(meta["end_min"]),
        warmup_min=float(meta["warmup_min"]),
        daily=meta.get("daily"),
        counters=meta.get("counters"),
        base_customers=meta.get("base_customers"),
    )


def _store(folder: Path, path: Path, data: bytes, limit: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=folder, prefix=path.stem + ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(partial, path)  # atomic: a reader sees the old file, or the whole new one
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise
    prune(folder, limit)


def prune(folder: Path | None = None, limit: int | None = None) -> int:
    """Keep ``folder`` (default :func:`runs_dir`) within ``limit`` bytes (default
    :func:`limit_bytes`): when over it, remove the least recently used runs until it
    holds at most :data:`PRUNE_TO` of it.  Returns how many files were removed."""
    folder = runs_dir() if folder is None else folder
    limit = limit_bytes() if limit is None else limit
    now = time.time()
    entries = []
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            try:
                info = entry.stat()
            except OSError:
                continue
            if entry.name.endswith((".tmp", _LOCK_SUFFIX)):
                if now - info.st_mtime > _STALE_TMP_SECONDS:  # a writer that died
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                        removed += 1
                continue
            if entry.name.endswith(_SUFFIX):
                entries.append((info.st_mtime, info.st_size, entry.path))
    total = sum(size for _mtime, size, _path in entries)
    if total <= limit:
        return removed
    for _mtime, size, path in sorted(entries):
        if total <= PRUNE_TO * limit:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed += 1
        total -= size
    return removed


# --------------------------------------------------------------------------- runs
def simulate(
    scenario: str | os.PathLike[str] | Mapping[str, Any] | Scenario,
    *,
    policy: str | None = None,
    seed: int = 0,
    days: float | None = None,
) -> Result:
    """:func:`cxsim.simulate`, read from the shared cache when this run was made before.

    Same arguments, same result to the digit; a run not in the cache is simulated and
    stored.  Invalid arguments raise the same errors as :func:`cxsim.simulate`.
    """
    limit = limit_bytes()
    if limit <= 0:
        return _simulate(scenario, policy=policy, seed=seed, days=days)
    try:
        effective = _effective(scenario, policy, days)
        key_text = _key_text(effective, policy, seed, days)
    except (TypeError, ValueError):
        # a bad seed or days: the run itself names the field and what is allowed
        return _simulate(scenario, policy=policy, seed=seed, days=days)
    name = hashlib.sha256(key_text.encode()).hexdigest()[:32]
    folder = runs_dir()
    path = folder / f"{name}{_SUFFIX}"
    records = _decode(path, key_text)
    if records is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return Result(effective, records, policy=policy, seed=seed)
    with _run_lock(folder, name):
        records = _decode(path, key_text)  # made while this kernel waited for the lock
        if records is not None:
            return Result(effective, records, policy=policy, seed=seed)
        result = _simulate(effective, policy=None, seed=seed, days=None)
        result = Result(effective, result.records, policy=policy, seed=seed)
        with contextlib.suppress(OSError):  # a read-only or full disk: run again next time
            _store(folder, path, _encode(key_text, result.records), limit)
    return result


@contextlib.contextmanager
def _run_lock(folder: Path, name: str) -> Any:
    """Hold the lock of run ``name`` for as long as the block runs (other kernels asking
    for the same run wait); without ``flock`` (Windows) or a writable folder, no lock:
    at worst two kernels make the same run."""
    if sys.platform == "win32":
        yield
        return
    import fcntl

    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder / f"{name}{_LOCK_SUFFIX}", os.O_CREAT | os.O_RDWR, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock
