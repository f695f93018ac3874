"""The Markdown body field: Tab moves focus (indents inside a list), lists continue on Enter."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

# A list item or quote line: indent, marker (bullet, number, quote), the item's text.
LIST_LINE = re.compile(r"^(?P<indent>[ ]*)(?P<marker>[-*+] |(?P<num>\d{1,9})[.)] |> )(?P<text>.*)$")

# Keys the window's actions own even while the body has the focus (add section, ...).
_PASS_THROUGH = [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Shift+Return")]


def list_marker(line: str) -> re.Match | None:
    return LIST_LINE.match(line)


class MarkdownEdit(QPlainTextEdit):
    """A plain-text field for Markdown source that behaves like a Markdown editor's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        # fn(menu, cursor) adds to the context menu for the text under the mouse (spelling).
        self.menu_hook = None
        # fn(mime) -> bool takes a pasted or dropped image (the Insert Figure dialog); True
        # when it handled the paste, so no text is inserted.
        self.image_hook = None
        # Tab leaves the field: a tab character would turn the paragraph into a code block.
        self.setTabChangesFocus(True)

    def canInsertFromMimeData(self, source) -> bool:  # noqa: N802 (Qt override)
        if self.image_hook is not None and source.hasImage():
            return True
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source) -> None:  # noqa: N802 (Qt override)
        if self.image_hook is not None and source.hasImage() and self.image_hook(source):
            return
        super().insertFromMimeData(source)

    def _line(self) -> tuple[QTextCursor, re.Match | None]:
        cursor = self.textCursor()
        return cursor, list_marker(cursor.block().text())

    def event(self, e) -> bool:  # noqa: D401 (Qt override)
        if e.type() == QEvent.Type.ShortcutOverride:
            combo = QKeySequence(e.keyCombination())
            if any(
                combo.matches(k) == QKeySequence.SequenceMatch.ExactMatch for k in _PASS_THROUGH
            ):
                e.ignore()  # let the window's shortcut run instead of inserting a line
                return False
        if e.type() == QEvent.Type.KeyPress and e.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            mods = e.modifiers()
            if mods & Qt.KeyboardModifier.ControlModifier and e.key() == Qt.Key.Key_Tab:
                self.textCursor().insertText("\t")  # the literal tab, for who really wants one
                return True
            if not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                back = e.key() == Qt.Key.Key_Backtab or bool(
                    mods & Qt.KeyboardModifier.ShiftModifier
                )
                if self._indent_list_items(outdent=back):
                    return True
        return super().event(e)

    def keyPressEvent(self, e) -> None:  # noqa: N802 (Qt override)
        plain = not e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            if self._continue_list():
                return
        super().keyPressEvent(e)

    def contextMenuEvent(self, e) -> None:  # noqa: N802 (Qt override)
        menu = self.createStandardContextMenu(e.pos())
        if self.menu_hook is not None:
            self.menu_hook(menu, self.cursorForPosition(e.pos()))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_menu = menu  # tests look at it
        menu.popup(e.globalPos())

    # -- lists -------------------------------------------------------------------------------
    def _selected_blocks(self):
        cursor = self.textCursor()
        doc = self.document()
        block = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        while block.isValid():
            yield block
            if block == last:
                break
            block = block.next()

    def _indent_list_items(self, *, outdent: bool) -> bool:
        """Indent (or outdent) the list items under the cursor; False when not in a list."""
        blocks = list(self._selected_blocks())
        matches = [list_marker(b.text()) for b in blocks]
        if not matches or not all(m and not m["marker"].startswith(">") for m in matches):
            return False
        cursor = self.textCursor()
        cursor.beginEditBlock()
        for block, m in zip(blocks, matches, strict=True):
            step = len(m["marker"])  # nesting under the item above needs its marker's width
            line = QTextCursor(block)
            if outdent:
                remove = min(step, len(m["indent"]))
                if remove:
                    line.movePosition(
                        QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, remove
                    )
                    line.removeSelectedText()
            else:
                line.insertText(" " * step)
        cursor.endEditBlock()
        return True

    def _continue_list(self) -> bool:
        """Enter in a list item starts the next item; on an empty item it ends the list."""
        cursor, m = self._line()
        if m is None or cursor.hasSelection():
            return False
        if cursor.positionInBlock() < len(m["indent"]) + len(m["marker"]):
            return False  # before the marker: an ordinary new line
        cursor.beginEditBlock()
        if not m["text"].strip():
            cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.removeSelectedText()
        else:
            marker = m["marker"]
            if m["num"] is not None:
                marker = f"{int(m['num']) + 1}{marker[len(m['num'])]} "
            cursor.insertText("\n" + m["indent"] + marker)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return True
