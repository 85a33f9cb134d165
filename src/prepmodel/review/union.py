"""The union of two models as the diff diagram draws it (``review/diff_dot.py``).

Every deliverable of either side is a node (``new:KEY`` for the new model's deliverables,
``old:KEY`` for removed ones); every way to make a deliverable is a **route** whose
junction the input arrows meet, as in the assembly diagram. Routes of one deliverable are
paired old to new the way the text diff pairs them (``diff.pair_routes``), so a route that
only gained an input is one *changed* junction with one green arrow, while a new
alternative route is a green junction of its own. Phases are the new model's, then the
old model's phases that are gone. Everything is in a fixed order: same pair of files, same
view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from prepmodel.checks.analysis import Analysis
from prepmodel.model.core import Route, identity
from prepmodel.review.diff import ModelDiff, kind_of, pair_routes, route_ids

__all__ = ["UnionEdge", "UnionNode", "UnionPhase", "UnionRoute", "UnionView", "union_view"]


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
    phase: int | None = None  # index into UnionView.phases


@dataclass(frozen=True)
class UnionEdge:
    """From an input (or group member) to what it makes; ``status``: same/added/removed."""

    source: str
    target: str
    status: str


@dataclass(frozen=True)
class UnionRoute:
    """One way to make ``output``: its junction and the arrows into it.

    ``status``: ``same``; ``changed`` (paired with an old route, but inputs, work or
    performers differ); ``added`` (a new route, an alternative when the output has
    others); ``removed`` (an old route no new route took over). ``label`` is the route id
    in the new numbering (the old one for a removed route). ``inputs`` are (node id,
    status) with status same/added/removed. ``group``: the members of a group, not a route.
    """

    id: str
    output: str
    label: str
    status: str
    inputs: tuple[tuple[str, str], ...]
    work: str | None
    by: tuple[str, ...]
    group: bool = False
    old_label: str | None = None
    #: The inputs (node ids) drawn as optional (``[X]``): the new route's, and the old
    #: route's for inputs it lost; an input that became optional or required again has
    #: status ``changed``.
    optional: frozenset[str] = frozenset()


@dataclass(frozen=True)
class UnionPhase:
    """A phase band: ``status`` same (in both), added or removed (by identity)."""

    name: str
    status: str


@dataclass(frozen=True)
class UnionView:
    nodes: tuple[UnionNode, ...]
    edges: tuple[UnionEdge, ...]
    routes: tuple[UnionRoute, ...] = ()
    phases: tuple[UnionPhase, ...] = ()


def _edges(a: Analysis) -> set[tuple[str, str]]:
    out = {(i, r.output) for r in a.model.routes for i in r.inputs}
    out |= {(m, g.key) for g in a.model.groups.values() for m in g.members}
    return out


def _phases(d: ModelDiff) -> tuple[list[UnionPhase], dict[str, int], dict[str, int]]:
    """The bands, and the band index of each new key and of each removed old key."""
    new_names = [identity(p.name) for p in d.new.model.phases]
    old_names = [identity(p.name) for p in d.old.model.phases]
    phases: list[UnionPhase] = []
    index: dict[str, int] = {}
    for p, key in zip(d.new.model.phases, new_names, strict=True):
        if key not in index:
            index[key] = len(phases)
            phases.append(UnionPhase(p.name, "same" if key in old_names else "added"))
    for p, key in zip(d.old.model.phases, old_names, strict=True):
        if key not in index:
            index[key] = len(phases)
            phases.append(UnionPhase(p.name, "removed"))
    new_of = {
        k: index[identity(name)] for k, name in d.new.journey.phase_of.items() if name is not None
    }
    old_of = {
        k: index[identity(name)] for k, name in d.old.journey.phase_of.items() if name is not None
    }
    return phases, new_of, old_of


def _band(
    k: str,
    o: str | None,
    new_phase: dict[str, int],
    old_phase: dict[str, int],
    phases: list[UnionPhase],
) -> int | None:
    """The band of a new deliverable: its phase; or, when it has none now and its phase
    is gone, the removed band it was in (so a removed phase shows what it held)."""
    if k in new_phase:
        return new_phase[k]
    was = old_phase.get(o) if o is not None else None
    return was if was is not None and phases[was].status == "removed" else None


def union_view(d: ModelDiff) -> UnionView:
    """Both models in one graph: new deliverables (``new:KEY``) plus removed ones
    (``old:KEY``), every edge of either side marked same, added or removed, every route a
    junction, and the phase bands."""
    changed = {c.key: c for c in d.changed}
    renamed = {r.new_key: r for r in d.renamed}
    added = set(d.added)
    phases, new_phase, old_phase = _phases(d)
    back = {n: o for o, n in d.mapping.items()}
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
                phase=_band(k, back.get(k), new_phase, old_phase, phases),
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
                phase=old_phase.get(k),
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
    return UnionView(tuple(nodes), tuple(edges), tuple(_routes(d, node)), tuple(phases))


class _RouteMaker:
    def __init__(self, d: ModelDiff) -> None:
        self.d = d
        self.new_ids = route_ids(d.new.journey)
        self.old_ids = route_ids(d.old.journey)
        self.out: list[UnionRoute] = []

    def add(
        self,
        output: str,
        label: str,
        status: str,
        inputs: list[tuple[str, str]],
        route: Route | None,
        old_label: str | None = None,
        optional: frozenset[str] = frozenset(),
    ) -> None:
        self.out.append(
            UnionRoute(
                id=f"r{len(self.out)}",
                output=output,
                label=label,
                status=status,
                inputs=tuple(inputs),
                work=route.work if route is not None else None,
                by=tuple(route.by) if route is not None else (),
                group=route is None,
                old_label=old_label,
                optional=optional,
            )
        )


def _routes(d: ModelDiff, node: Callable[[str], str]) -> list[UnionRoute]:
    """Every route of either side, paired old to new per deliverable, in the order of the
    new file (then the removed deliverables' routes in the order of the old file)."""
    make = _RouteMaker(d)
    back = {n: o for o, n in d.mapping.items()}
    old_by, new_by = d.old.graph.routes_by_output, d.new.graph.routes_by_output
    for k in d.new.model.deliverables:
        out = f"new:{k}"
        o = back.get(k)
        new_routes = list(new_by.get(k, []))
        old_routes = list(old_by.get(o, [])) if o is not None else []
        new_sets = [frozenset(f"new:{x}" for x in r.inputs) for r in new_routes]
        old_sets = [frozenset(node(x) for x in r.inputs) for r in old_routes]
        pairs = {j: i for i, j in pair_routes(old_sets, new_sets, old_routes, new_routes)}
        for j, r in enumerate(new_routes):
            label = make.new_ids.get(r.index, "")
            i = pairs.get(j)
            new_opt = frozenset(f"new:{x}" for x in r.optional)
            if i is None:
                inputs = [(f"new:{x}", "added") for x in r.inputs]
                make.add(out, label, "added", inputs, r, optional=new_opt)
                continue
            old_r = old_routes[i]
            old_opt = frozenset(node(x) for x in old_r.optional)
            inputs = [
                (f"new:{x}", _input_status(f"new:{x}", old_sets[i], old_opt, new_opt))
                for x in r.inputs
            ]
            lost = [node(x) for x in old_r.inputs if node(x) not in new_sets[j]]
            inputs += [(x, "removed") for x in lost]
            same = old_sets[i] == new_sets[j] and old_opt == new_opt and old_r.attrs == r.attrs
            optional = new_opt | (old_opt & frozenset(lost))
            make.add(out, label, "same" if same else "changed", inputs, r, optional=optional)
        for i, old_r in enumerate(old_routes):
            if i not in pairs.values():
                rid = make.old_ids.get(old_r.index, "")
                inputs = [(node(x), "removed") for x in old_r.inputs]
                old_opt = frozenset(node(x) for x in old_r.optional)
                make.add(out, rid, "removed", inputs, old_r, optional=old_opt)
        _group(d, make, k, o, node)
    for o in d.old.model.deliverables:
        if o in d.mapping:
            continue
        for old_r in old_by.get(o, []):
            rid = make.old_ids.get(old_r.index, "")
            inputs = [(node(x), "removed") for x in old_r.inputs]
            old_opt = frozenset(node(x) for x in old_r.optional)
            make.add(f"old:{o}", rid, "removed", inputs, old_r, optional=old_opt)
        grp = d.old.model.groups.get(o)
        if grp is not None:
            inputs = [(node(x), "removed") for x in grp.members]
            make.add(f"old:{o}", _step_label(d.old, o), "removed", inputs, None)
    return make.out


def _input_status(
    x: str, old_inputs: frozenset[str], old_opt: frozenset[str], new_opt: frozenset[str]
) -> str:
    """same, added, or changed (the input became optional, or required again)."""
    if x not in old_inputs:
        return "added"
    return "changed" if (x in old_opt) != (x in new_opt) else "same"


def _step_label(a: Analysis, key: str) -> str:
    step = a.journey.step_of.get(key)
    return str(step) if step is not None else ""


def _group(
    d: ModelDiff, make: _RouteMaker, k: str, o: str | None, node: Callable[[str], str]
) -> None:
    """The members of group ``k`` (new key; ``o`` its old key) as one junction."""
    new_g = d.new.model.groups.get(k)
    old_g = d.old.model.groups.get(o) if o is not None else None
    if new_g is None and old_g is None:
        return
    out = f"new:{k}"
    new_members = [f"new:{x}" for x in new_g.members] if new_g is not None else []
    old_members = [node(x) for x in old_g.members] if old_g is not None else []
    if new_g is None:
        inputs = [(x, "removed") for x in old_members]
        make.add(out, _step_label(d.old, o or ""), "removed", inputs, None)
        return
    inputs = [(x, "same" if x in old_members else "added") for x in new_members]
    inputs += [(x, "removed") for x in old_members if x not in new_members]
    if old_g is None:
        status = "added"
    else:
        status = "same" if set(old_members) == set(new_members) else "changed"
    make.add(out, _step_label(d.new, k), status, inputs, None)
