"""Figures for the workbook: one house style, one colour per policy.

Every function returns a :class:`matplotlib.figure.Figure` built without
``pyplot`` (nothing is shown, nothing piles up in memory); a notebook shows
the figure by leaving it as the last expression of a cell (a
:class:`NotebookFigure` draws itself as a PNG even without
``%matplotlib inline``).  Every figure has a
title and labelled axes with units, and every policy keeps its colour from the
first notebook to the last (:func:`policy_colour`).  Shares (service level,
abandonment...) are drawn on percent axes.

Functions that plot experiment tables take plain DataFrames with documented
columns, so they work with :mod:`cxsim.experiments` output and with tables
made by hand.  Empty or malformed input raises one :class:`ValueError` that
says what was expected.

>>> from cxsim.plots import policy_colour
>>> policy_colour(None) == policy_colour("baseline")
True
>>> policy_colour("some new policy") == policy_colour("some new policy")
True
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator, PercentFormatter

from .i18n import (
    N_,
    _,
    currency_name,
    get_language,
    latin_words,
    localise_digits,
    persian_digits,
    translate_name,
)
from .kpis import KPIS, names_of
from .results import SURVEY_ROWS, Result, kpi_label

__all__ = [
    "BASELINE_COLOUR",
    "MONEY_KPIS",
    "NotebookFigure",
    "PERSIAN_FONT_FILE",
    "POLICY_COLOURS",
    "plot_evaluation",
    "SHARE_KPIS",
    "kpi_axis_label",
    "kpi_unit",
    "localise_figure",
    "persian_font",
    "plot_differences",
    "plot_hourly",
    "plot_kpi_comparison",
    "plot_simulation_vs_theory",
    "plot_survey_vs_memory",
    "plot_sweep",
    "plot_wait_distribution",
    "policy_colour",
    "policy_label",
]

# --------------------------------------------------------------------------- colours
# Okabe & Ito (2008), "Color universal design": distinguishable with every
# common form of colour blindness.  Yellow (#F0E442) is left out: too pale for lines.
BASELINE_COLOUR = "#0072B2"  # blue
#: Policies with a fixed colour in every figure of the workbook: the bundled
#: scenarios' policies (distinct within each scenario; more staff is green,
#: courtesy purple, wherever it appears) and the dashboards' "your policy".
POLICY_COLOURS: dict[str, str] = {
    "lean": "#D55E00",  # vermillion
    "generous": "#009E73",  # bluish green
    "more_store_staff": "#009E73",
    "more_lanes": "#009E73",
    "courtesy_training": "#CC79A7",  # reddish purple
    "courteous_staff": "#CC79A7",
    "promise_2_min": "#56B4E9",  # sky blue
    "better_support": "#56B4E9",
    "follow_up": "#000000",  # black
    "callback": "#882255",  # wine
    "support_in_house": "#000000",
    "your policy": "#E69F00",  # orange: the trainee's own settings in a dashboard
}
# Other names are hashed into these: the rest of Okabe-Ito, then two colours of
# Paul Tol's colour-blind-safe "muted" palette (wine, olive).
_HASHED_PALETTE = ("#56B4E9", "#CC79A7", "#000000", "#882255", "#999933")
_NEUTRAL = "#555555"

_BASELINE_NAMES = ("baseline",)

#: KPIs that are shares in [0, 1], drawn on percent axes.
SHARE_KPIS = names_of("share")
#: KPIs in money (the scenarios' currency, toman), drawn in millions.
MONEY_KPIS = names_of("money")
_COUNT_KPIS = names_of("count")
# Units of KPIs that are not shares ("%" for shares, percentage points for their differences).
_KPI_UNITS = {
    **{name: kpi.unit for name, kpi in KPIS.items() if kpi.unit is not None},
    **{kpi: N_("million toman") for kpi in MONEY_KPIS},
}
# KPIs whose label already names the unit, e.g. "Mean wait (min)".
_LABEL_HAS_UNIT = frozenset(name for name, kpi in KPIS.items() if kpi.label_has_unit)
# Long axis labels are wrapped onto lines of about this many characters.
_WRAP = 34


# Lever and memory-model names that head columns of lesson tables, marked for the
# catalogue so that tables show them in the reader's language (translate_name).  The
# bundled scenarios' own names come into the catalogue from data/scenarios/.
_COLUMN_NAMES = (
    N_("extra_agents"),
    N_("promise_min"),
    N_("follow_up_capacity"),
    N_("peak_end"),
)


def policy_label(name: str | None) -> str:
    """How a policy is named in legends: ``None`` is the translated "baseline", a bundled
    policy its translated name, any other name itself."""
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return _("baseline")
    return translate_name(str(name))


def _is_baseline(name: Any) -> bool:
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return True
    return str(name) in _BASELINE_NAMES or str(name) in {_(n) for n in _BASELINE_NAMES}


def policy_colour(name: str | None) -> str:
    """The colour of a policy, the same in every figure of the workbook.

    The baseline (``None``, ``"baseline"``) is always blue; ``"lean"``,
    ``"generous"``, the other bundled policies and ``"your policy"`` have
    fixed colours (:data:`POLICY_COLOURS`, which a notebook may extend); any
    other name is hashed (stably, across sessions and machines) into a
    colour-blind-safe palette, so two new names may share a colour.

    >>> policy_colour(None)
    '#0072B2'
    >>> policy_colour("lean")
    '#D55E00'
    """
    if _is_baseline(name):
        return BASELINE_COLOUR
    text = str(name)
    fixed = POLICY_COLOURS.get(text)
    if fixed is None:
        fixed = {translate_name(key): colour for key, colour in POLICY_COLOURS.items()}.get(text)
    if fixed is not None:
        return fixed
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return _HASHED_PALETTE[int.from_bytes(digest[:4], "big") % len(_HASHED_PALETTE)]


# --------------------------------------------------------------------------- labels and style
def kpi_unit(kpi: str, *, difference: bool = False, currency: str = "toman") -> str | None:
    """The unit of a KPI: ``"%"`` for shares (percentage points for their differences, in
    words: "pp" is jargon to a business audience), else its own.

    Money is in millions of ``currency`` (a scenario's ``economics.currency``).

    >>> kpi_unit("service_level"), kpi_unit("service_level", difference=True)
    ('%', 'percentage points')
    >>> kpi_unit("mean_wait_min"), kpi_unit("profit", currency="rial")
    ('min', 'million rial')
    """
    if kpi in SHARE_KPIS:
        return _("percentage points") if difference else "%"
    if kpi in MONEY_KPIS and currency != "toman":
        return _("million {currency}", currency=currency_name(currency))
    return _(_KPI_UNITS[kpi]) if kpi in _KPI_UNITS else None


def kpi_axis_label(kpi: str, *, difference: bool = False, currency: str = "toman") -> str:
    """An axis label for a KPI with its unit, e.g. ``"Abandonment rate (%)"``.

    With ``difference=True``: ``"Difference (percentage points)"``, for a panel whose title
    names the KPI (differences of shares are in percentage points).

    >>> kpi_axis_label("abandonment_rate")
    'Abandonment rate (%)'
    >>> kpi_axis_label("mean_wait_min")
    'Mean wait (min)'
    >>> kpi_axis_label("mean_wait_min", difference=True)
    'Difference (min)'
    """
    unit = kpi_unit(kpi, difference=difference, currency=currency)
    if difference:
        return _("Difference ({unit})", unit=unit) if unit else _("Difference")
    label = kpi_label(kpi)
    if kpi in _LABEL_HAS_UNIT or not unit:
        return label
    return _("{label} ({unit})", label=label, unit=unit)


def _wrap(text: str, width: int = _WRAP) -> str:
    return textwrap.fill(text, width, break_long_words=False) if len(text) > width else text


_PARAMETER_LABELS = {
    "staff": N_("Agents on duty (people)"),
    "service_min.mean": N_("Mean handle time (min)"),
    "service_min.value": N_("Handle time (min)"),
    "patience_min.mean": N_("Mean patience (min)"),
    "rate_per_hour": N_("Arrivals (per hour)"),
    "target_wait_min": N_("Target wait (min)"),
    "horizon_days": N_("Simulated days (days)"),
    "share": N_("Share of customers (share 0-1)"),
    "probability": N_("Probability (0-1)"),
}


def _parameter_label(path: str) -> str:
    """A readable axis label for a dotted scenario path of a sweep."""
    for suffix, label in _PARAMETER_LABELS.items():
        if path == suffix or path.endswith("." + suffix):
            parts = path[: -len(suffix)].strip(".").split(".")
            owner = parts[-1] if len(parts) >= 2 else ""
            text = _(label)
            return f"{translate_name(owner)}: {text}" if owner else text
    return path


def _format_axis(ax: Axes, kpi: str, *, axis: str = "y", difference: bool = False) -> None:
    """Percent (or percentage-point) ticks for shares, millions for money, 1,234 for counts."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    if kpi in SHARE_KPIS:
        # differences of shares are in percentage points: the unit is in the axis label
        symbol = "" if difference else "%"
        target.set_major_formatter(PercentFormatter(xmax=1.0, decimals=None, symbol=symbol))
    elif kpi in MONEY_KPIS:
        target.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value / 1e6:,.6g}"))
    elif kpi in _COUNT_KPIS:
        target.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.6g}"))


def _style(ax: Axes) -> None:
    ax.grid(True, alpha=0.3, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


# --------------------------------------------------------------------------- Persian figures
#: The Persian typeface bundled with cxsim (SIL OFL 1.1; see cxsim/fonts/README.md).
PERSIAN_FONT_FILE = Path(__file__).with_name("fonts") / "Vazirmatn-Regular.ttf"
_PERSIAN_FAMILY = "Vazirmatn"
_RLM = "\u200f"  # RIGHT-TO-LEFT MARK: makes a line a right-to-left paragraph
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")


def persian_font() -> str:
    """Register the bundled Vazirmatn with matplotlib (once) and return its family name.

    Any figure can then use it: ``ax.set_title("...", fontfamily=persian_font())``.
    """
    if PERSIAN_FONT_FILE.name not in _registered_fonts:
        font_manager.fontManager.addfont(str(PERSIAN_FONT_FILE))
        _registered_fonts.add(PERSIAN_FONT_FILE.name)
    return _PERSIAN_FAMILY


_registered_fonts: set[str] = set()


def _right_to_left(text: str) -> str:
    """Each line with Persian letters as a right-to-left paragraph.

    matplotlib (libraqm) takes a line's direction from its first strong
    character, so "phone: ..." or "lean: ..." would read left to right; a
    leading RIGHT-TO-LEFT MARK makes the whole line read right to left.
    """
    return "\n".join(_rtl_line(line) for line in text.split("\n"))


#: A Latin word (a claim number, a model's name) in a Persian line, not yet followed by a
#: right-to-left mark.
_LATIN_RUN = re.compile(r"([A-Za-z][A-Za-z0-9_]*)(?![A-Za-z0-9_\u200f])")


def _rtl_line(line: str) -> str:
    if not _ARABIC_SCRIPT.search(line):
        return line
    # a RIGHT-TO-LEFT MARK after each Latin word keeps what follows it ("N2: ۲۵٪") in the
    # Persian order; without it the bidi algorithm runs "N2:" and the number together
    line = _LATIN_RUN.sub(lambda match: match.group(1) + _RLM, line)
    return line if line.startswith(_RLM) else _RLM + line


def _persian_percent(text: str) -> str:
    """ "%" as the Persian percent sign "٪" in lines written in Persian ("(%)" of a unit)."""
    return "\n".join(
        line.replace("%", "\u066a") if _ARABIC_SCRIPT.search(line) else line
        for line in text.split("\n")
    )


class _LocalDigitsFormatter(Formatter):
    """Another tick formatter's labels with Persian digits ("۰٫۵", "۸۰٪", "۱٬۰۰۰")."""

    def __init__(self, inner: Formatter):
        self.inner = inner

    @staticmethod
    def _local(text: str) -> str:
        return localise_digits(text, persian=True)

    @staticmethod
    def _plain(value: float) -> str:
        # a log axis's mathtext ("$10^{2}$") as the number itself (۱۰۰, ۰٫۱): mathtext
        # would keep Latin digits, and a trainer reads 100 more easily than 10²
        return localise_digits(f"{value:,.10g}", persian=True)

    def _tick(self, value: float, text: str) -> str:
        return self._plain(value) if "$" in text else self._local(text)

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs: Any) -> None:
        self.inner.set_locs(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._tick(x, self.inner(x, pos))

    def format_ticks(self, values: Any) -> list[str]:
        return [
            self._tick(value, text)
            for value, text in zip(values, self.inner.format_ticks(values), strict=True)
        ]

    def format_data(self, value: float) -> str:
        return self._local(self.inner.format_data(value))

    def format_data_short(self, value: float) -> str:
        return self._local(self.inner.format_data_short(value))

    def get_offset(self) -> str:
        return self._local(self.inner.get_offset())


def localise_figure(figure: Figure, *, digits: bool | None = None) -> Figure:
    """Make a figure read in Persian: the bundled font for every text, each Persian line
    right to left, and (if ``digits``, default: the current setting) Persian digits in
    titles, labels, legends, annotations and tick labels.

    cxsim's own figures (:class:`NotebookFigure`) do this by themselves when they
    were made in Persian; call it for a figure built by hand.  Doing it twice
    changes nothing.
    """
    family = persian_font()
    digits = persian_digits() if digits is None else digits
    for text in figure.findobj(Text):
        content = text.get_text()
        if content and "$" not in content:
            localised = localise_digits(content, persian=digits)
            localised = _right_to_left(_persian_percent(localised) if digits else localised)
            if localised != content:
                text.set_text(localised)
        text.set_fontfamily(family)
    for ax in figure.get_axes():
        # a panel title set at the left (where English starts) moves to the right
        left, right = getattr(ax, "_left_title", None), getattr(ax, "_right_title", None)
        if left is not None and right is not None and left.get_text() and not right.get_text():
            right.set_text(left.get_text())
            right.set_fontproperties(left.get_fontproperties())
            right.set_color(left.get_color())
            left.set_text("")
        ax.tick_params(which="both", labelfontfamily=family)
        if digits:
            for axis in (ax.xaxis, ax.yaxis):
                if not isinstance(axis.get_major_formatter(), _LocalDigitsFormatter):
                    axis.set_major_formatter(_LocalDigitsFormatter(axis.get_major_formatter()))
                if not isinstance(axis.get_minor_formatter(), _LocalDigitsFormatter):
                    axis.set_minor_formatter(_LocalDigitsFormatter(axis.get_minor_formatter()))
    return figure


def visible_text(figure: Figure) -> list[str]:
    """Every text a reader sees on a drawn ``figure``: titles, labels, tick labels,
    legends, annotations (empty and invisible ones left out)."""
    return [
        text.get_text()
        for text in figure.findobj(Text)
        if text.get_visible() and text.get_text().strip()
    ]


class NotebookFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` that shows itself as a PNG in a notebook,
    with or without ``%matplotlib inline`` (no pyplot involved).

    A figure made while the language is Persian draws in Persian
    (:func:`localise_figure`): the language it was made in is kept, so switching
    language later does not half-translate it.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.cxsim_language = get_language()
        self.cxsim_persian_digits = persian_digits()

    def draw(self, renderer: Any) -> None:
        if self.cxsim_language == "fa":
            localise_figure(self, digits=self.cxsim_persian_digits)
        super().draw(renderer)
        if self.cxsim_language == "fa" and os.environ.get("CXSIM_STRICT_TEXT"):
            english = sorted({w for text in visible_text(self) for w in latin_words(text)})
            if english:
                raise ValueError(
                    "a Persian figure shows English: "
                    + ", ".join(english)
                    + " (CXSIM_STRICT_TEXT is set: translate it, or use translate_name)"
                )

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()


def _figure(
    rows: int, cols: int, *, width: float, height: float, **kwargs: Any
) -> tuple[Figure, np.ndarray]:
    figure = NotebookFigure(figsize=(width, height), layout="constrained")
    axes = np.atleast_1d(figure.subplots(rows, cols, squeeze=False, **kwargs)).ravel()
    for ax in axes:
        _style(ax)
    return figure, axes


def _empty(function: str, what: str) -> ValueError:
    return ValueError(
        _("{function}: nothing to plot, {what} is empty", function=function, what=what)
    )


def _require_columns(
    function: str, frame: Any, required: Sequence[str], optional: Sequence[str] = ()
) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            _(
                "{function}: expected a DataFrame with columns {columns}, got {kind}",
                function=function,
                columns=", ".join(required),
                kind=type(frame).__name__,
            )
        )
    if frame.empty:
        raise _empty(function, _("the table"))
    missing = [column for column in required if column not in frame.columns]
    if missing:
        expected = ", ".join([*required, *(f"[{c}]" for c in optional)])
        raise ValueError(
            _(
                "{function}: the table lacks column(s) {missing}; expected columns "
                "{expected} (optional in brackets), got {got}",
                function=function,
                missing=", ".join(missing),
                expected=expected,
                got=", ".join(map(str, frame.columns)),
            )
        )
    return frame


def _select_kpis(
    function: str, available: Sequence[str], kpis: Iterable[str] | None, default: Sequence[str]
) -> list[str]:
    available = list(dict.fromkeys(available))
    if kpis is None:
        chosen = [kpi for kpi in default if kpi in available] or available
    else:
        chosen = [kpis] if isinstance(kpis, str) else list(kpis)
        unknown = [kpi for kpi in chosen if kpi not in available]
        if unknown:
            raise ValueError(
                _(
                    "{function}: no data for KPI(s) {unknown}; available: {available}",
                    function=function,
                    unknown=", ".join(unknown),
                    available=", ".join(available),
                )
            )
    if not chosen:
        raise _empty(function, _("the list of KPIs"))
    return chosen


# ---------------------------------------------------------------- results in, figures out
def _named_results(function: str, results: Any) -> dict[str, Result]:
    """``Result``, a list of them, or a mapping ``label -> Result`` as ``{label: Result}``."""
    if isinstance(results, Result):
        return {policy_label(results.policy): results}
    if isinstance(results, Mapping):
        pairs = [(policy_label(label), result) for label, result in results.items()]
    elif isinstance(results, Iterable) and not isinstance(results, str | bytes):
        pairs = [(policy_label(getattr(result, "policy", None)), result) for result in results]
    else:
        pairs = [("", results)]
    if not pairs:
        raise _empty(function, _("the collection of results"))
    named: dict[str, Result] = {}
    for label, result in pairs:
        if not isinstance(result, Result):
            raise TypeError(
                _(
                    "{function}: expected a Result from cxsim.simulate, a list of them "
                    "or a dict label -> Result; got {kind}",
                    function=function,
                    kind=type(result).__name__,
                )
            )
        if label in named:
            label = _("{label} (seed {seed})", label=label, seed=result.seed)
        named[label] = result
    return named


def _pick_touchpoint(function: str, result: Result, touchpoint: str | None) -> str:
    touchpoints = result.scenario.touchpoints
    names = [t.name for t in touchpoints]
    if touchpoint is None:
        staffed = [t.name for t in touchpoints if t.kind == "staffed"]
        return staffed[0] if staffed else names[0]
    if touchpoint not in names:
        raise ValueError(
            _(
                "{function}: unknown touchpoint {name!r}; allowed: {allowed}",
                function=function,
                name=touchpoint,
                allowed=", ".join(names),
            )
        )
    return touchpoint


def plot_hourly(result_or_results: Any, touchpoint: str | None = None) -> Figure:
    """Hour by hour at one touchpoint: calls arriving, staff on duty, mean queue.

    ``result_or_results`` is a :class:`~cxsim.results.Result`, a list of them
    (one per policy) or a dict ``label -> Result``; each is drawn in its
    policy's colour, overlaid.  ``touchpoint`` defaults to the first staffed
    one.  Runs longer than a day are averaged per hour of the day over the
    measured days (warm-up left out).  Three panels, one line per result in
    each: arrivals per hour, people on duty (a step line), mean queue length.
    """
    function = "plot_hourly"
    named = _named_results(function, result_or_results)
    first = next(iter(named.values()))
    where = _pick_touchpoint(function, first, touchpoint)
    figure, axes = _figure(3, 1, width=8.0, height=7.5, sharex=True)
    quantities = (
        ("arrivals", _("Arrivals (per hour)"), _("Customers arriving")),
        ("staff", _("Staff (people)"), _("Staff on duty")),
        ("mean_queue", _("Queue (people, hourly mean)"), _("Mean queue length")),
    )
    days = 1.0
    for label, result in named.items():
        _pick_touchpoint(function, result, where)
        series = result.timeseries
        start_min, end_min = result.window
        series = series[(series["touchpoint"] == where) & (series["hour"] * 60 >= start_min - 1e-9)]
        if series.empty:
            raise _empty(function, _("the hourly table of {label}", label=label))
        days = max(days, (end_min - start_min) / 1440.0)
        per_hour = series.groupby("hour_of_day")[["arrivals", "staff", "mean_queue"]].mean()
        per_hour = per_hour.reindex(range(24))
        hours = np.arange(25)
        for ax, (column, _ylabel, _title) in zip(axes, quantities, strict=True):
            values = per_hour[column].to_numpy(dtype=float)
            ax.step(
                hours,
                np.append(values, values[-1]),
                where="post",
                label=label,
                color=policy_colour(label),
                linewidth=1.8,
            )
    for ax, (_column, ylabel, title) in zip(axes, quantities, strict=True):
        ax.set_ylabel(ylabel)
        ax.set_title(title, loc="left", fontsize="medium")
        ax.set_ylim(bottom=0)
    axes[1].yaxis.set_major_locator(MaxNLocator(integer=True))
    axes[-1].set_xlim(0, 24)
    axes[-1].set_xticks(range(0, 25, 3))
    axes[-1].set_xlabel(_("Hour of day (h)"))
    axes[0].legend(title=_("Policy"), loc="upper left", fontsize="small")
    title = _(
        "{touchpoint}: demand, staff and queue by hour of day", touchpoint=translate_name(where)
    )
    if days > 1.0 + 1e-9:
        title += " " + _("(mean over {days:g} days)", days=round(days, 2))
    figure.suptitle(title)
    return figure


def plot_wait_distribution(
    results: Any, touchpoint: str | None = None, target_wait_min: float | None = None
) -> Figure:
    """How long customers waited: the share answered within each wait (an ECDF).

    For every policy, the curve at wait *x* is the share of all visits to the
    touchpoint (abandoners included) answered within *x* minutes, so it levels
    off below 100% by the abandonment rate and, at the target wait, equals the
    service level of :meth:`Result.kpis`.  A dashed line marks the target wait
    (default: the touchpoint's ``target_wait_min``, 5 minutes after claim N1);
    the legend gives each policy's share within it.
    """
    function = "plot_wait_distribution"
    named = _named_results(function, results)
    first = next(iter(named.values()))
    where = _pick_touchpoint(function, first, touchpoint)
    target = (
        first.scenario.touchpoint(where).target_wait_min
        if target_wait_min is None
        else float(target_wait_min)
    )
    if not (math.isfinite(target) and target >= 0):
        raise ValueError(
            _(
                "{function}: target_wait_min must be a number >= 0, got {value!r}",
                function=function,
                value=target_wait_min,
            )
        )
    curves = []
    longest = target
    for label, result in named.items():
        _pick_touchpoint(function, result, where)
        visits = result.interactions
        visits = visits[
            (visits["touchpoint"] == where) & (visits["arrival_min"] >= result.window[0])
        ]
        if visits.empty:
            raise _empty(
                function,
                _("the list of visits to {touchpoint} in {label}", touchpoint=where, label=label),
            )
        answered = visits["outcome"].isin(["served", "in_service"]).to_numpy()
        waits = np.sort(visits["wait_min"].to_numpy(dtype=float)[answered])
        curves.append((label, waits, len(visits)))
        if len(waits):
            longest = max(longest, float(np.quantile(waits, 0.995)))
    right = max(longest, target * 1.5, 1.0)
    figure, axes = _figure(1, 1, width=8.0, height=4.5)
    ax = axes[0]
    for label, waits, total in curves:
        within = float(np.count_nonzero(waits <= target) / total)
        # share answered within x: a step up by 1/total at each answered wait
        x = np.concatenate([[0.0], waits, [max(right, waits[-1] if len(waits) else 0.0)]])
        y = np.concatenate([[0.0], np.arange(1, len(waits) + 1) / total, [len(waits) / total]])
        legend = _(
            "{label}: {share:.0%} within {target:g} min", label=label, share=within, target=target
        )
        ax.step(x, y, where="post", color=policy_colour(label), linewidth=1.8, label=legend)
    ax.axvline(
        target,
        color=_NEUTRAL,
        linestyle="--",
        linewidth=1.2,
        label=_("Target: {target:g} min", target=target),
    )
    ax.set_xlim(0, right)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_xlabel(_("Wait (min)"))
    ax.set_ylabel(_("Answered within this wait (% of calls)"))
    ax.legend(loc="lower right", fontsize="small")
    figure.suptitle(_("{touchpoint}: how long customers waited", touchpoint=translate_name(where)))
    return figure


# ---------------------------------------------------------------- tables in, figures out
DEFAULT_KPIS = ("mean_wait_min", "service_level", "abandonment_rate", "utilisation")


def _kpi_long_table(function: str, table: Any) -> pd.DataFrame:
    """``table`` as a long frame with columns policy, kpi, mean, ci_low, ci_high."""
    if isinstance(table, pd.DataFrame):
        if "kpi" not in table.columns and table.index.name == "kpi":
            table = table.reset_index()  # replicate(...).summary() is indexed by KPI
        if "policy" not in table.columns and not table.empty:
            raise ValueError(
                _(
                    "{function}: the table has no policy column; name the runs, "
                    'e.g. table.assign(policy="lean")',
                    function=function,
                )
            )
        frame = _require_columns(
            function, table, ["policy", "kpi", "mean"], ["ci_low", "ci_high"]
        ).copy()
    elif isinstance(table, Mapping) or (
        isinstance(table, Sequence) and not isinstance(table, str | bytes)
    ):
        named = (
            _named_results(function, table)
            if not isinstance(table, Mapping) or all(isinstance(v, Result) for v in table.values())
            else dict(table)
        )
        if not named:
            raise _empty(function, _("the table"))
        rows = []
        for policy, kpis in named.items():
            values = kpis.kpis() if isinstance(kpis, Result) else kpis
            if not isinstance(values, Mapping):
                raise TypeError(
                    _(
                        "{function}: expected a dict policy -> KPI dict, got {kind} for {policy!r}",
                        function=function,
                        kind=type(values).__name__,
                        policy=policy,
                    )
                )
            rows += [{"policy": policy, "kpi": kpi, "mean": value} for kpi, value in values.items()]
        if not rows:
            raise _empty(function, _("the table"))
        frame = pd.DataFrame(rows)
    else:
        raise TypeError(
            _(
                "{function}: expected a DataFrame (policy, kpi, mean[, ci_low, "
                "ci_high]) or a dict policy -> KPIs, got {kind}",
                function=function,
                kind=type(table).__name__,
            )
        )
    for column in ("ci_low", "ci_high"):
        if column not in frame.columns:
            frame[column] = np.nan
    frame["policy"] = [policy_label(p) for p in frame["policy"].astype(object)]
    return frame


def _currency_of(results: Any) -> str:
    """The currency of the runs being plotted (``economics.currency``), "toman" if unknown."""
    if isinstance(results, Result):
        found = [results]
    elif isinstance(results, Mapping):
        found = [value for value in results.values() if isinstance(value, Result)]
    elif isinstance(results, Sequence) and not isinstance(results, str | bytes):
        found = [value for value in results if isinstance(value, Result)]
    else:
        found = []
    economics = found[0].scenario.economics if found else None
    return economics.currency if economics is not None else "toman"


def plot_kpi_comparison(table: Any, kpis: Sequence[str] | None = None) -> Figure:
    """Bar chart of KPIs by policy: one panel per KPI, one bar per policy.

    ``table`` is a DataFrame with columns ``policy``, ``kpi`` (machine names
    such as ``"service_level"``), ``mean`` and optionally ``ci_low`` and
    ``ci_high`` (then bars get confidence-interval error bars; e.g.
    ``replicate(...).summary()`` with a policy column), or a dict
    ``policy -> {kpi: value}`` (e.g. ``{"lean": result.kpis()}``), or a dict /
    list of :class:`Result`.  ``kpis`` defaults to mean wait, service level,
    abandonment and utilisation (those present).
    """
    function = "plot_kpi_comparison"
    currency = _currency_of(table)
    frame = _kpi_long_table(function, table)
    chosen = _select_kpis(function, frame["kpi"].astype(str).tolist(), kpis, DEFAULT_KPIS)
    policies = list(dict.fromkeys(frame["policy"]))
    figure, axes = _figure(1, len(chosen), width=max(3.3 * len(chosen), 5.0), height=4.2)
    for ax, kpi in zip(axes, chosen, strict=True):
        here = frame[frame["kpi"] == kpi].drop_duplicates("policy", keep="last")
        here = here.set_index("policy").reindex(policies)
        means = here["mean"].to_numpy(dtype=float)
        low = here["ci_low"].to_numpy(dtype=float)
        high = here["ci_high"].to_numpy(dtype=float)
        has_ci = np.isfinite(low) & np.isfinite(high)
        errors = None
        if has_ci.any():
            errors = np.vstack(
                [np.where(has_ci, means - low, 0.0), np.where(has_ci, high - means, 0.0)]
            )
        positions = np.arange(len(policies))
        ax.bar(
            positions,
            means,
            color=[policy_colour(p) for p in policies],
            yerr=errors,
            capsize=4,
            error_kw={"ecolor": "#222222", "linewidth": 1.0},
            width=0.7,
        )
        ax.set_xticks(positions, policies, rotation=20 if len(policies) > 3 else 0)
        ax.set_xlabel(_("Policy"))
        ax.set_ylabel(_wrap(kpi_axis_label(kpi, currency=currency)))
        ax.set_title(_wrap(kpi_label(kpi)), fontsize="medium")
        ax.grid(False, axis="x")
        _format_axis(ax, kpi)
        if kpi in SHARE_KPIS:
            ax.set_ylim(0, max(1.0, float(np.nanmax(np.append(high, means)))) * 1.02)
    title = _("KPIs by policy")
    if np.isfinite(frame[["ci_low", "ci_high"]].to_numpy(dtype=float)).any():
        title += " " + _("(mean with confidence interval)")
    figure.suptitle(title)
    return figure


#: Bar colours of :func:`plot_survey_vs_memory` (Okabe & Ito): the remembered experience
#: in blues and vermillion (hang-ups), the survey's answers in orange.
_SURVEY_COLOURS = {
    "all": BASELINE_COLOUR,
    "served": "#56B4E9",
    "hung_up": "#D55E00",
    "answers": "#E69F00",
}


def plot_survey_vs_memory(result: Result) -> Figure:
    """CSAT and NPS as the customers remember them and as the firm's survey reports them.

    Two panels (CSAT in %, NPS in points), four bars each, from
    :meth:`Result.survey_table`: the remembered experience of all journeys, of served
    journeys (the ones the firm surveys), of journeys that ended in a hang-up (never
    surveyed), and the survey's answers; each bar's label counts its journeys or
    answers.  ``result`` needs a scenario with a ``behaviour:`` section.
    """
    function = "plot_survey_vs_memory"
    if not isinstance(result, Result):
        raise TypeError(
            _(
                "{function}: expected a Result, got {kind}",
                function=function,
                kind=type(result).__name__,
            )
        )
    summary = result.survey_summary()
    if int(summary["count"].sum()) == 0:
        raise _empty(function, _("the survey table"))
    names = list(summary.index)
    labels = [
        _wrap(_(SURVEY_ROWS[name]), 12)
        + "\n"
        + _("(n = {count:,})", count=int(summary.at[name, "count"]))
        for name in names
    ]
    colours = [_SURVEY_COLOURS[name] for name in names]
    positions = np.arange(len(names))
    figure, axes = _figure(1, 2, width=11.0, height=4.8)
    for ax, kpi in zip(axes, ("csat", "nps"), strict=True):
        values = summary[kpi].to_numpy(dtype=float)
        bars = ax.bar(positions, np.nan_to_num(values), color=colours, width=0.7)
        shown = [
            localise_digits(
                "-" if np.isnan(v) else f"{100 * v:.0f}%" if kpi == "csat" else f"{v:+.0f}"
            )
            for v in values
        ]
        ax.bar_label(bars, shown, padding=2, fontsize="small")
        ax.set_xticks(positions, labels, fontsize="small")
        ax.grid(False, axis="x")
        ax.set_ylabel(_wrap(kpi_axis_label(kpi)))
        ax.set_title(_wrap(kpi_label(kpi)), fontsize="medium")
        _format_axis(ax, kpi)
        if kpi == "csat":
            ax.set_ylim(0, 1.08)  # room for a label above a full bar
        else:
            ax.set_ylim(-115, 115)
            ax.axhline(0.0, color=_NEUTRAL, linewidth=0.8)
    figure.suptitle(_("What customers remember, and what the survey reports"))
    return figure


def plot_simulation_vs_theory(frame: pd.DataFrame) -> Figure:
    """Simulated KPIs (mean and confidence interval) against the queueing formula.

    ``frame`` has one row per case and KPI with columns ``case`` (a name such
    as ``"10 agents, load 9"``), ``kpi``, ``simulated``, ``ci_low``,
    ``ci_high`` and ``theory`` (e.g. from :func:`cxsim.theory.mm_c_m`).  One
    panel per KPI: a dot with an error bar per case for the simulation, a
    black cross for the formula; the panel title counts the cases whose
    interval covers the formula.
    """
    function = "plot_simulation_vs_theory"
    frame = _require_columns(
        function, frame, ["case", "kpi", "simulated", "theory"], ["ci_low", "ci_high"]
    )
    chosen = list(dict.fromkeys(frame["kpi"].astype(str)))
    cases = list(dict.fromkeys(frame["case"].astype(str)))
    figure, axes = _figure(1, len(chosen), width=max(3.8 * len(chosen), 5.5), height=4.4)
    positions = np.arange(len(cases))
    for ax, kpi in zip(axes, chosen, strict=True):
        here = frame[frame["kpi"].astype(str) == kpi].copy()
        here["case"] = here["case"].astype(str)
        here = here.drop_duplicates("case", keep="last").set_index("case").reindex(cases)
        simulated = here["simulated"].to_numpy(dtype=float)
        theory = here["theory"].to_numpy(dtype=float)
        low = here["ci_low"] if "ci_low" in here else pd.Series(np.nan, index=here.index)
        high = here["ci_high"] if "ci_high" in here else pd.Series(np.nan, index=here.index)
        low, high = low.to_numpy(dtype=float), high.to_numpy(dtype=float)
        has_ci = np.isfinite(low) & np.isfinite(high)
        errors = np.vstack(
            [np.where(has_ci, simulated - low, 0.0), np.where(has_ci, high - simulated, 0.0)]
        )
        ax.errorbar(
            positions - 0.08,
            simulated,
            yerr=errors,
            fmt="o",
            color=BASELINE_COLOUR,
            capsize=4,
            label=_("Simulated (mean, CI)"),
        )
        ax.plot(
            positions + 0.08,
            theory,
            linestyle="none",
            marker="x",
            markersize=9,
            markeredgewidth=2,
            color="#000000",
            label=_("Theory (formula)"),
        )
        covered = int(np.count_nonzero(has_ci & (low <= theory) & (theory <= high)))
        ax.set_title(
            _(
                "{kpi}\nformula inside the CI in {covered} of {total} cases",
                kpi=kpi_label(kpi),
                covered=covered,
                total=int(has_ci.sum()),
            ),
            fontsize="medium",
        )
        ax.set_xticks(positions, cases, rotation=20 if len(cases) > 2 else 0)
        ax.set_xlim(-0.5, len(cases) - 0.5)
        ax.set_xlabel(_("Case"))
        ax.set_ylabel(_wrap(kpi_axis_label(kpi)))
        _format_axis(ax, kpi)
    axes[0].legend(loc="best", fontsize="small")
    figure.suptitle(_("Simulation against queueing theory"))
    return figure


def plot_sweep(
    frame: pd.DataFrame, x: str, kpi: str, hue: str | None = None, *, xlabel: str | None = None
) -> Figure:
    """One KPI along a swept parameter: the mean as a line, its CI as a band.

    ``frame`` is tidy, as :func:`cxsim.experiments.sweep` returns it: one
    column per swept parameter (named by its dotted path, e.g.
    ``"touchpoints.phone.staff"``), and columns ``kpi``, ``mean`` and
    optionally ``ci_low``, ``ci_high``, ``n``.  ``x`` is the parameter on the
    horizontal axis; ``hue`` another column giving one line each (coloured by
    policy when ``hue="policy"``).  Any other column that varies must be
    filtered out first, otherwise the lines would mix values.
    """
    function = "plot_sweep"
    frame = _require_columns(function, frame, [x, "kpi", "mean"], ["ci_low", "ci_high"])
    if hue is not None and hue not in frame.columns:
        raise ValueError(
            _(
                "{function}: hue column {hue!r} not in the table; columns: {columns}",
                function=function,
                hue=hue,
                columns=", ".join(map(str, frame.columns)),
            )
        )
    _select_kpis(function, frame["kpi"].astype(str).tolist(), [kpi], ())
    here = frame[frame["kpi"].astype(str) == kpi]
    known = {x, hue, "kpi", "mean", "ci_low", "ci_high", "n", "half_width", "std"}
    varying = [
        column
        for column in here.columns
        if column not in known and here[column].astype(str).nunique() > 1
    ]
    if varying:
        raise ValueError(
            _(
                "{function}: column(s) {columns} vary too; filter the table to one "
                "value each, or pass one as hue=",
                function=function,
                columns=", ".join(map(str, varying)),
            )
        )
    groups = (
        [(None, here)]
        if hue is None
        else list(here.groupby(here[hue].astype(object), sort=False, dropna=False))
    )
    figure, axes = _figure(1, 1, width=7.5, height=4.5)
    ax = axes[0]
    for number, (value, group) in enumerate(groups):
        group = group.sort_values(x)
        xs = group[x].to_numpy(dtype=float)
        means = group["mean"].to_numpy(dtype=float)
        if hue is None:
            policy = group["policy"].iloc[0] if "policy" in group.columns else None
            colour, label = policy_colour(policy), kpi_label(kpi)
        elif hue == "policy":
            colour, label = policy_colour(value), policy_label(value)
        else:
            colour = _HASHED_PALETTE[number % len(_HASHED_PALETTE)] if number else BASELINE_COLOUR
            label = f"{hue} = {value}"
        ax.plot(xs, means, marker="o", color=colour, linewidth=1.8, label=label)
        if {"ci_low", "ci_high"} <= set(group.columns):
            ax.fill_between(
                xs,
                group["ci_low"].to_numpy(dtype=float),
                group["ci_high"].to_numpy(dtype=float),
                color=colour,
                alpha=0.2,
                linewidth=0,
            )
    ax.set_xlabel(_wrap(xlabel or _parameter_label(x), 60))
    ax.set_ylabel(_wrap(kpi_axis_label(kpi)))
    _format_axis(ax, kpi)
    if pd.api.types.is_integer_dtype(here[x]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if hue is not None:
        ax.legend(title=_("Policy") if hue == "policy" else hue, fontsize="small")
    title = _(
        "{kpi} against {parameter}", kpi=kpi_label(kpi), parameter=xlabel or _parameter_label(x)
    )
    if {"ci_low", "ci_high"} <= set(here.columns):
        title += "\n" + _("(line: mean; band: confidence interval)")
    figure.suptitle(title)
    return figure


def plot_differences(differences: pd.DataFrame, kpis: Sequence[str] | None = None) -> Figure:
    """Forest plot of paired differences (policy minus reference) with their CIs.

    ``differences`` has columns ``policy``, ``kpi``, ``mean_difference``,
    ``ci_low``, ``ci_high`` and optionally ``significant`` (otherwise: the
    interval excludes 0), as :meth:`compare(...).differences()` returns.
    One panel per KPI, one row per policy; a dashed line marks zero (no
    difference).  Significant differences are filled dots with solid bars,
    the others hollow dots with pale bars.
    """
    function = "plot_differences"
    frame = _require_columns(
        function,
        differences,
        ["policy", "kpi", "mean_difference", "ci_low", "ci_high"],
        ["significant"],
    ).copy()
    frame["policy"] = [policy_label(p) for p in frame["policy"].astype(object)]
    if "significant" not in frame.columns:
        frame["significant"] = (frame["ci_low"] > 0) | (frame["ci_high"] < 0)
    chosen = _select_kpis(function, frame["kpi"].astype(str).tolist(), kpis, ())
    policies = list(dict.fromkeys(frame["policy"]))
    figure, axes = _figure(
        1,
        len(chosen),
        width=max(3.6 * len(chosen), 5.5),
        height=1.6 + 0.55 * len(policies),
        sharey=True,
    )
    rows = np.arange(len(policies))[::-1]
    for ax, kpi in zip(axes, chosen, strict=True):
        here = frame[frame["kpi"].astype(str) == kpi].drop_duplicates("policy", keep="last")
        here = here.set_index("policy")
        ax.axvline(0.0, color=_NEUTRAL, linestyle="--", linewidth=1.0)
        for row, policy in zip(rows, policies, strict=True):
            if policy not in here.index:
                continue
            mean, low, high = (
                float(here.at[policy, c]) for c in ("mean_difference", "ci_low", "ci_high")
            )
            significant = bool(here.at[policy, "significant"])
            colour = policy_colour(policy)
            ax.errorbar(
                [mean],
                [row],
                xerr=[[mean - low], [high - mean]],
                fmt="o",
                color=colour,
                ecolor=colour,
                elinewidth=2.2 if significant else 1.2,
                alpha=1.0 if significant else 0.55,
                capsize=4,
                markersize=7,
                markerfacecolor=colour if significant else "white",
                markeredgewidth=1.6,
            )
        ax.set_yticks(rows, policies)
        ax.set_ylim(-0.7, len(policies) - 0.3)
        ax.set_title(_wrap(kpi_label(kpi)), fontsize="medium")
        ax.set_xlabel(kpi_axis_label(kpi, difference=True))
        ax.grid(False, axis="y")
        _format_axis(ax, kpi, axis="x", difference=True)
    axes[0].set_ylabel(_("Policy"))
    legend = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="-",
            color=_NEUTRAL,
            markerfacecolor=_NEUTRAL,
            label=_("CI excludes 0: a real difference"),
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="-",
            color=_NEUTRAL,
            markerfacecolor="white",
            alpha=0.55,
            label=_("CI includes 0: could be luck"),
        ),
    ]
    figure.legend(handles=legend, loc="outside lower center", ncols=2, fontsize="small")
    figure.suptitle(_("Difference from the reference (mean and confidence interval)"))
    return figure


def plot_evaluation(evaluation: Any) -> Figure:
    """Profit against CSAT for a :class:`cxsim.challenge.Evaluation`: one point per
    policy with its profit and CSAT confidence intervals, in the policy's colour."""
    summary = evaluation.comparison.summary().set_index(["policy", "kpi"])
    figure = NotebookFigure(figsize=(7.5, 5.0), layout="constrained")
    ax = figure.subplots()
    for name in evaluation.policies:
        csat, profit = summary.loc[(name, "csat")], summary.loc[(name, "profit")]
        x, y = csat["mean"] * 100, profit["mean"] / 1e6
        xerr = [[x - csat["ci_low"] * 100], [csat["ci_high"] * 100 - x]]
        yerr = [[y - profit["ci_low"] / 1e6], [profit["ci_high"] / 1e6 - y]]
        colour = policy_colour(name)
        ax.errorbar(
            [x],
            [y],
            xerr=np.nan_to_num(xerr),
            yerr=np.nan_to_num(yerr),
            fmt="o",
            markersize=8,
            capsize=4,
            color=colour,
            label=translate_name(name),
        )
        ax.annotate(
            translate_name(name),
            (x, y),
            textcoords="offset points",
            xytext=(6, 6),
            fontsize="small",
            color=colour,
        )
    ax.set_xlabel(_("CSAT (share satisfied, %)"))
    ax.set_ylabel(_("Profit (million toman)"))
    ax.grid(True, alpha=0.3, linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize="small", title=_("Policy"), loc="best")
    n = evaluation.comparison.runs["replication"].nunique()
    figure.suptitle(
        _(
            "Profit against CSAT per policy\n(mean and 95% confidence interval "
            "over {n} replications)",
            n=n,
        )
    )
    return figure
