"""Service by hour of day: where in the day callers are answered, and where they are lost.

A day's average hides the hours that make it: a line can answer 93% of its calls within
five minutes over the day and 76% at 21:00.  :func:`hourly_service` splits the waiting
KPIs of one staffed touchpoint by the hour of day the customer arrived, with the same
definitions as the whole run (:mod:`cxsim.metrics`: ``service_level`` counts every call,
hang-ups included; only the customers' own calls count, not the firm's callbacks):

* ``calls``: calls arriving in that hour, a day (mean over the measured days);
* ``answered`` and ``answered_in_target``: of those, answered at all, and answered within
  the touchpoint's target wait (5 minutes, claim N1), a day;
* ``abandoned``: of those, hung up, a day;
* ``service_level``, ``abandonment_rate``: shares of the hour's calls over all measured
  days together (so a quiet day weighs less than a busy one, as in the whole run's KPI);
* ``mean_wait_min``: the mean wait of the hour's calls;
* ``staff``: people on duty in that hour (mean over the measured days).

Given several results (replications of one scenario), :func:`hourly_service` gives the mean
over them and, for each KPI, a Student t confidence band over the replications
(``<kpi>_low``, ``<kpi>_high``; Law, *Simulation Modeling and Analysis*, 5th ed., §9.4:
replications are independent, so the t interval applies to their means).

>>> import pandas as pd
>>> visits = pd.DataFrame({
...     "touchpoint": pd.Categorical(["phone"] * 3), "arrival_min": [600.0, 610.0, 1500.0],
...     "wait_min": [1.0, 7.0, 2.0], "service_min": [3.0, 0.0, 3.0],
...     "outcome": ["served", "abandoned", "served"], "abandoned": [False, True, False],
...     "callback": [False] * 3})
>>> table = service_by_hour(visits, 5.0, (0.0, 2880.0))
>>> table.loc[10, ["calls", "answered_in_target", "service_level"]].tolist()
[1.0, 0.5, 0.5]
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .clock import HOURS_PER_DAY, MINUTES_PER_HOUR
from .experiments import t_critical
from .i18n import _
from .metrics import inbound, queue_kpis
from .results import Result

__all__ = ["HOURLY_KPIS", "exposure_days", "hourly_service", "service_by_hour"]

#: The columns of :func:`service_by_hour`, in order.
HOURLY_KPIS = (
    "calls",
    "answered",
    "answered_in_target",
    "abandoned",
    "service_level",
    "abandonment_rate",
    "mean_wait_min",
    "staff",
)
_SHARES = ("service_level", "abandonment_rate")


def exposure_days(window: tuple[float, float]) -> np.ndarray:
    """How many days of each hour of day (0-23) the window ``(start, end)`` (minutes) covers.

    >>> exposure_days((0.0, 2 * 1440.0 + 90.0))[:3].tolist()
    [3.0, 2.5, 2.0]
    """
    start, end = (float(x) for x in window)
    days = np.zeros(HOURS_PER_DAY)
    first = math.floor(start / MINUTES_PER_HOUR)
    last = math.ceil(end / MINUTES_PER_HOUR)
    for hour in range(first, last):
        left = hour * MINUTES_PER_HOUR
        overlap = min(left + MINUTES_PER_HOUR, end) - max(left, start)
        if overlap > 0:
            days[hour % HOURS_PER_DAY] += overlap / MINUTES_PER_HOUR
    return days


def _mean_staff(rota: Sequence[int], window: tuple[float, float]) -> np.ndarray:
    """People on duty per hour of day, averaged over the window (a weekly rota varies)."""
    start, end = window
    total, weight = np.zeros(HOURS_PER_DAY), np.zeros(HOURS_PER_DAY)
    for hour in range(math.floor(start / MINUTES_PER_HOUR), math.ceil(end / MINUTES_PER_HOUR)):
        left = hour * MINUTES_PER_HOUR
        overlap = min(left + MINUTES_PER_HOUR, end) - max(left, start)
        if overlap > 0:
            total[hour % HOURS_PER_DAY] += overlap * rota[hour % len(rota)]
            weight[hour % HOURS_PER_DAY] += overlap
    with np.errstate(invalid="ignore"):
        return np.where(weight > 0, total / np.where(weight > 0, weight, 1), np.nan)


def service_by_hour(
    visits: pd.DataFrame,
    target_wait_min: float,
    window: tuple[float, float],
    rota: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The KPIs of the module docstring for one touchpoint's ``visits``, by hour of arrival.

    ``visits``: that touchpoint's rows of :attr:`Result.interactions` (at least
    ``arrival_min``, ``wait_min``, ``outcome``, ``abandoned``, ``callback``);
    ``window``: the measured minutes ``(start, end)`` (visits arriving before ``start``
    are the warm-up, left out); ``rota``: its staff, 24 or 168 numbers (optional).
    Returns 24 rows, indexed by ``hour`` (0-23); an hour no call reached has ``NaN``
    shares and 0 counts.
    """
    start, end = (float(x) for x in window)
    if not end > start:
        raise ValueError(
            _("window: the end ({end}) must come after the start ({start})", end=end, start=start)
        )
    mine = inbound(visits)
    mine = mine[(mine["arrival_min"] >= start) & (mine["arrival_min"] < end)]
    hours = (mine["arrival_min"].to_numpy() // MINUTES_PER_HOUR).astype(int) % HOURS_PER_DAY
    days = exposure_days((start, end))
    rows = []
    for hour in range(HOURS_PER_DAY):
        here = mine[hours == hour]
        shares = queue_kpis(here, float(target_wait_min))
        answered = here["outcome"].isin(["served", "in_service"]).to_numpy()
        in_target = answered & (here["wait_min"].to_numpy() <= float(target_wait_min))
        per_day = days[hour] if days[hour] > 0 else np.nan
        rows.append(
            {
                "hour": hour,
                "calls": len(here) / per_day,
                "answered": float(answered.sum()) / per_day,
                "answered_in_target": float(in_target.sum()) / per_day,
                "abandoned": float(here["abandoned"].to_numpy().sum()) / per_day,
                "service_level": shares["service_level"],
                "abandonment_rate": shares["abandonment_rate"],
                "mean_wait_min": shares["mean_wait_min"],
            }
        )
    table = pd.DataFrame(rows).set_index("hour")
    table["staff"] = _mean_staff(rota, (start, end)) if rota is not None else np.nan
    return table[list(HOURLY_KPIS)]


def _one(result: Result, touchpoint: str | None) -> pd.DataFrame:
    staffed = [t for t in result.scenario.touchpoints if t.kind == "staffed"]
    if not staffed:
        raise ValueError(
            _("scenario {name!r} has no staffed touchpoint", name=result.scenario.name)
        )
    names = [t.name for t in staffed]
    name = names[0] if touchpoint is None else touchpoint
    if name not in names:
        raise ValueError(
            _(
                "touchpoint {name!r} is not a staffed touchpoint of {scenario!r}; "
                "allowed: {allowed}",
                name=name,
                scenario=result.scenario.name,
                allowed=", ".join(names),
            )
        )
    point = result.scenario.touchpoint(name)
    visits = result.interactions
    return service_by_hour(
        visits[visits["touchpoint"] == name],
        point.target_wait_min,
        result.window,
        point.hourly_staff,
    )


def hourly_service(
    results: Result | Sequence[Result] | Mapping[Any, Result],
    touchpoint: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Service by hour of day of a run, or of replications with a confidence band.

    ``results``: one :class:`Result` (the table of :func:`service_by_hour`), or several
    replications of one scenario (a list, or a mapping whose values are results): the
    mean over them per hour and, for each KPI, ``<kpi>_low`` and ``<kpi>_high``, a
    ``level`` t interval over the replications (an hour with a share in fewer than two
    replications has no band).  ``touchpoint``: default the first staffed one.
    """
    if isinstance(results, Result):
        return _one(results, touchpoint)
    runs = list(results.values()) if isinstance(results, Mapping) else list(results)
    if not runs or not all(isinstance(run, Result) for run in runs):
        raise ValueError(_("hourly_service: give one Result or a list of Results"))
    if len(runs) == 1:
        return _one(runs[0], touchpoint)
    tables = [_one(run, touchpoint) for run in runs]
    stacked = np.stack([table.to_numpy(dtype=float) for table in tables])  # run, hour, kpi
    count = np.sum(~np.isnan(stacked), axis=0)
    with warnings.catch_warnings():  # an hour no call reached in any run stays NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(stacked, axis=0)
        spread = np.nanstd(stacked, axis=0, ddof=1)
    half = np.full_like(mean, np.nan)
    for n in np.unique(count[count > 1]):
        where = count == n
        half[where] = t_critical(int(n) - 1, level) * spread[where] / math.sqrt(n)
    columns = list(tables[0].columns)
    out = pd.DataFrame(mean, index=tables[0].index, columns=columns)
    for k, column in enumerate(columns):
        # a band never leaves what the KPI can be: a share stays in [0, 1], a count >= 0
        top = 1.0 if column in _SHARES else np.inf
        out[f"{column}_low"] = np.clip(mean[:, k] - half[:, k], 0.0, top)
        out[f"{column}_high"] = np.clip(mean[:, k] + half[:, k], 0.0, top)
    out.attrs["replications"] = len(runs)
    return out
