"""The exact schema each recorded version must have, and the faults of a file that differs."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path

import sqlite_utils
import sqlite_utils.migrations

from db import migrations

# Written by SQLite itself (ANALYZE, AUTOINCREMENT): not part of the app's schema, not a risk.
_SQLITE_OWN = ("sqlite_stat", "sqlite_sequence")
_KINDS = {"table": "table", "index": "index", "trigger": "trigger", "view": "view"}


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """(type, name) -> normalised CREATE statement of every object in the file."""
    out = {}
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        if name.startswith(_SQLITE_OWN):
            continue
        # Autoindexes have no SQL; they follow from their table's definition.
        out[(kind, name)] = " ".join((sql or "").split())
    return out


_kept_in: Path | None = None  # where each expected schema is remembered (the app's cache)


def keep_expected_in(folder: str | os.PathLike | None) -> None:
    """Remember each expected schema as a small file in `folder` (the app's cache folder):
    building one applies every migration to an empty database, a tenth of opening a workspace.
    A kept one is used only for exactly the same migrations, sqlite-utils and SQLite (its key
    hashes their source and version); an unreadable one is built again."""
    global _kept_in
    _kept_in = Path(folder) if folder else None
    expected_schema.cache_clear()


@functools.lru_cache(maxsize=16)
def expected_schema(applied: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """The schema a fresh file has after exactly these migrations (built once, in memory)."""
    kept = _kept_file(applied)
    if kept is not None:
        try:
            return {(k, n): sql for k, n, sql in json.loads(kept.read_text(encoding="utf-8"))}
        except (OSError, ValueError, TypeError):
            pass  # none yet, or unreadable: built below and kept again
    built = _built(applied)
    if kept is not None:
        _keep(kept, json.dumps([[k, n, sql] for (k, n), sql in sorted(built.items())]))
    return built


def _kept_file(applied: tuple[str, ...]) -> Path | None:
    if _kept_in is None:
        return None
    key = hashlib.sha256()
    try:
        for module in (migrations, sqlite_utils.migrations):
            key.update(Path(str(module.__file__)).read_bytes())
    except (OSError, TypeError):  # no source to hash (a frozen build): always built
        return None
    key.update(sqlite3.sqlite_version.encode())
    key.update("\n".join(applied).encode())
    return _kept_in / f"schema-{key.hexdigest()[:32]}.json"


def _keep(path: Path, text: str) -> None:
    """Write atomically (a crash leaves the old file or none); a cache that cannot be written
    is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".schema-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def _built(applied: tuple[str, ...]) -> dict[tuple[str, str], str]:
    known = migrations.names()
    if list(applied) != known[: len(applied)]:
        raise ValueError("migrations out of order")
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("PRAGMA trusted_schema=ON")  # its own schema, as migrate() runs it
        db = sqlite_utils.Database(conn, execute_plugins=False)
        stop = known[len(applied)] if len(applied) < len(known) else None
        with db.atomic():
            migrations.MIGRATIONS.apply(db, stop_before=stop)
        return _objects(conn)
    finally:
        conn.close()


def applied_migrations(conn: sqlite3.Connection) -> tuple[str, ...]:
    return tuple(
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {migrations.MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id",
            [migrations.SET_NAME],
        )
    )


def schema_faults(conn: sqlite3.Connection) -> list[str]:
    """Every difference from the exact schema of the file's recorded version, in plain words.

    An extra trigger can rewrite what the app writes (a Critical comment saved as
    Administrative); a view in a table's place can show what it likes; both are faults.
    """
    try:
        applied = applied_migrations(conn)
        expected = expected_schema(applied)
    except (sqlite3.Error, ValueError):
        return ["The schema record is missing or out of order, so the schema cannot be trusted."]
    actual = _objects(conn)
    # The gravest first: the first fault is the one a refusal names.
    replaced, changed, missing, unknown = [], [], [], []
    for key in sorted(actual.keys() - expected.keys()):
        kind, name = key
        if kind == "view" and ("table", name) in expected:
            replaced.append(f"The table {name} was replaced by a view.")
        elif kind == "table" and ("view", name) in expected:
            replaced.append(f"The view {name} was replaced by a table.")
        else:
            unknown.append(f"Unknown {_KINDS.get(kind, kind)} {name} (not part of the schema).")
    for key in sorted(expected.keys() - actual.keys()):
        kind, name = key
        other = "view" if kind == "table" else "table"
        if (other, name) in actual:
            continue  # already named as replaced
        missing.append(f"The {_KINDS.get(kind, kind)} {name} is missing.")
    for key in sorted(expected.keys() & actual.keys()):
        if expected[key] != actual[key]:
            kind, name = key
            changed.append(f"The {_KINDS.get(kind, kind)} {name} was changed from its definition.")
    return replaced + changed + missing + unknown
