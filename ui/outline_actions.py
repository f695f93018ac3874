"""Structural edits from the outline: sections through the undo stack, documents directly."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from ui import messages
from ui.document_dialog import NewDocumentDialog
from ui.navigator import DOC, SECTION, Navigator
from workbench import directory, documents, sections, undo
from workbench.undo import AddSection, DeleteSection, MoveSection, UndoStack


class OutlineActions(QObject):
    """The QActions of the outline and what they do. Every write goes through `ops`."""

    undo_changed = Signal()
    performed = Signal()  # a change went onto the stack: the outline is the last place worked
    section_added = Signal(int)  # a section the user just added (its heading gets the focus)

    def __init__(self, ws, ops, autosave, navigator: Navigator, parent_widget):
        super().__init__(parent_widget)
        self.ws, self.ops, self.autosave, self.nav = ws, ops, autosave, navigator
        self.parent_widget = parent_widget
        self.stack = UndoStack()
        self.actions: dict[str, QAction] = {}
        nav_ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, text, shortcut, fn in [
            ("new_document", "&New Document…", None, self.new_document),
            ("rename_document", "Rena&me Document…", QKeySequence("F2"), self.rename_document),
            ("delete_document", "De&lete Document…", None, self.delete_document),
            ("add_section", "Add &Section", QKeySequence("Ctrl+Return"), self.add_section),
            (
                "add_subsection",
                "Add Su&bsection",
                QKeySequence("Ctrl+Shift+Return"),
                self.add_subsection,
            ),
            ("add_tenet", "Add &Tenet", None, lambda: self.add_section(kind="tenet")),
            (
                "add_action_item",
                "Add &Action Item",
                None,
                lambda: self.add_section(kind="action_item"),
            ),
            ("add_appendix", "Add A&ppendix", None, self.add_appendix),
            ("indent", "&Indent", QKeySequence("Ctrl+]"), self.indent),
            ("outdent", "&Outdent", QKeySequence("Ctrl+["), self.outdent),
            ("move_up", "Move &Up", QKeySequence("Ctrl+Shift+Up"), self.move_up),
            ("move_down", "Move &Down", QKeySequence("Ctrl+Shift+Down"), self.move_down),
            (
                "delete_section",
                "Delete Se&ction",
                QKeySequence.StandardKey.Delete,
                self.delete_section,
            ),
        ]:
            action = QAction(text, self)
            action.setObjectName(key)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(nav_ctx)
                navigator.addAction(action)
            action.triggered.connect(lambda _=False, f=fn: f())
            self.actions[key] = action
        navigator.move_requested.connect(
            lambda sid, parent, index: self.move(sid, parent, None if index < 0 else index)
        )
        navigator.section_selected.connect(lambda *_: self.update_enabled())
        navigator.document_selected.connect(lambda *_: self.update_enabled())
        navigator.menu_builder = self.fill_menu
        self.update_enabled()

    # -- menus -------------------------------------------------------------------------------
    def fill_menu(self, menu, key) -> None:
        groups = [
            ["add_section", "add_subsection", "add_tenet", "add_action_item", "add_appendix"],
            ["indent", "outdent", "move_up", "move_down", "delete_section"],
            ["new_document", "rename_document", "delete_document"],
        ]
        for group in groups:
            for name in group:
                menu.addAction(self.actions[name])
            menu.addSeparator()
        u = menu.addAction(f"Undo {self.stack.undo_text}".strip(), self.undo)
        u.setEnabled(self.stack.can_undo)
        r = menu.addAction(f"Redo {self.stack.redo_text}".strip(), self.redo)
        r.setEnabled(self.stack.can_redo)

    def update_enabled(self) -> None:
        has_doc = self.nav.current_document_id() is not None
        has_sec = self.nav.current_section_id() is not None
        for name in (
            "rename_document",
            "delete_document",
            "add_section",
            "add_tenet",
            "add_action_item",
            "add_appendix",
        ):
            self.actions[name].setEnabled(has_doc)
        for name in (
            "add_subsection",
            "indent",
            "outdent",
            "move_up",
            "move_down",
            "delete_section",
        ):
            self.actions[name].setEnabled(has_sec)

    # -- running commands --------------------------------------------------------------------
    def perform(self, command, *, select_new: bool = False, after=None) -> None:
        # Typing is written first so a structural change never overtakes it in the queue.
        self.autosave.flush_now()

        def done(cmd):
            self.performed.emit()
            if select_new and getattr(cmd, "section_id", None):
                self.nav.want_selection((SECTION, cmd.section_id))
                self.section_added.emit(cmd.section_id)
            if after is not None:
                after(cmd)
            self.undo_changed.emit()

        self.ops.run(self.stack.perform, command, on_done=done)

    def undo(self) -> None:
        self.autosave.flush_now()
        self.ops.run(self.stack.undo, on_done=lambda _c: self.undo_changed.emit())

    def redo(self) -> None:
        self.autosave.flush_now()
        self.ops.run(self.stack.redo, on_done=lambda _c: self.undo_changed.emit())

    # -- sections ----------------------------------------------------------------------------
    def add_section(self, kind: str = "narrative") -> None:
        doc_id = self.nav.current_document_id()
        if doc_id is None:
            return
        sid = self.nav.current_section_id()
        parent, index = (None, None)
        if sid is not None and kind == "tenet":
            # Tenets are the top level of a doctrine: after the current top-level branch.
            while (up := sections.location(self.ws, sid)[0]) is not None:
                sid = up
        if sid is not None:
            parent, at = sections.location(self.ws, sid)
            index = at + 1
        self.perform(AddSection(doc_id, parent, index, kind=kind), select_new=True)

    def add_subsection(self) -> None:
        sid = self.nav.current_section_id()
        if sid is not None:
            doc_id = self.nav.current_document_id()
            self.perform(AddSection(doc_id, sid, None), select_new=True)

    def add_appendix(self) -> None:
        doc_id = self.nav.current_document_id()
        if doc_id is not None:
            self.perform(AddSection(doc_id, None, None, kind="appendix"), select_new=True)

    def move(self, section_id: int, parent_id: int | None, index: int | None) -> None:
        """The drop path: move a section under `parent_id` at `index` (None: last)."""
        self.perform(MoveSection(section_id, parent_id, index))

    def indent(self) -> None:
        sid = self.nav.current_section_id()
        command = undo.indent(self.ws, sid) if sid else None
        if command is not None:
            self.perform(command)

    def outdent(self) -> None:
        sid = self.nav.current_section_id()
        command = undo.outdent(self.ws, sid) if sid else None
        if command is not None:
            self.perform(command)

    def _step(self, delta: int) -> None:
        sid = self.nav.current_section_id()
        if sid is None:
            return
        parent, index = sections.location(self.ws, sid)
        doc_id = self.nav.current_document_id()
        count = sum(1 for e in sections.outline(self.ws, doc_id) if e.parent_id == parent)
        target = index + delta
        if 0 <= target < count:
            label = "Move section up" if delta < 0 else "Move section down"
            self.perform(MoveSection(sid, parent, target, label=label))

    def move_up(self) -> None:
        self._step(-1)

    def move_down(self) -> None:
        self._step(+1)

    def delete_section(self) -> None:
        sid = self.nav.current_section_id()
        if sid is not None:
            heading = sections.section(self.ws, sid).heading
            self.perform(DeleteSection(sid, heading))

    # -- documents ---------------------------------------------------------------------------
    def new_document(self, values: dict | None = None) -> None:
        if values is None:
            values = NewDocumentDialog.get_document(
                self.parent_widget, directory.organizations(self.ws)
            )
        if values is None:
            return
        values = dict(values)
        kind, title = values.pop("kind"), values.pop("title")
        self.ops.run(
            documents.create_document,
            kind,
            title,
            **values,
            on_done=lambda doc_id: self.nav.want_selection((DOC, doc_id)),
        )

    def rename_document(self) -> None:
        doc_id = self.nav.current_document_id()
        if doc_id is None:
            return
        title = messages.ask_text(
            self.parent_widget,
            "Rename document",
            "Title:",
            documents.document(self.ws, doc_id).title,
        )
        if title is not None:
            self.ops.run(documents.rename_document, doc_id, title)

    def delete_document(self) -> None:
        doc_id = self.nav.current_document_id()
        if doc_id is None:
            return
        doc = documents.document(self.ws, doc_id)
        if messages.confirm(
            self.parent_widget,
            "Delete document",
            f"Delete “{doc.title}” and its {doc.section_count} sections?\n\n"
            "Its coordination record is kept in the workspace.",
            ok="Delete",
        ):
            self.autosave.flush_now()
            self.ops.run(documents.delete_document, doc_id)
