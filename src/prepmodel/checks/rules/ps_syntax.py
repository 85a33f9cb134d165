"""Rules PS: the file as written (syntax errors, repeated statements and keys)."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.checks.rules.im_imports import IMPORT_CODES
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.syntax import tree as syn
from prepmodel.syntax.errors import PS01
from prepmodel.text.i18n import msg


@rule(PS01.code)  # declared where the parser finds it
def syntax_error(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A statement the parser cannot read. The message says what was expected.

    Bad:
        "Order slip" -> Menu
    Good:
        "Order slip" <- Menu
    """
    yield from (d for d in ctx.source.diagnostics if d.code not in IMPORT_CODES)


@rule(
    "PS02",
    "duplicate-statement",
    Severity.ERROR,
    "a duplicated `model` statement, or a key repeated in one block",
    syntax=True,
)
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
        if isinstance(st, syn.ModelStmt) and not st.span.file:  # imported ones: ignored
            if first_model is None:
                first_model = st
            else:
                yield Diagnostic.make(
                    "PS02",
                    st.span,
                    msg(
                        "a second `model` statement (the first is on line {line})",
                        line=first_model.span.line,
                    ),
                    msg("keep one `model` statement and merge their attributes"),
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
                    msg(
                        "the key '{key}' is repeated in this block (first on line {line})",
                        key=attr.key.text,
                        line=prev.key.span.line,
                    ),
                    msg("give several values as a list: `key: a, b`"),
                )
            else:
                seen[attr.key.text] = attr
