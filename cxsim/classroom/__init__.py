"""Class standings for the policy challenge (notebook 09, debrief in notebook 10).

Teams submit their :class:`~cxsim.challenge.Policy` (lever values only);
the class re-simulates every submission on its own fixed scenario and seeds
(:class:`ClassConfig`: by default the challenge's 10 replications of 28 days) and ranks
the teams by profit (customer equity included) with 95% confidence intervals, beside
doing nothing on the same seeds, budget breakers marked.  The instructor hides or
renames teams, closes submissions, freezes and reveals the standings, or starts a fresh
class (:class:`Classroom`; the service's ``/instructor`` page, behind the instructor's key).

One machine (nothing to start)::

    from cxsim import classroom
    classroom.submit_widget(my_policy)           # a team name and a Submit button
    classroom.local().standings()                 # ~/.cxsim/classroom.sqlite

A classroom: the instructor runs ``python -m cxsim classroom serve --code WORD``
and each team first types the line it prints::

    classroom.connect("http://10.0.0.5:8765", code="WORD")

The standings page is at the same address.  See ``notebooks/instructor/10_debrief.md``.

``from cxsim import classroom`` needs SQLAlchemy; the service also needs Starlette
and uvicorn (imported only when serving).
"""

from .client import ClassClient, LocalClass, Receipt, RemoteClass, connect, current, local
from .core import ClassConfig, Classroom, evaluate_policy, plot_standings, standings_frame
from .store import CLASS_STORE_ENV, DEFAULT_DB, Store, SubmissionError, class_store

__all__ = [
    "CLASS_STORE_ENV",
    "DEFAULT_DB",
    "ClassClient",
    "ClassConfig",
    "Classroom",
    "LocalClass",
    "Receipt",
    "RemoteClass",
    "Store",
    "SubmissionError",
    "class_store",
    "connect",
    "current",
    "evaluate_policy",
    "local",
    "plot_standings",
    "standings_frame",
    "submit_widget",
]


def submit_widget(source, classroom=None):  # noqa: ANN001, ANN201 - see widget.submit_widget
    """A team name and a Submit button for ``source`` (see :func:`.widget.submit_widget`)."""
    from .widget import submit_widget as make

    return make(source, classroom)
