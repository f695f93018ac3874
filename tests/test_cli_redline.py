"""`workbench redline`: the redline PDF between two states, and its one-line refusals."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from pypdf import PdfReader

import main
from workbench import revisions, sections
from workbench.workspace import Workspace

DOC = "Southwest Border"


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """The demo workspace with the Southwest Border strategy edited after its revision r1."""
    path = tmp_path_factory.mktemp("redline") / "demo.cnew"
    assert main.main(["demo", str(path)]) == 0
    ws = Workspace.open(path, claim=False)
    try:
        (rev,) = [r for r in revisions.list_revisions(ws, 2)]
        entries = sections.outline(ws, 2)
        first = sections.section(ws, entries[0].id)
        sections.edit_section(ws, first.id, body=first.body + "\n\nA wholly new sentence here.")
        sections.move_section(ws, entries[-1].id, None, 0)
        gone = entries[2]
        sections.delete_section(ws, gone.id)
    finally:
        ws.close()
    return path, rev.id, gone.heading


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def test_redline_pdf_lists_changes_and_marks_every_page(edited, tmp_path, capsys):
    path, rev, gone = edited
    out = tmp_path / "red.pdf"
    args = ["redline", str(path), "-d", DOC, "--from", f"r{rev}", "--to", "draft", "-o", str(out)]
    assert main.main(args) == 0
    said = capsys.readouterr().out
    assert "2 changed, 0 added, 1 removed, 1 moved" in said, said
    reader = PdfReader(out)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    summary = pages[0]
    assert "Changed sections" in summary and "Removed" in summary and "Moved (was" in summary
    assert gone in summary
    text = " ".join(pages[1:])
    assert "A wholly new sentence here." in text and "[Moved from" in text and "[Removed]" in text
    marking = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert all(p.count(marking) == 2 for p in pages)  # top and bottom of every page
    # The inserted words are drawn in the insertion colour (#1a4fa0) and underlined.
    content = b"".join(p.get_contents().get_data() for p in reader.pages[1:])
    assert b".101961 .309804 .627451 rg" in content
    db = shutil.copy(path, tmp_path / "after.cnew")
    ws = Workspace.open(db, claim=False, read_only=True)
    (entry,) = ws.db.execute(
        "SELECT details FROM audit_log WHERE action = 'document.export_redline'"
    ).fetchall()
    ws.close()
    details = json.loads(entry[0])
    assert (details["old"], details["new"], details["format"]) == (f"r{rev}", "draft", "pdf")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "v7", "-o", "x.pdf"], "Version 7 of National Southwest Border"),
        (["--from", "r999", "-o", "x.pdf"], "has no revision r999"),
        (["--from", "yesterday", "-o", "x.pdf"], "Cannot read 'yesterday' as a version"),
        (["--from", "draft", "-o", "x.pdf"], "choose two different versions"),
    ],
)
def test_bad_versions_are_one_line(edited, tmp_path, capsys, extra, message):
    path, _rev, _ = edited
    extra = [str(tmp_path / a) if a.endswith(".pdf") else a for a in extra]
    assert main.main(["redline", str(path), "-d", DOC, *extra]) == 1
    assert message in _one_line_error(capsys)
    assert not (tmp_path / "x.pdf").exists()


def test_output_must_be_pdf_or_docx(edited, tmp_path, capsys):
    path, rev, _ = edited
    out = tmp_path / "red.txt"
    assert main.main(["redline", str(path), "-d", DOC, "--from", f"r{rev}", "-o", str(out)]) == 2
    assert ".pdf or .docx" in _one_line_error(capsys)
    docx = tmp_path / "red.docx"
    args = ["redline", str(path), "-d", DOC, "--from", f"r{rev}", "-o", str(docx)]
    assert main.main(args) == 0
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml  # real tracked changes
