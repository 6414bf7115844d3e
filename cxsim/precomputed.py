"""Tables that are a pure function of their inputs, computed once and read many times.

A lesson's exercise checker judges a fixed set of answers on fixed seeds, and an
assumptions panel re-runs a comparison at fixed values: minutes of simulation whose
result depends only on the scenario files, the model's code, the candidates, the seeds
and the days.  :func:`precomputed` returns such a table from

1. ``data/precomputed/NAME.json``, shipped with the workbook and built by
   ``scripts/build_precomputed.py``, when its *key* matches;
2. else the user's cache (``$CXSIM_CACHE``, default ``~/.cache/cxsim``), when its key
   matches;
3. else it computes the table, stores it in the user's cache and returns it.

The key is what the caller says the table depends on, plus :func:`model_fingerprint`:
a hash of the model's source files and of every file under ``data/`` a scenario reads.
Change the model or a default and every stored table is stale: it is recomputed where it
is needed, and ``tests/test_precomputed.py`` fails until the shipped tables are rebuilt,
so a trainee's click stays instant.  A table is JSON: numbers, strings, lists and dicts.

>>> key = {"question": "doctest", "seeds": [0, 1]}
>>> precomputed("doctest_example", key, lambda: {"answer": 42}, store=False)["answer"]
42
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .catalog import data_dir

__all__ = [
    "REGISTRY",
    "cache_dir",
    "model_fingerprint",
    "precomputed",
    "register_table",
    "shipped_dir",
    "table_key",
]

#: The modules whose code decides what a run gives: the scenario, the model and the
#: numbers read from its records (layers below experiments).
MODEL_MODULES = (
    "behaviour.py",
    "catalog.py",
    "clock.py",
    "customer_base.py",
    "distributions.py",
    "lean_process.py",
    "metrics.py",
    "model.py",
    "model_behaviour.py",
    "records.py",
    "results.py",
    "rng.py",
    "rota.py",
    "scenario.py",
    "simulation.py",
    "survey.py",
    "experiments.py",
)

#: name -> (key, compute) of every table ``scripts/build_precomputed.py`` builds.
REGISTRY: dict[str, tuple[Callable[[], Mapping[str, Any]], Callable[[], Any]]] = {}


@cache
def model_fingerprint() -> str:
    """A hash of the model's code and of the data every scenario reads (16 hex digits)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for name in MODEL_MODULES:
        digest.update(name.encode())
        digest.update((package / name).read_bytes())
    data = data_dir()
    for path in sorted(
        p
        for p in data.rglob("*")
        if p.is_file()
        and p.suffix in {".yaml", ".csv"}
        and "precomputed" not in p.parts
        # what runs, not what the assumptions panel varies (its tables' keys hold it)
        and p.name != "assumptions.yaml"
    ):
        digest.update(str(path.relative_to(data)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _plain(value: Any) -> Any:
    """``value`` as JSON would give it back (tuples as lists, NaN as None)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _plain(value.item())
    return value


def table_key(key: Mapping[str, Any]) -> dict[str, Any]:
    """The full key of a table: the caller's ``key`` and the model's fingerprint."""
    return {"inputs": _plain(key), "model": model_fingerprint()}


def shipped_dir() -> Path:
    """Where the shipped tables live: ``data/precomputed``."""
    return data_dir() / "precomputed"


def cache_dir() -> Path:
    """The user's cache of computed tables (``$CXSIM_CACHE``, default ``~/.cache/cxsim``)."""
    override = os.environ.get("CXSIM_CACHE")
    return Path(override) if override else Path.home() / ".cache" / "cxsim"


def _read(path: Path, wanted: dict[str, Any]) -> Any | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != wanted:
        return None
    return stored.get("table")


def _write(path: Path, wanted: dict[str, Any], table: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    text = json.dumps({"key": wanted, "table": _plain(table)}, ensure_ascii=False, indent=1)
    partial.write_text(text + "\n", encoding="utf-8")
    os.replace(partial, path)  # atomic: a reader never sees half a file


def precomputed(
    name: str,
    key: Mapping[str, Any],
    compute: Callable[[], Any],
    *,
    store: bool = True,
) -> Any:
    """The table ``name`` for ``key``: shipped, cached, or computed now (see the module).

    ``compute`` returns the table (JSON-able); ``store=False`` leaves the cache alone.
    The table returned is always as JSON gives it back, wherever it came from.
    """
    wanted = table_key(key)
    for folder in (shipped_dir(), cache_dir()):
        table = _read(folder / f"{name}.json", wanted)
        if table is not None:
            return table
    table = _plain(compute())
    if store:
        # a read-only home: compute again next time rather than fail
        with contextlib.suppress(OSError):
            _write(cache_dir() / f"{name}.json", wanted, table)
    return json.loads(json.dumps(table))


def register_table(
    name: str, key: Callable[[], Mapping[str, Any]], compute: Callable[[], Any]
) -> None:
    """Declare a table ``scripts/build_precomputed.py`` ships in ``data/precomputed``."""
    if name in REGISTRY:
        raise ValueError(f"precomputed table {name!r} is registered twice")
    REGISTRY[name] = (key, compute)


def build(name: str) -> Path:
    """Compute the registered table ``name`` and write it to ``data/precomputed``."""
    key, compute = REGISTRY[name]
    path = shipped_dir() / f"{name}.json"
    _write(path, table_key(key()), compute())
    return path


def is_current(name: str) -> bool:
    """Whether the shipped table ``name`` matches its key and the model's code."""
    key, _compute = REGISTRY[name]
    return _read(shipped_dir() / f"{name}.json", table_key(key())) is not None
