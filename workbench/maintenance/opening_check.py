"""The check after opening: what changed since the last full check, read in place, no copy."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db import connection
from db.errors import StoreError
from workbench import audit
from workbench.maintenance.check import MAX_FINDINGS_PER_CHECK, CheckReport, Finding
from workbench.workspace import use_case

ACTION = "workspace.checked"
# Without a full check on record, the newest entries are verified: a bounded cost at any size.
RECENT_ENTRIES = 5000


def _last_full_check(conn: sqlite3.Connection) -> int | None:
    """The audit id the newest full check verified the chain through, if one is on record."""
    row = conn.execute(
        "SELECT json_extract(details, '$.through') FROM audit_log WHERE action = ? "
        "ORDER BY id DESC LIMIT 1",
        [ACTION],
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _audit_since(conn: sqlite3.Connection) -> list[str]:
    """Breaks in the chain after the last full check (or in its newest entries)."""
    through = _last_full_check(conn)
    if through is None:
        newest = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
        through = max(0, newest - RECENT_ENTRIES)
    columns = (
        "id, at, actor, action, entity, entity_id, details, prev_hash, hash, person_id, os_account"
    )
    start = conn.execute(
        f"SELECT {columns} FROM audit_log WHERE id <= ? ORDER BY id DESC LIMIT 1", [through]
    ).fetchone()
    problems: list[str] = []
    prev, last_id = audit.GENESIS, 0
    if start is not None:
        # The entry the last full check ended on must still be the one it verified.
        i, at, actor, action, entity, entity_id, details, prev_hash, digest, pid, account = start
        if (
            audit._entry_hash(
                prev_hash, at, actor, action, entity, entity_id, details, pid, account
            )
            != digest
        ):
            problems.append(f"Audit entry {i} ({action}, {at}) was altered.")
        prev, last_id = digest, i
    rows = conn.execute(f"SELECT {columns} FROM audit_log WHERE id > ? ORDER BY id", [last_id])
    for i, at, actor, action, entity, entity_id, details, prev_hash, digest, pid, account in rows:
        if prev_hash != prev:
            problems.append(
                f"Audit entry {i} does not follow entry {last_id} "
                "(an entry was removed or reordered)."
            )
        if (
            audit._entry_hash(
                prev_hash, at, actor, action, entity, entity_id, details, pid, account
            )
            != digest
        ):
            problems.append(f"Audit entry {i} ({action}, {at}) was altered.")
        prev, last_id = digest, i
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if head and head[0] != prev:
        problems.append("The newest audit entries were removed (the log ends early).")
    if head is None and last_id:
        problems.append("The audit log's head record is missing.")
    return problems


def _schema(conn: sqlite3.Connection) -> list[str]:
    # Reading the schema and every table's root page finds a file cut short or overwritten.
    problems = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        try:
            conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchall()
        except sqlite3.DatabaseError as exc:
            problems.append(f"The table {table} cannot be read ({exc}).")
    return problems


def check_since_last_full(path: str | os.PathLike) -> CheckReport:
    """A check that costs little at any size: the file, its tables, the audit chain since the
    last full check. Reads the file in place (no copy); never changes it.

    A shared workspace gets the whole shared check (check_shared: its guards, references,
    search index and log, read on the server; no file to copy)."""
    from db.address import is_server

    if is_server(path):
        from workbench.maintenance.check import check_workspace

        return check_workspace(path)
    path = Path(path)
    ran = ["file"]
    try:
        if not path.exists():
            raise StoreError(f"{path} does not exist.")
        connection._probe(path)
        db = connection.connect_read_only(path)
    except (StoreError, sqlite3.Error, OSError) as exc:
        return CheckReport(path, True, (Finding("file", str(exc)),), tuple(ran))
    findings: list[Finding] = []
    try:
        conn = db.conn
        conn.execute("BEGIN")  # one snapshot for every step
        for name, step in (("file", _schema), ("audit chain", _audit_since)):
            if name not in ran:
                ran.append(name)
            try:
                problems = step(conn)
            except sqlite3.DatabaseError as exc:
                problems = [f"could not be read ({exc})."]
            findings.extend(Finding(name, m) for m in problems[:MAX_FINDINGS_PER_CHECK])
    finally:
        db.conn.close()
    return CheckReport(path, True, tuple(findings), tuple(ran))


def newest_audit_id(ws) -> int:
    """Where a full check starting now will verify the chain through (at least)."""
    return next(ws.db.query("SELECT coalesce(max(id), 0) AS n FROM audit_log"))["n"]


@use_case
def note_full_check(ws, through: int) -> None:
    """Record that a full check found no damage up to audit entry `through`, so the check after
    the next opening starts there."""
    audit.record(ws, ACTION, "workspace", None, through=int(through))
