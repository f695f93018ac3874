"""Backups: consistent copies, rotation, on publish and on close, and a safe restore."""

from __future__ import annotations

import threading
import time

import pytest
from helpers import digest, populate

from db.connection import BackupStopped, WorkspaceInUse
from db.errors import DamagedWorkspace
from workbench import audit, documents, sections
from workbench.cli import main as cli
from workbench.maintenance import backups
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace, use_case


def test_a_backup_is_a_sound_copy_of_the_committed_record(ws, ws_path):
    ids = populate(ws)
    dest = backups.take_backup(ws, "manual")
    assert dest.parent == ws_path.with_name("test.backups")
    assert check_workspace(dest).ok
    with Workspace.open(dest, read_only=True) as copy:
        assert sections.section(copy, ids["s1"]).body == "Stop SPSS vessels at sea."
        assert audit.verify_chain(copy) == []
    assert not list(dest.parent.glob("*.partial"))


def test_rotation_keeps_the_newest_n(ws, clock):
    populate(ws)
    made = []
    for _ in range(5):
        made.append(backups.take_backup(ws, "close", keep=3))
        clock.advance(minutes=1)
    listed = backups.list_backups(ws.path)
    assert [b.path for b in listed] == list(reversed(made[-3:]))
    assert all(b.reason == "close" for b in listed)


def test_backups_in_the_same_second_do_not_overwrite_each_other(ws):
    a = backups.take_backup(ws, "manual")
    b = backups.take_backup(ws, "manual")
    assert a != b and a.exists() and b.exists()
    assert [x.path for x in backups.list_backups(ws.path)] == [b, a]


def test_publish_hook_backs_up_only_after_the_commit(ws):
    doc = documents.create_document(ws, "doctrine", "CN Doctrine")

    @use_case
    def failing_publish(w):
        documents.rename_document(w, doc, "CN Doctrine (published)")
        backups.backup_on_publish(w)
        raise RuntimeError("gate refused")

    @use_case
    def good_publish(w):
        documents.rename_document(w, doc, "CN Doctrine (published)")
        backups.backup_on_publish(w)
        assert backups.list_backups(w.path) == []  # not while the change is uncommitted

    with pytest.raises(RuntimeError):
        failing_publish(ws)
    assert backups.list_backups(ws.path) == []
    good_publish(ws)
    (only,) = backups.list_backups(ws.path)
    assert only.reason == "publish"
    with Workspace.open(only.path, read_only=True) as copy:
        assert documents.document(copy, doc).title == "CN Doctrine (published)"


def test_close_backup_only_when_something_changed(ws_path):
    with Workspace.create(ws_path) as ws:
        pass
    with Workspace.open(ws_path) as ws:
        backups.backup_on_close(ws)
    assert backups.list_backups(ws_path) == []
    with Workspace.open(ws_path) as ws:
        backups.backup_on_close(ws)
        documents.create_document(ws, "sop", "SLT outreach SOP")
    (b,) = backups.list_backups(ws_path)
    assert b.reason == "close"
    with Workspace.open(b.path, read_only=True) as copy:
        assert [d.title for d in documents.list_documents(copy)] == ["SLT outreach SOP"]


def test_restore_brings_back_the_backup_and_keeps_the_current_file(ws, ws_path):
    ids = populate(ws)
    good = backups.take_backup(ws, "manual")
    sections.edit_section(ws, ids["s1"], body="A mistaken rewrite")
    ws.close()
    result = backups.restore_backup(ws_path, good)
    assert result.kept_current_as is not None and result.kept_current_as.exists()
    assert not ws_path.with_name(ws_path.name + "-wal").exists() or check_workspace(ws_path).ok
    with Workspace.open(ws_path) as w:
        assert sections.section(w, ids["s1"]).body == "Stop SPSS vessels at sea."
        assert audit.verify_chain(w) == []
        (entry,) = audit.entries(w, action_prefix="workspace.restore")
        assert entry.details == {"backup": good.name, "kept": result.kept_current_as.name}
    with Workspace.open(result.kept_current_as, read_only=True) as kept:
        assert sections.section(kept, ids["s1"]).body == "A mistaken rewrite"
    assert check_workspace(ws_path).ok


def test_restore_refuses_while_the_workspace_is_open_here(ws, ws_path):
    good = backups.take_backup(ws, "manual")
    before = digest(ws_path)
    with pytest.raises(WorkspaceInUse, match="Close test.cnew"):
        backups.restore_backup(ws_path, good)
    assert digest(ws_path) == before


def test_restore_refuses_a_damaged_backup_and_changes_nothing(ws, ws_path):
    populate(ws)
    bad = backups.take_backup(ws, "manual")
    ws.close()
    data = bytearray(bad.read_bytes())
    data[4096 * 2 : 4096 * 2 + 64] = b"\xee" * 64
    bad.write_bytes(bytes(data))
    before = digest(ws_path)
    with pytest.raises(DamagedWorkspace, match="damaged"):
        backups.restore_backup(ws_path, bad)
    assert digest(ws_path) == before
    assert [b.reason for b in backups.list_backups(ws_path)] == ["manual"]


def test_cli_backup_list_and_restore(ws, ws_path, tmp_path, capsys):
    ids = populate(ws)
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    # The copy works while the workspace is open (in this process or another).
    assert cli(["backup", str(ws_path), str(out_dir)]) == 0
    (copy,) = out_dir.glob("*.cnew")
    assert copy.with_name(copy.name + ".sig").is_file()  # signed, beside it
    assert check_workspace(copy).ok
    assert cli(["backup", str(ws_path), str(copy)]) == 1
    assert "already exists" in capsys.readouterr().err
    sections.edit_section(ws, ids["s1"], body="Changed later")
    ws.close()
    assert cli(["restore", str(ws_path), str(copy)]) == 0
    assert "was kept as" in capsys.readouterr().out
    assert cli(["backups", str(ws_path)]) == 0
    assert "Before a restore" in capsys.readouterr().out
    with Workspace.open(ws_path) as w:
        assert sections.section(w, ids["s1"]).body == "Stop SPSS vessels at sea."


def test_closing_never_waits_for_a_copy_longer_than_its_budget(ws_path, monkeypatch):
    with Workspace.create(ws_path) as w0:
        populate(w0)
    # As if this disk copied 10 KB a second: the copy would take longer than the budget.
    monkeypatch.setitem(backups._bytes_per_s, ws_path, 1e4)
    ws = Workspace.open(ws_path)
    backups.backup_on_close(ws)
    documents.create_document(ws, "sop", "Written just before closing")
    t0 = time.monotonic()
    ws.close()
    assert time.monotonic() - t0 < backups.CLOSE_BUDGET_S
    assert backups.list_backups(ws_path) == []
    with Workspace.open(ws_path) as again:
        assert backups.needs_backup(again)  # left for a quiet moment, not forgotten
        job = backups.BackgroundBackup(again)
        job._thread.join(30)
        assert job.taken is not None and not backups.needs_backup(again)
        (b,) = backups.list_backups(ws_path)
        assert b.reason == "auto" and b.reason_label == "After changes"
    with Workspace.open(b.path, read_only=True) as copy:
        titles = [d.title for d in documents.list_documents(copy)]
        assert "Written just before closing" in titles


def test_a_copy_past_its_deadline_is_given_up_and_leaves_nothing(ws, ws_path, monkeypatch):
    populate(ws)
    monkeypatch.setattr("db.connection.BACKUP_STEP_PAGES", 1)
    with pytest.raises(BackupStopped):
        backups.take_backup(ws, "close", deadline=time.monotonic() - 1)
    assert backups.list_backups(ws_path) == []
    assert not list(backups.folder_for(ws_path).glob("*.partial"))


def test_a_background_copy_is_given_up_when_closing_asks(ws, ws_path, monkeypatch):
    populate(ws)
    monkeypatch.setattr("db.connection.BACKUP_STEP_PAGES", 1)
    entered, release = threading.Event(), threading.Event()
    real = backups.needs_backup

    def held(w):
        entered.set()
        release.wait(10)
        return real(w)

    monkeypatch.setattr(backups, "needs_backup", held)
    job = backups.BackgroundBackup(ws)
    assert entered.wait(10)
    job._stop.set()  # what stop() does when the window closes mid-copy
    release.set()
    job._thread.join(10)
    assert job.taken is None and not job.running()
    assert backups.list_backups(ws_path) == []
    assert not list(backups.folder_for(ws_path).glob("*.partial"))
