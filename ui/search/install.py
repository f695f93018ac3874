"""Hooks search and deconfliction into the main window through its public API only."""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ui import messages
from ui.lazy import LazyReload
from ui.navigator import DOC, SECTION
from ui.search import studies_dialog
from ui.search.deconfliction import DeconflictionDialog
from ui.search.panel import SearchPanel
from workbench import documents, search, studies


class PriorWorkPanel(QWidget):
    """The current document's recorded consultations, and a way to check for prior work."""

    def __init__(self, ws, ops, parent=None, *, reader=None):
        super().__init__(parent)
        self.ws, self.ops = ws, ops
        self.document_id: int | None = None
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Consultations")
        self.check = QPushButton("Check for Related Prior Work…", self)
        self.check.clicked.connect(self.prompt)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.check)
        layout.addStretch(1)
        # Read when seen, off the UI thread where a reader is given: every autosave changes the
        # workspace, and a hidden tab re-reading on the UI thread was work nobody saw.
        self._lazy = LazyReload(
            self, self.refresh, reader=reader, prepare=self._job, show=self._show
        )
        self.set_document(None)

    def set_document(self, document_id: int | None) -> None:
        self.document_id = document_id or None
        self.check.setEnabled(self.document_id is not None)
        self._lazy.now()

    def changed(self) -> None:
        """The workspace changed: re-read when next seen."""
        self._lazy.request()

    def refresh(self) -> None:
        """Read and show now (on this thread)."""
        self._lazy.supersede()
        self._show(self._job()(self.ws))

    def _job(self):
        doc_id = self.document_id
        return lambda ws: (doc_id, studies.consultations(ws, doc_id) if doc_id else [])

    def _show(self, read) -> None:
        doc_id, found = read
        if doc_id != self.document_id:
            return  # read for a document no longer chosen
        if doc_id is None:
            self.label.setText("Select a document to see whether prior work was checked.")
            return
        if not found:
            self.label.setText(
                "<b>No deconfliction recorded.</b> Nobody has recorded whether the owners "
                "of related studies or documents were consulted."
            )
            return
        items = "".join(
            f"<li>{html.escape(c.summary)} <span style='color:gray'>(recorded "
            f"{html.escape(c.recorded_at[:10])} by {html.escape(c.recorded_by)})</span></li>"
            for c in found
        )
        self.label.setText(f"<b>Prior work checked</b><ul>{items}</ul>")

    def prompt(self) -> DeconflictionDialog | None:
        if self.document_id is None:
            return None
        dialog = DeconflictionDialog.for_document(self, self.ws, self.ops, self.document_id)
        if dialog is None:
            messages.info(self, "Prior work", "No related studies, contracts or documents found.")
        return dialog


def open_hit(main_window, hit: search.Hit) -> None:
    """Open a hit where it lives: a section or document in the navigator, a study's record."""
    nav = main_window.navigator
    if hit.kind == "study":
        s = studies.study(main_window.ws, hit.id)
        messages.info(
            main_window,
            s.title,
            f"{s.kind.title()} by {s.owner} ({s.status_label}, {s.year or 'year not given'})"
            f"\nContact: {s.contact or '—'}\n\n{s.abstract}",
        )
        return
    if hit.section_id and hit.kind in ("section", "comment", "published"):
        if nav.select(SECTION, hit.section_id):
            return
    if hit.document_id:
        nav.select(DOC, hit.document_id)


def install(main_window) -> SearchPanel:
    """Add the Search and Prior work panels, the Search menu, and the post-create prompt."""
    ws, ops = main_window.ws, main_window.ops
    panel = SearchPanel(ws, parent=main_window)
    main_window.add_panel("Search", panel)
    prior = PriorWorkPanel(ws, ops, main_window, reader=panel.reader)
    main_window.add_panel("Prior work", prior)
    main_window.search_panel, main_window.prior_work_panel = panel, prior

    menu = main_window.add_menu("&Search")
    find = menu.addAction("&Find in Workspace…")
    find.setObjectName("findInWorkspace")
    find.setShortcut(QKeySequence("Ctrl+Shift+F"))
    find.triggered.connect(lambda _=False: (main_window.show_panel(panel), panel.focus_search()))
    check = menu.addAction("Check for Related &Prior Work…")
    check.setObjectName("checkPriorWork")
    check.triggered.connect(lambda _=False: (main_window.show_panel(prior), prior.prompt()))
    studies_dialog.add_to_menu(main_window, menu)

    panel.open_requested.connect(lambda hit: open_hit(main_window, hit))
    main_window.document_selected.connect(prior.set_document)

    def changed() -> None:
        prior.changed()
        if panel.box.text().strip():
            panel.run_search()  # keep hits current after edits, deletes and publication

    main_window.workspace_changed.connect(changed)

    def finished(job) -> None:
        # The window has no "document created" signal; the writer's job says what ran.
        if getattr(job, "fn", None) is documents.create_document and len(job.args) >= 2:
            title = " ".join(str(job.args[1]).split())
            row = next(
                ws.db.query(
                    "SELECT id FROM documents WHERE title = ? AND deleted_at IS NULL "
                    "ORDER BY id DESC LIMIT 1",
                    [title],
                ),
                None,
            )
            if row is not None:
                main_window.last_deconfliction = DeconflictionDialog.for_document(
                    main_window, ws, ops, row["id"]
                )

    ops.job_finished.connect(finished)
    main_window.destroyed.connect(lambda *_: panel.reader.close())
    return panel
