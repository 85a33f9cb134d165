"""Rules RT: routes."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.model.core import identity
from prepmodel.text.i18n import msg
from prepmodel.text.span import Span


@rule(
    "RT01",
    "duplicate-route",
    Severity.WARNING,
    "two routes of one output with the same inputs, `by` and `when`",
)
def duplicate_route(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Two routes of one output with the same inputs: one of them says nothing new.

    Routes that differ in who performs them (`by`) or in the scenarios they apply to
    (`when`) are real alternatives (contract §9), not duplicates: 伴走 and 代走 routes.
    An optional input `[X]` and a required `X` make different routes.

    Bad:
        "Order slip" <- "Customer's choice", Menu { work: "Take the order" }
        "Order slip" <- Menu, "Customer's choice" { work: "Write it down" }
    Good:
        "Order slip" <- "Customer's choice", Menu { work: "Take the order" }
        "Order slip" <- "Customer's choice", Tablet { work: "Self-order" }
    """
    seen: dict[
        tuple[str, frozenset[str], frozenset[str], frozenset[str], frozenset[str]], Span
    ] = {}
    for r in ctx.model.routes:
        sig = (
            r.output,
            frozenset(r.inputs),
            frozenset(r.optional),  # `[X]` and `X` make different routes
            frozenset(identity(v) for v in r.attrs.get("by", ())),
            frozenset(identity(v) for v in r.attrs.get("when", ())),
        )
        first = seen.get(sig)
        if first is None:
            seen[sig] = r.span
            continue
        yield Diagnostic.make(
            "RT01",
            r.output_span,
            msg(
                "this route of '{name}' has the same inputs, `by` and `when` as the one on "
                "line {line}",
                name=ctx.model.name(r.output),
                line=first.line,
            )
            if first.file == r.span.file
            else msg(
                "this route of '{name}' has the same inputs, `by` and `when` as the one in "
                "{file} (line {line})",
                name=ctx.model.name(r.output),
                file=first.file or ctx.source.path,
                line=first.line,
            ),
            msg("merge the two routes (list both activities in `work`), or change the inputs"),
        )


@rule(
    "RT02", "external-produced", Severity.ERROR, "a deliverable declared external and also produced"
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
            msg("'{name}' is declared external but is also produced here", name=name),
            msg("remove it from `external`, or remove its routes"),
        )


@rule(
    "RT03",
    "no-required-input",
    Severity.ERROR,
    "a route whose inputs are all optional (`[X]`)",
)
def no_required_input(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A route needs at least one required input (contract §9): a route whose inputs are
    all optional would make its output from nothing.

    Bad:
        申告書控え <- [医療費控除の明細書]
    Good:
        申告書控え <- 申告書, [医療費控除の明細書]
    """
    for r in ctx.model.routes:
        if r.inputs and not r.required:
            yield Diagnostic.make(
                "RT03",
                r.output_span,
                msg(
                    "every input of this route of '{name}' is optional: a route needs at "
                    "least one required input",
                    name=ctx.model.name(r.output),
                ),
                msg(
                    "remove the brackets from the input the route cannot do without, e.g. "
                    "`{output} <- {first}`",
                    output=ctx.model.name(r.output),
                    first=ctx.model.name(r.inputs[0]),
                ),
            )
