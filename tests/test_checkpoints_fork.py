"""`prep checkpoints` on a big model runs the rules in a forked child while it makes its
tables (prepmodel.cli.fork, issue #18). What the user sees must not depend on it: the
same output bytes, the same diagnostics, in the same order, the same exit status as in
one process (``PREP_JOBS=1``; ``PREP_JOBS=2`` forks, as the default does on two cores),
also when the output cannot be written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from prepmodel.cli.fork import PARALLEL_CHARS

from .conftest import ROOT, run_prep

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate_streams

# Warnings (an unused external, an owner given twice) and an error (a goal nothing
# makes), so that stderr and the exit status have something to say.
WARNINGS = "\nexternal 使われない資料\ndeliverable 顧客 { owner: CSM, 営業 }\n"
ERROR = "\ngoal 誰も作らない成果物\n"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fork")
    path = folder / "big.prep"
    path.write_text(generate_streams(3000, seed=5, lang="ja") + WARNINGS, encoding="utf-8")
    assert path.stat().st_size > PARALLEL_CHARS * 2  # well past the threshold in characters
    return path


def _both(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[bytes], ...]:
    forked = run_prep(*args, cwd=cwd, env={"PREP_JOBS": "2"})
    alone = run_prep(*args, cwd=cwd, env={"PREP_JOBS": "1"})
    return forked, alone


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "json"],
        ["--format", "text"],
        ["--format", "markdown", "--scenarios", "all"],
        ["--format", "csv", "--excel"],
    ],
    ids=["json", "text", "markdown-scenarios", "csv-excel"],
)
def test_forked_output_is_the_one_process_output(big: Path, args: list[str]) -> None:
    forked, alone = _both("checkpoints", str(big), *args, cwd=big.parent)
    assert forked.returncode == alone.returncode == 0
    assert forked.stdout == alone.stdout
    assert len(forked.stdout) > 100_000
    assert forked.stderr == alone.stderr
    assert b"RC01" in forked.stderr or "使われない資料".encode() in forked.stderr


def test_findings_come_before_the_tables_in_one_stream(big: Path) -> None:
    """With stderr and stdout in one pipe (``2>&1``) the findings still come first."""
    command = f'"{sys.executable}" -m prepmodel checkpoints "{big}" --format json 2>&1'
    runs = []
    for jobs in ("2", "1"):
        env = {"PREP_JOBS": jobs, "LANG": "C.UTF-8", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
        runs.append(subprocess.run(command, shell=True, capture_output=True, env=env))
    assert runs[0].stdout == runs[1].stdout
    text = runs[0].stdout.decode("utf-8")
    assert text.index("使われない資料") < text.index('"steps"')


def test_errors_exit_1_with_the_tables_written(big: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.prep"
    broken.write_text(big.read_text(encoding="utf-8") + ERROR, encoding="utf-8")
    forked, alone = _both("checkpoints", str(broken), "--format", "json", cwd=tmp_path)
    assert forked.returncode == alone.returncode == 1
    assert forked.stdout == alone.stdout and forked.stdout.startswith(b"{\n")
    assert forked.stderr == alone.stderr


def test_output_file(big: Path, tmp_path: Path) -> None:
    outputs = [tmp_path / "forked.md", tmp_path / "alone.md"]
    forked = run_prep(
        "checkpoints", str(big), "-f", "markdown", "-o", str(outputs[0]), env={"PREP_JOBS": "2"}
    )
    alone = run_prep(
        "checkpoints", str(big), "-f", "markdown", "-o", str(outputs[1]), env={"PREP_JOBS": "1"}
    )
    assert forked.returncode == alone.returncode == 0
    assert forked.stdout == alone.stdout == b""
    assert forked.stderr == alone.stderr
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    assert outputs[0].read_bytes().startswith(b"#")


def test_a_failed_write_is_reported(big: Path, tmp_path: Path) -> None:
    """The output's folder does not exist: the write fails after the findings, with the
    one-process message and exit status, and nothing is written."""
    target = tmp_path / "missing" / "out.json"
    forked = run_prep(
        "checkpoints", str(big), "-f", "json", "-o", str(target), env={"PREP_JOBS": "2"}
    )
    alone = run_prep(
        "checkpoints", str(big), "-f", "json", "-o", str(target), env={"PREP_JOBS": "1"}
    )
    assert forked.returncode == alone.returncode == 2
    assert forked.stderr == alone.stderr
    assert b"Traceback" not in forked.stderr
    assert not target.exists()


def test_goal_and_scenario_errors_before_any_fork(big: Path) -> None:
    forked, alone = _both("checkpoints", str(big), "--goal", "no such goal", cwd=big.parent)
    assert forked.returncode == alone.returncode == 2
    assert forked.stderr == alone.stderr
    assert b"no goal named" in forked.stderr
