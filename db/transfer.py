"""Copying every row of a workspace between stores (file ↔ PostgreSQL), and proving it arrived.

The destination is a new workspace at the same schema version; its triggers rebuild what is
derived (search indexes, published_sections), so only the recorded tables are copied, ids
and all. Rows are read in one snapshot and written in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from db.dialects import FULLTEXT_INDEXES

BATCH = 1000
# Derived from the recorded tables by the destination's own triggers, or engine bookkeeping.
DERIVED = {
    "published_sections",
    "open_comment_counts",
    "dashboard_changes",
    "search_queue",
    "schema_migrations",
    "_sqlite_migrations",
}
_FTS5_SHADOWS = ("_data", "_idx", "_docsize", "_config", "_content")

Progress = Callable[[int, int, str], Any]


class TransferError(Exception):
    """The copy could not be made or does not match its source; the message is for the user."""


def recorded_tables(store) -> list[str]:
    """The tables that hold the workspace's record (not indexes, caches or bookkeeping)."""
    out = []
    for table in store.table_names():
        if table in DERIVED or table.startswith("sqlite_"):
            continue
        if any(table == i or table.startswith(i + "_") for i in FULLTEXT_INDEXES) and (
            table in FULLTEXT_INDEXES or table.endswith(_FTS5_SHADOWS)
        ):
            continue
        out.append(table)
    return sorted(out)


def _order(store, tables: list[str]) -> list[str]:
    """Tables with the ones they refer to first (self-references are handled row by row)."""
    needs = {
        t: {ref for _, ref in store.references(t) if ref != t and ref in tables} for t in tables
    }
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, deps in needs.items() if not deps - set(ordered))
        if not ready:
            raise TransferError(f"The tables {sorted(needs)} refer to each other in a circle.")
        ordered.extend(ready)
        for t in ready:
            del needs[t]
    return ordered


# Which rows of a table to copy: a WHERE clause over the table's own columns (parameters as
# `?`), for a copy of part of a workspace (one document taken offline). A table not named is
# copied whole.
Only = dict[str, tuple[str, list]]


def _where(table: str, only: Only | None) -> tuple[str, list]:
    if only is None or table not in only:
        return "", []
    clause, params = only[table]
    return f" WHERE {clause}", list(params)


def copy_rows(source, dest, *, progress: Progress | None = None, only: Only | None = None) -> int:
    """Every recorded row (or, for the tables `only` names, the rows it selects) from source
    to dest (an empty workspace, inside its transaction).

    Returns the number of rows copied. Self-referencing columns (a section's parent, a
    comment's successor) are written after all their table's rows exist.
    """
    tables = recorded_tables(source)
    missing = sorted(set(tables) - set(dest.table_names()))
    if missing:
        raise TransferError(f"The destination has no table {missing[0]} (another schema version).")
    # The empty workspace's own rows (none are seeded below the use-cases) make way for the copy.
    for table in reversed(_order(dest, tables)):
        dest.execute(f'DELETE FROM "{table}"')
    counts = {
        t: next(source.query(f'SELECT count(*) AS n FROM "{t}"' + _where(t, only)[0],
                             _where(t, only)[1]))["n"]
        for t in tables
    }  # fmt: skip
    total, done = sum(counts.values()), 0
    for table in _order(source, tables):
        columns = source.columns(table)
        absent = [c for c in columns if c not in dest.columns(table)]
        if absent:
            raise TransferError(f"The destination's {table} has no column {absent[0]}.")
        later = [c for c, ref in source.references(table) if ref == table]
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        insert = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        keep = [i for i, c in enumerate(columns) if c in later]
        deferred: list[tuple] = []
        batch: list[list] = []
        where, params = _where(table, only)
        for row in source.execute(f'SELECT {names} FROM "{table}"{where}', params).fetchall():
            values = list(row)
            if keep:
                deferred.append(tuple(values[i] for i in keep) + (values[columns.index("id")],))
                for i in keep:
                    values[i] = None
            batch.append(values)
            if len(batch) >= BATCH:
                done += _write(dest, insert, batch, table)
                batch = []
                if progress is not None and progress(done, total, table) is False:
                    raise TransferError("The copy was cancelled; nothing was written.")
        done += _write(dest, insert, batch, table)
        if deferred:
            sets = ", ".join(f'"{c}" = ?' for c in later)
            dest.executemany(f'UPDATE "{table}" SET {sets} WHERE id = ?', deferred)
        if progress is not None and progress(done, total, table) is False:
            raise TransferError("The copy was cancelled; nothing was written.")
    return done


def _write(dest, insert: str, batch: list[list], table: str) -> int:
    if not batch:
        return 0
    try:
        dest.executemany(insert, batch)
    except Exception as exc:
        translated = dest.translate_error(exc, "")
        if translated is not None:
            raise translated from exc
        raise TransferError(
            f"A row of {table} cannot be stored in the destination ({str(exc).splitlines()[0]})."
        ) from exc
    return len(batch)


def _value(v: Any) -> Any:
    if isinstance(v, memoryview):
        v = bytes(v)
    if isinstance(v, bytes):
        return ("b", v.hex())
    if isinstance(v, float) and v.is_integer():
        return ("n", int(v))
    if isinstance(v, int | float):
        return ("n", v)
    if v is None:
        return ("z", "")
    return ("s", str(v))


def table_digest(store, table: str, only: Only | None = None) -> tuple[int, str]:
    """(rows, SHA-256 over every row in a fixed order) — equal on both engines for equal rows
    (of the rows `only` selects, where it names the table)."""
    columns = sorted(store.columns(table))
    names = ", ".join(f'"{c}"' for c in columns)
    where, params = _where(table, only)
    rows = sorted(
        repr(tuple(_value(v) for v in r))
        for r in store.execute(f'SELECT {names} FROM "{table}"{where}', params).fetchall()
    )
    digest = hashlib.sha256()
    digest.update(repr(columns).encode())
    for r in rows:
        digest.update(r.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return len(rows), digest.hexdigest()


def differences(source, dest, only: Only | None = None, skip: tuple[str, ...] = ()) -> list[str]:
    """Every recorded table whose rows differ between the two stores (the source's rows that
    `only` selects, where it names the table; not the tables in `skip`), in plain words."""
    out = []
    for table in recorded_tables(source):
        if table in skip:
            continue
        a, b = table_digest(source, table, only), table_digest(dest, table)
        if a != b:
            out.append(f"{table}: {a[0]} rows in the source, {b[0]} in the copy, or they differ.")
    return out


def reset_identities(dest) -> None:
    """After explicit ids went in, PostgreSQL's identity sequences continue after the largest."""
    if getattr(dest, "engine", "") != "postgresql":
        return
    for table in dest.table_names():
        if "id" not in dest.columns(table):
            continue
        seq = next(dest.query("SELECT pg_get_serial_sequence(?, 'id') AS s", [table]))["s"]
        if seq:
            dest.execute(
                f'SELECT setval(?, coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)',
                [seq],
            )
