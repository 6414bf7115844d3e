"""A steady customer base, churn decided when it happens, and books that fit each business
(issue 13).  Seeded runs of the bundled scenarios, read as a trainer would."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cxsim
from cxsim import ScenarioError, load_scenario
from cxsim.customer_base import SegmentFlows, base_first_calls, segment_flows

SEEDS = range(4)
# Published yearly attrition of retail banks: J.D. Power 2012 US Retail Banking Satisfaction
# Study, 7.4% (small banks) to 11.3% (midsize); Tower Group / BAI, 15% on average.
BANK_CHURN_RANGE = (0.074, 0.15)


def _runs(name: str, days: float | None = None, **overrides):
    scenario = load_scenario(name)
    if overrides:
        scenario = scenario.with_overrides(overrides)
    return [cxsim.simulate(scenario, seed=seed, days=days) for seed in SEEDS]


@pytest.fixture(scope="module")
def bank():
    return _runs("contact_centre")


@pytest.fixture(scope="module")
def retail():
    return _runs("retail_journey")


@pytest.fixture(scope="module")
def airport():
    return _runs("airport_security")


def _journeys_by_day(result) -> np.ndarray:
    """Journeys started on each day of the measured window."""
    journeys = result.journeys
    start = result.window[0]
    days = ((journeys["start_min"] - start) // 1440).astype(int)
    counts = np.bincount(days[days >= 0], minlength=int(result.scenario.horizon_days))
    return counts[: int(result.scenario.horizon_days)]


@pytest.mark.parametrize("fixture", ["bank", "retail", "airport"])
def test_daily_volume_is_level_under_the_baseline(fixture, request):
    """No trend beyond noise: the last week's journeys match the first week's within
    three Poisson standard deviations, and the fitted trend over four weeks (or two)
    moves volume by less than 4%.  The old bank (an empty base) grew by a third."""
    results = request.getfixturevalue(fixture)
    daily = np.mean([_journeys_by_day(result) for result in results], axis=0)
    first, last = daily[:7].sum(), daily[-7:].sum()
    noise = math.sqrt((first + last) / len(results))
    assert abs(last - first) < 3 * noise, (first, last)
    slope = np.polyfit(np.arange(len(daily)), daily, 1)[0]
    assert abs(slope * len(daily)) < 0.04 * daily.mean(), (slope, daily.mean())


@pytest.mark.parametrize("name", ["contact_centre", "retail_journey", "airport_security"])
def test_one_week_agrees_with_four_weeks(name, request):
    """A KPI does not depend on the horizon a lesson picks (old bank: abandonment 8.2%
    over 7 days against 16.3% over 28)."""
    fixture = {"contact_centre": "bank", "retail_journey": "retail", "airport_security": "airport"}[
        name
    ]
    long = [result.kpis() for result in request.getfixturevalue(fixture)]
    short = [result.kpis() for result in _runs(name, days=7)]
    for kpi, tolerance in (("abandonment_rate", 0.015), ("csat", 0.03), ("bad_journey_rate", 0.02)):
        a, b = np.mean([k[kpi] for k in short]), np.mean([k[kpi] for k in long])
        assert abs(a - b) < tolerance, (kpi, a, b)


def test_the_bank_loses_customers_at_a_published_rate(bank):
    churn = np.mean([result.kpis()["churn_per_year"] for result in bank])
    low, high = BANK_CHURN_RANGE
    assert low <= churn <= high, churn


def test_a_quarter_still_leave_after_a_bad_journey(bank):
    """N2 ("about 25%"), with PwC 2018's 17-32% as the plausible band."""
    leave = np.mean([result.kpis()["leave_after_bad"] for result in bank])
    assert 0.17 <= leave <= 0.32, leave


def test_the_decision_comes_right_after_the_journey(bank):
    """Decided within ``decision_days`` of the journey's end, not at a next purchase a
    28-day run never reaches: only the last days' journeys are undecided."""
    journeys = bank[0].journeys
    decided = journeys[journeys["outcome"].isin(["return", "leave"])]
    delay = (decided["decided_min"] - decided["end_min"]) / 1440
    assert delay.max() <= 3.0 + 1e-9
    undecided = journeys[journeys["outcome"] == "open"]
    assert undecided["end_min"].min() >= 25 * 1440 - 1e-6
    assert len(undecided) < 0.15 * len(journeys)


def test_the_base_is_there_from_the_first_day_and_its_segments_keep_their_mix(bank):
    result = bank[0]
    journeys = result.journeys
    first_day = journeys[journeys["start_min"] < 1440]
    assert first_day["established"].mean() > 0.9  # the bank's customers, not newcomers
    week = (journeys["start_min"] // (7 * 1440)).astype(int)
    premium = journeys["segment"] == "premium"
    for w in range(4):
        assert premium[week == w].mean() == pytest.approx(0.2, abs=0.03)
    assert sum(result.records.base_customers.values()) == 36000


def test_a_large_base_costs_nothing_until_its_customers_call():
    """Base customers are created only when they call: ten times the customers calling
    ten times less often make about as many journeys."""
    scenario = load_scenario("contact_centre")
    big = scenario.with_overrides(
        {"segments.regular.base.customers": 300_000, "segments.premium.base.customers": 60_000}
    )
    small, large = (cxsim.simulate(s, seed=0, days=7) for s in (scenario, big))
    assert len(large.journeys) == pytest.approx(len(small.journeys), rel=0.05)
    assert large.journeys["customer_id"].nunique() < 1.1 * len(large.journeys)


def test_base_first_calls_thin_out_as_its_customers_have_called():
    flow = SegmentFlows(customers=10_000, new_per_day=5.0, gap_days=100.0)
    calls = [base_first_calls(flow, day) for day in range(1000)]
    assert calls[0] == pytest.approx(10_000 * (1 - math.exp(-0.01)))
    assert sum(calls) == pytest.approx(10_000 * (1 - math.exp(-10)))
    assert calls[100] == pytest.approx(calls[0] / math.e)


def test_calls_per_customer_follow_from_the_base_and_the_rate():
    flows = segment_flows(load_scenario("contact_centre"))
    # 288 calls a day by regular customers, 9 of them newcomers: 30,000 customers call
    # about every 107 days
    assert flows[0].gap_days == pytest.approx(30_000 / (288 - flows[0].new_per_day))
    assert 3 <= flows[0].calls_per_customer_year <= 4


# --------------------------------------------------------------------------- the books
def test_a_bank_call_earns_nothing_its_customers_earn_a_monthly_margin(bank):
    kpis = bank[0].kpis()
    assert bank[0].journeys["revenue"].sum() == 0
    assert kpis["revenue"] == kpis["relationship_revenue"]
    # about 36,000 customers' margins for four weeks: 30,000 x 100,000 + 6,000 x 500,000 a month
    expected = (30_000 * 100_000 + 6_000 * 500_000) * 12 * 28 / 365
    assert kpis["relationship_revenue"] == pytest.approx(expected, rel=0.01)


def test_customer_equity_is_level_under_the_baseline(bank):
    """Newcomers replace leavers, so the baseline neither gains nor loses value on
    average (the calibration), while a policy that loses customers books the loss."""
    equity = [result.kpis()["customer_equity"] for result in bank]
    revenue = [result.kpis()["revenue"] for result in bank]
    assert abs(np.mean(equity)) < 0.05 * np.mean(revenue)
    lean = [cxsim.simulate("contact_centre", policy="lean", seed=seed).kpis() for seed in SEEDS]
    assert np.mean([k["customer_equity"] for k in lean]) < -0.08 * np.mean(revenue)


def test_overload_is_never_profitable():
    """2.5 times the calls the rota was designed for (the same customers calling more):
    the saved-looking staff cost is swamped by customers lost, on a week as on four."""
    for days in (7, 28):
        design = _runs("contact_centre", days=days)
        overload = _runs("contact_centre", days=days, **{"arrivals.rate_per_hour": 37.5})
        design_profit = np.mean([r.kpis()["profit"] for r in design])
        overload_profit = np.mean([r.kpis()["profit"] for r in overload])
        assert overload_profit < design_profit - 0.5 * abs(design_profit), days
        # the same base: the relationship margin hardly moves
        assert np.mean([r.kpis()["relationship_revenue"] for r in overload]) == pytest.approx(
            np.mean([r.kpis()["relationship_revenue"] for r in design]), rel=0.03
        )


def test_customer_lifetime_value_is_discounted_margin(bank):
    """A regular bank customer: 1.2 M toman a year, about 10% churn, 25% discount."""
    clv = bank[0].kpis()["clv"]
    assert 3e6 < clv < 12e6


def test_airport_passengers_do_not_come_back_for_polite_security(airport):
    result = airport[0]
    assert result.journeys["customer_id"].is_unique  # one journey each
    kpis = result.kpis()
    assert kpis["revenue"] == 0 and kpis["customer_equity"] == 0
    assert kpis["profit"] == pytest.approx(-kpis["cost"])
    assert math.isnan(kpis["retention_rate"])


# --------------------------------------------------------------------------- bad input
def _bank_data():
    import yaml

    from cxsim.catalog import scenario_path

    return yaml.safe_load(scenario_path("contact_centre").read_text(encoding="utf-8"))


def test_an_established_base_needs_every_segment_base():
    data = _bank_data()
    del data["segments"][1]["base"]
    with pytest.raises(ScenarioError, match=r"segments\[1\]\.base"):
        cxsim.catalog.validate_scenario(data, source="bank.yaml")


def test_newcomers_cannot_outnumber_the_segment_journeys():
    data = _bank_data()
    data["segments"][0]["base"]["new_per_day"] = 500
    with pytest.raises(ScenarioError, match=r"new_per_day.*fewer than"):
        cxsim.catalog.validate_scenario(data, source="bank.yaml")


def test_a_segment_base_needs_an_established_firm():
    data = _bank_data()
    data["customer_base"] = "opening"
    with pytest.raises(ScenarioError, match=r"segments\[0\]\.base.*established"):
        cxsim.catalog.validate_scenario(data, source="bank.yaml")


def test_policies_meet_the_same_arrivals():
    # common random numbers: who calls first in the run, and when, does not depend on the
    # policy (the pick has its own stream; the routing stream follows the journeys)
    def first_calls(policy):
        journeys = cxsim.simulate("contact_centre", policy=policy, seed=3, days=4).journeys
        first = journeys.sort_values("start_min").groupby("customer_id").head(1)
        return first.loc[first["established"], "start_min"].to_numpy()

    baseline = first_calls(None)
    assert len(baseline) > 500
    for policy in ("lean", "courtesy_training"):
        assert np.array_equal(first_calls(policy), baseline), policy


def test_an_established_base_makes_the_journeys_its_rate_says_whatever_the_profile_scale():
    """The hourly profile shapes the day; its scale is in the arrival rate once.  A
    profile of mean 2 at half the rate is the same day as mean 1 at the full rate (the
    model once multiplied by the profile's mean twice: retail's 0.9875 lost 1.25%)."""
    bank = cxsim.load_scenario("contact_centre")
    weights = list(bank.arrivals.profile.weights)
    doubled = bank.with_overrides(
        {
            "arrivals.rate_per_hour": bank.arrivals.rate_per_hour / 2,
            "arrivals.hourly_profile": [2 * weight for weight in weights],
        }
    )
    expected = sum(bank.segment_journeys_per_day(i) for i in range(len(bank.segments)))
    assert doubled.segment_journeys_per_day(0) == pytest.approx(bank.segment_journeys_per_day(0))
    for scenario in (bank, doubled):
        days = [_journeys_by_day(cxsim.simulate(scenario, seed=seed, days=7)) for seed in (0, 1)]
        # the first day's journeys are newcomers and the base's first calls: the rate's
        first_day = np.mean([day[0] for day in days])
        assert first_day == pytest.approx(expected, rel=0.06), (scenario.name, first_day, expected)
