"""Rules CY: cycles (a deliverable that needs itself)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import networkx as nx

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.model.core import Route
from prepmodel.text.i18n import msg


@rule("CY01", "cycle", Severity.ERROR, "a deliverable needs itself")
def cycle(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A cycle: a deliverable needs itself, through one or more routes.

    Reported once per loop, on a route that closes the loop (one whose inputs lead back
    round it), listing the loop as `A ← B ← C ← A`.  When a deliverable on the loop also
    has a route that stays out of it, the loop is reported on its looping route.

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
        knot = next((comp for comp in g.knots if loop[0] in comp), set(loop))
        found = _closing_route(ctx, loop, knot)
        if found is None:
            first = loop[0]
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
                    "a deliverable cannot be needed to make itself: remove one of these inputs, "
                    "or give the deliverable a route that does not go through the loop"
                ),
            )
            continue
        closing, free = found
        output = ctx.model.name(closing.output)
        if free is not None:
            yield Diagnostic.make(
                "CY01",
                closing.output_span,
                msg("cycle: {names}", names=names),
                msg(
                    "'{output}' already has a route without the loop (line {line}): remove this "
                    "route, or replace the input that leads back round the loop",
                    output=output,
                    line=free.span.line,
                ),
            )
        else:
            yield Diagnostic.make(
                "CY01",
                closing.output_span,
                msg("cycle: {names}", names=names),
                msg(
                    "a deliverable cannot be needed to make itself: remove one of these inputs, "
                    "or give the deliverable a route that does not go through the loop"
                ),
            )


def _closing_route(
    ctx: RuleContext, loop: list[str], knot: set[str]
) -> tuple[Route, Route | None] | None:
    """The route that closes ``loop`` and, when its output has one, a route of that output
    that stays out of the loop.

    A closing route is a route of a loop member whose inputs hold the next member.  A member
    that also has a loop-free route is preferred: its looping route is the one to drop.
    """
    g = ctx.graph
    first: Route | None = None
    for here, nxt in itertools.pairwise(loop):
        routes = g.routes_by_output.get(here, [])
        looping = [r for r in routes if nxt in r.inputs]
        if not looping:
            continue
        free = next((r for r in routes if not knot.intersection(r.inputs)), None)
        if free is not None:
            return looping[0], free
        if first is None:
            first = looping[0]
    return (first, None) if first is not None else None


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
