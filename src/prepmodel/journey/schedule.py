"""The critical path method over the steps the goals need (contract §12, docs/schedule.md).

Time is counted in **half working days** (integers, so every figure is exact): a route's
effort in hours is rounded up to the next half day (1h-4h take half a day, 5h-8h a day,
``1.5w`` 7.5 days). Each step is made by the route the journey's critical path chose
(:meth:`Journey.fastest`: least earliest finish, ties to the route listed first) and waits
for every input of that route that is a step (a group waits for its members). Forward
pass: early start = the latest early finish of its predecessors (0 without any); backward
pass from the project finish (the latest early finish): late finish = the earliest late
start of its successors. Total slack = late start - early start; a task without slack is
critical. Calendar dates come from :mod:`prepmodel.model.workdays` (views turn the half
days into dates).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from prepmodel.journey.core import Journey
from prepmodel.model.core import Route, identity

HALF_DAY_HOURS = 4.0


def half_days(hours: float) -> int:
    """Hours of effort as half working days, rounded up (``4h`` -> 1, ``5h`` -> 2)."""
    if hours <= 0:
        return 0
    return math.ceil(hours / HALF_DAY_HOURS - 1e-9)


@dataclass(frozen=True)
class Task:
    """One step as scheduled: times are half working days from the start."""

    step: int
    key: str
    route_id: str | None  # None for a group (it has no route)
    route: Route | None
    hours: float | None  # the route's effort (None: it has none)
    duration: int
    preds: tuple[str, ...]  # keys of the tasks it waits for, in the route's input order
    es: int
    ef: int
    ls: int
    lf: int
    phase: str | None
    resources: tuple[str, ...]

    @property
    def slack(self) -> int:
        return self.ls - self.es

    @property
    def critical(self) -> bool:
        return self.slack == 0


@dataclass(frozen=True, eq=False)
class Plan:
    """The scheduled steps in step order, the checkpoints (milestones) in step order, the
    project finish (half days) and what the stderr notice counts."""

    tasks: tuple[Task, ...]
    milestones: tuple[str, ...]
    finish: int
    routes: int  # routes of the scheduled steps
    without_effort: int  # of them, how many have no effort (before --default-effort)
    goals: tuple[str, ...]

    def task(self, key: str) -> Task:
        return self._by_key[key]

    @cached_property
    def _by_key(self) -> dict[str, Task]:
        return {t.key: t for t in self.tasks}


@dataclass(frozen=True)
class Node:
    """A task before the passes: what :func:`cpm` needs."""

    key: str
    duration: int
    preds: tuple[str, ...]


def cpm(nodes: list[Node]) -> tuple[dict[str, tuple[int, int, int, int]], int]:
    """Early/late start and finish of every node (listed predecessors first), and the
    project finish. A predecessor that is not listed before its successor is ignored."""
    seen: set[str] = set()
    early: dict[str, tuple[int, int]] = {}
    for n in nodes:
        es = max((early[p][1] for p in n.preds if p in seen), default=0)
        early[n.key] = (es, es + n.duration)
        seen.add(n.key)
    finish = max((ef for _, ef in early.values()), default=0)
    late_start: dict[str, int] = {}
    out: dict[str, tuple[int, int, int, int]] = {}
    succ_ls: dict[str, int] = {}
    for n in reversed(nodes):
        lf = succ_ls.get(n.key, finish)
        ls = lf - n.duration
        late_start[n.key] = ls
        es, ef = early[n.key]
        out[n.key] = (es, ef, ls, lf)
        seen.discard(n.key)
        for p in n.preds:
            if p in seen:
                succ_ls[p] = min(succ_ls.get(p, finish), ls)
    return out, finish


def plan(
    journey: Journey, goals: list[str] | None = None, default_hours: float | None = None
) -> Plan:
    """The schedule of the steps that ``goals`` (default: every goal) need; routes without
    effort take ``default_hours`` when given, else no time."""
    model = journey.model
    goal_keys = list(goals) if goals is not None else list(model.goals)
    needed: set[str] = set()
    for g in goal_keys:
        needed |= journey.graph.needed_by(g)
    steps = [s for s in journey.steps if s.key in needed]
    hours = dict(journey.effort_hours)
    routes = [r for s in steps for r in s.routes]
    without = sum(1 for r in routes if r.index not in hours)
    if default_hours is not None:
        for r in model.routes:
            hours.setdefault(r.index, default_hours)
    _, chosen = journey.fastest(hours)
    ids = journey.route_id
    keys = {s.key for s in steps}
    nodes: list[Node] = []
    info: dict[str, tuple[Route | None, float | None, tuple[str, ...]]] = {}
    for s in steps:
        route = chosen.get(s.key)
        if route is not None:
            inputs: tuple[str, ...] = route.required  # an optional input is not waited for
            h = hours.get(route.index)
            people = _roles(route.by)
        else:
            inputs = s.group_members or ()
            h = None
            people = ()
        preds = tuple(dict.fromkeys(x for x in inputs if x in keys and x != s.key))
        nodes.append(Node(s.key, half_days(h) if h is not None else 0, preds))
        info[s.key] = (route, h, people)
    times, finish = cpm(nodes)
    tasks = []
    for s, n in zip(steps, nodes, strict=True):
        route, h, people = info[s.key]
        es, ef, ls, lf = times[n.key]
        tasks.append(
            Task(
                step=s.number,
                key=s.key,
                route_id=ids.get(route.index) if route is not None else None,
                route=route,
                hours=h,
                duration=n.duration,
                preds=n.preds,
                es=es,
                ef=ef,
                ls=ls,
                lf=lf,
                phase=journey.phase_of.get(s.key),
                resources=people,
            )
        )
    checkpoints = {c.key for g in goal_keys for c in journey.goal(g).checkpoints}
    milestones = tuple(s.key for s in steps if s.key in checkpoints)
    return Plan(tuple(tasks), milestones, finish, len(routes), without, tuple(goal_keys))


def _roles(names: tuple[str, ...]) -> tuple[str, ...]:
    """Role names once each (by identity), as first written."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(identity(name), name)
    return tuple(seen.values())
