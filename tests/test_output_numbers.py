"""Every number a stored notebook output shows is the number it showed before a change of
format: a format change (percent instead of a fraction, Persian digits and minus signs,
thousands separators) cannot be checked by eye over thirty notebooks.

The blessed numbers are ``tests/data/output_numbers.json``, written by
``scripts/output_numbers.py --write`` from the stored outputs; after a deliberate change
of what the notebooks compute, bless the new numbers with it (and say so in the commit).
"""

from __future__ import annotations

import json

import pytest
from conftest import load_script

numbers = load_script("output_numbers")
SNAPSHOT = json.loads(numbers.SNAPSHOT.read_text())
NOW = numbers.all_numbers()


def _agree(before: tuple[float, int], after: tuple[float, int]) -> bool:
    """Two shown numbers agree when each lies within the rounding of the coarser one."""
    (old, old_decimals), (new, new_decimals) = before, after
    coarser = min(old_decimals, new_decimals)
    return abs(old - new) <= 0.5 * 10.0 ** (-coarser) + 1e-9


def test_the_snapshot_covers_every_notebook():
    assert sorted(SNAPSHOT) == sorted(NOW)
    assert sum(len(cell) for notebook in SNAPSHOT.values() for cell in notebook.values()) > 1000


@pytest.mark.parametrize("notebook", sorted(SNAPSHOT))
def test_stored_outputs_show_the_blessed_numbers(notebook):
    problems = []
    for cell, before in SNAPSHOT[notebook].items():
        after = NOW[notebook].get(cell, [])
        if len(after) != len(before):
            problems.append(f"{cell}: {len(before)} numbers before, {len(after)} now")
            continue
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            if not _agree(tuple(old), tuple(new)):
                problems.append(f"{cell} number {index}: {old[0]} before, {new[0]} now")
    assert problems == [], "\n".join(problems[:20])


def test_numbers_are_read_back_from_persian_percent_and_minus():
    assert numbers.numbers_in("\u200e\u2212۲۱۰٫۴ و ۸۳٫۱٪") == [(-210.4, 1), (0.831, 3)]
    assert _agree((0.2534, 4), (0.253, 3)) and not _agree((0.2534, 4), (0.26, 2))
