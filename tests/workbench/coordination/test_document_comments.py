"""A comment about the document as a whole (no section): in the CRM everywhere, and the gate
holds a Critical one like any other, naming its organization."""

from __future__ import annotations

import io

import docx
import pytest
from openpyxl import load_workbook

from workbench.coordination.comments import (
    AcceptAndApplyWording,
    add_comment,
    adjudicate_comment,
    apply_proposed_wording,
    changes_since_comment,
    list_comments,
)
from workbench.coordination.gate import publication_blockers
from workbench.coordination.positions import record_position
from workbench.coordination.publication import document_snapshot
from workbench.errors import RuleViolation
from workbench.exchange.consolidated_crm import export_consolidated_crm
from workbench.pdf import build_pdf
from workbench.word.writer import build_docx


def _whole(ws, strategy, **fields) -> int:
    values = {
        "organization_code": "USCG",
        "type": "C",
        "section_id": None,
        "comment_text": "The strategy never mentions go-fast boats.",
        "critical_ground": "policy",
        "reviewer_name": "Capt. Lee Odiña",
    }
    return add_comment(ws, strategy.doc, **(values | fields))


def _critical(ws, doc) -> list:
    return [b for b in publication_blockers(ws, doc).blockers if b.rule == "critical"]


def test_a_critical_comment_on_the_whole_document_blocks_publication(ws, strategy):
    cid = _whole(ws, strategy)
    [blocker] = _critical(ws, strategy.doc)
    assert (blocker.organization, blocker.section_id, blocker.comment_id) == ("USCG", None, cid)
    assert blocker.message == (
        "USCG: Critical comment 1 on the document as a whole has no disposition"
    )
    adjudicate_comment(ws, cid, "accepted")
    assert _critical(ws, strategy.doc) == []


def test_a_rejected_one_is_a_standing_nonconcurrence(ws, strategy):
    cid = _whole(ws, strategy)
    record_position(ws, strategy.doc, "USCG", "non_concur", by_name="Capt. Lee Odiña")
    adjudicate_comment(ws, cid, "rejected", "Go-fast boats are in the annex.")
    reasons = [b.message for b in publication_blockers(ws, strategy.doc).blockers]
    assert any(
        m.startswith("USCG non-concurs: Critical comment 1 on the document as a whole was rejected")
        for m in reasons
    ), reasons


def test_it_reads_as_the_document_in_every_crm(ws, strategy, tmp_path):
    on_section = add_comment(
        ws,
        strategy.doc,
        organization_code="CBP",
        type="S",
        section_id=strategy.ports,
        comment_text="Name the ports.",
    )
    whole = _whole(ws, strategy, type="S", critical_ground=None, comment_text="Add a glossary.")
    c = {x.id: x for x in list_comments(ws, strategy.doc)}
    assert (c[whole].about_document, c[whole].location, c[whole].reference) == (
        True,
        "Document",
        "the document as a whole",
    )
    assert not c[whole].on_earlier_revision and changes_since_comment(ws, whole) == []
    assert c[on_section].location == "3" and not c[on_section].about_document

    sheet = load_workbook(export_consolidated_crm(ws, strategy.doc, tmp_path / "crm.xlsx"))["CRM"]
    rows = list(sheet.iter_rows(min_row=4, max_row=5, values_only=True))
    assert [(r[6], r[8]) for r in rows] == [
        ("Document", "Add a glossary."),  # the whole document before its sections
        ("3", "Name the ports."),
    ]

    snapshot = document_snapshot(ws, strategy.doc)
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(build_pdf(snapshot, include_crm=True)))
    appendix = " ".join(p.extract_text() for p in pdf.pages).split("Comment Resolution Matrix")[-1]
    assert "Document" in appendix and "Add a glossary." in appendix

    word = docx.Document(io.BytesIO(build_docx(snapshot, include_crm=True)))
    crm = word.tables[-1]
    cells = {r.cells[4].text: r.cells[3].text for r in crm.rows[1:]}
    assert cells["Add a glossary."] == "Document" and cells["Name the ports."] == "3"


def test_its_wording_is_not_applied_to_some_section(ws, strategy):
    cid = _whole(ws, strategy, type="A", critical_ground=None, proposed_wording="A glossary.")
    adjudicate_comment(ws, cid, "accepted")
    with pytest.raises(RuleViolation, match="about the document as a whole"):
        apply_proposed_wording(ws, cid)
    with pytest.raises(RuleViolation, match="about the document as a whole"):
        AcceptAndApplyWording(cid).do(ws)
