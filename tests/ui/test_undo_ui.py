"""Undo and redo of outline changes from the window, and typing undo staying in the editor."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.navigator import SECTION
from workbench import sections


def headings(ws, doc_id):
    return [(e.number, e.heading) for e in sections.outline(ws, doc_id)]


def test_undo_redo_add_move_delete(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="Introduction")
    b = sections.add_section(ws, doc_id, heading="Threat")
    window.navigator.reload()
    window.navigator.setFocus()
    window.navigator.select(SECTION, b)

    window.outline.actions["add_section"].trigger()
    assert window.ops.flush()
    added = window.navigator.current_section_id()
    assert len(sections.outline(ws, doc_id)) == 3
    window.navigator.setFocus()
    window._update_undo_text()
    assert window.undo_action.text() == "&Undo Add section"
    window.undo_action.trigger()
    assert window.ops.flush()
    assert headings(ws, doc_id) == [("1", "Introduction"), ("2", "Threat")]
    assert window.editor.section_id != added
    window.redo_action.trigger()
    assert window.ops.flush()
    assert [e.id for e in sections.outline(ws, doc_id)] == [a, b, added]

    window.navigator.select(SECTION, b)
    window.outline.actions["indent"].trigger()
    assert window.ops.flush()
    assert headings(ws, doc_id)[1] == ("1.1", "Threat")
    window.undo_action.trigger()
    assert window.ops.flush()
    assert headings(ws, doc_id)[1] == ("2", "Threat")

    window.navigator.select(SECTION, a)
    window.outline.actions["delete_section"].trigger()
    assert window.ops.flush()
    assert [e.id for e in sections.outline(ws, doc_id)] == [b, added]
    assert window.navigator.item_for(SECTION, a) is None
    window.undo_action.trigger()
    assert window.ops.flush()
    assert [e.id for e in sections.outline(ws, doc_id)] == [a, b, added]
    assert window.navigator.item_for(SECTION, a) is not None
    window.redo_action.trigger()
    assert window.ops.flush()
    assert [e.id for e in sections.outline(ws, doc_id)] == [b, added]


def test_ctrl_z_in_the_text_undoes_typing_not_structure(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="Introduction")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    window.outline.actions["add_section"].trigger()  # something structural to undo
    assert window.ops.flush()
    new = window.navigator.current_section_id()
    body = window.editor.body
    body.setFocus()
    qtbot.keyClicks(body, "draft text")
    qtbot.keyClick(body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert body.toPlainText() == ""
    assert window.ops.flush()
    assert new in [e.id for e in sections.outline(ws, doc_id)]
    assert window.outline.stack.can_undo
    # The Edit menu says what it will undo where the focus is.
    qtbot.waitUntil(lambda: window._text_field() is body)
    window._update_undo_text()
    assert window.undo_action.text() == "&Undo Typing"
    window.navigator.setFocus()
    qtbot.waitUntil(lambda: window._text_field() is None)
    assert window.undo_action.text() == "&Undo Add section"
