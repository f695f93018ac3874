"""A workspace killed mid-checkpoint is intact: SQLite replays its log before anyone judges it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db import connection
from db.errors import DamagedWorkspace
from workbench import documents, sections
from workbench.maintenance import check
from workbench.workspace import Workspace


def _mid_checkpoint_copy(tmp_path: Path) -> tuple[Path, int]:
    """The state a SIGKILL during a checkpoint leaves: the header already counts pages that
    are still only in the -wal beside the file."""
    live = tmp_path / "live.cnew"
    with Workspace.create(live) as ws:
        doc = documents.create_document(ws, "strategy", "Maritime Strategy")
    writer = sqlite3.connect(str(live))
    writer.execute("PRAGMA wal_autocheckpoint=0")  # keep every new page in the log
    writer.execute("PRAGMA journal_mode=WAL")
    with Workspace.open(live) as ws:
        ws.db.conn.execute("PRAGMA wal_autocheckpoint=0")
        for n in range(40):
            sections.add_section(ws, doc, heading=f"Interdiction {n}", body="Text. " * 300)
        crashed = tmp_path / "crashed.cnew"
        shutil.copy(live, crashed)  # main file as it was before the checkpoint
        shutil.copy(live.with_name("live.cnew-wal"), crashed.with_name("crashed.cnew-wal"))
        count = ws.db.execute("SELECT count(*) FROM sections").fetchone()[0]
        # The checkpoint writes page 1 (the new page count) before the pages after it.
        ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.close()
    page_size = 4096
    with open(live, "rb") as fh:
        first_page = fh.read(page_size)
    with open(crashed, "r+b") as fh:
        fh.write(first_page)
    header_pages = int.from_bytes(first_page[28:32], "big")
    assert crashed.stat().st_size < header_pages * page_size  # the state the issue describes
    return crashed, count


def test_a_workspace_killed_during_a_checkpoint_opens_with_every_change(tmp_path):
    crashed, count = _mid_checkpoint_copy(tmp_path)
    with Workspace.open(crashed) as ws:
        assert ws.db.execute("SELECT count(*) FROM sections").fetchone()[0] == count
        assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_check_reports_the_recovered_workspace_sound(tmp_path):
    crashed, _ = _mid_checkpoint_copy(tmp_path)
    report = check.check_workspace(crashed)
    assert report.ok, report.problems


def test_a_truncated_file_beside_an_unrelated_log_is_still_damaged(tmp_path):
    crashed, _ = _mid_checkpoint_copy(tmp_path)
    wal = crashed.with_name(crashed.name + "-wal")
    wal.write_bytes(b"\0" * 4096)  # not a log SQLite can replay
    with pytest.raises(DamagedWorkspace, match="truncated"):
        connection.open_workspace_db(crashed)
