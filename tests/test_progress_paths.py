"""The two SQL paths of `prep progress` give the same results.

The bit path (journeys of at most 62 deliverables: one row per customer, bit masks, the
journey state once per distinct mask) is what the reference tests in
test_progress_reference.py exercise, since their random models are small. Here the general
path (facts per customer and deliverable, joins per customer) is held to the same
brute-force reference, both paths are compared field by field (every problem with its
dates and counts) on events that carry route ids, valid and not, a journey too long for
the bits takes the general path and still matches the reference, and the bit path's
generated SQL with a route column goes through Spark SQL (SQLGlot) to the same results.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from prepmodel.model.core import identity
from prepmodel.views import progress as engine
from tests.test_progress_reference import (
    AS_OF,
    _analyse,
    actual,
    random_events,
    random_model,
    reference,
    write_csv,
)


@pytest.mark.parametrize("seed", range(0, 40, 3))
def test_general_path_matches_reference(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    rm = random_model(rng)
    a = _analyse(rm.text)
    j = a.journey
    if rm.scenarios and seed % 2:
        j = a.journey.in_scenario(frozenset({identity(rm.scenarios[seed % 4 // 2])}))
    rows = random_events(rng, a, rng.randint(3, 14))
    src = tmp_path / "events.csv"
    write_csv(src, rows)
    stuck_after = rng.choice([5, 20, 30, 90])
    mt = engine.model_tables(a.journey, j, None)
    assert engine.uses_bits(mt)  # small models: the default is the bit path
    got = actual(engine.run(str(src), mt, AS_OF, stuck_after, use_bits=False))
    assert got == reference(a, j, rows, stuck_after), rm.text


def full(p: engine.Progress) -> dict[str, Any]:
    """Every field of every result, problems with their days and counts."""
    return {
        "customers": [
            (c.customer, c.start, c.last, c.days_since, c.status, c.state) for c in p.customers
        ],
        "funnel": p.funnel,
        "cohorts": p.cohorts,
        "problems": p.problems,
    }


def _with_routes(
    rng: random.Random, rows: list[tuple[str, str, str, str]], route_ids: list[str]
) -> list[tuple[str, str, str, str]]:
    """Give some facts a route id: one of the model's (right deliverable or not) or none."""
    out = []
    for c, name, day, _ in rows:
        roll = rng.random()
        route = ""
        if roll < 0.3 and route_ids:
            route = rng.choice(route_ids)
        elif roll < 0.35:
            route = "9.z"
        out.append((c, name, day, route))
    return out


@pytest.mark.parametrize("seed", range(24))
def test_bit_path_equals_general_path(seed: int, tmp_path: Path) -> None:
    rng = random.Random(500 + seed)
    rm = random_model(rng)
    a = _analyse(rm.text)
    j = a.journey
    if rm.scenarios and seed % 2:
        j = a.journey.in_scenario(frozenset({identity(rm.scenarios[seed % 4 // 2])}))
    route_ids = [rid for s in j.steps for rid, _r in s.route_ids()]
    rows = random_events(rng, a, rng.randint(5, 20))
    with_route = seed % 3 != 0
    if with_route:
        rows = _with_routes(rng, rows, route_ids)
        first = a.model.name(j.steps[0].key)
        rows.append(("c999", first, "2026-02-01", "9.z"))  # a route the step does not have
    src = tmp_path / "events.csv"
    write_csv(src, rows, route=with_route)
    stuck_after = rng.choice([5, 20, 30, 90])
    goal = None
    results = []
    for use_bits in (True, False):
        mt = engine.model_tables(a.journey, j, goal)
        results.append(full(engine.run(str(src), mt, AS_OF, stuck_after, use_bits=use_bits)))
    assert results[0] == results[1], rm.text
    if with_route:
        kinds = {x.kind for x in engine.run(str(src), mt, AS_OF, stuck_after).problems}
        assert "unknown-route" in kinds


def test_a_long_journey_takes_the_general_path(tmp_path: Path) -> None:
    """70 steps do not fit the bits of a BIGINT: the general path runs, to the reference."""
    names = [f"Step {i:02d}" for i in range(70)]
    lines = ['model "long" { lang: en }', f'goal "{names[-1]}"', 'external "Start"']
    lines.append(f'"{names[0]}" <- "Start" {{ effort: 1d }}')
    for i in range(1, len(names)):
        ins = [f'"{names[i - 1]}"'] + ([f'"{names[i - 2]}"'] if i % 7 == 0 else [])
        lines.append(f'"{names[i]}" <- {", ".join(ins)}')
        if i % 11 == 0:
            lines.append(f'"{names[i]}" <- "Start" {{ effort: 2d }}')
    a = _analyse("\n".join(lines) + "\n")
    assert not a.errors
    rng = random.Random(7)
    rows = random_events(rng, a, 25)
    src = tmp_path / "events.csv"
    write_csv(src, rows)
    mt = engine.model_tables(a.journey, a.journey, None)
    assert not engine.uses_bits(mt)
    got = actual(engine.run(str(src), mt, AS_OF, 30))
    assert got == reference(a, a.journey, rows, 30)


@pytest.mark.parametrize("seed", range(4))
def test_spark_text_with_routes_runs_the_same(seed: int, tmp_path: Path) -> None:
    """With a route column the bit path's generated conditions name it: the Spark text,
    read back by SQLGlot and run on a fresh database, gives the embedded results."""
    import duckdb
    import sqlglot

    rng = random.Random(900 + seed)
    rm = random_model(rng)
    a = _analyse(rm.text)
    j = a.journey
    route_ids = [rid for s in j.steps for rid, _r in s.route_ids()]
    rows = [r for r in random_events(rng, a, 12) if r[1] == r[1].strip()]
    rows = _with_routes(rng, rows, route_ids)
    src = tmp_path / "events.csv"
    write_csv(src, rows, route=True)
    mt = engine.model_tables(a.journey, j, None)
    con = duckdb.connect(":memory:")
    has_route = engine.load_events(con, str(src), mt)
    con.close()
    assert has_route and engine.uses_bits(mt)
    spark = engine.emit_sql(mt, AS_OF, 20, "spark", has_route)
    back = [e.sql(dialect="duckdb") for e in sqlglot.parse(spark, read="spark") if e is not None]
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE events AS SELECT customer, deliverable, CAST(date AS DATE) AS date, "
        f"NULLIF(route, '') AS route FROM read_csv('{src}', all_varchar = true)"
    )
    results = []
    for stmt in back:
        rel = con.execute(stmt)
        if stmt.lstrip().upper().startswith("SELECT"):
            results.append(rel.fetchall())
    rows_ = dict(zip(engine.RESULTS, results, strict=True))
    got = full(engine.collect(rows_, mt, AS_OF, 20))
    want = full(engine.run(str(src), engine.model_tables(a.journey, j, None), AS_OF, 20))
    assert got == want
