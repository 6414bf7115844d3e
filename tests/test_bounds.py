"""Issue 19: no input crashes, hangs or exhausts cxsim.

Every number a scenario file or a class submission carries has a lower and an
upper bound (and floats refuse inf and nan), so a field added later without
one fails here, not in a classroom.
"""

from __future__ import annotations

import dataclasses
import math
import os
import subprocess
import sys
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


# --------------------------------------------------------------------------- issue 19, items 1-6
def _erlang_check_text(extra: str = "") -> str:
    return (cxsim.data_dir() / "scenarios" / "erlang_check.yaml").read_text("utf-8") + extra


def _bomb(levels: int = 9, width: int = 10) -> str:
    """Nine levels of ten aliases: a billion values once expanded."""
    lines = ['  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"  a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines)


def _refusal_in_a_child(path: Path) -> str:
    """``load_scenario(path)``'s ScenarioError, in a child process under a memory and a
    time limit, so that a regression to a hang or a blow-up fails here in seconds."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))\n"
        "from cxsim import ScenarioError, load_scenario\n"
        "try:\n"
        "    load_scenario(sys.argv[1])\n"
        "except ScenarioError as error:\n"
        "    print(error)\n"
        "else:\n"
        "    print('loaded')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,  # about a second when it works
        env={**os.environ, "CXSIM_LANG": "en"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    message = done.stdout.strip()
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    assert len(message) - len(str(path)) < 250, message
    return message


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (f"x_bomb:\n{_bomb()}\n", "x_bomb.a4[0]: more than 20,000 values in all"),
        ("policies:\n  bomb:\n" + _bomb().replace("  ", "    ") + "\n", "values in all"),
        ("policies:\n  bomb: {description: &d [*d]}\n", "values in all"),  # an endless alias
    ],
    ids=["unknown-field", "in-a-policy", "recursive"],
)
def test_1_an_alias_bomb_is_refused_quickly(tmp_path, extra, words):
    path = tmp_path / "bomb.yaml"
    path.write_text(_erlang_check_text(extra), encoding="utf-8")
    assert words in _refusal_in_a_child(path)


def test_1_a_merge_key_bomb_is_refused_while_reading(tmp_path):
    # YAML's merge key copies the merged mapping inside PyYAML itself: counted as read
    lines = ["    m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}"]
    for level in range(1, 10):
        lines.append(f"    m{level}: &m{level} {{<<: [" + ", ".join([f"*m{level - 1}"] * 10) + "]}")
    path = tmp_path / "merge.yaml"
    path.write_text(_erlang_check_text("policies:\n  p:\n" + "\n".join(lines)), "utf-8")
    assert "values in all" in _refusal_in_a_child(path)


def test_1_an_alias_bomb_given_as_python_data_is_refused_too():
    bomb: Any = ["lol"] * 10
    for _level in range(9):
        bomb = [bomb] * 10  # shared lists: what a YAML alias becomes
    data = yaml.safe_load(_erlang_check_text())
    data["policies"] = {"bomb": {"description": bomb}}
    with pytest.raises(ScenarioError, match=r"policies\.bomb\.description.*values in all"):
        load_scenario(data)


def test_1_anchors_and_aliases_of_a_sensible_size_still_load(tmp_path):
    text = _erlang_check_text().replace(
        "patience_min: {dist: exponential, mean: 2.0}",
        "patience_min: &patience {dist: exponential, mean: 2.0}",
    )
    text += "policies:\n  same: {segments: {caller: {patience_min: *patience}}}\n"
    text += "  merged: {<<: {horizon_days: 3}}\n"
    path = tmp_path / "anchors.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).with_policy("merged").horizon_days == 3


def test_1_a_long_value_is_shown_short():
    data = yaml.safe_load(_erlang_check_text())
    data["horizon_days"] = "9" * 5000
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    assert len(str(caught.value)) < 150


@pytest.mark.parametrize(
    ("field", "levels"),
    [("horizon_days", 450), ("description", 5000), ("policies", 300)],
)
def test_2_deep_nesting_is_refused_with_its_field(tmp_path, field, levels):
    deep = "[" * levels + "]" * levels
    if field == "policies":
        text = _erlang_check_text(f"policies:\n  deep: {{description: {deep}}}\n")
        where = "policies.deep.description[0][0]"
    else:
        text = _erlang_check_text().replace(f"\n{field}:", f"\n{field}: {deep}\nold_{field}:")
        text = "\n".join(line for line in text.splitlines() if not line.startswith("old_"))
        where = f"{field}[0][0]"
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    message = _refusal_in_a_child(path)
    assert f"{path}: {where}" in message
    assert "nested more than 20 levels deep; allowed: at most 20" in message


def test_2_deep_nesting_given_as_python_data_is_refused():
    deep: Any = 1.0
    for _level in range(300):
        deep = [deep]
    with pytest.raises(ScenarioError, match="nested more than 20 levels"):
        load_scenario({**yaml.safe_load(_erlang_check_text()), "policies": {"p": {"x": deep}}})


def test_3_a_long_warm_up_with_an_hourly_rota_is_refused_before_running(tmp_path):
    data = yaml.safe_load(_erlang_check_text())
    data["warmup_days"] = 1e9
    data["touchpoints"][0]["staff"] = [10] * 24
    with pytest.raises(ScenarioError, match="warmup_days: must be at most 3660, got 1e"):
        cxsim.simulate(data, days=0.25)


def test_3_the_run_size_guard_counts_hourly_rows():
    data = yaml.safe_load(_erlang_check_text())
    data.update(horizon_days=3000, warmup_days=0, arrivals={"rate_per_hour": 0.01})
    phone = data["touchpoints"][0]
    data["touchpoints"] = [phone] + [{**phone, "name": f"line{n}"} for n in range(39)]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    assert "horizon_days: 72,000 hours (warm-up included) at 40 touchpoints make 2,880,000" in str(
        caught.value
    )


def test_3_the_run_size_guard_counts_steps_returns_and_referrals():
    # a journey of 100 steps: each arrival is 100 visits
    data = yaml.safe_load(_erlang_check_text())
    data["arrivals"]["rate_per_hour"] = 10
    data["horizon_days"] = 3000
    data["journeys"][0]["steps"] = [{"touchpoint": "phone"}] * 100
    assert load_scenario(
        {**data, "journeys": [{"name": "call", "steps": [{"touchpoint": "phone"}]}]}
    )
    with pytest.raises(ScenarioError, match="about 72,024,000 visits over 3001 days"):
        load_scenario(data)
    # customers who come back every minute and never leave
    opening = yaml.safe_load(_erlang_check_text())
    opening["behaviour"] = {
        "segment_defaults": {"inter_purchase_days": {"dist": "deterministic", "value": 1e-9}},
        "retention": {"floor": 0, "ceiling": 0},
    }
    with pytest.raises(ScenarioError, match=r"arrivals\.rate_per_hour: about .* visits"):
        load_scenario(opening)
    # every customer a promoter who brings a friend a tenth of a day later
    opening["behaviour"] = {
        "word_of_mouth": {"referral_probability": 1, "referral_delay_days": 0.1},
    }
    with pytest.raises(ScenarioError, match=r"about \d\.\d\de\+\d+ visits"):
        load_scenario(opening)


def test_4_a_lognormal_mean_of_1e308_is_refused(tmp_path):
    message = _bundled_with(
        tmp_path,
        "contact_centre",
        lambda d: d["touchpoints"][0]["service_min"].update(mean=1e308),
    )
    assert "touchpoints[0].service_min.mean: must be at most 525600, got 1e+308" in message


@pytest.mark.parametrize("steepness", [50, 130, 1e6, 1e300])
def test_4_a_steep_retention_curve_never_overflows(steepness):
    from cxsim.behaviour import leave_probability

    for memory in (-1e6, 0.0, 4.5, 10.0, 1e6):
        chance = leave_probability(memory, steepness=steepness)
        assert 0.01 <= chance <= 0.28


def test_4_a_zero_discount_rate_is_refused(tmp_path):
    # with nobody seen leaving in a short run, a customer's lifetime value had no end
    # and the KPIs raised ValueError (found by setting every number to its bound)
    message = _bundled_with(
        tmp_path,
        "retail_journey",
        lambda d: d.setdefault("economics", {}).update(discount_rate_per_year=0),
    )
    assert "economics.discount_rate_per_year: must be greater than 0, got 0" in message


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ([], "values: must not be empty"),
        ([1.0, -2.0], "values[1]: must be greater than 0, got -2"),
        ([1.0, math.nan], "values[1]: must be a number, got nan"),
        ([1.0, 1e308], "values[1]: must be at most 525600, got 1e+308"),
        ("abc", "values: must be a list, got 'abc'"),
    ],
    ids=["empty", "negative", "nan", "huge", "text"],
)
def test_5_empirical_values_are_checked(tmp_path, values, words):
    message = _bundled_with(
        tmp_path,
        "erlang_check",
        lambda d: d["touchpoints"][0].update(
            service_min={"dist": "empirical", "file": "x.csv", "column": "x", "values": values}
        ),
    )
    assert f"touchpoints[0].service_min.{words}" in message


def test_5_an_empirical_file_outside_data_is_not_read(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n", encoding="utf-8")
    data = yaml.safe_load(_erlang_check_text())
    data["touchpoints"][0]["service_min"] = {
        "dist": "empirical",
        "file": str(secret),
        "column": "password",
    }
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    assert "touchpoints[0].service_min: no data file" in str(caught.value)
    assert "allowed: a CSV file inside that folder" in str(caught.value)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["touchpoints"][0].update(name="ph\ud800one"), "touchpoints[0].name"),
        (lambda d: d["segments"][0].update(name="\udcff"), "segments[0].name"),
        (lambda d: d.update(policies={"p\ud800": {"horizon_days": 2}}), "policies.p\\ud800"),
        (lambda d: d.update(description="\ud800"), "description"),
    ],
    ids=["touchpoint", "segment", "policy-name", "description"],
)
def test_6_a_lone_surrogate_is_refused_naming_the_field(tmp_path, change, where):
    message = _bundled_with(tmp_path, "erlang_check", change)
    assert f": {where}: a lone surrogate " in message
    message.encode("utf-8")  # the message itself prints


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
