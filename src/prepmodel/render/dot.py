"""The assembly-instruction diagram as Graphviz DOT.

Parts (externals) are muted boxes, produced deliverables are parts, goals stand out (gold,
double border). Every route is a small numbered junction (``3`` or ``3.a``/``3.b``) where its
input arrows meet; the work and performers are a small text node on the way from the
junction to the output: verbs at the junction, nouns in the boxes. Checkpoints have a solid
bold border, deliverables needed on some routes only a dashed one; groups are dashed boxes;
phases are labelled bands, placed one after the other in journey order. Gaps, cycles and
orphans are drawn in warning colours. The numbered step list (``steplist.py``) stands beside
the diagram in the same picture, with the same numbers; fonts and colours are in ``style.py``.

Every text box is sized by our own label measure (``measure.py``), so Japanese text fits:
deliverable names, junction numbers, the work texts (a fixed-size node, not an edge label,
because Graphviz would measure an edge label itself) and the step list. Ids are stable (file
order) and attributes are written in a fixed order: same input, same DOT.
"""

from __future__ import annotations

from dataclasses import dataclass

import graphviz

from prepmodel.journey import Journey
from prepmodel.model import Phase, Route
from prepmodel.render.measure import label_box, text_width, wrap_label
from prepmodel.render.steplist import (
    LIST_TEXTS,
    Roles,
    checkpoint_list_node,
    checkpoint_roles,
    diagram_language,
)
from prepmodel.render.style import (
    CHECKPOINT_FILL,
    CHECKPOINT_LINE,
    FONT,
    GAP,
    GAP_FILL,
    GOAL_FILL,
    GOAL_LINE,
    INK,
    MUTED,
    NAME_SIZE,
    NAME_WIDTH,
    ORPHAN,
    ORPHAN_FILL,
    PART_FILL,
    PART_INK,
    PHASE_FILLS,
    PHASE_INK,
    PHASE_LINE,
    PHASE_SIZE,
    STEP_SIZE,
    TITLE_SIZE,
    WORK_INK,
    WORK_SIZE,
    WORK_WIDTH,
    esc,
    esc_tooltip,
    fmt,
    label_lines,
)

__all__ = [
    "BIG_DIAGRAM",
    "LIST_TEXTS",
    "DiagramOptions",
    "build_dot",
    "diagram_language",
    "node_class",
    "visible_keys",
]


#: A diagram with more deliverables in view than this is "big": its phases are not pinned in
#: journey order (the invisible anchors roughly double Graphviz's layout time there) and
#: Graphviz's optimisation passes are capped (``nslimit``, ``mclimit``: 3x faster on 500
#: deliverables, with about as many crossings). See benchmarks/bench_render.py.
BIG_DIAGRAM = 200


@dataclass(frozen=True)
class DiagramOptions:
    direction: str | None = None
    goal: str | None = None
    focus: str | None = None
    depth: int = 1
    checkpoint_list: bool = True


# --------------------------------------------------------------------------- DOT writing


class _Graph:
    """DOT through the `graphviz` package. Every value is passed as ``nohtml``: we never
    use HTML labels (the embedded Graphviz has none), and a name like ``<draft>`` must stay
    text. Statements keep their insertion order, so the same model gives the same DOT."""

    def __init__(self, name: str) -> None:
        self.g = graphviz.Digraph(name)

    @staticmethod
    def _plain(attrs: dict[str, str]) -> dict[str, str]:
        return {k: graphviz.nohtml(v) for k, v in attrs.items()}

    def attr(self, kind: str | None = None, **attrs: str) -> None:
        self.g.attr(kind, **self._plain(attrs))

    def node(self, name: str, **attrs: str) -> None:
        self.g.node(name, **self._plain(attrs))

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        self.g.edge(tail, head, **self._plain(attrs))

    def subgraph(self, other: _Graph) -> None:
        self.g.subgraph(other.g)

    def source(self) -> str:
        return str(self.g.source)


# --------------------------------------------------------------------------- what to draw


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
            if not frontier:  # the neighbourhood is exhausted: a huge --depth ends here
                break
            step: set[str] = set()
            for k in frontier:
                step.update(g.g.predecessors(k))
                step.update(g.g.successors(k))
            frontier = step - near
            near |= step
        keys = [k for k in keys if k in near]
    return keys


def node_class(j: Journey, key: str, roles: Roles | None = None) -> str:
    """The SVG class of a deliverable node: kind, then role and warnings."""
    d = j.model.deliverables[key]
    g = j.graph
    if d.goal and key in g.produced:
        kind = "goal"
    elif d.goal:
        kind = "goal gap"
    elif g.is_group(key):
        kind = "group"
    elif key in g.produced:
        kind = "produced"
    elif d.external:
        kind = "external"
    elif key in g.needed:
        kind = "gap"
    else:
        kind = "declared"
    out = ["deliverable", kind]
    if roles is not None and key in g.needed and not d.goal:
        if key in roles.checkpoints:
            out.append("checkpoint")
        elif key in g.produced:
            out.append("route-dependent")
        elif key not in roles.mandatory and key in g.needed:
            out.append("some-routes")
    if key in g.in_cycle:
        out.append("cycle")
    if key not in g.needed and j.model.goals:
        out.append("orphan")
    return " ".join(out)


# --------------------------------------------------------------------------- the diagram


def build_dot(j: Journey, options: DiagramOptions | None = None) -> str:
    """The diagram of a model as DOT source text."""
    options = options or DiagramOptions()
    model = j.model
    direction = (options.direction or _first(model.attrs.get("direction")) or "LR").upper()
    if direction not in ("LR", "RL", "TB", "BT"):
        direction = "LR"
    keys = visible_keys(j, options)
    shown = set(keys)
    ids = {k: f"d{i}" for i, k in enumerate(model.deliverables)}
    roles = checkpoint_roles(j, options.goal)

    dot = _Graph("prep")
    dot.attr(rankdir=direction, newrank="true", nodesep="0.3", ranksep="0.32",
             fontname=FONT, fontsize=fmt(TITLE_SIZE), fontcolor=INK, bgcolor="white",
             pad="0.25", labelloc="t", label=esc(model.title or ""), outputorder="edgesfirst")
    dot.attr("node", fontname=FONT, fontsize=fmt(NAME_SIZE), fontcolor=INK, color=INK,
             shape="box", style="rounded,filled", fillcolor=PART_FILL, fixedsize="true",
             penwidth="1.2")
    dot.attr("edge", color=MUTED, arrowsize="0.7", penwidth="1.1")

    phases = [p for p in model.phases if any(k in shown for k in p.members)]
    clusters = {p.index: _Graph(f"cluster_phase{p.index}") for p in phases}
    for n, p in enumerate(phases):
        title = _first(p.attrs.get("title"))
        label = f"{n + 1}. {p.name}" + (f" · {title}" if title else "")
        clusters[p.index].attr(
            label=esc(label), style="rounded,filled",
            fillcolor=PHASE_FILLS[p.index % len(PHASE_FILLS)], color=PHASE_LINE,
            fontsize=fmt(PHASE_SIZE), fontcolor=PHASE_INK, labeljust="l", labelloc="t",
            penwidth="1", margin="12", **{"class": "phase"})
    phase_index = {p.name: p.index for p in phases}

    def home(key: str) -> _Graph:
        phase = j.phase_of.get(key)
        index = phase_index.get(phase) if phase is not None else None
        return clusters[index] if index is not None else dot

    for key in keys:
        home(key).node(ids[key], **_deliverable_attrs(j, key, roles, options.focus))

    # Where each deliverable "starts": its junctions (so phase order can pin it).
    entry: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    loops = _loops(j)
    for key in keys:
        step = j.step_of.get(key)
        for n, (rid, inputs, route) in enumerate(_alternatives(j, key, step)):
            jid = f"{ids[key]}_r{n}"
            entry.setdefault(key, []).append((jid, inputs))
            _route(dot, home(key), j, key, jid, rid, inputs, route, ids, shown, loops)

    if len(keys) <= BIG_DIAGRAM:
        _phase_order(dot, j, phases, shown, ids, entry)
    else:
        dot.attr(nslimit="0.2", mclimit="0.5")
    for p in phases:
        dot.subgraph(clusters[p.index])
    if options.checkpoint_list and j.steps:
        _checkpoint_list(dot, j, shown, ids, roles, direction)
    return dot.source()


def _deliverable_attrs(j: Journey, key: str, roles: Roles, focus: str | None) -> dict[str, str]:
    model = j.model
    g = j.graph
    d = model.deliverables[key]
    lines = wrap_label(d.name, NAME_WIDTH, NAME_SIZE) if d.name else [""]
    w, h = label_box(lines, NAME_SIZE, margin=(0.13, 0.07))
    attrs: dict[str, str] = {"label": label_lines(lines), "width": fmt(w),
                             "height": fmt(h), "tooltip": esc_tooltip(d.name)}
    produced = key in g.produced
    needed = key in g.needed
    if d.goal:
        attrs.update(fillcolor=GOAL_FILL, color=GOAL_LINE, penwidth="2.4", peripheries="2",
                     style="rounded,filled,bold", fontsize=fmt(NAME_SIZE))
    elif g.is_group(key):
        attrs.update(style="dashed,filled", fillcolor="white", color=INK, penwidth="1.4")
    elif produced and (key in roles.checkpoints or not needed):
        attrs.update(fillcolor=CHECKPOINT_FILL, color=CHECKPOINT_LINE, penwidth="2",
                     style="rounded,filled,bold")
    elif produced:  # needed on some routes only
        attrs.update(fillcolor="white", color=CHECKPOINT_LINE, penwidth="1.6",
                     style="rounded,filled,dashed")
    else:
        attrs.update(color=MUTED, fontcolor=PART_INK)
        if needed and key not in roles.mandatory:
            attrs.update(style="rounded,filled,dashed")
    if key in g.in_cycle:
        attrs.update(color=GAP, penwidth="2.4", style="rounded,filled,bold")
    elif not produced and not d.external and needed:
        attrs.update(fillcolor=GAP_FILL, color=GAP, fontcolor=INK, style="rounded,filled,dashed",
                     penwidth="2")
    elif not needed and model.goals:
        attrs.update(fillcolor=ORPHAN_FILL, color=ORPHAN, penwidth="2")
    if key == focus:
        attrs["penwidth"] = "3.2"
    attrs["class"] = node_class(j, key, roles) + (" focus" if key == focus else "")
    return attrs


def _alternatives(
    j: Journey, key: str, step: int | None
) -> list[tuple[str, tuple[str, ...], Route | None]]:
    """(route id, inputs, route) per way to make ``key``; a group has one, with route None."""
    g = j.graph
    if g.is_group(key):
        return [(str(step) if step else "", j.model.groups[key].members, None)]
    if step is not None:
        return [(rid, r.inputs, r) for rid, r in j.steps[step - 1].route_ids()]
    return [("", r.inputs, r) for r in g.routes_by_output.get(key, [])]


def _loops(j: Journey) -> dict[str, int]:
    """Deliverable -> number of the cycle (strongly connected knot) it is on."""
    if not j.graph.in_cycle:
        return {}
    import networkx as nx

    out: dict[str, int] = {}
    for n, comp in enumerate(nx.strongly_connected_components(j.graph.g)):
        for k in comp:
            if k in j.graph.in_cycle:
                out[k] = n
    return out


def _route(dot: _Graph, target: _Graph, j: Journey, key: str, jid: str, rid: str,
           inputs: tuple[str, ...], route: Route | None, ids: dict[str, str],
           shown: set[str], loops: dict[str, int]) -> None:
    """One junction: input arrows meet at the numbered dot, then work text, then the output."""
    g = j.graph
    group_step = route is None
    orphan = not rid and key not in g.needed
    width = max(0.3, (text_width(rid, STEP_SIZE) + 9) / 72)
    fill = "white" if group_step else (ORPHAN if orphan else INK)
    target.node(jid, label=esc(rid), shape="circle" if len(rid) < 3 else "box",
                style="filled,rounded", fillcolor=fill, fontcolor=INK if group_step else "white",
                color=INK if not orphan else ORPHAN, fontsize=fmt(STEP_SIZE), width=fmt(width),
                height="0.3", penwidth="1",
                tooltip=esc_tooltip(f"step {rid}" if rid else "route (no goal needs it)"),
                **{"class": "junction group-junction" if group_step else "junction"})
    loop = loops.get(key)
    for x in inputs:
        if x not in shown:
            continue
        attrs = {"arrowhead": "none", "style": "dashed" if group_step else "solid",
                 "class": "input"}
        if loop is not None and loops.get(x) == loop:
            attrs.update(color=GAP, penwidth="1.8", **{"class": "input cycle"})
        dot.edge(ids[x], jid, **attrs)
    hidden = sum(1 for x in inputs if x not in shown)
    if hidden:  # --goal/--focus left some inputs out: say so at the junction
        more = f"+{hidden}"
        names = ", ".join(j.name(x) for x in inputs if x not in shown)
        w, h = label_box([more], WORK_SIZE, margin=(0.04, 0.02), min_size=(0.2, 0.2))
        target.node(f"{jid}_more", label=more, shape="box", style="rounded,dashed",
                    color=MUTED, fontcolor=MUTED, fontsize=fmt(WORK_SIZE), width=fmt(w),
                    height=fmt(h), penwidth="0.8", tooltip=esc_tooltip(f"not shown: {names}"),
                    **{"class": "more"})
        dot.edge(f"{jid}_more", jid, arrowhead="none", style="dotted", **{"class": "input"})
    out: dict[str, str] = {"color": INK, "penwidth": "1.5", "class": "output"}
    if group_step:
        out["style"] = "dashed"
    work = _work_lines(route) if route is not None else []
    if work:
        wid = f"{jid}_w"
        w, h = label_box(work, WORK_SIZE, margin=(0.04, 0.03), min_size=(0.2, 0.2))
        target.node(wid, label=label_lines(work), shape="box", style="filled",
                    fillcolor="transparent", color="transparent", fontsize=fmt(WORK_SIZE),
                    fontcolor=WORK_INK,
                    width=fmt(w), height=fmt(h), penwidth="0",
                    tooltip=esc_tooltip(" / ".join(work)), **{"class": "work"})
        dot.edge(jid, wid, arrowhead="none", color=INK, penwidth="1.5", **{"class": "output"})
        dot.edge(wid, ids[key], **out)
    else:
        dot.edge(jid, ids[key], **out)


def _work_lines(route: Route) -> list[str]:
    """The work (verbs) and, on their own line, the performers in parentheses."""
    lines: list[str] = []
    if route.work:
        lines += wrap_label(route.work, WORK_WIDTH, WORK_SIZE)
    if route.by:
        lines += wrap_label("(" + ", ".join(route.by) + ")", WORK_WIDTH, WORK_SIZE)
    return lines


def _phase_order(dot: _Graph, j: Journey, phases: list[Phase], shown: set[str],
                 ids: dict[str, str],
                 entry: dict[str, list[tuple[str, tuple[str, ...]]]]) -> None:
    """Lay phases out one after the other in journey (declaration) order.

    An invisible, weightless anchor sits after each phase: the phase's last members (those
    no member of the same phase uses) come before it, and the next phase's first junctions
    (those with no input from their own phase) after it; the other members follow by their
    own arrows. So a phase's band starts where the previous one ends, even when a member
    only needs early deliverables. Only these few edges are added, because every invisible
    edge that spans ranks costs Graphviz crossing-minimisation time. (A journey that runs
    backwards, PH02, makes this a cycle; Graphviz then breaks it.)
    """
    users = j.graph.g.successors
    members = [[k for k in p.members if k in shown] for p in phases]
    for n in range(len(members) - 1):
        anchor = f"phase{phases[n].index}_end"
        dot.node(anchor, shape="point", style="invis", width="0", height="0",
                 fixedsize="true", label="")
        here = set(members[n])
        for k in members[n]:
            if not any(u in here for u in users(k)):
                dot.edge(ids[k], anchor, style="invis", weight="0")
        nxt = set(members[n + 1])
        for k in members[n + 1]:
            routes = entry.get(k)
            if not routes:
                dot.edge(anchor, ids[k], style="invis", weight="0")
                continue
            for jid, inputs in routes:
                if not any(x in nxt and x in shown for x in inputs):
                    dot.edge(anchor, jid, style="invis", weight="0")


def _first(values: tuple[str, ...] | None) -> str | None:
    return values[0] if values else None


def _checkpoint_list(dot: _Graph, j: Journey, shown: set[str], ids: dict[str, str],
                     roles: Roles, direction: str) -> None:
    """The numbered steps beside the diagram (same numbers as the junctions), drawn last."""
    attrs = checkpoint_list_node(j, shown, roles, direction)
    if attrs is None:
        return
    dot.node("checkpoint_list", **attrs)
    # After everything: from each shown deliverable that nothing shown uses (goals, ...).
    g = j.graph
    for k in j.model.deliverables:
        if k in shown and not any(u in shown for u in g.g.successors(k)):
            dot.edge(ids[k], "checkpoint_list", style="invis", weight="0")
