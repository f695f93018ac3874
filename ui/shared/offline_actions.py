"""Take Offline…, Bring Back…, Break Offline Lease… and the read-only state they leave.

A document someone has offline reads as read-only here, saying who has it and since when; in
an offline copy every other document does, and the status bar says where it came from.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from ui import messages
from ui.shared.take_offline_dialog import TakeOfflineDialog
from workbench import documents, offline, sections
from workbench.authority import decisions
from workbench.errors import NotFound, WorkbenchError

log = logging.getLogger(__name__)


class OfflineActions:
    def __init__(self, window):
        self.window = window
        self.ws = window.ws
        # The bar over the text: what is offline and why it is read-only, and (a lease run
        # out, the Director acting) Break Lease… beside it.
        self.bar = QWidget(window)
        self.bar.setObjectName("offlineBar")
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(0, 2, 0, 2)
        self.banner = QLabel(self.bar)
        self.banner.setObjectName("offlineBanner")
        self.banner.setAccessibleName("Offline")
        self.banner.setWordWrap(True)
        self.break_button = QPushButton("Break Lease…", self.bar)
        self.break_button.setObjectName("breakLeaseButton")
        self.break_button.setAccessibleName("Break the offline lease")
        self.break_button.clicked.connect(self.break_lease)
        self.break_button.hide()
        # The holder, back on the shared workspace, brings the copy back from here too.
        self.bring_back_button = QPushButton("Bring Back…", self.bar)
        self.bring_back_button.setObjectName("bringBackButton")
        self.bring_back_button.setAccessibleName("Bring back the offline copy")
        self.bring_back_button.clicked.connect(lambda: self.bring_back())
        self.bring_back_button.hide()
        row.addWidget(self.banner, 1)
        row.addWidget(self.bring_back_button, 0)
        row.addWidget(self.break_button, 0)
        # As tall as its wrapped lines need, never squeezed by the editor below it.
        self.bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.bar.hide()
        _place_over_the_text(window, self.bar)
        window.section_selected.connect(lambda _sid: self.show_state())
        window.document_selected.connect(lambda _doc: self.show_state())
        # After any refresh the editor sets its own state; this one follows it.
        window.workspace_changed.connect(lambda: QTimer.singleShot(0, self.show_state))
        self.copy_of = None
        self.expired = False
        self.held_by_me = False
        self.show_state()

    # -- what is read-only, and why -------------------------------------------------------------
    def _current_document(self) -> int | None:
        sid = getattr(self.window.editor, "section_id", None)
        if sid is not None:
            try:
                return sections.section(self.ws, sid).document_id
            except NotFound:
                return None
        current = getattr(self.window.navigator, "current_document_id", None)
        return current() if callable(current) else None

    def reason(self, doc_id: int | None) -> str:
        """Why this document cannot be changed here ('' when it can)."""
        if doc_id is None or self.ws.closed:
            return ""
        copy = offline.offline_copy(self.ws)
        self.copy_of = copy if copy is not None and copy.open else None
        if self.copy_of is not None:
            if doc_id == self.copy_of.document_id:
                return ""
            return f"This offline copy holds {self.copy_of.title}; other documents are read-only."
        out = offline.checkout(self.ws, doc_id)
        self.expired = out is not None and out.overdue(self.ws.clock())
        self.held_by_me = out is not None and out.held_by(self.ws)
        if out is None:
            return ""
        if self.expired:
            return (
                f"{out.title}: {out.describe(self.ws.clock())}. Read-only here until it is "
                "brought back or the Director breaks the lease."
            )
        return f"{out.title}: {out.describe()} — read-only here."

    def _may_break(self) -> bool:
        """Whether the acting person is the Director (who alone may break a lease)."""
        try:
            decisions.require_director(self.ws)
        except WorkbenchError:
            return False
        return True

    def show_state(self) -> None:
        if getattr(self.window, "closing", False) or self.ws.closed:
            return
        self.expired = self.held_by_me = False
        text = self.reason(self._current_document())
        self._mark_navigator()
        if self.copy_of is not None and not text:
            source = offline.offline_source(self.ws) or "the shared workspace"
            text = (
                f"Offline copy of {self.copy_of.title} from {_shown(source)}; bring it back "
                "there with File → Bring Back…"
            )
            if self.copy_of.overdue(self.ws.clock()):
                text += (
                    f" The lease expired on {offline.day(self.copy_of.lease_until)}: the "
                    "Director may break it, and then these changes cannot come back."
                )
            else:
                text += f" (lease until {offline.day(self.copy_of.lease_until)})."
            blocked = False
        else:
            blocked = bool(text)
        if text != self.banner.text():
            self.banner.setText(text)
            self.banner.updateGeometry()
        self.break_button.setVisible(self.expired and self._may_break())
        self.bring_back_button.setVisible(blocked and self.held_by_me)
        self.bar.setVisible(bool(text))
        history = getattr(self.window, "history", None)
        if history is not None:
            history.set_blocked(text if blocked else "")
        if blocked:
            editor = self.window.editor
            for widget in (editor.heading, editor.body):
                widget.setReadOnly(True)  # typing that could never be saved would only be lost
            for widget in (editor.kind, editor.equities, editor.toolbar):
                widget.setEnabled(False)

    def _mark_navigator(self) -> None:
        """The navigator says which documents are offline, and whose lease ran out."""
        mark = getattr(self.window.navigator, "set_document_notes", None)
        if mark is None:
            return
        now = self.ws.clock()
        notes = {}
        for out in offline.open_checkouts(self.ws):
            late = out.overdue(now)
            notes[out.document_id] = (
                "lease expired" if late else "offline",
                out.describe(now) if late else out.describe(),
            )
        mark(notes)

    # -- the actions ----------------------------------------------------------------------------
    def take_offline(self) -> None:
        doc_id = self._current_document()
        if doc_id is None:
            messages.info(self.window, "Take Offline", "Select the document to take offline.")
            return
        doc = documents.document(self.ws, doc_id)
        start = str(Path.home() / f"{_file_name(doc.title)} (offline).cnew")
        dialog = TakeOfflineDialog(doc.title, start, self.ws.clock(), self.window)
        if not dialog.exec():
            return
        path, days = dialog.chosen()

        def done(out) -> None:
            messages.info(
                self.window,
                "Taken offline",
                f"{out.title} is offline in {path}, with a lease until "
                f"{offline.day(out.lease_until)}; everyone else sees it read-only. Open that "
                "file to work on it, then bring it back here with File → Bring Back…",
            )

        self.window.ops.run(
            offline.take_offline, doc_id, path, days=days, on_done=done, busy="Taking it offline…"
        )

    def bring_back(self) -> None:
        if self.copy_of is not None:
            source = offline.offline_source(self.ws) or ""
            messages.info(
                self.window,
                "Bring Back",
                f"This is the offline copy. Open {_shown(source)} (File → Open Shared "
                "Workspace… or Open Recent), then choose File → Bring Back… there and pick "
                f"{Path(str(self.ws.path)).name}.",
            )
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Bring Back an Offline Copy", str(Path.home()),
            "CNE Workbench workspaces (*.cnew)",
        )  # fmt: skip
        if not path:
            return

        def done(brought) -> None:
            messages.info(self.window, "Brought back", f"Brought back: {brought.summary()}.")

        self.window.ops.run(offline.bring_back, path, on_done=done, busy="Bringing it back…")

    def break_lease(self) -> None:
        doc_id = self._current_document()
        out = offline.checkout(self.ws, doc_id) if doc_id is not None else None
        if out is None:
            messages.info(
                self.window, "Break Offline Lease", "The selected document is not offline."
            )
            return
        try:
            # Before asking why: who may break it, and how the decision will be signed.
            decisions.require_director(self.ws)
            signature = decisions.planned_signature(self.ws)
        except WorkbenchError as exc:
            messages.error(self.window, "Break Offline Lease", str(exc))
            return
        reason = messages.ask_text(
            self.window,
            "Break Offline Lease",
            f"{out.describe(self.ws.clock())}. Breaking the lease is your decision ({signature}): "
            f"{out.title} becomes editable here again, and {out.holder}'s offline changes can "
            "no longer come back. Why?",
        )
        if not reason or not reason.strip():
            return

        def done(broken) -> None:
            messages.info(
                self.window,
                "Lease broken",
                f"{broken.title} is editable again; {broken.holder} is told why when the "
                "offline copy is brought back.",
            )

        self.window.ops.run(offline.break_lease, doc_id, reason, on_done=done)


def _place_over_the_text(window, banner: QLabel) -> None:
    """Under the editor's title, where a published version says it is read-only (the status
    bar, where the editor has no such place)."""
    editor = window.editor
    bar = getattr(editor, "published_bar", None)
    parent = bar.parentWidget() if bar is not None else None
    layout = parent.layout() if parent is not None else None
    if layout is not None and layout.indexOf(bar) >= 0:
        banner.setParent(parent)
        layout.insertWidget(layout.indexOf(bar) + 1, banner)
    else:
        window.statusBar().addPermanentWidget(banner)


def _file_name(title: str) -> str:
    """A title as a file name: no folder separators or characters file systems refuse."""
    kept = "".join("-" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in title)
    return kept.strip(" .")[:60] or "Document"


def _shown(source: str) -> str:
    """An address as a person reads it: a shared workspace's name, a file's path."""
    from workbench.workspace import ServerAddress, is_server

    return ServerAddress(source).name if is_server(source) else source
