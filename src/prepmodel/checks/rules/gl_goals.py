"""Rules GL: goals."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.text.i18n import msg
from prepmodel.text.span import FILE_START


@rule("GL01", "no-goal", Severity.ERROR, "the model has no goal")
def no_goal(ctx: RuleContext) -> Iterator[Diagnostic]:
    """The model names no goal, so nothing tells what the work is for.

    Bad:
        "Order slip" <- Menu
    Good:
        goal "Order slip"
        "Order slip" <- Menu
    """
    if not ctx.model.goals and not ctx.source.diagnostics:
        yield Diagnostic.make(
            "GL01",
            FILE_START,
            msg("the model has no goal"),
            msg("declare the finished deliverable: `goal NAME`"),
        )


@rule("GL02", "unproduced-goal", Severity.ERROR, "a goal that nothing produces")
def unproduced_goal(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A goal that no route produces (and that is not a group).

    Bad:
        goal "Paid meal"
        external Menu
    Good:
        goal "Paid meal"
        external Menu
        "Paid meal" <- Menu
    """
    produced = ctx.graph.produced
    # A statement skipped after a syntax error may be the goal's route: say nothing then.
    broken = [
        ctx.source.line_at(p.span.line, p.span.file)
        for p in ctx.source.diagnostics
        if p.code == "PS01"
    ]
    for key in ctx.model.goals:
        if key in produced:
            continue
        d = ctx.model.deliverables[key]
        if any(d.name in line or _quote(d.name) in line for line in broken):
            continue
        span = d.span
        yield Diagnostic.make(
            "GL02",
            span,
            msg("nothing produces the goal '{name}'", name=d.name),
            msg("add a route: `{name} <- INPUT, ...`", name=_quote(d.name)),
        )


def _quote(name: str) -> str:
    from prepmodel.syntax.names import render_name

    return render_name(name)
