"""The RACI matrix and the KPI links of a journey (contract §10, §11).

Pure functions of a :class:`~prepmodel.journey.core.Journey`: the views print them, the
tests compare them with brute-force references.

* **RACI**: one row per step (and per external that has an owner); one column per role,
  the columns grouped by party (customer, partner, vendor, then roles without a party).
  A cell holds ``R`` when the role performs some route of the row (``by``), ``A`` when it
  owns the deliverable, ``C``/``I`` when a route consults/informs it; several letters in
  the order R, A, C, I.
* **KPIs**: every KPI attached to a deliverable (``kpi:``), with that deliverable's step
  and phase; its party is the declared one (``kpi K { party: ... }``), else the owner
  party of the deliverable. KPI k on D **drives** KPI j on E when D is E or E needs D
  (directly or transitively, on some route or as a group member). A link is listed from
  every vendor or partner KPI to every customer KPI it drives, with a shortest path of
  deliverables from D to E.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from prepmodel.journey.core import Journey
from prepmodel.model.core import Model, Route, identity
from prepmodel.model.responsibility import (
    PARTIES,
    Mode,
    Party,
    owner_party,
    owners,
    party_of_word,
    role_party,
    roles_in_use,
    route_mode,
)


@dataclass(frozen=True, slots=True)
class RoleColumn:
    name: str
    party: Party | None


@dataclass(frozen=True, slots=True)
class RouteMode:
    id: str
    mode: Mode | None
    by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RaciRow:
    step: int | None  # None for an external
    key: str
    name: str
    owner: str | None
    owner_party: Party | None
    cells: dict[str, str]  # role name -> letters, only non-empty cells
    routes: tuple[RouteMode, ...]


@dataclass(frozen=True, slots=True)
class Raci:
    roles: tuple[RoleColumn, ...]
    rows: tuple[RaciRow, ...]


_ORDER = "RACI"


def role_columns(model: Model) -> tuple[RoleColumn, ...]:
    """The roles in use, grouped by party (customer, partner, vendor, none); in each group
    in the order of :func:`roles_in_use`."""
    cols = [RoleColumn(n, role_party(model, n)) for n in roles_in_use(model)]
    rank = {p: i for i, p in enumerate(PARTIES)}
    return tuple(sorted(cols, key=lambda c: rank[c.party] if c.party else len(PARTIES)))


def raci(j: Journey) -> Raci:
    """The RACI matrix of the journey (in a scenario: of the routes that apply there)."""
    model = j.model
    cols = role_columns(model)
    display = {identity(c.name): c.name for c in cols}
    rows: list[RaciRow] = []

    def row(step: int | None, key: str, routes: list[tuple[str, Route]]) -> RaciRow:
        letters: dict[str, set[str]] = {}

        def put(role: str, letter: str) -> None:
            letters.setdefault(display.get(identity(role), role), set()).add(letter)

        for o in owners(model, key):
            put(o, "A")
        modes: list[RouteMode] = []
        for rid, r in routes:
            for b in r.by:
                put(b, "R")
            for c in r.consulted:
                put(c, "C")
            for i in r.informed:
                put(i, "I")
            modes.append(RouteMode(rid, route_mode(model, r), r.by))
        cells = {
            c.name: "".join(x for x in _ORDER if x in letters[c.name])
            for c in cols
            if c.name in letters
        }
        own = owners(model, key)
        return RaciRow(
            step,
            key,
            model.name(key),
            ", ".join(own) if own else None,
            owner_party(model, key),
            cells,
            tuple(modes),
        )

    for s in j.steps:
        rows.append(row(s.number, s.key, list(s.route_ids())))
    for key in model.externals:
        if owners(model, key) and key in j.graph.needed:
            rows.append(row(None, key, []))
    return Raci(cols, tuple(rows))


@dataclass(frozen=True, slots=True)
class KpiEntry:
    name: str
    party: Party | None
    deliverable: str | None  # key; None for a declared KPI no deliverable carries
    step: int | None
    phase: str | None
    unit: str | None
    target: str | None
    declared: bool


@dataclass(frozen=True, slots=True)
class KpiLink:
    source: int  # index into the entries: the driving KPI (vendor or partner)
    target: int  # the driven customer KPI
    path: tuple[str, ...]  # deliverable keys from source's deliverable to target's


def kpi_party(model: Model, kpi: str, deliverable: str | None) -> Party | None:
    """The declared party of ``kpi``, else the owner party of its deliverable."""
    decl = model.kpis.get(identity(kpi))
    if decl is not None and decl.attrs.get("party"):
        return party_of_word(decl.attrs["party"][-1])
    return owner_party(model, deliverable) if deliverable is not None else None


def kpi_entries(j: Journey, *, uncarried: bool = True) -> list[KpiEntry]:
    """Every KPI on a deliverable: steps in step order, then externals in declaration
    order, then the other deliverables in file order (what no goal needs); then, with
    ``uncarried``, the declared KPIs no deliverable carries."""
    model = j.model
    order = [s.key for s in j.steps]
    order += [k for k in model.externals if k not in j.step_of]
    order += [k for k in model.deliverables if k not in j.step_of and k not in model.externals]
    out: list[KpiEntry] = []
    carried: set[str] = set()
    for key in order:
        d = model.deliverables[key]
        for name in d.kpis:
            carried.add(identity(name))
            decl = model.kpis.get(identity(name))
            out.append(
                KpiEntry(
                    decl.name if decl is not None else name,
                    kpi_party(model, name, key),
                    key,
                    j.step_of.get(key),
                    j.phase_of.get(key),
                    decl.attr("unit") if decl is not None else None,
                    decl.attr("target") if decl is not None else None,
                    decl is not None,
                )
            )
    if uncarried:
        for k, decl in model.kpis.items():
            if k not in carried:
                out.append(
                    KpiEntry(
                        decl.name,
                        kpi_party(model, decl.name, None),
                        None,
                        None,
                        None,
                        decl.attr("unit"),
                        decl.attr("target"),
                        True,
                    )
                )
    return out


def _bfs(j: Journey, source: str) -> dict[str, str]:
    """Breadth-first from ``source`` along input→output edges (ties: the edge listed
    first): the parent of every deliverable reached (``source`` maps to itself)."""
    g = j.graph.g
    parent = {source: source}
    if source not in g:
        return parent
    queue = deque([source])
    while queue:
        k = queue.popleft()
        for nxt in g.successors(k):
            if nxt not in parent:
                parent[nxt] = k
                queue.append(nxt)
    return parent


def _path(parent: dict[str, str], target: str) -> tuple[str, ...] | None:
    if target not in parent:
        return None
    path = [target]
    while parent[path[-1]] != path[-1]:
        path.append(parent[path[-1]])
    return tuple(reversed(path))


def upstream_path(j: Journey, source: str, target: str) -> tuple[str, ...] | None:
    """A shortest chain of deliverables from ``source`` to ``target`` along input→output
    edges (``(source,)`` when they are the same), or None when ``target`` does not need
    ``source``. Breadth-first from ``source``; ties go to the edge listed first."""
    return _path(_bfs(j, source), target)


def kpi_links(j: Journey, entries: list[KpiEntry]) -> list[KpiLink]:
    """Every (vendor or partner KPI, customer KPI) pair where the first drives the
    second, in the order of the customer KPIs, then of the driving ones. One search per
    driving deliverable."""
    links: list[KpiLink] = []
    drivers = [
        i
        for i, e in enumerate(entries)
        if e.party in ("vendor", "partner") and e.deliverable is not None
    ]
    reach: dict[str, dict[str, str]] = {}
    for i in drivers:
        d = entries[i].deliverable
        if d is not None and d not in reach:
            reach[d] = _bfs(j, d)
    for t, te in enumerate(entries):
        if te.party != "customer" or te.deliverable is None:
            continue
        for s in drivers:
            source = entries[s].deliverable
            assert source is not None
            path = _path(reach[source], te.deliverable)
            if path is not None:
                links.append(KpiLink(s, t, path))
    return links
