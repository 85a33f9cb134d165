"""Rules KP: KPIs (contract §11)."""

from __future__ import annotations

from collections.abc import Iterator

from prepmodel.checks.rules.base import RuleContext, rule
from prepmodel.checks.rules.gp_gaps import did_you_mean
from prepmodel.diagnostics import Diagnostic, Severity
from prepmodel.model.core import identity
from prepmodel.text.i18n import msg


@rule("KP01", "unused-kpi", Severity.WARNING, "a declared kpi that no deliverable carries")
def unused_kpi(ctx: RuleContext) -> Iterator[Diagnostic]:
    """A `kpi` statement declares a KPI that no deliverable carries (`kpi:`): it cannot
    be measured anywhere, and `prep kpis` links it to nothing.

    Bad:
        kpi 解約率 { party: customer }
        goal Plan
        external Brief
        Plan <- Brief
    Good:
        kpi 解約率 { party: customer }
        goal Plan { kpi: 解約率 }
        external Brief
        Plan <- Brief
    """
    model = ctx.model
    if not model.kpis:
        return
    carried = {identity(k) for d in model.deliverables.values() for k in d.kpis}
    names = list(dict.fromkeys(k for d in model.deliverables.values() for k in d.kpis))
    for key, decl in model.kpis.items():
        if key in carried:
            continue
        close = did_you_mean(decl.name, [n for n in names if identity(n) not in model.kpis])
        hint = (
            msg("a deliverable carries '{name}': did you mean it?", name=close)
            if close
            else msg("add `kpi: {name}` to the deliverable where it is measured", name=decl.name)
        )
        yield Diagnostic.make(
            "KP01", decl.span, msg("no deliverable carries the kpi '{name}'", name=decl.name), hint
        )
