"""A decision on screen: the question, a dropdown of the answers, a Check button, the verdict.

The same widget serves a notebook and a code-free app page (``make app``): the trainee
picks an answer and sees at once whether it is acceptable and why
(:func:`cxsim.decisions.verdict`, read from precomputed runs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w
from IPython.display import HTML, display

from .browser_widgets import remember
from .decisions import Decision, candidates_from, verdict
from .i18n import Text, _, text_direction

__all__ = ["answer_widget", "decision_widget"]


def decision_widget(
    decision: Decision, *, answer: Any = None, checker: Callable[[Any], Any] | None = None
) -> w.VBox:
    """The question of ``decision``, a dropdown of its answers and a Check button.

    ``answer``: the answer selected at first (default: none, so a trainee chooses);
    ``checker``: what Check shows for an answer (default :func:`cxsim.decisions.verdict`;
    a lesson may add its own why, e.g. the rule behind the numbers)."""
    judge_answer = checker or (lambda chosen: verdict(decision, chosen))
    options = [(_("choose an answer"), None), *candidates_from(decision)]
    choice = w.Dropdown(options=options, value=answer, layout=w.Layout(width="auto"))
    button = w.Button(description=_("Check"), button_style="primary", icon="check")
    shown = w.Output()

    def check(_click: Any = None) -> None:
        shown.clear_output(wait=True)
        with shown:
            if choice.value is None:
                display(HTML(Text(_("Choose an answer first.")).as_html()))
            else:
                display(judge_answer(choice.value))

    button.on_click(check)
    question = w.HTML(Text(_(decision.question)).as_html("cxsim-question"))
    keys = {key for _label, key in options if key is not None}
    # the chosen answer survives a reload of the page (a team's draft, in the browser)
    drafts = remember(
        f"decision:{decision.name}", {"answer": choice}, accept=lambda _n, value: value in keys
    )
    box = w.VBox([question, w.HBox([choice, button]), shown, drafts])
    box.add_class("cxsim-decision")
    if text_direction() == "rtl":
        box.add_class("cxsim-rtl")
    box.check = check  # tests and app pages press it without a browser
    box.choice = choice
    box.output = shown
    return box


def answer_widget(
    checker: Callable[[Any], Any],
    *,
    question: str = "",
    options: Sequence[tuple[str, Any]] | None = None,
    number: tuple[float, float, float] | None = None,
    name: str = "answer",
) -> w.VBox:
    """An exercise answered without code: a choice from ``options`` (``(label, value)``)
    or a number in ``number`` (``(low, high, step)``), a Check button, and what
    ``checker(answer)`` says (a verdict).  ``name`` keeps the draft apart from other
    exercises on the page (it survives a reload)."""
    if (options is None) == (number is None):
        raise ValueError("answer_widget: give either options or number")
    if options is not None:
        box_input: w.ValueWidget = w.Dropdown(
            options=[(_("choose an answer"), None), *options], layout=w.Layout(width="auto")
        )
        accept = {value for _label, value in options}.__contains__
    else:
        low, high, step = number
        box_input = w.BoundedFloatText(value=low, min=low, max=high, step=step)
        accept = lambda value: isinstance(value, int | float) and low <= value <= high  # noqa: E731
    button = w.Button(description=_("Check"), button_style="primary", icon="check")
    shown = w.Output()

    def check(_click: Any = None) -> None:
        shown.clear_output(wait=True)
        with shown:
            if box_input.value is None:
                display(HTML(Text(_("Choose an answer first.")).as_html()))
            else:
                value = box_input.value
                display(checker(int(value) if float(value).is_integer() else value))

    button.on_click(check)
    drafts = remember(
        f"exercise:{name}", {"answer": box_input}, accept=lambda _n, value: accept(value)
    )
    parts = [w.HBox([box_input, button]), shown, drafts]
    if question:
        parts.insert(0, w.HTML(Text(question).as_html("cxsim-question")))
    box = w.VBox(parts)
    box.add_class("cxsim-decision")
    if text_direction() == "rtl":
        box.add_class("cxsim-rtl")
    box.check = check
    box.answer = box_input
    box.output = shown
    return box
