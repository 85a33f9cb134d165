"""Scenarios (contract §9): `when:` on routes, `prep checkpoints --when`, SC01. The
mandatory sets in a scenario are checked against brute force over every choice of one
applicable route per deliverable."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepmodel.checks.analysis import analyse_text
from prepmodel.model.core import identity

from .brute import built_on_every_way
from .conftest import run_prep

TAX = """\
model 確定申告 { lang: ja }
goal 申告書控え
external 帳簿, 領収書, 証明書の申請
電子証明書 <- 証明書の申請
申告書 <- 帳簿 { when: 税理士依頼; by: 税理士 }
申告書 <- 帳簿, 電子証明書 { when: 自分で, "e-Tax" }
申告書控え <- 申告書
"""


def _names(a: object, keys: object) -> list[str]:
    return [a.model.name(k) for k in keys]  # type: ignore[attr-defined]


def test_a_scenario_keeps_its_routes_and_the_whole_models_numbers() -> None:
    a = analyse_text(TAX, "tax.prep")
    assert [d for d in a.diagnostics if d.code in ("AT01", "RT01")] == []  # `when` is known
    whole = a.journey.goal(identity("申告書控え"))
    assert _names(a, whole.route_dependent) == ["電子証明書"]
    own = a.journey.in_scenario(frozenset({identity("自分で")}))
    goal = own.goal(identity("申告書控え"))
    assert _names(a, [c.key for c in goal.checkpoints]) == ["電子証明書", "申告書", "申告書控え"]
    assert goal.route_dependent == ()
    step = a.journey.step_of[identity("申告書")]
    assert own.step_of[identity("申告書")] == step  # numbers of the whole model
    (only,) = [s for s in own.steps if s.key == identity("申告書")]
    assert [rid for rid, _ in only.route_ids()] == [f"{step}.b"]  # its id in the whole model
    accountant = a.journey.in_scenario(frozenset({identity("税理士依頼")}))
    assert identity("電子証明書") not in accountant.step_of  # nothing needs it there


def test_checkpoints_when_on_the_command_line(tmp_path: Path) -> None:
    model = tmp_path / "tax.prep"
    model.write_text(TAX, "utf-8")
    out = json.loads(run_prep("checkpoints", str(model), "-f", "json", "--when", "自分で").stdout)
    assert out["scenarios"] == ["税理士依頼", "自分で", "e-Tax"]
    assert out["when"] == ["自分で"]
    (goal,) = out["goals"]
    assert [c["name"] for c in goal["checkpoints"]] == ["電子証明書", "申告書", "申告書控え"]
    whole = json.loads(run_prep("checkpoints", str(model), "-f", "json").stdout)
    assert whole["when"] == [] and whole["scenarios"] == out["scenarios"]
    routes = [r for s in whole["steps"] for r in s["routes"] if r["when"]]
    assert [r["when"] for r in routes] == [["税理士依頼"], ["自分で", "e-Tax"]]
    text = run_prep("checkpoints", str(model), "--when", "自分で,e-Tax").stdout.decode()
    assert "シナリオ：自分で, e-Tax" in text
    bad = run_prep("checkpoints", str(model), "--when", "自分でｘ")
    assert bad.returncode == 2
    assert "SC01 no route mentions the scenario '自分でｘ'; did you mean '自分で'?" in (
        bad.stderr.decode()
    )


# --- random models against brute force ------------------------------------------------

SCENARIOS = ("S1", "S2")


@st.composite
def scenario_models(
    draw: st.DrawFn,
) -> tuple[str, dict[str, list[tuple[list[str], tuple[str, ...]]]]]:
    n_ext = draw(st.integers(1, 3))
    n_prod = draw(st.integers(1, 5))
    nodes = [f"E{i}" for i in range(n_ext)]
    lines = ["external " + ", ".join(nodes)]
    routes: dict[str, list[tuple[list[str], tuple[str, ...]]]] = {}
    for i in range(n_prod):
        name = f"P{i}"
        rs = []
        for _ in range(draw(st.integers(1, 3))):
            inputs = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique=True))
            when = tuple(draw(st.lists(st.sampled_from(SCENARIOS), max_size=2, unique=True)))
            rs.append((inputs, when))
            block = f" {{ when: {', '.join(when)} }}" if when else ""
            lines.append(f"{name} <- {', '.join(inputs)}{block}")
        routes[name] = rs
        nodes.append(name)
    lines.insert(0, f"goal P{n_prod - 1}")
    return "\n".join(lines) + "\n", routes


def _brute(
    routes: dict[str, list[tuple[list[str], tuple[str, ...]]]], goal: str, chosen: set[str]
) -> set[str] | None:
    """Produced deliverables every way of making ``goal`` builds, using only the routes
    that apply in all ``chosen`` scenarios; None when the goal cannot be made."""
    usable = {k: [i for i, w in rs if not w or chosen <= set(w)] for k, rs in routes.items()}
    return built_on_every_way(usable, goal)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_models(), st.sampled_from([("S1",), ("S2",), ("S1", "S2")]))
def test_checkpoints_in_a_scenario_against_brute_force(
    case: tuple[str, dict[str, list[tuple[list[str], tuple[str, ...]]]]],
    chosen: tuple[str, ...],
) -> None:
    text, routes = case
    a = analyse_text(text, "m.prep")
    goal = f"P{len(routes) - 1}"
    expected = _brute(routes, goal, set(chosen))
    j = a.journey.in_scenario(frozenset(identity(s) for s in chosen))
    if expected is None:
        return  # the goal cannot be made in this scenario: GP01-like, nothing to compare
    got = {j.name(c.key) for c in j.goal(identity(goal)).checkpoints}
    assert got == expected, text


def test_a_column_per_scenario(tmp_path: Path) -> None:
    """`prep checkpoints --format markdown --scenarios all`: which deliverables are
    checkpoints in which scenario (contract §9)."""
    model = tmp_path / "tax.prep"
    model.write_text(TAX, "utf-8")
    md = run_prep("checkpoints", str(model), "-f", "markdown", "--scenarios", "all")
    assert md.returncode == 0, md.stderr.decode()
    text = md.stdout.decode()
    assert "## シナリオ別のチェックポイント" in text
    assert "| 手順 | 成果物 | すべてのルート | 税理士依頼 | 自分で | e-Tax |" in text
    assert "| 1 | 電子証明書 | *（一部のルート）* | — | ✓ | ✓ |" in text
    some = run_prep("checkpoints", str(model), "-f", "markdown", "--scenarios", "自分で")
    assert "| 手順 | 成果物 | すべてのルート | 自分で |" in some.stdout.decode()
    assert run_prep("checkpoints", str(model), "--scenarios", "all").returncode == 2
    wrong = run_prep("checkpoints", str(model), "-f", "markdown", "--scenarios", "自分でｘ")
    assert wrong.returncode == 2 and "SC01" in wrong.stderr.decode()
