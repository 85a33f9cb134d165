"""prepmodel.cli.fork.Child with a real fork: the child's work and its failures come back
as exit statuses (never a lost error)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import typer

from prepmodel.cli import fork

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def test_the_child_status_and_its_effects(tmp_path: Path) -> None:
    log = tmp_path / "log"

    def work() -> int:
        log.write_text("findings", encoding="utf-8")
        return 1

    child = fork.Child(work)
    assert child.wait() == 1
    assert child.wait() == 1  # asked again: the same status, no second wait
    assert log.read_text(encoding="utf-8") == "findings"


def test_a_usage_error_in_the_child_is_its_status() -> None:
    def work() -> int:
        raise typer.Exit(2)  # as prepmodel.cli.app.fail after printing its message

    assert fork.Child(work).wait() == 2


def test_an_unexpected_error_in_the_child(capfd: pytest.CaptureFixture[str]) -> None:
    def work() -> int:
        raise ValueError("a bug in the rules")

    assert fork.Child(work).wait() == fork.CRASHED
    assert "ValueError: a bug in the rules" in capfd.readouterr().err


def test_a_child_killed_by_a_signal_is_reported(capfd: pytest.CaptureFixture[str]) -> None:
    def work() -> int:
        os.kill(os.getpid(), signal.SIGKILL)
        return 0  # pragma: no cover

    assert fork.Child(work).wait() == 128 + int(signal.SIGKILL)
    assert f"ended by signal {int(signal.SIGKILL)}" in capfd.readouterr().err


def test_big_models_fork_on_two_cores_or_with_prep_jobs_2(monkeypatch: pytest.MonkeyPatch) -> None:
    big = fork.PARALLEL_CHARS
    can = hasattr(os, "fork")
    assert fork._cores() >= 1
    monkeypatch.delenv("PREP_JOBS", raising=False)
    monkeypatch.setattr(fork, "_cores", lambda: 2)
    assert fork.can_fork(big) == can  # the default on two cores (issue #18)
    assert not fork.can_fork(big - 1)
    monkeypatch.setattr(fork, "_cores", lambda: 1)
    assert not fork.can_fork(big)  # one core: one process
    monkeypatch.setenv("PREP_JOBS", "2")
    assert fork.can_fork(big) == can  # asked for
    assert not fork.can_fork(big - 1)
    monkeypatch.setattr(fork, "_cores", lambda: 2)
    monkeypatch.setenv("PREP_JOBS", "1")
    assert not fork.can_fork(big)
    monkeypatch.setenv("PREP_JOBS", "many")  # not a number: as if unset
    assert fork.can_fork(big) == can


def test_prep_jobs_1_keeps_diff_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """`prep diff`'s two sides are analysed here, not in forked children."""
    from prepmodel.checks import analysis

    monkeypatch.setattr(analysis, "PARALLEL_BYTES", 0)
    monkeypatch.setenv("PREP_JOBS", "1")
    forked: list[object] = []
    monkeypatch.setattr(analysis, "_fork_side", lambda *args: forked.append(args))
    text = b"goal Plan\nPlan <- Brief\nexternal Brief\n"
    first, second = analysis.analyse_pair((text, "a.prep"), (text, "b.prep"))
    assert forked == []
    assert list(first.model.goals) == list(second.model.goals) == ["Plan"]
