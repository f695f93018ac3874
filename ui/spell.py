"""Spell checking in the editor: underlines as you type, suggestions in the context menu."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QColor, QInputMethodEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLineEdit, QMenu

from ui import settings as app_settings
from workbench import spelling
from workbench.undo import AddWord

UNDERLINE = QColor("#d1242f")


def misspelled_format(base: QTextCharFormat | None = None) -> QTextCharFormat:
    fmt = QTextCharFormat(base) if base is not None else QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
    fmt.setUnderlineColor(UNDERLINE)
    return fmt


class SpellCheck(QObject):
    """The checker for one window: the language dictionary plus the workspace's words."""

    changed = Signal()  # words or the on/off switch changed: underline again

    def __init__(self, ws, ops, parent=None):
        super().__init__(parent)
        self.ws, self.ops = ws, ops
        # The window's undo stack (perform(command, after=fn)): an added word is undone with
        # Edit > Undo like any other change. Without it the word is added directly.
        self.perform = None
        self.checker = spelling.Checker()
        self._words: tuple = ()
        self.own: set[str] = set()  # the workspace dictionary's own words
        self.enabled = app_settings.settings().value("editor/spelling", True) not in (
            False,
            "false",
        )
        self.reload_words()

    @property
    def available(self) -> bool:
        return spelling.installed()

    @property
    def active(self) -> bool:
        return self.enabled and self.available

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        app_settings.settings().setValue("editor/spelling", on)
        self.changed.emit()

    def reload_words(self) -> None:
        words = spelling.workspace_words(self.ws)
        if words != self._words:
            self._words = words
            self.own = set(spelling.own_words(self.ws))
            self.checker.set_words(words)
            self.changed.emit()

    def misspelled(self, text: str) -> list[tuple[int, int, str]]:
        # An empty line needs no dictionary (loading it is ~9 MB: not before there is text).
        return self.checker.misspelled(text) if text.strip() and self.active else []

    def word_at(self, text: str, pos: int) -> tuple[int, int, str] | None:
        """The misspelled word at this position of the text, if any."""
        for start, end, word in self.misspelled(text):
            if start <= pos <= end:
                return start, end, word
        return None

    def add_to_dictionary(self, word: str) -> None:
        if self.perform is not None:
            self.perform(AddWord(word), after=lambda _c: self.reload_words())
        else:
            self.ops.run(spelling.add_word, word, on_done=lambda _r: self.reload_words())

    def remove_from_dictionary(self, word: str) -> None:
        self.ops.run(spelling.remove_word, word, on_done=lambda _r: self.reload_words())

    def own_word_at(self, text: str, pos: int) -> str | None:
        """The workspace dictionary's word at this position of the text, if it is one."""
        if not self.own:
            return None
        for start, end, word in spelling.words_to_check(text):
            if start <= pos <= end and word in self.own:
                return word
        return None

    def fill_remove(self, menu: QMenu, word: str) -> None:
        """'Remove from Workspace Dictionary' for a word someone added, above the rest."""
        first = menu.actions()[0] if menu.actions() else None
        remove = QAction(f"Remove “{word}” from Workspace Dictionary", menu)
        remove.setObjectName("removeWord")
        remove.triggered.connect(lambda: self.remove_from_dictionary(word))
        menu.insertAction(first, remove)
        if first is not None:
            menu.insertSeparator(first)

    def fill_menu(self, menu: QMenu, word: str, replace) -> None:
        """Suggestions first, then 'Add to workspace dictionary', above the standard entries."""
        first = menu.actions()[0] if menu.actions() else None
        suggestions = self.checker.suggest(word)
        entries = []
        for s in suggestions:
            action = menu.addAction(s)
            action.setObjectName("suggestion")
            action.triggered.connect(lambda _=False, s=s: replace(s))
            entries.append(action)
        if not suggestions:
            none = menu.addAction("(no suggestions)")
            none.setEnabled(False)
            entries.append(none)
        add = menu.addAction(f"Add “{word}” to Workspace Dictionary")
        add.setObjectName("addWord")
        add.triggered.connect(lambda: self.add_to_dictionary(word))
        entries.append(add)
        for action in entries:
            menu.removeAction(action)
        menu.insertActions(first, entries)
        if first is not None:
            menu.insertSeparator(first)


def body_menu(spell: SpellCheck, edit, menu: QMenu, cursor: QTextCursor) -> None:
    """Add suggestions for the misspelled word under `cursor` in a QPlainTextEdit."""
    block = cursor.block()
    hit = spell.word_at(block.text(), cursor.positionInBlock())
    if hit is None:
        own = spell.own_word_at(block.text(), cursor.positionInBlock())
        if own is not None and spell.active:
            spell.fill_remove(menu, own)
        return
    start, end, word = hit

    def replace(text: str) -> None:
        c = QTextCursor(block)
        c.setPosition(block.position() + start)
        c.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
        c.insertText(text)

    spell.fill_menu(menu, word, replace)


def heading_menu(spell: SpellCheck, edit: QLineEdit, menu: QMenu, pos: int) -> None:
    hit = spell.word_at(edit.text(), pos)
    if hit is None:
        own = spell.own_word_at(edit.text(), pos)
        if own is not None and spell.active:
            spell.fill_remove(menu, own)
        return
    start, end, word = hit

    def replace(text: str) -> None:
        edit.setSelection(start, end - start)
        edit.insert(text)
        edit.textEdited.emit(edit.text())  # a correction is typing: it saves like typing

    spell.fill_menu(menu, word, replace)


def underline_line_edit(spell: SpellCheck, edit: QLineEdit) -> None:
    """A QLineEdit has no highlighter: its text layout takes formats from an input-method
    event with no text in it (positions relative to the cursor)."""
    at = edit.cursorPosition()
    attrs = [
        QInputMethodEvent.Attribute(
            QInputMethodEvent.AttributeType.TextFormat, start - at, end - start, misspelled_format()
        )
        for start, end, _w in spell.misspelled(edit.text())
    ]
    QCoreApplication.sendEvent(edit, QInputMethodEvent("", attrs))
