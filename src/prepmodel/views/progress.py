"""Customer progress (contract §13): where every customer stands on the journey.

The work is done in SQL: the model's structure becomes a few small tables (``m_*``), the
facts a table ``events(customer, deliverable, date, route)``, and a chain of views computes
the per-customer state, the funnel, the cohorts and the data problems. The same statements
run in the embedded DuckDB (:func:`run`) and are printed by ``--emit-sql`` for a warehouse
(DuckDB text, or Spark SQL transpiled by SQLGlot). Python only maps names to ids before and
ids to names after. docs/progress.md says what each number means.

Deliverables are integer ids (``d``) in journey order: the steps of the whole model by step
number, then everything else in file order; every list a query returns is a comma-separated
text of ids, so it keeps its order on every engine.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from prepmodel.journey.core import Journey
from prepmodel.model.core import identity
from prepmodel.views import progress_bits as bits

if TYPE_CHECKING:
    import duckdb

HOURS_PER_DAY = 8.0
MEMORY_LIMIT = "3GB"  # DuckDB spills to a temporary folder beyond this
NOT_ARRIVED = 1_000_000_000  # days; sorts after every real time-to-checkpoint


# --- the model as tables -------------------------------------------------------------------
@dataclass
class ModelTables:
    """The structure of one journey (a scenario, a goal) as rows of small tables."""

    names: dict[int, str]  # d -> display name
    owners: dict[int, str | None]
    steps: dict[int, int]  # d -> step number (in this journey)
    ids: dict[str, int]  # identity key -> d
    spellings: dict[str, int]  # every spelling the model uses -> d
    checkpoints: list[int]  # d in journey order
    phases: list[str]  # phase names in declaration order
    tables: dict[str, tuple[list[str], list[str], list[tuple[Any, ...]]]] = field(
        default_factory=dict
    )  # name -> (columns, SQL types, rows)


def _leaves(j: Journey, key: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The members of group ``key`` that must be produced (groups flattened, externals and
    gaps-free leaves only; a group inside itself stops)."""
    out: set[str] = set()
    for m in j.model.groups[key].members:
        if m in seen:
            continue
        if j.graph.is_group(m):
            out |= _leaves(j, m, seen | {key})
        elif m not in j.model.externals:
            out.add(m)
    return out


def model_tables(whole: Journey, journey: Journey, goal: str | None) -> ModelTables:
    """Tables of ``journey`` (the whole model's journey, or one scenario's), for ``goal``
    (None: every goal; the checkpoints are then those of all goals, in step order)."""
    model = whole.model
    order = [s.key for s in whole.steps] + [k for k in model.deliverables if k not in whole.step_of]
    ids = {k: i for i, k in enumerate(order, start=1)}
    names = {ids[k]: model.name(k) for k in order}
    owners = {ids[k]: model.deliverables[k].owner for k in order}
    spellings: dict[str, int] = {}
    for k in order:
        d = model.deliverables[k]
        for text in (d.name, k, *(s.text for s in d.spellings)):
            spellings.setdefault(text, ids[k])

    goals = [goal] if goal is not None else list(model.goals)
    goals = [g for g in goals if g in journey.step_of]
    needed: set[str] = set()
    for g in goals:
        needed |= journey.graph.needed_by(g)
    steps = [s for s in journey.steps if s.key in needed]
    cps: dict[str, int] = {}
    for g in goals:
        for c in journey.goal(g).checkpoints:
            cps[c.key] = c.step
    checkpoints = sorted(cps, key=cps.__getitem__)
    phase_pos = {ph.key: i for i, ph in enumerate(model.phases, start=1)}
    phase_key: dict[str, str] = {}
    for ph in model.phases:
        for k in ph.members:
            phase_key.setdefault(k, ph.key)

    # A deliverable is "given" when every customer has it without a fact: an external, or
    # a group whose members are all given.
    leaves = {s.key: _leaves(journey, s.key) for s in steps if s.group_members is not None}

    def given(k: str) -> bool:
        if k in model.externals:
            return True
        return k in leaves and not leaves[k]

    route_rows: list[tuple[Any, ...]] = []
    input_rows: list[tuple[Any, ...]] = []
    hours = journey.effort_hours
    r_id = 0
    for s in steps:
        if s.group_members is not None:
            r_id += 1
            ins = sorted({ids[m] for m in s.group_members if not given(m)})
            route_rows.append((r_id, ids[s.key], str(s.number), len(ins), None))
            input_rows += [(r_id, i) for i in ins]
            continue
        for rid, r in s.route_ids():
            r_id += 1
            ins = sorted({ids[x] for x in r.required if not given(x) and x in ids})
            route_rows.append((r_id, ids[s.key], rid, len(ins), hours.get(r.index)))
            input_rows += [(r_id, i) for i in ins]

    t: dict[str, tuple[list[str], list[str], list[tuple[Any, ...]]]] = {}
    t["m_spelling"] = (["spelling", "d"], ["VARCHAR", "INTEGER"], [])  # filled by the caller
    t["m_step"] = (["d", "step"], ["INTEGER", "INTEGER"], [(ids[s.key], s.number) for s in steps])
    t["m_route"] = (
        ["r", "d", "rid", "n_in", "effort_h"],
        ["INTEGER", "INTEGER", "VARCHAR", "INTEGER", "DOUBLE"],
        route_rows,
    )
    t["m_input"] = (["r", "i"], ["INTEGER", "INTEGER"], input_rows)
    leaf_rows = [
        (ids[g], ids[m]) for g, ms in leaves.items() for m in sorted(ms, key=ids.__getitem__)
    ]
    t["m_leaf"] = (["g", "m"], ["INTEGER", "INTEGER"], leaf_rows)
    t["m_group"] = (
        ["g", "n_leaf"],
        ["INTEGER", "INTEGER"],
        [(ids[g], len(ms)) for g, ms in leaves.items()],
    )
    t["m_checkpoint"] = (
        ["d", "pos", "step", "phase_pos"],
        ["INTEGER", "INTEGER", "INTEGER", "INTEGER"],
        [
            (ids[k], n, cps[k], phase_pos.get(phase_key.get(k, "")))
            for n, k in enumerate(checkpoints, start=1)
        ],
    )
    t["m_goal"] = (["d"], ["INTEGER"], [(ids[g],) for g in goals])
    return ModelTables(
        names=names,
        owners=owners,
        steps={ids[s.key]: s.number for s in steps},
        ids=ids,
        spellings=spellings,
        checkpoints=[ids[k] for k in checkpoints],
        phases=[ph.name for ph in model.phases],
        tables=t,
    )


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def values_sql(columns: list[str], types: list[str], rows: list[tuple[Any, ...]]) -> str:
    """A SELECT of ``rows`` with typed columns (an empty one selects nothing)."""
    if not rows:
        cols = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in zip(columns, types, strict=True))
        return f"SELECT {cols} WHERE 1 = 0"
    body = ",\n  ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    casts = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in zip(columns, types, strict=True))
    return f"SELECT {casts} FROM (VALUES\n  {body}\n) AS t({', '.join(columns)})"


# --- the queries ---------------------------------------------------------------------------
# (name, SELECT, materialise in the embedded engine). Every statement reads only ``events``
# and the tables before it. Written in DuckDB's dialect, kept to what SQLGlot carries to
# Spark: no ordered ARRAY_AGG (lists are STRING_AGG of ids), no QUALIFY, no FILTER.
#
# Two paths compute the same results. The general one (any model) groups the facts per
# customer and deliverable and joins them with the model's routes per customer. The bit
# path (journeys of at most 62 deliverables, :mod:`progress_bits`) groups the facts per
# customer only and computes the journey state once per distinct set of deliverables had.
# Both end in the same views: ``progress_states`` (one row per state: a customer on the
# general path, a distinct set on the bit path), ``customer_state`` (one row per customer,
# with its state's id ``sid``) and the four results.

# The facts per customer (general path): customers numbered by name, earliest fact per
# customer and deliverable, and what each customer has (groups derived).
CUSTOMER_QUERIES: list[tuple[str, str, bool]] = [
    (
        "cust",
        """SELECT customer, ROW_NUMBER() OVER (ORDER BY customer) AS cid, start_date, last_date
FROM (SELECT customer, MIN(date) AS start_date, MAX(date) AS last_date
      FROM ev GROUP BY customer) AS t""",
        True,
    ),
    (
        "first_fact",
        """SELECT c.cid, s.d, MIN(e.date) AS date, MAX(e.date) AS last_date, MIN(e.route) AS route,
  COUNT(*) AS n
FROM ev AS e JOIN m_spelling AS s ON e.deliverable = s.spelling
JOIN cust AS c ON c.customer = e.customer
GROUP BY c.cid, s.d""",
        True,
    ),
    (
        "have",
        """SELECT cid, d, MIN(date) AS date FROM (
  SELECT cid, d, date FROM first_fact
  UNION ALL
  SELECT f.cid, l.g AS d, MAX(f.date) AS date
  FROM first_fact AS f JOIN m_leaf AS l ON f.d = l.m JOIN m_group AS gr ON gr.g = l.g
  GROUP BY f.cid, l.g, gr.n_leaf HAVING COUNT(*) = gr.n_leaf
  UNION ALL
  SELECT c.cid, gr.g AS d, c.start_date AS date
  FROM cust AS c CROSS JOIN m_group AS gr WHERE gr.n_leaf = 0
) AS u GROUP BY cid, d""",
        True,
    ),
]

# The journey state of every unit (``{unit}``: a table of ids ``cid``; ``{have}``: what each
# unit has, ``(cid, d, date)``): ready routes, next steps, checkpoints reached, why.
STATE_QUERIES: list[tuple[str, str, bool]] = [
    (
        "route_have",
        """SELECT h.cid, i.r, COUNT(*) AS n_have, MAX(h.date) AS ready_date
FROM {have} AS h JOIN m_input AS i ON h.d = i.i GROUP BY h.cid, i.r""",
        True,
    ),
    (
        "ready",
        """SELECT rh.cid, r.r, r.d, r.effort_h
FROM route_have AS rh JOIN m_route AS r ON r.r = rh.r WHERE rh.n_have = r.n_in
UNION ALL
SELECT c.cid, r.r, r.d, r.effort_h FROM {unit} AS c CROSS JOIN m_route AS r WHERE r.n_in = 0""",
        False,
    ),
    (
        "next_agg",
        """SELECT cid, STRING_AGG(CAST(d AS VARCHAR), ',' ORDER BY d) AS next_ids,
  MIN(effort_h) AS allow_h
FROM (
  SELECT y.cid, y.d, MIN(y.effort_h) AS effort_h
  FROM ready AS y JOIN m_step AS s ON s.d = y.d
  LEFT JOIN {have} AS h ON h.cid = y.cid AND h.d = y.d
  WHERE h.d IS NULL GROUP BY y.cid, y.d
) AS t GROUP BY cid""",
        True,
    ),
    (
        "cust_cp",
        """SELECT c.cid,
  STRING_AGG(CASE WHEN h.d IS NOT NULL THEN CAST(k.d AS VARCHAR) END, ',' ORDER BY k.pos)
    AS reached_ids,
  MIN(CASE WHEN h.d IS NULL THEN k.pos END) AS gap_pos,
  MIN(CASE WHEN h.d IS NULL THEN k.phase_pos END) AS phase_pos
FROM {unit} AS c CROSS JOIN m_checkpoint AS k
LEFT JOIN {have} AS h ON h.cid = c.cid AND h.d = k.d
GROUP BY c.cid""",
        True,
    ),
    (
        "why",
        """SELECT w.cid, STRING_AGG(CAST(i.i AS VARCHAR), ',' ORDER BY i.i) AS why_ids
FROM (
  SELECT cc.cid, r.r,
    ROW_NUMBER() OVER (PARTITION BY cc.cid ORDER BY r.n_in - COALESCE(rh.n_have, 0), r.r) AS rn
  FROM cust_cp AS cc JOIN m_checkpoint AS k ON k.pos = cc.gap_pos
  JOIN m_route AS r ON r.d = k.d
  LEFT JOIN route_have AS rh ON rh.cid = cc.cid AND rh.r = r.r
) AS w JOIN m_input AS i ON i.r = w.r
LEFT JOIN {have} AS h ON h.cid = w.cid AND h.d = i.i
WHERE w.rn = 1 AND h.d IS NULL GROUP BY w.cid""",
        True,
    ),
    (
        "goals_had",
        """SELECT h.cid, COUNT(*) AS n FROM {have} AS h JOIN m_goal AS g ON g.d = h.d
GROUP BY h.cid""",
        False,
    ),
    (
        "progress_states",
        """SELECT c.cid AS sid, cc.reached_ids, cc.gap_pos, k.d AS next_cp, cc.phase_pos,
  n.next_ids, n.allow_h, w.why_ids,
  CASE WHEN COALESCE(g.n, 0) = p.n_goals THEN 1 ELSE 0 END AS done
FROM {unit} AS c CROSS JOIN m_param AS p
JOIN cust_cp AS cc ON cc.cid = c.cid
LEFT JOIN m_checkpoint AS k ON k.pos = cc.gap_pos
LEFT JOIN next_agg AS n ON n.cid = c.cid
LEFT JOIN why AS w ON w.cid = c.cid
LEFT JOIN goals_had AS g ON g.cid = c.cid""",
        True,
    ),
]

# One row per customer (``{cust}`` with ``customer``, ``start_date``, ``last_date`` and the
# id of its state in ``{sid}``); then the full per-customer view for warehouse users.
CUSTOMER_STATE = (
    "customer_state",
    """SELECT c.customer, c.start_date, c.last_date,
  DATE_DIFF('day', c.last_date, p.as_of) AS days_since, c.{sid} AS sid, s.gap_pos,
  CASE
    WHEN s.done = 1 THEN 'done'
    WHEN DATE_DIFF('day', c.last_date, p.as_of) >= p.stuck_after THEN 'stuck'
    WHEN s.allow_h IS NOT NULL
      AND DATE_DIFF('day', c.last_date, p.as_of) > CEIL(s.allow_h / 8.0) THEN 'behind'
    ELSE 'on-track'
  END AS status
FROM {cust} AS c CROSS JOIN m_param AS p
JOIN progress_states AS s ON s.sid = c.{sid}""",
    True,
)

# Across customers (the same on both paths, given ``cohort_reached`` and ``{cust}``).
SUMMARY_QUERIES: list[tuple[str, str, bool]] = [
    (
        "progress_customers",
        """SELECT c.customer, c.start_date, c.last_date, c.days_since, s.reached_ids,
  s.next_cp, s.phase_pos, s.next_ids, s.allow_h, s.why_ids, c.status
FROM customer_state AS c JOIN progress_states AS s ON s.sid = c.sid""",
        False,
    ),
    (
        "funnel_reached",
        """SELECT k.pos, COALESCE(SUM(g.n), 0) AS reached
FROM m_checkpoint AS k
LEFT JOIN (SELECT gap_pos, COUNT(*) AS n FROM customer_state GROUP BY gap_pos) AS g
  ON g.gap_pos IS NULL OR g.gap_pos > k.pos
GROUP BY k.pos""",
        False,
    ),
    (
        "progress_funnel",
        """SELECT k.pos, k.d, k.step, fr.reached, COALESCE(fa.n, 0) AS facts,
  COALESCE(st.n, 0) AS stuck
FROM m_checkpoint AS k
JOIN funnel_reached AS fr ON fr.pos = k.pos
LEFT JOIN (SELECT pos, SUM(n) AS n FROM cohort_reached GROUP BY pos) AS fa ON fa.pos = k.pos
LEFT JOIN (SELECT gap_pos, COUNT(*) AS n FROM customer_state
           WHERE status = 'stuck' GROUP BY gap_pos) AS st ON st.gap_pos = k.pos""",
        False,
    ),
    (
        "cohort_hist",
        """SELECT cohort, pos, d, days, n FROM cohort_reached
UNION ALL
SELECT cs.cohort, k.pos, k.d, 1000000000 AS days, cs.n - COALESCE(a.n, 0) AS n
FROM (SELECT DATE_TRUNC('month', start_date) AS cohort, COUNT(*) AS n
      FROM {cust} GROUP BY DATE_TRUNC('month', start_date)) AS cs
CROSS JOIN m_checkpoint AS k
LEFT JOIN (SELECT cohort, pos, SUM(n) AS n FROM cohort_reached GROUP BY cohort, pos) AS a
  ON a.cohort = cs.cohort AND a.pos = k.pos
WHERE cs.n - COALESCE(a.n, 0) > 0""",
        False,
    ),
    (
        "progress_cohorts",
        """SELECT CAST(cohort AS DATE) AS cohort, pos, d, MAX(total) AS customers,
  SUM(CASE WHEN days < 1000000000 THEN n ELSE 0 END) AS arrived,
  MIN(CASE WHEN cum >= CEIL(0.5 * total) THEN days END) AS median_days,
  MIN(CASE WHEN cum >= CEIL(0.75 * total) THEN days END) AS p75_days
FROM (
  SELECT cohort, pos, d, days, n,
    SUM(n) OVER (PARTITION BY cohort, pos ORDER BY days
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
    SUM(n) OVER (PARTITION BY cohort, pos) AS total
  FROM cohort_hist
) AS t GROUP BY cohort, pos, d""",
        False,
    ),
]

UNKNOWN_NAMES = """SELECT 'unknown-deliverable' AS kind, e.customer, CAST(NULL AS INTEGER) AS d,
  e.deliverable AS text, MIN(e.date) AS date, CAST(NULL AS DATE) AS other_date, COUNT(*) AS n
FROM ev AS e LEFT JOIN m_spelling AS s ON e.deliverable = s.spelling
WHERE s.d IS NULL GROUP BY e.customer, e.deliverable"""

# Data problems (general path): every fact checked against the routes' inputs.
PROBLEM_QUERIES: list[tuple[str, str, bool]] = [
    (
        "cohort_reached",
        """SELECT DATE_TRUNC('month', c.start_date) AS cohort, k.pos, k.d,
  DATE_DIFF('day', c.start_date, h.date) AS days, COUNT(*) AS n
FROM have AS h JOIN m_checkpoint AS k ON k.d = h.d JOIN cust AS c ON c.cid = h.cid
GROUP BY DATE_TRUNC('month', c.start_date), k.pos, k.d, DATE_DIFF('day', c.start_date, h.date)""",
        True,
    ),
    (
        "route_ok",
        """SELECT f.cid, f.d, f.date,
  MAX(CASE WHEN r.n_in = 0 OR (rh.n_have = r.n_in AND rh.ready_date <= f.date)
      THEN 1 ELSE 0 END) AS ok,
  MAX(CASE WHEN r.n_in = 0 OR rh.n_have = r.n_in THEN 1 ELSE 0 END) AS complete,
  MIN(CASE WHEN rh.n_have = r.n_in THEN rh.ready_date END) AS ready_date
FROM first_fact AS f
JOIN m_route AS r ON r.d = f.d AND (f.route IS NULL OR f.route = r.rid)
LEFT JOIN route_have AS rh ON rh.cid = f.cid AND rh.r = r.r
GROUP BY f.cid, f.d, f.date""",
        False,
    ),
    (
        "progress_problems",
        UNKNOWN_NAMES
        + """
UNION ALL
SELECT 'duplicate' AS kind, c.customer, f.d, CAST(NULL AS VARCHAR) AS text, f.date,
  f.last_date AS other_date, f.n
FROM first_fact AS f JOIN cust AS c ON c.cid = f.cid WHERE f.n > 1
UNION ALL
SELECT CASE WHEN o.complete = 1 THEN 'before-inputs' ELSE 'missing-inputs' END AS kind,
  c.customer, o.d, CAST(NULL AS VARCHAR) AS text, o.date, o.ready_date AS other_date, 1 AS n
FROM route_ok AS o JOIN cust AS c ON c.cid = o.cid WHERE o.ok = 0
UNION ALL
SELECT 'unknown-route' AS kind, c.customer, f.d, f.route AS text, f.date,
  CAST(NULL AS DATE) AS other_date, 1 AS n
FROM first_fact AS f JOIN m_step AS s ON s.d = f.d JOIN cust AS c ON c.cid = f.cid
LEFT JOIN m_route AS r ON r.d = f.d AND r.rid = f.route
WHERE f.route IS NOT NULL AND r.r IS NULL""",
        False,
    ),
]

# What the outputs read, and in which order (``--emit-sql`` prints these).
RESULTS: dict[str, str] = {
    "customers": "SELECT customer, start_date, last_date, days_since, reached_ids, "
    "next_cp, phase_pos, next_ids, allow_h, why_ids, status FROM progress_customers "
    "ORDER BY customer",
    "funnel": "SELECT pos, d, step, reached, facts, stuck FROM progress_funnel ORDER BY pos",
    "cohorts": "SELECT cohort, pos, d, customers, arrived, median_days, p75_days "
    "FROM progress_cohorts ORDER BY cohort, pos",
    "problems": "SELECT kind, customer, d, text, date, other_date, n FROM progress_problems "
    "ORDER BY customer, kind, d, text",
}

# What the embedded engine reads: the same, with each state's lists once (a million
# customers share a few states) and each customer's state by id.
FETCH: dict[str, str] = {
    "states": "SELECT sid, reached_ids, next_cp, phase_pos, next_ids, allow_h, why_ids "
    "FROM progress_states ORDER BY sid",
    "customers": "SELECT customer, start_date, last_date, days_since, sid, status "
    "FROM customer_state ORDER BY customer",
    **{k: v for k, v in RESULTS.items() if k != "customers"},
}


def param_sql(as_of: date, stuck_after: int, n_goals: int) -> str:
    return (
        f"SELECT DATE '{as_of.isoformat()}' AS as_of, {int(stuck_after)} AS stuck_after, "
        f"{int(n_goals)} AS n_goals"
    )


def _fill(queries: list[tuple[str, str, bool]], **names: str) -> list[tuple[str, str, bool]]:
    return [(n, sql.format(**names), m) for n, sql, m in queries]


def uses_bits(mt: ModelTables) -> bool:
    """Whether the bit path can run: the journey's deliverables fit the bits of a BIGINT."""
    return len(bits.bit_ids(mt.tables)) <= bits.MAX_BITS


def statements(
    mt: ModelTables,
    as_of: date,
    stuck_after: int,
    has_route: bool,
    use_bits: bool | None = None,
) -> list[tuple[str, str, bool]]:
    """Every statement in order: the model tables, the parameters, the events as ``ev``
    (``route`` NULL when the source has none), then the queries of the bit path (when
    ``use_bits``, by default when :func:`uses_bits`) or the general path."""
    route = "CAST(route AS VARCHAR)" if has_route else "CAST(NULL AS VARCHAR)"
    out: list[tuple[str, str, bool]] = [
        (
            "ev",
            "SELECT CAST(customer AS VARCHAR) AS customer, CAST(deliverable AS VARCHAR) AS "
            f"deliverable, CAST(date AS DATE) AS date, {route} AS route FROM events",
            False,
        )
    ]
    if use_bits is None:
        use_bits = uses_bits(mt)
    tables = dict(mt.tables)
    cols, _types, rows = tables["m_spelling"]
    tables["m_spelling"] = (
        ["spelling", "d", "w", "bm"],
        ["VARCHAR", "INTEGER", "INTEGER", "BIGINT"],
        bits.spelling_rows(rows),
    )
    ids = bits.bit_ids(tables)
    tables["m_bit"] = (["d", "b", "m"], ["INTEGER", "INTEGER", "BIGINT"], bits.bit_rows(ids))
    for name, (cols, types, rows) in tables.items():
        out.append((name, values_sql(cols, types, rows), True))
    n_goals = len(mt.tables["m_goal"][2])
    out.append(("m_param", param_sql(as_of, stuck_after, n_goals), True))
    if use_bits:
        bit_sql = bits.statements(bits.BitModel(tables), has_route)
        out += bit_sql[:4]  # the wide rows, their masks, the states and what they have
        out += _fill(STATE_QUERIES, unit="state", have="state_have")
        out += _fill([CUSTOMER_STATE], cust="cust_have", sid="mask")
        out += bit_sql[4:]  # cohort_reached, bit_problems
        out += _fill(SUMMARY_QUERIES, cust="cust_have")
        problems = UNKNOWN_NAMES + "\nUNION ALL\nSELECT * FROM bit_problems"
        out.append(("progress_problems", problems, False))
        return out
    customer = CUSTOMER_QUERIES
    if not mt.tables["m_group"][2]:
        # no group to derive: what a customer has is what the facts say
        plain = ("have", "SELECT cid, d, date FROM first_fact", False)
        customer = [plain if q[0] == "have" else q for q in CUSTOMER_QUERIES]
    out += customer
    out += _fill(STATE_QUERIES, unit="cust", have="have")
    out += _fill([CUSTOMER_STATE], cust="cust", sid="cid")
    out += PROBLEM_QUERIES[:1]  # cohort_reached
    out += _fill(SUMMARY_QUERIES, cust="cust")
    out += PROBLEM_QUERIES[1:]
    return out


# --- results -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class State:
    """Where a customer stands on the journey, apart from dates: the same for every
    customer who has the same deliverables (one object shared by them all)."""

    reached: tuple[int, ...]
    next_checkpoint: int | None
    phase: str | None
    next: tuple[int, ...]
    allowed_days: int | None
    why: tuple[int, ...]


class CustomerRow:
    """One customer: its dates, days since progress and status, and its shared
    :class:`State` (whose fields read as the customer's own)."""

    __slots__ = ("customer", "days_since", "last", "start", "state", "status")

    def __init__(
        self, customer: str, start: date, last: date, days_since: int, status: str, state: State
    ) -> None:
        self.customer = customer
        self.start = start
        self.last = last
        self.days_since = days_since
        self.status = status
        self.state = state

    @property
    def reached(self) -> tuple[int, ...]:
        return self.state.reached

    @property
    def next_checkpoint(self) -> int | None:
        return self.state.next_checkpoint

    @property
    def phase(self) -> str | None:
        return self.state.phase

    @property
    def next(self) -> tuple[int, ...]:
        return self.state.next

    @property
    def allowed_days(self) -> int | None:
        return self.state.allowed_days

    @property
    def why(self) -> tuple[int, ...]:
        return self.state.why


@dataclass
class FunnelRow:
    position: int
    d: int
    step: int
    reached: int
    facts: int
    stuck: int


@dataclass
class CohortRow:
    cohort: str  # YYYY-MM
    position: int
    d: int
    customers: int
    arrived: int
    median_days: int | None
    p75_days: int | None


@dataclass
class Problem:
    kind: str
    customer: str
    d: int | None
    text: str | None  # the unknown name, or the unknown route
    day: date | None  # the (earliest) fact's date
    other_day: date | None  # duplicates: the latest; before-inputs: when the inputs were there
    count: int


@dataclass
class Progress:
    as_of: date
    stuck_after: int
    tables: ModelTables
    customers: list[CustomerRow]
    funnel: list[FunnelRow]
    cohorts: list[CohortRow]
    problems: list[Problem]
    suggestions: dict[str, str | None] = field(default_factory=dict)  # unknown -> close name

    def name(self, d: int | None) -> str:
        return self.tables.names.get(d, "") if d is not None else ""


@functools.lru_cache(maxsize=1 << 16)
def _ids(text: str | None) -> tuple[int, ...]:
    """``"3,5,8"`` -> (3, 5, 8); the same few lists come back for most customers."""
    return tuple(int(x) for x in text.split(",")) if text else ()


def _day(value: Any) -> date:
    if type(value) is date:
        return value
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    return date.fromisoformat(str(value)[:10])


def collect(
    rows: dict[str, list[tuple[Any, ...]]], mt: ModelTables, as_of: date, stuck: int
) -> Progress:
    """The results of :data:`FETCH` (the embedded engine) or :data:`RESULTS` (rows from any
    engine, every customer with its lists) as Python objects."""
    phases = mt.phases
    allowed: dict[float, int] = {}

    def state(reached: Any, nxt_cp: Any, ph: Any, nxt: Any, allow: Any, why: Any) -> State:
        return State(
            reached=_ids(reached),
            next_checkpoint=int(nxt_cp) if nxt_cp is not None else None,
            phase=phases[int(ph) - 1] if ph is not None else None,
            next=_ids(nxt),
            allowed_days=None
            if allow is None
            else allowed.setdefault(allow, math.ceil(float(allow) / HOURS_PER_DAY)),
            why=_ids(why),
        )

    customers = []
    if "states" in rows:
        # DuckDB gives str, date and int already: one object per customer, nothing else
        states = {row[0]: state(*row[1:]) for row in rows["states"]}
        customers = [
            CustomerRow(c, start, last, since, status, states[sid])
            for c, start, last, since, sid, status in rows["customers"]
        ]
    else:
        shared: dict[tuple[Any, ...], State] = {}
        for c, start, last, since, *lists, status in rows["customers"]:
            key = tuple(lists)
            st = shared.get(key) or shared.setdefault(key, state(*lists))
            customers.append(
                CustomerRow(str(c), _day(start), _day(last), int(since), str(status), st)
            )
    funnel = [FunnelRow(*(int(v or 0) for v in row)) for row in rows["funnel"]]
    cohorts = [
        CohortRow(
            cohort=_day(co).isoformat()[:7],
            position=int(pos),
            d=int(d),
            customers=int(n),
            arrived=int(arr),
            median_days=None if med is None or med >= NOT_ARRIVED else int(med),
            p75_days=None if p75 is None or p75 >= NOT_ARRIVED else int(p75),
        )
        for co, pos, d, n, arr, med, p75 in rows["cohorts"]
    ]
    problems = [
        Problem(
            kind=str(kind),
            customer=str(c),
            d=int(d) if d is not None else None,
            text=None if text is None else str(text),
            day=_day(dt) if dt is not None else None,
            other_day=_day(other) if other is not None else None,
            count=int(n),
        )
        for kind, c, d, text, dt, other, n in rows["problems"]
    ]
    return Progress(as_of, stuck, mt, customers, funnel, cohorts, problems)


# --- the events source ---------------------------------------------------------------------
class SourceError(Exception):
    """The events cannot be read: a missing file or column, a bad date (exit 2)."""


REQUIRED = ("customer", "deliverable", "date")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def split_source(source: str) -> tuple[str, str | None]:
    """``file.duckdb:table`` -> (file, table); anything else -> (file, None)."""
    for ext in (".duckdb:", ".db:", ".ddb:"):
        at = source.lower().rfind(ext)
        if at >= 0:
            return source[: at + len(ext) - 1], source[at + len(ext) :]
    return source, None


def open_events(con: duckdb.DuckDBPyConnection, source: str) -> bool:
    """Make the view ``raw_events`` (text columns and a row number) from ``source``; says
    whether it has a ``route`` column. Missing files and columns raise :class:`SourceError`."""
    from pathlib import Path

    import duckdb as ddb

    path, table = split_source(source)
    p = Path(path)
    if not p.exists():
        raise SourceError(f"{path}: no such file")
    if p.is_dir():
        raise SourceError(f"{path}: is a folder, not an events file")
    first_line = 1
    try:
        if table is not None:
            con.execute(f"ATTACH {_quote(path)} AS src (READ_ONLY)")
            parts = table.split(".")
            if not table or len(parts) > 2:
                raise SourceError(f"{source}: name a table after the colon (file.duckdb:table)")
            rel = "src." + ".".join(_ident(x) for x in parts)
            first_line = 0
        else:
            with p.open("rb") as fh:
                magic = fh.read(4)
            if magic == b"PAR1":
                rel = f"read_parquet({_quote(path)})"
                first_line = 0
            else:
                rel = (
                    f"read_csv({_quote(path)}, all_varchar = true, header = true, "
                    "auto_detect = true, encoding = 'utf-8')"
                )
        described = con.execute(f"DESCRIBE SELECT * FROM {rel}").fetchall()
        cols = [r[0] for r in described]
        types = {r[0]: str(r[1]).upper() for r in described}
    except SourceError:
        raise
    except ddb.Error as err:
        raise SourceError(f"{source}: cannot read: {str(err).splitlines()[0]}") from None
    by_name = {c.strip().lower().lstrip("\ufeff"): c for c in cols}
    missing = [c for c in REQUIRED if c not in by_name]
    if missing:
        raise SourceError(
            f"{source}: no column {', '.join(missing)} (the columns are: {', '.join(cols)}); "
            "events need customer, deliverable, date (and may have route)"
        )
    has_route = "route" in by_name
    route = f"CAST({_ident(by_name['route'])} AS VARCHAR)" if has_route else "CAST(NULL AS VARCHAR)"
    date_col = _ident(by_name["date"])
    kind = types.get(by_name["date"], "VARCHAR")
    if kind == "DATE" or kind.startswith("TIMESTAMP"):
        day = f"CAST({date_col} AS DATE)"  # typed (Parquet, DuckDB): no text to read
    else:
        day = f"TRY_CAST(LEFT(TRIM(CAST({date_col} AS VARCHAR)), 10) AS DATE)"
    columns = (
        f"CAST({_ident(by_name['customer'])} AS VARCHAR) AS customer, "
        f"CAST({_ident(by_name['deliverable'])} AS VARCHAR) AS deliverable, "
        f"CAST({date_col} AS VARCHAR) AS date_text, {day} AS day, {route} AS route"
    )
    con.execute(
        f"CREATE TEMP VIEW raw_events AS SELECT ROW_NUMBER() OVER () + {first_line} AS line, "
        f"{columns} FROM {rel}"
    )
    con.execute(
        "CREATE TEMP VIEW events AS SELECT TRIM(customer) AS customer, deliverable, "
        f"day AS date, NULLIF(TRIM(route), '') AS route FROM (SELECT {columns} FROM {rel}) AS t"
    )
    return has_route


def check_events(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Raise :class:`SourceError` naming the first row with an empty customer or
    deliverable, or a date that does not read as ``YYYY-MM-DD``."""
    path, table = split_source(source)
    where = f"{source}: row" if table is not None else f"{path}:"
    bad = con.execute(
        """SELECT line, customer, deliverable, date_text FROM raw_events
WHERE customer IS NULL OR TRIM(customer) = '' OR deliverable IS NULL OR TRIM(deliverable) = ''
   OR day IS NULL
   OR (LENGTH(TRIM(date_text)) > 10 AND TRY_CAST(TRIM(date_text) AS TIMESTAMP) IS NULL)
ORDER BY line LIMIT 1"""
    ).fetchone()
    if bad is None:
        return
    line, customer, deliverable, text = bad
    if customer is None or not customer.strip():
        what = "no customer"
    elif deliverable is None or not deliverable.strip():
        what = "no deliverable"
    else:
        what = f"cannot read the date '{text or ''}' (expected YYYY-MM-DD)"
    sep = " " if table is not None else ""
    raise SourceError(f"{where}{sep}{line}: {what}")


def load_events(con: duckdb.DuckDBPyConnection, source: str, mt: ModelTables) -> bool:
    """Read ``source`` into the table ``events`` and fill ``m_spelling`` with the names
    in it that denote a deliverable of the model (by identity: NFKC, white space)."""
    import duckdb as ddb

    try:
        has_route = open_events(con, source)
        check_events(con, source)
        names = [r[0] for r in con.execute("SELECT DISTINCT deliverable FROM events").fetchall()]
    except ddb.Error as err:
        raise SourceError(f"{source}: cannot read: {str(err).splitlines()[0]}") from None
    rows = [(n, mt.ids[identity(n)]) for n in names if identity(n) in mt.ids]
    cols, types, _ = mt.tables["m_spelling"]
    mt.tables["m_spelling"] = (cols, types, sorted(rows))
    return has_route


def run(
    source: str,
    mt: ModelTables,
    as_of: date,
    stuck_after: int,
    memory_limit: str | None = None,
    use_bits: bool | None = None,
) -> Progress:
    """Everything :data:`RESULTS` asks for, computed by the embedded DuckDB on ``source``
    (``use_bits``: force the bit path or the general one; by default the bit path when the
    journey fits, :func:`uses_bits`)."""
    import tempfile

    import duckdb as ddb

    spill = tempfile.TemporaryDirectory(prefix="prep-progress-")
    con = ddb.connect(":memory:")
    try:
        con.execute(f"SET temp_directory = {_quote(spill.name)}")
        con.execute(f"SET memory_limit = {_quote(memory_limit or MEMORY_LIMIT)}")
        has_route = load_events(con, source, mt)
        # the line numbers of bad rows are known by now: order no longer matters
        con.execute("SET preserve_insertion_order = false")
        for name, sql, materialise in statements(mt, as_of, stuck_after, has_route, use_bits):
            kind = "TABLE" if materialise else "VIEW"
            con.execute(f"CREATE TEMP {kind} {name} AS {sql}")
        rows = {key: con.execute(sql).fetchall() for key, sql in FETCH.items()}
    finally:
        con.close()
        spill.cleanup()
    return collect(rows, mt, as_of, stuck_after)


def emit_sql(
    mt: ModelTables, as_of: date, stuck_after: int, dialect: str, has_route: bool = False
) -> str:
    """The statements as a script for ``dialect`` (``duckdb`` or ``spark``): temporary views
    over a table ``events(customer, deliverable, date[, route])``, then the four result
    queries. Names match the spellings the model uses (and those of the data, when
    :func:`load_events` has seen it). Spark text is transpiled from DuckDB's by SQLGlot."""
    cols, types, rows = mt.tables["m_spelling"]
    if not rows:
        mt.tables["m_spelling"] = (cols, types, sorted(mt.spellings.items()))
    parts: list[str] = []
    for name, sql, _ in statements(mt, as_of, stuck_after, has_route):
        parts.append(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS\n{sql}")
    parts += list(RESULTS.values())
    if dialect == "duckdb":
        return ";\n\n".join(parts) + ";\n"
    import sqlglot

    out = [sqlglot.transpile(p, read="duckdb", write=dialect, pretty=True)[0] for p in parts]
    return ";\n\n".join(out) + ";\n"
