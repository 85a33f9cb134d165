"""The fixed SQL of ``prep progress`` (contract §13), in DuckDB's dialect.

Kept to what SQLGlot carries to Spark: no ordered ARRAY_AGG (lists are STRING_AGG of ids),
no QUALIFY, no FILTER. Each entry is (name, SELECT, materialise in the embedded engine);
``{unit}``, ``{have}``, ``{cust}`` and ``{sid}`` name the tables of the path that runs them
(:func:`prepmodel.views.progress.statements`). The bit path's generated statements are in
:mod:`prepmodel.views.progress_bits`.
"""

from __future__ import annotations

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
