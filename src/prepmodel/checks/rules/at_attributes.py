"""Rules AT: attributes."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.model.core import (
    ASSEMBLY_KEYS,
    DELIVERABLE_KEYS,
    KPI_KEYS,
    MODEL_KEYS,
    PHASE_KEYS,
    ROLE_KEYS,
)
from prepmodel.syntax import tree as syn
from prepmodel.text.i18n import msg
from prepmodel.text.similar import closest


def _known_keys(st: syn.Statement) -> tuple[str, ...]:
    if isinstance(st, syn.ModelStmt):
        return MODEL_KEYS
    if isinstance(st, syn.AssemblyStmt):
        return ASSEMBLY_KEYS
    if isinstance(st, syn.PhaseStmt):
        return PHASE_KEYS
    if isinstance(st, syn.DeclStmt) and st.keyword == "role":
        return ROLE_KEYS
    if isinstance(st, syn.DeclStmt) and st.keyword == "kpi":
        return KPI_KEYS
    return DELIVERABLE_KEYS


@rule("AT01", "unknown-attribute", Severity.WARNING, "an unknown attribute key", syntax=True)
def unknown_attribute(ctx: RuleContext) -> Iterator[Diagnostic]:
    """An attribute key that `prep` does not know. It is kept, but may be a typo.

    Known keys: model `lang version note direction`; goal, external, deliverable and group
    `title note kpi owner url`; assembly `work by effort note when consulted informed`;
    phase `title note`; role `title note party`; kpi `party unit target note`.

    Bad:
        Bill <- "Order slip" { wrok: "Print the bill" }
    Good:
        Bill <- "Order slip" { work: "Print the bill" }
    """
    for st in ctx.source.statements:
        if st.block is None:
            continue
        known = _known_keys(st)
        for attr in st.block.attrs:
            key = attr.key.text
            if key in known:
                continue
            match = closest(key, known)
            hint = (
                msg("did you mean '{name}'?", name=match)
                if match
                else msg("known keys: {keys}", keys=", ".join(known))
            )
            yield Diagnostic.make(
                "AT01",
                attr.key.span,
                msg("unknown attribute key '{key}' (kept as written)", key=key),
                hint,
            )
