"""The shared-workspace part: File → Open Shared Workspace…, others' changes as they commit,
and the merge when two people saved one section."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from ui.shared.changes import SharedChanges, describe
from ui.shared.merge_dialog import MergeDialog
from ui.shared.offline_actions import OfflineActions

log = logging.getLogger(__name__)
SHOW_CHANGE_MS = 15000


@dataclass(eq=False)
class SharedPart:
    window: Any
    open_action: QAction
    merge_action: QAction
    changes: SharedChanges | None = None
    label: QLabel | None = None
    merge_dialog: MergeDialog | None = None
    seen: list[str] = field(default_factory=list)  # what others did, newest last
    offline: OfflineActions | None = None

    # -- opening -------------------------------------------------------------------------------
    def open_shared(self) -> None:
        """Ask where the shared workspace is, then open it like any other (window.opener)."""
        from ui.shared.connect import remember_password
        from ui.shared.open_dialog import OpenSharedDialog

        window = self.window
        dialog = OpenSharedDialog(window)
        if not dialog.exec():
            return
        address, password, remember = dialog.result_address()
        if password:
            address.password = password
            if remember:
                remember_password(address, password)
        if window.opener is not None:
            window.opener(address)

    # -- others' changes -----------------------------------------------------------------------
    def announced(self, notes: list[dict]) -> None:
        window = self.window
        if getattr(window, "closing", False):
            return
        for note in notes:
            self.seen.append(describe(note))
        del self.seen[:-50]
        window.statusBar().showMessage(self.seen[-1], SHOW_CHANGE_MS)
        log.info("Shared workspace changed: %s", "; ".join(describe(n) for n in notes))
        window.workspace_changed.emit()

    # -- two saves of one section --------------------------------------------------------------
    def conflict(self, exc) -> None:
        if self.merge_dialog is not None and self.merge_dialog.isVisible():
            return
        dialog = MergeDialog(exc, self.window)
        self.merge_dialog = dialog
        dialog.finished.connect(lambda result, d=dialog: self._merged(d, result))
        dialog.open()

    def _merged(self, dialog: MergeDialog, result: int) -> None:
        if result != MergeDialog.DialogCode.Accepted:
            return  # kept unsaved; Edit → Merge Unsaved Section… comes back to it
        heading, body = dialog.merged()
        c = dialog.conflict
        self.window.autosave.resolve(c.section_id, heading, body, c.their_hash)

    def merge_pending(self) -> None:
        pending = self.window.autosave.conflicts()
        if pending:
            self.conflict(pending[0])
        else:
            self.window.statusBar().showMessage("No unsaved section waits for a merge.", 5000)

    def stop(self, *_args) -> None:
        if self.changes is not None:
            self.changes.stop()
            self.changes = None


def _menu(window, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and action.text().replace("&", "") == title:
            return menu
    return None


def _add(window, menu_title: str, text: str, slot, name: str, after: str = "") -> QAction:
    """An action in a top-level menu (after the one named `after`, else at its end)."""
    action = QAction(text, window)
    action.setObjectName(name)
    action.triggered.connect(lambda _=False: slot())
    menu = _menu(window, menu_title)
    if menu is not None:
        actions = menu.actions()
        anchor = next((a for a in actions if a.objectName() == after), None)
        index = actions.index(anchor) + 1 if anchor is not None else len(actions)
        menu.insertAction(actions[index] if index < len(actions) else None, action)
    window.addAction(action)
    return action


def install(window) -> SharedPart:
    file_menu, edit_menu = _menu(window, "File"), _menu(window, "Edit")
    open_action = QAction("Open S&hared Workspace…", window)
    open_action.setObjectName("openShared")
    open_action.setShortcut(QKeySequence("Ctrl+Alt+O"))
    open_action.setStatusTip("Open a workspace on the office's PostgreSQL server")
    merge_action = QAction("&Merge Unsaved Section…", window)
    merge_action.setObjectName("mergeSection")
    part = SharedPart(window, open_action, merge_action)
    open_action.triggered.connect(lambda _=False: part.open_shared())
    merge_action.triggered.connect(lambda _=False: part.merge_pending())
    if file_menu is not None:
        after = next((a for a in file_menu.actions() if a.objectName() == "open"), None)
        anchor = file_menu.actions()[file_menu.actions().index(after) + 1] if after else None
        file_menu.insertAction(anchor, open_action)
    window.addAction(open_action)
    if edit_menu is not None:
        edit_menu.addSeparator()
        edit_menu.addAction(merge_action)
    window.autosave.conflict.connect(part.conflict)
    part.offline = OfflineActions(window)
    _add(window, "Document", "Ta&ke Offline…", part.offline.take_offline, "takeOffline")
    _add(window, "File", "Brin&g Back…", part.offline.bring_back, "bringBack", after="openShared")
    _add(window, "Authority", "Brea&k Offline Lease…", part.offline.break_lease, "breakLease")
    ws = window.ws
    if getattr(ws, "shared", False):
        try:
            part.changes = SharedChanges(ws.path, window)
        except Exception as exc:  # changes by others then show at the next refresh
            log.warning("Cannot listen for others' changes: %s", exc)
        if part.changes is not None:
            part.changes.announced.connect(part.announced)
            # The window's own writes come from its writer's connection (and its own): not
            # "others".
            part.changes.own_pids.add(ws.db.raw.info.backend_pid)
            window.ops.run(lambda w: w.db.raw.info.backend_pid, on_done=part.changes.own_pids.add)
        part.label = QLabel(f"Shared: {ws.path.name}", window)
        part.label.setAccessibleName("Shared workspace")
        part.label.setToolTip(f"{ws.path}\nOthers' changes appear here as they save them")
        window.statusBar().addPermanentWidget(part.label)
        ws.close_hooks.insert(0, part.stop)
    return part
