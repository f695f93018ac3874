"""Puts the coordination panels, menu and shortcuts into the main window through its API."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from ui.coordination.comments_panel import CommentsPanel
from ui.coordination.controller import CoordinationController
from ui.coordination.coordination_view import CoordinationView
from ui.coordination.crm_table import CrmPanel
from ui.coordination.gate_panel import GatePanel
from ui.navigator import DOC, SECTION

MENU = [
    "add_comment",
    "adjudicate",
    "apply_wording",
    "reply",
    "changes_since",
    None,
    "route",
    "new_request",
    "withdraw_request",
    "record_position",
    "withdraw_nc",
    "override",
    None,
    "waive",
    "publish",
    None,
    "export_crm",
]


@dataclass
class Coordination:
    controller: CoordinationController
    comments: CommentsPanel
    crm: CrmPanel
    view: CoordinationView
    gate: GatePanel
    docks: dict

    def reveal(self, widget) -> None:
        dock = self.docks.get(widget)
        if dock is not None:
            dock.show()
            dock.raise_()


def install(window) -> Coordination:
    """Add comments (beside the editor), CRM, coordination and gate panels and a menu."""
    ctrl = CoordinationController(
        window.ws,
        window.ops,
        window,
        # Through the window's stack, so Edit ▸ Undo takes applied wording back out.
        perform_command=window.outline.perform,
        editor=lambda: window.editor.body if window.editor.section_id is not None else None,
        flush_typing=window.autosave.flush_now,
    )
    comments = CommentsPanel(ctrl)
    crm = CrmPanel(ctrl)
    view = CoordinationView(ctrl)
    gate_panel = GatePanel(ctrl)
    window.add_panel("Comments", comments, "right")
    window.show_panel(comments)
    crm_dock = window.add_panel("CRM", crm, "bottom")
    view_dock = window.add_panel("Coordination", view, "bottom")
    gate_dock = window.add_panel("Publication gate", gate_panel, "bottom")
    docks = {}
    if all(isinstance(d, QDockWidget) for d in (crm_dock, view_dock, gate_dock)):
        window.splitDockWidget(crm_dock, gate_dock, Qt.Orientation.Horizontal)
        window.tabifyDockWidget(crm_dock, view_dock)
        window.resizeDocks([crm_dock, gate_dock], [700, 360], Qt.Orientation.Horizontal)
        window.resizeDocks([crm_dock], [230], Qt.Orientation.Vertical)
        crm_dock.raise_()
        docks = {crm: crm_dock, view: view_dock, gate_panel: gate_dock}
    coordination = Coordination(ctrl, comments, crm, view, gate_panel, docks)

    window.document_selected.connect(ctrl.set_document)
    window.section_selected.connect(ctrl.set_section)
    window.workspace_changed.connect(
        lambda: ctrl.refresh(text_saved=getattr(window, "text_only_save", lambda: None)())
    )
    window.destroyed.connect(lambda *_: ctrl.reader.close())
    ctrl.section_focus.connect(lambda sid: window.navigator.select(SECTION, sid))
    ctrl.document_focus.connect(lambda did: window.navigator.select(DOC, did))
    ctrl.comment_focus.connect(lambda _cid: window.show_panel(comments))
    ctrl.request_focus.connect(lambda _rid: coordination.reveal(view))
    ctrl.notice.connect(lambda text: window.statusBar().showMessage(text, 6000))
    gate_panel.item_activated.connect(lambda item: go_to(coordination, item))

    menu = window.add_menu("&Coordination")
    for key in MENU:
        if key is None:
            menu.addSeparator()
        else:
            menu.addAction(ctrl.actions[key])
    _add_to_file_menu(window, ctrl.actions["export_crm"])

    menu.addSeparator()
    closures_action = menu.addAction("Office C&losures…")
    closures_action.setObjectName("officeClosures")
    closures_action.triggered.connect(lambda: open_closures(window))

    ctrl.set_document(window.navigator.current_document_id())
    ctrl.set_section(window.navigator.current_section_id())
    return coordination


def _add_to_file_menu(window, action) -> None:
    """File ▸ Export CRM… beside the other exports (after Export Redline…)."""
    for entry in window.menuBar().actions():
        menu = entry.menu()
        if menu is None or entry.text().replace("&", "") != "File":
            continue
        exports = [a for a in menu.actions() if a.objectName().startswith("export")]
        after = menu.actions().index(exports[-1]) + 1 if exports else len(menu.actions())
        following = menu.actions()[after] if after < len(menu.actions()) else None
        menu.insertAction(following, action)
        return


def open_closures(window):
    from ui.coordination.closures_dialog import ClosuresDialog

    dialog = ClosuresDialog(window.ws, window.ops, window)
    window.closures_dialog = dialog
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def go_to(coordination: Coordination, item) -> None:
    """Take the user to the place a gate item names: its section, comment or request."""
    ctrl = coordination.controller
    if item.section_id is not None:
        ctrl.section_focus.emit(item.section_id)
    elif item.comment_id is not None and ctrl.document_id is not None:
        ctrl.document_focus.emit(ctrl.document_id)  # a comment about the document as a whole
    if item.comment_id is not None:
        ctrl.comment_focus.emit(item.comment_id)
    elif item.request_id is not None:
        ctrl.request_focus.emit(item.request_id)
    elif item.organization is not None:
        coordination.reveal(coordination.view)
        coordination.view.select_organization(item.organization)
