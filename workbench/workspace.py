"""The Workspace handle: one open file, who is acting, the clock, and use-case wrapping."""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import sqlite_utils

from db import connection

P = ParamSpec("P")
R = TypeVar("R")

WORKSPACE_SUFFIX = ".cnew"


def _default_actor() -> str:
    try:
        return getpass.getuser() or "analyst"
    except Exception:  # no login name in some containers
        return "analyst"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Workspace:
    """An open workspace. Not thread-safe: each thread opens its own with `for_thread()`."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        path: Path,
        *,
        actor: str | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        migrated_from: str | None = None,
    ):
        self.db = db
        self.path = Path(path)
        self.actor = actor or _default_actor()
        self.clock = clock
        self.migrated_backup = migrated_from

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike, *, actor: str | None = None) -> Workspace:
        db, backup = connection.open_workspace_db(path)
        return cls(db, Path(path), actor=actor, migrated_from=backup)

    @classmethod
    def create(
        cls, path: str | os.PathLike, *, actor: str | None = None, seed: bool = True
    ) -> Workspace:
        db = connection.create_workspace_db(path)
        ws = cls(db, Path(path), actor=actor)
        from workbench import directory  # the seed is domain knowledge, not schema

        with db.atomic():
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('workspace_id', ?)", [uuid.uuid4().hex]
            )
            db.execute("INSERT INTO meta (key, value) VALUES ('created_at', ?)", [ws.now()])
            if seed:
                directory.seed_directory(ws)
        return ws

    def for_thread(self) -> Workspace:
        """A second handle on the same file for another thread (one connection per thread)."""
        return Workspace(
            connection.connect(self.path), self.path, actor=self.actor, clock=self.clock
        )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- facts -----------------------------------------------------------------------------
    def now(self) -> str:
        return self.clock().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def today(self) -> dt.date:
        return self.clock().date()

    @property
    def workspace_id(self) -> str:
        row = next(self.db.query("SELECT value FROM meta WHERE key = 'workspace_id'"), None)
        return row["value"] if row else ""

    @property
    def schema_version(self) -> int:
        return connection.schema_version(self.db)

    def backup(self, dest: str | os.PathLike) -> None:
        connection.backup_to(self.db, dest)


def use_case(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a use-case in one transaction (nested ones join the caller's as a savepoint)."""

    @functools.wraps(fn)
    def wrapper(ws: Workspace, *args, **kwargs):
        with ws.db.atomic():
            return fn(ws, *args, **kwargs)

    wrapper.is_use_case = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
