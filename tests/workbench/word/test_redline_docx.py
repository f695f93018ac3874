"""The redline .docx: insertions and deletions as Word tracked changes with author and date."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from tests import libreoffice
from workbench.redline import SectionText, Side, compare
from workbench.word.redline_docx import build_redline_docx

MARKING = "CUI//SP-LEI"


def _side(spec, label, author, at, sections):
    return Side(spec, label, author, at, None, tuple(sections))


def _redline():
    old = _side(
        "v1",
        "Published version 1",
        "Dana Reyes",
        "2026-11-02T09:00:00+00:00",
        [
            SectionText(1, "1", 0, "Purpose", "The Coast Guard patrols two zones."),
            SectionText(2, "2", 0, "Retired", "This section goes."),
        ],
    )
    new = _side(
        "draft",
        "Current draft (version 2)",
        "Analyst One",
        "2026-11-20T15:30:00+00:00",
        [
            SectionText(1, "1", 0, "Purpose", "The Coast Guard patrols three zones."),
            SectionText(3, "2", 0, "Detection", "Sensors find semi-submersibles."),
        ],
    )
    return compare(old, new, document_id=1, title="SPSS Strategy", marking=MARKING)


def _changes(d, tag):
    out = []
    for el in d.element.body.iter(qn(tag)):
        text = "".join(t.text or "" for t in el.iter(qn("w:t"), qn("w:delText")))
        out.append((el.get(qn("w:author")), el.get(qn("w:date")), text))
    return out


def test_changes_are_tracked_with_author_and_date():
    d = docx.Document(io.BytesIO(build_redline_docx(_redline())))
    inserted = _changes(d, "w:ins")
    deleted = _changes(d, "w:del")
    assert all(a == "Analyst One" and w == "2026-11-20T15:30:00Z" for a, w, _ in inserted + deleted)
    ins_text = " ".join(t for _, _, t in inserted)
    del_text = " ".join(t for _, _, t in deleted)
    assert "three" in ins_text and "two" in del_text
    assert "Detection" in ins_text and "Sensors find semi-submersibles." in ins_text
    assert "Retired" in del_text and "This section goes." in del_text
    assert d.sections[0].header.paragraphs[0].text == MARKING


def test_libreoffice_reads_the_tracked_changes(tmp_path):
    src = tmp_path / "redline.docx"
    src.write_bytes(build_redline_docx(_redline()))
    pdf = libreoffice.convert(src, "pdf", tmp_path, profile=tmp_path / "lo")
    text = libreoffice.pdf_text(pdf)
    assert MARKING in text and "three" in text and "Detection" in text


def test_export_redline_docx_between_a_version_and_the_draft(ws):
    from workbench import audit, documents, sections
    from workbench.word.redline_docx import export_redline_docx

    doc_id = documents.create_document(ws, "strategy", "SPSS Strategy", marking=MARKING)
    sid = sections.add_section(ws, doc_id, heading="Purpose", body="Patrol two zones.")
    from workbench.revisions import snapshot_revision

    rev = snapshot_revision(ws, doc_id, "Before CBP")
    sections.edit_section(ws, sid, body="Patrol three zones.")
    r, data = export_redline_docx(ws, doc_id, f"r{rev}", "draft")
    d = docx.Document(io.BytesIO(data))
    assert "three" in " ".join(t for _, _, t in _changes(d, "w:ins"))
    assert "two" in " ".join(t for _, _, t in _changes(d, "w:del"))
    (entry,) = audit.entries(ws, action_prefix="document.export_redline_docx")
    assert entry.entity_id == doc_id


def test_cli_redline_docx_has_tracked_changes(tmp_path, capsys):
    import main
    from workbench import demo, revisions, sections
    from workbench.workspace import Workspace

    path = tmp_path / "demo.cnew"
    demo.write_demo(path)
    with Workspace.open(path) as ws:
        (rev,) = revisions.list_revisions(ws, 2)
        first = sections.section(ws, sections.outline(ws, 2)[0].id)
        sections.edit_section(ws, first.id, body=first.body + "\n\nA wholly new sentence here.")
    out = tmp_path / "red.docx"
    args = ["redline", str(path), "-d", "Southwest Border", "--from", f"r{rev.id}", "-o", str(out)]
    assert main.main(args) == 0, capsys.readouterr().err
    d = docx.Document(out)
    assert "A wholly new sentence here." in " ".join(t for _, _, t in _changes(d, "w:ins"))
    assert d.sections[0].header.paragraphs[0].text == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
