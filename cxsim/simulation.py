"""``simulate``: one seeded run of a scenario under an optional policy."""

from __future__ import annotations

import numbers
import os
from collections.abc import Mapping
from typing import Any

from .catalog import load_scenario
from .i18n import _
from .model import run_model
from .results import Result
from .scenario import Scenario, ScenarioError, shown

__all__ = ["simulate", "MAX_SEED"]

MAX_SEED = 2**64 - 1  # seeds are whole numbers; numpy takes any size, a person types a few digits


def simulate(
    scenario: str | os.PathLike[str] | Mapping[str, Any] | Scenario,
    *,
    policy: str | None = None,
    seed: int = 0,
    days: float | None = None,
) -> Result:
    """Run ``scenario`` once.

    ``scenario`` is a bundled name, a YAML path, a mapping or a loaded
    :class:`Scenario`; ``policy`` names one of its policies; ``seed`` fixes
    every random draw (same seed, same numbers, to the digit); ``days``
    replaces the scenario's ``horizon_days``.

    >>> result = simulate("erlang_check", seed=1, days=1)
    >>> result.kpis()["customers"] > 10_000
    True
    """
    loaded = load_scenario(scenario).with_policy(policy)
    # numpy refuses a negative seed with a bare ValueError deep in the first random stream
    whole = isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
    if not whole or not 0 <= seed <= MAX_SEED:
        raise ScenarioError(
            loaded.source,
            "seed",
            _(
                "must be a whole number from 0 to {limit}, got {seed!r}",
                limit=MAX_SEED,
                seed=shown(seed),
            ),
        )
    if days is not None:
        if not isinstance(days, int | float) or isinstance(days, bool) or not days > 0:
            raise ScenarioError(
                loaded.source, "days", _("must be a number > 0, got {days!r}", days=shown(days))
            )
        loaded = loaded.with_overrides({"horizon_days": days}, path="days")
    return Result(loaded, run_model(loaded, seed), policy=policy, seed=seed)
