"""The numbers of every stored notebook output, as a reader would read them.

A change of format (percent instead of a fraction, Persian digits, thousands
separators, a minus sign that stays left in right-to-left text) cannot be checked by
eye over thirty notebooks.  This script reads every code cell's stored outputs, maps
Persian digits and separators back to Latin, reads ``83.1%`` as 0.831, and keeps each
number with the number of decimals it was shown with.  ``--write`` stores them as the
blessed snapshot (``tests/data/output_numbers.json``); ``tests/test_output_numbers.py``
asserts that the stored outputs still show the same numbers, each within the precision
either side was shown with.

    .venv/bin/python scripts/output_numbers.py --write     # after a deliberate change
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "data" / "output_numbers.json"
# Persian digits, the Arabic decimal and thousands separators and percent sign; the
# minus sign U+2212 and the marks that keep it left (LRM, ALM).
_TO_LATIN = str.maketrans(
    {
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        **{chr(0x0660 + d): str(d) for d in range(10)},
        "\u066b": ".",
        "\u066c": ",",
        "\u066a": "%",
        "\u2212": "-",
        "\u200e": "",
        "\u061c": "",
    }
)
_NUMBER = re.compile(
    r"(?<![A-Za-z_\d.])([-+]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:e([-+]\d+))?(\s?%)?"
)
_TAG = re.compile(r"<style.*?</style>|<[^>]+>", re.S)


def numbers_in(text: str) -> list[tuple[float, int]]:
    """Each number in ``text`` as (value, decimals shown); a percent is a fraction with
    two more decimals.

    >>> numbers_in("۸۳٫۱٪ of ۸٬۶۶۰, \u200e\u22122.5 and 0.25; 2.5e-01")
    [(0.831, 3), (8660.0, 0), (-2.5, 1), (0.25, 2), (0.25, 2)]
    """
    found = []
    for sign, whole, fraction, exponent, percent in _NUMBER.findall(text.translate(_TO_LATIN)):
        value = float(whole.replace(",", "") + ("." + fraction if fraction else ""))
        decimals = len(fraction)
        if exponent:  # scientific notation, as pandas once showed small and large numbers
            value *= 10.0 ** int(exponent)
            decimals -= int(exponent)  # may be negative: 2.357632e+08 is known to 100
        if sign == "-":
            value = -value
        if percent:
            value, decimals = round(value / 100, decimals + 2), decimals + 2
        found.append((value, decimals))
    return found


def output_text(output: dict) -> str:
    """What a reader sees of one output: its HTML's text when it has HTML (tables),
    else its plain text; figures and widgets have no numbers to read here."""
    data = output.get("data", {})
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if "text/html" in data:
        return html.unescape(_TAG.sub(" ", "".join(data["text/html"])))
    if "image/png" in data or "application/vnd.jupyter.widget-view+json" in data:
        return ""
    return "".join(data.get("text/plain", ""))


def notebook_numbers(path: Path) -> dict[str, list[tuple[float, int]]]:
    """Cell id -> the numbers its outputs show, in order."""
    notebook = nbformat.read(path, as_version=4)
    return {
        cell.id: [number for output in cell.outputs for number in numbers_in(output_text(output))]
        for cell in notebook.cells
        if cell.cell_type == "code" and cell.outputs
    }


def all_numbers() -> dict[str, dict[str, list[tuple[float, int]]]]:
    """Notebook path (relative to the repository) -> cell id -> numbers."""
    return {
        path.relative_to(ROOT).as_posix(): notebook_numbers(path)
        for path in sorted((ROOT / "notebooks").rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in path.parts
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(all_numbers(), separators=(",", ":")) + "\n")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
    else:
        sys.exit(__doc__)
