"""The Send for Review dialog: whom, by when, what to produce, where; then progress and cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import messages
from ui.batch_progress import BatchProgress
from workbench.errors import WorkbenchError
from workbench.exchange import send_review as core
from workbench.numbering import reference
from workbench.sections import outline

ON_A_DATE = 0  # the preset list's last entry: a date the analyst picks


class SendForReviewDialog(QDialog):
    def __init__(self, window, document_id: int, *, request_id: int | None = None):
        super().__init__(window)
        self.window = window
        self.ws = window.ws
        self.document_id = document_id
        self.result = None
        self.progress: BatchProgress | None = None
        self.setWindowTitle("Send for Review")
        self.resize(760, 620)
        numbers = {e.id: e for e in outline(self.ws, document_id)}
        self.orgs = QTreeWidget(self)
        self.orgs.setAccessibleName("Organizations to send to")
        self.orgs.setHeaderLabels(["Organization", "Sections", "Reviewer"])
        self.orgs.setColumnWidth(0, 230)
        self.orgs.setColumnWidth(1, 260)
        self.orgs.setRootIsDecorated(False)
        self.rows: list[tuple[QTreeWidgetItem, core.Addressee]] = []
        for a in core.addressees(self.ws, document_id):
            refs = ", ".join(
                f"{reference(numbers[s].number)} {numbers[s].heading}"
                for s in a.section_ids
                if s in numbers
            )
            who = a.reviewer_name + (f" <{a.reviewer_email}>" if a.reviewer_email else "")
            label = f"{a.organization} — {a.name}"
            if a.draft_request_id is not None:
                label += f" (draft request {a.draft_request_id})"
            item = QTreeWidgetItem(self.orgs, [label, refs, who or "no liaison in the directory"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            wanted = request_id is None or a.draft_request_id == request_id
            item.setCheckState(0, Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
            item.setToolTip(1, refs)
            self.rows.append((item, a))
        self.orgs.itemChanged.connect(lambda *_: self._update())

        self.preset = QComboBox(self)
        self.preset.setAccessibleName("Suspense")
        for days, label in core.SUSPENSE_PRESETS.items():
            self.preset.addItem(label, days)
        self.preset.addItem("On a date…", ON_A_DATE)
        self.date = QDateEdit(self)
        self.date.setAccessibleName("Suspense date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        today = self.ws.today()
        self.date.setMinimumDate(QDate(today.year, today.month, today.day).addDays(1))
        self.date.setDate(QDate(today.year, today.month, today.day).addDays(28))
        self.date.setEnabled(False)
        self.due = QLabel(self)
        self.due.setAccessibleName("Resulting suspense")
        self.preset.currentIndexChanged.connect(self._update)
        self.date.dateChanged.connect(self._update)
        suspense = QHBoxLayout()
        suspense.addWidget(self.preset)
        suspense.addWidget(self.date)
        suspense.addWidget(self.due, 1)

        self.instructions = QPlainTextEdit(self)
        self.instructions.setAccessibleName("Instructions to the reviewer")
        self.instructions.setPlaceholderText("What you ask the reviewers to look at (optional)")
        self.instructions.setMaximumHeight(90)
        self.instructions.setTabChangesFocus(True)

        self.packet = QCheckBox("Review packet (.cnereview, for CNE Workbench)", self)
        self.packet.setChecked(True)
        self.workbook = QCheckBox(
            "CRM workbook (.xlsx, for a reviewer without the workbench)", self
        )
        self.word = QCheckBox("Word review copy (.docx, comments and tracked changes)", self)
        if not core.word_copy_available():
            self.word.setEnabled(False)
            self.word.setToolTip("The Word review copy is not available in this build")
        self.email = QCheckBox("E-mail draft (.eml) to each liaison, files attached", self)
        self.email.setChecked(True)
        produce = QVBoxLayout()
        for box in (self.packet, self.workbook, self.word, self.email):
            box.toggled.connect(self._update)
            produce.addWidget(box)

        self.folder = QLineEdit(self)
        self.folder.setAccessibleName("Folder")
        self.folder.setPlaceholderText("A folder for the files: one sub-folder per organization")
        self.folder.textChanged.connect(self._update)
        browse = QPushButton("Browse…", self)
        browse.setAccessibleName("Browse for the folder")
        browse.clicked.connect(self._browse)
        folder_row = QWidget(self)
        fl = QHBoxLayout(folder_row)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.folder, 1)
        fl.addWidget(browse)

        self.buttons = QDialogButtonBox(self)
        self.send_button = self.buttons.addButton("Send", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Suspense:", suspense)
        form.addRow("Instructions:", self.instructions)
        form.addRow("Produce:", produce)
        form.addRow("Write to:", folder_row)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Send to (pre-filled from the equities):", self))
        layout.addWidget(self.orgs, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update()

    # -- state -------------------------------------------------------------------------------
    def chosen(self) -> list[core.Recipient]:
        return [
            core.Recipient(a.organization, a.section_ids, a.draft_request_id)
            for item, a in self.rows
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def suspense(self) -> tuple[int | None, str | None]:
        days = self.preset.currentData()
        if days == ON_A_DATE:
            return None, self.date.date().toString("yyyy-MM-dd")
        return days, None

    def produce(self) -> core.Produce:
        return core.Produce(
            packet=self.packet.isChecked(),
            workbook=self.workbook.isChecked(),
            word=self.word.isChecked() and self.word.isEnabled(),
            email=self.email.isChecked(),
        )

    def _update(self) -> None:
        days, date = self.suspense()
        self.date.setEnabled(days is None)
        try:
            due = dt.date.fromisoformat(core.suspense_for(self.ws, days, date))
            self.due.setText(f"due {due:%A} {due.day} {due:%B %Y}")
        except WorkbenchError as exc:
            self.due.setText(str(exc))
        else:
            if days is not None:
                # The greyed date is the preset's, never another: "On a date…" starts from it.
                self.date.blockSignals(True)
                self.date.setDate(QDate(due.year, due.month, due.day))
                self.date.blockSignals(False)
        p = self.produce()
        self.send_button.setEnabled(
            bool(self.chosen())
            and bool(self.folder.text().strip())
            and (p.packet or p.workbook or p.word)
        )

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder for the review files")
        if path:
            self.folder.setText(path)

    # -- sending -----------------------------------------------------------------------------
    def send(self) -> None:
        if not self.send_button.isEnabled():
            return
        recipients = self.chosen()
        days, date = self.suspense()
        self.progress = progress = BatchProgress(
            self, title="Send for Review", label="Writing the review files…", total=len(recipients)
        )
        self.send_button.setEnabled(False)
        self.window.ops.run(
            core.send_for_review,
            self.document_id,
            recipients,
            Path(self.folder.text().strip()),
            suspense_workdays=days,
            suspense_date=date,
            instructions=self.instructions.toPlainText().strip(),
            produce=self.produce(),
            progress=progress,
            on_done=self._sent,
            on_error=self._failed,
            busy="Sending for review…",
        )

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress = None

    def _sent(self, result: core.SendResult) -> None:
        self._close_progress()
        self.result = result
        messages.info(self.window, "Sent for review", result.summary())
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        # The dialog stays open with everything the analyst chose and typed.
        self._close_progress()
        self._update()
        if isinstance(exc, core.Cancelled):
            self.window.statusBar().showMessage(str(exc), 6000)
        elif isinstance(exc, WorkbenchError):
            messages.error(self, "Not sent", str(exc))
        else:
            self.window.ops.report_error(exc)
