"""The Comment Resolution Matrix of a whole document: a sortable, filterable table."""

from __future__ import annotations

import re

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.coordination.dialogs import TYPE_COLORS
from ui.coordination.filters import comment_filter_boxes
from ui.lazy import LazyReload
from ui.table_layout import Columns, VisibleRowHeights, WrappingDelegate
from workbench import directory
from workbench.coordination import comments as cm
from workbench.coordination.publication import CRM_COLUMNS

# (attribute of workbench.coordination.comments.Comment, header): the CRM's own columns, in
# its order; the CSV and PDF use the same list, where the ground is already a label.
_SHOWN = {"critical_ground": "critical_ground_label", "section_number": "location"}
COLUMNS = [(_SHOWN.get(key, key), header) for key, header in CRM_COLUMNS]
KEYS = [k for k, _ in COLUMNS]
# Long text wraps (and shares the width by these weights); the rest is sized to its contents.
WRAPPED = {
    "quoted_passage": 2,
    "comment": 3,
    "rationale": 2,
    "proposed_wording": 2,
    "disposition_rationale": 2,
}
DECISIVE = ("type", "comment", "disposition_label")  # always shown
SHOWN_FIRST = ["item_no", "type", "organization", "location", "comment"]
SHOWN_FIRST += ["proposed_wording", "disposition_label"]
COMMENT_ROLE = Qt.ItemDataRole.UserRole + 1
NO_PARENT = QModelIndex()
TYPE_ORDER = {"C": 0, "S": 1, "A": 2}


def _natural(text: str) -> tuple:
    # "1.10" after "1.9", "Tenet 10" after "Tenet 9".
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or ""))


def _sort_key(c, key: str, names: dict[str, str]):
    if key == "organization":
        return names.get(c.organization, c.organization).casefold()
    if key == "item_no":
        return c.item_no
    if key == "type":
        return TYPE_ORDER[c.type]
    if key == "location":  # the whole document before its sections
        return (not c.about_document, _natural(c.section_number))
    value = getattr(c, key)
    return "" if value is None else str(value).casefold()


class CrmModel(QAbstractTableModel):
    """The matrix's rows, filtered and sorted here in Python: a proxy model asking `data` for
    every comparison took seconds on a document with thousands of comments."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.comments: list = []  # every comment of the document
        self.rows: list = []  # those shown, in the order shown
        self.open_only = False
        self.type: str | None = None
        self.organization: str | None = None
        self.names: dict[str, str] = {}  # what to show for a code (a local agency's name)
        self._order: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    def set_comments(self, comments, names: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.comments = list(comments)
        if names is not None:
            self.names = dict(names)
        self.rows = self._arranged()
        self.endResetModel()

    def set_filters(self, *, open_only=None, type=..., organization=...) -> None:
        """Open only, by type, by organization."""
        if open_only is not None:
            self.open_only = open_only
        if type is not ...:
            self.type = type
        if organization is not ...:
            self.organization = organization
        self.set_comments(self.comments)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:  # Qt override
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        self.rows = self._arranged()
        self.layoutChanged.emit()

    def _arranged(self) -> list:
        rows = [
            c
            for c in self.comments
            if not (self.open_only and not c.is_open)
            and not (self.type and c.type != self.type)
            and not (self.organization and c.organization != self.organization)
        ]
        column, order = self._order
        key = KEYS[column]
        # Stable, with item number second: equal cells keep the matrix's own order.
        rows.sort(key=lambda c: c.item_no)
        names = self.names
        rows.sort(
            key=lambda c: _sort_key(c, key, names), reverse=order == Qt.SortOrder.DescendingOrder
        )
        return rows

    def rowCount(self, parent=NO_PARENT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=NO_PARENT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        key = KEYS[index.column()]
        value = getattr(c, key)
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "disposition_label" and not value:
                return "Open"
            if key == "organization":
                return self.names.get(value, value)
            text = "" if value is None else str(value)
            return text if len(text) <= 600 else text[:599] + "…"  # a cell shows 3 lines
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "type":
                return c.type_label
            text = "" if value is None else str(value)
            return text if len(text) > 30 else None
        if role == Qt.ItemDataRole.ForegroundRole and key == "type":
            return QBrush(QColor(TYPE_COLORS[c.type]))
        if role == Qt.ItemDataRole.FontRole and (
            key == "type" or (key == "disposition_label" and c.is_open)
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == COMMENT_ROLE:
            return c.id
        return None


class CrmPanel(QWidget):
    """The document's CRM; double-click a row to go to its section and comment."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.ctrl = controller
        self.ws = controller.ws
        self.setAccessibleName("Comment resolution matrix")
        self.model = CrmModel(self)

        self.scope, self.type_filter, self.org_filter = comment_filter_boxes(self, open_first=False)
        self.scope.currentIndexChanged.connect(
            lambda _i: self.model.set_filters(open_only=self.scope.currentData())
        )
        self.type_filter.currentIndexChanged.connect(
            lambda _i: self.model.set_filters(type=self.type_filter.currentData())
        )
        self.org_filter.currentIndexChanged.connect(
            lambda _i: self.model.set_filters(organization=self.org_filter.currentData())
        )
        self.count = QLabel(self)
        self.count.setObjectName("hint")
        self.export_button = self.ctrl.button("export_crm", self)
        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(self.type_filter)
        top.addWidget(self.org_filter)
        top.addWidget(self.count, 1)
        top.addWidget(self.export_button)

        self.table = QTableView(self)
        self.table.setAccessibleName("CRM table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        wrapped = {KEYS.index(k): weight for k, weight in WRAPPED.items()}
        self.table.setItemDelegate(WrappingDelegate(self.table, list(wrapped), max_lines=3))
        self.rows = VisibleRowHeights(self.table)
        first = [KEYS.index(k) for k in SHOWN_FIRST]
        self.columns = Columns(
            self.table,
            "crm",
            [label for _, label in COLUMNS],
            weights=wrapped,
            hidden=[i for i in range(len(KEYS)) if i not in first],
            required=[KEYS.index(k) for k in DECISIVE],
            order=first + [i for i in range(len(KEYS)) if i not in first],
        )
        # Double-click and Enter both activate (doubleClicked as well would act twice).
        self.table.activated.connect(self.go_to)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self._lazy = LazyReload(
            self,
            self.reload,
            reader=controller.reader,
            prepare=self._job,
            show=self._show,
            pending=self._pending,
        )
        controller.document_changed.connect(self._lazy.now)
        # Not text_saved: no column of the matrix depends on a section's text.
        controller.changed.connect(self._lazy.request)
        self.reload()

    def _job(self):
        doc_id = self.ctrl.document_id

        def read(ws):
            found = cm.list_comments(ws, doc_id) if doc_id is not None else []
            return doc_id, found, directory.shown_names(ws)

        return read

    def _pending(self) -> None:
        # Another document was chosen: its matrix is being read; this one's rows are gone.
        self.model.set_comments([])
        self.count.setText("Reading the comments…" if self.ctrl.document_id else "")

    def reload(self) -> None:
        self._lazy.supersede()
        self._show(self._job()(self.ws))

    def _show(self, read) -> None:
        doc_id, found, names = read
        if doc_id != self.ctrl.document_id:
            return  # read for a document no longer shown
        self.model.set_comments(found, names)
        self.columns.schedule_fit()
        keep = self.org_filter.currentData()
        self.org_filter.blockSignals(True)
        self.org_filter.clear()
        self.org_filter.addItem("All organizations", None)
        for code in sorted({c.organization for c in found}):
            self.org_filter.addItem(names.get(code, code), code)
        index = self.org_filter.findData(keep)
        self.org_filter.setCurrentIndex(max(0, index))
        self.org_filter.blockSignals(False)
        if index < 0:
            self.model.set_filters(organization=None)
        open_n = sum(c.is_open for c in found)
        self.count.setText(f"{len(found)} comments, {open_n} open" if doc_id else "")

    def comment_id_at(self, row: int) -> int:
        return self.model.index(row, 0).data(COMMENT_ROLE)

    def go_to(self, index) -> None:
        if not index.isValid():
            return
        cid = index.siblingAtColumn(0).data(COMMENT_ROLE)
        c = next((x for x in self.model.comments if x.id == cid), None)
        if c is None:
            return
        if c.section_id is None:
            self.ctrl.document_focus.emit(c.document_id)
        else:
            self.ctrl.section_focus.emit(c.section_id)
        self.ctrl.comment_focus.emit(c.id)
