"""The audit log viewer: who did what and when, filtered by document, person, action and date."""

from __future__ import annotations

import io
import json

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ui import messages
from workbench import documents
from workbench.authority import auditlog
from workbench.errors import WorkbenchError
from workbench.files import write_atomic

COLUMNS = ("When (UTC)", "Person", "OS account", "Action", "On", "Details")
SHOWN = 2000  # newest entries shown; the CSV export writes every match


class AuditLogDialog(QDialog):
    def __init__(self, ws, parent=None, *, document_id: int | None = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("Audit log")
        self.resize(1000, 600)
        self.document = QComboBox(self)
        self.document.setAccessibleName("Document")
        self.document.addItem("All documents", None)
        for d in documents.list_documents(ws):
            self.document.addItem(d.title[:80], d.id)
        if document_id is not None:
            self.document.setCurrentIndex(max(0, self.document.findData(document_id)))
        self.person = QComboBox(self)
        self.person.setAccessibleName("Person")
        self.person.addItem("Everyone", None)
        for name in auditlog.people_in_log(ws):
            self.person.addItem(name, name)
        self.action = QLineEdit(self)
        self.action.setPlaceholderText("starts with… (e.g. document.publish)")
        self.action.setAccessibleName("Action")
        self.action.setMinimumWidth(200)
        self.action.setClearButtonEnabled(True)
        completer = QCompleter(auditlog.actions_in_log(ws), self.action)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.action.setCompleter(completer)
        self.use_since = QCheckBox("&From", self)
        self.since = QDateEdit(QDate.currentDate().addMonths(-1), self)
        self.use_until = QCheckBox("&To", self)
        self.until = QDateEdit(QDate.currentDate(), self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        filters = QHBoxLayout()
        for label, w in (
            ("&Document:", self.document),
            ("&Person:", self.person),
            ("&Action:", self.action),
        ):
            lab = QLabel(label, self)
            lab.setBuddy(w)
            filters.addWidget(lab)
            filters.addWidget(w, 1)
        for w in (self.use_since, self.since, self.use_until, self.until):
            filters.addWidget(w)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(COLUMNS)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.count = QLabel(self)
        self.export_button = QPushButton("&Export CSV…", self)
        self.export_button.clicked.connect(lambda: self.export_csv())
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        for combo in (self.document, self.person):
            combo.currentIndexChanged.connect(self.reload)
        self.action.textChanged.connect(self.reload)
        for box in (self.use_since, self.use_until):
            box.toggled.connect(self.reload)
        self.since.dateChanged.connect(self.reload)
        self.until.dateChanged.connect(self.reload)
        self.reload()

    def filters(self) -> dict:
        return {
            "document_id": self.document.currentData(),
            "person": self.person.currentData(),
            "action": self.action.text().strip() or None,
            "since": self.since.date().toString("yyyy-MM-dd")
            if self.use_since.isChecked()
            else None,
            "until": self.until.date().toString("yyyy-MM-dd")
            if self.use_until.isChecked()
            else None,
        }

    def reload(self, *_args) -> None:
        rows = auditlog.entries(self.ws, limit=SHOWN + 1, **self.filters())
        self.model.removeRows(0, self.model.rowCount())
        for r in rows[:SHOWN]:
            target = f"{r.entity} {r.entity_id}" if r.entity_id is not None else r.entity
            cells = (r.at.replace("T", " ").rstrip("Z"), r.person, r.os_account, r.action, target)
            items = [QStandardItem(str(c)) for c in cells]
            details = QStandardItem(auditlog.readable(r.details)[:300])
            # The whole entry, as recorded, when the pointer rests on it.
            whole = json.dumps(r.details, ensure_ascii=False, sort_keys=True, indent=1)
            details.setToolTip(whole[:4000])
            items.append(details)
            self.model.appendRow(items)
        more = len(rows) > SHOWN
        shown = min(len(rows), SHOWN)
        self.count.setText(
            f"Newest {SHOWN:,} entries shown; Export CSV writes them all."
            if more
            else f"{shown:,} entr{'y' if shown == 1 else 'ies'}"
        )

    def rows_shown(self) -> list[list[str]]:
        return [
            [self.model.item(r, c).text() for c in range(len(COLUMNS))]
            for r in range(self.model.rowCount())
        ]

    def export_csv(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export the audit log", "audit-log.csv", "CSV files (*.csv)"
            )
        if not path:
            return
        out = io.StringIO()
        auditlog.write_csv(auditlog.entries(self.ws, **self.filters()), out)
        try:
            write_atomic(path, "\ufeff" + out.getvalue())  # the BOM tells Excel it is UTF-8
        except WorkbenchError as exc:
            messages.error(self, "Export the audit log", str(exc))
        except OSError as exc:
            messages.error(self, "Export the audit log", f"Could not write {path}: {exc.strerror}")
