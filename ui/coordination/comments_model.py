"""The comments panel's rows: each comment, its replies beneath it, asked for as they are drawn."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from ui.coordination.dialogs import TYPE_COLORS

ROLE = Qt.ItemDataRole.UserRole  # the comment's id, on its row and on its replies' rows
COLUMNS = ["#", "Type", "Org", "Reviewer", "Comment", "Disposition"]
EARLIER_TEXT = "Made on an earlier revision: the section has changed since"
NO_PARENT = QModelIndex()
TOP = 0  # internal id of a comment's row; a reply's row carries its comment's row + 1


class CommentsModel(QAbstractItemModel):
    """A document with thousands of comments shows at once: nothing is built per comment
    until the view draws it (a tree widget took most of a second for 3,000)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.comments: list = []
        self._rows: dict[int, int] = {}
        self._bold = QFont()
        self._brushes: dict[str, QBrush] = {}
        self._earlier = QIcon()
        self.names: dict[str, str] = {}

    def set_comments(
        self,
        comments,
        *,
        font: QFont,
        earlier_icon: QIcon,
        names: dict[str, str] | None = None,
    ) -> None:
        """`names`: what to show for an organization's code (a local agency's name)."""
        self.beginResetModel()
        self.comments = list(comments)
        if names is not None:
            self.names = dict(names)
        self._rows = {c.id: i for i, c in enumerate(self.comments)}
        self._bold = QFont(font)
        self._bold.setBold(True)
        self._brushes = {kind: QBrush(QColor(TYPE_COLORS[kind])) for kind in TYPE_COLORS}
        self._earlier = earlier_icon
        self.endResetModel()

    def row_of(self, comment_id: int) -> QModelIndex:
        """The comment's own row (invalid when it is not shown)."""
        row = self._rows.get(comment_id)
        return NO_PARENT if row is None else self.index(row, 0)

    # -- the tree ------------------------------------------------------------------------------
    def index(self, row, column, parent=NO_PARENT):
        if parent.isValid():
            if parent.internalId() != TOP or not 0 <= row < len(
                self.comments[parent.row()].replies
            ):
                return NO_PARENT
            return self.createIndex(row, column, parent.row() + 1)
        if not 0 <= row < len(self.comments):
            return NO_PARENT
        return self.createIndex(row, column, TOP)

    def parent(self, index=None):  # type: ignore[override]
        if index is None:  # QObject.parent(), asked without an index
            return QObject.parent(self)
        if not index.isValid() or index.internalId() == TOP:
            return NO_PARENT
        return self.createIndex(index.internalId() - 1, 0, TOP)

    def rowCount(self, parent=NO_PARENT) -> int:  # noqa: N802 (Qt override)
        if not parent.isValid():
            return len(self.comments)
        if parent.internalId() == TOP and parent.column() == 0:
            return len(self.comments[parent.row()].replies)
        return 0

    def columnCount(self, parent=NO_PARENT) -> int:  # noqa: N802 (Qt override)
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() != TOP:
            c = self.comments[index.internalId() - 1]
            r = c.replies[index.row()]
            if role == ROLE:
                return c.id
            if col != 0:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return f"↳ {r.author}, {r.at[:10]}: {r.text}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return r.text
            return None
        c = self.comments[index.row()]
        if role == ROLE:
            return c.id
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(c.item_no),
                c.type,
                self.names.get(c.organization, c.organization),
                c.reviewer_name,
                c.comment,
                c.disposition_label or "Open",
            )[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return self._brushes[c.type]
        if role == Qt.ItemDataRole.FontRole and (col == 1 or (col == 5 and c.is_open)):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1:
                return c.type_label
            if col == 4:
                return c.comment
            if col == 0 and c.on_earlier_revision:
                return EARLIER_TEXT
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and c.on_earlier_revision:
            return self._earlier
        return None
