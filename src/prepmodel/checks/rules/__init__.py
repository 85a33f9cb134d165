"""The rule registry: one module per code family (``ps_syntax`` has PS01 and PS02, ...),
each rule declared beside its check with :func:`~prepmodel.checks.rules.base.rule`."""

from __future__ import annotations

from prepmodel.checks.rules import (  # noqa: F401  (importing a family declares its rules)
    at_attributes,
    cy_cycles,
    ef_effort,
    gl_goals,
    gp_gaps,
    gr_groups,
    im_imports,
    kp_kpis,
    nm_naming,
    ph_phases,
    ps_syntax,
    rc_reach,
    rs_responsibility,
    rt_routes,
)
from prepmodel.checks.rules.base import DECLARED, Rule, RuleContext
from prepmodel.diagnostics import CODES, Diagnostic

__all__ = ["CODES", "RULES", "Rule", "RuleContext", "run_rules"]

RULES: dict[str, Rule] = {r.code: r for r in sorted(DECLARED, key=lambda r: r.code)}


def run_rules(ctx: RuleContext, syntax: bool | None = None) -> list[Diagnostic]:
    """Every rule's findings, in registry order (the caller sorts and filters); with
    ``syntax``, only the rules whose :attr:`Rule.syntax` is that (two stages, the syntax
    tree freed between them)."""
    found: list[Diagnostic] = []
    for rule in RULES.values():
        if syntax is None or rule.syntax is syntax:
            found.extend(rule.check(ctx))
    return found
