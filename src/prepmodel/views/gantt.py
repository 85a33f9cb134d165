"""``prep schedule -o x.mmd`` (a Mermaid gantt chart) and ``-o x.ics`` (the milestones as
all-day events). Both are plain text made the same way every time: no clock, no random
ids (docs/schedule.md)."""

from __future__ import annotations

import datetime as dt
import hashlib

from prepmodel.journey.schedule import Task
from prepmodel.text.i18n import translator
from prepmodel.views.schedule import Dated, days

# Mermaid reads ``:`` as the end of a task's name, ``;`` and ``#`` as statement and
# comment marks: they are shown as their full-width forms.
_MERMAID_SAFE = str.maketrans({":": "：", ";": "；", "#": "＃", "\n": " ", "\r": " "})

#: Holidays are listed a little past the finish: Mermaid rounds half days its own way.
_HOLIDAY_MARGIN = dt.timedelta(days=31)


def _mermaid_text(text: str) -> str:
    return text.translate(_MERMAID_SAFE).strip() or "-"


def _ordered_by_phase(d: Dated) -> list[tuple[str | None, list[Task]]]:
    """The tasks grouped by phase, phases in declaration order, tasks in step order; the
    tasks in no phase last."""
    order = [p.name for p in d.journey.model.phases]
    groups: dict[str | None, list[Task]] = {}
    for t in d.plan.tasks:
        groups.setdefault(t.phase, []).append(t)
    out: list[tuple[str | None, list[Task]]] = [(p, groups[p]) for p in order if p in groups]
    if None in groups:
        out.append((None, groups[None]))
    return out


def mermaid_gantt(d: Dated, lang: str = "en") -> str:
    """A Mermaid ``gantt``: a section per phase, one task per step starting ``after`` every
    step it waits for, critical steps ``crit``, a milestone after each checkpoint."""
    _ = translator(lang)
    title = d.journey.model.title or _("Schedule")
    lines = [
        "gantt",
        f"    title {_mermaid_text(title)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %m/%d",
        "    todayMarker off",
    ]
    if d.calendar.kind == "jp":
        lines.append("    excludes weekends")
        last = d.last_day + _HOLIDAY_MARGIN
        for day, _name in d.calendar.holidays(d.calendar.start, last):
            lines.append(f"    excludes {day.isoformat()}")
    milestones = set(d.plan.milestones)
    phased = bool(d.journey.model.phases)
    for phase, tasks in _ordered_by_phase(d):
        if phased:
            lines.append(f"    section {_mermaid_text(phase or _('(no phase)'))}")
        for t in tasks:
            tags = ["crit"] if t.critical else []
            if t.preds:
                when = "after " + " ".join(f"s{d.plan.task(p).step}" for p in t.preds)
            else:
                when = d.start.isoformat()
            length = days(t.duration)
            cells = [*tags, f"s{t.step}", when, f"{length}d"]
            lines.append(f"    {_mermaid_text(d.name(t.key))} :{', '.join(cells)}")
            if t.key in milestones:
                mark = ["milestone", *tags, f"m{t.step}", f"after s{t.step}", "0d"]
                lines.append(f"    ◆ {_mermaid_text(d.name(t.key))} :{', '.join(mark)}")
    return "\n".join(lines) + "\n"


# --- iCalendar ----------------------------------------------------------------------------


def _ics_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets go on in continuation lines that start
    with a space; never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def uid(title: str | None, key: str) -> str:
    """A UID that stays the same for the same model title and deliverable, whatever the
    dates: a calendar that imports a new plan moves the event instead of adding one."""
    digest = hashlib.sha256(f"{title or ''}\x00{key}".encode()).hexdigest()[:24]
    return f"{digest}@prepmodel"


def milestones_ics(d: Dated) -> str:
    """One all-day event per milestone (checkpoint), in step order; DTSTAMP is the plan's
    start, not the time of the run, so the bytes only change when the plan does."""
    model = d.journey.model
    stamp = d.calendar.start.strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//prepmodel//prep schedule//EN",
        "CALSCALE:GREGORIAN",
    ]
    if model.title:
        lines.append("X-WR-CALNAME:" + _ics_escape(model.title))
    for k in d.milestones():
        t = d.plan.task(k)
        day = d.milestone_date(k)
        description = f"step {t.step}" + (f", route {t.route_id}" if t.route_id else "")
        if t.phase:
            description += f", phase {t.phase}"
        lines += [
            "BEGIN:VEVENT",
            "UID:" + uid(model.title, k),
            "DTSTAMP:" + stamp,
            "DTSTART;VALUE=DATE:" + day.strftime("%Y%m%d"),
            "DTEND;VALUE=DATE:" + (day + dt.timedelta(days=1)).strftime("%Y%m%d"),
            "SUMMARY:" + _ics_escape("◆ " + d.name(k)),
            "DESCRIPTION:" + _ics_escape(description),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
