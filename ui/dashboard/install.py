"""Hooks the coordination dashboard into the main window through its public API only."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from ui.dashboard.panel import DashboardPanel
from ui.navigator import DOC


def install(main_window) -> DashboardPanel:
    """A bottom dock kept current after every write, following the selected document."""
    panel = DashboardPanel(main_window.ws, parent=main_window)
    dock = main_window.add_panel("Dashboard", panel, "bottom")
    main_window.dashboard_panel = panel
    menu = main_window.add_menu("Dash&board")
    show = menu.addAction("Show Coordination &Dashboard")
    show.setObjectName("showDashboard")
    show.setShortcut(QKeySequence("Ctrl+Shift+B"))
    show.triggered.connect(lambda _=False: (dock.show(), dock.raise_(), panel.refresh()))
    export = menu.addAction("&Export Dashboard as PDF…")
    export.setObjectName("exportDashboard")
    export.triggered.connect(lambda _=False: panel.choose_pdf())
    main_window.workspace_changed.connect(panel.schedule_refresh)
    main_window.document_selected.connect(panel.set_document)
    panel.document_activated.connect(lambda doc_id: main_window.navigator.select(DOC, doc_id))
    main_window.destroyed.connect(lambda *_: panel.reader.close())
    panel.refresh()
    return panel
