"""Findings that a syntax error can explain, and are therefore not reported.

Error recovery skips the statement that holds a syntax error (PS01), so the model lacks
whatever that statement said: a group's members, a route, a goal.  The semantic rules then
find gaps, orphans and unused externals that are only echoes of the skipped text; one line
break after `=` once gave a PS01 and 17 such findings.  While a file has syntax errors,
a finding of the kinds below is dropped when the skipped text could explain it:

* GP01, GL02, GP02, PH03 about a deliverable whose name the skipped text mentions;
* RC01 about such a deliverable, or one that a mentioned deliverable needs (directly or
  not): the skipped statement may be what uses it on the way to a goal;
* GL01 (no goal) when the skipped text holds a `goal` statement.

Everything else (cycles, naming, attributes, phases that are there) is reported as usual.
Once the syntax error is fixed, whatever was real is reported again.
"""

from __future__ import annotations

import re

import networkx as nx

from prepmodel.checks.rules import RuleContext
from prepmodel.diagnostics import Diagnostic
from prepmodel.model.core import identity
from prepmodel.syntax.names import BARE_NAME, IME_SLIP, KEYWORDS, QUOTED_NAME
from prepmodel.syntax.tree import unescape

__all__ = ["EXPLAINABLE", "drop_explained"]

#: The codes a skipped statement can explain.
EXPLAINABLE = frozenset({"GL01", "GL02", "GP01", "GP02", "RC01", "PH03"})

_NAME = re.compile(QUOTED_NAME + "|" + BARE_NAME)
_GOAL_STATEMENT = re.compile(r"(?:^|[;\n])[ \t]*goal\s")


def mentioned(skipped: tuple[str, ...]) -> set[str]:
    """Identities of every name the skipped text holds (attribute values included: a
    superset errs on the side of saying less)."""
    found: set[str] = set()
    for chunk in skipped:
        for m in _NAME.finditer(chunk):
            raw = m.group()
            if raw.startswith('"'):
                found.add(identity(unescape(raw)))
                continue
            for part in IME_SLIP.split(raw):  # 帳簿、決算書: two names typed as one
                if part and part not in KEYWORDS:
                    found.add(identity(part))
    found.discard("")
    return found


def _subject(ctx: RuleContext, diagnostic: Diagnostic) -> str | None:
    """The identity of the deliverable a finding is about: the name under its span."""
    span = diagnostic.span
    if span.line != span.end_line:
        return None
    raw = ctx.source.line_at(span.line, span.file)[span.column - 1 : span.end_column - 1]
    if not raw:
        return None
    return identity(unescape(raw) if raw.startswith('"') and raw.endswith('"') else raw)


def drop_explained(ctx: RuleContext, found: list[Diagnostic]) -> list[Diagnostic]:
    """``found`` without the findings that the skipped statements could explain."""
    skipped = ctx.source.skipped
    if not skipped or not any(d.code in EXPLAINABLE for d in found):
        return found
    names = mentioned(skipped)
    upstream: set[str] | None = None
    kept: list[Diagnostic] = []
    for d in found:
        if d.code not in EXPLAINABLE:
            kept.append(d)
            continue
        if d.code == "GL01":
            if not any(_GOAL_STATEMENT.search("\n" + chunk) for chunk in skipped):
                kept.append(d)
            continue
        subject = _subject(ctx, d)
        if subject is None:
            kept.append(d)
            continue
        if subject in names:
            continue
        if d.code == "RC01":
            if upstream is None:
                graph = ctx.graph.g
                upstream = set()
                for key in names:
                    if key in graph:
                        upstream |= nx.ancestors(graph, key)
            if subject in upstream:
                continue
        kept.append(d)
    return kept
