"""Spell check as you type: underlines, suggestions in the context menu, the dictionary."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QTextCharFormat
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
    # The last thing done was the add: Ctrl+Z in the text takes it back out.
    assert window.undo_action.text() == "&Undo Add “SPSS” to the Dictionary"
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.ops.flush()
    qtbot.waitUntil(lambda: underlined(body, "SPSS"))
    assert "SPSS" not in spelling.own_words(ws)
    assert body.toPlainText() == "The SPSS study."  # the text itself is untouched


def test_a_word_of_the_workspace_dictionary_can_be_removed_from_its_menu(qtbot, ws, doc_id, window):
    spelling.add_word(ws, "SPSS")
    sid = sections.add_section(ws, doc_id, heading="Purpose", body="The SPSS study.")
    window.editor.spell.reload_words()
    open_section(window, qtbot, sid)
    body = window.editor.body
    assert not underlined(body, "SPSS")
    menu = right_click_word(qtbot, body, "SPSS")
    remove = next(a for a in menu.actions() if a.objectName() == "removeWord")
    assert remove.text() == "Remove “SPSS” from Workspace Dictionary"
    remove.trigger()
    menu.close()
    assert window.ops.flush()
    qtbot.waitUntil(lambda: underlined(body, "SPSS"))
    assert spelling.own_words(ws) == ()


def test_the_dictionary_dialog_adds_finds_and_removes_words(qtbot, ws, doc_id, window):
    for word in ("USCG", "SPSS", "CWTPD"):
        spelling.add_word(ws, word)
    sid = sections.add_section(ws, doc_id, heading="Purpose", body="The SPSS and JIATF study.")
    window.editor.spell.reload_words()
    open_section(window, qtbot, sid)
    body = window.editor.body
    assert underlined(body, "JIATF") and not underlined(body, "SPSS")
    window.findChild(QAction, "dictionary").trigger()
    dialog = window.dictionary_dialog
    qtbot.waitExposed(dialog)
    assert dialog.shown() == ["CWTPD", "SPSS", "USCG"]
    # Typing finds; Enter adds what is typed.
    qtbot.keyClicks(dialog.word, "JIATF")
    assert dialog.shown() == []
    qtbot.keyClick(dialog.word, Qt.Key.Key_Return)
    assert window.ops.flush()
    qtbot.waitUntil(lambda: "JIATF" in dialog.shown())
    assert dialog.word.text() == ""
    qtbot.waitUntil(lambda: not underlined(body, "JIATF"))
    # Two words chosen, removed in one step.
    dialog.words.clearSelection()
    for item in dialog.words.findItems("S", Qt.MatchFlag.MatchContains):
        item.setSelected(True)
    assert sorted(i.text() for i in dialog.words.selectedItems()) == ["SPSS", "USCG"]
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert window.ops.flush()
    qtbot.waitUntil(lambda: dialog.shown() == ["CWTPD", "JIATF"])
    assert spelling.own_words(ws) == ("CWTPD", "JIATF")
    qtbot.waitUntil(lambda: underlined(body, "SPSS"))
    # A word that is not a word is refused in the dialog, and nothing changes.
    qtbot.keyClicks(dialog.word, "U2")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert window.ops.flush()
    qtbot.waitUntil(dialog.problem.isVisible)
    assert "one word of letters" in dialog.problem.text()
    assert spelling.own_words(ws) == ("CWTPD", "JIATF")
    dialog.close()


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


def test_without_a_dictionary_the_tools_menu_says_so_and_keeps_the_choice(
    qtbot, ws, window, monkeypatch
):
    monkeypatch.setattr(spelling, "installed", lambda: False)
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    tools.popup(window.mapToGlobal(QPoint(0, 0)))  # what opening the menu does
    qtbot.waitUntil(tools.isVisible)
    action = window.spelling_action
    assert not action.isEnabled() and not action.isChecked()
    assert "hunspell-en-us" in action.statusTip()
    tools.close()
    assert window.editor.spell.enabled  # installing a dictionary later brings it back on
    monkeypatch.setattr(spelling, "installed", lambda: True)
    tools.popup(window.mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(tools.isVisible)
    assert action.isEnabled() and action.isChecked() and not action.statusTip()
    tools.close()
