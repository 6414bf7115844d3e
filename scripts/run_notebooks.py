"""Re-run notebooks in place so their stored outputs match the code (for strict nbval).

    .venv/bin/python scripts/run_notebooks.py               # every notebook
    .venv/bin/python scripts/run_notebooks.py notebooks/02_response_time.ipynb

Cells tagged ``nbval-skip`` are not run.  ``CXSIM_STRICT_TEXT`` is set, as under ``make
notebooks``: a Persian figure showing English fails its cell.  Widget state and execution timestamps
are dropped: they change on every run and nbval does not compare them.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        skip_cells_with_tag="nbval-skip",
    )
    client.execute()
    elapsed = time.perf_counter() - start
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    return elapsed


def main(argv: list[str]) -> None:
    os.environ.setdefault("CXSIM_STRICT_TEXT", "1")  # the kernels inherit it
    paths = [Path(p) for p in argv] or sorted((ROOT / "notebooks").rglob("*.ipynb"))
    for path in paths:
        if ".ipynb_checkpoints" in path.parts:
            continue
        print(f"{path.relative_to(ROOT) if path.is_absolute() else path}: {run(path):.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
