"""Spell check as you type: underlines, suggestions in the context menu, the dictionary."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication

from ui.navigator import SECTION
from workbench import sections, spelling

WAVY = QTextCharFormat.UnderlineStyle.SpellCheckUnderline


def underlined(edit, word):
    """Is `word` in the body drawn with the spell-check underline?"""
    block = edit.document().firstBlock()
    while block.isValid():
        at = block.text().find(word)
        if at >= 0:
            for r in block.layout().formats():
                if r.start <= at < r.start + r.length:
                    return r.format.underlineStyle() == WAVY
            return False
        block = block.next()
    raise AssertionError(f"{word} is not in the text")


def open_section(window, qtbot, sid):
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    qtbot.waitUntil(lambda: window.editor.section_id == sid)


def context_click(qtbot, widget, pos):
    """A right click: the press, then the context-menu event the window system sends."""
    qtbot.mousePress(widget, Qt.MouseButton.RightButton, pos=pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)
    qtbot.mouseRelease(widget, Qt.MouseButton.RightButton, pos=pos)


def right_click_word(qtbot, edit, word):
    cursor = edit.document().find(word)
    cursor.setPosition(cursor.selectionStart() + 1)
    pos = edit.cursorRect(cursor).center()
    context_click(qtbot, edit.viewport(), pos)
    qtbot.waitUntil(lambda: getattr(edit, "last_menu", None) is not None)
    menu = edit.last_menu
    qtbot.waitUntil(menu.isVisible)
    return menu


def test_misspelled_words_are_underlined_and_corrected_from_the_menu(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Purpose")
    open_section(window, qtbot, sid)
    body = window.editor.body
    body.setFocus()
    qtbot.keyClicks(body, "Maritime interdicton see https://dhs.gov/intrdct and `cde`")
    assert underlined(body, "interdicton")
    assert not underlined(body, "Maritime")
    assert not underlined(body, "intrdct")  # a URL is not prose
    assert not underlined(body, "cde")  # nor is code
    menu = right_click_word(qtbot, body, "interdicton")
    texts = [a.text() for a in menu.actions()]
    assert "interdiction" in texts
    assert texts.index("interdiction") < texts.index("Add “interdicton” to Workspace Dictionary")
    next(a for a in menu.actions() if a.text() == "interdiction").trigger()
    menu.close()
    assert body.toPlainText().startswith("Maritime interdiction see")
    window.autosave.flush_now()
    assert window.ops.flush()
    assert sections.section(ws, sid).body.startswith("Maritime interdiction see")


def test_add_to_workspace_dictionary_removes_the_underline(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Purpose", body="The SPSS study.")
    open_section(window, qtbot, sid)
    body = window.editor.body
    assert underlined(body, "SPSS")
    menu = right_click_word(qtbot, body, "SPSS")
    next(a for a in menu.actions() if a.objectName() == "addWord").trigger()
    menu.close()
    assert window.ops.flush()
    qtbot.waitUntil(lambda: not underlined(body, "SPSS"))
    assert "SPSS" in spelling.workspace_words(ws)


def test_heading_spelling_suggestions(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Straetgy overview")
    open_section(window, qtbot, sid)
    heading = window.editor.heading
    pos = QPoint(8 + heading.fontMetrics().horizontalAdvance("Str"), heading.height() // 2)
    context_click(qtbot, heading, pos)
    qtbot.waitUntil(lambda: getattr(heading, "last_menu", None) is not None)
    menu = heading.last_menu
    assert "Strategy" in [a.text() for a in menu.actions()]
    next(a for a in menu.actions() if a.text() == "Strategy").trigger()
    menu.close()
    assert heading.text() == "Strategy overview"
    window.autosave.flush_now()
    assert window.ops.flush()
    assert sections.section(ws, sid).heading == "Strategy overview"


def test_spelling_can_be_switched_off(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Purpose", body="A tpyo here.")
    open_section(window, qtbot, sid)
    assert underlined(window.editor.body, "tpyo")
    window.spelling_action.trigger()
    assert not underlined(window.editor.body, "tpyo")
    window.spelling_action.trigger()
    assert underlined(window.editor.body, "tpyo")
