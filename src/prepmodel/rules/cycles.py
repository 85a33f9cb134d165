"""Rules about loops: deliverables that need themselves, groups that contain themselves."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from prepmodel.diagnostics import Diagnostic
from prepmodel.rules.base import Check, RuleContext


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
            span = ctx.model.groups[first].span if first in ctx.model.groups else \
                ctx.model.deliverables[first].span
        yield Diagnostic.make(
            "CY01", span, f"cycle: {names}",
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
    reported: set[str] = set()
    for grp in ctx.model.group_statements:
        if grp.key in reported:
            continue
        try:
            loop = nx.find_cycle(member_graph, grp.key)
        except nx.NetworkXNoCycle:
            continue
        keys = [e[0] for e in loop] + [loop[-1][1]]
        if grp.key not in keys:
            continue
        reported.update(keys)
        names = " ⊃ ".join(ctx.model.name(k) for k in keys)
        yield Diagnostic.make(
            "GR01", grp.span, f"the group '{ctx.model.name(grp.key)}' contains itself: {names}",
            "a group cannot be one of its own members",
        )


RULES: list[tuple[str, Check]] = [("CY01", cycle), ("GR01", recursive_group)]
