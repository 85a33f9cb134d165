"""Views of a :class:`~prepmodel.review.diff.ModelDiff`: JSON (contract §7), text, markdown, and
the union-diagram data the renderer draws (:func:`union_view`).

Everything is sorted, so the same pair of files gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from prepmodel.review.diff import Changed, GoalImpact, ModelDiff, kind_of
from prepmodel.review.union import UnionEdge, UnionNode, UnionView, union_view
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
def _changed_json(c: Changed) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name, "what": c.what}
    if c.old_name != c.name:
        out["from"] = c.old_name
    out["details"] = [d.to_dict() for d in c.details]
    return out


def _impact_json(g: GoalImpact) -> dict[str, Any]:
    return {"goal": g.goal, "change": g.change, "events": [e.to_dict() for e in g.events]}


def diff_json(d: ModelDiff) -> dict[str, Any]:
    """The contract's ``prep diff --format json`` object, with details and the journey."""
    return {
        "added": [d.new_name(k) for k in d.added],
        "removed": [d.old_name(k) for k in d.removed],
        "renamed": [{"from": r.old_name, "to": r.new_name, "score": r.score} for r in d.renamed],
        "changed": [_changed_json(c) for c in d.changed],
        "journey": [_impact_json(g) for g in d.journey],
        "summary": summary(d),
    }


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


def journey_lines(d: ModelDiff) -> list[tuple[tuple[str, ...], str]]:
    """The journey section as ``(goals, text)`` lines, each said once: a change that
    several goals share (the same event, the same renumbered step) is one line naming
    them all. Renumbered steps of the same goals are gathered in one ``steps renumbered``
    line, in step order. Lines keep the order of the goals and of their events."""
    said: dict[str, list[str]] = {}  # event text -> goals, in order of first appearance
    moved: dict[str, list[str]] = {}  # "Name a → b" -> goals
    step_of: dict[str, int] = {}
    for g in d.journey:
        if g.change == "goal_added":
            steps = ", ".join(f"{e.new_step} {e.name}" for e in g.events)
            said.setdefault("new goal" + (f"; checkpoints {steps}" if steps else ""), []).append(
                g.goal
            )
        elif g.change == "goal_removed":
            said.setdefault("no longer a goal", []).append(g.goal)
        for e in g.events if g.change == "checkpoints" else ():
            if e.change == "renumbered":
                item = f"{e.name} {e.old_step} → {e.new_step}"
                moved.setdefault(item, []).append(g.goal)
                step_of[item] = e.new_step or 0
            else:
                said.setdefault(e.text, []).append(g.goal)
    lines = [(tuple(goals), text) for text, goals in said.items()]
    by_goals: dict[tuple[str, ...], list[str]] = {}
    for item, sharing in moved.items():
        by_goals.setdefault(tuple(sharing), []).append(item)
    for together, items in by_goals.items():
        items.sort(key=lambda item: step_of[item])
        lines.append((together, "steps renumbered: " + ", ".join(items)))
    return lines


def _goals(goals: tuple[str, ...]) -> str:
    return ", ".join(goals)


def format_text(d: ModelDiff, color: bool = False) -> str:
    """``~ Bill → Invoice (renamed)``, ``+ Tablet``, ``- Fax``, ``* Order slip: routes: …``
    then a ``journey:`` section; ``no semantic differences`` when there is nothing."""
    lines = [_paint(f"~ {r.old_name} → {r.new_name} (renamed)", "~", color) for r in d.renamed]
    lines += [_paint(f"+ {d.new_name(k)}", "+", color) for k in d.added]
    lines += [_paint(f"- {d.old_name(k)}", "-", color) for k in d.removed]
    for c in d.changed:
        for det in c.details:
            lines.append(_paint(f"* {c.name}: {det.aspect}: {det.text}", "*", color))
    if d.journey:
        lines.append(_paint("journey:", "journey", color))
        lines += [
            f"  {printable(_goals(goals))}: {printable(text)}" for goals, text in journey_lines(d)
        ]
    if not lines:
        lines.append("no semantic differences")
    return "\n".join(lines) + "\n"


# --- markdown -----------------------------------------------------------------------------
def _md(text: str) -> str:
    """Names and details in the PR comment (the shared escaper, prepmodel.text.safe)."""
    return markdown_cell(text)


def _summary_line(d: ModelDiff) -> str:
    s = summary(d)
    parts = [f"{s[k]} {k}" for k in ("added", "removed", "renamed", "changed") if s[k]]
    if s["goals_affected"]:
        goals = s["goals_affected"]
        parts.append(f"journey of {goals} goal{'s' if goals != 1 else ''} affected")
    return ", ".join(parts) if parts else "no semantic differences"


def format_markdown(
    d: ModelDiff, old_label: str | None = None, new_label: str | None = None
) -> str:
    """A pull-request comment: a summary line, a table of deliverables, journey impact."""
    title = "### prep diff"
    if old_label and new_label:
        title += (
            f": `{old_label}` → `{new_label}`" if old_label != new_label else (f": `{new_label}`")
        )
    out = [title, "", f"**Summary:** {_summary_line(d)}", ""]
    rows: list[tuple[str, str, str]] = []
    rows += [("renamed", f"{_md(r.old_name)} → {_md(r.new_name)}", "") for r in d.renamed]
    rows += [("added", _md(d.new_name(k)), kind_of(d.new, k)) for k in d.added]
    rows += [("removed", _md(d.old_name(k)), kind_of(d.old, k)) for k in d.removed]
    for c in d.changed:
        info = "<br>".join(f"{det.aspect}: {_md(det.text)}" for det in c.details)
        rows.append(("changed", _md(c.name), info))
    if rows:
        out += ["| Change | Deliverable | Details |", "|---|---|---|"]
        out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        out.append("")
    if d.journey:
        out += ["#### Journey impact", ""]
        grouped: dict[tuple[str, ...], list[str]] = {}
        for goals, text in journey_lines(d):
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
) -> str:
    """``d`` as ``text``, ``markdown`` or ``json``, ending with a newline."""
    if fmt == "json":
        return json.dumps(diff_json(d), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return format_markdown(d, old_label, new_label)
    if fmt == "text":
        return format_text(d, color)
    raise ValueError(f"unknown diff format {fmt!r}")


def line_diff(old: bytes, new: bytes, old_label: str, new_label: str) -> str:
    """A plain unified diff of the lines, for files the semantic diff cannot read."""
    import difflib

    a = old.decode("utf-8", "replace").splitlines(keepends=True)
    b = new.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, old_label, new_label)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
