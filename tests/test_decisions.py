"""Decisions judged against the best with paired runs (cxsim.decisions, cxsim.precomputed)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from cxsim import decisions, precomputed
from cxsim.decisions import Candidate, Decision, judge, verdict
from cxsim.experiments import t_critical
from cxsim.i18n import set_language


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CXSIM_CACHE", str(tmp_path / "cache"))
    yield
    set_language("en")


def staffing(name: str = "t_erlang", **changes) -> Decision:
    """Agents on the Erlang check line (half a day, fast): 4 is overloaded, 5 and 6
    close.  Labels are bundled policy names, so that Persian has their translations."""
    options = {
        "name": name,
        "scenario": "erlang_check",
        "question": "How many agents?",
        "candidates": tuple(
            Candidate(
                str(k),
                "baseline" if k == 5 else "lean" if k == 4 else "generous",
                {"touchpoints.phone.staff": k},
            )
            for k in (4, 5, 6)
        ),
        "objective": "service_level",
        "replications": 6,
        "days": 0.5,
        "shown": ("mean_wait_min",),
    }
    options.update(changes)
    return Decision(**options)


def test_judgement_is_a_bonferroni_paired_comparison_with_the_best():
    decision = staffing()
    judgement = judge(decision)
    runs = decision.runs()
    means = {key: np.mean(runs[key]["service_level"]) for key in ("4", "5", "6")}
    assert judgement.best.key == max(means, key=means.get)
    # every interval recomputed by hand: paired differences, t at 1 - 0.05 / 2
    t = t_critical(5, 1 - 0.05 / 2)
    for key in ("4", "5", "6"):
        d = np.asarray(runs[key]["service_level"]) - np.asarray(
            runs[judgement.best.key]["service_level"]
        )
        half = t * d.std(ddof=1) / math.sqrt(6) if key != judgement.best.key else 0.0
        row = judgement.row(key)
        assert row.difference == pytest.approx(d.mean())
        assert row.ci_high - row.difference == pytest.approx(half)
        assert row.acceptable == (row.ci_low <= 0 <= row.ci_high)
    # four agents on this line are clearly worse than five or six
    assert not judgement.row("4").acceptable
    assert judgement.row(judgement.best.key).acceptable


def test_verdict_says_why_with_numbers_in_both_languages():
    decision = staffing()
    wrong = verdict(decision, "lean")
    assert not wrong and "not among the best" in wrong.message
    assert "corrected for 2 comparisons" in wrong.message
    right = verdict(decision, judge(decision).best.key)
    assert right and "best answer" in right.message
    assert "is not one of the answers" in verdict(decision, "seven").message
    set_language("fa")
    persian = verdict(decision, "4")
    assert not persian
    assert not any("a" <= ch.lower() <= "z" for ch in persian.message.replace("NPS", ""))


def test_constraint_keeps_the_cheapest_candidate_that_reaches_the_target():
    decision = staffing(
        "t_erlang_cost",
        objective="utilisation",  # the busiest staff: the fewest agents, the cheapest
        maximise=True,
        constraint=("service_level", 0.6),
        shown=(),
    )
    judgement = judge(decision)
    runs = decision.runs()
    reaching = [k for k in ("4", "5", "6") if np.mean(runs[k]["service_level"]) >= 0.6]
    assert reaching, "the fixture should let some candidate reach 60%"
    assert judgement.best.key == max(reaching, key=lambda k: np.mean(runs[k]["utilisation"]))
    assert judgement.best.key == min(reaching, key=int)
    assert not judgement.row("6").acceptable or judgement.best.key == "6"


def test_a_table_is_computed_once_then_read_from_the_cache(monkeypatch):
    decision = staffing("t_erlang_cache")
    first = decision.runs()
    monkeypatch.setattr(decisions, "compare", lambda *a, **k: pytest.fail("recomputed"))
    assert decision.runs() == first


def test_a_changed_model_makes_a_stored_table_stale(tmp_path, monkeypatch):
    calls = []
    key = {"x": 1}
    table = precomputed.precomputed("t_stale", key, lambda: calls.append(1) or {"v": [1.0]})
    assert table == {"v": [1.0]} and calls == [1]
    precomputed.precomputed("t_stale", key, lambda: calls.append(1) or {"v": [1.0]})
    assert calls == [1]
    monkeypatch.setattr(precomputed, "model_fingerprint", lambda: "changed")
    precomputed.precomputed("t_stale", key, lambda: calls.append(1) or {"v": [1.0]})
    assert calls == [1, 1]


def test_bad_decisions_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="t_no_money: the runs of erlang_check give no 'profit'"):
        staffing("t_no_money", objective="profit").runs()
    with pytest.raises(ValueError, match="unknown KPI 'happiness'"):
        staffing(objective="happiness")
    with pytest.raises(ValueError, match="two or more candidates"):
        staffing(candidates=(Candidate("a", "a"),))


def test_every_shipped_table_matches_its_decision_and_the_model():
    """A stale table (the model, a default or a decision changed) fails here: run
    scripts/build_precomputed.py."""
    import importlib.util
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_precomputed.py"
    spec = importlib.util.spec_from_file_location("build_precomputed", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_precomputed"] = module
    spec.loader.exec_module(module)
    module.load_all()
    stale = [name for name in precomputed.REGISTRY if not precomputed.is_current(name)]
    assert not stale, f"stale precomputed tables, run scripts/build_precomputed.py: {stale}"
    for path in precomputed.shipped_dir().glob("*.json"):
        assert path.stem in precomputed.REGISTRY, f"{path.name} is shipped but not registered"
        json.loads(path.read_text(encoding="utf-8"))
