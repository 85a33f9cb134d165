"""Phase-major step numbers (contract §14) against an independent reference, on random
phased models written as `.prep` text and read by the real parser; and the samples."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepmodel.checks.analysis import analyse_text
from prepmodel.model.core import identity

from .conftest import SAMPLES


@st.composite
def phased_models(draw: st.DrawFn) -> tuple[str, list[list[int]], dict[int, int], int]:
    """A layered random DAG: node i's routes take inputs from nodes < i; nodes 0..e-1 are
    externals; some produced nodes are put in phases (possibly against the flow)."""
    n = draw(st.integers(4, 11))
    externals = draw(st.integers(1, 3))
    routes: list[list[list[int]]] = [[] for _ in range(n)]
    for i in range(externals, n):
        for _ in range(draw(st.integers(1, 2))):
            k = draw(st.integers(1, min(3, i)))
            routes[i].append(sorted(draw(st.sets(st.integers(0, i - 1), min_size=k, max_size=k))))
    phases = draw(st.integers(1, 4))
    phase_of = {i: draw(st.integers(1, phases)) for i in range(externals, n) if draw(st.booleans())}
    order = draw(st.permutations(list(range(externals, n))))  # file order of producers
    lines = [f"goal N{n - 1}", "external " + ", ".join(f"N{i}" for i in range(externals))]
    for i in order:
        for r in routes[i]:
            lines.append(f"N{i} <- " + ", ".join(f"N{x}" for x in r))
    for p in range(1, phases + 1):
        members = [f"N{i}" for i, q in sorted(phase_of.items()) if q == p]
        if members:
            lines.append(f"phase P{p}: " + ", ".join(members))
    flat = [sorted({x for r in rs for x in r}) for rs in routes]
    return "\n".join(lines) + "\n", flat, phase_of, phases


def reference_order(
    text: str, inputs: list[list[int]], phase_of: dict[int, int], phases: int
) -> list[int]:
    """Kahn's algorithm written out: needed produced nodes; priority (phase key, first
    route line); the phase key by walking every transitive user."""
    n = len(inputs)
    users: dict[int, set[int]] = {i: set() for i in range(n)}
    for i, xs in enumerate(inputs):
        for x in xs:
            users[x].add(i)
    needed = {n - 1}
    stack = [n - 1]
    while stack:
        for x in inputs[stack.pop()]:
            if x not in needed:
                needed.add(x)
                stack.append(x)
    produced = [i for i in needed if inputs[i]]

    def transitive_users(i: int) -> set[int]:
        seen: set[int] = set()
        todo = [i]
        while todo:
            for u in users[todo.pop()]:
                if u not in seen:
                    seen.add(u)
                    todo.append(u)
        return seen

    # phase keys only count phases that have members (unused declarations are not written)
    used = sorted(set(phase_of.values()))
    position = {p: used.index(p) + 1 for p in used}
    declared = len(used)

    def key(i: int) -> int:
        if i in phase_of:
            return position[phase_of[i]]
        keys = [position[phase_of[u]] for u in transitive_users(i) if u in phase_of]
        return min(keys, default=declared + 1)

    first_line = {}
    for number, line in enumerate(text.splitlines()):
        head = line.split(" <- ")[0]
        if " <- " in line and head not in first_line:
            first_line[head] = number
    done: set[int] = set()
    out: list[int] = []
    while len(out) < len(produced):
        ready = [
            i
            for i in produced
            if i not in done and all(x in done or not inputs[x] for x in inputs[i])
        ]
        best = min(ready, key=lambda i: (key(i) if phases else 0, first_line[f"N{i}"]))
        done.add(best)
        out.append(best)
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phased_models())
def test_phase_major_numbering_matches_the_reference(
    case: tuple[str, list[list[int]], dict[int, int], int],
) -> None:
    text, inputs, phase_of, phases = case
    a = analyse_text(text, "m.prep")
    got = [int(s.key.removeprefix("N")) for s in a.journey.steps]
    assert got == reference_order(text, inputs, phase_of, phases)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phased_models())
def test_numbers_read_phase_by_phase_when_the_journey_runs_forwards(
    case: tuple[str, list[list[int]], dict[int, int], int],
) -> None:
    text, _inputs, _phase_of, _ = case
    a = analyse_text(text, "m.prep")
    phase_key = a.graph.phase_keys
    if any(phase_key[x] > phase_key[u] for x, u in a.graph.g.edges):
        return  # a journey that runs backwards (even through unphased steps) cannot be
    keys = [phase_key[s.key] for s in a.journey.steps]
    assert keys == sorted(keys)


def test_onboarding_steps_follow_the_phases() -> None:
    path = SAMPLES / "onboarding.prep"
    a = analyse_text(path.read_text("utf-8"), str(path))
    phase = [a.journey.phase_of.get(s.key) for s in a.journey.steps]
    assert phase == ["Land"] * 2 + ["Adopt"] * 5 + ["Expand"] * 3 + ["Renew"] * 2
    assert a.journey.step_of[identity("設定済みテナント")] == 3


def test_models_without_phases_keep_the_v1_numbers() -> None:
    path = SAMPLES / "restaurant.prep"
    a = analyse_text(path.read_text("utf-8"), str(path))
    assert [a.model.name(s.key) for s in a.journey.steps] == [
        "Order slip",
        "Cooked dish",
        "Served meal",
        "Bill",
        "Paid meal",
    ]


def test_unphased_deliverable_takes_the_earliest_phase_that_needs_it() -> None:
    text = """goal G
external E
X <- E
Y <- E
A <- X
B <- Y, A
G <- B
phase P1: A
phase P2: B
"""
    a = analyse_text(text, "m.prep")
    keys = a.graph.phase_keys
    assert keys[identity("X")] == 1  # needed by A (P1) and, through A, by B (P2)
    assert keys[identity("Y")] == 2  # only B (P2) needs it
    assert keys[identity("G")] == 3  # needs, but is needed by nothing phased: one past
    assert [a.model.name(s.key) for s in a.journey.steps] == ["X", "A", "Y", "B", "G"]
