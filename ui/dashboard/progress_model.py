"""The dashboard's document rows as a model: the view asks only for the rows it paints."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from ui import theme

DOC_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ["Document", "Stage", "Days", "Out", "Overdue", "Critical", "Substantive", "Due"]
HEADER_TIPS = [
    "The document, its kind and version",
    "Draft, in coordination or published",
    "Days in its present stage",
    "Review requests sent and not yet answered",
    "Reviews past their suspense, by organization (workdays late)",
    "Open Critical comments, by organization",
    "Open Substantive comments, by organization",
    "The date a report is due",
]
RIGHT_ALIGNED = {2, 3}
NO_PARENT = QModelIndex()


class ProgressModel(QAbstractTableModel):
    """One row per DocumentProgress; sorted in Python (one pass, not a comparison per call).

    Organizations are shown as `names` says (a state or local agency by its name, not the code
    a solicitation made up for it)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self.names: dict[str, str] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows, names: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.names = dict(names or {})
        if self._sort is not None:
            self._sorted(*self._sort)
        self.endResetModel()

    # -- what a cell says --------------------------------------------------------------------
    def _name(self, code: str) -> str:
        return self.names.get(code, code)

    def by_org(self, counts: dict[str, int]) -> str:
        return ", ".join(f"{self._name(o)} {n}" for o, n in counts.items())

    def late_text(self, d) -> str:
        return ", ".join(
            f"{self._name(o)} {n} ({d.workdays_late.get(o, 0)} wd)" for o, n in d.overdue.items()
        )

    def cells(self, d) -> tuple:
        return (
            d.title,
            d.stage_label,
            d.days_in_stage,
            d.total_outstanding or "",
            self.late_text(d),
            self.by_org(d.open_critical),
            self.by_org(d.open_substantive),
            d.due_date or "",
        )

    def _sort_key(self, column: int):
        """Numbers as numbers; the per-organization columns by their totals, worst first
        when descending; text without regard to case."""
        totals = {
            2: lambda d: d.days_in_stage,
            3: lambda d: d.total_outstanding,
            4: lambda d: (d.total_overdue, max(d.workdays_late.values(), default=0)),
            5: lambda d: d.total_critical,
            6: lambda d: d.total_substantive,
        }
        if column in totals:
            return totals[column]
        return lambda d: (str(self.cells(d)[column]).casefold(), d.title.casefold())

    # -- the model ---------------------------------------------------------------------------
    def rowCount(self, parent=NO_PARENT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=NO_PARENT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        d = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.cells(d)[col]
            return value if col == 2 else str(value)
        if role == DOC_ROLE:
            return d.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in RIGHT_ALIGNED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        late = (col == 4 and d.overdue) or (col == 5 and d.open_critical)
        if role == Qt.ItemDataRole.ForegroundRole and late:
            return theme.status_color("bad")
        if role == Qt.ItemDataRole.FontRole and late:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return f"{d.title}\n{d.kind_label}, version {d.version}, since {d.stage_since}"
            text = str(self.cells(d)[col])
            return text.replace(", ", "\n") if col in (4, 5, 6) and text else None
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sorted(column, order)
        self.layoutChanged.emit()

    def _sorted(self, column: int, order) -> None:
        self.rows.sort(key=self._sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def document_at(self, row: int) -> int | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None
