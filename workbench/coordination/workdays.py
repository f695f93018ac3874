"""Workdays: weekends and U.S. federal holidays (5 U.S.C. 6103, with observed dates) skipped."""

from __future__ import annotations

import datetime as dt
import functools


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: dt.date) -> dt.date:
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


@functools.cache
def federal_holidays(year: int) -> dict[dt.date, str]:
    mon, thu = 0, 3
    days = {
        _observed(dt.date(year, 1, 1)): "New Year's Day",
        _nth_weekday(year, 1, mon, 3): "Birthday of Martin Luther King, Jr.",
        _nth_weekday(year, 2, mon, 3): "Washington's Birthday",
        _last_weekday(year, 5, mon): "Memorial Day",
        _observed(dt.date(year, 6, 19)): "Juneteenth National Independence Day",
        _observed(dt.date(year, 7, 4)): "Independence Day",
        _nth_weekday(year, 9, mon, 1): "Labor Day",
        _nth_weekday(year, 10, mon, 2): "Columbus Day",
        _observed(dt.date(year, 11, 11)): "Veterans Day",
        _nth_weekday(year, 11, thu, 4): "Thanksgiving Day",
        _observed(dt.date(year, 12, 25)): "Christmas Day",
    }
    # New Year's Day of next year observed on Dec 31 of this one.
    nxt = _observed(dt.date(year + 1, 1, 1))
    if nxt.year == year:
        days[nxt] = "New Year's Day"
    return days


def is_workday(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The date n workdays after start (start itself never counts)."""
    day = start
    remaining = n
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Workdays after start up to and including end (negative if end is before start)."""
    if end < start:
        return -workdays_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count


def is_overdue(suspense: dt.date, today: dt.date) -> bool:
    """Late from the first workday after the suspense date.

    A reply due Friday is not late on Saturday or Sunday, nor on a Monday holiday: nobody
    could have answered then.
    """
    return workdays_between(suspense, today) >= 1
