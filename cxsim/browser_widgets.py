"""Two small widgets whose work is done in the browser: Persian readouts and saved drafts.

Both are :mod:`anywidget` widgets: a few lines of JavaScript shipped inside the Python
object, run by anywidget's prebuilt JupyterLab extension (installed with the package, in
``share/jupyter/labextensions/anywidget``), which JupyterLab and Voila load from this
machine: nothing is fetched from the internet.

- :class:`NumberReadout`: an editable number box beside a slider, written by the browser
  with ``Intl.NumberFormat`` (``fa-IR``: Persian digits, «٫» for the decimal point).
  ipywidgets writes a slider's readout in the browser with Latin digits; a label the
  kernel rewrote after each move would lag behind the handle and could not be typed into.
  :func:`slider_row` puts one beside an ipywidgets slider, linked in the browser
  (``jslink``), so dragging the handle and typing a number move each other without a
  round trip to the kernel.  Typing accepts Persian, Arabic-Indic or Latin digits.
- :class:`Drafts`: remembers a group of controls in the browser's ``localStorage``, keyed
  by the page's address, the group and the control, so a team's draft (a dashboard's
  sliders, say) survives a reload of the page; :meth:`Drafts.clear` forgets it (the
  dashboards' Reset button).  :func:`remember` wires it to any widgets.

Storage is the browser's, per page: two trainees on two laptops never see each other's
drafts, and nothing is sent anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

__all__ = ["DRAFT_PREFIX", "Drafts", "NumberReadout", "remember", "slider_row"]

#: The prefix of every ``localStorage`` key the drafts use:
#: ``cxsim:draft:<page path>:<group>:<control>``.
DRAFT_PREFIX = "cxsim:draft:"

_READOUT_ESM = r"""
const DIGITS = {};
"۰۱۲۳۴۵۶۷۸۹".split("").forEach((d, i) => { DIGITS[d] = String(i); });
"٠١٢٣٤٥٦٧٨٩".split("").forEach((d, i) => { DIGITS[d] = String(i); });

// What a person typed, in any of the digits a Persian keyboard gives, as a number
// ("۱٫۵", "1.5", "−۲", "1,200" -> 1.5, 1.5, -2, 1200); NaN when it is not a number.
function parseNumber(text) {
  let plain = "";
  for (const ch of text) {
    if (ch in DIGITS) plain += DIGITS[ch];
    else if (/[0-9]/.test(ch)) plain += ch;
    else if (ch === "٫" || ch === ".") plain += ".";
    else if (ch === "-" || ch === "−" || ch === "\u2012" || ch === "\u2013") plain += "-";
    else if (/[\s,٬'\u200e\u200f\u066c\u00a0\u202f]/.test(ch)) continue;
    else return NaN;
  }
  return /^-?(\d+\.?\d*|\.\d+)$/.test(plain) ? Number(plain) : NaN;
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "widget-readout cxsim-readout";
  box.contentEditable = "true";
  box.setAttribute("role", "textbox");
  box.setAttribute("inputmode", "decimal");
  box.setAttribute("aria-label", model.get("label"));
  el.classList.add("cxsim-readout-host");
  el.appendChild(box);

  const format = () => {
    const digits = model.get("decimals");
    return new Intl.NumberFormat(model.get("locale"), {
      minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true,
    }).format(model.get("value"));
  };
  const show = () => { box.textContent = format(); box.classList.remove("cxsim-invalid"); };
  const commit = () => {
    const typed = parseNumber(box.textContent);
    if (Number.isNaN(typed)) { show(); box.classList.add("cxsim-invalid"); return; }
    const lo = model.get("min"), hi = model.get("max"), step = model.get("step");
    let value = Math.min(hi, Math.max(lo, typed));
    if (step > 0) value = lo + Math.round((value - lo) / step) * step;
    value = Number(value.toFixed(Math.max(model.get("decimals"), 0)));
    value = Math.min(hi, Math.max(lo, value));
    if (value !== model.get("value")) { model.set("value", value); model.save_changes(); }
    show();
  };
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); commit(); box.blur(); }
    else if (event.key === "Escape") { event.preventDefault(); show(); box.blur(); }
  });
  box.addEventListener("blur", commit);
  const disable = () => {
    box.contentEditable = model.get("disabled") ? "false" : "true";
    box.classList.toggle("mod-disabled", model.get("disabled"));
  };
  model.on("change:value", show);
  model.on("change:decimals", show);
  model.on("change:locale", show);
  model.on("change:disabled", disable);
  show();
  disable();
  return () => {
    model.off("change:value", show);
    model.off("change:decimals", show);
    model.off("change:locale", show);
    model.off("change:disabled", disable);
  };
}
export default { render };
"""

_READOUT_CSS = """
.cxsim-readout-host { display: flex; align-items: center; }
.cxsim-readout {
  min-width: 3.5em; padding: 0 0.4em; margin: 0 0.3em; text-align: center;
  border: 1px solid transparent; border-radius: 2px; outline: none;
  line-height: var(--jp-widgets-inline-height, 28px); white-space: nowrap;
  font-feature-settings: "tnum"; font-variant-numeric: tabular-nums;
}
.cxsim-readout:focus, .cxsim-readout:hover {
  border-color: var(--jp-widgets-input-focus-border-color, #64b5f6);
}
.cxsim-readout.cxsim-invalid { border-color: #d55e00; }
.cxsim-readout.mod-disabled { opacity: 0.6; }
"""


class NumberReadout(anywidget.AnyWidget):
    """An editable number, written in the browser by ``Intl.NumberFormat(locale)``.

    ``value`` is what the kernel sees; the text is the browser's (``fa-IR``: ``۱٫۵``).
    A number typed in Persian, Arabic-Indic or Latin digits is kept within
    ``min``..``max``, rounded to ``step`` and to ``decimals`` places; anything else
    brings the last value back.  See :func:`slider_row` for the usual use.
    """

    _esm = _READOUT_ESM
    _css = _READOUT_CSS
    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(100.0).tag(sync=True)
    step = traitlets.Float(1.0).tag(sync=True)
    decimals = traitlets.Int(0).tag(sync=True)
    locale = traitlets.Unicode("fa-IR").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)


def decimals_of(slider: w.widgets.widget_float._Float | w.IntSlider) -> int:
    """How many decimals a slider's readout shows: its ``readout_format`` (``".2f"`` -> 2),
    else its step's (0.05 -> 2); whole-number sliders 0.

    >>> decimals_of(w.FloatSlider(step=0.05, readout_format=".2f")), decimals_of(w.IntSlider())
    (2, 0)
    """
    if isinstance(slider, w.IntSlider):
        return 0
    spec = getattr(slider, "readout_format", "") or ""
    if spec.startswith(".") and spec.endswith("f") and spec[1:-1].isdigit():
        return int(spec[1:-1])
    step = float(slider.step or 1)
    return max(0, -math.floor(math.log10(step))) if step < 1 else 0


def slider_row(slider: w.IntSlider | w.FloatSlider, locale: str = "fa-IR") -> w.HBox:
    """``slider`` with its readout written in the browser in ``locale`` (see the module).

    The slider's own readout is hidden; a :class:`NumberReadout` beside it is linked to
    it in the browser (value and disabled state), so the text follows the handle at once
    and a typed number moves the handle.  The row has the CSS classes ``widget-slider``
    (a slider row, for style sheets and tests) and ``cxsim-slider-row``; the readout is
    ``.widget-readout`` as ipywidgets' own is.  ``row.readout`` is the readout widget.
    """
    slider.readout = False
    readout = NumberReadout(
        value=float(slider.value),
        min=float(slider.min),
        max=float(slider.max),
        step=float(slider.step or 0),
        decimals=decimals_of(slider),
        locale=locale,
        label=slider.description,
        disabled=slider.disabled,
    )
    # first in the page's order, so that `.widget-readout` finds it before the slider's own
    # (hidden, Latin digits); shown after the slider (CSS order)
    readout.layout = w.Layout(flex="0 0 auto", order="2")
    # jslink: the browser keeps the two in step without asking the kernel each time
    links = [w.jslink((slider, name), (readout, name)) for name in ("value", "disabled")]
    layout = slider.layout
    row = w.HBox([readout, slider], layout=w.Layout(width=layout.width, max_width=layout.max_width))
    slider.layout = w.Layout(flex="1 1 auto", width="auto", order="1")
    row.add_class("widget-slider")
    row.add_class("cxsim-slider-row")
    row.readout = readout
    row.slider = slider
    row.links = links
    return row


_DRAFTS_ESM = r"""
const PREFIX = "cxsim:draft:";

function groupKey(model) {
  return PREFIX + window.location.pathname + ":" + model.get("group") + ":";
}

function storage() {
  try { return window.localStorage; } catch (error) { return null; }  // private mode
}

function initialize({ model }) {
  const store = storage();
  if (!store) return;
  const prefix = groupKey(model);
  const found = {};
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key && key.startsWith(prefix)) {
      try { found[key.slice(prefix.length)] = JSON.parse(store.getItem(key)); }
      catch (error) { store.removeItem(key); }
    }
  }
  const save = () => {
    const values = model.get("values");
    for (const [name, value] of Object.entries(values)) {
      store.setItem(prefix + name, JSON.stringify(value));
    }
  };
  const clear = (message) => {
    if (!message || message.type !== "clear") return;
    const keys = [];
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key && key.startsWith(prefix)) keys.push(key);
    }
    keys.forEach((key) => store.removeItem(key));
  };
  model.on("change:values", save);
  model.on("msg:custom", clear);
  // Send what was found only once every widget the restore changes exists in this
  // page: a page loads its widgets all at once, and an update that reaches a widget
  // still being built is lost (a restored slider that kept showing its old value
  // on a busy machine).  Not awaited: anywidget allows initialize 2 s.
  const manager = model.widget_manager;
  const waits = (model.get("waits_for") || []).map((ref) =>
    Promise.resolve()
      .then(() => manager.get_model(String(ref).replace(/^IPY_MODEL_/, "")))
      .catch(() => null)
  );
  Promise.all(waits).then(() => {
    if (Object.keys(found).length > 0) {
      model.set("restored", found);
      model.save_changes();
    }
    model.set("ready", true);
    model.save_changes();
  });
}

function render({ el }) {
  el.classList.add("cxsim-drafts");
  el.style.display = "none";
}
export default { initialize, render };
"""


class Drafts(anywidget.AnyWidget):
    """A group of control values kept in the browser's ``localStorage`` (see the module).

    The kernel sets ``values`` (``{control: value}``) whenever a control moves; the
    browser saves each under ``cxsim:draft:<page path>:<group>:<control>``.  When a page
    opens, the browser sends back what it found as ``restored``; :func:`remember` puts
    those values back into the controls.  The widget shows nothing, but must be displayed
    (put in the box of the controls it remembers) for a browser to load it.
    """

    _esm = _DRAFTS_ESM
    group = traitlets.Unicode("").tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    restored = traitlets.Dict().tag(sync=True)
    ready = traitlets.Bool(False).tag(sync=True)
    #: the widgets a restore changes (controls, a table, a status line): the browser
    #: waits until each exists in the page before it sends ``restored``
    waits_for = traitlets.List(traitlets.Instance(w.Widget)).tag(
        sync=True, **w.widget_serialization
    )

    def wait_for(self, box: w.Widget) -> None:
        """Wait for every widget inside ``box`` (itself included, this one excepted)."""
        self.waits_for = [part for part in _widgets_in(box) if part is not self]

    def clear(self) -> None:
        """Forget this group's saved values in the browser (the controls keep theirs)."""
        self.send({"type": "clear"})


def remember(
    group: str,
    controls: Mapping[str, w.ValueWidget],
    *,
    accept: Callable[[str, Any], bool] | None = None,
    apply: Callable[[dict[str, Any]], None] | None = None,
) -> Drafts:
    """Keep the values of ``controls`` (``{name: widget}``) across reloads of the page.

    ``group`` names the controls on the page (a dashboard's title, say).  When the page
    opens with saved values, each one ``accept(name, value)`` allows (default: any) is
    put back: by ``apply(values)`` when given (a dashboard sets them all, then runs
    once), else control by control.  Returns the :class:`Drafts` widget, to be displayed
    beside the controls (``drafts.wait_for(box)`` when a restore changes more than the
    controls: the browser sends the values once those widgets exist in the page);
    ``drafts.clear()`` forgets the saved values, and ``drafts.paused`` (a ``set`` of
    reasons) stops saving while it holds any.
    """
    drafts = Drafts(group=group)
    drafts.paused = set()

    def snapshot(_change: Any = None) -> None:
        if not drafts.paused:
            drafts.values = {name: _plain(box.value) for name, box in controls.items()}

    def restore(change: Any) -> None:
        wanted = {
            name: value
            for name, value in dict(change["new"] or {}).items()
            if name in controls and (accept is None or accept(name, value))
        }
        if not wanted:
            return
        if apply is not None:
            apply(wanted)
        else:
            for name, value in wanted.items():
                controls[name].value = value
        snapshot()

    for box in controls.values():
        box.observe(snapshot, names="value")
    drafts.waits_for = list(controls.values())
    drafts.observe(restore, names="restored")
    drafts.snapshot = snapshot
    return drafts


def _widgets_in(box: w.Widget) -> list[w.Widget]:
    """``box`` and every widget among its children, at any depth (each once)."""
    found: dict[int, w.Widget] = {}
    stack = [box]
    while stack:
        part = stack.pop()
        if isinstance(part, w.Widget) and id(part) not in found:
            found[id(part)] = part
            stack.extend(getattr(part, "children", ()) or ())
    return list(found.values())


def _plain(value: Any) -> Any:
    """A value JSON keeps as it is (numbers, text, booleans, None)."""
    if isinstance(value, bool | str | type(None)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)
