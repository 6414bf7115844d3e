"""Dashboards for the notebooks: sliders that re-run the simulation.

The design keeps the widgets thin.  A :class:`Dashboard` is a scenario, a
list of :class:`Control` specifications and a *view*, a plain function
``results -> (KPI table, list of figures)``.  :meth:`Dashboard.update` turns
control values into a scenario variant, runs :func:`cxsim.simulate` with a
fixed seed (so moving a slider shows the effect of the change, not a new
day's luck) and returns what the view makes of it: it is an ordinary method,
tested without a browser.  :meth:`Dashboard.widget` only wires ipywidgets
controls to it: sliders update once when released, controls are disabled and
a "Simulating..." label shows while a run is under way, and an error becomes
one line in the output, never a traceback.

A control is named by what it changes: a dotted override path
(``"touchpoints.phone.service_min.mean"``, see
:meth:`Scenario.with_overrides`), or a lever: ``"policy"``, ``"seed"``,
``"days"``.  A 24-hour staff rota cannot be one slider, so two special kinds
change a whole rota at once: ``"staff_shift"`` adds agents at every open hour and
``"staff_scale"`` multiplies the rota (both in whole people, never closing an
open hour nor opening a closed one; see :mod:`cxsim.rota`).  Ranges are checked
against the model when a dashboard is built, so a slider can only reach values the
model accepts.  The policy lever is applied first; a control that shows the
scenario's own value leaves what the policy set alone, and any other value
overrides it.

>>> from cxsim.widgets import staffing_dashboard
>>> dashboard = staffing_dashboard()
>>> table, figures = dashboard.update(extra_agents=2)
>>> list(table.columns)
['baseline', 'your policy', 'difference']
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import math
import numbers
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from .browser_widgets import Drafts, remember, slider_row
from .catalog import load_scenario
from .formatting import format_value, table_html, table_text
from .i18n import _, persian_digits, text_direction, translate_name
from .plots import plot_hourly, policy_label
from .results import Result
from .rota import scale_rota, shift_rota
from .run_cache import simulate as cached_simulate
from .scenario import Scenario

__all__ = [
    "CONTROL_KINDS",
    "DASHBOARD_CLASS",
    "LEVERS",
    "RTL_CLASS",
    "RTL_CSS",
    "Control",
    "Dashboard",
    "DashboardUI",
    "View",
    "change_rota",
    "figure_output",
    "kpi_frame",
    "staffing_dashboard",
]

#: What a control can be: sliders of whole numbers or decimals, a drop-down
#: list, an on/off toggle, and the two ways to change a 24-hour staff rota.
CONTROL_KINDS = ("int", "float", "dropdown", "toggle", "staff_shift", "staff_scale")
#: Control names that are not override paths.
LEVERS = ("policy", "seed", "days")
_SLIDERS = ("int", "float", "staff_shift", "staff_scale")
_WHOLE = ("int", "staff_shift")
# Fields of a scenario that only take shares or probabilities in [0, 1].
_SHARE_FIELDS = (
    "share",
    "courtesy",
    "expected_courtesy",
    "training",
    "promise_credibility",
    "floor",
    "ceiling",
)

#: A view: results in, (KPI table, figures) out.
View = Callable[[Any], tuple[pd.DataFrame, list[Figure]]]


# --------------------------------------------------------------------------- controls
@dataclass(frozen=True)
class Control:
    """One knob of a dashboard.

    ``name``: a dotted override path (``"touchpoints.phone.service_min.mean"``)
    or a lever (``"policy"``, ``"seed"``, ``"days"``); for the staff kinds the
    path of a rota (``"touchpoints.phone.staff"``).  ``label``: what people
    read (pass it through ``_()``).  ``kind``: one of :data:`CONTROL_KINDS`.
    Sliders need ``min`` and ``max`` (``step`` defaults to 1 for whole numbers,
    a hundredth of the range otherwise); a dropdown needs ``options`` (values,
    or ``(label, value)`` pairs).  ``default=None`` means the scenario's own
    value (0 extra agents, scale 1, no policy); ``key`` is the keyword of
    :meth:`Dashboard.update` (default: ``name``).
    """

    name: str
    label: str
    kind: str = "float"
    min: float | None = None
    max: float | None = None
    step: float | None = None
    options: tuple[Any, ...] = ()
    default: Any = None
    key: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in CONTROL_KINDS:
            raise ValueError(
                _(
                    "control {name!r}: unknown kind {kind!r}; allowed: {allowed}",
                    name=self.name,
                    kind=self.kind,
                    allowed=", ".join(CONTROL_KINDS),
                )
            )
        if not self.name or not isinstance(self.name, str):
            raise ValueError(
                _("a control needs a name (a dotted path or a lever), got {name!r}", name=self.name)
            )
        if self.key is None:
            object.__setattr__(self, "key", self.name)
        object.__setattr__(self, "options", tuple(self.options))
        if self.kind in _SLIDERS:
            self._check_slider()
        elif self.kind == "dropdown" and not self.options:
            raise ValueError(_("control {label!r}: a dropdown needs options", label=self.label))
        self._check_model_limits()
        if self.default is not None:
            self.check(self.default)

    def _check_slider(self) -> None:
        if self.min is None or self.max is None:
            raise ValueError(_("control {label!r}: a slider needs min and max", label=self.label))
        for bound in (self.min, self.max, self.step):
            if bound is not None and not _is_real(bound):
                raise ValueError(
                    _(
                        "control {label!r}: min, max and step must be numbers, got {value!r}",
                        label=self.label,
                        value=bound,
                    )
                )
        if not self.min < self.max:
            raise ValueError(
                _(
                    "control {label!r}: min ({min}) must be below max ({max})",
                    label=self.label,
                    min=self.min,
                    max=self.max,
                )
            )
        whole = self.kind in _WHOLE
        if whole and not all(float(v).is_integer() for v in (self.min, self.max)):
            raise ValueError(
                _(
                    "control {label!r}: a whole-number slider needs whole min and max",
                    label=self.label,
                )
            )
        step = self.step if self.step is not None else (1 if whole else (self.max - self.min) / 100)
        if not step > 0 or (whole and not float(step).is_integer()):
            raise ValueError(
                _(
                    "control {label!r}: step must be a {kind} above 0, got {step!r}",
                    label=self.label,
                    step=self.step,
                    kind=_("whole number") if whole else _("number"),
                )
            )
        object.__setattr__(self, "step", int(step) if whole else float(step))
        if whole:
            object.__setattr__(self, "min", int(self.min))
            object.__setattr__(self, "max", int(self.max))

    def _check_model_limits(self) -> None:
        """Ranges the model can never accept, found without a scenario."""
        leaf = self.name.rsplit(".", 1)[-1]
        problem = None
        if self.kind in ("staff_shift", "staff_scale"):
            if not (
                self.name.startswith("touchpoints.")
                and leaf == "staff"
                and self.name.count(".") == 2
            ):
                problem = _("a staff control needs the path touchpoints.<name>.staff")
            elif self.kind == "staff_scale" and self.min < 0:
                problem = _("a rota cannot be scaled below 0")
        elif self.name == "policy" and self.kind != "dropdown":
            problem = _("the policy lever is a dropdown")
        elif self.name == "seed" and (self.kind != "int" or self.min < 0):
            problem = _("the seed lever is a whole-number slider from 0")
        elif self.name == "days" and (self.kind not in _SLIDERS or self.min <= 0):
            problem = _("the days lever is a slider above 0")
        elif leaf == "staff" and (
            self.kind not in ("int", "dropdown") or (self.kind == "int" and self.min < 0)
        ):
            problem = _("staff are whole numbers of people, 0 or more")
        elif (
            (leaf in _SHARE_FIELDS or leaf.endswith("probability"))
            and self.kind in _SLIDERS
            and (self.min < 0 or self.max > 1)
        ):
            problem = _("{field} is a share: min and max must lie within 0 and 1", field=leaf)
        if problem:
            raise ValueError(
                _(
                    "control {label!r} ({name}): {problem}",
                    label=self.label,
                    name=self.name,
                    problem=problem,
                )
            )

    # -- values ---------------------------------------------------------------
    def allowed(self) -> str:
        """The allowed values in words, for error messages."""
        if self.kind in _SLIDERS:
            return _("{min} to {max}", min=format_value(self.min), max=format_value(self.max))
        if self.kind == "toggle":
            return _("on or off (True or False)")
        return ", ".join(label for label, _value in self.choices())

    def choices(self) -> list[tuple[str, Any]]:
        """A dropdown's options as ``(label, value)`` pairs (``None`` reads "baseline")."""
        pairs = []
        for option in self.options:
            if isinstance(option, tuple) and len(option) == 2:
                pairs.append((str(option[0]), option[1]))
            else:
                pairs.append(
                    (policy_label(option) if self.name == "policy" else str(option), option)
                )
        return pairs

    def check(self, value: Any) -> Any:
        """``value`` if this control accepts it (as int or float for sliders), else ValueError.

        The message names the control and what it allows.
        """

        def reject(reason: str) -> ValueError:
            return ValueError(
                _(
                    "{label} ({name}): {value!r} {reason}; allowed: {allowed}",
                    label=self.label,
                    name=self.key,
                    value=value,
                    reason=reason,
                    allowed=self.allowed(),
                )
            )

        if self.kind in _SLIDERS:
            if not _is_real(value) or not math.isfinite(float(value)):
                raise reject(_("is not a number"))
            if self.kind in _WHOLE:
                if not float(value).is_integer():
                    raise reject(_("is not a whole number"))
                value = int(value)
            else:
                value = float(value)
            if not self.min <= value <= self.max:
                raise reject(_("is outside the allowed range"))
            return value
        if self.kind == "toggle":
            if not isinstance(value, bool):
                raise reject(_("is not on or off"))
            return value
        for _label, option in self.choices():
            if value is option or (
                value == option and isinstance(value, bool) == isinstance(option, bool)
            ):
                return option
        raise reject(_("is not one of the options"))


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _value_at(scenario: Scenario, path: str) -> Any:
    """The current value at a dotted override path (named lists addressed by name)."""
    current: Any = scenario.model_dump(mode="json", exclude={"source"})
    for part in path.split("."):
        if isinstance(current, list):
            matches = [
                item for item in current if isinstance(item, dict) and item.get("name") == part
            ]
            current = matches[0] if matches else None
        elif isinstance(current, dict):
            current = current.get(part)
        else:
            current = None
        if current is None:
            return None
    return current


# --------------------------------------------------------------------------- KPI tables
def kpi_frame(
    results: Result | Mapping[str, Result], kpis: Sequence[str] | None = None, digits: int = 2
) -> pd.DataFrame:
    """KPIs as a table: one row per KPI, indexed by its machine name (``"nps"``), rounded
    to ``digits``.  A notebook and a dashboard show each row with its label in the
    reader's language and its value written as its kind says (:mod:`cxsim.formatting`);
    code and tests read the data by name: ``table.loc["nps", "your policy"]``.

    One :class:`Result` gives one column ("value"); a mapping ``label ->
    Result`` one column per label, and with exactly two a third column,
    "difference" (second minus first): ``{"baseline": a, "your policy": b}``
    shows the baseline, your policy and what your policy changed.  ``kpis``
    picks and orders KPIs (machine names); those a run does not report are
    left out.
    """
    named = {_("value"): results} if isinstance(results, Result) else dict(results)
    if not named:
        raise ValueError(_("kpi_frame: no results to tabulate"))
    values = {label: result.kpis() for label, result in named.items()}
    available = list(next(iter(values.values())))
    chosen = available if kpis is None else [kpi for kpi in kpis if kpi in available]
    table = pd.DataFrame(
        {label: [_as_float(kpis_.get(kpi)) for kpi in chosen] for label, kpis_ in values.items()},
        index=pd.Index(chosen, name=_("KPI")),
    )
    if len(named) == 2:
        first, second = table.columns
        table[_("difference")] = table[second] - table[first]
    return table.round(digits)


def _as_float(value: Any) -> float:
    return float(value) if _is_real(value) else float("nan")


# --------------------------------------------------------------------------- right to left
#: CSS class of every dashboard box, and the one added when the language is written
#: right to left (Persian).
DASHBOARD_CLASS = "cxsim-dashboard"
#: CSS class of a dashboard's KPI table (the right-to-left style and browser tests find it).
KPI_TABLE_CLASS = "cxsim-kpis"
RTL_CLASS = "cxsim-rtl"

# Shipped inside each dashboard (an HTML widget holding a <style> block), so a dashboard
# reads right to left in JupyterLab, Notebook and Voila without any per-notebook CSS.
# ipywidgets 8 lays a control out as a flex row (label, then slider, then readout):
# under direction: rtl the row starts at the right, so the label sits on the right.
# A slider's track, its handle and the numeric readout keep direction: ltr, so dragging
# to the right still increases the value and numbers read as numbers.
RTL_CSS = """
.cxsim-dashboard.cxsim-rtl {
  direction: rtl;
  text-align: right;
  font-family: Vazirmatn, Vazir, "Noto Sans Arabic", Tahoma, sans-serif;
}
.cxsim-rtl .jupyter-widget-inline-hbox .jupyter-widget-label,
.cxsim-rtl .widget-inline-hbox .widget-label {
  text-align: left;
  margin-right: 0;
  margin-left: calc(var(--jp-widgets-inline-margin) * 2);
}
.cxsim-rtl .jupyter-widget-html-content, .cxsim-rtl .widget-html-content,
.cxsim-rtl .jp-OutputArea-output, .cxsim-rtl .jupyter-widget-dropdown > select,
.cxsim-rtl .widget-dropdown > select {
  direction: rtl;
  text-align: right;
}
.cxsim-rtl .jupyter-widget-hslider .slider-container, .cxsim-rtl .widget-hslider .slider-container,
.cxsim-rtl .noUi-target {
  direction: ltr;
}
.cxsim-rtl .jupyter-widget-inline-hbox .jupyter-widget-readout,
.cxsim-rtl .widget-inline-hbox .widget-readout {
  direction: ltr;
  unicode-bidi: isolate;
  margin-left: 0;
  margin-right: var(--jp-widgets-inline-margin);
}
.cxsim-rtl .jupyter-widget-button i, .cxsim-rtl .widget-button i {
  margin-right: 0;
  margin-left: 0.4em;
}
.cxsim-rtl table.cxsim-kpis { direction: rtl; }
.cxsim-rtl table.cxsim-kpis th, .cxsim-rtl table.cxsim-kpis td { text-align: right; }
.cxsim-rtl table.cxsim-kpis td { unicode-bidi: isolate; }
"""


def _style_widget() -> w.HTML | None:
    """The right-to-left stylesheet as a widget, or None for a left-to-right language."""
    if text_direction() != "rtl":
        return None
    style = w.HTML(f"<style>{RTL_CSS}</style>")
    style.add_class("cxsim-style")
    return style


# --------------------------------------------------------------------------- the dashboard
@dataclass
class DashboardUI:
    """The parts of a built dashboard, for notebooks that rearrange them and for tests.

    A drop-down's ``value`` is the position of the chosen option, not the option's
    value: ipywidgets cannot keep an option worth ``None`` ("no promise",
    "baseline") selected, it shows an empty box instead.
    """

    box: w.VBox
    inputs: dict[str, w.ValueWidget]
    status: w.Label
    reset: w.Button
    table: w.Output
    figures: w.Output
    #: the controls' values kept in the browser (see :mod:`cxsim.browser_widgets`)
    drafts: Drafts | None = None


class Dashboard:
    """Controls wired to a scenario and a view; see the module docstring.

    ``scenario``: a bundled name, path or :class:`Scenario`.  ``controls``:
    the knobs.  ``view(results) -> (table, figures)``: it receives one
    :class:`Result`, or with a ``reference`` a dict ``{"baseline": Result,
    "your policy": Result}`` (translated keys, reference first).
    ``reference``: ``None`` (no comparison), ``True`` (the controls' defaults)
    or a dict of control values that differ from the defaults; the reference
    always uses the current seed and days, so both runs see the same
    customers.  ``seed`` and ``days`` are used when no control sets them.
    """

    #: Finished runs kept, so moving a slider back costs nothing.
    CACHE_SIZE = 16

    def __init__(
        self,
        scenario: str | Scenario | Any,
        controls: Sequence[Control],
        view: View,
        *,
        reference: bool | Mapping[str, Any] | None = None,
        seed: int = 0,
        days: float | None = None,
        title: str | None = None,
    ):
        self.scenario = load_scenario(scenario)
        self.view = view
        self.seed = seed
        self.days = days
        self.title = title
        self.controls = tuple(self._resolve(control) for control in controls)
        keys = [control.key for control in self.controls]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(_("two controls share the name {names}", names=", ".join(duplicates)))
        for control in self.controls:
            self._check_against_model(control)
        self._scenario_values = {
            control.name: _value_at(self.scenario, control.name)
            for control in self.controls
            if control.name not in LEVERS and control.kind not in ("staff_shift", "staff_scale")
        }
        if reference is True:
            self.reference: dict[str, Any] | None = self.defaults()
        elif reference is None or reference is False:
            self.reference = None
        else:
            self.reference = self.values(**dict(reference))
        self._cache: OrderedDict[Any, Result] = OrderedDict()
        self.last_results: Any = None
        self.last_error: BaseException | None = None
        self.ui: DashboardUI | None = None

    def __repr__(self) -> str:
        names = ", ".join(control.key for control in self.controls)
        return f"<Dashboard {self.scenario.name!r} controls=[{names}]>"

    # -- set-up ---------------------------------------------------------------
    def _resolve(self, control: Control) -> Control:
        """Fill a missing default from the scenario."""
        if control.default is not None:
            return control
        if control.kind == "staff_shift":
            default: Any = 0
        elif control.kind == "staff_scale":
            default = 1.0
        elif control.name == "seed":
            default = self.seed
        elif control.name == "days":
            default = self.days if self.days is not None else self.scenario.horizon_days
        elif control.name == "policy" or control.kind == "dropdown":
            default = None if control.name == "policy" else _value_at(self.scenario, control.name)
        elif control.kind == "toggle":
            default = bool(_value_at(self.scenario, control.name))
        else:
            default = _value_at(self.scenario, control.name)
            if default is None:
                self._check_against_model(dataclasses.replace(control, default=control.min))
                raise ValueError(
                    _(
                        "control {label!r}: the scenario has no value at {name}; "
                        "give the control a default",
                        label=control.label,
                        name=control.name,
                    )
                )
        if (
            control.kind in _SLIDERS
            and _is_real(default)
            and not (control.min <= default <= control.max)
        ):
            raise ValueError(
                _(
                    "control {label!r} ({name}): the scenario's value {value!r} is "
                    "outside the control's range {min} to {max}; widen the range or "
                    "give the control a default",
                    label=control.label,
                    name=control.name,
                    value=default,
                    min=format_value(control.min),
                    max=format_value(control.max),
                )
            )
        resolved = dataclasses.replace(control, default=default)
        resolved.check(default)
        return resolved

    def _check_against_model(self, control: Control) -> None:
        """Every value the control can reach must give a scenario the model accepts."""
        if control.kind in ("staff_shift", "staff_scale"):
            name = control.name.split(".")[1]
            try:
                touchpoint = self.scenario.touchpoint(name)
            except KeyError as exc:
                raise ValueError(
                    _("control {label!r}: {problem}", label=control.label, problem=exc.args[0])
                ) from None
            if touchpoint.kind != "staffed":
                raise ValueError(
                    _(
                        "control {label!r}: touchpoint {name!r} has no staff",
                        label=control.label,
                        name=name,
                    )
                )
            return
        if control.name == "policy":
            for _label, option in control.choices():
                if option is not None:
                    self.scenario.with_policy(option)
            return
        if control.name in LEVERS:
            return
        if control.kind in _SLIDERS:
            candidates = [control.min, control.max, control.default]
        elif control.kind == "toggle":
            candidates = [False, True]
        else:
            candidates = [value for _label, value in control.choices()]
        for value in candidates:
            try:
                self.scenario.with_overrides({control.name: value}, path="control")
            except ValueError as exc:
                raise ValueError(
                    _(
                        "control {label!r} ({name}): {value!r} is not valid for "
                        "scenario {scenario!r}: {problem}",
                        label=control.label,
                        name=control.name,
                        value=value,
                        scenario=self.scenario.name,
                        problem=exc,
                    )
                ) from None

    # -- values -> runs ---------------------------------------------------------
    def defaults(self) -> dict[str, Any]:
        """Every control's default value, by key."""
        return {control.key: control.default for control in self.controls}

    def values(self, **values: Any) -> dict[str, Any]:
        """Defaults updated with ``values``, each checked; unknown names raise ValueError."""
        by_key = {control.key: control for control in self.controls}
        unknown = [key for key in values if key not in by_key]
        if unknown:
            raise ValueError(
                _(
                    "unknown control(s) {names}; this dashboard has: {allowed}",
                    names=", ".join(unknown),
                    allowed=", ".join(by_key) or "-",
                )
            )
        checked = self.defaults()
        for key, value in values.items():
            checked[key] = by_key[key].check(value)
        return checked

    def variant(self, **values: Any) -> tuple[Scenario, int, float | None]:
        """The scenario, seed and days that ``values`` describe (defaults for the rest)."""
        values = self.values(**values)
        by_key = {control.key: control for control in self.controls}
        scenario, seed, days = self.scenario, self.seed, self.days
        overrides: dict[str, Any] = {}
        for key, value in values.items():
            control = by_key[key]
            if control.name == "policy":
                scenario = scenario.with_policy(value)
            elif control.name == "seed":
                seed = value
            elif control.name == "days":
                days = value
            elif control.kind not in (
                "staff_shift",
                "staff_scale",
            ) and value != self._scenario_values.get(control.name):
                # a control showing the scenario's own value leaves a policy's value alone
                overrides[control.name] = value
        if overrides:
            scenario = scenario.with_overrides(overrides, path="controls")
        rotas: dict[str, Any] = {}
        for key, value in values.items():
            control = by_key[key]
            if control.kind in ("staff_shift", "staff_scale"):
                name = control.name.split(".")[1]
                rota = rotas.get(control.name) or list(scenario.touchpoint(name).hourly_staff)
                rotas[control.name] = change_rota(rota, control.kind, value)
        if rotas:
            scenario = scenario.with_overrides(rotas, path="controls")
        return scenario, seed, days

    def run(self, **values: Any) -> Result:
        """One simulation for ``values`` (cached: the same values give the same run)."""
        checked = self.values(**values)
        key = tuple(sorted((k, repr(v)) for k, v in checked.items()))
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        scenario, seed, days = self.variant(**checked)
        # every kernel of a room shares one on-disk cache of runs (cxsim.run_cache): the
        # same variant, seed and days already run by another trainee is read, not run
        result = cached_simulate(scenario, seed=seed, days=days)
        self._cache[key] = result
        while len(self._cache) > self.CACHE_SIZE:
            self._cache.popitem(last=False)
        return result

    def results(self, **values: Any) -> Result | dict[str, Result]:
        """What the view receives: the run, or ``{baseline: run, your policy: run}``."""
        current = self.run(**values)
        if self.reference is None:
            return current
        checked = self.values(**values)
        reference = dict(self.reference)
        for control in self.controls:
            if control.name in ("seed", "days"):  # same luck, same length
                reference[control.key] = checked[control.key]
        return {_("baseline"): self.run(**reference), _("your policy"): current}

    def update(self, **values: Any) -> tuple[pd.DataFrame, list[Figure]]:
        """Apply control values, simulate, and return the view's (KPI table, figures).

        Values not given take their defaults; a value a control does not allow
        raises ValueError naming the control and its allowed range.
        """
        results = self.results(**values)
        self.last_results = results
        table, figures = self.view(results)
        return table, list(figures)

    # -- widgets ----------------------------------------------------------------
    def widget(self) -> w.VBox:
        """The ipywidgets dashboard: controls, a status line, the KPI table, the figures.

        Built parts are kept in :attr:`ui`.  The first update runs at once.  The
        box has the CSS class ``cxsim-dashboard``; in a right-to-left language
        (Persian) also ``cxsim-rtl``, with its stylesheet (:data:`RTL_CSS`) as
        the box's first child, so labels sit on the right and text reads right
        to left while sliders still grow to the right.  With Persian digits, each
        slider's readout is written by the browser in Persian digits, and can be
        typed into (:func:`cxsim.browser_widgets.slider_row`).

        A draft survives a reload of the page: the browser keeps the controls'
        values (``localStorage``, keyed by the page, the dashboard's title and the
        control) and puts them back when the page opens, then the dashboard runs
        once; Reset forgets them (:func:`cxsim.browser_widgets.remember`).
        """
        inputs = {control.key: _make_input(control) for control in self.controls}
        status = w.Label(value="")
        reset = w.Button(
            description=_("Reset"), tooltip=_("Back to the starting values"), icon="undo"
        )
        table_out, figure_out = w.Output(), w.Output()
        state = {"busy": False}

        def refresh(_change: Any = None) -> None:
            if state["busy"]:
                return
            state["busy"] = True
            for box in (*inputs.values(), reset):
                box.disabled = True
            status.value = _("Simulating…")
            started = time.perf_counter()
            try:
                values = {
                    control.key: _read_input(control, inputs[control.key])
                    for control in self.controls
                }
                table, figures = self.update(**values)
                table_out.outputs = (
                    _html_output(table_html(table, KPI_TABLE_CLASS), table_text(table)),
                )
                figure_out.outputs = tuple(figure_output(figure) for figure in figures)
                self.last_error = None
                status.value = _(
                    "Updated in {seconds:.2f} s", seconds=time.perf_counter() - started
                )
            except Exception as exc:  # shown to trainees as one line, never a traceback
                self.last_error = exc
                message = _one_line(exc)
                table_out.outputs = (
                    _html_output(f'<p style="color:#D55E00">⚠ {html.escape(message)}</p>', message),
                )
                figure_out.outputs = ()
                status.value = _("Could not simulate")
            finally:
                for box in (*inputs.values(), reset):
                    box.disabled = False
                state["busy"] = False

        def set_values(values: Mapping[str, Any]) -> None:
            """Put ``values`` (widget values, by key) into the controls, then run once."""
            state["busy"] = True
            try:
                for key, value in values.items():
                    inputs[key].value = value
            finally:
                state["busy"] = False
            refresh()

        def reset_all(_button: Any = None) -> None:
            drafts.paused.add("reset")
            try:
                set_values(
                    {
                        control.key: _input_value(control, control.default)
                        for control in self.controls
                    }
                )
            finally:
                drafts.paused.discard("reset")
            drafts.clear()
            drafts.values = {}

        by_key = {control.key: control for control in self.controls}
        drafts = remember(
            self.title or self.scenario.name,
            inputs,
            accept=lambda key, value: _accepts(by_key[key], value),
            apply=set_values,
        )
        for box in inputs.values():
            box.observe(refresh, names="value")
        reset.on_click(reset_all)
        header = [w.HTML(f"<h3>{html.escape(self.title)}</h3>")] if self.title else []
        style = _style_widget()
        persian = persian_digits()
        rows = [
            slider_row(box, "fa-IR") if persian and isinstance(box, _SLIDER_WIDGETS) else box
            for box in inputs.values()
        ]
        box = w.VBox(
            [
                *([style] if style is not None else []),
                *header,
                w.VBox(rows),
                w.HBox([reset, status]),
                table_out,
                figure_out,
                drafts,
            ]
        )
        drafts.wait_for(box)  # a restore moves the controls and redraws the table
        box.add_class(DASHBOARD_CLASS)
        if style is not None:
            box.add_class(RTL_CLASS)
        self.ui = DashboardUI(
            box=box,
            inputs=inputs,
            status=status,
            reset=reset,
            table=table_out,
            figures=figure_out,
            drafts=drafts,
        )
        refresh()
        return box

    def display(self) -> None:
        """Build the widget and show it in the notebook."""
        from IPython.display import display

        display(self.widget())

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """A dashboard left as the last line of a cell shows itself."""
        return self.widget()._repr_mimebundle_(**kwargs)


def change_rota(rota: Sequence[int], kind: str, value: float) -> list[int]:
    """A rota shifted by ``value`` people (``"staff_shift"``) or scaled by ``value``
    (``"staff_scale"``), as :mod:`cxsim.rota` defines them: at every open hour, an open
    hour keeping at least one person, closed hours staying closed.

    >>> change_rota([0, 2, 3], "staff_shift", 1), change_rota([0, 2, 3], "staff_scale", 1.5)
    ([0, 3, 4], [0, 3, 5])
    """
    if kind == "staff_shift":
        return shift_rota(rota, int(value))
    return scale_rota(rota, value)


def _make_input(control: Control) -> w.ValueWidget:
    common = {
        "description": control.label,
        "style": {"description_width": "initial"},
        # at most 520 px, and never wider than a phone's screen
        "layout": w.Layout(width="100%", max_width="520px"),
    }
    if control.kind in _WHOLE or control.name == "seed":
        return w.IntSlider(
            value=control.default,
            min=control.min,
            max=control.max,
            step=control.step,
            continuous_update=False,
            **common,
        )
    if control.kind in _SLIDERS:
        decimals = max(_decimals(control.step), _decimals(control.default))
        return w.FloatSlider(
            value=control.default,
            min=control.min,
            max=control.max,
            step=control.step,
            continuous_update=False,
            readout_format=f".{min(decimals, 3)}f",
            **common,
        )
    if control.kind == "toggle":
        return w.Checkbox(value=control.default, indent=False, **common)
    options = [(label, index) for index, (label, _value) in enumerate(control.choices())]
    return w.Dropdown(options=options, value=_input_value(control, control.default), **common)


_SLIDER_WIDGETS = (w.IntSlider, w.FloatSlider)


def _accepts(control: Control, value: Any) -> bool:
    """Whether a saved widget value (a draft) is one ``control`` can take now: the page may
    have changed since it was saved (a narrower range, fewer options)."""
    if control.kind == "dropdown":
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (0 <= value < len(control.choices()))
        )
    if control.kind == "toggle":
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        control.check(value)
    except (TypeError, ValueError):
        return False
    return True


def _decimals(number: float) -> int:
    """How many decimals ``number`` needs, at most 3: a step of 0.25 is read 0.25, not 0.2.

    >>> _decimals(0.25), _decimals(0.5), _decimals(2.0), _decimals(0.1 + 0.2)
    (2, 1, 0, 1)
    """
    text = f"{float(number):.3f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _input_value(control: Control, value: Any) -> Any:
    """What the control's widget holds for ``value``: a drop-down, the option's position."""
    if control.kind != "dropdown":
        return value
    values = [option for _label, option in control.choices()]
    return next(
        index
        for index, option in enumerate(values)
        if option is value or (option is not None and option == value)
    )


def _read_input(control: Control, box: w.ValueWidget) -> Any:
    """The control's value that its widget shows (the inverse of :func:`_input_value`)."""
    if control.kind != "dropdown":
        return box.value
    return control.choices()[box.value][1]


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    message = text[0] if text else type(exc).__name__
    return _("Could not simulate: {message}", message=message)


def _html_output(markup: str, text: str) -> dict[str, Any]:
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/html": markup, "text/plain": text},
    }


def figure_output(figure: Figure) -> dict[str, Any]:
    """``figure`` as an output for an ``Output`` widget's ``outputs`` (a PNG).

    Widgets set their outputs this way, never by capturing ``display`` inside ``with
    output:`` while a page is built: under Voila on a busy machine a capture during the
    page's run could leave the page waiting for ever (lesson 03's assumptions panel,
    1 page in 6 under load)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    title = figure.get_suptitle() or _("Figure")
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "text/plain": title,
        },
    }


# --------------------------------------------------------------------------- a ready dashboard
STAFFING_KPIS = (
    "mean_wait_min",
    "service_level",
    "abandonment_rate",
    "utilisation",
    "csat",
    "staff_cost",
    "profit",
)


def staffing_dashboard(
    scenario: str | Scenario = "contact_centre",
    touchpoint: str = "phone",
    *,
    seed: int = 0,
    days: float | None = 1,
    reference: bool | Mapping[str, Any] | None = True,
) -> Dashboard:
    """How many agents, and how long a call: a staffing dashboard for one touchpoint.

    Controls: extra agents at every hour (-3 to +5, added to the rota, never
    below 0), the mean handle time (1 to 8 minutes in steps of 0.5; left
    out when the touchpoint's handle time has no mean) and the seed.
    Outputs: KPIs beside the baseline (the scenario as it is, same seed)
    and the hour-by-hour chart.  ``days=1`` keeps a run short enough for a
    slider (``None``: the scenario's own horizon).
    """
    loaded = load_scenario(scenario)
    try:
        service = loaded.touchpoint(touchpoint).service_min
    except KeyError as exc:
        raise ValueError(exc.args[0]) from None
    controls = [
        Control(
            f"touchpoints.{touchpoint}.staff",
            _("Extra agents at every hour"),
            "staff_shift",
            min=-3,
            max=5,
            step=1,
            key="extra_agents",
        )
    ]
    mean = getattr(service, "mean", None)
    if mean is not None:
        controls.append(
            Control(
                f"touchpoints.{touchpoint}.service_min.mean",
                _("Mean handle time (min)"),
                "float",
                min=min(1.0, mean),
                max=max(8.0, mean),
                step=0.5,
                default=mean,
                key="handle_time",
            )
        )
    controls.append(
        Control("seed", _("Seed (which day's luck)"), "int", min=0, max=max(99, seed), default=seed)
    )

    def view(results: Any) -> tuple[pd.DataFrame, list[Figure]]:
        return kpi_frame(results, STAFFING_KPIS), [plot_hourly(results, touchpoint)]

    return Dashboard(
        loaded,
        controls,
        view,
        reference=reference,
        seed=seed,
        days=days,
        title=_("Staffing the {touchpoint} line", touchpoint=translate_name(touchpoint)),
    )
