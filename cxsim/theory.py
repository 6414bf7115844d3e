"""Queueing formulas to check the simulator against, and to teach with.

A contact centre with ``c`` agents, Poisson arrivals at rate ``lambda`` and
exponential handle times with rate ``mu`` (mean handle time ``1/mu``) is the
classic M/M/c queue. The *offered load* ``a = lambda/mu`` (in Erlangs) is the
number of agents that would be busy if nobody ever had to wait.

Erlang B (Erlang 1917)
    The system has no queue: a call that finds all ``c`` agents busy is lost.
    ``B(c, a)`` is the share of calls that are blocked. It is also the building
    block for the other formulas, and is computed by the numerically stable
    recursion ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``.

Erlang C (Erlang 1917)
    Calls that find all agents busy wait in an unlimited queue and never hang
    up. ``C(c, a)`` is the share of calls that have to wait. It only makes sense
    when ``a < c`` (otherwise the queue grows without limit). From it follow the
    average speed of answer ``C / (c mu - lambda)`` and the service level
    ``P(wait <= t) = 1 - C exp(-(c mu - lambda) t)``.

Erlang A (Palm 1943; Garnett, Mandelbaum & Reiman 2002)
    Waiting callers are impatient: each one hangs up after an exponential
    patience with rate ``theta`` (mean patience ``1/theta``) unless an agent
    answers first. This M/M/c+M model is what real centres look like, and it
    stays stable even when the centre is overloaded (``a > c``), because the
    queue sheds callers by abandonment. See Palm, C. (1943) "Intensitätsschwan-
    kungen im Fernsprechverkehr", Ericsson Technics 44, and Garnett, O.,
    Mandelbaum, A. & Reiman, M. (2002) "Designing a call center with impatient
    customers", Manufacturing & Service Operations Management 4(3), 208-227.
    Here it is computed *exactly* from its birth-death chain (see
    :func:`mm_c_m`), not from an approximation.

Reference: Erlang, A. K. (1917) "Solution of some problems in the theory of
probabilities of significance in automatic telephone exchanges", Elektroteknikeren 13.

Units: every rate and time is in the unit the caller chooses (the simulator uses
minutes). ``arrival_rate`` is calls per time unit, ``service_rate`` is
``1 / mean handle time`` and ``abandonment_rate`` is ``1 / mean patience``.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ErlangAResult",
    "ErlangCResult",
    "erlang_b",
    "erlang_c",
    "mm_c",
    "mm_c_m",
    "offered_load",
    "staff_for_service_level",
]

# Stationary probabilities below this fraction of the largest one are dropped.
_TAIL_TOLERANCE = 1e-17
# Never build a birth-death chain with more states than this (memory guard).
_MAX_STATES = 5_000_000


class _TooManyStatesError(ValueError):
    """The M/M/c+M chain would need more than ``_MAX_STATES`` states."""


# --------------------------------------------------------------------------- helpers


def _check_finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def _positive(name: str, value: float) -> float:
    value = _check_finite(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return value


def _non_negative(name: str, value: float) -> float:
    value = _check_finite(name, value)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return value


def _servers(value: int, minimum: int = 0) -> int:
    try:
        servers = operator.index(value)
    except TypeError:
        raise TypeError(f"servers must be an integer, got {value!r}") from None
    if servers < minimum:
        raise ValueError(f"servers must be >= {minimum}, got {servers}")
    return servers


# --------------------------------------------------------------------------- Erlang B / C


def offered_load(arrival_rate: float, service_rate: float) -> float:
    """Offered load ``a = arrival_rate / service_rate`` in Erlangs.

    It is the average number of agents the calls would keep busy if no one
    ever waited or hung up.

    >>> round(offered_load(100 / 30, 1 / 3), 4)  # 100 calls per 30 min, 3-min handle time
    10.0
    """
    arrival_rate = _non_negative("arrival_rate", arrival_rate)
    service_rate = _positive("service_rate", service_rate)
    return arrival_rate / service_rate


def erlang_b(servers: int, offered_load: float) -> float:
    """Erlang B blocking probability of M/M/c/c (a loss system with no queue).

    Uses the recursion ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``, which
    never overflows, so thousands of servers are fine.

    >>> round(erlang_b(10, 5.0), 5)
    0.01838
    """
    servers = _servers(servers)
    load = _non_negative("offered_load", offered_load)
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, offered_load: float) -> float:
    """Erlang C probability that a call has to wait in M/M/c.

    Computed from Erlang B as ``C = c B / (c - a (1 - B))``. Returns ``1.0`` when
    the system is unstable (``offered_load >= servers``) or has no servers:
    then (in the long run) every call waits.

    >>> round(erlang_c(14, 10.0), 4)
    0.1741
    """
    servers = _servers(servers)
    load = _non_negative("offered_load", offered_load)
    if servers == 0 or load >= servers:
        return 1.0
    blocking = erlang_b(servers, load)
    return servers * blocking / (servers - load * (1.0 - blocking))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ErlangCResult:
    """Steady-state KPIs of an M/M/c queue (Erlang C).

    Attributes:
        p_wait: share of calls that wait at all.
        mean_wait: mean wait over ALL calls, including those answered at once
            (the "average speed of answer", ASA).
        mean_wait_if_waited: mean wait of the calls that did wait.
        abandonment_rate: share of calls that hang up (always 0 in Erlang C).
        service_level: share of ALL calls answered within ``target_wait``.
        utilisation: mean busy agents divided by agents.
        mean_queue_length: mean number of calls waiting.

    >>> r = ErlangCResult(0.5, 1.0, 2.0, 0.0, 0.8, 0.9, 3.0)
    >>> r.p_wait, r.abandonment_rate
    (0.5, 0.0)
    """

    p_wait: float
    mean_wait: float
    mean_wait_if_waited: float
    abandonment_rate: float
    service_level: float
    utilisation: float
    mean_queue_length: float


@dataclass(frozen=True)
class ErlangAResult:
    """Steady-state KPIs of an M/M/c+M queue (Erlang A, impatient callers).

    Attributes:
        p_wait: share of calls that find all agents busy (and so must wait).
        mean_wait: mean time in queue over ALL calls; a caller who hangs up
            counts the time until they hang up, a caller answered at once
            counts 0.
        mean_wait_if_waited: ``mean_wait / p_wait``.
        abandonment_rate: share of calls that hang up before being answered
            (a probability, not the patience rate ``theta``).
        service_level: share of ALL calls answered within ``target_wait``
            (callers who hang up count as not answered).
        utilisation: mean busy agents divided by agents (0 with no agents).
        mean_queue_length: mean number of calls waiting.

    >>> r = ErlangAResult(0.5, 1.0, 2.0, 0.1, 0.8, 0.9, 3.0)
    >>> r.abandonment_rate
    0.1
    """

    p_wait: float
    mean_wait: float
    mean_wait_if_waited: float
    abandonment_rate: float
    service_level: float
    utilisation: float
    mean_queue_length: float


# --------------------------------------------------------------------------- M/M/c


def mm_c(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    target_wait: float = 5.0,
) -> ErlangCResult:
    """M/M/c (Erlang C) KPIs; times in the caller's unit.

    Service level (share of all calls answered within ``target_wait``) is
    ``1 - C exp(-(c mu - lambda) t)``. Raises ``ValueError`` when the queue is
    unstable (``arrival_rate >= servers * service_rate``).

    The published example: 100 calls per 30 minutes, 3-minute handle time,
    14 agents, 20-second target (here in minutes):

    >>> r = mm_c(100 / 30, 1 / 3, 14, target_wait=20 / 60)
    >>> round(r.p_wait, 4), round(r.mean_wait * 60, 2), round(r.service_level, 4)
    (0.1741, 7.84, 0.8884)
    """
    lam = _positive("arrival_rate", arrival_rate)
    mu = _positive("service_rate", service_rate)
    c = _servers(servers, minimum=1)
    t = _non_negative("target_wait", target_wait)
    if lam >= c * mu:
        raise ValueError(
            f"M/M/c is unstable: arrival_rate ({lam:g}) >= servers * service_rate "
            f"({c} * {mu:g} = {c * mu:g}); the queue would grow forever. "
            "Add servers, or use mm_c_m() to model callers who hang up."
        )
    p_wait = erlang_c(c, lam / mu)
    drain = c * mu - lam  # rate at which the queue of a waiting caller clears
    mean_wait = p_wait / drain
    return ErlangCResult(
        p_wait=p_wait,
        mean_wait=mean_wait,
        mean_wait_if_waited=1.0 / drain,
        abandonment_rate=0.0,
        service_level=1.0 - p_wait * math.exp(-drain * t),
        utilisation=lam / (c * mu),
        mean_queue_length=lam * mean_wait,
    )


# --------------------------------------------------------------------------- M/M/c+M


def _stationary_distribution(lam: float, mu: float, c: int, theta: float) -> np.ndarray:
    """Stationary law p(0..N) of the M/M/c+M birth-death chain (theta > 0).

    Works with log p(n) = sum log(lam / death(m)) so nothing overflows, and
    stops at the first N where a geometric bound on the remaining tail is below
    ``_TAIL_TOLERANCE`` times the largest probability. Because the death rate
    grows with n, the ratio p(n+1)/p(n) decreases, so the bound
    ``p(N) r / (1 - r)`` with ``r = p(N+1)/p(N) < 1`` is valid. The loop is
    capped at ``c + lam/theta + 40 sqrt(lam/theta) + 200`` states (beyond that
    the queue tail is smaller than a Poisson(lam/theta) tail 40 standard
    deviations out).
    """
    ratio_load = lam / theta
    cap = c + math.ceil(ratio_load + 40.0 * math.sqrt(ratio_load) + 200.0)
    log_lam = math.log(lam)
    log_tol = math.log(_TAIL_TOLERANCE)

    def log_death(n: np.ndarray) -> np.ndarray:
        return np.log(np.minimum(n, c) * mu + np.maximum(n - c, 0) * theta)

    pieces = [np.zeros(1)]  # log p(0) = 0 before normalising
    last, top, n_end, block = 0.0, 0.0, 0, 1024
    while True:
        if n_end >= _MAX_STATES:
            raise _TooManyStatesError(
                "M/M/c+M needs more than "
                f"{_MAX_STATES} states for these rates (abandonment_rate is tiny "
                "compared with the overload); use a larger abandonment_rate or mm_c()."
            )
        stop = min(n_end + block, cap, _MAX_STATES)
        n = np.arange(n_end + 1, stop + 1, dtype=float)
        chunk = last + np.cumsum(log_lam - log_death(n))
        top = max(top, float(chunk.max()))
        log_r_next = log_lam - log_death(n + 1.0)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            r_next = np.exp(log_r_next)
            log_bound = chunk + log_r_next - np.log1p(-r_next)
        done = (r_next < 1.0) & (log_bound < top + log_tol)
        if done.any():
            first = int(np.argmax(done))
            pieces.append(chunk[: first + 1])
            break
        pieces.append(chunk)
        last, n_end, block = float(chunk[-1]), stop, block * 2
        if stop >= cap:
            break
    log_p = np.concatenate(pieces)
    p = np.exp(log_p - log_p.max())
    return p / p.sum()


def _answered_within(p: np.ndarray, c: int, mu: float, theta: float, t: float) -> float:
    """P(answered within t) over all arrivals in M/M/c+M; see :func:`mm_c_m`."""
    if c == 0:
        return 0.0
    immediate = float(p[:c].sum())
    queued = p[c:]  # arrival finds n = c + k - 1 in system: it is k-th in line
    if t == 0.0 or queued.size == 0:
        return immediate
    b = c * mu / theta
    k = np.arange(1, queued.size + 1, dtype=float)
    # Negative binomial NB(b + 1, x = exp(-theta t)) pmf at j = 0..K-1, in logs:
    # pmf(j) = x^(b+1) prod_{i<=j} (1 + b/i) (1 - x)^j.
    log_pmf = np.empty(queued.size)
    log_pmf[0] = -(c * mu + theta) * t
    if queued.size > 1:
        j = k[:-1]
        log_1mx = math.log(-math.expm1(-theta * t))
        log_pmf[1:] = log_pmf[0] + np.cumsum(np.log1p(b / j) + log_1mx)
    survival = np.clip(1.0 - np.cumsum(np.exp(log_pmf)), 0.0, 1.0)  # P(NB >= k)
    served_in_time = b / (b + k) * survival
    return min(1.0, immediate + float(np.dot(queued, served_in_time)))


def mm_c_m(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    abandonment_rate: float,
    target_wait: float = 5.0,
) -> ErlangAResult:
    """M/M/c+M (Erlang A) KPIs, exact, also when overloaded or with 0 servers.

    Method. State ``n`` = calls in the system; births at rate ``lambda``,
    deaths at ``min(n, c) mu + max(n - c, 0) theta``. The stationary law is
    built from the ratios ``p(n)/p(n-1)`` in log space and truncated where the
    tail is negligible (relative 1e-17). Arrivals see this law (PASTA), so:
    ``p_wait = P(N >= c)``, ``E[Q] = sum (n - c)+ p(n)``, share abandoning
    ``= theta E[Q] / lambda``, ``mean_wait = E[Q] / lambda`` (Little's law),
    ``utilisation = E[min(N, c)] / c`` (which equals
    ``lambda (1 - P_ab) / (c mu)`` by flow balance).

    Service level. A caller who finds ``n = c + k - 1`` calls in the system is
    ``k``-th in line. Those behind it do not matter (FCFS), so while ``j``
    callers are in line up to and including it, the line ahead moves at rate
    ``c mu + (j - 1) theta`` (an agent frees up, or someone ahead hangs up),
    and it hangs up itself at rate ``theta``. Its time to reach an agent,
    ignoring its own patience, is hypoexponential with rates
    ``theta (b + i)``, ``i = 0..k-1``, ``b = c mu / theta``, whose density is
    ``theta (b)_k / (k-1)! e^(-b theta s) (1 - e^(-theta s))^(k-1)``. Weighting
    by its own survival ``e^(-theta s)`` and integrating up to ``t`` gives the
    exact closed form::

        P(answered by t | k) = b / (b + k) * (1 - I_x(b + 1, k)),  x = e^(-theta t)

    with ``I`` the regularised incomplete beta function. For integer ``k``,
    ``I_x(b + 1, k) = P(J <= k - 1)`` for ``J ~ NegativeBinomial(b + 1, x)``,
    a finite sum evaluated in log space. ``b / (b + k)`` is the chance of
    being answered at all; as ``theta -> 0`` the expression tends to the
    Erlang-C value ``P(Poisson(c mu t) >= k)``. The tests check it against a
    uniformisation (Poisson-series) solution of the same chain.

    ``abandonment_rate = 0`` is delegated to :func:`mm_c` (and so needs a
    stable system).

    Example (540 calls per hour = 9 per minute, 1-minute handle time, 10
    agents, mean patience 2 minutes, target 20 seconds):

    >>> r = mm_c_m(9.0, 1.0, 10, 0.5, target_wait=1 / 3)
    >>> round(r.p_wait, 4), round(r.abandonment_rate, 4), round(r.service_level, 4)
    (0.4689, 0.067, 0.7938)
    """
    lam = _positive("arrival_rate", arrival_rate)
    mu = _positive("service_rate", service_rate)
    c = _servers(servers, minimum=0)
    theta = _non_negative("abandonment_rate", abandonment_rate)
    t = _non_negative("target_wait", target_wait)
    if theta == 0.0:
        if c == 0 or lam >= c * mu:
            raise ValueError(
                "with abandonment_rate = 0 (nobody hangs up) the queue needs "
                "arrival_rate < servers * service_rate; give a positive abandonment_rate"
            )
        r = mm_c(lam, mu, c, t)
        return ErlangAResult(
            p_wait=r.p_wait,
            mean_wait=r.mean_wait,
            mean_wait_if_waited=r.mean_wait_if_waited,
            abandonment_rate=0.0,
            service_level=r.service_level,
            utilisation=r.utilisation,
            mean_queue_length=r.mean_queue_length,
        )

    p = _stationary_distribution(lam, mu, c, theta)
    n = np.arange(p.size, dtype=float)
    p_wait = float(p[c:].sum())
    mean_queue = float(np.dot(np.maximum(n - c, 0.0), p))
    busy = float(np.dot(np.minimum(n, c), p))
    mean_wait = mean_queue / lam
    return ErlangAResult(
        p_wait=p_wait,
        mean_wait=mean_wait,
        mean_wait_if_waited=mean_wait / p_wait if p_wait > 0.0 else 0.0,
        abandonment_rate=min(1.0, theta * mean_queue / lam),
        service_level=_answered_within(p, c, mu, theta, t),
        utilisation=busy / c if c > 0 else 0.0,
        mean_queue_length=mean_queue,
    )


# --------------------------------------------------------------------------- staffing


def staff_for_service_level(
    arrival_rate: float,
    service_rate: float,
    target_wait: float,
    target_level: float,
    abandonment_rate: float = 0.0,
) -> int:
    """Smallest number of agents whose service level reaches ``target_level``.

    Service level is the share of all calls answered within ``target_wait``
    (Erlang C if ``abandonment_rate`` is 0, Erlang A otherwise). Starts from
    square-root staffing ``a + sqrt(a)``, doubles until the target is met and
    then bisects (service level grows with the number of agents). A staffing
    whose Erlang A chain would need millions of states (a nearly patient crowd
    with no spare capacity) counts as missing the target. Raises
    ``ValueError`` if ``target_level`` is not strictly between 0 and 1.

    >>> staff_for_service_level(100 / 30, 1 / 3, 20 / 60, 0.8)
    14
    """
    lam = _positive("arrival_rate", arrival_rate)
    mu = _positive("service_rate", service_rate)
    t = _non_negative("target_wait", target_wait)
    theta = _non_negative("abandonment_rate", abandonment_rate)
    level = _check_finite("target_level", target_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"target_level must be strictly between 0 and 1, got {level!r}")
    load = lam / mu

    def service_level(c: int) -> float:
        if theta == 0.0:
            return mm_c(lam, mu, c, t).service_level
        try:
            return mm_c_m(lam, mu, c, theta, t).service_level
        except _TooManyStatesError:
            # Millions of callers in line on average (tiny theta, no spare
            # capacity): nobody is answered within any sensible target.
            return 0.0

    # Largest staffing known to miss the target (unstable, or no agents at all).
    low = math.floor(load) if theta == 0.0 else 0
    cap = low + math.ceil(100.0 * math.sqrt(load) + 1000.0)
    high = max(low + 1, math.ceil(load + math.sqrt(load)))
    while service_level(high) < level:
        if high >= cap:
            raise ValueError(f"target_level {level} not reachable with up to {cap} servers")
        low, high = high, min(cap, 2 * high)
    while high - low > 1:
        mid = (low + high) // 2
        if service_level(mid) >= level:
            high = mid
        else:
            low = mid
    return high
