"""Shared fixtures: paths to the samples and a way to run the real `prep` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CASES = Path(__file__).resolve().parent / "cases"


def run_prep(
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m prepmodel ARGS` with the interpreter running the tests, in a locale
    that names no language (messages then follow the model; ``env`` may set one)."""
    base = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    full_env = {**base, "LANG": "C.UTF-8", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "prepmodel", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=300,
    )


@pytest.fixture
def prep() -> object:
    return run_prep


def prep_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH finds a `prep` that runs this checkout's code (for git
    drivers, shell completion and workflow scripts that call `prep` by name)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "prep"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m prepmodel "$@"\n', "utf-8")
    script.chmod(0o755)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path / "home"),
        "SHELL": "/bin/bash",
        "PYTHONPATH": str(ROOT / "src"),
        "NO_COLOR": "1",
    }


@pytest.fixture(autouse=True)
def _locale_names_no_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process calls choose their language as `prep` run by :func:`run_prep` does: by
    the model, never by the locale of the machine running the tests."""
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
