"""prepmodel.cli.fork.beside with a real fork: the child writes only after this process's
work is done, and its failures come back as exit statuses (never a lost error)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer

from prepmodel.cli import fork

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _appender(path: Path) -> Callable[[Iterator[str]], None]:
    def write(pieces: Iterator[str]) -> None:
        with path.open("a", encoding="utf-8") as f:
            for piece in pieces:
                f.write(piece)

    return write


def test_the_child_writes_after_this_process(tmp_path: Path) -> None:
    log = tmp_path / "log"

    def make() -> Iterator[str]:
        yield "first "  # made before this process is done, written only after
        yield "second"

    def here() -> None:
        with log.open("a", encoding="utf-8") as f:
            f.write("findings | ")

    assert fork.beside(make, _appender(log), here) == 0
    assert log.read_text(encoding="utf-8") == "findings | first second"


def test_nothing_written_when_this_process_fails(tmp_path: Path) -> None:
    log = tmp_path / "log"

    def here() -> None:
        raise RuntimeError("the rules failed")

    with pytest.raises(RuntimeError, match="the rules failed"):
        fork.beside(lambda: iter(["output"]), _appender(log), here)
    assert not log.exists()


def test_a_usage_error_in_the_child_is_its_status(tmp_path: Path) -> None:
    def write(pieces: Iterator[str]) -> None:
        list(pieces)
        raise typer.Exit(2)  # as prepmodel.cli.app.fail after printing its message

    assert fork.beside(lambda: iter(["x"]), write, lambda: None) == 2


def test_an_unexpected_error_in_the_child_is_status_1(capfd: pytest.CaptureFixture[str]) -> None:
    def make() -> Iterator[str]:
        raise ValueError("a bug in the tables")
        yield ""  # pragma: no cover

    assert fork.beside(make, lambda pieces: None, lambda: None) == 1
    assert "ValueError: a bug in the tables" in capfd.readouterr().err


def test_a_child_killed_by_a_signal_is_reported(capfd: pytest.CaptureFixture[str]) -> None:
    def make() -> Iterator[str]:
        os.kill(os.getpid(), signal.SIGKILL)
        yield ""  # pragma: no cover

    assert fork.beside(make, lambda pieces: None, lambda: None) == 1
    assert f"ended by signal {int(signal.SIGKILL)}" in capfd.readouterr().err


def test_prep_jobs_1_and_small_models_stay_in_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PREP_JOBS", raising=False)
    big = fork.PARALLEL_CHARS
    assert fork.can_fork(big, needs_stdout=False)
    assert not fork.can_fork(big - 1, needs_stdout=False)
    monkeypatch.setenv("PREP_JOBS", "1")
    assert not fork.can_fork(big, needs_stdout=False)
