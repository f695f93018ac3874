"""Importing Word and Markdown drafts: headings become nested sections, the marking is kept."""

from __future__ import annotations

import docx
import pytest

from workbench.documents import DEFAULT_MARKING, document
from workbench.errors import WorkbenchError
from workbench.exchange.drafts import import_draft
from workbench.sections import outline, section

MARKING = "UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE"


@pytest.fixture
def word_draft(tmp_path):
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = f"  {MARKING}  "
    d.sections[0].footer.paragraphs[0].text = "Page 1 — UNCLASSIFIED"
    d.add_heading("Purpose", 1)
    d.add_paragraph("This strategy guides maritime interdiction (1.5 tons, a_b).")
    d.add_heading("Threat", 2)
    p = d.add_paragraph("SPSS are ")
    p.add_run("hard to detect").bold = True
    d.add_paragraph("go-fast vessels", style="List Bullet")
    d.add_paragraph("semi-submersibles", style="List Bullet")
    d.add_heading("Detection", 3)
    d.add_paragraph("Text <script>alert(1)</script> stays text.")
    d.add_heading("Operations", 1)
    d.add_paragraph("The Coast Guard patrols.")
    path = tmp_path / "Maritime_Strategy-draft.docx"
    d.save(path)
    return path


def test_word_draft_headings_become_nested_sections(ws, word_draft):
    doc_id = import_draft(ws, word_draft)
    doc = document(ws, doc_id)
    assert doc.title == "Maritime Strategy draft"
    assert doc.marking == MARKING
    tree = [(e.number, e.heading, e.depth) for e in outline(ws, doc_id)]
    assert tree == [
        ("1", "Purpose", 0),
        ("1.1", "Threat", 1),
        ("1.1.1", "Detection", 2),
        ("2", "Operations", 0),
    ]
    threat = section(ws, outline(ws, doc_id)[1].id)
    assert threat.body == "SPSS are **hard to detect**\n\n- go-fast vessels\n- semi-submersibles"
    purpose = section(ws, outline(ws, doc_id)[0].id)
    assert purpose.body == r"This strategy guides maritime interdiction (1.5 tons, a\_b)."
    detection = section(ws, outline(ws, doc_id)[2].id)
    assert "<script>alert(1)</script>" in detection.body  # kept as text; previews escape it


def test_given_marking_wins_and_missing_marking_defaults(ws, word_draft, tmp_path):
    assert document(ws, import_draft(ws, word_draft, marking="UNCLASSIFIED")).marking == (
        "UNCLASSIFIED"
    )
    plain = docx.Document()
    plain.add_heading("Only", 1)
    plain.save(tmp_path / "plain.docx")
    assert document(ws, import_draft(ws, tmp_path / "plain.docx")).marking == DEFAULT_MARKING


def test_markdown_draft(ws, tmp_path):
    path = tmp_path / "tenets.md"
    path.write_text(
        "Preface text.\n\n# Doctrine\n\n## Unity {kind=tenet}\n\nOne effort.\n", encoding="utf-8"
    )
    doc_id = import_draft(ws, path, kind="doctrine", title="Draft CN Doctrine")
    assert [(e.number, e.heading) for e in outline(ws, doc_id)] == [
        ("1", ""),
        ("2", "Doctrine"),
        ("Tenet 1", "Unity"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("x.docx", b"not a zip", "not a readable Word document"),
        ("x.docx", b"", "not a readable Word document"),
        ("x.pdf", b"%PDF", "import a Word document"),
        ("x.md", b"\xff\xfe\xfa", "not UTF-8"),
        ("x.md", b"   ", "no text to import"),
    ],
)
def test_bad_drafts_are_refused_and_nothing_created(ws, tmp_path, name, content, match):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbenchError, match=match):
        import_draft(ws, path)
    assert ws.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_docx_with_a_doctype_is_refused(ws, tmp_path):
    import zipfile

    path = tmp_path / "evil.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr(
            "word/header1.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        )
    with pytest.raises(WorkbenchError, match="XML declarations"):
        import_draft(ws, path)
