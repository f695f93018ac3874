"""Window layout helpers: scrolling panels, collapsible panel areas, and what reopening restores."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea, QTabWidget, QWidget

from ui import settings as app_settings


def scrolling(widget: QWidget) -> QScrollArea:
    """The widget in a frameless scroll area: a panel then never sets the window's minimum
    size (it scrolls instead), so the window shrinks to a small screen."""
    area = QScrollArea()
    area.setObjectName(f"scroll-{widget.objectName() or type(widget).__name__}")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    area.setAccessibleName(widget.accessibleName())
    area.setFocusProxy(widget)
    return area


def bottom_docks(window) -> list[QDockWidget]:
    return [
        d
        for d in window.findChildren(QDockWidget)
        if window.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea and not d.isFloating()
    ]


def set_bottom_shown(window, shown: bool) -> None:
    """Show or hide every panel docked below the editor (one switch: View → Panels Below)."""
    for dock in bottom_docks(window):
        dock.setVisible(shown)


def default_bottom_height(window) -> None:
    docks = [d for d in bottom_docks(window) if d.isVisible()]
    if docks and not window.closing:
        # Room for a few wrapped rows of the CRM under its filters; the editor keeps the rest.
        height = max(170, window.height() * 3 // 10)
        window.resizeDocks(docks, [height] * len(docks), Qt.Orientation.Vertical)


def first_size(window) -> None:
    """The first time: the whole of a small screen (a laptop's 1366x768), most of a large one,
    centred; reopening restores what the user made of it."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    room = screen.availableGeometry()
    if room.width() <= 1440 or room.height() <= 900:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    size = QSize(room.width() * 85 // 100, room.height() * 85 // 100)
    window.resize(size)
    window.move(room.center() - window.rect().center())


def bottom_shown(window) -> bool:
    return any(d.isVisible() for d in bottom_docks(window))


def set_side_shown(window, shown: bool) -> None:
    """Collapse or reopen the tabbed panels beside the editor."""
    sizes = window.splitter.sizes()
    if shown and sizes[2] == 0:
        width = max(300, window.width() // 4)
        sizes[1] = max(200, sizes[1] - width)
        sizes[2] = width
    elif not shown and sizes[2] > 0:
        sizes[1] += sizes[2]
        sizes[2] = 0
    window.splitter.setSizes(sizes)


def side_shown(window) -> bool:
    return window.splitter.sizes()[2] > 0


# -- what reopening restores -----------------------------------------------------------------
def _key(ws_path, name: str) -> str:
    digest = hashlib.sha256(str(ws_path.resolve()).encode()).hexdigest()[:16]
    return f"place/{digest}/{name}"


def save_place(window) -> None:
    """The document, section and panel tabs the user had, per workspace."""
    s = app_settings.settings()
    nav = window.navigator
    s.setValue(_key(window.ws.path, "document"), nav.current_document_id() or 0)
    s.setValue(_key(window.ws.path, "section"), nav.current_section_id() or 0)
    s.setValue(_key(window.ws.path, "panel"), window.panels.tabText(window.panels.currentIndex()))
    raised = [
        d.objectName()
        for d in bottom_docks(window)
        if d.isVisible() and not d.visibleRegion().isEmpty()
    ]
    s.setValue(_key(window.ws.path, "docks"), raised)


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def restore_place(window) -> None:
    """Select the document and section of last time (when they still exist)."""
    from ui.navigator import DOC, SECTION

    s = app_settings.settings()
    section = _int(s.value(_key(window.ws.path, "section")))
    document = _int(s.value(_key(window.ws.path, "document")))
    if section and window.navigator.select(SECTION, section):
        return
    if document:
        window.navigator.select(DOC, document)


def restore_tabs(window) -> None:
    """After the parts are installed: the side panel tab and the raised docks of last time."""
    s = app_settings.settings()
    name = s.value(_key(window.ws.path, "panel"))
    for i in range(window.panels.count()):
        if name and window.panels.tabText(i) == name:
            window.panels.setCurrentIndex(i)
    raised = app_settings._as_list(s.value(_key(window.ws.path, "docks")))
    for dock in bottom_docks(window):
        if dock.objectName() in raised and dock.isVisible():
            dock.raise_()


class PanelTabs(QTabWidget):
    """Tabs whose minimum size is the shown page's, not the widest page's: the Search tab
    must not hold the Comments tab (and the window) wide."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        page = self.currentWidget()
        bar = self.tabBar().minimumSizeHint()
        if page is None:
            return bar
        inner = page.minimumSizeHint().expandedTo(page.minimumSize())
        return QSize(max(inner.width(), 80), inner.height() + bar.height() + 4)
