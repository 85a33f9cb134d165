"""Rules about loops: deliverables that need themselves, groups that contain themselves."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from prepmodel.check.rules.base import Check, RuleContext
from prepmodel.diagnostics import Diagnostic


def cycle(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A cycle: a deliverable needs itself, through one or more routes.

    Reported once per loop, at the first route of the loop in the file, listing the
    loop as `A ← B ← C ← A`.

    Bad:
        Plan <- Review
        Review <- Plan
    Good:
        Plan <- Draft
        Review <- Plan
    """
    g = ctx.graph
    for loop in g.cycles:
        if all(g.is_group(k) for k in loop[:-1]):
            continue  # groups alone: GR01
        names = " ← ".join(ctx.model.name(k) for k in loop)
        first = loop[0]
        routes = g.routes_by_output.get(first)
        if routes:
            span = routes[0].output_span
        else:
            span = (
                ctx.model.groups[first].span
                if first in ctx.model.groups
                else ctx.model.deliverables[first].span
            )
        yield Diagnostic.make(
            "CY01",
            span,
            f"cycle: {names}",
            "a deliverable cannot be needed to make itself: remove one of these inputs, or "
            "give the deliverable a route that does not go through the loop",
        )


def recursive_group(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A group that contains itself, directly or through other groups.

    Bad:
        group Kit = Manual, Kit
    Good:
        group Kit = Manual, Parts
    """
    groups = ctx.model.groups
    member_graph: nx.DiGraph[str] = nx.DiGraph()
    for grp in groups.values():
        member_graph.add_node(grp.key)
        member_graph.add_edges_from((grp.key, m) for m in grp.members if m in groups)
    # One pass: the strongly connected components say which groups are on a loop; each
    # loop is reported once, at its first group in the file, with a shortest way round.
    component: dict[str, int] = {}
    for index, members in enumerate(nx.strongly_connected_components(member_graph)):
        if len(members) > 1 or any(member_graph.has_edge(k, k) for k in members):
            component.update((k, index) for k in members)
    reported: set[int] = set()
    for grp in ctx.model.group_statements:
        loop_id = component.get(grp.key)
        if loop_id is None or loop_id in reported:
            continue
        reported.add(loop_id)
        keys = _loop_through(member_graph, grp.key)
        names = " ⊃ ".join(ctx.model.name(k) for k in keys)
        yield Diagnostic.make(
            "GR01",
            grp.span,
            f"the group '{ctx.model.name(grp.key)}' contains itself: {names}",
            "a group cannot be one of its own members",
        )


def _loop_through(graph: nx.DiGraph[str], start: str) -> list[str]:
    """``start``, the groups on a shortest way from it back to itself, and ``start``."""
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for k in frontier:
            for m in graph.successors(k):
                if m == start:
                    path = [k]
                    while path[-1] != start:
                        path.append(parents[path[-1]])
                    return [*reversed(path), start]
                if m not in parents:
                    parents[m] = k
                    following.append(m)
        frontier = following
    return [start, start]  # not reached: ``start`` is on a loop


RULES: list[tuple[str, Check]] = [("CY01", cycle), ("GR01", recursive_group)]
