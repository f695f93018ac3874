"""File → Export to Word…: choose the file and whether the CRM goes in, then write off the UI
thread (a thread of its own with its own connection, as the PDF export does)."""

from __future__ import annotations

import logging
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
from ui.pdf_export import default_name
from workbench import documents
from workbench.errors import NotFound

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


class WordExport(ExportJob):
    """One Word export on its own thread (see ui.export_job)."""

    thread_name = "docx-export"

    def __init__(self, ws, document_id: int, path: Path, include_crm: bool):
        super().__init__(ws, path)
        self.document_id, self.include_crm = document_id, include_crm

    def produce(self, ws):
        from workbench.exports import export_source
        from workbench.word.export import docx_bytes

        source = export_source(ws, self.document_id)
        data = docx_bytes(
            ws,
            source,
            include_crm=self.include_crm,
            progress=self.progress.emit,
            cancelled=self.is_cancelled,
        )
        return data, source


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

    def done(source) -> None:
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

    window.docx_progress = run_with_progress(
        window,
        job,
        title=TITLE,
        label=f"Exporting {path.name}…",
        object_name="docxProgress",
        on_done=done,
        cancelled_text=f"Export cancelled; {path.name} was not written",
    )
    return job
