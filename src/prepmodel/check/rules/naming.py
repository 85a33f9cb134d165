"""Naming rules: deliverables are nouns; activities belong in `work`."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.check.rules.base import Check, RuleContext
from prepmodel.diagnostics import Diagnostic


def action_name(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A deliverable named like an action (a verb phrase), in English or Japanese.

    PReP names what must exist, not what people do: "Order slip", not "Take the order";
    "トレーニング資料", not "資料作成". Put the activity in the route's `work`.
    Japanese names are analysed with a morphological analyser (SudachiPy).

    Bad:
        "Take the order" <- Menu
        資料作成 <- 製品マニュアル
    Good:
        "Order slip" <- Menu { work: "Take the order" }
        トレーニング資料 <- 製品マニュアル { work: 資料作成 }
    """
    from prepmodel.check.naming import action_like

    for d in ctx.model.deliverables.values():
        finding = action_like(d.name)
        if finding is None:
            continue
        hint = (
            f"name the result, e.g. '{finding.suggestion}', and move the activity to `work`"
            if finding.suggestion
            else "name what exists afterwards (a noun), and move the activity to `work`"
        )
        yield Diagnostic.make(
            "NM01", d.span, f"'{d.name}' reads like an action ({finding.reason})", hint
        )


RULES: list[tuple[str, Check]] = [("NM01", action_name)]
