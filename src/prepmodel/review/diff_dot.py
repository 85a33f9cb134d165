"""The union diagram of a semantic diff as Graphviz DOT.

Both models in one picture, drawn with the assembly diagram's conventions
(``render/dot.py``): every route is a numbered junction where its input lines meet, the
work and performers follow it, and the phases are labelled bands in journey order. On top
of that, colour says what changed: unchanged in grey, added green, removed red and dashed,
changed amber, renamed boxes labelled ``old → new``. A junction has the colour of its
route, so a new alternative route is a green junction of its own while an input added to
a route is a green line into a junction that stays as it was. The legend is drawn under
the laid-out picture (``diff_legend.py``). Ids are positional, attributes are written in
a fixed order: the same pair of files gives the same DOT.
"""

from __future__ import annotations

import graphviz

from prepmodel.render.dot import BIG_DIAGRAM, work_lines
from prepmodel.render.measure import label_box, text_width, wrap_label
from prepmodel.render.style import (
    FONT,
    INK,
    NAME_SIZE,
    NAME_WIDTH,
    PHASE_FILLS,
    PHASE_INK,
    PHASE_LINE,
    PHASE_SIZE,
    STEP_SIZE,
    TITLE_SIZE,
    WORK_SIZE,
    esc,
    esc_tooltip,
    fmt,
    label_lines,
)
from prepmodel.review.diff import ModelDiff
from prepmodel.review.union import UnionNode, UnionRoute, UnionView, union_view

MUTED = "#9aa5b1"
ADDED = "#2f855a"
ADDED_FILL = "#e3f9e5"
REMOVED = "#c53030"
REMOVED_FILL = "#fde8e8"
CHANGED = "#b7791f"
CHANGED_FILL = "#fff3c4"
SAME_FILL = "#f5f7fa"
JUNCTION_SAME = "#616e7c"

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
    "changed": {"color": CHANGED, "penwidth": "1.6"},
}
#: Junctions: (fill, line, text, style, pen width) per route status.
_JUNCTION_STYLE: dict[str, tuple[str, str, str, str, str]] = {
    "same": (JUNCTION_SAME, JUNCTION_SAME, "white", "filled", "1"),
    "added": (ADDED, ADDED, "white", "filled,bold", "2"),
    "removed": (REMOVED_FILL, REMOVED, REMOVED, "filled,dashed", "1.6"),
    "changed": (CHANGED, CHANGED, "white", "filled,bold", "2"),
}
_PHASE_STYLE: dict[str, tuple[str, str, str]] = {  # line, style, label prefix
    "same": (PHASE_LINE, "rounded,filled", ""),
    "added": (ADDED, "rounded,filled,bold", "+ "),
    "removed": (REMOVED, "rounded,filled,dashed", "− "),
}


def _plain(attrs: dict[str, str]) -> dict[str, str]:
    """Every value as ``nohtml``: a name like ``<draft>`` stays text."""
    return {k: graphviz.nohtml(v) for k, v in attrs.items()}


def _node_label(n: UnionNode, step_word: str) -> tuple[str, float, float]:
    text = f"{n.old_name} → {n.name}" if n.status == "renamed" and n.old_name else n.name
    lines = wrap_label(text, NAME_WIDTH, NAME_SIZE) or [""]
    if n.step is not None and n.status != "removed":
        lines = [*lines, f"{step_word} {n.step}"]
    w, h = label_box(lines, NAME_SIZE, margin=(0.13, 0.07))
    return label_lines(lines), w, h


def _node_attrs(n: UnionNode, step_word: str) -> dict[str, str]:
    label, w, h = _node_label(n, step_word)
    status = "changed" if n.status == "renamed" and n.changed else n.status
    attrs = {
        "label": label,
        "width": fmt(w),
        "height": fmt(h),
        **_STATUS_STYLE[status],
        "class": f"deliverable {n.kind} diff-{n.status}" + (" diff-changed" if n.changed else ""),
        "tooltip": esc_tooltip(_tooltip(n)),
    }
    if n.status == "renamed":
        attrs["fillcolor"] = CHANGED_FILL if n.changed else "white"
    if n.kind == "goal":
        attrs["peripheries"] = "2"
    elif n.kind == "group":
        attrs["style"] = attrs["style"].replace("rounded,", "") + ",dashed"
    return attrs


def _tooltip(n: UnionNode) -> str:
    if n.status == "renamed":
        extra = f"; changed: {', '.join(n.what)}" if n.what else ""
        return f"{n.name}: renamed from {n.old_name}{extra}"
    if n.status == "changed":
        return f"{n.name}: changed: {', '.join(n.what)}"
    return f"{n.name}: {n.status}"


def _route_tooltip(r: UnionRoute, names: dict[str, str]) -> str:
    ins = " + ".join(names[x] for x, status in r.inputs if status != "removed") or "—"
    what = {
        "same": "route",
        "added": "route added",
        "removed": "route removed",
        "changed": "route changed",
    }[r.status]
    head = f"{'group' if r.group else what} {r.label}".strip()
    work = f" ({r.work})" if r.work else ""
    gone = [names[x] for x, status in r.inputs if status == "removed"]
    lost = f"; lost {' + '.join(gone)}" if gone and r.status != "removed" else ""
    if r.status == "removed":
        ins = " + ".join(names[x] for x, _ in r.inputs) or "—"
    return f"{head}: {ins}{work}{lost}"


class _Picture:
    def __init__(self, view: UnionView, direction: str, title: str | None, lang: str) -> None:
        self.view = view
        self.ids = {n.id: f"n{i}" for i, n in enumerate(view.nodes)}
        self.names = {n.id: n.name for n in view.nodes}
        self.phase_of = {n.id: n.phase for n in view.nodes}
        self.step_word = "手順" if lang == "ja" else "step"
        self.dot = graphviz.Digraph("prep_diff", strict=False)
        self.dot.attr(
            **_plain(
                {
                    "rankdir": direction if direction in {"LR", "RL", "TB", "BT"} else "LR",
                    "newrank": "true",
                    "nodesep": "0.3",
                    "ranksep": "0.32",
                    "fontname": FONT,
                    "fontsize": fmt(TITLE_SIZE),
                    "fontcolor": INK,
                    "bgcolor": "white",
                    "pad": "0.25",
                    "labelloc": "t",
                    "outputorder": "edgesfirst",
                    "label": esc(title or ""),
                }
            )
        )
        self.dot.attr(
            "node",
            **_plain(
                {
                    "fontname": FONT,
                    "fontsize": fmt(NAME_SIZE),
                    "fontcolor": INK,
                    "shape": "box",
                    "fixedsize": "true",
                    "penwidth": "1.4",
                }
            ),
        )
        self.dot.attr("edge", **_plain({"arrowsize": "0.7", "penwidth": "1.1"}))
        self.clusters: dict[int, graphviz.Digraph] = {}
        for i, phase in enumerate(view.phases):
            line, style, prefix = _PHASE_STYLE[phase.status]
            cluster = graphviz.Digraph(f"cluster_phase{i}")
            cluster.attr(
                **_plain(
                    {
                        "label": esc(f"{prefix}{i + 1}. {phase.name}"),
                        "style": style,
                        "fillcolor": PHASE_FILLS[i % len(PHASE_FILLS)],
                        "color": line,
                        "fontsize": fmt(PHASE_SIZE),
                        "fontcolor": PHASE_INK,
                        "labeljust": "l",
                        "labelloc": "t",
                        "penwidth": "1",
                        "margin": "12",
                        "class": f"phase diff-{phase.status}",
                    }
                )
            )
            self.clusters[i] = cluster

    def home(self, node_id: str) -> graphviz.Digraph:
        phase = self.phase_of.get(node_id)
        return self.clusters[phase] if phase is not None else self.dot

    def draw(self) -> str:
        for n in self.view.nodes:
            self.home(n.id).node(self.ids[n.id], **_plain(_node_attrs(n, self.step_word)))
        for r in self.view.routes:
            self.route(r)
        if len(self.view.phases) > 1 and len(self.view.nodes) <= BIG_DIAGRAM:
            self.phase_order()
        for i in sorted(self.clusters):
            self.dot.subgraph(self.clusters[i])
        return str(self.dot.source)

    def phase_order(self) -> None:
        """Bands in journey order, as in the assembly diagram (``render.dot._phase_order``):
        an invisible, weightless anchor after each band; the band's last members (those no
        member of the same band uses) come before it, and the next band's first junctions
        (those with no input from their own band) after it."""
        band_of = self.phase_of
        used_in_band: set[str] = set()
        for r in self.view.routes:
            band = band_of.get(r.output)
            for source, _ in r.inputs:
                if band is not None and band_of.get(source) == band:
                    used_in_band.add(source)
        for n in range(len(self.view.phases) - 1):
            anchor = f"phase{n}_end"
            invisible = {"style": "invis", "weight": "0"}
            self.dot.node(
                anchor,
                **_plain(
                    {"shape": "point", "style": "invis", "width": "0", "height": "0", "label": ""}
                ),
            )
            for node in self.view.nodes:
                if node.phase == n and node.id not in used_in_band:
                    self.dot.edge(self.ids[node.id], anchor, **_plain(invisible))
            for r in self.view.routes:
                if band_of.get(r.output) != n + 1:
                    continue
                if not any(band_of.get(source) == n + 1 for source, _ in r.inputs):
                    self.dot.edge(anchor, f"j{r.id[1:]}", **_plain(invisible))

    def route(self, r: UnionRoute) -> None:
        target = self.home(r.output)
        jid = f"j{r.id[1:]}"
        fill, line, text, style, pen = _JUNCTION_STYLE[r.status]
        label = r.label or "·"
        width = max(0.3, (text_width(label, STEP_SIZE) + 9) / 72)
        if r.group:
            fill, text, style = "white", (INK if r.status == "same" else line), style + ",dashed"
        target.node(
            jid,
            **_plain(
                {
                    "label": esc(label),
                    "shape": "circle" if len(label) < 3 else "box",
                    "style": style if len(label) < 3 else style + ",rounded",
                    "fillcolor": fill,
                    "color": line,
                    "fontcolor": text,
                    "fontsize": fmt(STEP_SIZE),
                    "width": fmt(width),
                    "height": "0.3",
                    "penwidth": pen,
                    "tooltip": esc_tooltip(_route_tooltip(r, self.names)),
                    "class": f"junction diff-route-{r.status}"
                    + (" group-junction" if r.group else ""),
                }
            ),
        )
        for source, status in r.inputs:
            attrs = {"arrowhead": "none", **_EDGE_STYLE[status], "class": f"input diff-{status}"}
            if r.group and status == "same":
                attrs["style"] = "dashed"
            if source in r.optional:  # an optional input [X], as in `prep render`
                attrs["style"] = "dashed"
                attrs["class"] += " optional"
            self.dot.edge(self.ids[source], jid, **_plain(attrs))
        out = {**_EDGE_STYLE[r.status], "class": f"output diff-{r.status}", "weight": "4"}
        if r.status == "same":
            out["color"] = JUNCTION_SAME
        work = work_lines(r.work, r.by)
        if work:
            wid = f"{jid}_w"
            w, h = label_box(work, WORK_SIZE, margin=(0.04, 0.03), min_size=(0.2, 0.2))
            target.node(
                wid,
                **_plain(
                    {
                        "label": label_lines(work),
                        "shape": "box",
                        "style": "filled",
                        "fillcolor": "transparent",
                        "color": "transparent",
                        "fontsize": fmt(WORK_SIZE),
                        "fontcolor": REMOVED if r.status == "removed" else "#3e4c59",
                        "width": fmt(w),
                        "height": fmt(h),
                        "penwidth": "0",
                        "tooltip": esc_tooltip(" / ".join(work)),
                        "class": f"work diff-{r.status}",
                    }
                ),
            )
            self.dot.edge(jid, wid, **_plain({**out, "arrowhead": "none", "weight": "8"}))
            self.dot.edge(wid, self.ids[r.output], **_plain(out))
        else:
            self.dot.edge(jid, self.ids[r.output], **_plain(out))


def union_dot(
    view: UnionView, direction: str = "LR", title: str | None = None, lang: str = "en"
) -> str:
    """DOT source of the union diagram (no layout: that is ``render.engine.layout``)."""
    return _Picture(view, direction, title, lang).draw()


def diff_language(d: ModelDiff) -> str:
    """The language of the diagram's own words: the new model's (as ``prep render``)."""
    from prepmodel.render.steplist import diagram_language

    return diagram_language(d.new.journey)


def diff_dot(d: ModelDiff, direction: str | None = None, lang: str | None = None) -> str:
    """The union diagram of ``d``; direction defaults to the new model's, else LR."""
    if direction is None:
        given = d.new.model.attrs.get("direction")
        direction = given[0].upper() if given else "LR"
    title = d.new.model.title or d.old.model.title
    return union_dot(
        union_view(d),
        direction,
        f"prep diff: {title}" if title else "prep diff",
        lang or diff_language(d),
    )
