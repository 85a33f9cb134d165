"""The library as an embedding application sees it: no process-wide side effects, and one
exception root."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

import prepmodel
from prepmodel.checks.analysis import analyse_pair
from prepmodel.checks.config import ConfigError, find_config
from prepmodel.cli.safewrite import WriteRefused
from prepmodel.errors import PrepError
from prepmodel.render.engine import EngineError
from prepmodel.render.raster import RasterError
from prepmodel.review.fmt import FormatterError

from .conftest import SAMPLES

BIG_SAMPLES = sorted(SAMPLES.glob("*.prep"))


class _Exited(Exception):
    pass


@pytest.fixture
def no_process_switches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record any call that would switch the collector off or end the process."""
    calls: list[str] = []

    def disable() -> None:
        calls.append("gc.disable")

    def hard_exit(code: int) -> None:
        calls.append(f"os._exit({code})")
        raise _Exited

    monkeypatch.setattr(gc, "disable", disable)
    monkeypatch.setattr(os, "_exit", hard_exit)
    return calls


@pytest.mark.parametrize("path", BIG_SAMPLES, ids=lambda p: p.name)
def test_load_and_check_leave_the_collector_alone(
    path: Path, no_process_switches: list[str]
) -> None:
    assert gc.isenabled()
    text = path.read_text("utf-8")
    analysis = prepmodel.load(text, path.name)
    table = prepmodel.checkpoints(text, path.name)
    assert analysis.model.goals
    assert "goals" in table
    assert no_process_switches == []
    assert gc.isenabled()


def test_broken_text_is_diagnosed_without_exiting(no_process_switches: list[str]) -> None:
    diagnostics = prepmodel.load("deliverable = = \n", "bad.prep").diagnostics
    assert [d.code for d in diagnostics][:1] == ["PS01"]
    assert no_process_switches == []
    assert gc.isenabled()


def test_diff_pair_in_process_leaves_the_collector_alone(
    no_process_switches: list[str],
) -> None:
    data = (SAMPLES / "restaurant.prep").read_bytes()
    first, second = analyse_pair((data, "a.prep"), (data, "b.prep"), journeys=True)
    assert first.model.deliverables.keys() == second.model.deliverables.keys()
    assert no_process_switches == []
    assert gc.isenabled()


def test_one_exception_root() -> None:
    assert prepmodel.PrepError is PrepError
    for error in (ConfigError, EngineError, RasterError, FormatterError, WriteRefused):
        assert issubclass(error, PrepError), error
    assert issubclass(FormatterError, RuntimeError)  # as before, for existing callers


def test_a_bad_settings_file_is_caught_as_prep_error(tmp_path: Path) -> None:
    (tmp_path / "prep.toml").write_text("[severity\n", encoding="utf-8")
    with pytest.raises(PrepError) as caught:
        find_config(tmp_path)
    assert "prep.toml" in str(caught.value)


def test_public_check_leaves_the_collector_alone_in_a_fresh_process() -> None:
    """``prepmodel.check()`` as a new user calls it first, in a process of its own."""
    import subprocess
    import sys

    probe = (
        "import gc, os, prepmodel\n"
        "os._exit = None  # any hard exit would fail loudly\n"
        "found = prepmodel.check(open(os.environ['MODEL'], encoding='utf-8').read(), 'm.prep')\n"
        "assert gc.isenabled(), 'collector switched off'\n"
        "print(len(found))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "MODEL": str(SAMPLES / "broken.prep")},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 10


def test_unexpected_graphviz_output_is_a_prep_error() -> None:
    """Caught by the command like any Graphviz failure (a clean message, exit 2), not a
    ValueError traceback."""
    from prepmodel.render.compose import split_svg

    with pytest.raises(EngineError, match="Graphviz wrote an SVG"):
        split_svg("<svg></svg>")
    assert split_svg('<svg width="10pt" height="20pt"><g/></svg>\n') == ("<g/>", 10.0, 20.0)


def test_check_stays_the_function_after_the_checks_stage_is_imported() -> None:
    """The stage package is ``prepmodel.checks``: importing it (as ``load()`` does) must not
    replace the public function ``prepmodel.check`` (it did while the package was named
    ``check``), and ``import prepmodel.checks.naming as n`` works."""
    import prepmodel
    import prepmodel.checks.naming as naming

    text = 'goal "Paid meal"\nexternal Menu\n"Paid meal" <- Menu\n'
    assert prepmodel.check(text, "m.prep") == []
    assert prepmodel.check(text, "m.prep") == []  # the second call too
    assert callable(prepmodel.check) and naming.action_like("Take the order")
