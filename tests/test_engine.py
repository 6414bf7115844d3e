"""The engine as a user meets it: arrivals by hour, rotas, the CLI, tables."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import cxsim
from cxsim.cli import main


def test_arrivals_follow_the_hourly_profile():
    """Over 20 days each hour of the day gets arrivals in proportion to its multiplier."""
    scenario = cxsim.load_scenario("contact_centre").with_overrides(
        {
            "behaviour": None,
            "economics": None,
            "levers": None,
            "policies": {},
            "customer_base": "opening",
            "segments.regular.base": None,
            "segments.premium.base": None,
        }
    )
    result = cxsim.simulate(scenario, seed=4, days=20)
    arrivals = result.customers["arrival_min"].to_numpy()
    counts = np.bincount((arrivals // 60).astype(int) % 24, minlength=24)
    profile = np.asarray(scenario.arrivals.hourly_profile)
    expected = scenario.arrivals.rate_per_hour * profile * 20
    # Poisson: each hour within 4 standard deviations, and a chi-square that is not absurd
    assert np.all(np.abs(counts - expected) <= 4 * np.sqrt(expected) + 1)
    chi_square = float(((counts - expected) ** 2 / expected).sum())
    assert chi_square < 60  # 23 degrees of freedom: p < 1e-4 beyond ~55
    assert counts.sum() == pytest.approx(expected.sum(), rel=0.03)


def test_staff_on_duty_follows_the_rota_hour_by_hour():
    result = cxsim.simulate("contact_centre", seed=0, days=2)
    rota = cxsim.load_scenario("contact_centre").touchpoint("phone").hourly_staff
    timeseries = result.timeseries
    assert timeseries["staff"].tolist() == [float(x) for x in rota * 2]
    # nobody is ever served by more people than are on duty
    assert (timeseries["busy_staff"] <= timeseries["staff"] + 1e-9).all()


def test_kpis_by_touchpoint_and_segment_add_up():
    result = cxsim.simulate("retail_journey", seed=2, days=5)
    by_touchpoint = result.kpis(by="touchpoint")
    assert set(by_touchpoint.index) == {"website", "store", "delivery", "support"}
    assert by_touchpoint["arrivals"].sum() == result.kpis()["interactions"]
    by_segment = result.kpis(by="segment")
    assert by_segment["customers"].sum() == result.kpis()["customers"]
    assert set(by_segment.index) == {"online", "in_store"}
    with pytest.raises(ValueError, match="allowed"):
        result.kpis(by="colour")


def test_warmup_customers_are_not_counted():
    result = cxsim.simulate("erlang_check", seed=0, days=1)
    customers = result.customers
    counted = (customers["arrival_min"] >= 1440).sum()
    assert result.kpis()["customers"] == counted
    assert len(customers) > counted  # the warm-up day was simulated


def test_cli_run_prints_kpis_and_writes_tables(tmp_path, capsys):
    code = main(
        [
            "run",
            "contact_centre",
            "--policy",
            "lean",
            "--seed",
            "3",
            "--days",
            "2",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "Mean wait (min)" in printed and "policy: lean" in printed
    interactions = pd.read_csv(tmp_path / "interactions.csv")
    direct = cxsim.simulate("contact_centre", policy="lean", seed=3, days=2).interactions
    assert len(interactions) == len(direct)
    assert np.allclose(interactions["wait_min"], direct["wait_min"])
    for name in ("customers", "journeys", "timeseries", "kpis_by_touchpoint", "daily"):
        assert (tmp_path / f"{name}.csv").is_file()


def test_cli_validate_exit_codes(tmp_path, capsys):
    assert main(["validate", "contact_centre"]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nhorizon_days: -1\n")
    assert main(["validate", str(bad)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and str(bad) in error


def test_cli_list_names_the_bundled_scenarios(capsys):
    assert main(["list"]) == 0
    printed = capsys.readouterr().out
    for name in ("contact_centre", "retail_journey", "erlang_check", "airport_security"):
        assert name in printed


def test_python_dash_m_cxsim_runs_as_a_program():
    completed = subprocess.run(
        [sys.executable, "-m", "cxsim", "validate", "/no/such.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "file not found" in completed.stderr and "Traceback" not in completed.stderr
