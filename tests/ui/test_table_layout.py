"""The CRM and comment tables: rows that wrap, decisive columns in view, columns the user picks."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from ui import lazy
from ui.coordination.install import install
from ui.navigator import DOC, SECTION
from workbench import demo, documents, sections
from workbench.coordination import comments as cm
from workbench.workspace import Workspace

LONG = (
    "The description of the interdiction is incomplete: it omits that operating a stateless "
    "vessel is itself a federal crime, so the section implies a case is lost when the load "
    "sinks, and it understates the risk to boarding teams."
)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return demo.write_demo(tmp_path_factory.mktemp("demo") / "demo.cnew")


def open_app(qtbot, path, size=(1280, 720)):
    from ui.main_window import MainWindow

    ws = Workspace.open(path)
    window = MainWindow(ws)
    qtbot.addWidget(window)
    coordination = install(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window, coordination


@pytest.fixture
def path(demo_file, tmp_path):
    copy = tmp_path / "demo.cnew"
    shutil.copy(demo_file, copy)
    return copy


def settle(window) -> None:
    assert window.ops.flush(10.0)
    QApplication.processEvents()
    lazy.drain()


def spss(ws) -> int:
    return next(d.id for d in documents.list_documents(ws) if "Semi-Submersible" in d.title)


def show_crm(qtbot, window, coordination):
    window.navigator.select(DOC, spss(window.ws))
    coordination.reveal(coordination.crm)
    settle(window)
    table = coordination.crm.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    qtbot.wait(50)  # the columns fit and the rows measure on the next turns
    return table


def header_menu(columns):
    """Right-click the header, as the user does; returns the menu it opens."""
    header = columns.header
    at = QPoint(10, 5)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, header.mapToGlobal(at))
    QApplication.sendEvent(header.viewport(), event)
    return columns.menu


def test_crm_rows_wrap_and_the_decisive_columns_are_in_view(qtbot, path):
    window, coordination = open_app(qtbot, path)
    table = show_crm(qtbot, window, coordination)
    header = table.horizontalHeader()
    labels = [table.model().headerData(c, header.orientation()) for c in range(header.count())]
    viewport = table.viewport().width()

    def in_view(name: str) -> bool:
        col = labels.index(name)
        right = header.sectionViewportPosition(col) + header.sectionSize(col)
        return not header.isSectionHidden(col) and right <= viewport

    # The columns fit on the next turns of the event loop.
    qtbot.waitUntil(lambda: all(in_view(n) for n in ("Type", "Comment", "Disposition")))
    # The long Critical comment shows several lines, not one with an ellipsis.
    line = table.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: table.rowHeight(0) >= 3 * line)
    # No header is cut by the sort arrow: "Item" keeps the width its label and arrow need.
    item = labels.index("Item")
    assert header.sectionSize(item) >= header.sectionSizeHint(item)
    window.close()


def test_the_user_chooses_columns_and_they_are_remembered(qtbot, path):
    window, coordination = open_app(qtbot, path)
    table = show_crm(qtbot, window, coordination)
    columns = coordination.crm.columns
    menu = header_menu(columns)
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert not actions["Reviewer"].isChecked()  # off by default: the table stays readable
    assert not actions["Comment"].isEnabled()  # the decisive columns cannot be hidden
    actions["Reviewer"].trigger()
    menu.close()
    header = table.horizontalHeader()
    reviewer = [table.model().headerData(c, header.orientation()) for c in range(header.count())]
    reviewer = reviewer.index("Reviewer")
    assert not header.isSectionHidden(reviewer)
    actions["Proposed wording"].trigger()  # and one of the defaults hidden
    window.close()

    again, coordination = open_app(qtbot, path)
    table = show_crm(qtbot, again, coordination)
    header = table.horizontalHeader()
    labels = [table.model().headerData(c, header.orientation()) for c in range(header.count())]
    assert not header.isSectionHidden(labels.index("Reviewer"))
    assert header.isSectionHidden(labels.index("Proposed wording"))
    menu = header_menu(coordination.crm.columns)
    next(a for a in menu.actions() if a.text() == "Reset Columns").trigger()
    assert header.isSectionHidden(labels.index("Reviewer"))
    assert not header.isSectionHidden(labels.index("Proposed wording"))
    again.close()


def test_comment_rows_wrap_and_the_number_keeps_room_for_its_icon(qtbot, path):
    window, coordination = open_app(qtbot, path)
    ws = window.ws
    doc = spss(ws)
    sid = next(e.id for e in sections.outline(ws, doc) if e.heading == "Detection")
    cm.add_comment(ws, doc, organization_code="CBP", type="S", section_id=sid, comment_text=LONG)
    sections.edit_section(ws, sid, body="Changed after the comment was made.")
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    window.show_panel(coordination.comments)
    coordination.comments.scope.setCurrentIndex(1)  # all comments
    settle(window)
    tree = coordination.comments.tree
    model = tree.model()
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    qtbot.wait(50)
    item = model.index(0, 0)
    assert item.data(Qt.ItemDataRole.DecorationRole) is not None  # made on an earlier revision
    header = tree.header()
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    # the columns fit again once the row (and its icon) has come in from the reader
    qtbot.waitUntil(lambda: tree.columnWidth(0) >= tree.sizeHintForColumn(0) > 0)
    line = tree.fontMetrics().lineSpacing()
    # The columns fit and the rows are laid out again on the next turns of the event loop.
    qtbot.waitUntil(lambda: tree.visualRect(item).height() >= 3 * line)  # the comment wraps
    width = tree.viewport().width()

    def right(name: str) -> int:
        col = labels.index(name)
        return header.sectionViewportPosition(col) + header.sectionSize(col)

    qtbot.waitUntil(lambda: all(right(n) <= width for n in ("Type", "Comment", "Disposition")))
    window.close()


def test_resizing_a_table_refits_widths_without_measuring_rows_again_until_they_change(qtbot):
    from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QStyledItemDelegate, QTableView

    from ui.table_layout import Columns

    class Counting(QStyledItemDelegate):
        calls = 0

        def sizeHint(self, option, index):  # noqa: N802 (Qt override)
            Counting.calls += 1
            return super().sizeHint(option, index)

    model = QStandardItemModel(0, 2)
    for n in range(300):
        model.appendRow([QStandardItem(f"CRM-{n}"), QStandardItem(LONG)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegate(Counting(view))
    columns = Columns(view, "test-resize", ["Number", "Comment"], weights={1: 1})
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: Counting.calls > 0)
    QApplication.processEvents()
    fitted = view.columnWidth(0)

    def fills() -> bool:
        used = view.columnWidth(0) + view.columnWidth(1)
        return abs(used - view.viewport().width()) <= 2

    assert fills()
    before = Counting.calls
    view.resize(1000, 400)  # the docks laid out, the window widened
    qtbot.waitUntil(fills)
    QApplication.processEvents()
    assert view.columnWidth(0) == fitted
    assert Counting.calls == before  # nothing re-measured: the rows are what they were

    model.item(0, 0).setText("CRM-0 (returned)")
    qtbot.waitUntil(lambda: view.columnWidth(0) > fitted)  # a change in the rows is measured
    assert fills()
    wider = view.columnWidth(0)

    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    view.setFont(font)  # the text's measure changed: measured again
    qtbot.waitUntil(lambda: view.columnWidth(0) > wider)
    assert columns.user_sized is False


def test_a_tree_measures_again_when_a_branch_is_unfolded_not_when_it_is_resized(qtbot):
    from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

    from ui.table_layout import Columns, WrappingDelegate

    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.setColumnCount(2)
    tree.setItemDelegate(WrappingDelegate(tree, [1]))
    measured: list[int] = []  # the columns measured over their rows (rows' heights aside)
    measure = tree.sizeHintForColumn
    tree.sizeHintForColumn = lambda col: measured.append(col) or measure(col)
    for n in range(40):
        top = QTreeWidgetItem(tree, [f"ORG-{n}", LONG])
        QTreeWidgetItem(top, [f"ORG-{n} request answered late", LONG])
    columns = Columns(tree, "test-tree", ["Organization", "Position"], weights={1: 1})
    tree.resize(700, 400)
    tree.show()
    qtbot.waitExposed(tree)
    qtbot.waitUntil(lambda: 0 in measured)
    QApplication.processEvents()
    fitted = tree.columnWidth(0)
    before = len(measured)
    tree.resize(900, 400)
    qtbot.waitUntil(lambda: abs(sum(map(tree.columnWidth, (0, 1))) - tree.viewport().width()) <= 2)
    QApplication.processEvents()
    assert (tree.columnWidth(0), len(measured)) == (fitted, before)

    tree.expandItem(tree.topLevelItem(0))  # its child's longer name comes into view
    qtbot.waitUntil(lambda: tree.columnWidth(0) > fitted)
    assert columns.user_sized is False
