"""`prepmodel.checks.wire`: a model and its journey survive the trip to another process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from prepmodel.checks import wire
from prepmodel.checks.analysis import analyse_bytes
from prepmodel.journey.core import Journey, JourneyState
from prepmodel.model.core import Model
from prepmodel.model.graph import ModelGraph

from .conftest import ROOT, SAMPLES


def _files(tmp: Path) -> list[Path]:
    out = [p for p in sorted(SAMPLES.glob("*.prep")) if p.name != "broken.prep"]
    path = tmp / "m400-mixed.prep"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            "400",
            "--lang",
            "mixed",
            "-o",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    return [*out, path]


def _sent(model: Model, journey: JourneyState | None = None) -> tuple[Model, Any]:
    """``model`` (and ``journey``) through the chunks a child sends and a loader."""
    loader = wire.Loader()
    for piece in wire.chunks(model, journey):
        loader.feed(piece)
    return loader.result()


@pytest.mark.parametrize("with_journey", [False, True])
def test_round_trip_is_equal(tmp_path: Path, with_journey: bool) -> None:
    for path in _files(tmp_path):
        a = analyse_bytes(path.read_bytes(), str(path), rules=False)
        state = a.journey.export() if with_journey else None
        model, back = _sent(a.model, state)
        assert model == a.model, path.name
        assert model.groups.keys() == a.model.groups.keys()
        assert [type(r.span).__name__ for r in model.routes[:1]] in ([], ["Span"])
        if not with_journey:
            assert back is None
            continue
        assert back is not None
        j = Journey.restore(ModelGraph(model), back)
        assert [(s.number, s.key, s.routes) for s in j.steps] == [
            (s.number, s.key, s.routes) for s in a.journey.steps
        ]
        assert j.step_of == a.journey.step_of
        for goal in model.goals:
            assert j.goal(goal) == a.journey.goal(goal)
            assert j.goal(goal).critical_path == a.journey.goal(goal).critical_path


def test_model_with_spellings_roles_groups_and_phases() -> None:
    text = (
        'model "M" { lang: ja }\nrole 営業 { title: Sales }\ngoal "Paid  bill"\n'
        "external X\ngroup G = A, B { note: n }\ngroup G = A\nphase P: A, B\n"
        '"Paid bill" <- G, "paid bill 2"\nA <- X { by: 営業 }\nB <- X\n"paid bill 2" <- Ｘ\n'
    ).encode()
    a = analyse_bytes(text, "m.prep", rules=False)
    assert any(d.spellings for d in a.model.deliverables.values())
    model, _ = _sent(a.model)
    assert model == a.model
    assert model.groups["G"] is model.group_statements[0]


def test_construct_equals_pydantic_model_construct() -> None:
    from prepmodel.model.core import Route, construct
    from prepmodel.text.span import Span

    values = {
        "index": 0,
        "output": "A",
        "inputs": ("B",),
        "attrs": {"work": ("x",)},
        "span": Span(1, 1, 1, 7),
        "output_span": Span(1, 1, 1, 2),
        "input_spans": (Span(1, 6, 1, 7),),
        "optional": (),  # construct() takes every field
    }
    ours = construct(Route, dict(values))
    theirs = Route.model_construct(**values)
    assert ours == theirs and ours.model_fields_set == theirs.model_fields_set
    assert ours.model_dump() == theirs.model_dump()


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.prep")), ids=lambda p: p.name)
def test_built_models_pass_pydantic_validation(path: Path) -> None:
    """build() skips validation (trusted parser output): the result must still be valid."""
    from prepmodel.model.core import Model

    model = analyse_bytes(path.read_bytes(), str(path), rules=False).model
    assert Model.model_validate(model.model_dump()) == model


def test_chunks_of_a_few_rows_rebuild_the_same_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big model goes in many chunks (#18): with three rows a chunk, every section
    spans several, and the routes' and steps' indexes run on across them."""
    monkeypatch.setattr(wire, "_ROWS", 3)
    path = _files(tmp_path)[-1]
    a = analyse_bytes(path.read_bytes(), str(path), rules=False)
    state = a.journey.export()
    pieces = list(wire.chunks(a.model, state))
    assert len(pieces) > len(a.model.deliverables) // 3
    loader = wire.Loader()
    for piece in pieces:
        loader.feed(piece)
    model, back = loader.result()
    assert model == a.model
    assert [r.index for r in model.routes] == list(range(len(model.routes)))
    assert back is not None
    assert [(s.number, s.key, s.routes) for s in back[0]] == [
        (s.number, s.key, s.routes) for s in a.journey.steps
    ]
    assert back[2] == state[2]


def test_a_loader_refuses_what_is_not_a_message() -> None:
    loader = wire.Loader()
    with pytest.raises(ValueError, match="no head"):
        loader.result()
    import marshal

    with pytest.raises(ValueError, match="unknown section"):
        loader.feed(marshal.dumps((99, [])))
    with pytest.raises((ValueError, EOFError, TypeError)):
        loader.feed(b"\x00 not marshal")
