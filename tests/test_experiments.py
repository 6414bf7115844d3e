"""Tests of cxsim.experiments: intervals that cover the truth, fair comparisons, sweeps,
and the same numbers on every executor.

The model with a known answer is ``erlang_check`` (an M/M/c+M queue) cut to five
measured hours after a 30-minute warm-up: about 2,700 callers a run, a few
hundredths of a second each.
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from dask.distributed import Client, LocalCluster
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from cxsim import ScenarioError, load_scenario
from cxsim import experiments as ex
from cxsim.experiments import (
    Replications,
    SerialExecutor,
    compare,
    confidence_interval,
    format_grid,
    parse_grid,
    parse_level,
    replicate,
    replication_seed,
    sweep,
    t_critical,
)
from cxsim.theory import mm_c_m

ERLANG = load_scenario("erlang_check")
# Five measured hours after a 30-minute warm-up: the queue relaxes in minutes, so the
# warm-up removes the empty-start bias; ~1 caller still waiting at the end is negligible.
SMALL = ERLANG.with_overrides({"horizon_days": 300 / 1440, "warmup_days": 30 / 1440})
STAFF = "touchpoints.phone.staff"
PATIENCE = "segments.caller.patience_min.mean"


def erlang_a_truth(scenario) -> dict[str, float]:
    """The exact steady-state KPIs of the scenario's M/M/c+M queue, per minute."""
    phone, caller = scenario.touchpoints[0], scenario.segments[0]
    exact = mm_c_m(
        scenario.arrivals.rate_per_hour / 60,
        1 / phone.service_min.mean,
        phone.staff,
        1 / caller.patience_min.mean,
        phone.target_wait_min,
    )
    return {"p_wait": exact.p_wait, "abandonment_rate": exact.abandonment_rate}


@pytest.fixture(scope="module")
def pool():
    with ProcessPoolExecutor(max_workers=2) as executor:
        yield executor


# --------------------------------------------------------------------------- t and intervals


@pytest.mark.parametrize(
    ("df", "level", "published"),
    [  # two-sided critical values from any Student-t table
        (1, 0.95, 12.7062),
        (2, 0.95, 4.3027),
        (4, 0.95, 2.7764),
        (9, 0.95, 2.2622),
        (29, 0.95, 2.0452),
        (120, 0.95, 1.9799),
        (9, 0.90, 1.8331),
        (4, 0.99, 4.6041),
        (29, 0.99, 2.7564),
        (3, 0.99, 5.8409),
        (1000, 0.95, 1.9623),
        (10**6, 0.95, 1.9600),
    ],
)
def test_t_critical_matches_published_tables(df, level, published):
    assert t_critical(df, level) == pytest.approx(published, abs=1e-4)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1, True, "0.95"])
def test_a_level_outside_zero_one_is_refused(level):
    with pytest.raises(ValueError, match="level"):
        t_critical(5, level)


def test_summary_of_known_values():
    runs = pd.DataFrame(
        {
            "replication": range(5),
            "seed": range(5),
            "policy": "baseline",
            "mean_wait_min": [1.0, 2.0, 3.0, 4.0, 5.0],
            "p_wait": [0.5, math.nan, 0.5, 0.5, 0.5],
        }
    )
    summary = Replications(runs=runs, scenario="hand-made").summary()
    wait = summary.loc["mean_wait_min"]
    # mean 3, std sqrt(2.5) = 1.5811, half-width 2.7764 * 1.5811 / sqrt(5) = 1.9632
    assert wait["mean"] == 3.0
    assert wait["std"] == pytest.approx(1.5811, abs=1e-4)
    assert wait["half_width"] == pytest.approx(1.9632, abs=1e-4)
    assert (wait["ci_low"], wait["ci_high"]) == pytest.approx((1.0368, 4.9632), abs=1e-4)
    assert wait["n"] == 5
    # the missing value is left out: 4 runs, no spread, a zero-width interval
    assert summary.loc["p_wait", "n"] == 4
    assert summary.loc["p_wait", "half_width"] == 0.0
    wider = Replications(runs=runs).summary(level=0.99).loc["mean_wait_min", "half_width"]
    narrower = Replications(runs=runs).summary(level=0.90).loc["mean_wait_min", "half_width"]
    assert narrower < wait["half_width"] < wider


def test_one_value_has_no_interval():
    ci = confidence_interval([2.0])
    assert ci["mean"] == 2.0 and ci["n"] == 1
    assert math.isnan(ci["half_width"]) and math.isnan(ci["ci_low"])


def test_95_percent_intervals_cover_the_erlang_a_answer_about_95_percent_of_the_time(pool):
    """60 independent intervals, each from 5 replications with its own base seed.

    With true coverage 0.95, fewer than 48 hits out of 60 (< 80 %) has probability
    about 1e-4; the seeds are fixed, so the test is deterministic (57 and 55 hits).
    """
    truth = erlang_a_truth(SMALL)
    hits = dict.fromkeys(truth, 0)
    half_widths: dict[str, list[float]] = {kpi: [] for kpi in truth}
    all_runs = []
    intervals = 60
    for base_seed in range(intervals):
        reps = replicate(SMALL, 5, seed=1000 + base_seed, executor=pool, progress=False)
        summary = reps.summary(level=0.95)
        all_runs.append(reps.runs)
        for kpi, value in truth.items():
            hits[kpi] += bool(summary.loc[kpi, "ci_low"] <= value <= summary.loc[kpi, "ci_high"])
            half_widths[kpi].append(summary.loc[kpi, "half_width"])
    for kpi in truth:
        assert hits[kpi] / intervals >= 0.80, (kpi, hits[kpi])
    # informative intervals, not trivially wide ones
    assert np.median(half_widths["p_wait"]) < 0.06  # 0.046
    assert np.median(half_widths["abandonment_rate"]) < 0.02  # 0.011
    # and no visible bias: the mean of all 300 runs is within 3 standard errors of the truth
    runs = pd.concat(all_runs)
    for kpi, value in truth.items():
        standard_error = runs[kpi].std() / math.sqrt(len(runs))
        assert abs(runs[kpi].mean() - value) < 3 * standard_error, kpi


# --------------------------------------------------------------------------- replicate


def test_replication_seeds_come_from_seed_sequence_and_do_not_depend_on_n():
    five = replicate(SMALL, 5, seed=7, progress=False)
    expected = [int(np.random.SeedSequence([7, i]).generate_state(1)[0]) for i in range(5)]
    assert five.runs["seed"].tolist() == expected
    assert five.runs["replication"].tolist() == list(range(5))
    assert (five.runs["policy"] == "baseline").all()
    assert five.runs["seed"].nunique() == 5
    three = replicate(SMALL, 3, seed=7, progress=False)
    assert_frame_equal(three.runs, five.runs.iloc[:3])


def test_replication_seed_streams_are_distinct():
    assert replication_seed(0, 0) != replication_seed(0, 0, stream=1)
    assert replication_seed(0, 1) != replication_seed(1, 0)


def test_every_numeric_kpi_gets_a_column_and_a_summary_row():
    reps = replicate(SMALL, 2, seed=1, progress=False)
    kpis = {name for name, value in ex.run_kpis(SMALL, reps.runs["seed"][0]).items()}
    assert set(reps.kpis) == kpis
    assert list(reps.summary().columns) == ["mean", "std", "ci_low", "ci_high", "half_width", "n"]
    assert set(reps.summary().index) == kpis


def test_replications_show_their_summary_with_readable_labels():
    reps = replicate(SMALL, 3, seed=1, progress=False)
    text, html = repr(reps), reps._repr_html_()
    for shown in (text, html):
        assert "3 replications" in shown
        assert "Mean wait (min)" in shown and "95% CI low" in shown
    assert "<table" in html


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"n": 0}, ValueError),
        ({"n": 2.5}, ValueError),
        ({"seed": -1}, ValueError),
        ({"days": -1}, ScenarioError),
        ({"days": "1"}, ScenarioError),
        ({"policy": "nonsense"}, ScenarioError),
    ],
)
def test_bad_arguments_are_refused_before_any_run(monkeypatch, arguments, error):
    monkeypatch.setattr(ex, "run_kpis", _no_runs)
    with pytest.raises(error):
        replicate(SMALL, **{"n": 3, **arguments}, progress=False)


def _no_runs(*args, **kwargs):
    raise AssertionError("a run started before the arguments were checked")


def test_progress_goes_to_stderr_with_the_count(capsys):
    replicate(SMALL, 3, seed=1, progress=True)
    captured = capsys.readouterr()
    assert "3/3" in captured.err and "erlang_check" in captured.err
    assert captured.out == ""
    replicate(SMALL, 3, seed=1, progress=False)
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- compare


def test_compare_finds_that_more_agents_cut_the_wait():
    result = compare(
        SMALL, {"8 agents": {STAFF: 8}, "12 agents": {STAFF: 12}}, 5, seed=2, progress=False
    )
    assert result.baseline == "8 agents"
    row = result.differences().set_index(["policy", "kpi"]).loc[("12 agents", "mean_wait_min")]
    assert row["significant"]
    assert row["mean_difference"] < 0 and row["ci_high"] < 0
    assert row["policy_mean"] < row["baseline_mean"]
    assert row["mean_difference"] == pytest.approx(row["policy_mean"] - row["baseline_mean"])
    # the summary agrees: 12 agents' whole interval lies below 8 agents'
    summary = result.summary().set_index(["policy", "kpi"])
    assert (
        summary.loc[("12 agents", "mean_wait_min"), "ci_high"]
        < summary.loc[("8 agents", "mean_wait_min"), "ci_low"]
    )


def test_two_identical_policies_differ_by_exactly_nothing():
    result = compare(
        SMALL, {"ten": {STAFF: 10}, "also ten": {STAFF: 10}}, 4, seed=3, progress=False
    )
    differences = result.differences()
    assert set(differences["policy"]) == {"also ten"}
    assert set(differences["kpi"]) == set(result.kpis)
    assert (differences["mean_difference"] == 0).all()
    assert (differences["ci_low"] == 0).all() and (differences["ci_high"] == 0).all()
    assert not differences["significant"].any()


def test_policy_names_and_override_mappings_give_the_same_runs():
    with_policy = SMALL.with_overrides({"policies": {"eight": {STAFF: 8}}})
    by_name = compare(with_policy, [None, "eight"], 3, progress=False)
    by_mapping = compare(with_policy, {"baseline": None, "eight": {STAFF: 8}}, 3, progress=False)
    assert by_name.policies == ("baseline", "eight")
    assert_frame_equal(by_name.runs, by_mapping.runs)
    chosen = compare(with_policy, [None, "eight"], 3, baseline="eight", progress=False)
    assert chosen.differences()["policy"].unique().tolist() == ["baseline"]


def test_compare_refuses_unknown_policies_and_baselines_before_running(monkeypatch):
    monkeypatch.setattr(ex, "run_kpis", _no_runs)
    with pytest.raises(ScenarioError, match="unknown policy"):
        compare(SMALL, [None, "nonsense"], 3, progress=False)
    with pytest.raises(ScenarioError, match="fone"):
        compare(SMALL, {"typo": {"touchpoints.fone.staff": 8}}, 3, progress=False)
    with pytest.raises(ValueError, match="baseline"):
        compare(SMALL, [None], 3, baseline="other", progress=False)
    with pytest.raises(ValueError, match="twice"):
        compare(SMALL, [None, "baseline"], 3, progress=False)


def test_common_random_numbers_make_the_paired_interval_much_narrower():
    policies = {"10 agents": {STAFF: 10}, "11 agents": {STAFF: 11}}
    crn = compare(SMALL, policies, 8, seed=4, progress=False)
    independent = compare(SMALL, policies, 8, seed=4, progress=False, common_random_numbers=False)
    # CRN: replication i of both policies shares its seed; without CRN it does not
    by_policy = crn.runs.groupby("policy", sort=False)["seed"].apply(list)
    assert by_policy["10 agents"] == by_policy["11 agents"]
    by_policy = independent.runs.groupby("policy", sort=False)["seed"].apply(list)
    assert not set(by_policy["10 agents"]) & set(by_policy["11 agents"])

    def half_width(result, paired):
        table = result.differences(paired=paired).set_index("kpi")
        return table.loc["mean_wait_min", "half_width"]

    paired = half_width(crn, paired=True)
    assert paired < 0.5 * half_width(crn, paired=False)  # same runs, pairing ignored
    assert paired < 0.5 * half_width(independent, paired=False)  # independent runs
    # both ways agree on the sign: one more agent, shorter waits
    for result in (crn, independent):
        assert result.differences().set_index("kpi").loc["mean_wait_min", "mean_difference"] < 0


# --------------------------------------------------------------------------- sweep

GRID = {STAFF: [8, 10, 12], PATIENCE: [1, 2]}


def test_sweep_covers_the_grid_and_more_staff_always_waits_less():
    result = sweep(SMALL, GRID, 3, seed=5, progress=False)
    summary = result.summary()
    kpis = result.kpis
    assert len(summary) == 3 * 2 * len(kpis)
    assert list(summary.columns[:3]) == [STAFF, PATIENCE, "kpi"]
    assert {"mean", "ci_low", "ci_high", "n"} <= set(summary.columns)
    assert (summary["n"] == 3).all()
    assert len(result.runs) == 3 * 2 * 3
    points = summary[[STAFF, PATIENCE]].drop_duplicates().to_numpy().tolist()
    assert points == [[8, 1], [8, 2], [10, 1], [10, 2], [12, 1], [12, 2]]
    wait = result.pivot()["mean_wait_min"]
    for patience in GRID[PATIENCE]:
        by_staff = [wait[(staff, patience)] for staff in GRID[STAFF]]
        assert by_staff[0] > by_staff[1] > by_staff[2], (patience, by_staff)
    # every grid point sees the same customers (common random numbers)
    assert result.runs.groupby("point")["seed"].apply(tuple).nunique() == 1


@pytest.mark.parametrize(
    ("grid", "where"),
    [
        ({STAFF: [8], "touchpoints.fone.staff": [9]}, "fone"),
        ({STAFF: [8, 10, -1]}, "staff"),
        ({"segments.caller.patience_min.mean": [2, 0]}, "patience"),
    ],
)
def test_a_bad_grid_fails_at_once_before_any_run(monkeypatch, grid, where):
    monkeypatch.setattr(ex, "run_kpis", _no_runs)
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match=where):
        sweep(SMALL, grid, 1000, progress=False)
    assert time.perf_counter() - start < 1.0


def test_sweep_summary_goes_to_csv(tmp_path):
    result = sweep(SMALL, {STAFF: [9, 11]}, 2, progress=False)
    path = result.to_csv(tmp_path / "out" / "sweep.csv")
    back = pd.read_csv(path)
    assert list(back.columns) == list(result.summary().columns)
    assert len(back) == 2 * len(result.kpis)
    assert np.allclose(back["mean"], result.summary()["mean"])
    assert "touchpoints.phone.staff" in repr(result)


def test_parse_grid_reads_numbers_and_text():
    grid = parse_grid([f"{STAFF}=8,10,12", f"{PATIENCE}=1.5, 2", "policy.kind=staffed"])
    assert grid == {STAFF: [8, 10, 12], PATIENCE: [1.5, 2], "policy.kind": ["staffed"]}
    assert isinstance(grid[STAFF][0], int) and isinstance(grid[PATIENCE][0], float)


@pytest.mark.parametrize("item", ["touchpoints.phone.staff", "=1,2", "a.b=", "a.b=1,,2"])
def test_parse_grid_refuses_malformed_items(item):
    with pytest.raises(ValueError, match="PATH=VALUE"):
        parse_grid([item])


def test_parse_level_checks_the_level_given_on_the_command_line():
    assert parse_level("0.99") == 0.99
    for text in ("95", "0", "high"):
        with pytest.raises(ValueError, match="level"):
            parse_level(text)


def test_parse_grid_refuses_a_path_given_twice():
    with pytest.raises(ValueError, match="twice"):
        parse_grid(["a.b=1", "a.b=2"])


_NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)
_TEXT = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True).filter(
    lambda text: isinstance(ex._parse_value(text), str)
)
_VALUES = st.one_of(
    st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False), _TEXT
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.lists(_NAMES, min_size=1, max_size=4).map(".".join),
        st.lists(_VALUES, min_size=1, max_size=4),
        min_size=1,
        max_size=3,
    )
)
def test_parse_grid_round_trips_format_grid(grid):
    assert parse_grid(format_grid(grid)) == grid


# --------------------------------------------------------------------------- executors


def test_results_are_identical_whatever_the_executor_and_worker_count():
    serial = replicate(SMALL, 4, seed=6, progress=False).runs
    assert_frame_equal(
        replicate(SMALL, 4, seed=6, executor=SerialExecutor(), progress=False).runs, serial
    )
    with ThreadPoolExecutor(2) as threads:
        assert_frame_equal(
            replicate(SMALL, 4, seed=6, executor=threads, progress=False).runs, serial
        )
    for workers in (1, 2):
        with ProcessPoolExecutor(workers) as processes:
            runs = replicate(SMALL, 4, seed=6, executor=processes, progress=False).runs
        assert_frame_equal(runs, serial)


def test_sweeps_and_comparisons_are_identical_on_a_process_pool(pool):
    grid = {STAFF: [9, 11]}
    assert_frame_equal(
        sweep(SMALL, grid, 2, executor=pool, progress=False).runs,
        sweep(SMALL, grid, 2, progress=False).runs,
    )
    policies = {"9": {STAFF: 9}, "11": {STAFF: 11}}
    assert_frame_equal(
        compare(SMALL, policies, 2, executor=pool, progress=False).runs,
        compare(SMALL, policies, 2, progress=False).runs,
    )


class _RecordingPool(ThreadPoolExecutor):
    """Stands in for ProcessPoolExecutor: records how it was sized and that it was shut down."""

    made: list[_RecordingPool] = []

    def __init__(self, max_workers: int):
        super().__init__(max_workers)
        self.workers, self.closed = max_workers, False
        _RecordingPool.made.append(self)

    def shutdown(self, *args, **kwargs):
        self.closed = True
        super().shutdown(*args, **kwargs)


def test_the_default_starts_a_pool_only_for_big_work_and_closes_it(monkeypatch):
    monkeypatch.setattr(ex, "ProcessPoolExecutor", _RecordingPool)
    monkeypatch.setattr(ex.os, "cpu_count", lambda: 2)
    _RecordingPool.made.clear()
    small = replicate(SMALL, 3, seed=8, progress=False)  # ~9,000 callers: serial
    assert _RecordingPool.made == []
    assert SMALL.expected_arrivals * 3 < ex.AUTO_POOL_MIN_ARRIVALS
    monkeypatch.setattr(ex, "AUTO_POOL_MIN_ARRIVALS", 5_000)
    pooled = replicate(SMALL, 3, seed=8, progress=False)
    assert [(pool.workers, pool.closed) for pool in _RecordingPool.made] == [(2, True)]
    assert_frame_equal(pooled.runs, small.runs)


def _fail_on_third_seed(scenario, *, seed, days):
    if seed == replication_seed(0, 2):
        raise RuntimeError("run 2 failed")
    return _real_simulate(scenario, seed=seed, days=days)


_real_simulate = ex.simulate


@pytest.mark.parametrize(
    "make_executor", [lambda: None, SerialExecutor, lambda: ThreadPoolExecutor(2)]
)
def test_an_error_in_one_run_reaches_the_caller(monkeypatch, make_executor):
    monkeypatch.setattr(ex, "simulate", _fail_on_third_seed)
    executor = make_executor()
    with pytest.raises(RuntimeError, match="run 2 failed"):
        replicate(SMALL, 6, executor=executor, progress=False)
    if executor is not None:
        executor.shutdown()


_SCENARIO_ERROR_IN_A_WORKER = """
from concurrent.futures import ProcessPoolExecutor
import cxsim
from cxsim import experiments
experiments._check_days = lambda scenario, days: None  # let the bad days reach a worker
small = cxsim.load_scenario("erlang_check").with_overrides({"horizon_days": 0.01})
if __name__ == "__main__":
    with ProcessPoolExecutor(1) as pool:
        try:
            experiments.replicate(small, 1, days=-1.0, executor=pool, progress=False)
        except cxsim.ScenarioError as error:
            print("reported:", error)
        except Exception as error:
            print("lost:", type(error).__name__, error)
"""


def test_a_scenario_error_inside_a_worker_process_is_reported():
    """In a fresh interpreter: importing dask.distributed (as this module does) makes every
    exception class that exists at that moment picklable (tblib), which hides the bug
    depending on the order test modules are imported."""
    result = subprocess.run(
        [sys.executable, "-c", _SCENARIO_ERROR_IN_A_WORKER],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "reported:" in result.stdout and "days" in result.stdout, result.stdout


# Dask last: its cluster keeps threads alive in this process until the module ends.


@pytest.fixture(scope="module")
def dask_client():
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_a_dask_cluster_gives_the_same_results_as_a_serial_run(dask_client):
    serial = replicate(SMALL, 4, seed=9, progress=False).runs
    runs = replicate(SMALL, 4, seed=9, executor=dask_client.get_executor(), progress=False).runs
    assert_frame_equal(runs, serial)
    assert len(dask_client.scheduler_info()["workers"]) == 2
