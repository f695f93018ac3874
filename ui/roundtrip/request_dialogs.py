"""Extending a request's suspense (a later date and the reason) and recalling a request."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from ui import messages
from workbench.coordination import requests as rq
from workbench.coordination.workdays import add_workdays


class ExtendSuspenseDialog(QDialog):
    def __init__(self, window, request_id: int):
        super().__init__(window)
        self.window = window
        self.request_id = request_id
        req = rq.request(window.ws, request_id)
        self.setWindowTitle(f"Extend Suspense — request {request_id} to {req.organization}")
        current = dt.date.fromisoformat(req.suspense_date)
        proposed = add_workdays(max(current, window.ws.today()), 5)
        self.date = QDateEdit(QDate(proposed.year, proposed.month, proposed.day), self)
        self.date.setAccessibleName("New suspense")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMinimumDate(QDate(current.year, current.month, current.day).addDays(1))
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Why (on the coordination record)")
        self.reason.setMinimumWidth(self.reason.fontMetrics().horizontalAdvance("x" * 45))
        self.reason.textChanged.connect(self._update)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Extend")
        self.buttons.accepted.connect(self.extend)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Now due {req.suspense_date} ({req.status_label.lower()}).", self))
        form.addRow("New suspense:", self.date)
        form.addRow("Reason:", self.reason)
        form.addRow(self.buttons)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.reason.text().strip()))

    def extend(self) -> None:
        if not self.ok.isEnabled():
            return
        self.ok.setEnabled(False)
        self.window.ops.run(
            rq.extend_suspense,
            self.request_id,
            self.date.date().toString("yyyy-MM-dd"),
            self.reason.text().strip(),
            on_done=lambda _r: self.accept(),
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self._update()  # the reason the analyst typed stays in the field
        self.window.ops.report_error(exc)


def recall_request(window, request_id: int) -> bool:
    """Ask for the reason, then withdraw the request on the writer thread."""
    req = rq.request(window.ws, request_id)
    reason = messages.ask_text(
        window,
        "Recall Review Request",
        f"Recall request {request_id} to {req.organization}? Its response will not be accepted."
        "\nReason (on the coordination record):",
    )
    if not reason or not reason.strip():
        return False
    window.ops.run(rq.withdraw_request, request_id, reason.strip())
    return True
