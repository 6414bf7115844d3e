"""The Submit widget of notebook 09: a team name, a button, a line of news."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from ..challenge import Policy
from ..i18n import _
from .client import ClassClient, current
from .store import SubmissionError

__all__ = ["SubmitWidget", "submit_widget"]


def _policy_of(source: Any) -> Policy:
    """The policy to submit: a Policy, a dict of levers, or the challenge dashboard
    (its levers as they are set now)."""
    if isinstance(source, Policy | Mapping):
        return Policy.from_dict(source)
    if callable(getattr(source, "policy", None)):
        values = getattr(source, "last_values", None) or {}
        return source.policy(**values)
    raise ValueError(
        _(
            "submit_widget needs a Policy, a dict of levers or the challenge "
            "dashboard, got {value!r}",
            value=type(source).__name__,
        )
    )


class SubmitWidget(widgets.VBox):
    """Team name + Submit button.  ``source``: a Policy, a dict of levers, the
    challenge dashboard, or a function returning one of those (read at each click)."""

    def __init__(self, source: Any, classroom: ClassClient | None = None) -> None:
        self.source = source
        self.classroom = classroom
        self.team = widgets.Text(
            description=_("Team name"),
            placeholder=_("e.g. Blue whales"),
            style={"description_width": "initial"},
        )
        self.button = widgets.Button(
            description=_("Submit"),
            button_style="primary",
            icon="paper-plane",
            tooltip=_("Send your policy's levers to the class standings"),
        )
        self.status = widgets.HTML(value="")
        self.receipt = None
        self.button.on_click(lambda _button: self.submit())
        super().__init__([widgets.HBox([self.team, self.button]), self.status])

    def submit(self) -> None:
        """What a click does: submit the policy under the team name, report in ``status``."""
        self.button.disabled = True
        self.status.value = html.escape(_("Submitting..."))
        try:
            source = (
                self.source()
                if isinstance(self.source, Callable) and not hasattr(self.source, "policy")
                else self.source
            )
            policy = _policy_of(source)
            room = self.classroom or current()
            self.receipt = room.submit(self.team.value, policy)
            self.status.value = f"<b>{html.escape(self.receipt.message())}</b>"
        except (SubmissionError, ValueError, OSError) as error:
            self.status.value = (
                '<span style="color:#b00">'
                + html.escape(_("Not submitted: {message}", message=error))
                + "</span>"
            )
        finally:
            self.button.disabled = False


def submit_widget(source: Any, classroom: ClassClient | None = None) -> SubmitWidget:
    """A team name box and a Submit button that send ``source``'s levers (a Policy,
    a dict, the challenge dashboard) to the class standings: to ``classroom``, or
    the class of :func:`cxsim.classroom.connect`, or else a SQLite file in the
    working folder.  Only lever values travel; the class re-simulates them."""
    return SubmitWidget(source, classroom)
