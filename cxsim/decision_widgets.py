"""A decision on screen: the question, a dropdown of the answers, a Check button, the verdict.

The same widget serves a notebook and a code-free app page (``make app``): the trainee
picks an answer and sees at once whether it is acceptable and why
(:func:`cxsim.decisions.verdict`, read from precomputed runs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
from IPython.display import HTML, display

from .decisions import Decision, candidates_from, verdict
from .i18n import Text, _, text_direction

__all__ = ["decision_widget"]


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
    box = w.VBox([question, w.HBox([choice, button]), shown])
    box.add_class("cxsim-decision")
    if text_direction() == "rtl":
        box.add_class("cxsim-rtl")
    box.check = check  # tests and app pages press it without a browser
    box.choice = choice
    box.output = shown
    return box
