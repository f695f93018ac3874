"""File → Import Draft…: pick a Word or Markdown file, preview the sections it will create,
choose the kind, title and marking, then import it on the writer thread.

The file is read on a thread of its own (a 200-page Word file takes a moment), so the window
keeps answering; nothing is written until the user presses Import.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ui import messages
from ui import settings as app_settings
from ui.navigator import DOC
from workbench.documents import DEFAULT_MARKING, DOCUMENT_KINDS
from workbench.errors import StoreError, WorkbenchError
from workbench.exchange.formats import ExchangeError

TITLE = "Import Draft"
FILTER = "Drafts (*.docx *.md *.markdown *.txt);;Word documents (*.docx);;All files (*)"
LAST_FOLDER = "import/draftFolder"
KIND_LABELS = {
    "narrative": "",
    "tenet": "Tenet",
    "action_item": "Action item",
    "appendix": "Appendix",
}


class DraftPreviewDialog(QDialog):
    """The sections a draft will become, with the document's kind, title and marking."""

    def __init__(self, preview, parent=None):
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(TITLE)
        self.setObjectName("importDraftDialog")
        self.title = QLineEdit(preview.title, self)
        self.title.setAccessibleName("Document title")
        self.kind = QComboBox(self)
        for key, label in DOCUMENT_KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setAccessibleName("Document kind")
        self.marking = QLineEdit(preview.marking or DEFAULT_MARKING, self)
        self.marking.setAccessibleName("Handling marking")
        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Marking:", self.marking)
        found = "found in the file's headers" if preview.marking else "none found in the file"
        form.addRow("", QLabel(f"<i>Marking {found}.</i>", self))
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("draftSections")
        self.tree.setHeaderLabels(["Section", "Kind", "Text"])
        self.tree.setAccessibleName("Sections the import will create")
        self._fill()
        facts = [_count(len(preview.sections), "section")]
        if preview.tables:
            facts.append(_count(preview.tables, "table"))
        if preview.notes:
            facts.append(_count(preview.notes, "footnote"))
        storable = preview.figures - len(preview.unstorable)
        if storable > 0:
            facts.append(_count(storable, "figure") + " (stored with their alt text)")
        self.summary = QLabel(", ".join(facts) + ".", self)
        self.summary.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setObjectName("draftUnplaced")
        self.warning.setWordWrap(True)
        if preview.unplaced:
            self.warning.setText(
                f"<b>{_count(preview.unplaced, 'paragraph')} of the file could not be placed "
                f"where {'it' if preview.unplaced == 1 else 'they'} stood</b>; kept in a last "
                "section, “Text the import could not place”, for you to move."
            )
        unstorable = preview.unstorable
        if unstorable:
            # The reasons, once each: "EMF pictures cannot be stored as figures (...)".
            reasons = "; ".join(dict.fromkeys(unstorable))
            text = self.warning.text() + "<br>" if preview.unplaced else ""
            self.warning.setText(
                f"{text}<b>{_count(len(unstorable), 'picture')} cannot become "
                f"{'a figure' if len(unstorable) == 1 else 'figures'}</b>: {_html(reasons)}. "
                "The text names each one where it stood."
            )
        self.warning.setVisible(bool(preview.unplaced or unstorable))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Import <b>{_html(preview.name)}</b> as a new document:", self))
        layout.addLayout(form)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.resize(720, 560)

    def _fill(self) -> None:
        parents: list[tuple[int, QTreeWidgetItem]] = []
        for sec in self.preview.sections:
            words = len(sec.body.split())
            heading = sec.heading or "(text before the first heading)"
            item = QTreeWidgetItem(
                [heading, KIND_LABELS.get(sec.kind, sec.kind), _count(words, "word")]
            )
            while parents and parents[-1][0] >= max(sec.level, 1):
                parents.pop()
            if parents and sec.level > 0:
                parents[-1][1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            if sec.level > 0:
                parents.append((sec.level, item))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)

    def choices(self) -> dict:
        return {
            "kind": self.kind.currentData(),
            "title": self.title.text().strip(),
            "marking": self.marking.text().strip() or None,
        }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class DraftReader(QObject):
    """Reads a draft on its own thread; the result arrives on the UI thread."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self._thread = threading.Thread(target=self._run, name="draft-read", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        from workbench.exchange.drafts import read_draft

        try:
            preview = read_draft(self.path)
        except BaseException as exc:
            self.failed.emit(exc)
        else:
            self.done.emit(preview)


def import_draft_file(window, path: str | None = None) -> DraftReader | None:
    """Ask for a draft (unless given), read it off the UI thread, then show the preview."""
    if path is None:
        folder = app_settings.settings().value(LAST_FOLDER) or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(window, TITLE, folder, FILTER)
        if not path:
            return None
    chosen = Path(path)
    app_settings.settings().setValue(LAST_FOLDER, str(chosen.parent))
    reader = DraftReader(chosen)
    window.draft_reader = reader  # kept referenced while it runs
    queued = Qt.ConnectionType.QueuedConnection
    window.statusBar().showMessage(f"Reading {chosen.name}…")

    def failed(exc: BaseException) -> None:
        window.statusBar().clearMessage()
        if isinstance(exc, WorkbenchError | ExchangeError | StoreError | OSError):
            messages.error(window, TITLE, f"{chosen.name} cannot be imported: {exc}")
        else:
            messages.crash(window, exc)

    reader.done.connect(lambda preview: _preview(window, chosen, preview), queued)
    reader.failed.connect(failed, queued)
    reader.start()
    return reader


def _preview(window, path: Path, preview) -> None:
    from workbench.exchange.drafts import import_draft

    window.statusBar().clearMessage()
    dialog = DraftPreviewDialog(preview, window)
    window.draft_import_dialog = dialog

    def imported(doc_id: int) -> None:
        # workspace_changed follows this callback; the navigator shows the new row after it.
        QTimer.singleShot(0, lambda: window.navigator.select(DOC, doc_id))
        window.statusBar().showMessage(f"Imported {path.name} as a new document", 15000)

    def accept() -> None:
        window.ops.run(import_draft, path, **dialog.choices(), on_done=imported)

    dialog.accepted.connect(accept)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
