"""Suspense dates count workdays: weekends and federal holidays are skipped."""

import datetime as dt
import json

import pytest

from workbench.coordination import workdays
from workbench.coordination.workdays import (
    add_workdays,
    federal_holidays,
    is_workday,
    workdays_between,
)


def test_ten_workdays_skip_weekends_and_thanksgiving():
    # Friday 20 Nov 2026 + 10 workdays: Thanksgiving (26th) and two weekends skipped.
    assert add_workdays(dt.date(2026, 11, 20), 10) == dt.date(2026, 12, 7)


def test_friday_plus_one_is_monday():
    assert add_workdays(dt.date(2026, 11, 6), 1) == dt.date(2026, 11, 9)


def test_holiday_on_saturday_is_observed_friday():
    # 4 July 2026 is a Saturday; the holiday is observed on Friday 3 July.
    assert dt.date(2026, 7, 3) in federal_holidays(2026)
    assert not is_workday(dt.date(2026, 7, 3))


def test_new_year_on_saturday_observed_on_december_31():
    # 1 January 2028 is a Saturday: observed Friday 31 December 2027.
    assert not is_workday(dt.date(2027, 12, 31))


def test_monday_holidays():
    holidays = federal_holidays(2026)
    assert dt.date(2026, 1, 19) in holidays  # MLK Day, third Monday of January
    assert dt.date(2026, 5, 25) in holidays  # Memorial Day, last Monday of May
    assert dt.date(2026, 9, 7) in holidays  # Labor Day


def test_workdays_between_counts_and_signs():
    start = dt.date(2026, 11, 20)
    end = add_workdays(start, 10)
    assert workdays_between(start, end) == 10
    assert workdays_between(end, start) == -10


def test_overdue_from_the_first_workday_after_the_suspense():
    from workbench.coordination.workdays import is_overdue

    friday = dt.date(2027, 1, 15)  # Monday 18 January 2027 is MLK Day
    assert not is_overdue(friday, dt.date(2027, 1, 16))
    assert not is_overdue(friday, dt.date(2027, 1, 18))
    assert is_overdue(friday, dt.date(2027, 1, 19))


def test_executive_order_closures_are_not_workdays():
    # Christmas Eve 2024 and the day after Christmas 2025 were closed by executive order.
    assert not is_workday(dt.date(2024, 12, 24))
    assert not is_workday(dt.date(2025, 12, 26))
    assert add_workdays(dt.date(2025, 12, 23), 1) == dt.date(2025, 12, 29)


def test_juneteenth_counts_only_from_2021():
    assert is_workday(dt.date(2020, 6, 19))
    assert not is_workday(dt.date(2021, 6, 18))  # observed, the first year


def test_office_closures_move_suspenses_and_overdue_counts(ws):
    from workbench.coordination import closures

    start = dt.date(2026, 12, 1)  # the fixture's clock may differ; the calendar is what counts
    before = closures.calendar(ws).add_workdays(start, 5)
    closures.add_closure(ws, "2026-12-03", "Snow closure")
    assert closures.calendar(ws).add_workdays(start, 5) == before + dt.timedelta(
        days=1 if before.weekday() < 4 else 3
    )
    assert [c.day for c in closures.list_closures(ws)] == ["2026-12-03"]
    closures.remove_closure(ws, "2026-12-03")
    assert closures.calendar(ws).add_workdays(start, 5) == before


def test_an_office_closure_needs_a_weekday_a_date_and_a_reason(ws):
    import pytest

    from workbench.coordination import closures
    from workbench.errors import WorkbenchError

    for day, reason, message in [
        ("2026-12-05", "Saturday", "weekend"),
        ("12/03/2026", "x", "not a date"),
        ("2026-12-03", "  ", "Say why"),
    ]:
        with pytest.raises(WorkbenchError, match=message):
            closures.add_closure(ws, day, reason)
    assert closures.list_closures(ws) == []


def test_a_kept_calendar_is_read_back_without_the_holidays_package(tmp_path, monkeypatch):
    computed = workdays.federal_holidays(2026)
    workdays.keep_calendars_in(tmp_path)
    try:
        assert workdays.federal_holidays(2026) == computed  # computed once, and kept
        (kept,) = tmp_path.glob("federal-holidays-*-2026.json")
        workdays.federal_holidays.cache_clear()
        # The next session reads the file; the package is not imported again.
        monkeypatch.setattr(workdays, "_computed", lambda year: pytest.fail("recomputed"))
        assert workdays.federal_holidays(2026) == computed
        # A damaged file is computed afresh and written again.
        kept.write_text("{not json")
        workdays.federal_holidays.cache_clear()
        monkeypatch.undo()
        assert workdays.federal_holidays(2026) == computed
        assert json.loads(kept.read_text())["2026-11-26"] == computed[dt.date(2026, 11, 26)]
    finally:
        workdays.keep_calendars_in(None)
