"""`prep progress` against a brute-force Python reference, and through a second engine.

Random models (layered, so without cycles; alternative routes, groups, phases, efforts,
scenarios) are written as `.prep` text and read by the real parser. Random customers make
random partial progress, with facts out of order, duplicated, misspelt and written in other
spellings of the same identity (full-width, extra spaces). The reference below recomputes
every per-customer field, the funnel, the cohorts and the problems one customer at a time
in plain Python from the model (it shares only the checkpoint list and step numbers with
the code under test; those have their own reference tests in test_journey_props.py).

The second engine: the script `--emit-sql spark` prints is parsed by SQLGlot as Spark SQL,
written back as DuckDB SQL and run on a fresh database holding only a table `events`; its
results must equal the embedded engine's.
"""

from __future__ import annotations

import csv
import math
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot

from prepmodel.checks.analysis import Analysis, analyse_bytes
from prepmodel.checks.config import Config
from prepmodel.journey.core import Journey
from prepmodel.model.core import identity
from prepmodel.views import progress as engine

AS_OF = date(2026, 6, 30)
NAMES = ["Alpha", "Beta", "Gamma", "Delta", "Order slip", "成功定義書", "導入計画書", "契約書",
         "KPI-2", "Epsilon", "設定済みテナント", "Zeta", "Eta plan", "Theta", "教育済みユーザー",
         "Iota", "Kappa"]  # fmt: skip


@dataclass
class RandomModel:
    text: str
    names: list[str]
    scenarios: list[str]


def random_model(rng: random.Random) -> RandomModel:
    n = rng.randint(4, 11)
    names = rng.sample(NAMES, n)
    n_ext = rng.randint(1, 3)
    ext = names[:n_ext]
    lines = ['model "m" { lang: en }']
    scen = ["self", "partner"] if rng.random() < 0.4 else []
    produced = names[n_ext:]
    goal = produced[-1]
    lines.append(f'goal "{goal}"')
    lines.append("external " + ", ".join(f'"{x}"' for x in ext))
    groups: list[str] = []
    for i, out in enumerate(produced):
        below = names[: n_ext + i]
        if i >= 2 and not groups and rng.random() < 0.25 and out != goal:
            members = rng.sample(below, min(len(below), rng.randint(2, 3)))
            lines.append(f'group "{out}" = ' + ", ".join(f'"{m}"' for m in members))
            groups.append(out)
            continue
        for r in range(rng.choice([1, 1, 1, 2, 2, 3])):
            k = rng.randint(1, min(3, len(below)))
            ins = rng.sample(below, k)
            if i > 0 and produced[i - 1] not in ins and rng.random() < 0.6:
                ins.append(produced[i - 1])  # mostly a chain, so journeys are long
            attrs = []
            if rng.random() < 0.5:
                attrs.append(f"effort: {rng.choice(['4h', '1d', '3d', '1w', '2d'])}")
            if scen and r > 0 and rng.random() < 0.7:
                attrs.append(f"when: {scen[r % 2]}")
            block = " { " + "; ".join(attrs) + " }" if attrs else ""
            # now and then an optional input `[X]` (contract §9), never the only input
            opt = ins[0] if len(ins) > 1 and rng.random() < 0.25 else None
            shown = [f'["{x}"]' if x == opt else f'"{x}"' for x in ins]
            lines.append(f'"{out}" <- ' + ", ".join(shown) + block)
    # everything produced is needed: the goal needs the chain; add owners and phases
    for x in rng.sample(produced, min(2, len(produced))):
        if rng.random() < 0.6:
            lines.append(f'deliverable "{x}" {{ owner: {rng.choice(["CSM", "顧客PM"])} }}')
    if rng.random() < 0.6 and len(produced) >= 3:
        cut = len(produced) // 2
        lines.append('phase "P1": ' + ", ".join(f'"{x}"' for x in produced[:cut]))
        lines.append('phase "P2": ' + ", ".join(f'"{x}"' for x in produced[cut:]))
    return RandomModel("\n".join(lines) + "\n", names, scen)


def variant(rng: random.Random, name: str) -> str:
    """Another spelling of the same identity (or the name itself)."""
    roll = rng.random()
    if roll < 0.15:
        return unicodedata.normalize("NFKC", name).translate(
            {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
        )  # full-width ASCII: NFKC maps it back
    if roll < 0.25:
        return "  " + name.replace(" ", "   ") + " "
    return name


def random_events(
    rng: random.Random, a: Analysis, n_customers: int
) -> list[tuple[str, str, str, str]]:
    """(customer, deliverable, date, route) rows: progress mostly in step order, with
    noise (out of order, duplicates, unknown names, other spellings)."""
    model = a.model
    order = [model.name(k) for k in a.journey._order]
    rows: list[tuple[str, str, str, str]] = []
    for c in range(n_customers):
        cust = f"c{c:03d}"
        day = date(2026, rng.randint(1, 6), rng.randint(1, 28))
        upto = rng.randint(0, len(order))
        skip = rng.choice([0.0, 0.2, 0.5])
        for name in order[:upto]:
            if rng.random() < skip:
                continue  # skipped: later facts then lack their inputs
            day += timedelta(days=rng.choice([0, 1, 2, 5, 9, 20]))
            shown = day if rng.random() > 0.1 else day - timedelta(days=rng.randint(1, 40))
            rows.append((cust, variant(rng, name), shown.isoformat(), ""))
            if rng.random() < 0.1:
                rows.append((cust, name, (shown + timedelta(days=3)).isoformat(), ""))
        if rng.random() < 0.15:
            rows.append((cust, rng.choice(order) + "x", day.isoformat(), ""))
        if rng.random() < 0.1:
            rows.append((cust, "Unheard of", day.isoformat(), ""))
    rng.shuffle(rows)
    return rows


def write_csv(path: Path, rows: list[tuple[str, str, str, str]], route: bool = False) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["customer", "deliverable", "date"] + (["route"] if route else []))
        for r in rows:
            w.writerow(list(r) if route else list(r[:3]))


# --- the reference ---------------------------------------------------------------------------
def reference(
    a: Analysis, j: Journey, rows: list[tuple[str, str, str, str]], stuck_after: int
) -> dict[str, Any]:
    model = a.model
    whole = a.journey
    order = [s.key for s in whole.steps] + [k for k in model.deliverables if k not in whole.step_of]
    rank = {k: i for i, k in enumerate(order)}
    goals = [g for g in model.goals if g in j.step_of]
    needed: set[str] = set()
    for g in goals:
        needed |= j.graph.needed_by(g)
    steps = [s for s in j.steps if s.key in needed]
    cps: dict[str, int] = {}
    for g in goals:
        for cp in j.goal(g).checkpoints:
            cps[cp.key] = cp.step
    checkpoints = sorted(cps, key=cps.__getitem__)
    phase_pos = {}
    for i, ph in enumerate(model.phases, start=1):
        for k in ph.members:
            phase_pos.setdefault(k, i)

    def leaves(g: str) -> set[str]:
        out: set[str] = set()
        for m in model.groups[g].members:
            if m in model.groups and j.graph.is_group(m):
                out |= leaves(m)
            elif m not in model.externals:
                out.add(m)
        return out

    def given(k: str) -> bool:
        return k in model.externals or (j.graph.is_group(k) and not leaves(k))

    routes: dict[str, list[tuple[str, set[str], float | None]]] = {}
    for s in steps:
        if s.group_members is not None:
            routes[s.key] = [(str(s.number), {m for m in s.group_members if not given(m)}, None)]
        else:
            routes[s.key] = [
                (rid, {x for x in r.required if not given(x)}, j.effort_hours.get(r.index))
                for rid, r in s.route_ids()
            ]

    by_customer: dict[str, list[tuple[str, date]]] = {}
    for c, name, d, _route in rows:
        by_customer.setdefault(c, []).append((name, date.fromisoformat(d)))
    customers = {}
    problems = set()
    have_all: dict[str, dict[str, date]] = {}
    for c, facts in sorted(by_customer.items()):
        start = min(d for _, d in facts)
        last = max(d for _, d in facts)
        first: dict[str, date] = {}
        count: dict[str, int] = {}
        for name, d in facts:
            k = identity(name)
            if k not in model.deliverables:
                problems.add(("unknown-deliverable", c, name))
                continue
            first[k] = min(first.get(k, d), d)
            count[k] = count.get(k, 0) + 1
        for k, n in count.items():
            if n > 1:
                problems.add(("duplicate", c, model.name(k)))
        have = dict(first)
        for s in steps:
            if s.group_members is not None:
                lv = leaves(s.key)
                if not lv:
                    have[s.key] = min(have.get(s.key, start), start)
                elif all(x in first for x in lv):
                    have[s.key] = min(have.get(s.key, date.max), max(first[x] for x in lv))
        have_all[c] = have
        # problems: a fact whose every route lacks an input on or before its date
        for k, d in first.items():
            if k not in routes:
                continue
            ok = any(all(x in have and have[x] <= d for x in ins) for _, ins, _e in routes[k])
            if not ok:
                complete = any(all(x in have for x in ins) for _, ins, _e in routes[k])
                problems.add(("before-inputs" if complete else "missing-inputs", c, model.name(k)))
        nxt = []
        efforts = []
        for s in steps:
            if s.key in have:
                continue
            ready = [r for r in routes[s.key] if all(x in have for x in r[1])]
            if ready:
                nxt.append(s.key)
                efforts += [e for _, _, e in ready if e is not None]
        unreached = [k for k in checkpoints if k not in have]
        gap = unreached[0] if unreached else None
        phases = [phase_pos[k] for k in unreached if k in phase_pos]
        why: list[str] = []
        if gap is not None:
            best = min(
                enumerate(routes[gap]),
                key=lambda ir: (len([x for x in ir[1][1] if x not in have]), ir[0]),
            )
            why = sorted((x for x in best[1][1] if x not in have), key=rank.__getitem__)
        days = (AS_OF - last).days
        allow = math.ceil(min(efforts) / 8) if efforts else None
        if all(g in have for g in goals):
            status = "done"
        elif days >= stuck_after:
            status = "stuck"
        elif allow is not None and days > allow:
            status = "behind"
        else:
            status = "on-track"
        customers[c] = {
            "reached": [model.name(k) for k in checkpoints if k in have],
            "next": [model.name(k) for k in sorted(nxt, key=rank.__getitem__)],
            "next_checkpoint": model.name(gap) if gap else None,
            "phase": model.phases[min(phases) - 1].name if phases else None,
            "why": [model.name(k) for k in why],
            "days": days,
            "status": status,
            "allowed": allow,
        }
    funnel = []
    for pos, k in enumerate(checkpoints):
        prefix = sum(1 for c in customers if all(x in have_all[c] for x in checkpoints[: pos + 1]))
        facts = sum(1 for c in customers if k in have_all[c])
        stuck = sum(
            1
            for c, v in customers.items()
            if v["status"] == "stuck" and v["next_checkpoint"] == model.name(k)
        )
        funnel.append((cps[k], model.name(k), prefix, facts, stuck))
    cohorts = {}
    starts = {c: min(d for _n, d in by_customer[c]) for c in customers}
    for k in checkpoints:
        by_month: dict[str, list[float]] = {}
        for c in customers:
            t = (have_all[c][k] - starts[c]).days if k in have_all[c] else math.inf
            by_month.setdefault(starts[c].isoformat()[:7], []).append(t)
        for month, ts in by_month.items():
            ts.sort()
            med = ts[math.ceil(0.5 * len(ts)) - 1]
            p75 = ts[math.ceil(0.75 * len(ts)) - 1]
            cohorts[(month, model.name(k))] = (
                len(ts),
                sum(1 for t in ts if t != math.inf),
                None if med == math.inf else int(med),
                None if p75 == math.inf else int(p75),
            )
    return {"customers": customers, "funnel": funnel, "cohorts": cohorts, "problems": problems}


def actual(p: engine.Progress) -> dict[str, Any]:
    customers = {
        c.customer: {
            "reached": [p.name(d) for d in c.reached],
            "next": [p.name(d) for d in c.next],
            "next_checkpoint": p.name(c.next_checkpoint) if c.next_checkpoint else None,
            "phase": c.phase,
            "why": [p.name(d) for d in c.why],
            "days": c.days_since,
            "status": c.status,
            "allowed": c.allowed_days,
        }
        for c in p.customers
    }
    funnel = [(f.step, p.name(f.d), f.reached, f.facts, f.stuck) for f in p.funnel]
    cohorts = {
        (co.cohort, p.name(co.d)): (co.customers, co.arrived, co.median_days, co.p75_days)
        for co in p.cohorts
    }
    problems = {
        (
            x.kind,
            x.customer,
            x.text if x.kind == "unknown-deliverable" else p.name(x.d),
        )
        for x in p.problems
    }
    return {"customers": customers, "funnel": funnel, "cohorts": cohorts, "problems": problems}


def _analyse(text: str) -> Analysis:
    return analyse_bytes(text.encode(), "m.prep", Config())


@pytest.mark.parametrize("seed", range(40))
def test_matches_reference(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    rm = random_model(rng)
    a = _analyse(rm.text)
    assert not a.errors, (rm.text, [str(d) for d in a.diagnostics])
    j = a.journey
    if rm.scenarios and seed % 2:
        from prepmodel.model.core import identity as ident

        j = a.journey.in_scenario(frozenset({ident(rm.scenarios[seed % 4 // 2])}))
    rows = random_events(rng, a, rng.randint(3, 14))
    src = tmp_path / "events.csv"
    write_csv(src, rows)
    stuck_after = rng.choice([5, 20, 30, 90])
    mt = engine.model_tables(a.journey, j, None)
    got = actual(engine.run(str(src), mt, AS_OF, stuck_after))
    want = reference(a, j, rows, stuck_after)
    assert got["customers"] == want["customers"], rm.text
    assert got["funnel"] == want["funnel"], rm.text
    assert got["cohorts"] == want["cohorts"], rm.text
    assert got["problems"] == want["problems"], rm.text
    reached = [f[2] for f in got["funnel"]]
    assert reached == sorted(reached, reverse=True)  # never rising along the journey


def _run_script(script: str, events_csv: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Run a DuckDB script on a fresh database whose only table is ``events``."""
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE events AS SELECT customer, deliverable, CAST(date AS DATE) AS date "
        f"FROM read_csv('{events_csv}', all_varchar = true)"
    )
    statements = [s for s in script.split(";\n\n") if s.strip()]
    results = []
    for s in statements:
        rel = con.execute(s.rstrip().rstrip(";"))
        if s.lstrip().upper().startswith("SELECT"):
            results.append(rel.fetchall())
    return dict(zip(engine.RESULTS, results, strict=True))


@pytest.mark.parametrize("seed", range(8))
def test_spark_text_runs_the_same(seed: int, tmp_path: Path) -> None:
    """--emit-sql spark, read back by SQLGlot as Spark, runs to the embedded results."""
    rng = random.Random(1000 + seed)
    rm = random_model(rng)
    a = _analyse(rm.text)
    rows = [r for r in random_events(rng, a, 12) if r[1] == r[1].strip()]
    # spellings the model uses: the emitted SQL matches names exactly (docs/progress.md)
    src = tmp_path / "events.csv"
    write_csv(src, rows)
    mt = engine.model_tables(a.journey, a.journey, None)
    con = duckdb.connect(":memory:")
    engine.load_events(con, str(src), mt)
    con.close()
    spark = engine.emit_sql(mt, AS_OF, 20, "spark")
    assert "TEMPORARY VIEW" in spark and "read_csv" not in spark
    back = ";\n\n".join(
        e.sql(dialect="duckdb") for e in sqlglot.parse(spark, read="spark") if e is not None
    )
    via_spark = _run_script(back + ";\n\n", src)
    duck = _run_script(engine.emit_sql(mt, AS_OF, 20, "duckdb"), src)
    embedded = engine.run(str(src), engine.model_tables(a.journey, a.journey, None), AS_OF, 20)
    want = actual(embedded)
    for rows_ in (via_spark, duck):
        got = actual(engine.collect(rows_, mt, AS_OF, 20))
        assert got == want
