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
from prepmodel.views.progress_queries import (
    CUSTOMER_QUERIES,
    CUSTOMER_STATE,
    FETCH,
    PROBLEM_QUERIES,
    RESULTS,
    STATE_QUERIES,
    SUMMARY_QUERIES,
    UNKNOWN_NAMES,
)

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
# with its state's id ``sid``) and the four results. The fixed statements are in
# :mod:`progress_queries`: RESULTS (what ``--emit-sql`` prints last) and FETCH (what the
# embedded engine reads) among them.


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
    if use_bits:  # the spellings' words and bits, and each deliverable's bit
        bm = bits.BitModel(tables)
        tables["m_spelling"] = (
            ["spelling", "d", "w", "bm"],
            ["VARCHAR", "INTEGER", "INTEGER", "BIGINT"],
            bits.spelling_rows(tables["m_spelling"][2]),
        )
        tables["m_bit"] = (["d", "b", "m"], ["INTEGER", "INTEGER", "BIGINT"], bits.bit_rows(bm.ids))
    for name, (cols, types, rows) in tables.items():
        out.append((name, values_sql(cols, types, rows), True))
    n_goals = len(mt.tables["m_goal"][2])
    out.append(("m_param", param_sql(as_of, stuck_after, n_goals), True))
    if use_bits:
        bit_sql = bits.statements(bm, has_route)
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


@dataclass(slots=True)
class CustomerRow:
    """One customer: its dates, days since progress and status, and its shared
    :class:`State` (whose fields read as the customer's own)."""

    customer: str
    start: date
    last: date
    days_since: int
    status: str
    state: State

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
            st = shared.get(key)
            if st is None:
                st = shared[key] = state(*lists)
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
