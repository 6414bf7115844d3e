"""Check the passages of ``docs/sources.md`` against the Persian seed texts.

    .venv/bin/python scripts/check_quotes.py ../shared/seeds

The seeds are kept outside the repository; each passage (between ``<!-- passages begin
-->`` and ``<!-- passages end -->``) must appear in one of them word for word, up to
zero-width non-joiners, spacing, Arabic/Persian ye and kaf, and omissions marked «…».
Exit 1 with the passages that do not.  ``tests/test_fa_quotes.py`` checks the lessons'
quotes against the passages with the same comparison.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "docs" / "sources.md"
PASSAGE = re.compile(r"^- \*\*([NQ]\d+)\*\* \((\d{3})\): «(.*)»\s*$", re.M)


def comparable(text: str) -> str:
    """``text`` without what an extraction or a typist may change: ZWNJ, spacing, the
    Arabic forms of ye and kaf, the Latin or Persian digits."""
    text = text.replace("\u200c", "").replace("ي", "ی").replace("ك", "ک")
    text = text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    return re.sub(r"\s+", "", text)


def passages() -> dict[str, tuple[str, str]]:
    """Claim -> (seed number, passage) from ``docs/sources.md``."""
    text = SOURCES.read_text(encoding="utf-8")
    block = text.split("<!-- passages begin -->", 1)[1].split("<!-- passages end -->", 1)[0]
    return {claim: (seed, passage) for claim, seed, passage in PASSAGE.findall(block)}


def contains(whole: str, quote: str) -> bool:
    """Whether ``quote`` (its parts between «…» omissions in order) is in ``whole``."""
    haystack, start = comparable(whole), 0
    for part in (comparable(p) for p in re.split(r"…|\.\.\.", quote)):
        if not part:
            continue
        found = haystack.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    folder = Path(argv[0])
    seeds = {path.name[:3]: path.read_text(encoding="utf-8") for path in folder.glob("*.txt")}
    bad = [
        claim
        for claim, (seed, passage) in passages().items()
        if seed not in seeds or not contains(seeds[seed], passage)
    ]
    for claim in bad:
        print(f"{claim}: not found word for word in seed {passages()[claim][0]}")
    print(f"{len(passages()) - len(bad)} of {len(passages())} passages found in the seeds")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
