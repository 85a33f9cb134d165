"""Rules EF: effort (durations, contract §12)."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.model.effort import parse_effort
from prepmodel.syntax import tree as syn
from prepmodel.text.i18n import msg


@rule(
    "EF01", "unreadable-effort", Severity.WARNING, "an effort that is not a duration", syntax=True
)
def unreadable_effort(ctx: RuleContext) -> Iterator[Diagnostic]:
    """An `effort` that is not a number with `h`, `d` or `w` (or `時間`, `日`, `週`):
    the route then takes no time on the critical path.

    Bad:
        goal Bill
        external Slip
        Bill <- Slip { effort: "two days" }
    Good:
        goal Bill
        external Slip
        Bill <- Slip { effort: 2d }
    """
    for st in ctx.source.statements:
        if not isinstance(st, syn.AssemblyStmt) or st.block is None:
            continue
        for attr in st.block.attrs:
            if attr.key.text != "effort":
                continue
            for value in attr.values:
                if parse_effort(value.text) is None:
                    yield Diagnostic.make(
                        "EF01",
                        value.span,
                        msg("cannot read the effort '{effort}'", effort=value.text),
                        msg(
                            "write a number with h, d or w (4h, 3d, 1.5w; 1d = 8h, 1w = 5d), "
                            "or 時間, 日, 週"
                        ),
                    )
