"""Workdays: weekends, the U.S. Government's holidays and closures, and the office's own closures.

The federal calendar comes from the `holidays` package's U.S. government category: the days of
5 U.S.C. 6103 with their observed dates, and the executive-order closures (2019-12-24,
2024-12-24, 2025-12-26, national days of mourning). An office adds its own closures (a snow day,
a lapse in appropriations) per workspace in the `office_closures` table.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import holidays as holiday_calendars


@functools.cache
def federal_holidays(year: int) -> dict[dt.date, str]:
    """The U.S. Government's non-workdays of a year (weekend dates included where named)."""
    calendar = holiday_calendars.country_holidays("US", years=year, categories=("government",))
    return {day: name for day, name in sorted(calendar.items()) if day.year == year}


@dataclass(frozen=True)
class Calendar:
    """Workday arithmetic with a set of extra closure days (an office's own)."""

    closures: frozenset[dt.date] = frozenset()

    def is_workday(self, day: dt.date) -> bool:
        return (
            day.weekday() < 5 and day not in federal_holidays(day.year) and day not in self.closures
        )

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The date n workdays after start (start itself never counts)."""
        day = start
        remaining = n
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Workdays after start up to and including end (negative if end is before start)."""
        if end < start:
            return -self.workdays_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count

    def is_overdue(self, suspense: dt.date, today: dt.date) -> bool:
        """Late from the first workday after the suspense date.

        A reply due Friday is not late on Saturday or Sunday, nor on a Monday holiday: nobody
        could have answered then.
        """
        return self.workdays_between(suspense, today) >= 1


FEDERAL = Calendar()
is_workday = FEDERAL.is_workday
add_workdays = FEDERAL.add_workdays
workdays_between = FEDERAL.workdays_between
is_overdue = FEDERAL.is_overdue
