"""The navigator's rows as a Qt model: every document, and the sections of those opened.

A model rather than a tree of items: the view asks only for the rows it draws, so a workspace
of 16,000 documents shows as soon as one query has listed them (a tree widget built 16,000
items on the UI thread first: about three seconds).
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from workbench.documents import DOCUMENT_KINDS, STATUSES, DocumentRow

DOC, SECTION = "document", "section"
Key = tuple[str, int]

KEY = Qt.ItemDataRole.UserRole  # the row's (kind, id)
HEADING = Qt.ItemDataRole.UserRole + 1  # a section's heading as shown
STATUS = Qt.ItemDataRole.UserRole + 2  # a document's badge as shown
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

_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_FONT = Qt.ItemDataRole.FontRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
_ENABLED = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled
_DOC_FLAGS = _ENABLED  # a document is never dragged
_SECTION_FLAGS = _ENABLED | Qt.ItemFlag.ItemIsDragEnabled


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


class SectionLine(NamedTuple):
    """What a section's row shows, and where it hangs."""

    key: Key
    parent: Key
    text: str
    tip: str
    heading: str


def badge(doc: DocumentRow, blocked: str | None) -> str:
    """The document's badge: its status, or `blocked` while an objection holds it up."""
    return BLOCKED if blocked and doc.status == "in_coordination" else doc.status


def document_tip(doc: DocumentRow, blocked: str | None) -> str:
    """The full title, kind, status (and what blocks it), version and marking."""
    status = STATUSES[doc.status]
    if badge(doc, blocked) == BLOCKED:
        status = f"{status}, blocked: {blocked}"
    kind = DOCUMENT_KINDS[doc.kind]
    return f"{doc.title}\n{kind} — {status}, version {doc.version}\n{doc.marking}"


def _token(key: Key) -> int:
    """The internal id of the rows under `key` (0 is the top level)."""
    return key[1] * 2 + (1 if key[0] == DOC else 2)


def _untoken(token: int) -> Key:
    return (DOC, (token - 1) // 2) if token % 2 else (SECTION, (token - 2) // 2)


class NavigatorModel(QAbstractItemModel):
    """Documents at the top level; a document's sections once `set_sections` gave them.

    A document whose sections were never given shows an expander (it may have some); the
    navigator reads them when it is opened. Documents come as `DocumentRow`s with what blocks
    each, sections as `SectionLine`s; nothing here reads the workspace, and a row's words are
    made only when the view draws it.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._doc_ids: list[int] = []
        self._doc_rows: dict[int, int] = {}  # document id -> row
        self._docs: list[DocumentRow] = []  # by row
        self._blocked: dict[int, str] = {}  # document id -> what holds it up
        self._notes: dict[int, tuple[str, str]] = {}  # document id -> (mark, sentence)
        self._children: dict[Key, list[Key]] = {}  # filled parents -> child keys in order
        self._sections: dict[Key, SectionLine] = {}
        self._rows: dict[Key, int] = {}  # section key -> row under its parent
        self._filled: set[int] = set()
        self.bold = QFont()
        self.bold.setBold(True)
        self.placeholder = QBrush(QColor("#6e7781"))

    # -- what the navigator asks -------------------------------------------------------------
    def document_ids(self) -> list[int]:
        return list(self._doc_ids)

    def has_document(self, doc_id: int) -> bool:
        return doc_id in self._doc_rows

    def is_filled(self, doc_id: int) -> bool:
        return doc_id in self._filled

    def filled(self) -> set[int]:
        return set(self._filled)

    def keys(self) -> set[Key]:
        """Every row the model holds now: the documents and the sections given."""
        return {(DOC, i) for i in self._doc_ids} | set(self._sections)

    def has(self, key: Key) -> bool:
        return key in self._sections if key[0] == SECTION else key[1] in self._doc_rows

    def children(self, key: Key) -> list[Key]:
        return list(self._children.get(key, ()))

    def parent_key(self, key: Key) -> Key | None:
        return self._sections[key].parent if key[0] == SECTION else None

    def document(self, doc_id: int) -> DocumentRow:
        return self._docs[self._doc_rows[doc_id]]

    def section_line(self, key: Key) -> SectionLine:
        return self._sections[key]

    def shape(self, doc_id: int) -> list[tuple[Key, Key]]:
        """(key, parent key) of the document's section rows in order; [] if not filled."""
        out: list[tuple[Key, Key]] = []
        stack = list(reversed(self._children.get((DOC, doc_id), ())))
        while stack:
            key = stack.pop()
            out.append((key, self._sections[key].parent))
            stack.extend(reversed(self._children.get(key, ())))
        return out

    def index_of(self, key: Key, column: int = 0) -> QModelIndex:
        if key[0] == DOC:
            row = self._doc_rows.get(key[1])
            return QModelIndex() if row is None else self.createIndex(row, column, 0)
        line = self._sections.get(key)
        if line is None:
            return QModelIndex()
        return self.createIndex(self._rows[key], column, _token(line.parent))

    def key_at(self, index: QModelIndex | QPersistentModelIndex) -> Key | None:
        if not index.isValid():
            return None
        token = index.internalId()
        if token == 0:
            return (DOC, self._doc_ids[index.row()])
        return self._children[_untoken(token)][index.row()]

    # -- changes ----------------------------------------------------------------------------
    def set_documents(self, docs: list[DocumentRow], blocked: dict[int, str]) -> bool:
        """Show these documents in this order, `blocked` saying what holds each up. Returns True
        when the rows were rebuilt (the list changed: the view lost its expanded rows and its
        current row), False when at most some labels changed in place."""
        ids = [d.id for d in docs]
        if ids == self._doc_ids:
            old, old_blocked = self._docs, self._blocked
            self._docs, self._blocked = docs, blocked
            for row, (was, now) in enumerate(zip(old, docs, strict=True)):
                if was != now or old_blocked.get(now.id) != blocked.get(now.id):
                    self.dataChanged.emit(self.createIndex(row, 0, 0), self.createIndex(row, 1, 0))
            return False
        self.beginResetModel()
        kept = set(ids)
        for doc_id in self._filled - kept:
            self._drop_branch((DOC, doc_id))
        self._filled &= kept
        self._doc_ids = ids
        self._doc_rows = {doc_id: row for row, doc_id in enumerate(ids)}
        self._docs, self._blocked = docs, blocked
        self.endResetModel()
        return True

    def set_document(self, doc: DocumentRow) -> None:
        """One document's row again (its status or version changed), in place."""
        row = self._doc_rows.get(doc.id)
        if row is None or self._docs[row] == doc:
            return
        self._docs[row] = doc
        self.dataChanged.emit(self.createIndex(row, 0, 0), self.createIndex(row, 1, 0))

    def set_notes(self, notes: dict[int, tuple[str, str]]) -> None:
        """What else the rows say about documents (taken offline: 'offline' after the title,
        who has it and until when in the tooltip), in place."""
        old, self._notes = self._notes, dict(notes)
        for doc_id in old.keys() | self._notes.keys():
            row = self._doc_rows.get(doc_id)
            if row is not None and old.get(doc_id) != self._notes.get(doc_id):
                self.dataChanged.emit(self.createIndex(row, 0, 0), self.createIndex(row, 1, 0))

    def set_sections(self, doc_id: int, lines: list[SectionLine]) -> bool:
        """Give a document its sections (in reading order). Returns True when its rows were
        rebuilt (their shape changed), False when only labels changed in place."""
        doc_key = (DOC, doc_id)
        if doc_id in self._filled and [(s.key, s.parent) for s in lines] == self.shape(doc_id):
            for line in lines:
                if self._sections[line.key] != line:
                    self._sections[line.key] = line
                    index = self.index_of(line.key)
                    self.dataChanged.emit(index, index)
            return False
        self.unfill(doc_id)
        if not lines:
            self._filled.add(doc_id)
            self._children[doc_key] = []
            return True
        # The rows are prepared first, then inserted as one block under the document: the
        # view sees them all at once (nested rows come with their parents).
        children: dict[Key, list[Key]] = {doc_key: []}
        rows: dict[Key, int] = {}
        for line in lines:
            siblings = children.setdefault(line.parent, [])
            rows[line.key] = len(siblings)
            siblings.append(line.key)
            children.setdefault(line.key, [])
        parent = self.index_of(doc_key)
        self.beginInsertRows(parent, 0, len(children[doc_key]) - 1)
        self._children.update(children)
        self._rows.update(rows)
        self._sections.update((line.key, line) for line in lines)
        self._filled.add(doc_id)
        self.endInsertRows()
        return True

    def unfill(self, doc_id: int) -> None:
        """Forget a document's sections (read again when it is next opened)."""
        if doc_id not in self._filled:
            return
        doc_key = (DOC, doc_id)
        count = len(self._children.get(doc_key, ()))
        if count:
            self.beginRemoveRows(self.index_of(doc_key), 0, count - 1)
            self._drop_branch(doc_key)
            self._filled.discard(doc_id)
            self.endRemoveRows()
        else:
            self._drop_branch(doc_key)
            self._filled.discard(doc_id)

    def _drop_branch(self, key: Key) -> None:
        stack = list(self._children.pop(key, ()))
        while stack:
            child = stack.pop()
            self._sections.pop(child, None)
            self._rows.pop(child, None)
            stack.extend(self._children.pop(child, ()))

    # -- QAbstractItemModel -----------------------------------------------------------------
    def index(self, row, column, parent=QModelIndex()):  # noqa: B008 (Qt's signature)
        if column < 0 or column > 1 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._doc_ids) else QModelIndex()
        key = self.key_at(parent)
        if parent.column() != 0 or key is None or row >= len(self._children.get(key, ())):
            return QModelIndex()
        return self.createIndex(row, column, _token(key))

    def parent(self, index=QModelIndex()):  # noqa: B008 (Qt's signature)
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.index_of(_untoken(index.internalId()))

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008 (Qt's signature)
        if not parent.isValid():
            return len(self._doc_ids)
        if parent.column() != 0:
            return 0
        return len(self._children.get(self.key_at(parent), ()))

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008 (Qt's signature)
        return 2  # the title, and a document's kind

    def hasChildren(self, parent=QModelIndex()):  # noqa: N802, B008 (Qt's signature)
        if not parent.isValid():
            return bool(self._doc_ids)
        if parent.column() != 0:
            return False
        key = self.key_at(parent)
        if key[0] == DOC and key[1] not in self._filled:
            return True  # not read yet: it may have sections
        return bool(self._children.get(key))

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _DOC_FLAGS if index.internalId() == 0 else _SECTION_FLAGS

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802 (Qt's signature)
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return ("Outline", "Kind")[section] if section in (0, 1) else None
        return None

    def data(self, index, role=_DISPLAY):
        if not index.isValid():
            return None
        if role == KEY:
            return self.key_at(index)
        column = index.column()
        if index.internalId() == 0:
            doc = self._docs[index.row()]
            if column == 1:
                if role == _DISPLAY:
                    return KIND_SHORT.get(doc.kind) or DOCUMENT_KINDS[doc.kind]
                return DOCUMENT_KINDS[doc.kind] if role == _TOOLTIP else None
            note = self._notes.get(doc.id)
            if role in (_DISPLAY, _ACCESSIBLE):
                return f"{doc.title} — {note[0]}" if note else doc.title
            if role == _TOOLTIP:
                tip = document_tip(doc, self._blocked.get(doc.id))
                return f"{tip}\n{note[1][0].upper()}{note[1][1:]}" if note else tip
            if role == _DECORATION:
                return status_icon(badge(doc, self._blocked.get(doc.id)))
            if role == _FONT:
                return self.bold
            return badge(doc, self._blocked.get(doc.id)) if role == STATUS else None
        if column != 0:
            return None
        line = self._sections[self._children[_untoken(index.internalId())][index.row()]]
        if role in (_DISPLAY, _ACCESSIBLE):
            return line.text
        if role == _TOOLTIP:
            return line.tip
        if role == HEADING:
            return line.heading
        if role == _FOREGROUND and not line.heading:
            return self.placeholder
        return None

    def supportedDropActions(self):  # noqa: N802 (Qt's signature)
        return Qt.DropAction.MoveAction

    def supportedDragActions(self):  # noqa: N802 (Qt's signature)
        return Qt.DropAction.MoveAction
