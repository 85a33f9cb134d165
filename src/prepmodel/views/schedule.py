"""``prep schedule`` outputs that read as tables: text, CSV and the contract's JSON (§15).

Every figure comes from :func:`prepmodel.journey.schedule.plan` (half working days) and
is turned into dates by a :class:`Dated` over a :class:`WorkCalendar`. The date rule
(docs/schedule.md): a task starts on the working day its first half day falls in and
finishes on the working day its last half day falls in; a zero-length task (a group, a
route without effort, a milestone) sits on the day the work before it ends (the first
working day when nothing comes before it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prepmodel.journey.core import Journey
from prepmodel.journey.schedule import Plan, Task
from prepmodel.model.workdays import WorkCalendar
from prepmodel.text.i18n import N_, translator
from prepmodel.text.safe import csv_cell, printable
from prepmodel.text.width import width
from prepmodel.views.jsonout import dumps


def days(halves: int) -> int | float:
    """Half days as days: whole days as an int (``4`` -> 2, ``3`` -> 1.5)."""
    return halves // 2 if halves % 2 == 0 else halves / 2


@dataclass
class Dated:
    """A plan with its calendar: the dates of every task and milestone."""

    journey: Journey
    plan: Plan
    calendar: WorkCalendar

    def moment(self, halves: int) -> dt.date:
        """The day on which the work ``halves`` half days in ends (day 0 at the start)."""
        return self.calendar.day(max(halves - 1, 0) // 2)

    def _span(self, first: int, last: int) -> tuple[dt.date, dt.date]:
        if first == last:
            day = self.moment(first)
            return day, day
        return self.calendar.day(first // 2), self.calendar.day((last - 1) // 2)

    def early(self, t: Task) -> tuple[dt.date, dt.date]:
        return self._span(t.es, t.ef)

    def late(self, t: Task) -> tuple[dt.date, dt.date]:
        return self._span(t.ls, t.lf)

    @property
    def start(self) -> dt.date:
        return self.calendar.day(0)

    @property
    def finish(self) -> dt.date:
        return self.moment(self.plan.finish)

    @property
    def last_day(self) -> dt.date:
        """The last day any early or late date reaches (the project finish)."""
        return max([self.finish, self.start])

    def milestone_date(self, key: str) -> dt.date:
        return self.early(self.plan.task(key))[1]

    def milestones(self) -> list[str]:
        """The checkpoints by date (then step): the order a calendar shows them in."""
        plan = self.plan
        return sorted(plan.milestones, key=lambda k: (self.milestone_date(k), plan.task(k).step))

    def name(self, key: str) -> str:
        return self.journey.name(key)

    def holidays(self) -> list[tuple[dt.date, str]]:
        return self.calendar.holidays(self.calendar.start, self.last_day)


def schedule_json(d: Dated) -> dict[str, Any]:
    """The contract's shape (§15) plus late dates, durations, predecessors and roles."""
    tasks = []
    milestones = set(d.plan.milestones)
    for t in d.plan.tasks:
        start, finish = d.early(t)
        late_start, late_finish = d.late(t)
        tasks.append(
            {
                "step": t.step,
                "name": d.name(t.key),
                "route": t.route_id,
                "start": start.isoformat(),
                "finish": finish.isoformat(),
                "slack_days": days(t.slack),
                "critical": t.critical,
                "days": days(t.duration),
                "effort_hours": t.hours,
                "late_start": late_start.isoformat(),
                "late_finish": late_finish.isoformat(),
                "phase": t.phase,
                "predecessors": [d.name(k) for k in t.preds],
                "by": list(t.resources),
                "milestone": t.key in milestones,
            }
        )
    return {
        "start": d.calendar.start.isoformat(),
        "calendar": d.calendar.kind,
        "tasks": tasks,
        "milestones": [
            {"name": d.name(k), "date": d.milestone_date(k).isoformat()} for k in d.milestones()
        ],
        "finish": d.finish.isoformat(),
        "first_day": d.start.isoformat(),
        "working_days": days(d.plan.finish),
        "goals": [d.name(g) for g in d.plan.goals],
        "routes_without_effort": d.plan.without_effort,
        "holidays": [{"date": day.isoformat(), "name": name} for day, name in d.holidays()],
    }


COLUMNS = [
    N_("step"),
    N_("deliverable"),
    N_("route"),
    N_("days"),
    N_("start"),
    N_("finish"),
    N_("late start"),
    N_("late finish"),
    N_("slack"),
    N_("critical"),
    N_("by"),
]


def _rows(d: Dated, _: Callable[[str], str]) -> list[list[str | int | float]]:
    rows: list[list[str | int | float]] = []
    for t in d.plan.tasks:
        start, finish = d.early(t)
        late_start, late_finish = d.late(t)
        rows.append(
            [
                t.step,
                d.name(t.key),
                t.route_id or _("(group)"),
                days(t.duration),
                start.isoformat(),
                finish.isoformat(),
                late_start.isoformat(),
                late_finish.isoformat(),
                days(t.slack),
                _("yes") if t.critical else "",
                ", ".join(t.resources),
            ]
        )
    return rows


def schedule_csv(d: Dated, lang: str = "en") -> str:
    """One row per scheduled step (headings in ``lang``)."""
    _ = translator(lang)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([_(c) for c in COLUMNS])
    for row in _rows(d, _):
        w.writerow([csv_cell(c) for c in row])
    return buf.getvalue()


def _align(rows: list[list[str]]) -> list[str]:
    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [c + " " * (w - width(c)) for c, w in zip(r, widths, strict=True)]
        out.append("  ".join(cells).rstrip())
    return out


def schedule_text(d: Dated, lang: str = "en") -> str:
    """A table of the steps with the critical ones marked ``*``, then the milestones and
    the finish."""
    _ = translator(lang)
    calendar = (
        _("weekends and Japanese public holidays off")
        if d.calendar.kind == "jp"
        else _("every day counts")
    )
    lines = [
        _("Schedule from {start} (calendar {calendar}: {rule})").format(
            start=d.calendar.start.isoformat(), calendar=d.calendar.kind, rule=calendar
        ),
        "",
    ]
    table = [["", *(_(c) for c in COLUMNS[:-2]), _(COLUMNS[-1])]]
    for t, row in zip(d.plan.tasks, _rows(d, _), strict=True):
        cells = [str(c) for c in row]
        del cells[9]  # the critical column: shown as the mark
        table.append(["*" if t.critical else "", *cells])
    if d.plan.tasks:
        lines += _align(table)
        lines.append("")
        lines.append(_("* critical: no slack"))
    else:
        lines.append(_("(no steps to schedule)"))
    if d.plan.milestones:
        lines.append("")
        lines.append(_("Milestones (checkpoints):"))
        for k in d.milestones():
            lines.append(f"  {d.milestone_date(k).isoformat()}  ◆ {d.name(k)}")
    holidays = d.holidays()
    if holidays:
        lines.append("")
        lines.append(_("Holidays in the plan:"))
        for day, name in holidays:
            lines.append(f"  {day.isoformat()}  {name}")
    lines.append("")
    lines.append(
        _("Finish: {date} ({days} working days)").format(
            date=d.finish.isoformat(), days=days(d.plan.finish)
        )
    )
    return printable("\n".join(lines) + "\n")


def render_schedule(d: Dated, fmt: str, lang: str = "en") -> str:
    if fmt == "json":
        return dumps(schedule_json(d))
    if fmt == "csv":
        return schedule_csv(d, lang)
    return schedule_text(d, lang)
