"""What a run gives back: tables as DataFrames and KPIs computed from them."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import pandas as pd

from . import metrics
from .i18n import N_, _, currency_name, localise_digits
from .records import Records
from .scenario import Scenario

__all__ = ["Result", "KPI_LABELS", "kpi_label", "format_kpi", "kpi_comparison"]

# Machine names of KPIs and the (translatable) labels people read.
KPI_LABELS = {
    "customers": N_("Customers"),
    "interactions": N_("Touchpoint visits"),
    "mean_wait_min": N_("Mean wait (min)"),
    "p_wait": N_("Share who waited"),
    "service_level": N_("Service level (answered within target)"),
    "abandonment_rate": N_("Abandonment rate"),
    "utilisation": N_("Staff utilisation"),
    "completed_rate": N_("Journeys completed"),
    "staff_hours": N_("Staff hours"),
    "csat": N_("CSAT (share satisfied)"),
    "nps": N_("Net Promoter Score"),
    "mean_memory_score": N_("Remembered experience (0-10)"),
    "bad_journey_rate": N_("Journeys remembered as bad"),
    "retention_rate": N_("Stayed after a journey"),
    "churn_rate": N_("Left after a journey"),
    "leave_after_bad": N_("Left after a bad journey"),
    "referrals": N_("Referred customers"),
    "deterred": N_("Prospects put off"),
    "follow_ups": N_("Follow-up calls"),
    "callbacks": N_("Callbacks made"),
    "churn_per_year": N_("Yearly churn"),
    "revenue": N_("Revenue"),
    "relationship_revenue": N_("of which relationship margin"),
    "staff_cost": N_("Staff cost"),
    "training_cost": N_("Training cost"),
    "follow_up_cost": N_("Follow-up cost"),
    "callback_cost": N_("Callback cost"),
    "cost": N_("Total cost"),
    "customer_equity": N_("Customer equity gained or lost"),
    "profit": N_("Profit"),
    "clv": N_("Customer lifetime value"),
}


def kpi_label(name: str) -> str:
    """The label of a KPI in the current language."""
    return _(KPI_LABELS.get(name, name))


SHARE_KPIS = {"p_wait", "service_level", "abandonment_rate", "utilisation", "completed_rate",
              "csat", "bad_journey_rate", "retention_rate", "churn_rate", "leave_after_bad",
              "churn_per_year"}
COUNT_KPIS = {"customers", "interactions", "referrals", "deterred", "follow_ups", "callbacks"}
MONEY_KPIS = {"revenue", "relationship_revenue", "staff_cost", "training_cost", "follow_up_cost",
              "callback_cost",
              "cost", "customer_equity", "profit", "clv"}


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
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    # the English text is built first and only its digits change, so that English
    # output stays exactly as it always was
    if name in SHARE_KPIS:
        text = f"{100 * value:.1f}%"
    elif name in COUNT_KPIS:
        text = f"{value:,.0f}"
    elif name in MONEY_KPIS:
        text = f"{value:,.0f} {currency_name(currency)}"
    elif name == "nps":
        text = f"{value:+.1f}"
    else:
        text = f"{value:.2f}"
    return localise_digits(text)


def kpi_comparison(results: dict[str, Result]) -> pd.DataFrame:
    """KPIs of several runs side by side (a column per run), formatted for reading."""
    columns = {}
    for label, result in results.items():
        economics = result.scenario.economics
        currency = economics.currency if economics is not None else "toman"
        columns[label] = {kpi_label(name): format_kpi(name, value, currency)
                          for name, value in result.kpis().items()}
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
        return (f"<Result {self.scenario.name!r} policy={self.policy!r} seed={self.seed} "
                f"customers={len(self.customers)}>")

    # -- tables ------------------------------------------------------------
    @property
    def _names(self) -> tuple[list[str], list[str], list[str]]:
        s = self.scenario
        return ([x.name for x in s.segments], [x.name for x in s.journeys],
                [x.name for x in s.touchpoints])

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
        return metrics.daily_timeseries(self.journeys, self.records.daily, self.records.end_min,
                                        sum((self.records.base_customers or {}).values()))

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        return metrics.hourly_timeseries(self.interactions, self._hourly_staff,
                                         self.records.end_min)

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
        import numpy as np

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
        return metrics.touchpoint_kpis(self.interactions, self._staff_minutes(), self._targets,
                                       self.window)

    def kpis(self, by: str | None = None) -> Any:
        """KPIs of the measured window.

        ``by=None`` gives a dict; ``by="touchpoint"`` or ``by="segment"`` a
        DataFrame with one row per touchpoint or segment.
        """
        if by == "touchpoint":
            return self._touchpoint_table.copy()
        if by == "segment":
            return metrics.segment_kpis(self.interactions, self.customers, self._staffed,
                                        self._targets, self.window[0])
        if by is not None:
            raise ValueError(_("unknown grouping {by!r}; allowed: None, 'touchpoint', 'segment'",
                               by=by))
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
            if len(customers) else float("nan"),
        }
        if self.scenario.behaviour is not None:
            result.update(metrics.experience_kpis(self.journeys, start, self.records.counters))
        if self.scenario.economics is not None:
            result.update(metrics.economic_kpis(
                self.scenario, self.journeys, table, start, self.records.end_min,
                self.records.base_customers))
        return result

    def morale_effect(self) -> pd.DataFrame:
        """CSAT, NPS and remembered score as they were and had staff morale stayed at its
        reference level, on this run's own customers and queue, with the paired difference
        and its 95% interval (see :func:`cxsim.metrics.morale_effect`)."""
        behaviour = self.scenario.behaviour
        if behaviour is None:
            raise ValueError(_("morale_effect needs a scenario with a behaviour: section"))
        return metrics.morale_effect(self.interactions, self.journeys, behaviour.memory,
                                     self.window[0])

    def kpi_table(self) -> pd.Series:
        """The KPIs with readable labels and units, formatted for reading: what a notebook
        prints (use :meth:`kpis` for the numbers themselves)."""
        return kpi_comparison({self.policy or _("baseline"): self}).iloc[:, 0]
