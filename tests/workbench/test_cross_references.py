"""A cross-reference stores the section's id and prints its current number everywhere."""

from __future__ import annotations

import io
import re
import zipfile

from pypdf import PdfReader

from ui import markdown_render
from workbench import documents, sections
from workbench.exports import export_pdf, export_source
from workbench.markdown_model import cross_reference
from workbench.word.export import docx_bytes


def _pdf_text(ws, doc) -> str:
    pages = PdfReader(io.BytesIO(export_pdf(ws, doc).data)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def _docx_text(ws, doc) -> str:
    """The Word export's text as Word shows it before fields update (cached results)."""
    data = docx_bytes(ws, export_source(ws, doc))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    xml = re.sub(r"<w:instrText[^>]*>.*?</w:instrText>", "", xml)
    return re.sub(r"<[^>]+>", "", xml)


def test_inserting_a_section_before_the_target_renumbers_the_reference_everywhere(ws):
    doc = documents.create_document(ws, "strategy", "Plan")
    ports = sections.add_section(ws, doc, heading="Ports of entry", body="Screening.")
    cites = sections.add_section(
        ws, doc, heading="Air", body=f"As in the ports ({cross_reference(ports)}), aircraft."
    )
    assert f"(section:{ports})" in sections.section(ws, cites).body  # stored by id
    assert "(§1)" in _pdf_text(ws, doc)
    sections.add_section(ws, doc, index=0, heading="Purpose", body="Why.")
    numbers = sections.section_numbers(ws, doc)
    body = sections.section(ws, cites).body
    assert "(§2)" in _pdf_text(ws, doc)
    assert "§2" in markdown_render.render(body, numbers)  # the previews
    assert "(§2)" in _docx_text(ws, doc)
    sections.delete_section(ws, ports)
    assert "[section removed]" in _pdf_text(ws, doc)
