"""File → Export PDF…: choose the file and the variant, then render off the UI thread.

The snapshot is read and the PDF built on a thread of its own with its own workspace
connection (one connection per thread), so a long export never holds up typing or the writer.
The file appears only when it is complete (written beside the target, then renamed over it).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ui import messages
from ui import settings as app_settings
from ui.export_job import ExportJob, run_with_progress
from workbench import audit, documents
from workbench.errors import NotFound
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


class PdfExport(ExportJob):
    """One PDF export on its own thread (see ui.export_job)."""

    thread_name = "pdf-export"

    def __init__(self, ws, document_id: int, path: Path, include_crm: bool):
        super().__init__(ws, path)
        self.document_id, self.include_crm = document_id, include_crm

    def produce(self, ws):
        from workbench.exports import export_source
        from workbench.figures import for_snapshot
        from workbench.pdf import build_pdf

        source = export_source(ws, self.document_id)
        data = build_pdf(
            source.snapshot,
            include_crm=self.include_crm,
            progress=self.progress.emit,
            cancelled=self.is_cancelled,
            figures=for_snapshot(ws, source.snapshot),
        )
        return data, source


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

    def done(source) -> None:
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

    window.pdf_progress = run_with_progress(
        window,
        job,
        title="Export PDF",
        label=f"Exporting {path.name}…",
        object_name="pdfProgress",
        on_done=done,
        cancelled_text=f"Export cancelled; {path.name} was not written",
    )
    return job
