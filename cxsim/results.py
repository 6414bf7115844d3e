"""What a run gives back: tables as DataFrames and KPIs computed from them."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from . import metrics, survey
from .formatting import MISSING, format_value
from .i18n import N_, _, currency_name
from .kpis import KPI_LABELS, KPIS
from .records import Records
from .rng import stream_seed
from .scenario import Scenario

__all__ = [
    "Result",
    "KPI_LABELS",
    "SURVEY_KPIS",
    "SURVEY_ROWS",
    "kpi_label",
    "format_kpi",
    "kpi_comparison",
]


def kpi_label(name: str) -> str:
    """The label of a KPI in the current language."""
    return _(KPI_LABELS.get(name, name))


#: What the firm's post-contact survey brings back, beside the remembered experience of
#: served and hung-up journeys (:meth:`Result.survey_table`).  :func:`kpi_comparison`
#: leaves them out unless asked (``survey=True``): a lesson shows them on purpose.
SURVEY_KPIS = (
    "csat_served",
    "nps_served",
    "csat_abandoned",
    "survey_csat",
    "survey_nps",
    "survey_responses",
    "survey_response_rate",
)
#: The rows of :meth:`Result.survey_table`: three views of the remembered experience
#: and the survey's answers.
SURVEY_ROWS = {
    "all": N_("remembered, all journeys"),
    "served": N_("remembered, served"),
    "hung_up": N_("remembered, hung up"),
    "answers": N_("survey answers"),
}
# The stream the survey draws from: a purpose of its own, after the run, so the run's
# random numbers are untouched (cxsim.rng.stream_seed).
SURVEY_STREAM = "survey"


def format_kpi(name: str, value: float, currency: str = "toman") -> str:
    """One KPI as people read it: shares in %, counts whole, money with its currency.

    ``currency`` is the scenario's ``economics.currency`` (``"toman"`` or
    ``"rial"``), named in the current language.  In Persian with Persian digits
    on, numbers read ``۸۳٫۱٪``, ``۸٬۶۶۰``, ``۱٬۷۵۲٬۰۰۰٬۰۰۰ تومان``.

    >>> format_kpi("service_level", 0.8312), format_kpi("customers", 8660)
    ('83.1%', '8,660')
    >>> format_kpi("profit", 1_752_000_000.0), format_kpi("mean_wait_min", 0.6123)
    ('1,752,000,000 toman', '0.61')
    """
    kind = KPIS[name].kind if name in KPIS else "number"
    text = format_value(value, kind, decimals=2 if kind == "number" else None)
    if kind == "money" and text != MISSING:
        text = f"{text} {currency_name(currency)}"
    return text


def kpi_comparison(results: dict[str, Result], *, survey: bool = False) -> pd.DataFrame:
    """KPIs of several runs side by side (a column per run), formatted for reading.

    The survey's KPIs (:data:`SURVEY_KPIS`) show only with ``survey=True``.
    """
    columns = {}
    for label, result in results.items():
        economics = result.scenario.economics
        currency = economics.currency if economics is not None else "toman"
        columns[label] = {
            kpi_label(name): format_kpi(name, value, currency)
            for name, value in result.kpis().items()
            if survey or name not in SURVEY_KPIS
        }
    frame = pd.DataFrame(columns)
    frame.index.name = _("KPI")
    return frame


class Result:
    """The outcome of one simulated run.

    Tables are built on first use: ``interactions`` (one row per touchpoint
    visit), ``customers`` (one row per customer) and ``timeseries`` (per hour
    and touchpoint).  :meth:`kpis` summarises them, warm-up excluded.
    """

    def __init__(self, scenario: Scenario, records: Records, *, policy: str | None, seed: int):
        self.scenario = scenario
        self.records = records
        self.policy = policy
        self.seed = seed

    def __repr__(self) -> str:
        return (
            f"<Result {self.scenario.name!r} policy={self.policy!r} seed={self.seed} "
            f"customers={len(self.customers)}>"
        )

    # -- tables ------------------------------------------------------------
    @property
    def _names(self) -> tuple[list[str], list[str], list[str]]:
        s = self.scenario
        return (
            [x.name for x in s.segments],
            [x.name for x in s.journeys],
            [x.name for x in s.touchpoints],
        )

    @cached_property
    def interactions(self) -> pd.DataFrame:
        segments, journeys, touchpoints = self._names
        return self.records.visits.to_frame(segments, journeys, touchpoints, self.records.end_min)

    @cached_property
    def journeys(self) -> pd.DataFrame:
        """One row per journey: start and end, what was remembered, and what came of it."""
        segments, journeys, _touchpoints = self._names
        behaviour = self.scenario.behaviour
        bad_below = behaviour.bad_memory_below if behaviour is not None else float("nan")
        return self.records.journeys.to_frame(segments, journeys, bad_below)

    @cached_property
    def customers(self) -> pd.DataFrame:
        """One row per customer: first arrival, last journey's end and status, journeys made."""
        return metrics.customers_from_journeys(self.journeys)

    @cached_property
    def daily(self) -> pd.DataFrame:
        """Per day: new and returning journeys, active customers, satisfaction, revenue,
        and per staffed touchpoint the day's load, morale and courtesy (behaviour only)."""
        return metrics.daily_timeseries(
            self.journeys,
            self.records.daily,
            self.records.end_min,
            sum((self.records.base_customers or {}).values()),
        )

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        return metrics.hourly_timeseries(
            self.interactions, self._hourly_staff, self.records.end_min
        )

    # -- KPIs ----------------------------------------------------------------
    @property
    def _staffed(self) -> list[str]:
        return [t.name for t in self.scenario.touchpoints if t.kind == "staffed"]

    @property
    def _hourly_staff(self) -> dict[str, tuple[int, ...]]:
        return {t.name: t.hourly_staff for t in self.scenario.touchpoints if t.kind == "staffed"}

    @property
    def _targets(self) -> dict[str, float]:
        return {t.name: t.target_wait_min for t in self.scenario.touchpoints}

    @property
    def window(self) -> tuple[float, float]:
        """The measured time window in minutes: (end of warm-up, end of run)."""
        return (self.records.warmup_min, self.records.end_min)

    def _staff_minutes(self) -> dict[str, float]:
        """Staffed minutes per touchpoint inside the measured window, from the schedule."""

        start, end = self.window
        edges = np.arange(np.floor(start / 60) * 60, end + 60, 60.0)
        result = {}
        for name, staff in self._hourly_staff.items():
            total = 0.0
            for left in edges[:-1]:
                overlap = max(0.0, min(left + 60, end) - max(left, start))
                total += overlap * staff[int(left // 60) % len(staff)]
            result[name] = total
        return result

    @cached_property
    def _touchpoint_table(self) -> pd.DataFrame:
        return metrics.touchpoint_kpis(
            self.interactions, self._staff_minutes(), self._targets, self.window
        )

    def kpis(self, by: str | None = None) -> Any:
        """KPIs of the measured window.

        ``by=None`` gives a dict; ``by="touchpoint"`` or ``by="segment"`` a
        DataFrame with one row per touchpoint or segment.
        """
        if by == "touchpoint":
            return self._touchpoint_table.copy()
        if by == "segment":
            return metrics.segment_kpis(
                self.interactions, self.customers, self._staffed, self._targets, self.window[0]
            )
        if by is not None:
            raise ValueError(
                _("unknown grouping {by!r}; allowed: None, 'touchpoint', 'segment'", by=by)
            )
        start = self.window[0]
        visits = self.interactions
        measured = metrics.inbound(visits[visits["arrival_min"] >= start])
        staffed = measured[measured["touchpoint"].isin(self._staffed)]
        customers = self.customers
        customers = customers[customers["arrival_min"] >= start]
        targets = staffed["touchpoint"].map(self._targets).astype(float)
        table = self._touchpoint_table
        staffed_rows = table[table["kind"] == "staffed"]
        staff_minutes = (staffed_rows["staff_hours"] * 60).sum()
        busy = (staffed_rows["utilisation"].fillna(0) * staffed_rows["staff_hours"] * 60).sum()
        result = {
            "customers": len(customers),
            "interactions": len(measured),
            **metrics.queue_kpis(staffed, targets),
            "utilisation": float(busy / staff_minutes) if staff_minutes > 0 else float("nan"),
            "completed_rate": float((customers["outcome"] == "completed").mean())
            if len(customers)
            else float("nan"),
        }
        if self.scenario.behaviour is not None:
            result.update(metrics.experience_kpis(self.journeys, start, self.records.counters))
            result.update(metrics.survey_kpis(self.survey_sample))
        if self.scenario.economics is not None:
            result.update(
                metrics.economic_kpis(
                    self.scenario,
                    self.journeys,
                    table,
                    start,
                    self.records.end_min,
                    self.records.base_customers,
                )
            )
        return result

    def morale_effect(self) -> pd.DataFrame:
        """CSAT, NPS and remembered score as they were and had staff morale stayed at its
        reference level, on this run's own customers and queue, with the paired difference
        and its 95% interval (see :func:`cxsim.metrics.morale_effect`)."""
        behaviour = self.scenario.behaviour
        if behaviour is None:
            raise ValueError(_("morale_effect needs a scenario with a behaviour: section"))
        return metrics.morale_effect(
            self.interactions, self.journeys, behaviour.memory, self.window[0]
        )

    @cached_property
    def survey_sample(self) -> pd.DataFrame:
        """The journeys that ended in the measured window, each marked ``served`` (a
        staffed contact closed it, so the firm surveyed it), ``hung_up`` and
        ``answered`` (see :func:`cxsim.metrics.survey_sample`).  The respondents are
        drawn after the run from a stream of the run's seed: the same seed gives the
        same respondents, and the run itself is the same with or without a survey."""
        behaviour = self.scenario.behaviour
        if behaviour is None:
            raise ValueError(_("a survey needs a scenario with a behaviour: section"))
        generator = np.random.default_rng(stream_seed(self.seed, SURVEY_STREAM))
        return metrics.survey_sample(
            self.journeys,
            self.interactions,
            self._staffed,
            self.window[0],
            behaviour.survey.response_rate,
            behaviour.survey.extremity_bias,
            generator,
        )

    def survey_summary(self) -> pd.DataFrame:
        """:meth:`survey_table` in machine names: rows ``all``, ``served``, ``hung_up``
        (the remembered experience) and ``answers`` (the survey); columns ``csat``
        (share), ``nps`` (points) and ``count`` (journeys or answers)."""
        sample = self.survey_sample
        served = sample[sample["served"]]
        hung_up = sample[sample["hung_up"]]
        answers = served.loc[served["answered"], "experienced_score"].to_numpy()
        rows = {
            "all": (metrics.remembered_csat(sample), metrics.remembered_nps(sample), len(sample)),
            "served": (
                metrics.remembered_csat(served),
                metrics.remembered_nps(served),
                len(served),
            ),
            "hung_up": (
                metrics.remembered_csat(hung_up),
                metrics.remembered_nps(hung_up),
                len(hung_up),
            ),
            "answers": (survey.csat(answers), survey.nps(answers), len(answers)),
        }
        return pd.DataFrame.from_dict(rows, orient="index", columns=["csat", "nps", "count"])

    def survey_table(self) -> pd.DataFrame:
        """CSAT (%), NPS (points) and how many journeys or answers each counts: the
        remembered experience of all journeys that ended in the window, of those served
        (the ones the firm surveys), of those that ended in a hang-up, and what the
        firm's post-contact survey brings back (:mod:`cxsim.survey`).  A lesson that
        shows CSAT says which of these it shows."""
        summary = self.survey_summary()
        table = pd.DataFrame(
            {
                _("CSAT (%)"): (100 * summary["csat"]).round(1),
                _("NPS (points)"): summary["nps"].round(1),
                _("journeys or answers"): summary["count"],
            }
        )
        table.index = [_(SURVEY_ROWS[name]) for name in summary.index]
        table.index.name = _("who is counted")
        return table

    def kpi_table(self) -> pd.Series:
        """The KPIs with readable labels and units, formatted for reading: what a notebook
        prints (use :meth:`kpis` for the numbers themselves; the survey's are in
        :meth:`survey_table`)."""
        return kpi_comparison({self.policy or _("baseline"): self}).iloc[:, 0]
