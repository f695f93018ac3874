"""m014: the comments table is rebuilt so a comment may be about the whole document; nothing
the CRM held before is lost or loosened on the way."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from db import connection, migrations, schema
from workbench.coordination import comments as cm
from workbench.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workbench" / "exchange"))
from word_fixture import build  # noqa: E402


def _rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(str(path))
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
            for t in ("comments", "comment_replies", "exchange_import_comments")
        }
    finally:
        conn.close()


@pytest.fixture
def before_m014(tmp_path, monkeypatch, clock, reviewer_clock) -> Path:
    """A workspace at m011 with a returned Word file imported (comments, replies, import
    records) and a comment adjudicated."""
    from workbench.coordination import requests as rq
    from workbench.exchange.packets import export_packet
    from workbench.exchange.responses import import_response
    from workbench.exchange.review import ReviewSession

    path = tmp_path / "old.cnew"
    every = list(migrations.MIGRATIONS._migrations)
    at = [m.name for m in every].index("m014_document_comments")
    monkeypatch.setattr(migrations.MIGRATIONS, "_migrations", every[:at])
    with Workspace.create(path) as ws:
        ws.clock = clock
        sent = build(ws)
        for n in range(10):
            cm.add_comment(
                ws,
                sent.doc,
                organization_code="USCG",
                type="SA"[n % 2],
                section_id=(sent.purpose, sent.maritime)[n % 2],
                comment_text=f"Comment {n}.",
            )
        cm.add_reply(ws, cm.list_comments(ws, sent.doc)[1].id, "Agreed; cite the statute.")
        rid = rq.create_request(ws, sent.doc, "CBP", section_ids=[sent.ports], send=True)
        session = ReviewSession.open(export_packet(ws, rid, tmp_path / "cbp.cnereview"))
        session.add_comment(sent.ports, "S", "Name the lanes.")
        session.set_reviewer("Dana Cruz", "CBP")
        session.set_position("concur_with_comment")
        import_response(ws, session.export_response(tmp_path / "cbp.cneresponse"))
        first = cm.list_comments(ws, sent.doc)[0]
        cm.adjudicate_comment(ws, first.id, "rejected", "Out of scope.")
    monkeypatch.setattr(migrations.MIGRATIONS, "_migrations", every)
    return path


def test_the_upgrade_keeps_every_comment_reply_and_import_record(before_m014):
    old = _rows(before_m014)
    assert len(old["comments"]) >= 10 and old["comment_replies"] and old["exchange_import_comments"]
    with Workspace.open(before_m014) as ws:
        assert ws.schema_version == len(migrations.names())
        assert ws.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert schema.schema_faults(ws.db.conn) == []  # exactly the schema of a fresh file
        assert ws.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _rows(before_m014) == old


def test_after_the_upgrade_a_comment_needs_no_section_but_the_rest_still_holds(before_m014):
    with Workspace.open(before_m014) as ws:
        doc = ws.db.execute("SELECT id FROM documents").fetchone()[0]
        org = ws.db.execute("SELECT id FROM organizations WHERE code = 'USCG'").fetchone()[0]
        insert = (
            "INSERT INTO comments (document_id, item_no, organization_id, response_date, type, "
            "section_id, comment, critical_ground, created_at, created_by) "
            "VALUES (?, ?, ?, '2026-11-05', ?, ?, ?, ?, 'now', 'test')"
        )
        ws.db.execute(insert, [doc, 900, org, "S", None, "About the whole strategy.", None])
        for bad in (
            [doc, 901, org, "C", None, "No ground.", None],  # a Critical comment cites a ground
            [doc, 902, org, "S", 999_999, "Unknown section.", None],  # sections still checked
            [doc, 903, org, "S", None, "   ", None],  # a comment has words
        ):
            with pytest.raises(sqlite3.IntegrityError):
                ws.db.execute(insert, bad)
        # The search triggers came back: the new comment is found.
        from workbench.search import search

        found = search(ws, "whole strategy")
        assert [(h.kind, h.section_id) for h in found.hits] == [("comment", None)]
        # Deleting a comment still takes its replies with it.
        with_reply = ws.db.execute("SELECT comment_id FROM comment_replies LIMIT 1").fetchone()[0]
        ws.db.execute("DELETE FROM exchange_import_comments WHERE comment_id = ?", [with_reply])
        ws.db.execute("UPDATE nonconcurrence_events SET last_critical_comment_id = NULL")
        ws.db.execute("DELETE FROM comments WHERE id = ?", [with_reply])
        left = "SELECT count(*) FROM comment_replies WHERE comment_id = ?"
        assert ws.db.execute(left, [with_reply]).fetchone()[0] == 0


def test_the_rebuild_refuses_to_run_with_foreign_keys_on(tmp_path):
    db = connection.connect(tmp_path / "x.cnew")
    connection.migrate(db, stop_before="m014_document_comments")
    db.execute("PRAGMA foreign_keys=ON")
    with pytest.raises(RuntimeError, match="foreign keys off"):
        migrations.m014_document_comments(db)
