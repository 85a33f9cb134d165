"""Rules RC: reachability (what no goal needs)."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.checks.rules.gp_gaps import uses_of
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.text.i18n import msg


@rule("RC01", "orphan", Severity.WARNING, "a produced or declared deliverable that no goal needs")
def orphan(ctx: RuleContext) -> Iterator[Diagnostic]:
    """An orphan: a produced or declared deliverable that no goal needs.

    Bad:
        goal Bill
        external "Order slip"
        Bill <- "Order slip"
        Receipt <- Bill
    Good:
        goal Bill, Receipt
        external "Order slip"
        Bill <- "Order slip"
        Receipt <- Bill
    """
    g = ctx.graph
    if not ctx.model.goals:
        return
    uses = uses_of(ctx)
    for key, d in ctx.model.deliverables.items():
        if key in g.needed or (d.external and key not in g.produced):
            continue
        if key not in g.produced and not d.declared and key in uses:
            continue  # a gap used only by orphans: GP01 says it, RC01 says the user
        routes = g.routes_by_output.get(key)
        span = routes[0].output_span if routes else d.span
        yield Diagnostic.make(
            "RC01",
            span,
            msg("'{name}' is produced but no goal needs it", name=d.name)
            if key in g.produced
            else msg("'{name}' is declared but no goal needs it", name=d.name),
            msg("use it as an input on the way to a goal, make it a goal, or remove it"),
        )
