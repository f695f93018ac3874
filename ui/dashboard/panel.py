"""The dashboard panel: per-document progress, due dates, response rates and charts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.dashboard.charts import OpenCommentsChart, TimelineChart
from ui.dashboard.progress_model import DOC_ROLE, ProgressModel
from ui.search.reader import BackgroundReader
from workbench import dashboard as core

LATE = QColor("#b3261e")
REFRESH_DEBOUNCE_MS = 250
DOC_WIDTHS = (240, 100, 44, 84, 150, 100, 100, 90)


def _item(text, *, number: bool = False, late: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if late:
        item.setForeground(LATE)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


class DashboardPanel(QWidget):
    """Refreshes off the UI thread; `refreshed` fires once new figures are on screen."""

    refreshed = Signal(object)  # core.Dashboard
    document_activated = Signal(int)

    def __init__(self, ws, reader: BackgroundReader | None = None, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.reader = reader or BackgroundReader(ws, self)
        self.board: core.Dashboard | None = None
        self.document_id: int | None = None

        self.summary = QLabel(self)
        self.summary.setAccessibleName("Dashboard summary")
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton("Export PDF…", self)
        self.export_button.clicked.connect(self.choose_pdf)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)

        # A model/view table: with 16,000 documents a widget table cost the UI thread 2 s
        # to fill (even in a hidden tab); the view reads only the rows it paints.
        self.progress = ProgressModel(self)
        self.documents = QTableView(self)
        self.documents.setModel(self.progress)
        self.documents.setAccessibleName("Document progress")
        self.documents.verticalHeader().hide()
        self.documents.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.documents.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.documents.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.documents.setWordWrap(False)
        self.documents.setSortingEnabled(True)
        self.documents.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.documents.horizontalHeader()
        # Fixed widths: sizing columns to their contents would read every row.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate(DOC_WIDTHS):
            self.documents.setColumnWidth(col, width)
        self.documents.selectionModel().selectionChanged.connect(
            lambda *_: self._document_row_selected()
        )
        self.documents.activated.connect(
            lambda index: self.document_activated.emit(index.data(DOC_ROLE) or 0)
        )

        self.due = QTableWidget(0, 3, self)
        self.due.setAccessibleName("Due dates")
        self.due.setHorizontalHeaderLabels(["Due", "Document", "Countdown"])
        self.due.verticalHeader().hide()
        self.due.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.rates = QTableWidget(0, 3, self)
        self.rates.setAccessibleName("Response rates")
        self.rates.setHorizontalHeaderLabels(["Solicitation", "Answered", "Rate"])
        self.rates.verticalHeader().hide()
        self.rates.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart = OpenCommentsChart(self)
        self.timeline = TimelineChart(self)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("<b>Open comments by organization</b>", right))
        rl.addWidget(self.chart, 2)
        rl.addWidget(QLabel("<b>Due dates</b>", right))
        rl.addWidget(self.due, 1)
        rl.addWidget(QLabel("<b>Response rates</b>", right))
        rl.addWidget(self.rates, 1)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.documents, 1)
        ll.addWidget(self.timeline)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    # -- loading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.reader.request(
            "dashboard",
            core.dashboard,
            on_done=self.show_board,
            on_error=lambda exc: self.summary.setText(str(exc)),
        )
        self.set_document(self.document_id)

    def set_document(self, document_id: int | None) -> None:
        self.document_id = document_id or None
        if self.document_id is None:
            self.timeline.set_timeline(None)
            return
        self.reader.request(
            "timeline",
            core.timeline,
            self.document_id,
            on_done=self.timeline.set_timeline,
            on_error=lambda _exc: self.timeline.set_timeline(None),
        )

    def show_board(self, board: core.Dashboard) -> None:
        if board == self.board:
            # Most writes (an autosave) change no figure; refilling 1,000 rows would cost
            # the UI thread ~0.2 s for nothing.
            self.refreshed.emit(board)
            return
        self.board = board
        overdue = sum(d.total_overdue for d in board.documents)
        late = sum(1 for i in board.due if i.late and i.status != "published")
        self.summary.setText(
            f"As of {board.today}: {len(board.documents)} "
            f"document{'s' if len(board.documents) != 1 else ''}, "
            f"{overdue} overdue review{'s' if overdue != 1 else ''}, "
            f"{late} late report{'s' if late != 1 else ''}"
        )
        self.progress.set_rows(board.documents)
        self.due.setRowCount(len(board.due))
        for row, i in enumerate(board.due):
            self.due.setItem(row, 0, _item(i.due_date))
            self.due.setItem(row, 1, _item(i.title))
            self.due.setItem(row, 2, _item(i.state, late=i.late))
        self.rates.setRowCount(len(board.solicitations))
        for row, s in enumerate(board.solicitations):
            self.rates.setItem(row, 0, _item(f"{s.title} — {s.label}"))
            self.rates.setItem(row, 1, _item(f"{s.answered} of {s.asked}", number=True))
            self.rates.setItem(row, 2, _item(f"{s.rate:.0%}", number=True, late=s.rate < 0.5))
        self.chart.set_data(board.open_comments_by_org)
        self.refreshed.emit(board)

    def _document_row_selected(self) -> None:
        rows = self.documents.selectionModel().selectedRows()
        if rows:
            self.set_document(rows[0].data(DOC_ROLE))

    # -- export ------------------------------------------------------------------------------
    def choose_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export dashboard", "coordination-dashboard.pdf", "PDF (*.pdf)"
        )
        if path:
            self.export_pdf(path)

    def export_pdf(self, path, on_done=None) -> None:
        """Written on the reader thread from fresh figures; `on_done(path)` on the UI thread."""
        from ui import messages
        from workbench.dashboard_pdf import write_dashboard_pdf  # reportlab: only when used

        def done(written):
            self.summary.setText(f"Exported {written}")
            if on_done is not None:
                on_done(written)

        self.reader.request(
            "export",
            write_dashboard_pdf,
            path,
            on_done=done,
            on_error=lambda exc: messages.error(self, "Export dashboard", str(exc)),
        )
