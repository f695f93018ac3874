"""Opening workspace files: identity and version checks, pragmas, backups before migration."""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from db import migrations, schema
from db.errors import (  # noqa: F401  (WorkspaceInUse, ReadOnlyWorkspace, DiskFull re-exported)
    AlteredWorkspace,
    DamagedWorkspace,
    DiskFull,
    MigrationFailed,
    NewerWorkspace,
    NotAWorkspace,
    ReadOnlyWorkspace,
    StoreError,
    WorkspaceInUse,
    WorkspaceMissing,
)
from db.sqlite_store import SqliteStore, translate_error  # noqa: F401 (re-exported)

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

# "CNEW" — written in the SQLite header so a workspace is recognisable without reading tables.
APPLICATION_ID = 0x434E4557
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
LOCK_SUFFIX = ".lock"


def _configure(conn: sqlite3.Connection) -> None:
    # Nothing the file's schema asks for runs beyond SQLite's innocuous functions: a trigger
    # someone added cannot call into a virtual table. (The search index is written from the
    # top level for that reason: db.search_index.)
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")


def connect(path: str | os.PathLike) -> SqliteStore:
    """A read-write connection to an already validated workspace, for the calling thread only."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    _configure(conn)
    return SqliteStore(conn, execute_plugins=False)


def connect_read_only(path: str | os.PathLike) -> SqliteStore:
    """A connection that cannot write, for a file or folder this process may not change."""
    path = Path(path)
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    if not path.with_name(path.name + "-wal").exists():
        # No WAL to replay: immutable avoids creating -shm in a folder we may not write to.
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    # Reading runs nothing the file's schema asks for beyond SQLite's innocuous functions.
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    return SqliteStore(conn, execute_plugins=False)


def read_only_reason(path: str | os.PathLike) -> str | None:
    """Why this process cannot write the workspace (None when it can)."""
    path = Path(path)
    folder = path.resolve().parent
    if not os.access(path, os.W_OK):
        return f"{path.name} is read-only (you do not have permission to change it)"
    # WAL mode writes -wal/-shm beside the file, so the folder must be writable too.
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is read-only"
    return None


# -- one writer process per workspace ---------------------------------------------------------
# The claim is on the file itself (its device and inode), so a symlink or a hard link to an open
# workspace cannot open a second writable window. Command-line writes take no claim: SQLite's
# transactions keep them safe beside the window.
_locks: dict[str, list] = {}  # file identity -> [fd, holders, lock file, file fd] in this process
_locks_guard = threading.Lock()
# Descriptors on workspace files, kept open while anything here has the file open: closing any
# descriptor on a database file drops every POSIX lock this process holds on it, SQLite's
# included (_close_unused_file_fds closes one only when no other descriptor is on its file).
_file_fds: dict[str, int] = {}


def lock_file(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path.with_name(path.name + LOCK_SUFFIX)


def _identity(path: Path) -> str:
    """Which file this is, whatever name reaches it (symlink, hard link, relative path)."""
    try:
        st = os.stat(path)
    except OSError:
        return str(path.resolve())
    return f"{st.st_dev}:{st.st_ino}"


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _file_descriptor(key: str, path: Path) -> int | None:
    """A descriptor on the workspace file itself (fcntl platforms), reused across claims."""
    if fcntl is None:
        return None
    fd = _file_fds.get(key)
    if fd is not None:
        try:
            gone = os.fstat(fd).st_nlink == 0
        except OSError:
            gone = True
        if not gone:
            return fd
        del _file_fds[key]
        try:
            os.close(fd)  # a deleted file (the inode number was reused): nothing else uses it
        except OSError:
            pass
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    _file_fds[key] = fd
    return fd


def _shared_with_sqlite(fd: int) -> bool:
    """True when another descriptor of this process is on fd's file (a SQLite connection's), or
    when that cannot be told (no /proc): closing fd would then drop that connection's locks."""
    try:
        st = os.fstat(fd)
        names = os.listdir("/proc/self/fd")
    except OSError:
        return True
    for name in names:
        if name == str(fd):
            continue
        try:
            other = os.stat(f"/proc/self/fd/{name}")
        except OSError:
            continue  # closed meanwhile, or the listing's own descriptor
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            return True
    return False


def _close_unused_file_fds() -> None:
    """Close the descriptors of workspaces nobody here claims or reads any more (call it holding
    _locks_guard). Kept for the life of the process, one per workspace ever opened, they ran a
    session that opens many workspaces out of descriptors (1,024 for a user on Debian)."""
    for key, fd in list(_file_fds.items()):
        if key not in _locks and not _shared_with_sqlite(fd):
            del _file_fds[key]
            try:
                os.close(fd)
            except OSError:
                pass


def _unlock_file(fd: int | None) -> None:
    if fd is not None and fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError:
            pass


class InstanceLock:
    """This process's claim on a workspace; the OS drops it when the process dies."""

    def __init__(self, key: str):
        self._key = key
        self._released = False

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        with _locks_guard:
            entry = _locks.get(self._key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] <= 0:
                del _locks[self._key]
                _unlock_file(entry[3])
                # Unlink while still holding the lock; a racing opener re-checks the inode.
                try:
                    os.unlink(entry[2])
                except OSError:
                    pass
                os.close(entry[0])  # closing the descriptor releases the flock
            _close_unused_file_fds()


def held_by_this_process(path: str | os.PathLike) -> bool:
    with _locks_guard:
        return _identity(Path(path)) in _locks


def _in_use(path: Path, fd: int | None) -> WorkspaceInUse:
    holder: list[str] = []
    if fd is not None:
        try:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
        except OSError:
            holder = []
    who = f" (process {holder[0]} on {holder[1]})" if len(holder) >= 2 else ""
    return WorkspaceInUse(
        f"{path.name} is already open in another CNE Workbench window{who}. "
        "Close it there first, or open this copy read-only."
    )


def acquire_instance_lock(path: str | os.PathLike) -> InstanceLock | None:
    """Claim the workspace for this process, or raise WorkspaceInUse naming the holder.

    Returns None when no lock file can be made (a read-only folder): the caller opens read-only.
    Several opens within one process share the claim (the same window reopening its file).
    """
    path = Path(path)
    key = _identity(path)
    with _locks_guard:
        _close_unused_file_fds()  # those whose connections closed after their claim was released
        if key in _locks:
            _locks[key][1] += 1
            return InstanceLock(key)
        target = lock_file(path.resolve())
        for _attempt in range(5):
            try:
                fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return None
            if not _try_lock(fd):
                error = _in_use(path, fd)
                os.close(fd)
                raise error
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(target))
            except OSError:
                same = False
            if same:
                break
            os.close(fd)  # the holder removed that lock file as we opened it; take a fresh one
        else:
            return None
        file_fd = _file_descriptor(key, path)
        if file_fd is not None and not _try_lock(file_fd):
            # Another window holds this very file under another name (a link or a copy's path).
            _release_lock_file(fd, target)
            raise _in_use(path, None)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {socket.gethostname()}\n".encode(), 0)
        except (OSError, AttributeError):
            pass  # the holder's name is a courtesy; the lock itself is what counts
        _locks[key] = [fd, 1, str(target), file_fd]
        return InstanceLock(key)


def _release_lock_file(fd: int, target: Path) -> None:
    try:
        os.unlink(target)
    except OSError:
        pass
    os.close(fd)


def _shorter_than_header_says(path: Path, header: bytes) -> bool:
    """True when the file ends before the last page its header records (a cut-off copy)."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512:
        return False  # not a size SQLite writes; let SQLite itself report the damage
    size = path.stat().st_size
    if size % page_size:
        return True
    page_count = int.from_bytes(header[28:32], "big")
    # The page count is only trustworthy when its "valid for" counter matches the change counter.
    return header[24:28] == header[92:96] and size < page_count * page_size


def _has_wal(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def _probe(path: Path, *, schema_exact: bool = False) -> tuple[int, list[str]]:
    """Read identity and applied migrations without writing a byte. Returns (app id, names).

    schema_exact: also refuse (AlteredWorkspace) a file whose schema differs from the exact
    schema of its recorded version, naming the first fault. Opening asks for it; `check`
    does not, because it lists every fault itself.
    """
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except IsADirectoryError:
        raise NotAWorkspace(f"{path} is a folder, not a workspace file.") from None
    except PermissionError:
        raise NotAWorkspace(f"{path} cannot be read (permission denied).") from None
    if not header:
        raise NotAWorkspace(f"{path} is empty; it is not a CNE Workbench workspace.")
    if not header.startswith(SQLITE_MAGIC):
        raise NotAWorkspace(f"{path} is not a CNE Workbench workspace (it is not a database file).")
    if len(header) < 100:
        raise DamagedWorkspace(f"{path} is damaged: the file is truncated.")
    wal = _has_wal(path)
    short = _shorter_than_header_says(path, header)
    # A crash during a checkpoint leaves the header already counting pages that are still only
    # in the -wal file. SQLite replays that log on open, so with a WAL beside the file the size
    # proves nothing: let SQLite recover first, then judge by what it reads (below).
    if short and not wal:
        raise DamagedWorkspace(f"{path} is damaged: the file is truncated.")
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    if not wal:
        # Without a WAL to replay, read the file as immutable: a plain read-only open of a
        # WAL-mode file would leave new -wal/-shm files beside a file we may be refusing.
        uri += "&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise NotAWorkspace(f"{path} cannot be opened: {exc}.") from None
    try:
        # Nothing the file's schema asks for runs here beyond SQLite's innocuous functions.
        conn.execute("PRAGMA trusted_schema=OFF")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise NotAWorkspace(f"{path} is a database, but not a CNE Workbench workspace.")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if migrations.MIGRATIONS_TABLE not in tables:
            raise DamagedWorkspace(f"{path} is damaged: its schema record is missing.")
        names = [
            r[0]
            for r in conn.execute(
                f"SELECT name FROM {migrations.MIGRATIONS_TABLE} "
                "WHERE migration_set = ? ORDER BY id",
                [migrations.SET_NAME],
            )
        ]
        if schema_exact and names == migrations.names()[: len(names)]:
            # Before anything runs against the file: an extra trigger could rewrite what the
            # app writes, a view in a table's place show what it likes. (A newer file's schema
            # cannot be known here; the caller refuses it as newer.)
            faults = schema.schema_faults(conn)
            if faults:
                more = f" (and {len(faults) - 1} more; workbench check lists them)" * bool(
                    faults[1:]
                )
                raise AlteredWorkspace(
                    f"{path} was altered outside CNE Workbench and is not opened: {faults[0]}{more}"
                )
        # Touch every table's first page so a damaged file fails here rather than mid-edit.
        for table in sorted(tables):
            conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchall()
        if short:
            # Only after a crash mid-checkpoint: every page must now read whole, from the file or
            # the log. A cut-off file beside an unrelated -wal is still damaged.
            verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if verdict != "ok":
                raise DamagedWorkspace(f"{path} is damaged: the file is truncated ({verdict}).")
        return app_id, names
    except sqlite3.DatabaseError as exc:
        raise DamagedWorkspace(f"{path} is damaged and cannot be opened ({exc}).") from None
    finally:
        conn.close()


def open_workspace_db(
    path: str | os.PathLike, *, read_only: bool = False
) -> tuple[SqliteStore, str | None]:
    """Validate and open an existing workspace, migrating an older one after a backup.

    Returns the connection and the path of the pre-migration backup, if one was made.
    A read-only open never writes; an older file it cannot upgrade is refused.
    """
    path = Path(path)
    if not path.exists():
        raise WorkspaceMissing(f"{path} does not exist.")
    _, applied = _probe(path, schema_exact=True)
    known = migrations.names()
    unknown = [n for n in applied if n not in known]
    if unknown:
        raise NewerWorkspace(
            f"{path} was written by a newer CNE Workbench (schema version "
            f"{len(applied)}); this version understands schema version {len(known)}. "
            "Update CNE Workbench to open it."
        )
    if read_only:
        if len(applied) < len(known):
            raise ReadOnlyWorkspace(
                f"{path} was written by an older CNE Workbench and must be upgraded, "
                "but it cannot be changed (read-only). Copy it somewhere you can write."
            )
        return connect_read_only(path), None
    db = connect(path)
    backup_path = None
    try:
        if len(applied) < len(known):
            backup_path = backup_before_migration(db, path, len(applied))
            try:
                migrate(db)
            except Exception as exc:
                raise MigrationFailed(
                    f"{path} could not be upgraded from schema version {len(applied)} to "
                    f"{len(known)} ({exc}); the file is unchanged and a copy is at "
                    f"{backup_path}."
                ) from exc
        db.execute("PRAGMA journal_mode=WAL")
    except BaseException:
        db.close()
        raise
    return db, backup_path


def create_workspace_db(path: str | os.PathLike) -> SqliteStore:
    """Create a new, empty workspace file at the current schema version."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} already exists.")
    db = connect(path)
    db.execute(f"PRAGMA application_id={APPLICATION_ID}")
    db.execute("PRAGMA journal_mode=WAL")
    migrate(db)
    return db


def migrate(db: sqlite_utils.Database, *, stop_before: str | None = None) -> None:
    """Apply every pending migration in one transaction; all or nothing.

    An older file's own triggers (m005's, which wrote FTS5 directly) fire while it is upgraded,
    so trusted_schema is on for the migration only. Its schema was compared with the exact
    schema of its recorded version just before (`_probe`), so those triggers are the app's.
    """
    db.execute("PRAGMA trusted_schema=ON")
    # Off while the schema changes, as SQLite's table-rebuild procedure requires (dropping a
    # rebuilt table must not cascade); every reference is checked before the commit instead.
    enforced = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys=OFF")
    try:
        with db.atomic():
            before = set(db.execute("PRAGMA foreign_key_check").fetchall())
            migrations.MIGRATIONS.apply(db, stop_before=stop_before)
            broken = sorted(set(db.execute("PRAGMA foreign_key_check").fetchall()) - before)
            if broken:
                raise sqlite3.IntegrityError(f"The upgrade broke a reference in {broken[0][0]}.")
            db.execute(f"PRAGMA user_version={len(migrations.MIGRATIONS.applied(db))}")
    finally:
        db.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
        db.execute("PRAGMA trusted_schema=OFF")


class BackupStopped(Exception):
    """A backup given up before it was complete (its time ran out, or it was told to stop)."""


BACKUP_STEP_PAGES = 1024  # 4 MB at 4 KiB pages: the deadline is looked at between steps


def backup_to(
    db: sqlite_utils.Database,
    dest: str | os.PathLike,
    *,
    deadline: float | None = None,
    stop: Callable[[], bool] | None = None,
) -> None:
    """Copy a live workspace with SQLite's online backup API and flush it to disk.

    With a `deadline` (time.monotonic()) or a `stop()` that turns true, the copy goes step by
    step and is given up (BackupStopped, nothing left behind) once either says so."""
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".partial")
    target = sqlite3.connect(str(tmp))
    stepped = deadline is not None or stop is not None

    def progress(_status, _remaining, _total) -> None:
        if (deadline is not None and time.monotonic() > deadline) or (stop and stop()):
            raise BackupStopped(f"The backup {dest.name} was given up before it was complete.")

    try:
        if stepped:
            db.conn.backup(target, pages=BACKUP_STEP_PAGES, progress=progress, sleep=0.01)
        else:
            db.conn.backup(target)
    except BackupStopped:
        target.close()
        tmp.unlink(missing_ok=True)
        raise
    finally:
        target.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)


def backup_before_migration(db: sqlite_utils.Database, path: Path, version: int) -> str:
    dest = path.with_name(f"{path.stem}.schema-v{version}.backup{path.suffix or '.cnew'}")
    n = 1
    while dest.exists():
        n += 1
        dest = path.with_name(f"{path.stem}.schema-v{version}.backup-{n}{path.suffix or '.cnew'}")
    backup_to(db, dest)
    return str(dest)


def schema_version(db: sqlite_utils.Database) -> int:
    return len(migrations.MIGRATIONS.applied(db))
