"""Rules about assembly routes and how deliverables are declared."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.check.rules.base import Check, RuleContext
from prepmodel.diagnostics import Diagnostic


def duplicate_route(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Two routes of one output with the same inputs: one of them says nothing new.

    Bad:
        "Order slip" <- "Customer's choice", Menu { work: "Take the order" }
        "Order slip" <- Menu, "Customer's choice" { work: "Write it down" }
    Good:
        "Order slip" <- "Customer's choice", Menu { work: "Take the order" }
        "Order slip" <- "Customer's choice", Tablet { work: "Self-order" }
    """
    seen: dict[tuple[str, frozenset[str]], int] = {}
    for r in ctx.model.routes:
        sig = (r.output, frozenset(r.inputs))
        first = seen.get(sig)
        if first is None:
            seen[sig] = r.span.line
            continue
        yield Diagnostic.make(
            "RT01",
            r.output_span,
            f"this route of '{ctx.model.name(r.output)}' has the same inputs as the one on "
            f"line {first}",
            "merge the two routes (list both activities in `work`), or change the inputs",
        )


def external_produced(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A deliverable declared `external` (given from outside) that a route also produces.

    Bad:
        external Menu
        Menu <- Recipes
    Good:
        external Recipes
        Menu <- Recipes
    """
    g = ctx.graph
    for key in ctx.model.externals:
        routes = g.routes_by_output.get(key)
        if not routes and key not in ctx.model.groups:
            continue
        span = routes[0].output_span if routes else ctx.model.groups[key].span
        name = ctx.model.name(key)
        yield Diagnostic.make(
            "RT02",
            span,
            f"'{name}' is declared external but is also produced here",
            "remove it from `external`, or remove its routes",
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
                f"the group '{name}' is defined again (first on line {first[grp.key]})",
                "list all members in one `group` statement",
            )
            continue
        first[grp.key] = grp.span.line
        routes = g.routes_by_output.get(grp.key)
        if routes:
            yield Diagnostic.make(
                "GR02",
                routes[0].output_span,
                f"'{name}' is a group (line {grp.span.line}) and cannot have routes",
                "add these inputs to the group's members, or make it an ordinary deliverable",
            )


RULES: list[tuple[str, Check]] = [
    ("RT01", duplicate_route),
    ("RT02", external_produced),
    ("GR02", group_conflict),
]
