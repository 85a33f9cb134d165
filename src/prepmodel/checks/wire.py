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


def dumps(model: Model, journey: JourneyState | None = None) -> bytes:
    """``model`` (and a journey from ``Journey.export``) as bytes for :func:`loads`."""
    T = tuple
    deliverables = [
        (
            d.key,
            d.name,
            T(d.span),
            d.goal,
            d.external,
            d.declared,
            d.attrs,
            T((s.text, T(s.span)) for s in d.spellings),
        )
        for d in model.deliverables.values()
    ]
    routes = [
        (
            r.output,
            r.inputs,
            r.attrs,
            T(r.span),
            T(r.output_span),
            T(map(T, r.input_spans)),
            r.optional,
        )
        for r in model.routes
    ]
    groups = [
        (g.key, g.members, T(g.span), T(map(T, g.member_spans))) for g in model.group_statements
    ]
    group_firsts = [g.index for g in model.groups.values()]
    phases = [
        (p.key, p.name, p.members, p.attrs, T(p.span), T(map(T, p.member_spans)))
        for p in model.phases
    ]
    roles = [(r.key, r.name, r.attrs, T(r.span)) for r in model.roles.values()]
    kpis = [(k.key, k.name, k.attrs, T(k.span)) for k in model.kpis.values()]
    journey_rows: tuple[Any, ...] | None = None
    if journey is not None:
        steps, _step_of, goals = journey
        journey_rows = (
            [(s.number, s.key, T(r.index for r in s.routes), s.group_members) for s in steps],
            [
                (
                    g.key,
                    T((c.step, c.key, c.phase, c.exit) for c in g.checkpoints),
                    g.route_dependent,
                )
                for g in goals.values()
            ],
        )
    return marshal.dumps(
        (
            model.path,
            model.title,
            model.attrs,
            deliverables,
            routes,
            groups,
            group_firsts,
            phases,
            roles,
            model.goals,
            model.externals,
            kpis,
            journey_rows,
            model.file_order,
        )
    )


def loads(data: bytes) -> tuple[Model, JourneyState | None]:
    """The model (and journey state) that :func:`dumps` wrote."""
    (
        path,
        title,
        attrs,
        deliverables,
        routes,
        groups,
        group_firsts,
        phases,
        roles,
        goals,
        externals,
        kpis,
        journey,
        file_order,
    ) = marshal.loads(data)
    dmap = {}
    for key, name, span, goal, external, declared, d_attrs, spellings in deliverables:
        dmap[key] = construct(
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
    route_objs = tuple(
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
        for i, (output, inputs, r_attrs, span, out_span, in_spans, optional) in enumerate(routes)
    )
    group_objs = tuple(
        construct(
            Group,
            {
                "index": i,
                "key": key,
                "members": members,
                "span": _span(span),
                "member_spans": _spans(m_spans),
            },
        )
        for i, (key, members, span, m_spans) in enumerate(groups)
    )
    phase_objs = tuple(
        construct(
            Phase,
            {
                "index": i,
                "key": key,
                "name": name,
                "members": members,
                "attrs": p_attrs,
                "span": _span(span),
                "member_spans": _spans(m_spans),
            },
        )
        for i, (key, name, members, p_attrs, span, m_spans) in enumerate(phases)
    )
    role_objs = {
        key: construct(Role, {"key": key, "name": name, "attrs": r_attrs, "span": _span(span)})
        for key, name, r_attrs, span in roles
    }
    kpi_objs = {
        key: construct(Kpi, {"key": key, "name": name, "attrs": k_attrs, "span": _span(span)})
        for key, name, k_attrs, span in kpis
    }
    model = construct(
        Model,
        {
            "path": path,
            "title": title,
            "attrs": attrs,
            "deliverables": dmap,
            "routes": route_objs,
            "groups": {group_objs[i].key: group_objs[i] for i in group_firsts},
            "group_statements": group_objs,
            "phases": phase_objs,
            "roles": role_objs,
            "goals": goals,
            "externals": externals,
            "kpis": kpi_objs,
            "file_order": file_order,
        },
    )
    state: JourneyState | None = None
    if journey is not None:
        step_rows, goal_rows = journey
        steps = [
            Step(number, key, tuple(route_objs[i] for i in route_ids), members)
            for number, key, route_ids, members in step_rows
        ]
        state = (
            steps,
            {s.key: s.number for s in steps},
            {
                key: GoalJourney(key, tuple(Checkpoint(*c) for c in checkpoints), dependent)
                for key, checkpoints, dependent in goal_rows
            },
        )
    return model, state
