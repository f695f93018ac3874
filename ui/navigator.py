"""The outline navigator: documents and their numbered section trees, with drag and drop."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
)

from workbench import documents, sections
from workbench.coordination import facts
from workbench.errors import NotFound

ROLE = Qt.ItemDataRole.UserRole
HEADING = Qt.ItemDataRole.UserRole + 1  # a section's heading as shown
STATUS = Qt.ItemDataRole.UserRole + 2  # a document's status as shown
KIND_SHORT = {
    "strategy": "Strategy",
    "doctrine": "Doctrine",
    "directive": "Directive",
    "sop": "SOP",
    "report_to_congress": "Report",
    "study": "Study",
    "implementation_plan": "Plan",
}
STATUS_COLORS = {
    "draft": "#6e7781",
    "in_coordination": "#1f6feb",
    "blocked": "#b3261e",
    "published": "#1a7f37",
}
STATUS_LETTERS = {"draft": "D", "in_coordination": "C", "blocked": "B", "published": "P"}
BLOCKED = "blocked"  # in coordination, held up by an objection (facts.blocked_documents)
_icons: dict[str, QIcon] = {}


def status_icon(status: str) -> QIcon:
    """A round badge: grey D(raft), blue C(oordination), red B(locked), green P(ublished)."""
    if status not in _icons:
        pix = QPixmap(32, 32)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor(STATUS_COLORS.get(status, "#6e7781")))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(2, 2, 28, 28)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(18)
        p.setFont(font)
        p.setPen(QColor("#ffffff"))
        p.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, STATUS_LETTERS.get(status, "?"))
        p.end()
        _icons[status] = QIcon(pix)
    return _icons[status]


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
        self.setColumnCount(2)  # the title, and a document's kind
        self.setHeaderLabels(["Outline", "Kind"])
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setUniformRowHeights(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.currentItemChanged.connect(self._current_changed)
        self.menu_builder = None  # set by the window: fn(QMenu, key) filling the context menu
        self._items: dict[tuple[str, int], QTreeWidgetItem] = {}  # the items built so far
        self._collapsed: set[tuple[str, int]] = set()  # sections the user folded
        self._open_docs: set[tuple[str, int]] = set()  # documents expanded
        self._doc_ids: list[int] = []  # top-level rows in order
        self._filled: set[int] = set()  # documents whose sections are built
        self._blocked: dict[int, str] = {}  # document id -> what holds it up
        self._shapes: dict[int, list] = {}  # per filled document: (key, parent key) of its rows
        self._wanted: tuple[str, int] | None = None
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self.itemCollapsed.connect(self._was_collapsed)
        self.itemExpanded.connect(self._expanded)

    # -- contents ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Show what is stored, keeping the current item and the collapsed branches.

        Lazy: one query lists the documents; a document's sections are read only once it is
        expanded or selected, and a reload re-reads only the documents that are open (expanded,
        or holding the current item). Labels are updated in place; a document's branch is
        rebuilt only when its shape changed.
        """
        old_key = key_of(self.currentItem())
        wanted = self._wanted or old_key
        self._wanted = None
        current_doc = self.current_document_id()
        self.blockSignals(True)
        try:
            self._blocked = facts.blocked_documents(self.ws)
            self._sync_documents(documents.list_documents(self.ws))
            for doc_id in list(self._filled):
                item = self._items[(DOC, doc_id)]
                if item.isExpanded() or doc_id == current_doc:
                    self._fill(doc_id)
                else:  # read again when it is next opened
                    self._unfill(doc_id)
            item = self._ensure(wanted) if wanted else None
            if item is None and old_key is not None and old_key[0] == SECTION:
                # The current section is gone: stay in its document rather than jump away.
                item = self._items.get((DOC, current_doc)) if current_doc else None
            if item is None and self.topLevelItemCount():
                item = self.topLevelItem(0)
            if item is not None and item is not self.currentItem():
                self.setCurrentItem(item)
                self.scrollToItem(item)
        finally:
            self.blockSignals(False)
        if key_of(item) != old_key:
            self._current_changed(item, None)
        elif item is not None:
            self._fill_for(item)

    def _sync_documents(self, docs: list) -> None:
        """Top-level rows for `docs`, updating labels in place when the list kept its shape."""
        ids = [d.id for d in docs]
        if ids != self._doc_ids:
            kept = {i: self._items[(DOC, i)] for i in self._doc_ids if i in set(ids)}
            for doc_id in self._doc_ids:
                if doc_id not in kept:
                    self._unfill(doc_id)
                    gone = self._items.pop((DOC, doc_id))
                    self.takeTopLevelItem(self.indexOfTopLevelItem(gone))
            # Reordering keeps existing items (and their branches); only new documents are made.
            # Enum values looked up once: per item they cost ~50 ms over 1,000 documents.
            doc_flags = QTreeWidgetItem().flags() & ~Qt.ItemFlag.ItemIsDragEnabled
            show_indicator = QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator
            if not kept and self.topLevelItemCount() == 0:
                fresh = [self._new_document_item(d.id, doc_flags, show_indicator) for d in docs]
                self.addTopLevelItems(fresh)
            else:
                for index, doc in enumerate(docs):
                    item = kept.get(doc.id)
                    if item is None:
                        item = self._new_document_item(doc.id, doc_flags, show_indicator)
                    else:
                        self.takeTopLevelItem(self.indexOfTopLevelItem(item))
                    self.insertTopLevelItem(index, item)
            for doc in docs:
                if (DOC, doc.id) in self._open_docs:
                    self._items[(DOC, doc.id)].setExpanded(True)
            self._doc_ids = ids
        for doc in docs:
            self._show_document(self._items[(DOC, doc.id)], doc)

    def _new_document_item(self, doc_id: int, flags, indicator) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setFont(0, self._bold)
        item.setFlags(flags)
        item.setData(0, ROLE, (DOC, doc_id))
        item.setChildIndicatorPolicy(indicator)
        self._items[(DOC, doc_id)] = item
        return item

    def update_document(self, doc_id: int) -> None:
        """Refresh one document's row (its status and version) without reading any outline."""
        item = self._items.get((DOC, doc_id))
        if item is None:
            return
        try:
            doc = documents.document(self.ws, doc_id)
        except NotFound:
            return
        self._show_document(item, doc)

    def _show_document(self, item: QTreeWidgetItem, doc) -> None:
        """Title, the full title on hover, the status as an icon and the kind beside it."""
        status = doc.status_label
        badge = doc.status
        blocked = self._blocked.get(doc.id) if doc.status == "in_coordination" else None
        if blocked:
            badge, status = BLOCKED, f"{status}, blocked: {blocked}"
        tip = f"{doc.title}\n{doc.kind_label} — {status}, version {doc.version}"
        self._update_item(item, doc.title, f"{tip}\n{doc.marking}", False)
        if item.data(0, STATUS) != badge:
            item.setData(0, STATUS, badge)
            item.setIcon(0, status_icon(badge))
        kind = KIND_SHORT.get(doc.kind, doc.kind_label)
        if item.text(1) != kind:
            item.setText(1, kind)
            item.setToolTip(1, doc.kind_label)

    def update_document_of(self, section_id: int) -> None:
        """Refresh the row of the document holding this section."""
        doc_id = self._document_of(section_id)
        if doc_id is not None:
            self.update_document(doc_id)

    def _document_of(self, section_id: int) -> int | None:
        row = self.ws.db.execute(
            "SELECT document_id FROM sections WHERE id = ? AND deleted_at IS NULL", [section_id]
        ).fetchone()
        return row[0] if row is not None else None

    def _fill(self, doc_id: int) -> None:
        """Read one document's outline into its branch."""
        rows = []
        for entry in sections.outline(self.ws, doc_id):
            parent = (SECTION, entry.parent_id) if entry.parent_id else (DOC, doc_id)
            eq = ", ".join(entry.equities) or "none"
            rows.append(
                (
                    (SECTION, entry.id),
                    parent,
                    self.label(entry),
                    f"{entry.title}\nEquities: {eq}",
                    entry.heading,
                )
            )
        doc_item = self._items[(DOC, doc_id)]
        shape = [(k, p) for k, p, *_ in rows]
        if doc_id in self._filled and shape == self._shapes.get(doc_id):
            for key, _parent, text, tip, heading in rows:
                self._update_item(self._items[key], text, tip, not heading, heading)
            return
        self._unfill(doc_id)
        for key, parent, text, tip, heading in rows:
            item = QTreeWidgetItem(self._items[parent], [text])
            item.setData(0, ROLE, key)
            item.setData(0, HEADING, heading)
            item.setToolTip(0, tip)
            if not heading:
                item.setForeground(0, self.palette().placeholderText())
            self._items[key] = item
        for key, _parent, *_ in rows:
            self._items[key].setExpanded(key not in self._collapsed)
        doc_item.setChildIndicatorPolicy(
            QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicatorWhenChildless
        )
        self._filled.add(doc_id)
        self._shapes[doc_id] = shape

    def _unfill(self, doc_id: int) -> None:
        if doc_id not in self._filled:
            return
        self._filled.discard(doc_id)
        for key, _parent in self._shapes.pop(doc_id, []):
            self._items.pop(key, None)
        doc_item = self._items.get((DOC, doc_id))
        if doc_item is not None:
            expanded = doc_item.isExpanded()
            doc_item.takeChildren()
            doc_item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            doc_item.setExpanded(expanded)

    def _fill_for(self, item: QTreeWidgetItem) -> None:
        """Selecting or expanding a document shows its sections."""
        key = key_of(item)
        if key is not None and key[0] == DOC and key[1] not in self._filled:
            self._fill(key[1])
            self._open(item)

    def _ensure(self, key: tuple[str, int]) -> QTreeWidgetItem | None:
        """The item for `key`, reading its document first if that branch is not built yet."""
        item = self._items.get(key)
        if item is not None or key[0] != SECTION:
            return item
        doc_id = self._document_of(key[1])
        if doc_id is None or (DOC, doc_id) not in self._items or doc_id in self._filled:
            return None
        self._fill(doc_id)
        item = self._items.get(key)
        if item is not None:
            self._open(self._items[(DOC, doc_id)])
        return item

    def _open(self, doc_item: QTreeWidgetItem) -> None:
        # Recorded here too: reload() sets it while the tree's signals are blocked.
        self._open_docs.add(key_of(doc_item))
        doc_item.setExpanded(True)

    def _expanded(self, item: QTreeWidgetItem) -> None:
        key = key_of(item)
        self._collapsed.discard(key)
        if key[0] == DOC:
            self._open_docs.add(key)
            if key[1] not in self._filled:
                self._fill(key[1])

    def _was_collapsed(self, item: QTreeWidgetItem) -> None:
        key = key_of(item)
        if key[0] == DOC:
            self._open_docs.discard(key)
        else:
            self._collapsed.add(key)

    def _update_item(
        self, item: QTreeWidgetItem, text: str, tip: str, untitled: bool, heading=None
    ) -> None:
        if heading is not None:
            item.setData(0, HEADING, heading)
        if item.text(0) != text:
            item.setText(0, text)
            item.setToolTip(0, tip)
            if untitled:
                item.setForeground(0, self.palette().placeholderText())
            else:
                item.setData(0, Qt.ItemDataRole.ForegroundRole, None)
        elif item.toolTip(0) != tip:
            item.setToolTip(0, tip)

    def shown_heading(self, section_id: int) -> str | None:
        """The heading the outline shows for a section, or None when its branch is not built."""
        item = self._items.get((SECTION, section_id))
        return item.data(0, HEADING) if item is not None else None

    @staticmethod
    def label(entry) -> str:
        sep = "  " if entry.number[:1].isalpha() else " "
        return f"{entry.number}{sep}{entry.heading or '(untitled)'}"

    def want_selection(self, key: tuple[str, int]) -> None:
        """Select this item at the next reload (it may not exist yet)."""
        self._wanted = key

    def select(self, kind: str, ident: int) -> bool:
        item = self._ensure((kind, ident))
        if item is not None:
            self.setCurrentItem(item)
            self.scrollToItem(item)
        return item is not None

    def item_for(self, kind: str, ident: int) -> QTreeWidgetItem | None:
        return self._ensure((kind, ident))

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
        if item is not None:
            self._fill_for(item)
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
