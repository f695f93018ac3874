"""The search panel: a box, filters by kind, organization and status, ranked highlighted hits."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ui.search.reader import BackgroundReader
from workbench import directory, search

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
DEBOUNCE_MS = 120


def hit_html(hit: search.Hit) -> str:
    import html

    where = f" — {html.escape(hit.context)}" if hit.context else ""
    meta = " · ".join(x for x in (hit.kind_label, hit.organization, hit.status_label) if x)
    return (
        f"<div><b>{html.escape(hit.title)}</b>{where}</div>"
        f"<div style='color:gray; font-size:small'>{html.escape(meta)}</div>"
        f"<div>{hit.snippet_html()}</div>"
    )


class HitDelegate(QStyledItemDelegate):
    """Paints a hit's title, kind and highlighted snippet as rich text."""

    def _doc(self, option, index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(HTML_ROLE) or "")
        doc.setTextWidth(max(120, option.rect.width() - 8))
        return doc

    def paint(self, painter, option, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._doc(option, index)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            ctx.palette.setColor(
                QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText)
            )
        painter.save()
        painter.translate(option.rect.left() + 4, option.rect.top() + 2)
        painter.setClipRect(QRectF(0, 0, option.rect.width() - 8, option.rect.height() - 4))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt override)
        doc = self._doc(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 6)


class SearchPanel(QWidget):
    """Type to search; Enter or a double-click opens the hit in place via `open_requested`."""

    open_requested = Signal(object)  # a search.Hit
    results_shown = Signal(object)  # search.SearchResults, after they are on screen

    def __init__(self, ws, reader: BackgroundReader | None = None, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.reader = reader or BackgroundReader(ws, self)
        self._own_reader = reader is None
        self.results: search.SearchResults | None = None
        self.box = QLineEdit(self)
        self.box.setPlaceholderText("Search documents, comments, studies…")
        self.box.setAccessibleName("Search")
        self.box.setClearButtonEnabled(True)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind filter")
        self.kind.addItem("All kinds", None)
        for key, label in search.KINDS.items():
            self.kind.addItem(label, key)
        self.org = QComboBox(self)
        self.org.setAccessibleName("Organization filter")
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status filter")
        self.status.addItem("Any status", None)
        for key, label in search.ALL_STATUSES.items():
            self.status.addItem(label, key)
        self.hint = QLabel(self)
        self.hint.setAccessibleName("Search hint")
        self.hint.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Search results")
        self.list.setItemDelegate(HitDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)

        filters = QHBoxLayout()
        for w in (self.kind, self.org, self.status):
            filters.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.box)
        layout.addLayout(filters)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.box.textChanged.connect(lambda _t: self.timer.start())
        self.box.returnPressed.connect(self._enter)
        for combo in (self.kind, self.org, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.run_search())
        self.list.itemActivated.connect(self._activate)
        self.reload_organizations()

    def reload_organizations(self) -> None:
        current = self.org.currentData()
        self.org.blockSignals(True)
        self.org.clear()
        self.org.addItem("Any organization", None)
        for o in directory.organizations(self.ws):
            self.org.addItem(o.code, o.code)
        index = self.org.findData(current)
        self.org.setCurrentIndex(max(0, index))
        self.org.blockSignals(False)

    def focus_search(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def run_search(self) -> None:
        """Search off the UI thread; a newer keystroke supersedes a search still waiting."""
        self.timer.stop()
        kind = self.kind.currentData()
        self.reader.request(
            "search",
            search.search,
            self.box.text(),
            kinds=[kind] if kind else None,
            organization=self.org.currentData(),
            status=self.status.currentData(),
            on_done=self.show_results,
            on_error=lambda exc: self.hint.setText(str(exc)),
        )

    def show_results(self, results: search.SearchResults) -> None:
        self.results = results
        self.list.clear()
        for hit in results.hits:
            item = QListWidgetItem()
            item.setData(HIT_ROLE, hit)
            item.setData(HTML_ROLE, hit_html(hit))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{hit.title}: {hit.snippet_text()}")
            item.setToolTip(f"{hit.kind_label}: {hit.title}")
            self.list.addItem(item)
        hint = results.hint
        if results.hits:
            more = "+" if results.more else ""
            n = len(results.hits)
            hint = (hint + " " if hint else "") + f"{n}{more} result{'s' if n != 1 or more else ''}"
        self.hint.setText(hint)
        self.results_shown.emit(results)

    def _enter(self) -> None:
        if self.list.count() and self.results and self.results.query.text == self.box.text():
            self._activate(self.list.currentItem() or self.list.item(0))
        else:
            self.run_search()

    def _activate(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.open_requested.emit(item.data(HIT_ROLE))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._own_reader:
            self.reader.close()
        super().closeEvent(event)
