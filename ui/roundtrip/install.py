"""Puts the round trip into the main window: the external-change watch, send, extend, recall.

Send for Review… is in the Coordination menu, the navigator's context menu, the coordination
view's buttons and its request rows' context menu; File > Import Review Response… takes a
returned Word file (ui.review.importing hands it to ui.roundtrip.word_import).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton

from ui import messages
from ui.roundtrip.watch import ExternalChanges


@dataclass
class Roundtrip:
    window: object
    watch: ExternalChanges
    send_action: QAction
    extend_action: QAction
    recall_action: QAction
    dialog: object = None

    # -- what is current ---------------------------------------------------------------------
    def _document(self) -> int | None:
        return self.window.navigator.current_document_id()

    def _request(self) -> int | None:
        coordination = getattr(self.window, "coordination", None)
        return coordination.controller.request_id if coordination is not None else None

    def update_enabled(self, *_args) -> None:
        self.send_action.setEnabled(self._document() is not None)
        has_request = self._request() is not None
        self.extend_action.setEnabled(has_request)
        self.recall_action.setEnabled(has_request)

    # -- actions -----------------------------------------------------------------------------
    def send(self, request_id: int | None = None):
        from ui.roundtrip.send_dialog import SendForReviewDialog
        from workbench.coordination import requests as rq

        doc = self._document()
        if request_id is not None:
            doc = rq.request(self.window.ws, request_id).document_id
            if rq.request(self.window.ws, request_id).stored_status != "draft":
                request_id = None  # a sent request: offer the document's organizations
        if doc is None:
            messages.error(self.window, "Send for Review", "Select a document to send first.")
            return None
        self.dialog = SendForReviewDialog(self.window, doc, request_id=request_id)
        self.dialog.show()
        return self.dialog

    def extend(self, request_id: int | None = None):
        from ui.roundtrip.request_dialogs import ExtendSuspenseDialog

        rid = request_id or self._request()
        if rid is None:
            return None
        self.dialog = ExtendSuspenseDialog(self.window, rid)
        self.dialog.show()
        return self.dialog

    def recall(self, request_id: int | None = None) -> bool:
        from ui.roundtrip.request_dialogs import recall_request

        rid = request_id or self._request()
        return rid is not None and recall_request(self.window, rid)


def _action(window, text: str, slot, shortcut: str | None, name: str) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _=False: slot())
    window.addAction(action)  # the shortcut works wherever the focus is
    return action


def install(window) -> Roundtrip:
    part = Roundtrip(
        window,
        ExternalChanges(window),
        None,
        None,
        None,  # type: ignore[arg-type]
    )
    part.send_action = _action(
        window, "&Send for Review…", part.send, "Ctrl+Shift+M", "sendForReview"
    )
    part.extend_action = _action(window, "E&xtend Suspense…", part.extend, None, "extendSuspense")
    part.recall_action = _action(window, "Recall Re&quest…", part.recall, None, "recallRequest")
    menu = _coordination_menu(window)
    first = menu.actions()[0] if menu.actions() else None
    menu.insertActions(first, [part.send_action, part.extend_action, part.recall_action])
    menu.insertSeparator(first)
    _extend_navigator_menu(window, part)
    coordination = getattr(window, "coordination", None)
    if coordination is not None:
        _hook_coordination_view(coordination.view, part)
        coordination.controller.changed.connect(part.update_enabled)
    window.document_selected.connect(part.update_enabled)
    window.workspace_changed.connect(part.update_enabled)
    part.update_enabled()
    return part


def _coordination_menu(window) -> QMenu:
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == "Coordination":
            return action.menu()
    return window.add_menu("&Coordination")


def _extend_navigator_menu(window, part: Roundtrip) -> None:
    navigator = window.navigator
    original = navigator.menu_builder

    def fill(menu, key) -> None:
        if original is not None:
            original(menu, key)
        menu.addSeparator()
        part.update_enabled()
        menu.addAction(part.send_action)

    navigator.menu_builder = fill


def _hook_coordination_view(view, part: Roundtrip) -> None:
    button = QToolButton(view)
    # Beside the view's own buttons, in their case and with the "…" of a command that asks
    # first (a tool button shows the action's icon text, which Qt makes without the "…").
    part.send_action.setIconText("Send for review…")
    button.setDefaultAction(part.send_action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    view.add_button(button)
    # Choosing a request enables Extend Suspense… and Recall Request… (the view has told the
    # controller which request by then: its own handler was connected first).
    view.tree.currentItemChanged.connect(lambda *_: part.update_enabled())
    view.send_button = button
    tree = view.tree
    tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def context(pos: QPoint) -> None:
        item = tree.itemAt(pos)
        if item is not None:
            tree.setCurrentItem(item)
        key = view._key(item) if item is not None else None
        menu = QMenu(tree)
        if key and key[0] == "request":
            rid = key[1]
            menu.addAction("Send for Review…", lambda: part.send(rid))
            menu.addAction("Extend Suspense…", lambda: part.extend(rid))
            menu.addAction("Recall Request…", lambda: part.recall(rid))
        else:
            menu.addAction(part.send_action)
        view.context_menu = menu  # tests reach the open menu here
        menu.exec(tree.viewport().mapToGlobal(pos))

    tree.customContextMenuRequested.connect(context)
