"""KPIs from the tables of a run: pure pandas/numpy, testable with hand-made frames.

Conventions (stated once, used everywhere):

* Only visits and customers that *arrive* after the warm-up count.
* ``mean_wait_min`` averages over every visit to a staffed touchpoint: those
  served at once count 0, abandoners count the time until they left, and
  those still waiting when the run ends count the time waited so far.
* ``p_wait`` is the share of those visits that waited at all (wait > 0).
* ``service_level`` is the share answered within the touchpoint's target
  wait (default 5 minutes, claim N1), out of *all* visits, abandoners included.
* ``abandonment_rate`` is the share of visits that ended by abandoning.
* ``utilisation`` is busy staff-time over staffed time in the measured window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import survey as surveys
from .behaviour import (
    customer_lifetime_value,
    leave_probability,
    promoter_points,
    recommend_scores,
    remember_journey,
)
from .clock import DAYS_PER_YEAR, MINUTES_PER_DAY, MINUTES_PER_HOUR
from .customer_base import segment_flows

__all__ = [
    "interval_occupancy",
    "queue_kpis",
    "touchpoint_kpis",
    "segment_kpis",
    "hourly_timeseries",
    "customers_from_journeys",
    "daily_timeseries",
    "experience_kpis",
    "served_journeys",
    "survey_sample",
    "survey_kpis",
    "remembered_csat",
    "remembered_nps",
    "economic_kpis",
    "yearly_churn",
    "customer_flows",
    "morale_effect",
]


def interval_occupancy(starts: np.ndarray, ends: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Time-integral of how many intervals ``[start, end)`` are open, per bin of ``edges``.

    Divide by the bin width for the time-average count (e.g. the mean queue length).

    >>> interval_occupancy(np.array([0.0, 5.0]), np.array([10.0, 7.0]), np.array([0.0, 6.0, 12.0]))
    array([7., 5.])
    """
    starts = np.sort(np.asarray(starts, dtype=float))
    ends = np.sort(np.asarray(ends, dtype=float))
    edges = np.asarray(edges, dtype=float)

    def area_before(points: np.ndarray, x: np.ndarray) -> np.ndarray:
        # sum over points p < x of (x - p)
        count = np.searchsorted(points, x, side="left")
        cumulative = np.concatenate([[0.0], np.cumsum(points)])
        return count * x - cumulative[count]

    area = area_before(starts, edges) - area_before(ends, edges)
    return np.diff(area)


def _staffed(visits: pd.DataFrame, staffed: list[str]) -> pd.DataFrame:
    return visits[visits["touchpoint"].isin(staffed)]


def inbound(visits: pd.DataFrame) -> pd.DataFrame:
    """Visits the customer made (not the firm's callbacks): what waiting KPIs count.

    A callback is the firm's call to a customer who hung up; its agent time counts
    towards utilisation, but it is neither an arrival nor a wait on hold.
    """
    return visits[~visits["callback"]]


def queue_kpis(visits: pd.DataFrame, target_wait_min: pd.Series | float) -> dict[str, float]:
    """Waiting KPIs over visits to staffed touchpoints (see the module docstring)."""
    count = len(visits)
    if count == 0:
        return {
            "mean_wait_min": np.nan,
            "p_wait": np.nan,
            "service_level": np.nan,
            "abandonment_rate": np.nan,
        }
    wait = visits["wait_min"].to_numpy()
    answered = visits["outcome"].isin(["served", "in_service"]).to_numpy()
    target = np.asarray(target_wait_min, dtype=float)
    return {
        "mean_wait_min": float(wait.mean()),
        "p_wait": float((wait > 0).mean()),
        "service_level": float((answered & (wait <= target)).mean()),
        "abandonment_rate": float(visits["abandoned"].to_numpy().mean()),
    }


def _busy_minutes(visits: pd.DataFrame, window: tuple[float, float]) -> float:
    answered = visits[visits["outcome"].isin(["served", "in_service"])]
    start = answered["arrival_min"].to_numpy() + answered["wait_min"].to_numpy()
    end = np.minimum(start + answered["service_min"].to_numpy(), window[1])
    return float(interval_occupancy(start, end, np.array(window))[0])


def touchpoint_kpis(
    visits: pd.DataFrame,
    staff_minutes: dict[str, float],
    target_wait_min: dict[str, float],
    window: tuple[float, float],
) -> pd.DataFrame:
    """One row per touchpoint: arrivals, waits, service level, abandonment, utilisation.

    ``visits`` holds every visit (the busy time of customers who arrived in the
    warm-up still counts towards utilisation); KPIs of waiting use only visits
    arriving inside ``window``.
    """
    rows = []
    measured = visits[visits["arrival_min"] >= window[0]]
    callbacks = measured[measured["callback"]]
    measured = inbound(measured)
    for name in visits["touchpoint"].cat.categories:
        here = measured[measured["touchpoint"] == name]
        staffed = name in staff_minutes
        row = {
            "touchpoint": name,
            "kind": "staffed" if staffed else "self_service",
            "arrivals": len(here),
            "served": int(here["served"].sum()),
            "callbacks": int(callbacks.loc[callbacks["touchpoint"] == name, "served"].sum()),
            "abandoned": int(here["abandoned"].sum()),
            "mean_service_min": float(here["service_min"].mean()) if len(here) else np.nan,
        }
        if staffed:
            row.update(queue_kpis(here, target_wait_min[name]))
            busy = _busy_minutes(visits[visits["touchpoint"] == name], window)
            staffed_minutes = staff_minutes[name]
            row["staff_hours"] = staffed_minutes / MINUTES_PER_HOUR
            row["utilisation"] = busy / staffed_minutes if staffed_minutes > 0 else np.nan
        else:
            row.update(
                {
                    "mean_wait_min": 0.0,
                    "p_wait": 0.0,
                    "service_level": np.nan,
                    "abandonment_rate": 0.0,
                    "staff_hours": 0.0,
                    "utilisation": np.nan,
                }
            )
        rows.append(row)
    return pd.DataFrame(rows).set_index("touchpoint")


def segment_kpis(
    visits: pd.DataFrame,
    customers: pd.DataFrame,
    staffed: list[str],
    target_wait_min: dict[str, float],
    window_start: float,
) -> pd.DataFrame:
    """One row per segment: customers, journeys completed, waiting KPIs at staffed steps."""
    rows = []
    customers = customers[customers["arrival_min"] >= window_start]
    visits = _staffed(inbound(visits[visits["arrival_min"] >= window_start]), staffed)
    for name in customers["segment"].cat.categories:
        mine = customers[customers["segment"] == name]
        here = visits[visits["segment"] == name]
        targets = here["touchpoint"].map(target_wait_min).astype(float)
        row = {
            "segment": name,
            "customers": len(mine),
            "completed_rate": float((mine["outcome"] == "completed").mean())
            if len(mine)
            else np.nan,
        }
        row.update(queue_kpis(here, targets))
        rows.append(row)
    return pd.DataFrame(rows).set_index("segment")


def hourly_timeseries(
    visits: pd.DataFrame,
    hourly_staff: dict[str, tuple[int, ...]],
    end_min: float,
) -> pd.DataFrame:
    """Per hour and touchpoint: arrivals, served, abandoned, mean queue, staff, utilisation.

    Arrivals, served, abandoned and the queue count the customers' own visits; the
    busy staff include the firm's callbacks."""
    hours = int(np.ceil(end_min / MINUTES_PER_HOUR))
    edges = np.arange(hours + 1) * MINUTES_PER_HOUR
    frames = []
    for name in visits["touchpoint"].cat.categories:
        every = visits[visits["touchpoint"] == name]
        answered = every["outcome"].isin(["served", "in_service"]).to_numpy()
        start = (every["arrival_min"].to_numpy() + every["wait_min"].to_numpy())[answered]
        end = np.minimum(start + every["service_min"].to_numpy()[answered], end_min)
        busy_minutes = interval_occupancy(start, end, edges)
        here = inbound(every)
        arrival = here["arrival_min"].to_numpy()
        wait = here["wait_min"].to_numpy()
        index = np.minimum((arrival // MINUTES_PER_HOUR).astype(int), hours - 1)
        outcome = here["outcome"].to_numpy()
        queue_minutes = interval_occupancy(arrival, arrival + wait, edges)
        staff = (
            np.array(
                [hourly_staff[name][h % len(hourly_staff[name])] for h in range(hours)], dtype=float
            )
            if name in hourly_staff
            else np.zeros(hours)
        )
        frame = pd.DataFrame(
            {
                "hour": np.arange(hours),
                "day": np.arange(hours) // 24,
                "hour_of_day": np.arange(hours) % 24,
                "touchpoint": name,
                "arrivals": np.bincount(index, minlength=hours),
                "served": np.bincount(index[outcome == "served"], minlength=hours),
                "abandoned": np.bincount(index[outcome == "abandoned"], minlength=hours),
                "mean_queue": queue_minutes / MINUTES_PER_HOUR,
                "busy_staff": busy_minutes / MINUTES_PER_HOUR,
                "staff": staff,
            }
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["utilisation"] = np.where(staff > 0, frame["busy_staff"] / staff, np.nan)
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    result["touchpoint"] = pd.Categorical(
        result["touchpoint"], categories=visits["touchpoint"].cat.categories
    )
    return result


def customers_from_journeys(journeys: pd.DataFrame) -> pd.DataFrame:
    """One row per customer, from the journeys table."""
    ordered = journeys.sort_values(["customer_id", "start_min"], kind="stable")
    grouped = ordered.groupby("customer_id", sort=True, observed=True)
    first, last = grouped.head(1).set_index("customer_id"), grouped.tail(1).set_index("customer_id")
    return pd.DataFrame(
        {
            "customer_id": first.index.to_numpy(),
            "segment": first["segment"].array,
            "journey": first["journey"].array,
            "arrival_min": first["start_min"].to_numpy(),
            "end_min": last["end_min"].to_numpy(),
            "outcome": last["status"].array,
            "journeys": grouped.size().to_numpy(),
            "referred": first["referred"].to_numpy(),
            "left": (last["outcome"] == "leave").to_numpy(),
        }
    )


def experience_kpis(
    journeys: pd.DataFrame, window_start: float, counters: dict[str, int] | None
) -> dict[str, float]:
    """Satisfaction, loyalty and word of mouth over journeys that ended in the window.

    ``csat``: share of journeys remembered at 7 or more (the top of the 0-10
    scale: satisfied); ``nps``: promoters (9-10) minus detractors (0-6), in
    points (Reichheld 2003); both count journeys that ended in the window (a
    memory forms at the end, as a survey would be sent then; counting journeys that
    *started* would leave out long journeys still under way, and more so on a short
    horizon); ``retention_rate``: share of decided journeys after which the customer
    stayed; ``leave_after_bad``: the same for leaving, among journeys remembered as
    bad (N2 says about 25%).
    """
    started = journeys[journeys["start_min"] >= window_start]
    measured = journeys[(journeys["end_min"] >= window_start) & journeys["memory_score"].notna()]
    decided = measured[measured["outcome"].isin(["return", "leave"])]
    bad_decided = decided[decided["bad"]]
    count = len(measured)
    retention = float((decided["outcome"] == "return").mean()) if len(decided) else np.nan
    result = {
        "csat": remembered_csat(measured),
        "nps": remembered_nps(measured),
        "mean_memory_score": float(measured["memory_score"].mean()) if count else np.nan,
        "bad_journey_rate": float(measured["bad"].mean()) if count else np.nan,
        "retention_rate": retention,
        "churn_rate": 1.0 - retention,
        "leave_after_bad": float((bad_decided["outcome"] == "leave").mean())
        if len(bad_decided)
        else np.nan,
        "follow_ups": int(measured["followed_up"].sum()),
        "callbacks": int(measured["callbacks"].sum()),
        "referrals": int(started["referred"].sum()),
        "deterred": int((counters or {}).get("deterred", 0)),
    }
    return result


def served_journeys(visits: pd.DataFrame, staffed: list[str]) -> np.ndarray:
    """The ids of journeys served at a staffed touchpoint at least once: those a firm has a
    closed contact for, and so sends a post-contact survey (:mod:`cxsim.survey`).  A
    journey that only hung up (or only used self-service) is not among them."""
    served = visits["served"].to_numpy() & visits["touchpoint"].isin(staffed).to_numpy()
    return np.unique(visits["journey_id"].to_numpy()[served])


def survey_sample(
    journeys: pd.DataFrame,
    visits: pd.DataFrame,
    staffed: list[str],
    window_start: float,
    response_rate: float,
    extremity_bias: float,
    generator: np.random.Generator,
) -> pd.DataFrame:
    """The journeys that ended in the window (those the experience KPIs count), each with
    ``served`` (a staffed contact closed it: surveyed), ``hung_up`` (it ended in a
    hang-up) and ``answered`` (the customer answered the survey).

    The generator draws one number for every journey of the run, in journey order
    (:func:`cxsim.survey.draw_respondents`), after the run: the run's own random
    streams are untouched.  A journey served and then hung up on a later call is both
    ``served`` and ``hung_up``.
    """
    served = journeys["journey_id"].isin(served_journeys(visits, staffed)).to_numpy()
    answered = surveys.draw_respondents(
        journeys["experienced_score"].to_numpy(), served, response_rate, extremity_bias, generator
    )
    sample = journeys.assign(
        served=served, hung_up=(journeys["status"] == "abandoned"), answered=answered
    )
    measured = (sample["end_min"] >= window_start) & sample["memory_score"].notna()
    return sample[measured]


def survey_kpis(sample: pd.DataFrame) -> dict[str, float]:
    """The remembered experience of served and of hung-up journeys, and what the survey
    brings back, from :func:`survey_sample`.

    ``csat_served``, ``nps_served``: ``csat`` and ``nps`` over journeys with a served
    contact (those surveyed); ``csat_abandoned``: over journeys that ended in a
    hang-up (never surveyed unless served on an earlier call); ``survey_csat``,
    ``survey_nps``: over the answers, each the journey's experience when it ended,
    before any follow-up call (``experienced_score``); ``survey_responses``: answers;
    ``survey_response_rate``: answers over journeys surveyed.
    """
    served = sample[sample["served"]]
    hung_up = sample[sample["hung_up"]]
    answers = served.loc[served["answered"], "experienced_score"].to_numpy()
    return {
        "csat_served": remembered_csat(served),
        "nps_served": remembered_nps(served),
        "csat_abandoned": remembered_csat(hung_up),
        "survey_csat": surveys.csat(answers),
        "survey_nps": surveys.nps(answers),
        "survey_responses": len(answers),
        "survey_response_rate": len(answers) / len(served) if len(served) else np.nan,
    }


def remembered_csat(journeys: pd.DataFrame) -> float:
    """``csat`` over these journeys: the share remembered at 7 or more (the same line a
    survey's answers are read by, :func:`cxsim.survey.csat`)."""
    return surveys.csat(journeys["memory_score"].to_numpy())


def remembered_nps(journeys: pd.DataFrame) -> float:
    """``nps`` over these journeys, each answering its remembered score rounded
    (:func:`cxsim.survey.nps`)."""
    return surveys.nps(journeys["memory_score"].to_numpy())


def _headcount(hourly_staff: tuple[int, ...]) -> float:
    """People on the payroll for a rota: staffed hours a day (a weekly rota's daily
    mean) over an 8-hour shift."""
    days_in_cycle = len(hourly_staff) / 24
    return float(np.ceil(sum(hourly_staff) / days_in_cycle / 8))


def customer_flows(
    journeys: pd.DataFrame, segment: str, base: int, window: tuple[float, float], retention=None
) -> tuple[float, int, float]:
    """A segment's customer-years inside ``window`` (an established base counts from the
    start), the customers who joined in it, and those who left after a journey of it.

    Leaving counts every journey started in the window whose customer decided to
    leave, and, for a journey whose customer has not decided yet when the run ends,
    its chance of leaving (``retention`` parameters; 0 without them), so that a short
    horizon does not miss the decisions still to come.
    """
    start, end = window
    mine = journeys[journeys["segment"] == segment]
    first = mine[~mine.duplicated("customer_id") & ~mine["established"]]
    joined = np.clip(first["start_min"].to_numpy(), start, end)
    left_at = np.clip(mine.loc[mine["outcome"] == "leave", "decided_min"].to_numpy(), start, end)
    minutes = base * (end - start) + (end - joined).sum() - (end - left_at).sum()
    measured = mine[mine["start_min"] >= start]
    leaving = float((measured["outcome"] == "leave").sum())
    if retention is not None:
        undecided = measured[(measured["outcome"] == "open") & measured["memory_score"].notna()]
        leaving += float(
            sum(
                leave_probability(
                    score,
                    floor=retention.floor,
                    ceiling=retention.ceiling,
                    midpoint=retention.midpoint,
                    steepness=retention.steepness,
                )
                for score in undecided["memory_score"].to_numpy()
            )
        )
    joined_in = int((first["start_min"].to_numpy() >= start).sum())
    return minutes / MINUTES_PER_DAY / DAYS_PER_YEAR, joined_in, leaving


def yearly_churn(leavers: float, customer_years: float) -> float:
    """Share of customers who leave in a year, from leavers over customer-years
    (a constant hazard: 1 - exp(-leavers / customer-years)).

    >>> round(yearly_churn(128, 1000.0), 3)
    0.12
    """
    if customer_years <= 0:
        return np.nan
    return float(1.0 - np.exp(-leavers / customer_years))


def economic_kpis(
    scenario,
    journeys: pd.DataFrame,
    touchpoint_table: pd.DataFrame,
    window_start: float,
    end_min: float,
    base_customers: dict[str, int] | None = None,
) -> dict[str, float]:
    """The firm's books over the measured window (Q12, N4), in the scenario's currency.

    ``revenue``: the margin of completed purchases plus the relationship margin of
    active customers (a bank's accounts, ``margin_per_customer_month``);
    ``customer_equity``: customers gained minus customers lost, each at their
    lifetime value (a journey whose customer has not decided yet counts at its
    chance of leaving), so that losing customers costs money on any horizon;
    ``profit``: revenue - cost + customer_equity.  ``clv`` is a customer's lifetime
    value at this run's yearly churn; ``churn_per_year`` that churn.
    """
    economics, levers, behaviour = scenario.economics, scenario.levers, scenario.behaviour
    window = (window_start, end_min)
    days = (end_min - window_start) / MINUTES_PER_DAY
    measured = journeys[journeys["start_min"] >= window_start]
    purchase_revenue = float(measured["revenue"].sum())
    staff_cost = training_cost = 0.0
    for touchpoint in scenario.touchpoints:
        if touchpoint.kind != "staffed":
            continue
        rate = (
            touchpoint.staff_cost_per_hour
            if touchpoint.staff_cost_per_hour is not None
            else economics.staff_cost_per_hour
        )
        staff_cost += rate * float(touchpoint_table.loc[touchpoint.name, "staff_hours"])
        if levers is not None and touchpoint.operator == "in_house":
            training_cost += (
                levers.training
                * economics.training_cost_per_staff_per_day
                * _headcount(touchpoint.hourly_staff)
                * days
            )
    follow_ups = int(measured["followed_up"].sum()) if "followed_up" in measured else 0
    follow_up_cost = follow_ups * economics.follow_up_cost_per_contact
    callbacks = int(measured["callbacks"].sum())
    callback_cost = callbacks * economics.callback_cost_per_contact
    cost = staff_cost + training_cost + follow_up_cost + callback_cost
    result = {
        "revenue": purchase_revenue,
        "relationship_revenue": 0.0,
        "staff_cost": staff_cost,
        "training_cost": training_cost,
        "follow_up_cost": float(follow_up_cost),
        "callback_cost": float(callback_cost),
        "cost": cost,
        "customer_equity": 0.0,
        "churn_per_year": np.nan,
        "clv": np.nan,
    }
    if behaviour is None or scenario.customer_base == "one_off" or "established" not in journeys:
        result["profit"] = purchase_revenue - cost
        return result
    retention = behaviour.retention
    discount = economics.discount_rate_per_year
    total_years = total_leavers = 0.0
    equity = relationship = weighted_clv = 0.0
    for segment, gap_days, churn_reference in _segment_terms(scenario):
        name = segment.name
        base = (base_customers or {}).get(name, 0)
        years, joined, left = customer_flows(journeys, name, base, window, retention)
        total_years += years
        total_leavers += left
        margin_month = (
            segment.margin_per_month
            if segment.margin_per_month is not None
            else economics.margin_per_customer_month
        )
        per_purchase = (
            segment.revenue_per_purchase
            if segment.revenue_per_purchase is not None
            else economics.revenue_per_purchase
        )
        margin_year = 12 * margin_month + DAYS_PER_YEAR / gap_days * per_purchase
        relationship += margin_month * 12 * years
        churn_here = yearly_churn(left, years)
        reference = churn_reference if churn_reference is not None else churn_here
        value = customer_lifetime_value(
            margin_year, 1.0 - (0.0 if np.isnan(reference) else reference), discount
        )
        equity += value * (joined - left)
        if not np.isnan(churn_here):
            weighted_clv += years * customer_lifetime_value(margin_year, 1.0 - churn_here, discount)
    revenue = purchase_revenue + relationship
    result.update(
        {
            "revenue": revenue,
            "relationship_revenue": relationship,
            "customer_equity": equity,
            "profit": revenue - cost + equity,
            "churn_per_year": yearly_churn(total_leavers, total_years),
            "clv": weighted_clv / total_years if total_years > 0 else np.nan,
        }
    )
    return result


def _segment_terms(scenario):
    """Per segment: the segment, the mean days between its customers' journeys, and the
    yearly churn its value is reckoned at (an established base's; else None: the run's)."""
    if scenario.customer_base == "established":
        flows = segment_flows(scenario)
        return [
            (segment, flow.gap_days, segment.base.churn_per_year)
            for segment, flow in zip(scenario.segments, flows, strict=True)
        ]
    default_gap = scenario.behaviour.segment_defaults.inter_purchase_days
    return [
        (segment, (segment.inter_purchase_days or default_gap).build().mean, None)
        for segment in scenario.segments
    ]


def daily_timeseries(
    journeys: pd.DataFrame,
    staff_days: dict[str, list] | None,
    end_min: float,
    base_customers: int = 0,
) -> pd.DataFrame:
    """Per day: journeys started (new and returning), customers active, mean remembered
    score of journeys ending that day, revenue, and (behaviour only) the mean morale and
    courtesy of in-house staff."""
    days = int(np.ceil(end_min / MINUTES_PER_DAY))
    start_day = np.minimum(
        (journeys["start_min"].to_numpy() // MINUTES_PER_DAY).astype(int), days - 1
    )
    first = ~journeys.duplicated("customer_id").to_numpy()
    established = (
        journeys["established"].to_numpy()
        if "established" in journeys
        else np.zeros(len(journeys), dtype=bool)
    )
    new = first & ~established
    end = journeys["end_min"].to_numpy()
    ended = ~np.isnan(end)
    end_day = np.minimum((end[ended] // MINUTES_PER_DAY).astype(int), days - 1)
    memory = journeys["memory_score"].to_numpy()[ended]
    revenue = journeys["revenue"].to_numpy()[ended]
    has_memory = ~np.isnan(memory)
    score_sum = np.bincount(end_day[has_memory], weights=memory[has_memory], minlength=days)
    score_count = np.bincount(end_day[has_memory], minlength=days)
    # Active: the established base, plus newcomers up to the day, minus those who left.
    left = journeys[journeys["outcome"] == "leave"]
    leave_day = (left["decided_min"].to_numpy() // MINUTES_PER_DAY).astype(int)
    joined = base_customers + np.cumsum(np.bincount(start_day[new], minlength=days))
    gone = np.cumsum(np.bincount(np.minimum(leave_day, days - 1), minlength=days))
    with np.errstate(invalid="ignore", divide="ignore"):
        satisfaction = np.where(score_count > 0, score_sum / np.maximum(score_count, 1), np.nan)
    frame = pd.DataFrame(
        {
            "day": np.arange(days),
            "new_customers": np.bincount(start_day[new], minlength=days),
            "returning_journeys": np.bincount(start_day[~new], minlength=days),
            "active_customers": joined - gone,
            "satisfaction": satisfaction,
            "revenue": np.bincount(end_day, weights=revenue, minlength=days),
        }
    )
    if staff_days:
        staff = pd.DataFrame(staff_days)
        staff = staff[~staff["morale"].isna()] if len(staff) else staff
        if len(staff):
            means = staff.groupby("day")[["morale", "courtesy", "utilisation"]].mean()
            frame = frame.merge(means, left_on="day", right_index=True, how="left")
    return frame


def morale_effect(
    visits: pd.DataFrame, journeys: pd.DataFrame, memory: str, window_start: float
) -> pd.DataFrame:
    """How much staff morale moved satisfaction, measured on one sample path.

    Every in-house staffed contact was also scored as if staff morale had stayed at
    its reference level (``score_without_morale``: the same customer, wait,
    resolution and agent's day).  Each journey that ended in the window is
    remembered both ways; the table gives CSAT, NPS and the mean remembered score as
    they were and without the morale term, and their paired difference with a 95%
    interval (normal approximation over journeys).  A follow-up call's lift is kept
    in both.
    """
    ended = journeys[(journeys["end_min"] >= window_start) & journeys["memory_score"].notna()]
    scored = visits[visits["score"].notna() & visits["journey_id"].isin(ended["journey_id"])]
    scored = scored.sort_values(["journey_id", "arrival_min"], kind="stable")
    without = scored["score_without_morale"].fillna(scored["score"])
    journey_of = scored["journey_id"].to_numpy()
    contacts = without.groupby(journey_of).size()
    remembered = without.groupby(journey_of).first()  # one contact: remembered as it was
    several = contacts.index[contacts > 1]
    if len(several):
        mask = np.isin(journey_of, several)
        remembered.loc[several] = (
            without[mask]
            .groupby(journey_of[mask])
            .agg(lambda scores: remember_journey(list(scores), memory))
        )
    actual = ended.set_index("journey_id")
    lift = (actual["memory_score"] - actual["experienced_score"]).fillna(0.0)
    counterfactual = (
        remembered.reindex(actual.index).fillna(actual["experienced_score"]) + lift
    ).clip(upper=10.0)
    recommend = recommend_scores(counterfactual)
    rows = {}
    per_journey = {
        "csat": ((actual["memory_score"] >= 7).astype(float), (counterfactual >= 7).astype(float)),
        "nps": (
            pd.Series(promoter_points(actual["recommend"]), index=actual.index),
            pd.Series(promoter_points(recommend), index=actual.index),
        ),
        "mean_memory_score": (actual["memory_score"], counterfactual),
    }
    for kpi, (was, had) in per_journey.items():
        difference = (was - had).to_numpy(dtype=float)
        count = len(difference)
        mean = float(difference.mean()) if count else np.nan
        half = float(1.96 * difference.std(ddof=1) / np.sqrt(count)) if count > 1 else np.nan
        rows[kpi] = {
            "actual": float(was.mean()) if count else np.nan,
            "without_morale": float(had.mean()) if count else np.nan,
            "difference": mean,
            "ci_low": mean - half,
            "ci_high": mean + half,
        }
    return pd.DataFrame(rows).T
