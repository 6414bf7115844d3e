"""Issue 19: a seeded fuzz of scenario files.

The bundled scenarios are mutated a few hundred ways (wrong types, extreme numbers,
empty lists, deep nesting, YAML alias bombs, lone surrogates, odd Unicode, broken
YAML), and every file must either get one clear :class:`ScenarioError` (one line,
naming the file) or load and simulate a short run without any other exception.

The cases run in child processes with an address-space limit, a time limit per case
(SIGALRM) and a time limit for the whole child, so a hang or a memory blow-up fails
in seconds, as a failed case, instead of stalling or exhausting the test run.  No
timing is asserted: the limits are an order of magnitude above what a case takes.
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SEED = 19
CASES = 360
WORKERS = 2
CASE_SECONDS = 20  # a case takes well under a second: this only catches a hang
ADDRESS_SPACE = 3 * 1024**3  # bytes a child may map: the alias bombs passed 2 GiB
SHORT_DAYS = 0.05  # the simulated run of a file that loads: 72 minutes, no warm-up

# --------------------------------------------------------------------------- hostile values
HUGE_INT = int("9" * 401)
ODD_TEXT = [
    "",
    "\ud800",  # a lone surrogate: no file, terminal or stream name can hold it
    "a\udcffb",
    "\u202eenohp",  # right-to-left override
    "tab\there",
    "new\nline",
    "nul\x00",
    "\u200c\u200d",  # zero-width (non-)joiners, common in Persian
    "تلفن",
    "📞" * 3,
    "x" * 20_000,  # longer than any name needs
    "line\u2028separator",
]
NUMBERS = [
    0,
    -1,
    1e308,
    -1e308,
    math.inf,
    -math.inf,
    math.nan,
    HUGE_INT,
    -HUGE_INT,
    2**63,
    1e-308,
    5e-324,
    0.5,
    True,
]
OTHER = [None, [], {}, [1, 2, 3], {"dist": "exponential"}, {"a": {"b": "c"}}, "12", "1e9"]
DEEP = "__DEEP__"
BOMB = "__BOMB__"


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _bomb(levels: int = 9, width: int = 10) -> str:
    """A flow sequence of anchors, each a list of ``width`` aliases of the one before:
    ``width ** levels`` values once expanded ("billion laughs")."""
    parts = ['&a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        parts.append(f"&a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "[" + ", ".join(parts) + "]"


# --------------------------------------------------------------------------- mutations
def _locations(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into ``data``: mapping keys and list indexes."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key)
            yield from _locations(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*path, index)
            yield from _locations(value, (*path, index))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _hostile(rng: random.Random) -> Any:
    pool = rng.choice([NUMBERS, NUMBERS, ODD_TEXT, OTHER])
    value = rng.choice(pool)
    if pool is NUMBERS and rng.random() < 0.3:
        value = float(f"{rng.choice('+-')}1e{rng.randint(-330, 330)}")  # 0, tiny, huge or inf
    return value


def _times(value: float, factor: float) -> float:
    """``value * factor``, a whole number staying whole (10**400 times 3 is an int)."""
    try:
        return value * factor
    except OverflowError:  # an int past a float times a float: exactly, as a whole number
        if isinstance(value, float) and not math.isfinite(value):
            return value
        return round(Fraction(value) * Fraction(factor))


def _mutate(data: dict[str, Any], rng: random.Random) -> None:
    """One random change to ``data``, in place."""
    places = list(_locations(data))
    path = rng.choice(places)
    parent = _parent(data, path)
    kind = rng.choice(
        ["nudge"] * 8
        + ["rename"] * 3
        + ["replace"] * 4
        + ["scale"] * 2
        + ["delete", "unknown", "empty", "deep", "bomb", "policy"]
    )
    numbers = [p for p in places if type(_parent(data, p)[p[-1]]) in (int, float)]
    if kind == "nudge" and numbers:  # a plausible edit, often still a valid file
        target = rng.choice(numbers)
        holder = _parent(data, target)
        holder[target[-1]] = _times(holder[target[-1]], rng.choice([0, 0.01, 0.5, 2, 3, 10]))
    elif kind == "rename":  # a name in odd Unicode, renamed everywhere it is used
        texts = [p for p in places if isinstance(_parent(data, p)[p[-1]], str)]
        if texts:
            target = rng.choice(texts)
            old, new = _parent(data, target)[target[-1]], rng.choice(ODD_TEXT)
            for place in texts:
                holder = _parent(data, place)
                if holder[place[-1]] == old:
                    holder[place[-1]] = new
    elif kind == "replace":
        parent[path[-1]] = _hostile(rng)
    elif kind == "scale":
        if numbers:
            target = rng.choice(numbers)
            holder = _parent(data, target)
            factor = rng.choice([-1, 1e-300, 1e6, 1e100, 1e300, 10**400])
            holder[target[-1]] = _times(holder[target[-1]], factor)
    elif kind == "delete":
        del parent[path[-1]]
    elif kind == "unknown":
        if isinstance(parent, dict):
            parent[rng.choice(ODD_TEXT[:10] + ["staf", "extra"])] = 1
    elif kind == "empty":
        lists = [p for p in places if isinstance(_parent(data, p)[p[-1]], list)]
        if lists:
            target = rng.choice(lists)
            _parent(data, target)[target[-1]] = []
    elif kind == "deep":
        parent[path[-1]] = DEEP
    elif kind == "bomb":
        parent[path[-1]] = BOMB
    elif kind == "policy":
        touchpoints = data.get("touchpoints")
        first = touchpoints[0] if isinstance(touchpoints, list) and touchpoints else {}
        name = first.get("name", "phone") if isinstance(first, dict) else "phone"
        override = rng.choice(
            [
                {f"touchpoints.{name}.staff": _hostile(rng)},
                {"touchpoints": {name: {"service_min": {"dist": "lognormal", "mean": 1e308}}}},
                {"horizon_days": _hostile(rng)},
                {"x": DEEP},
                {"x": BOMB},
                {"behaviour.retention.steepness": 1e6},
            ]
        )
        policies = data.setdefault("policies", {})
        if isinstance(policies, dict):
            policies[rng.choice(["fuzz", "\ud800", "p\u202e", "new\nline"])] = override


def _to_yaml(data: Any, rng: random.Random) -> str:
    text = yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=10_000)
    text = text.replace(f"'{DEEP}'", _deep(rng.choice([25, 300, 450, 3000])))
    text = text.replace(DEEP, _deep(30))  # inside a flow collection: unquoted
    text = text.replace(f"'{BOMB}'", _bomb()).replace(BOMB, _bomb())
    if rng.random() < 0.05:  # broken YAML: cut short, or a stray character
        at = rng.randrange(len(text))
        text = text[:at] if rng.random() < 0.5 else text[:at] + rng.choice("\t:[{&*'\"") + text[at:]
    return text


def fuzzed_files(folder: Path, count: int = CASES, seed: int = SEED) -> list[Path]:
    """``count`` mutated copies of the bundled scenarios, written to ``folder``."""
    from cxsim.catalog import list_scenarios, scenario_path

    rng = random.Random(seed)
    bundled = {name: scenario_path(name).read_text(encoding="utf-8") for name in list_scenarios()}
    names = sorted(bundled)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for case in range(count):
        name = names[case % len(names)]
        data = yaml.safe_load(bundled[name])
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            if not isinstance(data, dict) or not data:
                break
            _mutate(data, rng)
        path = folder / f"{case:03d}_{name}.yaml"
        path.write_text(_to_yaml(data, rng), encoding="utf-8")
        files.append(path)
    return files


# --------------------------------------------------------------------------- one case
def check_file(path: Path) -> tuple[str, str]:
    """``("refused", message)``, ``("simulated", "")`` or ``("failed", what went wrong)``."""
    import cxsim
    from cxsim import ScenarioError

    try:
        scenario = cxsim.load_scenario(path)
        # what `validate` prints must be printable
        ", ".join(scenario.policies).encode("utf-8")
        str(scenario.describe()).encode("utf-8")
        short = scenario.with_overrides({"horizon_days": SHORT_DAYS, "warmup_days": 0}, path="fuzz")
        cxsim.simulate(short, seed=1).kpis()
    except ScenarioError as error:
        message = str(error)
        if "\n" in message or not message.startswith(str(path)):
            return "failed", f"not one line naming the file: {message[:300]!r}"
        if len(message) > len(str(path)) + 400:
            return "failed", f"a message of {len(message)} characters: {message[:300]!r}"
        message.encode("utf-8")  # printable as it is
        return "refused", message
    except BaseException:  # noqa: BLE001 - anything else is what the fuzz looks for
        return "failed", traceback.format_exc(limit=-4)[-1500:]
    return "simulated", ""


def _alarm(_signum: int, _frame: Any) -> None:
    raise TimeoutError(f"a case ran for more than {CASE_SECONDS} s")


def child_main(paths: list[str]) -> None:
    """Check ``paths`` in this process, within the limits; one JSON line per file."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    signal.signal(signal.SIGALRM, _alarm)
    for path in paths:
        signal.alarm(CASE_SECONDS)
        try:
            outcome, detail = check_file(Path(path))
        finally:
            signal.alarm(0)
        print(json.dumps({"file": path, "outcome": outcome, "detail": detail}), flush=True)


def run_children(files: list[Path]) -> list[dict[str, str]]:
    """Check ``files`` in ``WORKERS`` child processes; a child that dies or overruns
    leaves its unchecked files as failures."""
    chunks = [files[worker::WORKERS] for worker in range(WORKERS)]
    children = [
        subprocess.Popen(
            [sys.executable, __file__, *map(str, chunk)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "CXSIM_LANG": "en"},
        )
        for chunk in chunks
    ]
    results = []
    for chunk, child in zip(chunks, children, strict=True):
        try:
            out, err = child.communicate(timeout=CASE_SECONDS * 2 + 3 * len(chunk))
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
        seen = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        checked = {result["file"] for result in seen}
        results += seen
        results += [
            {"file": str(path), "outcome": "failed", "detail": f"child died: {err[-1500:]}"}
            for path in chunk
            if str(path) not in checked
        ]
    return results


# --------------------------------------------------------------------------- the tests
def test_every_fuzzed_file_is_refused_clearly_or_simulates(tmp_path):
    files = fuzzed_files(tmp_path)
    results = run_children(files)
    outcomes = [result["outcome"] for result in results]
    failed = [f"{Path(r['file']).name}: {r['detail']}" for r in results if r["outcome"] == "failed"]
    assert not failed, f"{len(failed)} of {len(results)} cases failed:\n" + "\n\n".join(failed[:10])
    # the fuzz must reach both sides: files that load and run, and clear refusals
    assert outcomes.count("refused") >= CASES // 3, outcomes.count("refused")
    assert outcomes.count("simulated") >= CASES // 10, outcomes.count("simulated")
    assert len(results) == CASES


def test_the_fuzz_is_reproducible(tmp_path):
    first = [path.read_text() for path in fuzzed_files(tmp_path / "a", count=20)]
    second = [path.read_text() for path in fuzzed_files(tmp_path / "b", count=20)]
    assert first == second


# --------------------------------------------------------------------------- the command line
# --------------------------------------------------------------------------- property-based
# hypothesis draws which bundled scenario, which places and which hostile values; each
# example is checked in this process under an alarm (no alias bombs here: those, deep
# nesting and memory are the subprocess fuzz's, above).
_values = st.one_of(
    st.integers(min_value=-(10**420), max_value=10**420),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(ODD_TEXT + OTHER),
    st.text(max_size=12),
    st.booleans(),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
    st.recursive(st.integers(-5, 5), lambda inner: st.lists(inner, max_size=2), max_leaves=8),
)


@settings(derandomize=True, max_examples=120, deadline=10_000, database=None)
@given(
    which=st.integers(min_value=0, max_value=3),
    edits=st.lists(st.tuples(st.integers(min_value=0), _values), min_size=1, max_size=3),
)
def test_property_any_edit_is_refused_clearly_or_simulates(tmp_path_factory, which, edits):
    from cxsim.catalog import list_scenarios, scenario_path

    names = sorted(list_scenarios())
    name = names[which % len(names)]
    data = yaml.safe_load(scenario_path(name).read_text(encoding="utf-8"))
    for place, value in edits:
        places = list(_locations(data)) if isinstance(data, dict) else []
        if not places:
            break
        path = places[place % len(places)]
        _parent(data, path)[path[-1]] = value
    folder = tmp_path_factory.mktemp("property")
    path = folder / f"{name}.yaml"
    path.write_text(_to_yaml(data, random.Random(0)), encoding="utf-8")
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    try:
        outcome, detail = check_file(path)
    finally:
        signal.alarm(0)
    assert outcome in ("refused", "simulated"), detail


def _erlang_check_with(value: str) -> str:
    from cxsim.catalog import scenario_path

    text = scenario_path("erlang_check").read_text(encoding="utf-8")
    return text + f"policies:\n  fuzz: {{description: {value}}}\n"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (lambda: _erlang_check_with(_bomb()), "values in all"),
        (lambda: _erlang_check_with(_deep(450)), "nested more than"),
        (lambda: _erlang_check_with(_deep(5000)), "nested more than"),
        (lambda: f"name: x\nhorizon_days: {_deep(3000)}\n", "nested more than"),
    ],
    ids=["alias-bomb", "deep-450-in-a-policy", "deep-5000-in-a-policy", "deep-3000"],
)
def test_validate_refuses_bombs_and_deep_nesting_quickly_on_one_line(
    tmp_path, content: Callable[[], str], words: str
):
    path = tmp_path / "hostile.yaml"
    path.write_text(content(), encoding="utf-8")

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    done = subprocess.run(
        [sys.executable, "-m", "cxsim", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,  # it answers in about a second; a hang fails here
        cwd=ROOT,
        env={**os.environ, "CXSIM_LANG": "en"},
        preexec_fn=limit_memory,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: "), done.stderr[-2000:]
    assert words in lines[0]


if __name__ == "__main__":
    child_main(sys.argv[1:])
