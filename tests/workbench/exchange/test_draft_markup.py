"""import-draft never flattens a reviewer's words: it says so, and can keep them in the CRM."""

from __future__ import annotations

import zipfile
from pathlib import Path

from workbench import documents
from workbench.cli import main as cli
from workbench.coordination import comments as cm
from workbench.sections import outline, section

DRAFT = Path(__file__).resolve().parents[2] / "fixtures" / "word" / "foreign_markup.docx"


def test_a_draft_with_comments_and_changes_is_not_flattened_silently(ws, ws_path, capsys):
    assert cli(["import-draft", str(ws_path), str(DRAFT)]) == 1
    err = capsys.readouterr().err
    assert "holds 2 comment(s) and 1 tracked change(s)" in err and "--keep-markup" in err
    assert documents.list_documents(ws) == []


def test_keeping_the_markup_leaves_the_changes_unapplied_and_fills_the_crm(ws, ws_path, capsys):
    args = ["import-draft", str(ws_path), str(DRAFT), "--keep-markup", "CBP", "--title", "Ports"]
    assert cli(args) == 0, capsys.readouterr().err
    assert "3 comment(s) and change(s) are in the CRM as CBP's" in capsys.readouterr().out
    [doc] = documents.list_documents(ws)
    ports = next(e for e in outline(ws, doc.id) if e.heading == "Ports of entry")
    assert "(2026)" not in section(ws, ports.id).body  # the insertion is not applied
    crm = {c.comment: c for c in cm.list_comments(ws, doc.id)}
    assert crm["name the ports."].section_id == ports.id
    assert crm["name the ports."].reviewer_name == "Pat Moreno"
    inserted = crm["Insert “(2026)”."]
    assert inserted.section_id == ports.id and "(2026)" in inserted.proposed_wording
    assert all(c.organization == "CBP" for c in crm.values())


def test_applying_the_changes_says_the_comments_were_left_out(ws, ws_path, capsys):
    assert cli(["import-draft", str(ws_path), str(DRAFT), "--apply-changes"]) == 0
    assert "2 comment(s) were not imported" in capsys.readouterr().err
    [doc] = documents.list_documents(ws)
    ports = next(e for e in outline(ws, doc.id) if e.heading == "Ports of entry")
    assert "(2026)" in section(ws, ports.id).body
    assert cm.list_comments(ws, doc.id) == []


def test_keeping_the_markup_titles_the_document_as_the_word_file_does(
    ws, ws_path, tmp_path, capsys
):
    titled = tmp_path / "ports_v3_FINAL.docx"
    with zipfile.ZipFile(DRAFT) as src, zipfile.ZipFile(titled, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "docProps/core.xml":
                part = part.replace(
                    b"<dc:title></dc:title>", b"<dc:title>Ports Strategy</dc:title>"
                )
            dst.writestr(info, part)
    assert cli(["import-draft", str(ws_path), str(titled), "--keep-markup", "CBP"]) == 0
    assert "Imported Ports Strategy as document" in capsys.readouterr().out
    [doc] = documents.list_documents(ws)
    assert doc.title == "Ports Strategy"  # the title Word shows, not "ports v3 FINAL"
