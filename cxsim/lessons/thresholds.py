"""Threshold exercises judged on replications: "the fewest X that reach Y".

Some exercises ask for a threshold: the fewest extra agents that keep staff morale at
0.75 every day (lesson 07), the fewest follow-up calls a day that reach half of the bad
journeys (lesson 08).  One seeded run answers such a question with one draw of luck;
another seed can move the answer by a step.  A :class:`Threshold` measures its quantity
in ``replications`` runs at every setting, the same seeds at every setting (common
random numbers), and judges an answer with the runs' confidence intervals:

* a setting *falls short* when the whole interval of its mean lies below the target;
* a setting *clearly reaches* the target when the whole interval lies at or above it;
* otherwise the runs cannot tell.

An answer is acceptable when it does not fall short and no smaller setting clearly
reaches the target: the tolerance is the width of the intervals, not a number chosen by
hand.  The intervals are Student t intervals at ``1 - (1 - level) / k``, ``k`` the
settings measured (Bonferroni: together they hold with probability at least ``level``;
Law, *Simulation Modeling and Analysis*, 5th ed., §9.4 and §10.2).

Settings are measured in increasing order, and the runs stop after the first setting that
clearly reaches the target: a larger one cannot be the answer.  The measurements are a
pure function of the inputs, so they are precomputed (:mod:`cxsim.precomputed`) and a
check is instant.

>>> judged = judge_values({0: [0.60, 0.62, 0.61], 1: [0.75, 0.75, 0.75]}, target=0.75)
>>> [(s.setting, s.status) for s in judged]
[(0, 'short'), (1, 'reaches')]
>>> acceptable(judged)
[1]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..experiments import t_critical
from ..formatting import format_value, table_html
from ..i18n import _
from ..precomputed import precomputed, register_table
from . import Verdict

__all__ = [
    "Setting",
    "Threshold",
    "ThresholdVerdict",
    "acceptable",
    "judge_values",
    "register_threshold",
]

Status = Literal["short", "unclear", "reaches"]


@dataclass(frozen=True)
class Setting:
    """One setting judged: the mean of its measurements, their interval and its status."""

    setting: int
    values: tuple[float, ...]
    mean: float
    low: float
    high: float
    status: Status


def judge_values(
    values: Mapping[int, Sequence[float]], target: float, level: float = 0.95
) -> list[Setting]:
    """Each setting's mean and Bonferroni-corrected Student t interval, and whether it
    falls short of ``target``, clearly reaches it, or the runs cannot tell."""
    k = max(len(values), 1)
    judged = []
    for setting in sorted(values):
        x = np.asarray(values[setting], dtype=float)
        mean = float(x.mean())
        spread = float(x.std(ddof=1)) if x.size > 1 else 0.0
        half = t_critical(x.size - 1, 1 - (1 - level) / k) * spread / math.sqrt(x.size)
        low, high = mean - half, mean + half
        status: Status = "short" if high < target else "reaches" if low >= target else "unclear"
        judged.append(Setting(int(setting), tuple(float(v) for v in x), mean, low, high, status))
    return judged


def acceptable(judged: Sequence[Setting]) -> list[int]:
    """The settings that do not fall short and above no setting that clearly reaches."""
    found = []
    for setting in judged:
        if setting.status != "short":
            found.append(setting.setting)
        if setting.status == "reaches":
            break
    return found


@dataclass(frozen=True)
class Threshold:
    """A threshold exercise (see the module's docstring).

    ``measure(setting, seed)`` gives the measured quantity of one run; ``inputs`` is
    everything else it depends on (scenario, days, demand...), for the precomputed
    table's key.  ``settings``: the allowed answers, in increasing order.  The labels
    are English, marked with ``N_``: ``setting_label`` takes ``{n}`` (a setting), or
    is a mapping setting -> its label; ``measure_label`` names the quantity, of
    ``kind`` (:func:`cxsim.formatting.format_value`), written with ``decimals``.
    """

    name: str
    settings: tuple[int, ...]
    measure: Callable[[int, int], float]
    target: float
    inputs: Mapping[str, Any]
    setting_label: str | Mapping[int, str]
    measure_label: str
    kind: str = "number"
    decimals: int | None = None
    replications: int = 10
    seed: int = 0
    days: float = 7
    level: float = 0.95

    def __post_init__(self) -> None:
        if list(self.settings) != sorted(set(self.settings)) or len(self.settings) < 2:
            raise ValueError(f"threshold {self.name}: settings must increase, two or more")
        if self.replications < 2:
            raise ValueError(f"threshold {self.name}: replications must be 2 or more")

    @property
    def table_name(self) -> str:
        """The name of its precomputed table (``data/precomputed/threshold_NAME.json``)."""
        return f"threshold_{self.name}"

    def label(self, setting: int) -> str:
        """A setting's name in the reader's language."""
        if isinstance(self.setting_label, Mapping):
            return _(self.setting_label[setting])
        return _(self.setting_label, n=setting)

    def key(self) -> dict[str, Any]:
        """What its table depends on (besides the model's code and data)."""
        return {
            "settings": list(self.settings),
            "target": self.target,
            "inputs": dict(self.inputs),
            "replications": self.replications,
            "seed": self.seed,
            "days": self.days,
            "level": self.level,
        }

    def run_seeds(self) -> list[int]:
        """The seeds of the replications: the same at every setting (paired runs)."""
        from ..experiments import replication_seed

        return [replication_seed(self.seed, i) for i in range(self.replications)]

    def _compute(self) -> dict[str, list[float]]:
        seeds = self.run_seeds()
        measured: dict[int, list[float]] = {}
        for setting in self.settings:
            measured[setting] = [float(self.measure(setting, seed)) for seed in seeds]
            if judge_values(measured, self.target, self.level)[-1].status == "reaches":
                break  # a larger setting cannot be the fewest that reaches the target
        return {str(setting): values for setting, values in measured.items()}

    def values(self) -> dict[int, list[float]]:
        """Setting -> its measurement in each replication (precomputed)."""
        table = precomputed(self.table_name, self.key(), self._compute)
        return {int(setting): values for setting, values in table.items()}

    def judge(self) -> list[Setting]:
        """Every measured setting judged against the target."""
        return judge_values(self.values(), self.target, self.level)

    def table(self) -> pd.DataFrame:
        """One row per measured setting, in the reader's language."""
        rows = {}
        words = {
            "short": _("falls short"),
            "unclear": _("cannot tell"),
            "reaches": _("reaches the target"),
        }
        for setting in self.judge():
            numbers = (setting.mean, setting.low, setting.high)
            if self.decimals is not None:
                numbers = tuple(round(value, self.decimals) for value in numbers)
            rows[self.label(setting.setting)] = {
                _(self.measure_label): numbers[0],
                _("interval low"): numbers[1],
                _("interval high"): numbers[2],
                _("verdict"): words[setting.status],
            }
        table = pd.DataFrame(rows).T
        table.index.name = _("answer")
        kinds = {_(self.measure_label): self.kind, _("interval low"): self.kind}
        kinds[_("interval high")] = self.kind
        table.attrs["column_kinds"] = kinds
        return table

    def verdict(self, answer: Any) -> ThresholdVerdict:
        """Whether ``answer`` (a setting) is acceptable, and why, with the numbers."""
        return _verdict(self, answer)


def register_threshold(threshold: Threshold) -> Threshold:
    """Declare ``threshold`` (its table is shipped precomputed) and return it."""
    register_table(threshold.table_name, threshold.key, threshold._compute)
    return threshold


# --------------------------------------------------------------------------- verdicts
class ThresholdVerdict(Verdict):
    """A :class:`~cxsim.lessons.Verdict` with the table of the measured settings below."""

    __slots__ = ("table",)

    def __init__(self, right: bool, message: str, table: pd.DataFrame | None = None):
        super().__init__(right, message)
        self.table = table

    def _repr_html_(self) -> str:
        box = super()._repr_html_()
        return box if self.table is None else box + table_html(self.table)


def _number(threshold: Threshold, value: float) -> str:
    if threshold.decimals is None:
        return format_value(value, threshold.kind)
    return format_value(value, threshold.kind, decimals=threshold.decimals)


def _interval(threshold: Threshold, setting: Setting) -> str:
    return _(
        "{measure} {mean} (interval {low} to {high})",
        measure=_(threshold.measure_label),
        mean=_number(threshold, setting.mean),
        low=_number(threshold, setting.low),
        high=_number(threshold, setting.high),
    )


def _verdict(threshold: Threshold, answer: Any) -> ThresholdVerdict:
    allowed = ", ".join(format_value(s, "count") for s in threshold.settings)
    try:
        number = float(str(answer).strip())
    except ValueError:
        number = math.nan
    if isinstance(answer, bool) or not number.is_integer() or number not in threshold.settings:
        return ThresholdVerdict(
            False,
            _(
                "{answer!r} is not one of the answers; allowed: {allowed}",
                answer=answer,
                allowed=allowed,
            ),
        )
    given = int(number)
    judged = threshold.judge()
    by_setting = {s.setting: s for s in judged}
    good = acceptable(judged)
    target = _number(threshold, threshold.target)
    runs = _(
        "{n} runs of {days} days each, the same customers for every answer",
        n=format_value(threshold.replications, "count"),
        days=format_value(threshold.days, "count"),
    )
    name = threshold.label(given)
    smaller = [s for s in judged if s.setting < given]
    if given in good:
        lines = [
            _("Right: {answer}.", answer=name),
            _(
                "In {runs}: {numbers}; the target is {target}.",
                runs=runs,
                numbers=_interval(threshold, by_setting[given]),
                target=target,
            ),
        ]
        if smaller and smaller[-1].status == "short":
            lines.append(
                _(
                    "With one step fewer, {numbers}: not enough.",
                    numbers=_interval(threshold, smaller[-1]),
                )
            )
        elif smaller:
            lines.append(
                _(
                    "With one step fewer, {numbers}: the runs cannot tell whether that is "
                    "enough, so both answers are accepted.",
                    numbers=_interval(threshold, smaller[-1]),
                )
            )
        if by_setting[given].status == "unclear":
            lines.append(
                _(
                    "The interval straddles the target: the runs cannot tell, so this answer "
                    "and the next are both accepted."
                )
            )
    elif given in by_setting and by_setting[given].status == "short":
        lines = [
            _("Not yet: {answer} is too few.", answer=name),
            _(
                "In {runs}: {numbers}. Even the top of the interval stays below the target "
                "of {target}: the gap is not luck.",
                runs=runs,
                numbers=_interval(threshold, by_setting[given]),
                target=target,
            ),
        ]
    else:
        enough = next(s for s in judged if s.status == "reaches")
        lines = [
            _("Not yet: {answer} is more than needed.", answer=name),
            _(
                "Already with {fewer}, in {runs}: {numbers}, wholly at or above the target "
                "of {target}.",
                fewer=threshold.label(enough.setting),
                runs=runs,
                numbers=_interval(threshold, enough),
                target=target,
            ),
        ]
    others = [s for s in good if s != given]
    if others:
        lines.append(
            _(
                "Also acceptable: {answers}.",
                answers=", ".join(threshold.label(s) for s in others),
            )
        )
    return ThresholdVerdict(given in good, "\n".join(lines), threshold.table())
