"""Returned Word files (written by LibreOffice): every comment and change lands, nothing twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from word_fixture import REFUSALS, REVIEWER, build

from workbench.cli import main as cli
from workbench.coordination import comments as cm
from workbench.coordination import requests as rq
from workbench.coordination.gate import publication_blockers
from workbench.exchange.formats import ExchangeError
from workbench.exchange.word_response import build_preview, import_word_response

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "word"
RETURNED = FIXTURES / "returned_review_copy.docx"
FOREIGN = FIXTURES / "foreign_markup.docx"


@pytest.fixture
def sent(ws):
    return build(ws)


def _crm(ws, doc):
    return {c.comment: c for c in cm.list_comments(ws, doc)}


def test_every_comment_and_change_arrives_on_its_section_with_its_author(ws, sent):
    result = import_word_response(ws, RETURNED)
    assert len(result.comment_ids) == 10
    crm = _crm(ws, sent.doc)
    assert all(c.organization == "USCG" and c.request_id == sent.request for c in crm.values())
    heading = crm["Say 'Purpose and scope'."]
    assert (heading.section_id, heading.type, heading.reviewer_name) == (
        sent.purpose,
        "A",
        REVIEWER,
    )
    assert "heading" in heading.location_detail
    critical = next(c for c in crm.values() if c.comment.startswith("this contradicts"))
    assert critical.section_id == sent.maritime and critical.type == "C"
    assert critical.critical_ground == "law"  # "U.S.C." in its words
    assert critical.quoted_passage == "SPSS vessels travel"
    assert [(r.author, r.text) for r in critical.replies] == [
        ("Cmdr. Ben Ko", "Concur with Lt. Cmdr. Ruiz; cite the statute.")
    ]
    cell = next(c for c in crm.values() if "24 lanes" in c.comment)
    assert cell.section_id == sent.ports and cell.type == "C" and cell.critical_ground == "safety"
    assert "table cell" in cell.location_detail
    spanning = crm["These two sections overlap; merge them."]
    assert spanning.section_id == sent.maritime and spanning.type == "S"
    assert "spans to §3 Ports of entry" in spanning.location_detail
    cover = crm["Please add a glossary of vessel types."]
    # On the cover page, outside every section: kept as a comment on the document as a whole.
    assert cover.section_id is None and cover.section_revision_id is None
    assert cover.reference == "the document as a whole" and cover.location == "Document"
    assert "Not placed in the text" in cover.location_detail
    replaced = crm["Replace “slowly” with “at low speed and low profile”."]
    assert replaced.section_id == sent.maritime and replaced.reviewer_name == REVIEWER
    assert replaced.quoted_passage == "SPSS vessels travel slowly."
    assert replaced.proposed_wording == "SPSS vessels travel at low speed and low profile."
    deleted = crm["Delete “of cocaine”."]
    assert deleted.proposed_wording == "They carry up to ten tons."
    assert deleted.section_id == sent.maritime
    inserted = crm["Insert “and low-profile vessels”."]
    assert inserted.section_id == sent.purpose
    moved = next(c for c in crm.values() if c.comment.startswith("Move “Screening"))
    assert moved.section_id == sent.maritime and "moved from “3 Ports of entry”" in moved.comment
    # Each by its author (the reply's author is kept on the reply).
    assert {c.reviewer_name for c in crm.values()} == {REVIEWER}
    # Every comment on a section is pinned to the revision the reviewer read.
    placed = [c for c in crm.values() if c.section_id is not None]
    assert {c.section_revision_id for c in placed} <= set(sent.revisions.values())
    assert rq.request(ws, sent.request).stored_status == "returned"


def test_the_critical_comments_block_publication(ws, sent):
    def critical() -> list:
        report = publication_blockers(ws, sent.doc)
        return [b for b in report.blockers if b.rule == "critical"]

    assert critical() == []
    import_word_response(ws, RETURNED)
    assert {b.organization for b in critical()} == {"USCG"}
    assert len(critical()) == 2  # the one on §2 and the one on the table in §3


def test_the_proposed_wording_of_a_tracked_change_applies(ws, sent):
    import_word_response(ws, RETURNED)
    replaced = _crm(ws, sent.doc)["Replace “slowly” with “at low speed and low profile”."]
    cm.adjudicate_comment(ws, replaced.id, "accepted")
    cm.apply_proposed_wording(ws, replaced.id)
    from workbench.sections import section

    assert section(ws, sent.maritime).body.startswith("SPSS vessels travel at low speed")


def test_the_preview_shows_everything_per_section_and_writes_nothing(ws, sent):
    before = ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    preview = build_preview(ws, RETURNED)
    assert ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    assert preview.from_our_copy and preview.request_id == sent.request
    groups = dict(preview.by_section())
    assert set(groups) == {
        "§1 Purpose",
        "§2 Maritime interdiction",
        "§3 Ports of entry",
        "The document as a whole (not placed in the text)",
    }
    assert list(groups)[-1] == "The document as a whole (not placed in the text)"
    assert len(groups["The document as a whole (not placed in the text)"]) == 1
    unmarked = [i for i in preview.items if not i.type_marked]
    assert unmarked and all(i.type == "S" for i in unmarked)  # asked in the preview
    assert "5 comment(s) and 5 tracked change(s)" in preview.summary()
    assert preview.summary().endswith(
        "1 could not be placed in the text and is kept as a comment on the whole document."
    )


def test_the_analyst_answers_the_type_in_the_preview(ws, sent):
    preview = build_preview(ws, RETURNED)
    cover = next(i for i in preview.items if not i.placed)
    import_word_response(ws, RETURNED, types={cover.index: "A"})
    assert _crm(ws, sent.doc)["Please add a glossary of vessel types."].type == "A"


def test_importing_the_same_file_again_changes_nothing(ws, sent, tmp_path):
    import_word_response(ws, RETURNED)
    count = len(cm.list_comments(ws, sent.doc))
    audit = ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    again = import_word_response(ws, RETURNED)
    assert again.already_imported and "nothing changed" in again.summary()
    # A copy saved under another name is the same answer.
    copy = tmp_path / "USCG answer (2).docx"
    shutil.copy(RETURNED, copy)
    assert import_word_response(ws, copy).already_imported
    assert len(cm.list_comments(ws, sent.doc)) == count
    assert ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit


def test_a_foreign_word_file_is_placed_by_its_headings_for_the_chosen_organization(ws, sent):
    with pytest.raises(ExchangeError, match="say which organization"):
        build_preview(ws, FOREIGN)
    result = import_word_response(ws, FOREIGN, organization_code="CBP")
    crm = _crm(ws, sent.doc)
    named = crm["name the ports."]
    assert named.organization == "CBP" and named.section_id == sent.ports and named.type == "S"
    assert named.request_id is None  # CBP was never sent a request
    annex = crm["This annex is ours; keep it out."]
    assert "Not placed in the text (under “Annex of our own”)" in annex.location_detail
    assert annex.section_id is None and annex.organization == "CBP"
    assert len(result.comment_ids) == 3


def _state(ws) -> str:
    """The file's bytes (after a checkpoint), or on PostgreSQL every table's rows."""
    if ws.shared:
        from db import transfer

        return repr([transfer.table_digest(ws.db, t) for t in ws.db.table_names()])
    ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return hashlib.sha256(ws.path.read_bytes()).hexdigest()


@pytest.mark.parametrize("make, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_refusals_change_nothing(ws, ws_path, sent, tmp_path, make, message):
    bad = make(tmp_path)
    before = _state(ws)
    with pytest.raises(ExchangeError, match=message):
        import_word_response(ws, bad)
    assert cli(["import-response", str(ws_path), str(bad)]) == 1
    assert _state(ws) == before
    assert cm.list_comments(ws, sent.doc) == []


def test_a_recalled_request_refuses_its_returned_copy(ws, sent):
    rq.withdraw_request(ws, sent.request, "Sent the wrong version")
    with pytest.raises(ExchangeError, match="recalled"):
        import_word_response(ws, RETURNED)


def test_command_line_dry_run_then_import(ws, ws_path, sent, capsys):
    assert cli(["import-response", str(ws_path), str(RETURNED), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "§2 Maritime interdiction:" in out
    assert "The document as a whole (not placed in the text):" in out
    assert "nothing was written" in out
    assert cm.list_comments(ws, sent.doc) == []
    assert cli(["import-response", str(ws_path), str(FOREIGN)]) == 1
    assert "--organization" in capsys.readouterr().err
    assert cli(["import-response", str(ws_path), str(RETURNED)]) == 0
    assert "Imported 10 comment(s) from USCG" in capsys.readouterr().out
    assert cli(["import-response", str(ws_path), str(RETURNED)]) == 0
    assert "already imported; nothing changed" in capsys.readouterr().out
    assert cli(["import-response", str(ws_path), str(FOREIGN), "--organization", "CBP"]) == 0
    assert len(cm.list_comments(ws, sent.doc)) == 13


def test_our_own_word_review_copy_comes_back_to_its_sections(ws, sent, tmp_path):
    """The copy the Word writer makes, commented in a word processor, maps back by bookmark."""
    import docx

    from workbench.word.review_copy import write_review_copy

    copy = write_review_copy(ws, sent.request, tmp_path / "copy.docx")
    assert build_preview(ws, copy).items == ()  # nothing commented yet: nothing to import
    word = docx.Document(str(copy))
    target = next(p for p in word.paragraphs if "ten tons" in p.text)
    word.add_comment(target.runs, text="S: Say which cartels.", author=REVIEWER, initials="AR")
    heading = next(p for p in word.paragraphs if p.text.endswith("Ports of entry"))
    word.add_comment(heading.runs, text="[A] Capitalize Entry.", author=REVIEWER, initials="AR")
    # The first page tells the reviewer where a comment on the whole document goes: it goes there.
    where = next(p for p in word.paragraphs if "document as a whole goes on this page" in p.text)
    word.add_comment(where.runs, text="Add a glossary.", author=REVIEWER, initials="AR")
    returned = tmp_path / "returned.docx"
    word.save(str(returned))
    ws.clock.now = dt.datetime.now(dt.UTC)  # python-docx dates the comments by the real clock
    preview = build_preview(ws, returned)
    assert preview.from_our_copy and preview.request_id == sent.request
    got = {i.comment: (i.section_id, i.section_revision_id, i.type) for i in preview.items}
    assert got == {
        "Say which cartels.": (sent.maritime, sent.revisions[sent.maritime], "S"),
        "Capitalize Entry.": (sent.ports, sent.revisions[sent.ports], "A"),
        "Add a glossary.": (None, None, "S"),  # on the document as a whole
    }


def test_a_returned_word_file_replays_from_the_audit_log(ws, sent):
    from workbench.maintenance.check import check_workspace

    import_word_response(ws, RETURNED)
    ws.close()
    report = check_workspace(ws.path)
    assert not report.problems("audit replay"), report.findings


def test_long_comments_and_changes_arrive_whole(ws, sent, tmp_path):
    """A reviewer who rewrites a long passage or writes a long comment loses no word of it."""
    inserted = " ".join(f"inserted{i}" for i in range(4000))  # ~43,000 characters
    remark = "S: " + " ".join(f"remark{i}" for i in range(4000))
    long_file = tmp_path / "long.docx"
    with zipfile.ZipFile(RETURNED) as src, zipfile.ZipFile(long_file, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "word/document.xml":
                part = part.replace(b"at low speed and low profile", inserted.encode(), 1)
            if info.filename == "word/comments.xml":
                part = part.replace(b"S: These two sections overlap; merge them.", remark.encode())
            dst.writestr(info, part)
    import_word_response(ws, long_file)
    crm = cm.list_comments(ws, sent.doc)
    assert any(c.proposed_wording.rstrip(".").endswith("inserted3999") for c in crm)
    assert any(c.comment.endswith("remark3999") for c in crm)
