"""Registering a study or contract in the app, then asking about the related prior work."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from ui import theme
from workbench import directory, studies
from workbench.search import STUDY_STATUSES


class RegisterStudyDialog(QDialog):
    """The registry's fields: what the work is, whose it is, and who to ask about it."""

    def __init__(self, parent, ws):
        super().__init__(parent)
        self.setWindowTitle("Register Study or Contract")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Title")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        for key, label in studies.STUDY_KINDS.items():
            self.kind.addItem(label, key)
        self.organization = QComboBox(self)
        self.organization.setAccessibleName("Organization")
        for org in directory.organizations(ws):
            self.organization.addItem(f"{org.code} — {org.name}", org.code)
        self.office = QLineEdit(self)
        self.office.setAccessibleName("Office")
        self.office.setPlaceholderText("e.g. Bulk Cash Smuggling Center")
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status")
        for key, label in STUDY_STATUSES.items():
            self.status.addItem(label, key)
        self.year = QSpinBox(self)
        self.year.setAccessibleName("Year")
        self.year.setRange(1990, 2100)
        self.year.setValue(ws.today().year)
        self.amount = QSpinBox(self)
        self.amount.setAccessibleName("Amount in dollars")
        self.amount.setRange(0, 2_000_000_000)
        self.amount.setSingleStep(10_000)
        self.amount.setPrefix("$ ")
        self.amount.setGroupSeparatorShown(True)
        self.contact = QLineEdit(self)
        self.contact.setAccessibleName("Contact")
        self.abstract = QPlainTextEdit(self)
        self.abstract.setAccessibleName("Abstract")
        self.abstract.setPlaceholderText("What it asks and how; related work is found from this")
        self.message = QLabel(self)
        self.message.setStyleSheet(f"color: {theme.status_color('bad').name()}")
        form = QFormLayout()
        for label, widget in (
            ("Title:", self.title),
            ("Kind:", self.kind),
            ("Organization:", self.organization),
            ("Office:", self.office),
            ("Status:", self.status),
            ("Year:", self.year),
            ("Amount:", self.amount),
            ("Contact:", self.contact),
            ("Abstract:", self.abstract),
        ):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Register")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 0)

    def accept(self) -> None:
        if not self.title.text().strip():
            self.message.setText("A study needs a title.")
            self.title.setFocus()
            return
        super().accept()

    def values(self) -> dict:
        return {
            "title": self.title.text().strip(),
            "organization_code": self.organization.currentData(),
            "kind": self.kind.currentData(),
            "office": self.office.text().strip(),
            "status": self.status.currentData(),
            "year": self.year.value(),
            "amount": self.amount.value() or None,
            "contact": self.contact.text().strip(),
            "abstract": self.abstract.toPlainText().strip(),
        }

    @classmethod
    def ask(cls, parent, ws) -> dict | None:
        dialog = cls(parent, ws)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()


def register_study(main_window, values: dict | None = None) -> None:
    """Ask for the study, register it off the UI thread, then ask about related prior work."""
    from ui.search.deconfliction import DeconflictionDialog

    if values is None:
        values = RegisterStudyDialog.ask(main_window, main_window.ws)
    if not values:
        return
    values = dict(values)
    title = values.pop("title")
    org = values.pop("organization_code")

    completed = values.get("status") == "completed"

    def done(study_id: int) -> None:
        main_window.statusBar().showMessage(f"Registered {title}", 6000)
        if completed:
            # Finished work being recorded is the prior work others deconflict against;
            # asking whether it duplicates what came before it would be asking too late.
            main_window.last_deconfliction = None
            return
        main_window.last_deconfliction = DeconflictionDialog.for_study(
            main_window, main_window.ws, main_window.ops, study_id
        )

    main_window.ops.run(studies.add_study, title, org, on_done=done, **values)


def add_to_menu(main_window, menu) -> None:
    action = menu.addAction("&Register Study or Contract…")
    action.setObjectName("registerStudy")
    action.setShortcut(QKeySequence("Ctrl+Shift+R"))
    action.triggered.connect(lambda _=False: register_study(main_window))
