"""Insert → Figure…, Cross-reference… and Footnote in the editor, and figures on screen."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextDocument

from ui import insert_menu
from ui.document_preview import DocumentPreview
from ui.navigator import SECTION
from workbench import figures, sections


def png(tmp_path, name="circle.png", size=(320, 200)):
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).ellipse([10, 10, size[0] - 10, size[1] - 10], fill="orange")
    out = io.BytesIO()
    image.save(out, "PNG")
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def insert(window):
    return insert_menu.install(window)


def open_section(qtbot, window, doc_id, body="Opening text."):
    sid = sections.add_section(window.ws, doc_id, heading="Operations", body=body)
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    qtbot.waitUntil(lambda: window.editor.section_id == sid)
    return sid


def menu_action(window, name):
    from PySide6.QtGui import QAction

    return window.findChild(QAction, name)


def test_insert_figure_stores_the_image_and_shows_it_in_the_previews(
    qtbot, ws, doc_id, window, insert, tmp_path
):
    sid = open_section(qtbot, window, doc_id)
    path = png(tmp_path)
    seen = {}

    def drive():
        dialog = window.figure_dialog
        assert not dialog.ok.isEnabled()  # nothing chosen yet
        dialog.load_file(path)
        assert not dialog.ok.isEnabled()  # alt text and caption are required
        qtbot.keyClicks(dialog.alt, "Orange circle")
        qtbot.keyClicks(dialog.caption, "Interdictions by region")
        assert dialog.ok.isEnabled()
        assert not dialog.preview.pixmap().isNull()
        dialog.grab().save(str(tmp_path / "figure-dialog.png"))
        seen["shot"] = True
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    menu_action(window, "insertFigure").trigger()
    assert seen["shot"]
    window.ops.flush()
    qtbot.waitUntil(lambda: "figure:" in window.editor.body.toPlainText())
    (stored,) = figures.list_figures(ws, doc_id)
    assert stored.alt == "Orange circle" and stored.source_name == "circle.png"
    assert f'](figure:{stored.id} "Interdictions by region")' in window.editor.body.toPlainText()
    window.autosave.flush_now()
    window.ops.flush()
    assert "figure:" in sections.section(ws, sid).body
    preview = window.editor.preview
    qtbot.waitUntil(lambda: "Figure 1. Interdictions by region" in preview.toPlainText())
    image = preview.document().resource(
        QTextDocument.ResourceType.ImageResource, f"figure:{stored.id}"
    )
    assert image is not None and not image.isNull()
    window.editor.grab().save(str(tmp_path / "editor-with-figure.png"))

    window.preview_document()
    dialog = next(w for w in window.findChildren(DocumentPreview) if w.isVisible())
    assert "Figure 1. Interdictions by region" in dialog.browser.toPlainText()
    assert dialog.browser.image_for(stored.id) is not None
    dialog.close()


def test_a_file_that_is_not_an_image_says_why_and_cannot_be_inserted(
    qtbot, ws, doc_id, window, insert, tmp_path
):
    open_section(qtbot, window, doc_id)
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"just some text")
    results = {}

    def drive():
        dialog = window.figure_dialog
        dialog.load_file(bad)
        qtbot.keyClicks(dialog.alt, "x")
        qtbot.keyClicks(dialog.caption, "y")
        results["problem"] = dialog.problem.text()
        results["ok"] = dialog.ok.isEnabled()
        dialog.reject()

    QTimer.singleShot(0, drive)
    menu_action(window, "insertFigure").trigger()
    assert "not a PNG, JPEG or SVG" in results["problem"]
    assert results["ok"] is False
    assert figures.list_figures(ws, doc_id) == []


def test_preview_never_loads_a_path_named_in_the_text(qtbot, ws, doc_id, window, tmp_path):
    path = png(tmp_path)
    open_section(qtbot, window, doc_id, body=f"![x]({path})\n\n![y](file://{path})")
    preview = window.editor.preview
    assert preview.loadResource(QTextDocument.ResourceType.ImageResource, str(path)) is None
    assert "<img" not in preview.toHtml()


def test_cross_reference_picker_stores_the_id_and_prints_the_current_number(
    qtbot, ws, doc_id, window, insert
):
    target = sections.add_section(ws, doc_id, heading="Threat", body="Semi-submersibles.")
    sid = open_section(qtbot, window, doc_id, body="See ")
    cursor = window.editor.body.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.body.setTextCursor(cursor)

    def drive():
        dialog = window.xref_dialog
        qtbot.keyClicks(dialog.filter, "threat")
        assert dialog.selected_id() == target
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)
    menu_action(window, "insertCrossReference").trigger()
    assert window.editor.body.toPlainText() == f"See [§](section:{target})"
    window.editor.update_preview()
    assert "See §1" in window.editor.preview.toPlainText()
    # A section inserted before the target renumbers the reference everywhere.
    window.autosave.flush_now()
    window.ops.flush()
    sections.add_section(ws, doc_id, index=0, heading="Purpose", body="Why.")
    window.editor.update_preview()
    assert "See §2" in window.editor.preview.toPlainText()
    assert sections.section(ws, sid).body.endswith(f"(section:{target})")


def test_insert_footnote_adds_the_mark_and_its_note(qtbot, ws, doc_id, window, insert):
    open_section(qtbot, window, doc_id, body="Seizures rose[^1].\n\n[^1]: CBP data.")
    body = window.editor.body
    cursor = body.textCursor()
    cursor.setPosition(len("Seizures rose[^1]."))
    body.setTextCursor(cursor)
    menu_action(window, "insertFootnote").trigger()
    qtbot.keyClicks(body, "USCG data.")
    assert body.toPlainText() == ("Seizures rose[^1].[^2]\n\n[^1]: CBP data.\n\n[^2]: USCG data.")


def test_pasting_an_image_opens_insert_figure_with_it(qtbot, ws, doc_id, window, insert):
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QImage

    open_section(qtbot, window, doc_id)
    image = QImage(200, 100, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    mime = QMimeData()
    mime.setImageData(image)
    seen = {}

    def drive():
        dialog = window.figure_dialog
        seen["preview"] = not dialog.preview.pixmap().isNull()
        qtbot.keyClicks(dialog.alt, "Cyan block")
        qtbot.keyClicks(dialog.caption, "A pasted chart")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    window.editor.body.insertFromMimeData(mime)
    assert seen["preview"]
    window.ops.flush()
    qtbot.waitUntil(lambda: "figure:" in window.editor.body.toPlainText())
    (stored,) = figures.list_figures(ws, doc_id)
    assert (stored.media_type, stored.width, stored.height) == ("image/png", 200, 100)


def test_a_figure_already_stored_can_be_placed_again_without_storing_it_twice(
    qtbot, ws, doc_id, window, insert, tmp_path
):
    fid = figures.add_figure(
        ws, doc_id, png(tmp_path).read_bytes(), alt="Orange circle", caption="First use"
    )
    open_section(qtbot, window, doc_id)

    def drive():
        dialog = window.figure_dialog
        dialog.source.setCurrentIndex(dialog.source.findData(fid))
        assert dialog.alt.text() == "Orange circle" and dialog.caption.text() == "First use"
        assert not dialog.choose.isEnabled() and not dialog.preview.pixmap().isNull()
        dialog.caption.clear()
        qtbot.keyClicks(dialog.caption, "Second use")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    menu_action(window, "insertFigure").trigger()
    assert f'](figure:{fid} "Second use")' in window.editor.body.toPlainText()
    assert len(figures.list_figures(ws, doc_id)) == 1
