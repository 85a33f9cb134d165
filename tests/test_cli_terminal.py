"""`prep` in a terminal: colour (`--color`, NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE) and
shell completion, through the real command (pipes, a pseudo-terminal, a real bash)."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prepmodel.cli.color import ColorMode, choose, use_color

from .conftest import ROOT, SAMPLES, prep_on_path, run_prep

ESC = b"\x1b["
BROKEN = str(SAMPLES / "broken.prep")
# Nothing from the test runner's own environment may decide the colour.
PLAIN_ENV = {"NO_COLOR": "", "FORCE_COLOR": "", "CLICOLOR_FORCE": "", "CLICOLOR": ""}


def check_output(*options: str, **env: str) -> bytes:
    return run_prep(*options, "check", BROKEN, env={**PLAIN_ENV, **env}).stdout


def test_a_pipe_gets_no_colour() -> None:
    assert ESC not in check_output()


@pytest.mark.parametrize(
    "env",
    [{"FORCE_COLOR": "1"}, {"FORCE_COLOR": "true"}, {"CLICOLOR_FORCE": "1"}],
    ids=["FORCE_COLOR=1", "FORCE_COLOR=true", "CLICOLOR_FORCE=1"],
)
def test_forced_colour_reaches_a_pipe(env: dict[str, str]) -> None:
    out = check_output(**env)
    assert b"\x1b[1msamples/" in out or b"\x1b[1m" + BROKEN.encode() in out
    assert b"\x1b[31m\x1b[1mPS01 error:\x1b[0m" in out


@pytest.mark.parametrize(
    "env",
    [
        {"FORCE_COLOR": "1", "NO_COLOR": "1"},
        {"CLICOLOR_FORCE": "0"},
        {"CLICOLOR_FORCE": "1", "NO_COLOR": "yes"},
    ],
)
def test_no_color_wins_and_zero_does_not_force(env: dict[str, str]) -> None:
    assert ESC not in check_output(**env)


def test_color_option_overrides_the_environment() -> None:
    assert b"\x1b[31m\x1b[1mPS01 error:" in check_output("--color", "always", NO_COLOR="1")
    assert ESC not in check_output("--color", "never", FORCE_COLOR="1")
    bad = run_prep("--color", "sometimes", "check", BROKEN)
    assert bad.returncode == 2
    assert b"sometimes" in bad.stderr


def run_on_terminal(*args: str, env: dict[str, str]) -> bytes:
    """Run `prep ARGS` with stdout on a pseudo-terminal; what it printed there."""
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "prepmodel", *args],
            stdout=terminal,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            env={**os.environ, **PLAIN_ENV, "TERM": "xterm", **env},
            timeout=120,
        )
        os.close(terminal)
        terminal = -1
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal side is closed: all read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if terminal >= 0:
            os.close(terminal)
        os.close(controller)
    assert done.returncode == 1
    return b"".join(chunks)


def test_a_terminal_gets_colour_unless_told_otherwise() -> None:
    assert b"\x1b[31m\x1b[1mPS01 error:" in run_on_terminal("check", BROKEN, env={})
    assert ESC not in run_on_terminal("check", BROKEN, env={"NO_COLOR": "1"})
    assert ESC not in run_on_terminal("check", BROKEN, env={"TERM": "dumb"})
    assert ESC not in run_on_terminal("--color", "never", "check", BROKEN, env={})


def test_diff_colours_with_force_color(tmp_path: Path) -> None:
    old = tmp_path / "old.prep"
    new = tmp_path / "new.prep"
    old.write_text("goal Meal\nMeal <- Dish\nexternal Dish\n", encoding="utf-8")
    new.write_text("goal Meal\nMeal <- Dish, Wine\nexternal Dish, Wine\n", encoding="utf-8")
    forced = run_prep("diff", str(old), str(new), env={**PLAIN_ENV, "FORCE_COLOR": "1"})
    assert b"\x1b[32m+ Wine\x1b[0m" in forced.stdout
    plain = run_prep("diff", str(old), str(new), env=PLAIN_ENV)
    assert b"+ Wine\n" in plain.stdout and ESC not in plain.stdout


def test_use_color_rules() -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    try:
        assert use_color(Terminal(), {})
        assert not use_color(Terminal(), {"NO_COLOR": "1"})
        assert use_color(Terminal(), {"NO_COLOR": ""})  # empty: as if unset
        assert not use_color(Terminal(), {"CLICOLOR": "0"})
        assert not use_color(object(), {})
        assert use_color(object(), {"CLICOLOR_FORCE": "1"})
        choose(ColorMode.never)
        assert not use_color(Terminal(), {"FORCE_COLOR": "1"})
        choose(ColorMode.always)
        assert use_color(object(), {"NO_COLOR": "1"})
    finally:
        choose(ColorMode.auto)


def test_no_hand_written_escape_sequences() -> None:
    """Colours come from click.style (what typer prints with), not from ANSI literals."""
    for path in (ROOT / "src" / "prepmodel").rglob("*.py"):
        assert "\\x1b[" not in path.read_text("utf-8"), path


# --- shell completion -----------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_and_options(tmp_path: Path) -> None:
    env = prep_on_path(tmp_path)
    script = run_prep("--show-completion", "bash", env={"SHELL": "/bin/bash"})
    assert script.returncode == 0
    assert b"complete -o default -F _prep_completion prep" in script.stdout
    (tmp_path / "prep-completion.bash").write_bytes(script.stdout)

    def complete(*words: str) -> list[str]:
        line = " ".join(f"'{w}'" for w in words)
        done = subprocess.run(
            [
                "bash",
                "-c",
                f"source '{tmp_path}/prep-completion.bash'; COMP_WORDS=({line}); "
                f"COMP_CWORD={len(words) - 1}; _prep_completion prep; "
                'printf "%s\\n" "${COMPREPLY[@]}"',
            ],
            capture_output=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.decode().split()

    assert complete("prep", "che") == ["check", "checkpoints"]
    assert "--stdin-filename" in complete("prep", "check", "--")
    assert complete("prep", "--color", "al") == ["always"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_completion_writes_the_bash_script(tmp_path: Path) -> None:
    env = prep_on_path(tmp_path)
    (tmp_path / "home").mkdir()
    done = subprocess.run(
        ["prep", "--install-completion", "bash"], capture_output=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    installed = tmp_path / "home" / ".bash_completions" / "prep.sh"
    assert "_PREP_COMPLETE=complete_bash" in installed.read_text("utf-8")
    assert str(installed) in (tmp_path / "home" / ".bashrc").read_text("utf-8")
