"""The requirement graph of a model and the queries every later stage shares.

Nodes are deliverable keys. An edge runs from each input of a route to its output, and
from each member of a group to the group. Built once per model (``ModelGraph.of``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from functools import cached_property
from typing import Any, NamedTuple

import networkx as nx

from prepmodel.model.core import Model, Route
from prepmodel.text.span import Span


class Compact(NamedTuple):
    """The graph with ints for nodes: the passes over a big model's journey (step order,
    phase keys, depths, mandatory sets) read lists by position instead of NetworkX's dict
    of dicts, whose scattered look-ups were most of their time (issue #18)."""

    keys: list[str]  # id -> node, in NetworkX's node order
    ids: dict[str, int]  # node -> id
    pred: list[list[int]]  # id -> the ids of its predecessors, each once
    succ: list[list[int]]  # id -> the ids of its successors, each once


class ModelGraph:
    """A model with its NetworkX graph and cached structural queries."""

    def __init__(self, model: Model) -> None:
        self.model = model
        g: Any = nx.DiGraph()
        g.add_nodes_from(model.deliverables)
        # One call for all edges: NetworkX's per-call overhead was most of the build.
        g.add_edges_from(
            [(i, r.output) for r in model.routes for i in r.inputs]
            + [(m, grp.key) for grp in model.groups.values() for m in grp.members]
        )
        self.g = g
        self.routes_by_output: dict[str, list[Route]] = {}
        for r in model.routes:
            self.routes_by_output.setdefault(r.output, []).append(r)

    @cached_property
    def compact(self) -> Compact:
        """The graph with ints for nodes (:class:`Compact`), made once, when first asked."""
        keys = list(self.g._pred)
        ids = {k: i for i, k in enumerate(keys)}
        get = ids.__getitem__
        pred = [list(map(get, p)) for p in self.g._pred.values()]
        succ: list[list[int]] = [[] for _ in keys]
        for i, p in enumerate(pred):
            for j in p:
                succ[j].append(i)
        return Compact(keys, ids, pred, succ)

    # --- kinds -------------------------------------------------------------------------
    @cached_property
    def produced(self) -> frozenset[str]:
        """Deliverables with at least one route, and groups."""
        return frozenset(self.routes_by_output) | frozenset(self.model.groups)

    def is_group(self, key: str) -> bool:
        return key in self.model.groups and key not in self.routes_by_output

    def requirements(self, key: str) -> list[tuple[str, ...]]:
        """The alternatives that make ``key``: one tuple of inputs per route, or the members."""
        if self.is_group(key):
            return [self.model.groups[key].members]
        return [r.inputs for r in self.routes_by_output.get(key, [])]

    def required(self, key: str) -> list[tuple[str, ...]]:
        """Like :meth:`requirements`, without the optional inputs (``[X]``, contract §9):
        what each alternative really asks for."""
        if self.is_group(key):
            return [self.model.groups[key].members]
        return [r.required for r in self.routes_by_output.get(key, [])]

    def inputs(self, key: str) -> list[str]:
        """Everything ``key`` may need directly (inputs of all routes, or members)."""
        return list(self.g.predecessors(key))

    # --- reachability ------------------------------------------------------------------
    def needed_by(self, goal: str) -> set[str]:
        """The goal and everything it may need, on any route."""
        return self._ancestors([goal])

    @cached_property
    def needed(self) -> frozenset[str]:
        """Everything some goal may need (goals included)."""
        return frozenset(self._ancestors(self.model.goals))

    def _ancestors(self, starts: Iterable[str]) -> set[str]:
        """``starts`` (those in the graph) and everything they may need."""
        pred = self.g._pred  # the predecessor dicts: a walk here is twice nx.ancestors' speed
        found = {k for k in starts if k in pred}
        stack = list(found)
        while stack:
            for p in pred[stack.pop()]:
                if p not in found:
                    found.add(p)
                    stack.append(p)
        return found

    def users(self, key: str) -> list[str]:
        """Deliverables that use ``key`` directly (as an input or a member)."""
        return list(self.g.successors(key))

    # --- cycles ------------------------------------------------------------------------
    @cached_property
    def knots(self) -> list[set[str]]:
        """Strongly connected components that hold a loop (several nodes, or a self-loop)."""
        return [
            comp
            for comp in nx.strongly_connected_components(self.g)
            if len(comp) > 1 or any(self.g.has_edge(k, k) for k in comp)
        ]

    @cached_property
    def cycles(self) -> list[list[str]]:
        """One loop per strongly connected knot, as a closed path ``[A, B, ..., A]``.

        The loop starts at the member whose first route is earliest in the file, and each
        step goes to the input that comes first, so the same file gives the same loop.
        """
        loops: list[list[str]] = []
        position = self.position
        for comp in self.knots:
            if len(comp) == 1:
                (only,) = comp
                loops.append([only, only])
                continue
            start = min(comp, key=position)
            path = [start]
            seen = {start}
            cur = start
            while True:
                nxt = min((p for p in self.g.predecessors(cur) if p in comp), key=position)
                path.append(nxt)
                if nxt in seen:
                    path = path[path.index(nxt) :]
                    break
                seen.add(nxt)
                cur = nxt
            loops.append(path)
        loops.sort(key=lambda loop: position(loop[0]))
        return loops

    @cached_property
    def in_cycle(self) -> frozenset[str]:
        return frozenset().union(*self.knots)

    # --- order -------------------------------------------------------------------------
    def position(self, key: str) -> tuple[int, ...]:
        """Where ``key`` is first made (first route or group statement), else first seen
        (in a multi-file model, as the whole model's text reads: ``Model.order_key``)."""
        kind, span = self._first(key)
        return (2, 0, 0) if span is None else (kind, *self.model.order_key(span))

    def _first(self, key: str) -> tuple[int, Span | None]:
        """The statement :meth:`position` reads: 0 and the first route or group statement
        that makes ``key``, else 1 and where it is first seen, else 2 and None."""
        routes = self.routes_by_output.get(key)
        if routes:
            return 0, routes[0].span
        grp = self.model.groups.get(key)
        if grp is not None:
            return 0, grp.span
        d = self.model.deliverables.get(key)
        if d is not None:
            return 1, d.span
        return 2, None

    def _priorities(self, ids: list[int], keys: list[str], phased: bool) -> list[Any]:
        """:meth:`position` of each node, after its phase key when ``phased``. In a model of
        one file as one int, ``((phase, kind), line, column)`` in bits: a sort compares
        ints several times faster than tuples (issue #18)."""
        phase = self._phase_key_list if phased else None
        if self.model.file_order:
            return [
                (phase[i] if phase else 0, *self.position(k))
                for i, k in zip(ids, keys, strict=True)
            ]
        first = self._first
        out = []
        for i, k in zip(ids, keys, strict=True):
            kind, span = first(k)
            head = ((phase[i] if phase else 0) << 2 | kind) << 62
            out.append(head if span is None else head | span.line << 31 | span.column)
        return out

    def ordered(self, nodes: Iterable[str]) -> list[str]:
        """``nodes`` in topological order (inputs first); ties by :meth:`position`.

        Nodes on a cycle never become ready; when nothing is ready the earliest remaining
        node is taken anyway, so every node gets a place and nothing loops forever.
        """
        keys = self.compact.keys
        return [keys[i] for i in self._sort(nodes)]

    def step_order(self, nodes: Iterable[str]) -> list[str]:
        """The step order of contract §4 and §14: like :meth:`ordered`, but in a model with
        phases the ready deliverable with the smallest :meth:`phase_keys` goes first."""
        keys = self.compact.keys
        return [keys[i] for i in self.step_ids(nodes)]

    def step_ids(self, nodes: Iterable[str]) -> list[int]:
        """:meth:`step_order` as :attr:`compact` ids."""
        return self._sort(nodes, phased=bool(self.model.phases))

    def _sort(self, nodes: Iterable[str], phased: bool = False) -> list[int]:
        """``nodes`` by :func:`topological`, ties by :meth:`position` (after the phase key
        when ``phased``), then by the node."""
        c = self.compact
        ids = list(map(c.ids.__getitem__, set(nodes)))
        keys = list(map(c.keys.__getitem__, ids))
        prio = self._priorities(ids, keys, phased)
        if prio and isinstance(prio[0], int) and len(set(prio)) == len(prio):
            by_rank = [ids[n] for n in sorted(range(len(ids)), key=prio.__getitem__)]
        else:  # ties go by the node's text
            by_rank = [i for _, _, i in sorted(zip(prio, keys, ids, strict=True))]
        return topological(by_rank, c.pred, c.succ)

    @cached_property
    def phase_keys(self) -> dict[str, int]:
        """Contract §14: a phased deliverable's key is its phase's position (1 = first
        declared; the first phase that lists it); an unphased one takes the smallest key
        among the phased deliverables that need it, directly or transitively, else one past
        the last phase."""
        return dict(zip(self.compact.keys, self._phase_key_list, strict=True))

    @cached_property
    def _phase_key_list(self) -> list[int]:
        """:attr:`phase_keys` by :attr:`compact` id.

        One backward sweep per phase, in phase order, over nodes no earlier sweep reached:
        a node reached from phase p has every ancestor reached from p or earlier, so each
        node and edge is visited once.
        """
        c = self.compact
        phases = self.model.phases
        own: dict[int, int] = {}
        for position, phase in enumerate(phases, start=1):
            for key in phase.members:
                i = c.ids.get(key)
                if i is not None:
                    own.setdefault(i, position)
        by_phase: list[list[int]] = [[] for _ in phases]
        for i, position in own.items():
            by_phase[position - 1].append(i)
        pred = c.pred
        keys = [0] * len(c.keys)  # 0: no sweep has reached the node yet
        for position, members in enumerate(by_phase, start=1):
            stack = members
            pop, push = stack.pop, stack.append
            while stack:
                for p in pred[pop()]:
                    if not keys[p]:
                        keys[p] = position
                        push(p)
        last = len(phases) + 1
        keys = [k or last for k in keys]
        for i, position in own.items():
            keys[i] = position
        return keys

    @cached_property
    def any_order(self) -> list[str]:
        """Every node, inputs first, for a computation that any such order gives the same
        result (depths, earliest finishes): a plain topological sort, several times faster
        than :meth:`ordered`'s tie-broken one, which is needed only to get through loops.

        Kahn's algorithm on the adjacency dicts finds a loop by itself (a node on one, a
        self-loop too, never becomes ready), so no search for loops runs first."""
        succ = self.g._succ
        missing = {n: len(p) for n, p in self.g._pred.items()}
        order = [n for n, count in missing.items() if count == 0]
        for n in order:  # the list grows while it is read
            for s in succ[n]:
                missing[s] -= 1
                if missing[s] == 0:
                    order.append(s)
        if len(order) < len(missing):  # stuck on a loop
            return self.ordered(self.g.nodes)
        return order

    @cached_property
    def depth(self) -> dict[str, int]:
        """0 for a deliverable with no inputs; else 1 + the deepest input of any route."""
        depth: dict[str, int] = {}
        pred = self.g._pred
        for k in self.any_order:
            inputs = pred[k]
            known = [depth[p] for p in inputs if p in depth]
            depth[k] = 1 + max(known) if known else (1 if inputs else 0)
        return depth


def topological(by_rank: list[int], pred: list[list[int]], succ: list[list[int]]) -> list[int]:
    """Kahn's algorithm over the ids ``by_rank``, which are in priority order (the ready
    node earliest in it goes first), with ``pred`` and ``succ`` giving each id's
    neighbours (:class:`Compact`); a cycle does not stop it.

    When nothing is ready, the loop (strongly connected component) that waits for nothing
    outside itself is opened at its earliest node and finished before anything else, so a
    deliverable that merely depends on a loop still comes after the whole loop.
    """
    n = len(pred)
    inside = bytearray(n)
    rank = [0] * n  # the heaps hold ranks: ints compare much faster than tuples (#18)
    for r, i in enumerate(by_rank):
        inside[i] = 1
        rank[i] = r
    counted = inside.__getitem__
    missing = [0] * n  # inputs of each node still to sort (a self-loop waits not)
    for i in by_rank:
        inputs = pred[i]
        missing[i] = sum(map(counted, inputs)) - (i in inputs)
    ready = [r for r, i in enumerate(by_rank) if missing[i] == 0]  # sorted: a heap
    out: list[int] = []
    done = bytearray(n)
    pop, push = heapq.heappop, heapq.heappush
    # Until a loop stops it: a node's users are not done yet (each waits for it), and no
    # node is pushed twice, so this loop needs neither check.
    while ready:
        i = by_rank[pop(ready)]
        done[i] = 1
        out.append(i)
        for s in succ[i]:
            if inside[s] and s != i:
                count = missing[s] - 1
                missing[s] = count
                if count == 0:
                    push(ready, rank[s])
    if len(out) == len(by_rank):
        return out

    loops = _Loops([i for i in by_rank if not done[i]], pred, rank)
    active = -1  # the loop being finished
    local: list[int] = []  # ranks of the ready members of the active loop

    def finish(i: int) -> None:
        done[i] = 1
        out.append(i)
        for s in succ[i]:
            if inside[s] and not done[s] and s != i:
                missing[s] -= 1
                loops.input_done(i, s, done)
                if missing[s] == 0:
                    push(local if loops.comp[s] == active else ready, rank[s])

    while len(out) < len(by_rank):
        if ready:
            i = by_rank[pop(ready)]
            if not done[i]:
                finish(i)
            continue
        forced = by_rank[loops.next_source(done, by_rank)]
        active = loops.comp[forced]
        members = sorted(rank[m] for m in loops.members[active] if not done[m])
        left = len(members)
        cursor = 0
        local = [rank[forced]]
        while left:  # only members of the active loop become ready in `local`
            if not local:  # stuck inside the loop: open it again at its earliest node
                while done[by_rank[members[cursor]]]:
                    cursor += 1
                local.append(members[cursor])
            i = by_rank[pop(local)]
            if not done[i]:
                finish(i)
                left -= 1
        active = -1
    return out


class _Loops:
    """The strongly connected components of what was left (ids) when Kahn's algorithm got
    stuck, with the count of pending inputs each gets from outside itself."""

    def __init__(self, left: list[int], pred: list[list[int]], rank: list[int]) -> None:
        among = set(left)
        sub: Any = nx.DiGraph()
        sub.add_nodes_from(left)
        sub.add_edges_from((p, n) for n in left for p in pred[n] if p in among and p != n)
        self.comp = [-1] * len(pred)  # -1: done before the loops were found
        self.members: list[list[int]] = []
        for c, group in enumerate(nx.strongly_connected_components(sub)):
            self.members.append(sorted(group, key=rank.__getitem__))
            for m in group:
                self.comp[m] = c
        self.outside = [0] * len(self.members)
        for p, n in sub.edges:
            if self.comp[p] != self.comp[n]:
                self.outside[self.comp[n]] += 1
        self.rank = rank
        self.sources = [rank[n] for n in left if self.outside[self.comp[n]] == 0]
        heapq.heapify(self.sources)

    def input_done(self, n: int, s: int, done: bytearray) -> None:
        comp = self.comp
        c = comp[s]
        if c < 0 or comp[n] < 0 or comp[n] == c:
            return
        self.outside[c] -= 1
        if self.outside[c] == 0:
            for m in self.members[c]:
                if not done[m]:
                    heapq.heappush(self.sources, self.rank[m])

    def next_source(self, done: bytearray, by_rank: list[int]) -> int:
        """The rank of the earliest node not done of a component that waits for nothing
        outside."""
        while done[by_rank[self.sources[0]]]:
            heapq.heappop(self.sources)
        return heapq.heappop(self.sources)
