"""The hourly rota editor (cxsim.rota_editor) and service by hour of day (cxsim.hourly)."""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd
import pytest

from cxsim.catalog import load_scenario
from cxsim.hourly import exposure_days, hourly_service, service_by_hour
from cxsim.i18n import set_language
from cxsim.rota_editor import RotaEditor, check_rota, plot_service_by_hour, rota_cost
from cxsim.simulation import simulate

BANK_ROTA = list(load_scenario("contact_centre").touchpoint("phone").hourly_staff)
WAGE = load_scenario("contact_centre").economics.staff_cost_per_hour


@pytest.fixture(scope="module")
def two_days():
    return simulate("contact_centre", seed=3, days=2)


# --------------------------------------------------------------------------- cost
def test_editor_cost_is_agent_hours_times_wage():
    editor = RotaEditor("contact_centre", drafts=False)
    assert editor.agent_hours() == sum(BANK_ROTA)
    lunch = list(BANK_ROTA)
    for hour in (11, 12, 13, 14):
        lunch[hour] += 1
    editor.rota = lunch
    assert editor.agent_hours() == sum(BANK_ROTA) + 4
    assert editor.weekly_cost() == (sum(BANK_ROTA) + 4) * 7 * WAGE
    # four extra agent-hours a day cost 4 x 7 x 200,000 = 5.6 million toman a week
    assert editor.weekly_cost() - editor.weekly_cost(BANK_ROTA) == pytest.approx(5.6e6)
    assert "+4" in editor.summary() and "+5.6 million" in editor.summary()


def test_editor_cost_matches_the_books_of_a_week_run():
    rota = [2] * 8 + [5] * 12 + [1] * 4
    editor = RotaEditor("contact_centre", rota=rota, days=7, drafts=False)
    week = editor.simulate()
    assert week.kpis()["staff_cost"] == pytest.approx(editor.weekly_cost())
    assert rota_cost(rota, WAGE)["daily_cost"] == sum(rota) * WAGE


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("rota", "words"),
    [
        ([1] * 23, ["24 numbers", "got 23"]),
        ("1,2,3", ["24 numbers"]),
        ([1] * 12 + [40] + [1] * 11, ["hour 12", "40", "from 0 (closed) to 12"]),
        ([1] * 5 + [-1] + [1] * 18, ["hour 05", "-1"]),
        ([1] * 3 + [2.5] + [1] * 20, ["hour 03", "2.5", "whole numbers"]),
        ([1] * 23 + ["three"], ["hour 23", "'three'"]),
        ([True] + [1] * 23, ["hour 00"]),
        ([0] * 24, ["every hour is closed"]),
    ],
)
def test_bad_rota_refused_with_a_clear_message(rota, words):
    with pytest.raises(ValueError) as error:
        check_rota(rota)
    message = str(error.value)
    assert message.startswith("rota: ")
    for word in words:
        assert word in message


def test_setting_a_bad_rota_keeps_the_last_good_one():
    editor = RotaEditor("contact_centre", drafts=False)
    with pytest.raises(ValueError, match="hour 12"):
        editor.rota = [1] * 12 + [99] + [1] * 11
    assert editor.rota == BANK_ROTA


# --------------------------------------------------------------------------- the hook
def test_on_change_hears_every_change_once():
    editor = RotaEditor("contact_centre", drafts=False)
    heard = []
    editor.on_change(heard.append)
    editor.rota = [3] * 24
    editor.rota = [3] * 24  # no change, no call
    assert heard == [[3] * 24]
    editor.widget()
    editor.sliders[12].value = 6  # a trainee drags 12:00 up
    assert heard[-1][12] == 6 and editor.rota[12] == 6
    assert "Agent-hours a day: 75" in editor.ui["summary"].value  # 3 x 23 + 6


# --------------------------------------------------------------------------- the widget
def test_widget_marks_open_hours_and_loads_presets():
    presets = {"lunch": [r + (11 <= h < 15) for h, r in enumerate(BANK_ROTA)]}
    editor = RotaEditor("contact_centre", presets=presets, drafts=False)
    box = editor.widget()
    assert len(editor.sliders) == 24 and "cxsim-dashboard" in box._dom_classes
    editor.ui["preset"].value = "lunch"
    assert [s.value for s in editor.sliders] == presets["lunch"]
    assert editor.agent_hours() == sum(BANK_ROTA) + 4
    editor.sliders[3].value = 0  # close 03:00
    column = editor._columns[3]
    assert "cxsim-closed" in column._dom_classes and "cxsim-open" not in column._dom_classes
    editor.ui["reset"].click()
    assert editor.rota == BANK_ROTA


def test_widget_refuses_closing_every_hour():
    editor = RotaEditor("contact_centre", rota=[1] + [0] * 23, drafts=False)
    editor.widget()
    editor.sliders[0].value = 0
    assert editor.rota[0] == 1 and editor.sliders[0].value == 1
    assert "every hour is closed" in editor.ui["status"].value


def test_widget_in_persian_reads_right_to_left():
    set_language("fa")
    try:
        editor = RotaEditor("contact_centre", drafts=False)
        box = editor.widget()
        assert "cxsim-rtl" in box._dom_classes
        summary = html.unescape(re.sub("<[^>]+>", "", editor.ui["summary"].value))
        assert "۵۷" in summary and not any(c.isascii() and c.isalpha() for c in summary)
        assert "۱۳" in editor._columns[13].children[0].value  # hour label, Persian digits
        assert editor.sliders[0].readout_widget.locale == "fa-IR"
    finally:
        set_language("en")


@pytest.mark.slow
def test_run_compares_your_rota_with_the_banks_on_the_same_customers():
    lunch = [r + (11 <= h < 15) for h, r in enumerate(BANK_ROTA)]
    editor = RotaEditor("contact_centre", rota=lunch, days=14, drafts=False)
    table, figure = editor.run()
    assert list(table.columns) == ["the bank's rota", "your rota", "difference"]
    # 4 more agent-hours a day for 14 days
    assert table.loc["staff_cost", "difference"] == pytest.approx(4 * 14 * WAGE)
    assert table.loc["service_level", "your rota"] >= table.loc["service_level", "the bank's rota"]
    top, bottom = figure.axes
    assert top.get_ylim() == (0.0, 1.08)
    assert [line.get_ydata()[0] for line in top.get_lines()] == [0.8]  # the target line
    editor.widget()
    editor.press_run()
    assert editor.ui["status"].value.startswith("Updated in")


# --------------------------------------------------------------------------- by hour
def test_service_by_hour_equals_a_count_by_hand(two_days):
    table = hourly_service(two_days)
    visits = two_days.interactions
    target = two_days.scenario.touchpoint("phone").target_wait_min
    calls = [0] * 24
    in_target = [0] * 24
    abandoned = [0] * 24
    waits = [[] for _ in range(24)]
    for row in visits.itertuples():
        if row.callback or row.touchpoint != "phone":
            continue
        hour = int(row.arrival_min // 60) % 24
        calls[hour] += 1
        waits[hour].append(row.wait_min)
        if row.outcome in ("served", "in_service") and row.wait_min <= target:
            in_target[hour] += 1
        if row.abandoned:
            abandoned[hour] += 1
    for hour in range(24):
        assert table.loc[hour, "calls"] == pytest.approx(calls[hour] / 2)
        assert table.loc[hour, "abandoned"] == pytest.approx(abandoned[hour] / 2)
        if calls[hour]:
            assert table.loc[hour, "service_level"] == pytest.approx(in_target[hour] / calls[hour])
            assert table.loc[hour, "mean_wait_min"] == pytest.approx(np.mean(waits[hour]))
        else:
            assert math.isnan(table.loc[hour, "service_level"])
    assert table["staff"].tolist() == BANK_ROTA


def test_hours_add_up_to_the_days_kpis(two_days):
    table = hourly_service(two_days)
    kpis = two_days.kpis()
    assert table["answered_in_target"].sum() / table["calls"].sum() == pytest.approx(
        kpis["service_level"]
    )
    assert table["abandoned"].sum() / table["calls"].sum() == pytest.approx(
        kpis["abandonment_rate"]
    )


def test_callbacks_and_warmup_are_left_out():
    visits = pd.DataFrame(
        {
            "touchpoint": pd.Categorical(["phone"] * 4),
            "arrival_min": [30.0, 630.0, 640.0, 1470.0],
            "wait_min": [0.0, 2.0, 9.0, 1.0],
            "service_min": [3.0, 3.0, 0.0, 3.0],
            "outcome": ["served", "served", "abandoned", "served"],
            "abandoned": [False, False, True, False],
            "callback": [False, True, False, False],
        }
    )
    # the first hour of day 0 is warm-up; the 10:30 call is a callback (the firm's)
    table = service_by_hour(visits, 5.0, (60.0, 2880.0))
    assert table.loc[0, "calls"] == pytest.approx(1.0)  # one call at 00:30 on day 1, 1 day
    assert table.loc[10, "calls"] == pytest.approx(0.5) and table.loc[10, "service_level"] == 0
    assert exposure_days((60.0, 2880.0))[0] == 1.0 and exposure_days((60.0, 2880.0))[1] == 2.0


def test_band_over_replications():
    runs = [simulate("contact_centre", seed=s, days=2) for s in range(3)]
    band = hourly_service(runs)
    alone = [hourly_service(run) for run in runs]
    assert band.attrs["replications"] == 3
    assert band.loc[10, "calls"] == pytest.approx(np.mean([t.loc[10, "calls"] for t in alone]))
    shares = band[["service_level", "service_level_low", "service_level_high"]].dropna()
    assert (shares["service_level_low"] <= shares["service_level"] + 1e-12).all()
    assert (shares["service_level"] <= shares["service_level_high"] + 1e-12).all()
    assert shares.to_numpy().min() >= 0 and shares.to_numpy().max() <= 1


def test_chart_labels_the_hours_below_target():
    table = pd.DataFrame(
        {
            "service_level": [0.95] * 20 + [0.5, 0.7, 0.9, 0.95],
            "abandoned": [0.1] * 20 + [3.0, 2.0, 1.0, 0.5],
        },
        index=pd.RangeIndex(24, name="hour"),
    )
    figure = plot_service_by_hour(table, target=0.8)
    top, bottom = figure.axes
    labels = [t.get_text() for t in top.texts]
    assert "50%" in labels and "70%" in labels  # below the 80% target
    assert top.get_ylim() == (0.0, 1.08) and bottom.get_ylim()[0] == 0
    assert sorted(t.get_text() for t in bottom.texts) == ["1.0", "2.0", "3.0"]
    with pytest.raises(ValueError, match="not a table of hourly_service"):
        plot_service_by_hour(table.head(5))


def test_a_restored_rota_draft_sets_the_hours_and_waits_for_the_whole_editor():
    editor = RotaEditor("contact_centre", rota=BANK_ROTA)
    editor.widget()
    drafts = editor.ui["drafts"]
    # the browser sends a saved rota only once every slider and the table exist in its page
    waited = {id(part) for part in drafts.waits_for}
    assert all(id(slider) in waited for slider in editor.sliders)
    assert id(editor.ui["table"]) in waited and id(drafts) not in waited
    drafts.restored = {"h12": BANK_ROTA[12] + 2, "h03": 99}  # 99 agents: refused
    assert editor.rota[12] == BANK_ROTA[12] + 2 and editor.rota[3] == BANK_ROTA[3]
