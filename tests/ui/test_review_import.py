"""Importing a response from the main window: on the writer thread, outcome shown in words."""

from __future__ import annotations

import json

import pytest

from ui import messages
from ui.operations import Operations
from ui.review.importing import import_response_file
from workbench import documents, sections
from workbench.coordination import requests as rq
from workbench.coordination.comments import list_comments
from workbench.exchange.packets import export_packet
from workbench.exchange.review import ReviewSession


@pytest.fixture
def said(monkeypatch):
    out = []
    monkeypatch.setattr(messages, "info", lambda _p, title, text: out.append((title, text)))
    monkeypatch.setattr(messages, "error", lambda _p, title, text: out.append((title, text)))
    return out


@pytest.fixture
def ops(ws):
    o = Operations(ws)
    yield o
    o.shutdown()


def test_import_then_refusal(ws, ops, qtbot, said, tmp_path):
    doc = documents.create_document(ws, "sop", "SLT Outreach SOP")
    sid = sections.add_section(ws, doc, heading="Scope", body="Applies to all SLT partners.")
    rid = rq.create_request(ws, doc, "CBP", section_ids=[sid], send=True)
    session = ReviewSession.open(export_packet(ws, rid, tmp_path / "p.cnereview"))
    session.add_comment(sid, "A", "Define SLT.", quoted_passage="SLT partners")
    session.set_reviewer("Deputy Commissioner Lee")
    session.set_position("concur_with_comment")
    response = session.export_response(tmp_path / "p.cneresponse")
    results = []
    assert import_response_file(None, ops, response, on_done=results.append)
    assert ops.flush()
    assert said[-1][0] == "Response imported" and "1 new comment(s)" in said[-1][1]
    assert "Unauthenticated reviewer" in said[-1][1]  # no key: their word, not proof
    assert results[0].added == 1
    assert [c.comment for c in list_comments(ws, doc)] == ["Define SLT."]

    forged = json.loads(response.read_text(encoding="utf-8"))
    forged["body"]["sequence"] += 1
    forged["body"]["comments"][0]["quoted_passage"] = "all DHS partners"
    response.write_text(json.dumps(forged), encoding="utf-8")
    import_response_file(None, ops, response)
    assert ops.flush()
    assert said[-1][0] == "Response not imported"
    assert "quotes a passage that is not in the text sent" in said[-1][1]
    assert [c.comment for c in list_comments(ws, doc)] == ["Define SLT."]
