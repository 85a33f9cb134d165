"""Views of a :class:`~prepmodel.review.diff.ModelDiff`: JSON (contract §7), text, markdown, and
the union-diagram data the renderer draws (:func:`union_view`).

Everything is sorted, so the same pair of files gives the same bytes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from prepmodel.check.analysis import Analysis
from prepmodel.review.diff import KIND_WORDS, Changed, GoalImpact, ModelDiff, kind_of
from prepmodel.text.i18n import N_, localize, translator
from prepmodel.text.safe import printable

__all__ = [
    "UnionEdge",
    "UnionNode",
    "UnionView",
    "diff_json",
    "format_diff",
    "format_markdown",
    "format_text",
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
    return {
        "added": [d.new_name(k) for k in d.added],
        "removed": [d.old_name(k) for k in d.removed],
        "renamed": [{"from": r.old_name, "to": r.new_name, "score": r.score} for r in d.renamed],
        "changed": [_changed_json(c, lang) for c in d.changed],
        "journey": [_impact_json(g, lang) for g in d.journey],
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
_COLORS = {"~": "36", "+": "32", "-": "31", "*": "33", "journey": "1"}


def _paint(text: str, mark: str, color: bool) -> str:
    text = printable(text)  # model text never reaches the terminal raw, coloured or not
    return f"\x1b[{_COLORS[mark]}m{text}\x1b[0m" if color else text


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


def _impact_texts(g: GoalImpact, lang: str) -> list[str]:
    """What changed in the journey to one goal, one text a line (without the goal)."""
    _ = translator(lang)
    if g.change == "goal_added":
        steps = ", ".join(f"{e.new_step} {e.name}" for e in g.events)
        return [_("new goal; checkpoints {steps}").format(steps=steps) if steps else _("new goal")]
    if g.change == "goal_removed":
        return [_("no longer a goal")]
    texts = [localize(e.text, lang) for e in g.events if e.change != "renumbered"]
    moved = [f"{e.name} {e.old_step} → {e.new_step}" for e in g.events if e.change == "renumbered"]
    if moved:
        texts.append(_("steps renumbered: {moves}").format(moves=", ".join(moved)))
    return texts


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
    if d.journey:
        lines.append(_paint(_("journey:"), "journey", color))
        lines += [
            f"  {printable(g.goal)}: {printable(text)}"
            for g in d.journey
            for text in _impact_texts(g, lang)
        ]
    if not lines:
        lines.append(_("no semantic differences"))
    return "\n".join(lines) + "\n"


# --- markdown -----------------------------------------------------------------------------
_MD_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]|#~"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
)
_MENTION = re.compile(r"(?<![\w@])@(?=[\w-])")


def _md(text: str) -> str:
    """Names and details in the PR comment: no markup, no HTML, no @mention, one line."""
    out = _MENTION.sub("@\u200b", text.translate(_MD_SPECIAL))
    return printable(out.replace("\r", " ").replace("\n", " "))


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
    if rows:
        out += [f"| {_('Change')} | {_('Deliverable')} | {_('Details')} |", "|---|---|---|"]
        out += [f"| {_(CHANGE_WORDS[a])} | {b} | {c} |" for a, b, c in rows]
        out.append("")
    if d.journey:
        out += ["#### " + _("Journey impact"), ""]
        for g in d.journey:
            texts = _impact_texts(g, lang)
            if len(texts) == 1:
                out.append(f"- **{_md(g.goal)}**: {_md(texts[0])}")
            else:
                out.append(f"- **{_md(g.goal)}**")
                out += [f"  - {_md(t)}" for t in texts]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- union diagram data -------------------------------------------------------------------
@dataclass(frozen=True)
class UnionNode:
    """A deliverable of either side. ``status``: ``same``, ``added``, ``removed``,
    ``changed`` or ``renamed``; a renamed node may also be ``changed``."""

    id: str
    name: str
    old_name: str | None
    status: str
    changed: bool
    kind: str
    step: int | None
    what: tuple[str, ...]


@dataclass(frozen=True)
class UnionEdge:
    """From an input (or group member) to what it makes; ``status``: same/added/removed."""

    source: str
    target: str
    status: str


@dataclass(frozen=True)
class UnionView:
    nodes: tuple[UnionNode, ...]
    edges: tuple[UnionEdge, ...]


def _edges(a: Analysis) -> set[tuple[str, str]]:
    out = {(i, r.output) for r in a.model.routes for i in r.inputs}
    out |= {(m, g.key) for g in a.model.groups.values() for m in g.members}
    return out


def union_view(d: ModelDiff) -> UnionView:
    """Both models in one graph: new deliverables (``new:KEY``) plus removed ones
    (``old:KEY``), every edge of either side marked same, added or removed."""
    changed = {c.key: c for c in d.changed}
    renamed = {r.new_key: r for r in d.renamed}
    added = set(d.added)
    nodes: list[UnionNode] = []
    for k, dl in d.new.model.deliverables.items():
        c = changed.get(k)
        r = renamed.get(k)
        status = "added" if k in added else "renamed" if r else "changed" if c else "same"
        nodes.append(
            UnionNode(
                id=f"new:{k}",
                name=dl.name,
                old_name=r.old_name if r else None,
                status=status,
                changed=c is not None,
                kind=kind_of(d.new, k),
                step=d.new.journey.step_of.get(k),
                what=tuple(c.what) if c else (),
            )
        )
    for k in d.old.model.deliverables:
        if k in d.mapping:
            continue
        nodes.append(
            UnionNode(
                id=f"old:{k}",
                name=d.old_name(k),
                old_name=d.old_name(k),
                status="removed",
                changed=False,
                kind=kind_of(d.old, k),
                step=None,
                what=(),
            )
        )

    def node(k: str) -> str:
        return f"new:{d.mapping[k]}" if k in d.mapping else f"old:{k}"

    new_edges = {(f"new:{a}", f"new:{b}") for a, b in _edges(d.new)}
    old_edges = {(node(a), node(b)) for a, b in _edges(d.old)}
    edges = [UnionEdge(a, b, "same" if (a, b) in old_edges else "added") for a, b in new_edges]
    edges += [UnionEdge(a, b, "removed") for a, b in old_edges - new_edges]
    order = {n.id: i for i, n in enumerate(nodes)}
    edges.sort(key=lambda e: (order[e.source], order[e.target]))
    return UnionView(tuple(nodes), tuple(edges))


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
