"""The dashboard's document rows as a model: the view asks only for the rows it paints."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

LATE = QColor("#b3261e")
DOC_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ["Document", "Stage", "Days", "Reviews out", "Overdue", "Open C", "Open S", "Due"]
NUMBERS = {2, 3}
NO_PARENT = QModelIndex()


def by_org(counts: dict[str, int]) -> str:
    return ", ".join(f"{o} {n}" for o, n in counts.items())


def _late_text(d) -> str:
    return ", ".join(f"{o} {n} ({d.workdays_late.get(o, 0)} wd)" for o, n in d.overdue.items())


def _cells(d) -> tuple:
    return (
        d.title,
        d.stage_label,
        d.days_in_stage,
        d.total_outstanding or "",
        _late_text(d),
        by_org(d.open_critical),
        by_org(d.open_substantive),
        d.due_date or "",
    )


def _sort_key(column: int):
    if column in NUMBERS:
        return lambda d: _cells(d)[column] or 0
    return lambda d: str(_cells(d)[column]).casefold()


class ProgressModel(QAbstractTableModel):
    """One row per DocumentProgress; sorted in Python (one pass, not a comparison per call)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if self._sort is not None:
            self._sorted(*self._sort)
        self.endResetModel()

    def rowCount(self, parent=NO_PARENT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=NO_PARENT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        d = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = _cells(d)[col]
            return value if col == 2 else str(value)
        if role == DOC_ROLE:
            return d.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        late = (col == 4 and d.overdue) or (col == 5 and d.open_critical)
        if role == Qt.ItemDataRole.ForegroundRole and late:
            return LATE
        if role == Qt.ItemDataRole.FontRole and late:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return f"{d.kind_label}, version {d.version}, since {d.stage_since}"
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sorted(column, order)
        self.layoutChanged.emit()

    def _sorted(self, column: int, order) -> None:
        self.rows.sort(key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def document_at(self, row: int) -> int | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None
