"""Journey views: the checkpoint list as text, markdown (with playbook and health-score
tables), CSV and the contract's JSON. Every number comes from ``journey.Journey``.

A deliverable's own attributes (``owner``, ``kpi``, ``note``) are shown in every format
beside its step, and the externals that carry any of them are listed as given parts (so a
KPI measured at an external reaches the health-score table).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

from prepmodel.journey.core import Checkpoint, GoalJourney, Journey, Step
from prepmodel.journey.responsibility import kpi_entries, kpi_links
from prepmodel.model.core import Deliverable, Model, Route
from prepmodel.model.responsibility import Handover, Mode, handovers
from prepmodel.model.scenarios import scenarios
from prepmodel.text.i18n import N_, translator
from prepmodel.text.safe import csv_cell, markdown_cell, printable
from prepmodel.text.span import Span
from prepmodel.views import jsonout
from prepmodel.views.jsonout import Encoded, chunks


def _place(j: Journey, out: dict[str, Any], span: Span) -> dict[str, Any]:
    """``out`` with ``file`` beside ``line`` in a model of several files (the file the line
    is in, as diagnostics name it); a one-file model's objects stay as they were."""
    if j.model.file_order:
        out["file"] = span.file or j.model.path
    return out


class _Names(dict[str, str]):
    """Deliverable key -> its display name as JSON text, each encoded once: a big model's
    steps and checkpoints name each deliverable several times."""

    def __init__(self, j: Journey) -> None:
        super().__init__()
        self.names = j.names

    def __missing__(self, key: str) -> str:
        out = self[key] = jsonout.text(self.names.get(key, key))
        return out


def _joined(values: tuple[str, ...] | None) -> str:
    """An attribute's values as one JSON string (as ``Route.attr``), or null."""
    return jsonout.text(", ".join(values)) if values else "null"


def _route_writer(j: Journey, names: _Names) -> Callable[[str, Route], str]:
    """A function writing one route's JSON object, with what every route reads looked up
    once: a big model has a hundred thousand routes here."""
    name = names.__getitem__
    parties = j.parties
    mode = parties.route_mode
    modes = parties.any  # without a party anywhere, every mode is null
    text, texts = jsonout.text, jsonout.texts
    files = bool(j.model.file_order)
    path = j.model.path

    # "work" to "when" as text, by their values: a model repeats a few verbs and roles
    middles: dict[tuple[tuple[str, ...] | None, ...], str] = {}

    def middle(values: tuple[tuple[str, ...] | None, ...]) -> str:
        work, by, effort, when = values
        out = middles[values] = (
            f'"work": {_joined(work)}, "by": {texts(by or ())}, '
            f'"effort": {_joined(effort)}, "when": {texts(when or ())}'
        )
        return out

    def write(rid: str, r: Route) -> str:
        get = r.attrs.get
        values = (get("work"), get("by"), get("effort"), get("when"))
        where = f', "file": {text(r.span.file or path)}' if files else ""
        return (
            f'{{"id": {text(rid)}, "inputs": [{", ".join(map(name, r.inputs))}], '
            f'"optional": [{", ".join(map(name, r.optional))}], '
            f"{middles.get(values) or middle(values)}, "
            f'"mode": {jsonout.optional_text(mode(r)) if modes else "null"}, '
            f'"note": {_joined(get("note"))}, "line": {r.span.line}{where}}}'
        )

    return write


def _phase_texts(j: Journey) -> dict[str | None, str]:
    """Phase name (None: no phase) -> JSON text: a few names, each encoded once."""
    out: dict[str | None, str] = {p.name: jsonout.text(p.name) for p in j.model.phases}
    out[None] = "null"
    return out


def _steps_json(j: Journey, steps: Iterable[Step], names: _Names) -> Iterator[str]:
    """Each step's JSON object as text, made when read."""
    deliverables = j.model.deliverables
    phase_of = j.phase_of.get
    phase = _phase_texts(j).__getitem__
    depth = j.depth.get
    route = _route_writer(j, names)
    name = names.__getitem__
    texts = jsonout.texts
    for s in steps:
        attrs = deliverables[s.key].attrs
        routes = ", ".join([route(rid, r) for rid, r in s.route_ids()])
        members = ""
        if s.group_members is not None:
            members = f', "members": [{", ".join(map(name, s.group_members))}]'
        yield (
            f'{{"step": {s.number}, "name": {name(s.key)}, '
            f'"kind": "{"produced" if s.group_members is None else "group"}", '
            f'"phase": {phase(phase_of(s.key))}, "depth": {depth(s.key, 0)}, '
            f'"routes": [{routes}], "kpi": {texts(attrs.get("kpi", ()))}, '
            f'"owner": {_joined(attrs.get("owner"))}, "note": {_joined(attrs.get("note"))}'
            f"{members}}}"
        )


def _goal_json(j: Journey, g: GoalJourney, names: _Names) -> str:
    """A goal's JSON object as text."""
    name = names.__getitem__
    phase = _phase_texts(j).__getitem__
    checkpoints = ", ".join(
        [
            f'{{"step": {c.step}, "name": {name(c.key)}, "phase": {phase(c.phase)}, '
            f'"exit": {"true" if c.exit else "false"}}}'
            for c in g.checkpoints
        ]
    )
    hours = j.critical_path_hours(g.key)
    return (
        f'{{"name": {name(g.key)}, "checkpoints": [{checkpoints}], '
        f'"route_dependent": [{", ".join(map(name, g.route_dependent))}], '
        f'"critical_path": [{", ".join(map(name, g.critical_path))}], '
        f'"critical_path_routes": {jsonout.texts(j.critical_path_routes(g.key))}, '
        f'"critical_path_hours": {"null" if hours is None else json.dumps(hours)}}}'
    )


def _selected(j: Journey, goal: str | None) -> tuple[list[GoalJourney], list[Step]]:
    goals = [j.goal(goal)] if goal is not None else j.goals()
    if goal is None:
        return goals, j.steps
    needed = j.graph.needed_by(goal)
    return goals, [s for s in j.steps if s.key in needed]


def given_parts(j: Journey, goal: str | None = None) -> list[Deliverable]:
    """The externals (of ``goal``, or of the whole model) that carry an owner, a KPI or a
    note, in file order: the given parts whose attributes the tables show."""
    needed = j.graph.needed_by(goal) if goal is not None else None
    out = []
    for key in j.model.externals:
        d = j.model.deliverables[key]
        if (needed is None or key in needed) and (d.owner or d.kpis or d.note):
            out.append(d)
    return out


def _given_json(j: Journey, d: Deliverable) -> dict[str, Any]:
    out = {
        "name": d.name,
        "owner": d.owner,
        "kpi": list(d.kpis),
        "note": d.note,
        "line": d.span.line,
    }
    return _place(j, out, d.span)


def journey_json(j: Journey, goal: str | None = None) -> dict[str, Any]:
    """The contract's ``prep checkpoints --format json`` object (with extra fields:
    ``owner``, ``kpi`` and ``note`` on each step, and ``externals``, the given parts that
    carry any of them)."""
    return {
        k: v.decoded() if isinstance(v, Encoded) else list(v) if isinstance(v, Iterator) else v
        for k, v in journey_json_pairs(j, goal)
    }


def journey_json_pairs(j: Journey, goal: str | None = None) -> Iterator[tuple[str, Any]]:
    """The fields of :func:`journey_json` in order, each list as an iterator that makes
    its items when read: :func:`prepmodel.views.jsonout.chunks` writes them one by one,
    so the whole object never exists at once (issue #18)."""
    goals, steps = _selected(j, goal)
    names = _Names(j)
    yield "steps", Encoded(_steps_json(j, steps, names))
    yield "goals", Encoded(_goal_json(j, g, names) for g in goals)
    yield (
        "phases",
        ({"name": p.name, "members": [j.name(k) for k in p.members]} for p in j.model.phases),
    )
    yield "externals", (_given_json(j, d) for d in given_parts(j, goal))
    yield "scenarios", list(j.all_scenarios if j.all_scenarios is not None else scenarios(j.model))
    yield "when", list(j.chosen)
    yield (
        "handovers",
        (
            {
                "from": j.name(h.source),
                "to": j.name(h.target),
                "from_party": h.source_party,
                "to_party": h.target_party,
            }
            for h in journey_handovers(j, goal)
        ),
    )


def journey_handovers(j: Journey, goal: str | None = None) -> list[Handover]:
    """The hand-overs (contract §10) on the way to ``goal`` (or to any goal), in the
    step order of the deliverable received, then of the one handed over."""
    needed = j.graph.needed_by(goal) if goal is not None else j.graph.needed
    found = [h for h in handovers(j.model) if h.target in needed and h.source in needed]
    last = len(j.step_of) + 1
    return sorted(found, key=lambda h: (j.step_of.get(h.target, last), j.step_of.get(h.source, 0)))


_MODE_WORDS: dict[Mode, str] = {
    "self": N_("self"),
    "alongside": N_("alongside"),
    "on-behalf": N_("on-behalf"),
}
_PARTY_NAMES = {"customer": N_("customer"), "vendor": N_("vendor"), "partner": N_("partner")}


def mode_word(mode: Mode | None, _: Callable[[str], str]) -> str:
    """The support mode as users read it: 自走/伴走/代走 in Japanese; "" when unknown."""
    return _(_MODE_WORDS[mode]) if mode is not None else ""


def _handover_lines(j: Journey, goal: str | None, _: Callable[[str], str]) -> list[str]:
    return [
        f"       {j.name(h.source)} [{_(_PARTY_NAMES[h.source_party])}] → "
        f"{j.name(h.target)} [{_(_PARTY_NAMES[h.target_party])}]"
        for h in journey_handovers(j, goal)
    ]


def _critical_path(j: Journey, goal: str, path: str, _: Callable[[str], str]) -> str:
    """``Critical path: A → B → C``; by effort (contract §12), with its hours and the
    routes it assumed: ``Critical path (34h, routes 1, 2.b, 3): A → B → C``."""
    hours = j.critical_path_hours(goal)
    if hours is None:
        return _("Critical path: {path}").format(path=path)
    from prepmodel.model.effort import format_hours

    return _("Critical path ({hours}, routes {routes}): {path}").format(
        hours=format_hours(hours), routes=", ".join(j.critical_path_routes(goal)), path=path
    )


def facts(d: Deliverable, _: Callable[[str], str] = str) -> str:
    """``owner: X · KPI: a, b · note: …`` (empty when the deliverable has none of them),
    the labels through ``_`` (a translator)."""
    parts = []
    if d.owner:
        parts.append(_("owner: {owner}").format(owner=d.owner))
    if d.kpis:
        parts.append(_("KPI: {kpis}").format(kpis=", ".join(d.kpis)))
    if d.note:
        parts.append(_("note: {note}").format(note=d.note))
    return " · ".join(parts)


def _needs(j: Journey, inputs: tuple[str, ...], optional: tuple[str, ...] = ()) -> str:
    """``A + B``; an optional input in brackets, as written in the file: ``A + [B]``."""
    return " + ".join(f"[{j.name(k)}]" if k in optional else j.name(k) for k in inputs)


def _inputs(j: Journey, r: Route) -> str:
    return _needs(j, r.inputs, r.optional)


def _has_optional(j: Journey, keys: Collection[str]) -> bool:
    by_step = {s.key: s for s in j.steps}
    return any(r.optional for k in keys if k in by_step for r in by_step[k].routes)


def _optional_note(_: Callable[[str], str]) -> str:
    return _("[X]: an optional input (drawn dashed; the route does not require it)")


def _work(r: Route, mode: str = "") -> str:
    parts = [p for p in (r.work, ", ".join(r.by) if r.by else None, mode) if p]
    return f"   ({' · '.join(parts)})" if parts else ""


def _text_step(j: Journey, s: Step, exit_mark: bool, _: Callable[[str], str]) -> list[str]:
    name = j.name(s.key)
    mark = "   ▶ " + _("exit") if exit_mark else ""
    about = facts(j.model.deliverables[s.key], _)
    extra = [f"       {about}"] if about else []
    if s.group_members is not None:
        group = _("(group)")
        return [f"  {s.number:>3}  {name}  = {_needs(j, s.group_members)}   {group}{mark}", *extra]
    if len(s.routes) == 1:
        r = s.routes[0]
        work = _work(r, mode_word(j.parties.route_mode(r), _))
        return [f"  {s.number:>3}  {name}  ← {_inputs(j, r)}{work}{mark}", *extra]
    lines = [f"  {s.number:>3}  {name}{mark}", *extra]
    for rid, r in s.route_ids():
        work = _work(r, mode_word(j.parties.route_mode(r), _))
        lines.append(f"       {rid}  ← {_inputs(j, r)}{work}")
    return lines


def _by_phase(j: Journey, g: GoalJourney) -> list[tuple[str | None, list[Checkpoint]]]:
    """Checkpoints grouped by phase in journey order (unphased last), step order inside."""
    order = {p.name: p.index for p in j.model.phases}
    groups: dict[str | None, list[Checkpoint]] = {}
    for c in g.checkpoints:
        groups.setdefault(c.phase, []).append(c)
    return sorted(groups.items(), key=lambda kv: order.get(kv[0] or "", len(order)))


def journey_text(j: Journey, goal: str | None = None, lang: str = "en") -> str:
    """A numbered journey per goal, grouped by phase, then the critical path."""
    _ = translator(lang)
    goals, _steps = _selected(j, goal)
    by_step = {s.key: s for s in j.steps}
    out: list[str] = []
    title = j.model.title
    if title:
        out += [title, "=" * max(8, len(title)), ""]
    if j.chosen:
        out += [_("Scenario: {names}").format(names=", ".join(j.chosen)), ""]
    for g in goals:
        out.append(_("Goal: {name}").format(name=j.name(g.key)))
        out.append(_("Checkpoints (every route passes these):"))
        for phase, members in _by_phase(j, g):
            if j.model.phases:
                out.append(f"  [{phase or _('no phase')}]")
            for c in members:
                out += _text_step(j, by_step[c.key], c.exit, _)
        if not g.checkpoints:
            out.append("  " + _("(none)"))
        if g.route_dependent:
            out.append(_("Route-dependent (needed on some routes only):"))
            for k in g.route_dependent:
                out += _text_step(j, by_step[k], False, _)
        given = given_parts(j, g.key)
        if given:
            out.append(_("Given parts:"))
            out += [f"       {d.name}  {facts(d, _)}" for d in given]
        path = " → ".join(j.name(k) for k in g.critical_path)
        out.append(_critical_path(j, g.key, path, _))
        handed = _handover_lines(j, g.key, _)
        if handed:
            out.append(_("Hand-overs (the owner's party changes):"))
            out += handed
        out.append("")
    if _has_optional(j, [k for g in goals for k in j.graph.needed_by(g.key)]):
        out += [_optional_note(_), ""]
    return "\n".join(out)


def _md(text: str | None) -> str:
    return markdown_cell(text)


def _md_routes(j: Journey, s: Step, _: Callable[[str], str]) -> str:
    if s.group_members is not None:
        members = _md(", ".join(j.name(k) for k in s.group_members))
        return _("group of {members}").format(members=members)
    parts = []
    for rid, r in s.route_ids():
        mode = mode_word(j.parties.route_mode(r), _)
        extra = " · ".join(p for p in (r.work, ", ".join(r.by), mode) if p)
        parts.append(f"**{rid}** {_md(extra) or '—'}")
    return "<br>".join(parts)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def journey_markdown(j: Journey, goal: str | None = None, lang: str = "en") -> str:
    """Checkpoint, playbook and health-score tables, ready for a wiki or pull request."""
    _ = translator(lang)
    some_routes = f" *{_('(some routes)')}*"
    goals, steps = _selected(j, goal)
    by_step = {s.key: s for s in j.steps}
    out: list[str] = []
    if j.model.title:
        out += [f"# {_md(j.model.title)}", ""]
    for g in goals:
        out += ["## " + _("Journey to {goal}").format(goal=_md(j.name(g.key))), ""]
        out += [
            _row(
                _("Step"),
                _("Deliverable"),
                _("Phase"),
                _("Needs"),
                _("Routes"),
                _("Owner"),
                _("KPI"),
                _("Note"),
            ),
            "|---:|---|---|---|---|---|---|---|",
        ]
        rows = [(c.key, c.exit, True) for c in g.checkpoints]
        rows += [(k, False, False) for k in g.route_dependent]
        rows.sort(key=lambda row: j.step_of[row[0]])
        for key, is_exit, is_cp in rows:
            s = by_step[key]
            d = j.model.deliverables[key]
            name = f"**{_md(d.name)}**" if is_cp else f"{_md(d.name)}{some_routes}"
            phase = _md(j.phase_of.get(key)) + (" ▶ " + _("exit") if is_exit else "")
            if s.group_members is not None:
                needs = _md(_needs(j, s.group_members))
            else:
                needs = " / ".join(_md(_inputs(j, r)) for r in s.routes)
            kpi = _md(", ".join(d.kpis))
            routes = _md_routes(j, s, _)
            out.append(
                f"| {s.number} | {name} | {phase} | {needs} | {routes} | "
                f"{_md(d.owner)} | {kpi} | {_md(d.note)} |"
            )
        path = " → ".join(_md(j.name(k)) for k in g.critical_path)
        out += ["", _critical_path(j, g.key, path, _), ""]
        handed = journey_handovers(j, g.key)
        if handed:
            out += ["### " + _("Hand-overs"), ""]
            out += [_row(_("From"), _("Party"), _("To"), _("Party")), "|---|---|---|---|"]
            out += [
                _row(
                    _md(j.name(h.source)),
                    _(_PARTY_NAMES[h.source_party]),
                    _md(j.name(h.target)),
                    _(_PARTY_NAMES[h.target_party]),
                )
                for h in handed
            ]
            out.append("")
    if _has_optional(j, [s.key for s in steps]):
        out += [_md(_optional_note(_)), ""]
    playbook = [s for s in steps if len(s.routes) > 1]
    out += ["## " + _("Playbook: alternative routes"), ""]
    if playbook:
        modes = uses_parties(j.model)  # then a column of support modes (伴走 / 代走 / 自走)
        heads = [_("Step"), _("Checkpoint"), _("Route"), _("Inputs"), _("Work"), _("By")]
        out += [
            _row(*heads, *([_("Mode")] if modes else [])),
            "|---:|---|---|---|---|---|" + ("---|" if modes else ""),
        ]
        for s in playbook:
            for rid, r in s.route_ids():
                mode = f" {mode_word(j.parties.route_mode(r), _)} |" if modes else ""
                out.append(
                    f"| {s.number} | {_md(j.name(s.key))} | {rid} | "
                    f"{_md(_inputs(j, r))} | {_md(r.work)} | {_md(', '.join(r.by))} |" + mode
                )
    else:
        out.append(_("Every step has a single route."))
    out += ["", "## " + _("Health score: KPIs"), ""]
    # the KPIs of `prep kpis` (prepmodel.journey.responsibility) on the selected steps and
    # the given parts (externals) they need; a model that speaks of parties also gets each
    # KPI's party and the customer KPIs it drives (or the KPIs that drive it)
    shown = {s.key for s in steps} | {d.key for d in given_parts(j, goal)}
    every = kpi_entries(j, uncarried=False)
    links = kpi_links(j, every)
    kpis = [(i, e) for i, e in enumerate(every) if e.deliverable in shown]
    parties = any(e.party is not None for _i, e in kpis)
    if kpis:
        heads = [_("KPI"), _("Measured at"), _("Step"), _("Owner"), _("Goals that depend on it")]
        if parties:
            heads += [_("Party"), _("Linked KPIs")]
        out += [_row(*heads), "|---|---|---:|---|---|" + ("---|---|" if parties else "")]
        goal_sets = {g.key: (j.mandatory(g.key), j.graph.needed_by(g.key)) for g in goals}
        for i, e in kpis:
            d = j.model.deliverables[e.deliverable or ""]
            step = str(e.step) if e.step is not None else _("given")
            deps = [
                _md(j.name(g.key)) + (some_routes if how else "")
                for g in goals
                if (how := _dependence(*goal_sets[g.key], d.key)) is not None
            ]
            cells = [_md(e.name), _md(d.name), step, _md(d.owner), ", ".join(deps)]
            if parties:
                party = _(_PARTY_NAMES[e.party]) if e.party is not None else ""
                linked = [f"→ {every[k.target].name}" for k in links if k.source == i]
                linked += [f"← {every[k.source].name}" for k in links if k.target == i]
                cells += [party, _md(", ".join(linked))]
            out.append(_row(*cells))
    else:
        out.append(_("No deliverable has a `kpi`."))
    out.append("")
    return "\n".join(out)


def _dependence(mandatory: set[str], needed: Collection[str], key: str) -> str | None:
    """How a goal with these mandatory and needed sets depends on ``key``: ``""`` on every
    route, ``" *(some routes)*"``, or None when it does not need it."""
    if key in mandatory:
        return ""
    if key in needed:
        return " *(some routes)*"
    return None


class _ModeWriter:
    """Puts the mode cell at column ``at`` of each row (no column when ``at`` is None)."""

    def __init__(self, writer: _SafeWriter, at: int | None) -> None:
        self.writer = writer
        self.at = at

    def writerow(self, row: list[Any], mode: str = "") -> None:
        if self.at is not None:
            row = [*row[: self.at], mode, *row[self.at :]]
        self.writer.writerow(row)


def uses_parties(model: Model) -> bool:
    """True when some role has a ``party`` (then tables show support modes)."""
    return any("party" in r.attrs for r in model.roles.values())


class _SafeWriter:
    """A csv writer whose cells cannot start a spreadsheet formula (textsafe.csv_cell)."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: list[Any]) -> None:
        self.writer.writerow([csv_cell(cell) for cell in row])


CSV_COLUMNS = [  # headings; translated with the rest of the table
    "goal",
    "step",
    "deliverable",
    "role",
    "phase",
    "exit",
    "route",
    "inputs",
    "work",
    "by",
    "effort",
    "kpi",
    "owner",
    "note",
]


_CSV_HEADINGS = {  # the same words as CSV_COLUMNS, marked for the catalogue
    "goal": N_("goal"),
    "step": N_("step"),
    "deliverable": N_("deliverable"),
    "role": N_("role"),
    "phase": N_("phase"),
    "exit": N_("exit"),
    "route": N_("route"),
    "inputs": N_("inputs"),
    "work": N_("work"),
    "by": N_("by"),
    "mode": N_("mode"),
    "effort": N_("effort"),
    "kpi": N_("kpi"),
    "owner": N_("owner"),
    "note": N_("note"),
}


def journey_csv(j: Journey, goal: str | None = None, lang: str = "en") -> str:
    """One row per goal, step and route, for spreadsheets (headings and the words in the
    cells in ``lang``; names as written)."""
    _ = translator(lang)
    goals, _steps = _selected(j, goal)
    by_step = {s.key: s for s in j.steps}
    buf = io.StringIO()
    # a model that gives its roles a party gets a "mode" column after "by" (contract §10);
    # other models keep the v1 columns
    at = CSV_COLUMNS.index("by") + 1 if uses_parties(j.model) else None
    w = _ModeWriter(_SafeWriter(csv.writer(buf, lineterminator="\n")), at)
    w.writerow([_(_CSV_HEADINGS[column]) for column in CSV_COLUMNS], _(_CSV_HEADINGS["mode"]))
    for g in goals:
        exits = {c.key: c.exit for c in g.checkpoints}
        keys = sorted(
            [c.key for c in g.checkpoints] + list(g.route_dependent), key=lambda k: j.step_of[k]
        )
        for k in keys:
            s = by_step[k]
            d = j.model.deliverables[k]
            role = _("checkpoint") if k in exits else _("route-dependent")
            base = [
                j.name(g.key),
                s.number,
                d.name,
                role,
                j.phase_of.get(k) or "",
                _("yes") if exits.get(k) else "",
            ]
            kpi = ", ".join(d.kpis)
            about = [d.owner or "", d.note or ""]
            if s.group_members is not None:
                w.writerow(
                    [
                        *base,
                        "",
                        " + ".join(j.name(x) for x in s.group_members),
                        _("(group)"),
                        "",
                        "",
                        kpi,
                        *about,
                    ]
                )
            for rid, r in s.route_ids():
                w.writerow(
                    [
                        *base,
                        rid,
                        _inputs(j, r),
                        r.work or "",
                        ", ".join(r.by),
                        r.attr("effort") or "",
                        kpi,
                        *about,
                    ],
                    mode_word(j.parties.route_mode(r), _),
                )
        for d in given_parts(j, g.key):
            w.writerow(
                [
                    *(j.name(g.key), "", d.name, _("given"), "", "", "", "", "", "", ""),
                    *(", ".join(d.kpis), d.owner or "", d.note or ""),
                ]
            )
    return buf.getvalue()


def scenario_markdown(
    j: Journey, goal: str | None = None, lang: str = "en", only: list[str] | None = None
) -> str:
    """Per goal, which deliverables are checkpoints in which scenario (contract §9,
    `--scenarios all`): a column for every route (the whole model) and one per scenario
    (or per scenario in ``only``); ✓ a checkpoint, *(some routes)* route-dependent, — not
    needed there."""
    from prepmodel.model.core import identity

    _ = translator(lang)
    names = scenarios(j.model)
    if only is not None:
        wanted = {identity(n) for n in only}
        names = [n for n in names if identity(n) in wanted]
    if not names:
        return _("No route has `when`: there are no scenarios.") + "\n"
    views = [j] + [j.in_scenario(frozenset({identity(n)})) for n in names]
    goals, steps = _selected(j, goal)
    out = ["## " + _("Checkpoints by scenario"), ""]
    for g in goals:
        out += ["### " + _md(j.name(g.key)), ""]
        heads = [_("Step"), _("Deliverable"), _("all routes"), *(_md(n) for n in names)]
        out += [_row(*heads), "|---:|---|" + "---|" * (len(names) + 1)]
        marks: list[tuple[dict[str, Checkpoint], set[str]]] = []
        for view in views:
            try:
                gj = view.goal(g.key)
            except KeyError:  # not a goal that can be reached there
                marks.append(({}, set()))
                continue
            marks.append(({c.key: c for c in gj.checkpoints}, set(gj.route_dependent)))
        some = f"*{_('(some routes)')}*"
        needed = j.graph.needed_by(g.key)
        for st in steps:
            if st.key not in needed:
                continue
            cells = [
                "✓" if st.key in cps else (some if st.key in dep else "—") for cps, dep in marks
            ]
            out.append(_row(str(st.number), _md(j.name(st.key)), *cells))
        out.append("")
    return "\n".join(out)


def render_table(j: Journey, fmt: str, goal: str | None = None, lang: str = "en") -> str:
    """The journey in one of the ``prep checkpoints`` formats; the headings of text,
    markdown and CSV in ``lang`` (JSON keys never change)."""
    return "".join(render_chunks(j, fmt, goal, lang))


def render_chunks(j: Journey, fmt: str, goal: str | None = None, lang: str = "en") -> Iterator[str]:
    """:func:`render_table` in pieces, to write as they come: JSON is made item by item
    (a big model's JSON object and text no longer sit in memory together); the other
    formats come in one piece."""
    if fmt == "json":
        yield from chunks(journey_json_pairs(j, goal))
    else:
        yield _render_text(j, fmt, goal, lang)


def _render_text(j: Journey, fmt: str, goal: str | None, lang: str) -> str:
    if fmt == "markdown":
        return journey_markdown(j, goal, lang)
    if fmt == "csv":
        return journey_csv(j, goal, lang)
    return printable(journey_text(j, goal, lang))
