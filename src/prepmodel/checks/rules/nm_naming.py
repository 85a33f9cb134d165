"""Rules NM: names (action-like names, one identity spelled two ways)."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.text.i18n import msg


@rule("NM01", "action-name", Severity.WARNING, "a deliverable named like an action (a verb phrase)")
def action_name(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A deliverable named like an action (a verb phrase), in English or Japanese.

    PReP names what must exist, not what people do: "Order slip", not "Take the order";
    "トレーニング資料", not "資料作成". Put the activity in the route's `work`.
    Japanese names are analysed with a morphological analyser (SudachiPy).
    External deliverables are official names given from outside and are not linted unless
    prep.toml says `[naming] externals = true`; names listed in `[naming] allow` are fine
    as they are.

    Bad:
        "Take the order" <- Menu
        資料作成 <- 製品マニュアル
    Good:
        "Order slip" <- Menu { work: "Take the order" }
        トレーニング資料 <- 製品マニュアル { work: 資料作成 }
    """
    from prepmodel.checks.naming import action_like

    options = ctx.naming
    for d in ctx.model.deliverables.values():
        if (d.external and not options.externals) or options.allows(d.name):
            continue
        finding = action_like(d.name)
        if finding is None:
            continue
        hint = (
            msg(
                "name the result, e.g. '{suggestion}', and move the activity to `work`",
                suggestion=finding.suggestion,
            )
            if finding.suggestion
            else msg("name what exists afterwards (a noun), and move the activity to `work`")
        )
        yield Diagnostic.make(
            "NM01",
            d.span,
            msg("'{name}' reads like an action ({reason})", name=d.name, reason=finding.reason),
            hint,
        )


@rule("NM02", "inconsistent-spelling", Severity.WARNING, "one deliverable spelled two ways")
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
                message = (
                    msg(
                        "'{spelling}' is spelled '{name}' elsewhere "
                        "(line {line}); both mean the same deliverable",
                        spelling=sp.text,
                        name=d.name,
                        line=d.span.line,
                    )
                    if sp.span.file == d.span.file
                    else msg(
                        "'{spelling}' is spelled '{name}' in {file} "
                        "(line {line}); both mean the same deliverable",
                        spelling=sp.text,
                        name=d.name,
                        file=d.span.file or ctx.source.path,
                        line=d.span.line,
                    )
                )
                yield Diagnostic.make(
                    "NM02",
                    sp.span,
                    message,
                    msg("write '{name}' everywhere", name=d.name),
                )
