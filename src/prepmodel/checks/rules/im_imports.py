"""Rules IM: imports (contract §8).

The files an ``import`` names are read by :mod:`prepmodel.checks.imports` before the rules
run; what went wrong there is in the resolved source's diagnostics, at the import line,
and these rules report it.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity

IM01 = "IM01"
IM02 = "IM02"
IMPORT_CODES = frozenset({IM01, IM02})


@rule(IM01, "unreadable-import", Severity.ERROR, "an imported file cannot be read")
def unreadable_import(ctx: RuleContext) -> Iterator[Diagnostic]:
    """An `import` whose file cannot be read: it does not exist, is a folder or not a
    regular file, is not a .prep file, is not UTF-8, is too big, or is named by an
    absolute path. Reported at the import line; the path is relative to the importing file.

    Bad:
        import "patterns/no-such-file.prep"
        goal Plan
        external Kickoff
        Plan <- Kickoff
    Good:
        goal Plan
        external Kickoff
        Plan <- Kickoff
    """
    yield from (d for d in ctx.source.diagnostics if d.code == IM01)


@rule(IM02, "import-cycle", Severity.ERROR, "an import cycle (a file imports itself)")
def import_cycle(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A file that imports itself, directly or through other files. The message lists the
    chain `a.prep → b.prep → a.prep`; the import that closes it is not followed.

    Bad:
        import "bad.prep"
        goal Plan
        external Kickoff
        Plan <- Kickoff
    Good:
        goal Plan
        external Kickoff
        Plan <- Kickoff
    """
    yield from (d for d in ctx.source.diagnostics if d.code == IM02)
