"""What the world is: a validated, frozen description of one simulated firm.

A scenario names the customer segments, how many arrive and when, the
touchpoints (staffed queues or self-service steps), the journeys that chain
touchpoints, and named policies that override any of it.  Files are YAML;
see ``data/README.md`` for the fields.  Time is in minutes unless a field's
name says otherwise (``horizon_days``, ``rate_per_hour``).

Every mistake in a file becomes one :class:`ScenarioError` naming the file,
the field path and what is allowed; nothing is silently "fixed".
"""

from __future__ import annotations

import copy
import difflib
import math
import reprlib
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Context
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import distributions as dists
from .clock import DAYS_PER_WEEK, HOURS_PER_DAY, HOURS_PER_WEEK, Profile, open_periods
from .i18n import N_, Text, _, format_number, join_list, translate_name

__all__ = [
    "ScenarioError",
    "Scenario",
    "Segment",
    "Arrivals",
    "Touchpoint",
    "Journey",
    "Step",
    "validate_scenario",
    "apply_overrides",
]

MINUTES_PER_DAY = 1440.0
# A guard against inputs that would run for hours instead of seconds.
MAX_EXPECTED_ARRIVALS = 20_000_000
# Upper bounds no instructor needs, so that no input overflows a float or runs
# forever (issue 19); tests/test_bounds.py fails for a numeric field without one.
MAX_RATE_PER_HOUR = 1_000_000
MAX_MINUTES = 525_600  # a year
MAX_DAYS = 3_660  # ten years
MAX_CV = 100
MAX_STAFF = 100_000
MAX_CAPACITY_PER_DAY = 100_000
MAX_MONEY = 10**12
MAX_SCORE = 10  # scores run from 0 to 10
MAX_WEIGHT = 100  # score points, weights and sensitivities: far beyond the 0-10 scale
MAX_STEEPNESS = 50
MAX_PRIORITY = 1_000
MAX_HOURLY_MULTIPLIER = 1_000
MAX_CUSTOMERS = 100_000_000  # an established base: more customers than any bank has
MAX_REDIALS = 5  # a caller redials a few times at most: no parameter set makes a retrial storm
# What a run may cost beyond its arrivals: visits (arrivals times the steps of their
# journeys, returns included) and rows of the hourly table (hours times touchpoints;
# the rota ticks once an hour for each touchpoint too).
MAX_EXPECTED_VISITS = 20_000_000
MAX_HOURLY_ROWS = 2_000_000
# The shape of a file, checked before anything else reads it (issue 19): a YAML alias
# bomb or a thousand nested brackets must fail in milliseconds, not exhaust memory or
# the interpreter's stack.  The bundled scenarios nest 6 levels and hold under 400 values.
MAX_NESTING = 20
MAX_VALUES = 20_000  # every use of a YAML alias counts its values again
MAX_TEXT = 10_000  # characters in one name, description or other text
MAX_FILE_BYTES = 1_000_000
MAX_ITEMS = 100  # segments, touchpoints, journeys, steps of a journey
MAX_POLICIES = 50
MAX_SAMPLE_VALUES = 100_000  # an empirical distribution's observations
MAX_SAMPLE_BYTES = 10_000_000  # the CSV file they are read from
MAX_PATH_SHOWN = 120  # characters of a field path in an error message


class ScenarioError(ValueError):
    """A scenario that cannot be simulated, with where and why in one line."""

    def __init__(self, source: str, path: str, problem: str):
        self.source, self.path, self.problem = source, path, problem
        # One printable line whatever the file holds: a key with a newline or a lone
        # surrogate in it, or a path 20 levels deep, must not break the message.
        path = one_line(path, limit=MAX_PATH_SHOWN)
        where = f"{one_line(source)}: {path}: " if path else f"{one_line(source)}: "
        super().__init__(where + one_line(problem))

    def __reduce__(self):  # so the error survives a trip back from a worker process
        return (type(self), (self.source, self.path, self.problem))


# Characters that would end a line, or not print at all, in an error message; and the
# bidirectional embeddings, overrides and isolates, which would reorder the rest of it
# (the marks U+200E/F and Persian's zero-width non-joiner are the messages' own).
_UNPRINTABLE = frozenset({"Cc", "Cs", "Zl", "Zp"})
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unprintable(char: str) -> bool:
    return char in _REORDERING or unicodedata.category(char) in _UNPRINTABLE


def one_line(text: str, *, limit: int | None = None) -> str:
    """``text`` with line breaks, control characters, bidirectional overrides and lone
    surrogates escaped (``\\n``, ``\\u202e``, ``\\ud800``), and its middle cut out
    if it is longer than ``limit``."""
    if not text.isascii() or not text.isprintable():
        text = "".join(
            char.encode("unicode_escape").decode("ascii") if _unprintable(char) else char
            for char in text
        )
    if limit is not None and len(text) > limit:
        text = text[: limit // 2] + "…" + text[-(limit // 2 - 1) :]
    return text


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def _integral_to_int(value: Any) -> Any:
    # 1e300 for a count: report it against the bound, not as a parsing failure
    return int(value) if isinstance(value, float) and value.is_integer() else value


#: Reads an empirical distribution's values: (file under data/, column) -> values.
ColumnReader = Callable[[str, str], tuple[float, ...]]
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Score = Annotated[float, Field(ge=0, le=MAX_SCORE, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT, allow_inf_nan=False)]
Minutes = Annotated[float, Field(gt=0, le=MAX_MINUTES, allow_inf_nan=False)]
# Distribution parameters serve minutes and days alike: a year in minutes bounds both.
DistValue = Minutes
Days = Annotated[float, Field(gt=0, le=MAX_DAYS, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False)]
Staff = Annotated[int, Field(ge=0, le=MAX_STAFF)]
Multiplier = Annotated[float, Field(ge=0, le=MAX_HOURLY_MULTIPLIER, allow_inf_nan=False)]


# --------------------------------------------------------------------------- distributions
class ExponentialSpec(_Model):
    dist: Literal["exponential"]
    mean: DistValue

    def build(self) -> dists.Distribution:
        return dists.Exponential(self.mean)


class LognormalSpec(_Model):
    dist: Literal["lognormal"]
    mean: DistValue
    cv: Annotated[float, Field(gt=0, le=MAX_CV, allow_inf_nan=False)]

    def build(self) -> dists.Distribution:
        return dists.Lognormal(self.mean, self.cv)


class DeterministicSpec(_Model):
    dist: Literal["deterministic"]
    value: DistValue

    def build(self) -> dists.Distribution:
        return dists.Deterministic(self.value)


class UniformSpec(_Model):
    dist: Literal["uniform"]
    low: Annotated[float, Field(ge=0, le=MAX_MINUTES, allow_inf_nan=False)]
    high: DistValue

    @model_validator(mode="after")
    def _ordered(self) -> UniformSpec:
        if self.high <= self.low:
            raise ValueError(f"high ({self.high:g}) must be greater than low ({self.low:g})")
        return self

    def build(self) -> dists.Distribution:
        return dists.Uniform(self.low, self.high)


class EmpiricalSpec(_Model):
    """Observed values from a CSV column; ``file`` is relative to ``data/``."""

    dist: Literal["empirical"]
    file: str
    column: str
    # The default is never used: _load reads the file's values, and `values: []` is too short.
    values: tuple[DistValue, ...] = Field(default=(), min_length=1, max_length=MAX_SAMPLE_VALUES)

    @model_validator(mode="before")
    @classmethod
    def _load(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, Mapping) or "values" in data:
            return data
        if "file" not in data or "column" not in data:
            return data
        read_column = (info.context or {}).get("read_column")
        if read_column is None:  # the schema reads no files: the catalogue hands a reader in
            raise ValueError(
                _(
                    "an empirical distribution's file is read when the scenario "
                    "is loaded (cxsim.load_scenario); give its values instead"
                )
            )
        values = read_column(str(data["file"]), str(data["column"]))
        return {**data, "values": values}

    def build(self) -> dists.Distribution:
        return dists.Empirical(self.values)


DistSpec = Annotated[
    ExponentialSpec | LognormalSpec | DeterministicSpec | UniformSpec | EmpiricalSpec,
    Field(discriminator="dist"),
]
DIST_NAMES = ("exponential", "lognormal", "deterministic", "uniform", "empirical")


# --------------------------------------------------------------------------- the world
def _check_profile(
    profile: tuple[float, ...] | None, *, values: str, period: str
) -> tuple[float, ...] | None:
    """A profile has one multiplier per hour (or day) and some demand somewhere."""
    if profile is not None:
        length = HOURS_PER_DAY if period == "hour" else DAYS_PER_WEEK
        if len(profile) != length:
            raise ValueError(f"needs {length} {values}, got {len(profile)}")
        if max(profile) <= 0:
            raise ValueError(f"needs at least one {period} with a multiplier above 0")
    return profile


def _check_hourly_profile(profile: tuple[float, ...] | None) -> tuple[float, ...] | None:
    return _check_profile(profile, values="hourly values", period="hour")


class Arrivals(_Model):
    """New customers: a Poisson stream, optionally shaped by hour of day and day of week.

    ``weekly_profile`` has 7 multipliers, day 0 of a run being a Saturday (the
    first day of the Iranian week); the rate in an hour is ``rate_per_hour``
    times both multipliers.
    """

    rate_per_hour: Annotated[float, Field(gt=0, le=MAX_RATE_PER_HOUR, allow_inf_nan=False)]
    hourly_profile: tuple[Multiplier, ...] | None = None
    weekly_profile: tuple[Multiplier, ...] | None = None

    @field_validator("weekly_profile")
    @classmethod
    def _7_days(cls, profile: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return _check_profile(profile, values="daily values (day 0 is a Saturday)", period="day")

    @field_validator("hourly_profile")
    @classmethod
    def _24_hours(cls, profile: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return _check_hourly_profile(profile)

    @property
    def profile(self) -> Profile:
        """When customers come, hour by hour over a day (or a week)."""
        return Profile.combine(self.hourly_profile, self.weekly_profile)


class SegmentBase(_Model):
    """An established firm's customers in one segment, at their steady state.

    ``customers``: how many the segment has when the run starts; ``new_per_day``:
    new customers who come of their own accord each day (word of mouth adds or
    removes some); ``churn_per_year``: the share who leave in a year.  Under the
    scenario's baseline, newcomers replace leavers, so the base and the daily
    volume stay level; ``scripts/calibrate_base.py`` computes the last two.
    """

    customers: Annotated[int, BeforeValidator(_integral_to_int), Field(ge=1, le=MAX_CUSTOMERS)]
    new_per_day: Annotated[float, Field(ge=0, le=MAX_RATE_PER_HOUR, allow_inf_nan=False)]
    churn_per_year: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]


class Segment(_Model):
    """A group of customers who share a journey, patience and priority."""

    name: str
    share: Probability
    journey: str
    patience_min: DistSpec | None = None
    priority: Annotated[
        int, BeforeValidator(_integral_to_int), Field(ge=-MAX_PRIORITY, le=MAX_PRIORITY)
    ] = 0
    # Behaviour (used when the scenario has a behaviour: section; None = the default)
    expected_wait_min: DistSpec | None = None
    expected_courtesy: Probability | None = None
    inter_purchase_days: DistSpec | None = None
    revenue_per_purchase: Money | None = None
    margin_per_month: Money | None = None
    # An established firm's customers in this segment (customer_base: established)
    base: SegmentBase | None = None
    # When this segment's returning and referred customers come, if not as arrivals.hourly_profile
    hourly_profile: tuple[Multiplier, ...] | None = None

    @field_validator("hourly_profile")
    @classmethod
    def _24_hours(cls, profile: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return _check_hourly_profile(profile)


class Touchpoint(_Model):
    """A place where customers meet the firm.

    ``staffed``: a queue served by ``staff`` people (a number; 24 hourly
    numbers; or a week of them: 7 lists of 24, or 168 numbers, day 0 a Saturday);
    customers who run out of patience abandon.  An hour with 0 staff is closed:
    nobody queues there (see :attr:`Step.when_closed`).  ``self_service``: a delay
    with no queue (a website, an app), always open.
    """

    name: str
    kind: Literal["staffed", "self_service"]
    service_min: DistSpec
    staff: Staff | tuple[Staff, ...] | None = None
    target_wait_min: Minutes = 5.0  # N1: three quarters expect service within five minutes
    # Behaviour (used when the scenario has a behaviour: section; None = the default)
    courtesy: Probability | None = None
    courtesy_sd: Weight | None = None
    resolution_probability: Probability | None = None
    operator: Literal["in_house", "agent"] = "in_house"  # Q14: agents count against the brand
    staff_cost_per_hour: Money | None = None

    @field_validator("staff", mode="before")
    @classmethod
    def _whole_numbers(cls, staff: Any) -> Any:
        def check(value: Any) -> Any:
            if isinstance(value, bool) or (
                isinstance(value, float) and not float(value).is_integer()
            ):
                raise ValueError(f"needs a whole number of people, got {value!r}")
            return _integral_to_int(value)

        if isinstance(staff, list | tuple):
            if len(staff) == DAYS_PER_WEEK and all(isinstance(day, list | tuple) for day in staff):
                if any(len(day) != HOURS_PER_DAY for day in staff):
                    raise ValueError("a weekly rota needs 7 lists of 24 hourly numbers")
                staff = [value for day in staff for value in day]
            if len(staff) not in (HOURS_PER_DAY, HOURS_PER_WEEK):
                raise ValueError(
                    f"needs one number, 24 hourly numbers or a week of them "
                    f"(7 lists of 24), got {len(staff)} values"
                )
            return [check(value) for value in staff]
        return check(staff)

    @model_validator(mode="after")
    def _staff_matches_kind(self) -> Touchpoint:
        if self.kind == "staffed" and self.staff is None:
            raise ValueError("a staffed touchpoint needs 'staff' (a number or 24 hourly numbers)")
        if self.kind == "self_service" and self.staff is not None:
            raise ValueError("a self_service touchpoint has no 'staff'; use kind: staffed")
        return self

    def staff_at_hour(self, hour: int) -> int:
        """People on duty in hour ``hour`` of the run (0-23 is day 0)."""
        if self.staff is None:
            return 0
        if isinstance(self.staff, tuple):
            return self.staff[hour % len(self.staff)]
        return self.staff

    @property
    def hourly_staff(self) -> tuple[int, ...]:
        """The rota's cycle: staff hour by hour over a day (24 values) or a week (168)."""
        if isinstance(self.staff, tuple):
            return self.staff
        return tuple(self.staff_at_hour(hour) for hour in range(HOURS_PER_DAY))

    def staff_hours_on_day(self, day: int) -> int:
        """Staffed hours (people x hours) on day ``day`` of the run."""
        return sum(self.staff_at_hour(day * HOURS_PER_DAY + hour) for hour in range(HOURS_PER_DAY))

    @property
    def open_hours(self) -> tuple[bool, ...]:
        """Whether each hour of the rota's cycle is open (staff above 0); self-service
        touchpoints are always open."""
        if self.kind != "staffed":
            return (True,) * HOURS_PER_DAY
        return open_periods(self.hourly_staff)


class Step(_Model):
    """One touchpoint in a journey, visited with ``probability`` (else skipped).

    ``when_closed``: what a customer does who reaches a staffed touchpoint in an
    hour it is closed: come back in its next open period, at a time people come
    (``next_open``, as shoppers return when the shop opens); go on to the next
    step (``skip``); or end the journey there (``leave``).
    """

    touchpoint: str
    probability: Probability = 1.0
    when_closed: Literal["next_open", "skip", "leave"] = "next_open"


class Journey(_Model):
    name: str
    steps: tuple[Step, ...] = Field(min_length=1, max_length=MAX_ITEMS)


class ContactParameters(_Model):
    early_gain: Weight
    late_loss_per_min: Weight
    max_late_loss: Weight
    courtesy_weight: Weight
    unresolved_penalty: Weight
    abandon_penalty: Weight
    broken_promise_penalty: Weight
    promise_credibility: Probability


class SelfServiceParameters(_Model):
    score_mean: Score
    score_sd: Score


class UnresolvedParameters(_Model):
    retry_probability: Probability
    retry_delay_min: Minutes


class RedialParameters(_Model):
    """Callers who hang up and call again (retrials, Aguir et al. 2004)."""

    probability: Probability
    delay_min: Minutes
    max_redials: Annotated[int, BeforeValidator(_integral_to_int), Field(ge=0, le=MAX_REDIALS)]


class RetentionParameters(_Model):
    floor: Probability
    ceiling: Probability
    midpoint: Score
    steepness: Annotated[float, Field(gt=0, le=MAX_STEEPNESS, allow_inf_nan=False)]
    decision_days: Annotated[float, Field(ge=0, le=MAX_DAYS, allow_inf_nan=False)]


class WordOfMouthParameters(_Model):
    referral_probability: Probability
    deterrence_probability: Probability
    referral_delay_days: Days


class MoraleParameters(_Model):
    initial: Probability
    base: Probability
    comfortable_load: Probability
    overload_sensitivity: Weight
    training_lift: Weight
    adjustment_days: Days
    training_effect: Weight
    morale_effect: Weight
    reference_morale: Probability


class SurveyParameters(_Model):
    """The firm's post-contact survey (:mod:`cxsim.survey`): it measures, it changes nothing."""

    response_rate: Probability
    extremity_bias: Weight


class TouchpointDefaults(_Model):
    courtesy: Probability
    courtesy_sd: Weight
    resolution_probability: Probability


class SegmentDefaults(_Model):
    expected_wait_min: DistSpec
    expected_courtesy: Probability
    inter_purchase_days: DistSpec


class Behaviour(_Model):
    """How customers feel and act; see ``data/defaults.yaml`` and ``docs/model.md``."""

    memory: Literal["peak_end", "average"]
    perceived_wait_factor: Annotated[float, Field(ge=1, le=MAX_WEIGHT, allow_inf_nan=False)]
    bad_memory_below: Score
    contact: ContactParameters
    self_service: SelfServiceParameters
    unresolved: UnresolvedParameters
    redial: RedialParameters
    retention: RetentionParameters
    word_of_mouth: WordOfMouthParameters
    morale: MoraleParameters
    survey: SurveyParameters
    touchpoint_defaults: TouchpointDefaults
    segment_defaults: SegmentDefaults


class Economics(_Model):
    """The firm's books: prices and costs, in ``currency``."""

    currency: Literal["toman", "rial", "usd", "eur"]
    revenue_per_purchase: Money
    margin_per_customer_month: Money
    staff_cost_per_hour: Money
    training_cost_per_staff_per_day: Money
    follow_up_cost_per_contact: Money
    callback_cost_per_contact: Money
    # above 0: a customer nobody saw leave (churn 0) would otherwise be worth infinitely much
    discount_rate_per_year: Annotated[float, Field(gt=0, le=MAX_WEIGHT, allow_inf_nan=False)]


class FollowUp(_Model):
    """Calls to customers after a bad journey, made in the team's working hours."""

    enabled: bool
    window_days: Days
    capacity_per_day: Annotated[
        int, BeforeValidator(_integral_to_int), Field(ge=0, le=MAX_CAPACITY_PER_DAY)
    ]
    recovery_points: Score
    working_hours: tuple[Annotated[int, Field(ge=0, le=24)], Annotated[int, Field(ge=0, le=24)]]

    @field_validator("working_hours")
    @classmethod
    def _ordered(cls, hours: tuple[int, int]) -> tuple[int, int]:
        if hours[1] <= hours[0]:
            raise ValueError(f"needs [start, end] hours with start before end, got {list(hours)}")
        return hours


class Callback(_Model):
    """Calling back customers who hung up: a virtual queue the same staff serve.

    A caller who hangs up (and does not redial) is put on the callback list, up to
    ``capacity_per_day`` a day; the callback waits for a free agent behind the
    callers on hold (``served: after_inbound``) or in turn with them
    (``in_turn``), and is dropped if not made within ``window_hours`` or before the
    touchpoint closes.  A callback made reaches the customer with
    ``reach_probability``; otherwise the agent lets it ring briefly and the journey
    stays a hang-up.  ``touchpoints``: where it applies (None: every staffed one).
    """

    enabled: bool
    touchpoints: tuple[str, ...] | None = Field(default=None, max_length=MAX_ITEMS)
    served: Literal["after_inbound", "in_turn"]
    capacity_per_day: Annotated[
        int, BeforeValidator(_integral_to_int), Field(ge=0, le=MAX_CAPACITY_PER_DAY)
    ]
    window_hours: Annotated[float, Field(gt=0, le=HOURS_PER_DAY, allow_inf_nan=False)]
    reach_probability: Probability
    delay_felt_share: Probability


class Levers(_Model):
    """What a policy can buy: courtesy training, a promised response time, follow-up,
    callbacks."""

    training: Probability
    promise_min: Minutes | None
    follow_up: FollowUp
    callback: Callback


class Scenario(_Model):
    """A whole simulated firm.  Build one with :func:`cxsim.load_scenario`."""

    name: str
    description: str = ""
    horizon_days: Days
    warmup_days: Annotated[float, Field(ge=0, le=MAX_DAYS, allow_inf_nan=False)] = 0.0
    arrivals: Arrivals
    segments: tuple[Segment, ...] = Field(min_length=1, max_length=MAX_ITEMS)
    touchpoints: tuple[Touchpoint, ...] = Field(min_length=1, max_length=MAX_ITEMS)
    journeys: tuple[Journey, ...] = Field(min_length=1, max_length=MAX_ITEMS)
    # Who the customers are when the run starts (behaviour only): ``opening``: nobody
    # yet, a new firm whose customers come back and build a base; ``established``: a
    # going concern with each segment's ``base`` at its steady state; ``one_off``:
    # every customer comes once (passengers do not pick an airport for its security).
    customer_base: Literal["opening", "established", "one_off"] = "opening"
    behaviour: Behaviour | None = None
    economics: Economics | None = None
    levers: Levers | None = None
    policies: dict[str, dict[str, Any]] = Field(default_factory=dict, max_length=MAX_POLICIES)
    source: str = Field(default="<mapping>", exclude=True)
    # what it was validated with (defaults, the file reader): its variants use them too
    _inputs: tuple[Mapping[str, Any], ColumnReader | None] = PrivateAttr(default=({}, None))

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        _check_unique(self.segments, "segments")
        _check_unique(self.touchpoints, "touchpoints")
        _check_unique(self.journeys, "journeys")
        total = sum(segment.share for segment in self.segments)
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            shares = " + ".join(f"{segment.share:g}" for segment in self.segments)
            raise _FieldError(
                "segments",
                _("shares must sum to 1, got {shares} = {total:g}", shares=shares, total=total),
            )
        journey_names = [journey.name for journey in self.journeys]
        for index, segment in enumerate(self.segments):
            if segment.journey not in journey_names:
                raise _FieldError(
                    f"segments[{index}].journey",
                    _unknown("journey", segment.journey, journey_names),
                )
        touchpoint_names = [touchpoint.name for touchpoint in self.touchpoints]
        for j, journey in enumerate(self.journeys):
            for s, step in enumerate(journey.steps):
                if step.touchpoint not in touchpoint_names:
                    raise _FieldError(
                        f"journeys[{j}].steps[{s}].touchpoint",
                        _unknown("touchpoint", step.touchpoint, touchpoint_names),
                    )
        self._check_customer_base()
        if self.levers is not None and self.behaviour is None:
            raise _FieldError(
                "levers",
                _(
                    "levers need a behaviour: section (courtesy, memory, "
                    "retention); add 'behaviour: {}' for the defaults"
                ),
            )
        if self.levers is not None and self.levers.callback.touchpoints is not None:
            staffed = [t.name for t in self.touchpoints if t.kind == "staffed"]
            for index, name in enumerate(self.levers.callback.touchpoints):
                if name not in staffed:
                    raise _FieldError(
                        f"levers.callback.touchpoints[{index}]",
                        _unknown("staffed touchpoint", name, staffed),
                    )
        expected = self.expected_arrivals
        if expected > MAX_EXPECTED_ARRIVALS:
            raise _FieldError(
                "arrivals.rate_per_hour",
                _(
                    "about {expected:,.0f} arrivals over {days:g} days is more than the "
                    "{limit:,} a run allows; lower the rate or the horizon",
                    expected=expected,
                    days=self.total_days,
                    limit=MAX_EXPECTED_ARRIVALS,
                ),
            )
        visits = self.expected_visits
        if not visits <= MAX_EXPECTED_VISITS:  # NaN too
            raise _FieldError(
                "arrivals.rate_per_hour",
                _(
                    "about {visits} visits over {days:g} days (arrivals, their returns and "
                    "the friends they bring, at every step of their journeys) is more than the "
                    "{limit:,} a run allows; lower the rate or the horizon, or make returns and "
                    "referrals rarer",
                    # an explosive referral chain: 1e+40 or inf, not 40 digits
                    visits=format_number(visits, ",.0f" if visits < 1e15 else ".3g"),
                    days=self.total_days,
                    limit=MAX_EXPECTED_VISITS,
                ),
            )
        hours = math.ceil(self.total_days * HOURS_PER_DAY)
        rows = hours * len(self.touchpoints)
        if rows > MAX_HOURLY_ROWS:
            raise _FieldError(
                "horizon_days",
                _(
                    "{hours:,} hours (warm-up included) at {touchpoints} touchpoints make "
                    "{rows:,} rows of hourly figures, more than the {limit:,} a run allows; "
                    "shorten the horizon or the warm-up",
                    hours=hours,
                    touchpoints=len(self.touchpoints),
                    rows=rows,
                    limit=MAX_HOURLY_ROWS,
                ),
            )
        return self

    def _check_customer_base(self) -> None:
        established = self.customer_base == "established"
        if self.customer_base != "opening" and self.behaviour is None:
            raise _FieldError(
                "customer_base",
                _(
                    "{value!r} needs a behaviour: section (customers who remember and return); "
                    "allowed without one: 'opening'",
                    value=self.customer_base,
                ),
            )
        for index, segment in enumerate(self.segments):
            if segment.base is None:
                if established:
                    raise _FieldError(
                        f"segments[{index}].base",
                        _(
                            "an established customer base needs each segment's base: "
                            "customers, new_per_day and churn_per_year (scripts/calibrate_base.py "
                            "computes the last two)"
                        ),
                    )
                continue
            if not established:
                raise _FieldError(
                    f"segments[{index}].base",
                    _(
                        "a segment's base needs customer_base: established, got {value!r}",
                        value=self.customer_base,
                    ),
                )
            if segment.inter_purchase_days is not None:
                raise _FieldError(
                    f"segments[{index}].inter_purchase_days",
                    _(
                        "an established segment's customers call as often as its base and the "
                        "arrival rate say; remove inter_purchase_days"
                    ),
                )
            daily = self.segment_journeys_per_day(index)
            if segment.base.new_per_day >= daily:
                raise _FieldError(
                    f"segments[{index}].base.new_per_day",
                    _(
                        "{new:g} new customers a day must be fewer than the segment's "
                        "{daily:g} journeys a day (arrivals.rate_per_hour x share)",
                        new=segment.base.new_per_day,
                        daily=daily,
                    ),
                )

    # -- derived quantities -------------------------------------------------
    def segment_journeys_per_day(self, index: int) -> float:
        """Journeys a day the segment makes at the arrival rate (a weekly profile's mean)."""
        weights = self.arrivals.profile.weights
        days_in_cycle = len(weights) / HOURS_PER_DAY
        return (
            self.arrivals.rate_per_hour * sum(weights) / days_in_cycle * self.segments[index].share
        )

    @property
    def total_days(self) -> float:
        """Warm-up plus measured horizon: the whole simulated time in days."""
        return self.warmup_days + self.horizon_days

    @property
    def expected_arrivals(self) -> float:
        weights = self.arrivals.profile.weights
        days_in_cycle = len(weights) / HOURS_PER_DAY
        return self.arrivals.rate_per_hour * sum(weights) / days_in_cycle * self.total_days

    @property
    def expected_visits(self) -> float:
        """About how many visits a run makes, for the run-size guard: the arrivals, their
        returns and the friends they bring, each through every step of its journey.

        An estimate from above: a new firm's customer (``customer_base: opening``) comes
        back at the mean gap between purchases from the middle of the run on, until the
        retention floor has most likely made them leave; every journey counts as a
        promoter's, and referrals chain once a ``referral_delay_days``.  Redials and
        retries (a few per visit at most) are left out.
        """
        days = self.total_days
        arrivals = self.expected_arrivals
        if self.customer_base == "established":
            # The model spreads an established base's calls of a day by the raw hourly
            # multipliers, whose mean the day's calls already carry: count it twice too.
            weights = self.arrivals.profile.weights
            arrivals *= max(1.0, sum(weights) / len(weights))
        total = 0.0
        for segment in self.segments:
            steps = sum(step.probability for step in self.journey(segment.journey).steps)
            journeys, growth = 1.0, 1.0
            behaviour = self.behaviour
            if behaviour is not None and self.customer_base != "one_off":
                if self.customer_base == "opening":
                    gap = (
                        segment.inter_purchase_days
                        or behaviour.segment_defaults.inter_purchase_days
                    )
                    journeys = 1.0 + days / (2.0 * gap.build().mean)
                    # each journey ends in leaving with at least this chance
                    least = min(behaviour.retention.floor, behaviour.retention.ceiling)
                    if least > 0:
                        journeys = min(journeys, max(1.0, 1.0 / least))
                word = behaviour.word_of_mouth
                referrals = word.referral_probability * journeys if word.referral_probability else 0
                growth = _chain(referrals, days / word.referral_delay_days)
            total += arrivals * segment.share * journeys * growth * steps
        return total

    @property
    def description_line(self) -> str:
        """The description on one line: the form the message catalogue holds it in."""
        return " ".join(self.description.split())

    def describe(self) -> Text:
        """The scenario in a few lines of the current language: its description, then
        the staff on duty at each staffed touchpoint, hour by hour from midnight.

        A bundled scenario's description and names are in the message catalogue (read
        from ``data/scenarios/`` by ``scripts/update_catalogue.py``); a scenario of
        one's own is described in its own words.

        >>> from cxsim import load_scenario
        >>> load_scenario("erlang_check").describe()
        One phone queue without customer-experience effects, to check the engine against Erlang A.
        phone: 10 staff on duty at every hour
        """
        lines = [translate_name(self.description_line)] if self.description_line else []
        for touchpoint in self.touchpoints:
            if touchpoint.kind != "staffed":
                continue
            staff = touchpoint.hourly_staff
            name = translate_name(touchpoint.name)
            if len(set(staff)) == 1:
                lines.append(
                    _(
                        "{touchpoint}: {staff} staff on duty at every hour",
                        touchpoint=name,
                        staff=staff[0],
                    )
                )
            else:
                lines.append(
                    _(
                        "{touchpoint}: staff on duty hour by hour from midnight: {staff}",
                        touchpoint=name,
                        staff=join_list(map(format_number, staff)),
                    )
                )
        return Text("\n".join(lines))

    def touchpoint(self, name: str) -> Touchpoint:
        for touchpoint in self.touchpoints:
            if touchpoint.name == name:
                return touchpoint
        raise KeyError(_unknown("touchpoint", name, [t.name for t in self.touchpoints]))

    def journey(self, name: str) -> Journey:
        for journey in self.journeys:
            if journey.name == name:
                return journey
        raise KeyError(_unknown("journey", name, [j.name for j in self.journeys]))

    def with_policy(self, policy: str | None) -> Scenario:
        """This scenario with the named policy's overrides applied."""
        if policy is None:
            return self
        if policy not in self.policies:
            allowed = listing(list(self.policies)) or "(this scenario defines no policies)"
            raise ScenarioError(
                self.source,
                "policy",
                _(
                    "unknown policy {policy!r}; allowed: {allowed}",
                    policy=shown(policy),
                    allowed=allowed,
                ),
            )
        return self.with_overrides(self.policies[policy], path=f"policies.{policy}")

    def with_overrides(self, overrides: Mapping[str, Any], *, path: str = "overrides") -> Scenario:
        """A variant: ``overrides`` is nested (``{"touchpoints": {"phone": {"staff": 8}}}``)
        or dotted (``{"touchpoints.phone.staff": 8}``); lists of named items are
        addressed by name."""
        check_shape(overrides, source=self.source, prefix=path)
        raw = self.model_dump(mode="json", exclude={"source"})
        merged = apply_overrides(raw, overrides, source=self.source, path=path)
        defaults, read_column = self._inputs
        return validate_scenario(
            merged, source=self.source, defaults=defaults, read_column=read_column, prefix=path
        )


def _chain(ratio: float, generations: float) -> float:
    """``1 + r + r**2 + ... + r**n``, ``n`` the whole generations: the customers one
    customer leads to when each brings ``ratio`` more; inf past a float."""
    count = math.floor(min(generations, 1e9)) + 1
    if ratio == 1.0:
        return float(count)
    if ratio < 1.0:
        return (1.0 - ratio**count) / (1.0 - ratio)
    if count * math.log(ratio) > 700:  # ratio**count would overflow
        return math.inf
    return (ratio**count - 1.0) / (ratio - 1.0)


# --------------------------------------------------------------------------- a file's shape
def too_deep() -> str:
    """The message for nesting past :data:`MAX_NESTING` (the YAML reader uses it too)."""
    return _(
        "nested more than {limit} levels deep; allowed: at most {limit} (a scenario needs about 6)",
        limit=MAX_NESTING,
    )


def too_many_values() -> str:
    """The message for a file past :data:`MAX_VALUES` values, aliases expanded."""
    return _(
        "more than {limit:,} values in all, each use of a YAML alias counting its values "
        "again; allowed: at most {limit:,}",
        limit=MAX_VALUES,
    )


def text_problem(text: str) -> str | None:
    """What is wrong with ``text`` as a name, description or key, if anything: longer
    than :data:`MAX_TEXT`, or a lone surrogate (``"\\ud800"`` in YAML), which no file,
    terminal or random stream's name can hold."""
    if len(text) > MAX_TEXT:
        return _(
            "text of {length:,} characters; allowed: at most {limit:,}",
            length=len(text),
            limit=MAX_TEXT,
        )
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            return _(
                "a lone surrogate {char} at character {index} is not text; allowed: valid Unicode",
                char=one_line(error.object[error.start]),
                index=error.start + 1,
            )
    return None


def _walk_path(parts: tuple[Any, ...]) -> str:
    """A field path for :func:`check_shape`: keys joined by dots, list indexes in [ ]."""
    text = ""
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
            continue
        name = part if isinstance(part, str) and len(part) <= 40 else str(shown(part))
        text += f".{name}" if text else name
    return text


def check_shape(data: Any, *, source: str, prefix: str = "") -> None:
    """Refuse, as one :class:`ScenarioError`, data no scenario needs and that would
    exhaust cxsim: nesting deeper than :data:`MAX_NESTING`, more than :data:`MAX_VALUES`
    values (a value reached twice, as through a YAML alias, counts twice) and text
    :func:`text_problem` refuses.

    Iterative and counting as it goes, so that a billion-laughs document costs at most
    :data:`MAX_VALUES` steps and a thousand nested brackets no recursion.
    """

    def fail(parts: tuple[Any, ...], problem: str) -> ScenarioError:
        return ScenarioError(source, _within(prefix, _walk_path(parts)), problem)

    count = 1
    stack: list[tuple[Any, tuple[Any, ...], int]] = [(data, (), 1)]
    while stack:
        value, parts, depth = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                raise fail(parts, problem)
            continue
        if isinstance(value, Mapping):
            children = list(value.items())
        elif isinstance(value, list | tuple):
            children = list(enumerate(value))
        else:
            continue
        if depth > MAX_NESTING:
            raise fail(parts, too_deep())
        count += len(children) * (2 if isinstance(value, Mapping) else 1)
        if count > MAX_VALUES:
            raise fail(parts, too_many_values())
        for key, child in reversed(children):  # reversed: popped in the file's order
            if isinstance(value, Mapping) and isinstance(key, str):
                problem = text_problem(key)
                if problem is not None:
                    raise fail((*parts, key), problem)
            stack.append((child, (*parts, key), depth + 1))


# --------------------------------------------------------------------------- helpers
class _FieldError(ValueError):
    """Raised inside validators to name a field path other than the one checked."""

    def __init__(self, path: str, problem: str):
        super().__init__(problem)
        self.path, self.problem = path, problem


# What _unknown() can call a name, marked for the catalogue.
_KINDS = {
    "journey": N_("journey"),
    "touchpoint": N_("touchpoint"),
    "field": N_("field"),
    "segment": N_("segment"),
}


def _unknown(kind: str, name: object, allowed: list[str]) -> str:
    # difflib is quadratic in the lengths: compare a name no longer than a sensible one
    hint = difflib.get_close_matches(str(name)[:100], allowed, n=1)
    suggestion = _("; did you mean {hint!r}?", hint=shown(hint[0])) if hint else ""
    return _(
        "unknown {kind} {name!r}{suggestion} allowed: {allowed}",
        kind=_(_KINDS.get(kind, kind)),
        name=shown(name),
        suggestion=suggestion,
        allowed=listing(allowed),
    )


def _check_unique(items: tuple[Any, ...], field: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.name in seen:
            raise _FieldError(
                f"{field}[{index}].name", _("duplicate name {name!r}", name=shown(item.name))
            )
        seen.add(item.name)


def _format_path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in DIST_NAMES or "-" in str(part) or "[" in str(part):
            continue  # pydantic's names for union branches, not fields
        else:
            text += f".{part}" if text else str(part)
    return text


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the last field of ``loc`` (for field suggestions)."""
    model: Any = Scenario
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        if part in DIST_NAMES:
            return {
                "exponential": ExponentialSpec,
                "lognormal": LognormalSpec,
                "deterministic": DeterministicSpec,
                "uniform": UniformSpec,
                "empirical": EmpiricalSpec,
            }[part]
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        inner = _inner_model_args(candidate)
        if inner is not None:
            return inner
    return None


def _inner_model_args(annotation: Any) -> Any:
    for candidate in getattr(annotation, "__args__", ()):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


class _Shortened(reprlib.Repr):
    """``repr`` cut to a line: never a 401-digit number in full (str() of one past
    4300 digits even raises)."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = self.maxother = 40

    def repr_int(self, value: int, level: int) -> str:
        if abs(value) < 10**15:
            return repr(value)
        return format(Context(prec=3).create_decimal(value).normalize(), "g")

    def repr_float(self, value: float, level: int) -> str:
        short = f"{value:.6g}"
        return short if float(short) == value else repr(value)


class _Shown(str):
    """A value already written out: ``{value!r}`` inserts it as it is."""

    def __repr__(self) -> str:
        return str(self)


def listing(names: list[str] | tuple[str, ...], *, most: int = 20) -> str:
    """``names`` for "allowed: ..." in a message: comma-separated, each on one line and
    cut to 40 characters, the first ``most`` of them (names come from files too)."""
    shortened = [one_line(str(name), limit=40) for name in names[:most]]
    return ", ".join(shortened + (["…"] if len(names) > most else []))


def shown(value: object) -> _Shown:
    """``value`` for ``{value!r}`` in a message: short (1e+400, 'abc...'), one line."""
    return _Shown(_Shortened().repr(value))


def _describe(error: Mapping[str, Any]) -> str:
    """One pydantic error in words a scenario author understands."""
    kind, context, value = error["type"], error.get("ctx") or {}, shown(error.get("input"))
    loc = tuple(error["loc"])
    if kind == "extra_forbidden":
        model = _model_at(loc)
        allowed = [name for name in model.model_fields if name != "source"] if model else []
        return _unknown("field", loc[-1], allowed)
    if kind == "missing":
        return _("this field is required but missing")
    if kind in ("less_than_equal", "less_than") and context.get("le", context.get("lt")) == 1:
        return _("must be between 0 and 1, got {value!r}", value=value)
    if kind == "greater_than":
        return _("must be greater than {bound:g}, got {value!r}", bound=context["gt"], value=value)
    if kind == "greater_than_equal":
        return _("must be at least {bound:g}, got {value!r}", bound=context["ge"], value=value)
    if kind == "less_than_equal":
        return _("must be at most {bound:g}, got {value!r}", bound=context["le"], value=value)
    if kind == "less_than":
        return _("must be less than {bound:g}, got {value!r}", bound=context["lt"], value=value)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _(
            "unknown distribution {name!r}; allowed dist: {allowed}",
            name=shown(context.get("tag", error.get("input"))),
            allowed=", ".join(DIST_NAMES),
        )
    given = error.get("input")
    # pydantic leaves a mapping's length out of a too_long error
    count = context.get("actual_length") or (len(given) if isinstance(given, Mapping) else 0)
    templates = {
        "literal_error": _(
            "got {value!r}; allowed: {expected}", value=value, expected=context.get("expected")
        ),
        "int_parsing": _("must be a whole number, got {value!r}", value=value),
        "float_parsing": _("must be a number, got {value!r}", value=value),
        "string_type": _("must be text, got {value!r}", value=value),
        "tuple_type": _("must be a list, got {value!r}", value=value),
        "model_type": _("must be a mapping of fields, got {value!r}", value=value),
        "too_short": _("must not be empty"),
        "too_long": _(
            "has {count:,} items; allowed: at most {limit:,}",
            count=count,
            limit=context.get("max_length", 0),
        ),
    }
    aliases = {
        "int_type": "int_parsing",
        "int_from_float": "int_parsing",
        "int_parsing_size": "int_parsing",
        "float_type": "float_parsing",
        "finite_number": "float_parsing",
        "list_type": "tuple_type",
        "model_attributes_type": "model_type",
        "dict_type": "model_type",
    }
    kind = aliases.get(kind, kind)
    if kind in templates:
        return templates[kind]
    message = str(error.get("msg", kind))
    return message.removeprefix("Value error, ")


def validate_scenario(
    data: Any,
    *,
    source: str = "<mapping>",
    defaults: Mapping[str, Any] | None = None,
    read_column: ColumnReader | None = None,
    prefix: str = "",
) -> Scenario:
    """Check ``data`` (parsed YAML) and return a frozen :class:`Scenario`.

    This module reads no files: ``defaults`` (the parsed ``data/defaults.yaml``) fill
    the sections the scenario opens, and ``read_column(file, column)`` reads an
    empirical distribution's values; :func:`cxsim.load_scenario` hands both in.  The
    scenario keeps them, so its variants (:meth:`Scenario.with_overrides`) are
    validated alike.  Raises :class:`ScenarioError` for the first problem found.
    """
    if data is None:
        raise ScenarioError(
            source,
            "",
            _(
                "the scenario is empty; expected a mapping with "
                "fields name, horizon_days, arrivals, segments, "
                "touchpoints, journeys"
            ),
        )
    if not isinstance(data, Mapping):
        raise ScenarioError(
            source, "", _("expected a mapping of fields, got {kind}", kind=type(data).__name__)
        )
    if not prefix:  # a variant's data is a validated scenario and checked overrides
        check_shape(data, source=source)
    defaults = {} if defaults is None else defaults
    context = {"read_column": read_column}
    data = _with_defaults(data, source, defaults)
    try:
        scenario = Scenario.model_validate({**data, "source": source}, context=context)
    except _FieldError as problem:
        raise ScenarioError(source, _within(prefix, problem.path), problem.problem) from None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        custom = [e for e in errors if isinstance((e.get("ctx") or {}).get("error"), _FieldError)]
        if custom:
            problem = custom[0]["ctx"]["error"]
            raise ScenarioError(source, _within(prefix, problem.path), problem.problem) from None
        first = _most_useful(errors)
        path = _within(prefix, _format_path(tuple(first["loc"])))
        missing = [
            e["loc"][-1]
            for e in errors
            if e["type"] == "missing" and tuple(e["loc"][:-1]) == tuple(first["loc"][:-1])
        ]
        if first["type"] == "missing" and len(missing) > 1:
            parent = _within(prefix, _format_path(tuple(first["loc"][:-1])))
            raise ScenarioError(
                source,
                parent,
                _("required fields are missing: {fields}", fields=", ".join(map(str, missing))),
            ) from None
        raise ScenarioError(source, path, _describe(first)) from None
    scenario._inputs = (defaults, read_column)
    if not prefix:
        # Apply every policy once now, so a typo in a policy fails at load time.
        for name, overrides in scenario.policies.items():
            if not isinstance(overrides, Mapping):
                raise ScenarioError(source, f"policies.{name}", _("must be a mapping of overrides"))
            scenario.with_policy(name)
    return scenario


def _with_defaults(
    data: Mapping[str, Any], source: str, defaults: Mapping[str, Any]
) -> dict[str, Any]:
    """Fill the behaviour, economics and levers sections from ``data/defaults.yaml``.

    Only sections the scenario opens are filled (a ``behaviour:`` section also
    opens ``economics`` and ``levers``), so a plain queueing scenario stays one.
    """
    data = dict(data)
    wants_behaviour = data.get("behaviour") is not None
    for section in ("behaviour", "economics", "levers"):
        present = section in data and data[section] is not None
        if not (present or (wants_behaviour and section != "behaviour")):
            continue
        given = data.get(section) or {}
        if not isinstance(given, Mapping):
            raise ScenarioError(
                source, section, _("must be a mapping of fields, got {value!r}", value=shown(given))
            )
        merged = copy.deepcopy(dict(defaults.get(section) or {}))
        _deep_update(merged, given)
        data[section] = merged
    return data


def _deep_update(base: dict[str, Any], given: Mapping[str, Any]) -> None:
    for key, value in given.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict) and "dist" not in value:
            _deep_update(base[key], value)
        else:
            base[key] = value


def _within(prefix: str, path: str) -> str:
    """A field path inside an override, e.g. ``policies.lean -> touchpoints[0].staff``."""
    return f"{prefix} -> {path}" if prefix else path


def _most_useful(errors: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The error a scenario author should see first.

    A misspelled field also makes its correct name "missing": report the
    misspelling (it carries the suggestion).  Otherwise the most specific error
    (the deepest field) wins; pydantic's union branches and its "too short
    after validation" echoes are noise.
    """
    extra = [error for error in errors if error["type"] == "extra_forbidden"]
    if extra:
        return extra[0]
    return max(
        errors,
        key=lambda error: (
            len(_format_path(tuple(error["loc"])).split("."))
            + _format_path(tuple(error["loc"])).count("[")
        ),
    )


# --------------------------------------------------------------------------- overrides
def apply_overrides(
    raw: Mapping[str, Any], overrides: Mapping[str, Any], *, source: str, path: str
) -> dict[str, Any]:
    """Deep-merge ``overrides`` into a copy of ``raw``.

    Lists of named items (segments, touchpoints, journeys) are addressed by
    name; dotted keys are expanded.  Unknown names raise :class:`ScenarioError`.
    """
    merged = copy.deepcopy(dict(raw))
    _merge(merged, _expand_dotted(overrides), source, path)
    return merged


def _expand_dotted(overrides: Mapping[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in overrides.items():
        parts = str(key).split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        leaf = parts[-1]
        if isinstance(value, Mapping) and isinstance(target.get(leaf), dict):
            target[leaf].update(_expand_dotted(value))
        else:
            target[leaf] = _expand_dotted(value) if isinstance(value, Mapping) else value
    return nested


def _merge(base: dict[str, Any], overrides: Mapping[str, Any], source: str, path: str) -> None:
    for key, value in overrides.items():
        here = f"{path}.{key}"
        current = base.get(key)
        if isinstance(current, list) and isinstance(value, Mapping) and _named(current):
            by_name = {item["name"]: item for item in current}
            for name, item_overrides in value.items():
                if name not in by_name:
                    singular = key.rstrip("s")
                    raise ScenarioError(
                        source, f"{here}.{name}", _unknown(singular, name, list(by_name))
                    )
                if not isinstance(item_overrides, Mapping):
                    raise ScenarioError(source, f"{here}.{name}", _("must be a mapping of fields"))
                _merge(by_name[name], item_overrides, source, f"{here}.{name}")
        elif isinstance(current, dict) and isinstance(value, Mapping) and key != "policies":
            _merge(current, value, source, here)
        else:
            base[key] = copy.deepcopy(value)


def _named(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, dict) and "name" in item for item in items)
