"""Rules about how the file is written: syntax, repeated statements and keys, spellings."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.check.rules.base import Check, RuleContext
from prepmodel.diagnostics import Diagnostic
from prepmodel.model.core import (
    ASSEMBLY_KEYS,
    DELIVERABLE_KEYS,
    MODEL_KEYS,
    PHASE_KEYS,
    ROLE_KEYS,
)
from prepmodel.syntax import tree as syn


def syntax_error(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A statement the parser cannot read. The message says what was expected.

    Bad:
        "Order slip" -> Menu
    Good:
        "Order slip" <- Menu
    """
    yield from ctx.source.diagnostics


def duplicate_statement(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A second `model` statement, or one key given twice in one `{ }` block.

    Bad:
        model "Floor"
        model "Kitchen"
        Bill <- "Order slip" { work: Print; work: Send }
    Good:
        model "Floor"
        Bill <- "Order slip" { work: Print }
    """
    first_model: syn.ModelStmt | None = None
    for st in ctx.source.statements:
        if isinstance(st, syn.ModelStmt):
            if first_model is None:
                first_model = st
            else:
                yield Diagnostic.make(
                    "PS02",
                    st.span,
                    f"a second `model` statement (the first is on line {first_model.span.line})",
                    "keep one `model` statement and merge their attributes",
                )
        if st.block is None:
            continue
        seen: dict[str, syn.Attr] = {}
        for attr in st.block.attrs:
            prev = seen.get(attr.key.text)
            if prev is not None:
                yield Diagnostic.make(
                    "PS02",
                    attr.key.span,
                    f"the key '{attr.key.text}' is repeated in this block "
                    f"(first on line {prev.key.span.line})",
                    "give several values as a list: `key: a, b`",
                )
            else:
                seen[attr.key.text] = attr


def _known_keys(st: syn.Statement) -> tuple[str, ...]:
    if isinstance(st, syn.ModelStmt):
        return MODEL_KEYS
    if isinstance(st, syn.AssemblyStmt):
        return ASSEMBLY_KEYS
    if isinstance(st, syn.PhaseStmt):
        return PHASE_KEYS
    if isinstance(st, syn.DeclStmt) and st.keyword == "role":
        return ROLE_KEYS
    return DELIVERABLE_KEYS


def unknown_attribute(ctx: RuleContext) -> Iterator[Diagnostic]:
    """An attribute key that `prep` does not know. It is kept, but may be a typo.

    Known keys: model `lang version note direction`; goal, external, deliverable and group
    `title note kpi owner url`; assembly `work by effort note`; phase and role `title note`.

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
            from rapidfuzz import process  # only when there is something to suggest

            match = process.extractOne(key, known, score_cutoff=60)
            hint = f"did you mean '{match[0]}'?" if match else f"known keys: {', '.join(known)}"
            yield Diagnostic.make(
                "AT01", attr.key.span, f"unknown attribute key '{key}' (kept as written)", hint
            )


def inconsistent_spelling(ctx: RuleContext) -> Iterator[Diagnostic]:
    """One deliverable written two ways, e.g. full-width and half-width letters.

    Both spellings mean the same deliverable (same text after NFKC normalisation and
    collapsing white space); the first one is shown in diagrams.

    Bad:
        goal ＫＰＩ設計書
        KPI設計書 <- 成功定義書
    Good:
        goal KPI設計書
        KPI設計書 <- 成功定義書
    """
    for d in ctx.model.deliverables.values():
        for sp in d.spellings:
            if sp.text != d.name:
                yield Diagnostic.make(
                    "NM02",
                    sp.span,
                    f"'{sp.text}' is spelled '{d.name}' elsewhere "
                    f"(line {d.span.line}); both mean the same deliverable",
                    f"write '{d.name}' everywhere",
                )


RULES: list[tuple[str, Check]] = [
    ("PS01", syntax_error),
    ("PS02", duplicate_statement),
    ("AT01", unknown_attribute),
    ("NM02", inconsistent_spelling),
]
