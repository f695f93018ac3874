"""File > Import Review Response… with a response file: a preview first, then the import."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

from ui.review import importing
from workbench import documents, sections
from workbench.coordination import requests as rq
from workbench.coordination.comments import list_comments
from workbench.exchange.packets import export_packet
from workbench.exchange.review import ReviewSession


@pytest.fixture
def response(ws, tmp_path):
    doc = documents.create_document(ws, "sop", "SLT Outreach SOP")
    sid = sections.add_section(ws, doc, heading="Scope", body="Applies to all SLT partners.")
    rid = rq.create_request(ws, doc, "CBP", section_ids=[sid], send=True)
    session = ReviewSession.open(export_packet(ws, rid, tmp_path / "p.cnereview"))
    session.add_comment(sid, "A", "Define SLT.", quoted_passage="SLT partners")
    session.set_reviewer("Deputy Commissioner Lee")
    session.set_position("concur_with_comment")
    return doc, session.export_response(tmp_path / "p.cneresponse")


@pytest.mark.parametrize("answer", [True, False], ids=["import", "cancel"])
def test_the_preview_lists_the_comments_per_section_before_importing(
    response, window, monkeypatch, dialogs, ws, answer
):
    doc, path = response
    monkeypatch.setattr(importing, "ask_response_path", lambda _parent: path)
    dialogs.confirm_answer = answer
    window.findChild(QAction, "importResponse").trigger()
    assert window.ops.flush()
    kind, title, text = dialogs.shown[0]
    assert (kind, title) == ("confirm", "Import review response")
    assert "Will import CBP (Deputy Commissioner Lee)'s response" in text
    assert "§1:" in text and "A Administrative: Define SLT." in text
    if answer:
        assert dialogs.shown[-1][:2] == ("info", "Response imported")
        assert [c.comment for c in list_comments(ws, doc)] == ["Define SLT."]
        from workbench.coordination.gate import publication_blockers

        warnings = [w.message for w in publication_blockers(ws, doc).warnings]
        assert warnings == ["CBP: Administrative comment 1 on §1 is open"]
    else:
        assert len(dialogs.shown) == 1
        assert list_comments(ws, doc) == []
        assert rq.list_requests(ws, doc)[0].stored_status == "sent"  # the preview wrote nothing


def test_a_workbook_saved_by_calc_is_previewed_imported_and_holds_the_gate(
    window, monkeypatch, dialogs, ws, tmp_path
):
    import sys
    from pathlib import Path

    from openpyxl import load_workbook

    from workbench.coordination.gate import publication_blockers
    from workbench.exchange.workbook import export_request_workbook

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "workbench" / "exchange"))
    from exchange_helpers import make_review, resave_with_calc

    review = make_review(ws)
    sent = export_request_workbook(ws, review.request_id, tmp_path / "uscg.xlsx")
    wb = load_workbook(sent)
    wb["Response"]["B9"], wb["Response"]["B11"] = "CAPT Ann Ruiz", "Non-concur"
    comments = wb["Comments"]
    comments["D3"], comments["E3"] = "C", "Go-fast vessels are omitted."
    comments["G3"] = "Violation of law"
    wb.save(sent)
    returned = resave_with_calc(sent, tmp_path)

    def critical() -> list[str]:
        report = publication_blockers(ws, review.doc_id)
        return [b.message for b in report.blockers if b.rule == "critical"]

    assert critical() == []
    monkeypatch.setattr(importing, "ask_response_path", lambda _parent: returned)
    window.findChild(QAction, "importResponse").trigger()
    assert window.ops.flush(30)
    kind, title, text = dialogs.shown[0]
    assert (kind, title) == ("confirm", "Import review response")
    assert "USCG (CAPT Ann Ruiz)" in text and "C Critical: Go-fast vessels are omitted." in text
    assert dialogs.shown[-1][:2] == ("info", "Response imported")
    assert critical() == ["USCG: Critical comment 1 on §1.1 has no disposition"]
    window.findChild(QAction, "importResponse").trigger()
    assert window.ops.flush(30)
    assert dialogs.shown[-1][:2] == ("info", "Response imported")
    assert "already" in dialogs.shown[-1][2]
    assert len(list_comments(ws, review.doc_id)) == 1


def test_comments_on_the_document_as_a_whole_are_previewed_as_such(
    window, monkeypatch, dialogs, ws, tmp_path
):
    doc = documents.create_document(ws, "sop", "SLT Outreach SOP")
    sid = sections.add_section(ws, doc, heading="Scope", body="Applies to all SLT partners.")
    rid = rq.create_request(ws, doc, "CBP", section_ids=[sid], send=True)
    session = ReviewSession.open(export_packet(ws, rid, tmp_path / "p.cnereview"))
    session.add_comment(sid, "A", "Define SLT.", quoted_passage="SLT partners")
    session.add_comment(None, "C", "Tribal consultation is missing.", critical_ground="law")
    session.set_reviewer("Deputy Commissioner Lee")
    session.set_position("non_concur")
    path = session.export_response(tmp_path / "p.cneresponse")
    monkeypatch.setattr(importing, "ask_response_path", lambda _parent: path)
    window.findChild(QAction, "importResponse").trigger()
    assert window.ops.flush()
    kind, _title, text = dialogs.shown[0]
    lines = text.splitlines()
    assert kind == "confirm"
    assert lines[1:] == [
        "The document as a whole:",
        "  C Critical: Tribal consultation is missing.",
        "§1:",
        "  A Administrative: Define SLT.",
    ]
    assert dialogs.shown[-1][:2] == ("info", "Response imported")
    whole = [c for c in list_comments(ws, doc) if c.about_document]
    assert [c.comment for c in whole] == ["Tribal consultation is missing."]
    from workbench.coordination.gate import publication_blockers

    blockers = [b.message for b in publication_blockers(ws, doc).blockers]
    assert any("the document as a whole" in m for m in blockers), blockers
