"""Workdays: weekends, the U.S. Government's holidays and closures, and the office's own closures.

The federal calendar comes from the `holidays` package's U.S. government category: the days of
5 U.S.C. 6103 with their observed dates, and the executive-order closures (2019-12-24,
2024-12-24, 2025-12-26, national days of mourning). An office adds its own closures (a snow day,
a lapse in appropriations) per workspace in the `office_closures` table.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.files import write_atomic

_calendar_folder: Path | None = None


def keep_calendars_in(folder: str | os.PathLike | None) -> None:
    """Remember each year's federal calendar as a small file in `folder` (the app's cache), so
    a window counts workdays without loading the `holidays` package (~17 MB with the U.S.
    calendar's dependencies) after the first time. Keyed by the package's version: an update
    that adds a closure is read afresh."""
    global _calendar_folder
    _calendar_folder = Path(folder) if folder else None
    federal_holidays.cache_clear()


@functools.cache
def federal_holidays(year: int) -> dict[dt.date, str]:
    """The U.S. Government's non-workdays of a year (weekend dates included where named)."""
    kept = _kept_file(year)
    if kept is not None:
        try:
            return {
                dt.date.fromisoformat(day): name
                for day, name in json.loads(kept.read_text(encoding="utf-8")).items()
            }
        except (OSError, ValueError, AttributeError):
            pass  # none yet, or unreadable: computed below and written again
    days = _computed(year)
    if kept is not None:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(kept, json.dumps({d.isoformat(): n for d, n in days.items()}))
        except (OSError, WorkbenchError):
            pass  # a cache that cannot be written is only slower
    return days


def _kept_file(year: int) -> Path | None:
    if _calendar_folder is None:
        return None
    from importlib import metadata

    try:
        version = metadata.version("holidays")
    except metadata.PackageNotFoundError:  # a frozen build without the package's metadata
        return None
    return _calendar_folder / f"federal-holidays-{version}-{year}.json"


def _computed(year: int) -> dict[dt.date, str]:
    import holidays as holiday_calendars  # ~17 MB: only when no kept calendar will do

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
