"""cxsim.widgets: dashboards tested through their plain methods and their widget tree."""

from __future__ import annotations

import base64

import ipywidgets as w
import pandas as pd
import pytest
from matplotlib.figure import Figure

from cxsim.formatting import table_text
from cxsim.plots import plot_hourly
from cxsim.results import kpi_label
from cxsim.widgets import Control, Dashboard, kpi_frame, staffing_dashboard

YOURS, BASE, DIFF = "your policy", "baseline", "difference"
WAIT, ABANDON = "mean_wait_min", "abandonment_rate"  # tables keep KPI names


@pytest.fixture(scope="module")
def dashboard() -> Dashboard:
    return staffing_dashboard()


def _kpis_view(results):
    return kpi_frame(results), []


# --------------------------------------------------------------------------- update()
def test_update_returns_kpis_beside_the_baseline_and_the_hourly_chart(dashboard):
    table, figures = dashboard.update()
    assert list(table.columns) == [BASE, YOURS, DIFF]
    assert table.index.name == "KPI"
    assert WAIT in table.index and "service_level" in table.index
    assert (table[DIFF] == 0).all()  # the defaults are the baseline
    assert (table.round(2) == table).all().all()
    assert len(figures) == 1 and isinstance(figures[0], Figure)
    assert figures[0].get_suptitle().startswith("phone")


def test_difference_is_your_policy_minus_the_baseline(dashboard):
    table, _figures = dashboard.update(extra_agents=2)
    assert (table[DIFF] - (table[YOURS] - table[BASE])).abs().max() <= 0.011


def test_more_agents_cut_waiting_and_abandonment(dashboard):
    fewer, _ = dashboard.update(extra_agents=-2)
    default, _ = dashboard.update()
    more, _ = dashboard.update(extra_agents=3)
    assert fewer.at[WAIT, YOURS] > default.at[WAIT, YOURS] > more.at[WAIT, YOURS]
    assert fewer.at[ABANDON, YOURS] > default.at[ABANDON, YOURS] > more.at[ABANDON, YOURS]
    assert more.at[WAIT, DIFF] < 0 < fewer.at[WAIT, DIFF]


def test_longer_calls_mean_longer_waits(dashboard):
    short, _ = dashboard.update(handle_time=2.5)
    long, _ = dashboard.update(handle_time=6.0)
    assert long.at[WAIT, YOURS] > short.at[WAIT, YOURS]
    assert long.at[ABANDON, YOURS] > short.at[ABANDON, YOURS]


def test_same_values_give_the_same_table_in_a_new_dashboard(dashboard):
    first, _ = dashboard.update(extra_agents=1, handle_time=4.5, seed=3)
    second, _ = staffing_dashboard().update(extra_agents=1, handle_time=4.5, seed=3)
    pd.testing.assert_frame_equal(first, second)
    other_day, _ = dashboard.update(extra_agents=1, handle_time=4.5, seed=4)
    assert not first.equals(other_day)


def test_the_baseline_shares_the_seed_of_your_run(dashboard):
    results = dashboard.results(extra_agents=1, seed=5)
    assert results[BASE].seed == results[YOURS].seed == 5
    assert (
        results[BASE].scenario.touchpoint("phone").hourly_staff
        == dashboard.scenario.touchpoint("phone").hourly_staff
    )


def test_extra_agents_shift_the_whole_rota_and_never_close_the_line(dashboard):
    rota = dashboard.scenario.touchpoint("phone").hourly_staff
    scenario, seed, days = dashboard.variant(extra_agents=-3)
    assert scenario.touchpoint("phone").hourly_staff == tuple(max(1, s - 3) for s in rota)
    scenario, _seed, _days = dashboard.variant(extra_agents=2, handle_time=5.0)
    assert scenario.touchpoint("phone").hourly_staff == tuple(s + 2 for s in rota)
    assert scenario.touchpoint("phone").service_min.mean == 5.0
    assert (seed, days) == (0, 1)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"extra_agents": -4},
            r"Extra agents at every hour \(extra_agents\): -4 .*range; "
            r"allowed: -3 to 5",
        ),
        ({"extra_agents": 6}, r"Extra agents.*6 is outside the allowed range; allowed: -3 to 5"),
        ({"extra_agents": 1.5}, r"Extra agents.*1.5 is not a whole number; allowed: -3 to 5"),
        ({"handle_time": 0.5}, r"Mean handle time \(min\) \(handle_time\): 0.5 .*allowed: 1 to 8"),
        ({"handle_time": "long"}, r"handle_time.*'long' is not a number"),
        ({"seed": -1}, r"Seed.*-1 is outside the allowed range; allowed: 0 to 99"),
        (
            {"agents": 2},
            r"unknown control\(s\) agents; this dashboard has: extra_agents, "
            r"handle_time, seed",
        ),
    ],
)
def test_values_a_control_does_not_allow_are_rejected(dashboard, values, message):
    with pytest.raises(ValueError, match=message):
        dashboard.update(**values)


# --------------------------------------------------------------------------- controls
@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            dict(name="touchpoints.phone.staff", label="Agents", kind="int", min=-1, max=5),
            "staff are whole numbers of people, 0 or more",
        ),
        (
            dict(name="touchpoints.phone.staff", label="Agents", kind="float", min=0, max=5),
            "staff are whole numbers",
        ),
        (
            dict(name="segments.premium.share", label="Premium", kind="float", min=0, max=1.5),
            "share is a share: min and max must lie within 0 and 1",
        ),
        (dict(name="x", label="X", kind="float", min=3, max=1), r"min \(3\) must be below max"),
        (dict(name="x", label="X", kind="slider", min=0, max=1), "unknown kind 'slider'"),
        (dict(name="x", label="X", kind="dropdown"), "a dropdown needs options"),
        (dict(name="x", label="X", kind="int", min=0, max=5, default=7), "7 is outside"),
        (
            dict(name="phone", label="Shift", kind="staff_shift", min=-1, max=1),
            "needs the path touchpoints.<name>.staff",
        ),
    ],
)
def test_controls_that_could_reach_invalid_values_cannot_be_made(spec, message):
    with pytest.raises(ValueError, match=message):
        Control(**spec)


def test_dashboards_check_control_ranges_against_the_model():
    bad_mean = Control("touchpoints.phone.service_min.mean", "Handle time", "float", min=0, max=8)
    with pytest.raises(ValueError, match=r"'Handle time'.*0 is not valid.*must be greater than 0"):
        Dashboard("contact_centre", [bad_mean], _kpis_view)
    narrow = Control("touchpoints.phone.service_min.mean", "Handle time", "float", min=1, max=3)
    with pytest.raises(
        ValueError,
        match=r"scenario's value 3.7 is outside the control's range "
        r"1 to 3",
    ):
        Dashboard("contact_centre", [narrow], _kpis_view)
    typo = Control("touchpoints.fone.staff", "Agents", "int", min=0, max=9)
    with pytest.raises(ValueError, match="unknown touchpoint 'fone'; did you mean 'phone'"):
        Dashboard("contact_centre", [typo], _kpis_view)
    shift = Control("touchpoints.fone.staff", "Shift", "staff_shift", min=-1, max=1)
    with pytest.raises(ValueError, match="unknown touchpoint 'fone'"):
        Dashboard("contact_centre", [shift], _kpis_view)
    policy = Control("policy", "Policy", "dropdown", options=(None, "leaner"))
    with pytest.raises(ValueError, match="unknown policy 'leaner'"):
        Dashboard("contact_centre", [policy], _kpis_view)


def test_defaults_come_from_the_scenario():
    control = Control("touchpoints.phone.service_min.mean", "Handle time", "float", min=1, max=8)
    dashboard = Dashboard("contact_centre", [control], _kpis_view)
    assert dashboard.defaults() == {"touchpoints.phone.service_min.mean": 3.7}


def test_policy_dropdown_and_staff_scale_combine():
    controls = [
        Control("policy", "Policy", "dropdown", options=(None, "lean", "generous")),
        Control(
            "touchpoints.phone.staff",
            "Rota size",
            "staff_scale",
            min=0,
            max=2,
            step=0.25,
            key="scale",
        ),
    ]
    dashboard = Dashboard("contact_centre", controls, _kpis_view, days=1)
    lean = dashboard.scenario.with_policy("lean").touchpoint("phone").hourly_staff
    scenario, _seed, _days = dashboard.variant(policy="lean", scale=1.5)
    assert scenario.touchpoint("phone").hourly_staff == tuple(int(s * 1.5 + 0.5) for s in lean)
    with pytest.raises(
        ValueError,
        match=r"Policy \(policy\): 'leaner' is not one of the "
        r"options; allowed: baseline, lean, generous",
    ):
        dashboard.update(policy="leaner")


def test_a_control_left_at_the_scenario_value_keeps_what_the_policy_set():
    controls = [
        Control("policy", "Policy", "dropdown", options=(None, "courtesy_training")),
        Control("levers.training", "Training", "float", min=0, max=1, step=0.1),
    ]
    dashboard = Dashboard("contact_centre", controls, _kpis_view, days=1)
    assert dashboard.defaults() == {"policy": None, "levers.training": 0.0}
    scenario, _seed, _days = dashboard.variant(policy="courtesy_training")
    assert scenario.levers.training == 1.0
    scenario, _seed, _days = dashboard.variant(
        policy="courtesy_training", **{"levers.training": 0.5}
    )
    assert scenario.levers.training == 0.5


def test_a_dashboard_without_reference_gives_the_view_one_result():
    seen = []

    def view(results):
        seen.append(results)
        return kpi_frame(results, ["mean_wait_min"]), []

    dashboard = Dashboard("contact_centre", [], view, days=1, seed=2)
    table, figures = dashboard.update()
    assert list(table.columns) == ["value"] and list(table.index) == [WAIT]
    assert figures == [] and seen[0].seed == 2


# --------------------------------------------------------------------------- the widget tree
def _sliders(box: w.Widget) -> list[w.Widget]:
    found = []
    for child in getattr(box, "children", ()):
        if isinstance(child, w.IntSlider | w.FloatSlider):
            found.append(child)
        found += _sliders(child)
    return found


def _html(output: w.Output) -> str:
    return "".join(item.get("data", {}).get("text/html", "") for item in output.outputs)


def test_widget_has_a_slider_per_control_with_the_controls_range():
    dashboard = staffing_dashboard()
    box = dashboard.widget()
    assert isinstance(box, w.VBox)
    sliders = _sliders(box)
    assert len(sliders) == len(dashboard.controls)
    for slider, control in zip(sliders, dashboard.controls, strict=True):
        assert (slider.min, slider.max, slider.step) == (control.min, control.max, control.step)
        assert slider.value == control.default
        assert slider.description == control.label
        assert slider.continuous_update is False
    assert dashboard.ui.inputs["extra_agents"] is sliders[0]


def test_widget_shows_the_table_and_figures_at_once():
    dashboard = staffing_dashboard()
    dashboard.widget()
    ui = dashboard.ui
    assert "<table" in _html(ui.table) and kpi_label(WAIT) in _html(ui.table)
    assert len(ui.figures.outputs) == 1
    png = base64.b64decode(ui.figures.outputs[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG")
    assert ui.status.value.startswith("Updated in")


def test_moving_a_slider_runs_an_update_and_changes_the_output():
    dashboard = staffing_dashboard()
    dashboard.widget()
    ui = dashboard.ui
    before = _html(ui.table)
    ui.inputs["extra_agents"].value = 3
    after = _html(ui.table)
    assert after != before
    expected, _figures = dashboard.update(extra_agents=3)
    assert ui.table.outputs[0]["data"]["text/plain"] == table_text(expected)
    assert f"<td>{expected.at[ABANDON, YOURS]:.2f}</td>" in after
    assert not any(box.disabled for box in ui.inputs.values())
    ui.reset.click()
    assert ui.inputs["extra_agents"].value == 0 and _html(ui.table) == before


def test_a_restored_draft_moves_the_controls_runs_once_and_waits_for_the_table():
    dashboard = staffing_dashboard()
    dashboard.widget()
    ui = dashboard.ui
    # the browser sends what it found only once these widgets exist in its page: the
    # controls, the table and the status line a restore changes (never the drafts)
    waited = {id(part) for part in ui.drafts.waits_for}
    for part in (*ui.inputs.values(), ui.table, ui.status, ui.reset):
        assert id(part) in waited
    assert id(ui.drafts) not in waited
    runs = []
    ui.status.observe(lambda change: runs.append(change["new"]), names="value")
    ui.drafts.restored = {"extra_agents": 2, "not_a_control": 1}
    assert ui.inputs["extra_agents"].value == 2
    assert sum(text.startswith("Updated in") for text in runs) == 1  # one run, not one a move
    expected, _figures = dashboard.update(extra_agents=2)
    assert ui.table.outputs[0]["data"]["text/plain"] == table_text(expected)
    assert ui.drafts.values["extra_agents"] == 2
    ui.drafts.restored = {"extra_agents": 10_000}  # out of range: refused, nothing moves
    assert ui.inputs["extra_agents"].value == 2


def test_a_dropdown_option_worth_none_is_shown_selected_and_reset_to():
    control = Control(
        "levers.promise_min",
        "Promise",
        "dropdown",
        options=(("no promise", None), ("2 min", 2.0), ("5 min", 5.0)),
    )
    dashboard = Dashboard("contact_centre", [control], _kpis_view, days=1)
    dashboard.widget()
    box = dashboard.ui.inputs["levers.promise_min"]
    assert (box.index, box.label) == (0, "no promise")
    before = _html(dashboard.ui.table)
    box.label = "2 min"
    expected, _figures = dashboard.update(**{"levers.promise_min": 2.0})
    assert dashboard.ui.table.outputs[0]["data"]["text/plain"] == table_text(expected)
    box.label = "no promise"  # chosen again: still shown (a None value would blank it)
    assert (box.index, box.label) == (0, "no promise") and _html(dashboard.ui.table) == before
    box.index = 2
    dashboard.ui.reset.click()
    assert (box.index, box.label) == (0, "no promise") and _html(dashboard.ui.table) == before


def test_controls_are_disabled_and_a_label_shows_while_simulating():
    seen = {}

    def view(results):
        ui = dashboard.ui
        seen["status"] = ui.status.value
        seen["disabled"] = [box.disabled for box in ui.inputs.values()]
        return kpi_frame(results), [plot_hourly(results)]

    control = Control("touchpoints.phone.staff", "Shift", "staff_shift", min=-1, max=1)
    dashboard = Dashboard("contact_centre", [control], view, days=1)
    dashboard.widget()
    assert seen == {"status": "Simulating…", "disabled": [True]}
    assert dashboard.ui.status.value.startswith("Updated in")


def test_an_error_shows_as_one_line_not_a_traceback():
    def view(results):
        if results.scenario.touchpoint("phone").hourly_staff[10] > 5:
            raise RuntimeError("the view broke\nTraceback (most recent call last): ...")
        return kpi_frame(results), []

    control = Control("touchpoints.phone.staff", "Shift", "staff_shift", min=-1, max=3)
    dashboard = Dashboard("contact_centre", [control], view, days=1)
    dashboard.widget()
    ui = dashboard.ui
    ui.inputs["touchpoints.phone.staff"].value = 3
    assert len(ui.table.outputs) == 1 and ui.figures.outputs == ()
    text = ui.table.outputs[0]["data"]["text/plain"]
    assert text == "Could not simulate: the view broke"
    assert "\n" not in text and "Traceback" not in _html(ui.table)
    assert isinstance(dashboard.last_error, RuntimeError)
    assert not ui.inputs["touchpoints.phone.staff"].disabled
    ui.inputs["touchpoints.phone.staff"].value = 0
    assert "<table" in _html(ui.table) and dashboard.last_error is None


def test_display_outside_a_notebook_does_not_fail(capsys):
    control = Control("seed", "Seed", "int", min=0, max=3)
    Dashboard("contact_centre", [control], _kpis_view, days=1).display()
    assert "VBox" in capsys.readouterr().out
