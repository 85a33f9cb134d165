"""The package as others see it: metadata, typing marker, licence, `python -m prepmodel`."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata, resources
from pathlib import Path

import pytest

import prepmodel

from .conftest import ROOT, run_prep

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def test_version_comes_from_the_package_metadata() -> None:
    assert prepmodel.__version__ == metadata.version("prepmodel") == PYPROJECT["version"]
    # The only place the version is written is pyproject.toml.
    for path in (ROOT / "src").rglob("*.py"):
        assert PYPROJECT["version"] not in path.read_text("utf-8"), path
    r = run_prep("--version")
    assert r.stdout.decode().strip() == f"prep {PYPROJECT['version']}"


def test_importing_the_package_does_not_read_metadata() -> None:
    probe = "import sys, prepmodel; print('importlib.metadata' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, check=True)
    assert done.stdout.strip() == b"False"


def test_typed_marker_licence_and_classifiers() -> None:
    assert resources.files("prepmodel").joinpath("py.typed").is_file()
    assert PYPROJECT["license"] == "MIT"
    assert PYPROJECT["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    assert "Typing :: Typed" in PYPROJECT["classifiers"]
    assert "Natural Language :: Japanese" in PYPROJECT["classifiers"]
    # Python 3.11 has tomllib: no conditional tomli dependency.
    assert not any(dep.startswith("tomli") for dep in PYPROJECT["dependencies"])
    meta = metadata.metadata("prepmodel")
    assert meta["License-Expression"] == "MIT"


@pytest.mark.slow
def test_built_wheel_carries_marker_licence_and_grammar(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("prepmodel-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = archive.read(info).decode("utf-8")
    assert "prepmodel/py.typed" in names
    assert "prepmodel/grammar/prep.lark" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: MIT" in meta.splitlines()


def test_python_dash_m_is_guarded() -> None:
    """Importing ``prepmodel.__main__`` (as tools that scan modules do) runs nothing."""
    probe = "import prepmodel.__main__; print('imported')"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == b"imported"
    assert run_prep("--version").returncode == 0
