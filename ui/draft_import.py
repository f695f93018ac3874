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
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
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
    """The sections a draft will become, with the document's kind, title and marking; for a
    Word draft that still holds reviewers' comments or tracked changes, what to do with them
    (keep the changes unapplied and bring everything into the CRM, or accept the changes)."""

    def __init__(self, preview, parent=None, *, marked=None, organizations=()):
        super().__init__(parent)
        self.preview = preview
        self.marked = marked
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
        self.markup_box = self._markup_choice(marked, organizations) if marked else None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self._fill()
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
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Import <b>{_html(preview.name)}</b> as a new document:", self))
        layout.addLayout(form)
        if self.markup_box is not None:
            layout.addWidget(self.markup_box)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.resize(720, 640 if marked else 560)
        self._update()

    def _markup_choice(self, marked, organizations) -> QGroupBox:
        box = QGroupBox("Reviewers' comments and tracked changes", self)
        box.setObjectName("draftMarkup")
        note = QLabel(
            f"<b>{_html(self.preview.name)} holds {_html(marked.describe())}.</b> "
            "Choose what becomes of them; nothing a reviewer wrote is left out unless you "
            "say so.",
            box,
        )
        note.setWordWrap(True)
        self.keep_markup = QRadioButton(
            "&Keep the tracked changes unapplied and bring every comment and change into the "
            "CRM (the changes as proposed wording) as the comments of:",
            box,
        )
        self.keep_markup.setAccessibleName("Keep the tracked changes unapplied")
        self.organization = QComboBox(box)
        self.organization.setAccessibleName("Organization the comments are from")
        self.organization.addItem("Choose the organization…", None)
        for code, name in organizations:
            self.organization.addItem(f"{code} — {name}" if name else code, code)
        comments = marked.markup.comment_count
        left_out = (
            f"its {_count(comments, 'comment')} {'is' if comments == 1 else 'are'} not imported"
            if comments
            else "it has no comments"
        )
        self.apply_changes = QRadioButton(f"&Accept the tracked changes; {left_out}", box)
        self.apply_changes.setAccessibleName("Accept the tracked changes")
        self.keep_markup.setChecked(True)
        for control in (self.keep_markup, self.apply_changes):
            control.toggled.connect(lambda _on: (self._fill(), self._update()))
        self.organization.currentIndexChanged.connect(lambda _i: self._update())
        grid = QVBoxLayout(box)
        grid.addWidget(note)
        grid.addWidget(self.keep_markup)
        row = QHBoxLayout()
        row.addSpacing(24)
        row.addWidget(self.organization, 1)
        grid.addLayout(row)
        grid.addWidget(self.apply_changes)
        return box

    def keeping_markup(self) -> bool:
        return self.marked is not None and self.keep_markup.isChecked()

    def _update(self, *_args) -> None:
        ready = bool(self.title.text().strip())
        if self.keeping_markup():
            ready = ready and self.organization.currentData() is not None
        self.ok.setEnabled(ready)

    def shown_preview(self):
        """The sections as they will be: before the tracked changes when they stay unapplied."""
        return self.marked.original if self.keeping_markup() else self.preview

    def _fill(self) -> None:
        shown = self.shown_preview()
        facts = [_count(len(shown.sections), "section")]
        if shown.tables:
            facts.append(_count(shown.tables, "table"))
        if shown.notes:
            facts.append(_count(shown.notes, "footnote"))
        storable = shown.figures - len(shown.unstorable)
        if storable > 0:
            facts.append(_count(storable, "figure") + " (stored with their alt text)")
        self.summary.setText(", ".join(facts) + ".")
        self.tree.clear()
        parents: list[tuple[int, QTreeWidgetItem]] = []
        for sec in shown.sections:
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

    def markup_organization(self) -> str | None:
        """The organization whose comments the markup becomes; None: import without it."""
        return self.organization.currentData() if self.keeping_markup() else None


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
        from workbench.exchange.draft_markup import read_marked_draft
        from workbench.exchange.drafts import read_draft

        try:
            preview = read_draft(self.path)
            marked = read_marked_draft(self.path)
        except BaseException as exc:
            self.failed.emit(exc)
        else:
            self.done.emit((preview, marked))


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

    reader.done.connect(lambda read: _preview(window, chosen, *read), queued)
    reader.failed.connect(failed, queued)
    reader.start()
    return reader


def _preview(window, path: Path, preview, marked=None) -> None:
    from workbench.directory import organizations
    from workbench.exchange.draft_markup import import_draft_keeping_markup
    from workbench.exchange.drafts import import_draft

    window.statusBar().clearMessage()
    orgs = [(o.code, o.name) for o in organizations(window.ws)] if marked else []
    dialog = DraftPreviewDialog(preview, window, marked=marked, organizations=orgs)
    window.draft_import_dialog = dialog

    def imported(doc_id: int, text: str) -> None:
        # workspace_changed follows this callback; the navigator shows the new row after it.
        QTimer.singleShot(0, lambda: window.navigator.select(DOC, doc_id))
        window.statusBar().showMessage(text, 15000)

    def kept(done) -> None:
        doc_id, result = done
        imported(
            doc_id,
            f"Imported {path.name} as it stood before its tracked changes; "
            f"{len(result.comment_ids)} comment(s) and change(s) are in the CRM as "
            f"{result.preview.organization}'s",
        )

    def applied(doc_id: int) -> None:
        text = f"Imported {path.name} as a new document"
        if marked is not None:
            n = marked.markup.comment_count
            text += " with its tracked changes accepted"
            text += f"; its {n} comment(s) were not imported, as you chose" if n else ""
        imported(doc_id, text)

    def accept() -> None:
        code = dialog.markup_organization()
        if code is not None:
            window.ops.run(
                import_draft_keeping_markup, path, code, **dialog.choices(), on_done=kept
            )
        else:
            window.ops.run(import_draft, path, **dialog.choices(), on_done=applied)

    dialog.accepted.connect(accept)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
