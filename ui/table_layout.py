"""Tables that read: wrapped rows of a few lines, columns sized to their contents, and columns
the user chooses from the header's context menu (remembered between sessions)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
)

from ui import settings as app_settings

MAX_LINES = 4  # a long comment shows its first lines; the rest is in the tooltip and details
FIXED_CAP = 240  # no short column grows wider than this to fit one long value
MIN_WRAP = 90  # a wrapped column is never narrower than this


def _column_width(view: QAbstractItemView, index) -> int:
    """The width a cell's text has: its column, or the whole row for a spanned tree row."""
    if isinstance(view, QTreeView):
        if view.isFirstColumnSpanned(index.row(), index.parent()):
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            return view.viewport().width() - view.indentation() * (depth + 1)
        return view.header().sectionSize(index.column())
    if isinstance(view, QTableView):
        return view.columnWidth(index.column())
    return view.viewport().width()


class WrappingDelegate(QStyledItemDelegate):
    """Wraps the text of the given columns over up to `max_lines` lines, the last one elided
    when more remains; every cell is aligned to the top so a row reads across."""

    def __init__(self, view: QAbstractItemView, columns: Sequence[int], max_lines: int = MAX_LINES):
        super().__init__(view)
        self.view = view
        self.columns = set(columns)
        self.max_lines = max_lines

    def wraps(self, index) -> bool:
        if index.column() in self.columns:
            return True
        view = self.view
        return isinstance(view, QTreeView) and view.isFirstColumnSpanned(
            index.row(), index.parent()
        )

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt override)
        super().initStyleOption(option, index)
        horizontal = option.displayAlignment & Qt.AlignmentFlag.AlignHorizontal_Mask
        option.displayAlignment = horizontal | Qt.AlignmentFlag.AlignTop

    def _text_width(self, option, index) -> int:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = _column_width(self.view, index)
        margin = self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        icon = opt.decorationSize.width() + 4 if not opt.icon.isNull() else 0
        return max(20, width - 2 * margin - icon - 2)

    @staticmethod
    def _one_line(option) -> QStyleOptionViewItem:
        plain = QStyleOptionViewItem(option)
        plain.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        return plain

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt override)
        # The height of one line: the view's word wrap would measure the whole text at the
        # column's width; the lines are counted (and capped) here.
        base = super().sizeHint(self._one_line(option), index)
        if not self.wraps(index):
            return base
        text = str(index.data() or "")
        if not text:
            return base
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        lines = len(self._lines(text, opt.font, self._text_width(option, index), self.max_lines))
        fm = QFontMetrics(opt.font)
        height = lines * fm.lineSpacing() + base.height() - fm.height() + 2
        return QSize(base.width(), max(base.height(), height))

    @staticmethod
    def _lines(text: str, font, width: int, max_lines: int) -> list[str]:
        """The text as it wraps at `width`, at most `max_lines` lines, the last one elided when
        text remains after it."""
        layout = QTextLayout(text.replace("\n", "\u2028"), font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        out: list[str] = []
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start, length = line.textStart(), line.textLength()
            if len(out) == max_lines - 1:
                rest = text[start:].replace("\n", " ")
                fm = QFontMetrics(font)
                out.append(fm.elidedText(rest, Qt.TextElideMode.ElideRight, width))
                break
            out.append(text[start : start + length].rstrip("\n\u2028"))
        layout.endLayout()
        return out

    def paint(self, painter, option, index) -> None:
        if not self.wraps(index):
            super().paint(painter, self._one_line(option), index)  # elided, not wrapped
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(2, 1, -2, 0)
        fm = QFontMetrics(opt.font)
        # A line fits when its glyphs do; the leading under the last one may be cut.
        fits = max(1, (rect.height() + fm.leading() + 4) // fm.lineSpacing())
        selected = opt.state & QStyle.StateFlag.State_Selected
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(QPalette.ColorGroup.Active, role))
        if not opt.state & QStyle.StateFlag.State_Enabled:
            painter.setPen(opt.palette.color(QPalette.ColorGroup.Disabled, role))
        y = rect.top()
        for line in self._lines(text, opt.font, rect.width(), min(fits, self.max_lines)):
            painter.drawText(QPointF(rect.left(), y + fm.ascent()), line)
            y += fm.lineSpacing()
        painter.restore()


class VisibleRowHeights(QObject):
    """Sizes the rows on screen of a table to their wrapped contents. Measuring every row of a
    5,000-comment matrix after each change would stall the window; rows are measured as they
    come into view instead."""

    def __init__(self, view: QTableView):
        super().__init__(view)
        self.view = view
        self._measured: set[int] = set()
        header = view.verticalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(view.fontMetrics().lineSpacing() + 8)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.measure)
        model = view.model()
        for signal in (
            model.modelReset,
            model.layoutChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.dataChanged,
        ):
            signal.connect(self.forget)
        view.horizontalHeader().sectionResized.connect(self.forget)
        view.horizontalHeader().sectionCountChanged.connect(self.forget)
        view.verticalScrollBar().valueChanged.connect(lambda _v: self._timer.start())
        view.viewport().installEventFilter(self)

    def forget(self, *_args) -> None:
        """The rows' contents or widths changed: measure the visible ones again."""
        self._measured.clear()
        self._timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Show:
            self.forget()
        elif event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False

    def measure(self) -> None:
        view = self.view
        if not view.isVisible():
            return  # measured when shown: a hidden view has no real widths yet
        rows = view.model().rowCount()
        for _ in range(4):  # rows that grow push others out of view; shrinking pulls some in
            first = max(0, view.rowAt(0))
            last = view.rowAt(view.viewport().height() - 1)
            last = rows - 1 if last < 0 else min(rows - 1, last + 2)
            todo = [r for r in range(first, last + 1) if r not in self._measured]
            if not todo:
                return
            for row in todo:
                view.setRowHeight(row, view.sizeHintForRow(row))
                self._measured.add(row)


class Columns(QObject):
    """The columns of a table or tree: which are shown (the header's context menu; `required`
    ones stay), remembered under `name`; short ones sized to their contents and wrapped ones
    sharing the rest of the width by `weights`, until the user drags a divider."""

    def __init__(
        self,
        view: QAbstractItemView,
        name: str,
        labels: Sequence[str],
        *,
        weights: dict[int, int],
        hidden: Sequence[int] = (),
        required: Sequence[int] = (),
        order: Sequence[int] = (),
    ):
        super().__init__(view)
        self.view, self.name, self.labels = view, name, list(labels)
        self.weights = dict(weights)
        self.default_hidden = set(hidden)
        self.required = set(required)
        self.default_order = list(order) or list(range(len(labels)))
        self.header: QHeaderView = (
            view.header() if isinstance(view, QTreeView) else view.horizontalHeader()
        )
        self.header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.header.setStretchLastSection(False)
        self.header.setResizeContentsPrecision(200)  # sizes from a sample, not every row
        self.header.setSectionsMovable(True)
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self.show_menu)
        self.user_sized = False  # the user dragged a divider: their widths stand
        self._fitting = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        self.header.sectionResized.connect(self._resized)
        # A tree keeps its rows' heights until laid out again: wrapped rows follow the widths.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        if isinstance(view, QTreeView):
            self._relayout.timeout.connect(view.doItemsLayout)
            self.header.sectionResized.connect(lambda *_: self._relayout.start())
        self.header.sectionMoved.connect(lambda *_: self.save())
        # Rows arrive after the columns were first fitted (panels fill off the UI thread): the
        # content-sized columns are fitted again to what came, or an icon clips the number.
        model = view.model()
        if model is not None:
            for signal in (
                model.modelReset,
                model.rowsInserted,
                model.layoutChanged,
                model.dataChanged,
            ):
                signal.connect(self._contents_changed)
            model.rowsRemoved.connect(self._contents_changed)
        self._model = model
        # The short columns measured as their contents were last time: resizing the view
        # (docks laid out, the window resized) fits the widths again without measuring
        # hundreds of rows per column through the delegate again (~70 ms a fit at 1,000 rows).
        self._content: dict[int, int] = {}
        if isinstance(view, QTreeView):  # rows folded or unfolded are other rows to measure
            view.expanded.connect(self._contents_changed)
            view.collapsed.connect(self._contents_changed)
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        self.menu: QMenu | None = None
        self.restore()

    # -- which columns, in which order -------------------------------------------------------
    def _key(self, what: str) -> str:
        return f"columns/{self.name}/{what}"

    def restore(self) -> None:
        s = app_settings.settings()
        hidden, order = self.default_hidden, self.default_order
        if s.contains(self._key("hidden")):
            hidden = {self._index(label) for label in self._stored(s.value(self._key("hidden")))}
            hidden.discard(None)
        if s.contains(self._key("order")):
            stored = [self._index(label) for label in self._stored(s.value(self._key("order")))]
            known = [i for i in stored if i is not None]
            order = known + [i for i in range(len(self.labels)) if i not in known]
        self._apply(hidden - self.required, order)

    @staticmethod
    def _stored(value) -> list[str]:
        return [v for v in str(value or "").split("\n") if v]

    def _index(self, label: str) -> int | None:
        return self.labels.index(label) if label in self.labels else None

    def _apply(self, hidden: set[int], order: Sequence[int]) -> None:
        self.header.blockSignals(True)
        for visual, logical in enumerate(order):
            current = self.header.visualIndex(logical)
            if current != visual and current >= 0:
                self.header.moveSection(current, visual)
        for col in range(len(self.labels)):
            self.header.setSectionHidden(col, col in hidden)
        self.header.blockSignals(False)
        self.schedule_fit()

    def hidden(self) -> set[int]:
        return {c for c in range(len(self.labels)) if self.header.isSectionHidden(c)}

    def order(self) -> list[int]:
        return [self.header.logicalIndex(v) for v in range(len(self.labels))]

    def save(self) -> None:
        s = app_settings.settings()
        s.setValue(self._key("hidden"), "\n".join(self.labels[c] for c in sorted(self.hidden())))
        s.setValue(self._key("order"), "\n".join(self.labels[c] for c in self.order()))

    def set_shown(self, column: int, shown: bool) -> None:
        if column in self.required and not shown:
            return
        self.header.setSectionHidden(column, not shown)
        self.save()
        self.user_sized = False
        self.schedule_fit()

    def reset(self) -> None:
        s = app_settings.settings()
        s.remove(self._key("hidden"))
        s.remove(self._key("order"))
        self.user_sized = False
        self._apply(self.default_hidden, self.default_order)

    def show_menu(self, pos) -> QMenu:
        menu = QMenu(self.header)
        menu.setObjectName("columnsMenu")
        for col in self.order():
            action = menu.addAction(self.labels[col])
            action.setCheckable(True)
            action.setChecked(not self.header.isSectionHidden(col))
            if col in self.required:
                action.setEnabled(False)
                action.setToolTip("Always shown")
            action.toggled.connect(lambda on, c=col: self.set_shown(c, on))
        menu.addSeparator()
        menu.addAction("Fit Columns to the Width", self.refit)
        menu.addAction("Reset Columns", self.reset)
        self.menu = menu  # tests reach the open menu here
        menu.popup(self.header.mapToGlobal(pos))
        return menu

    # -- widths ------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self.view:  # the text's measure changed: every cell must be measured again
            if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
                self._contents_changed()
            return False
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            if not self.user_sized:
                self.schedule_fit()  # a hidden view measured no rows
            self._relayout.start()  # spanned rows wrap at the view's width
        return False

    def _resized(self, *_args) -> None:
        if not self._fitting and QApplication.mouseButtons() & Qt.MouseButton.LeftButton:
            self.user_sized = True

    def schedule_fit(self) -> None:
        if not self.user_sized:
            self._timer.start()

    def _contents_changed(self, *_args) -> None:
        self._content.clear()
        self.schedule_fit()

    def refit(self) -> None:
        self.user_sized = False
        self._content.clear()
        self.fit()

    def _content_width(self, col: int) -> int:
        if col not in self._content:
            self._content[col] = self.view.sizeHintForColumn(col)
        return self._content[col]

    def fit(self) -> None:
        """Short columns as wide as their contents (and header, with its sort arrow); the
        wrapped ones share what is left of the view's width."""
        if self.user_sized:
            return
        view, header = self.view, self.header
        if not view.isVisible():
            return  # measured when shown (a hidden view has no rows on screen to measure)
        if view.model() is not self._model:  # another model set since: nothing kept holds
            self._model = view.model()
            self._content.clear()
        shown = [c for c in range(len(self.labels)) if not header.isSectionHidden(c)]
        if isinstance(view, QTreeView) and any(
            c not in self.weights and c not in self._content for c in shown
        ):
            view.doItemsLayout()  # the rows of a model reset a moment ago, to measure
        widths: dict[int, int] = {}
        for col in shown:
            if col not in self.weights:
                content = self._content_width(col)
                widths[col] = min(FIXED_CAP, max(header.sectionSizeHint(col), content) + 6)
        wrapped = [c for c in shown if c in self.weights]
        room = view.viewport().width() - sum(widths.values())
        # Each wrapped column its least width first, then what is left by weight: together
        # they fill the view exactly whenever it is wide enough for their least widths.
        least = {c: max(MIN_WRAP, header.sectionSizeHint(c)) for c in wrapped}
        spare = max(0, room - sum(least.values()))
        total = sum(self.weights[c] for c in wrapped) or 1
        for col in wrapped:
            widths[col] = least[col] + spare * self.weights[col] // total
        self._fitting = True
        try:
            for col, width in widths.items():
                if header.sectionSize(col) != width:
                    header.resizeSection(col, width)
        finally:
            self._fitting = False
