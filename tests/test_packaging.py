"""The project's setup files agree with each other and with the layering rules."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _pins_from_pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for requirement in project["dependencies"]:
        name, version = requirement.split("==")
        pins[name.strip().lower()] = version.strip()
    return pins


def _pins_from_environment() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for entry in environment["dependencies"]:
        name, version = entry.split("=", 1)
        pins[name.strip().lower()] = version.strip()
    return pins


def test_environment_yml_pins_the_same_runtime_dependencies_as_pyproject():
    conda = _pins_from_environment()
    python = conda.pop("python")
    assert python.startswith("3.1") and int(python.split(".")[1]) >= 11
    assert conda == _pins_from_pyproject()


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


# Upstream layers never import downstream ones.
LAYERS = ["i18n", "distributions", "rng", "scenario", "catalog", "records", "model", "metrics",
          "results", "simulation"]


def test_layers_import_only_upstream():
    for index, module in enumerate(LAYERS):
        path = ROOT / "cxsim" / f"{module}.py"
        downstream = {f"cxsim.{name}" for name in LAYERS[index + 1:]}
        found = _imports(path) & downstream
        # scenario reads the data folder through catalog lazily, only to find data_dir
        if module == "scenario":
            found -= {"cxsim.catalog"}
        assert not found, f"{module} imports downstream {found}"


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
            if re.search(r":\s*(\[?-?\d|null|true|false|peak_end|toman)", code) or \
                    re.search(r"\b(mean|value|low|high|cv)\b", code):
                context = "\n".join(lines[max(0, number - 4):number])
                assert source.search(context), f"{path.name}:{number} has no source: {line!r}"


def test_every_optional_dependency_is_pinned_exactly():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    for name, requirements in extras.items():
        for requirement in requirements:
            assert re.fullmatch(r"[A-Za-z0-9_.-]+(\[[a-z,]+\])?==[0-9][0-9A-Za-z.]*",
                                requirement), (name, requirement)
