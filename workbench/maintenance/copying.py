"""`workbench copy SRC DEST`: a whole workspace from a file to PostgreSQL, or back, proven equal."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import address as addresses
from db import connection, transfer
from db.address import ServerAddress
from workbench import audit
from workbench.errors import WorkbenchError


@dataclass(frozen=True)
class CopyReport:
    source: str
    dest: str
    tables: int
    rows: int
    head: audit.AuditHead

    def summary(self) -> str:
        return (
            f"Copied {self.rows} rows in {self.tables} tables from {self.source} to {self.dest}; "
            f"both hold {self.head.entries} audit entries ending {self.head.hash[:16]}…"
        )


class _Reader:
    """Just enough of a Workspace (its store and where it is) for audit.head and the copy."""

    def __init__(self, store, path=None):
        self.db = store
        self.path = path


def _name(where: Path | ServerAddress) -> str:
    return where.name if isinstance(where, ServerAddress) else str(where)


def copy_workspace(source, dest, *, progress: transfer.Progress | None = None) -> CopyReport:
    """Copy the workspace at `source` into a new workspace at `dest` (a file that does not
    exist yet, or an empty PostgreSQL database or schema). Every recorded row goes across in
    one transaction and is compared with its source before it is committed."""
    from db import server

    src_where, dest_where = addresses.locate(source), addresses.locate(dest)
    if not isinstance(dest_where, ServerAddress):
        dest_where = dest_where.with_suffix(".cnew") if not dest_where.suffix else dest_where
    if src_where == dest_where or (
        isinstance(src_where, Path) and src_where.resolve() == Path(str(dest_where)).resolve()
    ):
        raise WorkbenchError("The source and the destination are the same workspace.")
    if isinstance(dest_where, Path) and dest_where.exists():
        raise WorkbenchError(f"{dest_where} already exists; copy into a new file.")
    store: Any
    if isinstance(src_where, ServerAddress):
        store, _ = server.open_workspace_db(src_where, read_only=True)
    else:
        # An older file is upgraded first (after its backup), as opening it would.
        writable = src_where.exists() and connection.read_only_reason(src_where) is None
        store, _ = connection.open_workspace_db(src_where, read_only=not writable)
    try:
        return _copy_open(_Reader(store, src_where), dest_where, progress)
    finally:
        store.close()


def copy_to_file(
    ws,
    dest: Path,
    progress: transfer.Progress | None = None,
    only: transfer.Only | None = None,
    log=None,
) -> CopyReport:
    """An open workspace (a shared one, typically) written to a new workspace file: whole, or
    the rows `only` selects of the tables it names (one document taken offline). `log(target)`,
    given, writes the copy's own audit log instead of the source's (`only` then leaves
    audit_log out)."""
    if dest.exists():
        raise WorkbenchError(f"{dest} already exists; copy into a new file.")
    return _copy_open(ws, dest, progress, only, log)


def _copy_open(ws, dest: Path | ServerAddress, progress, only=None, log=None) -> CopyReport:
    from db import server

    target: Any
    if isinstance(dest, ServerAddress):
        target = server.connect_empty(dest)
    else:
        if not dest.parent.is_dir():
            raise WorkbenchError(f"The folder {dest.parent} does not exist.")
        target = connection.create_workspace_db(dest)
    try:
        with ws.db.snapshot():
            with target.atomic():
                target.claim_writer()
                if isinstance(dest, ServerAddress):
                    from db import pg_migrations

                    pg_migrations.migrate(target)
                rows = transfer.copy_rows(ws.db, target, progress=progress, only=only)
                if log is not None:
                    rows += log(target)
                transfer.reset_identities(target)
                # Its own log (and so its own head in meta) are not the source's.
                skip = ("audit_log", "meta") if log is not None else ()
                problems = transfer.differences(ws.db, target, only, skip)
                if problems:
                    raise WorkbenchError("The copy does not match its source: " + problems[0])
                head, copied = audit.head(ws), audit.head(_Reader(target))
                if log is not None:
                    head = copied  # its own chain (offline_log), checked where it is made
                elif head != copied:
                    raise WorkbenchError(
                        "The copy's audit log does not end where the source's does."
                    )
            tables = len(transfer.recorded_tables(ws.db))
    except BaseException as exc:
        target.close()
        if not isinstance(dest, ServerAddress):
            remove_file(dest)
        if isinstance(exc, transfer.TransferError):
            raise WorkbenchError(str(exc)) from exc
        raise
    try:
        if isinstance(dest, ServerAddress):
            server.settle(target)
    finally:
        target.close()
    return CopyReport(_name(ws.path), _name(dest), tables, rows, head)


def remove_file(path: Path) -> None:
    """A workspace file this module (or a use-case that had it written) made, with its
    WAL, shared memory and lock files."""
    for name in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        try:
            os.unlink(name)
        except OSError:
            pass
    connection.lock_file(path).unlink(missing_ok=True)
