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

import contextlib
from dataclasses import dataclass
from typing import Final

import graphviz

from prepmodel.journey.core import Journey
from prepmodel.model.core import Deliverable, Model, Phase, Route, identity
from prepmodel.model.responsibility import (
    PARTIES,
    declares_parties,
    handovers,
    owner_party,
    owners,
    role_party,
    roles_in_use,
)
from prepmodel.render.measure import label_box, text_width, wrap_label
from prepmodel.render.steplist import (
    LIST_TEXTS,
    Roles,
    checkpoint_list_node,
    checkpoint_roles,
    diagram_language,
    unneeded,
)
from prepmodel.render.style import (
    CHECKPOINT_FILL,
    CHECKPOINT_LINE,
    FONT,
    GAP,
    GAP_FILL,
    GOAL_FILL,
    GOAL_LINE,
    HANDOVER,
    INK,
    LANE_FILLS,
    MUTED,
    NAME_SIZE,
    NAME_WIDTH,
    ORPHAN,
    ORPHAN_FILL,
    OUT_OF_SCENARIO,
    OUT_OF_SCENARIO_FILL,
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
#: Inches between ranks. A work label in a rank wider than itself is moved back to this
#: gap from its junction after the layout (``worklabels.py``).
RANKSEP: Final = 0.32


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
    #: ``--when``: the chosen scenarios (identities). Routes outside them are drawn in a
    #: light grey (class ``out-of-scenario``), or left out with ``when_hide``; checkpoints
    #: are the scenario's; step numbers stay those of the whole model.
    when: frozenset[str] | None = None
    when_hide: bool = False
    #: ``party`` or ``role``: lanes as in a service blueprint (customer above, partner
    #: between, vendor below, unowned last), each deliverable in the lane of its owner's
    #: party (or owner role); one layout, no phase bands. None: no lanes.
    lanes: str | None = None
    #: Under the name of a deliverable first named in an imported file, that file (its
    #: path from the top-level file's folder), in parentheses; also in its tooltip.
    show_files: bool = False


# --------------------------------------------------------------------------- DOT writing


_PLAIN: Final = 0  # a name (graphviz.quoting.quote)
_EDGE: Final = 1  # an edge's end, node:port (graphviz.quoting.quote_edge)
_TEXT: Final = 2  # a value, never an HTML label (quote of a graphviz.nohtml)
_QUOTED: dict[tuple[str, int], str] = {}


def _quoted(text: str, kind: int) -> str:
    """``text`` quoted as the ``graphviz`` package quotes it, remembered."""
    key = (text, kind)
    out = _QUOTED.get(key)
    if out is None:
        if len(_QUOTED) > 100_000:
            _QUOTED.clear()
        if kind == _EDGE:
            out = graphviz.quoting.quote_edge(text)
        else:
            out = graphviz.quoting.quote(graphviz.nohtml(text) if kind == _TEXT else text)
        _QUOTED[key] = out
    return out


def _attr_list(attrs: dict[str, str]) -> str:
    """`` [k=v ...]`` as ``graphviz`` writes the attributes of a node or an edge: the
    label first (its own parameter there), the others sorted by name, every value as
    ``nohtml``; "" for none."""
    items = [(k, v) for k, v in sorted(attrs.items()) if v is not None and k != "label"]
    label = attrs.get("label")
    if label is not None:
        items.insert(0, ("label", label))
    content = " ".join(f"{_quoted(k, _PLAIN)}={_quoted(v, _TEXT)}" for k, v in items)
    return f" [{content}]" if content else ""


class _Graph:
    """DOT through the `graphviz` package. Every value is passed as ``nohtml``: we never
    use HTML labels (the embedded Graphviz has none), and a name like ``<draft>`` must stay
    text. Statements keep their insertion order, so the same model gives the same DOT."""

    def __init__(self, name: str) -> None:
        self.g = graphviz.Digraph(name)
        self.names: list[str] = []  # nodes, in order (lanes place them: Drawing.lane_layout)
        self.sizes: dict[str, tuple[float, float]] = {}  # node -> width, height (inches)
        self.edges: list[tuple[str, str]] = []  # (tail, head) without ports

    @staticmethod
    def _plain(attrs: dict[str, str]) -> dict[str, str]:
        return {k: graphviz.nohtml(v) for k, v in attrs.items()}

    def attr(self, kind: str | None = None, **attrs: str) -> None:
        self.g.attr(kind, **self._plain(attrs))

    def node(self, name: str, **attrs: str) -> None:
        self.names.append(name)
        with contextlib.suppress(KeyError, ValueError):  # no size: lane_layout assumes one
            self.sizes[name] = (float(attrs["width"]), float(attrs["height"]))
        # the line `self.g.node(name, **self._plain(attrs))` writes, with the quoting of
        # each name and value done once per build (the same few values come back often)
        self.g.body.append(f"\t{_quoted(name, _PLAIN)}{_attr_list(attrs)}\n")

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        self.edges.append((tail.split(":")[0], head.split(":")[0]))
        # the line `self.g.edge(tail, head, **self._plain(attrs))` writes
        tail, head = _quoted(tail, _EDGE), _quoted(head, _EDGE)
        self.g.body.append(f"\t{tail} -> {head}{_attr_list(attrs)}\n")

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
    if j.model.goals and unneeded(j, key):
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
        # --when: the scenario's routes (index -> the inputs it has there) and what its
        # goals need; everything else is out of the scenario
        self.scenario: tuple[str, ...] = ()
        self.scene_routes: dict[int, tuple[str, ...]] | None = None
        self.scene_needed: frozenset[str] = frozenset()
        roles_of = j
        if options.when:
            scene = j.in_scenario(options.when)
            self.scenario = scene.chosen
            self.scene_routes = {r.index: r.inputs for r in scene.model.routes}
            self.scene_needed = scene.graph.needed
            roles_of = scene
            if options.when_hide:
                self.keys = [k for k in self.keys if not self.out_of_scenario(k)]
        self.shown = set(self.keys)
        self.ids = {k: f"d{i}" for i, k in enumerate(model.deliverables)}
        self.roles = checkpoint_roles(roles_of, options.goal)
        self.loops = _loops(j)
        self.lang = options.lang or diagram_language(j)
        self.phase_number = {p.index: n for n, p in enumerate(model.phases, start=1)}
        self.copies = options.part_copies and options.lanes is None
        # responsibility (contract §10): hand-over edges, modes and owners are drawn when
        # some role has a party; lanes when asked for
        self.parties = declares_parties(model)
        self.handover = {(h.source, h.target) for h in handovers(model)}
        self.any_handover = False  # set while drawing: the legend then explains them
        self.lane_of: dict[str, int] = {}
        self.lanes: list[str] = []
        if options.lanes is not None:
            self.lanes, self.lane_of = _lanes(j, self.keys, options.lanes, self.lang)
            self.direction = "LR"  # time left to right, lanes stacked top to bottom
        # Every way to make each shown deliverable: (junction id, route id, inputs, route).
        self.routes: dict[str, list[tuple[str, str, tuple[str, ...], Route | None]]] = {}
        uses: dict[str, int] = {}
        self.copy_id: dict[tuple[str, str], str] = {}  # (input, junction) -> copy node id
        for key in self.keys:
            step = j.step_of.get(key)
            alts = []
            for n, (rid, inputs, route) in enumerate(self.alternatives(key, step)):
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
        shown_routes = [r for alts in self.routes.values() for _, _, _, r in alts if r]
        self.any_optional = any(x in self.shown for r in shown_routes for x in r.optional)
        self.any_greyed = (
            self.scene_routes is not None
            and not options.when_hide
            and any(self.route_out(r, k) for k, alts in self.routes.items() for _, _, _, r in alts)
        )

    # --- scenarios (--when) ------------------------------------------------------------
    def out_of_scenario(self, key: str) -> bool:
        """A deliverable some goal needs in the whole model but not in the scenario."""
        return (
            self.scene_routes is not None
            and key in self.j.graph.needed
            and key not in self.scene_needed
        )

    def route_out(self, route: Route | None, key: str) -> bool:
        """A route (or a group's statement, ``route`` None) outside the scenario."""
        if self.scene_routes is None:
            return False
        if route is None:
            return self.out_of_scenario(key)
        return route.index not in self.scene_routes

    def alternatives(
        self, key: str, step: int | None
    ) -> list[tuple[str, tuple[str, ...], Route | None]]:
        """The ways to make ``key`` that are drawn: with ``--when-hide``, only the
        scenario's routes, with the inputs they have there."""
        alts = _alternatives(self.j, key, step)
        if self.scene_routes is None or not self.options.when_hide:
            return alts
        scene = self.scene_routes
        return [
            (rid, inputs if route is None else scene[route.index], route)
            for rid, inputs, route in alts
            if not self.route_out(route, key)
        ]

    @property
    def title(self) -> str:
        """The picture's title: the model's, and the scenario shown (``--when``)."""
        title = self.j.model.title or ""
        if not self.scenario:
            return title
        shown = self.texts["scenario"].format(names=", ".join(self.scenario))
        return f"{title} — {shown}" if title else shown

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
            ranksep=fmt(RANKSEP),
            fontname=FONT,
            fontsize=fmt(TITLE_SIZE),
            fontcolor=INK,
            bgcolor="white",
            pad="0.25",
            labelloc="t",
            outputorder="edgesfirst",
            label=esc(self.title) if single else "",
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
        if self.lanes:  # lanes take the place of the phase bands
            phases = []
        lanes = self.lane_clusters()
        clusters = {
            p.index: _band(
                f"cluster_phase{p.index}",
                self.phase_label(p) if single else panel.title,
                style="rounded,filled",
                fill=PHASE_FILLS[p.index % len(PHASE_FILLS)],
                margin="12",
                kind="phase",
            )
            for p in phases
        }
        phase_index = {p.name: p.index for p in phases}

        def home(key: str) -> _Graph:
            if lanes:
                return lanes[self.lane_of[key]]
            phase = j.phase_of.get(key)
            index = phase_index.get(phase) if phase is not None else None
            return clusters[index] if index is not None else dot

        for key in panel.home:
            home(key).node(self.ids[key], **self.deliverable_attrs(key))
        incoming: dict[str, str] = {}
        for key in panel.home:
            stack = self.alternatives_node(home(key), key)
            for n, (jid, rid, inputs, route) in enumerate(self.routes.get(key, [])):
                grey = self.route_out(route, key)
                sources = {
                    x: self.source(x, jid, here, incoming, home(key), grey)
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
        if lanes:  # the step list first: the lane layout places it too
            if self.options.checkpoint_list and j.steps:
                self.checkpoint_list(dot, panel)
            self.lane_layout(dot, lanes)
            for lane in lanes:
                dot.subgraph(lane)
        elif self.options.checkpoint_list and j.steps:
            self.checkpoint_list(dot, panel)
        return dot.source()

    def lane_clusters(self) -> list[_Graph]:
        """One labelled cluster per lane (class ``lane``); :meth:`lane_layout` stacks them in
        order and spans each over the whole width."""
        out = []
        for n, label in enumerate(self.lanes):
            party = self.options.lanes == "party"
            fill = LANE_FILLS[min(n, len(LANE_FILLS) - 1)] if party else LANE_FILLS[n % 3]
            lane = _band(
                f"cluster_lane{n}", label, style="filled", fill=fill, margin="10", kind="lane"
            )
            out.append(lane)
        return out

    def lane_layout(self, dot: _Graph, lanes: list[_Graph]) -> None:
        """A service blueprint with positions computed here: time left to right, lanes
        stacked in their order, each a band over the whole width; Graphviz only draws
        the lines between the given positions (``layout=nop2``, ``splines=true``).

        Columns: every node's column is the longest path to it over the lines drawn (a
        line back into a loop left out), so nothing stands left of what it is made from,
        in any lane. Rows: inside its lane a node takes the row of the nodes it comes
        from in that lane (the nearest free row), so a step's junction, work and output
        stand on one line. Lane order and time order hold by construction."""
        members = {name: n for n, lane in enumerate(lanes) for name in lane.names}
        sizes = {name: size for lane in lanes for name, size in lane.sizes.items()}
        succ: dict[str, list[str]] = {name: [] for name in members}
        pred: dict[str, list[str]] = {name: [] for name in members}
        for tail, head in dot.edges:
            if tail in members and head in members and head not in succ[tail]:
                succ[tail].append(head)
        # depth-first order; an edge back to a node on the path closes a loop: left out
        order: list[str] = []
        state: dict[str, int] = {}
        back: set[tuple[str, str]] = set()
        for root in members:
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(succ[root]))]
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = 2
                    order.append(node)
                    stack.pop()
                elif state.get(nxt) == 1:
                    back.add((node, nxt))
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(succ[nxt])))
        column = dict.fromkeys(members, 0)
        topo = list(reversed(order))  # a topological order of the lines kept
        for node in topo:
            for head in succ[node]:
                if (node, head) not in back:
                    column[head] = max(column[head], column[node] + 1)
                    pred[head].append(node)
        columns = max(column.values(), default=0) + 1
        # rows inside each lane, column by column
        row: dict[str, int] = {}
        taken: set[tuple[int, int, int]] = set()  # (lane, column, row)
        for c in range(columns):
            here = sorted((m for m in members if column[m] == c), key=lambda m: members[m])
            wants: list[tuple[float, int, str]] = []
            for i, m in enumerate(here):
                same = [row[p] for p in pred[m] if members[p] == members[m] and p in row]
                first = sum(1 for o in here[:i] if members[o] == members[m])
                wants.append((sum(same) / len(same) if same else float(first), i, m))
            for want, _, m in sorted(wants):
                band, r = members[m], max(0, round(want))
                for step in range(len(members) + 1):  # the nearest free row
                    if (band, c, r + step) not in taken:
                        r += step
                        break
                    if r - step >= 0 and (band, c, r - step) not in taken:
                        r -= step
                        break
                taken.add((band, c, r))
                row[m] = r
        # sizes in points
        width = [0.0] * columns
        for m in members:
            width[column[m]] = max(width[column[m]], sizes.get(m, (0.75, 0.5))[0] * 72)
        gap, margin = 30.0, 12.0
        x = [0.0] * columns
        left = margin + 8
        for c in range(columns):
            x[c] = left + width[c] / 2
            left += width[c] + gap
        right = left - gap + margin
        row_height = [
            max((sizes.get(m, (0.75, 0.5))[1] * 72 for m in lane.names), default=36) + 22
            for lane in lanes
        ]
        rows = [1 + max((row[m] for m in lane.names), default=-1) for lane in lanes]
        label = PHASE_SIZE + 12
        heights = [label + rows[n] * row_height[n] + margin for n in range(len(lanes))]
        heights[-1] += 2 * margin  # room for lines that bend round the lowest boxes
        listed = next((m for m in dot.names if m.startswith("checkpoint_list")), None)
        list_w, list_h = dot.sizes.get(listed, (0.0, 0.0)) if listed else (0.0, 0.0)
        lanes_h = sum(heights) + 6 * (len(lanes) - 1)
        total_h = max(lanes_h, list_h * 72)
        title = TITLE_SIZE + 16 if self.title else 0
        top = total_h
        for n, lane in enumerate(lanes):
            bottom = top - heights[n]
            lane.attr(
                bb=f"0,{fmt(bottom)},{fmt(right)},{fmt(top)}",
                lp=f"{fmt(8 + text_width(self.lanes[n], PHASE_SIZE) / 2)},{fmt(top - 10)}",
            )
            for m in dict.fromkeys(lane.names):
                y = top - label - (row[m] + 0.5) * row_height[n]
                lane.node(m, pos=f"{fmt(x[column[m]])},{fmt(y)}")
            top = bottom - 6
        width_all = right
        if listed:
            list_x = right + gap + list_w * 72 / 2
            dot.node(listed, pos=f"{fmt(list_x)},{fmt(total_h - list_h * 72 / 2)}")
            width_all = right + gap + list_w * 72
        dot.attr(
            layout="nop2",
            splines="true",
            bb=f"0,0,{fmt(width_all)},{fmt(total_h + title)}",
            lp=f"{fmt(width_all / 2)},{fmt(total_h + title / 2)}",
        )

    def source(
        self,
        x: str,
        jid: str,
        here: set[str],
        incoming: dict[str, str],
        target: _Graph,
        grey: bool = False,
    ) -> str:
        """The node an input arrow starts from: the deliverable itself when it is drawn in
        this panel, else a copy (a part at its point of use, or a deliverable made in an
        earlier band, drawn once per panel as an incoming part). A part's copy at a route
        outside the scenario (``grey``) is greyed with it."""
        if x in here:
            return self.ids[x]
        if self.copied(x):
            node = self.copy_id[(x, jid)]
            attrs = self.deliverable_attrs(x)
            attrs["class"] += " copy"
            if grey and "out-of-scenario" not in attrs["class"]:  # a part of a greyed route
                attrs.update(
                    color=OUT_OF_SCENARIO, fontcolor=OUT_OF_SCENARIO, fillcolor=OUT_OF_SCENARIO_FILL
                )
                attrs["class"] += " out-of-scenario"
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
        own = owners(self.j.model, key) if self.parties or self.lanes else ()
        owner = f"〔{', '.join(own)}〕" if own else None
        origin = imported_from(self.j.model, key) if self.options.show_files else None
        attrs = _deliverable_attrs(
            self.j, key, self.roles, self.options.focus, prefix, owner, origin
        )
        about = about_lines(self.j.model.deliverables[key], self.lang)
        if origin is not None:
            about.append(f"{LIST_TEXTS[self.lang]['file']}: {origin}")
        if about:
            attrs["tooltip"] = tooltip_lines([self.j.name(key), *about])
        if self.out_of_scenario(key):
            attrs.update(
                color=OUT_OF_SCENARIO, fontcolor=OUT_OF_SCENARIO, fillcolor=OUT_OF_SCENARIO_FILL
            )
            attrs["class"] += " out-of-scenario"
        return attrs

    def endpoint(self, key: str, n: int) -> str:
        """Where the arrows of route ``n`` of ``key`` meet: its junction, or its cell of the
        step's record (:meth:`alternatives_node`)."""
        if self.stacked(key):
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
        group_step = route is None
        out_of_scene = self.route_out(route, key)
        ink = OUT_OF_SCENARIO if out_of_scene else INK
        scene_class = " out-of-scenario" if out_of_scene else ""
        if cell is None:
            orphan = not rid and unneeded(j, key)
            width = max(0.3, (text_width(rid, STEP_SIZE) + 9) / 72)
            fill = "white" if group_step else (ORPHAN if orphan else ink)
            target.node(
                jid,
                label=esc(rid),
                shape="circle" if len(rid) < 3 else "box",
                style="filled,rounded",
                fillcolor=fill,
                fontcolor=ink if group_step else "white",
                color=ink if not orphan else ORPHAN,
                fontsize=fmt(STEP_SIZE),
                width=fmt(width),
                height="0.3",
                penwidth="1",
                tooltip=esc_tooltip(f"step {rid}" if rid else "route (no goal needs it)"),
                group=jid,
                **{
                    "class": ("junction group-junction" if group_step else "junction") + scene_class
                },
            )
        meet = cell or jid
        loop = self.loops.get(key)
        scene_inputs = (
            self.scene_routes.get(route.index, ())
            if route is not None and self.scene_routes is not None
            else None
        )
        for x in inputs:
            if x not in sources:
                continue
            optional = route is not None and x in route.optional
            attrs = {
                "arrowhead": "none",
                "style": "dashed" if group_step or optional else "solid",
                "class": "input optional" if optional else "input",
            }
            if loop is not None and self.loops.get(x) == loop:
                attrs.update(color=GAP, penwidth="1.8", **{"class": attrs["class"] + " cycle"})
            elif (x, key) in self.handover:
                # a hand-over: a purple line with a diamond where the deliverable leaves
                attrs.update(
                    color=HANDOVER,
                    penwidth="2.2",
                    dir="both",
                    arrowtail="diamond",
                    **{"class": attrs["class"] + " handover"},
                )
                self.any_handover = True
            if out_of_scene or (scene_inputs is not None and x not in scene_inputs):
                # the route, or this optional input of it, is not in the scenario
                attrs.update(
                    color=OUT_OF_SCENARIO, **{"class": attrs["class"] + " out-of-scenario"}
                )
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
        out: dict[str, str] = {
            "color": ink,
            "penwidth": "1.5",
            "class": "output" + scene_class,
            "weight": "4",
        }
        if group_step:
            out["style"] = "dashed"
        mode = j.parties.route_mode(route) if route is not None and self.parties else None
        mode_text = self.texts[mode] if mode is not None else None
        work = work_lines(route.work, route.by, mode_text) if route is not None else []
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
                fontcolor=OUT_OF_SCENARIO if out_of_scene else WORK_INK,
                width=fmt(w),
                height=fmt(h),
                penwidth="0",
                tooltip=esc_tooltip(" / ".join(work)),
                group=jid if cell is None else "",
                **{"class": "work" + scene_class},
            )
            dot.edge(
                meet,
                wid,
                arrowhead="none",
                color=ink,
                penwidth="1.5",
                weight="8",
                **{"class": "output" + scene_class},
            )
            dot.edge(wid, self.ids[key], **out)
        else:
            dot.edge(meet, self.ids[key], **out)

    def stacked(self, key: str) -> bool:
        """Whether the routes of ``key`` meet at one record (:meth:`alternatives_node`):
        two routes or more, unless some are greyed out of the scenario (a record cannot
        colour one cell): then each route has a junction of its own."""
        routes = self.routes.get(key, [])
        return len(routes) > 1 and not any(self.route_out(r, key) for _, _, _, r in routes)

    def alternatives_node(self, target: _Graph, key: str) -> str | None:
        """One junction for all routes of a step with alternatives: a record whose cells
        ``3.a``, ``3.b``, … stack in that order (Graphviz keeps a record's fields in order,
        which it does not promise for separate nodes); each route's arrows meet at its
        cell. Returns the record's id, or None for a step with one route."""
        routes = self.routes.get(key, [])
        if not self.stacked(key):
            return None
        node = f"{self.ids[key]}_r"
        cells = [rid or "·" for _, rid, _, _ in routes]
        width = max(0.34, (max(text_width(c, STEP_SIZE) for c in cells) + 12) / 72)
        orphan = unneeded(self.j, key)
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
            notes=self.legend_notes(),
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

    def legend_notes(self) -> list[str]:
        """The legend lines about what only some pictures draw (after the usual marks)."""
        notes: list[str] = []
        if self.any_optional:
            notes.append(self.texts["optional"])
        if self.any_greyed:
            notes.append(self.texts["out_of_scenario"].format(names=", ".join(self.scenario)))
        if self.any_incoming:
            notes.append(self.texts["incoming"])
        if self.any_handover:
            notes.append(self.texts["handover"])
        return notes


def _band(name: str, label: str, *, style: str, fill: str, margin: str, kind: str) -> _Graph:
    """A labelled cluster across the picture: a phase band or a lane (class ``kind``)."""
    band = _Graph(name)
    band.attr(
        label=esc(label),
        style=style,
        fillcolor=fill,
        color=PHASE_LINE,
        fontsize=fmt(PHASE_SIZE),
        fontcolor=PHASE_INK,
        labeljust="l",
        labelloc="t",
        penwidth="1",
        margin=margin,
        **{"class": kind},
    )
    return band


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
    owner: str | None = None,
    origin: str | None = None,
) -> dict[str, str]:
    model = j.model
    g = j.graph
    d = model.deliverables[key]
    lines = wrap_label(prefix + d.name, NAME_WIDTH, NAME_SIZE) if d.name else [prefix]
    if owner:  # its own line under the name (the same font: labels are plain text)
        lines += wrap_label(owner, NAME_WIDTH, NAME_SIZE)
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
    elif model.goals and unneeded(j, key):
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


def work_lines(work: str | None, by: tuple[str, ...], mode: str | None = None) -> list[str]:
    """The work (verbs) and, on their own line, the performers in parentheses (also the
    diff diagram's); the support mode (自走/伴走/代走), when known, on the work's line."""
    lines: list[str] = []
    if work:
        lines += wrap_label(f"{work} · {mode}" if mode else work, WORK_WIDTH, WORK_SIZE)
    elif mode:
        lines.append(mode)
    if by:
        lines += wrap_label("(" + ", ".join(by) + ")", WORK_WIDTH, WORK_SIZE)
    return lines


def _lanes(j: Journey, keys: list[str], kind: str, lang: str) -> tuple[list[str], dict[str, int]]:
    """The lanes of ``--lanes party|role`` (labels, top to bottom) and each shown
    deliverable's lane. ``party``: customer, partner, vendor, then unowned (owners whose
    party is unknown count as unowned); ``role``: one lane per first owner role, grouped
    by party in that order, then unowned. Only lanes that hold something are drawn."""
    model = j.model
    texts = LIST_TEXTS[lang]
    none = texts["lane_none"]
    wanted: dict[str, str] = {}  # key -> lane label
    if kind == "role":
        rank = {p: i for i, p in enumerate(PARTIES)}
        known = roles_in_use(model)

        def place(r: str) -> tuple[int, int]:
            party = role_party(model, r)
            return (rank[party] if party is not None else len(PARTIES), known.index(r))

        order = sorted(known, key=place)
        for k in keys:
            own = owners(model, k)
            wanted[k] = own[0] if own else none
        names = {identity(r): r for r in order}
        labels = [names[identity(r)] for r in order]
        for k, v in wanted.items():
            if v != none:
                wanted[k] = names.get(identity(v), v)
    else:
        labels = [texts[p] for p in PARTIES]
        for k in keys:
            party = owner_party(model, k)
            wanted[k] = texts[party] if party is not None else none
    used = set(wanted.values())
    lanes = [label for label in [*labels, none] if label in used]
    index = {label: n for n, label in enumerate(lanes)}
    return lanes, {k: index[v] for k, v in wanted.items()}


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
