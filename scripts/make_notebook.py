"""Write a notebook from a plain-text source: cells separated by lines ``# %% [markdown]``
or ``# %%`` (the "percent" format many editors know), tags as ``# %% tags=a,b``.

    .venv/bin/python scripts/make_notebook.py notebooks/src/00_start_here.py

The source files under ``notebooks/src/`` are what authors edit; the ``.ipynb``
beside them is generated, then executed by ``scripts/run_notebooks.py``.
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
            body = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                             for line in body.splitlines())
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


def build(source: Path, target: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = KERNELSPEC
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = parse(source.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{source.stem[:2]}-{index:02d}"
    nbformat.write(notebook, target)


def main(argv: list[str]) -> None:
    for name in argv:
        source = Path(name)
        target = source.parent.parent / f"{source.stem}.ipynb"
        build(source, target)
        print(f"{source} -> {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
