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
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .i18n import _
from .scenario import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_SAMPLE_BYTES,
    MAX_VALUES,
    Scenario,
    ScenarioError,
    listing,
    one_line,
    shown,
    too_deep,
    too_many_values,
)
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
    distribution's sample); ValueError naming the file and what is allowed.

    Only files inside ``data/`` are read, and a message never quotes a file's content
    beyond its column names: scenario files are shared between instructors.
    """
    folder = data_dir()
    path = (folder / file).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise ValueError(
            _(
                "no data file {file!r} under {folder}; allowed: a CSV file inside that folder",
                file=shown(file),
                folder=folder,
            )
        )
    if path.stat().st_size > MAX_SAMPLE_BYTES:
        raise ValueError(
            _(
                "{file} has more than {limit:,} bytes; allowed: at most {limit:,}",
                file=one_line(file, limit=60),
                limit=MAX_SAMPLE_BYTES,
            )
        )
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (UnicodeDecodeError, csv.Error):
        raise ValueError(
            _(
                "{file} is not a CSV text file (UTF-8); allowed: a CSV file",
                file=one_line(file, limit=60),
            )
        ) from None
    columns = list(rows[0]) if rows else []
    if column not in columns:
        raise ValueError(
            _(
                "column {column!r} not in {file}; allowed: {allowed}",
                column=shown(column),
                file=one_line(file, limit=60),
                allowed=listing(columns),
            )
        )
    values = []
    for number, row in enumerate(rows, start=2):  # the header is line 1
        try:
            values.append(float(row[column]))
        except (TypeError, ValueError):  # TypeError: a row shorter than the header
            raise ValueError(
                _(
                    "{file} line {line}: column {column!r} is not a number; allowed: "
                    "numbers above 0",
                    file=one_line(file, limit=60),
                    line=number,
                    column=shown(column),
                )
            ) from None
    if not values or not all(0 < value < math.inf for value in values):
        raise ValueError(
            _(
                "{file} column {column!r} needs positive values",
                file=one_line(file, limit=60),
                column=shown(column),
            )
        )
    return tuple(values)


class _ShapeError(Exception):
    """Raised by :class:`_BoundedLoader`: a field path and what is wrong there."""

    def __init__(self, path: str, problem: str):
        super().__init__(problem)
        self.path, self.problem = path, problem


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing while it composes the document (before any
    Python object is built) nesting deeper than ``MAX_NESTING`` and more than
    ``MAX_VALUES`` nodes with every alias expanded.

    PyYAML composes nested nodes by recursion (a thousand ``[`` exhaust the stack), and
    an alias is one node however large its anchor: nine levels of ten aliases are a
    billion values to whatever walks the data, and YAML merge keys (``<<: *a``) copy
    them inside the reader itself.  Each anchored node's expanded size is remembered,
    so an alias costs one addition.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._parts: list[Any] = []  # the field path being composed
        self._values = 0  # nodes composed so far, aliases expanded
        self._sizes: dict[int, int] = {}  # id(anchored node) -> its expanded size

    def _path(self) -> str:
        text = ""
        for part in self._parts[1:]:  # the first is the document itself
            if isinstance(part, int):
                text += f"[{part}]"
            elif part is not None:
                name = part if len(part) <= 40 else str(shown(part))
                text += f".{name}" if text else name
        return text

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        """One node, its path and expanded size checked (see the class)."""
        alias = self.check_event(yaml.AliasEvent)
        event = self.peek_event()
        # A mapping's key is composed with index None, its value with the key's node (a
        # list or a mapping as a key, "? [a, b]", is shown as "?"); a list item with its index.
        if isinstance(index, yaml.Node):
            index = index.value if isinstance(index, yaml.ScalarNode) else "?"
        self._parts.append(index)
        try:
            if (
                not alias
                and len(self._parts) > MAX_NESTING
                and not self.check_event(yaml.ScalarEvent)
            ):
                raise _ShapeError(self._path(), too_deep())
            start = self._values
            node = super().compose_node(parent, index)
            if alias:
                size = self._sizes.get(id(node))
                if size is None:  # the alias sits inside its own anchor: an endless value
                    raise _ShapeError(self._path(), too_many_values())
                self._values += size
            else:
                self._values += 1
                if event.anchor is not None:
                    self._sizes[id(node)] = self._values - start
            if self._values > MAX_VALUES:
                raise _ShapeError(self._path(), too_many_values())
            return node
        finally:
            self._parts.pop()


def _parse(text: str) -> Any:
    """The YAML document in ``text`` (see :class:`_BoundedLoader`)."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


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
        with path.open("rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:  # no permission, a folder's name, a device
        raise ScenarioError(
            str(path), "", _("cannot be read: {reason}", reason=exc.strerror or type(exc).__name__)
        ) from None
    if len(content) > MAX_FILE_BYTES:
        raise ScenarioError(
            str(path),
            "",
            _(
                "a file of more than {limit:,} bytes; allowed: at most {limit:,} (a scenario "
                "file is a few kilobytes; observations go in a CSV file under data/)",
                limit=MAX_FILE_BYTES,
            ),
        )
    try:
        data = _parse(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError(str(path), "", _("not a text file; expected YAML")) from None
    except _ShapeError as exc:
        raise ScenarioError(str(path), exc.path, exc.problem) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _(" (line {line})", line=mark.line + 1) if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem = one_line(problem, limit=160)  # it can quote an alias or a tag of any length
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
