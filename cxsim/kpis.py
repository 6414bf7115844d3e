"""Every KPI once: its machine name, the label people read, its kind and its unit.

Tables (:func:`cxsim.results.format_kpi`), plots (:mod:`cxsim.plots`), lessons, the
command line and the class standings take a KPI's label, format and unit from
:data:`KPIS`; adding a KPI is one line here (and its number in
:mod:`cxsim.metrics`).

Kinds, and how a value is written:

* ``share``: a share in [0, 1], written in percent (``83.1%``), drawn on a percent axis;
* ``count``: a whole number of people, visits or calls (``8,660``);
* ``money``: the scenario's currency (``1,752,000,000 toman``), drawn in millions;
* ``nps``: points from -100 to 100, with their sign (``+6.4``);
* ``number``: anything else (minutes, hours, a 0-10 score), two decimals (``0.61``).

>>> KPIS["service_level"].kind, KPIS["profit"].kind
('share', 'money')
>>> sorted(names_of("nps"))
['nps', 'nps_served', 'survey_nps']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .i18n import N_

__all__ = ["KPI", "KPIS", "KPI_LABELS", "Kind", "names_of"]

Kind = Literal["share", "count", "money", "nps", "number"]


@dataclass(frozen=True)
class KPI:
    """One KPI: ``label`` and ``unit`` are English, marked for the catalogue (translate
    with ``_()`` when shown); ``unit`` is what an axis names (None: the kind says it:
    percent for shares, million toman for money); ``label_has_unit``: the label already
    names it, e.g. "Mean wait (min)"."""

    name: str
    label: str
    kind: Kind
    unit: str | None = None
    label_has_unit: bool = False


_PEOPLE, _CALLS, _POINTS = N_("people"), N_("calls"), N_("points, -100 to 100")

#: Every KPI a run reports, in the order tables list them.
KPIS: dict[str, KPI] = {
    kpi.name: kpi
    for kpi in (
        KPI("customers", N_("Customers"), "count", _PEOPLE),
        # per touchpoint (Result.kpis(by="touchpoint")): visits that arrived there
        KPI("arrivals", N_("Arrivals"), "count", N_("visits")),
        KPI("interactions", N_("Touchpoint visits"), "count", N_("visits")),
        KPI("mean_wait_min", N_("Mean wait (min)"), "number", N_("min"), label_has_unit=True),
        KPI("p_wait", N_("Share who waited"), "share"),
        KPI("service_level", N_("Service level (answered within target)"), "share"),
        KPI("abandonment_rate", N_("Abandonment rate"), "share"),
        KPI("utilisation", N_("Staff utilisation"), "share"),
        KPI("completed_rate", N_("Journeys completed"), "share"),
        KPI("staff_hours", N_("Staff hours"), "number", N_("h")),
        KPI("csat", N_("CSAT (share satisfied)"), "share"),
        KPI("nps", N_("Net Promoter Score"), "nps", _POINTS),
        KPI("csat_served", N_("CSAT of served journeys (remembered)"), "share"),
        KPI("nps_served", N_("NPS of served journeys (remembered)"), "nps", _POINTS),
        KPI("csat_abandoned", N_("CSAT of hung-up journeys (remembered)"), "share"),
        KPI("survey_csat", N_("Survey CSAT (answers)"), "share"),
        KPI("survey_nps", N_("Survey NPS (answers)"), "nps", _POINTS),
        KPI("survey_responses", N_("Survey answers"), "count", N_("answers")),
        KPI("survey_response_rate", N_("Survey response rate"), "share"),
        KPI(
            "mean_memory_score",
            N_("Remembered experience (0-10)"),
            "number",
            N_("points, 0-10"),
            label_has_unit=True,
        ),
        KPI("bad_journey_rate", N_("Journeys remembered as bad"), "share"),
        KPI("retention_rate", N_("Stayed after a journey"), "share"),
        KPI("churn_rate", N_("Left after a journey"), "share"),
        KPI("leave_after_bad", N_("Left after a bad journey"), "share"),
        KPI("referrals", N_("Referred customers"), "count", _PEOPLE),
        KPI("deterred", N_("Prospects put off"), "count", _PEOPLE),
        KPI("follow_ups", N_("Follow-up calls"), "count", _CALLS),
        KPI("callbacks", N_("Callbacks made"), "count", _CALLS),
        KPI("churn_per_year", N_("Yearly churn"), "share"),
        KPI("revenue", N_("Revenue"), "money"),
        KPI("relationship_revenue", N_("of which relationship margin"), "money"),
        KPI("staff_cost", N_("Staff cost"), "money"),
        KPI("training_cost", N_("Training cost"), "money"),
        KPI("follow_up_cost", N_("Follow-up cost"), "money"),
        KPI("callback_cost", N_("Callback cost"), "money"),
        KPI("cost", N_("Total cost"), "money"),
        KPI("customer_equity", N_("Customer equity gained or lost"), "money"),
        KPI("profit", N_("Profit"), "money"),
        KPI("clv", N_("Customer lifetime value"), "money"),
    )
}

#: Machine name -> English label (marked for the catalogue).
KPI_LABELS: dict[str, str] = {name: kpi.label for name, kpi in KPIS.items()}


def names_of(kind: Kind) -> frozenset[str]:
    """The names of every KPI of one kind."""
    return frozenset(name for name, kpi in KPIS.items() if kpi.kind == kind)
