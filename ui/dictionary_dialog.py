"""Tools > Workspace Dictionary: the words everyone opening the workspace accepts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from ui import theme
from workbench import spelling
from workbench.errors import WorkbenchError


class DictionaryDialog(QDialog):
    """Find, add and remove words (acronyms, names); every change is written at once."""

    def __init__(self, ws, ops, parent=None, on_changed: Callable[[], None] | None = None):
        super().__init__(parent)
        self.ws, self.ops = ws, ops
        self.on_changed = on_changed
        self.setWindowTitle("Workspace Dictionary")
        self.setObjectName("dictionaryDialog")
        intro = QLabel(
            "Words the spelling check accepts in this workspace, for everyone who opens it: "
            "acronyms, names, terms of the trade. The directory's organization codes are "
            "accepted too.",
            self,
        )
        intro.setWordWrap(True)
        self.word = QLineEdit(self)
        self.word.setAccessibleName("Find or add a word")
        self.word.setPlaceholderText("Find or add a word")
        self.word.setClearButtonEnabled(True)
        self.word.textChanged.connect(self._filter)
        self.word.returnPressed.connect(self.add)
        self.add_button = QPushButton("&Add", self)
        self.add_button.setAccessibleName("Add the word")
        self.add_button.clicked.connect(self.add)
        self.words = QListWidget(self)
        self.words.setAccessibleName("Words in the workspace dictionary")
        self.words.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.words.itemSelectionChanged.connect(self._update_buttons)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setAccessibleName("Remove the selected words")
        self.remove_button.clicked.connect(self.remove_selected)
        self.count = QLabel(self)
        self.count.setObjectName("hint")
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {theme.status_color('bad').name()};")
        self.problem.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        find = QHBoxLayout()
        find.addWidget(self.word, 1)
        find.addWidget(self.add_button)
        below = QHBoxLayout()
        below.addWidget(self.count, 1)
        below.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(find)
        layout.addWidget(self.words, 1)
        layout.addLayout(below)
        layout.addWidget(self.problem)
        layout.addWidget(close)
        self.resize(420, 460)
        self.reload()

    # -- contents ----------------------------------------------------------------------------
    def reload(self) -> None:
        keep = {item.text() for item in self.words.selectedItems()}
        self.words.clear()
        for word in spelling.own_words(self.ws):
            self.words.addItem(word)
            if word in keep:
                self.words.item(self.words.count() - 1).setSelected(True)
        n = self.words.count()
        self.count.setText(f"{n} word{'s' * (n != 1)}" if n else "No words yet")
        self._filter(self.word.text())

    def shown(self) -> list[str]:
        return [
            self.words.item(i).text()
            for i in range(self.words.count())
            if not self.words.item(i).isHidden()
        ]

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.words.count()):
            item = self.words.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())
        self._update_buttons()

    def _update_buttons(self) -> None:
        word = self.word.text().strip()
        present = any(self.words.item(i).text() == word for i in range(self.words.count()))
        self.add_button.setEnabled(bool(word) and not present)
        self.remove_button.setEnabled(bool(self.words.selectedItems()))

    # -- changes -----------------------------------------------------------------------------
    def add(self) -> None:
        word = self.word.text().strip()
        if not word or not self.add_button.isEnabled():
            return

        def done(_result) -> None:
            self.word.clear()
            self._changed(select=word)

        self.ops.run(spelling.add_word, word, on_done=done, on_error=self._refused)

    def remove_selected(self) -> None:
        chosen = sorted(item.text() for item in self.words.selectedItems())
        if not chosen:
            return
        self.ops.run(
            spelling.remove_words,
            chosen,
            on_done=lambda _r: self._changed(),
            on_error=self._refused,
        )

    def _changed(self, select: str | None = None) -> None:
        self.problem.hide()
        self.words.clearSelection()
        self.reload()
        if select is not None:
            match = self.words.findItems(select, Qt.MatchFlag.MatchExactly)
            if match:
                match[0].setSelected(True)
                self.words.scrollToItem(match[0])
        if self.on_changed is not None:
            self.on_changed()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, WorkbenchError):
            self.problem.setText(str(exc))
            self.problem.show()
        else:
            self.ops.report_error(exc)
