"""The editor's keys: Tab moves focus, lists indent and continue, undo after a menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from ui.navigator import SECTION
from workbench import sections

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def open_section(window, qtbot, section_id):
    window.navigator.reload()
    window.navigator.select(SECTION, section_id)
    qtbot.waitUntil(lambda: window.editor.section_id == section_id)


def test_tab_leaves_the_body_and_inserts_nothing(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Purpose", body="Plain paragraph.")
    open_section(window, qtbot, sid)
    body = window.editor.body
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)
    qtbot.keyClick(body, Qt.Key.Key_Tab)
    assert body.toPlainText() == "Plain paragraph."
    qtbot.waitUntil(lambda: not body.hasFocus())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, SHIFT)
    qtbot.waitUntil(body.hasFocus)
    assert body.toPlainText() == "Plain paragraph."


def test_the_formatting_toolbar_is_in_the_tab_order(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Purpose")
    open_section(window, qtbot, sid)
    window.editor.body.setFocus()
    qtbot.waitUntil(window.editor.body.hasFocus)
    # Backwards from the body, the link button (the toolbar's last) comes first.
    qtbot.keyClick(window.editor.body, Qt.Key.Key_Backtab, SHIFT)
    focused = QApplication.focusWidget()
    assert isinstance(focused, QToolButton)
    assert focused.defaultAction() is window.editor.format_actions["link"]


def test_tab_indents_a_list_item_and_shift_tab_outdents(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Lines of effort")
    open_section(window, qtbot, sid)
    body = window.editor.body
    body.setFocus()
    qtbot.keyClicks(body, "- Interdiction")
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, "At sea")
    qtbot.keyClick(body, Qt.Key.Key_Tab)
    assert body.toPlainText() == "- Interdiction\n  - At sea"
    assert body.hasFocus()
    qtbot.keyClick(body, Qt.Key.Key_Backtab, SHIFT)
    assert body.toPlainText() == "- Interdiction\n- At sea"
    assert body.hasFocus()


def test_enter_continues_lists_and_ends_them_on_an_empty_item(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Steps")
    open_section(window, qtbot, sid)
    body = window.editor.body
    body.setFocus()
    qtbot.keyClicks(body, "1. Detect")
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, "Monitor")
    qtbot.keyClick(body, Qt.Key.Key_Return)
    assert body.toPlainText() == "1. Detect\n2. Monitor\n3. "
    qtbot.keyClick(body, Qt.Key.Key_Return)  # an empty item ends the list
    qtbot.keyClicks(body, "After the list.")
    assert body.toPlainText() == "1. Detect\n2. Monitor\nAfter the list."
    assert window.ops.flush()
    window.autosave.flush_now()
    assert window.ops.flush()
    assert sections.section(ws, sid).body == "1. Detect\n2. Monitor\nAfter the list."


def test_ctrl_return_in_the_body_adds_a_section_and_focuses_its_heading(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Purpose", body="Text")
    open_section(window, qtbot, sid)
    body = window.editor.body
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_Return, CTRL)
    assert window.ops.flush()
    assert body.toPlainText() in ("Text", "")  # no line was added to the old section
    assert sections.section(ws, sid).body == "Text"
    ids = [e.id for e in sections.outline(ws, doc_id)]
    assert len(ids) == 2
    qtbot.waitUntil(lambda: window.editor.section_id == ids[1])
    qtbot.waitUntil(window.editor.heading.hasFocus)
    qtbot.keyClicks(window.editor.heading, "Scope")
    window.autosave.flush_now()
    assert window.ops.flush()
    assert sections.section(ws, ids[1]).heading == "Scope"


def open_edit_menu_and_escape(qtbot, window):
    bar = window.menuBar()
    edit = window.edit_menu
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(edit.menuAction()).center()
    )
    qtbot.waitUntil(edit.isVisible)
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not edit.isVisible())


def test_undo_after_opening_and_closing_a_menu_undoes_the_typing(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="Introduction")
    b = sections.add_section(ws, doc_id, heading="Threat")
    open_section(window, qtbot, b)
    window.navigator.setFocus()
    qtbot.keyClick(window.navigator, Qt.Key.Key_Up, CTRL | SHIFT)  # move "Threat" up
    assert window.ops.flush()
    assert [e.id for e in sections.outline(ws, doc_id)] == [b, a]
    qtbot.waitUntil(lambda: window.editor.section_id == b)
    body = window.editor.body
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)
    qtbot.keyClicks(body, "XYZ")
    open_edit_menu_and_escape(qtbot, window)
    qtbot.waitUntil(body.hasFocus)  # the focus came back to the text
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL)
    assert body.toPlainText() == ""
    assert window.ops.flush()
    assert [e.id for e in sections.outline(ws, doc_id)] == [b, a]  # the move stays


def test_edit_menu_undo_while_the_menu_has_the_keyboard_targets_the_text(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="Introduction")
    open_section(window, qtbot, a)
    window.outline.actions["add_section"].trigger()
    assert window.ops.flush()
    body = window.editor.body
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)
    qtbot.keyClicks(body, "draft")
    window.menuBar().setFocus()  # as after Alt or Esc from a menu
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.menuBar())
    window._update_undo_text()
    assert window.undo_action.text() == "&Undo Typing"
    window.undo_action.trigger()
    assert body.toPlainText() == ""
    assert len(sections.outline(ws, doc_id)) == 2


def test_edit_menu_has_clipboard_commands_and_one_undo_pair(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Purpose", body="Alpha beta")
    open_section(window, qtbot, sid)
    texts = [a.text() for a in window.edit_menu.actions() if not a.isSeparator()]
    assert texts[2:6] == ["Cu&t", "&Copy", "&Paste", "Select &All"]
    assert not any("Outline Change" in t for t in texts)
    body = window.editor.body
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)
    window.findChild(type(window.undo_action), "selectAll").trigger()
    window.findChild(type(window.undo_action), "cut").trigger()
    assert body.toPlainText() == ""
    assert QApplication.clipboard().text() == "Alpha beta"
    window.findChild(type(window.undo_action), "paste").trigger()
    window.findChild(type(window.undo_action), "paste").trigger()
    assert body.toPlainText() == "Alpha betaAlpha beta"


def test_a_long_heading_shows_its_start(qtbot, ws, doc_id, window):
    title = "Strategic framework for maritime interdiction " * 6
    sid = sections.add_section(ws, doc_id, heading=title.strip())
    window.resize(1024, 700)
    open_section(window, qtbot, sid)
    assert window.editor.heading.cursorPosition() == 0
