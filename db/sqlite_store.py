"""The embedded engine: a workspace file through sqlite-utils, with the store's portable methods."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from db.dialects import SqliteDialect
from db.errors import (
    DamagedWorkspace,
    DiskFull,
    ReadOnlyWorkspace,
    StoreError,
)
from db.search_index import WorkspaceDatabase


class SqliteStore(WorkspaceDatabase):
    """A sqlite-utils Database (whose transactions commit the search index with the text,
    db.search_index) plus what the core needs whichever engine it runs on (db.store)."""

    dialect = SqliteDialect()
    engine = "sqlite"

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict[str, Any]]) -> Any:
        if self.conn.in_transaction:
            return self.conn.executemany(sql, rows)
        with self.atomic():  # as execute() does: a lone write commits at once, indexed
            return self.conn.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def claim_writer(self, *, shared: bool = False, joining: bool = False) -> None:
        """SQLite lets one writer at a time into the file by itself."""

    def claim_at_begin(self, *, shared: bool = False) -> None:
        """SQLite lets one writer at a time into the file by itself."""

    def claim_chain(self) -> None:
        """The one writer appends to the audit chain."""

    shares_writer_lock = False  # one writer at a time: nothing waits for COMMIT

    def at_commit(self, sql: str, parameters: Any = None) -> None:
        """At once: with one writer at a time, no row's lock is worth holding for less."""
        self.execute(sql, parameters)

    def change_stamp(self) -> tuple[int, int]:
        """Moves with this connection's changes and any other connection's commits."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return self.conn.total_changes, version

    def external_stamp(self) -> int:
        """Moves when another connection commits (PRAGMA data_version)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def columns(self, table: str) -> list[str]:
        return [r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')]

    def references(self, table: str) -> list[tuple[str, str]]:
        """(column, referenced table) of each foreign key on `table`."""
        return [(r[3], r[2]) for r in self.conn.execute(f'PRAGMA foreign_key_list("{table}")')]

    def snapshot(self) -> Any:
        """A read transaction: every read inside sees the same committed state."""
        return self.atomic()

    def unstorable(self, exc: BaseException) -> str | None:
        """What in the text SQLite refused to store: nothing it accepts (NUL included)."""
        return None

    def translate_error(self, exc: BaseException, where: str) -> StoreError | None:
        if not isinstance(exc, sqlite3.Error):
            return None
        return translate_error(exc, where)


def translate_error(exc: sqlite3.Error, path: str | Path) -> StoreError | None:
    """A user-facing StoreError for storage failures, or None for a programming error."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    where = Path(path).name
    if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
        return DiskFull(
            f"The disk holding {where} is full, so the last change was not saved. "
            "Free some space, then try again; nothing already saved was lost."
        )
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return ReadOnlyWorkspace(
            f"{where} cannot be changed (it is read-only), so the change was not saved."
        )
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return DamagedWorkspace(
            f"{where} is damaged ({text}); the change was not saved. Run File → Check "
            "workspace, and restore it from a backup."
        )
    if name.startswith("SQLITE_BUSY") or "database is locked" in text:
        return StoreError(
            f"{where} is busy in another program; the change was not saved. Try again."
        )
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return StoreError(
            f"{where} could not be written ({text}); the change was not saved. "
            "Check the disk or network drive, then try again."
        )
    return None
