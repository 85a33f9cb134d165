"""`analyse_pair` (the two sides of `prep diff`): the forked path gives the same diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from prepmodel.checks import analysis
from prepmodel.checks.analysis import analyse_bytes, analyse_pair
from prepmodel.review.diff import semantic_diff
from prepmodel.review.report import diff_json

from .conftest import SAMPLES

OLD = (SAMPLES / "onboarding.prep").read_bytes()
NEW = OLD.replace("導入計画書".encode(), "導入計画シート".encode()).replace(
    b"{ work: KPI", b"{ work: KPI2"
)


@pytest.mark.parametrize("journeys", [False, True], ids=["model", "model+journey"])
@pytest.mark.parametrize("threshold", [0, 10**9], ids=["forked", "in-process"])
def test_same_diff_either_way(
    monkeypatch: pytest.MonkeyPatch, threshold: int, journeys: bool
) -> None:
    monkeypatch.setattr(analysis, "PARALLEL_BYTES", threshold)
    a, b = analyse_pair((OLD, "old.prep"), (NEW, "new.prep"), journeys=journeys)
    serial = semantic_diff(
        analyse_bytes(OLD, "old.prep", rules=False), analyse_bytes(NEW, "new.prep", rules=False)
    )
    assert diff_json(semantic_diff(a, b)) == diff_json(serial)
    assert diff_json(serial)["renamed"] == [
        {
            "from": "導入計画書",
            "to": "導入計画シート",
            "score": diff_json(serial)["renamed"][0]["score"],
        }
    ]
    assert b.syntax_ok and b.model.title == a.model.title


def test_syntax_error_on_the_forked_side_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "PARALLEL_BYTES", 0)
    _a, b = analyse_pair((OLD, "old.prep"), (b"goal A\nA <- \n", "new.prep"))
    assert not b.syntax_ok
    assert [d.code for d in b.diagnostics] == ["PS01"]
    _a, b = analyse_pair((OLD, "old.prep"), (b"goal \xff\n", "new.prep"))
    assert [d.code for d in b.diagnostics] == ["PS01"]


def test_journey_sent_back_from_the_child_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "PARALLEL_BYTES", 0)
    _a, b = analyse_pair((OLD, "old.prep"), (NEW, "new.prep"), journeys=True)
    assert "journey" in b.__dict__  # restored from the child, not computed here
    here = analyse_bytes(NEW, "new.prep", rules=False).journey
    sent = b.journey
    assert [(s.number, s.key) for s in sent.steps] == [(s.number, s.key) for s in here.steps]
    assert sent.step_of == here.step_of
    for goal in b.model.goals:
        assert sent.goal(goal) == here.goal(goal)
        assert sent.goal(goal).critical_path == here.goal(goal).critical_path != ()


def test_released_syntax_gives_the_same_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked, each side is analysed in a child: this process never holds a syntax tree
    (#18), and the diff is the one made in one process with the trees kept."""
    monkeypatch.setattr(analysis, "PARALLEL_BYTES", 0)
    a, b = analyse_pair((OLD, "old.prep"), (NEW, "new.prep"), journeys=True, release_syntax=True)
    for side, data in ((a, OLD), (b, NEW)):
        assert side.source.statements == () and side.source.text == data.decode("utf-8")
        assert "journey" in side.__dict__  # sent back by the child
    monkeypatch.setattr(analysis, "PARALLEL_BYTES", 10**9)
    kept_a, kept_b = analyse_pair((OLD, "old.prep"), (NEW, "new.prep"), journeys=True)
    assert kept_a.source.statements != ()
    assert diff_json(semantic_diff(a, b)) == diff_json(semantic_diff(kept_a, kept_b))


def test_syntax_error_on_the_first_side_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first side is forked too: its syntax errors are found again here and kept."""
    monkeypatch.setattr(analysis, "PARALLEL_BYTES", 0)
    a, b = analyse_pair((b"goal A\nA <- \n", "old.prep"), (NEW, "new.prep"), release_syntax=True)
    assert not a.syntax_ok and b.syntax_ok
    assert [d.code for d in a.diagnostics] == ["PS01"]


def test_a_child_that_sends_nothing_leaves_the_side_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A child that dies before its message ends (here: its chunks cannot be made) is
    no diff: this process analyses that side itself."""
    from prepmodel.checks import wire

    def broken(*_args: object) -> object:
        yield b"not a chunk"
        raise SystemExit(3)

    monkeypatch.setattr(analysis, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(wire, "chunks", broken)
    a, b = analyse_pair((OLD, "old.prep"), (NEW, "new.prep"), journeys=True)
    assert a.syntax_ok and b.syntax_ok
    assert a.source.statements != ()  # analysed here, not received
    serial = semantic_diff(
        analyse_bytes(OLD, "old.prep", rules=False), analyse_bytes(NEW, "new.prep", rules=False)
    )
    assert diff_json(semantic_diff(a, b)) == diff_json(serial)


def test_a_side_with_an_import_is_analysed_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that imports another is not built while parsed (the child analyses it the
    usual way, reading the import): the diff sees the imported deliverables."""
    monkeypatch.setattr(analysis, "PARALLEL_BYTES", 0)
    (tmp_path / "part.prep").write_text("Y <- Z\nexternal Z\n", "utf-8")
    old = b"goal X\nX <- Y\n"
    new = b"import part.prep\ngoal X\nX <- Y\n"
    a, b = analyse_pair(
        (old, str(tmp_path / "old.prep")), (new, str(tmp_path / "new.prep")), journeys=True
    )
    assert "Z" not in a.model.deliverables and "Z" in b.model.deliverables


def test_in_one_process_the_sides_are_built_while_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """`PREP_JOBS=1` (or small files): with ``release_syntax`` each side's model is built
    while its file is parsed, no tree kept; a side with an error is analysed in full."""
    monkeypatch.setenv("PREP_JOBS", "1")
    monkeypatch.setattr(analysis, "PARALLEL_BYTES", 0)
    a, b = analyse_pair((OLD, "old.prep"), (NEW, "new.prep"), journeys=True, release_syntax=True)
    assert a.source.statements == () == b.source.statements
    assert b.source.text == NEW.decode("utf-8")
    serial = semantic_diff(
        analyse_bytes(OLD, "old.prep", rules=False), analyse_bytes(NEW, "new.prep", rules=False)
    )
    assert diff_json(semantic_diff(a, b)) == diff_json(serial)
    _a, broken = analyse_pair(
        (OLD, "old.prep"), (b"goal A\nA <- \n", "new.prep"), release_syntax=True
    )
    assert [d.code for d in broken.diagnostics] == ["PS01"]
