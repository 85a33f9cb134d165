"""``prep schedule -o plan.xml``: Microsoft Project XML (MSPDI, the Project 2007 data
interchange format that Microsoft Project, ProjectLibre and MPXJ read).

- one summary task per phase (OutlineLevel 1) holding its steps (OutlineLevel 2); steps
  in no phase follow at level 1; WBS codes ``1``, ``1.2``;
- each step a fixed-duration task with its early and late dates, ``Critical``, and a
  finish-to-start ``PredecessorLink`` (Type 1) to each step it waits for;
- each checkpoint a zero-length milestone task right after its step, linked to it;
- the ``by`` roles as work resources, assigned to the steps they perform;
- one base calendar: 08:00-12:00 and 13:00-17:00 on working days (a half day is a
  morning or an afternoon), the weekends off and every Japanese public holiday in the
  plan as a named exception (``jp``), or every day a working day (``none``).

The file is valid against the published schema (``mspdi_pj12.xsd``, vendored and checked
in ``tests/data/mspdi``): elements in the order its sequences ask for (Microsoft Project
refuses a file that breaks it), the project field ``CurrencyCode`` it requires, and
names cut to its length limits (the whole name kept in the task's notes). No creation
date or other clock reading is written, so the same plan gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from prepmodel.journey.schedule import Task
from prepmodel.model.core import identity
from prepmodel.text.i18n import translator
from prepmodel.views.gantt import _ordered_by_phase
from prepmodel.views.schedule import Dated

NS = "http://schemas.microsoft.com/project"

#: The schema's maxLength of the project's Name, and of every other name we write
#: (Title, task, resource, calendar and exception names), in characters.
PROJECT_NAME_MAX = 255
NAME_MAX = 512

MORNING = (dt.time(8), dt.time(12))
AFTERNOON = (dt.time(13), dt.time(17))


def _when_starts(d: Dated, halves: int) -> dt.datetime:
    """The moment half day ``halves`` begins."""
    day = d.calendar.day(halves // 2)
    return dt.datetime.combine(day, MORNING[0] if halves % 2 == 0 else AFTERNOON[0])


def _when_ends(d: Dated, halves: int) -> dt.datetime:
    """The moment the work ``halves`` half days in ends (the start, for 0)."""
    if halves == 0:
        return _when_starts(d, 0)
    day = d.calendar.day((halves - 1) // 2)
    return dt.datetime.combine(day, MORNING[1] if halves % 2 == 1 else AFTERNOON[1])


def _span(d: Dated, first: int, last: int) -> tuple[dt.datetime, dt.datetime]:
    if first == last:
        moment = _when_ends(d, first)
        return moment, moment
    return _when_starts(d, first), _when_ends(d, last)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _duration(halves: int) -> str:
    return f"PT{halves * 4}H0M0S"


def _clip(text: str, limit: int = NAME_MAX) -> str:
    """``text`` cut to the schema's ``limit`` (an ellipsis marks the cut): Microsoft
    Project refuses a longer name, and a model's names have no limit."""
    return text if len(text) <= limit else text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _flag(value: bool) -> str:
    return "1" if value else "0"


class _Writer:
    def __init__(self) -> None:
        ET.register_namespace("", NS)
        self.root = ET.Element(f"{{{NS}}}Project")

    @staticmethod
    def add(parent: ET.Element, tag: str, text: str | int | None = None) -> ET.Element:
        el = ET.SubElement(parent, f"{{{NS}}}{tag}")
        if text is not None:
            el.text = str(text)
        return el


def _calendar(w: _Writer, parent: ET.Element, d: Dated) -> None:
    add = w.add
    cal = add(parent, "Calendar")
    add(cal, "UID", 1)
    add(cal, "Name", "Standard (jp)" if d.calendar.kind == "jp" else "Standard (every day)")
    add(cal, "IsBaseCalendar", 1)
    add(cal, "BaseCalendarUID", -1)
    days = add(cal, "WeekDays")
    holidays = d.holidays()
    for day_type in range(1, 8):  # 1 = Sunday ... 7 = Saturday
        working = d.calendar.kind == "none" or day_type not in (1, 7)
        wd = add(days, "WeekDay")
        add(wd, "DayType", day_type)
        add(wd, "DayWorking", _flag(working))
        if working:
            times = add(wd, "WorkingTimes")
            for start, end in (MORNING, AFTERNOON):
                t = add(times, "WorkingTime")
                add(t, "FromTime", start.strftime("%H:%M:%S"))
                add(t, "ToTime", end.strftime("%H:%M:%S"))
    # Exception days in the Project 2003 form, which every reader knows ...
    for day, _name in holidays:
        wd = add(days, "WeekDay")
        add(wd, "DayType", 0)
        add(wd, "DayWorking", 0)
        period = add(wd, "TimePeriod")
        add(period, "FromDate", _stamp(dt.datetime.combine(day, dt.time(0))))
        add(period, "ToDate", _stamp(dt.datetime.combine(day, dt.time(23, 59))))
    # ... and in the Project 2007 form, which carries the holiday's name.
    if holidays:
        exceptions = add(cal, "Exceptions")
        for day, name in holidays:
            ex = add(exceptions, "Exception")
            add(ex, "EnteredByOccurrences", 0)
            period = add(ex, "TimePeriod")
            add(period, "FromDate", _stamp(dt.datetime.combine(day, dt.time(0))))
            add(period, "ToDate", _stamp(dt.datetime.combine(day, dt.time(23, 59))))
            add(ex, "Occurrences", 1)
            add(ex, "Name", _clip(name))
            add(ex, "Type", 1)  # daily
            add(ex, "Period", 1)
            add(ex, "DayWorking", 0)


class _Row:
    """One task of the XML before it is written."""

    def __init__(
        self,
        name: str,
        level: int,
        early: tuple[int, int],
        late: tuple[int, int],
        *,
        summary: bool = False,
        milestone: bool = False,
        critical: bool = False,
        preds: tuple[str, ...] = (),
        notes: str | None = None,
        key: str | None = None,
    ) -> None:
        self.name = name
        self.level = level
        self.early = early
        self.late = late
        self.summary = summary
        self.milestone = milestone
        self.critical = critical
        self.preds = preds
        self.notes = notes
        self.key = key


def _rows(d: Dated, lang: str) -> list[_Row]:
    _ = translator(lang)
    milestones = set(d.plan.milestones)
    rows: list[_Row] = []

    def step_rows(t: Task, level: int) -> None:
        notes = [f"step {t.step}"]
        if t.route_id:
            notes.append(f"route {t.route_id}")
        if t.route is not None and t.route.work:
            notes.append(t.route.work)
        rows.append(
            _Row(
                d.name(t.key),
                level,
                (t.es, t.ef),
                (t.ls, t.lf),
                critical=t.critical,
                preds=t.preds,
                notes=", ".join(notes),
                key=t.key,
            )
        )
        if t.key in milestones:
            rows.append(
                _Row(
                    _("{name} ready").format(name=d.name(t.key)),
                    level,
                    (t.ef, t.ef),
                    (t.lf, t.lf),
                    milestone=True,
                    critical=t.critical,
                    preds=(t.key,),
                )
            )

    for phase, tasks in _ordered_by_phase(d):
        if phase is None:
            for t in tasks:
                step_rows(t, 1)
            continue
        early = (min(t.es for t in tasks), max(t.ef for t in tasks))
        late = (min(t.ls for t in tasks), max(t.lf for t in tasks))
        critical = any(t.critical for t in tasks)
        rows.append(_Row(phase, 1, early, late, summary=True, critical=critical))
        for t in tasks:
            step_rows(t, 2)
    return rows


def project_xml(d: Dated, lang: str = "en") -> bytes:
    """The plan as MSPDI bytes (UTF-8, with an XML declaration)."""
    _ = translator(lang)
    w = _Writer()
    add = w.add
    root = w.root
    title = d.journey.model.title or _("Schedule")
    every_day = d.calendar.kind == "none"
    add(root, "SaveVersion", 12)
    add(root, "Name", _clip(title, PROJECT_NAME_MAX))
    add(root, "Title", _clip(title))
    add(root, "ScheduleFromStart", 1)
    add(root, "StartDate", _stamp(_when_starts(d, 0)))
    add(root, "FinishDate", _stamp(_when_ends(d, d.plan.finish)))
    # Required by the schema; a plan has no costs, so it only names the currency the
    # project starts with: the yen for a plan on the Japanese calendar.
    add(root, "CurrencyCode", "JPY" if d.calendar.kind == "jp" else "USD")
    add(root, "CalendarUID", 1)
    add(root, "DefaultStartTime", "08:00:00")
    add(root, "DefaultFinishTime", "17:00:00")
    add(root, "MinutesPerDay", 480)
    add(root, "MinutesPerWeek", 480 * (7 if every_day else 5))
    add(root, "DaysPerMonth", 30 if every_day else 20)
    add(root, "DurationFormat", 7)  # days
    add(root, "WeekStartDay", 1)  # Monday
    _calendar(w, add(root, "Calendars"), d)

    rows = _rows(d, lang)
    uid_of = {r.key: i for i, r in enumerate(rows, start=1) if r.key is not None}
    tasks = add(root, "Tasks")
    outline: list[int] = []  # the outline number of the row before, level by level
    for i, r in enumerate(rows, start=1):
        if len(outline) >= r.level:
            del outline[r.level :]
            outline[-1] += 1
        else:
            outline += [1] * (r.level - len(outline))
        number = ".".join(str(n) for n in outline)
        start, finish = _span(d, *r.early)
        late_start, late_finish = _span(d, *r.late)
        name, notes = _clip(r.name), r.notes
        if name != r.name:  # the whole name is kept in the notes
            notes = r.name if notes is None else f"{r.name}\n{notes}"
        task = add(tasks, "Task")
        add(task, "UID", i)
        add(task, "ID", i)
        add(task, "Name", name)
        add(task, "Type", 1)  # fixed duration
        add(task, "IsNull", 0)
        add(task, "WBS", number)
        add(task, "OutlineNumber", number)
        add(task, "OutlineLevel", r.level)
        add(task, "Priority", 500)
        add(task, "Start", _stamp(start))
        add(task, "Finish", _stamp(finish))
        add(task, "Duration", _duration(r.early[1] - r.early[0]))
        add(task, "DurationFormat", 7)
        add(task, "Estimated", 0)
        add(task, "Milestone", _flag(r.milestone))
        add(task, "Summary", _flag(r.summary))
        add(task, "Critical", _flag(r.critical))
        add(task, "EarlyStart", _stamp(start))
        add(task, "EarlyFinish", _stamp(finish))
        add(task, "LateStart", _stamp(late_start))
        add(task, "LateFinish", _stamp(late_finish))
        add(task, "ConstraintType", 0)  # as soon as possible
        if notes:
            add(task, "Notes", notes)
        for p in r.preds:
            link = add(task, "PredecessorLink")
            add(link, "PredecessorUID", uid_of[p])
            add(link, "Type", 1)  # finish-to-start
            add(link, "CrossProject", 0)
            add(link, "LinkLag", 0)
            add(link, "LagFormat", 7)

    roles: dict[str, tuple[int, str]] = {}
    for t in d.plan.tasks:
        for name in t.resources:
            roles.setdefault(identity(name), (len(roles) + 1, name))
    resources = add(root, "Resources")
    for uid, name in roles.values():
        res = add(resources, "Resource")
        add(res, "UID", uid)
        add(res, "ID", uid)
        add(res, "Name", _clip(name))
        add(res, "Type", 1)  # work
        add(res, "IsNull", 0)
        add(res, "MaxUnits", "1.00")
    assignments = add(root, "Assignments")
    n = 0
    for t in d.plan.tasks:
        for name in t.resources:
            n += 1
            a = add(assignments, "Assignment")
            add(a, "UID", n)
            add(a, "TaskUID", uid_of[t.key])
            add(a, "ResourceUID", roles[identity(name)][0])
            add(a, "Units", 1)
            add(a, "Work", _duration(t.duration))
    ET.indent(root, "  ")
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data + b"\n"
