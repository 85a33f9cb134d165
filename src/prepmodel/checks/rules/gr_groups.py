"""Rules GR: groups."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.checks.rules.cy_cycles import loop_through
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.text.i18n import msg


@rule(
    "GR01",
    "recursive-group",
    Severity.ERROR,
    "a group that contains itself, directly or through other groups",
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
        keys = loop_through(member_graph, grp.key)
        names = " ⊃ ".join(ctx.model.name(k) for k in keys)
        yield Diagnostic.make(
            "GR01",
            grp.span,
            msg(
                "the group '{name}' contains itself: {loop}",
                name=ctx.model.name(grp.key),
                loop=names,
            ),
            msg("a group cannot be one of its own members"),
        )


@rule(
    "GR02",
    "group-conflict",
    Severity.ERROR,
    "a group defined twice, or a group that also has routes or is declared external",
)
def group_conflict(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A group defined twice, or a group that also has routes of its own.

    A group exists exactly when its members exist; it is not assembled by a route.

    Bad:
        group Kit = Manual, Parts
        Kit <- Box
    Good:
        group Kit = Manual, Parts, Box
    """
    g = ctx.graph
    first: dict[str, int] = {}
    for grp in ctx.model.group_statements:
        name = ctx.model.name(grp.key)
        if grp.key in first:
            yield Diagnostic.make(
                "GR02",
                grp.span,
                msg(
                    "the group '{name}' is defined again (first on line {line})",
                    name=name,
                    line=first[grp.key],
                ),
                msg("list all members in one `group` statement"),
            )
            continue
        first[grp.key] = grp.span.line
        routes = g.routes_by_output.get(grp.key)
        if routes:
            yield Diagnostic.make(
                "GR02",
                routes[0].output_span,
                msg(
                    "'{name}' is a group (line {line}) and cannot have routes",
                    name=name,
                    line=grp.span.line,
                ),
                msg("add these inputs to the group's members, or make it an ordinary deliverable"),
            )
