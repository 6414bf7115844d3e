"""Properties every run must have, whatever the scenario.

Random small scenarios (hypothesis) check the bookkeeping a user relies on when
reading the tables: every customer is accounted for, times never run backwards,
nobody is served by staff who are not there, nobody hangs up who never would.
Plain tests check Little's law, reproducibility, common random numbers across
policies, priorities and hourly rosters.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxsim

MINUTES_PER_DAY = 1440.0
VISIT_OUTCOMES = {"waiting", "in_service", "served", "abandoned"}
CUSTOMER_OUTCOMES = {"open", "completed", "abandoned", "turned_away"}
# Times are sums of floats computed in different orders: allow a few ulps.
TIME_TOLERANCE = 1e-9

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,  # no .hypothesis/ folder in a shared working tree
    derandomize=True,  # the same examples on every machine: a failure reproduces
    suppress_health_check=[HealthCheck.too_slow],
)

# --------------------------------------------------------------------------- strategies

positive_mean = st.floats(min_value=0.5, max_value=5.0)


@st.composite
def time_distributions(draw: st.DrawFn, mean: float | None = None) -> dict[str, Any]:
    """A service or patience time: exponential, lognormal, uniform or deterministic."""
    mean = draw(positive_mean) if mean is None else mean
    kind = draw(st.sampled_from(["exponential", "lognormal", "uniform", "deterministic"]))
    if kind == "exponential":
        return {"dist": "exponential", "mean": mean}
    if kind == "lognormal":
        return {"dist": "lognormal", "mean": mean, "cv": draw(st.floats(0.1, 2.0))}
    if kind == "uniform":
        spread = draw(st.floats(0.1, 1.0)) * mean
        return {"dist": "uniform", "low": mean - spread, "high": mean + spread}
    return {"dist": "deterministic", "value": mean}


@st.composite
def touchpoints(draw: st.DrawFn, name: str) -> dict[str, Any]:
    """A staffed touchpoint (0..8 people, or an hourly rota) or a self-service one."""
    touchpoint: dict[str, Any] = {"name": name, "service_min": draw(time_distributions())}
    if draw(st.booleans()):
        touchpoint["kind"] = "self_service"
        return touchpoint
    touchpoint["kind"] = "staffed"
    touchpoint["staff"] = draw(
        st.integers(0, 8) | st.lists(st.integers(0, 8), min_size=24, max_size=24)
    )
    return touchpoint


@st.composite
def scenarios(draw: st.DrawFn, patience: bool | None = None) -> dict[str, Any]:
    """A small random world: 1-3 touchpoints, 1-2 segments, journeys of 1-3 steps.

    ``patience=None`` lets each segment be patient or not at random; ``False``
    makes every segment infinitely patient; ``True`` gives every segment a patience.
    """
    names = [f"tp{i}" for i in range(draw(st.integers(1, 3)))]
    journeys = [
        {
            "name": f"j{j}",
            "steps": [
                {
                    "touchpoint": draw(st.sampled_from(names)),
                    "probability": draw(st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0, 1)),
                }
                for _ in range(draw(st.integers(1, 3)))
            ],
        }
        for j in range(draw(st.integers(1, 2)))
    ]
    share = draw(st.sampled_from([0.0, 1.0]) | st.floats(0, 1))
    shares = [1.0] if draw(st.booleans()) else [share, 1.0 - share]
    segments = []
    for index, segment_share in enumerate(shares):
        segment: dict[str, Any] = {
            "name": f"s{index}",
            "share": segment_share,
            "journey": draw(st.sampled_from([j["name"] for j in journeys])),
            "priority": draw(st.integers(0, 1)),
        }
        patient = draw(st.booleans()) if patience is None else not patience
        if not patient:
            segment["patience_min"] = draw(time_distributions(mean=draw(st.floats(0.5, 10.0))))
        segments.append(segment)
    return {
        "name": "random",
        "horizon_days": draw(st.floats(0.5, 2.0)),
        "warmup_days": draw(st.sampled_from([0.0, 0.5]) | st.floats(0.0, 0.5)),
        "arrivals": {"rate_per_hour": draw(st.floats(30.0, 600.0))},
        "segments": segments,
        "touchpoints": [draw(touchpoints(name)) for name in names],
        "journeys": journeys,
    }


# --------------------------------------------------------------------------- helpers


def journey_lengths(scenario: dict[str, Any]) -> dict[str, int]:
    return {journey["name"]: len(journey["steps"]) for journey in scenario["journeys"]}


def visits_by_customer(result: cxsim.Result) -> pd.DataFrame:
    """Visits joined with their customer's row, in step order."""
    customers = result.customers[
        ["customer_id", "arrival_min", "end_min", "outcome", "segment", "journey"]
    ]
    visits = result.interactions.merge(
        customers, on="customer_id", how="left", suffixes=("", "_customer"), validate="many_to_one"
    )
    return visits.sort_values(["customer_id", "step"], kind="stable").reset_index(drop=True)


def never_staffed(scenario: dict[str, Any]) -> list[str]:
    """Staffed touchpoints with nobody on duty in any hour."""
    return [
        t["name"]
        for t in scenario["touchpoints"]
        if t["kind"] == "staffed" and not np.any(t["staff"])
    ]


def world(
    name: str,
    rate_per_hour: float,
    segments: list[dict[str, Any]],
    touchpoints: list[dict[str, Any]],
    journeys: list[dict[str, Any]],
    **fields: Any,
) -> dict[str, Any]:
    """A scenario mapping from its parts (for the plain tests)."""
    return {
        "name": name,
        "arrivals": {"rate_per_hour": rate_per_hour},
        "segments": segments,
        "touchpoints": touchpoints,
        "journeys": journeys,
        **fields,
    }


def staffed(name: str, staff: int | list[int], mean: float) -> dict[str, Any]:
    return {
        "name": name,
        "kind": "staffed",
        "staff": staff,
        "service_min": {"dist": "exponential", "mean": mean},
    }


def exponential(mean: float) -> dict[str, Any]:
    return {"dist": "exponential", "mean": mean}


# --------------------------------------------------------------------------- bookkeeping


@PROPERTY_SETTINGS
@given(scenario=scenarios(), seed=st.integers(0, 2**31 - 1))
def test_every_customer_and_visit_is_accounted_for(scenario: dict[str, Any], seed: int) -> None:
    """Each customer ends completed, abandoned or still open; each visit has a known outcome;

    a customer walks at most their journey's steps, in order, and one who hung up
    did so exactly once, at their last visit.
    """
    result = cxsim.simulate(scenario, seed=seed)
    customers, visits = result.customers, result.interactions

    assert customers["customer_id"].is_unique
    assert set(customers["outcome"].astype(str)) <= CUSTOMER_OUTCOMES
    assert set(visits["outcome"].astype(str)) <= VISIT_OUTCOMES
    assert visits["customer_id"].isin(customers["customer_id"]).all()
    assert (visits["served"] == (visits["outcome"] == "served")).all()
    assert (visits["abandoned"] == (visits["outcome"] == "abandoned")).all()

    joined = visits_by_customer(result)
    assert (joined["segment"].astype(str) == joined["segment_customer"].astype(str)).all()
    assert (joined["journey"].astype(str) == joined["journey_customer"].astype(str)).all()

    lengths = journey_lengths(scenario)
    per_customer = joined.groupby("customer_id", sort=False)
    counts = per_customer.size()
    journey_of = customers.set_index("customer_id")["journey"].astype(str)
    assert (counts <= journey_of.loc[counts.index].map(lengths)).all()
    # Steps are numbered 0, 1, 2... without gaps.
    assert (joined["step"] == per_customer.cumcount()).all()

    last = per_customer.tail(1).set_index("customer_id")
    earlier = joined.drop(index=per_customer.tail(1).index)
    # Only a customer's last visit can be unfinished or abandoned.
    assert (earlier["outcome"] == "served").all()
    outcome = customers.set_index("customer_id")["outcome"].astype(str)
    abandoned_visits = joined[joined["abandoned"]].groupby("customer_id").size()
    abandoned_customers = outcome[outcome == "abandoned"].index
    assert set(abandoned_visits.index) == set(abandoned_customers)
    assert (abandoned_visits == 1).all()
    expected = (
        last["outcome"]
        .astype(str)
        .map(
            {
                "served": "completed",
                "abandoned": "abandoned",
                "waiting": "open",
                "in_service": "open",
            }
        )
    )
    # A customer who found a touchpoint closed (0 staff) after their last visit is on
    # their way back to it, turned away, or went on past it (skip); anyone else's outcome
    # is their last visit's.
    found_closed = result.journeys.groupby("customer_id")["found_closed"].sum() > 0
    closed = found_closed.loc[expected.index]
    assert (outcome.loc[expected.index][~closed] == expected[~closed]).all()
    after_closed = outcome.loc[expected.index][closed]
    assert (
        (after_closed == expected[closed]) | after_closed.isin(["open", "turned_away", "completed"])
    ).all()
    # A customer with no visit at all (every step skipped) is done at once, unless the
    # first staffed step was closed.
    no_visits = outcome.drop(index=counts.index)
    assert (no_visits[~found_closed.loc[no_visits.index]] == "completed").all()
    assert (
        no_visits[found_closed.loc[no_visits.index]]
        .isin(["open", "turned_away", "completed"])
        .all()
    )
    # Only open customers lack an end time.
    assert (customers["end_min"].isna() == (customers["outcome"] == "open")).all()


@PROPERTY_SETTINGS
@given(scenario=scenarios(), seed=st.integers(0, 2**31 - 1))
def test_times_never_run_backwards(scenario: dict[str, Any], seed: int) -> None:
    """Waits are never negative, service is never negative, nobody is anywhere before they

    arrive, and a customer reaches step k+1 only after waiting for and being served at step k.
    """
    result = cxsim.simulate(scenario, seed=seed)
    start, end = result.window
    visits, customers = result.interactions, result.customers
    assert start == pytest.approx(scenario["warmup_days"] * MINUTES_PER_DAY)
    assert end == pytest.approx(
        (scenario["warmup_days"] + scenario["horizon_days"]) * MINUTES_PER_DAY
    )

    assert (customers["arrival_min"] >= 0).all() and (customers["arrival_min"] < end).all()
    assert customers["arrival_min"].is_monotonic_increasing
    finished = customers.dropna(subset=["end_min"])
    assert (finished["end_min"] >= finished["arrival_min"]).all()
    assert (finished["end_min"] <= end).all()

    assert (visits["wait_min"] >= 0).all()
    assert (visits["arrival_min"] + visits["wait_min"] <= end + TIME_TOLERANCE).all()
    started = visits["outcome"].isin(["served", "in_service"])
    assert (visits.loc[started, "service_min"] >= 0).all()
    assert visits.loc[~started, "service_min"].isna().all()
    self_service = [t["name"] for t in scenario["touchpoints"] if t["kind"] == "self_service"]
    assert (visits.loc[visits["touchpoint"].isin(self_service), "wait_min"] == 0).all()

    joined = visits_by_customer(result)
    assert (joined["arrival_min"] >= joined["arrival_min_customer"]).all()
    finish = joined["arrival_min"] + joined["wait_min"] + joined["service_min"].fillna(0.0)
    same_customer = joined["customer_id"].eq(joined["customer_id"].shift())
    previous_finish = finish.shift()[same_customer]
    assert (joined.loc[same_customer, "arrival_min"] >= previous_finish - TIME_TOLERANCE).all()
    # A finished customer's end is the end of their last visit (unless a closed
    # touchpoint came after it: skipped or turned away there).
    last = joined.groupby("customer_id").tail(1)
    found_closed = result.journeys.groupby("customer_id")["found_closed"].sum()
    done = last["outcome"].isin(["served", "abandoned"]) & (
        found_closed.reindex(last["customer_id"]).to_numpy() == 0
    )
    np.testing.assert_allclose(
        last.loc[done, "end_min"], finish[last.index][done], rtol=0, atol=1e-6
    )


@PROPERTY_SETTINGS
@given(scenario=scenarios(), seed=st.integers(0, 2**31 - 1))
def test_hourly_series_adds_up_to_the_visits(scenario: dict[str, Any], seed: int) -> None:
    """The hourly time series counts the same visits as the visits table, and a fixed team

    is never busier than its head count (utilisation at most 100%).
    """
    result = cxsim.simulate(scenario, seed=seed)
    visits, series = result.interactions, result.timeseries
    hours = math.ceil(result.window[1] / 60 - TIME_TOLERANCE)
    for touchpoint in scenario["touchpoints"]:
        name = touchpoint["name"]
        here, rows = visits[visits["touchpoint"] == name], series[series["touchpoint"] == name]
        assert rows["hour"].tolist() == list(range(hours))
        assert rows["arrivals"].sum() == len(here)
        assert rows["served"].sum() == here["served"].sum()
        assert rows["abandoned"].sum() == here["abandoned"].sum()
        assert (rows["mean_queue"] >= -TIME_TOLERANCE).all()
        if touchpoint["kind"] == "self_service":
            assert (rows["mean_queue"] <= TIME_TOLERANCE).all()
        elif isinstance(touchpoint["staff"], int):
            assert (rows["busy_staff"] <= touchpoint["staff"] + TIME_TOLERANCE).all()
            utilisation = result.kpis(by="touchpoint").loc[name, "utilisation"]
            assert math.isnan(utilisation) or 0 <= utilisation <= 1 + TIME_TOLERANCE


@settings(PROPERTY_SETTINGS, max_examples=20)
@given(scenario=scenarios(), seed=st.integers(0, 2**31 - 1), data=st.data())
def test_nobody_is_served_where_nobody_works(
    scenario: dict[str, Any], seed: int, data: st.DataObject
) -> None:
    """A staffed touchpoint with zero staff all day serves nobody: its visitors wait or leave."""
    names = [t["name"] for t in scenario["touchpoints"]]
    closed = data.draw(st.sampled_from(names), label="closed touchpoint")
    for touchpoint in scenario["touchpoints"]:
        if touchpoint["name"] == closed:
            touchpoint.pop("staff", None)
            touchpoint.update(kind="staffed", staff=data.draw(st.sampled_from([0, [0] * 24])))
    result = cxsim.simulate(scenario, seed=seed)
    visits = result.interactions
    for name in never_staffed(scenario):
        here = visits[visits["touchpoint"] == name]
        assert set(here["outcome"].astype(str)) <= {"waiting", "abandoned"}
        assert result.kpis(by="touchpoint").loc[name, "served"] == 0


@settings(PROPERTY_SETTINGS, max_examples=20)
@given(scenario=scenarios(patience=False), seed=st.integers(0, 2**31 - 1))
def test_infinitely_patient_customers_never_abandon(scenario: dict[str, Any], seed: int) -> None:
    """Without a patience distribution nobody hangs up, however long the queue."""
    result = cxsim.simulate(scenario, seed=seed)
    assert not result.interactions["abandoned"].any()
    assert not (result.customers["outcome"] == "abandoned").any()
    kpis = result.kpis()
    assert kpis["abandonment_rate"] == 0 or math.isnan(kpis["abandonment_rate"])


# --------------------------------------------------------------------------- plain tests


def test_littles_law_holds_at_every_staffed_touchpoint() -> None:
    """Time-average queue length = arrival rate x mean wait (Little's law), within 3%,

    per staffed touchpoint, from the hourly time series and the visits table.
    """
    scenario = world(
        "little",
        540.0,
        segments=[
            {"name": "caller", "share": 1.0, "journey": "call", "patience_min": exponential(2.0)}
        ],
        touchpoints=[staffed("phone", 10, 1.0), staffed("desk", 5, 0.5)],
        journeys=[
            {
                "name": "call",
                "steps": [{"touchpoint": "phone"}, {"touchpoint": "desk", "probability": 0.9}],
            }
        ],
        horizon_days=3,
        warmup_days=0.25,
    )
    result = cxsim.simulate(scenario, seed=3)
    start, end = result.window
    series = result.timeseries
    visits = result.interactions
    for name in ["phone", "desk"]:
        hours = series[
            (series["touchpoint"] == name)
            & (series["hour"] * 60 >= start)
            & (series["hour"] * 60 < end)
        ]
        assert len(hours) == (end - start) / 60
        mean_queue = hours["mean_queue"].mean()
        here = visits[(visits["touchpoint"] == name) & (visits["arrival_min"] >= start)]
        arrival_rate = len(here) / (end - start)
        assert mean_queue > 0.2  # a real queue, not a trivially empty one
        assert mean_queue == pytest.approx(arrival_rate * here["wait_min"].mean(), rel=0.03)


RETAIL = world(
    "retail",
    420.0,
    segments=[
        {"name": "regular", "share": 0.7, "journey": "buy", "patience_min": exponential(3.0)},
        {
            "name": "browser",
            "share": 0.3,
            "journey": "browse",
            "patience_min": {"dist": "lognormal", "mean": 4.0, "cv": 0.8},
        },
    ],
    touchpoints=[
        staffed("phone", 7, 1.0),
        {
            "name": "web",
            "kind": "self_service",
            "service_min": {"dist": "uniform", "low": 1.0, "high": 3.0},
        },
        {
            "name": "desk",
            "kind": "staffed",
            "staff": 3,
            "service_min": {"dist": "lognormal", "mean": 1.5, "cv": 0.5},
        },
    ],
    journeys=[
        {
            "name": "buy",
            "steps": [{"touchpoint": "phone"}, {"touchpoint": "desk", "probability": 0.5}],
        },
        {
            "name": "browse",
            "steps": [{"touchpoint": "web"}, {"touchpoint": "phone", "probability": 0.6}],
        },
    ],
    horizon_days=1,
    warmup_days=0.1,
    policies={"lean": {"touchpoints": {"phone": {"staff": 5}}}},
)


def test_same_seed_gives_identical_tables() -> None:
    """Re-running with the same seed reproduces every table and KPI to the digit."""
    first, second = cxsim.simulate(RETAIL, seed=11), cxsim.simulate(RETAIL, seed=11)
    pd.testing.assert_frame_equal(first.interactions, second.interactions)
    pd.testing.assert_frame_equal(first.customers, second.customers)
    pd.testing.assert_frame_equal(first.timeseries, second.timeseries)
    assert first.kpis() == second.kpis()


def test_different_seeds_give_different_runs() -> None:
    """Another seed is another sample: different arrival times and different KPIs."""
    first, second = cxsim.simulate(RETAIL, seed=11), cxsim.simulate(RETAIL, seed=12)
    assert (
        not first.customers["arrival_min"]
        .head(100)
        .equals(second.customers["arrival_min"].head(100))
    )
    assert first.kpis() != second.kpis()


def lean_by_override(seed: int) -> cxsim.Result:
    scenario = cxsim.load_scenario(RETAIL).with_overrides({"touchpoints.phone.staff": 5})
    return cxsim.simulate(scenario, seed=seed)


def lean_by_policy(seed: int) -> cxsim.Result:
    return cxsim.simulate(RETAIL, policy="lean", seed=seed)


@pytest.mark.parametrize("lean", [lean_by_override, lean_by_policy], ids=["override", "policy"])
def test_changing_staff_keeps_the_same_customers(lean) -> None:
    """Common random numbers: with fewer staff the same customers arrive at the same times,

    in the same segments, needing the same service; only their waits change.  So a
    comparison of two staffing levels shows the effect of staffing, not of luck.
    """
    base, changed = cxsim.simulate(RETAIL, seed=5), lean(5)
    assert changed.scenario.touchpoint("phone").staff == 5
    pd.testing.assert_series_equal(base.customers["arrival_min"], changed.customers["arrival_min"])
    pd.testing.assert_series_equal(base.customers["segment"], changed.customers["segment"])

    keys = ["customer_id", "step"]
    columns = [*keys, "touchpoint", "service_min", "wait_min"]
    served = [run.interactions.loc[run.interactions["served"], columns] for run in (base, changed)]
    both = served[0].merge(served[1], on=keys, suffixes=("_base", "_lean"), validate="one_to_one")
    assert len(both) > 1000
    assert (both["touchpoint_base"] == both["touchpoint_lean"]).all()
    assert (both["service_min_base"] == both["service_min_lean"]).all()
    # Not a vacuous comparison: the lean phone queue really is longer.
    phone = both[both["touchpoint_base"] == "phone"]
    assert phone["wait_min_lean"].mean() > 1.5 * phone["wait_min_base"].mean()


def test_priority_segment_waits_less() -> None:
    """Customers of a priority-0 segment are answered before priority 1: they wait far less."""
    scenario = world(
        "priority",
        540.0,
        segments=[
            {"name": "gold", "share": 0.3, "journey": "call", "priority": 0},
            {"name": "standard", "share": 0.7, "journey": "call", "priority": 1},
        ],
        touchpoints=[staffed("phone", 10, 1.0)],
        journeys=[{"name": "call", "steps": [{"touchpoint": "phone"}]}],
        horizon_days=2,
        warmup_days=0.1,
    )
    by_segment = cxsim.simulate(scenario, seed=2).kpis(by="segment")
    gold, standard = by_segment.loc["gold"], by_segment.loc["standard"]
    # Non-preemptive priority M/M/c (Cobham 1954): standard waits ~10x longer than gold.
    assert gold["mean_wait_min"] < 0.3 * standard["mean_wait_min"]
    # Priority decides who is answered first, not how many find every agent busy (PASTA).
    assert gold["p_wait"] == pytest.approx(standard["p_wait"], abs=0.03)


def test_hourly_rota_opens_the_queue_at_eight() -> None:
    """With nobody on duty from midnight to 8:00 the phone is closed: nobody queues or is
    served before 8:00, night callers call again once it opens (spread over the open
    hours, not all at 8:00), and the hourly time series shows the rota.
    """
    rota = [0] * 8 + [10] * 16
    scenario = world(
        "rota",
        300.0,
        segments=[{"name": "caller", "share": 1.0, "journey": "call"}],
        touchpoints=[staffed("phone", rota, 1.0)],
        journeys=[{"name": "call", "steps": [{"touchpoint": "phone"}]}],
        horizon_days=2,
    )
    result = cxsim.simulate(scenario, seed=4)
    visits = result.interactions
    started = visits[visits["outcome"].isin(["served", "in_service"])]
    start_of_service = started["arrival_min"] + started["wait_min"]
    minute_of_day = start_of_service % MINUTES_PER_DAY
    assert (minute_of_day >= 8 * 60 - TIME_TOLERANCE).all()
    assert (visits["arrival_min"] % MINUTES_PER_DAY >= 8 * 60).all()
    journeys = result.journeys
    night_callers = journeys[journeys["start_min"] % MINUTES_PER_DAY < 8 * 60]
    assert len(night_callers) > 1000 and (night_callers["found_closed"] == 1).all()
    came_back = visits[visits["journey_id"].isin(night_callers["journey_id"])]
    assert (came_back["arrival_min"] % MINUTES_PER_DAY > 12 * 60).mean() > 0.5

    series = result.timeseries
    assert series["staff"].tolist() == [float(rota[h % 24]) for h in range(48)]
    night = series[series["hour_of_day"] < 8]
    assert night["utilisation"].isna().all()
    assert (night.loc[night["day"] == 0, "busy_staff"] == 0).all()
    assert (series.loc[series["hour_of_day"] >= 8, "busy_staff"] > 0).all()
