"""The lesson registry (``cxsim/lessons/registry.py``) against everything it declares.

Every lesson has its notebooks, sources and instructor pages and nothing else exists; each
notebook's cells are what ``scripts/make_notebook.py`` builds from its sources; the lesson
tables of the READMEs are the registry's; each notebook's header gives the registry's
minutes; the dashboards and exercise checkers it names exist; the Persian code cells show
no English text.  Nothing is executed.

(Not named ``test_lesson_registry``: ``conftest.py`` marks every ``test_lesson_*`` module
slow, and these tests belong to the fast loop.)
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest
from conftest import load_script

from cxsim.lessons.registry import (
    ALL_CLAIMS,
    LESSONS,
    TIMETABLES,
    Lesson,
    lesson,
    notebook_name,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
GUIDE = NOTEBOOKS / "instructor"
SWITCH = 'cxsim.set_language("fa")'
PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")

make_notebook = load_script("make_notebook")


def _read(path: Path) -> nbformat.NotebookNode:
    if not path.is_file():
        pytest.fail(f"missing: {path.relative_to(ROOT)}")
    return nbformat.read(path, as_version=4)


def _cells(cells) -> list[tuple[str, str, list[str], str]]:
    return [
        (cell.cell_type, cell.source, list(cell.get("metadata", {}).get("tags", [])), cell.id)
        for cell in cells
    ]


def _names(folder: Path, pattern: str) -> set[str]:
    return {path.name for path in folder.glob(pattern)}


# App pages (notebooks/app/, notebooks/app/fa/) are built from the lessons themselves:
# tests/test_app.py checks them.
EDITIONS = [(lesson, folder) for lesson in LESSONS for folder in ("", "fa")]


# --------------------------------------------------------------------------- the registry
def test_ids_count_up_from_00_and_slugs_name_files():
    assert [item.id for item in LESSONS] == [f"{n:02d}" for n in range(len(LESSONS))]
    for item in LESSONS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", item.slug), item
        assert isinstance(item.minutes, int) and item.minutes > 0, item
        assert item.title and item.learn and item.activity, item
        assert all(name.startswith("check_") for name in item.exercises), item
        assert (item.dashboard is None) or item.module, item


def test_lookup_by_id_and_notebook_name():
    assert lesson("05") is lesson("5") is lesson(5) is LESSONS[5]
    assert notebook_name(lesson("05")) == "05_retention_and_revenue.ipynb"
    assert notebook_name("05") == notebook_name(LESSONS[5])
    assert LESSONS[5].name == "05_retention_and_revenue"
    with pytest.raises(ValueError, match=r"unknown lesson '42'; allowed: 00, 01"):
        lesson("42")


def test_a_lesson_is_frozen():
    with pytest.raises(AttributeError):
        LESSONS[0].minutes = 1  # type: ignore[misc]
    assert isinstance(LESSONS[0], Lesson)


def test_the_registry_imports_nothing_but_i18n():
    tree = ast.parse((ROOT / "cxsim" / "lessons" / "registry.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    assert imported <= {"__future__", "dataclasses", "..i18n"}, imported


def test_claims_are_those_of_the_sources_page():
    sources = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    known = set(re.findall(r"^\| ([NQ]\d+) \|", sources, flags=re.MULTILINE))
    for item in LESSONS:
        assert item.claims, item.id
        for claim in item.claims:
            assert claim == ALL_CLAIMS or claim in known, (item.id, claim)


def test_the_three_hour_workshop_fits_with_setup_a_break_and_a_long_finale():
    """Issue 16: the core path fits 180 minutes including 10 of setup, a break and at
    least 45 for the challenge and the debrief; each core lesson at its own minutes."""
    plan = TIMETABLES["three_hours"]
    assert plan.total == 180
    kinds = [slot.kind for slot in plan.slots]
    assert kinds[0] == "setup" and plan.slots[0].minutes == 10
    assert kinds.count("break") == 1 and 0 < kinds.index("break") < len(kinds) - 1
    assert plan.minutes_of("09") + plan.minutes_of("10") >= 45
    assert plan.lessons == tuple(item.id for item in LESSONS if item.core)
    for item in LESSONS:
        if item.core:
            assert plan.minutes_of(item.id) == item.minutes, item.id
        else:
            assert item.needs, f"optional lesson {item.id} says what it needs"


def test_the_ninety_minute_variant_fits_and_keeps_the_challenge():
    plan = TIMETABLES["ninety_minutes"]
    assert plan.total == 90
    assert plan.lessons[-2:] == ("09", "10")
    assert set(plan.lessons) <= {item.id for item in LESSONS if item.core}
    assert list(plan.lessons) == sorted(plan.lessons)


@pytest.mark.parametrize("name", sorted(TIMETABLES))
def test_every_core_lever_of_the_challenge_is_taught_before_it(name):
    """Lesson 09's core levers are taught by lessons of the path before 09; its optional
    levers by the optional lessons, which the challenge shows apart."""
    from cxsim import challenge

    plan = TIMETABLES[name]
    before = plan.lessons[: plan.lessons.index("09")]
    taught = {lever for item in LESSONS if item.id in before for lever in item.teaches}
    core_levers = getattr(challenge, "CORE_LEVERS", ("extra_agents", "training"))
    assert set(core_levers) <= taught, (name, set(core_levers) - taught)
    optional = {lever for item in LESSONS if not item.core for lever in item.teaches}
    optional_levers = getattr(
        challenge, "OPTIONAL_LEVERS", ("promise_min", "follow_up", "follow_up_capacity")
    )
    assert set(optional_levers) <= optional
    every = set(challenge.LIMITS) | {"follow_up"}
    assert set(core_levers) | set(optional_levers) == every


# --------------------------------------------------------------------------- the files
@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.id)
def test_every_lesson_has_its_notebooks_sources_and_pages(item):
    name = notebook_name(item)
    expected = [
        SOURCES / f"{item.name}.py",
        SOURCES / "fa" / f"{item.name}.py",
        NOTEBOOKS / name,
        NOTEBOOKS / "fa" / name,
        GUIDE / f"{item.name}.md",
        GUIDE / "fa" / f"{item.name}.md",
    ]
    app = [NOTEBOOKS / "app" / name, NOTEBOOKS / "app" / "fa" / name]
    for path in expected + (app if item.app_page else []):
        assert path.is_file(), f"missing {path.relative_to(ROOT)}"
    if not item.app_page:
        assert not any(path.exists() for path in app), f"{item.id}: app page but app_page=False"


def test_no_notebook_source_or_page_the_registry_does_not_know():
    names = {item.name for item in LESSONS}
    app = {item.name for item in LESSONS if item.app_page}
    assert {p[: -len(".ipynb")] for p in _names(NOTEBOOKS, "*.ipynb")} == names
    assert {p[: -len(".ipynb")] for p in _names(NOTEBOOKS / "fa", "*.ipynb")} == names
    assert {p[: -len(".ipynb")] for p in _names(NOTEBOOKS / "app", "*.ipynb")} == app
    assert {p[: -len(".ipynb")] for p in _names(NOTEBOOKS / "app" / "fa", "*.ipynb")} == app
    assert {p[: -len(".py")] for p in _names(SOURCES, "*.py")} == names
    assert {p.name for p in (SOURCES / "fa").iterdir() if p.is_file()} == {
        f"{name}.py" for name in names
    }
    assert not (SOURCES / "app").exists() or not _names(SOURCES / "app", "*.py")
    pages = names | {"README", "troubleshooting"}
    assert {p[: -len(".md")] for p in _names(GUIDE, "*.md")} == pages
    assert {p[: -len(".md")] for p in _names(GUIDE / "fa", "*.md")} == pages
    assert make_notebook.unregistered() == []


@pytest.mark.parametrize(
    ("item", "folder"), EDITIONS, ids=lambda v: v.id if isinstance(v, Lesson) else v or "en"
)
def test_every_notebook_is_what_its_sources_build(item, folder):
    source = SOURCES / folder / f"{item.name}.py"
    target = make_notebook.target_of(source)
    assert target == NOTEBOOKS / folder / notebook_name(item)
    built = make_notebook.cells_of(source)
    stored = _read(target)
    assert _cells(stored.cells) == _cells(built), (
        f"{target.relative_to(ROOT)} differs from its sources: "
        "run .venv/bin/python scripts/make_notebook.py --all"
    )
    assert stored.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("page", sorted(make_notebook.TABLE_PAGES))
def test_the_lesson_tables_are_the_registrys(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    assert make_notebook.render_page(page, text) == text, (
        f"{page}: the lesson tables differ from the registry: "
        "run .venv/bin/python scripts/make_notebook.py --all"
    )


def _table_rows(text: str, block: str) -> list[list[str]]:
    body = re.search(rf"lessons:{block} begin.*?-->\n(.*?)<!-- lessons:{block} end", text, re.S)
    assert body, block
    rows = [line for line in body.group(1).splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


def test_the_tables_list_each_lesson_once_with_its_minutes():
    """The same, read back from the pages: a second look that does not use the generator."""
    english = _table_rows((NOTEBOOKS / "README.md").read_text(encoding="utf-8"), "index")
    persian = _table_rows((NOTEBOOKS / "fa" / "README.md").read_text(encoding="utf-8"), "index")
    agenda = _table_rows((GUIDE / "README.md").read_text(encoding="utf-8"), "agenda")
    agenda = [row for row in agenda if ":" in row[0]]  # not the optional modules' table
    for rows in (english, persian):
        assert [row[0].translate(PERSIAN_DIGITS) for row in rows] == [i.id for i in LESSONS]
        assert [int(row[-1].translate(PERSIAN_DIGITS)) for row in rows] == [
            i.minutes for i in LESSONS
        ]
        assert [re.search(r"\]\(([^)]+)\)", row[1]).group(1) for row in rows] == [
            notebook_name(i) for i in LESSONS
        ]
    plan = TIMETABLES["three_hours"]
    lessons = [row for row in agenda if row[1][:2].isdigit()]
    assert [(row[1][:2], int(row[2])) for row in lessons] == [
        (i.id, i.minutes) for i in LESSONS if i.core
    ]
    # the clock adds up: each row starts when the one before ends
    clock = 0
    for row in agenda:
        hours, minutes = map(int, row[0].split(":"))
        assert hours * 60 + minutes == clock, row
        clock += int(row[2])
    assert clock == plan.total == 180
    assert f"({clock} minutes)" in (GUIDE / "README.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the notebooks
@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.id)
def test_each_header_gives_the_registrys_minutes(item):
    name = notebook_name(item)
    english = _read(NOTEBOOKS / name).cells[0].source
    persian = _read(NOTEBOOKS / "fa" / name).cells[0].source
    found = re.search(r"\((\d+) minutes\b", english)
    assert found and int(found.group(1)) == item.minutes, (name, english[:200])
    found = re.search(r"\(([۰-۹]+) دقیقه", persian)
    assert found and int(found.group(1).translate(PERSIAN_DIGITS)) == item.minutes, name
    assert english.startswith(f"# {item.id} · ")


@pytest.mark.parametrize("item", [i for i in LESSONS if i.module], ids=lambda item: item.id)
def test_the_dashboard_and_exercises_exist_and_the_notebooks_use_them(item):
    module = importlib.import_module(f"cxsim.lessons.{item.module}")
    for name in (item.dashboard, *item.exercises):
        if name is not None:
            assert callable(getattr(module, name, None)), f"cxsim.lessons.{item.module}.{name}"
    # every checker the module defines is an exercise of the registry, in notebook order
    defined = [
        name
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.startswith("check_") and function.__module__ == module.__name__
    ]
    assert sorted(defined) == sorted(item.exercises)
    code = "\n".join(
        cell.source
        for cell in _read(NOTEBOOKS / notebook_name(item)).cells
        if cell.cell_type == "code"
    )
    calls = [code.find(f".{name}(") for name in item.exercises]
    assert all(at >= 0 for at in calls), (item.id, item.exercises)
    assert calls == sorted(calls), f"{item.id}: exercises not in the notebook's order"
    if item.app_page and item.dashboard:
        page = _read(NOTEBOOKS / "app" / notebook_name(item))
        shown = [cell.source for cell in page.cells if cell.cell_type == "code"]
        assert f".{item.dashboard}(" in "\n".join(shown)


def _comments_and_strings(code: str) -> list[tokenize.TokenInfo]:
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return [token for token in tokens if token.type in (tokenize.COMMENT, tokenize.STRING)]


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
LATIN_PHRASE = re.compile(r"[A-Za-z]+ [A-Za-z]+")


@pytest.mark.parametrize("item", LESSONS, ids=lambda item: item.id)
def test_persian_code_cells_show_no_english_text(item):
    """Comments are Persian (a quoted name a trainee types aside); every placeholder of the
    English source is Persian; no string holds English words."""
    english = [
        c
        for c in make_notebook.parse((SOURCES / f"{item.name}.py").read_text(encoding="utf-8"))
        if c.cell_type == "code" and "app-only" not in c.metadata.get("tags", [])
    ]
    persian = [
        c for c in _read(NOTEBOOKS / "fa" / notebook_name(item)).cells if c.cell_type == "code"
    ]
    assert len(english) == len(persian)
    for index, (source, cell) in enumerate(zip(english, persian, strict=True)):
        code = cell.source.replace(SWITCH + "\n", "")
        where = f"fa/{notebook_name(item)} code cell {index}"
        mine, theirs = _comments_and_strings(source.source), _comments_and_strings(code)
        assert len(mine) == len(theirs), where
        for token, translated in zip(mine, theirs, strict=True):
            text = translated.string
            if token.type == tokenize.COMMENT:
                bare = re.sub(r"\"[^\"]*\"|'[^']*'|`[^`]*`", "", text)
                assert not LATIN_WORD.search(bare), f"{where}: English comment {text!r}"
            elif "[[" in token.string:
                assert not LATIN_WORD.search(text), f"{where}: placeholder left English {text!r}"
            else:
                assert not LATIN_PHRASE.search(text), f"{where}: English text {text!r}"


# --------------------------------------------------------------------------- the builder
def _lesson_tree(tmp_path: Path, english: str, persian: str) -> Path:
    (tmp_path / "src" / "fa").mkdir(parents=True)
    (tmp_path / "src" / "42_test.py").write_text(english, encoding="utf-8")
    source = tmp_path / "src" / "fa" / "42_test.py"
    source.write_text(persian, encoding="utf-8")
    return source


ENGLISH = """# %% [markdown]
# # 42 · A test (5 minutes)

# %%
import cxsim
team = "[[our team]]"  # <- [[change this]]

# %% [markdown]
# The end.
"""


def test_the_persian_notebook_takes_code_from_english_and_prose_from_its_source(tmp_path):
    source = _lesson_tree(
        tmp_path, ENGLISH, "# note\n\n# %% [markdown]\n# سلام\n\n# %% [markdown]\n# پایان\n"
    )
    cells = make_notebook.cells_of(source)
    assert [c.id for c in cells] == ["fa-42-00", "fa-42-01", "fa-42-02"]
    assert [c.source for c in cells] == [
        "سلام",
        f'import cxsim\n{SWITCH}\nteam = "تیم ما"  # <- این را تغییر دهید',
        "پایان",
    ]
    english = make_notebook.cells_of(source.parent.parent / "42_test.py")
    assert english[1].source == 'import cxsim\nteam = "our team"  # <- change this'
    assert english[1].id == "42-01"


def test_a_missing_persian_cell_names_both_files(tmp_path):
    source = _lesson_tree(tmp_path, ENGLISH, "# %% [markdown]\n# سلام\n")
    with pytest.raises(make_notebook.BuildError, match=r"fa/42_test.py has 1 .*42_test.py has 2"):
        make_notebook.cells_of(source)


def test_a_persian_source_holds_no_code(tmp_path):
    source = _lesson_tree(tmp_path, ENGLISH, "# %% [markdown]\n# سلام\n\n# %%\nx = 1\n")
    with pytest.raises(make_notebook.BuildError, match="holds only prose"):
        make_notebook.cells_of(source)


def test_a_missing_translation_names_the_message(tmp_path):
    english = ENGLISH.replace("[[our team]]", "[[no such message in the catalogue]]")
    source = _lesson_tree(tmp_path, english, "# %% [markdown]\n# ۱\n\n# %% [markdown]\n# ۲\n")
    with pytest.raises(make_notebook.BuildError, match="'no such message in the catalogue'"):
        make_notebook.cells_of(source)


def test_the_language_line_needs_import_cxsim(tmp_path):
    english = ENGLISH.replace("import cxsim\n", "")
    source = _lesson_tree(tmp_path, english, "# %% [markdown]\n# ۱\n\n# %% [markdown]\n# ۲\n")
    with pytest.raises(make_notebook.BuildError, match="import cxsim"):
        make_notebook.cells_of(source)


def test_placeholders_live_only_in_strings_and_comments():
    code = 'frame[["a", "b"]]\nname = "[[our team]]"  # [[change this]]\nrows = [[1], [2]]'
    assert make_notebook.placeholders(code) == ["our team", "change this"]
    filled = make_notebook.fill(code, str.upper)
    assert filled == 'frame[["a", "b"]]\nname = "OUR TEAM"  # CHANGE THIS\nrows = [[1], [2]]'
    with pytest.raises(make_notebook.BuildError, match="cannot stand in a string"):
        make_notebook.fill('x = "[[a]]"', lambda message: 'say "hi"')
    assert make_notebook.fill("x = 1  # [[a]]", lambda message: '"quoted"') == 'x = 1  # "quoted"'


def test_a_rebuild_keeps_outputs_unless_the_code_changed():
    old = nbformat.v4.new_notebook()
    for index, source in enumerate(["x = 1  # one", "y = 2", "z = 3"]):
        cell = nbformat.v4.new_code_cell(source, execution_count=index + 1)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{index}\n")]
        cell["id"] = f"42-{index:02d}"
        old.cells.append(cell)
    new = [nbformat.v4.new_code_cell(s) for s in ["x = 1  # ein", "y = 3", "z = 3"]]
    for index, cell in enumerate(new):
        cell["id"] = f"42-{index:02d}"
    notebook, needs_run = make_notebook.assemble(new, old)
    assert needs_run
    assert [c.source for c in notebook.cells] == ["x = 1  # ein", "y = 3", "z = 3"]
    assert [len(c.outputs) for c in notebook.cells] == [1, 0, 1]  # a comment is not code
    assert [c.execution_count for c in notebook.cells] == [1, None, 3]
    _same, needs_run = make_notebook.assemble([notebook.cells[0], notebook.cells[2]], old)
    assert not needs_run


def test_update_catalogue_extracts_the_placeholders():
    update_catalogue = load_script("update_catalogue")
    found = set(update_catalogue.notebook_texts())
    assert ("notebooks/src/09_policy_challenge.py", "our team") in found
    assert ("notebooks/src/10_debrief.py", "Blue whales") in found
    assert ("notebooks/src/03_courtesy.py", "change this") in found
    template = {message.id for message in update_catalogue.extract()}
    assert {message for _where, message in found} <= template
