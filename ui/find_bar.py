"""The Find and Replace bar: searches the whole document, section after section."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from ui.navigator import SECTION
from workbench import find_replace, sections
from workbench.errors import WorkbenchError
from workbench.undo import ReplaceAll


class FindBar(QWidget):
    """Find (Ctrl+F) and Replace (Ctrl+H) over every section of the current document."""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self._shown: find_replace.Match | None = None  # the occurrence last selected
        self.setObjectName("findBar")
        self.setAccessibleName("Find and replace")
        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText("Find in document")
        self.find_edit.setAccessibleName("Find")
        self.find_edit.setClearButtonEnabled(True)
        self.replace_edit = QLineEdit(self)
        self.replace_edit.setPlaceholderText("Replace with")
        self.replace_edit.setAccessibleName("Replace with")
        self.case_box = QCheckBox("Match &case", self)
        self.word_box = QCheckBox("&Whole word", self)
        self.prev_button = QPushButton("Previous", self)
        self.prev_button.setToolTip("Find previous (Shift+F3)")
        self.next_button = QPushButton("Next", self)
        self.next_button.setToolTip("Find next (F3 or Enter)")
        self.replace_button = QPushButton("&Replace", self)
        self.replace_all_button = QPushButton("Replace &All", self)
        self.replace_all_button.setToolTip("Replace every occurrence in the document (one undo)")
        self.status = QLabel(self)
        self.status.setAccessibleName("Find result")
        self.status.setObjectName("hint")
        close = QToolButton(self)
        close.setText("✕")
        close.setAccessibleName("Close find bar")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)

        grid = QGridLayout(self)
        grid.setContentsMargins(8, 2, 8, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.find_edit, 0, 0)
        grid.addWidget(self.prev_button, 0, 1)
        grid.addWidget(self.next_button, 0, 2)
        grid.addWidget(self.case_box, 0, 3)
        grid.addWidget(self.word_box, 0, 4)
        grid.addWidget(close, 0, 5)
        grid.addWidget(self.replace_edit, 1, 0)
        grid.addWidget(self.replace_button, 1, 1)
        grid.addWidget(self.replace_all_button, 1, 2)
        grid.addWidget(self.status, 1, 3, 1, 3)
        grid.setColumnStretch(0, 1)
        self._replace_row = (self.replace_edit, self.replace_button, self.replace_all_button)

        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_edit.returnPressed.connect(self.replace_one)
        self.prev_button.clicked.connect(self.find_previous)
        self.next_button.clicked.connect(self.find_next)
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.find_edit.textEdited.connect(lambda _t: self.status.clear())
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.close_bar)
        self.hide()

    @property
    def editor(self):
        return self.window_.editor

    # -- showing -----------------------------------------------------------------------------
    def open_find(self, *, replace: bool = False) -> None:
        selected = self.editor.body.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        for w in self._replace_row:
            w.setVisible(replace)
        self.show()
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        if self.editor.section_id is not None:
            self.editor.body.setFocus()

    # -- finding -----------------------------------------------------------------------------
    def _options(self) -> dict:
        return {"match_case": self.case_box.isChecked(), "whole_word": self.word_box.isChecked()}

    def _matches(self) -> list[find_replace.Match] | None:
        doc_id = self.window_.navigator.current_document_id()
        if doc_id is None:
            self.status.setText("Select a document first.")
            return None
        overrides = {}
        if self.editor.section_id is not None:  # what is on screen, saved or not
            overrides[self.editor.section_id] = (
                self.editor.heading.text(),
                self.editor.body.toPlainText(),
            )
        try:
            return find_replace.find_all(
                self.window_.ws,
                doc_id,
                self.find_edit.text(),
                overrides=overrides,
                **self._options(),
            )
        except WorkbenchError as exc:
            self.status.setText(str(exc))
            return None

    def _here(self) -> tuple[tuple[int | None, str], tuple[int, int]]:
        """The shown section and field, and the selection there (where the search goes on)."""
        sid = self.editor.section_id
        shown = self._shown
        focus = QApplication.focusWidget()
        in_editor = focus is not None and self.editor.isAncestorOf(focus)
        if shown is not None and shown.section_id == sid and not in_editor:
            return (sid, shown.field), (shown.start, shown.end)  # stepping from the last hit
        field = "heading" if self.editor.heading.hasFocus() else "body"
        cursor = self.editor.body.textCursor()
        pos = (cursor.selectionStart(), cursor.selectionEnd())
        if field == "heading":
            h = self.editor.heading
            start = h.selectionStart() if h.hasSelectedText() else h.cursorPosition()
            pos = (start, start + len(h.selectedText()))
        return (sid, field), pos

    def _step(self, forward: bool) -> None:
        matches = self._matches()
        if matches is None:
            return
        if not matches:
            self.status.setText("Not found")
            return
        doc_id = self.window_.navigator.current_document_id()
        rank = {e.id: i for i, e in enumerate(sections.outline(self.window_.ws, doc_id))}
        (sid, field), (sel_start, _sel_end) = self._here()
        here = (rank.get(sid, -1), 0 if field == "heading" else 1)

        def key(m):
            return (rank.get(m.section_id, 0), 0 if m.field == "heading" else 1, m.start)

        if forward:
            later = [m for m in matches if key(m) > (*here, sel_start)]
            target = later[0] if later else matches[0]
        else:
            earlier = [m for m in matches if key(m) < (*here, sel_start)]
            target = earlier[-1] if earlier else matches[-1]
        self._show(target)
        self.status.setText(f"{matches.index(target) + 1} of {len(matches)}")

    def find_next(self) -> None:
        self._step(True)

    def find_previous(self) -> None:
        self._step(False)

    def _show(self, m: find_replace.Match) -> None:
        if self.editor.section_id != m.section_id:
            self.window_.navigator.select(SECTION, m.section_id)
        if m.field == "heading":
            self.editor.heading.setSelection(m.start, m.end - m.start)
        else:
            cursor = self.editor.body.textCursor()
            cursor.setPosition(m.start)
            cursor.setPosition(m.end, QTextCursor.MoveMode.KeepAnchor)
            self.editor.body.setTextCursor(cursor)
            self.editor.body.ensureCursorVisible()
        self._shown = m

    # -- replacing ---------------------------------------------------------------------------
    def _selection_matches(self) -> str | None:
        """The field whose selection is exactly one occurrence, or None."""
        try:
            rx = find_replace.pattern(self.find_edit.text(), **self._options())
        except WorkbenchError:
            return None
        shown = self._shown
        if shown is None or shown.section_id != self.editor.section_id:
            return None
        if shown.field == "heading":
            text = self.editor.heading.selectedText()
        else:
            text = self.editor.body.textCursor().selectedText()
        return shown.field if text and rx.fullmatch(text) else None

    def replace_one(self) -> None:
        """Replace the occurrence shown (as typing: Ctrl+Z in the field undoes it), then next."""
        field = self._selection_matches()
        if field == "heading":
            self.editor.heading.insert(self.replace_edit.text())
            self.editor.heading.textEdited.emit(self.editor.heading.text())
        elif field == "body":
            self.editor.body.textCursor().insertText(self.replace_edit.text())
        self.find_next()

    def replace_all(self) -> None:
        matches = self._matches()
        if matches is None:
            return
        if not matches:
            self.status.setText("Not found")
            return
        doc_id = self.window_.navigator.current_document_id()
        command = ReplaceAll(
            doc_id, self.find_edit.text(), self.replace_edit.text(), **self._options()
        )

        def done(cmd):
            self.status.setText(
                f"Replaced {cmd.result.count} in {len(cmd.result.before)} section(s) — "
                "Edit → Undo reverts all"
            )

        self.window_.outline.perform(command, after=done)
