"""The union diagram of a semantic diff as Graphviz DOT.

Both models in one picture: unchanged deliverables in grey, added ones green, removed
ones red and dashed, changed ones amber, renamed ones labelled ``old → new``. Edges carry
the same colours (added green, removed red dashed). Ids are positional (``n0``, ``n1`` in
the order of :func:`prepmodel.review.report.union_view`), attributes are written in a fixed
order: the same pair of files gives the same DOT. Layout is ``render.engine.layout``.
"""

from __future__ import annotations

import graphviz

from prepmodel.render.measure import label_box, wrap_label
from prepmodel.render.style import (
    FONT,
    INK,
    NAME_SIZE,
    NAME_WIDTH,
    esc,
    esc_tooltip,
    fmt,
    label_lines,
)
from prepmodel.review.diff import ModelDiff
from prepmodel.review.report import UnionNode, UnionView, union_view

MUTED = "#9aa5b1"
ADDED = "#2f855a"
ADDED_FILL = "#e3f9e5"
REMOVED = "#c53030"
REMOVED_FILL = "#fde8e8"
CHANGED = "#b7791f"
CHANGED_FILL = "#fff3c4"
SAME_FILL = "#f5f7fa"

_STATUS_STYLE: dict[str, dict[str, str]] = {
    "same": {"color": MUTED, "fillcolor": SAME_FILL, "style": "rounded,filled"},
    "added": {"color": ADDED, "fillcolor": ADDED_FILL, "style": "rounded,filled,bold"},
    "removed": {
        "color": REMOVED,
        "fillcolor": REMOVED_FILL,
        "style": "rounded,filled,dashed",
        "fontcolor": REMOVED,
    },
    "changed": {"color": CHANGED, "fillcolor": CHANGED_FILL, "style": "rounded,filled,bold"},
    "renamed": {"color": CHANGED, "fillcolor": "white", "style": "rounded,filled,bold"},
}
_EDGE_STYLE: dict[str, dict[str, str]] = {
    "same": {"color": MUTED},
    "added": {"color": ADDED, "penwidth": "2"},
    "removed": {"color": REMOVED, "style": "dashed", "penwidth": "1.6"},
}


def _node_label(n: UnionNode) -> tuple[str, float, float]:
    text = f"{n.old_name} → {n.name}" if n.status == "renamed" and n.old_name else n.name
    lines = wrap_label(text, NAME_WIDTH, NAME_SIZE) or [""]
    if n.step is not None and n.status != "removed":
        lines = [*lines, f"step {n.step}"]
    w, h = label_box(lines, NAME_SIZE)
    return graphviz.nohtml(label_lines(lines)), w, h


def union_dot(view: UnionView, direction: str = "LR", title: str | None = None) -> str:
    """DOT source of the union diagram (no layout: that is ``render.engine.layout``)."""
    ids = {n.id: f"n{i}" for i, n in enumerate(view.nodes)}
    dot = graphviz.Digraph("prep_diff", strict=False)
    dot.attr(
        rankdir=direction if direction in {"LR", "RL", "TB", "BT"} else "LR",
        nodesep="0.3",
        ranksep="0.5",
        fontname=FONT,
        fontsize="12",
        fontcolor=INK,
        bgcolor="white",
        pad="0.2",
        labelloc="t",
        label=graphviz.nohtml(esc(title or "")),
    )
    dot.attr(
        "node",
        fontname=FONT,
        fontsize=fmt(NAME_SIZE),
        fontcolor=INK,
        shape="box",
        fixedsize="true",
        penwidth="1.4",
    )
    dot.attr("edge", arrowsize="0.7", penwidth="1.1")
    for n in view.nodes:
        label, w, h = _node_label(n)
        status = "changed" if n.status == "renamed" and n.changed else n.status
        attrs = {
            "label": label,
            "width": fmt(w),
            "height": fmt(h),
            **_STATUS_STYLE[status],
            "class": f"diff-{n.status}",
            "tooltip": esc_tooltip(_tooltip(n)),
        }
        if n.status == "renamed":
            attrs["fillcolor"] = CHANGED_FILL if n.changed else "white"
        if n.kind == "goal":
            attrs["peripheries"] = "2"
        elif n.kind == "group":
            attrs["style"] = attrs["style"].replace("rounded,", "") + ",dashed"
        dot.node(ids[n.id], **attrs)
    for e in view.edges:
        dot.edge(ids[e.source], ids[e.target], **_EDGE_STYLE[e.status])
    return str(dot.source)


def _tooltip(n: UnionNode) -> str:
    if n.status == "renamed":
        extra = f"; changed: {', '.join(n.what)}" if n.what else ""
        return f"renamed from {n.old_name}{extra}"
    if n.status == "changed":
        return f"changed: {', '.join(n.what)}"
    return n.status


def diff_dot(d: ModelDiff, direction: str | None = None) -> str:
    """The union diagram of ``d``; direction defaults to the new model's, else LR."""
    if direction is None:
        given = d.new.model.attrs.get("direction")
        direction = given[0].upper() if given else "LR"
    title = d.new.model.title or d.old.model.title
    return union_dot(union_view(d), direction, f"prep diff: {title}" if title else "prep diff")
