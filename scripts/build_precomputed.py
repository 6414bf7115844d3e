"""Build the precomputed tables the workbook ships (``data/precomputed/*.json``).

    .venv/bin/python scripts/build_precomputed.py            # every stale table
    .venv/bin/python scripts/build_precomputed.py --all      # every table, stale or not
    .venv/bin/python scripts/build_precomputed.py --check    # exit 1 if any is stale
    .venv/bin/python scripts/build_precomputed.py decision_l05_extra_agents

Exercise checkers (:mod:`cxsim.decisions`) and assumptions panels register their tables
when their modules are imported; this script imports every lesson module of the registry
(and the assumptions panel) and builds the tables whose key or model fingerprint changed
(:mod:`cxsim.precomputed`).  Run it after changing the model, a default, a scenario or a
decision; ``tests/test_precomputed.py`` fails until you do.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_all() -> None:
    """Import every module that registers tables."""
    from cxsim.lessons.registry import LESSONS

    for lesson in LESSONS:
        if lesson.module:
            importlib.import_module(f"cxsim.lessons.{lesson.module}")
    for extra in ("cxsim.assumptions",):
        if importlib.util.find_spec(extra) is not None:
            importlib.import_module(extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="tables to build (default: every stale one)")
    parser.add_argument("--all", action="store_true", help="rebuild every table")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    from cxsim import precomputed

    load_all()
    names = args.names or sorted(precomputed.REGISTRY)
    unknown = [name for name in names if name not in precomputed.REGISTRY]
    if unknown:
        print(f"unknown tables: {', '.join(unknown)}; known: {', '.join(precomputed.REGISTRY)}")
        return 2
    stale = [name for name in names if args.all or not precomputed.is_current(name)]
    if args.check:
        for name in stale:
            print(f"stale: data/precomputed/{name}.json")
        print("precomputed tables up to date" if not stale else "run scripts/build_precomputed.py")
        return 1 if stale else 0
    for name in stale:
        start = time.perf_counter()
        path = precomputed.build(name)
        print(f"built {path.relative_to(ROOT)} in {time.perf_counter() - start:.1f} s")
    if args.names:  # a named table built: nothing else is touched
        return 0
    known = {f"{name}.json" for name in precomputed.REGISTRY}
    for path in sorted(precomputed.shipped_dir().glob("*.json")):
        if path.name not in known:
            path.unlink()
            print(f"removed {path.relative_to(ROOT)} (no longer registered)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
