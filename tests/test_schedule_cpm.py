"""`prep schedule`'s core: the working-day calendar (weekends, Golden Week, New Year,
substitute holidays) and the critical path method (early/late start and finish, slack),
checked against brute force on random models with efforts and alternative routes."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import jpholiday
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepmodel.checks.analysis import analyse_text
from prepmodel.journey.schedule import Node, cpm, half_days, plan
from prepmodel.model.core import identity
from prepmodel.model.workdays import WorkCalendar, jp_holiday_name
from prepmodel.views.schedule import Dated, days

from .brute import draw_timed_routes

D = dt.date

# --- calendar ------------------------------------------------------------------------------


def _days(cal: WorkCalendar, n: int) -> list[D]:
    return [cal.day(i) for i in range(n)]


def test_golden_week_2026_is_skipped_with_its_substitute_holiday() -> None:
    """4/29 昭和の日 (Wed), 5/3-5/5 (Sun-Tue), and 5/6 振替休日 for 5/3 falling on a Sunday."""
    cal = WorkCalendar("jp", D(2026, 4, 27))
    assert _days(cal, 5) == [
        D(2026, 4, 27),
        D(2026, 4, 28),
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2026, 5, 7),
    ]
    assert jp_holiday_name(D(2026, 5, 6)) is not None  # the substitute holiday
    assert "振替休日" in (jp_holiday_name(D(2026, 5, 6)) or "")
    assert [day for day, _ in cal.holidays(D(2026, 4, 27), D(2026, 5, 7))] == [
        D(2026, 4, 29),
        D(2026, 5, 3),
        D(2026, 5, 4),
        D(2026, 5, 5),
        D(2026, 5, 6),
    ]


def test_new_year_and_coming_of_age_day() -> None:
    """From New Year's Eve 2026: 1/1 is a holiday, 1/2-1/3 a weekend; 1/11 (2nd Monday)
    is 成人の日."""
    cal = WorkCalendar("jp", D(2026, 12, 31))
    got = _days(cal, 7)
    assert got == [
        D(2026, 12, 31),
        D(2027, 1, 4),
        D(2027, 1, 5),
        D(2027, 1, 6),
        D(2027, 1, 7),
        D(2027, 1, 8),
        D(2027, 1, 12),
    ]
    assert cal.index(D(2027, 1, 1)) == 1  # a holiday: the next working day


def test_substitute_holiday_for_the_emperors_birthday_2025() -> None:
    """2025-02-23 天皇誕生日 is a Sunday; Monday the 24th is off."""
    cal = WorkCalendar("jp", D(2025, 2, 21))
    assert _days(cal, 2) == [D(2025, 2, 21), D(2025, 2, 25)]


def test_a_start_on_a_holiday_begins_on_the_next_working_day() -> None:
    assert WorkCalendar("jp", D(2026, 5, 3)).day(0) == D(2026, 5, 7)
    assert WorkCalendar("none", D(2026, 5, 3)).day(0) == D(2026, 5, 3)


def test_calendar_none_counts_every_day() -> None:
    cal = WorkCalendar("none", D(2026, 4, 28))
    assert _days(cal, 10) == [D(2026, 4, 28) + dt.timedelta(days=i) for i in range(10)]
    assert cal.holidays(D(2026, 1, 1), D(2026, 12, 31)) == []


def test_unknown_calendar_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkCalendar("us", D(2026, 1, 1))


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 1)),
    st.integers(min_value=0, max_value=60),
)
def test_working_days_against_a_day_by_day_walk(start: D, n: int) -> None:
    """Day n is the (n+1)th day from the start that is neither a weekend nor a holiday."""
    cal = WorkCalendar("jp", start)
    walk = []
    cur = start
    while len(walk) <= n:
        if cur.weekday() < 5 and not jpholiday.is_holiday(cur):
            walk.append(cur)
        cur += dt.timedelta(days=1)
    assert cal.day(n) == walk[n]
    assert cal.index(walk[n]) == n
    assert cal.non_working(start, walk[n]) == [
        start + dt.timedelta(days=i)
        for i in range((walk[n] - start).days + 1)
        if start + dt.timedelta(days=i) not in walk
    ]


# --- durations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "halves"),
    [(0, 0), (1, 1), (4, 1), (4.5, 2), (5, 2), (8, 2), (9, 3), (24, 6), (60, 15)],
)
def test_hours_round_up_to_half_days(hours: float, halves: int) -> None:
    assert half_days(hours) == halves


def test_days_prints_whole_days_as_integers() -> None:
    assert days(4) == 2 and isinstance(days(4), int)
    assert days(3) == 1.5


# --- the passes on a fixed network ------------------------------------------------------------


def test_cpm_textbook_network() -> None:
    """A(3) -> B(2) -> D(4); A -> C(5) -> D: the path A-C-D is critical, B has 3 of slack."""
    times, finish = cpm(
        [
            Node("A", 3, ()),
            Node("B", 2, ("A",)),
            Node("C", 5, ("A",)),
            Node("D", 4, ("B", "C")),
            Node("E", 1, ()),
        ]
    )
    assert finish == 12
    assert times["A"] == (0, 3, 0, 3)
    assert times["B"] == (3, 5, 6, 8)
    assert times["C"] == (3, 8, 3, 8)
    assert times["D"] == (8, 12, 8, 12)
    assert times["E"] == (0, 1, 11, 12)


def test_plan_follows_the_fastest_route_and_counts_routes_without_effort() -> None:
    a = analyse_text(
        """
goal 申告書控え
external 帳簿, 電子証明書
決算書 <- 帳簿 { effort: 2d; by: 経理 }
申告書 <- 決算書 { work: 税理士に依頼; effort: 3w; by: 税理士 }
申告書 <- 決算書, 電子証明書 { work: "自分で e-Tax"; effort: 1d; by: 本人 }
申告書控え <- 申告書
""",
        "t.prep",
    )
    p = plan(a.journey)
    by_name = {a.journey.name(t.key): t for t in p.tasks}
    assert by_name["申告書"].route_id == f"{by_name['申告書'].step}.b"
    assert by_name["申告書"].resources == ("本人",)
    assert [(t.es, t.ef) for t in p.tasks] == [(0, 4), (4, 6), (6, 6)]
    assert p.finish == 6 and all(t.critical for t in p.tasks)
    assert (p.routes, p.without_effort) == (4, 1)
    filled = plan(a.journey, default_hours=4)
    assert filled.finish == 7 and filled.without_effort == 1


def test_an_optional_input_is_a_task_but_not_waited_for() -> None:
    """Contract §9: the route does not require [X], so its step does not wait for it."""
    a = analyse_text(
        """
goal 控え
external 帳簿, 領収書
控え <- 申告書, [明細書] { effort: 1d }
申告書 <- 帳簿 { effort: 2d }
明細書 <- 領収書 { effort: 5d }
""",
        "t.prep",
    )
    j = a.journey
    p = plan(j)
    by_name = {j.name(t.key): t for t in p.tasks}
    assert by_name["控え"].preds == (identity("申告書"),)
    assert (by_name["控え"].es, by_name["控え"].ef) == (4, 6)  # after 申告書's 2 days only
    assert (by_name["明細書"].es, by_name["明細書"].ef) == (0, 10)
    assert p.finish == 10  # the plan still makes the optional input


def test_a_goal_alone_and_milestones_are_its_checkpoints() -> None:
    a = analyse_text(
        """
goal G1, G2
external X
A <- X { effort: 1d }
B <- X { effort: 3d }
C <- X { effort: 1d }
C <- A { effort: 1h }
G1 <- A, B { effort: 1d }
G2 <- C { effort: 1d }
""",
        "t.prep",
    )
    j = a.journey
    p = plan(j, [identity("G2")])
    names = [j.name(t.key) for t in p.tasks]
    assert names == ["A", "C", "G2"]  # A is needed on C's second route
    assert [j.name(k) for k in p.milestones] == ["C", "G2"]  # A is route-dependent
    whole = plan(j)
    assert [j.name(k) for k in whole.milestones] == ["A", "B", "C", "G1", "G2"]
    g2 = whole.task(identity("G2"))
    assert g2.slack == whole.finish - g2.ef  # G2 ends early; its slack runs to the end


def test_dates_follow_the_half_day_rule() -> None:
    """Half a day starts in the morning and ends at noon; the next half starts the same
    afternoon; a zero-length task sits on the day the work before it ends."""
    a = analyse_text(
        "goal G\nexternal X\nA <- X { effort: 4h }\nB <- A { effort: 1d }\nG <- B\n", "t.prep"
    )
    p = plan(a.journey)
    d = Dated(a.journey, p, WorkCalendar("jp", D(2026, 4, 28)))
    a_, b_, g_ = p.tasks
    assert d.early(a_) == (D(2026, 4, 28), D(2026, 4, 28))
    assert d.early(b_) == (D(2026, 4, 28), D(2026, 4, 30))  # afternoon, then 4/30 morning
    assert d.early(g_) == (D(2026, 4, 30), D(2026, 4, 30))
    assert d.finish == D(2026, 4, 30)


# --- random models against brute force ----------------------------------------------------

Routes = dict[str, list[tuple[list[str], int]]]


@st.composite
def timed_models(draw: st.DrawFn) -> tuple[str, Routes, list[str]]:
    """An acyclic model: externals E0.., produced P0.. whose inputs come from earlier
    nodes, 1-3 routes each with 0-40 hours of effort (0: no effort written), 1-2 goals."""
    lines, routes = draw_timed_routes(draw, 7)
    produced = list(routes)
    goals = draw(st.lists(st.sampled_from(produced), min_size=1, max_size=2, unique=True))
    lines.insert(0, "goal " + ", ".join(goals))
    return "\n".join(lines) + "\n", routes, goals


def _brute_earliest(routes: Routes) -> dict[str, int]:
    """Least finish (hours) of each produced deliverable over every choice of one route per
    deliverable."""
    names = list(routes)
    best: dict[str, int] = {}
    for choice in itertools.product(*(range(len(routes[n])) for n in names)):

        def f(k: str, choice: tuple[int, ...] = choice) -> int:
            if k not in routes:
                return 0
            inputs, hours = routes[k][choice[names.index(k)]]
            return max(f(x) for x in inputs) + hours

        for n in names:
            value = f(n)
            best[n] = min(best.get(n, value), value)
    return best


def _paths_to(node: str, preds: dict[str, list[str]]) -> list[list[str]]:
    """Every chain of tasks ending at ``node`` (first task first)."""
    if not preds[node]:
        return [[node]]
    out = [[node]]
    for p in preds[node]:
        out += [[*path, node] for path in _paths_to(p, preds)]
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timed_models())
def test_schedule_against_brute_force(case: tuple[str, Routes, list[str]]) -> None:
    text, routes, goals = case
    a = analyse_text(text, "t.prep")
    j = a.journey
    p = plan(j)
    # what the goals need: every route's inputs, transitively
    needed: set[str] = set()
    todo = list(goals)
    while todo:
        k = todo.pop()
        if k in needed or k not in routes:
            continue
        needed.add(k)
        todo += [x for inputs, _ in routes[k] for x in inputs]
    assert {j.name(t.key) for t in p.tasks} == needed, text
    # the route: the first one whose finish is the least possible
    earliest = _brute_earliest(routes)
    preds: dict[str, list[str]] = {}
    dur: dict[str, int] = {}
    for n in needed:
        for inputs, hours in routes[n]:
            if max(earliest.get(x, 0) for x in inputs) + hours == earliest[n]:
                break
        task = p.task(identity(n))
        assert task.route is not None and task.route.inputs == tuple(identity(x) for x in inputs)
        preds[n] = [x for x in inputs if x in needed]
        dur[n] = math.ceil(hours / 4)
    # early start: the longest chain of durations before the task
    early = {n: max(sum(dur[x] for x in path[:-1]) for path in _paths_to(n, preds)) for n in needed}
    finish = max((early[n] + dur[n] for n in needed), default=0)
    assert p.finish == finish, text
    succ: dict[str, list[str]] = {n: [] for n in needed}
    for n, ps in preds.items():
        for x in ps:
            succ[x].append(n)
    for n in needed:
        # late finish: the project finish less the longest chain of durations after it
        after = max(sum(dur[x] for x in path[:-1]) for path in _paths_to(n, succ))
        t = p.task(identity(n))
        assert (t.es, t.ef) == (early[n], early[n] + dur[n]), text
        assert (t.ls, t.lf) == (finish - after - dur[n], finish - after), text
        assert t.slack >= 0 and t.critical == (t.slack == 0)
    if needed:
        assert any(t.critical for t in p.tasks)


def test_when_picks_the_route_among_the_scenarios_routes() -> None:
    """Without a scenario the faster e-Tax route is assumed; `--when 税理士依頼` keeps only
    the accountant's route, with its id in the whole model."""
    a = analyse_text(
        """
goal 申告書控え
external 帳簿, 電子証明書
申告書 <- 帳簿 { when: 税理士依頼; effort: 3w }
申告書 <- 帳簿, 電子証明書 { when: 自分で; effort: 1d }
申告書控え <- 申告書 { effort: 4h }
""",
        "t.prep",
    )
    j = a.journey
    key = identity("申告書")
    assert plan(j).task(key).route_id == "1.b"
    scenario = j.in_scenario(frozenset({identity("税理士依頼")}))
    p = plan(scenario)
    assert p.task(key).route_id == "1.a"
    assert p.finish == 15 * 2 + 1
