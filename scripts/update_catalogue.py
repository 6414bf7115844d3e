"""Refresh the message catalogues after the English strings in ``cxsim/`` change.

    python scripts/update_catalogue.py            # extract, merge, compile
    python scripts/update_catalogue.py --check    # exit 1 if anything is out of date

1. extracts every ``_("...")`` and ``N_("...")`` from ``cxsim/`` (the lesson registry's
   titles too), the descriptions and names of the bundled scenarios
   (``data/scenarios/*.yaml``), and the placeholders ``[[...]]`` in the strings and
   comments of the lessons' code cells (``notebooks/src/*.py``, which
   ``scripts/make_notebook.py`` fills in each language), into the template
   ``cxsim/locale/cxsim.pot``;
2. merges the template into each ``cxsim/locale/<lang>/LC_MESSAGES/cxsim.po``
   (new messages arrive untranslated, changed ones marked fuzzy, removed ones
   kept as obsolete ``#~`` entries);
3. compiles each ``.po`` to the ``.mo`` that cxsim loads at run time.

Translate new or fuzzy entries with any PO editor (Poedit, Lokalize, a text
editor), remove the ``#, fuzzy`` flag once checked, then run this script again.
Needs Babel (``pip install -e '.[dev]'``).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from cxsim.catalog import load_scenario
from cxsim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cxsim"
LOCALE = PACKAGE / "locale"
SCENARIOS = ROOT / "data" / "scenarios"
LESSON_SOURCES = ROOT / "notebooks" / "src"
DOMAIN = "cxsim"
KEYWORDS = {"_": None, "N_": None}


def extract() -> Catalog:
    """Every message id in the package source, with where it is used."""
    template = Catalog(
        project="cxsim",
        version="0.1.0",
        domain=DOMAIN,
        charset="utf-8",
        msgid_bugs_address="https://github.com/cxsim/cxsim/issues",
        copyright_holder="cxsim contributors",
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        directory_filter=lambda path: "locale" not in Path(path).parts,
    ):
        if message:
            template.add(
                message,
                locations=[(f"cxsim/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for message in scenario_texts(load_scenario(path)):
            template.add(message, locations=[(f"data/scenarios/{path.name}", 0)])
    for location, message in notebook_texts():
        template.add(message, locations=[(location, 0)])
    return template


def _make_notebook() -> ModuleType:
    """``scripts/make_notebook.py`` as a module (the scripts are not a package)."""
    path = Path(__file__).resolve().with_name("make_notebook.py")
    spec = importlib.util.spec_from_file_location("make_notebook", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def notebook_texts() -> list[tuple[str, str]]:
    """``(file, message id)`` of every placeholder ``[[...]]`` in the code cells of the
    English lesson sources: what a reader sees inside the code (example team names,
    ``# <- [[change this]]``), filled in by ``scripts/make_notebook.py`` in each language."""
    make_notebook = _make_notebook()
    found = []
    for path in sorted(LESSON_SOURCES.glob("*.py")):
        location = f"notebooks/src/{path.name}"
        for index, cell in enumerate(make_notebook.parse(path.read_text(encoding="utf-8"))):
            if cell.cell_type == "code":
                where = f"{location} cell {index}"
                found += [(location, m) for m in make_notebook.placeholders(cell.source, where)]
    return found


def scenario_texts(scenario: Scenario) -> list[str]:
    """What a bundled scenario shows a reader: its description (in the one-line form
    ``Scenario.describe`` looks up) and the names of its segments, touchpoints,
    journeys and policies (shown through ``translate_name``)."""
    texts = [scenario.description_line]
    for part in (scenario.segments, scenario.touchpoints, scenario.journeys):
        texts += [item.name for item in part]
    texts += list(scenario.policies)
    return [text for text in texts if text]


def compiled(po_path: Path) -> bytes:
    """The ``.mo`` bytes of a ``.po`` file (fuzzy entries left out, as gettext does)."""
    with open(po_path, "rb") as file:
        catalogue = read_po(file)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def _po_bytes(catalogue: Catalog, **kwargs: bool) -> bytes:
    # Locations name the file but not the line: moving code around must not make the
    # catalogues stale, only adding, changing or removing a message does.
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=100, include_lineno=False, **kwargs)
    return buffer.getvalue()


def _without_dates(data: bytes) -> bytes:
    # the creation date changes on every run; compare templates and catalogues without it
    return b"\n".join(
        line for line in data.splitlines() if not line.startswith(b'"POT-Creation-Date')
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if the template, a .po or a .mo is stale",
    )
    args = parser.parse_args(argv)
    stale: list[str] = []
    template = extract()
    pot_path = LOCALE / f"{DOMAIN}.pot"
    new_pot = _po_bytes(template, sort_output=True)
    if not pot_path.exists() or _without_dates(pot_path.read_bytes()) != _without_dates(new_pot):
        stale.append(str(pot_path.relative_to(ROOT)))
        if not args.check:
            pot_path.write_bytes(new_pot)
    for po_path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with open(po_path, "rb") as file:
            catalogue = read_po(file)
        before = _po_bytes(catalogue, sort_output=True)
        catalogue.update(template, no_fuzzy_matching=False)
        after = _po_bytes(catalogue, sort_output=True)
        if _without_dates(after) != _without_dates(before):
            stale.append(str(po_path.relative_to(ROOT)))
            if not args.check:
                po_path.write_bytes(after)
        mo_path = po_path.with_suffix(".mo")
        mo = compiled(po_path)
        if not mo_path.exists() or mo_path.read_bytes() != mo:
            stale.append(str(mo_path.relative_to(ROOT)))
            if not args.check:
                mo_path.write_bytes(mo)
    verb = "out of date" if args.check else "updated"
    for path in stale:
        print(f"{verb}: {path}")
    if not stale:
        print("catalogues up to date")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
