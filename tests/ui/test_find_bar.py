"""Find and Replace in the window: Ctrl+F / Ctrl+H, across sections, one undo for all."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.navigator import SECTION
from workbench import sections

CTRL = Qt.KeyboardModifier.ControlModifier


def setup(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="Coast Guard role", body="The coast guard leads.")
    b = sections.add_section(ws, doc_id, heading="Partners", body="States and the Coast Guard.")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    qtbot.waitUntil(lambda: window.editor.section_id == a)
    window.editor.body.setFocus()
    qtbot.waitUntil(window.editor.body.hasFocus)
    return a, b


def test_ctrl_f_finds_across_sections_and_wraps(qtbot, ws, doc_id, window):
    a, b = setup(qtbot, ws, doc_id, window)
    qtbot.keyClick(window.editor.body, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    qtbot.waitUntil(bar.find_edit.hasFocus)
    assert not bar.replace_edit.isVisible()
    qtbot.keyClicks(bar.find_edit, "coast guard")
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)  # from the cursor, at the body's start
    assert bar.status.text() == "2 of 3"
    assert window.editor.body.textCursor().selectedText() == "coast guard"
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert window.editor.section_id == b  # on to the next section
    assert window.editor.body.textCursor().selectedText() == "Coast Guard"
    assert bar.status.text() == "3 of 3"
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)  # wraps to the first, in a heading
    assert window.editor.section_id == a
    assert window.editor.heading.selectedText() == "Coast Guard"
    assert bar.status.text() == "1 of 3"
    qtbot.mouseClick(bar.case_box, Qt.MouseButton.LeftButton)
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)  # exact case: only the lower-case one
    assert window.editor.body.textCursor().selectedText() == "coast guard"
    assert bar.status.text() == "1 of 1"
    qtbot.mouseClick(bar.case_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(bar.prev_button, Qt.MouseButton.LeftButton)
    assert window.editor.heading.selectedText() == "Coast Guard"
    assert bar.status.text() == "1 of 3"
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_replace_all_is_one_undo_step(qtbot, ws, doc_id, window):
    a, b = setup(qtbot, ws, doc_id, window)
    qtbot.keyClick(window.editor.body, Qt.Key.Key_H, CTRL)
    bar = window.find_bar
    qtbot.waitUntil(bar.find_edit.hasFocus)
    assert bar.replace_edit.isVisible()
    qtbot.keyClicks(bar.find_edit, "coast guard")
    qtbot.mouseClick(bar.word_box, Qt.MouseButton.LeftButton)
    bar.replace_edit.setFocus()
    qtbot.keyClicks(bar.replace_edit, "USCG")
    qtbot.mouseClick(bar.replace_all_button, Qt.MouseButton.LeftButton)
    assert window.ops.flush()
    assert sections.section(ws, a).heading == "USCG role"
    assert sections.section(ws, a).body == "The USCG leads."
    assert sections.section(ws, b).body == "States and the USCG."
    assert bar.status.text().startswith("Replaced 3 in 2 section(s)")
    qtbot.waitUntil(lambda: window.editor.body.toPlainText() == "The USCG leads.")
    # Ctrl+Z right away, even from a text field, undoes the whole replacement.
    window.editor.body.setFocus()
    qtbot.waitUntil(window.editor.body.hasFocus)
    window._update_undo_text()
    assert window.undo_action.text() == "&Undo Replace all “coast guard”"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL)
    assert window.ops.flush()
    assert sections.section(ws, a).heading == "Coast Guard role"
    assert sections.section(ws, b).body == "States and the Coast Guard."
    qtbot.waitUntil(lambda: window.editor.body.toPlainText() == "The coast guard leads.")


def test_replace_one_then_next(qtbot, ws, doc_id, window):
    a, b = setup(qtbot, ws, doc_id, window)
    window.find_bar.open_find(replace=True)
    bar = window.find_bar
    qtbot.keyClicks(bar.find_edit, "leads")
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    bar.replace_edit.setFocus()
    qtbot.keyClicks(bar.replace_edit, "directs")
    qtbot.mouseClick(bar.replace_button, Qt.MouseButton.LeftButton)
    assert window.editor.body.toPlainText() == "The coast guard directs."
    window.autosave.flush_now()
    assert window.ops.flush()
    assert sections.section(ws, a).body == "The coast guard directs."
    qtbot.mouseClick(bar.replace_button, Qt.MouseButton.LeftButton)
    assert bar.status.text() == "Not found"


def test_nothing_found_says_so_and_writes_nothing(qtbot, ws, doc_id, window, dialogs):
    setup(qtbot, ws, doc_id, window)
    window.find_bar.open_find(replace=True)
    qtbot.keyClicks(window.find_bar.find_edit, "fentanyl")
    qtbot.mouseClick(window.find_bar.replace_all_button, Qt.MouseButton.LeftButton)
    assert window.ops.flush()
    assert window.find_bar.status.text() == "Not found"
    assert not window.outline.stack.can_undo
    assert dialogs.shown == []
