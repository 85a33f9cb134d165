"""Rules GP: gaps (needed but neither produced nor external) and unused externals."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.model.core import identity
from prepmodel.text.i18n import msg
from prepmodel.text.similar import closest
from prepmodel.text.span import Span


def did_you_mean(name: str, candidates: list[str]) -> str | None:
    """The closest spelling among ``candidates``, if one is close enough (compared by
    identity, with the measure every hint shares: :func:`prepmodel.text.similar.closest`)."""
    return closest(name, candidates, processor=identity)


def uses_of(ctx: RuleContext) -> dict[str, list[Span]]:
    """Where each deliverable is used as an input or a group member, in file order."""
    cached = ctx.memo.get("uses")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    uses: dict[str, list[Span]] = {}
    ctx.memo["uses"] = uses
    for r in ctx.model.routes:
        for key, span in zip(r.inputs, r.input_spans, strict=True):
            uses.setdefault(key, []).append(span)
    for g in ctx.model.group_statements:
        for key, span in zip(g.members, g.member_spans, strict=True):
            uses.setdefault(key, []).append(span)
    return uses


@rule("GP01", "gap", Severity.ERROR, "a deliverable is needed but is neither produced nor external")
def gap(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A gap: a deliverable is used but nothing produces it and it is not external.

    Either a route is missing, the deliverable should be declared `external`, or the
    name is misspelt (the hint names a close spelling when there is one).

    Bad:
        goal Bill
        Bill <- "Order slip"
    Good:
        goal Bill
        external "Order slip"
        Bill <- "Order slip"
    """
    g = ctx.graph
    known = ctx.known_names()
    for key, spans in uses_of(ctx).items():
        d = ctx.model.deliverables[key]
        if key in g.produced or d.external:
            continue
        others = [n for n in known if identity(n) != key]
        close = did_you_mean(d.name, others)
        hint = (
            msg("did you mean '{name}'?", name=close)
            if close
            else msg("add a route `{name} <- ...` or declare it `external`", name=d.name)
        )
        message = (
            msg(
                "'{name}' is needed but neither produced nor external (used {count} times)",
                name=d.name,
                count=len(spans),
            )
            if len(spans) > 1
            else msg("'{name}' is needed but neither produced nor external", name=d.name)
        )
        yield Diagnostic.make("GP01", spans[0], message, hint)


@rule("GP02", "unused-external", Severity.WARNING, "an external deliverable nothing uses")
def unused_external(ctx: RuleContext) -> Iterator[Diagnostic]:
    """An external deliverable that no route or group uses.

    Bad:
        external Menu, Fax
        "Order slip" <- Menu
    Good:
        external Menu
        "Order slip" <- Menu
    """
    uses = uses_of(ctx)
    for key in ctx.model.externals:
        d = ctx.model.deliverables[key]
        if key not in uses and not d.goal:
            span = d.span
            yield Diagnostic.make(
                "GP02",
                span,
                msg("the external '{name}' is not used by any route", name=d.name),
                msg("remove it, or add it to the inputs of the route that needs it"),
            )
