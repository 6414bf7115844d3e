"""The Persian edition mirrors the English one, lesson by lesson.

The lessons are those of the registry (``cxsim/lessons/registry.py``): each English
notebook ``notebooks/NN_slug.ipynb`` has a Persian twin ``notebooks/fa/NN_slug.ipynb``,
built from the English source's code and ``notebooks/src/fa/NN_slug.py``'s Persian prose,
and each English instructor page ``notebooks/instructor/NN_slug.md`` has a Persian page in
``notebooks/instructor/fa/``.  The twin runs the same code (plus one line that switches
cxsim to Persian, and the Persian text of the placeholders ``[[...]]`` in strings and
comments), in the same cells with the same tags; its prose is Persian, wrapped for
right-to-left display.  ``tests/test_lessons_registry.py`` checks that every notebook is
what its sources build.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import load_script

from cxsim.i18n import RTL_PAGE_CSS
from cxsim.lessons.registry import LESSONS, notebook_name

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PERSIAN = NOTEBOOKS / "fa"
SOURCES = NOTEBOOKS / "src" / "fa"
GUIDE = NOTEBOOKS / "instructor"

SWITCH = 'cxsim.set_language("fa")'
RTL_OPEN, RTL_CLOSE = '<div dir="rtl">', "</div>"

ENGLISH_LESSONS = [notebook_name(lesson) for lesson in LESSONS]
ENGLISH_PAGES = ["README.md", *(f"{lesson.name}.md" for lesson in LESSONS)]
PLACEHOLDER = re.compile(r"\[\[(.+?)\]\]")


def _read(path: Path) -> nbformat.NotebookNode:
    if not path.is_file():
        pytest.fail(f"missing: {path.relative_to(ROOT)}")
    return nbformat.read(path, as_version=4)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _is_arabic_script(char: str) -> bool:
    code = ord(char)
    return (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0x08A0 <= code <= 0x08FF
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    )


def persian_share(markdown: str) -> float:
    """Share of letters in Arabic script, ignoring code, URLs, link targets and HTML tags."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"<[^>\n]+>", " ", text)
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return 1.0
    return sum(map(_is_arabic_script, letters)) / len(letters)


def assert_rtl_and_persian(text: str, where: str) -> None:
    stripped = text.strip()
    assert stripped.startswith(RTL_OPEN + "\n\n"), f"{where}: open with {RTL_OPEN}, blank line"
    assert stripped.endswith("\n\n" + RTL_CLOSE), f"{where}: close with blank line, {RTL_CLOSE}"
    share = persian_share(stripped)
    assert share > 0.5, f"{where}: only {share:.0%} of its letters are Persian"


def test_the_english_edition_is_found():
    assert len(ENGLISH_LESSONS) >= 10
    for name in ENGLISH_LESSONS:
        assert (NOTEBOOKS / name).is_file(), f"missing notebooks/{name}"
    for name in ENGLISH_PAGES:
        assert (GUIDE / name).is_file(), f"missing notebooks/instructor/{name}"


def test_persian_share_ignores_code_and_counts_letters():
    assert persian_share("سلام `import cxsim` و `set_language`") == 1.0
    assert persian_share("hello world سلام") < 0.5
    assert persian_share('<div dir="rtl">\n\n**N1**: سه‌چهارم مشتریان\n\n</div>') > 0.7


@pytest.mark.parametrize("name", ENGLISH_LESSONS)
def test_every_english_lesson_has_a_persian_source_and_notebook(name):
    assert (PERSIAN / name).is_file(), f"missing notebooks/fa/{name}"
    assert (SOURCES / name.replace(".ipynb", ".py")).is_file(), f"missing notebooks/src/fa/{name}"


def _code_line(template: str) -> re.Pattern[str]:
    """A line of the English source as a pattern: each placeholder matches any text."""
    parts = PLACEHOLDER.split(template)  # literal, message, literal, message, ...
    return re.compile(
        "".join(re.escape(part) if i % 2 == 0 else "(.+?)" for i, part in enumerate(parts))
    )


@pytest.mark.parametrize("name", ENGLISH_LESSONS)
def test_same_cells_and_same_code_except_the_language_switch(name):
    english, persian = _read(NOTEBOOKS / name), _read(PERSIAN / name)
    assert [c.cell_type for c in persian.cells] == [c.cell_type for c in english.cells]
    assert [_tags(c) for c in persian.cells] == [_tags(c) for c in english.cells]

    english_code = [c.source for c in english.cells if c.cell_type == "code"]
    persian_code = [c.source for c in persian.cells if c.cell_type == "code"]
    first = persian_code[0].split("\n")
    assert sum(source.count(SWITCH) for source in persian_code) == 1
    assert SWITCH in first, "the language switch belongs in the first code cell"
    position = first.index(SWITCH)
    assert position > 0 and first[position - 1] == "import cxsim", (
        "the language switch comes right after `import cxsim`"
    )
    del first[position]
    persian_code = ["\n".join(first), *persian_code[1:]]
    # line by line the same code; only the text of a placeholder of the source may differ
    source = SOURCES.parent / name.replace(".ipynb", ".py")
    templates = [
        cell.source
        for cell in load_script("make_notebook").parse(source.read_text(encoding="utf-8"))
        if cell.cell_type == "code" and "app-only" not in _tags(cell)
    ]
    assert len(templates) == len(english_code) == len(persian_code)
    for index, (template, mine, theirs) in enumerate(
        zip(templates, english_code, persian_code, strict=True)
    ):
        lines = template.split("\n")
        assert len(lines) == len(mine.split("\n")) == len(theirs.split("\n")), (name, index)
        for line, english_line, persian_line in zip(
            lines, mine.split("\n"), theirs.split("\n"), strict=True
        ):
            if PLACEHOLDER.search(line) is None:
                assert persian_line == english_line == line, (name, index, persian_line)
            else:
                pattern = _code_line(line)
                assert pattern.fullmatch(english_line) and pattern.fullmatch(persian_line), (
                    name,
                    index,
                    persian_line,
                )


@pytest.mark.parametrize("name", ENGLISH_LESSONS)
def test_every_markdown_cell_is_right_to_left_and_persian(name):
    for index, cell in enumerate(_read(PERSIAN / name).cells):
        if cell.cell_type == "markdown":
            assert_rtl_and_persian(cell.source, f"fa/{name} cell {index}")


@pytest.mark.parametrize("name", ENGLISH_LESSONS)
def test_notebook_was_rebuilt_from_its_persian_source(name):
    make_notebook = load_script("make_notebook")
    source = SOURCES / name.replace(".ipynb", ".py")
    assert make_notebook.target_of(source) == PERSIAN / name
    expected = make_notebook.cells_of(source)
    cells = _read(PERSIAN / name).cells
    assert len(cells) == len(expected), "rebuild with scripts/make_notebook.py --all"
    for index, (cell, want) in enumerate(zip(cells, expected, strict=True)):
        assert (cell.cell_type, cell.source, _tags(cell)) == (
            want.cell_type,
            want.source,
            _tags(want),
        ), (
            f"fa/{name} cell {index} differs from its sources: "
            "rebuild with scripts/make_notebook.py --all"
        )


@pytest.mark.parametrize("name", ENGLISH_LESSONS)
def test_cell_ids_are_stable_and_differ_from_the_english_ones(name):
    english, persian = _read(NOTEBOOKS / name), _read(PERSIAN / name)
    ids = [cell.get("id") for cell in persian.cells]
    # an id is the cell's place in the source, app-only cells (app pages only) counted
    source = SOURCES.parent / name.replace(".ipynb", ".py")
    every = load_script("make_notebook").parse(source.read_text(encoding="utf-8"))
    places = [index for index, cell in enumerate(every) if "app-only" not in _tags(cell)]
    assert ids == [f"fa-{name[:2]}-{index:02d}" for index in places]
    assert not set(ids) & {cell.get("id") for cell in english.cells}


@pytest.mark.parametrize("name", ENGLISH_LESSONS)
def test_persian_notebook_is_executed_like_its_english_twin(name):
    """Strict nbval only checks cells with stored outputs: store them as English does."""
    english, persian = _read(NOTEBOOKS / name), _read(PERSIAN / name)
    pairs = [
        (e, p) for e, p in zip(english.cells, persian.cells, strict=True) if e.cell_type == "code"
    ]
    for index, (english_cell, persian_cell) in enumerate(pairs):
        outputs = persian_cell.outputs
        if index == 0:
            # set_language("fa") adds the page style that right-aligns Persian paragraphs.
            style = [out for out in outputs if RTL_PAGE_CSS in str(out.get("data", {}))]
            assert len(style) == 1, f"fa/{name}: the first cell should show the RTL style"
            outputs = [out for out in outputs if out not in style]
        assert bool(outputs) == bool(english_cell.outputs), (
            f"fa/{name} code cell {index}: run scripts/run_notebooks.py"
        )
        assert not [out for out in persian_cell.outputs if out.output_type == "error"], (
            f"fa/{name} code cell {index} stored an error"
        )


def test_persian_lesson_index_lists_every_lesson():
    index = PERSIAN / "README.md"
    assert index.is_file()
    text = index.read_text(encoding="utf-8")
    assert_rtl_and_persian(text, "notebooks/fa/README.md")
    for name in ENGLISH_LESSONS:
        assert f"({name})" in text, f"notebooks/fa/README.md does not link {name}"


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_every_instructor_page_has_a_persian_twin(name):
    page = GUIDE / "fa" / name
    assert page.is_file(), f"missing notebooks/instructor/fa/{name}"
    assert_rtl_and_persian(page.read_text(encoding="utf-8"), f"instructor/fa/{name}")


def test_persian_instructor_index_links_every_page():
    text = (GUIDE / "fa" / "README.md").read_text(encoding="utf-8")
    for name in ENGLISH_PAGES:
        if name != "README.md":
            assert f"({name})" in text, f"instructor/fa/README.md does not link {name}"


def _visible_outputs(notebook) -> list[str]:
    """What a reader sees of each code cell's outputs: HTML text or plain text."""
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                texts.append("".join(data["text/html"]))
            elif output.get("output_type") == "stream":
                texts.append(output.get("text", ""))
            elif "text/plain" in data and "image/png" not in data:
                texts.append("".join(data["text/plain"]))
    return texts


@pytest.mark.parametrize("name", ENGLISH_LESSONS)
def test_persian_outputs_keep_the_minus_sign_left_of_persian_digits(name):
    """A negative number in Persian text is U+2212 after a left-to-right mark (CLDR),
    never an ASCII hyphen, which right-to-left text moves to the number's right."""
    notebook = nbformat.read(PERSIAN / name, as_version=4)
    bad = [
        match.group(0)
        for text in _visible_outputs(notebook)
        for match in re.finditer(r".{0,12}-[۰-۹].{0,8}", text)
    ]
    assert bad == [], f"fa/{name}: ASCII minus before Persian digits: {bad[:5]}"


@pytest.mark.parametrize("name", ENGLISH_LESSONS)
def test_persian_verdict_boxes_read_right_to_left(name):
    notebook = nbformat.read(PERSIAN / name, as_version=4)
    boxes = re.findall(
        r'<div dir="(\w+)" class="cxsim-verdict"', "".join(_visible_outputs(notebook))
    )
    assert all(direction == "rtl" for direction in boxes), f"fa/{name}: {boxes}"
