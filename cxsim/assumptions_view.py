"""The assumptions panel of a lesson: which conclusion survives which assumption.

:func:`plot_robustness` draws one row per assumption and value: the difference of the
lesson's comparison with its 95% interval against zero, coloured and marked by whether
the conclusion survives there (a tick), only holds in direction or is lost (a circle),
or reverses (a cross); beside each assumption, why its range is what it is.
:func:`panel` puts that figure under the heading "Assumptions (not decisions)", with
a control of its own (kept apart from the lesson's decision controls): pick an
assumption and a value, and see the comparison re-run there.

The numbers come from :mod:`cxsim.assumptions` (shipped precomputed: the panel opens at
once; a value between the stored ones runs in a few seconds).
"""

from __future__ import annotations

import textwrap
from typing import Any

import ipywidgets as w
from IPython.display import HTML, display
from matplotlib.figure import Figure

from .assumptions import (
    LEVEL_LABELS,
    OUTCOME_LABELS,
    TEXTS,
    Robustness,
    RobustnessRow,
    load_assumptions,
    rerun,
    robustness,
)
from .formatting import format_value
from .i18n import N_, Text, _, text_direction
from .kpis import KPIS
from .plots import NotebookFigure
from .widgets import figure_output

__all__ = ["OUTCOME_COLOURS", "difference_text", "panel", "plot_robustness", "rerun_message"]

#: Okabe & Ito colours: survives bluish green, held or lost orange, reversed vermillion.
OUTCOME_COLOURS = {
    "survives": "#009E73",
    "held": "#E69F00",
    "lost": "#E69F00",
    "reversed": "#D55E00",
}
#: Markers drawn as paths (no font needed): a tick, a circle, a cross.
_MARKERS = {"survives": r"$\checkmark$", "held": "o", "lost": "o", "reversed": "X"}
_UNITS = {
    "share": N_("percentage points"),
    "money": N_("million toman"),
    "nps": N_("points"),
    "number": "",
    "count": "",
}


def _scale(kpi: str) -> float:
    kind = KPIS[kpi].kind
    return 100.0 if kind == "share" else 1e-6 if kind == "money" else 1.0


def difference_text(kpi: str, value: float) -> str:
    """A difference of ``kpi`` in plain words: "+5.1 percentage points", "-502.4 million toman".

    >>> difference_text("csat", 0.0514)
    '+5.1 percentage points'
    """
    kind = KPIS[kpi].kind
    number = format_value(value * _scale(kpi), "number", decimals=1, signed=True)
    unit = _UNITS.get(kind, "")
    return f"{number} {_(unit)}" if unit else number


def _mean_text(kpi: str, value: float) -> str:
    kind = KPIS[kpi].kind
    if kind == "money":
        return _("{amount} million toman", amount=format_value(value / 1e6, "number", decimals=1))
    return format_value(value, kind)


def _value_text(value: float) -> str:
    return format_value(value, "number", decimals=None)


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width, break_long_words=False)


def plot_robustness(result: Robustness) -> Figure:
    """One row per assumption and value: the difference and its interval against 0."""
    spec = result.spec
    texts = TEXTS[spec.lesson]
    scale = _scale(spec.kpi)
    groups = [a.name for a in spec.assumptions]
    # right to left: the text columns start at their right edge
    x, align = (1.0, "right") if text_direction() == "rtl" else (0.0, "left")
    height = 1.9 + 1.05 * len(groups) + 0.32 * len(result.rows)
    figure = NotebookFigure(figsize=(12.0, height), layout="constrained")
    left, middle, right = figure.subplots(
        1, 3, sharey=True, gridspec_kw={"width_ratios": [2.3, 3.0, 1.7]}
    )
    positions, labels, y = [], [], 0.0
    group_tops = {}
    for name in groups:
        group_tops[name] = y
        for row in (r for r in result.rows if r.assumption == name):
            positions.append(y)
            labels.append(f"{_(LEVEL_LABELS[row.level])}: {_value_text(row.value)}")
            y += 1.0
        y += 0.9  # a gap between assumptions
    for row, at in zip(result.rows, positions, strict=True):
        colour = OUTCOME_COLOURS[row.outcome]
        middle.plot(
            [row.ci_low * scale, row.ci_high * scale], [at, at], color=colour, linewidth=3.0
        )
        middle.scatter(
            [row.difference * scale],
            [at],
            s=150,
            color=colour,
            marker=_MARKERS[row.outcome],
            zorder=3,
            linewidths=0.5,
        )
        right.text(
            x,
            at,
            f"{difference_text(spec.kpi, row.difference)}\n{_(OUTCOME_LABELS[row.outcome])}",
            va="center",
            ha=align,
            fontsize="small",
            color=colour,
        )
    middle.axvline(0.0, color="black", linewidth=1.0)
    middle.set_yticks(positions, labels)
    middle.tick_params(axis="y", labelleft=True, length=0)
    middle.invert_yaxis()
    middle.grid(True, axis="x", alpha=0.3)
    for side in ("top", "right"):
        middle.spines[side].set_visible(False)
    unit = _UNITS.get(KPIS[spec.kpi].kind, "")
    axis = _("{policy} minus {against}", policy=_(texts["policy"]), against=_(texts["against"]))
    if unit:
        axis = _("{what} ({unit})", what=axis, unit=_(unit))
    middle.set_xlabel(_wrap(axis, 60))
    low = min(0.0, *(r.ci_low * scale for r in result.rows))
    high = max(0.0, *(r.ci_high * scale for r in result.rows))
    pad = 0.08 * (high - low or 1.0)
    middle.set_xlim(low - pad, high + pad)
    for name in groups:
        label, reason = texts["assumptions"][name]
        title = _wrap(_(label), 44)
        top = group_tops[name] - 0.45
        left.text(x, top, title, va="top", ha=align, fontsize="small", fontweight="bold")
        # the reason under the parameter's name, however many lines that takes
        below = 12.5 * (title.count("\n") + 1) + 3
        left.annotate(
            _wrap(_(reason), 48),
            xy=(x, top),
            xytext=(0.0, -below),
            textcoords="offset points",
            va="top",
            ha=align,
            fontsize="small",
            color="#333333",
        )
    for ax in (left, right):
        ax.set_axis_off()
    left.set_xlim(0, 1)
    right.set_xlim(0, 1)
    title = _wrap(result.conclusion, 95)
    runs = _(
        "Each row changes one assumption; {n} paired runs of {days} days; lines: 95% intervals",
        n=format_value(result.replications, "count"),
        days=format_value(result.days, "count"),
    )
    figure.suptitle(f"{title}\n{runs}", fontsize="medium")
    return figure


def rerun_message(lesson: str, row: RobustnessRow) -> str:
    """What the comparison gives at one value of one assumption, in a sentence or three."""
    spec = load_assumptions()[lesson]
    texts = TEXTS[lesson]
    label = _(texts["assumptions"][row.assumption][0])
    lines = [
        _("{assumption} = {value}:", assumption=label, value=_value_text(row.value)),
        _(
            "{policy}: {policy_value}; {against}: {against_value}.",
            policy=_(texts["policy"]),
            policy_value=_mean_text(spec.kpi, row.policy_mean),
            against=_(texts["against"]),
            against_value=_mean_text(spec.kpi, row.against_mean),
        ),
        _(
            "Difference {difference} (interval {low} to {high}). The conclusion: {outcome}.",
            difference=difference_text(spec.kpi, row.difference),
            low=difference_text(spec.kpi, row.ci_low),
            high=difference_text(spec.kpi, row.ci_high),
            outcome=_(OUTCOME_LABELS[row.outcome]),
        ),
    ]
    return "\n".join(lines)


def _choices(lesson: str, name: str) -> list[tuple[str, float]]:
    """The values offered for an assumption: low, default, high and the two midpoints."""
    found = load_assumptions()[lesson].assumption(name)
    values = [
        found.low,
        (found.low + found.default) / 2,
        found.default,
        (found.default + found.high) / 2,
        found.high,
    ]
    names = {found.low: "low", found.default: "default", found.high: "high"}
    options = []
    for value in values:
        text = _value_text(value)
        if value in names:
            text = f"{text} ({_(LEVEL_LABELS[names[value]])})"
        options.append((text, float(value)))
    return options


def panel(lesson: str) -> w.VBox:
    """The assumptions panel of ``lesson`` ("01"-"05"): heading, figure and a control
    (an assumption, a value, a Re-run button) kept apart from the lesson's decisions."""
    result = robustness(lesson)
    spec = result.spec
    texts = TEXTS[lesson]
    heading = w.HTML(
        Text(_("Assumptions (not decisions)")).as_html(
            "cxsim-heading", "font-weight: bold; font-size: 1.15em"
        )
    )
    intro = w.HTML(
        Text(
            _(
                "The conclusion: {conclusion}. Below, the same comparison with one assumption "
                "no study pins down set low, as in the lesson, or high. These are not choices "
                "the firm makes: they are what we do not know about customers.",
                conclusion=result.conclusion,
            )
        ).as_html()
    )
    figure = w.Output()
    figure.outputs = (figure_output(plot_robustness(result)),)
    names = [a.name for a in spec.assumptions]
    which = w.Dropdown(
        options=[(_(texts["assumptions"][n][0]), n) for n in names],
        value=names[0],
        description=_("Assumption"),
        layout=w.Layout(width="auto"),
        style={"description_width": "initial"},
    )
    value = w.Dropdown(
        options=_choices(lesson, names[0]),
        value=spec.assumptions[0].default,
        description=_("Value"),
        style={"description_width": "initial"},
    )
    button = w.Button(description=_("Re-run"), button_style="info", icon="refresh")
    shown = w.Output()

    def pick(_change: Any = None) -> None:
        value.options = _choices(lesson, which.value)
        value.value = spec.assumption(which.value).default

    def run(_click: Any = None) -> None:
        shown.clear_output(wait=True)
        with shown:
            display(HTML(Text(_("Running the comparison…")).as_html()))
        row = rerun(lesson, which.value, value.value)
        colour = OUTCOME_COLOURS[row.outcome]
        box.message = rerun_message(lesson, row)  # what the trainee reads, for tests
        shown.clear_output(wait=True)
        with shown:
            display(
                HTML(
                    Text(box.message).as_html(
                        "cxsim-verdict",
                        style=f"border-inline-start: 4px solid {colour}; padding: 4px 10px",
                    )
                )
            )

    which.observe(pick, names="value")
    button.on_click(run)
    box = w.VBox([heading, intro, figure, w.HBox([which, value, button]), shown])
    box.add_class("cxsim-assumptions")
    if text_direction() == "rtl":
        box.add_class("cxsim-rtl")
    # tests and app pages drive it without a browser
    box.choose, box.value_input, box.run, box.output = which, value, run, shown
    box.result = result
    return box
