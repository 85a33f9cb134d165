"""Steps, route ids, mandatory sets, checkpoints, phases and the critical path.

Computed once per model (``Journey.of``); the checkpoint tables, the renderer and the diff
all read step numbers from here, so a step number means the same everywhere.

Mandatory sets are bitsets (Python ints) over the topological order of what the goals
need, so a 10,000-deliverable model does not materialise 10,000 Python sets.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import or_
from typing import NamedTuple

from prepmodel.model.core import Model, Route, identity
from prepmodel.model.graph import ModelGraph
from prepmodel.model.responsibility import Parties

# Up to this many bits per set, a pass keeps every set it makes (at most 8 MB); a wider
# one drops each set after its last use.
KEEP_ALL = 8_000


def route_letter(i: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: route suffixes as spreadsheet-style letters."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(97 + r) + s
    return s


class Step(NamedTuple):
    """A produced deliverable some goal needs, with its number and its routes.

    A NamedTuple, as :class:`Checkpoint`: a big model makes one per deliverable, and a
    tuple is made 2.5 times faster than a frozen dataclass (issue #18)."""

    number: int
    key: str
    routes: tuple[Route, ...]
    group_members: tuple[str, ...] | None
    labels: tuple[str, ...] | None = None  # the routes' ids in the whole model (scenarios)

    def route_ids(self) -> list[tuple[str, Route]]:
        """``n.a, n.b, ...`` in file order (just ``n`` when there is one route); in a
        scenario, the ids the routes have in the whole model."""
        if self.labels is not None:
            return list(zip(self.labels, self.routes, strict=True))
        if len(self.routes) == 1:
            return [(str(self.number), self.routes[0])]
        return [(f"{self.number}.{route_letter(i)}", r) for i, r in enumerate(self.routes)]


class Checkpoint(NamedTuple):
    """A deliverable every route to a goal passes, with its step and phase."""

    step: int
    key: str
    phase: str | None
    exit: bool


@dataclass(frozen=True)
class GoalJourney:
    key: str
    checkpoints: tuple[Checkpoint, ...]
    route_dependent: tuple[str, ...]
    journey: Journey | None = field(default=None, repr=False, compare=False)

    @cached_property
    def critical_path(self) -> tuple[str, ...]:
        """Computed when asked for: it needs every deliverable's depth, which the
        checkpoint list and the diff do not."""
        return self.journey.critical_path(self.key) if self.journey is not None else ()

    def detached(self) -> GoalJourney:
        """The same facts without the reference to the journey (to send elsewhere)."""
        return GoalJourney(self.key, self.checkpoints, self.route_dependent)


# What a journey sends to another process: steps, step numbers, each goal's journey.
JourneyState = tuple[list[Step], dict[str, int], dict[str, GoalJourney]]


@dataclass
class Journey:
    """Everything section 4 of the contract derives from a model."""

    graph: ModelGraph
    steps: list[Step] = field(default_factory=list)
    step_of: dict[str, int] = field(default_factory=dict)
    _goals: dict[str, GoalJourney] = field(default_factory=dict, repr=False)
    # in a scenario (in_scenario): every scenario of the whole model, and the chosen ones
    all_scenarios: tuple[str, ...] | None = None
    chosen: tuple[str, ...] = ()

    @classmethod
    def of(cls, model: Model, graph: ModelGraph | None = None) -> Journey:
        graph = graph or ModelGraph(model)
        j = cls(graph)
        produced = graph.produced
        keys = graph.compact.keys
        by_output = graph.routes_by_output
        steps = j.steps
        for n, i in enumerate(graph.step_ids(k for k in graph.needed if k in produced), 1):
            key = keys[i]
            routes = by_output.get(key)
            if routes is None:  # produced without a route: a group
                steps.append(Step(n, key, (), model.groups[key].members))
            else:
                steps.append(Step(n, key, tuple(routes), None))
        j.step_of = {s.key: s.number for s in steps}
        return j

    @property
    def model(self) -> Model:
        return self.graph.model

    def in_scenario(self, chosen: frozenset[str]) -> Journey:
        """The journey when only the routes that apply in all the ``chosen`` scenarios
        (identities) exist (contract §9): checkpoints, route-dependent deliverables and
        the critical path of that model, with the step numbers and route ids of the whole
        model."""
        from prepmodel.model.scenarios import in_scenario, scenarios

        graph = ModelGraph(in_scenario(self.model, chosen))
        names = scenarios(self.model)
        picked = tuple(n for n in names if identity(n) in chosen)
        j = Journey(graph, all_scenarios=tuple(names), chosen=picked)
        ids = {r.index: rid for s in self.steps for rid, r in s.route_ids()}
        kept = [k for k in graph.needed if k in graph.produced and k in self.step_of]
        for key in sorted(kept, key=self.step_of.__getitem__):
            routes = tuple(graph.routes_by_output.get(key, []))
            members = graph.model.groups[key].members if graph.is_group(key) else None
            labels = tuple(ids[r.index] for r in routes)
            j.steps.append(Step(self.step_of[key], key, routes, members, labels))
            j.step_of[key] = self.step_of[key]
        return j

    # --- sending a journey to another process (prepmodel.checks.analysis.analyse_pair) --------
    def export(self) -> JourneyState:
        """Steps, step numbers and every goal's journey, without the graph (for
        :mod:`prepmodel.checks.wire`, which writes it with the model)."""
        goals = {k: self.goal(k).detached() for k in self.model.goals}
        return self.steps, self.step_of, goals

    @classmethod
    def restore(cls, graph: ModelGraph, state: JourneyState) -> Journey:
        """The journey :meth:`export` described, on ``graph`` (built from the same model)."""
        steps, step_of, goals = state
        j = cls(graph, steps, step_of)
        for k, gj in goals.items():
            j._goals[k] = GoalJourney(gj.key, gj.checkpoints, gj.route_dependent, j)
        return j

    def name(self, key: str) -> str:
        return self.names.get(key, key)

    @cached_property
    def names(self) -> dict[str, str]:
        """Deliverable key -> display name (``Model.name`` without a call per name: the
        checkpoint tables of a big model ask for a million names)."""
        return {k: d.name for k, d in self.model.deliverables.items()}

    @cached_property
    def parties(self) -> Parties:
        """Owner parties and support modes of the model, each worked out once."""
        return Parties(self.model)

    @cached_property
    def imported_only(self) -> frozenset[str]:
        """Deliverables first named in an imported file that no route of the top-level
        file names either: a pattern's own parts. No goal needing them is not a warning
        (contract §8: no RC01), so the picture does not paint them as orphans either."""
        model = self.model
        if not model.file_order:
            return frozenset()
        here: set[str] = set()
        for r in model.routes:
            if not r.span.file:
                here.add(r.output)
                here.update(r.inputs)
        return frozenset(k for k, d in model.deliverables.items() if d.span.file and k not in here)

    # --- mandatory sets ----------------------------------------------------------------
    # The passes below index what the goals need by its position in :attr:`_order` and
    # read the graph by :class:`~prepmodel.model.graph.Compact` id: lists of ints instead
    # of dicts of strings, whose scattered look-ups were most of their time (issue #18).
    @cached_property
    def _given(self) -> list[str]:
        """What the goals need that nothing produces (it has no inputs), in file order."""
        produced = self.graph.produced
        return sorted((k for k in self.graph.needed if k not in produced), key=self.graph.position)

    @cached_property
    def _order(self) -> list[str]:
        """What the goals need, inputs first: the deliverables that nothing produces, then
        the steps in step order."""
        return self._given + [s.key for s in self.steps]

    @cached_property
    def _bit(self) -> dict[str, int]:
        """Deliverable -> its position in :attr:`_order`."""
        return {k: i for i, k in enumerate(self._order)}

    @cached_property
    def _ids(self) -> list[int]:
        """:attr:`_order` as :attr:`ModelGraph.compact` ids."""
        return list(map(self.graph.compact.ids.__getitem__, self._order))

    @cached_property
    def _mandatory(self) -> dict[str, int]:
        """M(D) as a bitset over the whole order for every goal (what the outputs ask for)."""
        bit = self._bit
        goals = [bit[g] for g in self.model.goals if g in bit]
        order = self._order
        return {order[p]: bits for p, bits in self._compute_mandatory(goals).items()}

    @cached_property
    def _at(self) -> list[int]:
        """By :attr:`ModelGraph.compact` id: its position in :attr:`_order`, -1 when no
        goal needs it."""
        at = [-1] * len(self.graph.compact.keys)
        for p, i in enumerate(self._ids):
            at[i] = p
        return at

    @cached_property
    def _inputs(self) -> list[tuple[tuple[int, ...], ...] | None]:
        """By position in :attr:`_order`: what each produced deliverable requires, per
        alternative (a group's members are its one alternative), as positions; None for
        what nothing produces. Read once for every goal's pass and for the schedule.

        A group, or a deliverable with one route and no optional input, requires its
        predecessors in the graph: they are read by id, without a look-up per name."""
        pred = self.graph.compact.pred
        groups = self.model.groups
        at = self._at.__getitem__
        bit = self._bit.__getitem__
        ids = self._ids
        given = len(self._given)
        out: list[tuple[tuple[int, ...], ...] | None] = [None] * given
        for p, s in enumerate(self.steps, given):
            routes = s.routes
            if s.group_members is not None or (
                len(routes) == 1 and not routes[0].optional and s.key not in groups
            ):
                out.append((tuple(map(at, pred[ids[p]])),))
            else:
                out.append(tuple([tuple(map(bit, r.required)) for r in routes]))
        return out

    def _compute_mandatory(
        self, keep: Collection[int], part: list[int] | None = None
    ) -> dict[int, int]:
        """M(D) as a bitset, inputs first, for the positions ``keep``.

        ``part``: positions in :attr:`_order` (increasing) closed under inputs (what one
        goal needs); the bits index it (default: the whole order). On a wide order a set
        is dropped after its last user has been computed, unless it is kept: on a deep
        model the sets grow with the depth, so keeping them all took O(N^2) memory (168 MB
        at 50k).

        Each union runs in C (``reduce(or_, map(...))``): the loop spends no Python
        bytecode per input, which was most of the time (1 us an input at 100k). An input
        not computed yet (on a loop) sends that route down the slow path, which counts
        only the input itself."""
        inputs = self._inputs
        m: list[int | None] = [None] * len(inputs)  # by position; None: not computed
        take = m.__getitem__
        steps: Iterable[tuple[int, int]]
        if part is None:
            steps = enumerate(range(len(inputs)))
            local: Callable[[int], int] = int
        else:
            steps = enumerate(part)
            local = dict(zip(part, range(len(part)), strict=True)).__getitem__

        def union(alternative: tuple[int, ...]) -> int:
            try:
                got = reduce(or_, map(take, alternative))
                if got is not None:
                    return got
            except TypeError:  # None in an OR: an input not computed yet, or no input
                pass
            out = 0  # an input on a loop, not computed yet, counts as itself
            for x in alternative:
                known = m[x]
                out |= (1 << local(x)) if known is None else known
            return out

        width = len(inputs) if part is None else len(part)
        drop_at = self._drops(keep, part) if width > KEEP_ALL else {}
        for i, p in steps:
            routes = inputs[p]
            if routes is None:
                m[p] = 1 << i
                continue
            common = union(routes[0])
            for alternative in routes[1:]:  # M(route): the union over required inputs
                if not common:
                    break
                common &= union(alternative)
            m[p] = (1 << i) | common
            done = drop_at.get(i)
            if done is not None:
                for x in done:
                    m[x] = None
        return {p: bits for p in keep if (bits := m[p]) is not None}

    def _drops(self, keep: Collection[int], part: list[int] | None) -> dict[int, list[int]]:
        """Step of a pass over ``part`` (default: the whole order) -> the positions whose
        sets no later step uses and ``keep`` does not hold: each set's last user in the
        whole order, or the last step of ``part`` before it."""
        last = self._last_use
        kept = set(keep)
        out: dict[int, list[int]] = {}
        if part is None:
            for x, at in enumerate(last):
                if at >= 0 and x not in kept:
                    out.setdefault(at, []).append(x)
            return out
        for x in part:
            at = last[x]
            if at >= 0 and x not in kept:
                out.setdefault(bisect_right(part, at) - 1, []).append(x)
        return out

    @cached_property
    def _last_use(self) -> list[int]:
        """By position in :attr:`_order`: the last position that uses it (an optional
        input's user too, which only keeps a set a little longer), -1 when none does."""
        where = self._at.__getitem__
        succ = self.graph.compact.succ
        return [max(map(where, succ[i]), default=-1) for i in self._ids]

    @cached_property
    def _per_goal(self) -> bool:
        """Whether each goal's mandatory set is computed over what that goal needs alone.

        An OR of two bitsets costs the width of the order they index, so one pass over
        the whole order costs about edges x N, and a pass per goal over its own part
        about the sum of edges_g x needed_g. With many goals that each need a small part
        (work streams: 50 goals of ~4,000 at 100k) the passes per goal are an order of
        magnitude cheaper; with a few goals that need nearly everything, the one pass is."""
        sizes = [len(self._needed_in_order(g)) for g in self.model.goals if g in self._bit]
        return 2 * sum(n * n for n in sizes) < len(self._order) ** 2

    def _needed_in_order(self, key: str) -> list[int]:
        """What ``key`` needs (itself included), as positions in :attr:`_order`, increasing."""
        lists = self._goal_needs
        if lists is not None and key in lists:
            return lists[key]
        known = self._needed.get(key)
        if known is None:
            bit = self._bit
            needed = self.graph.needed_by(key)
            known = self._needed[key] = sorted(bit[k] for k in needed if k in bit)
        return known

    @cached_property
    def _needed(self) -> dict[str, list[int]]:
        return {}

    @cached_property
    def _goal_needs(self) -> dict[str, list[int]] | None:
        """Each goal -> what it needs (:meth:`_needed_in_order`), from one pass over the
        order users first, each deliverable's goals the bits of an int (a C OR over its
        users), instead of a walk and a sort per goal. None on a loop, where the order does
        not put every input first (:meth:`_needed_in_order` then walks)."""
        if self._depth_in_order is None:
            return None
        bit = self._bit
        goals = [g for g in self.model.goals if g in bit]
        c = self.graph.compact
        needs = [0] * len(c.keys)  # by compact id: the goals that need it, as bits
        for n, g in enumerate(goals):
            needs[c.ids[g]] |= 1 << n
        get = needs.__getitem__
        succ = c.succ
        for i in reversed(self._ids):
            users = succ[i]
            if users:
                needs[i] = reduce(or_, map(get, users), needs[i])
        out: dict[str, list[int]] = {g: [] for g in goals}
        lists = list(out.values())
        for p, i in enumerate(self._ids):
            bits = needs[i]
            while bits:
                low = bits & -bits
                lists[low.bit_length() - 1].append(p)
                bits ^= low
        return out

    def _bits(self, key: str) -> tuple[int, Sequence[int]]:
        """M(key) as a bitset, and the positions its bits index (the whole order, or what
        ``key`` needs: :attr:`_per_goal`); a goal's set is kept."""
        at = self._bit.get(key)
        whole = range(len(self._order))
        if at is None:
            return 0, whole
        if self._per_goal:
            part = self._needed_in_order(key)
            return self._compute_mandatory((at,), part).get(at, 0), part
        known = self._mandatory.get(key)
        if known is None:
            known = self._compute_mandatory((at,)).get(at)
        return known or 0, whole

    @cached_property
    def depth(self) -> dict[str, int]:
        """:attr:`ModelGraph.depth` of what the goals need (the same numbers), computed
        along the step order, which puts every input first when there is no loop: no sort
        of the whole graph first. On a loop (an input not computed yet) the graph's own."""
        if "depth" in self.graph.__dict__:
            return self.graph.depth
        depth = self._depth_in_order
        return depth if depth is not None else self.graph.depth

    @cached_property
    def _depth_in_order(self) -> dict[str, int] | None:
        """The depths along :attr:`_order`; None when it does not put every input first
        (a loop among what the goals need)."""
        c = self.graph.compact
        depth = [-1] * len(c.keys)  # by compact id; -1: not computed yet
        known = depth.__getitem__
        pred = c.pred
        for i in self._ids:
            inputs = list(map(known, pred[i]))
            if not inputs:
                depth[i] = 0
            elif min(inputs) < 0:
                return None
            else:
                depth[i] = 1 + max(inputs)
        return dict(zip(self._order, map(known, self._ids), strict=True))

    def mandatory(self, key: str) -> set[str]:
        """The mandatory set M(key) as keys (computed for what some goal needs)."""
        bits, part = self._bits(key)
        order = self._order
        # Read the bits through their binary text: shifting a 10,000-bit int once per
        # member would copy it each time.
        text = bin(bits)[:1:-1]
        return {order[part[i]] for i, ch in enumerate(text) if ch == "1"}

    # --- phases ------------------------------------------------------------------------
    @cached_property
    def phase_of(self) -> dict[str, str]:
        """Deliverable key -> display name of its (first) phase."""
        out: dict[str, str] = {}
        for ph in self.model.phases:
            for k in ph.members:
                out.setdefault(k, ph.name)
        return out

    def is_exit(self, key: str) -> bool:
        """An exit checkpoint of its phase: a goal, or needed by something outside it."""
        return key in self._exits

    @cached_property
    def _exits(self) -> frozenset[str]:
        """The exit checkpoints: a set comparison per phased deliverable (are all its users
        in its phase?) instead of a look-up per user."""
        phase_of = self.phase_of
        members: dict[str, set[str]] = {}
        for k, phase in phase_of.items():
            members.setdefault(phase, set()).add(k)
        succ = self.graph.g._succ
        goals = frozenset(self.model.goals)
        return frozenset(
            k for k, phase in phase_of.items() if k in goals or not succ[k].keys() <= members[phase]
        )

    # --- per goal ----------------------------------------------------------------------
    def goal(self, key: str) -> GoalJourney:
        """The checkpoints, route-dependent deliverables and critical path of a goal."""
        known = self._goals.get(key)
        if known is None:
            known = self._goals[key] = self._goal(key)
        return known

    def _goal(self, key: str) -> GoalJourney:
        """One pass over what the goal needs, in step order: O(needed log needed), not one
        pass over every step per goal (a model's goals grow with its size)."""
        bits, part = self._bits(key)
        text = bin(bits)[:1:-1]  # text[i] == "1": bit i is set
        width = len(text)
        given = len(self._given)  # positions from here on are the steps, in step order
        marks: Iterable[tuple[int, int]]
        if isinstance(part, range):  # the whole order's bits: find what the goal needs
            marks = ((p, p) for p in self._needed_in_order(key) if p >= given)
        else:  # the bits index what the goal needs
            marks = ((i, p) for i, p in enumerate(part) if p >= given)
        checkpoints: list[Checkpoint] = []
        dependent: list[str] = []
        steps = self.steps
        phase_of = self.phase_of
        exits = self._exits
        for i, p in marks:
            s = steps[p - given]
            if i < width and text[i] == "1":
                k = s.key
                checkpoints.append(Checkpoint(s.number, k, phase_of.get(k), k in exits))
            else:
                dependent.append(s.key)
        return GoalJourney(key, tuple(checkpoints), tuple(dependent), self)

    def goals(self) -> list[GoalJourney]:
        return [self.goal(k) for k in self.model.goals]

    def critical_path(self, goal: str) -> tuple[str, ...]:
        """From an external to the goal (contract §4, §12).

        When some route has an ``effort``, the critical path method: every deliverable is
        made by its fastest route (least earliest finish; ties: the route listed first),
        and the path runs back through the input that finishes last (ties: the input
        listed first). Without any effort, v1's rule: each step back to the deepest input,
        ties to the route listed first, then to the input listed first in it.
        """
        if self.timed:
            return self._timed_path(goal)[0]
        depth = self.depth
        path = [goal]
        seen = {goal}
        cur = goal
        while True:
            best: str | None = None
            for inputs in self.graph.required(cur):
                for x in inputs:
                    if x in seen:
                        continue
                    if best is None or depth.get(x, 0) > depth.get(best, 0):
                        best = x
            if best is None:
                break
            path.append(best)
            seen.add(best)
            cur = best
        return tuple(reversed(path))

    # --- time: effort and the critical path method (contract §12) ----------------------
    @cached_property
    def effort_hours(self) -> dict[int, float]:
        """Hours of every route whose ``effort`` reads as a duration, by route index."""
        from prepmodel.model.effort import parse_effort

        out: dict[int, float] = {}
        read: dict[tuple[str, ...], float | None] = {}  # a big model repeats a few texts
        for r in self.model.routes:
            values = r.attrs.get("effort")
            if not values:
                continue
            if values in read:
                hours = read[values]
            else:
                hours = read[values] = parse_effort(", ".join(values))
            if hours is not None:
                out[r.index] = hours
        return out

    @property
    def timed(self) -> bool:
        """True when some route has an effort: the critical path is then by effort."""
        return bool(self.effort_hours)

    @cached_property
    def _schedule(self) -> tuple[dict[str, float], dict[str, Route]]:
        """Earliest finish of what the goals need (hours from the start) and the fastest
        route of each produced one; a group is ready when its last member is. Along the
        step order when it puts every input first: a finish depends only on what the
        deliverable needs, so the rest of the graph is not visited."""
        if self._depth_in_order is None:  # a loop: the tie-broken order of the whole graph
            return self.fastest(self.effort_hours)
        routes = [()] * len(self._given) + [s.routes for s in self.steps]
        return _earliest(self._order, self._inputs, routes, self.effort_hours)

    def fastest(self, hours: dict[int, float]) -> tuple[dict[str, float], dict[str, Route]]:
        """Earliest finish of every deliverable and the fastest route of each produced one
        when route ``i`` takes ``hours[i]`` (0 when missing): the critical path's choice,
        also used by ``prep schedule`` with ``--default-effort`` filling the gaps."""
        # Any order with inputs first gives the same finishes (a loop needs the tie-broken
        # one: an input on it counts as ready at the start).
        order = self.graph.any_order
        at = dict(zip(order, range(len(order)), strict=True)).__getitem__
        by_output = self.graph.routes_by_output
        groups = self.model.groups
        inputs: list[tuple[tuple[int, ...], ...] | None] = []
        routes: list[Sequence[Route]] = []
        for k in order:
            made = by_output.get(k)
            if made is not None:
                inputs.append(tuple([tuple(map(at, r.required)) for r in made]))
                routes.append(made)
            else:
                group = groups.get(k)
                inputs.append(None if group is None else (tuple(map(at, group.members)),))
                routes.append(())
        return _earliest(order, inputs, routes, hours)

    def _timed_path(self, goal: str) -> tuple[tuple[str, ...], tuple[Route, ...]]:
        known = self._timed_paths.get(goal)
        if known is None:
            known = self._timed_paths[goal] = self._walk_timed_path(goal)
        return known

    @cached_property
    def _timed_paths(self) -> dict[str, tuple[tuple[str, ...], tuple[Route, ...]]]:
        return {}  # goal -> its path and routes: the path and its route ids are both shown

    def _walk_timed_path(self, goal: str) -> tuple[tuple[str, ...], tuple[Route, ...]]:
        finish, chosen = self._schedule
        path = [goal]
        routes: list[Route] = []
        seen = {goal}
        cur = goal
        while True:
            route = chosen.get(cur)
            if route is not None:
                routes.append(route)
                inputs: tuple[str, ...] = route.required
            elif self.graph.is_group(cur):
                inputs = self.model.groups[cur].members
            else:
                break
            best: str | None = None
            for x in inputs:
                if x not in seen and (best is None or finish.get(x, 0.0) > finish[best]):
                    best = x
            if best is None:
                break
            path.append(best)
            seen.add(best)
            cur = best
        return tuple(reversed(path)), tuple(reversed(routes))

    @cached_property
    def route_id(self) -> dict[int, str]:
        """Route index -> its id (``3``, ``3.a``) for the routes of numbered steps."""
        return {r.index: rid for s in self.steps for rid, r in s.route_ids()}

    def critical_path_routes(self, goal: str) -> tuple[str, ...]:
        """The ids of the routes the critical path assumed, first step first (empty
        without efforts, where the path does not choose routes)."""
        if not self.timed:
            return ()
        steps = self._step_by_key
        out: list[str] = []
        for r in self._timed_path(goal)[1]:  # each route's id from its step's routes
            s = steps.get(r.output)
            if s is not None:
                out.extend(rid for rid, route in s.route_ids() if route.index == r.index)
        return tuple(out)

    @cached_property
    def _step_by_key(self) -> dict[str, Step]:
        """Deliverable key -> its step (:attr:`route_id` makes every step's ids, which a
        critical path of a few hundred routes does not need)."""
        return {s.key: s for s in self.steps}

    def critical_path_hours(self, goal: str) -> float | None:
        """The goal's earliest finish by the critical path method; None without efforts."""
        if not self.timed:
            return None
        return self._schedule[0].get(goal, 0.0)


def _earliest(
    order: list[str],
    inputs: list[tuple[tuple[int, ...], ...] | None],
    routes: Sequence[Sequence[Route]],
    hours: dict[int, float],
) -> tuple[dict[str, float], dict[str, Route]]:
    """The critical path method along ``order`` (inputs first, but for a loop): each
    produced deliverable's earliest finish by its fastest route (ties: the route listed
    first), given each one's ``routes`` and, by position, the ``inputs`` each route
    requires (an optional input does not hold a route up); a group (no routes, its members
    the one alternative) is ready when its last member is. An input not computed yet (on
    a loop) counts as ready at the start."""
    finish = [0.0] * len(order)
    ready = finish.__getitem__
    duration = hours.get
    chosen: dict[str, Route] = {}
    for p, alternatives in enumerate(inputs):
        if alternatives is None:
            continue
        made = routes[p]
        if len(made) < 2:
            start = max(map(ready, alternatives[0]), default=0.0)
            if made:  # one route: the fastest
                route = chosen[order[p]] = made[0]
                start += duration(route.index, 0.0)
            finish[p] = start
            continue
        best: float | None = None
        for r, required in zip(made, alternatives, strict=True):
            end = max(map(ready, required), default=0.0) + duration(r.index, 0.0)
            if best is None or end < best:
                best, chosen[order[p]] = end, r
        finish[p] = 0.0 if best is None else best
    return dict(zip(order, finish, strict=True)), chosen
