"""File → Import Draft…: a Word file previewed as the sections it will create, then imported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

from workbench import documents
from workbench.sections import outline

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "word" / "libreoffice-ig-report.docx"


def _open(qtbot, window, monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.findChild(QAction, "importDraft").trigger()
    qtbot.waitUntil(lambda: getattr(window, "draft_import_dialog", None) is not None, timeout=20000)
    return window.draft_import_dialog


def test_preview_then_import_creates_the_sections(qtbot, window, ws, monkeypatch, dialogs):
    dialog = _open(qtbot, window, monkeypatch, FIXTURE)
    assert dialog.title.text() == "Inspector General Review of Coordination"
    assert dialog.marking.text() == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    top = dialog.tree.topLevelItem(0)
    assert top.text(0) == "Findings" and top.child(0).text(0) == "Seizures by port"
    assert "3 footnotes" in dialog.summary.text() and "1 table," in dialog.summary.text()
    assert documents.list_documents(ws) == []  # nothing written by the preview
    dialog.kind.setFocus()
    dialog.kind.setCurrentIndex(dialog.kind.findData("report_to_congress"))
    dialog.title.selectAll()
    qtbot.keyClicks(dialog.title, "IG Review")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert window.ops.flush()
    (doc,) = documents.list_documents(ws)
    assert (doc.title, doc.kind) == ("IG Review", "report_to_congress")
    assert [e.heading for e in outline(ws, doc.id)] == ["Findings", "Seizures by port"]
    qtbot.waitUntil(lambda: window.navigator.current_document_id() == doc.id, timeout=5000)
    assert dialogs.kinds() == []


def test_a_damaged_file_is_refused_in_one_line(qtbot, window, ws, monkeypatch, dialogs, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    window.findChild(QAction, "importDraft").trigger()
    qtbot.waitUntil(lambda: dialogs.kinds() == ["error"], timeout=20000)
    assert "bad.docx cannot be imported" in dialogs.shown[0][2]
    assert documents.list_documents(ws) == []


def test_cancelling_the_preview_writes_nothing(qtbot, window, ws, monkeypatch):
    dialog = _open(qtbot, window, monkeypatch, FIXTURE)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert window.ops.flush()
    assert documents.list_documents(ws) == []


def test_paragraphs_the_import_could_not_place_are_announced(
    qtbot, window, ws, monkeypatch, tmp_path
):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_heading("Findings", 1)
    d.element.body.append(
        parse_xml(
            f"<w:p {nsdecls('w')}><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>Tokyo</w:t></w:r>"
            "</w:rt><w:rubyBase><w:r><w:t>Kanji</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>"
        )
    )
    path = tmp_path / "ruby.docx"
    d.save(path)
    dialog = _open(qtbot, window, monkeypatch, path)
    assert dialog.warning.isVisibleTo(dialog)
    assert "1 paragraph of the file could not be placed" in dialog.warning.text()
    assert dialog.tree.topLevelItem(1).text(0) == "Text the import could not place"
    dialog.reject()


def test_a_clean_file_shows_no_warning(qtbot, window, ws, monkeypatch):
    dialog = _open(qtbot, window, monkeypatch, FIXTURE)
    assert not dialog.warning.isVisibleTo(dialog)
    dialog.reject()


def test_pictures_that_cannot_become_figures_are_announced(qtbot, window, ws, monkeypatch):
    from tests.workbench.word import corpus

    dialog = _open(qtbot, window, monkeypatch, corpus.find("image_data_inside_object_tag.docx"))
    assert dialog.warning.isVisibleTo(dialog)
    assert "1 picture cannot become a figure" in dialog.warning.text()
    assert "EMF pictures cannot be stored" in dialog.warning.text()
    dialog.reject()


MARKED = FIXTURE.with_name("foreign_markup.docx")  # LibreOffice: 2 comments, 1 insertion


def test_a_draft_with_reviewers_markup_keeps_it_in_the_crm(
    qtbot, window, ws, monkeypatch, dialogs, council
):
    from workbench.coordination import comments as cm

    dialog = _open(qtbot, window, monkeypatch, MARKED)
    box = dialog.markup_box
    assert box is not None and box.isVisibleTo(dialog)
    assert "2 comments and 1 tracked change by Pat Moreno" in box.findChild(QLabel).text()
    assert dialog.keep_markup.isChecked()  # nothing is lost unless the analyst says so
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # whose comments they are must be said first
    # The sections as they stood before the tracked change.
    assert "(2026)" not in dialog.shown_preview().sections[0].body
    dialog.grab().save("/tmp/roundtrip-import-draft-markup.png")
    dialog.organization.setFocus()
    qtbot.keyClicks(dialog.organization, "CBP")
    assert dialog.organization.currentData() == "CBP" and ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert window.ops.flush()
    (doc,) = documents.list_documents(ws)
    crm = cm.list_comments(ws, doc.id)
    assert sorted(c.comment for c in crm) == [
        "Insert “(2026)”.",
        "This annex is ours; keep it out.",
        "name the ports.",
    ]
    assert {(c.organization, c.reviewer_name) for c in crm} == {("CBP", "Pat Moreno")}
    ports = outline(ws, doc.id)[0]
    from workbench.sections import section

    assert "(2026)" not in section(ws, ports.id).body  # the change stays a proposal
    assert "in the CRM as CBP's" in window.statusBar().currentMessage()
    assert dialogs.kinds() == []


def test_accepting_a_drafts_changes_says_the_comments_are_left_out(
    qtbot, window, ws, monkeypatch, dialogs, council
):
    from workbench.coordination import comments as cm
    from workbench.sections import section

    dialog = _open(qtbot, window, monkeypatch, MARKED)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert (
        dialog.apply_changes.text()
        == "&Accept the tracked changes; its 2 comments are not imported"
    )
    qtbot.waitExposed(dialog)
    radio = dialog.apply_changes
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()
    assert ok.isEnabled() and "(2026)" in dialog.shown_preview().sections[0].body
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert window.ops.flush()
    (doc,) = documents.list_documents(ws)
    assert cm.list_comments(ws, doc.id) == []
    assert "(2026)" in section(ws, outline(ws, doc.id)[0].id).body
    assert "2 comment(s) were not imported, as you chose" in window.statusBar().currentMessage()
