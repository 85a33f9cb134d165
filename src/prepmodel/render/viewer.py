"""What the interactive HTML viewer knows about the model, as JSON in the page.

The viewer (``assets/viewer.js``) finds the drawn nodes by their DOT ids (``d{i}`` the box of
the i-th deliverable, ``d{i}_c{n}`` its part copies, ``d{i}_r{n}`` and ``d{i}_r{n}_w`` the
junction and work of its routes) and reads everything else from this data: names, steps,
routes, phases, goals and their checkpoints, and the deliverable graph for the upstream /
downstream closure. Deliverables are named by their DOT id here too. Same model, same bytes.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from prepmodel.journey.core import Journey
from prepmodel.journey.responsibility import kpi_party
from prepmodel.model.core import Model, Route
from prepmodel.model.responsibility import owner_party, route_mode
from prepmodel.render.steplist import LIST_TEXTS
from prepmodel.render.svgmarkup import dot_ids, source_of
from prepmodel.render.words import viewer_words


def _first(values: tuple[str, ...] | None) -> str | None:
    return ", ".join(values) if values else None


def _route(rid: str, route: Route, ids: dict[str, str], model: Model, lang: str) -> dict[str, Any]:
    path = model.path
    mode = route_mode(model, route)
    out: dict[str, Any] = {
        "id": rid,
        "inputs": [ids[k] for k in route.inputs if k in ids],
        "work": route.work,
        "by": list(route.by),
        "mode": mode,
        "mode_text": LIST_TEXTS[lang][mode] if mode is not None else None,
        "effort": route.attr("effort"),
        "note": route.attr("note"),
        "src": f"{route.span.file or path}:{route.span.line}",
    }
    # v2 only where used, so a v1 model's page keeps its bytes
    if route.optional:
        out["optional"] = [ids[k] for k in route.optional if k in ids]
    if route.when:
        out["when"] = list(route.when)
    return out


def _kind(j: Journey, key: str) -> str:
    d = j.model.deliverables[key]
    g = j.graph
    if d.goal:
        return "goal"
    if g.is_group(key):
        return "group"
    if key in g.produced:
        return "produced"
    if d.external:
        return "external"
    return "gap" if key in g.needed else "declared"


def viewer_data(j: Journey, lang: str) -> dict[str, Any]:
    """The model as the viewer reads it (plain JSON types, in a fixed order)."""
    model = j.model
    g = j.graph
    ids = dot_ids(model)
    checkpoint_of: dict[str, list[dict[str, Any]]] = {}
    dependent_for: dict[str, list[str]] = {}
    goals = []
    for goal in j.goals():
        for c in goal.checkpoints:
            checkpoint_of.setdefault(c.key, []).append({"goal": ids[goal.key], "exit": c.exit})
        for k in goal.route_dependent:
            dependent_for.setdefault(k, []).append(ids[goal.key])
        goals.append(
            {
                "id": ids[goal.key],
                "name": model.name(goal.key),
                "checkpoints": [
                    {"id": ids[c.key], "step": c.step, "exit": c.exit} for c in goal.checkpoints
                ],
            }
        )
    deliverables = []
    for key, d in model.deliverables.items():
        step = j.step_of.get(key)
        if step is not None and not g.is_group(key):
            routes = [_route(rid, r, ids, model, lang) for rid, r in j.steps[step - 1].route_ids()]
        else:
            routes = [_route("", r, ids, model, lang) for r in g.routes_by_output.get(key, [])]
        party = owner_party(model, key)
        kpi_parties = [kpi_party(model, k, key) for k in d.kpis]
        members = [ids[m] for m in model.groups[key].members] if g.is_group(key) else []
        deliverables.append(
            {
                "id": ids[key],
                "name": d.name,
                "kind": _kind(j, key),
                "step": step,
                "phase": j.phase_of.get(key),
                "owner": _first(d.attrs.get("owner")),
                "kpi": list(d.attrs.get("kpi", ())),
                "owner_party": LIST_TEXTS[lang][party] if party is not None else None,
                "kpi_party": [LIST_TEXTS[lang][p] if p is not None else None for p in kpi_parties],
                "note": _first(d.attrs.get("note")),
                "title": _first(d.attrs.get("title")),
                "url": _first(d.attrs.get("url")),
                "src": source_of(model, key),
                "routes": routes,
                "members": members,
                "inputs": [ids[k] for k in g.inputs(key)],
                "checkpoint_of": checkpoint_of.get(key, []),
                "route_dependent_for": dependent_for.get(key, []),
            }
        )
    phases = [
        {
            "index": p.index,
            "name": p.name,
            "title": _first(p.attrs.get("title")),
            "members": [ids[k] for k in p.members if k in ids],
        }
        for p in model.phases
    ]
    return {
        "lang": lang,
        "title": model.title or model.path,
        "words": _words(j, lang),
        "deliverables": deliverables,
        "phases": phases,
        "goals": goals,
    }


def _words(j: Journey, lang: str) -> dict[str, str]:
    """The viewer's words; the word for scenarios only when a route has ``when`` (a v1
    model's page keeps its bytes)."""
    out = viewer_words(lang)
    if not any(r.when for r in j.model.routes):
        out.pop("when", None)
    return out


def json_script(data: dict[str, Any], element_id: str = "prep-data") -> str:
    """``data`` in a ``<script type="application/json">``; ``<``, ``>`` and ``&`` are
    written as ``\\u`` escapes, so no name can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


@functools.cache
def asset(name: str) -> str:
    """The text of a file under ``render/assets`` (shipped in the wheel)."""
    return (resources.files("prepmodel.render") / "assets" / name).read_text("utf-8")
