"""The coordination record says what changed since the last approval (a redline vs. v1)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from workbench import documents, sections
from workbench.authority.identity import acting_as
from workbench.coordination.publication import document_snapshot
from workbench.exports import export_pdf


def record_text(data: bytes) -> str:
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    start = next(i for i, t in enumerate(pages) if "Coordination record" in t and "Positions" in t)
    return " ".join(" ".join(pages[start:]).split())


def test_first_publication_has_nothing_to_compare(ws, published):
    data = export_pdf(ws, published.doc).data
    assert "What changed since the last approval" not in record_text(data)


def test_the_next_version_lists_its_changes_against_the_published_one(ws, published):
    with acting_as(ws, "Dana Reyes"):
        documents.start_next_version(ws, published.doc)
    sections.edit_section(
        ws,
        published.maritime,
        body="SPSS vessels travel slowly.\n\n- They carry up to twelve tons.\n- They ride low.",
    )
    ports = next(e.id for e in sections.outline(ws, published.doc) if e.heading == "Ports of entry")
    sections.delete_section(ws, ports)
    sections.add_section(ws, published.doc, heading="Air domain", body="Aircraft patrol.")
    snap = document_snapshot(ws, published.doc)
    changes = snap["since_last_approval"]
    assert changes["version"] == 1
    assert changes["counts"] == {"added": 1, "removed": 1, "changed": 1, "moved": 0}
    (maritime,) = [s for s in changes["sections"] if s["status"] == "changed"]
    runs = maritime["blocks"][0]["runs"]
    assert ["delete", "ten"] in runs and ["insert", "twelve"] in runs
    text = record_text(export_pdf(ws, published.doc).data)
    assert "What changed since the last approval" in text
    assert "Compared with version 1, the last one published (November 4, 2026)" in text
    assert "1 changed, 1 added, 1 removed sections." in text
    assert "2 Maritime interdiction — changed" in text and "(was" not in text
    assert "Heading:" not in text  # only what changed is listed
    assert "Ports of entry — removed" in text and "Air domain — added" in text
    assert "twelve" in text and "Purpose" not in text.split("What changed")[1]
