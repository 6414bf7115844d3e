"""The assumptions panel (issue 16 item 5): the file, the re-runs, the verdicts, the view."""

from __future__ import annotations

import math
import re

import pytest

from cxsim import assumptions
from cxsim.assumptions import (
    TEXTS,
    AssumptionsError,
    load_assumptions,
    outcome,
    robustness,
    value_at,
)
from cxsim.catalog import load_scenario
from cxsim.experiments import SerialExecutor, compare
from cxsim.i18n import _, set_language
from cxsim.lessons import courtesy

CORE = ("01", "02", "03", "04", "05")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("CXSIM_CACHE", str(tmp_path / "cache"))
    set_language("en")
    yield
    set_language("en")


# --------------------------------------------------------------------------- the file
def test_every_core_lesson_has_two_or_three_assumptions_with_reasons():
    lessons = load_assumptions()
    assert set(CORE) <= set(lessons)
    for lesson in CORE:
        spec = lessons[lesson]
        assert 2 <= len(spec.assumptions) <= 3, lesson
        for item in spec.assumptions:
            label, reason = TEXTS[lesson]["assumptions"][item.name]
            assert len(label) > 10 and len(reason) > 40, (lesson, item.name)
            assert item.low < item.default < item.high


def test_defaults_are_the_scenarios_own_values():
    for lesson, spec in load_assumptions().items():
        scenario = load_scenario(spec.scenario)
        for item in spec.assumptions:
            assert value_at(scenario, item.path) == pytest.approx(item.default), (lesson, item)


def test_persian_texts_have_no_latin_beyond_claim_numbers():
    set_language("fa")
    for lesson in CORE:
        texts = TEXTS[lesson]
        shown = [texts["conclusion"], texts["policy"], texts["against"]]
        for label, reason in texts["assumptions"].values():
            shown += [label, reason]
        for english in shown:
            persian = _(english)
            assert persian != english, english
            latin = re.sub(r"\b(?:[NQ]\d+|NPS|CSAT)\b", "", persian)
            assert not re.search("[A-Za-z]", latin), persian


def _write(tmp_path, text: str):
    path = tmp_path / "assumptions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _good() -> str:
    return assumptions.assumptions_path().read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            ("default: 5.0     # data/defaults.yaml: Q1, Q2, N5", "default: 4.0  #"),
            "default",
            "not the scenario's value",
        ),
        (
            ("scenario: airport_security", "scenario: airport"),
            "lessons.03.scenario",
            "not a bundled scenario",
        ),
        (("kpi: bad_journey_rate", "kpi: happiness"), "lessons.04.kpi", "not a KPI"),
        (("policy: courteous_staff", "policy: smiles"), "lessons.03.policy", "not a policy of"),
        (("low: 0.19", "low: 0.5"), "lessons.05.assumptions[0]", "low < default < high"),
        (
            ("path: behaviour.bad_memory_below", "path: behaviour.bad_memory"),
            "lessons.04.assumptions[0].path",
            "not a number of scenario",
        ),
        (('"05":', "5:"), "lessons.5", "allowed: 01"),
    ],
)
def test_a_bad_file_says_which_field_and_what_is_allowed(tmp_path, change, field, words):
    old, new = change
    text = _good()
    assert old in text, old
    path = _write(tmp_path, text.replace(old, new, 1))
    with pytest.raises(AssumptionsError) as error:
        load_assumptions(path)
    message = str(error.value)
    assert str(path) in message and field in message and words in message, message
    assert "\n" not in message


def test_a_file_that_is_not_yaml_or_not_a_mapping(tmp_path):
    with pytest.raises(AssumptionsError, match="not valid YAML"):
        load_assumptions(_write(tmp_path, "lessons: [1, 2\n"))
    with pytest.raises(AssumptionsError, match="one key, lessons"):
        load_assumptions(_write(tmp_path, "- 1\n- 2\n"))
    with pytest.raises(AssumptionsError, match="nested more than"):
        load_assumptions(_write(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n"))


# --------------------------------------------------------------------------- the runs
def test_outcome_follows_sign_and_interval():
    assert outcome(0.05, 0.02, 0.08, +1) == "survives"
    assert outcome(0.05, -0.01, 0.11, +1) == "held"
    assert outcome(-0.01, -0.04, 0.02, +1) == "lost"
    assert outcome(-0.06, -0.08, -0.04, +1) == "reversed"
    assert outcome(-0.06, -0.08, -0.04, -1) == "survives"


@pytest.mark.parametrize("lesson", CORE)
def test_default_rows_are_the_lessons_comparison_run_directly(lesson):
    """Short runs (2 replications of one day) keep this quick; the code path is the same."""
    spec = load_assumptions()[lesson]
    result = robustness(lesson, replications=2, days=1)
    direct = compare(
        spec.scenario,
        {"against": spec.against, "policy": spec.policy},
        2,
        seed=spec.seed,
        days=1,
        executor=SerialExecutor(),
        progress=False,
    ).differences()
    row = direct[direct["kpi"] == spec.kpi].iloc[0]
    assert len(result.rows) == 3 * len(spec.assumptions)
    for item in spec.assumptions:
        default = result.row(item.name, "default")
        assert default.value == item.default
        assert default.difference == pytest.approx(row["mean_difference"], rel=1e-12, abs=1e-9)
        assert default.ci_low == pytest.approx(row["ci_low"], rel=1e-12, abs=1e-9)
        for level in ("low", "high"):
            other = result.row(item.name, level)
            assert other.outcome == outcome(
                other.difference, other.ci_low, other.ci_high, spec.sign
            )


def test_lesson_03_default_is_its_policy_table():
    """The panel's default row is lesson 03's own comparison (courtesy.compare_policies)."""
    result = robustness("03", replications=3, days=2)
    runs = courtesy.compare_policies(n=3, days=2, seed=0).runs.set_index(["policy", "replication"])
    gap = (runs.loc["courteous_staff", "csat"] - runs.loc["more_lanes", "csat"]).mean()
    assert result.default.difference == pytest.approx(gap, rel=1e-12)


def test_n5_reverses_when_courtesy_weighs_little():
    """Review problem 8: with courtesy worth 2 points instead of 5, one more lane beats
    courtesy training on CSAT, significantly; at the default, training wins."""
    spec = load_assumptions()["03"]
    weight = spec.assumption("courtesy_weight")
    assert weight.low == 2.0
    rows = {}
    for value in (weight.low, weight.default):
        overrides = {} if value == weight.default else {weight.path: value}
        pair = assumptions._pair(spec, overrides, spec.replications, spec.days, spec.seed)
        rows[value] = assumptions._row(spec, weight.name, "low", value, pair)
    assert rows[weight.default].outcome == "survives"
    assert rows[weight.default].difference > 0.02
    assert rows[weight.low].outcome == "reversed"
    assert rows[weight.low].ci_high < 0


def test_rerun_at_a_value_between_reads_like_a_row():
    spec = load_assumptions()["04"]
    item = spec.assumption("bad_below")
    row = assumptions.rerun("04", "bad_below", 5.5)
    assert row.value == 5.5 and row.n == spec.replications
    assert math.isfinite(row.difference) and row.ci_low <= row.difference <= row.ci_high
    # a higher line for "bad" counts more journeys as bad
    low = assumptions.rerun("04", "bad_below", item.default)
    assert row.policy_mean >= low.policy_mean
    with pytest.raises(ValueError, match="has no assumption 'nonsense'; allowed: bad_below"):
        assumptions.rerun("04", "nonsense", 1.0)
    with pytest.raises(ValueError, match="no assumptions panel for lesson '99'"):
        robustness("99")


# --------------------------------------------------------------------------- the view
def test_panel_in_persian_is_right_to_left_and_reruns(monkeypatch):
    from cxsim import assumptions_view

    small = robustness("04", replications=2, days=1)
    monkeypatch.setattr(assumptions_view, "robustness", lambda lesson: small)
    monkeypatch.setattr(
        assumptions_view, "rerun", lambda lesson, name, value: small.row(name, "low")
    )
    set_language("fa")
    box = assumptions_view.panel("04")
    assert "cxsim-rtl" in box._dom_classes
    assert "فرض‌ها (نه تصمیم‌ها)" in box.children[0].value
    box.value_input.value = box.value_input.options[0][1]
    box.run()
    shown = box.message
    assert "نتیجه‌گیری" in shown and not re.search("[0-9]", shown)
    figure = assumptions_view.plot_robustness(small)
    assert len(figure.axes) == 3
