"""Rules CY: cycles (a deliverable that needs itself)."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from prepmodel.check.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.text.i18n import msg


@rule("CY01", "cycle", Severity.ERROR, "a deliverable needs itself")
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
            msg("cycle: {names}", names=names),
            msg(
                "a deliverable cannot be needed to make itself: remove one of these inputs, or "
                "give the deliverable a route that does not go through the loop"
            ),
        )


def loop_through(graph: nx.DiGraph[str], start: str) -> list[str]:
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
