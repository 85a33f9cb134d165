"""The assembly-instruction diagram as Graphviz DOT.

Parts (externals) are muted boxes, produced deliverables are parts, goals stand out.
Every route is a small numbered junction (``3`` or ``3.a``/``3.b``) where its input arrows
meet; the work and performers are a small label on the arrow to the output: verbs at the
junction, nouns in the boxes. Checkpoints have a solid bold border, route-dependent
deliverables a dashed one; groups are dashed boxes; phases are labelled bands. Gaps,
cycles and orphans are drawn in warning colours. The numbered step list stands beside
the diagram in the same picture.

Node sizes come from our own label measure (``measure.py``), so Japanese text fits.
Ids are stable (file order), attributes are written in a fixed order: same input, same DOT.
"""

from __future__ import annotations

from dataclasses import dataclass

import graphviz

from prepmodel.journey import Journey
from prepmodel.render.measure import label_box, text_width, wrap_label

FONT = "Noto Sans CJK JP,Noto Sans JP,Hiragino Sans,Yu Gothic,Meiryo,DejaVu Sans,sans-serif"
NAME_SIZE = 13.0
LIST_SIZE = 11.0
SMALL_SIZE = 9.0
NAME_WIDTH = 150.0  # points before a name wraps
WORK_WIDTH = 110.0

INK = "#1f2933"
MUTED = "#7b8794"
PART_FILL = "#f5f7fa"
CHECKPOINT_FILL = "#e3f0ff"
CHECKPOINT_LINE = "#1f5fbf"
GOAL_FILL = "#ffe8a3"
GOAL_LINE = "#b7791f"
GAP = "#d64545"
GAP_FILL = "#fde8e8"
ORPHAN = "#c77700"
ORPHAN_FILL = "#fff4e0"
PHASE_FILLS = ("#f2f8f3", "#f3f2fb", "#fbf5ee", "#eef6fa", "#f9f0f5", "#f4f6ea")


@dataclass(frozen=True)
class DiagramOptions:
    direction: str | None = None
    goal: str | None = None
    focus: str | None = None
    depth: int = 1
    checkpoint_list: bool = True


def _esc(text: str) -> str:
    """Text for a DOT record of lines: backslashes doubled (DOT escapes), quotes by graphviz."""
    return text.replace("\\", "\\\\")


def _label(text: str, width: float, size: float) -> tuple[str, float, float]:
    lines = wrap_label(text, width, size) if text else [""]
    w, h = label_box(lines, size)
    return graphviz.nohtml("\\n".join(_esc(line) for line in lines)), w, h


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def visible_keys(j: Journey, options: DiagramOptions) -> list[str]:
    """Deliverables to draw, in file order: all, one goal's needs, or a neighbourhood."""
    g = j.graph
    keys = list(j.model.deliverables)
    if options.goal is not None:
        wanted = g.needed_by(options.goal)
        keys = [k for k in keys if k in wanted]
    if options.focus is not None:
        near = {options.focus}
        frontier = {options.focus}
        for _ in range(max(options.depth, 0)):
            step: set[str] = set()
            for k in frontier:
                step.update(g.g.predecessors(k))
                step.update(g.g.successors(k))
            frontier = step - near
            near |= step
        keys = [k for k in keys if k in near]
    return keys


def build_dot(j: Journey, options: DiagramOptions | None = None) -> str:
    """The diagram of a model as DOT source text."""
    options = options or DiagramOptions()
    model = j.model
    g = j.graph
    direction = (options.direction or _first(model.attrs.get("direction")) or "LR").upper()
    if direction not in ("LR", "RL", "TB", "BT"):
        direction = "LR"
    keys = visible_keys(j, options)
    shown = set(keys)
    ids = {k: f"d{i}" for i, k in enumerate(model.deliverables)}
    checkpoint_of_some_goal = set()
    for gj in j.goals():
        checkpoint_of_some_goal.update(c.key for c in gj.checkpoints)

    dot = graphviz.Digraph("prep", strict=False)
    dot.attr(rankdir=direction, newrank="true", nodesep="0.3", ranksep="0.45",
             fontname=FONT, fontsize="11", fontcolor=INK, bgcolor="white", pad="0.2",
             labelloc="t", label=graphviz.nohtml(_esc(model.title or "")), compound="true")
    dot.attr("node", fontname=FONT, fontsize=_fmt(NAME_SIZE), fontcolor=INK, color=INK,
             shape="box", style="rounded,filled", fillcolor=PART_FILL, fixedsize="true",
             penwidth="1.2")
    dot.attr("edge", color=MUTED, arrowsize="0.7", fontname=FONT, fontsize=_fmt(SMALL_SIZE),
             fontcolor=MUTED, penwidth="1.1")

    phase_index = {p.name: p.index for p in model.phases}
    clusters: dict[int, graphviz.Digraph] = {
        p.index: graphviz.Digraph(f"cluster_phase{p.index}") for p in model.phases
    }
    for p in model.phases:
        c = clusters[p.index]
        c.attr(label=graphviz.nohtml(_esc(p.name)), style="rounded,filled",
               fillcolor=PHASE_FILLS[p.index % len(PHASE_FILLS)], color="#d9e2ec",
               fontsize="12", fontcolor="#52606d", labeljust="l", penwidth="1")

    def home(key: str) -> graphviz.Digraph:
        phase = j.phase_of.get(key)
        return clusters[phase_index[phase]] if phase is not None else dot

    for key in keys:
        d = model.deliverables[key]
        text, w, h = _label(d.name, NAME_WIDTH, NAME_SIZE)
        attrs: dict[str, str] = {"label": text, "width": _fmt(w), "height": _fmt(h),
                                 "tooltip": _esc(d.name), "class": _node_class(j, key)}
        produced = key in g.produced
        if d.goal:
            attrs.update(fillcolor=GOAL_FILL, color=GOAL_LINE, penwidth="2.4",
                         peripheries="2", style="rounded,filled,bold")
        elif g.is_group(key):
            attrs.update(style="dashed,filled", fillcolor="white", color=INK, penwidth="1.4")
        elif produced and key in checkpoint_of_some_goal:
            attrs.update(fillcolor=CHECKPOINT_FILL, color=CHECKPOINT_LINE, penwidth="2",
                         style="rounded,filled,bold")
        elif produced:
            attrs.update(fillcolor="white", color=CHECKPOINT_LINE, style="rounded,filled,dashed")
        else:
            attrs.update(color=MUTED, fontcolor="#52606d")
        if key in g.in_cycle:
            attrs.update(color=GAP, penwidth="2.4")
        elif not produced and not d.external and key in g.needed:
            attrs.update(fillcolor=GAP_FILL, color=GAP, style="rounded,filled,dashed",
                         penwidth="2")
        elif produced and key not in g.needed and model.goals:
            attrs.update(fillcolor=ORPHAN_FILL, color=ORPHAN, penwidth="2")
        home(key).node(ids[key], **attrs)

    for key in keys:
        step = j.step_of.get(key)
        if g.is_group(key):
            alternatives = [(str(step) if step else "", model.groups[key].members, None)]
        else:
            routes = g.routes_by_output.get(key, [])
            if step is not None:
                named = [(rid, r) for rid, r in _route_ids(j, key)]
            else:
                named = [("", r) for r in routes]
            alternatives = [(rid, r.inputs, r) for rid, r in named]
        for n, (rid, inputs, route) in enumerate(alternatives):
            jid = f"{ids[key]}_r{n}"
            jw = max(0.3, (text_width(rid, SMALL_SIZE) + 8) / 72)
            target = home(key)
            group_step = route is None
            target.node(jid, label=graphviz.nohtml(_esc(rid)), shape="circle" if len(rid) < 3 else "box",
                        style="filled,rounded", fillcolor=INK if not group_step else "white",
                        fontcolor="white" if not group_step else INK, color=INK,
                        fontsize=_fmt(SMALL_SIZE), width=_fmt(jw), height="0.3",
                        penwidth="1", tooltip=_esc(f"step {rid}" if rid else "route"),
                        **{"class": "junction"})
            for x in inputs:
                if x in shown:
                    dot.edge(ids[x], jid, arrowhead="none",
                             style="dashed" if group_step else "solid")
            edge_attrs: dict[str, str] = {"color": INK, "penwidth": "1.4"}
            if route is not None:
                work = ", ".join(p for p in (route.work, " / ".join(route.by)) if p)
                if work:
                    lines = wrap_label(work, WORK_WIDTH, SMALL_SIZE)
                    edge_attrs["label"] = graphviz.nohtml(
                        "\\n".join(_esc(line) for line in lines))
            else:
                edge_attrs["style"] = "dashed"
            dot.edge(jid, ids[key], **edge_attrs)

    for p in model.phases:
        dot.subgraph(clusters[p.index])
    if options.checkpoint_list and j.steps:
        _checkpoint_list(dot, j, shown, ids, checkpoint_of_some_goal, direction)
    return dot.source


def _route_ids(j: Journey, key: str) -> list[tuple[str, object]]:
    step = j.steps[j.step_of[key] - 1]
    return list(step.route_ids())


def _first(values: tuple[str, ...] | None) -> str | None:
    return values[0] if values else None


def _node_class(j: Journey, key: str) -> str:
    d = j.model.deliverables[key]
    g = j.graph
    if d.goal:
        return "deliverable goal"
    if g.is_group(key):
        return "deliverable group"
    if key in g.produced:
        return "deliverable produced"
    return "deliverable external" if d.external else "deliverable gap"


def _rec(text: str) -> str:
    """Text for a record field: DOT escapes plus the record's own punctuation."""
    out = text.replace("\\", "\\\\")
    for ch in "{}|<>":
        out = out.replace(ch, "\\" + ch)
    return out


def _checkpoint_list(dot: graphviz.Digraph, j: Journey, shown: set[str],
                     ids: dict[str, str], checkpoints: set[str], direction: str) -> None:
    """The numbered steps as a record node beside the diagram (same numbers as junctions).

    A record, not an HTML table, because the embedded Graphviz has no HTML labels.
    """
    size = LIST_SIZE
    exits = {c.key for gj in j.goals() for c in gj.checkpoints if c.exit}
    fields: list[str] = []
    all_lines: list[str] = []
    title = "Assembly steps · 組立手順"
    fields.append(_rec(title) + "\\l")
    all_lines.append(title)
    for s in j.steps:
        if s.key not in shown:
            continue
        mark = "▶" if s.key in exits else ("●" if s.key in checkpoints else "○")
        lines = wrap_label(j.name(s.key), 200.0, size)
        head = f"{s.number:>2} {mark} "
        pad = " " * (len(head) + 1)
        text_lines = [head + lines[0]] + [pad + line for line in lines[1:]]
        all_lines += text_lines
        fields.append("".join(_rec(t) + "\\l" for t in text_lines))
    legend = "● checkpoint  ▶ exit  ○ some routes only"
    fields.append(_rec(legend) + "\\l")
    all_lines.append(legend)
    if len(fields) <= 2:
        return
    w, _h = label_box(all_lines, size)
    w += 0.25
    h = (len(all_lines) * size * 1.2 + len(fields) * 8) / 72
    body = "|".join(fields)
    label = body if direction in ("LR", "RL") else "{" + body + "}"
    dot.node("checkpoint_list", label=graphviz.nohtml(label), shape="record",
             style="filled", fillcolor="white", color="#9aa5b1", fontsize=_fmt(size),
             width=_fmt(w), height=_fmt(h), fixedsize="true", **{"class": "checkpoint-list"})
    for k in j.model.goals:
        if k in shown:
            dot.edge(ids[k], "checkpoint_list", style="invis")
