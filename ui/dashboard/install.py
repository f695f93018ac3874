"""Hooks the coordination dashboard into the main window through its public API only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget

from ui.dashboard.panel import REFRESH_DEBOUNCE_MS, DashboardPanel
from ui.lazy import LazyReload
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
    # Recomputing the dashboard of a large workspace takes a reader thread ~0.1-0.3 s of
    # Python: do it only while the panel is seen, and once after a burst of autosaves.
    lazy = LazyReload(panel, panel.refresh, delay_ms=REFRESH_DEBOUNCE_MS)
    main_window.workspace_changed.connect(lazy.request)
    _tab_with_bottom_docks(main_window, dock)
    main_window.document_selected.connect(panel.set_document)
    panel.document_activated.connect(lambda doc_id: main_window.navigator.select(DOC, doc_id))
    main_window.destroyed.connect(lambda *_: panel.reader.close())
    # Read when first seen: a dashboard tabbed behind the CRM costs nothing at start.
    lazy.request()
    return panel


def _tab_with_bottom_docks(main_window, dock) -> None:
    """Share the bottom area as a tab: side by side with the CRM and the gate, the window
    could not be narrower than about 1,650 px."""
    if not isinstance(dock, QDockWidget):
        return
    area = Qt.DockWidgetArea.BottomDockWidgetArea
    others = [
        d
        for d in main_window.findChildren(QDockWidget)
        if d is not dock and main_window.dockWidgetArea(d) == area
    ]
    # Beside the CRM's tabs when the coordination part is there (docks are not shown yet while
    # parts install, so visibility cannot choose).
    target = next(
        (d for d in others if d.objectName() == "dock-CRM"), others[0] if others else None
    )
    if target is not None:
        main_window.tabifyDockWidget(target, dock)
