"""Threshold exercises judged on replications (cxsim.lessons.thresholds)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cxsim.experiments import t_critical
from cxsim.lessons.thresholds import Threshold, acceptable, judge_values


def test_intervals_are_bonferroni_student_t_over_the_settings():
    values = {0: [0.30, 0.34, 0.32, 0.36], 5: [0.48, 0.55, 0.51, 0.47], 10: [0.7, 0.8, 0.75, 0.72]}
    judged = judge_values(values, target=0.5)
    t = t_critical(3, 1 - 0.05 / 3)
    for setting in judged:
        x = np.asarray(values[setting.setting])
        half = t * x.std(ddof=1) / math.sqrt(4)
        assert setting.low == pytest.approx(x.mean() - half)
        assert setting.high == pytest.approx(x.mean() + half)
    assert [s.status for s in judged] == ["short", "unclear", "reaches"]
    # 5 cannot be told from the target, so 5 and 10 are both right; 0 falls short
    assert acceptable(judged) == [5, 10]


def test_a_larger_setting_than_the_first_clear_one_is_not_acceptable():
    runs = {1: [0.2, 0.25, 0.22, 0.21], 2: [0.9, 0.91, 0.92, 0.9], 3: [0.95, 0.96, 0.97, 0.95]}
    judged = judge_values(runs, target=0.5)
    assert acceptable(judged) == [2]


def test_runs_stop_after_the_first_setting_that_clearly_reaches(tmp_path, monkeypatch):
    monkeypatch.setenv("CXSIM_CACHE", str(tmp_path))
    measured = []

    def measure(setting: int, seed: int) -> float:
        measured.append(setting)
        return setting / 10 + (0.01 if len(measured) % 2 else -0.01)  # runs differ a little

    threshold = Threshold(
        name="t_stop",
        settings=(0, 5, 10, 15),
        measure=measure,
        target=0.5,
        inputs={"test": 1},
        setting_label="{n} calls",
        measure_label="share",
        kind="share",
        replications=4,
    )
    assert sorted(threshold.values()) == [0, 5, 10]  # 5 cannot tell; 15 is never run
    assert set(measured) == {0, 5, 10}
    verdict = threshold.verdict(15)
    assert not verdict and "more than needed" in verdict.message
    assert threshold.verdict(5) and not threshold.verdict(0)
    with pytest.raises(ValueError, match="settings"):
        Threshold(
            name="bad",
            settings=(5, 0),
            measure=measure,
            target=0.5,
            inputs={},
            setting_label="{n}",
            measure_label="x",
        )
