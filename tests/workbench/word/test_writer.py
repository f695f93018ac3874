"""build_docx: Word numbering as in the app, marking, cover, contents, record and CRM."""

from __future__ import annotations

import io
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from word_helpers import MARKING

from workbench import sections
from workbench.coordination.publication import document_snapshot
from workbench.word.writer import build_docx


def _lvl_text(d, paragraph) -> str | None:
    """The number Word prints for a numbered paragraph's level, as its lvlText pattern."""
    ppr = paragraph._p.pPr
    if ppr is None or ppr.numPr is None:
        return None
    num_id, ilvl = str(ppr.numPr.numId.val), str(ppr.numPr.ilvl.val)
    root = d.part.numbering_part.element
    abstract = next(
        n.find(qn("w:abstractNumId")).get(qn("w:val"))
        for n in root.iter(qn("w:num"))
        if n.get(qn("w:numId")) == num_id
    )
    for a in root.iter(qn("w:abstractNum")):
        if a.get(qn("w:abstractNumId")) == abstract:
            for lvl in a.iter(qn("w:lvl")):
                if lvl.get(qn("w:ilvl")) == ilvl:
                    return lvl.find(qn("w:lvlText")).get(qn("w:val"))
    return None


@pytest.fixture
def full(ws, strategy):
    sections.add_section(ws, strategy.doc_id, heading="Unity of effort", kind="tenet")
    annex = sections.add_section(ws, strategy.doc_id, heading="Authorities", kind="appendix")
    sections.add_section(ws, strategy.doc_id, parent_id=annex, heading="Statutes")
    return document_snapshot(ws, strategy.doc_id)


def test_headings_use_word_numbering_that_prints_the_apps_numbers(full):
    d = docx.Document(io.BytesIO(build_docx(full)))
    heads = [
        (p.style.name, p.text, _lvl_text(d, p))
        for p in d.paragraphs
        if p.style.name.startswith("Heading")
        and p.text != "Coordination record"
        and p.text != "Waivers"
    ]
    assert heads == [
        ("Heading 1", "Purpose", "%1"),
        ("Heading 2", "Threat", "%1.%2"),
        ("Heading 1", "Operations", "%1"),
        ("Heading 1", "Unity of effort", "Tenet %1"),
        ("Heading 1", "Authorities", "Appendix %1"),
        ("Heading 2", "Statutes", "%1.%2"),
    ]
    numbers = [s["number"] for s in full["sections"]]
    assert numbers == ["1", "1.1", "2", "Tenet 1", "Appendix A", "A.1"]


def test_cover_contents_record_and_crm(full):
    d = docx.Document(io.BytesIO(build_docx(full, include_crm=True)))
    text = [p.text for p in d.paragraphs]
    assert "Maritime Border and Transit Zone Strategy" in text
    assert "Draft for coordination. Not approved for release." in text
    instr = "".join(t.text for t in d.element.body.iter(qn("w:instrText")))
    assert "TOC" in instr
    assert "1.1 Threat" in text and "Appendix A Authorities" in text  # the contents' entries
    assert "Coordination record" in text and "Appendix: Comment Resolution Matrix" in text
    assert d.sections[-1].orientation == 1  # the CRM is landscape
    for sec in d.sections:
        assert sec.header.paragraphs[0].text == MARKING


def test_marking_in_every_section_header_and_core_properties(full):
    d = docx.Document(io.BytesIO(build_docx(full, include_crm=True)))
    assert d.core_properties.keywords == MARKING
    assert d.core_properties.author == "DHS Office of Counternarcotics Enforcement"


def test_libreoffice_opens_the_export(full, tmp_path):
    """LibreOffice (tools/apt-packages-test) renders it: marking on every page, numbers kept."""
    src = tmp_path / "export.docx"
    src.write_bytes(build_docx(full, include_crm=True))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "export.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert text.count(MARKING) >= 2 * text.count("\f")
    for expected in ("1.1 Threat", "Tenet 1", "Appendix A", "A.1", "Eastern Pacific"):
        assert expected in text
