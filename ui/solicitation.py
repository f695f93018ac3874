"""Bulk solicitation in the app: one packet per external reviewer, and who has answered."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import messages, theme
from ui.batch_progress import BatchProgress
from workbench.errors import WorkbenchError
from workbench.files import write_atomic

if TYPE_CHECKING:
    from workbench.exchange import solicit as core


def _core():
    """The solicitation use cases, imported when first used: the packet writers behind them
    cost ~50 ms of imports that the window's start does not need."""
    from workbench.exchange import solicit

    return solicit


LATE = QColor("#b42318")
STATUS_LABELS = {
    "sent": "Waiting",
    "overdue": "Overdue",
    "returned": "Answered",
    "withdrawn": "Withdrawn",
    "draft": "Not sent",
}


def _browse_row(parent: QWidget, edit: QLineEdit, choose) -> QWidget:
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    button = QPushButton("Browse…", row)
    button.setAccessibleName(f"Browse for {edit.accessibleName().lower()}")
    button.clicked.connect(choose)
    layout.addWidget(button)
    return row


class SolicitDialog(QDialog):
    """Who to ask (a CSV of names, agencies and e-mails), where the packets go, and by when."""

    def __init__(self, parent, document_title: str):
        super().__init__(parent)
        self.setWindowTitle("Solicit External Comments")
        self.reviewers: list[core.ExternalReviewer] = []
        self.csv_path = QLineEdit(self)
        self.csv_path.setAccessibleName("Reviewer list")
        self.csv_path.setPlaceholderText("CSV with columns name, agency, email (title optional)")
        self.csv_path.textChanged.connect(self._read_list)
        self.folder = QLineEdit(self)
        self.folder.setAccessibleName("Packet folder")
        self.folder.setPlaceholderText("An empty folder for the packets and the cover list")
        self.folder.textChanged.connect(self._update_ok)
        self.workdays = QSpinBox(self)
        self.workdays.setRange(1, 90)
        self.workdays.setValue(20)
        self.workdays.setSuffix(" workdays")
        self.workdays.setAccessibleName("Suspense")
        self.instructions = QPlainTextEdit(self)
        self.instructions.setAccessibleName("Instructions")
        self.instructions.setPlaceholderText("What you ask of the reviewers (optional)")
        self.instructions.setMaximumHeight(90)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName("Reviewer list check")
        # For reviewers with nothing installed: answer in Excel or in Word.
        self.workbook = QCheckBox("A CRM workbook (.xlsx) beside each packet", self)
        self.word = QCheckBox("A Word review copy (.docx) beside each packet", self)

        form = QFormLayout()
        form.addRow("Document:", QLabel(f"<b>{_escape(document_title)}</b>", self))
        form.addRow("Reviewers:", _browse_row(self, self.csv_path, self._choose_csv))
        form.addRow("", self.preview)
        form.addRow("Packets to:", _browse_row(self, self.folder, self._choose_folder))
        form.addRow("Suspense:", self.workdays)
        form.addRow("Instructions:", self.instructions)
        form.addRow("Also write:", self.workbook)
        form.addRow("", self.word)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Write Packets")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(620, 0)
        self._update_ok()

    def _choose_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Reviewer list", "", "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.csv_path.setText(path)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder for the packets")
        if path:
            self.folder.setText(path)

    def _read_list(self) -> None:
        self.reviewers = []
        path = self.csv_path.text().strip()
        if not path:
            self.preview.setText("")
        else:
            try:
                self.reviewers = _core().read_reviewers(path)
            except (WorkbenchError, OSError) as exc:
                self.preview.setText(str(exc))
                self.preview.setStyleSheet(f"color: {theme.status_color('bad').name()}")
            else:
                agencies = len({r.agency.casefold() for r in self.reviewers})
                self.preview.setText(
                    f"{len(self.reviewers)} reviewer{'s' * (len(self.reviewers) != 1)} "
                    f"from {agencies} agenc{'ies' if agencies != 1 else 'y'}."
                )
                self.preview.setStyleSheet("")
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.reviewers) and bool(self.folder.text().strip()))

    def values(self) -> dict:
        return {
            "reviewers": list(self.reviewers),
            "folder": self.folder.text().strip(),
            "suspense_workdays": self.workdays.value(),
            "instructions": self.instructions.toPlainText().strip(),
            "workbook": self.workbook.isChecked(),
            "word": self.word.isChecked(),
        }

    @classmethod
    def ask(cls, parent, document_title: str) -> dict | None:
        dialog = cls(parent, document_title)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()


class SolicitationStatusDialog(QDialog):
    """Response rate, who is overdue, and a reminder list for those still to answer."""

    def __init__(self, parent, ws, document_id: int, document_title: str):
        super().__init__(parent)
        self.setWindowTitle(f"Solicitations — {document_title}")
        self.statuses = _core().solicitations(ws, document_id)
        self.choice = QComboBox(self)
        self.choice.setAccessibleName("Solicitation")
        for s in self.statuses:
            self.choice.addItem(f"Sent {s.created_at[:10]} to {s.asked} reviewers")
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Response rate")
        self.table = QTableWidget(0, 5, self)
        self.table.setAccessibleName("Reviewers")
        self.table.setHorizontalHeaderLabels(["Name", "Agency", "E-mail", "Suspense", "Status"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.reminders = QPushButton("Export Reminder List…", self)
        self.reminders.setAccessibleName("Export reminder list")
        self.reminders.clicked.connect(lambda: self.export_reminders())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.choice, 1)
        top.addWidget(self.reminders)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        self.resize(760, 480)
        self.choice.currentIndexChanged.connect(self._show)
        if self.statuses:
            self.choice.setCurrentIndex(len(self.statuses) - 1)
            self._show()
        else:
            self.summary.setText("This document has not been sent to external reviewers.")
            self.reminders.setEnabled(False)

    @property
    def current(self) -> core.SolicitationStatus | None:
        i = self.choice.currentIndex()
        return self.statuses[i] if 0 <= i < len(self.statuses) else None

    def _show(self) -> None:
        status = self.current
        if status is None:
            return
        self.summary.setText(status.summary())
        self.table.setRowCount(len(status.reviewers))
        order = sorted(status.reviewers, key=lambda r: (r.status != "overdue", r.name))
        for row, r in enumerate(order):
            cells = [
                r.name,
                r.agency or r.organization,
                r.email,
                r.suspense_date,
                STATUS_LABELS[r.status],
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if r.status == "overdue":
                    item.setForeground(QBrush(theme.status_color("bad")))
                self.table.setItem(row, col, item)
        self.reminders.setEnabled(bool(status.waiting))

    def export_reminders(self, path: str | None = None) -> Path | None:
        status = self.current
        if status is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Reminder list", "reminders.csv", "CSV files (*.csv)"
            )
        if not path:
            return None
        out = Path(path)
        try:
            write_atomic(out, _core().reminder_csv(status))
        except WorkbenchError as exc:
            messages.error(self, "Reminder list not written", str(exc))
            return None
        except OSError as exc:
            messages.error(self, "Reminder list not written", f"{out}: {exc.strerror or exc}")
            return None
        return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Solicitation:
    """The window's bulk-solicitation actions."""

    def __init__(self, window):
        self.window = window
        self.progress: BatchProgress | None = None
        self.solicit_action = QAction("&Solicit External Comments…", window)
        self.solicit_action.setObjectName("solicitComments")
        self.solicit_action.triggered.connect(lambda _=False: self.solicit())
        self.status_action = QAction("Solicitation S&tatus…", window)
        self.status_action.setObjectName("solicitationStatus")
        self.status_action.triggered.connect(lambda _=False: self.show_status())

    def _document(self):
        from workbench.documents import document

        doc_id = self.window.navigator.current_document_id()
        if not doc_id:
            messages.info(self.window, "Choose a document", "Select a document in the outline.")
            return None
        return document(self.window.ws, doc_id)

    def solicit(self, values: dict | None = None) -> None:
        doc = self._document()
        if doc is None:
            return
        if values is None:
            values = SolicitDialog.ask(self.window, doc.title)
        if not values:
            return
        reviewers = values.pop("reviewers")
        folder = values.pop("folder")
        progress = BatchProgress(
            self.window,
            title="Solicit External Comments",
            label=f"Writing the files for {len(reviewers)} reviewers…",
            total=len(reviewers),
        )
        self.progress = progress

        def done(result) -> None:
            self._finished()
            self.window.statusBar().showMessage(
                f"Wrote {len(result.packets)} packets and the cover list to {folder}", 10000
            )
            self.window.workspace_changed.emit()

        def failed(exc: BaseException) -> None:
            from workbench.exchange.request_files import Cancelled

            self._finished()
            if isinstance(exc, Cancelled):
                self.window.statusBar().showMessage(str(exc), 10000)
            else:
                self.window.ops.report_error(exc)

        self.window.ops.run(
            _core().solicit, doc.id, reviewers, folder, progress=progress, on_done=done,
            on_error=failed, busy=f"Writing {len(reviewers)} packets…", **values,
        )  # fmt: skip

    def _finished(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress = None

    def show_status(self) -> SolicitationStatusDialog | None:
        doc = self._document()
        if doc is None:
            return None
        dialog = SolicitationStatusDialog(self.window, self.window.ws, doc.id, doc.title)
        dialog.show()
        return dialog


def install(window) -> Solicitation:
    """Under File, after Import Review Response."""
    part = Solicitation(window)
    anchor = window.findChild(QAction, "importResponse")
    menu = anchor.parent() if anchor is not None else None
    if not isinstance(menu, QMenu):
        menu, anchor = window.add_menu("&Exchange"), None
    actions = menu.actions()
    after = actions[actions.index(anchor) + 1] if anchor in actions[:-1] else None
    menu.insertActions(after, [part.solicit_action, part.status_action])
    return part
