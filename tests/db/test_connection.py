"""Opening workspace files: identity, pragmas, refusing what is not ours, migrating old files."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from db import connection, migrations
from db.errors import (
    AlteredWorkspace,
    DamagedWorkspace,
    MigrationFailed,
    NewerWorkspace,
    NotAWorkspace,
    StoreError,
    WorkspaceMissing,
)
from workbench import audit, documents, sections
from workbench.workspace import Workspace

# About the SQLite file itself (its header, locks, WAL, the FTS5 queue).
pytestmark = pytest.mark.sqlite_only

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CURRENT = len(migrations.names())


def _raw(path) -> sqlite3.Connection:
    return sqlite3.connect(str(path))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> dict[str, str]:
    return {p.name: _digest(p) for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def closed_workspace(tmp_path) -> Path:
    path = tmp_path / "real.cnew"
    with Workspace.create(path) as ws:
        doc = documents.create_document(ws, "strategy", "Northern Border Strategy")
        for n in range(30):
            sections.add_section(ws, doc, heading=f"Section {n}", body="Text. " * 200)
    return path


def test_create_sets_identity_wal_and_version(ws_path):
    db = connection.create_workspace_db(ws_path)
    db.close()
    conn = _raw(ws_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == connection.APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT
    conn.close()


def test_create_refuses_an_existing_file(tmp_path):
    path = tmp_path / "exists.cnew"
    path.write_text("x")
    with pytest.raises(FileExistsError):
        connection.create_workspace_db(path)
    assert path.read_text() == "x"


@pytest.mark.parametrize("how", ["create", "open", "connect"])
def test_every_connection_has_safe_pragmas(ws_path, how):
    connection.create_workspace_db(ws_path).close()
    if how == "create":
        ws_path.unlink()
        db = connection.create_workspace_db(ws_path)
    elif how == "open":
        db, _ = connection.open_workspace_db(ws_path)
    else:
        db = connection.connect(ws_path)
    try:
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == connection.BUSY_TIMEOUT_MS
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()


def test_for_thread_handle_has_the_same_pragmas(ws):
    other = ws.for_thread()
    try:
        assert other.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert other.db.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        other.close()


def test_foreign_keys_are_enforced(ws):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        with ws.db.atomic():
            ws.db.execute(
                "INSERT INTO people (name, organization_id, created_at) VALUES ('X', 9999, 'now')"
            )
    assert not list(ws.db.query("SELECT * FROM people"))


def _refused(path: Path, error: type[StoreError]) -> str:
    folder = path.parent
    before = _listing(folder)
    with pytest.raises(error) as info:
        Workspace.open(path)
    message = str(info.value)
    assert str(path) in message
    # Refusing a file must not change it or leave -wal/-shm files behind.
    assert _listing(folder) == before
    return message


def test_refuses_a_missing_file(tmp_path):
    with pytest.raises(WorkspaceMissing, match="does not exist"):
        Workspace.open(tmp_path / "nowhere.cnew")
    assert list(tmp_path.iterdir()) == []


def test_refuses_a_text_file(tmp_path):
    path = tmp_path / "notes.cnew"
    path.write_text("Minutes of the Coordinating Council, not a workspace.\n")
    assert "not a database" in _refused(path, NotAWorkspace)


def test_refuses_an_empty_file(tmp_path):
    path = tmp_path / "empty.cnew"
    path.touch()
    assert "empty" in _refused(path, NotAWorkspace)


def test_refuses_random_bytes(tmp_path):
    path = tmp_path / "noise.cnew"
    path.write_bytes(os.urandom(8192))
    _refused(path, NotAWorkspace)


def test_refuses_a_folder(tmp_path):
    folder = tmp_path / "folder.cnew"
    folder.mkdir()
    with pytest.raises(NotAWorkspace, match="folder"):
        Workspace.open(folder)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_refuses_a_truncated_workspace(closed_workspace, tmp_path, fraction):
    data = closed_workspace.read_bytes()
    cut = tmp_path / "cut.cnew"
    cut.write_bytes(data[: int(len(data) * fraction)])
    assert "damaged" in _refused(cut, DamagedWorkspace)


def test_refuses_a_workspace_whose_tail_is_not_a_whole_page(closed_workspace, tmp_path):
    cut = tmp_path / "cut.cnew"
    cut.write_bytes(closed_workspace.read_bytes()[:-100])
    _refused(cut, DamagedWorkspace)


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_refuses_another_applications_database(tmp_path, journal):
    path = tmp_path / "other-app.db"
    conn = _raw(path)
    conn.execute(f"PRAGMA journal_mode={journal}")
    conn.execute("PRAGMA application_id=1234")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('not ours')")
    conn.commit()
    conn.close()
    assert "not a CNE Workbench workspace" in _refused(path, NotAWorkspace)


def test_refuses_a_workspace_missing_its_schema_record(closed_workspace):
    conn = _raw(closed_workspace)
    conn.execute(f"DROP TABLE {migrations.MIGRATIONS_TABLE}")
    conn.commit()
    conn.close()
    assert "schema record" in _refused(closed_workspace, DamagedWorkspace)


# -- a schema someone changed: refused before anything runs against it ------------------------
_ALTERATIONS = {
    "trigger": (
        "CREATE TRIGGER soften AFTER INSERT ON comments WHEN new.type = 'C' BEGIN "
        "UPDATE comments SET type = 'A', critical_ground = NULL WHERE id = new.id; END",
        "Unknown trigger soften (not part of the schema).",
    ),
    "view": (
        "ALTER TABLE waivers RENAME TO waivers_real;"
        "CREATE VIEW waivers AS SELECT * FROM waivers_real WHERE 0",
        "The table waivers was replaced by a view.",
    ),
    "guard dropped": (
        "DROP TRIGGER audit_log_no_update",
        "The trigger audit_log_no_update is missing.",
    ),
    "guard changed": (
        "DROP TRIGGER decisions_no_update;"
        "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN SELECT 1; END",
        "The trigger decisions_no_update was changed from its definition.",
    ),
}


@pytest.mark.parametrize("how", sorted(_ALTERATIONS))
@pytest.mark.parametrize("read_only", [False, True])
def test_refuses_a_workspace_whose_schema_was_altered(closed_workspace, how, read_only):
    sql, fault = _ALTERATIONS[how]
    conn = _raw(closed_workspace)
    conn.executescript(sql)
    conn.close()
    before = _listing(closed_workspace.parent)
    with pytest.raises(AlteredWorkspace) as info:
        Workspace.open(closed_workspace, read_only=read_only)
    message = str(info.value)
    assert message.startswith(f"{closed_workspace} was altered outside CNE Workbench")
    assert fault in message and "\n" not in message
    assert _listing(closed_workspace.parent) == before  # nothing written, no -wal left


def test_an_altered_v1_workspace_is_refused_before_it_is_migrated(v1_copy):
    conn = _raw(v1_copy)
    conn.execute("CREATE TRIGGER later AFTER INSERT ON sections BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    before = _listing(v1_copy.parent)
    with pytest.raises(AlteredWorkspace, match="Unknown trigger later"):
        Workspace.open(v1_copy)
    assert _listing(v1_copy.parent) == before  # no migration backup, no upgrade
    assert _applied(v1_copy) == ["m001_foundation"]


def test_the_command_line_refuses_an_altered_workspace_in_one_line(closed_workspace, capsys):
    from workbench.cli import main as cli

    conn = _raw(closed_workspace)
    conn.executescript(_ALTERATIONS["trigger"][0])
    conn.close()
    assert cli(["info", str(closed_workspace)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Unknown trigger soften" in err, err
    assert "Traceback" not in err


def _make_newer(path: Path) -> None:
    conn = _raw(path)
    with conn:
        conn.execute(
            f"INSERT INTO {migrations.MIGRATIONS_TABLE} (migration_set, name, applied_at) "
            "VALUES (?, 'm999_from_a_later_release', '2030-01-01')",
            [migrations.SET_NAME],
        )
    conn.close()


def test_refuses_a_workspace_from_a_newer_version(closed_workspace, tmp_path):
    newer = tmp_path / "newer.cnew"
    shutil.copy(closed_workspace, newer)
    _make_newer(newer)
    message = _refused(newer, NewerWorkspace)
    assert f"schema version {CURRENT + 1}" in message and "Update CNE Workbench" in message


def test_open_keeps_a_current_workspace_without_backup(closed_workspace):
    with Workspace.open(closed_workspace) as ws:
        assert ws.migrated_backup is None
        assert ws.schema_version == CURRENT
        assert len(documents.list_documents(ws)) == 1
    assert [p.name for p in closed_workspace.parent.iterdir()] == [closed_workspace.name]


# -- migration from every older schema ---------------------------------------------------------


def _applied(path) -> list[str]:
    uri = "file:" + str(Path(path).resolve()) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        return [
            r[0]
            for r in conn.execute(f"SELECT name FROM {migrations.MIGRATIONS_TABLE} ORDER BY id")
        ]
    finally:
        conn.close()


def _tables(path) -> set[str]:
    conn = _raw(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


@pytest.fixture
def v1_copy(tmp_path) -> Path:
    dest = tmp_path / "old.cnew"
    shutil.copy(FIXTURES / "workspace_v1.cnew", dest)
    return dest


def test_fixture_is_schema_v1(v1_copy):
    # Read from a copy: even a read-only open of a WAL file leaves -wal/-shm in the repository.
    assert _applied(v1_copy) == ["m001_foundation"]


def test_migrates_a_v1_workspace_after_a_backup(v1_copy):
    with Workspace.open(v1_copy) as ws:
        backup = Path(ws.migrated_backup)
        assert ws.schema_version == CURRENT
        assert ws.db.execute("PRAGMA user_version").fetchone()[0] == CURRENT
        (doc,) = documents.list_documents(ws)
        assert doc.title == "Maritime Strategy (v1 fixture)"
        outline = sections.outline(ws, doc.id)
        assert [(e.number, e.heading, e.equities) for e in outline] == [
            ("1", "Introduction", ()),
            ("1.1", "Scope", ("USCG",)),
            ("Appendix A", "Action Items", ()),
        ]
        assert audit.verify_chain(ws) == []
        # New tables work with old data.
        assert list(ws.db.query("SELECT * FROM review_requests")) == []
    assert backup.exists() and backup.parent == v1_copy.parent
    assert _applied(backup) == ["m001_foundation"]
    assert "review_requests" not in _tables(backup)
    assert _applied(v1_copy) == migrations.names()


def test_a_second_migration_backup_does_not_overwrite_the_first(v1_copy, tmp_path):
    spare = tmp_path / "spare.cnew"
    shutil.copy(v1_copy, spare)
    with Workspace.open(v1_copy) as ws:
        first = ws.migrated_backup
    first_digest = _digest(Path(first))
    shutil.copy(spare, v1_copy)
    with Workspace.open(v1_copy) as ws:
        second = ws.migrated_backup
    assert second != first
    assert _digest(Path(first)) == first_digest


def test_a_migration_failing_midway_leaves_the_file_at_v1(v1_copy, monkeypatch):
    last = migrations.MIGRATIONS._migrations[-1]
    original = last.fn

    def half_done(db):
        original(db)  # its tables exist when it fails, as after a crash partway through
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(last, "fn", half_done)
    with pytest.raises(MigrationFailed) as info:
        Workspace.open(v1_copy)
    assert str(v1_copy) in str(info.value) and "unchanged" in str(info.value)
    assert _applied(v1_copy) == ["m001_foundation"]
    assert "review_requests" not in _tables(v1_copy)
    conn = _raw(v1_copy)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sections").fetchone()[0] == 3
    conn.close()
    monkeypatch.setattr(last, "fn", original)
    with Workspace.open(v1_copy) as ws:
        assert ws.schema_version == CURRENT
