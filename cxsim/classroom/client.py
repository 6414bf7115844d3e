"""The notebook's side: submit a team's policy, read the standings.

Two transports, one interface (:class:`ClassClient`):

- :func:`local` (the default): the machine's class store (:func:`.store.class_store`,
  ``~/.cxsim/classroom.sqlite`` unless ``$CXSIM_CLASS_STORE`` names another); each
  submission is evaluated at once, in this kernel;
- :func:`connect`: the instructor's service (``python -m cxsim classroom serve``),
  over HTTP; the service evaluates in the background.

Both remember each team's token (given with its first submission), so a team
can submit again and replace its entry.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from .. import challenge
from ..challenge import Policy
from ..i18n import _
from .core import (
    ClassConfig,
    Classroom,
    check_policy,
    class_id,
    plot_standings,
    standings_frame,
    team_key,
)
from .store import CLASS_CODE_ENV, Store, SubmissionError

__all__ = ["ClassClient", "LocalClass", "Receipt", "RemoteClass", "connect", "current", "local"]


@dataclass(frozen=True)
class Receipt:
    """What a submission returns: its ``id``, the ``team`` as stored, ``status``
    ("done" or "evaluating"), how many ``submissions`` the team has made, and the
    team's ``token`` (given on the first submission only)."""

    id: int
    team: str
    status: str
    submissions: int
    token: str | None = None
    policy: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        """One sentence for the team."""
        if self.status == "done":
            text = _(
                "Submitted: team {team}'s policy (submission {count}) is in the standings.",
                team=self.team,
                count=self.submissions,
            )
        else:
            text = _(
                "Submitted: team {team}'s policy (submission {count}) is being "
                "re-simulated; it appears in the standings when done.",
                team=self.team,
                count=self.submissions,
            )
        if self.token:
            text += " " + _(
                "Your team's token is {token}: keep it to submit again from another notebook.",
                token=self.token,
            )
        return text

    def __repr__(self) -> str:
        return self.message()

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.message())}</p>"


class ClassClient:
    """Submit policies and read standings; see :func:`local` and :func:`connect`."""

    def __init__(self, tokens_file: str | Path | None = None) -> None:
        self.tokens: dict[str, str] = {}
        self.tokens_file = None if tokens_file is None else Path(tokens_file)
        if self.tokens_file is not None and self.tokens_file.exists():
            with contextlib.suppress(OSError, ValueError, AttributeError):
                self.tokens.update(json.loads(self.tokens_file.read_text()).get(self._where(), {}))

    def _where(self) -> str:
        raise NotImplementedError

    def _send(self, team: str, policy: dict[str, Any], token: str | None) -> dict[str, Any]:
        raise NotImplementedError

    def _rows(self) -> tuple[list[dict[str, Any]], int]:
        raise NotImplementedError

    def _config(self) -> ClassConfig:
        raise NotImplementedError

    def submit(
        self, team: str, policy: Policy | Mapping[str, Any], token: str | None = None
    ) -> Receipt:
        """Submit ``team``'s ``policy`` (lever values only: the class re-simulates it).
        ``token``: the team's token, needed after its first submission (remembered
        by this client)."""
        checked = check_policy(policy)  # the service's own check, before sending
        key = team_key(team) if isinstance(team, str) else str(team)
        token = token or self.tokens.get(key)
        answer = self._send(team, checked.to_dict(), token)
        if answer.get("token"):
            self.tokens[key] = answer["token"]
            self._save_tokens()
        return Receipt(
            id=int(answer["id"]),
            team=answer["team"],
            status=answer["status"],
            submissions=int(answer["submissions"]),
            token=answer.get("token"),
            policy=dict(answer.get("policy", {})),
        )

    def _save_tokens(self) -> None:
        if self.tokens_file is None:
            return
        try:
            data = json.loads(self.tokens_file.read_text()) if self.tokens_file.exists() else {}
        except (OSError, ValueError):
            data = {}
        data[self._where()] = self.tokens
        self.tokens_file.write_text(json.dumps(data, indent=1, ensure_ascii=False))

    def standings_rows(self) -> list[dict[str, Any]]:
        """The standings as plain rows (best profit first, doing nothing among them
        without a rank, then teams being evaluated)."""
        return self._rows()[0]

    def standings(self) -> pd.DataFrame:
        """The standings as a table: rank, team, profit with its 95% interval, profit
        minus doing nothing (paired) and what it says, CSAT, retention, mean wait,
        cost, extra cost, budget, submissions, status; doing nothing as a row."""
        return standings_frame(self.standings_rows())

    def plot(self) -> Figure:
        """Every evaluated team's profit against CSAT, with 95% intervals, and doing
        nothing."""
        rows, n = self._rows()
        return plot_standings(rows, n=n, days=self._config().days)

    def differences(self, against: str | None = None) -> pd.DataFrame:
        """Each evaluated policy's profit minus ``against``'s (default: the leader),
        paired by replication: the class's evaluations re-simulated side by side."""
        evaluation = self.evaluation()
        rows = [row for row in self.standings_rows() if row["status"] == "done"]
        return evaluation.differences(against=against or rows[0]["team"])

    def policies(self) -> pd.DataFrame:
        """Each team's current levers, in the order of the standings."""
        rows = self.standings_rows()
        return pd.DataFrame(
            [{_("team"): row["team"], **row["policy"]} for row in rows],
            columns=[_("team"), *Policy().to_dict()],
        ).set_index(_("team"))

    def evaluation(self, top: int | None = None) -> challenge.Evaluation:
        """The ``top`` teams' current policies (default: every evaluated team), best
        first, re-simulated side by side on the class's configuration: the same
        numbers as the standings, plus paired differences against the leader
        (``.differences()``) to tell a real lead from luck."""
        rows = [
            row
            for row in self.standings_rows()
            if row["status"] == "done" and row.get("kind", "team") == "team"
        ]
        if not rows:
            raise ValueError(_("no evaluated team yet"))
        rows = rows if top is None else rows[: max(1, int(top))]
        config = self._config()
        return challenge.evaluate(
            {row["team"]: row["policy"] for row in rows},
            n=config.n,
            days=config.days,
            seed=config.seed,
            budget=config.budget,
        )

    def wait(self, timeout: float = 120.0, every: float = 0.5) -> pd.DataFrame:
        """Wait until no team is being evaluated (at most ``timeout`` seconds), then
        return :meth:`standings`."""
        deadline = time.monotonic() + timeout
        while True:
            rows = self.standings_rows()
            if not any(row["status"] == "evaluating" for row in rows):
                return standings_frame(rows)
            if time.monotonic() > deadline:
                raise TimeoutError(_("still evaluating after {seconds:g} s", seconds=timeout))
            time.sleep(every)


class LocalClass(ClassClient):
    """A class kept in a SQLite file (or any database URL) on this machine."""

    def __init__(
        self,
        db: str | Path | None = None,
        config: ClassConfig | None = None,
        tokens_file: str | Path | None = None,
        code: str | None = None,
    ) -> None:
        self.classroom = Classroom(Store(db), class_id(code), config=config)
        super().__init__(tokens_file)

    def __repr__(self) -> str:
        return _("Local class in {store}", store=self.classroom.store)

    @property
    def config(self) -> ClassConfig:
        """The class's configuration."""
        return self.classroom.config

    def _where(self) -> str:
        return self.classroom.store.url

    def _send(self, team: str, policy: dict[str, Any], token: str | None) -> dict[str, Any]:
        return self.classroom.submit(team, policy, token)

    def _rows(self) -> tuple[list[dict[str, Any]], int]:
        return self.classroom.standings(), self.classroom.config.n

    def _config(self) -> ClassConfig:
        return self.classroom.config

    def history(self, *, times: bool = True) -> pd.DataFrame:
        """Every submission of the class, oldest first, with its levers (and when, unless
        ``times=False``: a debrief shown twice then prints the same table)."""
        return self.classroom.history(times=times)

    def differences(self, against: str | None = None) -> pd.DataFrame:
        """Each evaluated policy's profit minus ``against``'s (default: the leader; or
        doing nothing), paired by replication from the stored runs: no re-run."""
        return self.classroom.differences(against)

    def close(self) -> None:
        """Close the store's connections."""
        self.classroom.store.close()


class RemoteClass(ClassClient):
    """A class served by ``python -m cxsim classroom serve`` at ``url``."""

    def __init__(
        self, url: str, code: str, *, timeout: float = 60.0, tokens_file: str | Path | None = None
    ) -> None:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(
                _(
                    "url: {value!r} is not a web address; allowed: "
                    "http://HOST:PORT as printed by the instructor's "
                    "'python -m cxsim classroom serve'",
                    value=url,
                )
            )
        self.url = url.rstrip("/")
        self.code = code
        self.timeout = timeout
        super().__init__(tokens_file)

    def __repr__(self) -> str:
        return _("Class at {url}", url=self.url)

    def _where(self) -> str:
        return self.url

    def _request(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method="GET" if body is None else "POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            try:
                answer = json.loads(error.read())
                message, field_name = answer.get("error", str(error)), answer.get("field")
            except ValueError:
                message, field_name = str(error), None
            raise SubmissionError(message, status=error.code, field=field_name) from None

    def _send(self, team: str, policy: dict[str, Any], token: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "team": team, "policy": policy}
        if token:
            body["token"] = token
        return self._request("/api/submit", body)

    def _rows(self) -> tuple[list[dict[str, Any]], int]:
        data = self._request("/api/standings")
        return data["teams"], int(data["config"]["n"])

    def _config(self) -> ClassConfig:
        return ClassConfig.from_dict(self._request("/api/standings")["config"])


_current: ClassClient | None = None
#: Where :func:`connect` and the Submit button keep team tokens (in the working folder).
TOKENS_FILE = "cxsim-classroom-tokens.json"


def local(
    db: str | Path | None = None,
    config: ClassConfig | None = None,
    tokens_file: str | Path | None = None,
    *,
    code: str | None = None,
) -> LocalClass:
    """The class kept in ``db`` (default: the machine's class store,
    ``~/.cxsim/classroom.sqlite`` or ``$CXSIM_CLASS_STORE``; or a SQLAlchemy URL), made
    with ``config`` if new (default: notebook 09's evaluation, 5 replications of one
    week, seed 0).  ``code``: read (or add to) the class a service ran with that code
    in the same store (default ``$CXSIM_CLASS_CODE``, which ``make classroom`` sets for
    the dashboards it serves), e.g. during or after the workshop."""
    if code is None:
        code = os.environ.get(CLASS_CODE_ENV, "").strip() or None
    return LocalClass(db, config, tokens_file, code)


def connect(
    url: str, code: str, *, tokens_file: str | Path | None = TOKENS_FILE, timeout: float = 60.0
) -> RemoteClass:
    """Send this notebook's submissions to the instructor's service at ``url`` with
    the class ``code`` (both printed by ``python -m cxsim classroom serve``).  The
    Submit button uses it from now on.  Team tokens are kept in ``tokens_file``."""
    global _current
    _current = RemoteClass(url, code, timeout=timeout, tokens_file=tokens_file)
    return _current


def current() -> ClassClient:
    """The class the Submit button sends to: the last :func:`connect`, else the
    local SQLite file (made on first use)."""
    global _current
    if _current is None:
        _current = local(tokens_file=TOKENS_FILE)
    return _current
