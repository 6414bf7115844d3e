"""Lesson 06 (word of mouth and promises): tables, figures, dashboard and checker."""

from __future__ import annotations

import pytest

from cxsim.lessons import word_of_mouth as lesson


@pytest.fixture(scope="module")
def runs():
    return lesson.run_policies(days=14)


@pytest.fixture(scope="module")
def board():
    return lesson.dashboard()


def test_courtesy_brings_referrals_lean_deters(runs):
    table = lesson.word_of_mouth_table(runs)
    assert list(table.columns) == ["baseline", "lean", "courtesy_training"]
    referrals = table.loc["Referred customers"]
    deterred = table.loc["Prospects put off"]
    assert referrals["courtesy_training"] > 2 * referrals["baseline"]
    assert deterred["lean"] > deterred["baseline"] > deterred["courtesy_training"]
    net = table.loc["Word of mouth, net (referred − put off)"]
    assert net["baseline"] == referrals["baseline"] - deterred["baseline"]


def test_new_customers_figure(runs):
    figure = lesson.plot_new_customers(runs)
    ax = figure.axes[0]
    assert figure.get_suptitle() and ax.get_xlabel() == "Day" and "per day" in ax.get_ylabel()
    assert len(ax.lines) == 3
    daily = runs["lean"].daily["new_customers"].tolist()
    assert list(ax.lines[1].get_ydata()) == daily


def test_promise_policies_allow_none():
    policies = lesson.promise_policies([None, 2])
    assert policies == {"none": {"levers.promise_min": None}, "2 min": {"levers.promise_min": 2}}


def test_promise_table_short_promise_hurts_long_one_helps():
    table = lesson.promise_table((None, 1, 10), n=3, days=7)
    nps = table.xs("Net Promoter Score", level="KPI")["difference"]
    assert nps["1 min"] < 0 < nps["10 min"]
    service = table.xs("Service level (answered within target)", level="KPI")["difference"]
    # nearly the same waits (returning customers differ a little): expectations change
    assert (service.abs() <= 0.02).all()


def test_dashboard_directions(board):
    table, figures = board.update()
    assert list(table.columns) == ["baseline", "your policy", "difference"]
    assert (table["difference"] == 0).all()
    base = table["baseline"]

    def mine(**values):
        return board.update(**values)[0]["your policy"]

    assert mine(promise=1)["nps"] < base["nps"] - 2
    assert mine(promise=10)["nps"] > base["nps"]
    assert mine(referral_probability=0.4)["referrals"] > 2 * base["referrals"]
    kind = mine(courtesy=0.9)
    assert kind["deterred"] < base["deterred"]
    assert kind["customers"] > base["customers"]
    assert mine(courtesy=0.3)["nps"] < base["nps"] - 20
    assert len(figures) == 1 and len(figures[0].axes[0].lines) == 2


def test_dashboard_rejects_values_outside_the_model(board):
    with pytest.raises(ValueError):
        board.update(promise=3)
    with pytest.raises(ValueError):
        board.update(referral_probability=0.8)


def test_check_safe_promise():
    expected = lesson._safe_promise(5, 0, 14)
    assert lesson.check_safe_promise(expected)
    wrong = 1 if expected != 1 else 10
    verdict = lesson.check_safe_promise(wrong)
    assert not verdict and "Not yet" in repr(verdict)
