"""The whole-document preview: every section, numbered, with the marking, typing included."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.document_preview import DocumentPreview
from ui.navigator import SECTION
from workbench import sections

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_preview_shows_the_whole_document_numbered_with_marking(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="Purpose", body="Why this strategy.")
    b = sections.add_section(ws, doc_id, heading="Lines of effort", body="- Detect\n- Interdict")
    sections.add_section(ws, doc_id, parent_id=b, heading="At sea", body="**Maritime** work.")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    qtbot.waitUntil(lambda: window.editor.section_id == a)
    window.editor.body.setFocus()
    qtbot.keyClicks(window.editor.body, " Typed now.")
    qtbot.keyClick(window.editor.body, Qt.Key.Key_P, CTRL_SHIFT)
    dialog = next(w for w in window.findChildren(DocumentPreview) if w.isVisible())
    text = dialog.browser.toPlainText()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert lines[1] == "Maritime Border Strategy"
    assert lines[-1] == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert "1 Purpose" in lines and "2 Lines of effort" in lines and "2.1 At sea" in lines
    assert lines.index("1 Purpose") < lines.index("2 Lines of effort") < lines.index("2.1 At sea")
    assert "Typed now." in text  # what is on screen, saved or not
    assert "**" not in text  # rendered, not Markdown source
    dialog.close()
