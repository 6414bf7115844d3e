"""Customers with minds and a firm with books: the claims a trainee should see happen.

Statistical tests use common random numbers (the same seeds under both
policies) and several replications; each asserts a direction *and* a size.
"""

from __future__ import annotations

import statistics

import pytest

import cxsim
from cxsim import behaviour as bh

SEEDS = range(4)


def kpis(scenario, seeds=SEEDS, days=14, **overrides):
    loaded = cxsim.load_scenario(scenario)
    if overrides:
        loaded = loaded.with_overrides(overrides)
    return [cxsim.simulate(loaded, seed=seed, days=days).kpis() for seed in seeds]


def mean(runs, name):
    return statistics.fmean(run[name] for run in runs)


def paired(low, high, name):
    return [b[name] - a[name] for a, b in zip(low, high, strict=True)]


# --------------------------------------------------------------------------- pure functions
def test_late_hurts_more_than_early_pleases():
    """Asymmetric disconfirmation (Anderson & Sullivan 1993)."""
    on_time = bh.contact_score(5, 5, 0.6, 0.6, True)
    early = bh.contact_score(0, 5, 0.6, 0.6, True)
    late = bh.contact_score(10, 5, 0.6, 0.6, True)
    assert on_time == pytest.approx(bh.NEUTRAL_SCORE)
    assert early - on_time == pytest.approx(1.0)
    assert on_time - late == pytest.approx(2.25)
    assert on_time - late > early - on_time


def test_courtesy_can_outweigh_a_wait_within_reason():
    """Q1, N5: a courteous agent after a short delay beats a rude one answering at once."""
    courteous_late = bh.contact_score(7, 5, 0.9, 0.6, True)
    rude_fast = bh.contact_score(0, 5, 0.2, 0.6, True)
    assert courteous_late > rude_fast + 1.5


def test_peak_end_punishes_one_bad_step_more_than_average_does():
    """Q9: one bad moment dominates the memory; a good ending lifts it."""
    one_bad = [8, 8, 1, 8]
    assert bh.remember_journey(one_bad) < bh.remember_journey(one_bad, "average") - 1.5
    good_end = [6, 6, 6, 10]
    assert bh.remember_journey(good_end) > bh.remember_journey(good_end, "average") + 1.5


def test_nps_and_recommend_scale():
    # 9.6 -> 10 and 8.9 -> 9 promote, 6.4 -> 6 detracts: (3 - 1) / 4
    assert bh.nps([bh.recommend_score(score) for score in [9.6, 8.9, 6.4, 10]]) == 50.0
    assert bh.nps([7, 8, 8]) == 0.0


def test_leave_probability_is_about_a_quarter_for_bad_memories_and_small_for_good():
    """N2 calibration, on the curve itself."""
    bad = [bh.leave_probability(score) for score in (0, 1, 2, 3, 4)]
    assert 0.22 <= statistics.fmean(bad) <= 0.29
    assert bh.leave_probability(8) < 0.05


def test_follow_up_recovery_is_capped_at_ten():
    assert bh.recovered_score(9.0, 2.5) == 10.0


def test_morale_falls_under_sustained_overload_and_recovers():
    morale = 0.75
    for _day in range(10):
        morale = bh.update_morale(morale, bh.morale_target(0.98, training=0.0))
    assert morale < 0.5
    for _day in range(10):
        morale = bh.update_morale(morale, bh.morale_target(0.6, training=1.0))
    assert morale > 0.75


# --------------------------------------------------------------------------- the model
def test_more_courtesy_gives_higher_csat_retention_and_revenue():
    low = kpis("contact_centre", **{"touchpoints.phone.courtesy": 0.4})
    high = kpis("contact_centre", **{"touchpoints.phone.courtesy": 0.8})
    for name in ("csat", "nps", "revenue"):
        differences = paired(low, high, name)
        assert all(d > 0 for d in differences), (name, differences)
    # retention moves less: courtesy mostly lifts journeys that were not bad anyway
    assert mean(high, "retention_rate") > mean(low, "retention_rate")
    assert mean(high, "bad_journey_rate") < mean(low, "bad_journey_rate")
    assert mean(high, "csat") - mean(low, "csat") > 0.15
    assert mean(high, "nps") - mean(low, "nps") > 20


def test_more_staff_gives_shorter_waits_less_abandonment_and_higher_cost():
    scenario = cxsim.load_scenario("contact_centre")
    lean = kpis(scenario.with_policy("lean"))
    generous = kpis(scenario.with_policy("generous"))
    assert all(d < 0 for d in paired(lean, generous, "mean_wait_min"))
    assert all(d < 0 for d in paired(lean, generous, "abandonment_rate"))
    assert mean(lean, "abandonment_rate") - mean(generous, "abandonment_rate") > 0.05
    assert all(d > 0 for d in paired(lean, generous, "staff_cost"))


def test_staff_cost_is_staff_hours_times_the_hourly_rate():
    scenario = cxsim.load_scenario("contact_centre")
    result = cxsim.simulate(scenario, seed=0, days=7)
    hours = sum(scenario.touchpoint("phone").hourly_staff) * 7
    books = result.kpis()
    assert books["staff_cost"] == pytest.approx(hours * scenario.economics.staff_cost_per_hour)
    # profit counts the customers gained and lost at their lifetime value
    assert books["profit"] == pytest.approx(
        books["revenue"] - books["cost"] + books["customer_equity"]
    )


# (airport passengers come once: nobody decides to stay or leave, tests/test_customer_base.py)
@pytest.mark.parametrize("name", ["contact_centre", "retail_journey"])
def test_about_a_quarter_leave_after_a_bad_journey(name):
    """N2 calibration: 25% leave after one bad experience (PwC 2018: 32% global, 17% US)."""
    runs = kpis(name, seeds=range(3), days=None)
    leave = mean(runs, "leave_after_bad")
    assert 0.15 <= leave <= 0.33, leave
    # and far fewer leave after a good journey
    assert mean(runs, "churn_rate") < leave / 2


def test_peak_end_memory_is_harsher_on_journeys_with_one_bad_step():
    """Peak-end against average in the model, on journeys of several contacts."""

    def memories(memory):
        scenario = cxsim.load_scenario("retail_journey").with_overrides(
            {"behaviour.memory": memory}
        )
        result = cxsim.simulate(scenario, seed=2, days=10)
        contacts = result.interactions.groupby("journey_id")["score"].agg(["count", "min", "last"])
        journeys = result.journeys.set_index("journey_id").join(contacts)
        return journeys[journeys["count"] >= 2]

    peak_end, average = memories("peak_end"), memories("average")

    def one_bad(frame):
        return frame[frame["min"] < 5]["memory_score"]

    def good_end(frame):
        return frame[(frame["min"] >= 5) & (frame["last"] >= 9)]["memory_score"]

    assert len(one_bad(peak_end)) > 30 and len(good_end(peak_end)) > 30
    assert one_bad(peak_end).mean() < one_bad(average).mean() - 0.5
    assert good_end(peak_end).mean() > good_end(average).mean() + 0.5


def test_follow_up_lifts_the_memory_of_those_it_reaches_and_costs_per_contact():
    scenario = cxsim.load_scenario("contact_centre").with_policy("follow_up")
    result = cxsim.simulate(scenario, seed=1, days=14)
    journeys = result.journeys
    reached = journeys[journeys["followed_up"]]
    plan = scenario.levers.follow_up
    assert len(reached) > 50
    # every contacted journey was bad, and its memory rose by the recovery points (cap 10)
    assert (reached["experienced_score"] < scenario.behaviour.bad_memory_below).all()
    lift = reached["memory_score"] - reached["experienced_score"]
    assert lift.to_numpy() == pytest.approx(plan.recovery_points)
    # no more calls a day than the capacity
    per_day = result.kpis()["follow_ups"] / 14
    assert per_day <= plan.capacity_per_day
    kpis_ = result.kpis()
    assert kpis_["follow_up_cost"] == pytest.approx(
        kpis_["follow_ups"] * scenario.economics.follow_up_cost_per_contact
    )


def test_follow_up_raises_csat_against_the_same_customers_without_it():
    base = kpis("contact_centre", seeds=range(3))
    followed = kpis(cxsim.load_scenario("contact_centre").with_policy("follow_up"), seeds=range(3))
    assert all(d > 0 for d in paired(base, followed, "mean_memory_score"))


def test_training_costs_money_and_raises_courtesy_shown():
    base = cxsim.simulate("contact_centre", seed=3, days=7)
    trained = cxsim.simulate("contact_centre", policy="courtesy_training", seed=3, days=7)
    assert trained.kpis()["training_cost"] > 0 == base.kpis()["training_cost"]
    shown = trained.interactions["courtesy"].mean() - base.interactions["courtesy"].mean()
    assert shown == pytest.approx(0.25, abs=0.05)


def test_outside_agents_ignore_the_brands_training_but_count_against_it():
    """Q14: the outsourced support line keeps its own courtesy."""
    scenario = cxsim.load_scenario("retail_journey").with_overrides({"levers.training": 1.0})
    result = cxsim.simulate(scenario, seed=1, days=5)
    visits = result.interactions
    support = visits[(visits["touchpoint"] == "support") & visits["served"]]
    store = visits[(visits["touchpoint"] == "store") & visits["served"]]
    assert support["courtesy"].mean() == pytest.approx(0.45, abs=0.04)
    assert store["courtesy"].mean() > 0.85
    # support contacts enter the remembered journey like any other
    assert support["score"].notna().all()


def test_overload_lowers_morale_and_courtesy_over_the_days():
    scenario = (
        cxsim.load_scenario("contact_centre")
        .with_policy("lean")
        .with_overrides({"arrivals.rate_per_hour": 55})
    )
    daily = cxsim.simulate(scenario, seed=0, days=14).daily.dropna()
    assert daily["utilisation"].iloc[-3:].mean() > 0.82  # nights, with few calls, included
    # the day's mean load includes the quiet nights, so morale slips slowly (0.73 -> 0.66)
    assert daily["morale"].iloc[-1] < daily["morale"].iloc[0] - 0.05
    assert daily["courtesy"].iloc[-1] < daily["courtesy"].iloc[0]


def test_word_of_mouth_promoters_refer_and_detractors_deter():
    trained = kpis(
        cxsim.load_scenario("contact_centre").with_policy("courtesy_training"), seeds=range(2)
    )
    lean = kpis(cxsim.load_scenario("contact_centre").with_policy("lean"), seeds=range(2))
    assert mean(trained, "referrals") > 2 * mean(lean, "referrals")
    assert mean(lean, "deterred") > mean(trained, "deterred")


def test_a_broken_promise_hurts_satisfaction():
    """Q13: promising 1 minute on a line that cannot keep it lowers the remembered score."""
    base = kpis("contact_centre", seeds=range(3))
    promised = kpis(
        cxsim.load_scenario("contact_centre").with_overrides({"levers.promise_min": 1}),
        seeds=range(3),
    )
    assert all(d < 0 for d in paired(base, promised, "mean_memory_score"))


def test_a_scenario_without_behaviour_has_no_experience_kpis():
    kpis_ = cxsim.simulate("erlang_check", seed=0, days=1).kpis()
    assert "csat" not in kpis_ and "profit" not in kpis_


def test_levers_without_behaviour_are_refused():
    data = {
        "name": "x",
        "horizon_days": 1,
        "arrivals": {"rate_per_hour": 10},
        "segments": [{"name": "a", "share": 1, "journey": "j"}],
        "touchpoints": [
            {
                "name": "t",
                "kind": "staffed",
                "staff": 1,
                "service_min": {"dist": "exponential", "mean": 1},
            }
        ],
        "journeys": [{"name": "j", "steps": [{"touchpoint": "t"}]}],
        "levers": {"training": 1},
    }
    with pytest.raises(cxsim.ScenarioError, match="levers: levers need a behaviour"):
        cxsim.load_scenario(data)


def test_seeded_behaviour_runs_are_reproducible_to_the_digit():
    first = cxsim.simulate("contact_centre", seed=5, days=5)
    second = cxsim.simulate("contact_centre", seed=5, days=5)
    assert first.kpis() == second.kpis()
    assert first.journeys.equals(second.journeys)
