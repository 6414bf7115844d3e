"""Refresh the catalogues and add Persian translations in one step, safely in parallel.

    .venv/bin/python scripts/add_translations.py translations.json
    .venv/bin/python scripts/add_translations.py -          # JSON on standard input

The JSON is an object ``{"English message id": "Persian translation", ...}``.  The script
takes a lock on the catalogue (several people or editors may run it at once), runs
``scripts/update_catalogue.py`` (extract, merge), sets each translation (clearing a
``fuzzy`` flag), writes and compiles the catalogue, and lists the message ids of the
JSON the code does not use (a typo, or a message since changed) and the entries still
untranslated or fuzzy.  Translations follow ``docs/fa-glossary.md``.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "cxsim" / "locale" / "fa" / "LC_MESSAGES" / "cxsim.po"
LOCK = ROOT / ".catalogue.lock"


def _update_catalogue():
    path = Path(__file__).resolve().with_name("update_catalogue.py")
    spec = importlib.util.spec_from_file_location("update_catalogue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    text = sys.stdin.read() if argv[0] == "-" else Path(argv[0]).read_text(encoding="utf-8")
    translations: dict[str, str] = json.loads(text)
    update = _update_catalogue()
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        update.main([])
        with open(PO, "rb") as file:
            catalogue = read_po(file)
        unused = []
        for msgid, msgstr in translations.items():
            message = catalogue.get(msgid)
            if message is None:
                unused.append(msgid)
                continue
            message.string = msgstr
            message.flags.discard("fuzzy")
        with open(PO, "wb") as file:
            write_po(file, catalogue, width=100, include_lineno=False, sort_output=True)
        update.main([])
    missing = [m.id for m in catalogue if m.id and (not m.string or "fuzzy" in m.flags)]
    for msgid in unused:
        print(f"not used by the code: {msgid!r}")
    for msgid in missing:
        print(f"untranslated or fuzzy: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
