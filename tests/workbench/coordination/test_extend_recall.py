"""Extending a suspense and recalling a request: on the record, refused when they make no sense."""

from __future__ import annotations

import pytest

from workbench import dashboard
from workbench.cli import main as cli
from workbench.coordination import publication
from workbench.coordination import requests as rq
from workbench.errors import RuleViolation, WorkbenchError


def test_an_extension_moves_the_suspense_and_is_on_the_record(ws, strategy, clock):
    rid = rq.create_request(ws, strategy.doc, "USCG", send=True)
    before = rq.request(ws, rid).suspense_date
    clock.advance(days=20)  # past the suspense: overdue
    assert rq.request(ws, rid).is_overdue
    rq.extend_suspense(ws, rid, "2026-12-18", "USCG's liaison is deployed until mid-December")
    req = rq.request(ws, rid)
    assert req.suspense_date == "2026-12-18" and not req.is_overdue
    [ext] = rq.suspense_extensions(ws, strategy.doc)
    assert (ext.old, ext.new, ext.organization) == (before, "2026-12-18", "USCG")
    assert "deployed" in ext.reason and ext.by == "analyst.one"
    record = publication.coordination_record(ws, strategy.doc)
    [uscg] = [o for o in record["organizations"] if o["code"] == "USCG"]
    assert uscg["extensions"][0]["new"] == "2026-12-18"
    labels = [e.label for e in dashboard.timeline(ws, strategy.doc).events]
    assert any("extended to 2026-12-18" in x and "deployed" in x for x in labels)


def test_an_extension_needs_a_reason_and_a_later_date(ws, strategy):
    rid = rq.create_request(ws, strategy.doc, "USCG", send=True)
    due = rq.request(ws, rid).suspense_date
    with pytest.raises(WorkbenchError, match="Say why"):
        rq.extend_suspense(ws, rid, "2027-01-29", "  ")
    with pytest.raises(RuleViolation, match="not later"):
        rq.extend_suspense(ws, rid, due, "more time")
    with pytest.raises(WorkbenchError, match="not a date"):
        rq.extend_suspense(ws, rid, "next Friday", "more time")
    assert rq.request(ws, rid).suspense_date == due
    long_reason = "The liaison's memo: " + "the component is reorganizing. " * 100
    rq.extend_suspense(ws, rid, "2027-01-29", long_reason)
    [ext] = rq.suspense_extensions(ws, strategy.doc)
    assert ext.reason == long_reason.strip()  # kept whole on the record, not cut at 2,000
    rq.withdraw_request(ws, rid, "Sent the wrong sections")
    with pytest.raises(RuleViolation, match="withdrawn"):
        rq.extend_suspense(ws, rid, "2027-01-29", "more time")


def test_extend_and_recall_on_the_command_line(ws, ws_path, strategy, capsys):
    rid = rq.create_request(ws, strategy.doc, "CBP", send=True)
    args = ["extend", str(ws_path), "-r", str(rid), "--to", "2027-02-01", "--reason", "Shutdown"]
    assert cli(args) == 0
    assert "extended" in capsys.readouterr().out
    assert rq.request(ws, rid).suspense_date == "2027-02-01"
    assert cli(["recall", str(ws_path), "-r", str(rid), "--reason", "Superseded by v2"]) == 0
    assert "Recalled request" in capsys.readouterr().out
    assert rq.request(ws, rid).stored_status == "withdrawn"
    assert cli(["recall", str(ws_path), "-r", str(rid), "--reason", "again"]) == 1
    assert "withdrawn" in capsys.readouterr().err
    labels = [e.label for e in dashboard.timeline(ws, strategy.doc).events]
    assert "Request to CBP recalled" in labels


def test_an_extension_is_printed_in_the_pdf_and_word_coordination_records(ws, strategy, clock):
    import io

    import docx
    from pypdf import PdfReader

    from workbench.pdf import build_pdf
    from workbench.word.writer import build_docx

    rid = rq.create_request(ws, strategy.doc, "USCG", send=True)
    before = rq.request(ws, rid).suspense_date
    clock.advance(days=3)
    rq.extend_suspense(ws, rid, "2026-12-18", "USCG's liaison is deployed")
    wanted = (
        f"Suspense extended from {before} to 2026-12-18 by analyst.one, 2026-11-05: "
        "USCG's liaison is deployed"
    )
    snapshot = publication.document_snapshot(ws, strategy.doc)
    pdf = PdfReader(io.BytesIO(build_pdf(snapshot)))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    record = text.split("Coordination record")[-1]
    assert wanted in record
    word = docx.Document(io.BytesIO(build_docx(snapshot)))
    rows = [[c.text for c in r.cells] for t in word.tables for r in t.rows]
    uscg = next(i for i, r in enumerate(rows) if r[0].startswith("USCG"))
    assert rows[uscg + 1][:2] == ["↳", wanted]
