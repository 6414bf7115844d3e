"""An hourly rota editor: agents hour by hour, their cost live, service by hour on Run.

A staff rota is the lever a contact-centre manager really pulls: not "one more agent"
but "one more agent from 11:00 to 15:00".  :class:`RotaEditor` shows the rota of one
staffed touchpoint as 24 small vertical sliders (00 to 23; a number under each can be
typed into, in Persian digits in Persian), marks the hours the line is open (an hour with
0 agents is closed), and says at once how many agent-hours a day the rota buys and what
it costs a week (agent-hours x 7 x the scenario's cost of an agent-hour,
``economics.staff_cost_per_hour`` unless the touchpoint sets its own).  **Run**
simulates the rota and the scenario's own rota on the same customers (same seed) and
shows the KPI table and :func:`plot_service_by_hour`: the share answered within the
target by hour of day, and the callers who hung up, a day.

Everything a test needs works without a browser: :attr:`RotaEditor.rota` (24 whole
numbers; setting it checks them), :meth:`RotaEditor.agent_hours`,
:meth:`RotaEditor.weekly_cost`, :meth:`RotaEditor.run`; :meth:`RotaEditor.on_change`
registers a function called with the new rota whenever it changes (from the widget or
from code), so a page can save a draft and put it back by setting ``rota``.

>>> editor = RotaEditor("contact_centre")
>>> editor.agent_hours(), editor.weekly_cost()
(57, 79800000.0)
>>> editor.rota = [2] * 24
>>> editor.agent_hours()
48
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .browser_widgets import NumberReadout, remember
from .catalog import load_scenario
from .clock import DAYS_PER_WEEK, HOURS_PER_DAY
from .formatting import format_value, table_html, table_text
from .hourly import hourly_service
from .i18n import _, localise_digits, persian_digits, text_direction, translate_name
from .plots import BASELINE_COLOUR, POLICY_COLOURS, NotebookFigure, policy_colour
from .results import Result
from .scenario import Scenario
from .simulation import simulate
from .widgets import (
    DASHBOARD_CLASS,
    KPI_TABLE_CLASS,
    RTL_CLASS,
    RTL_CSS,
    figure_output,
    kpi_frame,
)

__all__ = [
    "EDITOR_KPIS",
    "MAX_AGENTS",
    "RotaEditor",
    "check_rota",
    "plot_service_by_hour",
    "rota_cost",
]

#: The most agents an hour of the editor offers (a small bank's phone line).
MAX_AGENTS = 12
#: The KPIs the editor's table shows, the scenario's rota beside yours.
EDITOR_KPIS = (
    "service_level",
    "abandonment_rate",
    "mean_wait_min",
    "utilisation",
    "csat",
    "staff_cost",
    "profit",
)
#: The share answered within the target that the chart's dashed line marks by default:
#: the contact-centre industry's usual "80% within the target wait" (the 80/20 rule).
DEFAULT_TARGET = 0.8


# --------------------------------------------------------------------------- checking
def check_rota(rota: Any, max_agents: int = MAX_AGENTS) -> list[int]:
    """``rota`` as 24 whole numbers of agents, 0 (closed) to ``max_agents``, or one clear
    ValueError naming the hour and what is allowed.

    >>> check_rota([1] * 24)[:3]
    [1, 1, 1]
    >>> check_rota([1] * 23)
    Traceback (most recent call last):
    ...
    ValueError: rota: give 24 numbers of agents, one per hour from 00 to 23; got 23
    """
    if isinstance(rota, str | bytes) or not isinstance(rota, Sequence | np.ndarray):
        raise ValueError(
            _(
                "rota: give 24 numbers of agents, one per hour from 00 to 23; got {value!r}",
                value=rota,
            )
        )
    values = list(rota)
    if len(values) != HOURS_PER_DAY:
        raise ValueError(
            _(
                "rota: give 24 numbers of agents, one per hour from 00 to 23; got {n}",
                n=len(values),
            )
        )
    checked = []
    for hour, value in enumerate(values):
        whole = (
            not isinstance(value, bool)
            and isinstance(value, int | float | np.integer | np.floating)
            and float(value).is_integer()
        )
        if not whole or not 0 <= value <= max_agents:
            raise ValueError(
                _(
                    "rota: hour {hour} has {value!r} agents; allowed: whole numbers "
                    "from 0 (closed) to {max}",
                    hour=localise_digits(f"{hour:02d}"),
                    value=value,
                    max=max_agents,
                )
            )
        checked.append(int(value))
    if not any(checked):
        raise ValueError(_("rota: every hour is closed (0 agents); open at least one hour"))
    return checked


def rota_cost(rota: Sequence[int], cost_per_hour: float) -> dict[str, float]:
    """What a daily rota buys and costs: ``agent_hours`` a day, ``daily_cost`` and
    ``weekly_cost`` (agent-hours x cost of an agent-hour, x 7 for a week; the run's
    books charge staff the same way, :func:`cxsim.metrics.economic_kpis`).

    >>> rota_cost([1] * 24, 200_000)
    {'agent_hours': 24, 'daily_cost': 4800000.0, 'weekly_cost': 33600000.0}
    """
    hours = int(sum(int(x) for x in rota))
    return {
        "agent_hours": hours,
        "daily_cost": hours * float(cost_per_hour),
        "weekly_cost": hours * float(cost_per_hour) * DAYS_PER_WEEK,
    }


# --------------------------------------------------------------------------- the chart
def _label_hours(values: np.ndarray, target: float, lowest: int) -> set[int]:
    """The hours worth a value label: below the target, and the ``lowest`` lowest."""
    known = [h for h in range(len(values)) if not np.isnan(values[h])]
    chosen = {h for h in known if values[h] < target}
    chosen.update(sorted(known, key=lambda h: values[h])[:lowest])
    return chosen


def plot_service_by_hour(
    tables: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    target: float = DEFAULT_TARGET,
    target_wait_min: float = 5.0,
    title: str | None = None,
) -> Figure:
    """Service level by hour of day (bars, 0-100%) and callers who hung up, a day.

    ``tables``: one table of :func:`cxsim.hourly.hourly_service`, or a mapping
    ``label -> table`` (bars side by side, each label in its policy's colour; error
    bars when a table has a band over replications).  The dashed line marks ``target``
    (the share within ``target_wait_min`` minutes a manager aims for); the last table's
    bars below it, and its three lowest, carry their value; in the lower panel its three
    hours with most hang-ups do.
    """
    named = {_("your rota"): tables} if isinstance(tables, pd.DataFrame) else dict(tables)
    if not named:
        raise ValueError(_("plot_service_by_hour: no hourly table to draw"))
    for label, table in named.items():
        missing = {"service_level", "abandoned"} - set(table.columns)
        if missing or len(table) != HOURS_PER_DAY:
            raise ValueError(
                _(
                    "plot_service_by_hour: {label!r} is not a table of hourly_service "
                    "(24 rows with service_level and abandoned)",
                    label=label,
                )
            )
    figure = NotebookFigure(figsize=(11.0, 6.4), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    hours = np.arange(HOURS_PER_DAY)
    width = 0.8 / len(named)
    last = list(named)[-1]
    for k, (label, table) in enumerate(named.items()):
        x = hours - 0.4 + width * (k + 0.5)
        colour = _colour(label)
        for ax, column in ((top, "service_level"), (bottom, "abandoned")):
            values = table[column].to_numpy(dtype=float)
            error = None
            if f"{column}_low" in table:
                low = table[f"{column}_low"].to_numpy(dtype=float)
                high = table[f"{column}_high"].to_numpy(dtype=float)
                error = np.nan_to_num(np.vstack([values - low, high - values]), nan=0.0)
            ax.bar(
                x,
                np.nan_to_num(values, nan=0.0),
                width=width,
                color=colour,
                label=label,
                yerr=error,
                error_kw={"elinewidth": 0.8, "capsize": 1.5, "ecolor": "#333333"},
            )
            if label != last:
                continue
            if column == "service_level":
                chosen = _label_hours(values, target, lowest=3)
                texts = {h: format_value(values[h], "share", decimals=0) for h in chosen}
            else:
                chosen = set(np.argsort(-np.nan_to_num(values, nan=0.0))[:3].tolist())
                texts = {h: format_value(values[h], "number", decimals=1) for h in chosen}
            for h in sorted(chosen):
                y = 0.0 if np.isnan(values[h]) else values[h]
                ax.annotate(
                    texts[h],
                    (x[h], y),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize="x-small",
                    rotation=90 if len(named) > 2 else 0,
                )
    top.axhline(
        target,
        color="#000000",
        linestyle="--",
        linewidth=1.0,
        label=_(
            "target: {share} within {minutes} min",
            share=format_value(target, "share", decimals=0),
            minutes=format_value(target_wait_min, "number", decimals=0),
        ),
    )
    top.set_ylim(0, 1.08)
    top.yaxis.set_major_formatter(_percent)
    top.set_ylabel(
        _("Answered within {minutes} min (%)", minutes=format_value(target_wait_min, "count"))
    )
    top.set_title(_("Service level by hour of day"), loc="left", fontsize="medium")
    bottom.set_ylim(bottom=0)
    bottom.set_ylabel(_("Hung up (calls a day)"))
    bottom.set_title(_("Where callers are lost: hang-ups by hour"), loc="left", fontsize="medium")
    bottom.set_xticks(hours)
    bottom.set_xticklabels([f"{h:02d}" for h in hours], fontsize="small")
    bottom.set_xlim(-0.6, HOURS_PER_DAY - 0.4)
    bottom.set_xlabel(_("Hour of day (calls counted by the hour they arrived)"))
    for ax in (top, bottom):
        ax.grid(True, axis="y", alpha=0.3, linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    # under the panels: the legend never covers a bar, a panel title or the figure title
    handles, labels = top.get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize="small")
    first = next(iter(named.values()))
    replications = first.attrs.get("replications")
    suffix = " " + _("(mean of {n} runs, 95% interval)", n=replications) if replications else ""
    figure.suptitle((title or _("Service by hour of day")) + suffix)
    return figure


_percent = FuncFormatter(lambda value, _position: f"{value * 100:.0f}%")


def _colour(label: str) -> str:
    """The scenario's rota in the baseline's blue and "your rota" in the dashboards'
    orange (as "your policy" everywhere); any other label in its policy's colour."""
    if label == _("your rota"):
        return POLICY_COLOURS["your policy"]
    if label == _("the bank's rota"):
        return BASELINE_COLOUR
    return policy_colour(label)


# --------------------------------------------------------------------------- the editor
# The hour strip always runs 00 -> 23 from left to right, as the chart's axis below it
# does, also in Persian (a right-to-left page): the sliders and the bars line up.
EDITOR_CSS = """
.cxsim-rota-hours { direction: ltr; flex-wrap: wrap; gap: 2px; }
.cxsim-rota-hour { align-items: center; border-radius: 4px; padding: 2px 0; width: 44px; }
.cxsim-rota-hour.cxsim-open { background: #e8f4ea; }
.cxsim-rota-hour.cxsim-closed { background: #eeeeee; }
.cxsim-rota-hour .cxsim-readout { min-width: 1.6em; margin: 0; padding: 0 0.1em; }
.cxsim-rota-summary { font-size: 110%; }
"""


class RotaEditor:
    """The rota of one staffed touchpoint, hour by hour (see the module docstring).

    ``scenario``, ``touchpoint``: whose rota (default: the first staffed touchpoint);
    ``rota``: where the editor starts (default: the scenario's own, which is also the
    reference the runs compare with); ``presets``: named rotas a drop-down can load
    (``{label: 24 numbers}``, labels in the reader's language); ``seed`` and ``days``:
    the run (28 days, a seeded month, takes about a second); ``max_agents``: the most
    agents an hour; ``target``: the share within the target wait the chart's line marks.
    """

    def __init__(
        self,
        scenario: str | Scenario = "contact_centre",
        touchpoint: str | None = None,
        *,
        rota: Sequence[int] | None = None,
        presets: Mapping[str, Sequence[int]] | None = None,
        seed: int = 0,
        days: float = 28,
        max_agents: int = MAX_AGENTS,
        target: float = DEFAULT_TARGET,
        kpis: Sequence[str] = EDITOR_KPIS,
        title: str | None = None,
        drafts: bool = True,
    ):
        self.scenario = load_scenario(scenario)
        staffed = [t.name for t in self.scenario.touchpoints if t.kind == "staffed"]
        if not staffed:
            raise ValueError(
                _("scenario {name!r} has no staffed touchpoint", name=self.scenario.name)
            )
        self.touchpoint = staffed[0] if touchpoint is None else touchpoint
        if self.touchpoint not in staffed:
            raise ValueError(
                _(
                    "touchpoint {name!r} is not a staffed touchpoint of {scenario!r}; "
                    "allowed: {allowed}",
                    name=self.touchpoint,
                    scenario=self.scenario.name,
                    allowed=", ".join(staffed),
                )
            )
        point = self.scenario.touchpoint(self.touchpoint)
        if len(point.hourly_staff) != HOURS_PER_DAY:
            raise ValueError(
                _(
                    "touchpoint {name!r} has a weekly rota; the editor edits a daily one "
                    "(24 numbers)",
                    name=self.touchpoint,
                )
            )
        self.max_agents = int(max_agents)
        self.reference_rota = check_rota(list(point.hourly_staff), self.max_agents)
        self.cost_per_hour = float(
            point.staff_cost_per_hour
            if point.staff_cost_per_hour is not None
            else self.scenario.economics.staff_cost_per_hour
        )
        self.presets = {
            label: check_rota(r, self.max_agents) for label, r in (presets or {}).items()
        }
        self.seed, self.days, self.target = int(seed), float(days), float(target)
        self.kpis = tuple(kpis)
        self.title = title or _(
            "The {touchpoint} rota, hour by hour", touchpoint=translate_name(self.touchpoint)
        )
        self.drafts = drafts
        self._rota = check_rota(self.reference_rota if rota is None else rota, self.max_agents)
        self._listeners: list[Callable[[list[int]], None]] = []
        self._runs: dict[tuple[int, ...], Result] = {}
        self.last_results: dict[str, Result] | None = None
        self.sliders: list[w.IntSlider] = []
        self.box: w.VBox | None = None

    def __repr__(self) -> str:
        return f"<RotaEditor {self.scenario.name!r}/{self.touchpoint} rota={self._rota}>"

    # -- the rota -------------------------------------------------------------------
    @property
    def rota(self) -> list[int]:
        """The rota being edited: 24 whole numbers, hour 00 first (a copy)."""
        return list(self._rota)

    @rota.setter
    def rota(self, value: Sequence[int]) -> None:
        checked = check_rota(value, self.max_agents)
        if checked == self._rota:
            return
        self._rota = checked
        if self.sliders:
            self._hold = True
            try:
                for slider, agents in zip(self.sliders, checked, strict=True):
                    slider.value = agents
            finally:
                self._hold = False
            self._refresh_summary()
        for listener in list(self._listeners):
            listener(self.rota)

    def on_change(self, listener: Callable[[list[int]], None]) -> None:
        """Call ``listener(rota)`` whenever the rota changes (a slider, a preset, code)."""
        self._listeners.append(listener)

    def agent_hours(self, rota: Sequence[int] | None = None) -> int:
        """Agent-hours a day of ``rota`` (default: the one being edited)."""
        return rota_cost(self._rota if rota is None else rota, self.cost_per_hour)["agent_hours"]

    def weekly_cost(self, rota: Sequence[int] | None = None) -> float:
        """Staff cost of a week of ``rota`` (default: the one being edited), in toman."""
        return rota_cost(self._rota if rota is None else rota, self.cost_per_hour)["weekly_cost"]

    def summary(self) -> str:
        """One line: agent-hours a day and weekly staff cost, and the change from the
        scenario's rota, in the reader's language."""
        hours, reference = self.agent_hours(), self.agent_hours(self.reference_rota)
        cost = self.weekly_cost()
        change = cost - self.weekly_cost(self.reference_rota)
        return _(
            "Agent-hours a day: {hours} ({change_hours} against the bank's rota). "
            "Staff cost a week: {cost} million toman ({change_cost} million).",
            hours=format_value(hours, "count"),
            change_hours=format_value(hours - reference, "count", signed=True),
            cost=format_value(cost / 1e6, "number", decimals=1),
            change_cost=format_value(change / 1e6, "number", decimals=1, signed=True),
        )

    # -- runs ---------------------------------------------------------------------------
    def variant(self, rota: Sequence[int] | None = None) -> Scenario:
        """The scenario with ``rota`` (default: the one being edited) at the touchpoint."""
        checked = check_rota(self._rota if rota is None else rota, self.max_agents)
        return self.scenario.with_overrides(
            {f"touchpoints.{self.touchpoint}.staff": checked}, path="rota editor"
        )

    def simulate(self, rota: Sequence[int] | None = None) -> Result:
        """One seeded run with ``rota`` (default: the one being edited; runs are kept)."""
        key = tuple(check_rota(self._rota if rota is None else rota, self.max_agents))
        if key not in self._runs:
            self._runs[key] = simulate(self.variant(key), seed=self.seed, days=self.days)
        return self._runs[key]

    def run(self) -> tuple[pd.DataFrame, Figure]:
        """Simulate the scenario's rota and yours on the same customers: the KPI table
        (both, and the difference) and :func:`plot_service_by_hour` of both."""
        results = {
            _("the bank's rota"): self.simulate(self.reference_rota),
            _("your rota"): self.simulate(),
        }
        self.last_results = results
        table = kpi_frame(results, self.kpis, digits=4)  # shares to a tenth of a percent
        hourly = {
            label: hourly_service(result, self.touchpoint) for label, result in results.items()
        }
        days = format_value(self.days, "count")
        figure = plot_service_by_hour(
            hourly,
            target=self.target,
            target_wait_min=self.scenario.touchpoint(self.touchpoint).target_wait_min,
            title=_("Your rota against the bank's: {days} days, the same customers", days=days),
        )
        return table, figure

    # -- the widget -------------------------------------------------------------------
    def _refresh_summary(self) -> None:
        if self.box is None:
            return
        self._summary.value = f'<div class="cxsim-rota-summary">{html.escape(self.summary())}</div>'
        for column, agents in zip(self._columns, self._rota, strict=True):
            column.remove_class("cxsim-open" if agents == 0 else "cxsim-closed")
            column.add_class("cxsim-closed" if agents == 0 else "cxsim-open")

    def _hour_column(self, hour: int) -> w.VBox:
        label = w.HTML(f"<b>{_hour(hour)}</b>")
        slider = w.IntSlider(
            value=self._rota[hour],
            min=0,
            max=self.max_agents,
            step=1,
            orientation="vertical",
            readout=False,
            continuous_update=False,
            description="",
            layout=w.Layout(height="120px", width="40px"),
        )
        readout = NumberReadout(
            value=float(self._rota[hour]),
            min=0.0,
            max=float(self.max_agents),
            step=1.0,
            decimals=0,
            locale="fa-IR" if persian_digits() else "en-US",
            label=_("agents at {hour}:00", hour=_hour(hour)),
        )
        # the browser keeps slider and number in step without asking the kernel
        slider.links = [w.jslink((slider, "value"), (readout, "value"))]
        slider.readout_widget = readout
        self.sliders.append(slider)
        column = w.VBox([label, slider, readout])
        column.add_class("cxsim-rota-hour")
        column.add_class("cxsim-open" if self._rota[hour] else "cxsim-closed")
        return column

    def widget(self) -> w.VBox:
        """The editor: the hours, the live cost, presets, Run and Reset, the table and
        the chart.  Kept in :attr:`box`; :attr:`sliders` are the 24 hours' sliders."""
        self.sliders = []
        self._hold = False
        self._columns = [self._hour_column(hour) for hour in range(HOURS_PER_DAY)]
        hours = w.HBox(self._columns)
        hours.add_class("cxsim-rota-hours")
        self._summary = w.HTML()
        run = w.Button(description=_("Run"), button_style="primary", icon="play")
        reset = w.Button(description=_("Reset"), tooltip=_("Back to the bank's rota"), icon="undo")
        status = w.Label(value="")
        table_out, figure_out = w.Output(), w.Output()
        options = [(_("the bank's rota"), None), *[(label, label) for label in self.presets]]
        preset = w.Dropdown(
            options=options,
            value=None,
            description=_("Start from"),
            style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )

        def slider_moved(change: Any) -> None:
            if self._hold:
                return
            rota = [int(s.value) for s in self.sliders]
            try:
                self.rota = rota
            except ValueError as exc:  # every hour closed: say so, keep the last rota
                status.value = str(exc)
                self._hold = True
                try:
                    change["owner"].value = change["old"]
                finally:
                    self._hold = False
                return
            self._refresh_summary()

        def choose(change: Any) -> None:
            chosen = change["new"]
            self.rota = self.reference_rota if chosen is None else self.presets[chosen]
            self._refresh_summary()

        def press_run(_button: Any = None) -> None:
            for box in (run, reset, preset, *self.sliders):
                box.disabled = True
            status.value = _("Simulating…")
            started = time.perf_counter()
            try:
                table, figure = self.run()
                table_out.outputs = (_html(table_html(table, KPI_TABLE_CLASS), table_text(table)),)
                figure_out.outputs = (figure_output(figure),)
                status.value = _(
                    "Updated in {seconds:.2f} s", seconds=time.perf_counter() - started
                )
            except Exception as exc:  # one line for a trainee, never a traceback
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                table_out.outputs = (
                    _html(f'<p style="color:#D55E00">⚠ {html.escape(message)}</p>', message),
                )
                status.value = _("Could not simulate")
            finally:
                for box in (run, reset, preset, *self.sliders):
                    box.disabled = False

        def press_reset(_button: Any = None) -> None:
            preset.value = None
            self.rota = self.reference_rota
            self._refresh_summary()
            if saved is not None:
                saved.clear()

        for slider in self.sliders:
            slider.observe(slider_moved, names="value")
        preset.observe(choose, names="value")
        run.on_click(press_run)
        reset.on_click(press_reset)
        saved = None
        if self.drafts:
            names = {f"h{hour:02d}": slider for hour, slider in enumerate(self.sliders)}

            def restore(values: Mapping[str, Any]) -> None:
                rota = self.rota
                for name, value in values.items():
                    rota[int(name[1:])] = int(value)
                self.rota = rota

            saved = remember(
                self.title,
                names,
                accept=lambda _name, value: (
                    isinstance(value, int | float)
                    and not isinstance(value, bool)
                    and float(value).is_integer()
                    and 0 <= value <= self.max_agents
                ),
                apply=restore,
            )
        css = EDITOR_CSS + (RTL_CSS if text_direction() == "rtl" else "")
        style = w.HTML(f"<style>{css}</style>")
        style.add_class("cxsim-style")
        legend = w.HTML(
            "<small>"
            + html.escape(
                _(
                    "Agents on duty at each hour of the day (00 to 23; drag or type a "
                    "number). Green: open hours; grey: closed (0 agents)."
                )
            )
            + "</small>"
        )
        children = [
            style,
            w.HTML(f"<h3>{html.escape(self.title)}</h3>"),
            legend,
            hours,
            self._summary,
            w.HBox([preset, run, reset, status]),
            table_out,
            figure_out,
        ]
        if saved is not None:
            children.append(saved)
        box = w.VBox(children)
        if saved is not None:
            saved.wait_for(box)  # a restore moves the sliders, the summary and the chart
        box.add_class(DASHBOARD_CLASS)
        box.add_class("cxsim-rota-editor")
        if text_direction() == "rtl":
            box.add_class(RTL_CLASS)
        self.box = box
        self.ui = {
            "run": run,
            "reset": reset,
            "preset": preset,
            "status": status,
            "table": table_out,
            "figure": figure_out,
            "summary": self._summary,
            "drafts": saved,
        }
        self.press_run = press_run  # tests and app pages press it without a browser
        self._refresh_summary()
        return box

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """An editor left as the last line of a cell shows itself."""
        return self.widget()._repr_mimebundle_(**kwargs)


def _hour(hour: int) -> str:
    """An hour of day as two digits, in the reader's digits ("09", «۰۹»)."""
    return localise_digits(f"{hour:02d}")


def _html(markup: str, text: str) -> dict[str, Any]:
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/html": markup, "text/plain": text},
    }
