"""The project's setup files agree with each other and with the layering rules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


#: pip names (with extras) whose conda-forge packages have other names (environment.yml
#: says why); every other name is the same on both sides.
CONDA_NAMES: dict[str, tuple[str, ...]] = {
    "matplotlib": ("matplotlib-base",),
    "dask[distributed]": ("dask-core", "distributed"),
    "jupyterhub": ("jupyterhub-base",),
}
#: conda packages environment.yml may list that pyproject.toml does not.
CONDA_ONLY = {"python", "pip"}


def _normalise(name: str) -> str:
    """A pip name as PEP 503 compares it, extras kept: ``PyYAML`` -> ``pyyaml``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _split_pin(requirement: str, separator: str) -> tuple[str, str]:
    name, _, version = requirement.partition(separator)
    return _normalise(name.strip()), version.strip()


def _make_test_extras() -> list[str]:
    """The extras ``make test`` installs, read from the Makefile (``-e '.[dev,dask]'``)."""
    found = re.findall(r"-e '\.\[([a-z,]+)\]'", (ROOT / "Makefile").read_text())
    assert len(found) == 1, found
    return found[0].split(",")


def _pins_from_pyproject() -> dict[str, str]:
    """``{pip name: version}`` of what ``make test`` installs: the runtime dependencies
    and the Makefile's extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in _make_test_extras():
        requirements += project["optional-dependencies"][extra]
    return dict(_split_pin(requirement, "==") for requirement in requirements)


def _pins_from_environment(
    environment: dict | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """``({conda name: version}, {pip name: version})``: environment.yml's conda packages
    (``name=version``; ``""`` when unpinned) and its ``pip:`` list (``name==version``)."""
    if environment is None:
        environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda: dict[str, str] = {}
    pip: dict[str, str] = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            assert list(entry) == ["pip"], entry
            pip.update(_split_pin(requirement, "==") for requirement in entry["pip"])
        else:
            assert "==" not in entry and not re.search(r"[<>*]", entry), (
                f"environment.yml: pin {entry!r} exactly, as name=version"
            )
            name, version = _split_pin(entry, "=")
            assert name not in conda, f"environment.yml lists {name} twice"
            conda[name] = version
    return conda, pip


def environment_differences(
    pyproject: dict[str, str], conda: dict[str, str], pip: dict[str, str]
) -> list[str]:
    """What keeps environment.yml (``conda``, ``pip``) from giving exactly what pyproject
    (``pyproject``: pip name -> pinned version) gives: one line each, empty if nothing."""
    problems = []
    expected: dict[str, str] = {}  # conda name -> version
    for name, version in pyproject.items():
        if name in pip:
            if pip[name] != version:
                problems.append(
                    f"{name}: pyproject.toml pins {version}, environment.yml's pip list {pip[name]}"
                )
            continue
        for conda_name in CONDA_NAMES.get(name, (name,)):
            expected[conda_name] = version
    if missing := sorted(expected.keys() - conda.keys()):
        problems.append(f"environment.yml lacks {', '.join(missing)} (in pyproject.toml)")
    if extra := sorted(conda.keys() - expected.keys() - CONDA_ONLY):
        problems.append(
            f"environment.yml has {', '.join(extra)}, which pyproject.toml's "
            "dependencies and make test's extras do not list"
        )
    if extra := sorted(pip.keys() - pyproject.keys()):
        problems.append(
            f"environment.yml's pip list has {', '.join(extra)}, which pyproject.toml does not list"
        )
    for conda_name in sorted(expected.keys() & conda.keys()):
        if conda[conda_name] != expected[conda_name]:
            problems.append(
                f"{conda_name}: pyproject.toml pins {expected[conda_name]}, "
                f"environment.yml {conda[conda_name] or 'nothing'}"
            )
    return problems


def test_environment_yml_gives_what_make_test_installs_with_the_same_pins():
    """conda users get every runtime, dev and dask dependency of pyproject.toml, at the
    same version; a dependency added to or dropped from either file fails here."""
    conda, pip = _pins_from_environment()
    assert environment_differences(_pins_from_pyproject(), conda, pip) == []
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11" and conda["python"] == "3.11"
    assert "pip" in conda  # for the pip: list


def test_environment_check_reports_a_dependency_dropped_from_either_file():
    pyproject = _pins_from_pyproject()
    conda, pip = _pins_from_environment()
    without_nbval = {name: pin for name, pin in conda.items() if name != "nbval"}
    assert environment_differences(pyproject, without_nbval, pip) == [
        "environment.yml lacks nbval (in pyproject.toml)"
    ]
    without_simpy = {name: pin for name, pin in pyproject.items() if name != "simpy"}
    assert environment_differences(without_simpy, conda, pip) == [
        "environment.yml has simpy, which pyproject.toml's dependencies and make test's "
        "extras do not list"
    ]
    without_playwright = {name: pin for name, pin in pip.items() if name != "playwright"}
    assert environment_differences(pyproject, conda, without_playwright) == [
        "environment.yml lacks playwright (in pyproject.toml)"
    ]
    assert environment_differences({**pyproject, "pytest": "1.0"}, conda, pip) == [
        "pytest: pyproject.toml pins 1.0, environment.yml 9.2.0"
    ]


def test_every_runtime_dependency_is_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", requirement), requirement


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from .x import y
                names.add("cxsim." + (node.module or ""))
            else:
                names.add(node.module or "")
    return names


def test_only_the_model_imports_simpy():
    for path in (ROOT / "cxsim").glob("*.py"):
        if path.stem != "model":
            assert "simpy" not in _imports(path), path.name


def test_import_cxsim_stays_light_of_plotting_and_widgets():
    package = ROOT / "cxsim" / "__init__.py"
    heavy = {"matplotlib", "ipywidgets", "cxsim.plots", "cxsim.widgets"}
    assert not (_imports(package) & heavy)


# Every module of cxsim, upstream first: a module imports only modules before it, and
# none is exempt.  (The classroom's service imports neither lessons nor widgets: see
# test_the_class_standings_service_imports_no_lesson_widgets_or_pyplot.)
LAYERS = [
    "i18n",
    "clock",
    "distributions",
    "rng",
    "behaviour",
    "scenario",
    "catalog",
    "rota",
    "records",
    "customer_base",
    "lean_process",
    "model_behaviour",
    "model",
    "survey",
    "kpis",
    "formatting",
    "metrics",
    "results",
    "story",
    "simulation",
    "theory",
    "experiments",
    "hourly",
    "precomputed",
    "run_cache",
    "decisions",
    "assumptions",
    "fix_value",
    "challenge",
    "plausibility",
    "plots",
    "browser_widgets",
    "widgets",
    "decision_widgets",
    "story_view",
    "assumptions_view",
    "rota_editor",
    "classroom",
    "lessons",
    "cli",
    "__main__",
]
PACKAGES = {"classroom", "lessons"}


def _layer_of(module: str) -> str:
    """The layer of an imported cxsim module: its top-level name under cxsim."""
    return module.removeprefix("cxsim.").split(".")[0]


def _module_files(layer: str) -> list[Path]:
    if layer in PACKAGES:
        return sorted((ROOT / "cxsim" / layer).glob("*.py"))
    return [ROOT / "cxsim" / f"{layer}.py"]


def test_every_module_has_a_layer():
    found = {path.stem for path in (ROOT / "cxsim").glob("*.py")} - {"__init__"}
    found |= {
        path.name
        for path in (ROOT / "cxsim").iterdir()
        if path.is_dir() and (path / "__init__.py").exists()
    }
    assert found == set(LAYERS)


def test_layers_import_only_upstream():
    for index, layer in enumerate(LAYERS):
        downstream = set(LAYERS[index + 1 :])
        for path in _module_files(layer):
            imported = {
                _layer_of(name)
                for name in _imports(path)
                if name.startswith("cxsim.") and name != "cxsim."
            }
            found = imported & downstream
            assert not found, f"{path.relative_to(ROOT)} imports downstream {found}"


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci
    assert "make test" in readme and "make lab" in readme


def test_every_number_in_a_bundled_scenario_names_its_source():
    """Each line that sets a number in data/scenarios carries a source comment
    (a claim number, a published paper, or an honest 'assumption')."""
    source = re.compile(r"#.*(\b[NQ]\d{1,2}\b|\b(19|20)\d\d\b|assumption|see data/README)")
    for path in [*(ROOT / "data" / "scenarios").glob("*.yaml"), ROOT / "data" / "defaults.yaml"]:
        if path.stem == "erlang_check":
            continue  # a pure queueing test case: its numbers are the test's own
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, 1):
            code = line.split("#", 1)[0]
            if re.search(r":\s*(\[?-?\d|null|true|false|peak_end|toman)", code) or re.search(
                r"\b(mean|value|low|high|cv)\b", code
            ):
                context = "\n".join(lines[max(0, number - 4) : number])
                assert source.search(context), f"{path.name}:{number} has no source: {line!r}"


def test_every_optional_dependency_is_pinned_exactly():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    for name, requirements in extras.items():
        for requirement in requirements:
            assert re.fullmatch(
                r"[A-Za-z0-9_.-]+(\[[a-z,]+\])?==[0-9][0-9A-Za-z.]*", requirement
            ), (name, requirement)


def test_the_class_standings_service_imports_no_lesson_widgets_or_pyplot():
    # the service runs on the instructor's laptop for a whole class: domain code only
    code = (
        "import sys, cxsim.classroom.server; "
        "print(sorted(m for m in ('ipywidgets', 'matplotlib.pyplot', 'cxsim.lessons', "
        "'cxsim.widgets') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert loaded == "[]"


def test_the_scenario_schema_reads_no_files():
    # catalog reads data/ (defaults, empirical samples) and hands them in: no import circle
    assert not _imports(ROOT / "cxsim" / "scenario.py") & {"yaml", "csv", "cxsim.catalog"}
