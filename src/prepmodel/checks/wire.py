"""A model (and its journey) as bytes, to send from one process to another.

`prep diff` analyses each side in a forked process (``analysis.analyse_pair``).
Pickling the pydantic objects took 0.4 s for a 10,000-deliverable model, most of the time
the second process saved. Here the model becomes nested tuples of strings and numbers,
which ``marshal`` writes and reads at C speed, and the objects are rebuilt the way
pydantic's own ``model_construct`` and unpickling do (no validation: the data came from a
model that was valid). Only for two processes of the same installation: marshal's format
is private to one Python version.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from prepmodel.journey.core import Checkpoint, GoalJourney, JourneyState, Step
from prepmodel.model.core import (
    Deliverable,
    Group,
    Kpi,
    Model,
    Phase,
    Role,
    Route,
    Spelling,
    construct,
)
from prepmodel.text.span import Span

_span_new = tuple.__new__


def _span(t: tuple[int, int, int, int]) -> Span:
    return _span_new(Span, t)


def _spans(ts: tuple[tuple[int, int, int, int], ...]) -> tuple[Span, ...]:
    return tuple([_span_new(Span, t) for t in ts])


# A message is a run of chunks, each ``marshal.dumps((section, rows))``: the head, then
# the rows of each section in order, a few thousand at a time, so that neither process
# ever holds the whole model twice (once as objects, once as rows; issue #18). A key
# named in several chunks is one string per chunk on the reading side (about 16 MB more
# for a 100,000-deliverable model); mapping each back to one object (a million look-ups)
# made a side's load 3.3 s instead of 1.6-2.2 s, so it is not done.
_HEAD, _DELIVERABLES, _ROUTES, _GROUPS, _PHASES, _ROLES, _KPIS, _STEPS, _GOALS = range(9)
_ROWS = 4096  # rows a chunk


def chunks(model: Model, journey: JourneyState | None = None) -> Iterator[bytes]:
    """``model`` (and a journey from ``Journey.export``) as chunks for :class:`Loader`.
    The rows of a chunk are made when it is asked for."""
    T = tuple
    dump = marshal.dumps
    yield dump(
        (
            _HEAD,
            (
                model.path,
                model.title,
                model.attrs,
                model.goals,
                model.externals,
                model.file_order,
                [g.index for g in model.groups.values()],
                journey is not None,
            ),
        )
    )
    yield from _sections(
        _DELIVERABLES,
        model.deliverables.values(),
        lambda d: (
            d.key,
            d.name,
            T(d.span),
            d.goal,
            d.external,
            d.declared,
            d.attrs,
            T((s.text, T(s.span)) for s in d.spellings),
        ),
    )
    yield from _sections(
        _ROUTES,
        model.routes,
        lambda r: (
            r.output,
            r.inputs,
            r.attrs,
            T(r.span),
            T(r.output_span),
            T(map(T, r.input_spans)),
            r.optional,
        ),
    )
    yield from _sections(
        _GROUPS,
        model.group_statements,
        lambda g: (g.key, g.members, T(g.span), T(map(T, g.member_spans))),
    )
    yield from _sections(
        _PHASES,
        model.phases,
        lambda p: (p.key, p.name, p.members, p.attrs, T(p.span), T(map(T, p.member_spans))),
    )
    yield from _sections(
        _ROLES, model.roles.values(), lambda r: (r.key, r.name, r.attrs, T(r.span))
    )
    yield from _sections(_KPIS, model.kpis.values(), lambda k: (k.key, k.name, k.attrs, T(k.span)))
    if journey is not None:
        steps, _step_of, goals = journey
        yield from _sections(
            _STEPS,
            steps,
            lambda s: (s.number, s.key, T(r.index for r in s.routes), s.group_members),
        )
        yield from _sections(
            _GOALS,
            goals.values(),
            lambda g: (
                g.key,
                T((c.step, c.key, c.phase, c.exit) for c in g.checkpoints),
                g.route_dependent,
            ),
        )


def _sections(section: int, items: Iterable[Any], row: Callable[[Any], Any]) -> Iterator[bytes]:
    dump = marshal.dumps
    it = iter(items)
    while True:
        rows = [row(x) for x in islice(it, _ROWS)]
        if not rows:
            return
        yield dump((section, rows))


class Loader:
    """Rebuilds what :func:`chunks` wrote, a chunk at a time (:meth:`feed`), then
    :meth:`result`. The objects are made the way pydantic's own ``model_construct`` and
    unpickling do: no validation, the data came from a model that was valid."""

    def __init__(self) -> None:
        self.head: tuple[Any, ...] | None = None
        self.deliverables: dict[str, Deliverable] = {}
        self.routes: list[Route] = []
        self.groups: list[Group] = []
        self.phases: list[Phase] = []
        self.roles: dict[str, Role] = {}
        self.kpis: dict[str, Kpi] = {}
        self.steps: list[Step] = []
        self.goals: dict[str, GoalJourney] = {}

    def feed(self, chunk: bytes) -> None:
        """One chunk, after those before it (ValueError, TypeError: not a chunk)."""
        section, rows = marshal.loads(chunk)
        if section == _HEAD:
            self.head = rows
        elif section == _DELIVERABLES:
            self._deliverables(rows)
        elif section == _ROUTES:
            self._routes(rows)
        elif section == _GROUPS:
            for key, members, span, m_spans in rows:
                self.groups.append(
                    construct(
                        Group,
                        {
                            "index": len(self.groups),
                            "key": key,
                            "members": members,
                            "span": _span(span),
                            "member_spans": _spans(m_spans),
                        },
                    )
                )
        elif section == _PHASES:
            for key, name, members, p_attrs, span, m_spans in rows:
                self.phases.append(
                    construct(
                        Phase,
                        {
                            "index": len(self.phases),
                            "key": key,
                            "name": name,
                            "members": members,
                            "attrs": p_attrs,
                            "span": _span(span),
                            "member_spans": _spans(m_spans),
                        },
                    )
                )
        elif section in (_ROLES, _KPIS):
            table: dict[str, Any] = self.roles if section == _ROLES else self.kpis
            cls: type[Role] | type[Kpi] = Role if section == _ROLES else Kpi
            for key, name, attrs, span in rows:
                table[key] = construct(
                    cls, {"key": key, "name": name, "attrs": attrs, "span": _span(span)}
                )
        elif section == _STEPS:
            routes = self.routes
            self.steps += [
                Step(number, key, tuple([routes[i] for i in route_ids]), members)
                for number, key, route_ids, members in rows
            ]
        elif section == _GOALS:
            for key, checkpoints, dependent in rows:
                self.goals[key] = GoalJourney(
                    key, tuple([Checkpoint(*c) for c in checkpoints]), dependent
                )
        else:
            raise ValueError(f"unknown section {section!r}")

    def _deliverables(self, rows: list[Any]) -> None:
        out = self.deliverables
        for key, name, span, goal, external, declared, d_attrs, spellings in rows:
            out[key] = construct(
                Deliverable,
                {
                    "key": key,
                    "name": name,
                    "span": _span(span),
                    "goal": goal,
                    "external": external,
                    "declared": declared,
                    "attrs": d_attrs,
                    "spellings": tuple(
                        construct(Spelling, {"text": t, "span": _span(s)}) for t, s in spellings
                    ),
                },
            )

    def _routes(self, rows: list[Any]) -> None:
        out = self.routes
        i = len(out)
        for output, inputs, r_attrs, span, out_span, in_spans, optional in rows:
            out.append(
                construct(
                    Route,
                    {
                        "index": i,
                        "output": output,
                        "inputs": inputs,
                        "attrs": r_attrs,
                        "span": _span(span),
                        "output_span": _span(out_span),
                        "input_spans": _spans(in_spans),
                        "optional": optional,
                    },
                )
            )
            i += 1

    def result(self) -> tuple[Model, JourneyState | None]:
        """The model (and journey state) of the chunks fed (ValueError: no head came)."""
        if self.head is None:
            raise ValueError("no head chunk")
        path, title, attrs, goals, externals, file_order, group_firsts, journey = self.head
        group_objs = tuple(self.groups)
        model = construct(
            Model,
            {
                "path": path,
                "title": title,
                "attrs": attrs,
                "deliverables": self.deliverables,
                "routes": tuple(self.routes),
                "groups": {group_objs[i].key: group_objs[i] for i in group_firsts},
                "group_statements": group_objs,
                "phases": tuple(self.phases),
                "roles": self.roles,
                "goals": goals,
                "externals": externals,
                "kpis": self.kpis,
                "file_order": file_order,
            },
        )
        state: JourneyState | None = None
        if journey:
            steps = self.steps
            state = (steps, {s.key: s.number for s in steps}, self.goals)
        return model, state
