"""Morale measured, not assumed (issue 14, part 5): every contact scored with and without
the morale term on one sample path, the difference reported with its interval."""

from __future__ import annotations

import pytest

import cxsim
from cxsim import load_scenario


def _bank(**morale):
    scenario = load_scenario("contact_centre")
    if morale:
        scenario = scenario.with_overrides(
            {f"behaviour.morale.{key}": value for key, value in morale.items()}
        )
    return cxsim.simulate(scenario, seed=1, days=7)


def test_the_actual_column_is_the_runs_own_kpis():
    result = _bank()
    table, kpis = result.morale_effect(), result.kpis()
    assert table.loc["csat", "actual"] == pytest.approx(kpis["csat"])
    assert table.loc["nps", "actual"] == pytest.approx(kpis["nps"])
    assert table.loc["mean_memory_score", "actual"] == pytest.approx(kpis["mean_memory_score"])


def test_no_morale_link_no_difference():
    table = _bank(morale_effect=0.0).morale_effect()
    assert (table["difference"] == 0).all()
    assert (table["actual"] == table["without_morale"]).all()


def test_the_sign_follows_morale_against_its_reference():
    """Staff above their reference morale make customers a little happier, below it a
    little less; the interval excludes 0 in both cases."""
    above = _bank(reference_morale=0.5).morale_effect()
    below = _bank(reference_morale=0.95).morale_effect()
    assert above.loc["csat", "ci_low"] > 0
    assert below.loc["csat", "ci_high"] < 0
    # the same customers and queue: only the morale term differs
    assert (
        above.loc["csat", "ci_low"]
        <= above.loc["csat", "difference"]
        <= above.loc["csat", "ci_high"]
    )


def test_morale_moves_satisfaction_far_less_than_the_queue():
    """Lesson 07's honest size: at 40 calls an hour morale is worth a few CSAT points,
    while lean against generous differs by tens of points."""
    from cxsim.lessons import staff as lesson

    runs = {
        p: cxsim.simulate(lesson.scenario_at(40, policy=p), seed=1, days=14)
        for p in ("lean", "generous")
    }
    effect = {p: r.morale_effect().loc["csat", "difference"] for p, r in runs.items()}
    gap = runs["generous"].kpis()["csat"] - runs["lean"].kpis()["csat"]
    assert all(abs(value) < 0.05 for value in effect.values()), effect
    assert gap > 0.25


def test_a_pure_queueing_run_has_no_morale():
    with pytest.raises(ValueError, match="behaviour"):
        cxsim.simulate("erlang_check", seed=0, days=0.5).morale_effect()
