"""`workbench copy`: a whole workspace file ↔ PostgreSQL, every row, audit entry and signature."""

from __future__ import annotations

import pytest

from db import transfer
from workbench import audit, demo, documents, search, sections
from workbench.authority import decisions
from workbench.cli import main as cli
from workbench.errors import WorkbenchError
from workbench.maintenance import copying
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return demo.write_demo(tmp_path_factory.mktemp("copy") / "demo.cnew")


def _decision_labels(ws) -> list[tuple]:
    return [
        (d.kind, d.counts, d.signature_label)
        for doc in documents.list_documents(ws)
        for d in decisions.decisions(ws, doc.id)
    ]


def test_file_to_postgresql_and_back_keeps_everything_and_checks_the_same(
    demo_file, pg_url, tmp_path
):
    there = copying.copy_workspace(demo_file, pg_url)
    back = tmp_path / "back.cnew"
    again = copying.copy_workspace(pg_url, back)
    assert there.rows == again.rows > 100
    reports = [check_workspace(p) for p in (demo_file, pg_url, back)]
    assert all(r.ok for r in reports), [r.findings for r in reports]
    assert reports[0].head == reports[1].head == reports[2].head == there.head
    with (
        Workspace.open(demo_file, read_only=True) as a,
        Workspace.open(pg_url) as b,
        Workspace.open(back, read_only=True) as c,
    ):
        assert transfer.differences(a.db, b.db) == []
        assert transfer.differences(a.db, c.db) == []
        assert a.workspace_id == b.workspace_id == c.workspace_id
        labels = _decision_labels(a)
        assert labels and _decision_labels(b) == labels == _decision_labels(c)
        assert audit.verify_chain(b) == []
        # The copy is a working workspace: new rows get new ids after the copied ones.
        doc = documents.list_documents(b)[0].id
        before = audit.head(b).entries
        sid = sections.add_section(b, doc, heading="Added on the server", body="New.")
        assert sid > max(s.id for s in sections.outline(a, doc))
        assert audit.head(b).entries == before + 1 and audit.verify_chain(b) == []


def test_a_copy_to_postgresql_is_ready_to_search_at_once(demo_file, pg_url):
    # Planner statistics and search indexes brought up to date before anyone opens it: a
    # fresh copy otherwise searched ~4x slower (every GIN index read its pending list).
    copying.copy_workspace(demo_file, pg_url)
    with Workspace.open(pg_url, read_only=True) as ws:
        rows = ws.db.query(
            "SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL AS settled "
            "FROM pg_stat_user_tables WHERE relname IN ('sections', 'sections_fts', 'documents')"
        )
        assert {r["relname"]: r["settled"] for r in rows} == dict.fromkeys(
            ("sections", "sections_fts", "documents"), True
        )
        assert search.search(ws, "strategy").hits


def test_a_copy_never_lands_on_something_that_exists(demo_file, pg_url, tmp_path):
    existing = tmp_path / "there.cnew"
    existing.write_bytes(b"keep me")
    with pytest.raises(WorkbenchError, match="already exists"):
        copying.copy_workspace(demo_file, existing)
    assert existing.read_bytes() == b"keep me"
    copying.copy_workspace(demo_file, pg_url)
    with pytest.raises(FileExistsError, match="already holds a workspace"):
        copying.copy_workspace(demo_file, pg_url)
    with pytest.raises(WorkbenchError, match="same workspace"):
        copying.copy_workspace(demo_file, demo_file)


def test_a_refused_row_leaves_no_half_copied_database(demo_file, pg_url, monkeypatch):
    real = transfer._write

    def failing(dest, insert, batch, table):
        if table == "sections":
            raise transfer.TransferError("A row of sections cannot be stored (test).")
        return real(dest, insert, batch, table)

    monkeypatch.setattr(transfer, "_write", failing)
    with pytest.raises(WorkbenchError, match="cannot be stored"):
        copying.copy_workspace(demo_file, pg_url)
    monkeypatch.undo()
    copying.copy_workspace(demo_file, pg_url)  # nothing was left behind to refuse it
    assert check_workspace(pg_url).ok


def test_the_command_line_copies_and_both_checks_report_one_head(demo_file, pg_url, capsys):
    assert cli(["copy", str(demo_file), pg_url]) == 0
    assert "both hold" in capsys.readouterr().out
    heads = []
    for where in (str(demo_file), pg_url):
        assert cli(["check", where]) == 0
        out = capsys.readouterr().out
        heads.append(next(line for line in out.splitlines() if line.startswith("audit head")))
    assert heads[0] == heads[1]
    assert cli(["info", pg_url]) == 0
    assert "Draft Counternarcotics Doctrine" in capsys.readouterr().out
    assert cli(["copy", str(demo_file), pg_url]) == 1
    assert "already holds a workspace" in capsys.readouterr().err
