"""Optional inputs `[X]` (contract §9): parsing (fast path and Lark's parser), syntax
errors, the model, RT01/RT03, mandatory sets against brute force (with scenarios), the
checkpoint outputs and the formatter."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepmodel.checks.analysis import analyse_text
from prepmodel.model.core import build, identity
from prepmodel.review.fmt import format_source
from prepmodel.syntax import tree as syn
from prepmodel.syntax.parser import _parser, parse

from .brute import built_on_every_way
from .conftest import run_prep

TAX = """\
model 確定申告 { lang: ja }
goal 申告書控え
external 帳簿, 決算書, 電子証明書, 領収書
申告書 <- 帳簿, 決算書 { when: 税理士依頼; by: 税理士 }
申告書 <- 帳簿, 決算書, 電子証明書 { when: 自分で, "e-Tax" }
医療費控除の明細書 <- 領収書
申告書控え <- 申告書, [医療費控除の明細書]
"""


def _assemblies(text: str) -> list[syn.AssemblyStmt]:
    source = parse(text)
    assert source.ok, source.diagnostics
    return [s for s in source.statements if isinstance(s, syn.AssemblyStmt)]


# --- syntax ---------------------------------------------------------------------------


def test_brackets_mark_optional_inputs_in_both_parsers() -> None:
    text = 'goal A\nexternal B, "C d"\nA <- B, [ "C d" ] { work: x }\nA <- [B],\n  ["C d"]\n'
    fast = _assemblies(text)
    assert [s.optional for s in fast] == [(1,), (0, 1)]
    assert [n.text for n in fast[0].inputs] == ["B", "C d"]
    assert fast[0].inputs[1].span.column == 11  # the name's own span, inside the brackets
    lark, _comments = _parser()
    assert lark.parse(text) == list(parse(text).statements)  # the fallback parser agrees


def test_a_v1_route_has_no_optional_inputs() -> None:
    (route,) = _assemblies("goal A\nexternal B\nA <- B\n")
    assert route.optional == ()
    assert route == syn.AssemblyStmt(route.output, route.inputs, None, route.span)


@pytest.mark.parametrize(
    ("line", "column", "message", "hint"),
    [
        ("A <- [\n", 7, "unexpected end of line; expected a name", "between the brackets"),
        ("A <- []\n", 7, "unexpected ']'; expected a name", "between the brackets"),
        ("A <- [[X]]\n", 7, "unexpected '['; expected a name", "not `[[X]]`"),
        ("A <- [X\n", 8, "unexpected end of line; expected ']'", "close the optional input"),
        ("A <- [X", 7, "unexpected end of file; expected ']'", "close the optional input"),
        ("A <- [X Y]\n", 9, "unexpected name 'Y'; expected ']'", '`["A B"]`'),
        ("A <- X]\n", 7, "unexpected ']'", "']' without '['"),
        ("goal [X]\n", 6, "unexpected '['", "brackets mark an optional input of a route"),
        ("A <- X { by: [R] }\n", 14, "unexpected '['", "brackets mark an optional input"),
    ],
)
def test_misplaced_brackets_are_ps01_with_a_hint(
    line: str, column: int, message: str, hint: str
) -> None:
    source = parse("goal A\nexternal X\n" + line, "m.prep")
    (d,) = source.diagnostics
    assert d.code == "PS01"
    assert (d.span.line, d.span.column) == (3, column)
    assert message in d.message
    assert d.hint is not None and hint in d.hint
    # the rest of the file is still read
    assert [s.kind for s in source.statements] == ["goal", "external"]


def test_check_reports_an_unclosed_bracket_with_exit_1(tmp_path: Path) -> None:
    model = tmp_path / "m.prep"
    model.write_text("goal A\nexternal X\nA <- [X\n", "utf-8")
    out = run_prep("check", str(model))
    assert out.returncode == 1
    text = out.stdout.decode()
    assert "m.prep:3:8: PS01 error: unexpected end of line; expected ']'" in text
    assert "hint: close the optional input with ']': `[X]`" in text


# --- model and rules ------------------------------------------------------------------


def test_the_model_knows_which_inputs_are_optional() -> None:
    model = build(parse(TAX))
    route = model.routes[-1]
    assert route.inputs == (identity("申告書"), identity("医療費控除の明細書"))
    assert route.optional == (identity("医療費控除の明細書"),)
    assert route.required == (identity("申告書"),)
    # an input written both bare and in brackets is required
    (both,) = build(parse("goal A\nexternal B, C\nA <- B, [C], C\n")).routes
    assert both.inputs == ("B", "C") and both.optional == ()


def test_rt01_compares_optional_inputs_when_and_by() -> None:
    def codes(routes: str) -> list[tuple[str, int]]:
        text = "goal A\nexternal B, C\n" + routes
        return [
            (d.code, d.span.line)
            for d in analyse_text(text, "m.prep").diagnostics
            if d.code in ("RT01", "RT03")
        ]

    assert codes("A <- B, [C]\nA <- B, C\n") == []  # [C] and C: different routes
    assert codes("A <- B, [C]\nA <- [C], B\n") == [("RT01", 4)]
    assert codes("A <- B, [C] { when: S }\nA <- B, [C] { when: T }\n") == []
    assert codes("A <- B, [C] { by: X }\nA <- B, [C] { by: Y }\n") == []
    assert codes("A <- B, [C] { by: X; when: S }\nA <- B, [C] { when: S; by: X }\n") == [
        ("RT01", 4)
    ]


def test_rt03_a_route_needs_a_required_input() -> None:
    text = "goal A\nexternal B, C\nA <- [B], [C]\n"
    found = [d for d in analyse_text(text, "m.prep").diagnostics if d.code == "RT03"]
    (d,) = found
    assert d.severity.value == "error" and (d.span.line, d.span.column) == (3, 1)
    assert "every input of this route of 'A' is optional" in d.message
    assert d.hint is not None and "`A <- B`" in d.hint
    out = run_prep("rules")
    assert "RT03" in out.stdout.decode()


def test_optional_input_is_numbered_and_never_a_checkpoint_through_that_route() -> None:
    a = analyse_text(TAX, "tax.prep")
    assert [a.model.name(s.key) for s in a.journey.steps] == [
        "申告書",
        "医療費控除の明細書",
        "申告書控え",
    ]
    goal = a.journey.goal(identity("申告書控え"))
    assert [a.model.name(c.key) for c in goal.checkpoints] == ["申告書", "申告書控え"]
    assert [a.model.name(k) for k in goal.route_dependent] == ["医療費控除の明細書"]
    assert identity("領収書") not in a.journey.mandatory(identity("申告書控え"))
    # the critical path goes through required inputs only
    assert goal.critical_path[-1] == identity("申告書控え")
    assert identity("医療費控除の明細書") not in goal.critical_path


def test_the_same_input_required_on_another_route_is_still_not_mandatory() -> None:
    text = "goal A\nexternal E, F\nB <- E\nA <- F, [B]\nA <- E, B\n"
    a = analyse_text(text, "m.prep")
    goal = a.journey.goal("A")
    assert [c.key for c in goal.checkpoints] == ["A"]
    assert goal.route_dependent == ("B",)
    text = "goal A\nexternal E, F\nB <- E\nA <- F, B, [E]\nA <- E, B\n"
    goal = analyse_text(text, "m.prep").journey.goal("A")
    assert [c.key for c in goal.checkpoints] == ["B", "A"]


def test_a_scenario_keeps_a_route_whose_optional_input_it_cannot_make() -> None:
    text = (
        "goal A\nexternal E, F\n"
        "B <- E { when: S }\n"
        "A <- F, [B]\n"
        "C <- E { when: S }\n"
        "A <- E, C { when: T }\n"
    )
    a = analyse_text(text, "m.prep")
    t = a.journey.in_scenario(frozenset({"T"}))
    (step,) = [s for s in t.steps if s.key == "A"]
    assert [rid for rid, _ in step.route_ids()] == ["3.a"]  # the whole model's id
    (route,) = step.routes
    assert route.inputs == ("F",) and route.optional == ()  # B cannot be had in T
    assert [c.key for c in t.goal("A").checkpoints] == ["A"]
    assert "B" not in t.step_of


# --- random models against brute force ------------------------------------------------

SCENARIOS = ("S1", "S2")
RouteSpec = tuple[list[str], frozenset[str], tuple[str, ...]]  # inputs, optional, when


@st.composite
def optional_models(draw: st.DrawFn) -> tuple[str, dict[str, list[RouteSpec]]]:
    n_ext = draw(st.integers(1, 3))
    n_prod = draw(st.integers(1, 6))
    nodes = [f"E{i}" for i in range(n_ext)]
    lines = ["external " + ", ".join(nodes)]
    routes: dict[str, list[RouteSpec]] = {}
    for i in range(n_prod):
        name = f"P{i}"
        specs: list[RouteSpec] = []
        for _ in range(draw(st.integers(1, 3))):
            inputs = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=4, unique=True))
            flags = draw(st.lists(st.booleans(), min_size=len(inputs), max_size=len(inputs)))
            flags[draw(st.integers(0, len(inputs) - 1))] = False  # one required input
            optional = frozenset(x for x, f in zip(inputs, flags, strict=True) if f)
            when = tuple(draw(st.lists(st.sampled_from(SCENARIOS), max_size=2, unique=True)))
            specs.append((inputs, optional, when))
            written = ", ".join(f"[{x}]" if x in optional else x for x in inputs)
            block = f" {{ when: {', '.join(when)} }}" if when else ""
            lines.append(f"{name} <- {written}{block}")
        routes[name] = specs
        nodes.append(name)
    lines.insert(0, f"goal P{n_prod - 1}")
    return "\n".join(lines) + "\n", routes


def _brute(routes: dict[str, list[RouteSpec]], goal: str, chosen: set[str]) -> set[str] | None:
    """Produced deliverables built on every way of making ``goal`` (one applicable route
    per deliverable, following required inputs only); None when it cannot be made."""
    usable = {
        k: [[x for x in ins if x not in opt] for ins, opt, w in specs if not w or chosen <= set(w)]
        for k, specs in routes.items()
    }
    return built_on_every_way(usable, goal)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(optional_models(), st.sampled_from([(), ("S1",), ("S2",), ("S1", "S2")]))
def test_checkpoints_with_optional_inputs_against_brute_force(
    case: tuple[str, dict[str, list[RouteSpec]]], chosen: tuple[str, ...]
) -> None:
    text, routes = case
    a = analyse_text(text, "m.prep")
    assert not [d for d in a.diagnostics if d.code in ("PS01", "RT03")], text
    goal = f"P{len(routes) - 1}"
    expected = _brute(routes, goal, set(chosen))
    j = a.journey.in_scenario(frozenset(chosen)) if chosen else a.journey
    if expected is None:
        return  # the goal cannot be made in this scenario
    got = {j.name(c.key) for c in j.goal(identity(goal)).checkpoints}
    assert got == expected, text
    # every produced deliverable the goal may need is numbered, optional or not
    needed = {j.name(k) for k in j.graph.needed_by(identity(goal)) if k in j.graph.produced}
    assert {j.name(s.key) for s in j.steps} >= needed


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(optional_models())
def test_fmt_keeps_optional_inputs_and_is_idempotent(
    case: tuple[str, dict[str, list[RouteSpec]]],
) -> None:
    text, _routes = case
    messy = text.replace(", ", " ,  ").replace("[", "[ ").replace("]", " ]")
    once = format_source(messy, "m.prep")
    assert once.ok
    assert once.text == text  # canonical: `[X]`, no inner spaces, ", " between inputs
    assert format_source(once.text, "m.prep").text == once.text
    before = [(r.inputs, r.optional) for r in build(parse(messy)).routes]
    assert [(r.inputs, r.optional) for r in build(parse(once.text)).routes] == before


def test_fmt_keeps_comments_around_optional_inputs() -> None:
    text = (
        "goal A  # the goal\n"
        "external B,C\n"
        "A <- B ,[ C ]   # C helps\n"
        'A <- [ "C" ],\n'
        "   # the other one\n"
        "   B { work: x }\n"
    )
    out = format_source(text, "m.prep")
    assert out.text == (
        "goal A # the goal\n"
        "external B, C\n"
        "A <- B, [C] # C helps\n"
        "A <- [C],\n"
        "    # the other one\n"
        "    B { work: x }\n"
    )
    assert format_source(out.text, "m.prep").text == out.text


# --- outputs --------------------------------------------------------------------------


def test_checkpoints_list_optional_inputs(tmp_path: Path) -> None:
    model = tmp_path / "tax.prep"
    model.write_text(TAX, "utf-8")
    out = json.loads(run_prep("checkpoints", str(model), "-f", "json").stdout)
    routes = {r["id"]: r for s in out["steps"] for r in s["routes"]}
    assert routes["3"]["inputs"] == ["申告書", "医療費控除の明細書"]
    assert routes["3"]["optional"] == ["医療費控除の明細書"]
    assert routes["1.a"]["optional"] == [] and routes["2"]["optional"] == []
    text = run_prep("checkpoints", str(model)).stdout.decode()
    assert "3  申告書控え  ← 申告書 + [医療費控除の明細書]" in text
    assert "[X]：任意のインプット" in text
    md = run_prep("checkpoints", str(model), "-f", "markdown").stdout.decode()
    assert "申告書 + \\[医療費控除の明細書\\]" in md
    rows = list(
        csv.reader(io.StringIO(run_prep("checkpoints", str(model), "-f", "csv").stdout.decode()))
    )
    assert [r[7] for r in rows if r[6] == "3"] == ["申告書 + [医療費控除の明細書]"]
    # a model without optional inputs says nothing about them
    plain = tmp_path / "plain.prep"
    plain.write_text("goal A\nexternal B\nA <- B\n", "utf-8")
    assert "[X]" not in run_prep("checkpoints", str(plain)).stdout.decode()


def test_the_formatters_proof_catches_lost_brackets(monkeypatch: pytest.MonkeyPatch) -> None:
    """A layout that dropped a pair of brackets is refused, also where the model alone
    would not tell (`A <- B, [B]`: B is required either way)."""
    from prepmodel.review import fmt

    original = fmt._Flatten.names

    def careless(
        self: object, head: str, start: object, names: object, optional: object = ()
    ) -> None:
        original(self, head, start, names)  # type: ignore[arg-type]

    monkeypatch.setattr(fmt._Flatten, "names", careless)
    for text in ("goal A\nexternal B, C\nA <-  B, [C]\n", "goal A\nexternal B\nA <-  B, [B]\n"):
        with pytest.raises(fmt.FormatterError, match=r"optional|different model"):
            format_source(text, "m.prep")
