"""Follow one customer (cxsim.story, cxsim.story_view): a story told from the run's records."""

import math
import re

import numpy as np
import pytest

import cxsim
from cxsim import i18n
from cxsim.behaviour import leave_probability, recommend_score, remember_journey
from cxsim.story import LONG_WAIT_MIN, customer_story, pick_customers, word_of_mouth
from cxsim.story_view import STORY_CLASS, plot_story, story_widget


@pytest.fixture(scope="module")
def bank():
    return cxsim.simulate("contact_centre", seed=1)


@pytest.fixture(scope="module")
def shop():
    return cxsim.simulate("retail_journey", seed=1, days=14)


@pytest.fixture
def persian():
    i18n.set_language("fa")
    yield
    i18n.set_language("en")


def _check_against_records(result, story):
    """Every contact and journey of the story is the run's own row."""
    visits = result.interactions
    journeys = result.journeys.set_index("journey_id")
    retention = result.scenario.behaviour.retention
    for journey in story.journeys:
        row = journeys.loc[journey.journey_id]
        assert row["customer_id"] == story.customer_id
        mine = visits[visits["journey_id"] == journey.journey_id].sort_values("arrival_min")
        assert [c.wait_min for c in journey.contacts] == mine["wait_min"].tolist()
        assert [c.arrival_min for c in journey.contacts] == mine["arrival_min"].tolist()
        assert [c.outcome == "hung_up" for c in journey.contacts] == (
            mine["abandoned"] & ~mine["callback"]
        ).tolist()
        scores = [c.score for c in journey.contacts if not math.isnan(c.score)]
        if journey.status != "open":
            # the remembered score is the memory rule applied to the contacts shown
            assert remember_journey(scores) == pytest.approx(row["experienced_score"], abs=1e-12)
            assert journey.experienced == row["experienced_score"]
        assert journey.outcome == (None if isinstance(row["outcome"], float) else row["outcome"])
        if journey.outcome in ("return", "leave"):
            assert journey.leave_chance == leave_probability(
                row["memory_score"],
                floor=retention.floor,
                ceiling=retention.ceiling,
                midpoint=retention.midpoint,
                steepness=retention.steepness,
            )


def test_each_picked_story_is_the_runs_own_records(bank, shop):
    for result in (bank, shop):
        picks = pick_customers(result)
        assert set(picks) == {
            "left_after_long_wait",
            "stayed_despite_bad_call",
            "loyal_regular",
            "referral",
        }
        for customer in picks.values():
            _check_against_records(result, customer_story(result, customer))


def test_a_customer_who_left_after_a_long_wait_waited_longest_among_leavers(bank):
    story = customer_story(bank, pick_customers(bank)["left_after_long_wait"])
    left = story.left
    assert left is not None and left is story.journeys[-1]
    longest = max(c.wait_min for c in left.contacts)
    assert longest >= LONG_WAIT_MIN
    # no customer who left waited longer on hold in the journey they left after
    journeys, visits = bank.journeys, bank.interactions
    leavers = journeys.loc[journeys["outcome"] == "leave", "journey_id"]
    on_hold = visits[visits["journey_id"].isin(leavers) & ~visits["callback"]]
    assert longest == on_hold["wait_min"].max()
    # the chance of leaving a memory carries is the retention curve's (N2: ~25% when bad)
    assert left.remembered < 5 and 0.2 < left.leave_chance < 0.28


def test_the_other_picks_fit_their_labels(bank):
    picks = pick_customers(bank)
    stayed = customer_story(bank, picks["stayed_despite_bad_call"])
    bad = [j for j in stayed.journeys if min(c.score for c in j.contacts) < 5.0]
    assert bad and bad[0].outcome == "return" and bad[0] is not stayed.journeys[-1]
    assert not math.isnan(bad[0].next_start_min) and stayed.left is None

    loyal = customer_story(bank, picks["loyal_regular"])
    assert all(j.outcome != "leave" and j.remembered >= 5.0 for j in loyal.journeys)
    journeys = bank.journeys
    counts = journeys.groupby("customer_id").size()
    never_bad = ~journeys.groupby("customer_id")["bad"].any()
    assert len(loyal.journeys) == counts[never_bad].max() >= 2

    referral = customer_story(bank, picks["referral"])
    assert referral.referred and not referral.established


def test_word_of_mouth_replays_the_models_own_draws(bank, shop):
    """The story re-draws the model's word-of-mouth stream; the run's counters agree."""
    for result in (bank, shop):
        told = word_of_mouth(result)
        journeys = result.journeys.set_index("journey_id")
        counters = result.records.counters
        deterred = [j for j, what in told.items() if what == "deterred"]
        referred = [j for j, what in told.items() if what == "referred"]
        assert all(recommend_score(journeys.loc[j, "experienced_score"]) <= 6 for j in deterred)
        assert all(recommend_score(journeys.loc[j, "experienced_score"]) >= 9 for j in referred)
        # every prospect put off was owed by a detractor; at most a few owed at the end
        assert counters["deterred"] <= len(deterred) <= counters["deterred"] + 3
        # every referred arrival was a promoter's referral; the rest fall after the run
        ended = journeys.loc[referred, "end_min"]
        due_in_run = (ended < result.records.end_min - 14 * 1440).sum()
        assert due_in_run <= counters["referrals"] <= len(referred)
        assert (
            counters["referrals"]
            == journeys["referred"].groupby(journeys["customer_id"]).any().sum()
        )


def test_a_shop_journey_has_its_steps_and_self_service_shows_no_courtesy(shop):
    story = customer_story(shop, pick_customers(shop)["left_after_long_wait"])
    touchpoints = {c.touchpoint for j in story.journeys for c in j.contacts}
    assert {"website", "support"} <= touchpoints
    for contact in (c for j in story.journeys for c in j.contacts):
        if contact.touchpoint in ("website", "delivery"):
            assert contact.courtesy_met is None and not contact.staffed
        elif contact.outcome == "served":
            assert contact.courtesy_met == (contact.courtesy >= contact.expected_courtesy)


def test_sentences_tell_the_numbers_and_persian_has_no_latin_letters(bank, persian):
    picks = pick_customers(bank)
    i18n.set_language("en")
    english = customer_story(bank, picks["left_after_long_wait"]).sentences()
    left = customer_story(bank, picks["left_after_long_wait"]).left
    assert any(f"{left.remembered:.1f} of 10" in line for line in english)
    assert any(line.startswith("Left the firm on day") for line in english)
    i18n.set_language("fa")
    i18n.reset_missing()
    for customer in picks.values():
        for line in customer_story(bank, customer).sentences():
            # claim numbers (N2, Q9) stay as the sources write them
            assert not re.search("[A-Za-z0-9]", re.sub(r"\b[NQ]\d+\b", "", line)), line
    assert i18n.missing() == []


def test_the_figure_draws_one_row_per_journey(bank):
    story = customer_story(bank, pick_customers(bank)["loyal_regular"])
    figure = plot_story(story)
    ax = figure.axes[0]
    assert len(ax.get_yticks()) == len(story.journeys) >= 2
    contacts = sum(len(j.contacts) for j in story.journeys)
    marks = [c for c in ax.collections if len(c.get_offsets()) == 1]
    assert len(marks) == contacts + len(story.journeys)  # each contact, each memory
    assert ax.get_xlim()[0] == 0
    texts = [t.get_text() for t in ax.texts]
    assert f"{story.journeys[0].remembered:.1f}" in texts


def test_unknown_customer_is_refused_with_the_range(bank):
    with pytest.raises(ValueError, match="customer_id: no customer 99999999 in this run"):
        customer_story(bank, 99_999_999)


def test_the_widget_shows_a_figure_and_sentences_and_draws_others(bank, persian):
    box = story_widget(bank)
    assert STORY_CLASS in box._dom_classes and "cxsim-rtl" in box._dom_classes
    assert len(box.choice.options) == 4
    kinds = [set(output["data"]) for output in box.output.outputs]
    assert "image/png" in kinds[0] and "text/html" in kinds[1]
    assert 'dir="rtl"' in box.output.outputs[1]["data"]["text/html"]
    box.draw_another()
    assert len(box.choice.options) == 5
    shown = box.output.outputs[1]["data"]["text/plain"]
    i18n.set_language("fa")
    assert shown == "\n".join(customer_story(bank, box.choice.value).sentences())
    # the same run and clicks show the same customer to everyone
    again = story_widget(bank)
    again.draw_another()
    assert again.choice.value == box.choice.value
    np.testing.assert_equal(bank.seed, 1)
