"""Revision history of the current document: snapshots, and diffs between them."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui import messages
from ui.diff_view import DiffView
from workbench import revisions

ROLE = Qt.ItemDataRole.UserRole
log = logging.getLogger(__name__)


class _DiffWorker(QObject):
    """Diffs on a thread of its own with its own connection; a long section never freezes
    the window. Only the newest request's answer is shown."""

    finished = Signal(int, object, str)  # generation, diffs (or the error), title

    def __init__(self, parent=None):
        super().__init__(parent)
        self.generation = 0
        self.running: threading.Thread | None = None

    def start(self, ws, doc_id: int, old: int, new: int | None, title: str) -> int:
        self.generation += 1
        generation = self.generation

        def run() -> None:
            reader = None
            try:
                reader = ws.for_thread()
                result: object = revisions.diff_revisions(reader, doc_id, old, new)
            except Exception as exc:  # shown in the panel; the window carries on
                log.exception("Diff of revisions %s..%s failed", old, new)
                result = exc
            finally:
                if reader is not None:
                    reader.close()
            self.finished.emit(generation, result, title)

        self.running = threading.Thread(target=run, name="history-diff", daemon=True)
        self.running.start()
        return generation

    def wait(self, timeout: float = 30.0) -> bool:
        if self.running is not None:
            self.running.join(timeout)
        return self.running is None or not self.running.is_alive()


class HistoryPanel(QWidget):
    """Select one revision to compare it with the current text, or two to compare them."""

    def __init__(self, ws, ops, autosave, parent=None):
        super().__init__(parent)
        self.ws, self.ops, self.autosave = ws, ops, autosave
        self.document_id: int | None = None
        # Why the shown document cannot change here ("" when it can): someone has it offline.
        self.blocked_reason = ""
        self.list = QListWidget(self)
        self.list.setAccessibleName("Revisions")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self.show_diff)
        self.snapshot_button = QPushButton("Snapshot revision…", self)
        self.snapshot_button.setAccessibleName("Snapshot revision")
        self.snapshot_button.setToolTip("Record the document's current text under a label")
        self.snapshot_button.clicked.connect(lambda: self.snapshot())
        self.hint = QLabel("Select one revision to compare with the current text, or two.", self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        self.view = DiffView(self)
        self.worker = _DiffWorker(self)
        self.worker.finished.connect(self._show_result, Qt.ConnectionType.QueuedConnection)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.snapshot_button)
        buttons.addStretch(1)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.list, 1)
        top_layout.addWidget(self.hint)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(self.view)
        split.setSizes([180, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self.set_document(None)

    def set_document(self, doc_id: int | None) -> None:
        self.document_id = doc_id or None
        self.refresh()

    def refresh(self) -> None:
        selected = {i.data(ROLE) for i in self.list.selectedItems()}
        self.list.blockSignals(True)
        self.list.clear()
        if self.document_id is not None:
            for rev in revisions.list_revisions(self.ws, self.document_id):
                when = rev.created_at.replace("T", " ").rstrip("Z")[:16]
                item = QListWidgetItem(
                    f"{rev.label}\n{when} · v{rev.document_version} · {rev.created_by}", self.list
                )
                item.setData(ROLE, rev.id)
                item.setSelected(rev.id in selected)
        self.list.blockSignals(False)
        self._enable_snapshot()
        if self.isVisible() or selected:
            self.show_diff()

    def set_blocked(self, reason: str) -> None:
        """A snapshot is a change to the document: offered only where it can be saved."""
        self.blocked_reason = reason
        self._enable_snapshot()

    def _enable_snapshot(self) -> None:
        self.snapshot_button.setEnabled(self.document_id is not None and not self.blocked_reason)
        self.snapshot_button.setToolTip(
            self.blocked_reason or "Record the document's current text under a label"
        )

    def selected_ids(self) -> list[int]:
        # Oldest first, so the diff always reads old → new.
        return sorted(i.data(ROLE) for i in self.list.selectedItems())

    def show_diff(self) -> None:
        ids = self.selected_ids()
        if self.document_id is None or not ids:
            self.view.setHtml("")
            return
        labels = {i.data(ROLE): i.text().split("\n")[0] for i in self.list.selectedItems()}
        if len(ids) == 1:
            old, new = ids[0], None
            title = f"{labels[old]} → current text"
        else:
            old, new = ids[0], ids[-1]
            title = f"{labels[old]} → {labels[new]}"
        self.view.setPlainText(f"Comparing {title}…")
        self.worker.start(self.ws, self.document_id, old, new, title)

    def _show_result(self, generation: int, result, title: str) -> None:
        if generation != self.worker.generation:
            return  # the user has since chosen other revisions
        if isinstance(result, Exception):
            self.view.setPlainText(f"These revisions could not be compared: {result}")
            return
        self.view.show_diffs(result, title)

    def snapshot(self, label: str | None = None) -> None:
        if self.document_id is None:
            return
        if label is None:
            label = messages.ask_text(
                self,
                "Snapshot revision",
                "Label for this revision:",
                "Draft for internal coordination",
            )
        if not label:
            return
        self.autosave.flush_now()  # the snapshot must include what was just typed
        self.ops.run(
            revisions.snapshot_revision, self.document_id, label, busy="Recording revision…"
        )
