"""The check after opening: in place (no copy), only what changed since the last full check,
and no temporary file outlives the process, even one quit in the middle of a full check."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest
from helpers import ROOT, digest, populate, raw

from workbench import sections
from workbench.maintenance import check, opening_check


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _alter(path, where: str) -> None:
    conn = raw(path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute(f"UPDATE audit_log SET actor = 'someone.else' WHERE {where}")
    conn.commit()
    conn.close()


def test_a_sound_workspace_passes_without_a_copy_or_a_write(ws, ws_path, private_tmp):
    populate(ws)
    ws.close()
    before = digest(ws_path)
    report = opening_check.check_since_last_full(ws_path)
    assert report.ok and report.quick, report.findings
    assert report.ran == ("file", "audit chain")
    assert list(private_tmp.iterdir()) == []
    assert digest(ws_path) == before


def test_without_a_full_check_on_record_the_newest_entries_are_verified(ws, ws_path):
    populate(ws)
    ws.close()
    _alter(ws_path, "action = 'comment.add'")
    found = opening_check.check_since_last_full(ws_path).problems("audit chain")
    assert found and "was altered" in found[0]


def test_after_a_full_check_only_later_entries_are_read(ws, ws_path):
    ids = populate(ws)
    opening_check.note_full_check(ws, opening_check.newest_audit_id(ws))
    sections.edit_section(ws, ids["s1"], body="Stop SPSS vessels before they reach the coast.")
    ws.close()
    assert opening_check.check_since_last_full(ws_path).ok

    # Damage older than the full check is left to the next full check (on demand, and CLI).
    _alter(ws_path, "id = 1")
    assert opening_check.check_since_last_full(ws_path).ok
    assert check.check_workspace(ws_path).problems("audit chain")

    _alter(ws_path, "action = 'section.edit'")
    found = opening_check.check_since_last_full(ws_path).problems("audit chain")
    assert any("section.edit" in m for m in found)


def test_removing_the_newest_entries_is_found(ws, ws_path):
    populate(ws)
    opening_check.note_full_check(ws, 1)
    ws.close()
    conn = raw(ws_path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    conn.commit()
    conn.close()
    found = opening_check.check_since_last_full(ws_path).problems("audit chain")
    assert found == ["The newest audit entries were removed (the log ends early)."]


def test_a_file_that_is_not_a_workspace_is_named(tmp_path):
    bad = tmp_path / "notes.cnew"
    bad.write_bytes(b"not a database at all" * 10)
    report = opening_check.check_since_last_full(bad)
    assert not report.ok and "not a CNE Workbench workspace" in report.problems("file")[0]


QUIT_MID_CHECK = """
import os, sys, threading, time
sys.path.insert(0, {root!r})
from workbench.maintenance import check
check.IN_MEMORY_LIMIT = 0  # check from a temporary file, as for a large workspace
slow = check._integrity
def stalled(conn, quick):
    # Straight to the pipe: print() would hold stdout's lock while the parent already answers,
    # and a daemon thread holding it at shutdown aborts the interpreter (a test artefact).
    os.write(1, b"checking\\n")
    time.sleep(30)
    return slow(conn, quick)
check._integrity = stalled
threading.Thread(target=check.check_workspace, args=({path!r},), daemon=True).start()
sys.stdin.readline()  # the user quits (Ctrl+Q) while the check runs
sys.exit(0)
"""


def test_quitting_during_a_full_check_leaves_no_copy_behind(ws, ws_path, tmp_path):
    populate(ws)
    ws.close()
    folder = tmp_path / "tmp"
    folder.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", QUIT_MID_CHECK.format(root=str(ROOT), path=str(ws_path))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(folder)},
    )
    assert child.stdout.readline().strip() == "checking"
    assert [p.suffix for p in folder.iterdir()] == [".cnew-check"]  # the copy exists…
    child.communicate("\n", timeout=30)
    assert child.returncode == 0
    assert list(folder.iterdir()) == []  # …and is gone once the process has quit
