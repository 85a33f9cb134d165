"""benchmarks/ratio.py (issue #18's measure of `checkpoints` against `check`) on a small
sample: both ways of a round run the real commands and report their ratio."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import ratio  # noqa: E402

SAMPLE = str(ROOT / "samples" / "restaurant.prep")


def test_one_round_both_ways(capsys: pytest.CaptureFixture[str]) -> None:
    assert ratio.main([SAMPLE, "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"round 1 side by side: base [\d.]+ s, command [\d.]+ s .*: [\d.]+\n", out)
    assert re.search(r"round 1 in turn: base [\d.]+/[\d.]+ s, command [\d.]+/[\d.]+ s", out)
    side = re.search(r"side by side: median ([\d.]+), range ([\d.]+)-([\d.]+) \(", out)
    turns = re.search(r"in turn: median ([\d.]+), range ([\d.]+)-([\d.]+) \(", out)
    assert side is not None and turns is not None
    for found in (side, turns):
        median, low, high = (float(x) for x in found.groups())
        assert 0 < low <= median <= high


def test_a_failing_command_fails_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    code = ratio.main([SAMPLE, "--rounds", "1", "--way", "turns", "--command", "nosuch {file}"])
    assert code == 1
    assert "some run failed" in capsys.readouterr().out


def test_side_by_side_needs_one_environment(capsys: pytest.CaptureFixture[str]) -> None:
    assert ratio.main([SAMPLE, "--way", "side", "--env", "PREP_JOBS=2"]) == 2
    assert "use --way turns" in capsys.readouterr().out


def test_stages_times_each_pass_beyond_check(capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/stages.py: one line per stage, `check`'s sum and the rest beyond it."""
    import stages

    assert stages.main([str(ROOT / "samples" / "onboarding-jp.prep")]) == 0
    lines = capsys.readouterr().out.splitlines()
    seconds = {}
    for line in lines[:-1]:
        name, value = re.fullmatch(r"(.+?)\s+([\d.]+) s", line).groups()  # type: ignore[union-attr]
        seconds[name] = float(value)
    assert {"analysis", "step order, steps", "mandatory sets, checkpoints", "JSON"} <= set(seconds)
    check = seconds["check"]
    assert check == pytest.approx(sum(v for k, v in list(seconds.items())[:3]), abs=0.02)
    assert re.fullmatch(r"beyond check\s+[\d.]+ s  \([\d.]+ x check\)", lines[-1])
