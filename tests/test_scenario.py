"""Scenario files: what loads, and the one clear error every mistake gets."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pytest
import yaml

import cxsim
from cxsim import ScenarioError, load_scenario

MINIMAL = textwrap.dedent(
    """\
    name: erlang_check
    horizon_days: 20
    warmup_days: 1
    arrivals: {rate_per_hour: 540}
    segments:
      - {name: caller, share: 1.0, journey: call, patience_min: {dist: exponential, mean: 2.0}}
    touchpoints:
      - {name: phone, kind: staffed, staff: 10, service_min: {dist: exponential, mean: 1.0}}
    journeys:
      - {name: call, steps: [{touchpoint: phone}]}
    """
)


def base() -> dict:
    return yaml.safe_load(MINIMAL)


def write(tmp_path: Path, data: object, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def error_for(tmp_path: Path, data: object) -> str:
    path = write(tmp_path, data)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(str(path)), "the message names the file first"
    assert "\n" not in message, "one line"
    return message


def test_the_minimal_file_from_the_issue_loads_as_written(tmp_path):
    scenario = load_scenario(write(tmp_path, MINIMAL))
    assert scenario.arrivals.rate_per_hour == 540
    assert scenario.touchpoints[0].staff == 10
    assert scenario.touchpoints[0].target_wait_min == 5.0  # N1 default
    assert scenario.segments[0].patience_min.mean == 2.0
    assert scenario.total_days == 21


def test_bundled_names_paths_and_mappings_give_the_same_scenario(tmp_path):
    by_name = load_scenario("erlang_check")
    by_path = load_scenario(cxsim.data_dir() / "scenarios" / "erlang_check.yaml")
    by_mapping = load_scenario(yaml.safe_load(MINIMAL))
    assert by_name.touchpoints == by_path.touchpoints == by_mapping.touchpoints
    assert by_name.segments == by_mapping.segments


def test_every_bundled_scenario_and_policy_loads():
    names = cxsim.list_scenarios()
    assert {"erlang_check", "contact_centre", "retail_journey"} <= set(names)
    for name in names:
        scenario = load_scenario(name)
        for policy in scenario.policies:
            assert scenario.with_policy(policy).name == scenario.name


def test_policy_overrides_reach_the_named_touchpoint_only():
    scenario = load_scenario("retail_journey")
    better = scenario.with_policy("better_support")
    assert better.touchpoint("support").hourly_staff[10] == 4
    assert better.touchpoint("support").hourly_staff[3] == 0  # still closed at night
    assert better.touchpoint("store") == scenario.touchpoint("store")


def test_dotted_overrides_equal_nested_ones():
    scenario = load_scenario("erlang_check")
    dotted = scenario.with_overrides({"touchpoints.phone.staff": 8})
    nested = scenario.with_overrides({"touchpoints": {"phone": {"staff": 8}}})
    assert dotted.touchpoint("phone").staff == nested.touchpoint("phone").staff == 8


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            lambda d: d["arrivals"].update(rate_per_hour=-5),
            "arrivals.rate_per_hour",
            ["must be greater than 0", "-5"],
        ),
        (
            lambda d: d["arrivals"].update(rate_per_hour=0),
            "arrivals.rate_per_hour",
            ["must be greater than 0"],
        ),
        (
            lambda d: d["touchpoints"][0]["service_min"].update(mean=0),
            "touchpoints[0].service_min.mean",
            ["must be greater than 0"],
        ),
        (
            lambda d: d["segments"][0].update(share=1.5),
            "segments[0].share",
            ["between 0 and 1", "1.5"],
        ),
        (
            lambda d: d["segments"].append(dict(d["segments"][0], name="other", share=0.3)),
            "segments",
            ["sum to 1", "1 + 0.3"],
        ),
        (
            lambda d: d["journeys"][0]["steps"][0].update(probability=1.2),
            "journeys[0].steps[0].probability",
            ["between 0 and 1"],
        ),
        (
            lambda d: d["journeys"][0]["steps"][0].update(touchpoint="phon"),
            "journeys[0].steps[0].touchpoint",
            ["unknown touchpoint 'phon'", "did you mean 'phone'", "allowed: phone"],
        ),
        (
            lambda d: d["segments"][0].update(journey="cal"),
            "segments[0].journey",
            ["unknown journey 'cal'", "allowed: call"],
        ),
        (
            lambda d: d["touchpoints"][0].update(stafff=d["touchpoints"][0].pop("staff")),
            "touchpoints[0].stafff",
            ["unknown field 'stafff'", "did you mean 'staff'", "service_min"],
        ),
        (
            lambda d: d.update(horizon_dayz=d.pop("horizon_days")),
            "horizon_dayz",
            ["did you mean 'horizon_days'"],
        ),
        (
            lambda d: d["arrivals"].update(hourly_profile=[1.0] * 23),
            "arrivals.hourly_profile",
            ["24 hourly values, got 23"],
        ),
        (
            lambda d: d["touchpoints"][0].update(staff=[3] * 12),
            "touchpoints[0].staff",
            ["24 hourly numbers or a week of them (7 lists of 24), got 12"],
        ),
        (
            lambda d: d["touchpoints"][0].update(staff="ten"),
            "touchpoints[0].staff",
            ["whole number", "'ten'"],
        ),
        (
            lambda d: d["touchpoints"][0].update(staff=-1),
            "touchpoints[0].staff",
            ["must be at least 0", "-1"],
        ),
        (lambda d: d["touchpoints"][0].update(staff=2.5), "touchpoints[0].staff", ["whole number"]),
        (
            lambda d: d["touchpoints"][0].update(kind="robot"),
            "touchpoints[0].kind",
            ["'robot'", "staffed", "self_service"],
        ),
        (
            lambda d: d["touchpoints"][0]["service_min"].update(dist="expo"),
            "touchpoints[0].service_min",
            ["unknown distribution 'expo'", "exponential", "lognormal", "empirical"],
        ),
        (lambda d: d["touchpoints"][0].pop("staff"), "touchpoints[0]", ["needs 'staff'"]),
        (lambda d: d.update(horizon_days="soon"), "horizon_days", ["must be a number", "soon"]),
        (lambda d: d.update(segments=[]), "segments", ["must not be empty"]),
        (
            lambda d: (
                d["touchpoints"][0]["service_min"].update(dist="uniform", low=5, high=2)
                or d["touchpoints"][0]["service_min"].pop("mean")
            ),
            "touchpoints[0].service_min",
            ["high (2) must be greater than low (5)"],
        ),
        (
            lambda d: d.update(policies={"lean": {"touchpoints": {"phon": {"staff": 8}}}}),
            "policies.lean.touchpoints.phon",
            ["unknown touchpoint 'phon'", "allowed: phone"],
        ),
        (
            lambda d: d.update(policies={"lean": {"touchpoints": {"phone": {"staff": -8}}}}),
            "policies.lean -> touchpoints[0].staff",
            ["must be at least 0"],
        ),
        (
            lambda d: d["arrivals"].update(rate_per_hour=5e5),
            "arrivals.rate_per_hour",
            ["more than the"],
        ),
    ],
    ids=[
        "negative-rate",
        "zero-rate",
        "zero-mean",
        "share-over-1",
        "shares-not-summing",
        "probability-over-1",
        "unknown-touchpoint",
        "unknown-journey",
        "misspelled-field",
        "misspelled-top-field",
        "profile-not-24",
        "schedule-not-24",
        "staff-wrong-type",
        "negative-staff",
        "fractional-staff",
        "unknown-kind",
        "unknown-distribution",
        "staffed-without-staff",
        "horizon-wrong-type",
        "no-segments",
        "uniform-reversed",
        "policy-unknown-touchpoint",
        "policy-bad-value",
        "runaway-size",
    ],
)
def test_each_mistake_gets_one_clear_error_naming_file_field_and_allowed(
    tmp_path, change, path, words
):
    data = copy.deepcopy(base())
    change(data)
    message = error_for(tmp_path, data)
    assert f": {path}: " in message, message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", ["empty"]),
        ("# only a comment\n", ["empty"]),
        ("name: [unclosed\n", ["not valid YAML", "line"]),
        ("- just\n- a list\n", ["expected a mapping"]),
        ("name: x\n", ["required fields are missing", "horizon_days", "journeys"]),
    ],
    ids=["empty-file", "comment-only", "not-yaml", "a-list", "nearly-empty"],
)
def test_files_that_are_not_scenarios(tmp_path, content, words):
    message = error_for(tmp_path, content)
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("a: &a [*a]\n", ["a[0]: more than 20,000 values in all"]),
        ("name: " + "[" * 50 + "]" * 50 + "\n", ["name[0]", "nested more than 20 levels"]),
        ("name: x\n\u2028: 1\n", ["not valid YAML"]),
        ("name: x\nhorizon_days: 1\n\u202e: 1\n", ["\\u202e: unknown field '\\u202e'"]),
        ("name: x\nhorizon_days: 1\n'a\tb': 1\n", ["a\\tb: unknown field 'a\\tb'"]),
        ("? [a, b]\n: " + "[" * 30 + "]" * 30 + "\n", ["?[0][0]", "nested more than"]),
        ("? [a, b]\n: 1\n", ["not valid YAML (line 1): found unhashable key"]),
    ],
    ids=[
        "recursive-alias",
        "deep",
        "line-separator",
        "right-to-left-override",
        "tab-in-a-key",
        "deep-under-a-list-as-key",
        "a-list-as-key",
    ],
)
def test_odd_files_get_one_printable_line(tmp_path, content, words):
    message = error_for(tmp_path, content)
    for word in words:
        assert word in message
    assert message.isprintable()


def test_a_file_too_large_for_a_scenario(tmp_path):
    path = write(tmp_path, MINIMAL + "#" * 1_000_001 + "\n")
    with pytest.raises(ScenarioError, match="more than 1,000,000 bytes; allowed: at most"):
        load_scenario(path)


def test_error_messages_cut_long_paths_and_lists():
    error = ScenarioError("f.yaml", "a" * 500, "bad")
    assert error.path == "a" * 500  # the parts keep everything
    assert len(str(error)) < 140 and "…" in str(error)
    data = base()
    data["touchpoints"] = [
        {**data["touchpoints"][0], "name": f"{n:03d}" + "x" * 100} for n in range(60)
    ]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    assert "unknown touchpoint 'phone'" in str(caught.value)
    assert len(str(caught.value)) < 1200 and str(caught.value).endswith(", …")


@pytest.mark.parametrize(
    ("field", "count"),
    [("segments", 101), ("touchpoints", 101), ("journeys", 101), ("policies", 51)],
)
def test_lists_of_named_items_are_bounded(field, count):
    data = base()
    if field == "policies":
        data["policies"] = {f"p{n}": {"horizon_days": 2} for n in range(count)}
    else:
        data[field] = [{**data[field][0], "name": f"x{n}"} for n in range(count)]
    with pytest.raises(ScenarioError, match=f"{field}: has {count} items; allowed: at most"):
        load_scenario(data)


def test_a_seed_is_a_whole_number_from_0():
    for seed in (-1, 1.5, True, 2**64):
        with pytest.raises(ScenarioError, match="seed: must be a whole number from 0 to"):
            cxsim.simulate("erlang_check", seed=seed, days=0.01)


def test_missing_file_and_unknown_bundled_name():
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario("/no/such/file.yaml")
    with pytest.raises(ScenarioError, match="bundled: .*contact_centre"):
        load_scenario("contact_center")


def test_scenario_error_is_a_value_error_with_its_parts(tmp_path):
    data = base()
    data["arrivals"]["rate_per_hour"] = -1
    path = write(tmp_path, data)
    with pytest.raises(ValueError) as caught:
        load_scenario(path)
    error = caught.value
    assert isinstance(error, ScenarioError)
    assert (error.source, error.path) == (str(path), "arrivals.rate_per_hour")


def test_unknown_policy_is_named_with_the_allowed_ones():
    with pytest.raises(ScenarioError, match="unknown policy 'lazy'; allowed: lean, generous"):
        cxsim.simulate("contact_centre", policy="lazy")


def test_zero_staff_at_every_hour_is_a_closed_touchpoint_nobody_queues_at():
    """0 staff means closed (not a queue nobody serves): with no open hour to come back
    in, every customer is turned away, and nobody waits or abandons."""
    data = base()
    data["touchpoints"][0]["staff"] = 0
    data["horizon_days"], data["warmup_days"] = 0.2, 0
    result = cxsim.simulate(data, seed=3)
    assert len(result.customers) > 2000
    assert len(result.interactions) == 0
    assert (result.customers["outcome"] == "turned_away").all()
    assert (result.journeys["found_closed"] == 1).all()


def test_empirical_service_times_come_from_the_csv():
    scenario = load_scenario("retail_journey")
    support = scenario.touchpoint("support").service_min.build()
    assert len(support.values) == 500
    assert support.mean == pytest.approx(3.7, rel=0.05)


def test_empirical_with_a_wrong_column_names_the_columns(tmp_path):
    data = base()
    data["touchpoints"][0]["service_min"] = {
        "dist": "empirical",
        "file": "samples/handle_times.csv",
        "column": "seconds",
    }
    message = error_for(tmp_path, data)
    assert "touchpoints[0].service_min" in message
    assert "allowed: minutes" in message


def test_simulate_rejects_a_nonsense_horizon():
    with pytest.raises(ScenarioError, match="days: must be a number > 0"):
        cxsim.simulate("erlang_check", days=-1)


@pytest.mark.parametrize(
    ("overrides", "path", "words"),
    [
        ({"behaviour": {"retension": {}}}, "behaviour.retension", ["did you mean 'retention'"]),
        (
            {"behaviour": {"retention": {"midpoint": 12}}},
            "behaviour.retention.midpoint",
            ["must be at most 10", "12"],
        ),
        ({"behaviour": {"memory": "peek"}}, "behaviour.memory", ["'peak_end'", "'average'"]),
        ({"levers": {"training": 1.5}}, "levers.training", ["between 0 and 1"]),
        (
            {
                "touchpoints": [
                    {**yaml.safe_load(MINIMAL)["touchpoints"][0], "operator": "franchise"}
                ]
            },
            "touchpoints[0].operator",
            ["in_house", "agent"],
        ),
    ],
    ids=[
        "misspelled-section-field",
        "midpoint-over-10",
        "unknown-memory",
        "training-over-1",
        "unknown-operator",
    ],
)
def test_behaviour_sections_get_the_same_clear_errors(tmp_path, overrides, path, words):
    data = {**base(), "behaviour": {}, **overrides}
    if "behaviour" in overrides:
        data["behaviour"] = overrides["behaviour"]
    message = error_for(tmp_path, data)
    assert f": {path}: " in message, message
    for word in words:
        assert word in message, message


def test_a_scenario_keeps_its_defaults_and_reader_for_its_variants():
    retail = load_scenario("retail_journey")
    support = retail.with_overrides({"touchpoints.support.staff": 3})
    assert (
        support.touchpoint("support").service_min.values
        == retail.touchpoint("support").service_min.values
    )
    plain = load_scenario(
        {
            "name": "q",
            "horizon_days": 1,
            "arrivals": {"rate_per_hour": 5},
            "segments": [{"name": "s", "share": 1, "journey": "j"}],
            "touchpoints": [
                {
                    "name": "t",
                    "kind": "staffed",
                    "staff": 1,
                    "service_min": {"dist": "exponential", "mean": 5},
                }
            ],
            "journeys": [{"name": "j", "steps": [{"touchpoint": "t"}]}],
        }
    )
    # opening a behaviour section on a variant fills it from data/defaults.yaml
    assert plain.with_overrides({"behaviour": {}}).behaviour.redial.max_redials == 2
