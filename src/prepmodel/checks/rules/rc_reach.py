"""Rules RC: reachability (what no goal needs)."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.checks.rules.gp_gaps import uses_of
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.model.core import identity
from prepmodel.syntax import tree as syn
from prepmodel.text.i18n import msg


@rule(
    "RC01",
    "orphan",
    Severity.WARNING,
    "a produced or declared deliverable that no goal needs",
    syntax=True,
)
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
    # A deliverable that only imported files mention (a pattern's) is not an orphan.
    own = mentioned_here(ctx.source) if ctx.source.imports else None
    for key, d in ctx.model.deliverables.items():
        if key in g.needed or (d.external and key not in g.produced):
            continue
        if own is not None and key not in own:
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


def mentioned_here(source: syn.SourceFile) -> set[str]:
    """The deliverables the top-level file itself names (not through an import)."""
    out: set[str] = set()
    for st in source.statements:
        if st.span.file:
            continue
        names: tuple[syn.Name, ...] = ()
        if isinstance(st, syn.AssemblyStmt):
            names = (st.output, *st.inputs)
        elif isinstance(st, syn.DeclStmt) and st.keyword not in ("role", "kpi"):
            names = st.names
        elif isinstance(st, syn.GroupStmt):
            names = (st.name, *st.members)
        elif isinstance(st, syn.PhaseStmt):
            names = st.members
        out.update(identity(n.text) for n in names)
    return out
