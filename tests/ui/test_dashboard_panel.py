"""The dashboard panel: figures on screen, painted charts, PDF export, refresh after writes."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QPoint, Qt

from ui import theme
from ui.dashboard.install import install
from ui.dashboard.panel import DashboardPanel
from workbench import directory, documents, sections
from workbench.coordination import comments, requests

AGENCIES = {
    "AZDPS": "Arizona Department of Public Safety",
    "TXDPS": "Texas Department of Public Safety",
}


def _fixture(ws, clock):
    for code, name in AGENCIES.items():
        directory.add_organization(ws, code, name, "slt")
    doc = documents.create_document(
        ws, "report_to_congress", "Annual Report to Congress", due_date="2026-11-04"
    )
    sid = sections.add_section(ws, doc, heading="Maritime", body="Cutters.", equities=["USCG"])
    requests.create_request(ws, doc, "USCG", suspense_date="2026-11-03", send=True)
    for code in ("AZDPS", "TXDPS"):
        requests.create_request(ws, doc, code, section_ids=[sid], send=True)
    comments.add_comment(
        ws,
        doc,
        organization_code="USCG",
        type="C",
        section_id=sid,
        critical_ground="safety",
        comment_text="Cutter hours are wrong.",
    )
    comments.add_comment(
        ws, doc, organization_code="AZDPS", type="S", section_id=sid, comment_text="Add tribes."
    )
    clock.advance(days=3)  # Thursday 2026-11-05
    return doc


def _refreshed(qtbot, panel):
    with qtbot.waitSignal(panel.refreshed, timeout=5000) as sig:
        panel.refresh()
    return sig.args[0]


def test_panel_shows_figures_and_flags_late(qtbot, ws, clock, tmp_path):
    doc = _fixture(ws, clock)
    panel = DashboardPanel(ws)
    qtbot.addWidget(panel)
    panel.resize(1100, 520)
    panel.show()
    board = _refreshed(qtbot, panel)
    assert panel.summary.text() == ("As of 2026-11-05: 1 document, 1 overdue review, 1 late report")
    model = panel.documents.model()
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row == [
        "Annual Report to Congress",
        "Coordination",
        3,
        "3",
        "USCG 1 (2 wd)",
        "USCG 1",
        "Arizona Department of Public Safety 1",  # a local agency by its name, not a code
        "2026-11-04",
    ]
    assert model.index(0, 4).data(Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"
    assert panel.due.item(0, 2).text() == "LATE by 1 day"
    assert panel.rates.item(0, 1).text() == "1 of 2" and panel.rates.item(0, 2).text() == "50%"
    assert panel.chart.data == [
        ("USCG", {"C": 1, "S": 0, "A": 0}),
        ("AZDPS", {"C": 0, "S": 1, "A": 0}),
    ]
    assert board.documents[0].id == doc
    panel.documents.selectRow(0)
    qtbot.waitUntil(lambda: panel.timeline.timeline is not None, timeout=5000)
    assert [p.stage for p in panel.timeline.timeline.phases] == ["draft", "in_coordination"]
    image = panel.grab().toImage()
    panel.grab().save(str(tmp_path.parent / "dashboard-panel.png"))
    # The chart painted a Critical-red bar for USCG.
    chart = panel.chart.grab().toImage()
    reds = sum(
        1
        for x in range(0, chart.width(), 3)
        for y in range(0, chart.height(), 3)
        if chart.pixelColor(x, y).name() == "#b3261e"
    )
    assert reds > 10 and not image.isNull()


def test_export_pdf_off_the_ui_thread(qtbot, ws, clock, tmp_path):
    _fixture(ws, clock)
    panel = DashboardPanel(ws)
    qtbot.addWidget(panel)
    out = tmp_path / "dash.pdf"
    written = []
    panel.export_pdf(out, on_done=written.append)
    qtbot.waitUntil(lambda: bool(written), timeout=10000)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Annual Report to Congress" in text and "LATE by" in text


def test_installed_dashboard_refreshes_after_a_write(qtbot, window, ws, clock):
    doc = _fixture(ws, clock)
    panel = install(window)
    qtbot.waitUntil(lambda: panel.board is not None, timeout=5000)
    assert panel.board.documents[0].total_critical == 1
    [c] = [x for x in comments.list_comments(ws, doc) if x.type == "C"]
    with qtbot.waitSignal(panel.refreshed, timeout=5000) as sig:
        window.ops.run(comments.adjudicate_comment, c.id, "accepted")
    assert sig.args[0].documents[0].total_critical == 0


def test_a_dashboard_tabbed_behind_the_crm_reads_nothing_until_its_tab_is_chosen(
    qtbot, window, ws, clock, monkeypatch
):
    from PySide6.QtWidgets import QApplication, QDockWidget

    from ui import lazy
    from ui.coordination.install import install as install_coordination

    _fixture(ws, clock)
    refreshes = []  # what the panel said as each refresh had asked for the figures
    real = DashboardPanel.refresh
    monkeypatch.setattr(
        DashboardPanel, "refresh", lambda self: (real(self), refreshes.append(self.summary.text()))
    )
    install_coordination(window)
    panel = install(window)
    window.findChild(QDockWidget, "dock-CRM").raise_()
    QApplication.processEvents()
    lazy.drain()
    # Qt keeps a dock behind another's tab "visible", with nothing of it on screen.
    assert panel.isVisible() and panel.visibleRegion().isEmpty()
    assert refreshes == [] and panel.board is None
    window.findChild(QDockWidget, "dock-Dashboard").raise_()  # the user chooses its tab
    qtbot.waitUntil(lambda: panel.board is not None, timeout=5000)
    assert refreshes == ["Reading the figures…"]  # said while the figures were read
    assert panel.summary.text().startswith("As of ")
    assert panel.board.documents[0].total_critical == 1


def sort_arrow(header, column: int) -> str:
    """Which way the sort arrow drawn in a header section points: "up" or "down"."""
    image = header.grab().toImage()
    right = header.sectionViewportPosition(column) + header.sectionSize(column)
    xs = range(right - 24, right - 4)  # the arrow sits at the right end of the section
    base = max(image.pixelColor(x, image.height() // 2).lightness() for x in xs)
    widths = []
    for y in range(2, image.height() - 2):  # not the header's borders
        dark = sum(1 for x in xs if base - image.pixelColor(x, y).lightness() > 60)
        if dark:
            widths.append(dark)
    assert len(widths) >= 3, "no sort arrow drawn"
    return "up" if widths[0] < widths[-1] else "down"


def test_documents_sort_by_a_clicked_header_and_a_click_selects_the_timeline(
    qtbot, qapp, ws, clock
):
    theme.apply(qapp, "light")  # the app's style, which draws the sort arrows
    doc = _fixture(ws, clock)
    documents.create_document(ws, "strategy", "Border Strategy")
    panel = DashboardPanel(ws)
    qtbot.addWidget(panel)
    panel.resize(1100, 520)
    panel.show()
    _refreshed(qtbot, panel)
    view, model = panel.documents, panel.documents.model()
    titles = lambda: [model.index(r, 0).data() for r in range(model.rowCount())]  # noqa: E731
    assert titles() == ["Annual Report to Congress", "Border Strategy"]
    header = view.horizontalHeader()
    assert sort_arrow(header, 0) == "up"  # A to Z under an arrow pointing up
    at = QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)  # descending now
    assert titles() == ["Border Strategy", "Annual Report to Congress"]
    assert sort_arrow(header, 0) == "down"
    # Numbers sort as numbers, and a per-organization column by its total.
    days = header.sectionViewportPosition(2) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(days, 5))
    assert [model.index(r, 2).data() for r in range(2)] == [0, 3]
    critical = header.sectionViewportPosition(5) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(critical, 5))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(critical, 5))
    assert titles()[0] == "Annual Report to Congress"  # most open Critical comments first
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert titles() == ["Annual Report to Congress", "Border Strategy"]
    rect = view.visualRect(model.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: panel.document_id == doc, timeout=5000)
    with qtbot.waitSignal(panel.document_activated, timeout=2000) as sig:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert sig.args == [doc]


def test_the_dashboard_module_does_not_load_reportlab_until_a_pdf_is_exported():
    code = (
        "import sys; import ui.dashboard.install, ui.dashboard.panel; "
        "print('reportlab' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
