"""New-document dialog: kind, title, marking, lead and co-lead, due date."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from workbench.documents import DEFAULT_MARKING, DOCUMENT_KINDS


class NewDocumentDialog(QDialog):
    """Drive it in code: fill the widgets, `accept()`, read `values()`."""

    def __init__(self, organizations, parent: QWidget | None = None, today: QDate | None = None):
        super().__init__(parent)
        self.setWindowTitle("New document")
        self.kind = QComboBox(self)
        for key, label in DOCUMENT_KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setAccessibleName("Document kind")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("e.g. Maritime Border and Transit Zone CN Strategy")
        self.title.setMinimumWidth(380)
        self.marking = QLineEdit(DEFAULT_MARKING, self)
        self.marking.setAccessibleName("Handling marking")
        self.lead = QComboBox(self)
        self.lead.setAccessibleName("Lead organization")
        self.co_lead = QComboBox(self)
        self.co_lead.setAccessibleName("Co-lead organization")
        self.co_lead.addItem("(none)", None)
        for org in organizations:
            self.lead.addItem(f"{org.code} — {org.name}", org.code)
            self.co_lead.addItem(f"{org.code} — {org.name}", org.code)
        self.has_due = QCheckBox("Due", self)
        self.has_due.setAccessibleName("Has a due date")
        self.due = QDateEdit(today or QDate.currentDate(), self)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setAccessibleName("Due date")
        self.due.setEnabled(False)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(self._validate)
        form = QFormLayout(self)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Title:", self.title)
        form.addRow("&Marking:", self.marking)
        form.addRow("&Lead:", self.lead)
        form.addRow("C&o-lead:", self.co_lead)
        form.addRow("Due date:", due_row)
        form.addRow(self.buttons)
        self._validate()

    def _validate(self) -> None:
        ok = bool(self.title.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> dict:
        """Keyword arguments for `documents.create_document(ws, **values)`."""
        return {
            "kind": self.kind.currentData(),
            "title": self.title.text().strip(),
            "marking": self.marking.text().strip(),
            "lead": self.lead.currentData(),
            "co_lead": self.co_lead.currentData(),
            "due_date": (
                self.due.date().toString("yyyy-MM-dd") if self.has_due.isChecked() else None
            ),
        }

    @classmethod
    def get_document(cls, parent, organizations) -> dict | None:
        dialog = cls(organizations, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
