"""Views of a :class:`~prepmodel.review.diff.ModelDiff`: JSON (contract §7), text, markdown, and
the union-diagram data the renderer draws (:func:`union_view`).

Everything is sorted, so the same pair of files gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from prepmodel.checks.analysis import Analysis
from prepmodel.review.diff import KIND_WORDS, Changed, DeclChange, GoalImpact, ModelDiff, kind_of
from prepmodel.review.union import UnionEdge, UnionNode, UnionView, union_view
from prepmodel.text.i18n import N_, localize, translator
from prepmodel.text.safe import markdown_cell, printable

__all__ = [
    "UnionEdge",
    "UnionNode",
    "UnionView",
    "diff_json",
    "format_diff",
    "format_markdown",
    "format_text",
    "journey_lines",
    "line_diff",
    "union_view",
]


# --- JSON ---------------------------------------------------------------------------------
def _changed_json(c: Changed, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name, "what": c.what}
    if c.old_name != c.name:
        out["from"] = c.old_name
    out["details"] = [d.to_dict() | {"text": localize(d.text, lang)} for d in c.details]
    return out


def _impact_json(g: GoalImpact, lang: str) -> dict[str, Any]:
    events = [e.to_dict() | {"text": localize(e.text, lang)} for e in g.events]
    return {"goal": g.goal, "change": g.change, "events": events}


def diff_json(d: ModelDiff, lang: str = "en") -> dict[str, Any]:
    """The contract's ``prep diff --format json`` object, with details and the journey;
    the ``text`` fields in ``lang`` (keys and codes never change)."""
    out: dict[str, Any] = {
        "added": [d.new_name(k) for k in d.added],
        "removed": [d.old_name(k) for k in d.removed],
        "renamed": [{"from": r.old_name, "to": r.new_name, "score": r.score} for r in d.renamed],
        "changed": [_changed_json(c, lang) for c in d.changed],
        "journey": [_impact_json(g, lang) for g in d.journey],
    }
    if d.declarations:  # roles and kpis (contract §10, §11); absent when none changed
        out["declarations"] = [c.to_dict() for c in d.declarations]
    out["summary"] = summary(d)
    return out


def summary(d: ModelDiff) -> dict[str, int]:
    return {
        "added": len(d.added),
        "removed": len(d.removed),
        "renamed": len(d.renamed),
        "changed": len(d.changed),
        "goals_affected": len(d.journey),
    }


# --- text ---------------------------------------------------------------------------------
_COLORS = {"~": "cyan", "+": "green", "-": "red", "*": "yellow", "journey": None}


def _paint(text: str, mark: str, color: bool) -> str:
    text = printable(text)  # model text never reaches the terminal raw, coloured or not
    if not color:
        return text
    from click import style

    tint = _COLORS[mark]
    return style(text, fg=tint, bold=True if tint is None else None)


#: The words for the aspects and changes in text and markdown (JSON keeps the codes).
ASPECT_WORDS = {
    "routes": N_("routes"),
    "attributes": N_("attributes"),
    "phase": N_("phase"),
    "kind": N_("kind"),
}
CHANGE_WORDS = {
    "renamed": N_("renamed"),
    "added": N_("added"),
    "removed": N_("removed"),
    "changed": N_("changed"),
}


def journey_lines(d: ModelDiff, lang: str = "en") -> list[tuple[tuple[str, ...], str]]:
    """The journey section as ``(goals, text)`` lines in ``lang``, each said once: a
    change that several goals share (the same event, the same renumbered step) is one line
    naming them all. Renumbered steps of the same goals are gathered in one ``steps
    renumbered`` line, in step order. Lines keep the order of the goals and of their
    events."""
    _ = translator(lang)
    said: dict[str, list[str]] = {}  # event text -> goals, in order of first appearance
    moved: dict[str, list[str]] = {}  # "Name a → b" -> goals
    step_of: dict[str, int] = {}
    for g in d.journey:
        if g.change == "goal_added":
            steps = ", ".join(f"{e.new_step} {e.name}" for e in g.events)
            text = (
                _("new goal; checkpoints {steps}").format(steps=steps) if steps else _("new goal")
            )
            said.setdefault(text, []).append(g.goal)
        elif g.change == "goal_removed":
            said.setdefault(_("no longer a goal"), []).append(g.goal)
        for e in g.events if g.change == "checkpoints" else ():
            if e.change == "renumbered":
                item = f"{e.name} {e.old_step} → {e.new_step}"
                moved.setdefault(item, []).append(g.goal)
                step_of[item] = e.new_step or 0
            else:
                said.setdefault(localize(e.text, lang), []).append(g.goal)
    lines = [(tuple(goals), text) for text, goals in said.items()]
    by_goals: dict[tuple[str, ...], list[str]] = {}
    for item, sharing in moved.items():
        by_goals.setdefault(tuple(sharing), []).append(item)
    for together, items in by_goals.items():
        items.sort(key=lambda item: step_of[item])
        moves = ", ".join(items)
        lines.append((together, _("steps renumbered: {moves}").format(moves=moves)))
    return lines


def _goals(goals: tuple[str, ...]) -> str:
    return ", ".join(goals)


def format_text(d: ModelDiff, color: bool = False, lang: str = "en") -> str:
    """``~ Bill → Invoice (renamed)``, ``+ Tablet``, ``- Fax``, ``* Order slip: routes: …``
    then a ``journey:`` section; ``no semantic differences`` when there is nothing."""
    _ = translator(lang)
    lines = [
        _paint(
            "~ " + _("{old} → {new} (renamed)").format(old=r.old_name, new=r.new_name), "~", color
        )
        for r in d.renamed
    ]
    lines += [_paint(f"+ {d.new_name(k)}", "+", color) for k in d.added]
    lines += [_paint(f"- {d.old_name(k)}", "-", color) for k in d.removed]
    for c in d.changed:
        for det in c.details:
            aspect = _(ASPECT_WORDS.get(det.aspect, det.aspect))
            text = localize(det.text, lang)
            lines.append(_paint(f"* {c.name}: {aspect}: {text}", "*", color))
    for dc in d.declarations:
        mark = {"added": "+", "removed": "-"}.get(dc.change, "*")
        lines.append(_paint(f"{mark} {_declaration(dc, _)}", mark, color))
    if d.journey:
        lines.append(_paint(_("journey:"), "journey", color))
        lines += [
            f"  {printable(_goals(goals))}: {printable(text)}"
            for goals, text in journey_lines(d, lang)
        ]
    if not lines:
        lines.append(_("no semantic differences"))
    return "\n".join(lines) + "\n"


def _declaration(dc: DeclChange, _: Callable[[str], str]) -> str:
    """``role CSM``, or ``role CSM: party vendor → customer`` for a changed attribute."""
    head = f"{dc.kind} {dc.name}"
    if dc.change != "changed":
        return printable(head)
    return printable(f"{head}: {dc.key} {dc.old or '—'} → {dc.new or '—'}")


# --- markdown -----------------------------------------------------------------------------
def _md(text: str) -> str:
    """Names and details in the PR comment (the shared escaper, prepmodel.text.safe)."""
    return markdown_cell(text)


_COUNTS = {
    "added": N_("{count} added"),
    "removed": N_("{count} removed"),
    "renamed": N_("{count} renamed"),
    "changed": N_("{count} changed"),
}


def _summary_line(d: ModelDiff, lang: str = "en") -> str:
    _ = translator(lang)
    s = summary(d)
    parts = [_(_COUNTS[k]).format(count=s[k]) for k in _COUNTS if s[k]]
    if s["goals_affected"]:
        goals = s["goals_affected"]
        parts.append(
            _("journey of {count} goal affected").format(count=goals)
            if goals == 1
            else _("journey of {count} goals affected").format(count=goals)
        )
    return _(", ").join(parts) if parts else _("no semantic differences")


def format_markdown(
    d: ModelDiff, old_label: str | None = None, new_label: str | None = None, lang: str = "en"
) -> str:
    """A pull-request comment: a summary line, a table of deliverables, journey impact."""
    _ = translator(lang)
    title = "### prep diff"
    if old_label and new_label:
        title += (
            f": `{old_label}` → `{new_label}`" if old_label != new_label else (f": `{new_label}`")
        )
    summary_line = _("**Summary:** {summary}").format(summary=_summary_line(d, lang))
    out = [title, "", summary_line, ""]

    def kind(a: Analysis, k: str) -> str:
        return _(KIND_WORDS[kind_of(a, k)])

    rows: list[tuple[str, str, str]] = []
    rows += [("renamed", f"{_md(r.old_name)} → {_md(r.new_name)}", "") for r in d.renamed]
    rows += [("added", _md(d.new_name(k)), kind(d.new, k)) for k in d.added]
    rows += [("removed", _md(d.old_name(k)), kind(d.old, k)) for k in d.removed]
    for c in d.changed:
        info = "<br>".join(
            f"{_(ASPECT_WORDS.get(det.aspect, det.aspect))}: {_md(localize(det.text, lang))}"
            for det in c.details
        )
        rows.append(("changed", _md(c.name), info))
    for dc in d.declarations:
        what, _sep, detail = _declaration(dc, _).partition(": ")
        rows.append((dc.change, _md(what), _md(detail)))
    if rows:
        out += [f"| {_('Change')} | {_('Deliverable')} | {_('Details')} |", "|---|---|---|"]
        out += [f"| {_(CHANGE_WORDS[a])} | {b} | {c} |" for a, b, c in rows]
        out.append("")
    if d.journey:
        out += ["#### " + _("Journey impact"), ""]
        grouped: dict[tuple[str, ...], list[str]] = {}
        for goals, text in journey_lines(d, lang):
            grouped.setdefault(goals, []).append(text)
        for goals, texts in grouped.items():
            who = ", ".join(f"**{_md(g)}**" for g in goals)
            if len(texts) == 1:
                out.append(f"- {who}: {_md(texts[0])}")
            else:
                out.append(f"- {who}")
                out += [f"  - {_md(t)}" for t in texts]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- entry points -------------------------------------------------------------------------
FORMATS = ("text", "markdown", "json")


def format_diff(
    d: ModelDiff,
    fmt: str = "text",
    color: bool = False,
    old_label: str | None = None,
    new_label: str | None = None,
    lang: str = "en",
) -> str:
    """``d`` as ``text``, ``markdown`` or ``json``, ending with a newline, its words in
    ``lang``."""
    if fmt == "json":
        return json.dumps(diff_json(d, lang), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return format_markdown(d, old_label, new_label, lang)
    if fmt == "text":
        return format_text(d, color, lang)
    raise ValueError(f"unknown diff format {fmt!r}")


def line_diff(old: bytes, new: bytes, old_label: str, new_label: str) -> str:
    """A plain unified diff of the lines, for files the semantic diff cannot read."""
    import difflib

    a = old.decode("utf-8", "replace").splitlines(keepends=True)
    b = new.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, old_label, new_label)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
