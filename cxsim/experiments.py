"""Experiments: many runs, honest error bars, fair comparisons.

One simulated day is one draw from a random process: run it again with
another seed and every KPI moves.  A single run therefore cannot tell a real
improvement from luck.  This module turns runs into evidence.

Replications
    :func:`replicate` runs a scenario ``n`` times, each time with its own
    seed, so the ``n`` KPI values are independent draws from the same
    distribution.  Replication ``i`` of base seed ``s`` always uses the seed
    ``SeedSequence([s, i]).generate_state(1)[0]`` (see
    :func:`replication_seed`): the numbers do not depend on how many workers
    ran the replications, nor in which order they finished.

Confidence intervals
    From ``n`` replications with mean ``m`` and standard deviation ``s``,
    the interval ``m ± t * s / sqrt(n)`` contains the true long-run mean in
    95 % of experiments (``level=0.95``), where ``t`` is the Student-t
    quantile with ``n - 1`` degrees of freedom (``t = 2.776`` for 5 runs,
    ``2.262`` for 10, ``1.96`` for very many).  The interval is about the
    *mean of a run*: a warm-up that is too short, or a horizon too short to
    reach steady state, biases every run alike, and no number of
    replications removes that bias.  Quadrupling ``n`` halves the width.
    :func:`t_critical` takes ``t`` from ``scipy.stats`` (imported on first use:
    it takes a second or two to load, which a lesson that imports cxsim but runs
    no experiment never pays).  Any ``level`` strictly between 0 and 1 works.

Common random numbers (CRN)
    Every random stream of a run (arrivals, patience, each service time...)
    is derived from the run's seed and its purpose (:mod:`cxsim.rng`).  So
    replication ``i`` of two policies, run with the same seed, sees the same
    customers arriving at the same moments with the same needs; only the
    policy differs.  :func:`compare` and :func:`sweep` do this by default.

Paired comparison
    With CRN the two runs of replication ``i`` are twins, and their
    *difference* varies much less than either run.  :meth:`Comparison.differences`
    builds the interval from the ``n`` paired differences (``paired=True``);
    ``paired=False`` gives the Welch interval that ignores the pairing, to
    show how much narrower pairing makes it.  A difference is *significant*
    when its interval excludes 0.

Parallel runs
    ``executor=`` takes any :class:`concurrent.futures.Executor`: a
    ``ProcessPoolExecutor``, a ``ThreadPoolExecutor`` or a Dask cluster's
    ``client.get_executor()``.  With the default ``None`` a process pool with
    one worker per CPU is started (and shut down) when the work is large
    enough to pay for it (:data:`AUTO_POOL_MIN_ARRIVALS` expected customers in
    all runs together), otherwise the runs are serial; ``SerialExecutor()``
    forces serial runs (for a debugger, or a fair benchmark).  Results are the
    same to the last digit either way.

>>> reps = replicate("contact_centre", 4, seed=1, progress=False)
>>> list(reps.runs.columns[:3]), len(reps.runs)
(['replication', 'seed', 'policy'], 4)
>>> table = reps.summary()
>>> wait = table.loc["mean_wait_min"]
>>> bool(wait["ci_low"] < wait["mean"] < wait["ci_high"]), int(wait["n"])
(True, 4)
>>> round(t_critical(4), 3)
2.776
"""

from __future__ import annotations

import html
import math
import numbers
import os
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .catalog import load_scenario
from .formatting import table_html, table_text
from .i18n import _
from .kpis import KPIS
from .results import kpi_label
from .scenario import Scenario, ScenarioError
from .simulation import simulate

__all__ = [
    "AUTO_POOL_MIN_ARRIVALS",
    "Comparison",
    "Replications",
    "SerialExecutor",
    "Sweep",
    "compare",
    "confidence_interval",
    "format_grid",
    "parse_grid",
    "parse_level",
    "replicate",
    "replication_seed",
    "sweep",
    "t_critical",
]

ScenarioLike = str | os.PathLike[str] | Mapping[str, Any] | Scenario

#: With ``executor=None``, fewer expected customers than this over all runs are
#: simulated serially: starting worker processes would cost more than it saves.
AUTO_POOL_MIN_ARRIVALS = 200_000
#: The label of the scenario as it is, without a policy.
BASELINE = "baseline"
RUN_COLUMNS = ("replication", "seed", "policy")
STAT_COLUMNS = ("mean", "std", "ci_low", "ci_high", "half_width", "n")


# --------------------------------------------------------------------------- statistics
def _check_level(level: float) -> float:
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(_("level must be strictly between 0 and 1, got {level!r}", level=level))
    return float(level)


@lru_cache(maxsize=1024)
def t_critical(df: int, level: float = 0.95) -> float:
    """The ``t`` with ``P(|T| <= t) = level`` for Student's t with ``df`` degrees of freedom.

    A two-sided ``level`` interval is ``mean ± t_critical(n - 1, level) * std / sqrt(n)``.

    >>> round(t_critical(9), 4), round(t_critical(9, 0.90), 4), round(t_critical(9, 0.99), 4)
    (2.2622, 1.8331, 3.2498)
    """
    level = _check_level(level)
    if isinstance(df, bool) or not isinstance(df, numbers.Integral) or df < 1:
        raise ValueError(_("degrees of freedom must be a whole number >= 1, got {df!r}", df=df))
    from scipy.stats import t  # a second or two to import: only when an interval is drawn

    return float(t.ppf((1.0 + level) / 2.0, int(df)))


def _finite(values: Any) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[np.isfinite(array)]


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else math.nan


def _interval(mean: float, standard_error: float, df: int, level: float) -> dict[str, float]:
    half = t_critical(df, level) * standard_error if df >= 1 else math.nan
    return {"ci_low": mean - half, "ci_high": mean + half, "half_width": half}


def confidence_interval(values: Iterable[float], level: float = 0.95) -> dict[str, Any]:
    """Mean, standard deviation and Student-t interval of the finite ``values``.

    Returns ``mean, std, ci_low, ci_high, half_width, n`` (NaN where fewer than
    two values make an interval meaningless; NaN values are left out).

    >>> ci = confidence_interval([1, 2, 3, 4, 5])
    >>> ci["mean"], round(ci["half_width"], 4), ci["n"]
    (3.0, 1.9632, 5)
    """
    level = _check_level(level)
    x = _finite(list(values))
    n = int(x.size)
    mean = float(x.mean()) if n else math.nan
    std = float(x.std(ddof=1)) if n > 1 else math.nan
    interval = _interval(mean, std / math.sqrt(n) if n > 1 else math.nan, n - 1, level)
    return {"mean": mean, "std": std, **interval, "n": n}


def _welch(policy: np.ndarray, baseline: np.ndarray, level: float) -> dict[str, Any]:
    """Unpaired (Welch) interval of ``mean(policy) - mean(baseline)``
    (``scipy.stats.ttest_ind`` with unequal variances: Welch-Satterthwaite
    degrees of freedom)."""
    n_p, n_b = policy.size, baseline.size
    difference = _mean(policy) - _mean(baseline)
    if n_p < 2 or n_b < 2:
        return {
            "mean_difference": difference,
            **_interval(difference, math.nan, 0, level),
            "n": min(n_p, n_b),
        }
    if policy.var() == 0 and baseline.var() == 0:  # no spread at all: the difference is exact
        return {
            "mean_difference": difference,
            "ci_low": difference,
            "ci_high": difference,
            "half_width": 0.0,
            "n": min(n_p, n_b),
        }
    from scipy.stats import ttest_ind

    interval = ttest_ind(policy, baseline, equal_var=False).confidence_interval(level)
    return {
        "mean_difference": difference,
        "ci_low": float(interval.low),
        "ci_high": float(interval.high),
        "half_width": float(interval.high - interval.low) / 2.0,
        "n": min(n_p, n_b),
    }


def _significant(ci_low: float, ci_high: float) -> bool:
    return bool(ci_low > 0 or ci_high < 0)


# --------------------------------------------------------------------------- seeds and checks
def replication_seed(seed: int, replication: int, stream: int = 0) -> int:
    """The seed of replication ``replication`` of base seed ``seed``.

    ``SeedSequence([seed, replication]).generate_state(1)[0]``; a ``stream``
    above 0 gives an independent family (:func:`compare` without common
    random numbers).

    >>> replication_seed(0, 0) == replication_seed(0, 0) != replication_seed(0, 1)
    True
    """
    key = [seed, replication] if stream == 0 else [seed, replication, stream]
    return int(np.random.SeedSequence(key).generate_state(1)[0])


def _check_whole(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(
            _(
                "{name} must be a whole number >= {minimum}, got {value!r}",
                name=name,
                minimum=minimum,
                value=value,
            )
        )
    return int(value)


def _check_days(scenario: Scenario, days: float | None) -> None:
    """The check :func:`cxsim.simulate` makes, done once before any run starts."""
    if days is None:
        return
    if (
        not isinstance(days, int | float)
        or isinstance(days, bool)
        or not days > 0
        or not math.isfinite(days)
    ):
        raise ScenarioError(
            scenario.source, "days", _("must be a number > 0, got {days!r}", days=days)
        )


def _label(policy: str | None) -> str:
    return BASELINE if policy is None else str(policy)


def _with_policy(scenario: Scenario, policy: str | None) -> Scenario:
    """``None`` and ``"baseline"`` (unless the scenario defines it) mean the scenario as it is."""
    if policy is None or (policy == BASELINE and BASELINE not in scenario.policies):
        return scenario
    return scenario.with_policy(policy)


# --------------------------------------------------------------------------- running
class _Task(NamedTuple):
    scenario: Scenario
    seed: int
    days: float | None


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real)


def run_kpis(scenario: Scenario, seed: int, days: float | None = None) -> dict[str, float]:
    """The numeric KPIs of one run: the unit of work sent to executors.

    A top-level function of plain, picklable arguments, so process pools and
    Dask workers can run it.
    """
    kpis = simulate(scenario, seed=seed, days=days).kpis()
    return {name: value for name, value in kpis.items() if _is_number(value)}


class SerialExecutor(Executor):
    """An executor that runs each call at once, in this process (``executor=SerialExecutor()``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # delivered through the future, like any executor
            future.set_exception(error)
        return future


def _expected_arrivals(task: _Task) -> float:
    scenario = task.scenario
    if task.days is None:
        return scenario.expected_arrivals
    return scenario.expected_arrivals * (scenario.warmup_days + task.days) / scenario.total_days


def _auto_workers(tasks: Sequence[_Task]) -> int:
    """Worker processes for ``executor=None``: 1 (serial) unless the work pays for a pool."""
    cpus = os.cpu_count() or 1
    work = sum(_expected_arrivals(task) for task in tasks)
    if cpus < 2 or len(tasks) < 2 or work < AUTO_POOL_MIN_ARRIVALS:
        return 1
    return min(cpus, len(tasks))


@contextmanager
def _executor_for(tasks: Sequence[_Task], executor: Executor | None) -> Iterator[Executor | None]:
    """The caller's executor, or a process pool we own (and shut down), or None for serial."""
    if executor is not None:
        yield executor
        return
    workers = _auto_workers(tasks)
    if workers <= 1:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _gather(executor: Executor, tasks: Sequence[_Task], done: Callable[[], Any]) -> list[dict]:
    """Submit every task, collect results by index (the order never depends on timing)."""
    futures: dict[Future, int] = {
        executor.submit(run_kpis, *task): index for index, task in enumerate(tasks)
    }
    results: list[dict] = [{} for _task in tasks]
    try:
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            done()
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return results


def _execute(
    tasks: Sequence[_Task], executor: Executor | None, progress: bool, description: str
) -> list[dict]:
    """Run every task (serially or on an executor) under a progress bar."""
    with (
        tqdm(total=len(tasks), desc=description, unit=_("run"), disable=not progress) as bar,
        _executor_for(tasks, executor) as pool,
    ):
        if pool is None:
            results = []
            for task in tasks:
                results.append(run_kpis(*task))
                bar.update()
            return results
        return _gather(pool, tasks, bar.update)


def _runs_frame(
    labels: Sequence[Mapping[str, Any]], kpis: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """One row per run: the labels, then every numeric KPI (in the order runs report them)."""
    names: dict[str, None] = {}
    for values in kpis:
        names.update(dict.fromkeys(values))
    rows = [
        {**label, **{name: values.get(name, math.nan) for name in names}}
        for label, values in zip(labels, kpis, strict=True)
    ]
    return pd.DataFrame(rows, columns=[*(labels[0] if labels else RUN_COLUMNS), *names])


def _kpi_columns(runs: pd.DataFrame, label_columns: Iterable[str]) -> list[str]:
    labels = set(label_columns)
    return [name for name in runs.columns if name not in labels]


def _summarise(runs: pd.DataFrame, by: list[str], kpis: list[str], level: float) -> pd.DataFrame:
    """Per group of ``by`` (in order of appearance) and KPI: mean, std, interval, count."""
    groups = runs.groupby(by, sort=False) if by else [((), runs)]
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        for kpi in kpis:
            rows.append(
                {
                    **dict(zip(by, key, strict=True)),
                    "kpi": kpi,
                    **confidence_interval(group[kpi], level),
                }
            )
    return pd.DataFrame(rows, columns=[*by, "kpi", *STAT_COLUMNS])


# --------------------------------------------------------------------------- display
def _readable(frame: pd.DataFrame, level: float) -> pd.DataFrame:
    """The same table for people: translated column and KPI labels."""
    percent = f"{level * 100:g}%"
    labels = {
        "kpi": _("KPI"),
        "policy": _("policy"),
        "mean": _("mean"),
        "std": _("std. dev."),
        "ci_low": _("{level} CI low", level=percent),
        "ci_high": _("{level} CI high", level=percent),
        "half_width": _("± half-width"),
        "n": _("runs"),
        "baseline_mean": _("baseline mean"),
        "policy_mean": _("policy mean"),
        "mean_difference": _("difference"),
        "significant": _("significant"),
    }
    shown = frame.copy()
    if "kpi" in shown.columns:
        # each row's numbers are of its KPI's kind (cxsim.formatting)
        shown.attrs["row_kinds"] = [KPIS[kpi].kind if kpi in KPIS else None for kpi in shown["kpi"]]
        shown["kpi"] = shown["kpi"].map(kpi_label)
    if shown.index.name == "kpi":
        shown.index = shown.index.map(kpi_label).rename(labels["kpi"])
    shown = shown.rename(columns=labels)
    shown.attrs["column_kinds"] = {labels["n"]: "count", labels["significant"]: None}
    return shown


class _Shown:
    """``__repr__`` and ``_repr_html_`` from a title and a table (notebooks show the HTML)."""

    def _title(self) -> str:
        raise NotImplementedError

    def _table(self) -> pd.DataFrame:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{self._title()}\n{table_text(self._table())}"

    def _repr_html_(self) -> str:
        return f"<p><b>{html.escape(self._title())}</b></p>\n{table_html(self._table())}"


# --------------------------------------------------------------------------- replicate
@dataclass(frozen=True, eq=False, repr=False)
class Replications(_Shown):
    """``n`` independent runs of one scenario and policy.

    ``runs``: one row per replication (``replication, seed, policy``, then
    one column per KPI).  :meth:`summary`: one row per KPI with its mean and
    confidence interval.
    """

    runs: pd.DataFrame
    scenario: str = ""

    @property
    def kpis(self) -> list[str]:
        """The KPI columns of :attr:`runs`."""
        return _kpi_columns(self.runs, RUN_COLUMNS)

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """Indexed by KPI: ``mean, std, ci_low, ci_high, half_width, n``."""
        return _summarise(self.runs, [], self.kpis, _check_level(level)).set_index("kpi")

    def _title(self) -> str:
        policy = self.runs["policy"].iloc[0] if len(self.runs) else BASELINE
        return _(
            "{scenario} (policy: {policy}): {n} replications",
            scenario=self.scenario,
            policy=policy,
            n=len(self.runs),
        )

    def _table(self) -> pd.DataFrame:
        return _readable(self.summary(), 0.95)


def replicate(
    scenario: ScenarioLike,
    n: int,
    *,
    policy: str | None = None,
    seed: int = 0,
    days: float | None = None,
    executor: Executor | None = None,
    progress: bool = True,
) -> Replications:
    """Run ``scenario`` (under ``policy``) ``n`` times with seeds derived from ``seed``.

    Replication ``i`` uses :func:`replication_seed` ``(seed, i)``, whatever
    the ``executor``; see the module documentation for executors and progress.
    """
    n = _check_whole("n", n, 1)
    seed = _check_whole("seed", seed, 0)
    base = load_scenario(scenario)
    variant = _with_policy(base, policy)
    _check_days(base, days)
    seeds = [replication_seed(seed, i) for i in range(n)]
    tasks = [_Task(variant, s, days) for s in seeds]
    kpis = _execute(tasks, executor, progress, _("Replicating {scenario}", scenario=base.name))
    labels = [{"replication": i, "seed": s, "policy": _label(policy)} for i, s in enumerate(seeds)]
    return Replications(runs=_runs_frame(labels, kpis), scenario=base.name)


# --------------------------------------------------------------------------- compare
PolicySpec = str | None | Mapping[str, Any]


def _variants(
    base: Scenario, policies: Sequence[str | None] | Mapping[str, PolicySpec]
) -> dict[str, Scenario]:
    """Label -> validated scenario, for every policy to compare (all checked before any run)."""
    if isinstance(policies, str) or not isinstance(policies, Sequence | Mapping):
        raise ValueError(
            _(
                "policies must be a list of policy names or a mapping "
                "label -> overrides, got {policies!r}",
                policies=policies,
            )
        )
    if isinstance(policies, Mapping):
        items = [(str(label), spec) for label, spec in policies.items()]
    else:
        items = [(_label(name), name) for name in policies]
    if not items:
        raise ValueError(_("policies must name at least one policy"))
    variants: dict[str, Scenario] = {}
    for label, spec in items:
        if label in variants:
            raise ValueError(_("policy {label!r} is given twice", label=label))
        if isinstance(spec, Mapping):
            variants[label] = base.with_overrides(spec, path=label)
        else:
            variants[label] = _with_policy(base, spec)
    return variants


@dataclass(frozen=True, eq=False, repr=False)
class Comparison(_Shown):
    """Replications of several policies, replication ``i`` of each on the same seed.

    ``runs``: one row per policy and replication.  :meth:`summary`: mean and
    interval per policy and KPI.  :meth:`differences`: each policy minus the
    baseline, from paired differences.
    """

    runs: pd.DataFrame
    baseline: str
    policies: tuple[str, ...]
    scenario: str = ""
    common_random_numbers: bool = True

    @property
    def kpis(self) -> list[str]:
        """The KPI columns of :attr:`runs`."""
        return _kpi_columns(self.runs, RUN_COLUMNS)

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """Columns ``policy, kpi, mean, std, ci_low, ci_high, half_width, n``."""
        return _summarise(self.runs, ["policy"], self.kpis, _check_level(level))

    def differences(self, level: float = 0.95, *, paired: bool = True) -> pd.DataFrame:
        """Each policy minus the baseline, per KPI.

        Columns ``policy, kpi, baseline_mean, policy_mean, mean_difference,
        ci_low, ci_high, half_width, n, significant`` (``significant``: the
        interval excludes 0).  ``paired=True`` uses the per-replication
        differences (valid, and much narrower, with common random numbers);
        ``paired=False`` the Welch interval of two independent samples.
        """
        level = _check_level(level)
        table = self.runs.set_index(["policy", "replication"])
        base = table.loc[self.baseline]
        rows = []
        for label in self.policies:
            if label == self.baseline:
                continue
            other = table.loc[label]
            for kpi in self.kpis:
                rows.append(
                    {
                        "policy": label,
                        "kpi": kpi,
                        **_difference(other[kpi], base[kpi], level, paired),
                    }
                )
        columns = [
            "policy",
            "kpi",
            "baseline_mean",
            "policy_mean",
            "mean_difference",
            "ci_low",
            "ci_high",
            "half_width",
            "n",
            "significant",
        ]
        return pd.DataFrame(rows, columns=columns)

    def _title(self) -> str:
        others = ", ".join(p for p in self.policies if p != self.baseline) or "-"
        return _(
            "{scenario}: {policies} against {baseline}, {n} replications each",
            scenario=self.scenario,
            policies=others,
            baseline=self.baseline,
            n=self.runs["replication"].nunique(),
        )

    def _table(self) -> pd.DataFrame:
        return _readable(self.differences(), 0.95)


def _difference(
    policy: pd.Series, baseline: pd.Series, level: float, paired: bool
) -> dict[str, Any]:
    """Means and interval of ``policy - baseline`` (paired by replication, or Welch)."""
    if paired:
        both = policy.notna() & baseline.notna()
        policy, baseline = policy[both], baseline[both]
        ci = confidence_interval(policy - baseline, level)
        stats = {
            "mean_difference": ci["mean"],
            "ci_low": ci["ci_low"],
            "ci_high": ci["ci_high"],
            "half_width": ci["half_width"],
            "n": ci["n"],
        }
    else:
        stats = _welch(_finite(policy), _finite(baseline), level)
    return {
        "baseline_mean": _mean(_finite(baseline)),
        "policy_mean": _mean(_finite(policy)),
        **stats,
        "significant": _significant(stats["ci_low"], stats["ci_high"]),
    }


def compare(
    scenario: ScenarioLike,
    policies: Sequence[str | None] | Mapping[str, PolicySpec],
    n: int,
    *,
    baseline: str | None = None,
    seed: int = 0,
    days: float | None = None,
    executor: Executor | None = None,
    progress: bool = True,
    common_random_numbers: bool = True,
) -> Comparison:
    """Replicate every policy ``n`` times and compare each with the baseline.

    ``policies``: a list of policy names of the scenario (``None`` or
    ``"baseline"``: the scenario as it is), or a mapping label -> overrides
    (``{"8 agents": {"touchpoints.phone.staff": 8}}``; a value may also be a
    policy name or ``None``).  The baseline is ``baseline`` (a label) or the
    first policy.  Every policy is checked before anything runs.

    Replication ``i`` of every policy uses the same seed (common random
    numbers); ``common_random_numbers=False`` gives each policy its own seeds,
    to see what CRN buys.
    """
    n = _check_whole("n", n, 1)
    seed = _check_whole("seed", seed, 0)
    base = load_scenario(scenario)
    variants = _variants(base, policies)
    labels = tuple(variants)
    baseline = labels[0] if baseline is None else baseline
    if baseline not in variants:
        raise ValueError(
            _(
                "baseline {baseline!r} is not among the policies: {labels}",
                baseline=baseline,
                labels=", ".join(labels),
            )
        )
    _check_days(base, days)
    run_labels, tasks = [], []
    for k, label in enumerate(labels):
        for i in range(n):
            run_seed = replication_seed(seed, i, 0 if common_random_numbers else k)
            run_labels.append({"replication": i, "seed": run_seed, "policy": label})
            tasks.append(_Task(variants[label], run_seed, days))
    kpis = _execute(
        tasks,
        executor,
        progress,
        _("Comparing {count} policies of {scenario}", count=len(labels), scenario=base.name),
    )
    return Comparison(
        runs=_runs_frame(run_labels, kpis),
        baseline=baseline,
        policies=labels,
        scenario=base.name,
        common_random_numbers=common_random_numbers,
    )


# --------------------------------------------------------------------------- sweep
def _grid_axes(grid: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Each dotted path with its list of values (a single value counts as a list of one)."""
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError(
            _("grid must map at least one dotted path to a list of values, got {grid!r}", grid=grid)
        )
    axes = {}
    for path, values in grid.items():
        single = isinstance(values, str) or not isinstance(values, Sequence)
        axes[str(path)] = [values] if single else list(values)
        if not axes[str(path)]:
            raise ValueError(_("grid path {path!r} has no values", path=path))
    return axes


def _grid_points(axes: Mapping[str, list[Any]]) -> list[dict[str, Any]]:
    """The cross product of the grid, the first path varying slowest."""
    return [dict(zip(axes, values, strict=True)) for values in product(*axes.values())]


def _hashable(value: Any) -> Any:
    return value if isinstance(value, Hashable) else str(value)


@dataclass(frozen=True, eq=False, repr=False)
class Sweep(_Shown):
    """Replications at every point of a grid of settings.

    ``runs``: one row per grid point and replication (``point``, one column
    per grid path, ``replication, seed, policy``, then the KPIs).
    :meth:`summary`: tidy, one row per grid point and KPI.  :meth:`pivot`:
    one row per grid point, one column per KPI.
    """

    runs: pd.DataFrame
    grid: dict[str, list[Any]]
    scenario: str = ""

    @property
    def points(self) -> list[dict[str, Any]]:
        """The grid points in order (``point`` in :attr:`runs` indexes this list)."""
        return _grid_points(self.grid)

    @property
    def kpis(self) -> list[str]:
        """The KPI columns of :attr:`runs`."""
        return _kpi_columns(self.runs, ["point", *self.grid, *RUN_COLUMNS])

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """Columns: the grid paths, ``kpi, mean, std, ci_low, ci_high, half_width, n``."""
        table = _summarise(self.runs, ["point"], self.kpis, _check_level(level))
        settings = pd.DataFrame(self.points).reindex(table["point"].to_numpy())
        settings.index = table.index
        return pd.concat([settings, table.drop(columns="point")], axis=1)

    def pivot(self, value: str = "mean", level: float = 0.95) -> pd.DataFrame:
        """One row per grid point (indexed by the grid paths), one column per KPI."""
        table = _summarise(self.runs, ["point"], self.kpis, _check_level(level))
        wide = table.pivot(index="point", columns="kpi", values=value)[self.kpis]
        wide.index = pd.MultiIndex.from_tuples(
            [tuple(_hashable(v) for v in point.values()) for point in self.points],
            names=list(self.grid),
        )
        wide.columns.name = None
        return wide

    def to_csv(self, path: str | os.PathLike[str], level: float = 0.95) -> Path:
        """Write :meth:`summary` to ``path`` (folders are created); returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.summary(level).to_csv(path, index=False)
        return path

    def _title(self) -> str:
        return _(
            "{scenario}: {points} grid points, {n} replications each",
            scenario=self.scenario,
            points=len(self.points),
            n=self.runs["replication"].nunique(),
        )

    def _table(self) -> pd.DataFrame:
        return self.pivot().rename(columns=kpi_label)


def sweep(
    scenario: ScenarioLike,
    grid: Mapping[str, Sequence[Any]],
    n: int,
    *,
    policy: str | None = None,
    seed: int = 0,
    days: float | None = None,
    executor: Executor | None = None,
    progress: bool = True,
) -> Sweep:
    """Replicate ``scenario`` ``n`` times at every point of ``grid``.

    ``grid`` maps dotted paths to value lists, e.g.
    ``{"touchpoints.phone.staff": [8, 10, 12], "segments.caller.patience_min.mean": [1, 2]}``;
    the full cross product is run (a value that is itself a list, such as a
    24-hour rota, must be wrapped: ``[[...], [...]]``).  Every point is
    applied with :meth:`Scenario.with_overrides` and validated before any run
    starts, so a bad path or value raises :class:`ScenarioError` at once.
    Every point uses the same replication seeds (common random numbers), so
    neighbouring points differ by their settings, not by luck.

    Returns a :class:`Sweep`: ``.summary()`` is the tidy table (grid columns,
    ``kpi, mean, ci_low, ci_high, n``...), ``.runs`` the per-replication rows.
    """
    n = _check_whole("n", n, 1)
    seed = _check_whole("seed", seed, 0)
    base = _with_policy(load_scenario(scenario), policy)
    axes = _grid_axes(grid)
    points = _grid_points(axes)
    variants = [base.with_overrides(point, path="grid") for point in points]
    _check_days(base, days)
    seeds = [replication_seed(seed, i) for i in range(n)]
    labels, tasks = [], []
    for index, (point, variant) in enumerate(zip(points, variants, strict=True)):
        for i, run_seed in enumerate(seeds):
            labels.append(
                {
                    "point": index,
                    **point,
                    "replication": i,
                    "seed": run_seed,
                    "policy": _label(policy),
                }
            )
            tasks.append(_Task(variant, run_seed, days))
    kpis = _execute(
        tasks,
        executor,
        progress,
        _("Sweeping {points} grid points of {scenario}", points=len(points), scenario=base.name),
    )
    return Sweep(runs=_runs_frame(labels, kpis), grid=axes, scenario=base.name)


# --------------------------------------------------------------------------- grid text
def _parse_value(text: str) -> int | float | str:
    text = text.strip()
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def parse_grid(items: Iterable[str]) -> dict[str, list[Any]]:
    """Command-line grid items ``PATH=V1,V2,...`` to a grid for :func:`sweep`.

    Values that read as whole numbers become ``int``, other numbers ``float``,
    anything else stays text.

    >>> parse_grid(["touchpoints.phone.staff=8,10", "segments.caller.patience_min.mean=1.5,2"])
    {'touchpoints.phone.staff': [8, 10], 'segments.caller.patience_min.mean': [1.5, 2]}
    """
    grid: dict[str, list[Any]] = {}
    for item in items:
        path, equals, text = str(item).partition("=")
        path = path.strip()
        values = [_parse_value(part) for part in text.split(",")]
        if not equals or not path or any(value == "" for value in values):
            raise ValueError(
                _(
                    "a grid item needs the form PATH=VALUE,VALUE,... "
                    "(e.g. touchpoints.phone.staff=8,10,12), got {item!r}",
                    item=item,
                )
            )
        if path in grid:
            raise ValueError(_("grid path {path!r} is given twice", path=path))
        grid[path] = values
    return grid


def parse_level(text: str) -> float:
    """A confidence level from the command line (``"0.95"``), checked before any run.

    >>> parse_level("0.9")
    0.9
    """
    try:
        value = float(text)
    except ValueError:
        raise ValueError(
            _("level must be a number between 0 and 1, got {text!r}", text=text)
        ) from None
    return _check_level(value)


def format_grid(grid: Mapping[str, Sequence[Any]]) -> list[str]:
    """The inverse of :func:`parse_grid`: ``{"a.b": [1, 2]}`` -> ``["a.b=1,2"]``.

    >>> format_grid({"touchpoints.phone.staff": [8, 10]})
    ['touchpoints.phone.staff=8,10']
    """
    return [f"{path}={','.join(str(value) for value in values)}" for path, values in grid.items()]
