"""Redials (issue 14, part 2): callers who hang up and call again, bounded, never into a
closed hour, with their own patience (retrials: Aguir, Karaesmen, Aksin & Chauvet 2004)."""

from __future__ import annotations

import numpy as np
import pytest

import cxsim
from cxsim import ScenarioError, load_scenario


def busy_line(
    probability: float, max_redials: int = 2, staff=3, rate: float = 60, days: float = 3
) -> dict:
    """One phone line with impatient callers (mean patience 2 minutes)."""
    return {
        "name": "busy_line",
        "horizon_days": days,
        "arrivals": {"rate_per_hour": rate},
        "segments": [
            {
                "name": "caller",
                "share": 1,
                "journey": "call",
                "patience_min": {"dist": "exponential", "mean": 2.0},
            }
        ],
        # every answered call solves the problem: no second call for that (tries_again)
        "touchpoints": [
            {
                "name": "phone",
                "kind": "staffed",
                "staff": staff,
                "service_min": {"dist": "exponential", "mean": 4.0},
                "resolution_probability": 1.0,
            }
        ],
        "journeys": [{"name": "call", "steps": [{"touchpoint": "phone"}]}],
        "behaviour": {
            "redial": {"probability": probability, "delay_min": 10, "max_redials": max_redials}
        },
    }


def test_a_share_of_callers_who_hang_up_call_again():
    result = cxsim.simulate(busy_line(0.6), seed=3)
    visits, journeys = result.interactions, result.journeys
    abandoned = int(visits["abandoned"].sum())
    redials = int(journeys["redials"].sum())
    assert abandoned > 500
    # each hang-up is followed by a redial with chance 0.6 unless the caller used both
    share = redials / abandoned
    assert 0.45 < share < 0.62, share
    # a redial is another visit of the same journey to the same touchpoint
    per_journey = visits.groupby("journey_id").size()
    assert (per_journey - 1).sum() == redials
    assert journeys["redials"].max() == 2


def test_a_redial_comes_minutes_later_with_a_fresh_patience():
    result = cxsim.simulate(busy_line(1.0, max_redials=1), seed=4)
    visits = result.interactions.sort_values(["journey_id", "arrival_min"])
    twice = visits[visits.duplicated("journey_id", keep=False)]
    first, second = twice.groupby("journey_id").nth(0), twice.groupby("journey_id").nth(1)
    hung_up = first["arrival_min"].to_numpy() + first["wait_min"].to_numpy()
    gaps = second["arrival_min"].to_numpy() - hung_up
    assert (gaps > 0).all()
    assert np.mean(gaps) == pytest.approx(10.0, rel=0.15)  # exponential, mean 10 minutes
    # the second try is not bounded by the first try's patience
    assert (second["wait_min"].to_numpy() > first["wait_min"].to_numpy()).mean() > 0.3


def test_redials_never_go_into_a_closed_hour():
    scenario = busy_line(1.0, max_redials=5)
    scenario["touchpoints"][0]["staff"] = [0] * 9 + [2] * 8 + [0] * 7  # open 09:00-17:00
    result = cxsim.simulate(scenario, seed=5)
    visits = result.interactions
    hours = (visits["arrival_min"] // 60).astype(int) % 24
    assert hours.between(9, 16).all()
    assert result.journeys["redials"].sum() > 100


def test_no_parameter_set_makes_a_retrial_storm():
    """Everyone redials, as often as allowed, on a line at three times its capacity: the
    run ends, and each journey makes at most 1 + max_redials visits."""
    result = cxsim.simulate(busy_line(1.0, max_redials=5, staff=1, rate=45, days=2), seed=6)
    per_journey = result.interactions.groupby("journey_id").size()
    assert per_journey.max() <= 6
    assert len(result.interactions) <= 6 * len(result.journeys)
    with pytest.raises(ScenarioError, match="max_redials"):
        cxsim.simulate(busy_line(1.0, max_redials=6), seed=0)


def test_without_redials_nothing_changes():
    """Redials off (probability 0) draw no random number: the bank's run is the same call
    for call as a run that never heard of redials (the engine stays Erlang A without
    behaviour, tests/test_against_theory.py)."""
    bank = load_scenario("contact_centre").with_overrides({"behaviour.redial.probability": 0})
    off = cxsim.simulate(bank, seed=2, days=3)
    assert off.journeys["redials"].sum() == 0
    never = cxsim.simulate(bank.with_overrides({"behaviour.redial.max_redials": 0}), seed=2, days=3)
    assert off.interactions["wait_min"].equals(never.interactions["wait_min"])
