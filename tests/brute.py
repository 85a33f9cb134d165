"""Brute-force references shared by the property tests."""

from __future__ import annotations

import itertools

from hypothesis import strategies as st


def built_on_every_way(usable: dict[str, list[list[str]]], goal: str) -> set[str] | None:
    """The produced deliverables built on every way of making ``goal``: each way picks one
    of ``usable[k]`` (the inputs a route waits for) for every deliverable ``k`` that has
    routes; None when no way makes the goal. A deliverable without usable routes fails
    only where it is needed."""
    names = list(usable)
    common: set[str] | None = None
    for pick in itertools.product(*(range(len(usable[n])) or [None] for n in names)):
        built: set[str] = set()

        def make(k: str, pick: tuple[int | None, ...] = pick, built: set[str] = built) -> bool:
            if k not in usable:
                return True
            choice = pick[names.index(k)]
            if choice is None:
                return False
            built.add(k)
            return all(make(x) for x in usable[k][choice])

        if make(goal):
            common = set(built) if common is None else common & built
    return common


#: Each produced deliverable's routes: (inputs, effort in whole hours; 0: none written).
TimedRoutes = dict[str, list[tuple[list[str], int]]]


def draw_timed_routes(draw: st.DrawFn, max_produced: int) -> tuple[list[str], TimedRoutes]:
    """An acyclic model's lines and routes: externals E0.., produced P0.. whose inputs come
    from earlier nodes, 1-3 routes each with 0-40 hours of effort (0: no effort written)."""
    n_ext = draw(st.integers(1, 3))
    n_prod = draw(st.integers(1, max_produced))
    nodes = [f"E{i}" for i in range(n_ext)]
    routes: TimedRoutes = {}
    lines = ["external " + ", ".join(nodes)]
    for i in range(n_prod):
        name = f"P{i}"
        rs = []
        for _ in range(draw(st.integers(1, 3))):
            inputs = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique=True))
            hours = draw(st.integers(0, 40))
            rs.append((inputs, hours))
            effort = f" {{ effort: {hours}h }}" if hours else ""
            lines.append(f"{name} <- {', '.join(inputs)}{effort}")
        routes[name] = rs
        nodes.append(name)
    return lines, routes
