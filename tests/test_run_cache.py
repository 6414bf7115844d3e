"""The shared on-disk cache of runs (cxsim.run_cache): a run read from it is the run."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
import pytest

from cxsim import run_cache
from cxsim.catalog import load_scenario
from cxsim.simulation import simulate as fresh_simulate
from cxsim.widgets import staffing_dashboard

SCENARIO, SEED, DAYS = "contact_centre", 3, 1


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CXSIM_CACHE", str(tmp_path))
    monkeypatch.delenv(run_cache.LIMIT_ENV, raising=False)
    return tmp_path / "runs"


def _files(folder) -> list:
    return sorted(folder.glob("*.npz")) if folder.exists() else []


def test_a_run_read_from_the_cache_is_the_run_to_the_digit(own_cache):
    fresh = fresh_simulate(SCENARIO, policy="courtesy_training", seed=SEED, days=DAYS)
    stored = run_cache.simulate(SCENARIO, policy="courtesy_training", seed=SEED, days=DAYS)
    assert len(_files(own_cache)) == 1
    read = run_cache.simulate(SCENARIO, policy="courtesy_training", seed=SEED, days=DAYS)
    assert len(_files(own_cache)) == 1  # read, not stored again
    for result in (stored, read):
        assert result.policy == "courtesy_training" and result.seed == SEED
        assert result.scenario == fresh.scenario
        pd.testing.assert_frame_equal(result.interactions, fresh.interactions)
        pd.testing.assert_frame_equal(result.journeys, fresh.journeys)
        pd.testing.assert_frame_equal(result.daily, fresh.daily)
        assert result.kpis() == pytest.approx(fresh.kpis(), nan_ok=True, rel=0, abs=0)
    assert len(read.interactions) > 300  # a real day of calls, not an empty log


def test_a_second_identical_run_costs_almost_nothing(own_cache):
    import time

    started = time.perf_counter()
    run_cache.simulate(SCENARIO, seed=SEED, days=7)
    ran = time.perf_counter() - started
    started = time.perf_counter()
    run_cache.simulate(SCENARIO, seed=SEED, days=7)
    read = time.perf_counter() - started
    # a generous ratio (a loaded machine): reading is far cheaper than running a week
    assert read < ran / 3, (read, ran)


def test_the_key_changes_with_everything_that_changes_the_run():
    base = run_cache.run_key(SCENARIO, seed=SEED, days=DAYS)
    scenario = load_scenario(SCENARIO)
    changed = scenario.with_overrides({"touchpoints.phone.service_min.mean": 5.0}, path="t")
    others = {
        "seed": run_cache.run_key(SCENARIO, seed=SEED + 1, days=DAYS),
        "days": run_cache.run_key(SCENARIO, seed=SEED, days=DAYS + 1),
        "policy": run_cache.run_key(SCENARIO, policy="courtesy_training", seed=SEED, days=DAYS),
        "scenario content": run_cache.run_key(changed, seed=SEED, days=DAYS),
        "another scenario": run_cache.run_key("retail_journey", seed=SEED, days=DAYS),
    }
    assert len({base, *others.values()}) == 1 + len(others), others
    # the same content is the same run, however it was loaded
    assert run_cache.run_key(scenario, seed=SEED, days=DAYS) == base


def test_the_key_changes_with_the_model(monkeypatch):
    base = run_cache.run_key(SCENARIO, seed=SEED, days=DAYS)
    monkeypatch.setattr(run_cache, "model_fingerprint", lambda: "another-model-code")
    assert run_cache.run_key(SCENARIO, seed=SEED, days=DAYS) != base


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b""),
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: path.write_bytes(b"not a zip file at all" * 100),
    ],
    ids=["empty", "half written", "garbage"],
)
def test_a_damaged_file_is_a_miss_and_is_replaced(own_cache, damage):
    fresh = fresh_simulate(SCENARIO, seed=SEED, days=DAYS)
    run_cache.simulate(SCENARIO, seed=SEED, days=DAYS)
    (path,) = _files(own_cache)
    damage(path)
    again = run_cache.simulate(SCENARIO, seed=SEED, days=DAYS)
    pd.testing.assert_frame_equal(again.interactions, fresh.interactions)
    assert path.stat().st_size > 10_000  # written again, whole


def test_a_file_stored_under_another_key_is_never_used(own_cache):
    run_cache.simulate(SCENARIO, seed=SEED, days=DAYS)
    (path,) = _files(own_cache)
    # another run's file put in this run's place (a collision, or a copied folder)
    other = run_cache.simulate(SCENARIO, seed=SEED + 1, days=DAYS)
    other_path = next(p for p in _files(own_cache) if p != path)
    os.replace(other_path, path)
    result = run_cache.simulate(SCENARIO, seed=SEED, days=DAYS)
    assert result.kpis()["customers"] != other.kpis()["customers"]
    expected = fresh_simulate(SCENARIO, seed=SEED, days=DAYS)
    assert result.kpis()["customers"] == expected.kpis()["customers"]


def _run_in_child(seed: int) -> float:
    return run_cache.simulate(SCENARIO, seed=seed, days=DAYS).kpis()["service_level"]


def test_concurrent_writers_of_the_same_runs_are_safe(own_cache):
    # four processes run and store the same two runs at once, as kernels of a room do
    seeds = [SEED, SEED + 1] * 4
    with ProcessPoolExecutor(max_workers=4) as pool:
        levels = list(pool.map(_run_in_child, seeds))
    expected = {
        s: fresh_simulate(SCENARIO, seed=s, days=DAYS).kpis()["service_level"] for s in seeds
    }
    assert levels == [expected[s] for s in seeds]
    assert len(_files(own_cache)) == 2
    assert not list(own_cache.glob("*.tmp"))  # no half-written file left behind
    assert [_run_in_child(s) for s in (SEED, SEED + 1)] == [expected[SEED], expected[SEED + 1]]


def test_a_run_asked_for_by_many_kernels_at_once_is_made_once(own_cache, monkeypatch):
    # a class moves its sliders together: eight kernels ask for the same run at the same
    # moment; one makes it, the others wait and read it
    import threading
    import time

    made = []

    def slow_simulate(*args, **kwargs):
        made.append(threading.get_ident())
        time.sleep(0.3)  # long enough for every other asker to arrive meanwhile
        return fresh_simulate(*args, **kwargs)

    monkeypatch.setattr(run_cache, "_simulate", slow_simulate)
    start = threading.Barrier(8)
    levels: list[float] = []

    def ask() -> None:
        start.wait()
        levels.append(run_cache.simulate(SCENARIO, seed=SEED, days=DAYS).kpis()["service_level"])

    askers = [threading.Thread(target=ask) for _ in range(8)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(timeout=120)
    expected = fresh_simulate(SCENARIO, seed=SEED, days=DAYS).kpis()["service_level"]
    assert len(made) == 1, f"the same run was made {len(made)} times"
    assert levels == [expected] * 8


def test_the_folder_stays_within_its_bound_least_recently_used_first(own_cache, monkeypatch):
    paths = {}
    for seed in (0, 1, 2):
        before = set(_files(own_cache))
        run_cache.simulate(SCENARIO, seed=seed, days=DAYS)
        (paths[seed],) = set(_files(own_cache)) - before
        os.utime(paths[seed], (1 + seed, 1 + seed))  # written long ago, in this order
    largest = max(p.stat().st_size for p in paths.values())
    # room for three and a half runs of this size
    monkeypatch.setenv(run_cache.LIMIT_ENV, str(3.5 * largest / 1024 / 1024))
    run_cache.simulate(SCENARIO, seed=0, days=DAYS)  # a hit: now the most recently used
    run_cache.simulate(SCENARIO, seed=3, days=DAYS)  # a fourth run: over the bound
    files = _files(own_cache)
    assert sum(p.stat().st_size for p in files) <= 0.8 * 3.5 * largest
    assert paths[0] in files  # used recently, so kept
    assert paths[1] not in files  # the least recently used goes first
    assert len(files) < 4


def test_zero_megabytes_turns_the_cache_off(own_cache, monkeypatch):
    monkeypatch.setenv(run_cache.LIMIT_ENV, "0")
    run_cache.simulate(SCENARIO, seed=SEED, days=DAYS)
    assert _files(own_cache) == []


def test_a_bad_bound_is_one_clear_error(monkeypatch):
    monkeypatch.setenv(run_cache.LIMIT_ENV, "lots")
    with pytest.raises(ValueError, match="CXSIM_RUN_CACHE_MB.*megabytes"):
        run_cache.limit_bytes()


def test_bad_arguments_raise_what_simulate_raises():
    with pytest.raises(ValueError, match="seed"):
        run_cache.simulate(SCENARIO, seed=-1, days=DAYS)
    with pytest.raises(ValueError, match="days"):
        run_cache.simulate(SCENARIO, seed=0, days=-2)


def test_two_dashboards_share_runs_through_the_folder(own_cache):
    # two trainees' kernels: the second builds its dashboard from the first one's runs
    first = staffing_dashboard(days=1)
    table_first, _figures = first.update(extra_agents=2)
    stored = len(_files(own_cache))
    assert stored == 2  # the baseline and the variant
    second = staffing_dashboard(days=1)
    table_second, _figures = second.update(extra_agents=2)
    assert len(_files(own_cache)) == stored
    pd.testing.assert_frame_equal(table_first, table_second)
