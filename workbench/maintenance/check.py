"""Checking a workspace: integrity, schema, references, search, the audit log and its replay."""

from __future__ import annotations

import atexit
import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from db import connection, schema, search_index
from db.address import ServerAddress, is_server
from db.errors import StoreError
from workbench import audit
from workbench.maintenance import heads, replay, replay_quick

MAX_FINDINGS_PER_CHECK = 20
# Above this size the snapshot is checked from a temporary file rather than from memory.
IN_MEMORY_LIMIT = 256 * 1024 * 1024

# Copies being checked: removed at exit even when a check is still running (Ctrl+Q mid-check).
_TEMPORARY: set[str] = set()


@atexit.register
def _remove_temporary() -> None:
    for name in list(_TEMPORARY):
        try:
            os.unlink(name)
        except OSError:
            pass
        _TEMPORARY.discard(name)


CHECKS = (
    "file",
    "connection",
    "integrity",
    "schema",
    "foreign keys",
    "search index",
    "audit chain",
    "audit replay",
    "figures",
    "against",
)


@dataclass(frozen=True)
class Finding:
    check: str
    message: str


@dataclass(frozen=True)
class CheckReport:
    path: Path
    quick: bool
    findings: tuple[Finding, ...]
    ran: tuple[str, ...] = field(default=())
    against: str = ""  # what the log was compared with, when it still holds that head
    head: audit.AuditHead | None = None  # where the log ends (the same on every copy of it)
    scope: int | None = None  # an offline copy: the one document it holds

    @property
    def ok(self) -> bool:
        return not self.findings

    def problems(self, check: str) -> list[str]:
        return [f.message for f in self.findings if f.check == check]

    def summary(self) -> str:
        if self.ok:
            text = f"{self.path.name}: no problems found ({', '.join(self.ran)} checked)."
            return f"{text} {self.against}" if self.against else text
        n = len(self.findings)
        return f"{self.path.name} is damaged: {n} problem{'s' if n != 1 else ''} found."

    def lines(self) -> list[str]:
        out = []
        for check in CHECKS:
            if check not in self.ran:
                continue
            found = self.problems(check)
            out.append(f"{check:<13} {'ok' if not found else 'FAULT'}")
            out.extend(f"  - {m}" for m in found)
        if self.head is not None:
            out.append(f"{'audit head':<13} {self.head.entries} entries, {self.head.hash}")
        if self.scope is not None:
            out.append(
                f"{'scope':<13} an offline copy of document {self.scope}: its rows and "
                "its log are that document's (other documents are not missing from it)"
            )
        return out


def _snapshot(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """A private writable copy: FTS5's check is an INSERT, and the original must stay untouched."""
    source = connection.connect_read_only(path)
    try:
        size = path.stat().st_size
        tmp = None
        if size > IN_MEMORY_LIMIT:
            fd, tmp = tempfile.mkstemp(suffix=".cnew-check")
            os.close(fd)
            _TEMPORARY.add(tmp)
        copy = sqlite3.connect(tmp or ":memory:")
        source.conn.backup(copy)
        return copy, tmp
    finally:
        source.close()


def _integrity(conn: sqlite3.Connection, quick: bool) -> list[str]:
    pragma = "quick_check" if quick else "integrity_check"
    rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}({MAX_FINDINGS_PER_CHECK})")]
    return [] if rows == ["ok"] else rows


def _foreign_keys(conn: sqlite3.Connection) -> list[str]:
    out = []
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        row = f"{table} row {rowid}" if rowid is not None else f"A {table} row"
        out.append(f"{row} refers to a {parent} row that does not exist.")
        if len(out) >= MAX_FINDINGS_PER_CHECK:
            break
    return out


def fts_tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND lower(sql) LIKE 'create virtual table%using fts5%' ORDER BY name"
        )
    ]


def _search_index(conn: sqlite3.Connection) -> list[str]:
    out = []
    # Changes queued by a writer that bypassed the store (another program) are applied first,
    # on this private copy: the index is judged together with what it is still to apply.
    try:
        search_index.apply_queue(conn)
    except sqlite3.DatabaseError as exc:
        out.append(f"The search index's queue of changes cannot be applied ({exc}).")
    for table in fts_tables(conn):
        try:
            # rank = 1 also compares the index with its content table (the live rows).
            conn.execute(f'INSERT INTO "{table}" ("{table}", rank) VALUES (\'integrity-check\', 1)')
        except sqlite3.DatabaseError as exc:
            out.append(f"The search index {table} does not match the text it indexes ({exc}).")
    conn.rollback()
    return out


class _Reader:
    """Just enough of a Workspace for audit.verify_chain."""

    def __init__(self, conn: sqlite3.Connection):
        import sqlite_utils

        self.db = sqlite_utils.Database(conn, execute_plugins=False)


# Each entry's chained payload built by SQLite (json_array, in C: the same text Python's
# json.dumps made for text, integers and NULL when the entry was recorded), as bytes, so only
# the SHA-256 is left to Python: a third of the time of building it in Python (100,000 entries).
_CHAIN = """
SELECT id, prev_hash, hash,
       CAST(CASE WHEN person_id IS NULL AND os_account IS NULL
                 THEN json_array(prev_hash, at, actor, action, entity, entity_id, details)
                 ELSE json_array(prev_hash, at, actor, action, entity, entity_id, details,
                                 person_id, os_account) END AS BLOB)
FROM audit_log ORDER BY id
"""


def _audit_chain(conn: sqlite3.Connection, reader: _Reader) -> list[str]:
    """audit.verify_chain, with the payloads built by SQLite; an entry whose hash does not match
    is hashed again as `audit.record` did, so a value SQLite writes otherwise is never a fault."""
    sha256 = hashlib.sha256

    def links():
        for id_, prev_hash, digest, payload in conn.execute(_CHAIN):
            holds = sha256(payload).hexdigest() == digest or audit.rehashes(reader, id_)
            yield id_, prev_hash, digest, holds

    try:
        return audit.chain_faults(reader, links())
    except sqlite3.OperationalError:
        # A value json_array refuses (a blob written by hand): every entry the slow way.
        return audit.verify_chain(reader)


def _figures(conn: sqlite3.Connection, tables: set[str] | None = None) -> list[str]:
    """Each stored figure is the image its audit entry recorded when it was added.

    `conn` may be a shared workspace's (db.postgres), which names its `tables`."""
    import json

    if tables is None:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "figures" not in tables:
        return []  # a file from before figures were stored
    logged: dict[int, str] = {}
    for entity_id, details in conn.execute(
        "SELECT entity_id, details FROM audit_log WHERE action = 'figure.add' ORDER BY id"
    ):
        try:
            logged[entity_id] = str(json.loads(details).get("sha256") or "")
        except (ValueError, AttributeError):
            continue  # the chain check names an altered entry
    out = []
    for fid, data, recorded in conn.execute("SELECT id, data, sha256 FROM figures ORDER BY id"):
        actual = hashlib.sha256(bytes(data or b"")).hexdigest()
        if actual != recorded:
            out.append(f"Figure {fid}'s image does not match its recorded SHA-256.")
        elif fid not in logged:
            out.append(f"Figure {fid} has no entry in the audit log (it was not added here).")
        elif logged[fid] != actual:
            out.append(f"Figure {fid}'s image is not the one the audit log recorded when added.")
    return out


def check_workspace(
    path: str | os.PathLike, *, quick: bool = False, against: str | os.PathLike | None = None
) -> CheckReport:
    """Every fault found in the file, in plain words. Reads only; never changes the file.

    `against` names a PDF, packet or backup: the log must still hold the head recorded there.
    """
    if is_server(path):
        from workbench.maintenance.check_shared import check_shared

        address = path if isinstance(path, ServerAddress) else ServerAddress(str(path))
        return check_shared(
            address,
            quick=quick,
            against=against,
            report=CheckReport,
            finding=Finding,
            most=MAX_FINDINGS_PER_CHECK,
            extra=[("figures", lambda store: _figures(store.conn, set(store.table_names())))],
        )
    path = Path(path)
    findings: list[Finding] = []
    ran: list[str] = ["file"]
    try:
        if not path.exists():
            raise StoreError(f"{path} does not exist.")
        connection._probe(path)
        conn, tmp = _snapshot(path)
    except (StoreError, sqlite3.Error, OSError) as exc:
        findings.append(Finding("file", str(exc)))
        return CheckReport(path, quick, tuple(findings), tuple(ran))
    comparison = heads.HeadComparison(against)
    if comparison.error:
        findings.append(Finding("against", comparison.error))
    conn.execute("PRAGMA trusted_schema=OFF")
    reader = _Reader(conn)
    try:
        steps = [
            ("integrity", lambda: _integrity(conn, quick)),
            ("schema", lambda: schema.schema_faults(conn)),
            ("foreign keys", lambda: _foreign_keys(conn)),
            ("search index", lambda: _search_index(conn)),
            ("audit chain", lambda: _audit_chain(conn, reader)),
            ("audit replay", lambda: replay_quick.replay_faults(conn)),
            ("figures", lambda: _figures(conn)),
        ]
        if comparison.error:
            ran.append("against")  # the file to compare with holds no head: named above
        steps += comparison.steps(reader)
        for name, step in steps:
            ran.append(name)
            try:
                problems = step()
            except sqlite3.DatabaseError as exc:
                problems = [f"could not be read ({exc})."]
            findings.extend(Finding(name, m) for m in problems[:MAX_FINDINGS_PER_CHECK])
        try:
            head = audit.head(reader)
            scope = replay.offline_scope(conn)
        except sqlite3.DatabaseError:
            head, scope = None, None
    finally:
        conn.close()
        if tmp:
            os.unlink(tmp)
            _TEMPORARY.discard(tmp)
    note = comparison.note({f.check for f in findings})
    return CheckReport(path, quick, tuple(findings), tuple(ran), note, head, scope)
