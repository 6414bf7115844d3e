"""Where the bundled data lives, and how a scenario is found and loaded.

This is the only module that knows the location of ``data/``.

>>> "contact_centre" in list_scenarios()
True
>>> load_scenario("erlang_check").touchpoints[0].staff
10
"""

from __future__ import annotations

import csv
import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .i18n import _
from .scenario import Scenario, ScenarioError
from .scenario import validate_scenario as _validate

__all__ = [
    "data_dir",
    "list_scenarios",
    "load_scenario",
    "read_column",
    "scenario_path",
    "validate_scenario",
]


def data_dir() -> Path:
    """The ``data/`` folder (override with the ``CXSIM_DATA`` environment variable)."""
    override = os.environ.get("CXSIM_DATA")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data"


@functools.cache
def _read_defaults(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_column(file: str, column: str) -> tuple[float, ...]:
    """The positive numbers of one column of a CSV file under ``data/`` (an empirical
    distribution's sample); ValueError naming the file and what is allowed."""
    folder = data_dir()
    path = folder / file
    if not path.is_file():
        raise ValueError(f"no such data file {file!r} under {folder}")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    columns = list(rows[0]) if rows else []
    if column not in columns:
        raise ValueError(f"column {column!r} not in {file}; allowed: {', '.join(columns)}")
    try:
        values = tuple(float(row[column]) for row in rows)
    except ValueError as exc:
        raise ValueError(f"non-numeric value in {file}: {exc}") from None
    if not values or min(values) <= 0:
        raise ValueError(f"{file} column {column!r} needs positive values")
    return values


def validate_scenario(data: Any, *, source: str = "<mapping>") -> Scenario:
    """Check parsed YAML against the schema, with ``data/defaults.yaml`` filling the
    sections it opens and empirical samples read from ``data/``."""
    return _validate(
        data,
        source=source,
        defaults=_read_defaults(data_dir() / "defaults.yaml"),
        read_column=read_column,
    )


def list_scenarios() -> list[str]:
    """Names of the bundled scenarios, for ``load_scenario(name)``."""
    return sorted(path.stem for path in (data_dir() / "scenarios").glob("*.yaml"))


def scenario_path(name: str) -> Path:
    """The file of a bundled scenario."""
    return data_dir() / "scenarios" / f"{name}.yaml"


def load_scenario(source: str | os.PathLike[str] | Mapping[str, Any] | Scenario) -> Scenario:
    """Load a scenario from a bundled name, a YAML file path, or a mapping.

    Every problem raises :class:`ScenarioError` naming the file and the field.
    """
    if isinstance(source, Scenario):
        return source
    if isinstance(source, Mapping):
        return validate_scenario(source, source="<mapping>")
    text = os.fspath(source)
    path = Path(text)
    is_name = path.suffix == "" and os.sep not in text and "/" not in text
    if is_name:
        if scenario_path(text).is_file():
            path = scenario_path(text)
        else:
            bundled = ", ".join(list_scenarios())
            raise ScenarioError(
                text, "", _("no bundled scenario of this name; bundled: {names}", names=bundled)
            )
    if not path.is_file():
        raise ScenarioError(str(path), "", _("file not found"))
    try:
        content = path.read_text(encoding="utf-8")
        data = yaml.safe_load(content)
    except UnicodeDecodeError:
        raise ScenarioError(str(path), "", _("not a text file; expected YAML")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _(" (line {line})", line=mark.line + 1) if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(
            str(path), "", _("not valid YAML{where}: {problem}", where=where, problem=problem)
        ) from None
    except ValueError as exc:  # a number past Python's 4300-digit limit for int()
        raise ScenarioError(
            str(path),
            "",
            _("not valid YAML{where}: {problem}", where="", problem=str(exc).split(";")[0]),
        ) from None
    return validate_scenario(data, source=str(path))
