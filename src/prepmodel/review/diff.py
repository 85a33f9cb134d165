"""Semantic diff of two models: what a reviewer needs to know, not which lines moved.

Deliverables are matched by identity first. What is left over on each side (removed and
added) is paired into **renames** by where the deliverables sit in the structure (see
``diff_match``; its public names are re-exported here). Matched deliverables are then
compared aspect by aspect (routes, attributes, phase, kind), routes as *sets of inputs*
under the rename mapping, so comments, spacing, statement order and input order never show
up. Step numbers depend on statement order, so they are reported only in the journey
section (:class:`GoalImpact`).

Text, markdown and JSON views of a :class:`ModelDiff`, and the union-diagram data
(``union.union_view``, drawn by ``diff_dot``), live in ``report`` and ``union``. The rename scoring
is documented for users in ``docs/git.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from prepmodel.checks.analysis import Analysis
from prepmodel.journey.core import Journey, route_letter
from prepmodel.model.core import Model, Route, identity
from prepmodel.review.match import (
    RENAME_EVIDENCE,
    RENAME_NAME_FLOOR,
    RENAME_THRESHOLD,
    RENAME_WEIGHTS,
    Renamed,
    jaccard,
    kind_of,
    match_renames,
    rename_score,
)
from prepmodel.text.i18n import N_, msg

__all__ = [
    "ASPECTS",
    "RENAME_EVIDENCE",
    "RENAME_NAME_FLOOR",
    "RENAME_THRESHOLD",
    "RENAME_WEIGHTS",
    "Changed",
    "Detail",
    "GoalImpact",
    "JourneyEvent",
    "ModelDiff",
    "Renamed",
    "kind_of",
    "rename_score",
    "semantic_diff",
]

#: The aspects of a changed deliverable, in the order they are listed (contract §7).
ASPECTS = ("routes", "attributes", "phase", "kind")


@dataclass(frozen=True)
class Detail:
    """One thing that changed about one deliverable.

    ``change`` is a short code (``input_added``, ``input_removed``, ``input_optional``,
    ``input_required``, ``scenario_changed``, ``route_added``, ``route_removed``,
    ``member_added``, ``member_removed``, ``attribute_changed``, ``phase_changed``,
    ``kind_changed``); ``route`` the route id (new numbering, old numbering for a removed
    route); ``key`` the input or attribute it is about (``when`` for a scenario change).
    """

    aspect: str
    change: str
    text: str
    route: str | None = None
    key: str | None = None
    old: str | list[str] | None = None
    new: str | list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "aspect": self.aspect,
            "change": self.change,
            "route": self.route,
            "key": self.key,
            "old": self.old,
            "new": self.new,
            "text": self.text,
        }


@dataclass(frozen=True)
class Changed:
    """A deliverable on both sides (maybe renamed) that differs in some aspect."""

    key: str
    name: str
    old_name: str
    details: tuple[Detail, ...]

    @property
    def what(self) -> list[str]:
        present = {d.aspect for d in self.details}
        return [a for a in ASPECTS if a in present]


@dataclass(frozen=True)
class JourneyEvent:
    """A change in one goal's checkpoint list.

    ``change``: ``checkpoint_added``, ``checkpoint_removed``, ``became_route_dependent``,
    ``route_dependent_added``, ``route_dependent_removed`` or ``renumbered``.
    """

    change: str
    name: str
    old_step: int | None
    new_step: int | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "name": self.name,
            "old_step": self.old_step,
            "new_step": self.new_step,
            "text": self.text,
        }


@dataclass(frozen=True)
class GoalImpact:
    """How the journey to one goal changed; ``change`` is ``goal_added``, ``goal_removed``
    or ``checkpoints``."""

    goal: str
    change: str
    events: tuple[JourneyEvent, ...]


@dataclass(frozen=True)
class DeclChange:
    """A role or a kpi declaration that was added, removed, or whose attribute (``party``,
    ``unit``, ...) changed (``key``, ``old``, ``new``)."""

    kind: str  # "role" or "kpi"
    name: str
    change: str  # "added", "removed", "changed"
    key: str | None = None
    old: str | None = None
    new: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "change": self.change,
            "key": self.key,
            "old": self.old,
            "new": self.new,
        }


def declaration_changes(old: Model, new: Model) -> list[DeclChange]:
    """How the role and kpi declarations differ (contract §10, §11), roles first, each
    kind in the order of the new file, then what was removed."""
    out: list[DeclChange] = []
    for kind, a, b in (("role", old.roles, new.roles), ("kpi", old.kpis, new.kpis)):
        for k, decl in b.items():
            before = a.get(k)
            if before is None:
                out.append(DeclChange(kind, decl.name, "added"))
                continue
            for key in sorted(set(before.attrs) | set(decl.attrs)):
                x, y = _value(before.attrs.get(key), key), _value(decl.attrs.get(key), key)
                if x != y:
                    out.append(DeclChange(kind, decl.name, "changed", key, x, y))
        out += [DeclChange(kind, d.name, "removed") for k, d in a.items() if k not in b]
    return out


@dataclass
class ModelDiff:
    """The semantic difference between two analysed files. Lists are sorted."""

    old: Analysis
    new: Analysis
    mapping: dict[str, str]  # old key -> new key, for every matched deliverable
    renamed: list[Renamed]
    added: list[str]  # new keys
    removed: list[str]  # old keys
    changed: list[Changed]
    journey: list[GoalImpact] = field(default_factory=list)
    declarations: list[DeclChange] = field(default_factory=list)  # roles and kpis

    @property
    def empty(self) -> bool:
        """No differences at all, step renumbering included."""
        return not (
            self.added
            or self.removed
            or self.renamed
            or self.changed
            or self.journey
            or self.declarations
        )

    def new_name(self, key: str) -> str:
        return self.new.model.name(key)

    def old_name(self, key: str) -> str:
        return self.old.model.name(key)


def name_key(name: str) -> tuple[str, str]:
    """How display names are sorted everywhere in the diff."""
    return (name.casefold(), name)


def semantic_diff(old: Analysis, new: Analysis) -> ModelDiff:
    """The semantic difference from ``old`` to ``new`` (both may have semantic errors)."""
    old_keys, new_keys = set(old.model.deliverables), set(new.model.deliverables)
    mapping = {k: k for k in old_keys & new_keys}
    removed, added = old_keys - new_keys, new_keys - old_keys
    renamed = match_renames(old, new, mapping, removed, added)
    renamed.sort(key=lambda r: (name_key(r.old_name), name_key(r.new_name)))
    cmp = _Compare(old, new, mapping)
    changed = []
    for o, n in mapping.items():
        details = cmp.deliverable(o, n)
        if details:
            changed.append(Changed(n, new.model.name(n), old.model.name(o), tuple(details)))
    changed.sort(key=lambda c: name_key(c.name))
    return ModelDiff(
        old=old,
        new=new,
        mapping=mapping,
        renamed=renamed,
        added=sorted(added, key=lambda k: name_key(new.model.name(k))),
        removed=sorted(removed, key=lambda k: name_key(old.model.name(k))),
        changed=changed,
        journey=journey_impact(old.journey, new.journey, mapping),
        declarations=declaration_changes(old.model, new.model),
    )


def route_ids(j: Journey) -> dict[int, str]:
    """Route index -> id: ``n.a`` for steps; ``route a`` for routes of unnumbered outputs."""
    ids: dict[int, str] = {}
    for step in j.steps:
        for rid, r in step.route_ids():
            ids[r.index] = rid
    for output, routes in j.graph.routes_by_output.items():
        if output in j.step_of:
            continue
        for i, r in enumerate(routes):
            ids[r.index] = "route" if len(routes) == 1 else f"route {route_letter(i)}"
    return ids


def _value(values: tuple[str, ...] | None, key: str) -> str | None:
    if not values:
        return None
    if key == "by":
        values = tuple(sorted(set(values)))
    return ", ".join(values)


def _show(value: str | None) -> str:
    return N_("(none)") if value is None else f'"{value}"'


#: The words for ``kind_of`` in the text of a change (the JSON keeps the codes).
KIND_WORDS = {
    "goal": N_("goal"),
    "external": N_("external"),
    "group": N_("group"),
    "produced": N_("produced"),
    "declared": N_("declared"),
}


class _Compare:
    """Aspect-by-aspect comparison of matched deliverables."""

    def __init__(self, old: Analysis, new: Analysis, mapping: dict[str, str]) -> None:
        self.old, self.new, self.mapping = old, new, mapping
        # Old keys that are not the same key on the new side (renamed or removed): a route
        # none of whose inputs is one of them compares as written (see same_routes).
        self.moved = frozenset(k for k in old.model.deliverables if mapping.get(k) != k)

    @cached_property
    def old_ids(self) -> dict[int, str]:
        return route_ids(self.old.journey)

    @cached_property
    def new_ids(self) -> dict[int, str]:
        return route_ids(self.new.journey)

    def old_input(self, k: str) -> str:
        """An old input key under the mapping (unmatched keys stay distinct)."""
        return self.mapping.get(k, "\0old:" + k)

    def input_name(self, k: str) -> str:
        if k.startswith("\0old:"):
            return self.old.model.name(k[5:])
        return self.new.model.name(k)

    def deliverable(self, o: str, n: str) -> list[Detail]:
        out = self.routes(o, n) + self.members(o, n)
        old_attrs = self.old.model.deliverables[o].attrs
        new_attrs = self.new.model.deliverables[n].attrs
        if old_attrs != new_attrs:
            out += self.attributes(None, old_attrs, new_attrs)
        old_phase = self.old.journey.phase_of.get(o)
        new_phase = self.new.journey.phase_of.get(n)
        if old_phase != new_phase and (identity(old_phase) if old_phase else None) != (
            identity(new_phase) if new_phase else None
        ):
            out.append(
                Detail(
                    "phase",
                    "phase_changed",
                    msg(
                        "{old} → {new}",
                        old=old_phase or N_("(none)"),
                        new=new_phase or N_("(none)"),
                    ),
                    old=old_phase,
                    new=new_phase,
                )
            )
        old_kind, new_kind = kind_of(self.old, o), kind_of(self.new, n)
        if old_kind != new_kind:
            out.append(
                Detail(
                    "kind",
                    "kind_changed",
                    msg("{old} → {new}", old=KIND_WORDS[old_kind], new=KIND_WORDS[new_kind]),
                    old=old_kind,
                    new=new_kind,
                )
            )
        return out

    def same_routes(self, old_routes: list[Route], new_routes: list[Route]) -> bool:
        """The same routes in the same order, each input written the same and none of them
        renamed or removed: then nothing about the routes can differ. The common case,
        told without building the input sets (most of the time of a big diff's
        comparison)."""
        if len(old_routes) != len(new_routes):
            return False
        moved = self.moved
        return all(
            a.inputs == b.inputs
            and a.optional == b.optional
            and a.attrs == b.attrs
            and moved.isdisjoint(a.inputs)
            and moved.isdisjoint(a.optional)
            for a, b in zip(old_routes, new_routes, strict=True)
        )

    def routes(self, o: str, n: str) -> list[Detail]:
        old_routes = self.old.graph.routes_by_output.get(o, [])
        new_routes = self.new.graph.routes_by_output.get(n, [])
        if self.same_routes(old_routes, new_routes):
            return []
        old_sets = [frozenset(self.old_input(x) for x in r.inputs) for r in old_routes]
        new_sets = [frozenset(r.inputs) for r in new_routes]
        old_optional = [frozenset(self.old_input(x) for x in r.optional) for r in old_routes]
        new_optional = [frozenset(r.optional) for r in new_routes]
        if (
            old_sets == new_sets
            and old_optional == new_optional
            and all(a.attrs == b.attrs for a, b in zip(old_routes, new_routes, strict=True))
        ):
            return []  # the common case: same routes in the same order, nothing to report
        pairs = pair_routes(old_sets, new_sets, old_routes, new_routes)
        out: list[Detail] = []
        paired_old = {i for i, _ in pairs}
        paired_new = {j for _, j in pairs}
        for i, j in sorted(pairs, key=lambda p: p[1]):
            rid = self.new_ids.get(new_routes[j].index, "route")
            for x in new_routes[j].inputs:
                if x not in old_sets[i]:
                    name = self.input_name(x)
                    out.append(
                        Detail(
                            "routes",
                            "input_added",
                            msg("{route} gained optional input {name}", route=rid, name=name)
                            if x in new_optional[j]
                            else msg("{route} gained input {name}", route=rid, name=name),
                            route=rid,
                            key=name,
                        )
                    )
                elif (x in new_optional[j]) != (x in old_optional[i]):
                    out.append(self.optional_changed(rid, x, x in new_optional[j]))
            for x in old_routes[i].inputs:
                if self.old_input(x) not in new_sets[j]:
                    name = self.input_name(self.old_input(x))
                    out.append(
                        Detail(
                            "routes",
                            "input_removed",
                            msg("{route} lost input {name}", route=rid, name=name),
                            route=rid,
                            key=name,
                        )
                    )
            out += self.scenarios(rid, old_routes[i].when, new_routes[j].when)
            old_attrs = {k: v for k, v in old_routes[i].attrs.items() if k != "when"}
            new_attrs = {k: v for k, v in new_routes[j].attrs.items() if k != "when"}
            out += self.attributes(rid, old_attrs, new_attrs)
        several = len(new_routes) > 1
        for j, r in enumerate(new_routes):
            if j not in paired_new:
                rid = self.new_ids.get(r.index, "route")
                names = [self.new.model.name(x) for x in r.inputs]
                shown = [
                    f"[{self.new.model.name(x)}]" if x in r.optional else n
                    for x, n in zip(r.inputs, names, strict=True)
                ]
                out.append(
                    Detail(
                        "routes",
                        "route_added",
                        msg(
                            "alternative route {route} added: {text}",
                            route=rid,
                            text=_route_text(shown, r),
                        )
                        if several
                        else msg(
                            "route {route} added: {text}", route=rid, text=_route_text(shown, r)
                        ),
                        route=rid,
                        new=names,
                    )
                )
        several = len(old_routes) > 1
        for i, r in enumerate(old_routes):
            if i not in paired_old:
                rid = self.old_ids.get(r.index, "route")
                names = [self.input_name(self.old_input(x)) for x in r.inputs]
                shown = [
                    f"[{n}]" if x in r.optional else n for x, n in zip(r.inputs, names, strict=True)
                ]
                out.append(
                    Detail(
                        "routes",
                        "route_removed",
                        msg("alternative route removed: {text}", text=_route_text(shown, r))
                        if several
                        else msg("route removed: {text}", text=_route_text(shown, r)),
                        route=rid,
                        old=names,
                    )
                )
        return out

    def optional_changed(self, rid: str, x: str, optional: bool) -> Detail:
        """Input ``x`` (a new key) of route ``rid`` became optional, or required again."""
        name = self.input_name(x)
        return Detail(
            "routes",
            "input_optional" if optional else "input_required",
            msg("input {name} of route {route} became optional", name=name, route=rid)
            if optional
            else msg("input {name} of route {route} became required", name=name, route=rid),
            route=rid,
            key=name,
            old="required" if optional else "optional",
            new="optional" if optional else "required",
        )

    def scenarios(self, rid: str, old: tuple[str, ...], new: tuple[str, ...]) -> list[Detail]:
        """A change of a route's ``when`` (contract §9): the scenarios it applies in."""
        if {identity(x) for x in old} == {identity(x) for x in new}:
            return []
        every = N_("every scenario")
        return [
            Detail(
                "routes",
                "scenario_changed",
                msg(
                    "route {route} now applies in {new} (was: {old})",
                    route=rid,
                    new=", ".join(new) or every,
                    old=", ".join(old) or every,
                ),
                route=rid,
                key="when",
                old=list(old),
                new=list(new),
            )
        ]

    def members(self, o: str, n: str) -> list[Detail]:
        old_g, new_g = self.old.model.groups.get(o), self.new.model.groups.get(n)
        if old_g is None or new_g is None:
            return []
        old_members = [self.old_input(x) for x in old_g.members]
        out = [
            Detail(
                "routes",
                "member_added",
                msg("group gained member {name}", name=self.input_name(x)),
                key=self.input_name(x),
            )
            for x in new_g.members
            if x not in old_members
        ]
        out += [
            Detail(
                "routes",
                "member_removed",
                msg("group lost member {name}", name=self.input_name(x)),
                key=self.input_name(x),
            )
            for x in old_members
            if x not in new_g.members
        ]
        return out

    def attributes(
        self, rid: str | None, old: dict[str, tuple[str, ...]], new: dict[str, tuple[str, ...]]
    ) -> list[Detail]:
        out = []
        for key in sorted(set(old) | set(new)):
            a, b = _value(old.get(key), key), _value(new.get(key), key)
            if a != b:
                out.append(
                    Detail(
                        "attributes",
                        "attribute_changed",
                        msg(
                            "{route} {key} {old} → {new}",
                            route=rid,
                            key=key,
                            old=_show(a),
                            new=_show(b),
                        )
                        if rid
                        else msg("{key} {old} → {new}", key=key, old=_show(a), new=_show(b)),
                        route=rid,
                        key=key,
                        old=a,
                        new=b,
                    )
                )
        return out


def _route_text(names: list[str], r: Route) -> str:
    text = " + ".join(names) if names else N_("(no inputs)")
    return msg("{inputs} ({work})", inputs=text, work=r.work) if r.work else text


def pair_routes(
    old_sets: list[frozenset[str]],
    new_sets: list[frozenset[str]],
    old_routes: list[Route],
    new_routes: list[Route],
) -> list[tuple[int, int]]:
    """Pair old and new routes of one deliverable: equal input sets, then the largest
    overlap, then the same work, then a lone route on each side."""
    pairs: list[tuple[int, int]] = []
    free_old, free_new = list(range(len(old_sets))), list(range(len(new_sets)))

    def take(i: int, j: int) -> None:
        pairs.append((i, j))
        free_old.remove(i)
        free_new.remove(j)

    for i in list(free_old):
        j = next((j for j in free_new if new_sets[j] == old_sets[i]), None)
        if j is not None:
            take(i, j)
    overlaps = sorted(
        (-jaccard(old_sets[i], new_sets[j]), i, j)
        for i in free_old
        for j in free_new
        if old_sets[i] & new_sets[j]
    )
    for _, i, j in overlaps:
        if i in free_old and j in free_new:
            take(i, j)
    for i in list(free_old):
        work = old_routes[i].work
        j = next((j for j in free_new if work and new_routes[j].work == work), None)
        if j is not None:
            take(i, j)
    if len(free_old) == 1 and len(free_new) == 1:
        take(free_old[0], free_new[0])
    return pairs


def journey_impact(old: Journey, new: Journey, mapping: dict[str, str]) -> list[GoalImpact]:
    """Per goal, how its checkpoint list changed (matching deliverables by ``mapping``)."""
    impacts: list[GoalImpact] = []
    back = {n: o for o, n in mapping.items()}
    old_goals = set(old.model.goals)
    new_goals = set(new.model.goals)
    steps = _Steps(old, new, mapping)  # once for all goals: a model's goals grow with it
    for g in new.model.goals:
        o = back.get(g)
        gj = new.goal(g)
        if o is None or o not in old_goals:
            events = tuple(
                JourneyEvent(
                    "checkpoint_added",
                    new.name(c.key),
                    None,
                    c.step,
                    msg("checkpoint {name} (step {step})", name=new.name(c.key), step=c.step),
                )
                for c in gj.checkpoints
            )
            impacts.append(GoalImpact(new.name(g), "goal_added", events))
            continue
        events = _goal_events(steps, o, g)
        if events:
            impacts.append(GoalImpact(new.name(g), "checkpoints", events))
    for o in old.model.goals:
        if mapping.get(o) not in new_goals:
            impacts.append(GoalImpact(old.name(o), "goal_removed", ()))
    impacts.sort(key=lambda i: (name_key(i.goal), i.change))
    return impacts


def _added_checkpoint(name: str, step: int, was_dependent: bool, before: int | None) -> str:
    """``new checkpoint X (step 5)``, saying when X was route-dependent and its old step."""
    if not was_dependent:
        return msg("new checkpoint {name} (step {step})", name=name, step=step)
    if before is None or before == step:
        return msg(
            "new checkpoint {name} (step {step}) (was route-dependent)", name=name, step=step
        )
    return msg(
        "new checkpoint {name} (step {step}) (was route-dependent, step {before})",
        name=name,
        step=step,
        before=before,
    )


class _Steps:
    """What every goal's comparison shares: the old step numbers under the new keys.

    An old deliverable with no match keeps its old key behind ``\0old:`` (it can equal
    nothing on the new side). Built once per diff, not once per goal: the map has an
    entry per step, and on a model whose goals grow with its size, one per goal made the
    journey comparison quadratic (issue #18)."""

    def __init__(self, old: Journey, new: Journey, mapping: dict[str, str]) -> None:
        self.old, self.new, self.mapping = old, new, mapping
        self.new_step = new.step_of
        self.old_step = {self.m(k): s for k, s in old.step_of.items()}

    def m(self, k: str) -> str:
        """An old key as the new side knows it."""
        return self.mapping.get(k, "\0old:" + k)

    def name(self, k: str) -> str:
        return self.old.name(k[5:]) if k.startswith("\0old:") else self.new.name(k)


def _goal_events(steps: _Steps, o: str, n: str) -> tuple[JourneyEvent, ...]:
    before, after = steps.old.goal(o), steps.new.goal(n)
    m, name = steps.m, steps.name
    old_cp = {m(c.key): c.step for c in before.checkpoints}
    new_cp = {c.key: c.step for c in after.checkpoints}
    old_rd = {m(k) for k in before.route_dependent}
    new_rd = set(after.route_dependent)
    new_step = steps.new_step
    old_step = steps.old_step
    events: list[JourneyEvent] = []
    for k, step in new_cp.items():
        if k not in old_cp:
            events.append(
                JourneyEvent(
                    "checkpoint_added",
                    name(k),
                    old_step.get(k),
                    step,
                    _added_checkpoint(name(k), step, k in old_rd, old_step.get(k)),
                )
            )
        elif old_cp[k] != step:
            events.append(
                JourneyEvent(
                    "renumbered",
                    name(k),
                    old_cp[k],
                    step,
                    msg("{name} step {old} → {new}", name=name(k), old=old_cp[k], new=step),
                )
            )
    for k, step in old_cp.items():
        if k in new_cp:
            continue
        if k in new_rd:
            now = new_step.get(k)
            where = (
                msg("step {step}", step=step)
                if now == step
                else msg("step {old} → {new}", old=step, new=now)
            )
            events.append(
                JourneyEvent(
                    "became_route_dependent",
                    name(k),
                    step,
                    now,
                    msg("{name} became route-dependent ({where})", name=name(k), where=where),
                )
            )
        else:
            events.append(
                JourneyEvent(
                    "checkpoint_removed",
                    name(k),
                    step,
                    None,
                    msg("checkpoint {name} removed (was step {step})", name=name(k), step=step),
                )
            )
    # Steps needed on some routes only are numbered like checkpoints: a change of their
    # number is a renumbering too (a reviewer checks every number the tables show).
    for k in sorted(new_rd & old_rd, key=lambda k: new_step.get(k, 0)):
        before_n, after_n = old_step.get(k), new_step.get(k)
        if before_n is not None and after_n is not None and before_n != after_n:
            events.append(
                JourneyEvent(
                    "renumbered",
                    name(k),
                    before_n,
                    after_n,
                    f"{name(k)} step {before_n} → {after_n}",
                )
            )
    for k in sorted(new_rd - old_rd - set(old_cp), key=lambda k: new_step.get(k, 0)):
        events.append(
            JourneyEvent(
                "route_dependent_added",
                name(k),
                old_step.get(k),
                new_step.get(k),
                msg("{name} is now route-dependent", name=name(k)),
            )
        )
    for k in sorted(old_rd - new_rd - set(new_cp), key=lambda k: old_step.get(k, 0)):
        events.append(
            JourneyEvent(
                "route_dependent_removed",
                name(k),
                old_step.get(k),
                new_step.get(k),
                msg("{name} is no longer route-dependent", name=name(k)),
            )
        )
    order = {
        c: i
        for i, c in enumerate(
            (
                "checkpoint_added",
                "checkpoint_removed",
                "became_route_dependent",
                "route_dependent_added",
                "route_dependent_removed",
                "renumbered",
            )
        )
    }
    events.sort(key=lambda e: (order[e.change], e.new_step or e.old_step or 0, name_key(e.name)))
    return tuple(events)
