"""The office's own closure days (beyond the federal calendar), counted out of every suspense."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench import audit
from workbench.coordination.workdays import Calendar
from workbench.errors import NotFound, WorkbenchError
from workbench.workspace import use_case

MAX_REASON = 200


@dataclass(frozen=True)
class OfficeClosure:
    day: str
    reason: str
    added_by: str
    added_at: str


def list_closures(ws) -> list[OfficeClosure]:
    return [
        OfficeClosure(r["day"], r["reason"], r["added_by"], r["added_at"])
        for r in ws.db.query("SELECT * FROM office_closures ORDER BY day")
    ]


def calendar(ws) -> Calendar:
    """The workspace's calendar: federal holidays and closures, plus the office's closures."""
    return ws.cached(
        ("office_closures",),
        lambda: Calendar(
            frozenset(
                dt.date.fromisoformat(r["day"])
                for r in ws.db.query("SELECT day FROM office_closures")
            )
        ),
    )


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise WorkbenchError(f"{text!r} is not a date (use YYYY-MM-DD).") from None


@use_case
def add_closure(ws, day: str, reason: str) -> str:
    when = _day(day)
    reason = " ".join(str(reason).split())
    if not reason:
        raise WorkbenchError("Say why the office is closed (e.g. 'Executive order').")
    if len(reason) > MAX_REASON:
        raise WorkbenchError(f"The reason is too long (at most {MAX_REASON} characters).")
    if when.weekday() >= 5:
        raise WorkbenchError(f"{when.isoformat()} is a weekend day; it is never a workday.")
    if next(ws.db.query("SELECT 1 FROM office_closures WHERE day = ?", [when.isoformat()]), None):
        raise WorkbenchError(f"{when.isoformat()} is already an office closure.")
    ws.db.execute(
        "INSERT INTO office_closures (day, reason, added_by, added_at) VALUES (?, ?, ?, ?)",
        [when.isoformat(), reason, ws.actor, ws.now()],
    )
    audit.record(ws, "closure.add", "closure", None, day=when.isoformat(), reason=reason)
    return when.isoformat()


@use_case
def remove_closure(ws, day: str) -> None:
    when = _day(day).isoformat()
    if not next(ws.db.query("SELECT 1 FROM office_closures WHERE day = ?", [when]), None):
        raise NotFound(f"{when} is not an office closure.")
    ws.db.execute("DELETE FROM office_closures WHERE day = ?", [when])
    audit.record(ws, "closure.remove", "closure", None, day=when)
