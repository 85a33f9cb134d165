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

from prepmodel.journey.core import Journey
from prepmodel.model.core import Deliverable, Model, Phase, Route
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
    #: Draw an external used by several steps as a copy beside each step that uses it, and
    #: a deliverable made in an earlier band as an incoming copy (one picture per band,
    #: composed by ``compose.py``); ``False`` keeps one node with long edges (one layout).
    part_copies: bool = True
    #: ``ja`` or ``en`` for the diagram's own words; ``None``: the model's language.
    lang: str | None = None
    #: Under the name of a deliverable first named in an imported file, that file (its
    #: path from the top-level file's folder), in parentheses; also in its tooltip.
    show_files: bool = False


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


@dataclass(frozen=True)
class Panel:
    """One band of the picture, laid out on its own: a phase (or a range of its steps), the
    deliverables outside every phase, or the whole model when it has no phases."""

    number: int  # 1-based, in journey order
    title: str
    home: tuple[str, ...]  # deliverables drawn (made) here, in step order
    legend: bool = False  # this panel's step list carries the legend
    band: str = ""  # the title of the whole band, when this panel is a range of its steps


class Drawing:
    """What every panel of one diagram shares: the deliverables in view, their DOT ids,
    checkpoint roles, where each is drawn, and which part copies exist."""

    def __init__(self, j: Journey, options: DiagramOptions | None = None) -> None:
        self.j = j
        self.options = options = options or DiagramOptions()
        model = j.model
        direction = (options.direction or _first(model.attrs.get("direction")) or "LR").upper()
        self.direction = direction if direction in ("LR", "RL", "TB", "BT") else "LR"
        self.keys = visible_keys(j, options)
        self.shown = set(self.keys)
        self.ids = {k: f"d{i}" for i, k in enumerate(model.deliverables)}
        self.roles = checkpoint_roles(j, options.goal)
        self.loops = _loops(j)
        self.lang = options.lang or diagram_language(j)
        self.phase_number = {p.index: n for n, p in enumerate(model.phases, start=1)}
        self.copies = options.part_copies
        # Every way to make each shown deliverable: (junction id, route id, inputs, route).
        self.routes: dict[str, list[tuple[str, str, tuple[str, ...], Route | None]]] = {}
        uses: dict[str, int] = {}
        self.copy_id: dict[tuple[str, str], str] = {}  # (input, junction) -> copy node id
        for key in self.keys:
            step = j.step_of.get(key)
            alts = []
            for n, (rid, inputs, route) in enumerate(_alternatives(j, key, step)):
                jid = f"{self.ids[key]}_r{n}"
                alts.append((jid, rid, inputs, route))
                for x in inputs:
                    if x in self.shown and (x, jid) not in self.copy_id:
                        k = uses.get(x, 0)
                        uses[x] = k + 1
                        self.copy_id[(x, jid)] = f"{self.ids[x]}_c{k}"
            self.routes[key] = alts
        self.uses = uses
        self.any_incoming = False  # set while drawing: the legend then explains them

    # --- where things are drawn --------------------------------------------------------
    def is_part(self, key: str) -> bool:
        """Given, not made here (an external, a gap, a declared name): drawn as a copy at
        each step that uses it when part copies are on."""
        d = self.j.model.deliverables[key]
        return key not in self.j.graph.produced and not d.goal

    def copied(self, key: str) -> bool:
        return self.copies and self.is_part(key) and self.uses.get(key, 0) > 0

    def band_of(self, key: str) -> int:
        """The journey position of the band ``key`` is drawn in (contract §14's phase key:
        its phase, or the earliest phase that needs it)."""
        if not self.j.model.phases:
            return 1
        return self.j.graph.phase_keys.get(key, len(self.j.model.phases) + 1)

    def panels(self) -> list[Panel]:
        """The bands in journey order. Without part copies: one panel, as before."""
        model = self.j.model
        step_of = self.j.step_of
        order = sorted(
            (k for k in self.keys if not self.copied(k)),
            key=lambda k: (step_of.get(k, len(step_of) + 1), self.j.graph.position(k)),
        )
        if not self.copies or not model.phases:
            return [Panel(1, "", tuple(order), legend=True)]
        bands: dict[int, list[str]] = {}
        for k in order:
            bands.setdefault(self.band_of(k), []).append(k)
        texts = LIST_TEXTS[self.lang]
        out: list[Panel] = []
        for band in sorted(bands):
            if band <= len(model.phases):
                title = self.phase_label(model.phases[band - 1])
            else:
                title = texts["unphased"]
            out.append(Panel(len(out) + 1, title, tuple(bands[band])))
        last = out[-1]
        out[-1] = Panel(last.number, last.title, last.home, legend=True)
        return out

    def phase_label(self, phase: Phase) -> str:
        title = _first(phase.attrs.get("title"))
        return f"{self.phase_number[phase.index]}. {phase.name}" + (f" · {title}" if title else "")

    # --- DOT ---------------------------------------------------------------------------
    def dot(self, panel: Panel) -> str:
        """One panel as a DOT graph."""
        j = self.j
        model = j.model
        single = not self.copies
        dot = _Graph(f"prep_{panel.number}" if not single else "prep")
        dot.attr(
            rankdir=self.direction,
            newrank="true",
            nodesep="0.3",
            ranksep="0.32",
            fontname=FONT,
            fontsize=fmt(TITLE_SIZE),
            fontcolor=INK,
            bgcolor="white",
            pad="0.25",
            labelloc="t",
            outputorder="edgesfirst",
            label=esc(model.title or "") if single else "",
        )
        dot.attr(
            "node",
            fontname=FONT,
            fontsize=fmt(NAME_SIZE),
            fontcolor=INK,
            color=INK,
            shape="box",
            style="rounded,filled",
            fillcolor=PART_FILL,
            fixedsize="true",
            penwidth="1.2",
        )
        dot.attr("edge", color=MUTED, arrowsize="0.7", penwidth="1.1")
        here = set(panel.home)
        phases = [
            p
            for p in model.phases
            if any(k in here for k in p.members if j.phase_of.get(k) == p.name)
        ]
        clusters = {p.index: _Graph(f"cluster_phase{p.index}") for p in phases}
        for p in phases:
            label = self.phase_label(p) if single else panel.title
            clusters[p.index].attr(
                label=esc(label),
                style="rounded,filled",
                fillcolor=PHASE_FILLS[p.index % len(PHASE_FILLS)],
                color=PHASE_LINE,
                fontsize=fmt(PHASE_SIZE),
                fontcolor=PHASE_INK,
                labeljust="l",
                labelloc="t",
                penwidth="1",
                margin="12",
                **{"class": "phase"},
            )
        phase_index = {p.name: p.index for p in phases}

        def home(key: str) -> _Graph:
            phase = j.phase_of.get(key)
            index = phase_index.get(phase) if phase is not None else None
            return clusters[index] if index is not None else dot

        for key in panel.home:
            home(key).node(self.ids[key], **self.deliverable_attrs(key))
        incoming: dict[str, str] = {}
        for key in panel.home:
            stack = self.alternatives_node(home(key), key)
            for n, (jid, rid, inputs, route) in enumerate(self.routes.get(key, [])):
                sources = {
                    x: self.source(x, jid, here, incoming, home(key))
                    for x in inputs
                    if x in self.shown
                }
                self.route(
                    dot,
                    home(key),
                    key,
                    jid,
                    rid,
                    inputs,
                    route,
                    sources,
                    f"{stack}:r{n}" if stack else None,
                )
        if single and len(phases) > 1 and len(self.keys) <= BIG_DIAGRAM:
            entry = {
                k: [
                    (self.endpoint(k, n), inputs)
                    for n, (_, _, inputs, _) in enumerate(self.routes.get(k, []))
                ]
                for k in panel.home
            }
            _phase_order(dot, j, phases, here, self.ids, entry)
        elif single and len(self.keys) > BIG_DIAGRAM:
            dot.attr(nslimit="0.2", mclimit="0.5")
        for p in phases:
            dot.subgraph(clusters[p.index])
        if self.options.checkpoint_list and j.steps:
            self.checkpoint_list(dot, panel)
        return dot.source()

    def source(
        self, x: str, jid: str, here: set[str], incoming: dict[str, str], target: _Graph
    ) -> str:
        """The node an input arrow starts from: the deliverable itself when it is drawn in
        this panel, else a copy (a part at its point of use, or a deliverable made in an
        earlier band, drawn once per panel as an incoming part)."""
        if x in here:
            return self.ids[x]
        if self.copied(x):
            node = self.copy_id[(x, jid)]
            attrs = self.deliverable_attrs(x)
            attrs["class"] += " copy"
            target.node(node, **attrs)
            return node
        if x in incoming:
            return incoming[x]
        node = incoming[x] = self.copy_id[(x, jid)]
        self.any_incoming = True
        step = self.j.step_of.get(x)
        attrs = self.deliverable_attrs(x, f"({step}) " if step is not None else "")
        attrs["class"] += " incoming"
        if step is not None:
            head = f"{self.j.name(x)} ({self.texts['from_step']} {step})"
            about = about_lines(self.j.model.deliverables[x], self.lang)
            attrs["tooltip"] = tooltip_lines([head, *about])
        target.node(node, **attrs)
        return node

    @property
    def texts(self) -> dict[str, str]:
        return LIST_TEXTS[self.lang]

    def deliverable_attrs(self, key: str, prefix: str = "") -> dict[str, str]:
        origin = imported_from(self.j.model, key) if self.options.show_files else None
        attrs = _deliverable_attrs(self.j, key, self.roles, self.options.focus, prefix, origin)
        about = about_lines(self.j.model.deliverables[key], self.lang)
        if origin is not None:
            about.append(f"{LIST_TEXTS[self.lang]['file']}: {origin}")
        if about:
            attrs["tooltip"] = tooltip_lines([self.j.name(key), *about])
        return attrs

    def endpoint(self, key: str, n: int) -> str:
        """Where the arrows of route ``n`` of ``key`` meet: its junction, or its cell of the
        step's record (:meth:`alternatives_node`)."""
        if len(self.routes.get(key, ())) > 1:
            return f"{self.ids[key]}_r:r{n}"
        return f"{self.ids[key]}_r{n}"

    def route(
        self,
        dot: _Graph,
        target: _Graph,
        key: str,
        jid: str,
        rid: str,
        inputs: tuple[str, ...],
        route: Route | None,
        sources: dict[str, str],
        cell: str | None = None,
    ) -> None:
        """One junction: input arrows meet at the numbered dot (or at the route's ``cell``
        of a step's alternatives), then work text, then the output."""
        j = self.j
        g = j.graph
        group_step = route is None
        if cell is None:
            orphan = not rid and key not in g.needed
            width = max(0.3, (text_width(rid, STEP_SIZE) + 9) / 72)
            fill = "white" if group_step else (ORPHAN if orphan else INK)
            target.node(
                jid,
                label=esc(rid),
                shape="circle" if len(rid) < 3 else "box",
                style="filled,rounded",
                fillcolor=fill,
                fontcolor=INK if group_step else "white",
                color=INK if not orphan else ORPHAN,
                fontsize=fmt(STEP_SIZE),
                width=fmt(width),
                height="0.3",
                penwidth="1",
                tooltip=esc_tooltip(f"step {rid}" if rid else "route (no goal needs it)"),
                group=jid,
                **{"class": "junction group-junction" if group_step else "junction"},
            )
        meet = cell or jid
        loop = self.loops.get(key)
        for x in inputs:
            if x not in sources:
                continue
            attrs = {
                "arrowhead": "none",
                "style": "dashed" if group_step else "solid",
                "class": "input",
            }
            if loop is not None and self.loops.get(x) == loop:
                attrs.update(color=GAP, penwidth="1.8", **{"class": "input cycle"})
            dot.edge(sources[x], meet, **attrs)
        hidden = [x for x in inputs if x not in self.shown]
        if hidden:  # --goal/--focus left some inputs out: say so at the junction
            more = f"+{len(hidden)}"
            names = ", ".join(j.name(x) for x in hidden)
            w, h = label_box([more], WORK_SIZE, margin=(0.04, 0.02), min_size=(0.2, 0.2))
            target.node(
                f"{jid}_more",
                label=more,
                shape="box",
                style="rounded,dashed",
                color=MUTED,
                fontcolor=MUTED,
                fontsize=fmt(WORK_SIZE),
                width=fmt(w),
                height=fmt(h),
                penwidth="0.8",
                tooltip=esc_tooltip(f"not shown: {names}"),
                **{"class": "more"},
            )
            dot.edge(f"{jid}_more", meet, arrowhead="none", style="dotted", **{"class": "input"})
        out: dict[str, str] = {"color": INK, "penwidth": "1.5", "class": "output", "weight": "4"}
        if group_step:
            out["style"] = "dashed"
        work = work_lines(route.work, route.by) if route is not None else []
        if work:
            wid = f"{jid}_w"
            w, h = label_box(work, WORK_SIZE, margin=(0.04, 0.03), min_size=(0.2, 0.2))
            target.node(
                wid,
                label=label_lines(work),
                shape="box",
                style="filled",
                fillcolor="transparent",
                color="transparent",
                fontsize=fmt(WORK_SIZE),
                fontcolor=WORK_INK,
                width=fmt(w),
                height=fmt(h),
                penwidth="0",
                tooltip=esc_tooltip(" / ".join(work)),
                group=jid if cell is None else "",
                **{"class": "work"},
            )
            dot.edge(
                meet,
                wid,
                arrowhead="none",
                color=INK,
                penwidth="1.5",
                weight="8",
                **{"class": "output"},
            )
            dot.edge(wid, self.ids[key], **out)
        else:
            dot.edge(meet, self.ids[key], **out)

    def alternatives_node(self, target: _Graph, key: str) -> str | None:
        """One junction for all routes of a step with alternatives: a record whose cells
        ``3.a``, ``3.b``, … stack in that order (Graphviz keeps a record's fields in order,
        which it does not promise for separate nodes); each route's arrows meet at its
        cell. Returns the record's id, or None for a step with one route."""
        routes = self.routes.get(key, [])
        if len(routes) < 2:
            return None
        node = f"{self.ids[key]}_r"
        cells = [rid or "·" for _, rid, _, _ in routes]
        width = max(0.34, (max(text_width(c, STEP_SIZE) for c in cells) + 12) / 72)
        orphan = key not in self.j.graph.needed
        body = "|".join(f"<r{n}> {esc(c)}" for n, c in enumerate(cells))
        vertical = self.direction in ("LR", "RL")  # a record turns with rankdir
        target.node(
            node,
            label=body,
            shape="record",
            style="filled,rounded",
            fillcolor=ORPHAN if orphan else INK,
            fontcolor="white",
            color=ORPHAN if orphan else INK,
            fontsize=fmt(STEP_SIZE),
            width=fmt(width if vertical else width * len(cells)),
            height=fmt(0.3 * len(cells) if vertical else 0.3),
            penwidth="1",
            tooltip=esc_tooltip(" / ".join(f"step {c}" for c in cells)),
            **{"class": "junction alternatives"},
        )
        return node

    def checkpoint_list(self, dot: _Graph, panel: Panel) -> None:
        """The numbered steps of this panel beside it (same numbers as the junctions)."""
        here = set(panel.home)
        attrs = checkpoint_list_node(
            self.j,
            here,
            self.roles,
            self.direction,
            lang=self.lang,
            legend=panel.legend,
            legend_keys=self.shown,
            notes=[self.texts["incoming"]] if self.any_incoming else [],
        )
        if attrs is None:
            return
        name = "checkpoint_list" if panel.number == 1 else f"checkpoint_list_{panel.number}"
        dot.node(name, **attrs)
        # After everything: from each deliverable here that nothing here uses (goals, ...).
        g = self.j.graph
        for k in panel.home:
            if not any(u in here for u in g.g.successors(k)):
                dot.edge(self.ids[k], name, style="invis", weight="0")


def build_dot(j: Journey, options: DiagramOptions | None = None) -> str:
    """The diagram as DOT source text: one graph per panel (``dot`` lays out each graph of
    a file in turn), or one graph when part copies are off."""
    drawing = Drawing(j, options)
    return "".join(drawing.dot(p) for p in drawing.panels())


def imported_from(model: Model, key: str) -> str | None:
    """The imported file a deliverable is first named in, from the top-level file's
    folder (None: the model's own file)."""
    import posixpath

    file = model.deliverables[key].span.file
    if not file:
        return None
    folder = posixpath.dirname(model.path.replace("\\", "/"))
    return posixpath.relpath(file.replace("\\", "/"), folder or ".")


def _deliverable_attrs(
    j: Journey,
    key: str,
    roles: Roles,
    focus: str | None,
    prefix: str = "",
    origin: str | None = None,
) -> dict[str, str]:
    model = j.model
    g = j.graph
    d = model.deliverables[key]
    lines = wrap_label(prefix + d.name, NAME_WIDTH, NAME_SIZE) if d.name else [prefix]
    if origin is not None:
        lines.append(f"({origin})")
    w, h = label_box(lines, NAME_SIZE, margin=(0.13, 0.07))
    attrs: dict[str, str] = {
        "label": label_lines(lines),
        "width": fmt(w),
        "height": fmt(h),
        "tooltip": esc_tooltip(d.name),
    }
    produced = key in g.produced
    needed = key in g.needed
    if d.goal:
        attrs.update(
            fillcolor=GOAL_FILL,
            color=GOAL_LINE,
            penwidth="2.4",
            peripheries="2",
            style="rounded,filled,bold",
            fontsize=fmt(NAME_SIZE),
        )
    elif g.is_group(key):
        attrs.update(style="dashed,filled", fillcolor="white", color=INK, penwidth="1.4")
    elif produced and (key in roles.checkpoints or not needed):
        attrs.update(
            fillcolor=CHECKPOINT_FILL,
            color=CHECKPOINT_LINE,
            penwidth="2",
            style="rounded,filled,bold",
        )
    elif produced:  # needed on some routes only
        attrs.update(
            fillcolor="white", color=CHECKPOINT_LINE, penwidth="1.6", style="rounded,filled,dashed"
        )
    else:
        attrs.update(color=MUTED, fontcolor=PART_INK)
        if needed and key not in roles.mandatory:
            attrs.update(style="rounded,filled,dashed")
    if key in g.in_cycle:
        attrs.update(color=GAP, penwidth="2.4", style="rounded,filled,bold")
    elif not produced and not d.external and needed:
        attrs.update(
            fillcolor=GAP_FILL,
            color=GAP,
            fontcolor=INK,
            style="rounded,filled,dashed",
            penwidth="2",
        )
    elif not needed and model.goals:
        attrs.update(fillcolor=ORPHAN_FILL, color=ORPHAN, penwidth="2")
    if key == focus:
        attrs["penwidth"] = "3.2"
    attrs["class"] = node_class(j, key, roles) + (" focus" if key == focus else "")
    return attrs


def tooltip_lines(lines: list[str]) -> str:
    """Lines of user text as one DOT tooltip, each escaped, joined by DOT's ``\\n``
    (Graphviz writes it as a line break in the SVG's title)."""
    return "\\n".join(esc_tooltip(line) for line in lines)


def about_lines(d: Deliverable, lang: str) -> list[str]:
    """The deliverable's own attributes for its tooltip, one a line: ``owner: X``,
    ``KPI: a, b``, ``note: …`` (in the diagram's language)."""
    texts = LIST_TEXTS[lang]
    lines = []
    if d.owner:
        lines.append(f"{texts['owner']}: {d.owner}")
    if d.kpis:
        lines.append(f"{texts['kpi']}: {', '.join(d.kpis)}")
    if d.note:
        lines.append(f"{texts['note']}: {d.note}")
    return lines


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


def work_lines(work: str | None, by: tuple[str, ...]) -> list[str]:
    """The work (verbs) and, on their own line, the performers in parentheses (also the
    diff diagram's)."""
    lines: list[str] = []
    if work:
        lines += wrap_label(work, WORK_WIDTH, WORK_SIZE)
    if by:
        lines += wrap_label("(" + ", ".join(by) + ")", WORK_WIDTH, WORK_SIZE)
    return lines


def _phase_order(
    dot: _Graph,
    j: Journey,
    phases: list[Phase],
    shown: set[str],
    ids: dict[str, str],
    entry: dict[str, list[tuple[str, tuple[str, ...]]]],
) -> None:
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
        dot.node(
            anchor, shape="point", style="invis", width="0", height="0", fixedsize="true", label=""
        )
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
