"""The Word review copy: sections sent, bookmarks and properties that map a returned copy back."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn
from word_helpers import MARKING, make_strategy

import main
from workbench import audit
from workbench.coordination import requests as rq
from workbench.errors import RuleViolation, WorkbenchError
from workbench.word import hooks
from workbench.word.review_copy import write_review_copy
from workbench.workspace import Workspace


def _body_order(document) -> list:
    return list(document.element.body.iterchildren())


def test_review_copy_headings_keep_the_apps_numbers_and_marking(ws, strategy, tmp_path):
    out = write_review_copy(ws, strategy.request_id, tmp_path / "copy.docx")
    d = docx.Document(out)
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    # USCG has equities in Threat and Operations only: Purpose is not sent, yet the sections
    # sent keep the numbers the reviewer will cite (Word's counting would restart them at 1).
    assert heads == [("Heading 2", "1.1 Threat"), ("Heading 1", "2 Operations")]
    header = d.sections[0].header.paragraphs[0].text
    footer = " ".join(p.text for p in d.sections[0].footer.paragraphs)
    assert header == MARKING and MARKING in footer


def test_review_copy_bookmarks_wrap_each_section_at_its_revision(ws, strategy, tmp_path):
    out = write_review_copy(ws, strategy.request_id, tmp_path / "copy.docx")
    d = docx.Document(out)
    req = rq.request(ws, strategy.request_id)
    revisions = {s.section_id: s.section_revision_id for s in req.sections}
    body = _body_order(d)
    starts = {}
    for i, el in enumerate(body):
        for b in el.iter(qn("w:bookmarkStart")):
            starts[b.get(qn("w:name"))] = (i, b.get(qn("w:id")))
    ends = {}
    for i, el in enumerate(body):
        marks = [el] if el.tag == qn("w:bookmarkEnd") else list(el.iter(qn("w:bookmarkEnd")))
        for b in marks:
            ends[b.get(qn("w:id"))] = i
    threat = hooks.section_bookmark(strategy.threat, revisions[strategy.threat])
    ops = hooks.section_bookmark(strategy.operations, revisions[strategy.operations])
    assert set(starts) == {threat, ops}
    assert hooks.parse_section_bookmark(ops) == (
        strategy.operations,
        revisions[strategy.operations],
    )
    # Threat's bookmark opens in its heading and closes before Operations' heading opens.
    t_start, t_id = starts[threat]
    o_start, o_id = starts[ops]
    assert t_start < ends[t_id] < o_start < ends[o_id]
    threat_text = " ".join(
        "".join(t.text or "" for t in el.iter(qn("w:t"))) for el in body[t_start : ends[t_id] + 1]
    )
    assert "Semi-submersibles carry most cocaine" in threat_text
    assert "Eastern Pacific" not in threat_text


def test_review_copy_first_page_and_properties(ws, strategy, tmp_path):
    out = write_review_copy(ws, strategy.request_id, tmp_path / "copy.docx")
    data = out.read_bytes()
    props = hooks.read_custom_properties(data)
    assert props[hooks.PROPERTY_WORKSPACE] == ws.workspace_id
    assert props[hooks.PROPERTY_REQUEST] == str(strategy.request_id)
    assert props[hooks.PROPERTY_DOCUMENT] == str(strategy.doc_id)
    assert props[hooks.PROPERTY_ORGANIZATION] == "USCG"
    assert props[hooks.PROPERTY_KIND] == "review"
    d = docx.Document(io.BytesIO(data))
    first_page = []
    for p in d.paragraphs:
        first_page.append(p.text)
        if p.style.name.startswith("Heading"):
            break
    cells = [c.text for t in d.tables[:1] for row in t.rows for c in row.cells]
    page = " ".join(first_page + cells)
    assert "December 15, 2026" in page  # the suspense
    assert "Review for accuracy." in page and "Check the cutter counts." in page
    assert "A comment on the document as a whole goes on this page." in page
    assert "Rear Admiral Jane Hale" in page and "USCG — U.S. Coast Guard" in page
    assert d.core_properties.title == "Maritime Border and Transit Zone Strategy"


def test_review_copy_keeps_tables_lists_and_links(ws, strategy, tmp_path):
    out = write_review_copy(ws, strategy.request_id, tmp_path / "copy.docx")
    d = docx.Document(out)
    table = [[c.text for c in row.cells] for row in d.tables[-1].rows]
    assert table == [["Asset", "Area"], ["Cutters", "Eastern Pacific"]]
    items = [p.text for p in d.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert "Patrol." in items and "Interdict." in items
    links = [r.target_ref for r in d.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links == ["https://www.dhs.gov/plan"]
    bold = [r.text for p in d.paragraphs for r in p.runs if r.bold]
    assert "most" in bold


def test_a_draft_request_is_sent_by_writing_its_copy(ws, tmp_path):
    s = make_strategy(ws, send=False)
    assert rq.request(ws, s.request_id).stored_status == "draft"
    write_review_copy(ws, s.request_id, tmp_path / "copy.docx")
    assert rq.request(ws, s.request_id).stored_status != "draft"
    entries = [e for e in audit.entries(ws) if e.action == "exchange.review_copy_export"]
    assert len(entries) == 1


def test_withdrawn_request_and_folder_are_refused_and_write_nothing(ws, strategy, tmp_path):
    with pytest.raises(WorkbenchError, match="is a folder"):
        write_review_copy(ws, strategy.request_id, tmp_path)
    rq.withdraw_request(ws, strategy.request_id, "Sent to the wrong office")
    with pytest.raises(RuleViolation, match="withdrawn"):
        write_review_copy(ws, strategy.request_id, tmp_path / "copy.docx")
    assert not (tmp_path / "copy.docx").exists()


def test_hostile_text_still_exports(ws, strategy, tmp_path):
    from workbench import sections

    sections.edit_section(
        ws, strategy.threat, body="Bell\x07 and form\x0cfeed <w:t>&amp; \ufffe ]]> {=}"
    )
    rid = rq.create_request(ws, strategy.doc_id, "USCG", send=True)
    out = write_review_copy(ws, rid, tmp_path / "copy.docx")
    text = " ".join(p.text for p in docx.Document(out).paragraphs)
    assert "Bell and formfeed <w:t>&  ]]> {=}" in text  # Markdown reads &amp; as &


def test_cli_review_copy(tmp_path, capsys):
    path = tmp_path / "w.cnew"
    with Workspace.create(path) as ws:
        s = make_strategy(ws)
    out = tmp_path / "copy.docx"
    rc = main.main(["review-copy", str(path), "--request", str(s.request_id), "-o", str(out)])
    assert rc == 0 and out.exists()
    assert hooks.read_custom_properties(out.read_bytes())[hooks.PROPERTY_REQUEST] == str(
        s.request_id
    )
    capsys.readouterr()
    rc = main.main(["review-copy", str(path), "--request", "999", "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 1 and err.count("\n") == 1 and "Traceback" not in err
