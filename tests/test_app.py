"""``make app``: every lesson with its code hidden, in English and Persian, and an index.

The lessons with a page are those the registry (``cxsim/lessons/registry.py``) marks
``app_page``; ``scripts/make_notebook.py`` builds ``notebooks/app/NN_slug.ipynb`` and
``notebooks/app/fa/NN_slug.ipynb`` from the lesson's notebooks (see ``app_notebook``).

The pages are run by nbval (``make notebooks``) and in a real browser under Voila
(``tests/browser/test_app_pages.py``: both languages, no request off the machine, drafts
that survive a reload, Persian slider readouts).
"""

from __future__ import annotations

import base64
import os
import re
import shlex
import socket
import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import load_script

from cxsim.lessons.registry import LESSONS, notebook_name

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "notebooks" / "app"
APP_LESSONS = [lesson for lesson in LESSONS if lesson.app_page]
#: each language's app folder and the folder of its lesson sources
EDITIONS = {
    "en": (APP, ROOT / "notebooks" / "src"),
    "fa": (APP / "fa", ROOT / "notebooks" / "src" / "fa"),
}
WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def make_notebook():
    return load_script("make_notebook")


def _code(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


# --------------------------------------------------------------------------- the real pages
@pytest.mark.parametrize("language", sorted(EDITIONS))
def test_one_app_page_per_lesson_in_each_language(language):
    folder, _sources = EDITIONS[language]
    # 10_debrief is the instructor's notebook (class standings), not a trainee's page.
    assert "10_debrief.ipynb" not in {notebook_name(lesson) for lesson in APP_LESSONS}
    assert {path.name for path in folder.glob("*.ipynb")} == {
        notebook_name(lesson) for lesson in APP_LESSONS
    }
    assert not (ROOT / "notebooks" / "src" / "app").exists()  # pages come from the lessons


@pytest.mark.parametrize("language", sorted(EDITIONS))
def test_app_pages_are_built_from_the_lessons_as_they_stand(make_notebook, language):
    """Each page is what make_notebook builds from the lesson's source and its notebook
    (stored outputs): rebuild with make_notebook.py after running a lesson."""
    folder, sources = EDITIONS[language]
    for lesson in APP_LESSONS:
        source = sources / f"{lesson.name}.py"
        assert make_notebook.app_target(source) == folder / notebook_name(lesson)
        lesson_text, _needs_run = make_notebook.build(source)
        lesson_notebook = nbformat.reads(lesson_text, as_version=4)
        built, _needs_run = make_notebook.app_notebook(source, lesson_notebook)
        stored = (folder / notebook_name(lesson)).read_text(encoding="utf-8")
        assert make_notebook._text(built) == stored, f"{lesson.name} ({language}) is stale"


@pytest.mark.parametrize("language", sorted(EDITIONS))
def test_every_page_is_the_whole_lesson_without_notebook_only_cells(make_notebook, language):
    folder, sources = EDITIONS[language]
    for lesson in APP_LESSONS:
        page = nbformat.read(folder / notebook_name(lesson), as_version=4)
        source_cells = make_notebook.source_cells(sources / f"{lesson.name}.py")
        kept = [c for c in source_cells if "notebook-only" not in c.metadata.get("tags", [])]
        by_id = {f"app-{cell.id}": cell for cell in kept}
        # every markdown cell of the lesson, in order, ids stable (app- + the lesson's)
        prose = [cell for cell in kept if cell.cell_type == "markdown"]
        assert [c.source for c in page.cells if c.cell_type == "markdown"] == [
            c.source for c in prose
        ]
        assert all(cell.id in by_id for cell in page.cells), lesson.name
        ids = [cell.id for cell in page.cells]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        assert not any("notebook-only" in c.metadata.get("tags", []) for c in page.cells)
        # every widget the lesson shows is in the page, running (but those the page replaces)
        lesson_notebook = nbformat.read(
            make_notebook.target_of(sources / f"{lesson.name}.py"), as_version=4
        )
        widgets = {
            f"app-{c.id}"
            for c in _code(lesson_notebook)
            if any(WIDGET in o.get("data", {}) for o in c.outputs)
            and "notebook-only" not in c.metadata.get("tags", [])
        }
        assert widgets and widgets <= {cell.id for cell in _code(page)}, lesson.name
        if language == "fa":
            assert 'cxsim.set_language("fa")' in _code(page)[0].source
            assert any("\u0600" <= ch <= "\u06ff" for ch in page.cells[0].source)
        assert page.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("language", sorted(EDITIONS))
@pytest.mark.parametrize("lesson_id", ["03", "05"])
def test_pages_show_stored_tables_and_figures_and_run_only_what_the_widgets_need(
    make_notebook, language, lesson_id
):
    """Lessons 03 and 05 replicate for seconds (tables, sweeps, figures): their pages show
    what the lesson stored, so a page opens in the time of its widgets.  A code cell left
    in a page shows a widget, imports, or defines a name a later code cell reads."""
    folder, sources = EDITIONS[language]
    lesson = next(lesson for lesson in APP_LESSONS if lesson.id == lesson_id)
    page = nbformat.read(folder / notebook_name(lesson), as_version=4)
    lesson_notebook = nbformat.read(
        make_notebook.target_of(sources / f"{lesson.name}.py"), as_version=4
    )
    lesson_cells = {cell.id: cell for cell in lesson_notebook.cells}
    code = _code(page)
    for index, cell in enumerate(code):
        defined, _read, imports = make_notebook.names(make_notebook._code_of(cell))
        later = set().union(*(make_notebook.names(c.source)[1] for c in code[index + 1 :]))
        widget = any(
            WIDGET in o.get("data", {}) for o in lesson_cells[cell.id[4:]].get("outputs", [])
        )
        assert widget or imports or defined & later, (lesson_id, language, cell.source)
    stored = [c for c in page.cells if c.cell_type == "raw"]
    assert len(stored) >= 2
    for cell in stored:
        assert cell.metadata["raw_mimetype"] == "text/html"
        assert cell.metadata[make_notebook.STORED_KEY] == cell.id.removeprefix("app-")
        assert "<table" in cell.source or 'src="data:image/png;base64,' in cell.source


# --------------------------------------------------------------------------- the mechanism
LESSON_SOURCE = """\
# %% [markdown]
# # 42 · A demo
#
# Run every cell with Shift + Enter.

# %%
import cxsim
from cxsim.lessons import demo as lesson

# %%
sweep = lesson.slow_sweep(n=20)
lesson.sweep_table(sweep)

# %%
lesson.plot_sweep(sweep)

# %%
unused = lesson.slow_sweep(n=50)

# %%
board = lesson.dashboard()
board.update()[0]

# %% tags=nbval-ignore-output
board

# %% tags=app-live
lesson.random_quote()

# %% [markdown] tags=app-only
# Pick an answer below and press Check.

# %% tags=app-only
lesson.decision()

# %% tags=notebook-only
my_answer = 3  # <- [[change this]]
lesson.check(my_answer)
"""


def _output(kind: str, value: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("execute_result", data={kind: value}, execution_count=1)


def _demo(tmp_path, make_notebook):
    source = tmp_path / "notebooks" / "src" / "42_demo.py"
    source.parent.mkdir(parents=True)
    source.write_text(LESSON_SOURCE)
    lesson, _run = make_notebook.assemble(make_notebook.cells_of(source), None)
    png = base64.b64encode(b"\x89PNG fake").decode()
    outputs = {
        "42-02": [_output("text/html", "<table><tr><td>0.83</td></tr></table>")],
        "42-03": [
            nbformat.v4.new_output(
                "execute_result", data={"image/png": png, "text/plain": "<Figure>"}
            )
        ],
        "42-05": [_output("text/html", "<table><tr><td>1.5</td></tr></table>")],
        "42-06": [_output(WIDGET, {"model_id": "x"})],
        "42-07": [_output("text/plain", "'a quote'")],
        "42-10": [_output("text/html", "<b>Correct</b>")],
    }
    for cell in _code(lesson):
        cell.execution_count = 1
        cell.outputs = outputs.get(cell.id, [])
    return source, lesson


def test_lesson_notebooks_leave_out_app_only_cells_and_keep_their_positions(
    tmp_path, make_notebook
):
    _source, lesson = _demo(tmp_path, make_notebook)
    ids = [cell.id for cell in lesson.cells]
    assert ids == ["42-00", "42-01", "42-02", "42-03", "42-04", "42-05", "42-06", "42-07", "42-10"]
    assert "Check" not in "".join(cell.source for cell in lesson.cells)


def test_an_app_page_runs_widgets_and_what_they_need_and_shows_the_rest_as_stored(
    tmp_path, make_notebook
):
    source, lesson = _demo(tmp_path, make_notebook)
    page, needs_run = make_notebook.app_notebook(source, lesson)
    kinds = {cell.id: cell.cell_type for cell in page.cells}
    assert kinds == {
        "app-42-00": "markdown",
        "app-42-01": "code",  # imports: always run (the language line is there too)
        "app-42-02": "raw",  # a table: shown as stored, the sweep is not run
        "app-42-03": "raw",  # a figure: shown as stored
        # 42-04 (an assignment nothing running reads) is dropped
        "app-42-05": "code",  # defines `board`, which the widget cell reads
        "app-42-06": "code",  # a widget
        "app-42-07": "code",  # tagged app-live
        "app-42-08": "markdown",  # app-only
        "app-42-09": "code",  # app-only, never run in a lesson: runs in the page
        # 42-10 is notebook-only
    }
    assert needs_run  # 42-09 has no stored run (nbval runs it)
    cells = {cell.id: cell for cell in page.cells}
    assert "<table><tr><td>0.83</td></tr></table>" in cells["app-42-02"].source
    assert cells["app-42-02"].metadata == {"raw_mimetype": "text/html", "cxsim_stored": "42-02"}
    assert 'src="data:image/png;base64,' in cells["app-42-03"].source
    assert 'alt="&lt;Figure&gt;"' in cells["app-42-03"].source
    # a running cell keeps the lesson's stored outputs, for nbval
    lesson_cells = {cell.id: cell for cell in lesson.cells}
    assert cells["app-42-06"].outputs == lesson_cells["42-06"].outputs
    assert "slow_sweep" not in "".join(c.source for c in page.cells if c.cell_type == "code")


def test_a_running_cell_pulls_in_a_shown_cell_whose_name_it_reads(tmp_path, make_notebook):
    source, lesson = _demo(tmp_path, make_notebook)
    text = LESSON_SOURCE.replace("lesson.random_quote()", "lesson.explain(sweep)")
    source.write_text(text)
    lesson_cells = {cell.id: cell for cell in lesson.cells}
    for cell in make_notebook.cells_of(source):
        if cell.id in lesson_cells:
            lesson_cells[cell.id].source = cell.source
    page, _needs_run = make_notebook.app_notebook(source, lesson)
    kinds = {cell.id: cell.cell_type for cell in page.cells}
    assert kinds["app-42-02"] == "code"  # `sweep` is read by the app-live cell: it runs
    assert kinds["app-42-03"] == "raw"


def test_names_a_cell_defines_and_reads(make_notebook):
    defined, read, imports = make_notebook.names("for k in range(3):\n    total = f(k)\n")
    assert (defined, imports) == ({"k", "total"}, False)
    assert read == {"range", "f", "k"}
    assert make_notebook.names("def f(x):\n    return y")[:2] == ({"f"}, {"y"})
    assert make_notebook.names("print(unclosed")[1] == {"*"}


def test_stored_html_keeps_tables_figures_and_escapes_text(make_notebook):
    outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a < b\n"),
        _output("text/html", "<table></table>"),
        _output("text/plain", "<Result 3>"),
    ]
    html = make_notebook.stored_html(outputs)
    assert "<pre>a &lt; b\n</pre>" in html
    assert "<table></table>" in html and "<pre>&lt;Result 3&gt;</pre>" in html
    assert html.count('class="jp-OutputArea-child"') == 3


# --------------------------------------------------------------------------- the index
def test_the_index_lists_every_page_in_both_languages_with_a_language_choice(make_notebook):
    text = make_notebook.APP_INDEX.read_text(encoding="utf-8")
    assert text == make_notebook.app_index()  # up to date with the registry
    english, persian = text.split("{%- elif", 1)
    for lesson in APP_LESSONS:
        assert f"voila/render/{notebook_name(lesson)}" in english
        assert f"voila/render/fa/{notebook_name(lesson)}" in persian
    assert 'href="{{ base_url }}voila/tree/fa"' in english and ">فارسی</a>" in english
    assert 'href="{{ base_url }}voila/tree/"' in persian and ">English</a>" in persian
    assert '<html lang="fa" dir="rtl">' in persian and '<html lang="en" dir="ltr">' in english
    # what a Persian reader sees: no Latin letters but the name of the other language
    body = persian.split("<body", 1)[1].split(">", 1)[1]
    seen = re.sub(r"<[^>]+>|\{[{%#].*?[}%#]\}", " ", body)
    seen = seen.replace("English", "")
    assert not re.search(r"[A-Za-z]", seen), seen
    assert "۰۳" in persian and "۰۳" not in english
    tree = (ROOT / "share/jupyter/voila/templates/cxsim/tree-lab.html").read_text()
    assert "{%- include 'app_index.html' -%}" in tree
    assert "cdn" not in text.lower() and "http" not in text


def _make_app_commands(**env: str) -> str:
    environment = {**os.environ, **env}
    done = subprocess.run(
        ["make", "-n", "app"], cwd=ROOT, env=environment, check=True, capture_output=True, text=True
    )
    return done.stdout.replace("\\\n", " ")  # join continued lines


def test_make_app_serves_the_app_folder_with_code_hidden():
    commands = _make_app_commands(DISPLAY="", WAYLAND_DISPLAY="", APP_PORT="8877")
    voila = [line for line in commands.splitlines() if "-m voila" in line]
    assert len(voila) == 1
    assert "notebooks/app" in voila[0] and "--strip_sources=True" in voila[0]
    assert "--port=8877" in voila[0]
    assert "--no-browser" in voila[0]  # no screen: print the address instead
    assert "http://localhost:8877/" in commands


def test_make_app_uses_the_template_that_asks_nothing_of_a_cdn():
    """Voila's own template links Font Awesome from a CDN; ``make app`` serves the
    repository's (``tests/browser/test_offline.py`` checks the pages in a browser, with
    the same options as here)."""
    commands = _make_app_commands(JUPYTER_PATH="")
    voila = next(line for line in commands.splitlines() if "-m voila" in line)
    assert "--template=cxsim" in voila
    assert f'env "JUPYTER_PATH={ROOT}/share/jupyter" ' in voila
    assert (ROOT / "share/jupyter/voila/templates/cxsim/conf.json").is_file()


def test_make_app_opens_a_browser_when_there_is_a_screen():
    commands = _make_app_commands(DISPLAY=":0")
    assert "--no-browser" not in commands
    assert "--port=8866" in commands


def test_make_app_stops_on_a_busy_port_instead_of_moving_to_another(tmp_path):
    # The address `make app` prints must be the one Voila serves: a busy port is an
    # error that names it, not a silent move to a port nobody was told about.
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        commands = _make_app_commands(DISPLAY="", WAYLAND_DISPLAY="", APP_PORT=str(port))
        voila = next(line for line in commands.splitlines() if "-m voila" in line)
        done = subprocess.run(
            [*shlex.split(voila), "--Voila.ip=127.0.0.1"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)},
        )
    assert done.returncode != 0
    assert f"port {port} is already in use" in done.stderr
