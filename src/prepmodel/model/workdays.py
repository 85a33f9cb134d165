"""Working-day arithmetic for ``prep schedule`` (contract §12, docs/schedule.md).

A :class:`WorkCalendar` numbers the working days from a start date: day 0 is the first
working day on or after the start, day 1 the next one, and so on. ``jp`` skips Saturdays,
Sundays and the Japanese public holidays (national holidays, substitute holidays 振替休日
and citizens' holidays 国民の休日, as the maintained ``jpholiday`` package knows them);
``none`` counts every calendar day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache

CALENDARS = ("jp", "none")


@cache
def _jp_holidays(year: int) -> dict[dt.date, str]:
    """The Japanese public holidays of ``year`` with their (Japanese) names."""
    import jpholiday

    return {day: name for day, name in jpholiday.year_holidays(year)}


def jp_holiday_name(day: dt.date) -> str | None:
    """The name of the Japanese public holiday on ``day`` (``None`` on other days)."""
    return _jp_holidays(day.year).get(day)


@dataclass
class WorkCalendar:
    """Working days counted from ``start`` under the calendar ``kind`` (``jp`` or ``none``)."""

    kind: str
    start: dt.date
    _days: list[dt.date] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in CALENDARS:
            raise ValueError(f"unknown calendar {self.kind!r}")

    def is_workday(self, day: dt.date) -> bool:
        if self.kind == "none":
            return True
        return day.weekday() < 5 and jp_holiday_name(day) is None

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday on ``day`` under this calendar (never one for ``none``)."""
        return jp_holiday_name(day) if self.kind == "jp" else None

    def day(self, n: int) -> dt.date:
        """The date of working day ``n`` (0: the first working day on or after the start)."""
        if n < 0:
            raise ValueError("working days are counted from 0")
        days = self._days
        cur = days[-1] + dt.timedelta(days=1) if days else self.start
        while len(days) <= n:
            if self.is_workday(cur):
                days.append(cur)
            cur += dt.timedelta(days=1)
        return days[n]

    def index(self, day: dt.date) -> int:
        """The number of the first working day on or after ``day`` (``day`` not before the
        start)."""
        if day < self.start:
            raise ValueError("before the start")
        n = len(self._days)
        while not self._days or self._days[-1] < day:
            self.day(n)
            n += 1
        return bisect_left(self._days, day)

    def non_working(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Every day from ``first`` to ``last`` (both included) that is not a working day."""
        out = []
        cur = first
        while cur <= last:
            if not self.is_workday(cur):
                out.append(cur)
            cur += dt.timedelta(days=1)
        return out

    def holidays(self, first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
        """The public holidays from ``first`` to ``last`` (both included), with their names;
        weekends are not listed (they are non-working by the week's rule)."""
        if self.kind != "jp":
            return []
        out = []
        for year in range(first.year, last.year + 1):
            for day, name in sorted(_jp_holidays(year).items()):
                if first <= day <= last:
                    out.append((day, name))
        return out
