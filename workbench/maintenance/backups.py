"""Backups beside the workspace (NAME.backups/): taking, rotating, listing and restoring them."""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import re
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from db import connection, schema
from db.errors import DamagedWorkspace, StoreError, WorkspaceMissing
from workbench import audit
from workbench.authority import signed_heads
from workbench.authority.signed_heads import HeadSignature
from workbench.errors import WorkbenchError
from workbench.maintenance import backup_seals, check
from workbench.workspace import WORKSPACE_SUFFIX, Workspace, use_case

log = logging.getLogger(__name__)

DEFAULT_KEEP = 10
REASONS = {
    "manual": "Taken by hand",
    "close": "On closing",
    "auto": "After changes",
    "publish": "After publishing",
    "migration": "Before an upgrade",
    "before-restore": "Before a restore",
}
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.(?P<reason>[a-z-]+)$")
_PARTIAL_MAX_AGE_S = 600
# Closing waits at most this long for its backup; a larger workspace is backed up in the
# background once changes rest (BackgroundBackup) and closing has nothing left to copy.
CLOSE_BUDGET_S = 0.8
ASSUMED_BYTES_PER_S = 250e6  # until a backup in this process has been timed
_bytes_per_s: dict[Path, float] = {}


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    reason: str
    size: int
    order: tuple = ()

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def label(self) -> str:
        when = self.taken_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"{when} — {self.reason_label} ({self.size / 1_048_576:.1f} MB)"


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept_current_as: Path | None
    signature: HeadSignature | None = None  # how the restored backup was signed


class UnsignedBackup(WorkbenchError):
    """The backup carries no signature that vouches for it; restore only when asked to."""


def folder_for(path: str | os.PathLike) -> Path:
    """Where a workspace's backups live: a NAME.backups folder beside it."""
    path = Path(path)
    return path.with_name(f"{path.stem}.backups")


def _suffix(path: Path) -> str:
    return path.suffix or WORKSPACE_SUFFIX


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the file itself was synced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _new_name(path: Path, folder: Path, reason: str, when: dt.datetime) -> Path:
    stamp = when.astimezone(dt.UTC).strftime(_STAMP)
    base, suffix = path.stem, _suffix(path)
    dest = folder / f"{base}.{stamp}.{reason}{suffix}"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{base}.{stamp}-{n}.{reason}{suffix}"
    return dest


def _parse(file: Path, stem: str) -> Backup | None:
    m = _NAME.match(file.name[: -len(file.suffix)] if file.suffix else file.name)
    if m is None or m["stem"] != stem:
        return None
    taken = dt.datetime.strptime(m["stamp"], _STAMP).replace(tzinfo=dt.UTC)
    n = int(m["n"] or 1)
    return Backup(file, taken, m["reason"], file.stat().st_size, (taken, n, file.name))


def list_backups(path: str | os.PathLike, folder: str | os.PathLike | None = None) -> list[Backup]:
    """The workspace's backups, newest first (pre-upgrade copies beside the file included)."""
    path = Path(path)
    folder = Path(folder) if folder else folder_for(path)
    found: list[Backup] = []
    if folder.is_dir():
        for f in folder.iterdir():
            if f.is_file() and f.suffix == _suffix(path):
                b = _parse(f, path.stem)
                if b is not None:
                    found.append(b)
    for f in path.parent.glob(f"{glob_escape(path.stem)}.schema-v*.backup*{_suffix(path)}"):
        if f.is_file():
            mtime = dt.datetime.fromtimestamp(f.stat().st_mtime, dt.UTC).replace(microsecond=0)
            found.append(Backup(f, mtime, "migration", f.stat().st_size, (mtime, 0, f.name)))
    return sorted(found, key=lambda b: b.order, reverse=True)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def rotate(path: str | os.PathLike, keep: int, folder: str | os.PathLike | None = None) -> None:
    """Keep the newest `keep` backups in the folder; drop leftovers of interrupted backups."""
    path = Path(path)
    folder = Path(folder) if folder else folder_for(path)
    if not folder.is_dir():
        return
    own = [b for b in list_backups(path, folder) if b.path.parent == folder]
    for b in own[max(keep, 1) :]:
        try:
            b.path.unlink()
        except OSError:
            log.warning("Could not remove old backup %s", b.path)
    for seal in folder.glob(f"*{_suffix(path)}{backup_seals.SUFFIX}"):
        if not seal.with_name(seal.name[: -len(backup_seals.SUFFIX)]).exists():
            try:
                seal.unlink()  # its backup was rotated away
            except OSError:
                pass
    now = time.time()
    for partial in folder.glob("*.partial"):
        try:
            if now - partial.stat().st_mtime > _PARTIAL_MAX_AGE_S:
                partial.unlink()
        except OSError:
            pass


def take_backup(
    ws: Workspace,
    reason: str = "manual",
    *,
    folder: str | os.PathLike | None = None,
    keep: int = DEFAULT_KEEP,
    deadline: float | None = None,
    stop=None,
) -> Path:
    """Copy the open workspace with SQLite's backup API into its backups folder, then rotate.

    `deadline` (time.monotonic()) or `stop()`: give up (connection.BackupStopped) rather than
    go on past it; nothing is left behind."""
    if reason not in REASONS:
        raise WorkbenchError(f"Unknown backup reason {reason!r}.")
    if ws.db.in_transaction:
        # The backup API would copy uncommitted changes; publish schedules this after commit.
        raise WorkbenchError("A backup cannot be taken in the middle of a change.")
    if ws.shared:
        return _shared_backup(ws, reason, folder)
    assert isinstance(ws.path, Path)
    folder = Path(folder) if folder else folder_for(ws.path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _write_failed(folder, exc) from exc
    dest = _new_name(ws.path, folder, reason, ws.clock())
    # The key that will sign it exists before the copy (a first workspace key is recorded in
    # the file), so the backup lists the key its own signature names.
    key = _signing_key(ws)
    started = time.monotonic()
    try:
        connection.backup_to(ws.db, dest, deadline=deadline, stop=stop)  # type: ignore[arg-type]
    except sqlite3.Error as exc:
        raise connection.translate_error(exc, dest) or StoreError(
            f"The backup {dest} could not be written ({exc})."
        ) from exc
    except OSError as exc:
        raise _write_failed(dest, exc) from exc
    if key is not None:
        _seal(ws, dest, reason)  # counted in the speed below: closing budgets copy and seal
    _fsync_dir(folder)
    elapsed = time.monotonic() - started
    if elapsed > 0.05:
        _bytes_per_s[ws.path] = dest.stat().st_size / elapsed
    rotate(ws.path, keep, folder)
    log.info("Backed up %s to %s (%s, %.2f s)", ws.path, dest, reason, elapsed)
    return dest


def _signing_key(ws):
    try:
        return signed_heads.signing_key(ws)
    except (WorkbenchError, StoreError, sqlite3.Error, OSError) as exc:
        log.warning("No key to sign the backup of %s: %s", ws.path, exc)
        return None


def _seal(ws, dest: Path, reason: str) -> None:
    """Sign the backup; a backup that cannot be signed is still a backup (restore says so)."""
    try:
        backup_seals.seal_backup(ws, dest, reason)
    except (WorkbenchError, StoreError, sqlite3.Error, OSError) as exc:
        log.warning("The backup %s could not be signed: %s", dest, exc)


def _shared_backup(ws: Workspace, reason: str, folder: str | os.PathLike | None) -> Path:
    """A shared workspace copied whole into a new workspace file in `folder`."""
    from workbench.maintenance import copying

    if folder is None:
        raise WorkbenchError(
            f"{ws.path.name} is backed up on its server; to keep a copy of your own, choose a "
            "folder for it."
        )
    dest = _new_name(Path(ws.path.stem + ".cnew"), Path(folder), reason, ws.clock())
    copying.copy_to_file(ws, dest)
    return dest


def backup_file(source: str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Back up a workspace file without opening it for writing (it may be open elsewhere)."""
    source, dest = Path(source), Path(dest)
    if not source.exists():
        raise WorkspaceMissing(f"{source} does not exist.")
    connection._probe(source)
    if dest.is_dir():
        stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
        dest = _new_name(source, dest, "manual", dt.datetime.strptime(stamp, _STAMP))
    if dest.exists():
        raise WorkbenchError(f"{dest} already exists; choose another name.")
    if dest.resolve() == source.resolve():
        raise WorkbenchError("A backup must be written to another file.")
    db = connection.connect_read_only(source)
    try:
        connection.backup_to(db, dest)
    except sqlite3.DatabaseError as exc:
        raise DamagedWorkspace(f"{source} could not be copied ({exc}).") from exc
    except OSError as exc:
        raise _write_failed(dest, exc) from exc
    finally:
        db.close()
    _fsync_dir(dest.parent)
    return dest


def backup_signed_file(source: str | os.PathLike, dest: str | os.PathLike) -> tuple[Path, bool]:
    """`backup_file`, signed from the workspace it copies (the command line's `backup`):
    (where it went, whether it is signed). The workspace is opened beside any window, like
    every command; a first workspace key is made before the copy, so the copy lists it."""
    try:
        ws = Workspace.open(source, claim=False)
    except StoreError as exc:
        log.warning("Could not open %s to sign its backup: %s", source, exc)
        return backup_file(source, dest), False
    try:
        key = _signing_key(ws)
        out = backup_file(source, dest)
        if key is not None:
            _seal(ws, out, "manual")
        return out, backup_seals.seal_path(out).exists()
    finally:
        ws.close()


def _write_failed(dest: Path, exc: OSError) -> StoreError:
    if exc.errno == errno.ENOSPC:
        return connection.DiskFull(
            f"There is no space left for the backup {dest.name}; the workspace is unchanged."
        )
    return StoreError(f"The backup {dest} could not be written ({exc.strerror or exc}).")


def backup_on_publish(ws: Workspace, keep: int = DEFAULT_KEEP) -> None:
    """Call inside publish(): a backup is taken once the publication has committed.

    A shared workspace is backed up by its server's administrator, not by each client.
    """
    if ws.shared:
        return
    target = ws

    def run() -> None:
        take_backup(target, "publish", keep=keep)

    ws.after_commit(run)


def backup_on_close(ws: Workspace, keep: int = DEFAULT_KEEP) -> None:
    """Take a backup when the workspace closes if something was recorded while it was open and
    the newest backup lacks it, and only if that takes less than CLOSE_BUDGET_S: closing never
    waits longer. Otherwise the newest backup stands until a BackgroundBackup in a later quiet
    moment (the app starts one once changes have rested, in this session or the next)."""
    if ws.shared:
        return  # backed up on its server (see backup_on_publish)
    start = _audit_head(ws)

    def hook(w: Workspace) -> None:
        # Nothing recorded while open, or a backup in the background already holds it all.
        if w.read_only or _audit_head(w) == start or not needs_backup(w):
            return
        assert isinstance(w.path, Path)  # a shared workspace takes no closing backup
        size = w.path.stat().st_size
        # Only a copy expected to take half the budget is tried, and it is given up at 60% of
        # it: flushing the copy to disk comes after, and a loaded machine is slower than the
        # rate the last copy ran at.
        if size / _bytes_per_s.get(w.path, ASSUMED_BYTES_PER_S) > CLOSE_BUDGET_S / 2:
            log.info("%s is backed up in the background, not on closing", w.path)
            return
        try:
            deadline = time.monotonic() + 0.6 * CLOSE_BUDGET_S
            take_backup(w, "close", keep=keep, deadline=deadline)
        except connection.BackupStopped:
            log.info("The closing backup of %s took too long; left for later", w.path)

    ws.close_hooks.append(hook)


def needs_backup(ws: Workspace) -> bool:
    """Something was recorded since the newest backup in the workspace's backups folder."""
    if not isinstance(ws.path, Path):
        return False  # a shared workspace is backed up on its server
    newest = next((b for b in list_backups(ws.path) if b.path.parent == folder_for(ws.path)), None)
    if newest is None:
        return _audit_head(ws) != ""
    try:
        db = connection.connect_read_only(newest.path)
        try:
            covered = _audit_head_of(db)
        finally:
            db.close()
    except sqlite3.Error:
        return True  # an unreadable backup covers nothing
    return _audit_head(ws) != covered


class BackgroundBackup:
    """A backup on a thread of its own with its own connection (SQLite copies a consistent
    state while the writer goes on), given up as soon as `stop()` is called or the workspace
    changes under it (a change makes SQLite start the copy over)."""

    def __init__(self, ws: Workspace, keep: int = DEFAULT_KEEP):
        self._ws = ws
        self._keep = keep
        self._stop = threading.Event()
        self.taken: Path | None = None
        self.given_up = False  # stopped, or a change came: worth another try later
        self._thread = threading.Thread(target=self._run, name="workbench-backup", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            ws = self._ws.for_thread()
        except Exception:
            log.exception("The background backup could not open %s", self._ws.path)
            return
        try:
            if needs_backup(ws):
                version = ws.db.external_stamp()  # PRAGMA data_version

                def stop() -> bool:
                    changed = ws.db.external_stamp() != version
                    return self._stop.is_set() or changed

                self.taken = take_backup(ws, "auto", keep=self._keep, stop=stop)
        except connection.BackupStopped:
            self.given_up = True
            log.info("The background backup of %s was given up (changes or closing)", ws.path)
        except Exception:
            log.exception("The background backup of %s failed", ws.path)
        finally:
            ws.close()

    def stop(self, timeout: float = CLOSE_BUDGET_S) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def running(self) -> bool:
        return self._thread.is_alive()


def _audit_head(ws: Workspace) -> str:
    return _audit_head_of(ws.db)


def _audit_head_of(db) -> str:
    row = next(db.query("SELECT max(id) AS n FROM audit_log"), None)
    return str(row["n"]) if row and row["n"] is not None else ""


def _validate_backup(backup: Path) -> None:
    if not backup.is_file():
        raise WorkspaceMissing(f"The backup {backup} does not exist.")
    connection._probe(backup)
    db = connection.connect_read_only(backup)
    try:
        rows = [r[0] for r in db.execute("PRAGMA quick_check(5)").fetchall()]
        faults = schema.schema_faults(db.conn) if rows == ["ok"] else []
    except sqlite3.DatabaseError as exc:
        rows, faults = [str(exc)], []
    finally:
        db.close()
    if rows != ["ok"]:
        raise DamagedWorkspace(
            f"The backup {backup.name} is itself damaged ({rows[0]}); choose another."
        )
    if faults:
        # Checked like an opened file: a trigger or view the app never made could rewrite
        # what it stores once the backup is back in place.
        raise DamagedWorkspace(
            f"The backup {backup.name} was altered and is not restored: {faults[0]}"
        )


def newest_sound_backup(
    path: str | os.PathLike, folder: str | os.PathLike | None = None
) -> Backup | None:
    """The newest backup of a workspace that passes the full check, or None.

    Offered when the workspace itself is really damaged; a backup that fails is skipped, since
    restoring a second damaged file would only move the problem.
    """
    for candidate in list_backups(path, folder):
        try:
            _validate_backup(candidate.path)
            if backup_seals.verify_backup(candidate.path, path)[1]:
                continue  # changed after it was signed: not a copy to go back to
        except (StoreError, WorkbenchError, sqlite3.Error, OSError):
            continue
        if check.check_workspace(candidate.path).ok:
            return candidate
    return None


def _keep_current(path: Path, folder: Path) -> Path | None:
    """Save the file being replaced; a damaged one is copied byte for byte with its WAL."""
    if not path.exists():
        return None
    folder.mkdir(exist_ok=True)
    dest = _new_name(path, folder, "before-restore", dt.datetime.now(dt.UTC))
    try:
        return backup_file(path, dest)
    except (StoreError, sqlite3.Error):
        for extra in ("", "-wal"):
            src = path.with_name(path.name + extra)
            if src.exists():
                shutil.copy2(src, dest.with_name(dest.name + extra))
        return dest


def _retire_wal(path: Path) -> None:
    """Fold the WAL into the file and remove it, so it can never replay onto other contents."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and path.exists():
        try:
            conn = sqlite3.connect(str(path))
            try:
                conn.execute("PRAGMA trusted_schema=OFF")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            pass  # a damaged file: its WAL was already copied aside with it
    for extra in ("-wal", "-shm"):
        try:
            path.with_name(path.name + extra).unlink()
        except FileNotFoundError:
            pass


@use_case
def _note_restore(ws: Workspace, backup_name: str, kept: str | None) -> None:
    audit.record(ws, "workspace.restore", "workspace", None, backup=backup_name, kept=kept)


def restore_backup(
    path: str | os.PathLike,
    backup: str | os.PathLike,
    *,
    folder: str | os.PathLike | None = None,
    keep: int = DEFAULT_KEEP,
    actor: str | None = None,
    allow_unsigned: bool = False,
) -> RestoreResult:
    """Replace the workspace with a backup: the current file is kept as a backup first, and
    the swap is atomic, so a crash leaves either the old file or the restored one.

    The workspace must be closed in this process; another process holding it is refused.
    A backup changed after it was signed is refused; one with no signature that counts
    (older backups, backups taken without a key) only with allow_unsigned (UnsignedBackup).
    """
    path, backup = Path(path), Path(backup)
    folder = Path(folder) if folder else folder_for(path)
    _validate_backup(backup)
    signature = check_signature(path, backup, allow_unsigned=allow_unsigned)
    if connection.held_by_this_process(path):
        raise connection.WorkspaceInUse(f"Close {path.name} before restoring it from a backup.")
    lock = connection.acquire_instance_lock(path)
    if lock is None or not os.access(path.parent, os.W_OK | os.X_OK):
        if lock is not None:
            lock.release()
        raise connection.ReadOnlyWorkspace(f"{path} cannot be replaced: its folder is read-only.")
    try:
        kept = _keep_current(path, folder)
        tmp = path.with_name(path.name + ".restoring")
        source = connection.connect_read_only(backup)
        try:
            connection.backup_to(source, tmp)
        finally:
            source.close()
        _retire_wal(path)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except sqlite3.Error as exc:
        raise connection.translate_error(exc, path) or StoreError(
            f"{path} could not be restored ({exc}); the current file is unchanged."
        ) from exc
    finally:
        lock.release()
    with Workspace.open(path, actor=actor) as ws:
        _note_restore(ws, backup.name, kept.name if kept else None)
    rotate(path, keep, folder)
    log.info("Restored %s from %s (previous file kept as %s)", path, backup, kept)
    return RestoreResult(backup, kept, signature)


def check_signature(
    path: str | os.PathLike, backup: str | os.PathLike, *, allow_unsigned: bool = False
) -> HeadSignature:
    """How the backup is signed, by the keys of the workspace it would replace; refuses one
    that was altered, and (unless allowed) one that nothing vouches for."""
    backup = Path(backup)
    signature, problem = backup_seals.verify_backup(backup, path)
    if problem:
        raise DamagedWorkspace(f"{problem} It is not restored.")
    if not signature.holds and not allow_unsigned:
        why = f" ({signature.reason})" if signature.reason else ""
        raise UnsignedBackup(
            f"The backup {backup.name} is not signed{why}, so nothing shows it is unchanged "
            "since it was taken. Restore it anyway only if you trust where it came from "
            "(workbench restore --unsigned)."
        )
    return signature


def signature_words(path: str | os.PathLike, backup: str | os.PathLike) -> str:
    """How a backup is signed, in a few words for a listing ("ALTERED: …" when it fails)."""
    try:
        signature, problem = backup_seals.verify_backup(backup, path)
    except (WorkbenchError, StoreError, sqlite3.Error, OSError) as exc:
        return f"unreadable: {exc}"
    return f"ALTERED: {problem}" if problem else signature.describe()
