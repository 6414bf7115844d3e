"""Write a notebook from a plain-text source: cells separated by lines ``# %% [markdown]``
or ``# %%`` (the "percent" format many editors know), tags as ``# %% tags=a,b``.

    .venv/bin/python scripts/make_notebook.py notebooks/src/00_start_here.py
    .venv/bin/python scripts/make_notebook.py notebooks/src/fa/00_start_here.py

The source files under ``notebooks/src/`` are what authors edit; the ``.ipynb`` is
generated at the same path without the ``src`` folder (``src/X.py`` -> ``X.ipynb``,
``src/fa/X.py`` -> ``fa/X.ipynb``, ``src/app/X.py`` -> ``app/X.ipynb``), then executed by
``scripts/run_notebooks.py``.  Cell ids are the lesson number and the cell's index,
prefixed by the sub-folder for an edition (``fa-00-03``), so they are stable across
rebuilds and differ between editions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def parse(text: str) -> list[nbformat.NotebookNode]:
    cells = []
    kind, tags, lines = None, [], []

    def flush() -> None:
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(
                line[2:] if line.startswith("# ") else line.lstrip("#")
                for line in body.splitlines()
            )
            cell = nbformat.v4.new_markdown_cell(body)
        else:
            cell = nbformat.v4.new_code_cell(body)
        if tags:
            cell.metadata["tags"] = tags
        cells.append(cell)

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            header = line[4:].strip()
            kind = "markdown" if header.startswith("[markdown]") else "code"
            tags = []
            if "tags=" in header:
                tags = header.split("tags=", 1)[1].split()[0].split(",")
            lines = []
        else:
            lines.append(line)
    flush()
    return cells


def edition(source: Path) -> str:
    """The sub-folder of ``src/`` a source sits in (``"fa"``), or ``""`` for English."""
    parents = [parent.name for parent in source.resolve().parents]
    if "src" not in parents:
        return ""
    return "/".join(reversed(parents[: parents.index("src")]))


def build(source: Path, target: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = KERNELSPEC
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = parse(source.read_text(encoding="utf-8"))
    prefix = edition(source).replace("/", "-")
    prefix = f"{prefix}-" if prefix else ""
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{prefix}{source.stem[:2]}-{index:02d}"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)


def target_of(source: Path) -> Path:
    """Where the notebook built from ``source`` goes: its path without the last ``src``.

    >>> target_of(Path("notebooks/src/app/03_courtesy.py")).as_posix()
    'notebooks/app/03_courtesy.ipynb'
    """
    parts = list(source.with_suffix(".ipynb").parts)
    index = len(parts) - 1 - parts[::-1].index("src")
    return Path(*parts[:index], *parts[index + 1 :])


def main(argv: list[str]) -> None:
    for name in argv:
        source = Path(name)
        target = target_of(source)
        build(source, target)
        print(f"{source} -> {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
