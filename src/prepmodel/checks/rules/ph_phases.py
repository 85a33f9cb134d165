"""Rules PH: phases."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.text.i18n import msg


def _first_phase(ctx: RuleContext) -> dict[str, int]:
    """Deliverable key -> index of the first phase that lists it."""
    out: dict[str, int] = {}
    for ph in ctx.model.phases:
        for k in ph.members:
            out.setdefault(k, ph.index)
    return out


@rule("PH01", "multiple-phases", Severity.ERROR, "a deliverable in more than one phase")
def multiple_phases(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A deliverable listed in more than one phase. Each belongs to at most one.

    Bad:
        phase Land: 成功定義書, 導入計画書
        phase Adopt: 導入計画書, 設定済みテナント
    Good:
        phase Land: 成功定義書, 導入計画書
        phase Adopt: 設定済みテナント
    """
    # Deliverable key -> (key, display name) of the first phase that lists it.  Phases are
    # compared by key: `phase Ｌａｎｄ` and `phase Land` are one phase.
    first: dict[str, tuple[str, str]] = {}
    for ph in ctx.model.phases:
        for k, span in zip(ph.members, ph.member_spans, strict=True):
            if k in first and first[k][0] != ph.key:
                yield Diagnostic.make(
                    "PH01",
                    span,
                    msg(
                        "'{name}' is already in phase '{phase}'",
                        name=ctx.model.name(k),
                        phase=first[k][1],
                    ),
                    msg("list each deliverable in one phase only"),
                )
            else:
                first.setdefault(k, (ph.key, ph.name))


@rule(
    "PH02",
    "backward-journey",
    Severity.WARNING,
    "the journey runs backwards: a deliverable needs one from a later phase",
)
def backward_journey(ctx: RuleContext) -> Iterator[Diagnostic]:
    """The journey runs backwards: a deliverable needs one from a later phase.

    Bad:
        phase Land: 導入計画書
        phase Adopt: 成功定義書
        導入計画書 <- 成功定義書
    Good:
        phase Land: 成功定義書
        phase Adopt: 導入計画書
        導入計画書 <- 成功定義書
    """
    phase = _first_phase(ctx)
    if not phase:
        return
    names = {ph.index: ph.name for ph in ctx.model.phases}
    for r in ctx.model.routes:
        here = phase.get(r.output)
        if here is None:
            continue
        for k, span in zip(r.inputs, r.input_spans, strict=True):
            there = phase.get(k)
            if there is not None and there > here:
                yield Diagnostic.make(
                    "PH02",
                    span,
                    msg(
                        "'{output}' (phase {phase}) needs '{input}' from the later phase {later}",
                        output=ctx.model.name(r.output),
                        phase=names[here],
                        input=ctx.model.name(k),
                        later=names[there],
                    ),
                    msg("move one of them to another phase, or reorder the phases"),
                )


@rule(
    "PH03", "unphased", Severity.INFO, "phases are declared but a produced deliverable is in none"
)
def unphased(ctx: RuleContext) -> Iterator[Diagnostic]:
    """Phases are declared, but a produced deliverable is in none of them.

    Bad:
        phase Land: 導入計画書
        導入計画書 <- 成功定義書
        成功定義書 <- 契約書
    Good:
        phase Land: 成功定義書, 導入計画書
        導入計画書 <- 成功定義書
        成功定義書 <- 契約書
    """
    phase = _first_phase(ctx)
    if not ctx.model.phases:
        return
    g = ctx.graph
    for key, d in ctx.model.deliverables.items():
        if key in g.produced and key not in phase:
            routes = g.routes_by_output.get(key)
            span = routes[0].output_span if routes else d.span
            yield Diagnostic.make(
                "PH03",
                span,
                msg("'{name}' is produced but in no phase", name=d.name),
                msg("add it to the phase where it is made"),
            )
