"""Edit the approval chain of each document kind: the steps that clear a version in order."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
)

from workbench import directory
from workbench.authority import approvals
from workbench.documents import DOCUMENT_KINDS

EXAMPLE = ("Branch chief", "Deputy director")


class ChainsDialog(QDialog):
    """One table of steps per kind; `chains()` gives {kind: [(title, person id)]} edited."""

    def __init__(self, ws, parent=None, *, kind: str | None = None, read_only_reason: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Approval chains")
        self.read_only = bool(read_only_reason)
        self.setMinimumSize(620, 380)
        self._people = [(p.name, p.id) for p in directory.people(ws)]
        self._chains = {
            k: [(s.title, s.person_id) for s in approvals.chain(ws, k)] for k in DOCUMENT_KINDS
        }
        intro = QLabel(
            "Before the Director publishes, each step clears the version in order. A change to "
            "the text after a step cleared sends it back to that step.",
            self,
        )
        intro.setWordWrap(True)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Document kind")
        for k, label in DOCUMENT_KINDS.items():
            self.kind.addItem(label, k)
        kind_label = QLabel("Chain for &documents of kind:", self)
        kind_label.setBuddy(self.kind)
        kind_row = QHBoxLayout()
        kind_row.addWidget(kind_label)
        kind_row.addWidget(self.kind, 1)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Step", "Held by"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 240)
        self.empty = QLabel(
            "No steps: the Director publishes without anyone clearing the version first.", self
        )
        self.empty.setWordWrap(True)
        self.add_button = QPushButton("&Add step", self)
        remove = QPushButton("&Remove step", self)
        up = QPushButton("Move &up", self)
        down = QPushButton("Move &down", self)
        self.add_button.clicked.connect(lambda: self.add_step())
        remove.clicked.connect(self.remove_step)
        up.clicked.connect(lambda: self.move_step(-1))
        down.clicked.connect(lambda: self.move_step(1))
        row = QHBoxLayout()
        for b in (self.add_button, remove, up, down):
            row.addWidget(b)
            b.setEnabled(not self.read_only)
        row.addStretch(1)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b42318")
        self.problem.hide()
        if self.read_only:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
            buttons.rejected.connect(self.reject)
        else:
            buttons = QDialogButtonBox(
                QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                self,
            )
            buttons.accepted.connect(self.accept)
            buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if self.read_only:
            note = QLabel(read_only_reason, self)
            note.setObjectName("readOnlyNote")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(kind_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._shown = None
        self.kind.currentIndexChanged.connect(self._kind_changed)
        if kind is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self._kind_changed()

    # -- the table ----------------------------------------------------------------------------
    def _person_box(self, person_id):
        box = QComboBox(self.table)
        box.addItem("(no one yet)", None)
        for name, pid in self._people:
            box.addItem(name, pid)
        box.setCurrentIndex(max(0, box.findData(person_id)))
        return box

    def _row(self, title: str, person_id) -> None:
        n = self.table.rowCount()
        self.table.insertRow(n)
        edit = QLineEdit(title, self.table)
        edit.setMaxLength(80)
        edit.setReadOnly(self.read_only)
        edit.setFrame(not self.read_only)  # read-only: plain text in its cell, not a white field
        box = self._person_box(person_id)
        box.setEnabled(not self.read_only)
        for column, widget in ((0, edit), (1, box)):
            # Typing in a step makes it the current one, so Remove and Move act on it.
            widget.installEventFilter(self)
            self.table.setCellWidget(n, column, widget)
        self._update_empty()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            for r in range(self.table.rowCount()):
                for c in (0, 1):
                    if self.table.cellWidget(r, c) is watched:
                        self.table.setCurrentCell(r, c)
        return super().eventFilter(watched, event)

    def _update_empty(self) -> None:
        self.empty.setVisible(self.table.rowCount() == 0)

    def _read(self) -> list[tuple[str, int | None]]:
        return [
            (self.table.cellWidget(r, 0).text().strip(), self.table.cellWidget(r, 1).currentData())
            for r in range(self.table.rowCount())
        ]

    def _kind_changed(self) -> None:
        if self._shown is not None:
            self._chains[self._shown] = self._read()
        self._shown = self.kind.currentData()
        self.table.setRowCount(0)
        for title, pid in self._chains.get(self._shown, []):
            self._row(title, pid)
        self._update_empty()

    def add_step(self, title: str | None = None, person_id: int | None = None) -> None:
        n = self.table.rowCount()
        self._row(
            title if title is not None else (EXAMPLE[n] if n < len(EXAMPLE) else ""), person_id
        )
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)

    def remove_step(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
        self._update_empty()

    def move_step(self, delta: int) -> None:
        steps = self._read()
        r = self.table.currentRow()
        to = r + delta
        if r < 0 or not 0 <= to < len(steps):
            return
        steps[r], steps[to] = steps[to], steps[r]
        self.table.setRowCount(0)
        for title, pid in steps:
            self._row(title, pid)
        self.table.setCurrentCell(to, 0)

    def chains(self) -> dict[str, list[tuple[str, int | None]]]:
        self._chains[self._shown] = self._read()
        return dict(self._chains)

    def accept(self) -> None:
        for kind, steps in self.chains().items():
            if any(not title for title, _ in steps):
                self.kind.setCurrentIndex(self.kind.findData(kind))
                self.problem.setText("Every step needs a title (e.g. Branch chief).")
                self.problem.show()
                return
        super().accept()
