"""The critical path by effort (contract §12): durations, the critical path method with the
fastest route at alternatives, and the routes the path assumed. Random acyclic models are
checked against brute force over every choice of one route per deliverable."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepmodel.checks.analysis import analyse_text
from prepmodel.journey.core import Journey
from prepmodel.model.core import identity
from prepmodel.model.effort import parse_effort

from .brute import draw_timed_routes


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("4h", 4),
        ("3d", 24),
        ("1.5w", 60),
        ("10時間", 10),
        ("３日", 24),  # full-width digits from an input method
        ("2 週", 80),
        ("0.5D", 4),
        ("3", None),
        ("3 days", None),
        ("1d4h", None),
        ("-1d", None),
        ("", None),
    ],
)
def test_durations(text: str, hours: float | None) -> None:
    assert parse_effort(text) == hours


def _journey(text: str) -> Journey:
    a = analyse_text(text, "t.prep")
    assert not [d for d in a.diagnostics if d.severity.value == "error"], a.diagnostics
    return a.journey


def _names(j: Journey, keys: tuple[str, ...]) -> list[str]:
    return [j.name(k) for k in keys]


def test_a_long_single_step_outweighs_three_short_ones() -> None:
    """The issue's case: a 90-day circuit order is on the path, three 1-day steps are not."""
    j = _journey(
        """
goal 開通
external 申込書
回線手配 <- 申込書 { effort: 90日 }
設計書 <- 申込書 { effort: 1d }
設定手順書 <- 設計書 { effort: 1d }
設定記録 <- 設定手順書 { effort: 1d }
開通 <- 回線手配, 設定記録 { effort: 4h }
"""
    )
    goal = identity("開通")
    assert _names(j, j.critical_path(goal)) == ["申込書", "回線手配", "開通"]
    assert j.critical_path_hours(goal) == 90 * 8 + 4
    assert j.critical_path_routes(goal) == (str(j.step_of[identity("回線手配")]), "5")


def test_alternatives_take_the_fastest_route_and_say_which() -> None:
    """At alternatives the path takes the fastest route (the do-it-yourself e-Tax filer
    does not wait for a tax accountant), and the route ids say which was assumed."""
    j = _journey(
        """
goal 申告書控え
external 帳簿, 電子証明書
決算書 <- 帳簿 { effort: 2d }
申告書 <- 決算書 { work: 税理士に依頼; effort: 3w }
申告書 <- 決算書, 電子証明書 { work: "自分で e-Tax"; effort: 1d }
申告書控え <- 申告書 { effort: 1h }
"""
    )
    goal = identity("申告書控え")
    step = j.step_of[identity("申告書")]
    assert j.critical_path_routes(goal) == (str(step - 1), f"{step}.b", str(step + 1))
    assert j.critical_path_hours(goal) == 16 + 8 + 1
    assert _names(j, j.critical_path(goal)) == ["帳簿", "決算書", "申告書", "申告書控え"]


def test_without_effort_v1_depth_rule_and_no_hours() -> None:
    j = _journey("goal G\nexternal X\nA <- X\nG <- A, X\n")
    goal = identity("G")
    assert _names(j, j.critical_path(goal)) == ["X", "A", "G"]
    assert j.critical_path_hours(goal) is None
    assert j.critical_path_routes(goal) == ()


def test_a_route_without_effort_takes_no_time_and_a_group_waits_for_its_last_member() -> None:
    j = _journey(
        """
goal G
external X
A <- X { effort: 2d }
B <- X
group Kit = A, B
G <- Kit { effort: 1h }
"""
    )
    goal = identity("G")
    assert _names(j, j.critical_path(goal)) == ["X", "A", "Kit", "G"]
    assert j.critical_path_hours(goal) == 17


# --- random models against brute force ------------------------------------------------


@st.composite
def timed_models(draw: st.DrawFn) -> tuple[str, dict[str, list[tuple[list[str], int]]]]:
    """An acyclic model: externals E0.., produced P0.. (inputs from earlier nodes), goal the
    last produced one; 1-3 routes each, efforts in whole hours (some routes without)."""
    lines, routes = draw_timed_routes(draw, 6)
    goal = list(routes)[-1]
    # every node must be needed for no warnings to matter; they do not affect the path
    lines.insert(0, f"goal {goal}")
    if not any(h for rs in routes.values() for _, h in rs):
        first = routes["P0"][0]
        routes["P0"][0] = (first[0], 1)
        lines = [
            ln + " { effort: 1h }" if ln.startswith("P0 <- ") and "effort" not in ln else ln
            for ln in lines
        ]
        # only the first route of P0 gets the effort
        seen = False
        fixed = []
        for ln in lines:
            if ln.startswith("P0 <- ") and ln.endswith("{ effort: 1h }"):
                if seen:
                    ln = ln.removesuffix(" { effort: 1h }")
                seen = True
            fixed.append(ln)
        lines = fixed
    return "\n".join(lines) + "\n", routes


def _brute_finish(routes: dict[str, list[tuple[list[str], int]]], goal: str) -> int:
    """Least finish of the goal over every choice of one route per produced deliverable."""
    names = list(routes)
    best: int | None = None
    for choice in itertools.product(*(range(len(routes[n])) for n in names)):
        finish: dict[str, int] = {}

        def f(k: str, choice: tuple[int, ...] = choice, finish: dict[str, int] = finish) -> int:
            if k not in routes:
                return 0
            if k not in finish:
                inputs, hours = routes[k][choice[names.index(k)]]
                finish[k] = max(f(x) for x in inputs) + hours
            return finish[k]

        value = f(goal)
        best = value if best is None else min(best, value)
    assert best is not None
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timed_models())
def test_critical_path_method_against_brute_force(
    case: tuple[str, dict[str, list[tuple[list[str], int]]]],
) -> None:
    text, routes = case
    a = analyse_text(text, "t.prep")
    j = a.journey
    goal_name = next(iter(reversed(routes)))
    goal = identity(goal_name)
    hours = j.critical_path_hours(goal)
    assert hours == _brute_finish(routes, goal_name), text
    # the path is a chain from something given to the goal whose efforts add up to it
    path = j.critical_path(goal)
    assert path[-1] == goal and j.name(path[0]).startswith("E"), text
    ids = j.critical_path_routes(goal)
    by_id = {rid: r for s in j.steps for rid, r in s.route_ids()}
    assert [r.output for r in (by_id[i] for i in ids)] == list(path[1:]), text
    assert sum(j.effort_hours.get(by_id[i].index, 0.0) for i in ids) == hours, text


def test_checkpoints_say_the_hours_and_routes_of_the_critical_path(tmp_path: Path) -> None:
    """contract §15: `critical_path_routes` and `critical_path_hours` on each goal (null
    without efforts); the text says them too, in the model's language."""
    import json

    from .conftest import SAMPLES, run_prep

    out = json.loads(
        run_prep("checkpoints", str(SAMPLES / "software-design.prep"), "-f", "json").stdout
    )
    (goal,) = out["goals"]
    assert goal["critical_path_hours"] == 112
    assert goal["critical_path_routes"] == ["1", "2", "6", "7", "9"]
    text = run_prep("checkpoints", str(SAMPLES / "software-design.prep")).stdout.decode()
    assert "Critical path (112h, routes 1, 2, 6, 7, 9): Business requirements → " in text
    out = json.loads(run_prep("checkpoints", str(SAMPLES / "onboarding.prep"), "-f", "json").stdout)
    assert all(
        g["critical_path_hours"] is None and g["critical_path_routes"] == [] for g in out["goals"]
    )
    model = tmp_path / "m.prep"
    model.write_text(
        "model M { lang: ja }\ngoal 開通\nexternal 申込書\n開通 <- 申込書 { effort: 3日 }\n",
        "utf-8",
    )
    text = run_prep("checkpoints", str(model)).stdout.decode()
    assert "クリティカルパス（24h、ルート 1）：申込書 → 開通" in text
