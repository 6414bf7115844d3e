"""Issue 19: no input crashes, hangs or exhausts cxsim.

Every number a scenario file or a class submission carries has a lower and an
upper bound (and floats refuse inf and nan), so a field added later without
one fails here, not in a classroom.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import yaml
from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

import cxsim
from cxsim import ScenarioError, load_scenario
from cxsim.classroom.core import parse_submission
from cxsim.classroom.store import SubmissionError
from cxsim.lessons.challenge import LIMITS, Policy
from cxsim.scenario import Scenario


# --------------------------------------------------------------------------- the walker
def _flatten(metadata: list[Any]) -> list[Any]:
    """Constraint objects, with those inside a nested ``Field(...)`` unpacked."""
    flat = []
    for item in metadata:
        flat.extend(_flatten(item.metadata) + [item] if isinstance(item, FieldInfo) else [item])
    return flat


def _leaves(
    annotation: Any, metadata: list[Any], models: list[type[BaseModel]]
) -> Iterator[tuple[type, list[Any]]]:
    """Every int or float inside ``annotation`` with the constraints that apply to it;
    pydantic models found on the way are appended to ``models``."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *extra = typing.get_args(annotation)
        yield from _leaves(base, metadata + _flatten(extra), models)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        models.append(annotation)
    elif annotation is bool or annotation is str or annotation is type(None):
        return
    elif annotation is Any or origin is Literal:
        return  # Any: only Scenario.policies, whose overrides are validated as a Scenario
    elif annotation in (int, float):
        yield annotation, metadata
    elif origin in (typing.Union, types.UnionType):
        for member in typing.get_args(annotation):  # a field's Field() applies to each member
            yield from _leaves(member, metadata, models)
    elif origin in (tuple, list, dict):
        for member in typing.get_args(annotation):  # container constraints are not the items'
            if member is not Ellipsis:
                yield from _leaves(member, [], models)
    else:  # a kind of annotation this walker cannot see into must not pass unchecked
        raise TypeError(f"the bounds walker does not understand {annotation!r}")


def numeric_fields(root: type[BaseModel]) -> dict[str, list[tuple[type, list[Any]]]]:
    """``"Model.field"`` -> its numbers and their constraints, for every model under ``root``."""
    found: dict[str, list[tuple[type, list[Any]]]] = {}
    models, seen = [root], set()
    while models:
        model = models.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            leaves = list(_leaves(info.annotation, _flatten(info.metadata), models))
            if leaves:
                found[f"{model.__name__}.{name}"] = leaves
    return found


def _has(metadata: list[Any], *names: str) -> bool:
    values = [getattr(item, name, None) for item in metadata for name in names]
    return any(value is not None and math.isfinite(value) for value in values)


def unbounded(root: type[BaseModel]) -> list[str]:
    """``"Model.field: what is missing"`` for every number under ``root`` without bounds."""
    problems = []
    for field, leaves in numeric_fields(root).items():
        for kind, metadata in leaves:
            missing = [
                what
                for what, names in (
                    ("lower bound (ge/gt)", ("ge", "gt")),
                    ("upper bound (le/lt)", ("le", "lt")),
                )
                if not _has(metadata, *names)
            ]
            if kind is float and not any(
                getattr(item, "allow_inf_nan", None) is False for item in metadata
            ):
                missing.append("allow_inf_nan=False")
            if missing:
                problems.append(f"{field} ({kind.__name__}): no {', no '.join(missing)}")
    return sorted(set(problems))


# --------------------------------------------------------------------------- scenario schema
def test_every_number_in_the_scenario_schema_has_both_bounds():
    problems = unbounded(Scenario)
    assert not problems, "numbers without bounds (see MAX_* in scenario.py):\n" + "\n".join(
        problems
    )


def test_the_walker_sees_the_whole_schema():
    found = numeric_fields(Scenario)
    # nested models, tuple items, unions of a number and a tuple, Optional, distributions
    for field in (
        "Scenario.horizon_days",
        "Arrivals.rate_per_hour",
        "Arrivals.hourly_profile",
        "Touchpoint.staff",
        "Segment.priority",
        "LognormalSpec.cv",
        "EmpiricalSpec.values",
        "RetentionParameters.steepness",
        "FollowUp.capacity_per_day",
        "Levers.promise_min",
        "Economics.discount_rate_per_year",
        "SegmentBase.customers",
    ):
        assert field in found, field
    assert [kind for kind, _ in found["Touchpoint.staff"]] == [int, int]  # a number, or 24
    assert len(found) >= 60, sorted(found)


def test_an_unbounded_field_is_named():
    class Inner(BaseModel):
        ok: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
        no_top: Annotated[int, Field(ge=0)]

    class Toy(BaseModel):
        rate: float
        inner: Inner | None = None
        profile: tuple[Annotated[float, Field(ge=0, le=1)], ...] = ()
        infinite: Annotated[float, Field(ge=0, le=math.inf, allow_inf_nan=False)] = 0.0

    assert unbounded(Toy) == [
        "Inner.no_top (int): no upper bound (le/lt)",
        "Toy.infinite (float): no upper bound (le/lt)",
        "Toy.profile (float): no allow_inf_nan=False",
        "Toy.rate (float): no lower bound (ge/gt), no upper bound (le/lt), no allow_inf_nan=False",
    ]


def test_an_annotation_the_walker_cannot_read_fails_loudly():
    class Toy(BaseModel):
        amounts: set[float]

    with pytest.raises(TypeError, match="does not understand"):
        unbounded(Toy)


def test_bundled_scenarios_and_defaults_lie_inside_the_bounds():
    # contact_centre opens behaviour:, so data/defaults.yaml is validated with it
    assert load_scenario("contact_centre").behaviour is not None
    for name in cxsim.list_scenarios():
        scenario = load_scenario(name)
        for policy in scenario.policies:
            scenario.with_policy(policy)


# --------------------------------------------------------------------------- clear errors
def _bundled_with(tmp_path: Path, name: str, change: Any) -> str:
    data = yaml.safe_load((cxsim.data_dir() / "scenarios" / f"{name}.yaml").read_text("utf-8"))
    change(data)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert len(message) - len(str(path)) < 120, message  # under 200 with a usual path
    return message


@pytest.mark.parametrize(
    ("name", "change", "words"),
    [
        (
            "erlang_check",
            lambda d: d.update(horizon_days=1e9),
            ["horizon_days: must be at most 3660, got 1e+09"],
        ),
        (
            "contact_centre",
            lambda d: d["touchpoints"][0]["service_min"].update(cv=1e200),
            ["touchpoints[0].service_min.cv: must be at most 100, got 1e+200"],
        ),
        (
            "erlang_check",
            lambda d: d["touchpoints"][0].update(staff=int("9" * 401)),
            ["touchpoints[0].staff: must be at most 100000, got 1e+401"],
        ),
        (
            "contact_centre",
            lambda d: d["touchpoints"][0].update(staff=[1] * 23 + [int("9" * 401)]),
            ["touchpoints[0].staff[23]: must be at most 100000, got 1e+401"],
        ),
        (
            "erlang_check",
            lambda d: d["touchpoints"][0].update(staff=1e300),
            ["touchpoints[0].staff: must be at most 100000, got 1e+300"],
        ),
        (
            "contact_centre",
            lambda d: d["behaviour"].update(retention={"steepness": 1e6}),
            ["behaviour.retention.steepness: must be at most 50, got 1e+06"],
        ),
        (
            "contact_centre",
            lambda d: d["segments"][0].update(priority=-(10**6)),
            ["segments[0].priority: must be at least -1000, got -1000000"],
        ),
        (
            "erlang_check",
            lambda d: d["arrivals"].update(rate_per_hour=2e6),
            ["arrivals.rate_per_hour: must be at most 1e+06, got 2e+06"],
        ),
        (
            "contact_centre",
            lambda d: d.setdefault("economics", {}).update(staff_cost_per_hour=1e13),
            ["economics.staff_cost_per_hour: must be at most 1e+12, got 1e+13"],
        ),
        (
            "erlang_check",
            lambda d: d.update(warmup_days=float("inf")),
            ["warmup_days: must be a number, got inf"],
        ),
    ],
    ids=[
        "horizon-1e9",
        "cv-1e200",
        "staff-401-digits",
        "hourly-staff-401-digits",
        "staff-1e300",
        "steepness-1e6",
        "priority",
        "rate",
        "money",
        "warmup-inf",
    ],
)
def test_an_out_of_range_value_gets_one_short_clear_error(tmp_path, name, change, words):
    message = _bundled_with(tmp_path, name, change)
    for word in words:
        assert word in message


def test_a_number_too_long_for_python_is_a_scenario_error(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(f"name: long\nhorizon_days: {'9' * 5000}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid YAML: .*4300 digits") as caught:
        load_scenario(path)
    assert len(str(caught.value)) < 200 + len(str(path))


# --------------------------------------------------------------------------- submissions
def _numeric_levers() -> list[str]:
    hints = typing.get_type_hints(Policy)
    return [
        field.name
        for field in dataclasses.fields(Policy)
        if hints[field.name] is not bool
        and {int, float} & set(typing.get_args(hints[field.name]) or [hints[field.name]])
    ]


def test_every_numeric_lever_of_a_submission_has_a_finite_range():
    # Submissions are checked by hand (Policy.__post_init__) against LIMITS, not by a schema.
    levers = _numeric_levers()
    assert set(levers) >= {"extra_agents", "training", "promise_min", "follow_up_capacity"}
    missing = [lever for lever in levers if lever not in LIMITS]
    assert missing == [], f"levers without a range in challenge.LIMITS: {missing}"
    for lever, (low, high, _whole) in LIMITS.items():
        assert math.isfinite(low) and math.isfinite(high) and low < high, lever


@pytest.mark.parametrize("lever", sorted(LIMITS))
@pytest.mark.parametrize(
    "value",
    ["high", "low", 10**401, -(10**5000), math.inf, math.nan],
    ids=["above", "below", "401-digits", "5001-digits", "inf", "nan"],
)
def test_a_lever_out_of_its_range_is_refused_briefly(lever, value):
    low, high, _whole = LIMITS[lever]
    value = {"high": high + 1, "low": low - 1}.get(value, value)
    with pytest.raises(SubmissionError) as caught:
        parse_submission({"team": "a", "policy": {lever: value}})
    assert caught.value.field == "policy"
    assert str(caught.value).startswith(f"policy: {lever}: ")
    assert len(str(caught.value)) < 120
