"""Tests of cxsim.theory: published numbers, limits, and brute-force cross-checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cxsim.theory import (
    ErlangAResult,
    ErlangCResult,
    erlang_b,
    erlang_c,
    mm_c,
    mm_c_m,
    offered_load,
    staff_for_service_level,
)

# The textbook example, in minutes: 100 calls per 30 minutes, 3-minute handle time.
CALLS_PER_MIN = 100 / 30
SERVICE_RATE = 1 / 3
TWENTY_SECONDS = 20 / 60


# --------------------------------------------------------------------------- independent solvers


def brute_force_stationary(lam: float, mu: float, c: int, theta: float, n_max: int) -> np.ndarray:
    """Solve pi Q = 0 for the truncated M/M/c+M generator on states 0..n_max."""
    size = n_max + 1
    q = np.zeros((size, size))
    for n in range(size):
        if n < n_max:
            q[n, n + 1] = lam
        if n > 0:
            q[n, n - 1] = min(n, c) * mu + max(n - c, 0) * theta
        q[n, n] = -q[n].sum()
    # pi Q = 0 with sum(pi) = 1: replace one balance equation by the normalisation.
    a = q.T.copy()
    a[-1, :] = 1.0
    rhs = np.zeros(size)
    rhs[-1] = 1.0
    return np.linalg.solve(a, rhs)


def kpis_from_stationary(pi: np.ndarray, lam: float, c: int, theta: float) -> dict[str, float]:
    n = np.arange(pi.size)
    mean_queue = float(np.dot(np.maximum(n - c, 0), pi))
    return {
        "p_wait": float(pi[c:].sum()),
        "mean_queue_length": mean_queue,
        "mean_wait": mean_queue / lam,
        "abandonment_rate": theta * mean_queue / lam,
        "utilisation": float(np.dot(np.minimum(n, c), pi)) / c if c else 0.0,
    }


def service_level_by_uniformisation(
    pi: np.ndarray, c: int, mu: float, theta: float, t: float
) -> float:
    """P(answered within t) from the phase-type chain, by uniformisation.

    A caller k-th in line (k = n - c + 1 for an arrival that finds n >= c) moves
    forward at rate c mu + (k - 1) theta and hangs up at rate theta. The
    absorption probability in "answered" by time t is a Poisson(Lambda t)
    mixture of the uniformised discrete chain, summed term by term.
    """
    if c == 0:
        return 0.0
    start = pi[c:].copy()  # start[j - 1] = mass at position j
    size = start.size
    j = np.arange(1, size + 1, dtype=float)
    forward = c * mu + (j - 1) * theta  # from position j to j - 1 (or to "answered")
    unif = c * mu + size * theta
    stay = 1.0 - (forward + theta) / unif
    steps = int(unif * t + 12 * math.sqrt(unif * t) + 50)
    v, answered, total = start, 0.0, 0.0
    log_weight = -unif * t  # log Poisson(0; unif t)
    for m in range(steps + 1):
        total += math.exp(log_weight) * answered
        answered += v[0] * forward[0] / unif
        moved = np.zeros(size)
        moved[:-1] = v[1:] * forward[1:] / unif
        v = v * stay + moved
        log_weight += math.log(unif * t) - math.log(m + 1)
    return float(pi[:c].sum()) + total


# --------------------------------------------------------------------------- Erlang B / C


def test_offered_load_is_calls_times_handle_time():
    assert offered_load(CALLS_PER_MIN, SERVICE_RATE) == pytest.approx(10.0)


def test_erlang_b_known_value():
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-6)


@pytest.mark.parametrize(("servers", "load"), [(1, 0.5), (3, 2.0), (10, 5.0), (20, 25.0)])
def test_erlang_b_matches_factorial_formula(servers, load):
    terms = [load**k / math.factorial(k) for k in range(servers + 1)]
    assert erlang_b(servers, load) == pytest.approx(terms[-1] / sum(terms), rel=1e-12)


def test_erlang_b_and_c_stable_for_large_systems():
    b = erlang_b(1000, 950.0)
    c = erlang_c(500, 480.0)
    for value in (b, c):
        assert math.isfinite(value)
        assert 0.0 < value < 1.0
    assert erlang_b(5000, 4000.0) >= 0.0  # no overflow, no exception


def test_erlang_c_edge_cases():
    assert erlang_c(0, 3.0) == 1.0
    assert erlang_c(10, 10.0) == 1.0
    assert erlang_c(10, 12.0) == 1.0
    assert erlang_c(10, 0.0) == 0.0
    assert erlang_b(0, 3.0) == 1.0
    # M/M/1: P(wait) = rho.
    assert erlang_c(1, 0.7) == pytest.approx(0.7, rel=1e-12)


def test_published_erlang_c_example():
    r = mm_c(CALLS_PER_MIN, SERVICE_RATE, 14, target_wait=TWENTY_SECONDS)
    assert isinstance(r, ErlangCResult)
    assert round(r.p_wait, 4) == 0.1741
    assert abs(r.mean_wait * 60 - 7.84) < 0.005  # ASA in seconds
    # 1 - 0.1741 * exp(-(14 - 10) * 20 / 180) = 0.888. (The value 0.8737 sometimes
    # quoted for this example does not follow from the formula, so it is not asserted.)
    assert round(r.service_level, 3) == 0.888
    assert r.utilisation == pytest.approx(10 / 14)
    assert r.abandonment_rate == 0.0
    assert r.mean_queue_length == pytest.approx(CALLS_PER_MIN * r.mean_wait)
    assert r.mean_wait_if_waited == pytest.approx(r.mean_wait / r.p_wait)


def test_mm_c_service_level_limits():
    r0 = mm_c(CALLS_PER_MIN, SERVICE_RATE, 14, target_wait=0.0)
    assert r0.service_level == pytest.approx(1 - r0.p_wait)
    assert mm_c(CALLS_PER_MIN, SERVICE_RATE, 14, target_wait=1e4).service_level == (
        pytest.approx(1.0)
    )


@pytest.mark.parametrize(
    "args",
    [
        (10.0, 1.0, 10),  # rho = 1: unstable
        (12.0, 1.0, 10),  # overloaded
        (-1.0, 1.0, 10),
        (0.0, 1.0, 10),
        (5.0, 0.0, 10),
        (5.0, 1.0, 0),
        (5.0, 1.0, 10, -1.0),
        (float("nan"), 1.0, 10),
    ],
)
def test_mm_c_rejects_bad_input(args):
    with pytest.raises(ValueError):
        mm_c(*args)


def test_unstable_message_is_clear():
    with pytest.raises(ValueError, match="unstable"):
        mm_c(12.0, 1.0, 10)


# --------------------------------------------------------------------------- Erlang A


def test_erlang_a_tends_to_erlang_c_when_nobody_hangs_up():
    c_result = mm_c(9.0, 1.0, 10, target_wait=TWENTY_SECONDS)
    a_result = mm_c_m(9.0, 1.0, 10, 1e-9, target_wait=TWENTY_SECONDS)
    assert isinstance(a_result, ErlangAResult)
    assert a_result.p_wait == pytest.approx(c_result.p_wait, rel=1e-4)
    assert a_result.mean_wait == pytest.approx(c_result.mean_wait, rel=1e-4)
    assert a_result.service_level == pytest.approx(c_result.service_level, rel=1e-4)
    assert a_result.utilisation == pytest.approx(c_result.utilisation, rel=1e-4)
    assert a_result.abandonment_rate < 1e-8


def test_erlang_a_with_zero_patience_rate_is_erlang_c():
    a_result = mm_c_m(CALLS_PER_MIN, SERVICE_RATE, 14, 0.0, target_wait=TWENTY_SECONDS)
    assert a_result.p_wait == pytest.approx(0.17413, abs=1e-5)
    with pytest.raises(ValueError):
        mm_c_m(12.0, 1.0, 10, 0.0)


def test_erlang_a_overloaded_is_finite_and_respects_capacity():
    lam, mu, c, theta = 12.0, 1.0, 10, 0.5
    r = mm_c_m(lam, mu, c, theta, target_wait=TWENTY_SECONDS)
    for value in (r.p_wait, r.mean_wait, r.abandonment_rate, r.service_level, r.utilisation):
        assert math.isfinite(value)
    served = lam * (1 - r.abandonment_rate)
    assert served <= c * mu + 1e-9
    assert r.abandonment_rate >= 1 - c * mu / lam  # fluid lower bound, 1/6
    assert r.abandonment_rate == pytest.approx(0.19566, abs=1e-4)
    assert 0.9 < r.utilisation < 1.0


def test_erlang_a_overload_approaches_fluid_limit_at_scale():
    # 100 times bigger centre, same ratios: abandonment -> 1 - c mu / lambda = 1/6.
    r = mm_c_m(1200.0, 1.0, 1000, 0.5)
    assert r.abandonment_rate == pytest.approx(1 / 6, rel=0.01)
    assert r.utilisation == pytest.approx(1.0, abs=0.01)


def test_erlang_a_without_agents_everybody_hangs_up():
    theta = 0.5
    r = mm_c_m(4.0, 1.0, 0, theta, target_wait=1.0)
    assert r.p_wait == 1.0
    assert r.abandonment_rate == pytest.approx(1.0)
    assert r.mean_wait == pytest.approx(1 / theta)
    assert r.mean_queue_length == pytest.approx(4.0 / theta)  # M/M/inf with rate theta
    assert r.service_level == 0.0
    assert r.utilisation == 0.0


def test_erlang_a_identities_540_calls_per_hour():
    lam, mu, c, theta = 540 / 60, 1.0, 10, 0.5
    r = mm_c_m(lam, mu, c, theta, target_wait=TWENTY_SECONDS)
    assert round(r.p_wait, 4) == 0.4689
    assert round(r.abandonment_rate, 4) == 0.0670
    # Little's law for the queue: share abandoning = theta * mean wait.
    assert r.abandonment_rate == pytest.approx(theta * r.mean_wait, rel=1e-12)
    # Flow balance (independent: utilisation is computed from busy servers).
    assert lam * (1 - r.abandonment_rate) == pytest.approx(mu * c * r.utilisation, rel=1e-10)
    assert r.mean_wait_if_waited == pytest.approx(r.mean_wait / r.p_wait)
    # Impatience helps those who stay: less waiting than Erlang C with the same staff.
    assert r.p_wait < mm_c(lam, mu, c).p_wait


PARAMETER_SETS = [
    (9.0, 1.0, 10, 0.5),  # 540 calls/hour, patience 2 min
    (12.0, 1.0, 10, 0.5),  # overloaded
    (CALLS_PER_MIN, SERVICE_RATE, 9, 0.2),  # textbook load, too few agents, patience 5 min
]


@pytest.mark.parametrize(("lam", "mu", "c", "theta"), PARAMETER_SETS)
def test_erlang_a_matches_brute_force_generator(lam, mu, c, theta):
    pi = brute_force_stationary(lam, mu, c, theta, n_max=400)
    expected = kpis_from_stationary(pi, lam, c, theta)
    r = mm_c_m(lam, mu, c, theta)
    for name, value in expected.items():
        assert getattr(r, name) == pytest.approx(value, rel=1e-9, abs=1e-12), name


@pytest.mark.parametrize(("lam", "mu", "c", "theta"), PARAMETER_SETS)
@pytest.mark.parametrize("t", [0.05, TWENTY_SECONDS, 1.0, 4.0])
def test_erlang_a_service_level_matches_uniformisation(lam, mu, c, theta, t):
    pi = brute_force_stationary(lam, mu, c, theta, n_max=400)
    expected = service_level_by_uniformisation(pi, c, mu, theta, t)
    assert mm_c_m(lam, mu, c, theta, target_wait=t).service_level == pytest.approx(
        expected, abs=1e-10
    )


def test_erlang_a_service_level_first_two_positions_by_hand():
    # One agent, light traffic: almost every waiting caller is 1st or 2nd in line.
    # 1st in line: answered at rate mu, hangs up at theta, so answered by t with prob
    #   mu / (mu + theta) * (1 - exp(-(mu + theta) t)).
    # 2nd in line: the line moves at mu + theta (answer or hang-up of the one ahead),
    # then at mu; its own patience must outlast both stages. Integrating the
    # hypoexponential density against exp(-theta s) by hand gives the term below.
    lam, mu, theta, t = 0.01, 1.0, 1.0, 0.7
    pi = brute_force_stationary(lam, mu, 1, theta, n_max=60)
    first = mu / (mu + theta) * (1 - math.exp(-(mu + theta) * t))
    scale = (mu + theta) * mu / theta
    second = scale * (
        (1 - math.exp(-(mu + theta) * t)) / (mu + theta)
        - (1 - math.exp(-(mu + 2 * theta) * t)) / (mu + 2 * theta)
    )
    by_hand = pi[0] + pi[1] * first + pi[2] * second
    tail = pi[3:].sum()
    r = mm_c_m(lam, mu, 1, theta, target_wait=t)
    assert by_hand <= r.service_level <= by_hand + tail + 1e-12
    assert tail < 1e-6


@pytest.mark.parametrize(("lam", "mu", "c", "theta"), PARAMETER_SETS)
def test_erlang_a_service_level_is_monotone_with_right_limits(lam, mu, c, theta):
    targets = np.linspace(0.0, 30.0, 61)
    levels = [mm_c_m(lam, mu, c, theta, target_wait=float(t)).service_level for t in targets]
    assert all(b >= a - 1e-12 for a, b in zip(levels, levels[1:], strict=False))
    r = mm_c_m(lam, mu, c, theta)
    assert levels[0] == pytest.approx(1 - r.p_wait, abs=1e-12)  # t = 0: answered at once
    # t -> infinity: everyone who does not hang up is eventually answered.
    long_run = mm_c_m(lam, mu, c, theta, target_wait=1e5).service_level
    assert long_run == pytest.approx(1 - r.abandonment_rate, abs=1e-9)


def test_erlang_a_large_centre_heavy_load_is_finite():
    for lam, c in [(950.0, 1000), (1500.0, 1000), (480.0, 500)]:
        r = mm_c_m(lam, 1.0, c, 0.1, target_wait=TWENTY_SECONDS)
        values = [r.p_wait, r.mean_wait, r.abandonment_rate, r.service_level, r.utilisation]
        assert all(math.isfinite(v) and v >= 0.0 for v in values)
        assert 0.0 <= r.service_level <= 1.0
        assert lam * (1 - r.abandonment_rate) == pytest.approx(c * r.utilisation, rel=1e-8)


@pytest.mark.parametrize(
    "args",
    [
        (9.0, 1.0, -1, 0.5),
        (9.0, 1.0, 10, -0.5),
        (9.0, -1.0, 10, 0.5),
        (0.0, 1.0, 10, 0.5),
        (9.0, 1.0, 10, 0.5, -1.0),
    ],
)
def test_mm_c_m_rejects_bad_input(args):
    with pytest.raises(ValueError):
        mm_c_m(*args)


def test_servers_must_be_integer():
    with pytest.raises(TypeError):
        mm_c_m(9.0, 1.0, 10.5, 0.5)


# --------------------------------------------------------------------------- staffing


def test_staffing_for_published_example():
    c = staff_for_service_level(CALLS_PER_MIN, SERVICE_RATE, TWENTY_SECONDS, 0.8)
    assert c == 14
    assert mm_c(CALLS_PER_MIN, SERVICE_RATE, c, TWENTY_SECONDS).service_level >= 0.8
    assert mm_c(CALLS_PER_MIN, SERVICE_RATE, c - 1, TWENTY_SECONDS).service_level < 0.8


@pytest.mark.parametrize("theta", [0.1, 0.5, 2.0])
def test_staffing_with_abandonment_is_minimal(theta):
    lam, mu, t, target = 9.0, 1.0, TWENTY_SECONDS, 0.8
    c = staff_for_service_level(lam, mu, t, target, abandonment_rate=theta)
    assert mm_c_m(lam, mu, c, theta, t).service_level >= target
    assert mm_c_m(lam, mu, c - 1, theta, t).service_level < target
    # Hang-ups never make the service level target need more agents than Erlang C.
    assert c <= staff_for_service_level(lam, mu, t, target)


def test_staffing_large_centre():
    c = staff_for_service_level(1000.0, 1.0, TWENTY_SECONDS, 0.9)
    assert mm_c(1000.0, 1.0, c, TWENTY_SECONDS).service_level >= 0.9
    assert mm_c(1000.0, 1.0, c - 1, TWENTY_SECONDS).service_level < 0.9
    assert 1000 < c < 1100


@pytest.mark.parametrize("level", [0.0, 1.0, -0.1, 1.5])
def test_staffing_rejects_impossible_targets(level):
    with pytest.raises(ValueError):
        staff_for_service_level(CALLS_PER_MIN, SERVICE_RATE, TWENTY_SECONDS, level)


def test_staffing_with_almost_no_abandonment_equals_erlang_c():
    # Probes of overloaded staffing with tiny theta would need millions of states;
    # they must count as misses, not crash the search.
    with pytest.raises(ValueError):
        mm_c_m(12.0, 1.0, 10, 1e-9)
    erlang_c_staff = staff_for_service_level(10.0, 1.0, TWENTY_SECONDS, 0.8)
    assert staff_for_service_level(10.0, 1.0, TWENTY_SECONDS, 0.8, 1e-7) == erlang_c_staff
