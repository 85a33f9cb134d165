"""Hover: what the model says about the deliverable (or role, phase) under the cursor."""

from __future__ import annotations

from lsprotocol import types as lsp

from prepmodel.lsp.documents import Document
from prepmodel.lsp.navigation import occurrence_at
from prepmodel.model.core import identity
from prepmodel.review.match import kind_of
from prepmodel.text.safe import printable


def _md(text: str) -> str:
    """Text safe inside Markdown: control characters shown, Markdown punctuation escaped."""
    out = printable(text)
    for char in "\\`*_[]<>|#":
        out = out.replace(char, "\\" + char)
    return out


_KIND_TEXT = {"declared": "gap (neither produced nor external)"}


def _kind(document: Document, key: str) -> str:
    kind = kind_of(document.analysis, key)
    text = _KIND_TEXT.get(kind, kind)
    if kind == "goal" and key not in document.analysis.graph.produced:
        text += ", not produced"
    return text


def deliverable_markdown(document: Document, key: str) -> str:
    """Kind, step, routes (id, inputs with optional ones as ``[X] (optional)``, work, by,
    scenarios, effort), goals it is a checkpoint of or
    route-dependent for, phase, owner, KPIs: the checkpoint table, for one deliverable."""
    analysis = document.analysis
    model = analysis.model
    journey = analysis.journey
    deliverable = model.deliverables[key]
    lines = [f"**{_md(deliverable.name)}** — {_kind(document, key)}"]
    step = journey.step_of.get(key)
    if step is not None:
        lines.append(f"\nstep **{step}**")
        for route_id, route in journey.steps[step - 1].route_ids():
            inputs = ", ".join(
                f"\\[{_md(model.name(k))}\\] (optional)"
                if k in route.optional
                else _md(model.name(k))
                for k in route.inputs
            )
            details = [f"work: {_md(route.work)}"] if route.work else []
            if route.by:
                details.append("by: " + ", ".join(_md(b) for b in route.by))
            if route.when:
                details.append("when: " + ", ".join(_md(w) for w in route.when))
            effort = route.attr("effort")
            if effort:
                details.append(f"effort: {_md(effort)}")
            extra = f" — {'; '.join(details)}" if details else ""
            where = f"{route.span.file}, " if route.span.file else ""
            lines.append(f"- route {route_id} ← {inputs}{extra} ({where}line {route.span.line})")
    if key in model.groups:
        members = ", ".join(_md(model.name(k)) for k in model.groups[key].members)
        lines.append(f"\ngroup of {members}")
    checkpoint_of: list[str] = []
    dependent_for: list[str] = []
    if analysis.graph.produced:
        for goal in model.goals:
            goal_journey = journey.goal(goal)
            if any(c.key == key for c in goal_journey.checkpoints):
                checkpoint_of.append(_md(model.name(goal)))
            elif key in goal_journey.route_dependent:
                dependent_for.append(_md(model.name(goal)))
    if checkpoint_of:
        lines.append(f"\ncheckpoint of: {', '.join(checkpoint_of)}")
    if dependent_for:
        lines.append(f"\nroute-dependent for: {', '.join(dependent_for)}")
    facts = []
    phase = journey.phase_of.get(key)
    if phase is not None:
        exit_mark = " (exit checkpoint)" if journey.is_exit(key) else ""
        facts.append(f"phase: {_md(phase)}{exit_mark}")
    for attr, label in (("owner", "owner"), ("kpi", "KPI"), ("title", "title"), ("note", "note")):
        values = deliverable.attrs.get(attr)
        if values:
            facts.append(f"{label}: " + ", ".join(_md(v) for v in values))
    if facts:
        lines.append("\n" + "  \n".join(facts))
    users = (
        [_md(model.name(k)) for k in analysis.graph.users(key)] if key in model.deliverables else []
    )
    if users:
        lines.append(f"\nused by: {', '.join(users)}")
    return "\n".join(lines)


def hover(document: Document, position: lsp.Position) -> lsp.Hover | None:
    occurrence = occurrence_at(document, position)
    if occurrence is None:
        return None
    model = document.analysis.model
    if occurrence.kind == "deliverable" and occurrence.key in model.deliverables:
        text = deliverable_markdown(document, occurrence.key)
    elif occurrence.kind == "role":
        role = model.roles.get(occurrence.key)
        routes = [r for r in model.routes if occurrence.key in {identity(b) for b in r.by}]
        text = f"**{_md(occurrence.text)}** — role" + ("" if role else " (not declared)")
        if routes:
            made = ", ".join(sorted({_md(model.name(r.output)) for r in routes}))
            text += f"\n\nperforms routes making: {made}"
    elif occurrence.kind == "phase":
        phase = next((p for p in model.phases if p.key == occurrence.key), None)
        if phase is None:
            return None
        members = ", ".join(_md(model.name(k)) for k in phase.members)
        text = f"**{_md(phase.name)}** — phase {phase.index + 1} of {len(model.phases)}"
        text += f"\n\n{members}"
    elif occurrence.kind == "keyword":
        return None
    else:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
        range=document.lines.span_range(occurrence.span),
    )
