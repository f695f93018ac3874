"""File → Export to Word…: choose the file and whether the CRM goes in, then write off the UI
thread (a thread of its own with its own connection, as the PDF export does)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
)

from ui import messages
from ui import settings as app_settings
from ui.pdf_export import default_name
from workbench import documents
from workbench.errors import NotFound, StoreError, WorkbenchError
from workbench.files import refuse_workspace_target, write_atomic

log = logging.getLogger(__name__)
DOCX_FILTER = "Word documents (*.docx);;All files (*)"
LAST_FOLDER = "export/docxFolder"
TITLE = "Export to Word"


class WordExportDialog(QDialog):
    """Where to write the .docx and whether it carries the comment resolution matrix."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("exportDocxDialog")
        folder = app_settings.settings().value(LAST_FOLDER) or str(Path.home())
        name = default_name(title).removesuffix(".pdf") + ".docx"
        self.path = QLineEdit(str(Path(folder) / name), self)
        self.path.setAccessibleName("Word file")
        browse = QPushButton("&Browse…", self)
        browse.setObjectName("browse")
        browse.clicked.connect(self.browse)
        self.include_crm = QCheckBox("Include the comment resolution matrix", self)
        self.include_crm.setToolTip("Append every comment with its disposition as a table")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.path.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        label = QLabel(f"Export <b>{_html(title)}</b> as a Word document to:", self)
        label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(self.include_crm)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, TITLE, self.path.text(), DOCX_FILTER)
        if chosen:
            if Path(chosen).suffix.lower() != ".docx":
                chosen += ".docx"
            self.path.setText(chosen)

    def target(self) -> Path:
        return Path(self.path.text().strip()).expanduser()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class WordExport(QObject):
    """One export running on its own thread; signals arrive on the UI thread."""

    progress = Signal(float)
    done = Signal(object)  # the ExportSource written
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, ws, document_id: int, path: Path, include_crm: bool):
        super().__init__()
        self.ws, self.document_id, self.path, self.include_crm = ws, document_id, path, include_crm
        self.digest = ""
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="docx-export", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        import hashlib

        from workbench.exports import export_source
        from workbench.pdf import Cancelled
        from workbench.word.export import docx_bytes

        ws = None
        try:
            ws = self.ws.for_thread()  # created here: a connection belongs to its thread
            refuse_workspace_target(self.path)
            source = export_source(ws, self.document_id)
            data = docx_bytes(
                ws,
                source,
                include_crm=self.include_crm,
                progress=self.progress.emit,
                cancelled=self._cancel.is_set,
            )
            if self._cancel.is_set():
                raise Cancelled("cancelled")
            write_atomic(self.path, data)
            self.digest = hashlib.sha256(data).hexdigest()
        except Cancelled:
            self.cancelled.emit()
        except BaseException as exc:
            self.failed.emit(exc)
        else:
            self.done.emit(source)
        finally:
            if ws is not None:
                ws.close()


def export_current_document(window) -> None:
    """Ask where to write the selected document's .docx and start the export."""
    doc_id = window.navigator.current_document_id()
    if doc_id is None:
        messages.error(window, TITLE, "Select a document in the outline first.")
        return
    try:
        doc = documents.document(window.ws, doc_id)
    except NotFound as exc:
        messages.error(window, TITLE, str(exc))
        return
    dialog = WordExportDialog(doc.title, window)
    window.docx_export_dialog = dialog
    dialog.accepted.connect(
        lambda: start_export(window, doc_id, dialog.target(), dialog.include_crm.isChecked())
    )
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def start_export(window, document_id: int, path: Path, include_crm: bool) -> WordExport:
    from workbench.word.export import record_docx_export

    app_settings.settings().setValue(LAST_FOLDER, str(path.parent))
    window.autosave.flush_sync(timeout=5.0)  # the file shows what was typed, not what was stored
    job = WordExport(window.ws, document_id, path, include_crm)
    progress = QProgressDialog(f"Exporting {path.name}…", "Cancel", 0, 100, window)
    progress.setObjectName("docxProgress")
    progress.setWindowTitle(TITLE)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.canceled.connect(job.cancel)
    queued = Qt.ConnectionType.QueuedConnection  # emitted on the export thread
    job.progress.connect(lambda f: progress.setValue(round(max(0.0, min(1.0, f)) * 100)), queued)
    exports = window.pdf_exports  # closing the window waits for every running export

    def finish() -> None:
        progress.canceled.disconnect(job.cancel)
        progress.close()
        progress.deleteLater()
        exports.remove(job)

    def done(source) -> None:
        finish()
        window.statusBar().showMessage(f"Exported {path} ({source.describe()})", 15000)
        window.ops.run(
            record_docx_export,
            document_id,
            source.version,
            source.published,
            include_crm,
            job.digest,
            on_error=lambda exc: log.warning("Recording the export of %s failed: %s", path, exc),
        )

    def failed(exc: BaseException) -> None:
        finish()
        log.warning("Word export to %s failed: %s", path, exc, exc_info=exc)
        if isinstance(exc, WorkbenchError | StoreError | OSError):
            messages.error(window, TITLE, f"{path.name} was not written: {exc}")
        else:
            messages.crash(window, exc)

    def cancelled() -> None:
        finish()
        window.statusBar().showMessage(f"Export cancelled; {path.name} was not written", 10000)

    job.done.connect(done, queued)
    job.failed.connect(failed, queued)
    job.cancelled.connect(cancelled, queued)
    exports.append(job)  # kept referenced while it runs
    window.docx_progress = progress
    job.start()
    return job
