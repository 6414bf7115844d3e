"""Where a class's submissions live: SQLAlchemy Core over SQLite (default) or any database URL.

Four tables, every row tagged with its class:

``cxsim_classes``
    one row per class: its id (``"local"`` or a digest of the class code, never
    the code itself) and its configuration (JSON), fixed when the class is made;
``cxsim_teams``
    one row per team: the name as typed, a normalised key (so ``"Blue"`` and
    ``" blue "`` are one team), a digest of the team's token and the team's
    current submission;
``cxsim_submissions``
    the history: every submission ever made, policy (JSON) and time;
``cxsim_evaluations``
    one simulated evaluation per distinct policy (keyed by a digest of the
    policy), shared by every team that submits the same levers: the class's
    seeds are fixed, so the same policy always gives the same numbers.

and a fifth, ``cxsim_class_state``: what the instructor decided for the room (teams
hidden or renamed, submissions closed, standings frozen, which fresh start), one JSON
document per class code, made when first needed (so older stores simply gain it).

A plain path (``~/.cxsim/classroom.sqlite``) means a SQLite file, opened in WAL mode
with write transactions that take the lock at once (``BEGIN IMMEDIATE``), so
several processes may read while one writes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from ..i18n import _

__all__ = [
    "CLASS_CODE_ENV",
    "CLASS_STORE_ENV",
    "DEFAULT_DB",
    "Store",
    "SubmissionError",
    "class_store",
    "database_url",
    "policy_key",
]

#: The class store used when no database is named: one file for the whole machine, so
#: JupyterLab (kernels in ``notebooks/`` or ``notebooks/fa/``), the dashboards app
#: (``notebooks/app/``), the debrief and the standings service all read and write the
#: same class, whatever folder their process runs in.
DEFAULT_DB = "~/.cxsim/classroom.sqlite"
#: The environment variable that names another class store (a path or a SQLAlchemy URL).
CLASS_STORE_ENV = "CXSIM_CLASS_STORE"
#: The environment variable naming the class (its code) that ``classroom.local()`` opens
#: by default (``make classroom`` sets it for the dashboards it serves).
CLASS_CODE_ENV = "CXSIM_CLASS_CODE"

metadata = MetaData()
classes = Table(
    "cxsim_classes",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("config", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
teams = Table(
    "cxsim_teams",
    metadata,
    Column("class_id", String(80), ForeignKey("cxsim_classes.id"), primary_key=True),
    Column("team_key", String(200), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("submission_id", Integer, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
submissions = Table(
    "cxsim_submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_id", String(80), ForeignKey("cxsim_classes.id"), nullable=False, index=True),
    Column("team_key", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("policy", Text, nullable=False),
    Column("policy_key", String(64), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
)
evaluations = Table(
    "cxsim_evaluations",
    metadata,
    Column("class_id", String(80), ForeignKey("cxsim_classes.id"), primary_key=True),
    Column("policy_key", String(64), primary_key=True),
    Column("result", Text, nullable=False),
    Column("evaluated_at", DateTime(timezone=True), nullable=False),
)

class_state = Table(
    "cxsim_class_state",
    metadata,
    Column("class_id", String(80), primary_key=True),
    Column("state", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


class SubmissionError(ValueError):
    """A submission refused, with the HTTP status that says why (401, 403, 413, 422...)
    and the field at fault."""

    def __init__(self, message: str, *, status: int = 422, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.field = field


def digest(text: str) -> str:
    """SHA-256 of ``text`` in hex: what is stored of codes, tokens and policies."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def policy_key(policy: Mapping[str, Any]) -> str:
    """The key under which a policy's evaluation is stored (a digest of its levers)."""
    return digest(json.dumps(dict(policy), sort_keys=True))


def class_store() -> str:
    """The class store of this machine: ``$CXSIM_CLASS_STORE`` if set, else
    :data:`DEFAULT_DB` (``~/.cxsim/classroom.sqlite``), never a file in the working folder."""
    return os.environ.get(CLASS_STORE_ENV, "").strip() or DEFAULT_DB


def database_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL: ``db`` itself when it has a scheme (``postgresql+psycopg://...``),
    else a SQLite file at that path (default :func:`class_store`)."""
    db = class_store() if db is None else db
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _now() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL, a busy timeout, and BEGIN IMMEDIATE so writers queue instead of failing."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


class Store:
    """A class store at ``db`` (a path for SQLite, or a SQLAlchemy URL); tables are
    created when missing."""

    def __init__(self, db: str | Path | None = None) -> None:
        self.url = database_url(db)
        if self.url.startswith("sqlite"):
            Path(self.url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": 30}
            )
            _sqlite_pragmas(self.engine)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        metadata.create_all(self.engine)

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def _read(self) -> Any:
        """A connection for reading (in SQLite a deferred transaction: readers never wait)."""
        return self.engine.connect().execution_options(sqlite_begin="DEFERRED")

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    # -- classes ----------------------------------------------------------------------
    def open_class(
        self, class_id: str, config: Mapping[str, Any], *, strict: bool = True
    ) -> dict[str, Any]:
        """The class's configuration; the class is made with ``config`` if new.  An
        existing class keeps its own configuration; with ``strict`` a different
        ``config`` is an error (the standings would mix numbers from two set-ups)."""
        for _attempt in range(3):
            with self._read() as conn:
                row = conn.execute(select(classes.c.config).where(classes.c.id == class_id)).first()
            if row is not None:
                stored = json.loads(row.config)
                if strict and dict(config) != stored:
                    raise ValueError(
                        _(
                            "this class already exists with another configuration ({stored}); "
                            "use its configuration, or another class code or database",
                            stored=json.dumps(stored, sort_keys=True),
                        )
                    )
                return stored
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        insert(classes).values(
                            id=class_id,
                            config=json.dumps(dict(config), sort_keys=True),
                            created_at=_now(),
                        )
                    )
            except IntegrityError:
                continue  # made by someone else meanwhile: read it
            return dict(config)
        raise RuntimeError("could not open the class")  # pragma: no cover

    # -- submissions --------------------------------------------------------------------
    def submit(
        self, class_id: str, team_key: str, name: str, policy: Mapping[str, Any], token: str | None
    ) -> dict[str, Any]:
        """Record a submission and make it the team's current one.

        The first submission of a team gets a new token (returned once, stored only as
        a digest); later ones must carry it, else :class:`SubmissionError` (403).
        Returns ``id``, ``policy_key``, ``token`` (new teams only) and ``submissions``
        (how many the team has made)."""
        policy_json = json.dumps(dict(policy), sort_keys=True)
        key = policy_key(policy)
        for _attempt in range(5):
            try:
                return self._submit_once(class_id, team_key, name, policy_json, key, token)
            except IntegrityError:
                continue  # two first submissions of one name raced: the loser needs a token
        raise SubmissionError(_("the store is busy; submit again"), status=503)

    def _submit_once(
        self, class_id: str, team_key: str, name: str, policy_json: str, key: str, token: str | None
    ) -> dict[str, Any]:
        now = _now()
        new_token = None
        with self.engine.begin() as conn:
            team = conn.execute(
                select(teams.c.token_hash).where(
                    teams.c.class_id == class_id, teams.c.team_key == team_key
                )
            ).first()
            if team is None:
                new_token = secrets.token_urlsafe(18)
                conn.execute(
                    insert(teams).values(
                        class_id=class_id,
                        team_key=team_key,
                        name=name,
                        token_hash=digest(new_token),
                        submission_id=None,
                        updated_at=now,
                    )
                )
            elif not (
                isinstance(token, str) and hmac.compare_digest(digest(token), team.token_hash)
            ):
                message = (
                    _(
                        "team {name!r} already exists: send its token to submit again "
                        "(the token was given with the team's first submission)",
                        name=name,
                    )
                    if not token
                    else _("token: wrong token for team {name!r}", name=name)
                )
                raise SubmissionError(message, status=403, field="token")
            submission_id = conn.execute(
                insert(submissions).values(
                    class_id=class_id,
                    team_key=team_key,
                    name=name,
                    policy=policy_json,
                    policy_key=key,
                    submitted_at=now,
                )
            ).inserted_primary_key[0]
            conn.execute(
                update(teams)
                .where(teams.c.class_id == class_id, teams.c.team_key == team_key)
                .values(name=name, submission_id=submission_id, updated_at=now)
            )
            count = conn.execute(
                select(func.count())
                .select_from(submissions)
                .where(submissions.c.class_id == class_id, submissions.c.team_key == team_key)
            ).scalar_one()
        return {
            "id": int(submission_id),
            "policy_key": key,
            "token": new_token,
            "submissions": int(count),
        }

    # -- evaluations ----------------------------------------------------------------------
    def evaluation(self, class_id: str, policy_key: str) -> dict[str, Any] | None:
        """The stored evaluation of a policy, or None."""
        with self._read() as conn:
            row = conn.execute(
                select(evaluations.c.result).where(
                    evaluations.c.class_id == class_id, evaluations.c.policy_key == policy_key
                )
            ).first()
        return None if row is None else json.loads(row.result)

    def record_evaluation(self, class_id: str, policy_key: str, result: Mapping[str, Any]) -> None:
        """Store a policy's evaluation (a second copy of the same one is ignored)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(evaluations).values(
                        class_id=class_id,
                        policy_key=policy_key,
                        result=json.dumps(dict(result), sort_keys=True),
                        evaluated_at=_now(),
                    )
                )
        except IntegrityError:
            pass  # evaluated twice (deterministic seeds): the first copy stands

    def pending(self, class_id: str) -> dict[str, dict[str, Any]]:
        """Policies submitted but not evaluated yet: ``{policy_key: policy}``."""
        query = (
            select(submissions.c.policy_key, submissions.c.policy)
            .where(submissions.c.class_id == class_id)
            .where(
                ~select(evaluations.c.policy_key)
                .where(
                    evaluations.c.class_id == class_id,
                    evaluations.c.policy_key == submissions.c.policy_key,
                )
                .exists()
            )
        )
        with self._read() as conn:
            return {row.policy_key: json.loads(row.policy) for row in conn.execute(query)}

    # -- reading ---------------------------------------------------------------------------
    def entries(self, class_id: str, upto: int | None = None) -> list[dict[str, Any]]:
        """Every team's current submission with its evaluation (None while evaluating):
        ``team, team_key, submission_id, policy, policy_key, submitted_at, submissions,
        result``.  ``upto``: the standings as they were when submission ``upto`` was the
        last one (a frozen view): each team's latest submission up to it."""
        if upto is None:
            current = (
                select(teams.c.team_key, teams.c.submission_id.label("sid"))
                .where(teams.c.class_id == class_id)
                .subquery()
            )
        else:
            current = (
                select(submissions.c.team_key, func.max(submissions.c.id).label("sid"))
                .where(submissions.c.class_id == class_id, submissions.c.id <= upto)
                .group_by(submissions.c.team_key)
                .subquery()
            )
        counted = select(submissions.c.team_key, func.count().label("n")).where(
            submissions.c.class_id == class_id
        )
        if upto is not None:
            counted = counted.where(submissions.c.id <= upto)
        counts = counted.group_by(submissions.c.team_key).subquery()
        query = (
            select(
                submissions.c.name,
                submissions.c.team_key,
                submissions.c.id,
                submissions.c.policy,
                submissions.c.policy_key,
                submissions.c.submitted_at,
                counts.c.n,
                evaluations.c.result,
            )
            .select_from(current)
            .join(submissions, submissions.c.id == current.c.sid)
            .join(counts, counts.c.team_key == current.c.team_key)
            .outerjoin(
                evaluations,
                (evaluations.c.class_id == class_id)
                & (evaluations.c.policy_key == submissions.c.policy_key),
            )
            .order_by(submissions.c.id)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [
            {
                "team": row.name,
                "team_key": row.team_key,
                "submission_id": int(row.id),
                "policy": json.loads(row.policy),
                "policy_key": row.policy_key,
                "submitted_at": row.submitted_at,
                "submissions": int(row.n),
                "result": None if row.result is None else json.loads(row.result),
            }
            for row in rows
        ]

    def first_submissions(self, class_id: str) -> dict[str, int]:
        """Each team's first submission id, by team key: the order teams joined (their
        colours follow it, so a team keeps its colour as ranks move)."""
        query = (
            select(submissions.c.team_key, func.min(submissions.c.id).label("first"))
            .where(submissions.c.class_id == class_id)
            .group_by(submissions.c.team_key)
        )
        with self._read() as conn:
            return {row.team_key: int(row.first) for row in conn.execute(query)}

    def last_submission(self, class_id: str) -> int:
        """The id of the class's latest submission (0 if none)."""
        query = select(func.max(submissions.c.id)).where(submissions.c.class_id == class_id)
        with self._read() as conn:
            return int(conn.execute(query).scalar() or 0)

    # -- the instructor's decisions ------------------------------------------------------
    def state(self, class_id: str) -> dict[str, Any]:
        """What the instructor decided for the class (``{}`` when nothing yet)."""
        with self._read() as conn:
            row = conn.execute(
                select(class_state.c.state).where(class_state.c.class_id == class_id)
            ).first()
        return {} if row is None else json.loads(row.state)

    def change_state(self, class_id: str, change: Any) -> dict[str, Any]:
        """Apply ``change(state) -> new state`` in one write transaction (two instructor
        tabs cannot lose each other's decision); returns the new state."""
        for _attempt in range(5):
            try:
                with self.engine.begin() as conn:
                    row = conn.execute(
                        select(class_state.c.state).where(class_state.c.class_id == class_id)
                    ).first()
                    old = {} if row is None else json.loads(row.state)
                    new = change(dict(old))
                    text = json.dumps(new, sort_keys=True, ensure_ascii=False)
                    if row is None:
                        conn.execute(
                            insert(class_state).values(
                                class_id=class_id, state=text, updated_at=_now()
                            )
                        )
                    else:
                        conn.execute(
                            update(class_state)
                            .where(class_state.c.class_id == class_id)
                            .values(state=text, updated_at=_now())
                        )
                return new
            except IntegrityError:
                continue  # made by another writer meanwhile: apply the change to theirs
        raise SubmissionError(_("the store is busy; try again"), status=503)

    def history(self, class_id: str) -> list[dict[str, Any]]:
        """Every submission of the class, oldest first: ``id, team, policy, submitted_at``."""
        query = (
            select(
                submissions.c.id,
                submissions.c.name,
                submissions.c.policy,
                submissions.c.submitted_at,
            )
            .where(submissions.c.class_id == class_id)
            .order_by(submissions.c.id)
        )
        with self._read() as conn:
            return [
                {
                    "id": int(row.id),
                    "team": row.name,
                    "policy": json.loads(row.policy),
                    "submitted_at": row.submitted_at,
                }
                for row in conn.execute(query)
            ]
