"""Follow one customer on screen: the story of :mod:`cxsim.story` as a figure and a widget.

:func:`plot_story` draws one row per journey: each contact a mark coloured by how it
felt (0 awful to 10 delighted) with its score above and its wait below, the most
intense moment and the end marked (the peak-end rule, Q9), then what the journey left
in memory and what came of it (came back, left, the run ended).  :func:`story_widget`
puts the telling examples of :func:`cxsim.story.pick_customers` on a dropdown, with a
button for another customer drawn at random, and shows the figure and the story's
sentences, right to left and with Persian digits in Persian.
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as w
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .formatting import format_value
from .i18n import _, localise_digits, text_direction, translate_name
from .plots import NotebookFigure
from .results import Result
from .story import (
    CALLBACK,
    HUNG_UP,
    PICKS,
    REDIAL,
    RETRY,
    SERVED,
    Contact,
    JourneyStory,
    Story,
    clock_time,
    customer_story,
    pick_customers,
)
from .widgets import RTL_CLASS, RTL_CSS, figure_output

__all__ = ["STORY_CLASS", "plot_story", "story_widget"]

#: CSS class of the story widget (browser tests find it by it).
STORY_CLASS = "cxsim-story"
# Red (awful) through yellow to blue (delighted): readable with common colour blindness.
_COLOURS = colormaps["RdYlBu"]
_SCALE = Normalize(vmin=0.0, vmax=10.0)
# Marks: how a contact ended.
_MARKERS = {SERVED: "o", HUNG_UP: "X", CALLBACK: "D"}
_OTHER_MARKER = "s"


def _number(value: float) -> str:
    return format_value(round(value, 1), "number", decimals=1)


def _day_time(minute: float) -> str:
    day, time = clock_time(minute)
    return _("day {day}, {time}", day=format_value(day, "count"), time=localise_digits(time))


def _journey_label(journey: JourneyStory, number: int) -> str:
    name = translate_name(journey.journey)
    name = name.replace("_", " ").capitalize() if name == journey.journey else name
    return f"{name} {format_value(number, 'count')}\n{_day_time(journey.start_min)}"


def _outcome_text(journey: JourneyStory) -> str:
    if journey.outcome == "leave":
        day, _time = clock_time(journey.decided_min)
        return _("left on day {day}", day=format_value(day, "count"))
    if journey.outcome == "return":
        if math.isnan(journey.next_start_min):
            return _("stayed")
        day, _time = clock_time(journey.next_start_min)
        return _("stayed, back on day {day}", day=format_value(day, "count"))
    if journey.outcome == "open":
        return _("undecided when the run ended")
    return _("the run ended")


def _word_text(journey: JourneyStory) -> str:
    if journey.told == "referred":
        return _("brought a friend")
    if journey.told == "deterred":
        return _("put a prospect off")
    return ""


def _below(contact: Contact) -> str:
    """What a mark says under it: the wait, the courtesy against the expected, and how
    the contact came about when it was not the first try."""
    if contact.kind == CALLBACK:
        return _("called back after {wait} min", wait=_number(contact.wait_min))
    if not contact.staffed:
        return translate_name(contact.touchpoint)
    lines = [_("{wait} min wait", wait=_number(contact.wait_min))]
    if contact.courtesy_met is not None:
        lines.append(_("courtesy: met") if contact.courtesy_met else _("courtesy: short"))
    if contact.kind == REDIAL:
        lines.append(_("called again"))
    elif contact.kind == RETRY:
        lines.append(_("not solved before"))
    return "\n".join(lines)


def _fate(story: Story) -> str:
    left = story.left
    if left is not None:
        return _outcome_text(left)
    last = story.journeys[-1]
    return _("still a customer") if last.outcome != "open" else _outcome_text(last)


def plot_story(story: Story) -> Figure:
    """The story as a timeline: one row per journey, its contacts from left to right.

    Each contact is a mark coloured by how it felt (circle: served, cross: hung up,
    diamond: the firm called back), its score above, its wait below; in a journey of
    several contacts the most intense moment and the end are named.  At the right: what
    the journey left in memory (a square in its colour) and what came of it."""
    journeys = story.journeys
    rows = len(journeys)
    widest = max((len(j.contacts) for j in journeys), default=0)
    memory_x = widest + 1.2
    figure = NotebookFigure(figsize=(9.0, 1.7 + 1.2 * rows), layout="constrained")
    ax = figure.subplots()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    labels = []
    for number, journey in enumerate(journeys, start=1):
        y = rows - number  # the first journey on top
        labels.append(_journey_label(journey, number))
        xs = np.arange(1, len(journey.contacts) + 1, dtype=float)
        if len(xs):
            ax.plot(np.append(xs, memory_x), [y] * (len(xs) + 1), color="#BBBBBB", lw=1.0, zorder=1)
        for index, (x, contact) in enumerate(zip(xs, journey.contacts, strict=True)):
            kind = CALLBACK if contact.kind == CALLBACK and contact.outcome == SERVED else None
            marker = _MARKERS.get(kind or contact.outcome, _OTHER_MARKER)
            felt = not math.isnan(contact.score)
            ax.scatter(
                [x],
                [y],
                s=170,
                marker=marker,
                c=[_COLOURS(_SCALE(contact.score))] if felt else ["white"],
                edgecolors="#333333",
                linewidths=0.8,
                zorder=3,
            )
            role = ""
            if journey.peak is not None and journey.peak != journey.end:
                role = (
                    _("peak")
                    if index == journey.peak
                    else (_("end") if index == journey.end else "")
                )
            above = _number(contact.score) if felt else "-"
            if role:
                above = f"{above} ({role})"
            ax.annotate(
                above,
                (x, y),
                xytext=(0, 11),
                textcoords="offset points",
                ha="center",
                fontsize="small",
            )
            below = _below(contact)
            ax.annotate(
                below,
                (x, y),
                xytext=(0, -9),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize="x-small",
                color="#333333",
            )
        if not math.isnan(journey.remembered):
            ax.scatter(
                [memory_x],
                [y],
                s=230,
                marker="s",
                c=[_COLOURS(_SCALE(journey.remembered))],
                edgecolors="black",
                linewidths=1.4,
                zorder=3,
            )
            ax.annotate(
                _number(journey.remembered),
                (memory_x, y),
                xytext=(0, 12),
                textcoords="offset points",
                ha="center",
                fontsize="small",
            )
        outcome = _outcome_text(journey)
        word = _word_text(journey)
        ax.annotate(
            outcome + (f"\n{word}" if word else ""),
            (memory_x, y),
            xytext=(16, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize="small",
            color="#B2182B" if journey.outcome == "leave" else "#222222",
        )
    ax.set_yticks(range(rows - 1, -1, -1), labels, fontsize="small")
    ax.set_ylim(-0.7, rows - 0.3)
    ticks = list(range(1, widest + 1))
    ax.set_xticks([*ticks, memory_x], [format_value(t, "count") for t in ticks] + [_("remembered")])
    ax.set_xlim(0, memory_x + 2.6)
    ax.set_xlabel(_("Contacts of the journey, in order; then what the journey left in memory"))
    ax.grid(False)
    colourbar = figure.colorbar(
        _ScalarMappable(), ax=ax, orientation="vertical", fraction=0.04, pad=0.01
    )
    colourbar.set_label(_("How it felt (0 awful, 10 delighted)"), fontsize="small")
    shapes = [
        Line2D([], [], marker="o", ls="", color="#777777", label=_("served")),
        Line2D([], [], marker="X", ls="", color="#777777", label=_("hung up")),
        Line2D([], [], marker="D", ls="", color="#777777", label=_("the firm called back")),
        Line2D([], [], marker="s", ls="", color="#777777", mec="black", label=_("remembered")),
    ]
    ax.legend(
        handles=shapes,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16 - 0.12 / rows),
        ncols=4,
        fontsize="small",
        frameon=False,
    )
    values = {
        "customer": localise_digits(str(story.customer_id)),
        "segment": translate_name(story.segment),
        "fate": _fate(story),
    }
    if rows == 1:
        title = _("Customer {customer} ({segment}): one journey, {fate}", **values)
    else:
        title = _(
            "Customer {customer} ({segment}): {journeys} journeys, {fate}",
            journeys=format_value(rows, "count"),
            **values,
        )
    figure.suptitle(title)
    return figure


def _ScalarMappable() -> Any:  # noqa: N802 - reads as the matplotlib class it makes
    from matplotlib.cm import ScalarMappable

    mappable = ScalarMappable(norm=_SCALE, cmap=_COLOURS)
    mappable.set_array([])
    return mappable


# --------------------------------------------------------------------------- the widget
def _sentences_html(story: Story) -> dict[str, Any]:
    lines = story.sentences()
    direction = "rtl" if text_direction() == "rtl" else "ltr"
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    markup = f'<ul dir="{direction}" class="cxsim-story-text">{items}</ul>'
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/html": markup, "text/plain": "\n".join(lines)},
    }


def story_widget(result: Result) -> w.VBox:
    """A dropdown of telling customers of ``result`` (:func:`cxsim.story.pick_customers`),
    a button for another customer at random, and the chosen customer's figure and story.

    The random customers come from a generator seeded with the run's seed: the same
    clicks show the same customers to everyone in the room."""
    picks = pick_customers(result)
    options = [(_(PICKS[key]), customer) for key, customer in picks.items()]
    journeys = result.journeys
    ended = np.unique(journeys.loc[journeys["end_min"].notna(), "customer_id"].to_numpy())
    if not options:
        first = int(ended[0]) if len(ended) else int(journeys["customer_id"].iloc[0])
        options = [(_("customer {customer}", customer=localise_digits(str(first))), first)]
    choice = w.Dropdown(
        options=options,
        value=options[0][1],
        description=_("Customer"),
        layout=w.Layout(width="auto"),
    )
    another = w.Button(description=_("Another customer"), icon="random")
    shown = w.Output()
    generator = np.random.default_rng(result.seed)

    def show(_change: Any = None) -> None:
        story = customer_story(result, int(choice.value))
        shown.outputs = (figure_output(plot_story(story)), _sentences_html(story))

    def draw_another(_click: Any = None) -> None:
        customer = int(generator.choice(ended))
        option = (_("customer {customer}", customer=localise_digits(str(customer))), customer)
        if option not in choice.options:
            choice.options = [*choice.options, option]
        if choice.value == customer:
            show()  # the same customer again: the dropdown does not call show
        else:
            choice.value = customer

    choice.observe(show, names="value")
    another.on_click(draw_another)
    parts: list[w.Widget] = []
    if text_direction() == "rtl":
        style = w.HTML(f"<style>{RTL_CSS}</style>")
        style.add_class("cxsim-style")
        parts.append(style)
    box = w.VBox([*parts, w.HBox([choice, another]), shown])
    box.add_class(STORY_CLASS)
    box.add_class("cxsim-dashboard")  # the dashboards' right-to-left style applies
    if text_direction() == "rtl":
        box.add_class(RTL_CLASS)
    show()
    box.choice, box.another, box.output = choice, another, shown  # tests press them
    box.show, box.draw_another = show, draw_another
    return box
