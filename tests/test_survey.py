"""Surveys as a firm runs them (issue 14, item 4): who is asked, who answers, what they say,
beside the remembered experience; the run itself untouched."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxsim
from cxsim import load_scenario, metrics, plots
from cxsim.results import SURVEY_KPIS, Result, format_kpi
from cxsim.survey import draw_respondents, response_probability

SCORES = np.linspace(0.0, 10.0, 100_001)  # experiences spread evenly over the scale


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    cxsim.set_language("en")


def _bank(seed: int = 0, **survey) -> Result:
    scenario = load_scenario("contact_centre")
    if survey:
        scenario = scenario.with_overrides(
            {f"behaviour.survey.{key}": value for key, value in survey.items()}
        )
    return cxsim.simulate(scenario, seed=seed, days=7)


@pytest.fixture(scope="module")
def bank() -> Result:
    return _bank()


def _redraw(result: Result, seed: int, response_rate: float, extremity_bias: float) -> pd.DataFrame:
    """The survey of the same run drawn again from another generator."""
    return metrics.survey_sample(
        result.journeys,
        result.interactions,
        ["phone"],
        result.window[0],
        response_rate,
        extremity_bias,
        np.random.default_rng(seed),
    )


def _survey_csat(sample: pd.DataFrame) -> float:
    return float((sample.loc[sample["answered"], "experienced_score"] >= 7).mean())


# --------------------------------------------------------------------------- who answers
def test_response_probability_rises_with_extremity_on_both_sides():
    up = [response_probability(s, 0.15, 2.0) for s in (5, 6, 7, 8, 9, 10)]
    down = [response_probability(s, 0.15, 2.0) for s in (5, 4, 3, 2, 1, 0)]
    assert all(a < b for a, b in zip(up, up[1:], strict=False))
    assert up == pytest.approx(down)  # the two ends alike
    assert up[-1] / up[0] == pytest.approx(3.0)  # the ends answer 1 + bias times as often


def test_response_rate_is_the_mean_over_experiences_spread_evenly():
    for rate, bias in ((0.15, 2.0), (0.05, 5.0), (0.3, 0.0), (0.2, 1.0)):
        assert response_probability(SCORES, rate, bias).mean() == pytest.approx(rate, rel=1e-3)
    assert (response_probability(SCORES, 0.15, 0.0) == 0.15).all()
    assert response_probability(10.0, 0.9, 3.0) == 1.0  # clipped at certainty


def test_draw_answers_at_the_rate_and_only_when_surveyed():
    scores = np.full(20_000, 5.0)
    surveyed = np.arange(20_000) % 2 == 0
    answered = draw_respondents(scores, surveyed, 0.3, 0.0, np.random.default_rng(1))
    assert not answered[~surveyed].any()
    assert answered[surveyed].mean() == pytest.approx(0.3, abs=0.015)


# --------------------------------------------------------------------------- who is asked
def test_hung_up_journeys_are_never_surveyed(bank):
    sample = _redraw(bank, 0, response_rate=1.0, extremity_bias=0.0)  # all surveyed answer
    visits = bank.interactions
    served_ids = set(visits.loc[visits["served"], "journey_id"])
    assert sample["answered"].tolist() == sample["served"].tolist()
    assert sample["served"].tolist() == sample["journey_id"].isin(served_ids).tolist()
    only_hung_up = sample["hung_up"] & ~sample["journey_id"].isin(served_ids)
    assert only_hung_up.sum() > 100  # the bank has hang-ups
    assert not sample.loc[only_hung_up, "answered"].any()
    sample = bank.survey_sample
    assert not (sample["answered"] & ~sample["served"]).any()


def test_the_remembered_experience_splits_into_served_and_hung_up(bank):
    kpis, summary = bank.kpis(), bank.survey_summary()
    assert summary.loc["all", "csat"] == pytest.approx(kpis["csat"])
    assert summary.loc["all", "nps"] == pytest.approx(kpis["nps"])
    assert summary.loc["served", "csat"] == pytest.approx(kpis["csat_served"])
    assert summary.loc["served", "nps"] == pytest.approx(kpis["nps_served"])
    assert summary.loc["hung_up", "csat"] == pytest.approx(kpis["csat_abandoned"])
    assert summary.loc["answers", "count"] == kpis["survey_responses"]
    # hang-ups remember badly, so leaving them out lifts CSAT and NPS
    assert kpis["csat_abandoned"] < kpis["csat"] < kpis["csat_served"]
    assert kpis["nps"] < kpis["nps_served"]


# --------------------------------------------------------------------------- what it reports
def test_without_bias_respondents_are_a_simple_random_sample(bank):
    served_csat = bank.kpis()["csat_served"]
    csats, rates = [], []
    for seed in range(40):
        sample = _redraw(bank, seed, response_rate=0.15, extremity_bias=0.0)
        served = sample[sample["served"]]
        answers = int(served["answered"].sum())
        csats.append(_survey_csat(served))
        rates.append(answers / len(served))
        error = np.sqrt(served_csat * (1 - served_csat) / answers)
        assert abs(csats[-1] - served_csat) < 4 * error
    assert np.mean(csats) == pytest.approx(served_csat, abs=0.006)  # unbiased
    assert np.mean(rates) == pytest.approx(0.15, abs=0.003)
    unbiased = _bank(extremity_bias=0.0).kpis()
    assert unbiased["survey_response_rate"] == pytest.approx(0.15, abs=0.02)
    assert abs(unbiased["survey_csat"] - unbiased["csat_served"]) < 0.06  # 3 standard errors


def test_with_the_bias_the_survey_reads_rosier_than_the_served_remember(bank):
    """In the bank most served callers are mildly satisfied (7-8); the delighted (9-10)
    answer more often than they, and they more often than the lukewarm (5-6): the survey
    reports a higher CSAT and NPS than served callers remember."""
    kpis = bank.kpis()
    served_csat, served_nps = kpis["csat_served"], kpis["nps_served"]
    assert kpis["survey_csat"] > served_csat + 0.03
    assert kpis["survey_nps"] > served_nps + 8
    sample = bank.survey_sample
    served = sample[sample["served"]]
    chance = response_probability(served["experienced_score"].to_numpy(), 0.15, 2.0)
    expected = float((chance * (served["experienced_score"] >= 7)).sum() / chance.sum())
    csats = [
        _survey_csat(_redraw(bank, seed, 0.15, 2.0)[lambda s: s["served"]]) for seed in range(40)
    ]
    assert np.mean(csats) == pytest.approx(expected, abs=0.006)
    assert expected > served_csat + 0.04


def test_same_seed_same_respondents_another_seed_others(bank):
    again = _bank()
    assert again.survey_sample["answered"].tolist() == bank.survey_sample["answered"].tolist()
    assert {k: again.kpis()[k] for k in SURVEY_KPIS} == {k: bank.kpis()[k] for k in SURVEY_KPIS}
    # the same run, surveyed under another seed
    other = Result(bank.scenario, bank.records, policy=None, seed=bank.seed + 1)
    assert other.survey_sample["answered"].tolist() != bank.survey_sample["answered"].tolist()
    assert other.kpis()["csat"] == bank.kpis()["csat"]


def test_the_survey_changes_nothing_in_the_run(bank):
    surveyed_more = _bank(response_rate=0.6, extremity_bias=0.0)
    pd.testing.assert_frame_equal(surveyed_more.journeys, bank.journeys)
    pd.testing.assert_frame_equal(surveyed_more.interactions, bank.interactions)
    # a journey keeps its draw: a higher rate without bias only adds respondents
    assert not (bank.survey_sample["answered"] & ~surveyed_more.survey_sample["answered"]).any()


# --------------------------------------------------------------------------- shown
def test_survey_kpis_are_formatted_and_left_out_of_the_headline_table(bank):
    assert format_kpi("survey_csat", 0.8123) == "81.2%"
    assert format_kpi("survey_nps", 21.6) == "+21.6"
    assert format_kpi("survey_responses", 1380) == "1,380"
    table = bank.kpi_table()
    assert "CSAT (share satisfied)" in table.index and "Survey CSAT (answers)" not in table.index
    full = cxsim.kpi_comparison({"a": bank}, survey=True)["a"]
    assert full["Survey CSAT (answers)"].endswith("%")
    assert full["CSAT of hung-up journeys (remembered)"] == "0.0%"


def test_survey_table_and_figure_in_english_and_persian(bank):
    table = bank.survey_table()
    assert list(table.index) == [
        "remembered, all journeys",
        "remembered, served",
        "remembered, hung up",
        "survey answers",
    ]
    assert table.loc["survey answers", "journeys or answers"] == bank.kpis()["survey_responses"]
    assert table.loc["remembered, served", "CSAT (%)"] == round(100 * bank.kpis()["csat_served"], 1)
    figure = plots.plot_survey_vs_memory(bank)
    assert len(figure.axes) == 2
    assert [len(ax.patches) for ax in figure.axes] == [4, 4]
    cxsim.set_language("fa")
    persian = bank.survey_table()
    assert persian.index[-1] == "پاسخ‌های نظرسنجی"
    assert persian.index.name == "چه کسانی شمرده می‌شوند"


def test_without_behaviour_there_is_nothing_to_survey():
    result = cxsim.simulate("erlang_check", seed=0, days=0.25)
    assert not set(SURVEY_KPIS) & set(result.kpis())
    with pytest.raises(ValueError, match="behaviour"):
        result.survey_table()
