"""The faster paths of issue #18 give what the plain ones gave.

Each pair below is the code before the issue's changes (kept here as the reference) and
the code the commands now run, on the samples and on generated models of both shapes:
the JSON written in pieces, the support modes and hand-overs looked up once per model, the
walk for what a goal needs, the topological orders, and the shared strings and
fields-sets of the parser and the model.
"""

from __future__ import annotations

import heapq
import json
import random
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from prepmodel.checks.analysis import analyse_text
from prepmodel.journey.core import Journey
from prepmodel.model.responsibility import Parties, handovers, owner_party, role_party, route_mode
from prepmodel.views import checkpoints as tables
from prepmodel.views import jsonout

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.prep")) + sorted(
    (ROOT / "samples" / "patterns").glob("*.prep")
)
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate, generate_streams  # noqa: E402


def _old_dumps(obj: dict[str, Any]) -> str:
    """jsonout.dumps as it was before it wrote pieces (the layout the goldens hold)."""
    parts: list[str] = []
    for key, value in obj.items():
        head = json.dumps(key, ensure_ascii=False) + ": "
        if isinstance(value, list) and value:
            items = ",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f"  {head}[\n{items}\n  ]")
        else:
            parts.append("  " + head + json.dumps(value, ensure_ascii=False))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _reference_json(j: Journey, goal: str | None = None) -> dict[str, Any]:
    """The checkpoint JSON object with its steps and goals built field by field, as before
    they were written as text (the other fields as the tables make them)."""
    model = j.model
    needed = j.graph.needed_by(goal) if goal is not None else None

    def route(rid: str, r: Any) -> dict[str, Any]:
        out = {
            "id": rid,
            "inputs": [j.name(k) for k in r.inputs],
            "optional": [j.name(k) for k in r.optional],
            "work": r.attr("work"),
            "by": list(r.by),
            "effort": r.attr("effort"),
            "when": list(r.attrs.get("when", ())),
            "mode": route_mode(model, r),
            "note": r.attr("note"),
            "line": r.span.line,
        }
        if model.file_order:
            out["file"] = r.span.file or model.path
        return out

    steps = []
    for s in j.steps:
        if needed is not None and s.key not in needed:
            continue
        d = model.deliverables[s.key]
        step: dict[str, Any] = {
            "step": s.number,
            "name": d.name,
            "kind": "group" if s.group_members is not None else "produced",
            "phase": j.phase_of.get(s.key),
            "depth": j.depth.get(s.key, 0),
            "routes": [route(rid, r) for rid, r in s.route_ids()],
            "kpi": list(d.attrs.get("kpi", ())),
            "owner": d.attr("owner"),
            "note": d.attr("note"),
        }
        if s.group_members is not None:
            step["members"] = [j.name(k) for k in s.group_members]
        steps.append(step)
    goals = [
        {
            "name": j.name(g.key),
            "checkpoints": [
                {"step": c.step, "name": j.name(c.key), "phase": c.phase, "exit": c.exit}
                for c in g.checkpoints
            ],
            "route_dependent": [j.name(k) for k in g.route_dependent],
            "critical_path": [j.name(k) for k in g.critical_path],
            "critical_path_routes": [  # through every route's id, as before
                j.route_id[r.index] for r in j._timed_path(g.key)[1] if r.index in j.route_id
            ]
            if j.timed
            else [],
            "critical_path_hours": j.critical_path_hours(g.key),
        }
        for g in ([j.goal(goal)] if goal is not None else j.goals())
    ]
    rest = tables.journey_json(j, goal)
    return {"steps": steps, "goals": goals} | {
        k: v for k, v in rest.items() if k not in ("steps", "goals")
    }


def _models() -> list[tuple[str, str]]:
    out = [(p.name, p.read_text(encoding="utf-8")) for p in SAMPLES]
    out.append(("layered-600", generate(600, seed=3, lang="mixed")))
    out.append(("streams-3000", generate_streams(3000, seed=2, lang="ja")))
    return out


MODELS = _models()


@pytest.mark.parametrize(
    "count", [0, 1, 2, jsonout.BATCH - 1, jsonout.BATCH, 2 * jsonout.BATCH + 1]
)
def test_json_pieces_are_the_old_layout(count: int) -> None:
    rng = random.Random(count)
    rows = [{"step": i, "name": f"成果物{i}", "x": rng.random() < 0.5} for i in range(count)]
    obj: dict[str, Any] = {"steps": rows, "title": "日本語", "empty": [], "none": None}
    assert jsonout.dumps(obj) == _old_dumps(obj)
    lazy = [(k, iter(v) if isinstance(v, list) else v) for k, v in obj.items()]
    assert "".join(jsonout.chunks(lazy)) == _old_dumps(obj)
    assert jsonout.dumps({}) == _old_dumps({})


@pytest.mark.parametrize(("name", "text"), MODELS, ids=[m[0] for m in MODELS])
def test_checkpoint_json_in_pieces(name: str, text: str) -> None:
    a = analyse_text(text, name)
    j = a.journey
    reference = _reference_json(j)
    assert tables.journey_json(j) == reference
    whole = _old_dumps(reference)
    assert "".join(tables.render_chunks(j, "json")) == whole
    assert tables.render_table(j, "json") == whole
    for goal in a.model.goals[:2]:
        assert tables.journey_json(j, goal) == _reference_json(j, goal)
        assert "".join(tables.render_chunks(j, "json", goal)) == _old_dumps(
            _reference_json(j, goal)
        )


@pytest.mark.parametrize(("name", "text"), MODELS, ids=[m[0] for m in MODELS])
def test_parties_as_the_plain_functions(name: str, text: str) -> None:
    model = analyse_text(text, name).model
    parties = Parties(model)
    for r in model.routes:
        assert parties.route_mode(r) == route_mode(model, r)
        assert parties.owner_party(r.output) == owner_party(model, r.output)
        for b in r.by:
            assert parties.role_party(b) == role_party(model, b)
    # the hand-overs with the old loop: every edge once, parties looked up each time
    edges = [(i, r.output) for r in model.routes for i in r.inputs]
    edges += [(m, g.key) for g in model.group_statements for m in g.members]
    expected = []
    for s, t in dict.fromkeys(edges):
        a, b = owner_party(model, s), owner_party(model, t)
        if a is not None and b is not None and a != b:
            expected.append((s, t, a, b))
    got = [(h.source, h.target, h.source_party, h.target_party) for h in handovers(model)]
    assert got == expected


def _old_topological(g: Any, nodes: set[str], key: Any) -> list[str]:
    """Kahn's algorithm with the (priority, node) heap (graphs without loops)."""
    missing = {n: sum(1 for p in g.predecessors(n) if p in nodes and p != n) for n in nodes}
    ready = [(key(n), n) for n, c in missing.items() if c == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        _, n = heapq.heappop(ready)
        out.append(n)
        for s in g.successors(n):
            if s in nodes and s != n:
                missing[s] -= 1
                if missing[s] == 0:
                    heapq.heappush(ready, (key(s), s))
    return out


@pytest.mark.parametrize(("name", "text"), MODELS, ids=[m[0] for m in MODELS])
def test_graph_walks_as_networkx(name: str, text: str) -> None:
    a = analyse_text(text, name)
    graph = a.graph
    for goal in a.model.goals:
        assert graph.needed_by(goal) == nx.ancestors(graph.g, goal) | {goal}
    assert graph.needed_by("no such deliverable") == set()
    if not graph.knots:
        nodes = set(graph.g.nodes)
        assert graph.ordered(nodes) == _old_topological(graph.g, nodes, graph.position)
        order = graph.any_order
        assert sorted(order) == sorted(nodes)
        at = {k: i for i, k in enumerate(order)}
        assert all(at[u] < at[v] for u, v in graph.g.edges if u != v)


@pytest.mark.parametrize(("name", "text"), MODELS[-2:], ids=[m[0] for m in MODELS[-2:]])
def test_shared_strings_and_fields_sets(name: str, text: str) -> None:
    a = analyse_text(text, name)
    names = [n for st in a.source.statements if hasattr(st, "inputs") for n in st.inputs]
    assert len(names) > len({n.text for n in names})
    first: dict[str, str] = {}
    for n in names:  # every mention of a name is the one string object
        assert first.setdefault(n.text, n.text) is n.text
    routes = a.model.routes
    assert routes[0].__pydantic_fields_set__ is routes[-1].__pydantic_fields_set__
    assert routes[0].__pydantic_fields_set__ == set(type(routes[0]).model_fields)
    copy = routes[0].model_copy(update={"index": 7})
    assert copy.index == 7
    assert routes[1].__pydantic_fields_set__ == set(type(routes[0]).model_fields)


def test_journey_names() -> None:
    a = analyse_text(MODELS[-1][1], "streams")
    j: Journey = a.journey
    for k, d in a.model.deliverables.items():
        assert j.name(k) == a.model.name(k) == d.name
    assert j.name("missing") == a.model.name("missing") == "missing"


@pytest.mark.parametrize(("name", "text"), MODELS, ids=[m[0] for m in MODELS])
def test_mandatory_per_goal_as_over_the_whole_order(name: str, text: str) -> None:
    a = analyse_text(text, name)
    views = []
    for per_goal in (False, True):
        j = Journey.of(a.model, a.graph)
        j.__dict__["_per_goal"] = per_goal
        keys = [*a.model.goals, *(s.key for s in j.steps[:: max(1, len(j.steps) // 40)])]
        views.append(
            (
                [(g.checkpoints, g.route_dependent) for g in j.goals()],
                {k: j.mandatory(k) for k in keys},
            )
        )
    assert views[0] == views[1]


LOOPS = """
goal 契約
external 要件
契約 <- 提案書, 見積書
契約 <- 口頭合意
口頭合意 <- 提案書
提案書 <- 要件, 見積書
見積書 <- 提案書
見積書 <- 要件
group 資料一式 = 提案書, 見積書
goal 資料一式
"""


def _reference_mandatory(j: Journey) -> dict[str, set[str]]:
    """M(D) with Python sets, straight from the definition (contract §4) over the same
    order as Journey's: an input not computed yet (on a loop) counts as itself alone."""
    graph = j.graph
    order = j._order
    position = {k: i for i, k in enumerate(order)}
    m: dict[str, set[str]] = {}
    for k in order:
        if k not in graph.produced:
            m[k] = {k}
            continue
        common: set[str] | None = None
        for inputs in graph.required(k):
            union: set[str] = set()
            for x in inputs:
                if x in m:
                    union |= m[x]
                elif x in position:
                    union.add(x)
            common = union if common is None else common & union
            if not common and not graph.is_group(k):
                break
        m[k] = {k} | (common or set())
    return m


@pytest.mark.parametrize(
    ("name", "text"), [*MODELS, ("loops", LOOPS)], ids=[*(m[0] for m in MODELS), "loops"]
)
@pytest.mark.parametrize("keep_all", [True, False], ids=["keep-all", "drop-after-use"])
def test_mandatory_sets_as_the_definition(
    name: str, text: str, keep_all: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bitset passes (unions in C, sets dropped after their last use on a wide order)
    give the sets the definition gives, in both modes, for goals and other deliverables."""
    from prepmodel.journey import core

    monkeypatch.setattr(core, "KEEP_ALL", 10**9 if keep_all else 0)
    a = analyse_text(text, name)
    reference = _reference_mandatory(Journey.of(a.model, a.graph))
    for per_goal in (False, True):
        j = Journey.of(a.model, a.graph)
        j.__dict__["_per_goal"] = per_goal
        keys = [*a.model.goals, *(s.key for s in j.steps[:: max(1, len(j.steps) // 30)])]
        for k in keys:
            if k in reference:
                assert j.mandatory(k) == reference[k], (name, per_goal, k)
        for g in j.goals():
            expected = reference.get(g.key, set())
            assert {c.key for c in g.checkpoints} == expected & set(j.step_of), (name, g.key)


@pytest.mark.parametrize(
    ("name", "text"), [*MODELS, ("loops", LOOPS)], ids=[*(m[0] for m in MODELS), "loops"]
)
def test_journey_depths_are_the_graph_depths(name: str, text: str) -> None:
    """Depths along the step order (no topological sort of the whole graph) are the
    graph's, for every deliverable the goals need; a loop falls back to the graph's."""
    a = analyse_text(text, name)
    j = Journey.of(a.model, a.graph)
    along = j.depth
    fresh = Journey.of(a.model, type(a.graph)(a.model)).graph.depth
    assert {k: along[k] for k in j._order} == {k: fresh[k] for k in j._order}
    scenario_names = tables.scenarios(a.model)
    if scenario_names:
        from prepmodel.model.core import identity

        s = j.in_scenario(frozenset({identity(scenario_names[0])}))
        assert {k: s.depth[k] for k in s._order} == {k: s.graph.depth[k] for k in s._order}


@pytest.mark.parametrize(
    ("name", "text"), [*MODELS, ("loops", LOOPS)], ids=[*(m[0] for m in MODELS), "loops"]
)
def test_schedule_along_the_steps_is_the_whole_graphs(name: str, text: str) -> None:
    """The critical path's earliest finishes and fastest routes, computed along the step
    order over what the goals need only, are those of the whole graph; with a loop the
    whole graph is used."""
    j = analyse_text(text, name).journey
    hours = j.effort_hours or {r.index: float(1 + r.index % 5) for r in j.model.routes}
    j.__dict__["effort_hours"] = hours
    finish, chosen = j._schedule
    whole_finish, whole_chosen = j.fastest(hours)
    needed = set(j._order)
    assert needed <= finish.keys()
    assert {k: finish[k] for k in needed} == {k: whole_finish[k] for k in needed}
    assert {k: r.index for k, r in chosen.items() if k in needed} == {
        k: r.index for k, r in whole_chosen.items() if k in needed
    }
    if name == "loops":
        assert j._depth_in_order is None
    if name.endswith("00"):  # the generated models: along the step order
        assert j._depth_in_order is not None


# A group that also has a route (GR02, an error that still prints the tables), an
# optional input and an input written twice: the cases where a route's required inputs
# are not simply its deliverable's predecessors in the graph.
MIXED = """
goal 完成品
external 部品A, 部品B, 部品C
完成品 <- 中間品, [部品C]
中間品 <- 部品A, 部品A, 部品B
セット <- 部品A
group セット = 部品B, 部品C
group 箱 = 中間品, 部品C
完成品 <- セット, 箱
"""


@pytest.mark.parametrize(
    ("name", "text"),
    [*MODELS, ("loops", LOOPS), ("mixed", MIXED)],
    ids=[*(m[0] for m in MODELS), "loops", "mixed"],
)
def test_inputs_by_position_are_what_each_route_requires(name: str, text: str) -> None:
    """The positions each step's passes read (from the compact graph where they can be)
    are the inputs each route requires, or the group's members."""
    j = analyse_text(text, name).journey
    bit = j._bit
    given = len(j._given)
    assert j._inputs[:given] == [None] * given
    for s, alternatives in zip(j.steps, j._inputs[given:], strict=True):
        wanted = (
            [s.group_members] if s.group_members is not None else [r.required for r in s.routes]
        )
        assert [set(a) for a in alternatives] == [{bit[x] for x in w} for w in wanted], s.key


@pytest.mark.parametrize(("name", "text"), MODELS, ids=[m[0] for m in MODELS])
def test_step_order_as_the_tuple_priorities(name: str, text: str) -> None:
    """The step order, sorted by one int per node in a one-file model, is Kahn's algorithm
    with the (phase key, position) tuples of contract §14; the ints sort as the tuples."""
    a = analyse_text(text, name)
    graph = a.graph
    if graph.knots:
        return
    nodes = {k for k in graph.needed if k in graph.produced}
    keys = graph.phase_keys if a.model.phases else dict.fromkeys(graph.g, 0)

    def priority(k: str) -> tuple[int, ...]:
        return (keys[k], *graph.position(k))

    assert graph.step_order(nodes) == _old_topological(graph.g, nodes, priority)
    c = graph.compact
    ids = [c.ids[k] for k in sorted(nodes)]
    names = [c.keys[i] for i in ids]
    ints = graph._priorities(ids, names, bool(a.model.phases))
    if not a.model.file_order:
        assert all(isinstance(p, int) for p in ints)
    tuples = [priority(k) for k in names]
    assert sorted(range(len(ids)), key=ints.__getitem__) == sorted(
        range(len(ids)), key=tuples.__getitem__
    )
