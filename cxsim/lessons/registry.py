"""The workbook's lessons, declared once.

A :class:`Lesson` names everything that belongs to it: its notebooks
(``notebooks/NN_slug.ipynb``, the Persian twin ``notebooks/fa/NN_slug.ipynb`` and, with
``app_page``, the code-free dashboard page ``notebooks/app/NN_slug.ipynb``), their
sources under ``notebooks/src/``, the instructor's pages
``notebooks/instructor/NN_slug.md`` (and ``instructor/fa/``), the lesson module with its
dashboard and exercise checkers, and what the lesson tables say about it.

``scripts/make_notebook.py --all`` builds every notebook and every lesson table of the
READMEs from :data:`LESSONS`; the tests read it instead of listing lessons themselves.
Titles and one-line summaries are English, marked for the message catalogue, so that the
Persian tables show them translated.  How to add a lesson: ``docs/adding-a-lesson.md``.

This module imports nothing but :mod:`cxsim.i18n`: scripts and tests read it without
loading pandas, widgets or plots.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, _

__all__ = [
    "ALL_CLAIMS",
    "LESSONS",
    "SLOT_NAMES",
    "TIMETABLES",
    "Lesson",
    "Slot",
    "Timetable",
    "lesson",
    "notebook_name",
]

#: ``claims`` of a lesson that draws on every claim of ``docs/sources.md``.
ALL_CLAIMS = N_("all")


@dataclass(frozen=True)
class Lesson:
    """One lesson of the workbook (see the module's docstring for what it names)."""

    #: two digits, the lesson's place in the workshop: ``"05"``
    id: str
    #: the rest of its file names: ``"retention_and_revenue"``
    slug: str
    #: short English title (the lesson tables; the notebook's header may say more)
    title: str
    #: minutes in a live workshop, as the notebook's header says
    minutes: int
    #: its module in :mod:`cxsim.lessons` (``"retention"``), or ``None``
    module: str | None
    #: the module's dashboard function (``"dashboard"``), or ``None``
    dashboard: str | None
    #: the module's exercise checkers, in the order the notebook calls them
    exercises: tuple[str, ...]
    #: whether ``notebooks/src/app/`` has a code-free page of its dashboard
    app_page: bool
    #: ``False`` for a lesson a short workshop may leave as homework
    core: bool
    #: the claims of ``docs/sources.md`` it tests (``("N2", "N4", "Q12")``), or ``(ALL_CLAIMS,)``
    claims: tuple[str, ...]
    #: English, one line: what a trainee learns (the notebooks' index)
    learn: str
    #: English, one line: what the room does (the instructor's agenda)
    activity: str
    #: the policy challenge's levers (:data:`cxsim.challenge.LIMITS` names) it teaches
    teaches: tuple[str, ...] = ()
    #: English, one line, for an optional module: what it needs (when to run it, after what)
    needs: str = ""

    @property
    def name(self) -> str:
        """The stem of its file names: ``"05_retention_and_revenue"``."""
        return f"{self.id}_{self.slug}"


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        id="00",
        slug="start_here",
        title=N_("Start here"),
        minutes=15,
        module="start_here",
        dashboard=None,  # the app page shows cxsim.widgets.staffing_dashboard
        exercises=("check_which_policy",),
        app_page=True,
        core=True,
        claims=("N1",),
        learn=N_(
            "run a cell, move a slider, read the KPIs of a simulated phone line; "
            "the model in one picture"
        ),
        activity=N_("run cells, move the first slider, read KPIs together"),
    ),
    Lesson(
        id="01",
        slug="journeys_not_touchpoints",
        title=N_("Journeys, not touchpoints"),
        minutes=15,
        module="journeys",
        dashboard="dashboard",
        exercises=("check_best_touchpoint",),
        app_page=True,
        core=True,
        claims=("N3", "Q7", "Q11"),
        learn=N_("why every touchpoint can look fine while the journey disappoints"),
        activity=N_("spot the touchpoint that breaks the journey"),
    ),
    Lesson(
        id="02",
        slug="response_time",
        title=N_("Response time"),
        minutes=25,
        module="response_time",
        dashboard="dashboard",
        exercises=("check_extra_shift", "check_staff_for_target"),
        app_page=True,
        core=True,
        claims=("N1",),
        learn=N_(
            "queues, waiting and hang-ups hour by hour; the rota as a decision; the "
            "five-minute expectation (and the engine checked against Erlang)"
        ),
        activity=N_("place extra agent-hours in the day's rota where they serve most callers"),
        teaches=("extra_agents",),
    ),
    Lesson(
        id="03",
        slug="courtesy",
        title=N_("Courtesy"),
        minutes=20,
        module="courtesy",
        dashboard="dashboard",
        exercises=("check_cheapest_fix",),
        app_page=True,
        core=True,
        claims=("Q1", "Q2", "N5"),
        learn=N_("courtesy against waiting time; the airport question as cost-effectiveness"),
        activity=N_("the cheapest way to a satisfaction target: lanes or courtesy (N5)"),
        teaches=("training",),
    ),
    Lesson(
        id="04",
        slug="memory_and_satisfaction",
        title=N_("Memory and satisfaction"),
        minutes=15,
        module="memory",
        dashboard="dashboard",
        exercises=("check_peak_end", "check_better_fix"),
        app_page=True,
        core=True,
        claims=("Q9",),
        learn=N_("peak-end against average; CSAT and NPS"),
        activity=N_("peak-end by hand, then in the model"),
    ),
    Lesson(
        id="05",
        slug="retention_and_revenue",
        title=N_("Retention and revenue"),
        minutes=20,
        module="retention",
        dashboard="dashboard",
        exercises=("check_best_extra_agents",),
        app_page=True,
        core=True,
        claims=("N2", "N4", "Q12"),
        learn=N_("one bad experience; the firm's books; when generosity stops paying"),
        activity=N_("find where generosity stops paying"),
        teaches=("extra_agents",),
    ),
    Lesson(
        id="06",
        slug="word_of_mouth",
        title=N_("Word of mouth"),
        minutes=20,
        module="word_of_mouth",
        dashboard="dashboard",
        exercises=("check_safe_promise",),
        app_page=True,
        core=False,
        claims=("Q5", "Q13", "N8"),
        learn=N_("the social customer; promises set expectations"),
        activity=N_("choose a safe promise"),
        teaches=("promise_min",),
        needs=N_("after 05; the promise lever of lesson 09"),
    ),
    Lesson(
        id="07",
        slug="happy_staff",
        title=N_("Happy staff"),
        minutes=20,
        module="staff",
        dashboard="dashboard",
        exercises=("check_overload_load", "check_agents_for_morale"),
        app_page=True,
        core=False,
        claims=("Q10",),
        learn=N_("morale, overload and courtesy: the service-profit chain"),
        activity=N_("watch morale erode under overload"),
        needs=N_("after 05; a discussion of staff morale"),
    ),
    Lesson(
        id="08",
        slug="follow_up",
        title=N_("Follow-up"),
        minutes=20,
        module="follow_up",
        dashboard="dashboard",
        exercises=("check_capacity_for_share",),
        app_page=True,
        core=False,
        claims=("Q4", "Q15"),
        learn=N_("proactive contact and service recovery"),
        activity=N_("size a follow-up team"),
        teaches=("follow_up", "follow_up_capacity"),
        needs=N_("after 05; the follow-up lever of lesson 09"),
    ),
    Lesson(
        id="09",
        slug="policy_challenge",
        title=N_("Policy challenge"),
        minutes=30,
        module="challenge",
        dashboard="dashboard",
        exercises=("check_weekly_cost", "check_challenge"),
        app_page=True,
        core=True,
        claims=(ALL_CLAIMS,),
        learn=N_(
            "design a policy under a budget, compare it with other teams' over replications, "
            "submit it to the class standings"
        ),
        activity=N_("teams design, check the budget, compare with confidence intervals, submit"),
    ),
    Lesson(
        id="10",
        slug="debrief",
        title=N_("Debrief: the class standings"),
        minutes=20,
        module=None,  # the notebook reads cxsim.classroom
        dashboard=None,
        exercises=(),
        app_page=False,  # the instructor's, projected: not a trainee's dashboard
        core=True,
        claims=("Q12",),
        learn=N_(
            "(instructor, projected) the class standings: every team's policy re-simulated "
            "on the same callers, better or luckier?"
        ),
        activity=N_(
            "debrief on the class standings against doing nothing; each team names one "
            "thing it will change on Monday"
        ),
    ),
)

#: What the agenda calls a slot that is not a lesson.
SLOT_NAMES = {"setup": N_("setup"), "break": N_("break"), "close": N_("close")}


@dataclass(frozen=True)
class Slot:
    """One slot of a timetable: a lesson (``lesson`` = its id), or ``setup``, ``break``
    or ``close`` (``lesson`` None); ``note``: English, what to keep or skip in it."""

    kind: str
    minutes: int
    lesson: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Timetable:
    """A workshop's plan, slot by slot; the instructor's agenda is generated from it."""

    name: str
    title: str
    slots: tuple[Slot, ...]

    @property
    def total(self) -> int:
        """Its minutes, slots added up."""
        return sum(slot.minutes for slot in self.slots)

    @property
    def lessons(self) -> tuple[str, ...]:
        """The ids of its lessons, in order."""
        return tuple(slot.lesson for slot in self.slots if slot.lesson)

    def minutes_of(self, lesson_id: str) -> int:
        """The minutes it gives lesson ``lesson_id`` (0 if it leaves it out)."""
        return sum(slot.minutes for slot in self.slots if slot.lesson == lesson_id)


def _core_path() -> tuple[Slot, ...]:
    slots = [Slot("setup", 10, note=N_("laptops on, the workbook open, teams of 3-4 formed"))]
    for item in LESSONS:
        if item.core:
            slots.append(Slot("lesson", item.minutes, item.id))
        if item.id == "03":
            slots.append(Slot("break", 10))
    return tuple(slots)


#: The workshops: the three-hour core path (the core lessons at their own minutes, a
#: break, the challenge and debrief), and a 90-minute variant.  Optional lessons are
#: modules a longer course adds, each with what it :attr:`Lesson.needs`.
TIMETABLES: dict[str, Timetable] = {
    "three_hours": Timetable("three_hours", N_("Three-hour workshop"), _core_path()),
    "ninety_minutes": Timetable(
        "ninety_minutes",
        N_("90-minute workshop"),
        (
            Slot("setup", 5, note=N_("the workbook open before the session starts")),
            Slot("lesson", 5, "00", N_("one run, one slider; skip the customer's story")),
            Slot("lesson", 15, "02", N_("the rota decision only; skip the Erlang aside")),
            Slot("lesson", 10, "03", N_("the cost-effectiveness decision only")),
            Slot("lesson", 15, "05", N_("the books and the extra-agents decision")),
            Slot("lesson", 25, "09", N_("core levers only; one evaluation per team")),
            Slot("lesson", 15, "10", N_("the standings against doing nothing")),
        ),
    ),
}


def lesson(lesson_id: str | int) -> Lesson:
    """The lesson of ``lesson_id`` (``"05"``, ``"5"`` or ``5``)."""
    text = str(lesson_id).strip()
    wanted = f"{int(text):02d}" if text.isdigit() else text
    for found in LESSONS:
        if found.id == wanted:
            return found
    raise ValueError(
        _(
            "unknown lesson {lesson!r}; allowed: {allowed}",
            lesson=lesson_id,
            allowed=", ".join(item.id for item in LESSONS),
        )
    )


def notebook_name(item: Lesson | str | int) -> str:
    """Its notebooks' file name, the same in every edition: ``"05_retention_and_revenue.ipynb"``
    (``item``: a :class:`Lesson` or its id)."""
    found = item if isinstance(item, Lesson) else lesson(item)
    return f"{found.name}.ipynb"
