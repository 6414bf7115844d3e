"""Random quantities (service times, patience) as small sampling objects.

A distribution never owns random state.  It turns a *base variate* drawn
from a named stream (a standard exponential, a standard normal or a
uniform on [0, 1)) into a value in minutes.  Because policies change the
parameters but not the base variates, two runs with the same seed give the
same customer the same "luck": a longer-than-average call stays longer than
average when the mean handle time changes (common random numbers).

>>> Exponential(mean=2.0).transform(1.0)
2.0
>>> Uniform(low=1.0, high=3.0).transform(0.5)
2.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "Distribution",
    "Exponential",
    "Lognormal",
    "Deterministic",
    "Uniform",
    "Empirical",
    "BASE_EXPONENTIAL",
    "BASE_NORMAL",
    "BASE_UNIFORM",
]

BASE_EXPONENTIAL = "exponential"
BASE_NORMAL = "normal"
BASE_UNIFORM = "uniform"


class Distribution:
    """Base class: ``base`` names the variate needed, ``transform`` maps it to a value."""

    base: str | None = None
    mean: float

    def transform(self, variate: float) -> float:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Exponential(Distribution):
    """Memoryless times: Poisson arrivals, M/M/c service, Erlang A patience."""

    mean: float
    base = BASE_EXPONENTIAL

    def transform(self, variate: float) -> float:
        return self.mean * variate


@dataclass(frozen=True)
class Lognormal(Distribution):
    """Right-skewed times given by mean and coefficient of variation.

    Call-centre handle times are close to lognormal (Brown et al. 2005,
    "Statistical analysis of a telephone call center", JASA 100(469)).

    >>> round(Lognormal(mean=4.0, cv=0.5).transform(0.0), 4)  # the median
    3.5777
    """

    mean: float
    cv: float
    base = BASE_NORMAL

    def __post_init__(self) -> None:
        # Parameters of the underlying normal, computed once (transform is on the hot path).
        sigma = math.sqrt(math.log1p(self.cv**2))
        object.__setattr__(self, "sigma", sigma)
        object.__setattr__(self, "mu", math.log(self.mean) - 0.5 * sigma**2)

    def transform(self, variate: float) -> float:
        return math.exp(self.mu + self.sigma * variate)


@dataclass(frozen=True)
class Deterministic(Distribution):
    """A fixed time: no variability at all (a useful contrast in lessons)."""

    value: float
    base = None

    @property
    def mean(self) -> float:  # type: ignore[override]
        return self.value

    def transform(self, variate: float) -> float:
        return self.value


@dataclass(frozen=True)
class Uniform(Distribution):
    """Equally likely anywhere between ``low`` and ``high``."""

    low: float
    high: float
    base = BASE_UNIFORM

    @property
    def mean(self) -> float:  # type: ignore[override]
        return 0.5 * (self.low + self.high)

    def transform(self, variate: float) -> float:
        return self.low + (self.high - self.low) * variate


@dataclass(frozen=True)
class Empirical(Distribution):
    """Resample observed values (a CSV column) with equal probability."""

    values: tuple[float, ...]
    base = BASE_UNIFORM

    @property
    def mean(self) -> float:  # type: ignore[override]
        return sum(self.values) / len(self.values)

    def transform(self, variate: float) -> float:
        return self.values[min(int(variate * len(self.values)), len(self.values) - 1)]
