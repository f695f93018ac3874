"""Coordination → Office Closures…: the days beyond the federal calendar that no suspense counts."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from workbench.coordination import closures
from workbench.coordination.workdays import federal_holidays


class ClosuresDialog(QDialog):
    """Lists the office's closures; adds and removes them through the writer thread."""

    def __init__(self, ws, ops, parent=None):
        super().__init__(parent)
        self.ws, self.ops = ws, ops
        self.setWindowTitle("Office Closures")
        self.setObjectName("closuresDialog")
        intro = QLabel(
            "Federal holidays and executive-order closures are always skipped when a suspense "
            "is counted. Add the days your office was closed besides (weather, a lapse in "
            "appropriations); suspenses set from now on skip them, and overdue counts follow.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("closures")
        self.list.setAccessibleName("Office closures")
        self.list.setHeaderLabels(["Day", "Reason", "Added by"])
        self.list.setRootIsDecorated(False)
        self.list.header().setAccessibleName("Office closure columns")
        self.day = QDateEdit(QDate.currentDate(), self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setAccessibleName("Closure day")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why the office is closed")
        self.reason.setAccessibleName("Closure reason")
        self.reason.setMaxLength(closures.MAX_REASON)
        self.add_button = QPushButton("&Add", self)
        self.add_button.setObjectName("addClosure")
        self.add_button.clicked.connect(self.add)
        self.reason.returnPressed.connect(self.add)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setObjectName("removeClosure")
        self.remove_button.clicked.connect(self.remove)
        QShortcut(QKeySequence.StandardKey.Delete, self.list, self.remove)
        self.note = QLabel("", self)
        self.note.setObjectName("closureNote")
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.day)
        row.addWidget(self.reason, 1)
        row.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.day.dateChanged.connect(self._explain_day)
        self.resize(560, 380)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for c in closures.list_closures(self.ws):
            item = QTreeWidgetItem([c.day, c.reason, c.added_by])
            item.setData(0, Qt.ItemDataRole.UserRole, c.day)
            self.list.addTopLevelItem(item)
        for col in range(3):
            self.list.resizeColumnToContents(col)
        self.remove_button.setEnabled(self.list.topLevelItemCount() > 0)

    def _explain_day(self, qdate: QDate) -> None:
        day = qdate.toPython()
        holiday = federal_holidays(day.year).get(day)
        self.note.setText(f"{day.isoformat()} is already skipped: {holiday}." if holiday else "")

    def add(self) -> None:
        day = self.day.date().toPython().isoformat()
        reason = self.reason.text()

        def done(_day) -> None:
            self.reason.clear()
            self.note.setText(f"{day} added; suspenses set from now on skip it.")
            self.reload()

        self.ops.run(closures.add_closure, day, reason, on_done=done, on_error=self._refused)

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        day = item.data(0, Qt.ItemDataRole.UserRole)

        def done(_none) -> None:
            self.note.setText(f"{day} removed.")
            self.reload()

        self.ops.run(closures.remove_closure, day, on_done=done, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.note.setText(str(exc))  # said in the dialog, where the user is typing
