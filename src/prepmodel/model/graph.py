"""The requirement graph of a model and the queries every later stage shares.

Nodes are deliverable keys. An edge runs from each input of a route to its output, and
from each member of a group to the group. Built once per model (``ModelGraph.of``).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable
from functools import cached_property
from typing import Any

import networkx as nx

from prepmodel.model.core import Model, Route


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

    @property
    def _preds(self) -> Callable[[str], Collection[str]]:
        """A node's predecessors: NetworkX's own dict of them (its ``predecessors`` method
        wraps each answer in an iterator; the sorts below ask once per node and edge)."""
        return self.g._pred.__getitem__  # type: ignore[no-any-return]

    @property
    def _succs(self) -> Callable[[str], Collection[str]]:
        return self.g._succ.__getitem__  # type: ignore[no-any-return]

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
        at = self.model.order_key
        routes = self.routes_by_output.get(key)
        if routes:
            return (0, *at(routes[0].span))
        grp = self.model.groups.get(key)
        if grp is not None:
            return (0, *at(grp.span))
        d = self.model.deliverables.get(key)
        if d is not None:
            return (1, *at(d.span))
        return (2, 0, 0)

    def ordered(self, nodes: Iterable[str]) -> list[str]:
        """``nodes`` in topological order (inputs first); ties by :meth:`position`.

        Nodes on a cycle never become ready; when nothing is ready the earliest remaining
        node is taken anyway, so every node gets a place and nothing loops forever.
        """
        return topological(nodes, self._preds, self._succs, self.position)

    def step_order(self, nodes: Iterable[str]) -> list[str]:
        """The step order of contract §4 and §14: like :meth:`ordered`, but in a model with
        phases the ready deliverable with the smallest :meth:`phase_keys` goes first."""
        if not self.model.phases:
            return self.ordered(nodes)
        keys = self.phase_keys
        position = self.position

        def priority(key: str) -> tuple[int, ...]:
            return (keys[key], *position(key))

        return topological(nodes, self._preds, self._succs, priority)

    @cached_property
    def phase_keys(self) -> dict[str, int]:
        """Contract §14: a phased deliverable's key is its phase's position (1 = first
        declared; the first phase that lists it); an unphased one takes the smallest key
        among the phased deliverables that need it, directly or transitively, else one past
        the last phase.

        One backward sweep per phase, in phase order, over nodes no earlier sweep reached:
        a node reached from phase p has every ancestor reached from p or earlier, so each
        node and edge is visited once.
        """
        phases = self.model.phases
        own: dict[str, int] = {}
        for position, phase in enumerate(phases, start=1):
            for key in phase.members:
                own.setdefault(key, position)
        keys: dict[str, int] = {}  # also the nodes a sweep has reached
        by_phase: list[list[str]] = [[] for _ in phases]
        for key, position in own.items():
            by_phase[position - 1].append(key)
        preds = self.g._pred
        for position, members in enumerate(by_phase, start=1):
            stack = [k for k in members if k in preds]
            pop = stack.pop
            while stack:
                fresh = [p for p in preds[pop()] if p not in keys]
                if fresh:
                    keys.update(dict.fromkeys(fresh, position))
                    stack += fresh
        out = dict.fromkeys(self.g, len(phases) + 1)
        out.update(keys)
        out.update((k, p) for k, p in own.items() if k in preds)
        return out

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


def topological(
    nodes: Iterable[str],
    preds: Callable[[str], Collection[str]],
    succs: Callable[[str], Collection[str]],
    key: Callable[[str], tuple[int, ...]],
) -> list[str]:
    """Kahn's algorithm over ``nodes`` with a priority tie-break and cycle fallback;
    ``preds`` and ``succs`` give each node's neighbours, each once (NetworkX's dicts).

    When nothing is ready, the loop (strongly connected component) that waits for nothing
    outside itself is opened at its earliest node and finished before anything else, so a
    deliverable that merely depends on a loop still comes after the whole loop.
    """
    todo = set(nodes)
    prio = {n: key(n) for n in todo}

    # inputs of each node to sort first (a self-loop waits not)
    among = todo.intersection
    missing = {n: len(among(preds(n))) - (n in preds(n)) for n in todo}
    # The heap of ready nodes holds each node's rank in (priority, node) order: the same
    # order as heaping the pairs, but ints compare much faster than tuples (issue #18).
    by_rank = sorted(todo)  # ties by node; a stable sort by priority keeps them
    by_rank.sort(key=prio.__getitem__)
    rank = {n: i for i, n in enumerate(by_rank)}
    ready = [rank[n] for n, c in missing.items() if c == 0]
    heapq.heapify(ready)
    out: list[str] = []
    done: set[str] = set()
    loops: _Loops | None = None  # found when first stuck (never, for a model without loops)
    active: int | None = None  # the loop being finished
    local: list[tuple[tuple[int, ...], str]] = []  # ready members of the active loop

    def finish(n: str) -> None:
        done.add(n)
        out.append(n)
        for s in succs(n):  # NetworkX's dict of them: each once
            if s in todo and s not in done and s != n:
                missing[s] -= 1
                if loops is not None:
                    loops.input_done(n, s, done, prio)
                if missing[s] == 0:
                    if loops is not None and loops.comp.get(s) == active:
                        heapq.heappush(local, (prio[s], s))
                    else:
                        heapq.heappush(ready, rank[s])

    pop, push = heapq.heappop, heapq.heappush
    # Until a loop stops it: a node's users are not done yet (each waits for it), and no
    # node is pushed twice, so the loop below needs neither check.
    while ready:
        n = by_rank[pop(ready)]
        done.add(n)
        out.append(n)
        for s in succs(n):
            if s in missing and s != n:
                count = missing[s] - 1
                missing[s] = count
                if count == 0:
                    push(ready, rank[s])
    while len(out) < len(todo):
        if ready:
            n = by_rank[pop(ready)]
            if n not in done:
                finish(n)
            continue
        if loops is None:
            loops = _Loops(todo - done, preds, prio)
        forced = loops.next_source(done)
        active = loops.comp[forced]
        members = sorted((prio[m], m) for m in loops.members[active] if m not in done)
        left = len(members)
        cursor = 0
        local = [(prio[forced], forced)]
        while left:  # only members of the active loop become ready in `local`
            if not local:  # stuck inside the loop: open it again at its earliest node
                while members[cursor][1] in done:
                    cursor += 1
                local.append(members[cursor])
            _, n = heapq.heappop(local)
            if n not in done:
                finish(n)
                left -= 1
        active = None
    return out


class _Loops:
    """The strongly connected components of what was left when Kahn's algorithm got stuck,
    with the count of pending inputs each gets from outside itself."""

    def __init__(
        self,
        left: set[str],
        preds: Callable[[str], Collection[str]],
        prio: dict[str, tuple[int, ...]],
    ) -> None:
        sub: Any = nx.DiGraph()
        sub.add_nodes_from(left)
        sub.add_edges_from((p, n) for n in left for p in set(preds(n)) if p in left and p != n)
        self.comp: dict[str, int] = {}
        self.members: list[list[str]] = []
        for i, group in enumerate(nx.strongly_connected_components(sub)):
            self.members.append(sorted(group))
            for m in group:
                self.comp[m] = i
        self.outside = [0] * len(self.members)
        for p, n in sub.edges:
            if self.comp[p] != self.comp[n]:
                self.outside[self.comp[n]] += 1
        self.sources = [(prio[n], n) for n in left if self.outside[self.comp[n]] == 0]
        heapq.heapify(self.sources)

    def input_done(self, n: str, s: str, done: set[str], prio: dict[str, tuple[int, ...]]) -> None:
        c = self.comp.get(s)
        if c is None or n not in self.comp or self.comp[n] == c:
            return
        self.outside[c] -= 1
        if self.outside[c] == 0:
            for m in self.members[c]:
                if m not in done:
                    heapq.heappush(self.sources, (prio[m], m))

    def next_source(self, done: set[str]) -> str:
        """The earliest node not done of a component that waits for nothing outside."""
        while self.sources[0][1] in done:
            heapq.heappop(self.sources)
        return heapq.heappop(self.sources)[1]
