"""The outline navigator: documents and their numbered section trees, with drag and drop."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeWidget, QTreeWidgetItem

from workbench import documents, sections

ROLE = Qt.ItemDataRole.UserRole
DOC, SECTION = "document", "section"
Above = QAbstractItemView.DropIndicatorPosition.AboveItem
Below = QAbstractItemView.DropIndicatorPosition.BelowItem
OnItem = QAbstractItemView.DropIndicatorPosition.OnItem


def key_of(item: QTreeWidgetItem | None) -> tuple[str, int] | None:
    return item.data(0, ROLE) if item is not None else None


class Navigator(QTreeWidget):
    """Shows what is stored; a drop asks for a move (the tree redraws after the write)."""

    document_selected = Signal(int)
    section_selected = Signal(int)  # 0 when a document (not a section) is current
    move_requested = Signal(int, object, int)  # section id, new parent id or None, index

    def __init__(self, ws, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("navigator")
        self.setAccessibleName("Outline")
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.currentItemChanged.connect(self._current_changed)
        self.menu_builder = None  # set by the window: fn(QMenu, key) filling the context menu
        self._items: dict[tuple[str, int], QTreeWidgetItem] = {}
        self._collapsed: set[tuple[str, int]] = set()
        self._wanted: tuple[str, int] | None = None
        self._shape: list = []  # (key, parent key) of every row as last built
        self.itemCollapsed.connect(lambda it: self._collapsed.add(key_of(it)))
        self.itemExpanded.connect(lambda it: self._collapsed.discard(key_of(it)))

    # -- contents ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Show what is stored, keeping the current item and the collapsed branches.

        When only labels changed (the usual case after typing) the items are updated in
        place; the tree is rebuilt only when its shape changed.
        """
        old_key = key_of(self.currentItem())
        wanted = self._wanted or old_key
        self._wanted = None
        rows = self._read()
        self.blockSignals(True)
        try:
            if [(k, p) for k, p, *_ in rows] == self._shape:
                for key, _parent, text, tip, untitled in rows:
                    self._update_item(self._items[key], text, tip, untitled)
            else:
                self._rebuild(rows)
            item = self._items.get(wanted) if wanted else None
            if item is None and self.topLevelItemCount():
                item = self.topLevelItem(0)
            if item is not None and item is not self.currentItem():
                self.setCurrentItem(item)
                self.scrollToItem(item)
        finally:
            self.blockSignals(False)
        if key_of(item) != old_key:
            self._current_changed(item, None)

    def _read(self) -> list[tuple]:
        """(key, parent key, text, tooltip, untitled) for every row, in display order."""
        rows = []
        for doc in documents.list_documents(self.ws):
            tip = f"{doc.kind_label} — {doc.status_label}, version {doc.version}"
            rows.append(((DOC, doc.id), None, doc.title, f"{tip}\n{doc.marking}", False))
            for entry in sections.outline(self.ws, doc.id):
                parent = (SECTION, entry.parent_id) if entry.parent_id else (DOC, doc.id)
                eq = ", ".join(entry.equities) or "none"
                rows.append(
                    (
                        (SECTION, entry.id),
                        parent,
                        self.label(entry),
                        f"{entry.title}\nEquities: {eq}",
                        not entry.heading,
                    )
                )
        return rows

    def _update_item(self, item: QTreeWidgetItem, text: str, tip: str, untitled: bool) -> None:
        if item.text(0) != text:
            item.setText(0, text)
            item.setToolTip(0, tip)
            if untitled:
                item.setForeground(0, self.palette().placeholderText())
            else:
                item.setData(0, Qt.ItemDataRole.ForegroundRole, None)
        elif item.toolTip(0) != tip:
            item.setToolTip(0, tip)

    def _rebuild(self, rows: list[tuple]) -> None:
        self.clear()
        self._items.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        for key, parent, text, tip, untitled in rows:
            if parent is None:
                item = QTreeWidgetItem(self, [text])
                item.setFont(0, bold)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            else:
                item = QTreeWidgetItem(self._items[parent], [text])
            item.setData(0, ROLE, key)
            item.setToolTip(0, tip)
            if untitled:
                item.setForeground(0, self.palette().placeholderText())
            self._items[key] = item
        for key, item in self._items.items():
            item.setExpanded(key not in self._collapsed)
        self._shape = [(k, p) for k, p, *_ in rows]

    @staticmethod
    def label(entry) -> str:
        sep = "  " if entry.number[:1].isalpha() else " "
        return f"{entry.number}{sep}{entry.heading or '(untitled)'}"

    def want_selection(self, key: tuple[str, int]) -> None:
        """Select this item at the next reload (it may not exist yet)."""
        self._wanted = key

    def select(self, kind: str, ident: int) -> bool:
        item = self._items.get((kind, ident))
        if item is not None:
            self.setCurrentItem(item)
        return item is not None

    def item_for(self, kind: str, ident: int) -> QTreeWidgetItem | None:
        return self._items.get((kind, ident))

    def current_key(self) -> tuple[str, int] | None:
        return key_of(self.currentItem())

    def current_document_id(self) -> int | None:
        item = self.currentItem()
        while item is not None and key_of(item)[0] != DOC:
            item = item.parent()
        return key_of(item)[1] if item is not None else None

    def current_section_id(self) -> int | None:
        key = self.current_key()
        return key[1] if key and key[0] == SECTION else None

    def _current_changed(self, item, _previous) -> None:
        doc_id = self.current_document_id()
        self.document_selected.emit(doc_id or 0)
        key = key_of(item)
        self.section_selected.emit(key[1] if key and key[0] == SECTION else 0)

    # -- drag and drop -----------------------------------------------------------------------
    def drop_destination(
        self, section_id: int, target: QTreeWidgetItem | None, position
    ) -> tuple[int | None, int | None] | None:
        """Where dropping `section_id` at `target`/`position` puts it: (parent, index), or
        None when the drop is not allowed (another document, or inside itself)."""
        dragged = self._items.get((SECTION, section_id))
        if dragged is None or target is None:
            return None
        if self._document_item(target) is not self._document_item(dragged):
            return None
        node = target
        while node is not None:
            if node is dragged:
                return None  # into itself or its own subsections
            node = node.parent()
        kind, ident = key_of(target)
        if kind == DOC:
            return None, None
        if position == OnItem:
            return ident, None
        parent_item = target.parent()
        parent_kind, parent_ident = key_of(parent_item)
        siblings = [
            key_of(parent_item.child(i))[1]
            for i in range(parent_item.childCount())
            if parent_item.child(i) is not dragged
        ]
        index = siblings.index(ident) + (1 if position == Below else 0)
        return (parent_ident if parent_kind == SECTION else None), index

    def _document_item(self, item: QTreeWidgetItem) -> QTreeWidgetItem:
        while item.parent() is not None:
            item = item.parent()
        return item

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        dragged = self.current_section_id()
        target = self.itemAt(event.position().toPoint())
        position = self.dropIndicatorPosition()
        # The tree never rearranges itself: it redraws from the store after the move.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if dragged is not None and event.source() is self:
            self.handle_drop(dragged, target, position)

    def handle_drop(self, section_id: int, target: QTreeWidgetItem | None, position) -> bool:
        """Ask for the move a drop of `section_id` at `target`/`position` means."""
        dest = self.drop_destination(section_id, target, position)
        if dest is None:
            return False
        parent, index = dest
        self.move_requested.emit(section_id, parent, -1 if index is None else index)
        return True

    # -- context menu ------------------------------------------------------------------------
    def _context_menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        if item is not None:
            self.setCurrentItem(item)
        if self.menu_builder is None:
            return
        menu = QMenu(self)
        self.menu_builder(menu, key_of(item))
        menu.exec(self.viewport().mapToGlobal(pos))
