"""The dashboard panel: per-document progress, due dates, response rates and charts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.dashboard.charts import OpenCommentsChart, TimelineChart
from ui.dashboard.progress_model import COLUMNS, DOC_ROLE, ProgressModel
from ui.search.reader import BackgroundReader
from ui.table_layout import Columns, VisibleRowHeights, WrappingDelegate
from workbench import dashboard as core
from workbench import directory

REFRESH_DEBOUNCE_MS = 250
WRAPPED = {0: 3, 4: 2, 5: 1, 6: 1}  # title and per-organization columns wrap (two lines)


def _small_table(parent, name: str, headers: list[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    modes = QHeaderView.ResizeMode
    for col in range(len(headers)):
        mode = modes.Stretch if col == stretch else modes.ResizeToContents
        header.setSectionResizeMode(col, mode)
    return table


def _board(ws, live: core.LiveDashboard) -> tuple[core.Dashboard, dict[str, str]]:
    """On the reader thread: the figures (only the documents written since the last refresh
    are read again), and how to show each organization in them."""
    return live.refresh(ws), directory.shown_names(ws)


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    area.setAccessibleName(widget.accessibleName())
    return area


def _item(text, *, number: bool = False, late: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if late:
        item.setForeground(theme.status_color("bad"))
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
        self.live = core.LiveDashboard()  # used on the reader thread only
        self.names: dict[str, str] = {}
        self.document_id: int | None = None

        self.summary = QLabel(self)
        self.summary.setAccessibleName("Dashboard summary")
        self.summary.setWordWrap(True)
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
        self.documents.setAlternatingRowColors(True)
        self.documents.setWordWrap(True)
        self.documents.setItemDelegate(WrappingDelegate(self.documents, list(WRAPPED), max_lines=2))
        self.rows = VisibleRowHeights(self.documents)  # rows are measured as they are seen
        self.columns = Columns(
            self.documents,
            "dashboard",
            COLUMNS,
            weights=WRAPPED,
            required=[0],
            hidden=[COLUMNS.index("Out"), COLUMNS.index("Substantive")],  # in the chart
        )
        self.documents.setSortingEnabled(True)
        self.documents.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.documents.selectionModel().selectionChanged.connect(
            lambda *_: self._document_row_selected()
        )
        self.documents.activated.connect(
            lambda index: self.document_activated.emit(index.data(DOC_ROLE) or 0)
        )

        self.due = _small_table(self, "Due dates", ["Due", "Document", "Countdown"], stretch=1)
        self.rates = _small_table(
            self, "Response rates", ["Solicitation", "Answered", "Rate"], stretch=0
        )
        self.chart = OpenCommentsChart(self)
        self.timeline = TimelineChart(self)
        # Each figure on a tab of its own: in a short dock below the editor every one gets the
        # panel's whole height instead of a slice of it.
        self.figures = QTabWidget(self)
        self.figures.setObjectName("dashboardFigures")
        self.figures.setAccessibleName("Dashboard figures")
        self.figures.setDocumentMode(True)
        self.figures.addTab(_scrolling(self.chart), "Open comments")
        self.figures.addTab(self.timeline, "Timeline")
        self.figures.addTab(self.due, "Due dates")
        self.figures.addTab(self.rates, "Response rates")
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.setObjectName("dashboardSplit")
        self.split.addWidget(self.documents)
        self.split.addWidget(self.figures)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Side by side in a wide, short dock; one above the other when the panel is tall.
        wide = event.size().width() >= 1.4 * event.size().height()
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.split.orientation() != orientation:
            self.split.setOrientation(orientation)
        super().resizeEvent(event)

    # -- loading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.board is None:  # the first read, when the panel is first seen, takes a moment
            self.summary.setText("Reading the figures…")
        self.reader.request(
            "dashboard",
            _board,
            self.live,
            on_done=lambda read: self.show_board(*read),
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

    def show_board(self, board: core.Dashboard, names: dict[str, str] | None = None) -> None:
        """`names`: what to show for organization codes (directory.shown_names)."""
        names = names or {}
        if board == self.board and names == self.names:
            # Most writes (an autosave) change no figure; refilling 1,000 rows would cost
            # the UI thread ~0.2 s for nothing.
            self.refreshed.emit(board)
            return
        self.board, self.names = board, names
        overdue = sum(d.total_overdue for d in board.documents)
        late = sum(1 for i in board.due if i.late and i.status != "published")
        self.summary.setText(
            f"As of {board.today}: {len(board.documents)} "
            f"document{'s' if len(board.documents) != 1 else ''}, "
            f"{overdue} overdue review{'s' if overdue != 1 else ''}, "
            f"{late} late report{'s' if late != 1 else ''}"
        )
        self.progress.set_rows(board.documents, names)
        self.columns.schedule_fit()
        self.due.setRowCount(len(board.due))
        for row, i in enumerate(board.due):
            self.due.setItem(row, 0, _item(i.due_date))
            self.due.setItem(row, 1, _item(i.title))
            self.due.setItem(row, 2, _item(i.state, late=i.late))
        self.rates.setRowCount(len(board.solicitations))
        for row, s in enumerate(board.solicitations):
            self.rates.setItem(row, 0, _item(f"{s.title} — {s.label}"))
            self.rates.item(row, 0).setToolTip(f"{s.title} — {s.label}")
            self.rates.setItem(row, 1, _item(f"{s.answered} of {s.asked}", number=True))
            self.rates.setItem(row, 2, _item(f"{s.rate:.0%}", number=True, late=s.rate < 0.5))
        self.chart.set_data(board.open_comments_by_org, names)
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
