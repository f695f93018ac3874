"""Two instances, read-only files and a full disk: a clear message each time, nothing lost."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from helpers import digest, hold, populate

from db import connection
from db.connection import DiskFull, ReadOnlyWorkspace, WorkspaceInUse
from workbench import audit, documents, sections
from workbench.cli import main as cli
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace


@pytest.fixture
def closed(ws, ws_path):
    ids = populate(ws)
    ws.close()
    return ws_path, ids


def test_a_second_instance_is_told_and_nothing_is_damaged(closed, capsys):
    path, ids = closed
    holder = hold(path)
    try:
        with pytest.raises(WorkspaceInUse) as info:
            Workspace.open(path)
        assert f"process {holder.pid}" in str(info.value)
        assert "already open in another CNE Workbench window" in str(info.value)
        # Reading still works: a read-only window, a check, a backup.
        with Workspace.open(path, read_only=True) as ro:
            assert sections.section(ro, ids["s1"]).heading == "Interdiction"
            with pytest.raises(ReadOnlyWorkspace, match="open read-only"):
                sections.edit_section(ro, ids["s1"], body="x")
        assert cli(["check", str(path)]) == 0
        # A writing command works beside the window: SQLite's transactions keep both apart.
        assert cli(["route", str(path), "-d", "Maritime"]) == 0, capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert check_workspace(path).ok


def test_a_killed_instance_leaves_no_stale_lock(closed):
    path, _ = closed
    holder = hold(path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with Workspace.open(path) as ws:  # the OS dropped the dead process's lock
        documents.create_document(ws, "sop", "After the crash")
    assert check_workspace(path).ok


def test_the_same_process_may_reopen_and_the_lock_goes_with_the_last_close(closed):
    path, _ = closed
    lock = connection.lock_file(path)
    a = Workspace.open(path)
    b = Workspace.open(path)  # e.g. the window re-opening its own file
    assert lock.exists()
    a.close()
    assert connection.held_by_this_process(path)
    b.close()
    assert not lock.exists() and not connection.held_by_this_process(path)


def _deny_writes(monkeypatch, target: Path) -> None:
    """Simulate a 0444 file for a normal user (root may write anything, so chmod cannot)."""
    real = os.access

    def access(p, mode, *args, **kwargs):
        if Path(p).resolve() == target.resolve() and mode & os.W_OK:
            return False
        return real(p, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_workspace_opens_read_only_with_a_clear_reason(closed, monkeypatch, what):
    path, ids = closed
    _deny_writes(monkeypatch, path if what == "file" else path.parent)
    before = digest(path)
    with Workspace.open(path) as ws:
        assert ws.read_only
        expected = "is read-only" if what == "file" else "folder"
        assert expected in ws.read_only_reason
        assert sections.section(ws, ids["s2"]).body == "Maritime patrol aircraft."
        with pytest.raises(ReadOnlyWorkspace, match="the change was not saved"):
            sections.edit_section(ws, ids["s2"], body="Lost?")
        worker = ws.for_thread()  # the UI's writer thread is read-only too
        with pytest.raises(ReadOnlyWorkspace):
            documents.create_document(worker, "sop", "New")
        worker.close()
    assert digest(path) == before
    assert not connection.lock_file(path).exists()
    with pytest.raises(ReadOnlyWorkspace, match="cannot be changed"):
        Workspace.open(path, read_only=False)


def test_the_database_refusing_a_write_is_a_clear_message(closed):
    path, ids = closed
    # Bypass the up-front check to exercise SQLite's own refusal on a read-only connection.
    with Workspace.open(path, read_only=True) as ws:
        ws.read_only_reason = None
        with pytest.raises(ReadOnlyWorkspace, match="read-only"):
            sections.edit_section(ws, ids["s1"], body="x")


def _fill_disk(ws: Workspace) -> None:
    pages = ws.db.execute("PRAGMA page_count").fetchone()[0]
    ws.db.execute(f"PRAGMA max_page_count = {pages + 2}")


def test_a_full_disk_is_a_clear_message_and_nothing_is_lost(ws):
    ids = populate(ws)
    head = audit.entries(ws, limit=1)[0]
    _fill_disk(ws)
    big = "Surveillance of the transit zone. " * 20_000
    with pytest.raises(DiskFull) as info:
        sections.edit_section(ws, ids["s1"], body=big)
    assert "disk holding test.cnew is full" in str(info.value)
    assert "nothing already saved was lost" in str(info.value)
    assert sections.section(ws, ids["s1"]).body == "Stop SPSS vessels at sea."
    assert audit.entries(ws, limit=1)[0] == head
    assert audit.verify_chain(ws) == []
    ws.db.execute("PRAGMA max_page_count = 1073741823")  # space freed: the retry succeeds
    sections.edit_section(ws, ids["s1"], body=big)
    assert sections.section(ws, ids["s1"]).body == big
    ws.close()
    assert check_workspace(ws.path).ok


def test_a_full_disk_during_a_nested_coordination_action_rolls_it_all_back(ws):
    from workbench.coordination import positions

    ids = populate(ws)
    _fill_disk(ws)
    with pytest.raises(DiskFull):
        positions.record_position(
            ws,
            ids["doc"],
            "USCG",
            "non_concur",
            by_name="Assistant Commandant for Operations " * 3000,
            request_id=ids["request"],
        )
    assert positions.latest_positions(ws, ids["doc"]) == {}
    assert audit.verify_chain(ws) == []


def test_a_full_disk_while_backing_up_leaves_no_half_backup(ws, monkeypatch):
    from workbench.maintenance import backups

    populate(ws)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull, match="no space left for the backup"):
        backups.take_backup(ws, "manual")
    monkeypatch.undo()
    # The interrupted copy stays a .partial for rotation to sweep; it is never a backup.
    assert backups.list_backups(ws.path) == []
