"""File → Export Redline…: pick two versions or revisions and a file, then build it off the UI
thread (its own workspace connection), with progress and cancel."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ui import messages
from ui import settings as app_settings
from ui.export_job import ExportJob, run_with_progress
from workbench import documents
from workbench.errors import NotFound
from workbench.redline_files import choices, record_redline_export

log = logging.getLogger(__name__)
LAST_FOLDER = "export/redlineFolder"
TITLE = "Export Redline"


def default_name(title: str, old: str, new: str, suffix: str = ".pdf") -> str:
    stem = re.sub(r"\s+", " ", re.sub(r"[^\w\- ]+", "", title)).strip()[:100] or "document"
    return f"{stem} redline {old} to {new}{suffix}"


class RedlineDialog(QDialog):
    """From which state to which, and where to write the redline (.pdf or .docx)."""

    def __init__(self, title: str, sides: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("exportRedlineDialog")
        self.title = title
        self.old = QComboBox(self)
        self.old.setObjectName("redlineFrom")
        self.new = QComboBox(self)
        self.new.setObjectName("redlineTo")
        for spec, label in sides:
            self.old.addItem(label, spec)
            self.new.addItem(label, spec)
        # Default: the newest earlier state against the current draft (listed first).
        self.new.setCurrentIndex(0)
        self.old.setCurrentIndex(1 if len(sides) > 1 else 0)
        self.format = QComboBox(self)
        self.format.setObjectName("redlineFormat")
        self.format.addItem("PDF (insertions underlined, deletions struck)", ".pdf")
        self.format.addItem("Word .docx (tracked changes)", ".docx")
        folder = app_settings.settings().value(LAST_FOLDER) or str(Path.home())
        self.folder = Path(folder)
        self.path = QLineEdit(self)
        self.path.setAccessibleName("Redline file")
        self._edited = False
        self.path.textEdited.connect(lambda _t: setattr(self, "_edited", True))
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self.browse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note = QLabel(self)
        self.note.setObjectName("redlineNote")
        for box in (self.old, self.new, self.format):
            box.currentIndexChanged.connect(self._update)
        self.path.textChanged.connect(self._enable)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&From:", self.old)
        form.addRow("&To:", self.new)
        form.addRow("F&ormat:", self.format)
        file_label = QLabel("F&ile:", self)
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        layout = QVBoxLayout(self)
        label = QLabel(f"What changed in <b>{_html(title)}</b>:", self)
        label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._update()
        self.resize(620, self.sizeHint().height())

    def sides(self) -> tuple[str, str]:
        return self.old.currentData(), self.new.currentData()

    def suffix(self) -> str:
        return self.format.currentData()

    def _update(self, *_args) -> None:
        old, new = self.sides()
        if not self._edited:
            name = default_name(self.title, old, new, self.suffix())
            self.path.blockSignals(True)
            self.path.setText(str(self.folder / name))
            self.path.blockSignals(False)
        self._enable()

    def _enable(self, *_args) -> None:
        old, new = self.sides()
        same = old == new
        self.note.setText("Choose two different versions." if same else "")
        self.ok.setEnabled(not same and bool(self.path.text().strip()))

    def browse(self) -> None:
        suffix = self.suffix()
        pattern = "PDF documents (*.pdf)" if suffix == ".pdf" else "Word documents (*.docx)"
        chosen, _ = QFileDialog.getSaveFileName(self, TITLE, self.path.text(), pattern)
        if chosen:
            if Path(chosen).suffix.lower() != suffix:
                chosen += suffix
            self._edited = True
            self.path.setText(chosen)

    def target(self) -> Path:
        path = Path(self.path.text().strip()).expanduser()
        return (
            path
            if path.suffix.lower() == self.suffix()
            else path.with_name(path.name + self.suffix())
        )


def _html(text: str) -> str:
    from html import escape

    return escape(text)


class RedlineExport(ExportJob):
    """One redline being built on its own thread (see ui.export_job)."""

    thread_name = "redline-export"

    def __init__(self, ws, document_id: int, old: str, new: str, path: Path):
        super().__init__(ws, path)
        self.document_id, self.old, self.new = document_id, old, new

    def produce(self, ws):
        from workbench.redline import redline
        from workbench.redline_files import redline_file

        red = redline(ws, self.document_id, self.old, self.new)
        self.progress.emit(0.1)
        data = redline_file(
            red, self.path.suffix, progress=self.progress.emit, cancelled=self.is_cancelled
        )
        return data, red


def export_redline(window) -> RedlineDialog | None:
    """Ask which versions and where, for the selected document, then start the export."""
    doc_id = window.navigator.current_document_id()
    if doc_id is None:
        messages.error(window, TITLE, "Select a document in the outline first.")
        return None
    try:
        doc = documents.document(window.ws, doc_id)
        sides = choices(window.ws, doc_id)
    except NotFound as exc:
        messages.error(window, TITLE, str(exc))
        return None
    if len(sides) < 2:
        messages.error(
            window,
            TITLE,
            f"{doc.title} has no earlier version or revision to compare with yet "
            "(save a revision or publish first).",
        )
        return None
    dialog = RedlineDialog(doc.title, sides, window)
    window.redline_dialog = dialog

    def go() -> None:
        old, new = dialog.sides()
        start_export(window, doc_id, old, new, dialog.target())

    dialog.accepted.connect(go)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def start_export(window, document_id: int, old: str, new: str, path: Path) -> RedlineExport:
    app_settings.settings().setValue(LAST_FOLDER, str(path.parent))
    window.autosave.flush_sync(timeout=5.0)  # the draft side shows what was typed
    job = RedlineExport(window.ws, document_id, old, new, path)

    def done(red) -> None:
        counts = red.counts()
        window.statusBar().showMessage(
            f"Redline written to {path}: {counts['changed']} changed, {counts['added']} added, "
            f"{counts['removed']} removed, {counts['moved']} moved",
            15000,
        )
        window.ops.run(
            record_redline_export,
            document_id,
            red.old.spec,
            red.new.spec,
            path.suffix.lower().lstrip("."),
            job.digest,
            on_error=lambda exc: log.warning("Recording the redline %s failed: %s", path, exc),
        )

    window.redline_progress = run_with_progress(
        window,
        job,
        title=TITLE,
        label=f"Writing {path.name}…",
        object_name="redlineProgress",
        on_done=done,
        cancelled_text=f"Redline cancelled; {path.name} was not written",
    )
    return job
