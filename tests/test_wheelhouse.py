"""Offline install (issue 18, item 3): `make wheelhouse` gathers every wheel, and a fresh
environment installs cxsim with make test's extras from it with no index at all.

The index here is a small fake one, made from this environment's installed metadata: one
wheel per distribution that cxsim[dev,dask] needs, holding only its metadata (name,
version, dependencies), so resolving is real and quick while no package code is copied.
Only setuptools, which builds cxsim's own wheel, is real: taken from PyPI once (the test
is skipped when PyPI cannot be reached). What this does not show: that the real wheels
run (`make test` on the installed .venv does).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.requirements import Requirement


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _closure(requirements: list[str]) -> dict[str, metadata.Distribution]:
    """Every installed distribution these requirements need, extras followed."""
    found: dict[str, metadata.Distribution] = {}
    todo = [(Requirement(text), "") for text in requirements]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        key = (_name(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        dist = metadata.distribution(requirement.name)
        found[key[0]] = dist
        for wanted in dist.requires or []:
            for chosen in ("", *requirement.extras):
                todo.append((Requirement(wanted), chosen))
    return found


def _fake_wheel(dist: metadata.Distribution, folder: Path) -> None:
    """A wheel holding only ``dist``'s metadata."""
    stem = f"{re.sub(r'[-_.]+', '_', dist.metadata['Name'])}-{dist.version}"
    files = {
        f"{stem}.dist-info/METADATA": dist.read_text("METADATA").encode(),
        f"{stem}.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: cxsim-test\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = (
        "".join(
            f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"  # noqa: E501
            for path, data in files.items()
        )
        + f"{stem}.dist-info/RECORD,,\n"
    )
    with zipfile.ZipFile(folder / f"{stem}-py3-none-any.whl", "w") as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
        wheel.writestr(f"{stem}.dist-info/RECORD", record)


def _project_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = re.findall(r"-e '\.\[([a-z,]+)\]'", (ROOT / "Makefile").read_text())[0]
    return [
        *project["dependencies"],
        *(r for extra in extras.split(",") for r in project["optional-dependencies"][extra]),
    ]


def _offline(index: Path) -> dict[str, str]:
    """pip with this machine's configuration dropped and no index: only ``index``."""
    return {
        **os.environ,
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(index),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


@pytest.fixture(scope="module")
def fake_index(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("index")
    got = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "--dest",
            str(index),
            "setuptools>=77",
            "pip",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if got.returncode != 0:
        pytest.skip(f"PyPI unreachable (setuptools, to build cxsim's wheel): {got.stderr}")
    for name, dist in _closure(_project_requirements()).items():
        if name not in ("pip", "setuptools"):
            _fake_wheel(dist, index)
    return index


def test_make_wheelhouse_then_a_fresh_venv_installs_with_no_index(fake_index, tmp_path):
    wheelhouse = tmp_path / "wheelhouse"
    made = subprocess.run(
        ["make", "-s", "wheelhouse", f"PYTHON={sys.executable}", f"WHEELHOUSE={wheelhouse}"],
        cwd=ROOT,
        env=_offline(fake_index),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    wheels = {_name(path.name.split("-")[0]) for path in wheelhouse.glob("*.whl")}
    needed = {_name(Requirement(text).name) for text in _project_requirements()}
    assert needed | {"cxsim", "pip", "setuptools"} <= wheels, needed - wheels

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    # the wheelhouse alone: even the machine's own index is gone
    env = {**_offline(wheelhouse), "PIP_FIND_LINKS": ""}
    installed = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            "cxsim[dev,dask]",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    versions = dict(line.split("==") for line in listed.split())
    versions = {_name(name): version for name, version in versions.items()}
    for text in _project_requirements():
        requirement = Requirement(text)
        assert versions.get(_name(requirement.name)) in requirement.specifier, text
    assert "cxsim" in versions


def test_installs_take_the_wheelhouse_when_it_holds_wheels(tmp_path):
    """`make lab`, `make classroom`, `make test` install through one recipe ($(STAMP))."""
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    (wheelhouse / "cxsim-0.1.0-py3-none-any.whl").write_bytes(b"")
    for target in ("lab", "classroom", "test"):
        plan = subprocess.run(
            ["make", "-n", "-B", target, f"WHEELHOUSE={wheelhouse}", f"VENV={tmp_path / 'venv'}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert f"--no-index --find-links {wheelhouse} -e '.[dev,dask]'" in plan, plan
    online = subprocess.run(
        ["make", "-n", "-B", "lab", f"WHEELHOUSE={tmp_path / 'none'}", f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "--no-index" not in online
