"""The class standings' one code path: check a submission, store it, evaluate it, rank.

A team submits a :class:`~cxsim.challenge.Policy` (lever values), never
results.  :class:`Classroom` stores it (:class:`~cxsim.classroom.store.Store`) and
re-simulates it on the class's fixed configuration (:class:`ClassConfig`: the
scenario's replications, days and seeds, the same for every team, so replication
``i`` of every team meets the same callers).  Evaluations run in this process or
in a worker pool (any :class:`concurrent.futures.Executor`); identical policies
share one evaluation.  The web service (:mod:`cxsim.classroom.server`) and the
notebook's local store both call :meth:`Classroom.submit`.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import challenge
from ..challenge import (
    CHALLENGE_DAYS,
    CHALLENGE_REPLICATIONS,
    CHALLENGE_SEED,
    DO_NOTHING,
    WEEKLY_BUDGET,
    Policy,
    budget_check,
)
from ..experiments import SerialExecutor, confidence_interval
from ..i18n import _, get_language, localise_digits, translate_name
from ..plots import BASELINE_COLOUR, NotebookFigure
from ..results import kpi_label
from ..scenario import shown
from .store import Store, SubmissionError, digest, policy_key
from .workers import stop_executor

__all__ = [
    "ClassConfig",
    "Classroom",
    "FIELDS",
    "MAX_TEAM_NAME",
    "check_team",
    "evaluate_policy",
    "normalise_team",
    "parse_submission",
    "plot_standings",
    "standings_frame",
]

log = logging.getLogger("cxsim.classroom")

#: The fields a submission may carry.
FIELDS = ("code", "team", "policy", "token")
#: Longest team name, in characters.
MAX_TEAM_NAME = 40
#: Longest token or class code, in characters.
MAX_TEXT = 200
#: Arabic letters a keyboard may type for the Persian ones that look the same
#: (ي/ك for ی/ک): one letter, so «علي» and «علی» are one team.
_PERSIAN_LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9"})
#: Bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069): a name
#: holding one could reorder the rest of a row where the standings are shown as text.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Half of a UTF-16 surrogate pair: JSON's "\\ud800" decodes to one, and it is no character.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: ZWNJ and ZWJ: they join or part two letters, so they mean nothing at a word's edge.
_JOINERS = "\u200c\u200d"
#: The KPIs kept from each evaluation (mean and 95% interval).
KPIS = ("profit", "csat", "retention_rate", "mean_wait_min", "cost")
#: KPIs that are shares: their intervals are kept inside 0-1 (a t interval over a few
#: replications may reach past 100%).
SHARES = ("csat", "retention_rate")
LOCAL_CLASS = "local"
#: Doing nothing (today's policy): the benchmark row of every standings.
BASELINE_POLICY = Policy().to_dict()
BASELINE_KEY = policy_key(BASELINE_POLICY)
#: One colour per team, in the order teams joined (never the do-nothing blue): the
#: Okabe-Ito and Paul Tol colour-blind-safe palettes; past 16 teams colours repeat.
TEAM_COLOURS = (
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#882255",
    "#999933",
    "#44AA99",
    "#332288",
    "#AA4499",
    "#117733",
    "#661100",
    "#6699CC",
    "#888888",
    "#DDCC77",
)


# --------------------------------------------------------------------------- configuration
@dataclass(frozen=True)
class ClassConfig:
    """What every team's policy is evaluated on, fixed for the class: ``n``
    replications of ``days`` days of the ``contact_centre`` scenario from base
    ``seed`` (by default the challenge's own, as notebook 09 ranks and checks:
    10 paired replications of 28 days, seed 0), priced against the weekly ``budget``."""

    n: int = CHALLENGE_REPLICATIONS
    days: float = float(CHALLENGE_DAYS)
    seed: int = CHALLENGE_SEED
    budget: float = float(WEEKLY_BUDGET)
    scenario: str = "contact_centre"

    def __post_init__(self) -> None:
        checks = (
            ("n", self.n, 2, 100, True),
            ("days", self.days, 0.25, 60, False),
            ("seed", self.seed, 0, 2**32 - 1, True),
            ("budget", self.budget, 0, 1e12, False),
        )
        for name, value, low, high, whole in checks:
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or (whole and not float(value).is_integer())
                or not low <= value <= high
            ):
                kind = _("a whole number") if whole else _("a number")
                raise ValueError(
                    _(
                        "{field}: {value!r} is not allowed; allowed: {kind} from {low} to {high}",
                        field=name,
                        value=value,
                        kind=kind,
                        low=f"{low:g}",
                        high=f"{high:g}",
                    )
                )
            object.__setattr__(self, name, int(value) if whole else float(value))
        if self.scenario != "contact_centre":
            raise ValueError(
                _(
                    "scenario: {value!r} is not allowed; allowed: contact_centre",
                    value=self.scenario,
                )
            )

    def to_dict(self) -> dict[str, Any]:
        """The configuration as plain data (stored with the class)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClassConfig:
        """Inverse of :meth:`to_dict`."""
        return cls(**dict(data))


def _finite(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def evaluate_policy(config: Mapping[str, Any], policy: Mapping[str, Any]) -> dict[str, Any]:
    """Re-simulate one policy on the class configuration (a worker's unit of work):
    mean and 95% interval of :data:`KPIS` (shares' intervals kept inside 0-1), each
    replication's profit (``runs``: paired differences against doing nothing or the
    leader need them), the extra weekly cost and whether it fits the budget.  Plain
    data in, plain data out (picklable, JSON-ready)."""
    cfg = ClassConfig.from_dict(config)
    checked = Policy.from_dict(policy)
    evaluation = challenge.evaluate(
        {"team": checked},
        n=cfg.n,
        days=cfg.days,
        seed=cfg.seed,
        budget=cfg.budget,
        executor=SerialExecutor(),
    )
    summary = evaluation.comparison.summary(0.95).set_index("kpi")
    kpis = {
        kpi: {stat: _finite(summary.loc[kpi, stat]) for stat in ("mean", "ci_low", "ci_high")}
        for kpi in KPIS
    }
    for kpi in SHARES:
        kpis[kpi] = _inside_shares(kpis[kpi])
    runs = evaluation.comparison.runs.sort_values("replication")
    check = budget_check(checked, cfg.budget)
    return {
        "kpis": kpis,
        "runs": {"profit": [_finite(value) for value in runs["profit"]]},
        "extra_cost": float(check.total),
        "within_budget": check.within,
        "n": cfg.n,
    }


def _inside_shares(stats: dict[str, float | None]) -> dict[str, float | None]:
    """A share's mean and interval, the interval clipped to 0-1 (a share cannot pass 100%)."""
    return {
        key: None if value is None else (value if key == "mean" else min(1.0, max(0.0, value)))
        for key, value in stats.items()
    }


# --------------------------------------------------------------------------- checks
def normalise_team(name: str) -> str:
    """A team name as stored and compared: NFC, Persian ی/ک for Arabic ي/ك, one space
    between words, no ZWNJ or ZWJ at a word's edge (inside a word they stay)."""
    text = unicodedata.normalize("NFC", name).translate(_PERSIAN_LETTERS)
    words = (word.strip(_JOINERS) for word in text.split())
    return " ".join(word for word in words if word)


def team_key(name: str) -> str:
    """One key per team however its name is spaced or cased, or typed with Arabic ي/ك:
    what every look-up of a team by its name compares."""
    return normalise_team(name).casefold()


def _surrogate(value: Any) -> str | None:
    """The first lone surrogate (a JSON escape such as ``\\ud800`` that is not a
    character) in ``value``'s text, keys included, as ``\\ud800``; None if there is none."""
    if isinstance(value, str):
        found = _LONE_SURROGATE.search(value)
        return None if found is None else f"\\u{ord(found.group()):04x}"
    if isinstance(value, Mapping):
        value = [part for item in value.items() for part in item]
    if isinstance(value, list | tuple):
        for item in value:
            found = _surrogate(item)
            if found:
                return found
    return None


def _refuse_surrogate(field: str, value: Any, allowed: str) -> None:
    # A lone surrogate cannot be written as UTF-8: the store, the digest and every
    # JSON answer echoing it would fail, so it is refused before any of them.
    found = _surrogate(value)
    if found:
        raise SubmissionError(
            _(
                "{field}: {escape} is half of a surrogate pair, not a character; "
                "allowed: {allowed}",
                field=field,
                escape=found,
                allowed=allowed,
            ),
            field=field,
        )


def check_team(name: Any) -> str:
    """The team name as stored (:func:`normalise_team`): Persian, ZWNJ and any
    other letters welcome; :class:`SubmissionError` naming ``team`` otherwise."""
    allowed = _("text of 1 to {n} characters", n=MAX_TEAM_NAME)
    if not isinstance(name, str):
        raise SubmissionError(
            _(
                "team: {value!r} is not text; allowed: {allowed}",
                value=shown(name),
                allowed=allowed,
            ),
            field="team",
        )
    _refuse_surrogate("team", name, allowed)
    bidi = sorted({f"U+{ord(ch):04X}" for ch in name if ch in _BIDI_CONTROLS})
    if bidi:
        raise SubmissionError(
            _(
                "team: {codes} is a bidirectional control character, which could reorder "
                "a row of the standings; allowed: {allowed}, without the controls {ranges} "
                "(Persian letters and the ZWNJ are welcome)",
                codes=", ".join(bidi),
                allowed=allowed,
                ranges="U+202A-U+202E, U+2066-U+2069",  # text: its digits stay Latin
            ),
            field="team",
        )
    name = normalise_team(name)
    if (
        not name
        or len(name) > MAX_TEAM_NAME
        or any(unicodedata.category(ch) == "Cc" for ch in name)
    ):
        raise SubmissionError(
            _(
                "team: {length} characters is not a team name; allowed: "
                "{allowed} (no control characters)",
                length=len(name),
                allowed=allowed,
            ),
            field="team",
        )
    return name


def check_policy(policy: Any) -> Policy:
    """The policy as a :class:`Policy`; :class:`SubmissionError` naming ``policy``
    and the lever at fault otherwise."""
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, Mapping):  # its values are echoed escaped (shown), its names not
        _refuse_surrogate(
            "policy",
            list(policy),
            _("the lever names {names}", names=", ".join(Policy().to_dict())),
        )
    try:
        return Policy.from_dict(policy)
    except (TypeError, ValueError) as error:
        raise SubmissionError(_("policy: {message}", message=error), field="policy") from None


def check_text(field: str, value: Any) -> str | None:
    """A token or class code: None or text of at most :data:`MAX_TEXT` characters;
    :class:`SubmissionError` naming ``field`` otherwise."""
    if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
        raise SubmissionError(
            _("{field}: not allowed; allowed: text of at most 200 characters", field=field),
            field=field,
        )
    _refuse_surrogate(field, value, _("text of at most 200 characters"))
    return value


def _field_name(key: Any) -> str:
    """A field name as it can be echoed: short, and a lone surrogate written as an escape."""
    text = str(key)
    if len(text) > 40 or _surrogate(text):
        return str(shown(text))[1:-1]  # repr, without its quotes
    return text


def parse_submission(body: Any) -> tuple[str, Policy, str | None, str | None]:
    """``(team, policy, token, code)`` from a submission's JSON body, or
    :class:`SubmissionError` (status 400/422) naming the field and what is allowed."""
    if not isinstance(body, Mapping):
        raise SubmissionError(
            _("a submission is a JSON object with the fields {fields}", fields=", ".join(FIELDS)),
            status=400,
        )
    unknown = [_field_name(key) for key in body if key not in FIELDS]
    if unknown:
        raise SubmissionError(
            _(
                "unknown field(s) {names}; allowed: {allowed}",
                names=", ".join(unknown),
                allowed=", ".join(FIELDS),
            ),
            field=unknown[0],
        )
    for field in ("team", "policy"):
        if field not in body:
            raise SubmissionError(
                _("{field}: missing; a submission needs team and policy", field=field), field=field
            )
    team = check_team(body["team"])
    policy = check_policy(body["policy"])
    token, code = check_text("token", body.get("token")), check_text("code", body.get("code"))
    return team, policy, token, code


# --------------------------------------------------------------------------- the class
class Classroom:
    """A class: its store, its configuration, its evaluations and the instructor's
    decisions.

    ``class_id``: which class in the store (``"local"``, or a digest of the class
    code: see :func:`class_id`).  ``config``: used when the class is new; an
    existing class keeps its own.  ``executor``: where evaluations run; ``None``
    evaluates each submission at once in this process (the notebook's local
    store), a process pool evaluates in the background (the web service).
    ``renew``: makes a new executor when the pool breaks (a worker killed): the
    evaluations it was running are queued again, once.  :meth:`stop` ends the
    evaluations for good (the service stops): no pool is renewed after it.

    The instructor's controls (:meth:`hide`, :meth:`show`, :meth:`rename`,
    :meth:`close`, :meth:`open`, :meth:`freeze`, :meth:`reveal`, :meth:`fresh`) are
    kept in the store, so the service, the dashboards app and a notebook on the same
    store all obey them.  A fresh class starts the class code over (no team, no
    submission); the earlier rounds stay in the store.
    """

    def __init__(
        self,
        store: Store,
        class_id: str = LOCAL_CLASS,
        config: ClassConfig | None = None,
        executor: Executor | None = None,
        renew: Callable[[], Executor] | None = None,
    ) -> None:
        self.store = store
        self.class_id = class_id
        stored = store.open_class(
            class_id, (config or ClassConfig()).to_dict(), strict=config is not None
        )
        self.config = ClassConfig.from_dict(stored)
        self.executor = executor
        self.renew = renew
        self._lock = threading.RLock()  # a finished future's callback may run at once
        self._running: dict[str, Future] = {}
        self._failed: dict[str, str] = {}
        self._retries: dict[str, int] = {}
        self._stopped = False
        self.resume()

    def __repr__(self) -> str:
        return f"Classroom({self.store!r}, class_id={self.class_id!r}, config={self.config})"

    # -- the instructor's decisions -----------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The instructor's decisions: ``round`` (0, then one more per fresh class),
        ``closed``, ``frozen_at`` (the last submission shown while frozen, or None),
        ``hidden`` (team keys), ``names`` (team key -> the name shown)."""
        state = self.store.state(self.class_id)
        return {
            "round": int(state.get("round", 0)),
            "closed": bool(state.get("closed", False)),
            "frozen_at": state.get("frozen_at"),
            "hidden": list(state.get("hidden", [])),
            "names": dict(state.get("names", {})),
        }

    @property
    def data_id(self) -> str:
        """The store's id of the current round's data (the class id, then one per
        fresh class)."""
        return _round_id(self.class_id, self.state()["round"])

    def team_entry(self, team: Any) -> dict[str, Any]:
        """The entry of ``team`` (its name as submitted or shown, or its key), or
        :class:`SubmissionError` (404) naming the teams there are."""
        entries = self.store.entries(self.data_id)
        names = self.state()["names"]
        wanted = team_key(team) if isinstance(team, str) else None
        for entry in entries:
            shown_name = names.get(entry["team_key"], entry["team"])
            if wanted in (entry["team_key"], team_key(shown_name)):
                return entry
        raise SubmissionError(
            _(
                "team: no team {name!r} in this class; teams: {teams}",
                name=shown(team),
                teams=", ".join(names.get(e["team_key"], e["team"]) for e in entries) or "-",
            ),
            status=404,
            field="team",
        )

    def _change(self, change: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        self.store.change_state(self.class_id, change)
        return self.state()

    def hide(self, team: str) -> dict[str, Any]:
        """Take ``team`` off the standings the room sees (the instructor still sees it)."""
        key = self.team_entry(team)["team_key"]

        def change(state: dict[str, Any]) -> dict[str, Any]:
            state["hidden"] = sorted({*state.get("hidden", []), key})
            return state

        return self._change(change)

    def show(self, team: str) -> dict[str, Any]:
        """Put a hidden ``team`` back on the standings."""
        key = self.team_entry(team)["team_key"]

        def change(state: dict[str, Any]) -> dict[str, Any]:
            state["hidden"] = [k for k in state.get("hidden", []) if k != key]
            return state

        return self._change(change)

    def rename(self, team: str, name: str) -> dict[str, Any]:
        """Show ``team`` under ``name`` (a rude or mistyped name); its token still
        works, under either name.  ``name`` is checked as a team name is."""
        key = self.team_entry(team)["team_key"]
        new = check_team(name)
        for entry in self.store.entries(self.data_id):
            shown_name = self.state()["names"].get(entry["team_key"], entry["team"])
            if entry["team_key"] != key and team_key(new) in (
                entry["team_key"],
                team_key(shown_name),
            ):
                raise SubmissionError(
                    _("name: another team is called {name!r}", name=new),
                    status=409,
                    field="name",
                )

        def change(state: dict[str, Any]) -> dict[str, Any]:
            state.setdefault("names", {})[key] = new
            return state

        return self._change(change)

    def close(self) -> dict[str, Any]:
        """Refuse new submissions (409) until :meth:`open`."""
        return self._change(lambda state: {**state, "closed": True})

    def open(self) -> dict[str, Any]:
        """Accept submissions again."""
        return self._change(lambda state: {**state, "closed": False})

    def freeze(self) -> dict[str, Any]:
        """Freeze the standings the room sees as they are now: later submissions are
        stored and evaluated, but shown only to the instructor until :meth:`reveal`."""
        last = self.store.last_submission(self.data_id)
        return self._change(lambda state: {**state, "frozen_at": last})

    def reveal(self) -> dict[str, Any]:
        """Show the room the live standings again (the debrief's reveal)."""
        return self._change(lambda state: {**state, "frozen_at": None})

    def fresh(self) -> dict[str, Any]:
        """Start a fresh class under the same code: no team, no submission, nothing
        hidden, frozen or closed.  The earlier rounds stay in the store."""

        def change(state: dict[str, Any]) -> dict[str, Any]:
            return {"round": int(state.get("round", 0)) + 1}

        state = self._change(change)
        self.store.open_class(self.data_id, self.config.to_dict(), strict=False)
        if self.executor is not None:
            self._baseline()
        return state

    # -- submitting --------------------------------------------------------------------
    def submit(
        self, team: str, policy: Policy | Mapping[str, Any], token: str | None = None
    ) -> dict[str, Any]:
        """Store a team's policy and start its evaluation.  Returns ``id``, ``team``,
        ``status`` ("done" or "evaluating"), ``submissions`` and, for a new team,
        ``token`` (needed to submit again under that name).  Refused (409) while the
        instructor has closed submissions."""
        name = check_team(team)
        checked = check_policy(policy)
        token = check_text("token", token)
        if self.state()["closed"]:
            raise SubmissionError(
                _("submissions are closed: the instructor has closed this class's submissions"),
                status=409,
            )
        data_id = self.data_id
        if data_id != self.class_id:
            self.store.open_class(data_id, self.config.to_dict(), strict=False)
        receipt = self.store.submit(data_id, team_key(name), name, checked.to_dict(), token)
        status = self._schedule(receipt["policy_key"], checked.to_dict())
        self._baseline()
        return {
            "id": receipt["id"],
            "team": name,
            "status": status,
            "submissions": receipt["submissions"],
            "token": receipt["token"],
            "policy": checked.to_dict(),
        }

    def _baseline(self) -> str:
        """Start (or find) the evaluation of doing nothing on the class's seeds."""
        return self._schedule(BASELINE_KEY, dict(BASELINE_POLICY))

    def _schedule(self, key: str, policy: dict[str, Any]) -> str:
        if self.store.evaluation(self.data_id, key) is not None:
            return "done"
        if self.executor is None:
            self._finish(key, evaluate_policy(self.config.to_dict(), policy))
            return "done"
        with self._lock:
            if self._stopped:  # stored: the next start evaluates it (resume)
                return "evaluating"
            if key not in self._running:
                self._failed.pop(key, None)
                future = self._submit(policy)
                self._running[key] = future
                future.add_done_callback(
                    lambda done, key=key, policy=policy: self._done(key, policy, done)
                )
        return "evaluating"

    def _submit(self, policy: dict[str, Any]) -> Future:
        try:
            return self.executor.submit(evaluate_policy, self.config.to_dict(), policy)
        except (BrokenExecutor, RuntimeError):  # broken, or shut down
            if self.renew is None or self._stopped:
                raise
            log.warning("the evaluation pool is broken: starting a new one")
            old, self.executor = self.executor, self.renew()
            old.shutdown(wait=False, cancel_futures=True)
            return self.executor.submit(evaluate_policy, self.config.to_dict(), policy)

    def _finish(self, key: str, result: Mapping[str, Any]) -> None:
        self.store.record_evaluation(self.data_id, key, result)

    def _done(self, key: str, policy: dict[str, Any], future: Future) -> None:
        retry = False
        try:
            self._finish(key, future.result())
        except Exception as error:  # a worker died, the store refused...: show it, go on
            with self._lock:
                if self._stopped:  # its workers were ended on purpose: stored, not failed
                    return
                retry = (
                    isinstance(error, BrokenExecutor)
                    and self.renew is not None
                    and self._retries.get(key, 0) < 1
                )
                if retry:
                    self._retries[key] = self._retries.get(key, 0) + 1
                else:
                    log.error("evaluation of policy %s failed: %r", key[:12], error)
                    self._failed[key] = str(error) or type(error).__name__
        finally:
            with self._lock:
                self._running.pop(key, None)
        if retry:
            self._schedule(key, policy)

    def stop(self) -> None:
        """Stop evaluating, for good, however the service is stopped: the pool and its
        workers are ended and none is renewed after (a pool that breaks because its
        workers were ended would otherwise start a new one).  What was being evaluated
        stays stored for the next start (:meth:`resume`).  Safe to call twice, from any
        thread."""
        with self._lock:  # after this, _schedule() and _done() start nothing
            self._stopped = True
            executor = self.executor
        stop_executor(executor)

    def resume(self) -> None:
        """Evaluate every stored policy that has no evaluation yet (after a restart)."""
        for key, policy in self.store.pending(self.data_id).items():
            self._schedule(key, policy)
        if self.executor is not None:  # a service: doing nothing is ready before asked
            self._baseline()

    @property
    def evaluating(self) -> int:
        """Policies being evaluated now."""
        with self._lock:
            return len(self._running)

    # -- reading ---------------------------------------------------------------------
    def standings(self, *, instructor: bool = False) -> list[dict[str, Any]]:
        """Every team, best profit first (ties by name), the do-nothing row among them
        at its place (``kind`` "baseline", no rank), then those still evaluating:
        JSON-ready rows with the policy, the KPI means and intervals (money in million
        toman, shares as fractions), profit minus doing nothing (paired by replication,
        with its 95% interval, and ``against_nothing``: "above", "below" or "unclear"),
        the team's ``colour``.

        The room's view (default) leaves out hidden teams and, while frozen, shows the
        standings as they were when frozen; ``instructor=True`` shows every team as it
        is now (``hidden`` marks the hidden ones), and never evaluates on the spot."""
        state = self.state()
        data_id = _round_id(self.class_id, state["round"])
        if self.executor is None and not instructor and self.store.entries(data_id):
            self._baseline()  # the notebook's store: doing nothing is evaluated here
        upto = None if instructor else state["frozen_at"]
        hidden = set(state["hidden"])
        with self._lock:
            failed = dict(self._failed)
        order = sorted(self.store.first_submissions(data_id).items(), key=lambda item: item[1])
        colours = {key: TEAM_COLOURS[i % len(TEAM_COLOURS)] for i, (key, _id) in enumerate(order)}
        baseline = self.store.evaluation(data_id, BASELINE_KEY)
        base_runs = None if baseline is None else baseline.get("runs", {}).get("profit")
        done, waiting = [], []
        for entry in self.store.entries(data_id, upto):
            if entry["team_key"] in hidden and not instructor:
                continue
            row: dict[str, Any] = {
                "team": state["names"].get(entry["team_key"], entry["team"]),
                "key": entry["team_key"],
                "kind": "team",
                "policy": entry["policy"],
                "submissions": entry["submissions"],
                "submission_id": entry["submission_id"],
                "colour": colours.get(entry["team_key"], TEAM_COLOURS[0]),
            }
            if instructor:
                row["hidden"] = entry["team_key"] in hidden
                row["submitted_as"] = entry["team"]
            result = entry["result"]
            if result is None:
                row["status"] = "failed" if entry["policy_key"] in failed else "evaluating"
                row["rank"] = None
                waiting.append(row)
                continue
            row.update(_result_row(result))
            row.update(_against(result.get("runs", {}).get("profit"), base_runs))
            done.append(row)
        done.sort(key=lambda row: (-row["profit"], team_key(row["team"])))
        rank = 0
        for row in done:
            if not row.get("hidden"):
                rank += 1
                row["rank"] = rank
            else:
                row["rank"] = None
        if done or waiting:
            nothing = self._nothing_row(baseline, BASELINE_KEY in failed)
            if nothing["status"] == "done":
                at = sum(row["profit"] > nothing["profit"] for row in done)
                done.insert(at, nothing)
            else:
                waiting.insert(0, nothing)
        return done + waiting

    def _nothing_row(self, result: Mapping[str, Any] | None, failed: bool) -> dict[str, Any]:
        """The benchmark row: today's policy, no lever moved, on the class's seeds."""
        row: dict[str, Any] = {
            "team": translate_name(DO_NOTHING),
            "key": None,
            "kind": "baseline",
            "policy": dict(BASELINE_POLICY),
            "submissions": None,
            "submission_id": None,
            "colour": BASELINE_COLOUR,
            "rank": None,
        }
        if result is None:
            row["status"] = "failed" if failed else "evaluating"
            return row
        row.update(_result_row(result))
        row.update({"vs_nothing": None, "against_nothing": None})
        return row

    def differences(self, against: str | None = None, level: float = 0.95) -> pd.DataFrame:
        """Each evaluated team's profit minus ``against``'s (default: the leader; or the
        name of another team, or of doing nothing), paired by replication from the
        stored runs, with the 95% interval and whether it excludes 0: no re-run."""
        rows = [row for row in self.standings() if row["status"] == "done"]
        teams = [row for row in rows if row["kind"] == "team"]
        if not teams:
            raise ValueError(_("no evaluated team yet"))
        runs = self._runs(rows)
        reference = teams[0]["team"] if against is None else against
        found = {team_key(row["team"]): row["team"] for row in rows}
        if team_key(str(reference)) not in found:
            raise ValueError(
                _(
                    "unknown policy {name!r}; allowed: {allowed}",
                    name=reference,
                    allowed=", ".join(found.values()),
                )
            )
        reference = found[team_key(str(reference))]
        records = []
        for row in rows:
            if row["team"] == reference:
                continue
            ci = confidence_interval(
                np.asarray(runs[row["team"]]) - np.asarray(runs[reference]), level
            )
            distinct = ci["ci_low"] > 0 or ci["ci_high"] < 0
            records.append(
                {
                    _("team"): row["team"],
                    _("minus"): reference,
                    _("mean difference"): ci["mean"],
                    _("CI low"): ci["ci_low"],
                    _("CI high"): ci["ci_high"],
                    _("distinguishable from 0"): _("yes") if distinct else _("no"),
                }
            )
        return pd.DataFrame(records).set_index(_("team")).round(2)

    def _runs(self, rows: list[dict[str, Any]]) -> dict[str, list[float]]:
        """Each evaluated row's profit per replication, million toman."""
        data_id = self.data_id
        runs = {}
        for row in rows:
            key = policy_key(row["policy"])
            result = self.store.evaluation(data_id, key) or {}
            profits = result.get("runs", {}).get("profit")
            if not profits:
                raise ValueError(
                    _("the class's evaluations predate paired runs; start a fresh class")
                )
            runs[row["team"]] = [value / 1e6 for value in profits]
        return runs

    def standings_frame(self) -> pd.DataFrame:
        """:meth:`standings` as a table (labels as in :meth:`Evaluation.standings`)."""
        return standings_frame(self.standings())

    def plot(self) -> Figure:
        """Every evaluated team's profit against CSAT, with 95% intervals, doing
        nothing as the benchmark."""
        return plot_standings(self.standings(), n=self.config.n, days=self.config.days)

    def history(self, *, times: bool = True) -> pd.DataFrame:
        """Every submission, oldest first, with its levers (and when, unless ``times=False``)."""
        return history_frame(self.store.history(self.data_id), times=times)


def _round_id(class_id: str, number: int) -> str:
    """The store's id of round ``number`` of a class (round 0: the class id itself)."""
    return class_id if not number else f"{class_id}~{int(number)}"


def _result_row(result: Mapping[str, Any]) -> dict[str, Any]:
    """A stored evaluation as standings columns (money in million toman)."""
    kpis = result["kpis"]
    money = 1e6
    csat = _inside_shares(kpis["csat"])
    return {
        "status": "done",
        "profit": kpis["profit"]["mean"] / money,
        "profit_low": _scaled(kpis["profit"]["ci_low"], money),
        "profit_high": _scaled(kpis["profit"]["ci_high"], money),
        "csat": csat["mean"],
        "csat_low": csat["ci_low"],
        "csat_high": csat["ci_high"],
        "retention": kpis["retention_rate"]["mean"],
        "mean_wait": kpis["mean_wait_min"]["mean"],
        "cost": kpis["cost"]["mean"] / money,
        "extra_cost": result["extra_cost"] / money,
        "within_budget": bool(result["within_budget"]),
    }


def _against(runs: list[float] | None, base: list[float] | None) -> dict[str, Any]:
    """Profit minus doing nothing, paired by replication (million toman): mean, 95%
    interval, and "above", "below" or "unclear" (the interval holds 0)."""
    if not runs or not base or len(runs) != len(base) or None in runs or None in base:
        return {
            "vs_nothing": None,
            "vs_nothing_low": None,
            "vs_nothing_high": None,
            "against_nothing": None,
        }
    ci = confidence_interval((np.asarray(runs) - np.asarray(base)) / 1e6)
    verdict = "above" if ci["ci_low"] > 0 else "below" if ci["ci_high"] < 0 else "unclear"
    return {
        "vs_nothing": _finite(ci["mean"]),
        "vs_nothing_low": _finite(ci["ci_low"]),
        "vs_nothing_high": _finite(ci["ci_high"]),
        "against_nothing": verdict,
    }


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value / scale


def class_id(code: str | None) -> str:
    """The store's id of the class with this code (the code itself is never stored)."""
    return LOCAL_CLASS if code is None else "code-" + digest("cxsim-class:" + code)[:40]


# --------------------------------------------------------------------------- tables, plots
def column_labels() -> dict[str, str]:
    """Column key -> label in the current language (the page and the tables use these)."""
    return {
        "rank": _("rank"),
        "team": _("team"),
        "profit": _("profit (million toman)"),
        "profit_low": _("profit CI low"),
        "profit_high": _("profit CI high"),
        "vs_nothing": _("profit minus doing nothing (million toman)"),
        "against_nothing": _("against doing nothing"),
        "csat": kpi_label("csat"),
        "retention": kpi_label("retention_rate"),
        "mean_wait": kpi_label("mean_wait_min"),
        "cost": _("{label} (million toman)", label=kpi_label("cost")),
        "extra_cost": _("extra cost a week (million toman)"),
        "within_budget": _("within budget"),
        "submissions": _("submissions"),
        "status": _("status"),
    }


def status_labels() -> dict[str, str]:
    """Status key -> text shown."""
    return {"done": _("evaluated"), "evaluating": _("evaluating"), "failed": _("evaluation failed")}


def against_labels() -> dict[str, str]:
    """How a team did against doing nothing (paired 95% interval) -> text shown."""
    return {
        "above": _("earns more, beyond luck"),
        "below": _("loses money against doing nothing"),
        "unclear": _("could be luck"),
    }


#: The standings' numeric columns (rounded to 2 digits in the table).
NUMERIC = (
    "profit",
    "profit_low",
    "profit_high",
    "vs_nothing",
    "csat",
    "retention",
    "mean_wait",
    "cost",
    "extra_cost",
)


def standings_frame(rows: list[Mapping[str, Any]]) -> pd.DataFrame:
    """Standings rows (from :meth:`Classroom.standings` or the service's JSON) as a
    table: one row per team and the do-nothing row (no rank), rank as the index,
    numbers rounded to 2 digits, over-budget teams "no" under "within budget"."""
    labels = column_labels()
    statuses = status_labels()
    against = against_labels()
    records = []
    for row in rows:
        record = {}
        for key, label in labels.items():
            value = row.get(key)
            if key == "within_budget" and value is not None:
                value = _("yes") if value else _("no")
            elif key == "status":
                value = statuses.get(value, value)
            elif key == "against_nothing":
                value = "-" if value is None else against.get(value, value)
            elif key == "submissions" and value is None:
                value = "-"
            record[label] = value
        records.append(record)
    table = pd.DataFrame(records, columns=list(labels.values()))
    numeric = [labels[k] for k in NUMERIC]
    table[numeric] = table[numeric].astype(float).round(2)
    # doing nothing has no rank: "-", not a missing value a reader would see as <NA>
    table[labels["rank"]] = ["-" if pd.isna(rank) else int(rank) for rank in table[labels["rank"]]]
    return table.set_index(labels["rank"])


#: The room's time zone when $CXSIM_TIMEZONE does not name one: Tehran for a Persian
#: class, else the machine's own.
PERSIAN_TIME_ZONE = "Asia/Tehran"


def room_time(moment: Any, zone: str | None = None) -> str:
    """A submission's time as the room reads it: its local time to the minute
    (``$CXSIM_TIMEZONE``, else Tehran in Persian, else the machine's zone), in the
    reader's digits; "-" for none.  ``zone`` names a zone instead.

    >>> import datetime
    >>> room_time(datetime.datetime(2026, 12, 3, 9, 5, 7, 123456, tzinfo=datetime.UTC), "UTC")
    '2026-12-03 09:05'
    """
    import datetime
    import zoneinfo

    if moment is None:
        return "-"
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if moment.tzinfo is None:  # the store keeps UTC
        moment = moment.replace(tzinfo=datetime.UTC)
    name = zone or os.environ.get("CXSIM_TIMEZONE")
    name = name or (PERSIAN_TIME_ZONE if get_language() == "fa" else None)
    try:
        local = zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        local = None  # no time-zone data (Windows without tzdata): the machine's zone
    return localise_digits(moment.astimezone(local).strftime("%Y-%m-%d %H:%M"))


def history_frame(rows: list[Mapping[str, Any]], *, times: bool = True) -> pd.DataFrame:
    """Submissions as a table: id, team, one column per lever, and if ``times`` when
    (the room's local time to the minute, :func:`room_time`)."""
    records = [
        {
            _("submission"): row["id"],
            _("team"): row["team"],
            **row["policy"],
            _("submitted at"): room_time(row["submitted_at"]),
        }
        for row in rows
    ]
    columns = [_("submission"), _("team"), *Policy().to_dict(), _("submitted at")]
    frame = pd.DataFrame(records, columns=columns).set_index(_("submission"))
    return frame if times else frame.drop(columns=_("submitted at"))


def _plain(text: str) -> str:
    """A team name as literal plot text (no mathtext)."""
    return str(text).replace("\\", "\\\\").replace("$", r"\$")


def plot_standings(
    rows: list[Mapping[str, Any]],
    *,
    n: int | None = None,
    days: float | None = None,
    figure: Figure | None = None,
) -> Figure:
    """Profit against CSAT, one point per evaluated team with its 95% intervals
    (each team its own colour, the leader a star), doing nothing as a blue diamond
    and a dashed line at its profit; a team over budget is drawn hollow and says so."""
    figure = figure or NotebookFigure(figsize=(8.6, 5.4), layout="constrained")
    ax = figure.subplots()
    done = [row for row in rows if row.get("status") == "done"]
    over = _("over budget")
    for row in done:
        x, y = row["csat"] * 100, row["profit"]
        low = row["csat_low"] if row.get("csat_low") is not None else row["csat"]
        high = row["csat_high"] if row.get("csat_high") is not None else row["csat"]
        xerr = [[x - max(0.0, low) * 100], [min(1.0, high) * 100 - x]]
        yerr = [[y - (row["profit_low"] or y)], [(row["profit_high"] or y) - y]]
        baseline = row.get("kind") == "baseline"
        colour = row.get("colour") or (BASELINE_COLOUR if baseline else TEAM_COLOURS[0])
        marker = "D" if baseline else "*" if row.get("rank") == 1 else "o"
        within = row.get("within_budget", True)
        ax.errorbar(
            [x],
            [y],
            xerr=np.abs(xerr),
            yerr=np.abs(yerr),
            fmt=marker,
            markersize=13 if marker == "*" else 8,
            capsize=3,
            color=colour,
            markerfacecolor=colour if within else "white",
            markeredgewidth=2 if not within else 1,
        )
        if baseline:
            ax.axhline(y, color=BASELINE_COLOUR, linestyle="--", linewidth=0.9, alpha=0.7)
            label = _plain(row["team"])
        else:
            label = f"{localise_digits(str(row['rank']))}. {_plain(row['team'])}"
            if not within:
                label += f" ({over})"
        ax.annotate(
            label,
            (x, y),
            textcoords="offset points",
            xytext=(6, 5),
            fontsize="small",
            color=colour,
        )
    if not done:
        ax.text(
            0.5,
            0.5,
            _("No evaluated policy yet"),
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="0.4",
        )
    ax.set_xlabel(_("CSAT (share satisfied, %)"))
    ax.set_ylabel(_("Profit (million toman)"))
    # both axes from zero: a business reader judges the gaps against the whole
    ax.set_xlim(0, 100)
    lowest = min([0.0, *((row["profit_low"] or row["profit"]) for row in done)])
    ax.set_ylim(bottom=lowest * 1.05)
    ax.grid(True, alpha=0.3, linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    title = _("Class standings: profit against CSAT per team")
    if n is not None and days is not None:
        title += "\n" + _(
            "(profit over {days} days, customer equity included; mean and 95% confidence "
            "interval over {n} replications)",
            days=localise_digits(f"{days:g}"),
            n=localise_digits(str(n)),
        )
        title += "\n" + _("hollow marker: over budget; dashed line: doing nothing")
    elif n is not None:
        title += "\n" + _("(mean and 95% confidence interval over {n} replications)", n=n)
    figure.suptitle(title)
    return figure
