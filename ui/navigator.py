"""The outline navigator: documents and their numbered section trees, with drag and drop."""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView

from ui.navigator_model import (
    BLOCKED,
    DOC,
    HEADING,
    KEY,
    KIND_SHORT,
    SECTION,
    STATUS,
    Key,
    NavigatorModel,
    SectionLine,
    status_icon,
)
from workbench import documents, sections
from workbench.coordination import facts
from workbench.errors import NotFound

__all__ = [
    "BLOCKED", "DOC", "HEADING", "KEY", "SECTION", "STATUS", "Above", "Below", "Navigator",
    "OnItem", "OutlineRow", "status_icon",
]  # fmt: skip

Above = QAbstractItemView.DropIndicatorPosition.AboveItem
Below = QAbstractItemView.DropIndicatorPosition.BelowItem
OnItem = QAbstractItemView.DropIndicatorPosition.OnItem


class OutlineRow:
    """One row of the navigator as callers look at it: its key, words, badge and branch.

    Made on demand from the model (the navigator holds no item per row)."""

    def __init__(self, navigator: Navigator, key: Key):
        self.navigator, self.key = navigator, key

    def __eq__(self, other) -> bool:
        return isinstance(other, OutlineRow) and (other.navigator, other.key) == (
            self.navigator,
            self.key,
        )

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"OutlineRow{self.key}"

    def index(self, column: int = 0) -> QModelIndex:
        return self.navigator.model().index_of(self.key, column)

    def data(self, column: int, role):
        return self.navigator.model().data(self.index(column), role)

    def text(self, column: int = 0) -> str:
        return self.data(column, Qt.ItemDataRole.DisplayRole) or ""

    def toolTip(self, column: int = 0) -> str:  # noqa: N802 (named as Qt names it)
        return self.data(column, Qt.ItemDataRole.ToolTipRole) or ""

    def icon(self, column: int = 0) -> QIcon:
        return self.data(column, Qt.ItemDataRole.DecorationRole) or QIcon()

    def isExpanded(self) -> bool:  # noqa: N802
        return self.navigator.isExpanded(self.index())

    def setExpanded(self, on: bool) -> None:  # noqa: N802
        self.navigator.setExpanded(self.index(), on)

    def childCount(self) -> int:  # noqa: N802
        return len(self.navigator.model().children(self.key))

    def child(self, i: int) -> OutlineRow:
        return OutlineRow(self.navigator, self.navigator.model().children(self.key)[i])

    def parent(self) -> OutlineRow | None:
        key = self.navigator.model().parent_key(self.key)
        return None if key is None else OutlineRow(self.navigator, key)


class Navigator(QTreeView):
    """Shows what is stored; a drop asks for a move (the tree redraws after the write)."""

    document_selected = Signal(int)
    section_selected = Signal(int)  # 0 when a document (not a section) is current
    move_requested = Signal(int, object, int)  # section id, new parent id or None, index

    def __init__(self, ws, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("navigator")
        self.setAccessibleName("Outline")
        self._model = NavigatorModel(self)
        self._model.bold = self.font()
        self._model.bold.setBold(True)
        self._model.placeholder = self.palette().placeholderText()
        self.setModel(self._model)
        self.setHeaderHidden(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The kinds are a handful of short words: sized once, never by measuring every row.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        widest = max(self.fontMetrics().horizontalAdvance(k) for k in KIND_SHORT.values())
        header.resizeSection(1, widest + 10)  # the item padding (style sheet) and a gap
        self.setUniformRowHeights(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.selectionModel().currentChanged.connect(self._index_changed)
        self.expanded.connect(self._expanded)
        self.collapsed.connect(self._was_collapsed)
        self.menu_builder = None  # set by the window: fn(QMenu, key) filling the context menu
        self._collapsed: set[Key] = set()  # sections the user folded
        self._open_docs: set[int] = set()  # documents expanded
        self._wanted: Key | None = None
        self._quiet = 0  # >0 while the navigator itself moves the current row or expands

    def model(self) -> NavigatorModel:
        return self._model

    @contextmanager
    def _quietly(self):
        """Changes made here are not the user's: no selection signals, no folding recorded."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange:
            self._model.placeholder = self.palette().placeholderText()
        elif event.type() == QEvent.Type.FontChange:
            self._model.bold = self.font()
            self._model.bold.setBold(True)
        super().changeEvent(event)

    # -- contents ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Show what is stored, keeping the current row and the folded branches.

        Lazy: one query lists the documents; a document's sections are read only once it is
        expanded or selected, and a reload re-reads only the documents that are open (expanded,
        or holding the current row). Labels change in place; a document's branch is rebuilt
        only when its shape changed, the list only when documents came, went or moved.
        """
        old_key = self.current_key()
        wanted = self._wanted or old_key
        self._wanted = None
        current_doc = self.current_document_id()
        key: Key | None = None
        with self._quietly():
            rebuilt = self._model.set_documents(
                documents.document_rows(self.ws), facts.blocked_documents(self.ws)
            )
            if rebuilt:
                self._open_docs &= set(self._model.document_ids())
            for doc_id in self._model.filled():
                if doc_id in self._open_docs or doc_id == current_doc:
                    self._fill(doc_id)
                else:  # read again when it is next opened
                    self._model.unfill(doc_id)
            if rebuilt:
                for doc_id in self._open_docs:
                    self._unfold(doc_id)
            key = self._ensure(wanted) if wanted else None
            if key is None and old_key is not None and old_key[0] == SECTION:
                # The current section is gone: stay in its document rather than jump away.
                if current_doc and self._model.has_document(current_doc):
                    key = (DOC, current_doc)
            if key is None and self._model.document_ids():
                key = (DOC, self._model.document_ids()[0])
            if key is not None and key != self.current_key():  # rows rebuilt lose it too
                self._make_current(key)
        if key != old_key:
            self._announce(key)
        elif key is not None:
            self._fill_for(key)

    def update_document(self, doc_id: int) -> None:
        """Refresh one document's row (its status and version) without reading any outline."""
        if not self._model.has_document(doc_id):
            return
        try:
            doc = documents.document(self.ws, doc_id)
        except NotFound:
            return
        self._model.set_document(
            documents.DocumentRow(doc.id, doc.kind, doc.title, doc.marking, doc.status, doc.version)
        )

    def set_document_notes(self, notes: dict[int, tuple[str, str]]) -> None:
        """Mark documents (id -> (a word after the title, a sentence for the tooltip))."""
        self._model.set_notes(notes)

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
        lines = []
        for entry in sections.outline(self.ws, doc_id):
            parent = (SECTION, entry.parent_id) if entry.parent_id else (DOC, doc_id)
            eq = ", ".join(entry.equities) or "none"
            lines.append(
                SectionLine(
                    (SECTION, entry.id),
                    parent,
                    self.label(entry),
                    f"{entry.title}\nEquities: {eq}",
                    entry.heading,
                )
            )
        with self._quietly():
            if self._model.set_sections(doc_id, lines) and doc_id in self._open_docs:
                self._unfold(doc_id)

    def _unfold(self, doc_id: int) -> None:
        """Expand a document and its sections, except those the user folded."""
        index = self._model.index_of((DOC, doc_id))
        if not index.isValid():
            return
        with self._quietly():
            self.expandRecursively(index)
            for key, _parent in self._model.shape(doc_id):
                if key in self._collapsed:
                    self.collapse(self._model.index_of(key))

    def _fill_for(self, key: Key) -> None:
        """Selecting or expanding a document shows its sections."""
        if key[0] == DOC and not self._model.is_filled(key[1]):
            self._fill(key[1])
            self._open(key[1])

    def _ensure(self, key: Key) -> Key | None:
        """`key` if the navigator shows it, reading its document first if that branch is not
        built yet; None if it is not stored (or not live)."""
        if self._model.has(key):
            return key
        if key[0] != SECTION:
            return None
        doc_id = self._document_of(key[1])
        if doc_id is None or not self._model.has_document(doc_id) or self._model.is_filled(doc_id):
            return None
        self._fill(doc_id)
        if not self._model.has(key):
            return None
        self._open(doc_id)
        return key

    def _open(self, doc_id: int) -> None:
        # Recorded here too: reload() expands while its own changes are not recorded.
        self._open_docs.add(doc_id)
        self._unfold(doc_id)

    def _expanded(self, index: QModelIndex) -> None:
        if self._quiet:
            return
        key = self._model.key_at(index)
        if key is None:
            return
        self._collapsed.discard(key)
        if key[0] == DOC:
            self._open_docs.add(key[1])
            if not self._model.is_filled(key[1]):
                self._fill(key[1])
            else:
                self._unfold(key[1])

    def _was_collapsed(self, index: QModelIndex) -> None:
        if self._quiet:
            return
        key = self._model.key_at(index)
        if key is None:
            return
        if key[0] == DOC:
            self._open_docs.discard(key[1])
        else:
            self._collapsed.add(key)

    def shown_heading(self, section_id: int) -> str | None:
        """The heading the outline shows for a section, or None when its branch is not built."""
        key = (SECTION, section_id)
        return self._model.section_line(key).heading if self._model.has(key) else None

    @staticmethod
    def label(entry) -> str:
        sep = "  " if entry.number[:1].isalpha() else " "
        return f"{entry.number}{sep}{entry.heading or '(untitled)'}"

    def want_selection(self, key: Key) -> None:
        """Select this row at the next reload (it may not exist yet)."""
        self._wanted = key

    def select(self, kind: str, ident: int) -> bool:
        key = self._ensure((kind, ident))
        if key is not None:
            self._make_current(key)
        return key is not None

    def _make_current(self, key: Key) -> None:
        index = self._model.index_of(key)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def item_for(self, kind: str, ident: int) -> OutlineRow | None:
        key = self._ensure((kind, ident))
        return None if key is None else OutlineRow(self, key)

    def currentItem(self) -> OutlineRow | None:  # noqa: N802 (as a tree widget names it)
        key = self.current_key()
        return None if key is None else OutlineRow(self, key)

    def topLevelItemCount(self) -> int:  # noqa: N802 (as a tree widget names it)
        return self._model.rowCount()

    def row_keys(self) -> set[Key]:
        """Every row built so far: all documents, and the sections of those read."""
        return self._model.keys()

    def find_documents(self, text: str) -> list[OutlineRow]:
        """The document rows whose title contains `text` (case-insensitive)."""
        needle = text.casefold()
        return [
            OutlineRow(self, (DOC, doc_id))
            for doc_id in self._model.document_ids()
            if needle in self._model.document(doc_id).title.casefold()
        ]

    def current_key(self) -> Key | None:
        return self._model.key_at(self.currentIndex())

    def current_document_id(self) -> int | None:
        key = self.current_key()
        while key is not None and key[0] != DOC:
            key = self._model.parent_key(key)
        return key[1] if key is not None else None

    def current_section_id(self) -> int | None:
        key = self.current_key()
        return key[1] if key and key[0] == SECTION else None

    def _index_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet:
            self._announce(self._model.key_at(current))

    def _announce(self, key: Key | None) -> None:
        """Tell the window which document and section are current now."""
        if key is not None:
            self._fill_for(key)
        doc_id = self.current_document_id()
        self.document_selected.emit(doc_id or 0)
        self.section_selected.emit(key[1] if key and key[0] == SECTION else 0)

    # -- drag and drop -----------------------------------------------------------------------
    def drop_destination(
        self, section_id: int, target: OutlineRow | None, position
    ) -> tuple[int | None, int | None] | None:
        """Where dropping `section_id` at `target`/`position` puts it: (parent, index), or
        None when the drop is not allowed (another document, or inside itself)."""
        dragged = (SECTION, section_id)
        if target is None or not self._model.has(dragged) or not self._model.has(target.key):
            return None
        if self._document_key(target.key) != self._document_key(dragged):
            return None
        node: Key | None = target.key
        while node is not None:
            if node == dragged:
                return None  # into itself or its own subsections
            node = self._model.parent_key(node)
        kind, ident = target.key
        if kind == DOC:
            return None, None
        if position == OnItem:
            return ident, None
        parent = self._model.parent_key(target.key)
        siblings = [k[1] for k in self._model.children(parent) if k != dragged]
        index = siblings.index(ident) + (1 if position == Below else 0)
        return (parent[1] if parent[0] == SECTION else None), index

    def _document_key(self, key: Key) -> Key:
        parent = self._model.parent_key(key)
        while parent is not None:
            key, parent = parent, self._model.parent_key(parent)
        return key

    def row_at(self, pos: QPoint) -> OutlineRow | None:
        key = self._model.key_at(self.indexAt(pos))
        return None if key is None else OutlineRow(self, key)

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        dragged = self.current_section_id()
        target = self.row_at(event.position().toPoint())
        position = self.dropIndicatorPosition()
        # The tree never rearranges itself: it redraws from the store after the move.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if dragged is not None and event.source() is self:
            self.handle_drop(dragged, target, position)

    def handle_drop(self, section_id: int, target: OutlineRow | None, position) -> bool:
        """Ask for the move a drop of `section_id` at `target`/`position` means."""
        dest = self.drop_destination(section_id, target, position)
        if dest is None:
            return False
        parent, index = dest
        self.move_requested.emit(section_id, parent, -1 if index is None else index)
        return True

    # -- context menu ------------------------------------------------------------------------
    def _context_menu(self, pos: QPoint) -> None:
        row = self.row_at(pos)
        if row is not None:
            self._make_current(row.key)
        if self.menu_builder is None:
            return
        menu = QMenu(self)
        self.menu_builder(menu, row.key if row is not None else None)
        menu.exec(self.viewport().mapToGlobal(pos))
