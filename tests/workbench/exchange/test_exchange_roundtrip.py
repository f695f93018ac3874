"""Packet out, review without a workspace, response back in: the core round trip."""

from __future__ import annotations

import json

import pytest
from exchange_helpers import MARKING, snapshot

from workbench.coordination import requests as rq
from workbench.coordination.comments import list_comments
from workbench.coordination.positions import latest_positions
from workbench.exchange.formats import ExchangeError
from workbench.exchange.packets import export_packet, read_packet
from workbench.exchange.responses import import_response, imports
from workbench.exchange.review import ReviewSession
from workbench.sections import edit_section


@pytest.fixture
def packet(ws, review, tmp_path):
    return export_packet(ws, review.request_id, tmp_path / "uscg.cnereview")


def _respond(packet, out, *, position="concur_with_comment", comments=1, clock=None):
    session = ReviewSession.open(packet)
    threat = session.packet.sections[0]
    for n in range(comments):
        session.add_comment(
            threat.section_id,
            "S",
            f"Incomplete: SPSS are not the only conveyance ({n}).",
            quoted_passage="carry most cocaine",
            rationale="Go-fast vessels carry a large share.",
            proposed_wording="carry much of the cocaine",
        )
    session.set_reviewer("Rear Admiral Jane Hale", "Assistant Commandant for Operations")
    session.set_position(position)
    return session, session.export_response(out)


def test_packet_holds_what_the_reviewer_needs(ws, review, packet):
    p = read_packet(packet)
    req = rq.request(ws, review.request_id)
    assert p.request_id == review.request_id
    assert p.workspace_id == ws.workspace_id
    assert p.marking == MARKING
    assert p.organization_code == "USCG"
    assert p.reviewer_name == "Rear Admiral Jane Hale"
    assert p.suspense_date == req.suspense_date
    assert p.instructions == "Review for accuracy."
    assert [s.number for s in p.sections] == ["1.1", "2"]
    assert [s.content_hash for s in p.sections] == [s.content_hash for s in req.sections]
    # No secret travels: the request's token is nowhere in the packet; CNE signed it instead.
    token = ws.db.execute("SELECT token FROM review_requests").fetchone()[0]
    assert token not in packet.read_text(encoding="utf-8")
    assert p.signer.startswith("CNE Workbench workspace") and not p.signature_problem


def test_round_trip_merges_comments_and_position(ws, review, packet, tmp_path):
    _, response = _respond(packet, tmp_path / "uscg.cneresponse", comments=2)
    result = import_response(ws, response)
    assert (result.added, result.already_imported, result.changed_since) == (2, False, ())
    comments = list_comments(ws, review.doc_id)
    assert [c.organization for c in comments] == ["USCG", "USCG"]
    assert comments[0].quoted_passage == "carry most cocaine"
    assert comments[0].proposed_wording == "carry much of the cocaine"
    assert comments[0].reviewer_title == "Assistant Commandant for Operations"
    assert comments[0].request_id == review.request_id
    pos = latest_positions(ws, review.doc_id)["USCG"]
    assert pos.position == "concur_with_comment"
    assert rq.request(ws, review.request_id).stored_status == "returned"


def test_reimport_changes_nothing(ws, review, packet, tmp_path):
    _, response = _respond(packet, tmp_path / "r.cneresponse")
    import_response(ws, response)
    before = snapshot(ws)
    again = import_response(ws, response)
    assert again.already_imported
    assert "already imported" in again.summary()
    assert snapshot(ws) == before


def test_newer_response_supersedes_and_keeps_history(ws, review, packet, tmp_path):
    session, first = _respond(packet, tmp_path / "1.cneresponse", comments=2)
    import_response(ws, first)
    kept, revised = session.comments
    session.update_comment(revised.client_id, comment="Revised: go-fast vessels too.")
    session.add_comment(session.packet.sections[1].section_id, "A", "Typo in the heading.")
    second = session.export_response(tmp_path / "2.cneresponse")
    result = import_response(ws, second)
    assert (result.added, result.kept, result.superseded) == (2, 1, 1)
    live = list_comments(ws, review.doc_id)
    assert sorted(c.comment for c in live) == sorted(
        [kept.comment, "Revised: go-fast vessels too.", "Typo in the heading."]
    )
    history = imports(ws, review.request_id)
    assert [i.superseded for i in history] == [True, False]
    old = ws.db.execute(
        "SELECT superseded_by_id FROM comments WHERE comment = ?", [revised.comment]
    ).fetchone()
    assert old[0] is not None
    before = snapshot(ws)
    assert import_response(ws, first).already_imported
    assert snapshot(ws) == before


def test_older_response_arriving_late_is_refused(ws, review, packet, tmp_path):
    session, first = _respond(packet, tmp_path / "1.cneresponse")
    session.set_position("non_concur")
    second = session.export_response(tmp_path / "2.cneresponse")
    import_response(ws, second)
    before = snapshot(ws)
    with pytest.raises(ExchangeError, match="newer response .* was already imported"):
        import_response(ws, first)
    assert snapshot(ws) == before
    assert latest_positions(ws, review.doc_id)["USCG"].position == "non_concur"


def test_comment_on_changed_text_is_imported_and_flagged(ws, review, packet, tmp_path):
    _, response = _respond(packet, tmp_path / "r.cneresponse")
    edit_section(ws, review.section_ids[1], body="Go-fast vessels and SPSS carry cocaine.")
    result = import_response(ws, response)
    assert result.changed_since == ("§1.1",)
    assert "changed after the request was sent" in result.summary()
    (c,) = list_comments(ws, review.doc_id)
    assert c.on_earlier_revision


def test_response_file_is_plain_signed_json(packet, tmp_path):
    _, response = _respond(packet, tmp_path / "r.cneresponse")
    data = json.loads(response.read_text(encoding="utf-8"))
    assert data["format"] == "cne-review-response"
    assert "mac" not in data and "signature" not in data  # this reviewer has no key
    assert len(data["body"]["packet_digest"]) == 64
    assert "token" not in json.dumps(data["body"])
