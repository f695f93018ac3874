"""Word files from other producers (tests/fixtures/word/README.md): what must survive import."""

from __future__ import annotations

from pathlib import Path

from workbench.documents import document
from workbench.exchange.drafts import import_draft
from workbench.sections import outline, section

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "word"


def test_libreoffice_report_keeps_notes_lists_table_title_and_marking(ws):
    doc_id = import_draft(ws, FIXTURES / "libreoffice-ig-report.docx")
    doc = document(ws, doc_id)
    assert doc.title == "Inspector General Review of Coordination"
    assert doc.marking == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    entries = outline(ws, doc_id)
    assert [(e.number, e.heading) for e in entries] == [
        ("1", "Findings"),
        ("1.1", "Seizures by port"),
    ]
    findings = section(ws, entries[0].id).body
    # Footnotes stay with the sentence that cites them, defined in the same section.
    assert "The Coast Guard was not consulted[^1]. CBP concurred late[^2]." in findings
    assert "[^1]: Interview with USCG liaison, March 2026." in findings
    assert "[^2]: CBP memorandum of 4 May 2026." in findings
    # The list continues at 3 after the paragraph, as LibreOffice numbered it.
    assert "2. Record every position.\n   1. Concurrences.\n   2. Non-concurrences." in findings
    assert "The office agreed.\n\n3. Publish only when cleared." in findings
    seizures = section(ws, entries[1].id).body
    assert "| Miami | 40 | In each<br>Cell. |" in seizures
    assert "| Total |   | 40 |" in seizures and "Merged cells" in seizures
    # The endnote is numbered after the footnotes and attached where it is cited.
    assert "endnote[^3]." in seizures and "[^3]: CNE records, 2026." in seizures
