"""Replay's quick pass never lets through what reading every entry would find, in the same words.

Each tampering below is replayed twice: by `replay_quick.replay_faults` (SQLite pulls each
row's entries and fields; only rows that disagree are explained from the whole log) and by
`replay.replay_faults`, which explains every row from the whole log (as a shared workspace's
check does). The findings must be the same, and not empty.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.workbench.exchange.exchange_helpers import make_review
from workbench.coordination import requests as rq
from workbench.coordination.comments import add_comment, adjudicate_comment, reopen_comment
from workbench.coordination.positions import record_position
from workbench.exchange.packets import export_packet
from workbench.exchange.responses import import_response
from workbench.exchange.review import ReviewSession
from workbench.maintenance import replay, replay_quick

# The quick pass is SQLite's SQL (a shared workspace's check explains every row, replay.py),
# and each tampering is a raw SQLite tool editing the file.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def coordinated(ws, tmp_path):
    """Comments added by hand and by an imported response, ruled on, reopened; positions."""
    review = make_review(ws)
    session = ReviewSession.open(export_packet(ws, review.request_id, tmp_path / "p.cnereview"))
    for n, kind in enumerate("SAS"):
        session.add_comment(review.section_ids[1], kind, f"Imported comment {n}.")
    session.set_reviewer("Rear Admiral Jane Hale")
    session.set_position("concur_with_comment")
    import_response(ws, session.export_response(tmp_path / "r.cneresponse"))
    typed = []
    for n, kind in enumerate("CSA"):
        typed.append(
            add_comment(
                ws,
                review.doc_id,
                organization_code="CBP",
                type=kind,
                critical_ground="safety" if kind == "C" else None,
                section_id=review.section_ids[2],
                comment_text=f'Typed comment {n} with "quotes" and \u2028 a separator.',
            )
        )
    adjudicate_comment(ws, typed[1], "accepted")
    adjudicate_comment(ws, typed[2], "rejected", "No.")
    reopen_comment(ws, typed[2])
    rid = rq.create_request(ws, review.doc_id, "CBP", send=True)
    record_position(ws, review.doc_id, "CBP", "non_concur", by_name="Pat Moreno", request_id=rid)
    path = ws.path
    ws.close()
    return path


def _entry(action: str, nth: int = 0) -> str:
    return f"(SELECT id FROM audit_log WHERE action = '{action}' ORDER BY id LIMIT 1 OFFSET {nth})"


TAMPERINGS = {
    "typed comment demoted": ["UPDATE comments SET type = 'A', critical_ground = NULL"],
    "imported comment reworded": [
        "UPDATE comments SET comment = 'Fine.' WHERE comment = 'Imported comment 1.'"
    ],
    "imported comment promoted": [
        "UPDATE comments SET type = 'C', critical_ground = 'safety' "
        "WHERE comment = 'Imported comment 0.'"
    ],
    "disposition without an entry": ["UPDATE comments SET disposition = 'accepted'"],
    "reopened comment closed again": [
        "UPDATE comments SET disposition = 'rejected', disposition_rationale = 'No.' "
        "WHERE disposition IS NULL"
    ],
    "comment added by hand": [
        "INSERT INTO comments (document_id, item_no, organization_id, response_date, type, "
        "section_id, comment, created_at, created_by) SELECT document_id, 99, "
        "organization_id, response_date, 'S', section_id, 'Forged.', created_at, created_by "
        "FROM comments LIMIT 1"
    ],
    "comment deleted": ["DELETE FROM comments WHERE id = (SELECT max(id) FROM comments)"],
    "entry made a list": [
        f"UPDATE audit_log SET details = '[1]' WHERE id = {_entry('comment.add')}"
    ],
    "entry made malformed": [
        f"UPDATE audit_log SET details = '{{oops' WHERE id = {_entry('comment.add', 1)}"
    ],
    "ruling made malformed": [
        f"UPDATE audit_log SET details = 'x' WHERE id = {_entry('comment.adjudicate')}"
    ],
    "ruling entry deleted": [f"DELETE FROM audit_log WHERE id = {_entry('comment.reopen')}"],
    "a blob for a comment's text": ["UPDATE comments SET comment = x'00ff' WHERE id = 1"],
    "a blob for an entry's details": [
        f"UPDATE audit_log SET details = x'7b7d' WHERE id = {_entry('comment.add')}"
    ],
    "position reversed": ["UPDATE positions SET position = 'concur'"],
    "position signed by another": ["UPDATE positions SET by_name = 'Someone Else'"],
    "position entry deleted": [f"DELETE FROM audit_log WHERE id = {_entry('position.record')}"],
    "position deleted": ["DELETE FROM positions WHERE id = (SELECT max(id) FROM positions)"],
}


# Entries emptied or made unreadable: the chain names them (the rows still agree with the rest).
CHAIN_ONLY = {"a blob for an entry's details"}


def test_an_untouched_log_replays_cleanly_both_ways(coordinated):
    conn = sqlite3.connect(str(coordinated))
    assert replay_quick.replay_faults(conn) == [] == replay.replay_faults(conn)
    assert conn.execute("SELECT count(*) FROM comments").fetchone()[0] == 6


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_the_quick_pass_finds_what_reading_every_entry_finds(coordinated, name):
    conn = sqlite3.connect(str(coordinated))
    conn.execute("PRAGMA foreign_keys = OFF")
    for trigger in ("audit_log_no_update", "audit_log_no_delete"):
        conn.execute(f"DROP TRIGGER {trigger}")
    for sql in TAMPERINGS[name]:
        conn.execute(sql)
    conn.commit()
    conn.execute("PRAGMA trusted_schema = OFF")
    found = replay_quick.replay_faults(conn)
    assert found == replay.replay_faults(conn)
    if name not in CHAIN_ONLY:
        assert found, "the tampering went unnoticed"
