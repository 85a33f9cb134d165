"""``prep schedule -o plan.xlsx``: a WBS sheet as Japanese teams keep it in Excel.

One row per step (and a ◆ row after each checkpoint): step, deliverable, route, phase,
roles, days, start, finish, slack; then one narrow column per calendar day from the first
working day to the finish, the step's bar filled on its working days (critical steps in
red, the others in blue), weekends and holidays shaded grey down the whole column. The
header rows and the task columns are frozen. A second sheet lists the holidays. Written by
:mod:`prepmodel.views.xlsx`, so the same plan gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io

from prepmodel.text.i18n import N_, translator
from prepmodel.views.schedule import Dated, days
from prepmodel.views.xlsx import Cell, workbook, write_table

BAR = "#6FA8DC"
CRITICAL = "#E06666"
OFF = "#D9D9D9"
DAY_WIDTH = 3.2

HEADINGS = [
    N_("step"),
    N_("deliverable"),
    N_("route"),
    N_("phase"),
    N_("by"),
    N_("days"),
    N_("start"),
    N_("finish"),
    N_("slack"),
]

WEEKDAYS = {"en": "MTWTFSS", "ja": "月火水木金土日"}


def schedule_xlsx(d: Dated, lang: str = "en") -> bytes:
    _ = translator(lang)
    first = d.start
    last = max(d.last_day, first)
    span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    milestones = set(d.plan.milestones)
    rows: list[list[Cell]] = []
    bars: list[tuple[dt.date, dt.date, bool, bool]] = []  # start, finish, critical, milestone
    for t in d.plan.tasks:
        start, finish = d.early(t)
        rows.append(
            [
                t.step,
                d.name(t.key),
                t.route_id or _("(group)"),
                t.phase or "",
                ", ".join(t.resources),
                days(t.duration),
                start.isoformat(),
                finish.isoformat(),
                days(t.slack),
            ]
        )
        bars.append((start, finish, t.critical, t.duration == 0))
        if t.key in milestones:
            rows.append(
                [None, "◆ " + d.name(t.key), "", t.phase or "", "", 0, finish.isoformat(), "", ""]
            )
            bars.append((finish, finish, t.critical, True))
    weekday = WEEKDAYS.get(lang, WEEKDAYS["en"])
    headers = [_(h) for h in HEADINGS] + [f"{day.day}{weekday[day.weekday()]}" for day in span]
    out = io.BytesIO()
    with workbook(out) as book:
        sheet = book.add_worksheet(_("WBS")[:31])
        left = len(HEADINGS)
        write_table(book, sheet, headers[:left], rows, first_row=1)
        bold = book.add_format({"bold": True, "bottom": 1, "align": "center"})
        shaded_head = book.add_format(
            {"bold": True, "bottom": 1, "align": "center", "bg_color": OFF}
        )
        month = book.add_format({"bold": True})
        fills = {
            (False, False): book.add_format({"bg_color": BAR}),
            (True, False): book.add_format({"bg_color": CRITICAL}),
            (False, True): book.add_format({"align": "center", "font_color": "#3D6FA8"}),
            (True, True): book.add_format({"align": "center", "font_color": "#CC0000"}),
        }
        off = book.add_format({"bg_color": OFF})
        working = [d.calendar.is_workday(day) for day in span]
        for i, day in enumerate(span):
            col = left + i
            if i == 0 or day.day == 1:
                sheet.write_string(0, col, f"{day.year}-{day.month:02d}", month)
            head_format = bold if working[i] else shaded_head
            sheet.write_string(1, col, headers[left + i], head_format)
            sheet.set_column(col, col, DAY_WIDTH)
        for r, (start, finish, critical, is_milestone) in enumerate(bars, start=2):
            for i, day in enumerate(span):
                if not working[i]:
                    sheet.write_blank(r, left + i, None, off)
                elif start <= day <= finish:
                    if is_milestone:
                        sheet.write_string(r, left + i, "◆", fills[(critical, True)])
                    else:
                        sheet.write_blank(r, left + i, None, fills[(critical, False)])
        sheet.freeze_panes(2, left)
        holidays = d.holidays()
        hs = book.add_worksheet(_("Holidays")[:31])
        write_table(
            book,
            hs,
            [_("date"), _("holiday")],
            [[day.isoformat(), name] for day, name in holidays],
        )
    return out.getvalue()
