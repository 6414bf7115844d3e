"""Lesson 08 (cxsim.lessons.follow_up): follow-up runs, tables, plot, dashboard, checker."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from cxsim.lessons import follow_up as lesson
from cxsim.lessons.thresholds import acceptable
from cxsim.results import kpi_label
from cxsim.simulation import simulate

REACHED = "Bad journeys called back (share)"
CALLS, CSAT, MEMORY = "follow_ups", "csat", "mean_memory_score"
COST = "follow_up_cost"
YOURS, BASE, DIFF = "your policy", "baseline", "difference"


@pytest.fixture(scope="module")
def board():
    return lesson.dashboard()


@pytest.fixture(scope="module")
def pair():
    return lesson.run_pair(days=7, seed=1, capacity_per_day=20)


def test_follow_up_reaches_bad_journeys_and_costs_money(pair):
    table = lesson.kpi_comparison(pair)
    assert list(table.columns) == ["baseline", "follow_up", "difference"]
    assert table.at[REACHED, "baseline"] == 0 and table.at[REACHED, "follow_up"] > 0.2
    calls = table.at[CALLS, "follow_up"]
    assert 0 < calls <= 20 * 7  # at most the capacity each evening
    assert table.at[COST, "follow_up"] == pytest.approx(calls * 0.04, abs=0.01)
    assert table.at[MEMORY, DIFF] > 0


def test_recovery_table_lifts_memory_but_no_loyalty_bonus(pair):
    table = lesson.recovery_table(pair["follow_up"])
    called, other = table["called back"], table["not called"]
    assert called["score remembered"] == pytest.approx(called["score before call"] + 2.5, abs=0.05)
    assert other["score remembered"] == other["score before call"]
    assert other["still bad (share)"] == 1.0
    # the share who left is what the remembered score predicts (no bonus beyond memory)
    assert called["left (share)"] == pytest.approx(called["left, predicted from memory"], abs=0.12)


def test_capacity_table_grows_with_capacity():
    table = lesson.capacity_table((0, 10, 30), days=7, seed=1)
    assert list(table.columns) == [0, 10, 30]
    calls = list(table.loc[kpi_label(CALLS)])  # a lesson table, labelled for reading
    assert calls[0] == 0 < calls[1] < calls[2]
    reached = list(table.loc[REACHED])
    assert reached[0] < reached[1] < reached[2]


def test_plot_follow_up_has_titles_labels_and_data(pair):
    result = pair["follow_up"]
    figure = lesson.plot_follow_up(result)
    assert isinstance(figure, Figure) and "follow-up" in figure.get_suptitle()
    left, right = figure.axes
    assert "day" in left.get_xlabel() and "count" in left.get_ylabel()
    assert "0-10" in right.get_xlabel()
    called = sum(bar.get_height() for bar in left.containers[1])
    assert called == int(result.journeys["followed_up"].sum())
    assert left.get_lines()[0].get_ydata()[0] == 20  # the capacity line


def test_dashboard_update_reacts_to_capacity_and_switch(board):
    default, figures = board.update()
    assert list(default.columns) == [BASE, YOURS, DIFF]
    assert len(figures) == 1 and isinstance(figures[0], Figure)
    # 10 calls a day for 7 days, in working hours: the first call of day 0, at 09:00,
    # finds no bad journey yet
    # at most 10 calls a day for 7 days, fewer when fewer journeys went badly
    assert 40 <= default.at[CALLS, YOURS] <= 70 and default.at[CALLS, BASE] == 0
    more, _ = board.update(capacity_per_day=40)
    assert more.at[REACHED, YOURS] > default.at[REACHED, YOURS] > 0
    assert more.at[COST, YOURS] > default.at[COST, YOURS]
    off, _ = board.update(follow_up=False, capacity_per_day=40)
    assert off.at[CALLS, YOURS] == 0 and (off[DIFF] == 0).all()
    strong, _ = board.update(capacity_per_day=40, recovery_points=5.0)
    assert strong.at[MEMORY, DIFF] > more.at[MEMORY, DIFF]
    with pytest.raises(ValueError, match="capacity_per_day"):
        board.update(capacity_per_day=80)


def test_capacity_for_share_is_judged_on_paired_replications():
    """Issue 16 item 2: twenty runs of the dashboard's week per capacity, the same
    callers for each, instead of the dashboard's one week."""
    threshold = lesson.CAPACITY_THRESHOLD
    values = threshold.values()
    assert all(len(runs) == 20 for runs in values.values())
    seed = threshold.run_seeds()[5]
    fresh = lesson.reached_share(
        simulate(lesson.scenario_with(True, 5, 3.0, 2.5), seed=seed, days=7)
    )
    assert values[5][5] == fresh  # the shipped runs are the model's, to the digit
    means = [np.mean(values[c]) for c in sorted(values)]
    assert means == sorted(means)  # more calls reach more bad journeys
    good = acceptable(threshold.judge())
    assert good == [lesson.capacity_for_share()]  # one week agrees with twenty here


def test_check_capacity_for_share_says_why_with_numbers():
    judged = {s.setting: s for s in lesson.CAPACITY_THRESHOLD.judge()}
    answer = acceptable(list(judged.values()))[0]
    right = lesson.check_capacity_for_share(answer)
    assert right and "20 runs of 7 days" in right.message
    assert f"{judged[answer].mean:.1%}" in right.message
    fewer = lesson.check_capacity_for_share(answer - 5)
    assert not fewer and "too few" in fewer.message
    assert f"{judged[answer - 5].high:.1%}" in fewer.message
    more = lesson.check_capacity_for_share(answer + 10)
    assert not more and "more than needed" in more.message
    refused = lesson.check_capacity_for_share(7)
    assert not refused and "not one of the answers" in refused.message
