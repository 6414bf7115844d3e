"""Every contact at a real time of day, opening hours, and the week (issue: credible model 1).

A trainee looks at calls by hour before anything else: "why do people call at
3 am?".  New, returning and referred customers must all come when the scenario's
profile says people come, and nobody queues at a closed door.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxsim
from cxsim.catalog import list_scenarios, load_scenario
from cxsim.clock import Profile, next_open_interval

BANDS = [0, 7, 12, 18, 24]


def band_shares(minutes: pd.Series | np.ndarray) -> np.ndarray:
    hours = (np.asarray(minutes) // 60).astype(int) % 24
    counts = np.histogram(hours, bins=BANDS)[0]
    return counts / counts.sum()


def profile_band_shares(profile: tuple[float, ...]) -> np.ndarray:
    weights = np.asarray(profile, dtype=float)
    shares = [weights[a:b].sum() for a, b in zip(BANDS[:-1], BANDS[1:], strict=True)]
    return np.array(shares) / weights.sum()


def journey_kinds(result: cxsim.Result) -> pd.Series:
    journeys = result.journeys
    first = journeys.groupby("customer_id")["journey_id"].transform("min") == journeys["journey_id"]
    return pd.Series(
        np.where(journeys["referred"] & first, "referred", np.where(first, "new", "returning")),
        index=journeys.index,
    )


@pytest.mark.parametrize("name", ["contact_centre", "retail_journey", "airport_security"])
def test_new_returning_and_referred_customers_all_follow_the_hourly_profile(name):
    """Each kind of journey starts by hour band in the profile's proportions (within 2.5
    points); before the fix, 28% of returning calls came between midnight and 07:00."""
    result = cxsim.simulate(name, seed=1)
    profile = result.scenario.arrivals.hourly_profile
    expected = profile_band_shares(profile)
    kinds = journey_kinds(result)
    journeys = result.journeys
    seen = {}
    for kind in ("new", "returning", "referred"):
        starts = journeys.loc[kinds == kind, "start_min"]
        if len(starts) < 300:
            continue
        seen[kind] = band_shares(starts)
        assert np.abs(seen[kind] - expected).max() < 0.025, (kind, seen[kind], expected)
    # airport passengers come once (customer_base: one_off): no returning journeys
    assert {"new", "returning"} <= set(seen) or (name == "airport_security" and "new" in seen)


def test_the_banks_night_calls_are_the_profiles_share():
    """Between 00:00 and 07:00 the profile puts 2.9% of calls; all calls, whoever makes
    them, now come in about that share (it was 14%)."""
    result = cxsim.simulate("contact_centre", seed=1)
    calls = result.interactions
    night = float((((calls["arrival_min"] // 60) % 24) < 7).mean())
    profile = result.scenario.arrivals.hourly_profile
    assert night == pytest.approx(sum(profile[:7]) / sum(profile), abs=0.01)


def closed_visits(result: cxsim.Result) -> pd.DataFrame:
    """Visits that arrived at a staffed touchpoint in an hour its rota has 0 staff."""
    rows = []
    for touchpoint in result.scenario.touchpoints:
        if touchpoint.kind != "staffed":
            continue
        rota = np.asarray(touchpoint.hourly_staff)
        visits = result.interactions[result.interactions["touchpoint"] == touchpoint.name]
        hours = (visits["arrival_min"] // 60).astype(int) % len(rota)
        rows.append(visits[rota[hours.to_numpy()] == 0])
    return pd.concat(rows) if rows else pd.DataFrame()


@pytest.mark.parametrize("name", list_scenarios())
def test_nobody_queues_or_abandons_at_a_closed_touchpoint(name):
    """Under every bundled scenario and policy: no visit starts at a closed touchpoint
    (the retail store closes 22:00-08:00; 20% of its visits came then, and 97% of its
    hang-ups were those)."""
    scenario = load_scenario(name)
    for policy in [None, *scenario.policies]:
        result = cxsim.simulate(scenario, policy=policy, seed=0, days=7)
        assert len(closed_visits(result)) == 0, (name, policy)


def test_shoppers_who_find_the_store_closed_come_back_when_it_opens():
    result = cxsim.simulate("retail_journey", seed=1, days=7)
    journeys = result.journeys
    deferred = journeys[journeys["found_closed"] > 0]
    assert len(deferred) > 60  # the website is open at night; the store is not
    store = result.interactions[result.interactions["touchpoint"] == "store"]
    visits = store[store["journey_id"].isin(deferred["journey_id"])]
    hours = (visits["arrival_min"] // 60).astype(int) % 24
    assert hours.between(8, 21).all()
    # spread over the open period as shoppers come, not all at the opening minute
    assert (visits["arrival_min"] % 60 != 0).mean() > 0.99
    assert hours.nunique() >= 10
    assert (journeys["status"] == "turned_away").sum() == 0


def small_shop(when_closed: str, **changes) -> dict:
    """One desk open 09:00-17:00; customers come at every hour."""
    scenario = {
        "name": "small_shop",
        "horizon_days": 3,
        "arrivals": {"rate_per_hour": 6},
        "segments": [
            {
                "name": "all",
                "share": 1,
                "journey": "visit",
                "patience_min": {"dist": "exponential", "mean": 30},
            }
        ],
        "touchpoints": [
            {
                "name": "web",
                "kind": "self_service",
                "service_min": {"dist": "deterministic", "value": 1},
            },
            {
                "name": "desk",
                "kind": "staffed",
                "staff": [0] * 9 + [2] * 8 + [0] * 7,
                "service_min": {"dist": "exponential", "mean": 5},
            },
        ],
        "journeys": [
            {
                "name": "visit",
                "steps": [
                    {"touchpoint": "web"},
                    {"touchpoint": "desk", "when_closed": when_closed},
                ],
            }
        ],
    }
    scenario.update(changes)
    return scenario


@pytest.mark.parametrize("when_closed", ["next_open", "skip", "leave"])
def test_a_step_says_what_customers_do_at_a_closed_touchpoint(when_closed):
    result = cxsim.simulate(small_shop(when_closed), seed=3)
    journeys = result.journeys
    assert len(closed_visits(result)) == 0
    found_closed = journeys[journeys["found_closed"] > 0]
    # two thirds of the day is closed
    assert 0.55 < len(found_closed) / len(journeys) < 0.75
    desk = result.interactions[result.interactions["touchpoint"] == "desk"]
    came_to_desk = found_closed["journey_id"].isin(desk["journey_id"])
    if when_closed == "next_open":
        # all come back, but for those who found it closed after its last closing in the run
        before_last_closing = found_closed["start_min"] < 2 * 1440 + 17 * 60
        assert came_to_desk[before_last_closing].mean() > 0.97
        assert not came_to_desk[~before_last_closing].any()
        assert set(found_closed["status"]) <= {"completed", "open", "abandoned"}
    elif when_closed == "skip":
        assert not came_to_desk.any()
        assert (found_closed["status"] == "completed").all()
    else:
        assert not came_to_desk.any()
        assert (found_closed["status"] == "turned_away").all()


def test_at_closing_time_the_staff_serve_the_line_before_they_go():
    """Customers in line at 17:00 are served, not left waiting at a closed desk until
    they give up (patience here is ten hours: only a closed desk would make them wait)."""
    shop = small_shop("next_open")
    shop["arrivals"] = {"rate_per_hour": 40, "hourly_profile": [0] * 16 + [1] + [0] * 7}
    shop["segments"][0]["patience_min"] = {"dist": "exponential", "mean": 600}
    result = cxsim.simulate(shop, seed=2, days=1)
    desk = result.interactions[result.interactions["touchpoint"] == "desk"]
    served_from = desk["arrival_min"] + desk["wait_min"]
    assert len(desk) > 30 and desk["served"].all()
    assert served_from.max() > 17 * 60  # the line was still being served after 17:00
    assert served_from.max() < 19 * 60


def test_follow_up_calls_happen_in_the_teams_working_hours():
    result = cxsim.simulate("contact_centre", policy="follow_up", seed=1, days=7)
    called = result.journeys["follow_up_min"].dropna()
    assert len(called) == result.kpis()["follow_ups"] > 30
    hours = (called // 60) % 24
    assert hours.between(9, 16).all()
    assert (called >= result.journeys.loc[called.index, "end_min"]).all()


def test_a_weekly_profile_shapes_arrivals_by_day_of_week():
    """Day 0 is a Saturday; a Friday (day 6) at a third of the volume gets a third."""
    weekly = [1.1, 1.1, 1.1, 1.1, 1.1, 0.5, 0.3]
    scenario = small_shop(
        "skip", horizon_days=28, arrivals={"rate_per_hour": 6, "weekly_profile": weekly}
    )
    result = cxsim.simulate(scenario, seed=5)
    days = (result.journeys["start_min"] // 1440).astype(int) % 7
    per_day = days.value_counts().sort_index().to_numpy() / 4
    expected = 6 * 24 * np.asarray(weekly)
    assert np.abs(per_day - expected).max() < 4 * np.sqrt(expected.max() / 4) + 2
    assert load_scenario(scenario).expected_arrivals == pytest.approx(6 * 24 * sum(weekly) / 7 * 28)


def test_a_rota_may_differ_by_weekday():
    """7 lists of 24: the desk closed on Fridays is closed all Friday."""
    week = [[0] * 9 + [2] * 8 + [0] * 7] * 6 + [[0] * 24]
    result = cxsim.simulate(
        small_shop(
            "next_open",
            horizon_days=14,
            touchpoints=[
                {
                    "name": "web",
                    "kind": "self_service",
                    "service_min": {"dist": "deterministic", "value": 1},
                },
                {
                    "name": "desk",
                    "kind": "staffed",
                    "staff": week,
                    "service_min": {"dist": "exponential", "mean": 5},
                },
            ],
        ),
        seed=1,
    )
    desk = result.interactions[result.interactions["touchpoint"] == "desk"]
    weekday = (desk["arrival_min"] // 1440).astype(int) % 7
    assert len(desk) > 500 and (weekday != 6).all()
    assert len(closed_visits(result)) == 0
    timeseries = result.timeseries
    staff = timeseries.loc[timeseries["touchpoint"] == "desk", "staff"].to_numpy()
    assert staff[6 * 24 : 7 * 24].sum() == 0 and staff[:24].sum() == 16
    assert staff[7 * 24 : 8 * 24].sum() == 16 and staff[13 * 24 :].sum() == 0
    # the books pay for the week's rota: 16 staffed hours on 6 days of each of 2 weeks
    assert result.kpis(by="touchpoint").loc["desk", "staff_hours"] == 16 * 6 * 2


def test_profile_draws_follow_their_weights():
    profile = Profile([1.0] * 12 + [3.0] * 12)
    u = np.random.default_rng(0).random(20_000)
    times = np.array([profile.draw(x, 0.0, 1440.0) for x in u])
    assert (times >= 720).mean() == pytest.approx(0.75, abs=0.01)
    # an interval that starts mid-hour and spans days
    times = np.array([profile.draw(x, 690.0, 690.0 + 1440.0) for x in u[:2000]])
    assert times.min() >= 690 and times.max() < 2130


def test_a_whole_day_draw_is_the_general_draw_over_that_day():
    profile = Profile.combine([0.0] * 6 + [1.0, 2.0, 3.0] * 6, [1, 1, 1, 1, 1, 0.5, 0.0])
    for day in (0, 5, 9, 12):
        for u in (0.0, 0.1, 0.5, 0.93):
            general = profile.draw(u, day * 1440.0, (day + 1) * 1440.0)
            assert profile.draw_in_day(u, day) == pytest.approx(general, abs=1e-6)
    assert profile.draw_in_day(0.5, 6) is None  # a Friday without demand
    assert profile.draw_on_day(0.5, 0.0, 13) is None


def test_next_open_interval_wraps_to_the_next_day():
    hours = [False] * 8 + [True] * 14 + [False] * 2
    assert next_open_interval(hours, 23 * 60 + 30) == (32 * 60, 46 * 60)
    assert next_open_interval(hours, 3 * 60) == (8 * 60, 22 * 60)
    assert next_open_interval([False] * 24, 0.0) is None


# -- levers that mean one thing ------------------------------------------------------------
def test_extra_agents_mean_every_open_hour_in_every_lesson():
    """The scenario's lean and generous rotas, lesson 05's sweep, lesson 07's runs and the
    challenge's policy all add (or remove) agents at every open hour."""
    from cxsim.lessons import challenge, retention, staff
    from cxsim.rota import shift_rota

    scenario = load_scenario("contact_centre")
    base = scenario.touchpoint("phone").hourly_staff
    assert list(scenario.with_policy("lean").touchpoint("phone").hourly_staff) == shift_rota(
        base, -1
    )
    assert list(scenario.with_policy("generous").touchpoint("phone").hourly_staff) == shift_rota(
        base, 2
    )
    for extra in (-2, -1, 1, 3):
        expected = shift_rota(base, extra)
        assert challenge.Policy(extra_agents=extra).rota() == expected
        assert (
            retention.extra_agent_policies([extra])[f"{extra:+d}"]["touchpoints.phone.staff"]
            == expected
        )
        assert (
            list(staff.scenario_at(extra_agents=extra).touchpoint("phone").hourly_staff) == expected
        )
    assert shift_rota(base, 1)[3] == base[3] + 1  # the night is reached too


def test_no_lever_closes_an_open_hour_or_opens_a_closed_one():
    from cxsim.rota import scale_rota, shift_rota

    store = load_scenario("retail_journey").touchpoint("store").hourly_staff
    for rota in (shift_rota(store, -5), scale_rota(store, 0.1), shift_rota(store, 3)):
        assert [s > 0 for s in rota] == [s > 0 for s in store]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"arrivals": {"rate_per_hour": 6, "weekly_profile": [1] * 6}},
            "arrivals.weekly_profile",
            "needs 7 daily values (day 0 is a Saturday), got 6",
        ),
        (
            {"arrivals": {"rate_per_hour": 6, "weekly_profile": [0] * 7}},
            "arrivals.weekly_profile",
            "needs at least one day with a multiplier above 0",
        ),
    ],
)
def test_a_bad_weekly_profile_gets_one_clear_error(change, field, message):
    with pytest.raises(cxsim.ScenarioError) as caught:
        load_scenario(small_shop("skip", **change))
    assert caught.value.path == field and message in str(caught.value)


def test_a_bad_when_closed_names_what_is_allowed():
    shop = small_shop("skip")
    shop["journeys"][0]["steps"][1]["when_closed"] = "wait"
    with pytest.raises(cxsim.ScenarioError, match="next_open.*skip.*leave") as caught:
        load_scenario(shop)
    assert caught.value.path == "journeys[0].steps[1].when_closed"
