"""The per-customer statements of ``prep progress`` for journeys of at most 62 deliverables.

One ``GROUP BY customer`` over the facts gives every customer one wide row: the earliest
date of each deliverable that matters (a column ``f<d>`` per deliverable), the first and last
fact, and enough bits to see whether any fact is a duplicate. Everything else per customer
is arithmetic on that row: when a group was had (``h<g>``), which deliverables the customer
has (``mask``, one bit per deliverable, listed in ``m_bit``), which facts came before their
inputs (``pm``) or name a route the deliverable does not have (``um``). No join over
customer × deliverable or customer × checkpoint is left.

The journey state (checkpoints reached, next steps, next checkpoint, phase, why, whether
the goals are had) depends only on ``mask``, so it is computed once per distinct mask, by
the same queries that the general path runs once per customer (``progress.STATE_QUERIES``,
with a state in place of a customer); customers then take their state by a join on
``mask``. Real data has few distinct masks (customers move along the same journey), so
this part costs next to nothing; in the worst case (every customer a different mask) it
costs what the general path does.

The SQL is generated from the model tables (one column per deliverable), in the same
dialect and with the same limits as the general path (no FILTER, no QUALIFY, no shifts:
bit values are literals), so ``--emit-sql spark`` carries it unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

MAX_BITS = 62  # bits 0..61 of a BIGINT: sums of distinct bits never overflow
WORD = 62  # deliverable ids per word of the duplicate check


def bit_ids(tables: dict[str, tuple[list[str], list[str], list[tuple[Any, ...]]]]) -> list[int]:
    """The deliverables whose dates the per-customer state needs, in id (journey) order:
    the steps, route inputs, group leaves, checkpoints and goals."""
    ids: set[int] = set()
    ids.update(row[0] for row in tables["m_step"][2])
    ids.update(row[1] for row in tables["m_route"][2])
    ids.update(row[1] for row in tables["m_input"][2])
    for g, m in tables["m_leaf"][2]:
        ids.update((g, m))
    ids.update(row[0] for row in tables["m_group"][2])
    ids.update(row[0] for row in tables["m_checkpoint"][2])
    ids.update(row[0] for row in tables["m_goal"][2])
    return sorted(ids)


def bit_rows(ids: list[int]) -> list[tuple[int, int, int]]:
    """``m_bit``: (deliverable, bit, bit value)."""
    return [(d, b, 1 << b) for b, d in enumerate(ids)]


def spelling_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``m_spelling`` rows (spelling, d) with the word and bit value of ``d`` for the
    duplicate check (every deliverable of the model, not only those of the journey)."""
    return [(s, d, (d - 1) // WORD, 1 << ((d - 1) % WORD)) for s, d in rows]


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _all(parts: list[str]) -> str:
    """Parts joined by AND, in parentheses (a part may be anything)."""
    return "(" + " AND ".join(f"({p})" for p in parts) + ")" if parts else "TRUE"


def _any(parts: list[str]) -> str:
    """Parts joined by OR, in parentheses."""
    return "(" + " OR ".join(f"({p})" for p in parts) + ")" if parts else "FALSE"


def _bits_sum(terms: list[tuple[str, int]]) -> str:
    """``CAST(0 AS BIGINT) + CASE WHEN cond THEN bit ELSE 0 END + ...`` (distinct bits: the
    sum is their OR)."""
    return " +\n    ".join(
        ["CAST(0 AS BIGINT)"] + [f"CASE WHEN {c} THEN {v} ELSE 0 END" for c, v in terms]
    )


class BitModel:
    """The model tables seen per deliverable: routes, inputs, group leaves, bits."""

    def __init__(
        self, tables: dict[str, tuple[list[str], list[str], list[tuple[Any, ...]]]]
    ) -> None:
        self.ids = bit_ids(tables)
        self.bit = {d: 1 << b for b, d in enumerate(self.ids)}
        self.steps = [row[0] for row in tables["m_step"][2]]
        self.routes: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
        for r, d, rid, n_in, _effort in tables["m_route"][2]:
            self.routes[d].append((r, rid, n_in))
        self.inputs: dict[int, list[int]] = defaultdict(list)
        for r, i in tables["m_input"][2]:
            self.inputs[r].append(i)
        self.leaves: dict[int, list[int]] = {g: [] for g, _n in tables["m_group"][2]}
        for g, m in tables["m_leaf"][2]:
            self.leaves[g].append(m)
        self.checkpoints = [(row[1], row[0]) for row in tables["m_checkpoint"][2]]  # (pos, d)
        spelt = [row[1] for row in tables["m_spelling"][2]]
        self.words = 1 + (max(spelt) - 1) // WORD if spelt else 1

    def had(self, d: int) -> str:
        """The column with the day the customer had ``d`` (NULL: not had)."""
        return f"h{d}" if d in self.leaves else f"f{d}"

    def ready(self, r: int) -> str | None:
        """The day every required input of route ``r`` was had (NULL: one is missing)."""
        ins = [self.had(i) for i in self.inputs.get(r, [])]
        if not ins:
            return None
        if len(ins) == 1:
            return ins[0]
        present = _all([f"{x} IS NOT NULL" for x in ins])
        return f"CASE WHEN {present} THEN GREATEST({', '.join(ins)}) END"

    def applies(self, d: int, rid: str, has_route: bool) -> list[str]:
        """The condition that a fact's route id allows route ``rid`` (none: every route)."""
        return [f"(r{d} IS NULL OR r{d} = {_lit(rid)})"] if has_route else []

    def problem(self, d: int, has_route: bool) -> str:
        """``d``'s earliest fact has an applicable route, but none whose inputs were all
        there on or before its day (``route_ok`` of the general path)."""
        routes = self.routes[d]
        applicable = [_all(self.applies(d, rid, has_route)) for _r, rid, _n in routes]
        ok = []
        for r, rid, n_in in routes:
            cond = self.applies(d, rid, has_route)
            if n_in:
                cond.append(f"COALESCE({self.ready(r)} <= f{d}, FALSE)")
            ok.append(_all(cond))
        return f"f{d} IS NOT NULL AND {_any(applicable)} AND NOT {_any(ok)}"

    def complete(self, d: int, has_route: bool) -> str:
        """An applicable route of ``d`` has all its inputs (at any time)."""
        parts = []
        for r, rid, n_in in self.routes[d]:
            cond = self.applies(d, rid, has_route)
            if n_in:
                cond.append(f"{self.ready(r)} IS NOT NULL")
            parts.append(_all(cond))
        return _any(parts)

    def ready_day(self, d: int, has_route: bool) -> str:
        """The earliest day an applicable route of ``d`` had all its inputs."""
        days = []
        for r, rid, n_in in self.routes[d]:
            if not n_in:
                continue
            cond = self.applies(d, rid, has_route)
            day = str(self.ready(r))
            days.append(f"CASE WHEN {_all(cond)} THEN {day} END" if cond else day)
        if not days:
            return "CAST(NULL AS DATE)"
        return days[0] if len(days) == 1 else f"LEAST({', '.join(days)})"

    def by_d(self, ds: list[int], expr: Any) -> str:
        """``CASE b.d WHEN d THEN expr(d) ... END``: a per-deliverable column of the row."""
        whens = " ".join(f"WHEN {d} THEN {expr(d)}" for d in ds)
        return f"CASE b.d {whens} END"


def statements(bm: BitModel, has_route: bool) -> list[tuple[str, str, bool]]:
    """``cust_wide`` (the facts per customer), ``cust_have`` (dates, masks), ``state`` and
    ``state_have`` (the distinct masks), ``cohort_reached`` and ``bit_problems``."""
    dates = ",\n  ".join(f"MIN(CASE WHEN s.d = {d} THEN e.date END) AS f{d}" for d in bm.ids)
    seen = ",\n  ".join(
        f"BIT_OR(CASE WHEN s.w = {w} THEN s.bm END) AS seen{w}" for w in range(bm.words)
    )
    routes = "".join(
        f",\n  MIN(CASE WHEN s.d = {d} THEN e.route END) AS r{d}" for d in bm.steps if has_route
    )
    wide = f"""SELECT e.customer, MIN(e.date) AS start_date, MAX(e.date) AS last_date,
  COUNT(s.d) AS n_known,
  {seen},
  {dates}{routes}
FROM ev AS e LEFT JOIN m_spelling AS s ON e.deliverable = s.spelling
GROUP BY e.customer"""

    groups = []
    for g, leaves in bm.leaves.items():
        if not leaves:
            groups.append(f"start_date AS h{g}")  # only externals: had from the start
            continue
        fs = [f"f{m}" for m in leaves]
        all_in = (
            f"CASE WHEN {_all([f'{x} IS NOT NULL' for x in fs])} THEN GREATEST({', '.join(fs)}) END"
        )
        groups.append(f"LEAST(f{g}, {all_in}) AS h{g}")
    counted = " + ".join(f"COALESCE(BIT_COUNT(seen{w}), 0)" for w in range(bm.words))
    inner_cols = ["customer", "start_date", "last_date", f"n_known - ({counted}) AS dup"]
    inner_cols += [f"f{d}" for d in bm.ids] + [f"r{d}" for d in bm.steps if has_route] + groups
    mask = _bits_sum([(f"{bm.had(d)} IS NOT NULL", bm.bit[d]) for d in bm.ids])
    checked = [d for d in bm.steps if bm.routes[d]]
    pm = _bits_sum([(bm.problem(d, has_route), bm.bit[d]) for d in checked])
    outer = ["customer", "start_date", "last_date", "dup"]
    outer += [f"f{d}" for d in bm.ids] + [f"h{g}" for g in bm.leaves]
    outer += [f"r{d}" for d in bm.steps if has_route]
    outer += [f"{mask} AS mask", f"{pm} AS pm"]
    if has_route:
        um = _bits_sum(
            [
                (
                    f"r{d} IS NOT NULL AND r{d} NOT IN "
                    f"({', '.join(_lit(rid) for _r, rid, _n in bm.routes[d])})",
                    bm.bit[d],
                )
                for d in bm.steps
            ]
        )
        outer.append(f"{um} AS um")
    have = (
        "SELECT "
        + ",\n  ".join(outer)
        + "\nFROM (SELECT "
        + ",\n  ".join(inner_cols)
        + "\n  FROM cust_wide) AS t"
    )

    cohorts = "\n  UNION ALL\n  ".join(
        f"SELECT DATE_TRUNC('month', start_date) AS cohort, {pos} AS pos, {d} AS d, "
        f"DATE_DIFF('day', start_date, {bm.had(d)}) AS days FROM cust_have "
        f"WHERE {bm.had(d)} IS NOT NULL"
        for pos, d in bm.checkpoints
    )
    cohort_reached = f"""SELECT cohort, pos, d, days, COUNT(*) AS n FROM (
  {cohorts}
) AS t GROUP BY cohort, pos, d, days"""

    problems = [
        """SELECT 'duplicate' AS kind, e.customer, s.d, CAST(NULL AS VARCHAR) AS text,
  MIN(e.date) AS date, MAX(e.date) AS other_date, COUNT(*) AS n
FROM ev AS e JOIN m_spelling AS s ON e.deliverable = s.spelling
JOIN (SELECT customer FROM cust_have WHERE dup > 0) AS u ON u.customer = e.customer
GROUP BY e.customer, s.d HAVING COUNT(*) > 1"""
    ]
    if checked:
        kind = bm.by_d(
            checked, lambda d: f"CASE WHEN {bm.complete(d, has_route)} THEN 1 ELSE 0 END"
        )
        day = bm.by_d(checked, lambda d: f"f{d}")
        ready = bm.by_d(checked, lambda d: bm.ready_day(d, has_route))
        problems.append(
            f"""SELECT CASE WHEN {kind} = 1 THEN 'before-inputs' ELSE 'missing-inputs' END AS kind,
  c.customer, b.d, CAST(NULL AS VARCHAR) AS text, {day} AS date, {ready} AS other_date, 1 AS n
FROM (SELECT * FROM cust_have WHERE pm <> 0) AS c JOIN m_bit AS b ON (c.pm & b.m) <> 0"""
        )
    if has_route and bm.steps:
        route = bm.by_d(bm.steps, lambda d: f"r{d}")
        day = bm.by_d(bm.steps, lambda d: f"f{d}")
        problems.append(
            f"""SELECT 'unknown-route' AS kind, c.customer, b.d, {route} AS text,
  {day} AS date, CAST(NULL AS DATE) AS other_date, 1 AS n
FROM (SELECT * FROM cust_have WHERE um <> 0) AS c JOIN m_bit AS b ON (c.um & b.m) <> 0"""
        )
    return [
        ("cust_wide", wide, True),
        ("cust_have", have, True),
        ("state", "SELECT DISTINCT mask AS cid FROM cust_have", True),
        (
            "state_have",
            "SELECT s.cid, b.d, CAST(NULL AS DATE) AS date\n"
            "FROM state AS s JOIN m_bit AS b ON (s.cid & b.m) <> 0",
            True,
        ),
        ("cohort_reached", cohort_reached, True),
        ("bit_problems", "\nUNION ALL\n".join(problems), False),
    ]
