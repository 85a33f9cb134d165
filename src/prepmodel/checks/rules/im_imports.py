"""Rules IM: imports.

Multi-file models (contract §8, with IM01 and IM02) are a later issue; until they land an
``import`` is read and then ignored, and IM00 says so at the import line.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.syntax import tree as syn
from prepmodel.text.i18n import msg


@rule(
    "IM00",
    "import-ignored",
    Severity.WARNING,
    "an `import` that this version of prep ignores (multi-file models are not supported yet)",
)
def import_ignored(ctx: RuleContext) -> Iterator[Diagnostic]:
    """An `import` statement. This version of `prep` does not read imported files yet, so
    nothing the imported file says is part of the model: its deliverables are gaps here.

    Bad:
        import "common/kickoff.prep"
        goal Plan
        Plan <- Kickoff
    Good:
        goal Plan
        external Kickoff
        Plan <- Kickoff
    """
    for st in ctx.source.statements:
        if isinstance(st, syn.ImportStmt):
            yield Diagnostic.make(
                "IM00",
                st.span,
                msg(
                    "import of '{path}' is ignored: this version of prep reads one file",
                    path=st.path.text,
                ),
                msg(
                    "copy the statements you need into this file, or declare what the imported "
                    "file would make as `external`"
                ),
            )
