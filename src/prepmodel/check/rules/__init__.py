"""The rule registry: an explicit table, one module per rule family."""

from __future__ import annotations

from collections.abc import Iterable

from prepmodel.check.rules import cycles, gaps, goals, naming, phases, routes, structure
from prepmodel.check.rules.base import Check, Rule, RuleContext
from prepmodel.diagnostics import Diagnostic

__all__ = ["RULES", "Rule", "RuleContext", "run_rules"]


def _registry(families: Iterable[list[tuple[str, Check]]]) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for family in families:
        for code, check in family:
            if code in table:
                raise ValueError(f"rule {code} registered twice")
            table[code] = Rule(code, check)
    return dict(sorted(table.items()))


RULES: dict[str, Rule] = _registry(
    [
        structure.RULES,
        goals.RULES,
        gaps.RULES,
        cycles.RULES,
        routes.RULES,
        phases.RULES,
        naming.RULES,
    ]
)


def run_rules(ctx: RuleContext) -> list[Diagnostic]:
    """Every rule's findings, in registry order (the caller sorts and filters)."""
    found: list[Diagnostic] = []
    for rule in RULES.values():
        found.extend(rule.check(ctx))
    return found
