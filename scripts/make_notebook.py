"""Build the workbook's notebooks and lesson tables from their sources and the lesson registry.

    .venv/bin/python scripts/make_notebook.py --all      # every notebook and every lesson table
    .venv/bin/python scripts/make_notebook.py --check    # change nothing; exit 1 if any is stale
    .venv/bin/python scripts/make_notebook.py notebooks/src/05_retention_and_revenue.py

The lessons are those of ``cxsim/lessons/registry.py``.  A lesson's sources, under
``notebooks/src/``, are plain text whose cells are separated by lines ``# %% [markdown]``
or ``# %%`` (the "percent" format many editors know), tags as ``# %% tags=a,b``:

- ``src/NN_slug.py``: the lesson, its code and English prose -> ``notebooks/NN_slug.ipynb``;
- ``src/fa/NN_slug.py``: its Persian prose only, one ``# %% [markdown]`` cell per English
  markdown cell, in the same order -> ``notebooks/fa/NN_slug.ipynb``: the English cells with
  the k-th markdown cell replaced by the k-th Persian one, and the line
  ``cxsim.set_language("fa")`` after the first ``import cxsim``;
- ``src/app/NN_slug.py`` (when the lesson has an ``app_page``): its code-free dashboard
  page -> ``notebooks/app/NN_slug.ipynb``.

Text a reader sees inside a code cell is written once, in the English source, as a
placeholder inside a string or a comment: ``"[[our team]]"``, ``# <- [[change this]]``.  The
English notebook gets the text itself, the Persian one its translation from
``cxsim/locale/fa/LC_MESSAGES/cxsim.po`` (a missing one is an error naming it);
``scripts/update_catalogue.py`` extracts the placeholders into the catalogue.

Cell ids are the lesson number and the cell's index, prefixed by the edition's folder
(``05-03``, ``fa-05-03``, ``app-05-01``), so they are stable across rebuilds and differ
between editions.  A rebuild keeps the stored outputs of every code cell whose id and code
(comments aside) did not change, so a change of prose needs no re-execution; it lists the
notebooks whose code changed, to be run by ``scripts/run_notebooks.py``.

The lesson tables of ``README.md``, ``notebooks/README.md``, ``notebooks/fa/README.md`` and
the instructor's ``README.md`` (English and Persian) are generated from the registry between
the lines ``<!-- lessons:NAME begin ... -->`` and ``<!-- lessons:NAME end -->``; Persian
tables take their titles from the catalogue and write Persian digits.
"""

from __future__ import annotations

import argparse
import copy
import functools
import io
import re
import sys
import tokenize
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
from babel.messages.pofile import read_po

from cxsim.i18n import localise_digits
from cxsim.lessons.registry import AGENDA_BREAK, ALL_CLAIMS, LESSONS, Lesson, notebook_name

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
INSTRUCTOR = NOTEBOOKS / "instructor"
LOCALE = ROOT / "cxsim" / "locale"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

#: Editions built from the English code and their own prose: folder -> language.
TRANSLATED = {"fa": "fa"}
#: The line each translated edition adds after the first ``import cxsim``.
LANGUAGE_LINE = {"fa": 'cxsim.set_language("fa")'}
#: A placeholder for catalogue text in a string or a comment of a code cell.
PLACEHOLDER = re.compile(r"\[\[(.+?)\]\]")

Translate = Callable[[str], str]


class BuildError(Exception):
    """A source that cannot be built; the message names the file and what to fix."""


# --------------------------------------------------------------------------- sources
def parse(text: str) -> list[nbformat.NotebookNode]:
    """The cells of a percent-format source (lines before the first ``# %%`` are ignored)."""
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
    """The sub-folder of ``src/`` a source sits in (``"fa"``, ``"app"``), or ``""`` for English."""
    parents = [parent.name for parent in source.resolve().parents]
    if "src" not in parents:
        return ""
    return "/".join(reversed(parents[: parents.index("src")]))


def target_of(source: Path) -> Path:
    """Where the notebook built from ``source`` goes: its path without the last ``src``.

    >>> target_of(Path("notebooks/src/app/03_courtesy.py")).as_posix()
    'notebooks/app/03_courtesy.ipynb'
    """
    parts = list(source.with_suffix(".ipynb").parts)
    index = len(parts) - 1 - parts[::-1].index("src")
    return Path(*parts[:index], *parts[index + 1 :])


def english_source(source: Path) -> Path:
    """The English source whose code a translated edition's source borrows.

    >>> english_source(Path("notebooks/src/fa/03_courtesy.py")).as_posix()
    'notebooks/src/03_courtesy.py'
    """
    parts = list(source.parts)
    index = len(parts) - 1 - parts[::-1].index("src")
    return Path(*parts[: index + 1], source.name)


def lesson_sources(lesson: Lesson) -> list[Path]:
    """The sources of a lesson's notebooks: English, each translation, the app page."""
    stem = f"{lesson.name}.py"
    found = [SOURCES / stem, *(SOURCES / folder / stem for folder in TRANSLATED)]
    if lesson.app_page:
        found.append(SOURCES / "app" / stem)
    return found


def all_sources() -> list[Path]:
    """Every source the registry names, lesson by lesson."""
    return [source for lesson in LESSONS for source in lesson_sources(lesson)]


def unregistered() -> list[Path]:
    """Notebooks, sources and instructor pages of lessons the registry does not know."""
    lessons = {lesson.name for lesson in LESSONS}
    pages = lessons | {"README"}
    app = {lesson.name for lesson in LESSONS if lesson.app_page}
    places = [
        (NOTEBOOKS, ".ipynb", lessons),
        (SOURCES, ".py", lessons),
        (NOTEBOOKS / "app", ".ipynb", app),
        (SOURCES / "app", ".py", app),
        (INSTRUCTOR, ".md", pages),
    ]
    for folder in TRANSLATED:
        places += [
            (NOTEBOOKS / folder, ".ipynb", lessons),
            (SOURCES / folder, ".py", lessons),
            (INSTRUCTOR / folder, ".md", pages),
        ]
    found = []
    for folder, suffix, known in places:
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            unknown = path.suffix == suffix and path.stem not in known
            misplaced = path.suffix in {".py", ".ipynb"} - {suffix}  # say, src/fa/X.ipynb
            if path.is_file() and (unknown or misplaced):
                found.append(path)
    return found


# --------------------------------------------------------------------------- the catalogue
@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """The checked translations of ``language``'s ``.po`` (fuzzy and empty ones left out)."""
    path = LOCALE / language / "LC_MESSAGES" / "cxsim.po"
    with open(path, "rb") as file:
        messages = read_po(file)
    return {
        message.id: message.string
        for message in messages
        if message.id and isinstance(message.string, str) and message.string and not message.fuzzy
    }


def translator(language: str, where: str) -> Translate:
    """``msgid -> text`` in ``language``; English is the msgid itself."""
    if language == "en":
        return lambda message: message
    po = f"cxsim/locale/{language}/LC_MESSAGES/cxsim.po"

    def translate(message: str) -> str:
        try:
            return catalogue(language)[message]
        except KeyError:
            raise BuildError(
                f"{where}: no {language} translation of {message!r} in {po} "
                "(add it, then run scripts/update_catalogue.py)"
            ) from None

    return translate


# --------------------------------------------------------------------------- placeholders
_TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT} | (
    {tokenize.FSTRING_MIDDLE} if hasattr(tokenize, "FSTRING_MIDDLE") else set()
)


def _tokens(code: str, where: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError) as error:
        raise BuildError(f"{where}: cannot read the code ({error})") from None


def _text_spans(code: str, where: str) -> Iterator[tuple[int, int, tokenize.TokenInfo]]:
    """Start and end offsets of every string and comment in ``code``."""
    starts = [0]
    for line in io.StringIO(code).readlines():
        starts.append(starts[-1] + len(line))
    for token in _tokens(code, where):
        if token.type in _TEXT_TOKENS:
            yield (
                starts[token.start[0] - 1] + token.start[1],
                starts[token.end[0] - 1] + token.end[1],
                token,
            )


def placeholders(code: str, where: str = "code") -> list[str]:
    """The message ids of the placeholders in the strings and comments of ``code``."""
    return [
        match.group(1)
        for start, end, _token in _text_spans(code, where)
        for match in PLACEHOLDER.finditer(code[start:end])
    ]


def fill(code: str, translate: Translate, where: str = "code") -> str:
    """``code`` with each placeholder replaced by its text in the reader's language."""
    pieces, last = [], 0
    for start, end, token in _text_spans(code, where):
        text = code[start:end]
        if "[[" not in text:
            continue

        def replace(match: re.Match[str], token: tokenize.TokenInfo = token) -> str:
            text = translate(match.group(1))
            unsafe = "\n" if token.type == tokenize.COMMENT else "\n\\'\"{}"
            if any(char in text for char in unsafe):
                raise BuildError(
                    f"{where}: the text of {match.group(1)!r} ({text!r}) cannot stand in a "
                    f"{'comment' if token.type == tokenize.COMMENT else 'string'} "
                    f"(it holds one of {unsafe!r})"
                )
            return text

        pieces += [code[last:start], PLACEHOLDER.sub(replace, text)]
        last = end
    return "".join([*pieces, code[last:]])


def code_key(code: str) -> object:
    """What a code cell runs: its tokens without comments (the code itself if unreadable)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return code
    skip = {tokenize.COMMENT, tokenize.NL}
    return [(token.type, token.string) for token in tokens if token.type not in skip]


# --------------------------------------------------------------------------- notebooks
def _relative(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _read_source(path: Path) -> str:
    if not path.is_file():
        raise BuildError(f"missing source: {_relative(path)}")
    return path.read_text(encoding="utf-8")


def _translated_cells(source: Path, language: str) -> list[nbformat.NotebookNode]:
    """The English source's cells with this edition's prose, placeholders and language line."""
    english = english_source(source)
    cells = parse(_read_source(english))
    prose = parse(_read_source(source))
    for index, cell in enumerate(prose):
        if cell.cell_type != "markdown" or cell.metadata.get("tags"):
            raise BuildError(
                f"{_relative(source)}: cell {index} is not a plain `# %% [markdown]` cell; a "
                f"translation holds only prose (code and tags come from {_relative(english)})"
            )
    markdown = [cell for cell in cells if cell.cell_type == "markdown"]
    if len(prose) != len(markdown):
        raise BuildError(
            f"{_relative(source)} has {len(prose)} markdown cells and {_relative(english)} has "
            f"{len(markdown)}: translate each English markdown cell, in the same order"
        )
    for cell, translated in zip(markdown, prose, strict=True):
        cell.source = translated.source
    translate = translator(language, _relative(english))
    switched = False
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        cell.source = fill(cell.source, translate, f"{_relative(english)} cell {index}")
        lines = cell.source.split("\n")
        if not switched and "import cxsim" in lines:
            at = lines.index("import cxsim") + 1
            cell.source = "\n".join([*lines[:at], LANGUAGE_LINE[language], *lines[at:]])
            switched = True
    if not switched:
        raise BuildError(
            f"{_relative(english)}: no line `import cxsim` in a code cell; the "
            f"{language} edition switches language right after it"
        )
    return cells


def cells_of(source: Path) -> list[nbformat.NotebookNode]:
    """The cells (sources, tags and ids; no outputs) that ``source`` builds."""
    folder = edition(source)
    if folder in TRANSLATED:
        cells = _translated_cells(source, TRANSLATED[folder])
    else:
        cells = parse(_read_source(source))
        translate = translator("en", _relative(source))
        for index, cell in enumerate(cells):
            if cell.cell_type == "code":
                cell.source = fill(cell.source, translate, f"{_relative(source)} cell {index}")
    prefix = f"{folder.replace('/', '-')}-" if folder else ""
    for index, cell in enumerate(cells):
        cell["id"] = f"{prefix}{source.stem[:2]}-{index:02d}"
    return cells


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def assemble(
    cells: list[nbformat.NotebookNode], existing: nbformat.NotebookNode | None
) -> tuple[nbformat.NotebookNode, bool]:
    """The notebook of ``cells``, keeping what ``existing`` stored for unchanged code cells
    (outputs, execution count), and whether any code cell needs running."""
    notebook = nbformat.v4.new_notebook()
    if existing is not None:
        notebook.metadata = copy.deepcopy(existing.metadata)
    else:
        notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    before = {cell.get("id"): cell for cell in existing.cells} if existing is not None else {}
    needs_run = False
    for cell in cells:
        old = before.get(cell.id)
        if (
            cell.cell_type == "code"
            and old is not None
            and old.cell_type == "code"
            and code_key(old.source) == code_key(cell.source)
        ):
            kept = copy.deepcopy(old)
            kept.source = cell.source
            kept.metadata.pop("tags", None)
            if _tags(cell):
                kept.metadata["tags"] = _tags(cell)
            needs_run |= kept.get("execution_count") is None and "nbval-skip" not in _tags(cell)
            cell = kept
        elif cell.cell_type == "code":
            needs_run = True
        notebook.cells.append(cell)
    return notebook, needs_run


def _text(notebook: nbformat.NotebookNode) -> str:
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def build(source: Path, target: Path | None = None) -> tuple[str, bool]:
    """The text of ``source``'s notebook (stored outputs kept where the code is unchanged)
    and whether it needs running."""
    target = target or target_of(source)
    existing = nbformat.read(target, as_version=4) if target.is_file() else None
    notebook, needs_run = assemble(cells_of(source), existing)
    return _text(notebook), needs_run


# --------------------------------------------------------------------------- lesson tables
#: What the lesson tables say around the registry's text, per language.
WORDS = {
    "en": {
        "lessons": (
            "| # | lesson | what you will learn | minutes |\n|---|---|---|---|",
            "| {id} | [{title}](notebooks/{notebook}) ([فارسی](notebooks/fa/{notebook}))"
            " | {learn} | {minutes} |",
        ),
        "lessons_total": "{total} minutes in a workshop",
        "lessons_optional": " ({core} without {optional}, which can be left as homework)",
        "index": (
            "| # | notebook | what you will learn | source claims | minutes |\n"
            "|---|---|---|---|---|",
            "| {id} | [{title}]({notebook}) | {learn} | {claims} | {minutes} |",
        ),
        "agenda_title": "## Agenda ({total} minutes)",
        "agenda": (
            "| time | notebook | minutes | what the room does |\n|---|---|---|---|",
            "| {time} | {id} {title} | {minutes} | {activity} |",
        ),
        "break": "| {time} | break | {minutes} | |",
        "agenda_optional": (
            "If time runs short, {optional} can be left as homework: no later lesson "
            "depends on them, and the agenda without them takes {core} minutes."
        ),
        "pages": "- [{id} {title}]({name}.md)",
        "and": " and ",
        "comma": ", ",
    },
    "fa": {
        "index": (
            "| شماره | دفترچه | آنچه می‌آموزید | ادعاهای منبع | دقیقه |\n|---|---|---|---|---|",
            "| {id} | [{title}]({notebook}) | {learn} | {claims} | {minutes} |",
        ),
        "agenda_title": "## برنامه کارگاه ({total} دقیقه)",
        "agenda": (
            "| زمان | دفترچه | دقیقه | کاری که کلاس انجام می‌دهد |\n|---|---|---|---|",
            "| {time} | {id} {title} | {minutes} | {activity} |",
        ),
        "break": "| {time} | استراحت | {minutes} | |",
        "agenda_optional": (
            "اگر وقت کم آمد، {optional} را می‌توان به‌عنوان تکلیف خانه گذاشت: هیچ درس بعدی به "
            "آن‌ها وابسته نیست، و برنامه بدون آن‌ها {core} دقیقه طول می‌کشد."
        ),
        "pages": "- [{id} {title}]({name}.md)",
        "and": " و ",
        "comma": "، ",
    },
}
#: The pages with lesson tables: path -> (language, the tables it holds).
TABLE_PAGES = {
    "README.md": ("en", ("lessons",)),
    "notebooks/README.md": ("en", ("index",)),
    "notebooks/fa/README.md": ("fa", ("index",)),
    "notebooks/instructor/README.md": ("en", ("agenda", "pages")),
    "notebooks/instructor/fa/README.md": ("fa", ("agenda", "pages")),
}
BLOCK = re.compile(
    r"(?P<begin><!-- lessons:(?P<name>[a-z]+) begin[^\n]*-->\n)(?P<body>.*?)"
    r"(?P<end><!-- lessons:(?P=name) end -->)",
    re.DOTALL,
)


class _Local:
    """A language's words and text for the tables: translated, its digits."""

    def __init__(self, language: str, where: str):
        self.words = WORDS[language]
        self.translate = translator(language, where)
        self.persian = language == "fa"

    def digits(self, text: object) -> str:
        return localise_digits(str(text), persian=self.persian)

    def text(self, message: str) -> str:
        return self.digits(self.translate(message))

    def ids(self, lessons: list[Lesson]) -> str:
        ids = [self.digits(lesson.id) for lesson in lessons]
        if len(ids) < 2:
            return "".join(ids)
        return self.words["comma"].join(ids[:-1]) + self.words["and"] + ids[-1]

    def fields(self, lesson: Lesson) -> dict[str, str]:
        claims = [self.translate(c) if c == ALL_CLAIMS else c for c in lesson.claims]
        return {
            "id": self.digits(lesson.id),
            "name": lesson.name,
            "notebook": notebook_name(lesson),
            "title": self.text(lesson.title),
            "learn": self.text(lesson.learn),
            "activity": self.text(lesson.activity),
            "claims": self.words["comma"].join(claims),
            "minutes": self.digits(lesson.minutes),
        }


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def render_table(name: str, language: str, where: str = "") -> str:
    """The text of the lesson table ``name`` (``lessons``, ``index``, ``agenda``, ``pages``)."""
    local = _Local(language, where or "cxsim/lessons/registry.py")
    words = local.words
    optional = [lesson for lesson in LESSONS if not lesson.core]
    core = sum(lesson.minutes for lesson in LESSONS if lesson.core)
    total = sum(lesson.minutes for lesson in LESSONS)
    if name in ("lessons", "index"):
        head, row = words[name]
        lines = [head, *(row.format(**local.fields(lesson)) for lesson in LESSONS)]
        if name == "lessons":
            line = words["lessons_total"].format(total=local.digits(total))
            if optional:
                line += words["lessons_optional"].format(
                    core=local.digits(core), optional=local.ids(optional)
                )
            lines += ["", line + "."]
        return "\n".join(lines)
    if name == "agenda":
        after, pause = AGENDA_BREAK
        if after not in {lesson.id for lesson in LESSONS}:
            raise BuildError(f"AGENDA_BREAK: no lesson {after!r} in cxsim/lessons/registry.py")
        head, row = words["agenda"]
        lines, clock = [head], 0
        for lesson in LESSONS:
            lines.append(row.format(**local.fields(lesson), time=local.digits(_clock(clock))))
            clock += lesson.minutes
            if lesson.id == after:
                lines.append(
                    words["break"].format(
                        time=local.digits(_clock(clock)), minutes=local.digits(pause)
                    )
                )
                clock += pause
        title = words["agenda_title"].format(total=local.digits(total + pause))
        lines = [title, "", *lines]
        if optional:
            lines += [
                "",
                words["agenda_optional"].format(
                    optional=local.ids(optional), core=local.digits(core + pause)
                ),
            ]
        return "\n".join(lines)
    if name == "pages":
        return "\n".join(words["pages"].format(**local.fields(lesson)) for lesson in LESSONS)
    raise BuildError(f"{where}: unknown lesson table {name!r}")


def render_page(path: str, text: str) -> str:
    """``text`` of the page ``path`` with its lesson tables generated from the registry."""
    language, expected = TABLE_PAGES[path]
    found = [match.group("name") for match in BLOCK.finditer(text)]
    if sorted(found) != sorted(expected):
        raise BuildError(
            f"{path}: expected the lesson tables {list(expected)} between "
            f"`<!-- lessons:NAME begin -->` and `<!-- lessons:NAME end -->` lines, found {found}"
        )

    def replace(match: re.Match[str]) -> str:
        body = render_table(match.group("name"), language, path)
        return f"{match.group('begin')}\n{body}\n\n{match.group('end')}"

    return BLOCK.sub(replace, text)


# --------------------------------------------------------------------------- the command
def _write(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` if it differs; whether it did."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def _dependants(source: Path) -> list[Path]:
    """The sources rebuilt with ``source``: an English lesson's translations too."""
    source = source.resolve()
    if edition(source) == "":
        return [source, *(source.parent / folder / source.name for folder in TRANSLATED)]
    return [source]


def run(sources: list[Path], *, tables: bool, check: bool) -> int:
    """Build ``sources`` (and with ``tables`` the lesson tables), everything in memory
    first; then write what changed, or with ``check`` list it.  The exit status."""
    outputs: list[tuple[Path, str, str]] = []  # path, text, what it was built from
    to_run = []
    for source in sources:
        target = target_of(source)
        text, needs_run = build(source, target)
        outputs.append((target, text, _relative(source)))
        if needs_run:
            to_run.append(_relative(target))
    strays = []
    if tables:
        for page in TABLE_PAGES:
            path = ROOT / page
            outputs.append((path, render_page(page, path.read_text(encoding="utf-8")), "registry"))
        strays = [_relative(path) for path in unregistered()]
    if check:
        stale = [
            _relative(path)
            for path, text, _origin in outputs
            if not path.is_file() or path.read_text(encoding="utf-8") != text
        ]
        for label in stale:
            print(f"out of date: {label}")
        if stale:
            print("rebuild with: .venv/bin/python scripts/make_notebook.py --all")
        for label in strays:
            print(f"not in cxsim/lessons/registry.py: {label}")
        if not (stale or strays):
            print("notebooks and lesson tables up to date")
        return 1 if stale or strays else 0
    for path, text, origin in outputs:
        if _write(path, text):
            print(f"{origin} -> {_relative(path)}")
    for label in strays:
        print(f"warning: not in cxsim/lessons/registry.py: {label}", file=sys.stderr)
    if to_run:
        print("code changed (or never run); execute with:")
        print("  .venv/bin/python scripts/run_notebooks.py " + " ".join(to_run))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path, help="sources to build (with --all: none)")
    parser.add_argument("--all", action="store_true", help="every notebook and lesson table")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if anything is out of date"
    )
    args = parser.parse_args(argv)
    if args.sources and (args.all or args.check):
        parser.error("give sources, or --all / --check, not both")
    if not (args.sources or args.all or args.check):
        parser.error("give sources to build, or --all, or --check")
    if args.sources:
        sources = [dependant for source in args.sources for dependant in _dependants(source)]
    else:
        sources = all_sources()
    try:
        return run(sources, tables=not args.sources, check=args.check)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
