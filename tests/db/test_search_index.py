"""The search index under trusted_schema=OFF: queued by the schema, applied by the store."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db import connection
from workbench import directory, documents, search, sections
from workbench.authority.identity import acting_as
from workbench.coordination import requests as rq
from workbench.coordination.positions import record_position
from workbench.coordination.publication import publish
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace

# About the SQLite file itself (its header, locks, WAL, the FTS5 queue).
pytestmark = pytest.mark.sqlite_only

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _found(ws, text: str, kind: str = "section") -> list[int]:
    return [h.id for h in search.search(ws, text, kinds=[kind]).hits]


def _queued(ws) -> int:
    return ws.db.execute("SELECT count(*) FROM search_queue").fetchone()[0]


@pytest.mark.parametrize("how", ["create", "open", "read-only", "for_thread", "connect"])
def test_every_connection_runs_with_trusted_schema_off(ws_path, how):
    Workspace.create(ws_path).close()
    if how == "create":
        ws_path.unlink()
        db = connection.create_workspace_db(ws_path)
    elif how == "open":
        db, _ = connection.open_workspace_db(ws_path)
    elif how == "read-only":
        db, _ = connection.open_workspace_db(ws_path, read_only=True)
    elif how == "for_thread":
        with Workspace.open(ws_path) as ws:
            other = ws.for_thread()
            assert other.db.execute("PRAGMA trusted_schema").fetchone()[0] == 0
            other.close()
        return
    else:
        db = connection.connect(ws_path)
    try:
        assert db.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    finally:
        db.close()


def test_a_trigger_slipped_into_the_open_file_cannot_write_a_virtual_table(ws):
    # What trusted_schema=OFF buys: a trigger added behind the open check (a race, or the
    # file changed while open) runs nothing but innocuous SQL.
    doc = documents.create_document(ws, "strategy", "Northern Border Strategy")
    ws.db.conn.execute(
        "CREATE TRIGGER poison AFTER INSERT ON sections BEGIN "
        "INSERT INTO sections_fts (sections_fts) VALUES ('delete-all'); END"
    )
    with pytest.raises(sqlite3.OperationalError, match="unsafe use of virtual table"):
        sections.add_section(ws, doc, heading="Scope", body="Ports of entry.")


def test_edits_deletions_and_undo_keep_the_index_current_and_the_queue_empty(ws):
    doc = documents.create_document(ws, "strategy", "Northern Border Strategy")
    s = sections.add_section(ws, doc, heading="Scope", body="Fentanyl at ports of entry.")
    assert _found(ws, "fentanyl") == [s] and _queued(ws) == 0
    sections.edit_section(ws, s, body="Methamphetamine at ports of entry.")
    assert _found(ws, "fentanyl") == [] and _found(ws, "methamphetamine") == [s]
    sections.delete_section(ws, s)
    assert _found(ws, "methamphetamine") == []
    assert _queued(ws) == 0
    ws.close()
    assert check_workspace(ws.path).problems("search index") == []


def test_a_write_outside_a_transaction_is_indexed_as_it_commits(ws):
    doc = documents.create_document(ws, "strategy", "Northern Border Strategy")
    s = sections.add_section(ws, doc, heading="Scope", body="Ports of entry.")
    ws.db.execute("UPDATE sections SET body = 'Cocaine by sea.' WHERE id = ?", [s])
    assert _found(ws, "cocaine") == [s] and _queued(ws) == 0


def test_a_queue_another_program_left_is_applied_by_the_next_commit(ws):
    doc = documents.create_document(ws, "strategy", "Northern Border Strategy")
    s = sections.add_section(ws, doc, heading="Scope", body="Ports of entry.")
    path = ws.path
    ws.close()
    other = sqlite3.connect(str(path))  # no store: the schema's triggers queue, nothing applies
    other.execute("UPDATE sections SET body = 'Precursor chemicals.' WHERE id = ?", [s])
    other.commit()
    other.close()
    assert check_workspace(path).problems("search index") == []  # the queue counts as index
    with Workspace.open(path) as again:
        assert _queued(again) == 2  # the old text out, the new in
        documents.create_document(again, "sop", "Outreach SOP")
        assert _queued(again) == 0 and _found(again, "precursor") == [s]


def test_publishing_indexes_the_published_text(ws, clock):
    directory.add_person(ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"])
    doc = documents.create_document(ws, "sop", "Outreach SOP")
    sections.add_section(
        ws, doc, heading="Casinos", body="Bulk cash through casinos.", equities=["CBP"]
    )
    rid = rq.create_request(ws, doc, "CBP", send=True)
    record_position(ws, doc, "CBP", "concur", by_name="Pat Moreno", request_id=rid)
    clock.advance(days=1)
    with acting_as(ws, "Dana Reyes"):
        publish(ws, doc)
    assert [h.kind for h in search.search(ws, "casinos", kinds=["published"]).hits] == ["published"]
    assert _queued(ws) == 0


def test_a_migrated_v1_workspace_is_searchable_and_has_no_fts_triggers(tmp_path):
    path = tmp_path / "old.cnew"
    shutil.copy(FIXTURES / "workspace_v1.cnew", path)
    with Workspace.open(path) as ws:
        assert _found(ws, "scope")
        names = [r[0] for r in ws.db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
        assert not [n for n in names if "_fts_" in n], names
        (doc,) = documents.list_documents(ws)
        s = sections.add_section(ws, doc.id, heading="Added", body="Synthetic opioids.")
        assert _found(ws, "opioids") == [s]
    assert check_workspace(path).ok
