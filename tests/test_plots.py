"""cxsim.plots: what each figure shows, checked on the figure objects themselves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

import cxsim
from cxsim import i18n, plots
from cxsim.plots import (
    BASELINE_COLOUR,
    plot_differences,
    plot_hourly,
    plot_kpi_comparison,
    plot_simulation_vs_theory,
    plot_sweep,
    plot_wait_distribution,
    policy_colour,
)
from cxsim.results import kpi_label

POLICIES = [None, "lean", "generous"]


@pytest.fixture(scope="module")
def results() -> list[cxsim.Result]:
    return [cxsim.simulate("contact_centre", policy=policy, seed=1, days=1) for policy in POLICIES]


@pytest.fixture(scope="module")
def summary(results) -> pd.DataFrame:
    """A table shaped like compare(...).summary(): policy, kpi, mean, ci_low, ci_high."""
    rows = []
    for result in results:
        for kpi, value in result.kpis().items():
            rows.append(
                {
                    "policy": result.policy or "baseline",
                    "kpi": kpi,
                    "mean": value,
                    "ci_low": value * 0.9,
                    "ci_high": value * 1.1,
                    "n": 10,
                }
            )
    return pd.DataFrame(rows)


def _hex(colour) -> str:
    return to_hex(colour).lower()


def _has_units(label: str) -> bool:
    return label.endswith(")") and "(" in label


def _assert_house_style(figure: Figure) -> None:
    """A title, and every axis labelled with its unit (shared axes: on one of the siblings)."""
    assert isinstance(figure, Figure)
    assert figure.get_suptitle().strip()
    for ax in figure.axes:
        xlabels = [a.get_xlabel() for a in ax.get_shared_x_axes().get_siblings(ax)]
        ylabels = [a.get_ylabel() for a in ax.get_shared_y_axes().get_siblings(ax)]
        assert any(_has_units(x) or x in ("Policy", "Case") for x in xlabels), xlabels
        assert any(_has_units(y) or y == "Policy" for y in ylabels), ylabels


# --------------------------------------------------------------------------- colours
def test_baseline_has_one_colour_under_every_name():
    assert policy_colour(None) == policy_colour("baseline") == BASELINE_COLOUR


def test_known_policies_have_fixed_distinct_colours():
    colours = {policy_colour(name) for name in (None, "lean", "generous", "your policy")}
    assert len(colours) == 4
    assert policy_colour("lean") == "#D55E00" and policy_colour("generous") == "#009E73"


def test_other_policies_are_hashed_stably_into_the_palette():
    # pinned values: a colour must not change between sessions or machines
    assert policy_colour("some new policy") == "#882255"
    assert policy_colour("night_shift") == "#999933"
    names = [f"policy {i}" for i in range(40)]
    assert {policy_colour(name) for name in names} <= set(plots._HASHED_PALETTE)
    assert len({policy_colour(name) for name in names}) > 3


@pytest.mark.parametrize("name", cxsim.list_scenarios())
def test_policies_of_a_bundled_scenario_have_distinct_colours(name):
    policies = [None, *cxsim.load_scenario(name).policies, "your policy"]
    assert len({policy_colour(policy) for policy in policies}) == len(policies)


# --------------------------------------------------------------------------- plot_hourly
def test_plot_hourly_draws_one_line_per_policy_on_each_panel(results):
    figure = plot_hourly(results)
    _assert_house_style(figure)
    assert len(figure.axes) == 3
    assert figure.axes[-1].get_xlabel() == "Hour of day (h)"
    for ax in figure.axes:
        lines = ax.get_lines()
        assert len(lines) == len(POLICIES)
        assert [_hex(line.get_color()) for line in lines] == [
            policy_colour(p).lower() for p in POLICIES
        ]


def test_plot_hourly_plots_the_timeseries_and_the_rota(results):
    figure = plot_hourly(results)
    arrivals_ax, staff_ax, queue_ax = figure.axes
    for index, result in enumerate(results):
        series = result.timeseries[result.timeseries["touchpoint"] == "phone"]
        np.testing.assert_allclose(
            arrivals_ax.get_lines()[index].get_ydata()[:24], series["arrivals"].to_numpy()
        )
        np.testing.assert_allclose(
            queue_ax.get_lines()[index].get_ydata()[:24], series["mean_queue"].to_numpy()
        )
        np.testing.assert_array_equal(
            staff_ax.get_lines()[index].get_ydata()[:24],
            result.scenario.touchpoint("phone").hourly_staff,
        )


def test_plot_hourly_accepts_one_result_and_a_dict(results):
    assert len(plot_hourly(results[0]).axes[0].get_lines()) == 1
    figure = plot_hourly({"baseline": results[0], "your policy": results[1]})
    colours = [_hex(line.get_color()) for line in figure.axes[0].get_lines()]
    assert colours == [BASELINE_COLOUR.lower(), policy_colour("your policy").lower()]


def test_plot_hourly_rejects_bad_input_clearly(results):
    with pytest.raises(ValueError, match="plot_hourly: nothing to plot"):
        plot_hourly([])
    with pytest.raises(ValueError, match="unknown touchpoint 'fone'; allowed: phone"):
        plot_hourly(results, touchpoint="fone")
    with pytest.raises(TypeError, match="expected a Result"):
        plot_hourly(pd.DataFrame({"a": [1]}))


# --------------------------------------------------------------------------- waits
def test_wait_distribution_reaches_the_service_level_at_the_target(results):
    figure = plot_wait_distribution(results)
    _assert_house_style(figure)
    ax = figure.axes[0]
    curves = [line for line in ax.get_lines() if line.get_linestyle() != "--"]
    assert len(curves) == len(POLICIES)
    target = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(target) == 1 and list(target[0].get_xdata()) == [5.0, 5.0]
    assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    for curve, result, label in zip(curves, results, legend, strict=False):
        assert _hex(curve.get_color()) == policy_colour(result.policy).lower()
        x, y = curve.get_xdata(), curve.get_ydata()
        at_target = y[np.searchsorted(x, 5.0, side="right") - 1]
        assert at_target == pytest.approx(result.kpis()["service_level"])
        assert f"{result.kpis()['service_level']:.0%} within 5 min" in label


def test_wait_distribution_target_can_be_changed(results):
    figure = plot_wait_distribution(results[0], target_wait_min=2)
    assert "within 2 min" in figure.axes[0].get_legend().get_texts()[0].get_text()
    with pytest.raises(ValueError, match="target_wait_min must be a number >= 0"):
        plot_wait_distribution(results[0], target_wait_min=-1)
    with pytest.raises(ValueError, match="nothing to plot"):
        plot_wait_distribution({})


# --------------------------------------------------------------------------- KPI bars
def test_kpi_comparison_bars_are_the_kpis_in_policy_colours(results):
    table = {result.policy: result.kpis() for result in results}
    kpis = ["mean_wait_min", "service_level", "abandonment_rate"]
    figure = plot_kpi_comparison(table, kpis=kpis)
    _assert_house_style(figure)
    assert len(figure.axes) == len(kpis)
    for ax, kpi in zip(figure.axes, kpis, strict=True):
        bars = ax.patches
        assert len(bars) == len(POLICIES)
        heights = [bar.get_height() for bar in bars]
        assert heights == pytest.approx([result.kpis()[kpi] for result in results])
        assert [_hex(bar.get_facecolor()) for bar in bars] == [
            policy_colour(p).lower() for p in POLICIES
        ]
        assert [tick.get_text() for tick in ax.get_xticklabels()] == [
            "baseline",
            "lean",
            "generous",
        ]
        assert ax.get_title().replace("\n", " ") == kpi_label(kpi)
    assert figure.axes[0].get_ylabel() == "Mean wait (min)"
    assert not isinstance(figure.axes[0].yaxis.get_major_formatter(), PercentFormatter)
    assert figure.axes[1].get_ylabel().endswith("(%)")
    assert isinstance(figure.axes[1].yaxis.get_major_formatter(), PercentFormatter)


def test_kpi_comparison_draws_confidence_intervals_when_given(summary):
    figure = plot_kpi_comparison(summary, kpis=["service_level"])
    ax = figure.axes[0]
    assert "confidence interval" in figure.get_suptitle()
    segments = ax.collections[0].get_segments()  # the error bars
    expected = summary[summary["kpi"] == "service_level"]
    assert len(segments) == len(POLICIES)
    for segment, (_, row) in zip(segments, expected.iterrows(), strict=True):
        assert sorted(segment[:, 1]) == pytest.approx([row["ci_low"], row["ci_high"]])


def test_kpi_comparison_default_kpis_and_results_input(results):
    figure = plot_kpi_comparison(results)
    titles = [ax.get_title().replace("\n", " ") for ax in figure.axes]
    assert titles == [kpi_label(k) for k in plots.DEFAULT_KPIS]


def test_kpi_comparison_takes_a_replication_summary_indexed_by_kpi(summary):
    lean = summary[summary["policy"] == "lean"].drop(columns="policy").set_index("kpi")
    with pytest.raises(ValueError, match="no policy column; name the runs"):
        plot_kpi_comparison(lean)
    figure = plot_kpi_comparison(lean.assign(policy="lean"), kpis=["utilisation"])
    bar = figure.axes[0].patches[0]
    assert bar.get_height() == pytest.approx(lean.at["utilisation", "mean"])
    assert _hex(bar.get_facecolor()) == policy_colour("lean").lower()


def test_kpi_comparison_rejects_bad_input_clearly(summary):
    with pytest.raises(ValueError, match="nothing to plot, the table is empty"):
        plot_kpi_comparison(summary.iloc[0:0])
    with pytest.raises(ValueError, match=r"lacks column\(s\) mean.*expected columns policy"):
        plot_kpi_comparison(summary.drop(columns="mean"))
    with pytest.raises(ValueError, match=r"no data for KPI\(s\) happiness; available:"):
        plot_kpi_comparison(summary, kpis=["happiness"])
    with pytest.raises(ValueError, match="nothing to plot"):
        plot_kpi_comparison({})


# --------------------------------------------------------------------------- colours across figures
def test_a_policy_keeps_its_colour_across_figures(results):
    lines = plot_hourly(results).axes[0].get_lines()
    bars = plot_kpi_comparison({r.policy: r.kpis() for r in reversed(results)}).axes[0].patches
    hourly = {p: _hex(line.get_color()) for p, line in zip(POLICIES, lines, strict=True)}
    bar = {
        p: _hex(patch.get_facecolor()) for p, patch in zip(reversed(POLICIES), bars, strict=True)
    }
    assert hourly == bar


# --------------------------------------------------------------------------- theory
THEORY = pd.DataFrame(
    {
        "case": ["10 agents", "10 agents", "12 agents", "12 agents"],
        "kpi": ["p_wait", "mean_wait_min", "p_wait", "mean_wait_min"],
        "simulated": [0.50, 1.20, 0.30, 0.60],
        "ci_low": [0.45, 1.00, 0.28, 0.50],
        "ci_high": [0.55, 1.40, 0.33, 0.70],
        "theory": [0.52, 1.50, 0.31, 0.65],
    }
)


def test_simulation_vs_theory_plots_both_values_per_case():
    figure = plot_simulation_vs_theory(THEORY)
    _assert_house_style(figure)
    assert len(figure.axes) == 2
    for ax, kpi in zip(figure.axes, ["p_wait", "mean_wait_min"], strict=True):
        rows = THEORY[THEORY["kpi"] == kpi]
        simulated = ax.containers[0].lines[0]
        np.testing.assert_allclose(simulated.get_ydata(), rows["simulated"])
        theory = [line for line in ax.get_lines() if line.get_marker() == "x"]
        assert len(theory) == 1
        np.testing.assert_allclose(theory[0].get_ydata(), rows["theory"])
        assert [t.get_text() for t in ax.get_xticklabels()] == ["10 agents", "12 agents"]
    assert "2 of 2 cases" in figure.axes[0].get_title()
    assert "1 of 2 cases" in figure.axes[1].get_title()
    assert isinstance(figure.axes[0].yaxis.get_major_formatter(), PercentFormatter)


def test_simulation_vs_theory_rejects_bad_input_clearly():
    with pytest.raises(ValueError, match="plot_simulation_vs_theory: nothing to plot"):
        plot_simulation_vs_theory(THEORY.iloc[0:0])
    with pytest.raises(ValueError, match=r"lacks column\(s\) theory"):
        plot_simulation_vs_theory(THEORY.drop(columns="theory"))


# --------------------------------------------------------------------------- sweep
def _sweep_table() -> pd.DataFrame:
    rows = []
    for policy in ["baseline", "lean"]:
        for staff in range(6, 12):
            mean = 1 - np.exp(-staff / 5) - (0.1 if policy == "lean" else 0.0)
            for kpi, value in [("service_level", mean), ("mean_wait_min", 5 - staff / 3)]:
                rows.append(
                    {
                        "touchpoints.phone.staff": staff,
                        "policy": policy,
                        "kpi": kpi,
                        "mean": value,
                        "ci_low": value - 0.05,
                        "ci_high": value + 0.05,
                        "n": 10,
                    }
                )
    return pd.DataFrame(rows)


def test_sweep_draws_a_line_and_a_band_per_hue():
    table = _sweep_table()
    figure = plot_sweep(table, "touchpoints.phone.staff", "service_level", hue="policy")
    _assert_house_style(figure)
    ax = figure.axes[0]
    assert len(ax.get_lines()) == 2 and len(ax.collections) == 2
    for line, policy in zip(ax.get_lines(), ["baseline", "lean"], strict=True):
        rows = table[(table["policy"] == policy) & (table["kpi"] == "service_level")]
        np.testing.assert_allclose(line.get_xdata(), rows["touchpoints.phone.staff"])
        np.testing.assert_allclose(line.get_ydata(), rows["mean"])
        assert _hex(line.get_color()) == policy_colour(policy).lower()
    assert ax.get_xlabel() == "phone: Agents on duty (people)"
    assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)


def test_sweep_refuses_to_mix_values_of_another_column():
    with pytest.raises(ValueError, match="column\\(s\\) policy vary too"):
        plot_sweep(_sweep_table(), "touchpoints.phone.staff", "service_level")
    one = _sweep_table().query("policy == 'lean'")
    figure = plot_sweep(one, "touchpoints.phone.staff", "mean_wait_min")
    assert len(figure.axes[0].get_lines()) == 1
    assert _hex(figure.axes[0].get_lines()[0].get_color()) == policy_colour("lean").lower()


def test_sweep_rejects_bad_input_clearly():
    with pytest.raises(ValueError, match="plot_sweep: nothing to plot"):
        plot_sweep(_sweep_table().iloc[0:0], "touchpoints.phone.staff", "service_level")
    with pytest.raises(ValueError, match=r"no data for KPI\(s\) nps"):
        plot_sweep(_sweep_table(), "touchpoints.phone.staff", "nps", hue="policy")
    with pytest.raises(ValueError, match=r"lacks column\(s\) staff"):
        plot_sweep(_sweep_table(), "staff", "service_level", hue="policy")


# --------------------------------------------------------------------------- differences
DIFFERENCES = pd.DataFrame(
    {
        "policy": ["lean", "generous", "lean", "generous"],
        "kpi": ["service_level", "service_level", "mean_wait_min", "mean_wait_min"],
        "mean_difference": [-0.10, 0.05, 0.80, -0.01],
        "ci_low": [-0.15, -0.01, 0.50, -0.30],
        "ci_high": [-0.05, 0.10, 1.10, 0.20],
        "significant": [True, False, True, False],
    }
)


def test_differences_forest_plot_marks_significant_ones():
    figure = plot_differences(DIFFERENCES)
    _assert_house_style(figure)
    assert len(figure.axes) == 2
    for ax, kpi in zip(figure.axes, ["service_level", "mean_wait_min"], strict=True):
        rows = DIFFERENCES[DIFFERENCES["kpi"] == kpi]
        assert len(ax.containers) == 2  # one interval per policy
        for container, (_, row) in zip(ax.containers, rows.iterrows(), strict=True):
            point = container.lines[0]
            assert point.get_xdata()[0] == pytest.approx(row["mean_difference"])
            colour = policy_colour(row["policy"]).lower()
            assert _hex(point.get_color()) == colour
            filled = _hex(point.get_markerfacecolor()) == colour
            assert filled == row["significant"]
            segment = container.lines[2][0].get_segments()[0]
            assert sorted(segment[:, 0]) == pytest.approx([row["ci_low"], row["ci_high"]])
        zero = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert len(zero) == 1 and list(zero[0].get_xdata()) == [0.0, 0.0]
    assert figure.axes[0].get_xlabel().endswith("(percentage points)")
    assert isinstance(figure.axes[0].xaxis.get_major_formatter(), PercentFormatter)


def test_differences_work_out_significance_when_not_given():
    figure = plot_differences(DIFFERENCES.drop(columns="significant"), kpis=["service_level"])
    lean, generous = figure.axes[0].containers
    assert _hex(lean.lines[0].get_markerfacecolor()) == policy_colour("lean").lower()
    assert _hex(generous.lines[0].get_markerfacecolor()) == "#ffffff"


def test_differences_reject_bad_input_clearly():
    with pytest.raises(ValueError, match="plot_differences: nothing to plot"):
        plot_differences(DIFFERENCES.iloc[0:0])
    with pytest.raises(ValueError, match=r"lacks column\(s\) mean_difference"):
        plot_differences(DIFFERENCES.drop(columns="mean_difference"))


# --------------------------------------------------------------------------- drawing and words
def test_a_figure_renders_to_png(results):
    figure = plot_hourly(results)
    canvas = FigureCanvasAgg(figure)
    import io

    buffer = io.BytesIO()
    canvas.print_png(buffer)
    assert buffer.getvalue().startswith(b"\x89PNG\r\n\x1a\n") and len(buffer.getvalue()) > 10_000


def test_figure_text_goes_through_the_translation_function(results, monkeypatch):
    catalogue = {
        "Hour of day (h)": "HOUR",
        "baseline": "BASE",
        "{touchpoint}: demand, staff and queue by hour of day": "TITLE {touchpoint}",
    }
    monkeypatch.setitem(i18n._CATALOGUES, "xx", catalogue)
    monkeypatch.setattr(i18n, "_current_language", "xx")
    figure = plot_hourly(results)
    assert figure.get_suptitle() == "TITLE phone"
    assert figure.axes[-1].get_xlabel() == "HOUR"
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend[0] == "BASE"
    assert _hex(figure.axes[0].get_lines()[0].get_color()) == BASELINE_COLOUR.lower()


def test_figures_show_themselves_in_a_notebook_without_pyplot(results):
    png = plot_wait_distribution(results)._repr_png_()
    assert png.startswith(b"\x89PNG")
