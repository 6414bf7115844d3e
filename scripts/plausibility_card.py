"""Write the plausibility card into docs/model.md: every bundled scenario over several seeds.

    .venv/bin/python scripts/plausibility_card.py            # seeds 0-4, rewrites the card
    .venv/bin/python scripts/plausibility_card.py --seeds 10 # seeds 0-9
    .venv/bin/python scripts/plausibility_card.py --check    # exit 1 if the card is stale

The card sits in docs/model.md between the markers below (a "## 8. Plausibility card"
section is added at the end if they are missing); everything between them is generated:
edit data/plausibility.yaml (targets, sources) or cxsim/plausibility.py (checks), never
the card.  Exits 2 when a check is out of range (the card is still written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm.auto import tqdm

from cxsim import plausibility

ROOT = Path(__file__).resolve().parent.parent
MODEL_CARD = ROOT / "docs" / "model.md"
START = "<!-- plausibility-card:start -->"
END = "<!-- plausibility-card:end -->"
SECTION = (
    "## 8. Plausibility card\n\n"
    "What a sceptical trainer can check before a workshop: for each bundled scenario, "
    "targets from published figures (or marked *assumption*) and what the model "
    "gives over several seeds.\n\n"
)
COMMAND = "python scripts/plausibility_card.py"


def with_card(text: str, card: str) -> str:
    """``text`` (docs/model.md) with the card between the markers (added if missing)."""
    block = f"{START}\n{card.rstrip()}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        return head + block + tail
    return text.rstrip("\n") + "\n\n" + SECTION + block + "\n"


def build(seeds: int) -> tuple[str, plausibility.Card]:
    targets = plausibility.load_targets()
    progress = tqdm(total=len(targets) * seeds, desc="plausibility runs", unit="run")

    def advance(items):
        for item in items:
            progress.set_postfix_str(f"{item[0]} seed {item[1]}")
            yield item
            progress.update()

    try:
        card = plausibility.evaluate(targets, range(seeds), progress=advance)
    finally:
        progress.close()
    command = COMMAND if seeds == 5 else f"{COMMAND} --seeds {seeds}"
    return plausibility.card_markdown(card, command), card


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if docs/model.md's card differs"
    )
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    markdown, card = build(args.seeds)
    text = MODEL_CARD.read_text(encoding="utf-8")
    updated = with_card(text, markdown)
    if args.check:
        if updated != text:
            print(
                f"{MODEL_CARD.relative_to(ROOT)}: the plausibility card is out of date; "
                f"run {COMMAND}",
                file=sys.stderr,
            )
            return 1
        print("the plausibility card is up to date")
        return 0
    MODEL_CARD.write_text(updated, encoding="utf-8")
    failed = [
        f"{name}: {row.target.key}"
        for name, rows in card.rows.items()
        for row in rows
        if not row.passed
    ]
    print(f"wrote the plausibility card into {MODEL_CARD.relative_to(ROOT)}")
    if failed:
        print("out of range: " + "; ".join(failed), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
