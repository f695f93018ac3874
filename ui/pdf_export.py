"""File → Export PDF…: choose the file and the variant, then render off the UI thread.

The snapshot is read and the PDF built on a thread of its own with its own workspace
connection (one connection per thread), so a long export never holds up typing or the writer.
The file appears only when it is complete (written beside the target, then renamed over it).
"""

from __future__ import annotations

import logging
import re
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
from workbench import audit, documents
from workbench.errors import NotFound, StoreError, WorkbenchError
from workbench.files import refuse_workspace_target, write_atomic
from workbench.workspace import use_case

log = logging.getLogger(__name__)
PDF_FILTER = "PDF documents (*.pdf);;All files (*)"
LAST_FOLDER = "export/pdfFolder"


def default_name(title: str) -> str:
    stem = re.sub(r"\s+", " ", re.sub(r"[^\w\- ]+", "", title)).strip()[:120]
    return f"{stem or 'document'}.pdf"


class ExportDialog(QDialog):
    """Where to write the PDF and whether it carries the comment resolution matrix."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export PDF")
        self.setObjectName("exportPdfDialog")
        folder = app_settings.settings().value(LAST_FOLDER) or str(Path.home())
        self.path = QLineEdit(str(Path(folder) / default_name(title)), self)
        self.path.setAccessibleName("PDF file")
        browse = QPushButton("&Browse…", self)
        browse.setObjectName("browse")
        browse.clicked.connect(self.browse)
        self.include_crm = QCheckBox("Include the comment resolution matrix", self)
        self.include_crm.setToolTip("Append every comment with its disposition after the text")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.path.textChanged.connect(
            lambda text: self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
                bool(text.strip())
            )
        )
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        label = QLabel(f"Export <b>{title}</b> as PDF to:", self)
        label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(self.include_crm)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Export PDF", self.path.text(), PDF_FILTER)
        if chosen:
            if Path(chosen).suffix.lower() != ".pdf":
                chosen += ".pdf"
            self.path.setText(chosen)

    def target(self) -> Path:
        return Path(self.path.text().strip()).expanduser()


@use_case
def _record_export(ws, document_id, version, published, include_crm, digest) -> None:
    # The same entry workbench.exports.export_pdf writes: the audit log says what left, and when.
    audit.record(
        ws,
        "document.export_pdf",
        "document",
        document_id,
        version=version,
        published=published,
        variant="crm" if include_crm else "plain",
        signed_by=None,
        sha256=digest,
    )


class PdfExport(QObject):
    """One export running on its own thread; signals arrive on the UI thread."""

    progress = Signal(float)
    done = Signal(object)  # the ExportSource written
    failed = Signal(object)  # the exception
    cancelled = Signal()

    def __init__(self, ws, document_id: int, path: Path, include_crm: bool):
        super().__init__()
        self.ws, self.document_id, self.path, self.include_crm = ws, document_id, path, include_crm
        self.digest = ""
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pdf-export", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        from workbench.coordination.publication_pdfs import sha256
        from workbench.exports import export_source
        from workbench.pdf import Cancelled, build_pdf

        ws = None
        try:
            ws = self.ws.for_thread()  # created here: a connection belongs to its thread
            refuse_workspace_target(self.path)
            source = export_source(ws, self.document_id)
            data = build_pdf(
                source.snapshot,
                include_crm=self.include_crm,
                progress=self.progress.emit,
                cancelled=self._cancel.is_set,
            )
            if self._cancel.is_set():
                raise Cancelled("cancelled")
            write_atomic(self.path, data)
            self.digest = sha256(data)
        except Cancelled:
            self.cancelled.emit()
        except BaseException as exc:
            self.failed.emit(exc)
        else:
            self.done.emit(source)
        finally:
            if ws is not None:
                ws.close()


def export_current_document(window) -> PdfExport | None:
    """Ask where to write the selected document's PDF and start the export."""
    doc_id = window.navigator.current_document_id()
    if doc_id is None:
        messages.error(window, "Export PDF", "Select a document in the outline first.")
        return None
    try:
        doc = documents.document(window.ws, doc_id)
    except NotFound as exc:
        messages.error(window, "Export PDF", str(exc))
        return None
    dialog = ExportDialog(doc.title, window)
    window.pdf_export_dialog = dialog
    dialog.accepted.connect(
        lambda: start_export(window, doc_id, dialog.target(), dialog.include_crm.isChecked())
    )
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return None


def start_export(window, document_id: int, path: Path, include_crm: bool) -> PdfExport:
    app_settings.settings().setValue(LAST_FOLDER, str(path.parent))
    window.autosave.flush_sync(timeout=5.0)  # the PDF shows what was typed, not what was stored
    job = PdfExport(window.ws, document_id, path, include_crm)
    progress = QProgressDialog(f"Exporting {path.name}…", "Cancel", 0, 100, window)
    progress.setObjectName("pdfProgress")
    progress.setWindowTitle("Export PDF")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.canceled.connect(job.cancel)
    queued = Qt.ConnectionType.QueuedConnection  # emitted on the export thread
    job.progress.connect(lambda f: progress.setValue(round(max(0.0, min(1.0, f)) * 100)), queued)

    def finish() -> None:
        progress.canceled.disconnect(job.cancel)
        progress.close()
        progress.deleteLater()
        window.pdf_exports.remove(job)

    def done(source) -> None:
        finish()
        window.statusBar().showMessage(f"Exported {path} ({source.describe()})", 15000)
        window.ops.run(
            _record_export,
            document_id,
            source.version,
            source.published,
            include_crm,
            job.digest,
            on_error=lambda exc: log.warning("Recording the export of %s failed: %s", path, exc),
        )

    def failed(exc: BaseException) -> None:
        finish()
        log.warning("PDF export to %s failed: %s", path, exc, exc_info=exc)
        if isinstance(exc, WorkbenchError | StoreError | OSError):
            messages.error(window, "Export PDF", f"{path.name} was not written: {exc}")
        else:
            messages.crash(window, exc)

    def cancelled() -> None:
        finish()
        window.statusBar().showMessage(f"Export cancelled; {path.name} was not written", 10000)

    job.done.connect(done, queued)
    job.failed.connect(failed, queued)
    job.cancelled.connect(cancelled, queued)
    window.pdf_exports.append(job)  # kept referenced while it runs
    window.pdf_progress = progress
    job.start()
    return job
