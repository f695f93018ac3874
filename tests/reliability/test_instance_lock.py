"""The single-window claim is on the file itself; the command line writes beside the window."""

from __future__ import annotations

import os

import pytest
from helpers import hold, populate

from db import connection
from db.connection import WorkspaceInUse
from workbench import documents
from workbench.cli import main as cli
from workbench.coordination import requests
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace


@pytest.fixture
def closed(ws, ws_path):
    ids = populate(ws)
    ws.close()
    return ws_path, ids


@pytest.mark.parametrize("how", ["symlink", "hard link"])
def test_another_name_for_an_open_file_cannot_open_a_second_writable_window(closed, how):
    path, ids = closed
    other = path.parent / "elsewhere"
    other.mkdir()
    alias = other / "alias.cnew"
    (os.symlink if how == "symlink" else os.link)(path, alias)
    holder = hold(path)
    try:
        with pytest.raises(WorkspaceInUse, match="already open in another CNE Workbench window"):
            Workspace.open(alias)
        with Workspace.open(alias, read_only=True) as ro:  # reading is still allowed
            assert documents.document(ro, ids["doc"]).title == "Maritime Transit Zone Strategy"
    finally:
        holder.kill()
        holder.wait()
    with Workspace.open(alias) as ws:  # once the window has gone, the alias opens for writing
        assert not ws.read_only


def test_within_one_process_every_name_shares_one_claim(closed):
    path, _ = closed
    alias = path.parent / "alias.cnew"
    os.link(path, alias)
    a = Workspace.open(path)
    b = Workspace.open(alias)
    assert connection.held_by_this_process(alias)
    a.close()
    assert connection.held_by_this_process(path)
    b.close()
    assert not connection.held_by_this_process(path)


def test_command_line_writes_while_a_window_holds_the_file(closed, capsys):
    path, ids = closed
    holder = hold(path)
    try:
        out = path.parent / "uscg.cnereview"
        assert cli(["packet", str(path), "--request", str(ids["request"]), "-o", str(out)]) == 0
        assert out.exists()
        assert (
            cli(
                [
                    "extend",
                    str(path),
                    "--request",
                    str(ids["request"]),
                    "--to",
                    "2031-01-15",
                    "--reason",
                    "USCG asked for time over the holidays",
                ]
            )
            == 0
        ), capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    with Workspace.open(path, read_only=True) as ro:
        assert requests.request(ro, ids["request"]).suspense_date == "2031-01-15"
    assert check_workspace(path).ok


def _descriptors_on(path) -> int:
    st = os.stat(path)
    n = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            other = os.stat(f"/proc/self/fd/{name}")
        except OSError:
            continue
        n += (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino)
    return n


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_a_closed_workspace_leaves_no_descriptor_open(closed, tmp_path):
    # One descriptor kept per workspace ever opened ran a session that opens many workspaces
    # (the test suite, as a user on Debian with 1,024 descriptors) out of them.
    path, _ = closed
    before = len(os.listdir("/proc/self/fd"))
    for i in range(40):
        copy = tmp_path / f"copy{i}.cnew"
        copy.write_bytes(path.read_bytes())
        with Workspace.open(copy) as ws:
            documents.create_document(ws, "strategy", f"Draft {i}")
        assert _descriptors_on(copy) == 0
    assert len(os.listdir("/proc/self/fd")) <= before


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_the_claims_descriptor_outlives_a_reader_still_open_on_the_file(closed):
    # Closing any descriptor on the file would drop the reader's SQLite locks with it.
    path, _ = closed
    ws = Workspace.open(path)
    reader = connection.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM documents").fetchone()
    ws.close()
    assert _descriptors_on(path) >= 2  # the reader's and the claim's
    reader.execute("COMMIT")
    reader.close()
    with Workspace.open(path):
        pass
    assert _descriptors_on(path) == 0
