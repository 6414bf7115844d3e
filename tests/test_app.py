"""``make app``: one code-free page per lesson dashboard, built from its source.

The lessons with a page are those the registry (``cxsim/lessons/registry.py``) marks
``app_page``.

The pages themselves are run by nbval (``make notebooks``) and, for lesson 03, in
a real browser under Voila (``tests/browser``).
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
from pathlib import Path

import nbformat
from conftest import load_script

from cxsim.lessons.registry import LESSONS, notebook_name

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "notebooks" / "app"


def _app_notebooks() -> list[Path]:
    return sorted(APP.glob("*.ipynb"))


def test_one_app_page_per_lesson():
    lessons = {notebook_name(lesson) for lesson in LESSONS if lesson.app_page}
    # 10_debrief is the instructor's notebook (class standings), not a trainee dashboard.
    assert "10_debrief.ipynb" not in lessons
    assert {path.name for path in _app_notebooks()} == lessons


def test_app_pages_are_built_from_their_sources():
    make_notebook = load_script("make_notebook")
    for lesson in LESSONS:
        if not lesson.app_page:
            continue
        source = ROOT / "notebooks" / "src" / "app" / f"{lesson.name}.py"
        assert make_notebook.target_of(source) == APP / notebook_name(lesson)
        built = nbformat.read(make_notebook.target_of(source), as_version=4)
        cells = make_notebook.cells_of(source)
        assert [(c.cell_type, c.source, c.metadata.get("tags", []), c.id) for c in built.cells] == [
            (c.cell_type, c.source, c.metadata.get("tags", []), c.id) for c in cells
        ], source.name
        assert built.metadata["kernelspec"]["name"] == "python3"


def test_lesson_sources_still_build_next_to_the_src_folder():
    make_notebook = load_script("make_notebook")
    source = ROOT / "notebooks" / "src" / "03_courtesy.py"
    assert make_notebook.target_of(source) == ROOT / "notebooks" / "03_courtesy.ipynb"


def test_each_page_has_prose_and_one_cell_that_shows_a_dashboard():
    call = re.compile(r"^(from cxsim(\.lessons)? import \w+)\n\n(\w+)\.(\w*dashboard)\(.*\)$")
    for path in _app_notebooks():
        notebook = nbformat.read(path, as_version=4)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        prose = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
        assert len(code) == 1, path.name
        found = call.match(code[0].source)
        assert found, (path.name, code[0].source)
        lesson = next(lesson for lesson in LESSONS if notebook_name(lesson) == path.name)
        if lesson.dashboard:  # the registry's dashboard, from the lesson's module
            assert (found.group(3), found.group(4)) == (lesson.module, lesson.dashboard)
        assert code[0].metadata["tags"] == ["nbval-ignore-output"]
        # stored: the widget (so nbval runs it), never an error
        assert [o.output_type for o in code[0].outputs] == ["execute_result"], path.name
        assert "application/vnd.jupyter.widget-view+json" in code[0].outputs[0].data
        assert prose[0].source.startswith(f"# {path.name[:2]} · ")
        assert "**Try:**" in prose[0].source, path.name


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
