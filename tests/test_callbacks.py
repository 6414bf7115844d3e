"""Callbacks that serve (issue 14, part 3): the firm calls back customers who hung up,
through a virtual queue the same agents serve, within a window and a daily capacity,
at a cost (Armony & Maglaras 2004)."""

from __future__ import annotations

import numpy as np
import pytest
from test_redials import busy_line as redial_line

import cxsim
from cxsim import ScenarioError


def busy_line(
    callback: dict | None = None, staff=3, rate: float = 45, days: float = 3, redial: float = 0.0
) -> dict:
    """The redial tests' busy phone line (mean patience 2 minutes), with callbacks on
    (``callback``: their settings) or off (None)."""
    scenario = redial_line(redial, staff=staff, rate=rate, days=days)
    scenario["levers"] = (
        {"callback": {"enabled": True, **(callback or {})}} if callback is not None else {}
    )
    return scenario


def callbacks(result) -> tuple:
    visits = result.interactions
    return visits[visits["callback"]], visits[~visits["callback"]]


def test_callbacks_are_off_unless_a_policy_turns_them_on():
    result = cxsim.simulate(busy_line(), seed=1)
    made, _ = callbacks(result)
    assert len(made) == 0
    assert result.kpis()["callbacks"] == 0 and result.kpis()["callback_cost"] == 0


def test_a_callback_serves_the_customer_who_hung_up():
    off = cxsim.simulate(busy_line(), seed=2)
    on = cxsim.simulate(busy_line({}), seed=2)
    made, inbound = callbacks(on)
    served = made[made["served"]]
    assert len(served) > 100
    # every callback follows a hang-up of the same journey, at the same touchpoint
    hung_up = inbound[inbound["abandoned"]].groupby("journey_id")["arrival_min"].max()
    assert set(made["journey_id"]) <= set(hung_up.index)
    # the customer is served: the journey completes and the call has a score
    journeys = on.journeys.set_index("journey_id")
    called = journeys.loc[served["journey_id"]]
    assert (called["status"] == "completed").all()
    assert called["callbacks"].eq(1).all()
    assert served["score"].notna().all()
    # served journeys go up by the callbacks made; hung-up journeys go down
    completed_off = (off.journeys["status"] == "completed").mean()
    completed_on = (on.journeys["status"] == "completed").mean()
    assert completed_on > completed_off + 0.03, (completed_off, completed_on)


def test_callbacks_take_the_same_agents_so_callers_on_hold_wait_longer():
    rows = {}
    for label, plan in (("off", None), ("after_inbound", {}), ("in_turn", {"served": "in_turn"})):
        kpis = [cxsim.simulate(busy_line(plan), seed=seed).kpis() for seed in range(3)]
        rows[label] = {
            key: np.mean([k[key] for k in kpis])
            for key in ("abandonment_rate", "mean_wait_min", "utilisation")
        }
    # the agents' time on callbacks is not there for inbound callers
    assert rows["after_inbound"]["utilisation"] > rows["off"]["utilisation"] + 0.02
    assert rows["after_inbound"]["abandonment_rate"] > rows["off"]["abandonment_rate"]
    # callbacks in turn with the callers on hold cost those callers more than callbacks
    # made only when nobody is on hold
    assert rows["in_turn"]["mean_wait_min"] > rows["after_inbound"]["mean_wait_min"]


def test_waiting_kpis_count_only_the_customers_own_calls():
    result = cxsim.simulate(busy_line({}), seed=3)
    made, inbound = callbacks(result)
    table = result.kpis(by="touchpoint")
    assert table.loc["phone", "arrivals"] == len(inbound)
    assert table.loc["phone", "callbacks"] == int(made["served"].sum())
    assert result.kpis()["abandonment_rate"] == pytest.approx(inbound["abandoned"].mean())
    hourly = result.timeseries
    assert hourly["arrivals"].sum() == len(inbound)


def test_a_callback_is_made_within_its_window_or_dropped():
    result = cxsim.simulate(busy_line({"window_hours": 0.25}, staff=3, rate=50), seed=4)
    made, _ = callbacks(result)
    assert (made["wait_min"] <= 15.0 + 1e-9).all()
    dropped = made[made["abandoned"]]
    assert len(dropped) > 10
    # a dropped callback leaves the journey a hang-up
    journeys = result.journeys.set_index("journey_id")
    assert (journeys.loc[dropped["journey_id"], "status"] == "abandoned").all()


def test_no_more_callbacks_a_day_than_the_capacity():
    result = cxsim.simulate(busy_line({"capacity_per_day": 7}), seed=5)
    made, _ = callbacks(result)
    per_day = (made["arrival_min"] // 1440).value_counts()
    assert per_day.max() == 7
    assert len(per_day) == 3


def test_no_callback_is_made_while_the_line_is_closed():
    scenario = busy_line({"window_hours": 24}, rate=50)
    scenario["touchpoints"][0]["staff"] = [0] * 8 + [3] * 10 + [0] * 6
    scenario["arrivals"]["hourly_profile"] = [0.0] * 8 + [2.4] * 10 + [0.0] * 6
    made, _ = callbacks(cxsim.simulate(scenario, seed=6))
    assert made["served"].sum() > 20
    called_at = (made["arrival_min"] + made["wait_min"])[made["served"]] % 1440 / 60
    assert ((called_at >= 8) & (called_at < 18)).all()


def test_callbacks_cost_what_the_books_say():
    scenario = busy_line({})
    scenario["economics"] = {"callback_cost_per_contact": 3000}
    kpis = cxsim.simulate(scenario, seed=7).kpis()
    assert kpis["callbacks"] > 0
    assert kpis["callback_cost"] == pytest.approx(3000 * kpis["callbacks"])
    assert kpis["cost"] == pytest.approx(
        kpis["staff_cost"] + kpis["training_cost"] + kpis["follow_up_cost"] + kpis["callback_cost"]
    )


def test_a_callback_from_an_unknown_touchpoint_is_refused_clearly():
    scenario = busy_line({"touchpoints": ["phnoe"]})
    with pytest.raises(ScenarioError) as caught:
        cxsim.simulate(scenario)
    message = str(caught.value)
    assert "levers.callback.touchpoints[0]" in message and "'phone'" in message
    assert "\n" not in message.strip()


def test_seeded_runs_with_callbacks_reproduce_to_the_digit():
    first = cxsim.simulate(busy_line({}), seed=8).interactions
    second = cxsim.simulate(busy_line({}), seed=8).interactions
    assert first.equals(second)


def test_a_share_of_callbacks_reach_nobody_and_leave_the_hang_up():
    nobody = cxsim.simulate(busy_line({"reach_probability": 0.0}), seed=9)
    made, _ = callbacks(nobody)
    assert len(made) > 100 and not made["served"].any()
    assert nobody.journeys["callbacks"].sum() == 0
    half = cxsim.simulate(busy_line({"reach_probability": 0.5, "window_hours": 24}), seed=9)
    made, _ = callbacks(half)
    attempted = made[made["served"] | (made["wait_min"] < 24 * 60 - 1e-6)]
    assert 0.42 < attempted["served"].mean() < 0.58
