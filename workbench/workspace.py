"""The Workspace handle: one open file, who is acting, the clock, and use-case wrapping."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from db import connection, schema
from db.address import ServerAddress, is_server, locate  # noqa: F401 (is_server re-exported)
from db.store import Store
from workbench.use_cases import use_case  # noqa: F401 (re-exported: the usual import)

R = TypeVar("R")
log = logging.getLogger(__name__)

WORKSPACE_SUFFIX = ".cnew"


UNIDENTIFIED = "unidentified"  # the actor of an entry no directory person was acting for


def keep_schema_checks_in(folder: str | os.PathLike | None) -> None:
    """Opening compares the file's schema with the one its version must have; remember each
    of those in `folder` (the app's cache) rather than building it on every open."""
    schema.keep_expected_in(folder)


def os_account() -> str:
    """The operating-system login, recorded beside (never instead of) the person who acted."""
    try:
        return getpass.getuser() or ""
    except Exception:  # no login name in some containers
        return ""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Workspace:
    """An open workspace. Not thread-safe: each thread opens its own with `for_thread()`."""

    def __init__(
        self,
        db: Store,
        path: Path | ServerAddress,
        *,
        actor: str | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        migrated_from: str | None = None,
        read_only_reason: str | None = None,
        lock: connection.InstanceLock | None = None,
    ):
        self.db = db
        # A file workspace's Path, or a shared one's ServerAddress (name, stem, str() as URL).
        self.path = path if isinstance(path, ServerAddress) else Path(path)
        # The workspace as the user knows it (what a workspace key's certificate names): the
        # file's name without .cnew; one built under a temporary name (the demo) gets its own.
        self.name = self.path.stem
        # Who acts: a directory person (person_id, their name as actor) once identified
        # (workbench.authority.identity.act_as); the OS login is recorded separately.
        self.actor = actor or UNIDENTIFIED
        self.person_id: int | None = None
        self.os_account = os_account()
        # The acting person's unlocked key for this session (keys.Signer), if they have one.
        self.signer = None
        self.clock = clock
        self.migrated_backup = migrated_from
        # Why changes cannot be saved (shown as a banner), or None for a writable workspace.
        self.read_only_reason = read_only_reason
        self._lock = lock
        self._closed = False
        self.close_hooks: list[Callable[[Workspace], None]] = []
        self._after_commit: list[Callable[[], None]] = []
        self._on_rollback: list[Callable[[], None]] = []
        self._read_cache: dict = {}

    def cached(self, key, compute: Callable[[], R]) -> R:
        """compute(), remembered until the file changes (by this connection or another).

        One user action reads a document's outline several times (the gate, the comments, the
        coordination view); on a 500-section document each read costs ~10 ms.
        """
        if self.db.in_transaction:
            # Inside a transaction the value may yet be rolled back, and a ROLLBACK moves neither
            # total_changes nor data_version: remembering it would show a phantom afterwards.
            return compute()
        stamp = self.db.change_stamp()
        hit = self._read_cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = compute()
        self._read_cache.pop(key, None)
        if len(self._read_cache) >= 256:
            # The entry computed longest ago goes (dicts keep insertion order), not all of
            # them: reading a few hundred documents no longer empties the cache at once.
            del self._read_cache[next(iter(self._read_cache))]
        self._read_cache[key] = (stamp, value)
        return value

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def shared(self) -> bool:
        """True for a workspace on a PostgreSQL server (many writers), False for a file."""
        return isinstance(self.path, ServerAddress)

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | os.PathLike | ServerAddress,
        *,
        actor: str | None = None,
        read_only: bool | None = None,
        claim: bool = True,
    ) -> Workspace:
        """Open for writing, claiming the file for this process; a second claim is refused.

        read_only=True opens without the claim (always allowed); None opens read-only only
        when the file or its folder cannot be written. claim=False writes without the claim
        (the command line beside an open window: SQLite's transactions keep both safe).
        A `postgresql://…` location opens a shared workspace: no claim, many writers.
        """
        where = locate(path)
        if isinstance(where, ServerAddress):
            return cls._open_shared(where, actor=actor, read_only=read_only)
        path = where
        reason = "it was opened read-only" if read_only else None
        lock = None
        if reason is None and path.exists():
            reason = connection.read_only_reason(path)
            if reason is None and claim:
                lock = connection.acquire_instance_lock(path)
                if lock is None:
                    reason = "no lock file can be made beside it"
            if reason is not None and read_only is False:
                raise connection.ReadOnlyWorkspace(f"{path} cannot be changed: {reason}.")
        try:
            db, backup = connection.open_workspace_db(path, read_only=reason is not None)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return cls(db, path, actor=actor, migrated_from=backup, read_only_reason=reason, lock=lock)

    @classmethod
    def _open_shared(
        cls, address: ServerAddress, *, actor: str | None, read_only: bool | None
    ) -> Workspace:
        from db import server

        store, reason = server.open_workspace_db(address, read_only=bool(read_only))
        if reason is not None and read_only is False:
            store.close()
            raise connection.ReadOnlyWorkspace(f"{address.name} cannot be changed: {reason}.")
        return cls(store, address, actor=actor, read_only_reason=reason)

    @classmethod
    def create(
        cls, path: str | os.PathLike | ServerAddress, *, actor: str | None = None, seed: bool = True
    ) -> Workspace:
        """A new, empty workspace: a new file, or an empty PostgreSQL database (or schema)."""
        where = locate(path)
        db: Store
        if isinstance(where, ServerAddress):
            from db import server

            db = server.create_workspace_db(where)
            ws = cls(db, where, actor=actor)
        else:
            db = connection.create_workspace_db(where)
            try:
                lock = connection.acquire_instance_lock(where)
            except BaseException:
                db.close()
                raise
            ws = cls(db, where, actor=actor, lock=lock)
        from workbench import directory  # the seed is domain knowledge, not schema

        with db.atomic():
            db.claim_writer()
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('workspace_id', ?)", [uuid.uuid4().hex]
            )
            db.execute("INSERT INTO meta (key, value) VALUES ('created_at', ?)", [ws.now()])
            if seed:
                directory.seed_directory(ws)
        return ws

    def for_thread(self) -> Workspace:
        """A second handle on the same file for another thread (one connection per thread)."""
        db: Store
        if isinstance(self.path, ServerAddress):
            from db import server

            db, _ = server.open_workspace_db(self.path, read_only=self.read_only)
        elif self.read_only:
            db = connection.connect_read_only(self.path)
        else:
            db = connection.connect(self.path)
        other = Workspace(
            db,
            self.path,
            actor=self.actor,
            clock=self.clock,
            read_only_reason=self.read_only_reason,
        )
        other.person_id = self.person_id
        other.signer = self.signer
        other.name = self.name
        return other

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run fn once the current use-case's transaction has committed (now, if none is open)."""
        if self.db.in_transaction:
            self._after_commit.append(fn)
        else:
            fn()

    def on_rollback(self, fn: Callable[[], None]) -> None:
        """Run fn if the current use-case's transaction does not commit (a file it wrote
        outside the store, say, that must not outlive the change it belonged to)."""
        if self.db.in_transaction:
            self._on_rollback.append(fn)

    def _run_on_rollback(self) -> None:
        while self._on_rollback:
            fn = self._on_rollback.pop()
            try:
                fn()
            except Exception:  # the rollback itself already happened; say what was left
                log.exception("Rollback task %r failed", fn)

    def _run_after_commit(self) -> None:
        while self._after_commit:
            fn = self._after_commit.pop(0)
            try:
                fn()
            except Exception:  # a follow-up (e.g. a backup) must not undo a committed action
                log.exception("After-commit task %r failed", fn)

    @property
    def closed(self) -> bool:
        """True once close() has begun (a view's late timer must not read any more)."""
        return self._closed

    def close(self) -> None:
        """Run the close hooks (e.g. the closing backup), close the file, release the claim."""
        if self._closed:
            return
        self._closed = True
        try:
            for hook in self.close_hooks:
                try:
                    hook(self)
                except Exception:
                    log.exception("Close hook %r failed for %s", hook, self.path)
            self.db.close()
        finally:
            if self._lock is not None:
                self._lock.release()

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
        if isinstance(self.path, ServerAddress):
            from db import server

            return server.schema_version(self.db)  # type: ignore[arg-type]
        return connection.schema_version(self.db)  # type: ignore[arg-type]

    def backup(self, dest: str | os.PathLike) -> None:
        """A consistent copy of the whole workspace as a workspace file at dest."""
        if isinstance(self.path, ServerAddress):
            from workbench.maintenance import copying

            copying.copy_to_file(self, Path(dest))
            return
        connection.backup_to(self.db, dest)  # type: ignore[arg-type]
