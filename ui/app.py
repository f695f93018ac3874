"""Application start: Qt setup, logging, the crash handler, and opening a workspace."""

from __future__ import annotations

import gc
import logging
import logging.handlers
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QFileDialog

from ui import messages
from ui import settings as app_settings
from workbench.errors import AlteredWorkspace, DamagedWorkspace, StoreError, WorkspaceInUse
from workbench.workspace import WORKSPACE_SUFFIX, ServerAddress, Workspace, is_server

log = logging.getLogger("ui")
FILE_FILTER = f"CNE Workbench workspaces (*{WORKSPACE_SUFFIX});;All files (*)"
PACKET_SUFFIX = ".cnereview"
# From a window, File → Open also takes a review packet (it opens in review mode).
OPEN_FILTER = (
    f"Workspaces and review packets (*{WORKSPACE_SUFFIX} *{PACKET_SUFFIX});;"
    f"CNE Workbench workspaces (*{WORKSPACE_SUFFIX});;Review packets (*{PACKET_SUFFIX});;"
    "All files (*)"
)
USAGE = "Usage: workbench [open PATH]"


def parts() -> list[tuple[ModuleType, str]]:
    """The parts that hook into the main window through its public API: each module's
    install(window), and the window attribute that keeps what it returns.

    Imported by name here, not by string, so that a freezer bundles them and a missing part is
    an ImportError rather than a menu that silently is not there. Imported on first call (after
    the window's first paint): they cost a few hundred milliseconds.
    """
    from ui import insert_menu, solicitation
    from ui.authority import install as authority
    from ui.coordination import install as coordination
    from ui.dashboard import install as dashboard
    from ui.maintenance import install as maintenance
    from ui.roundtrip import install as roundtrip
    from ui.search import install as search
    from ui.shared import install as shared

    return [
        (coordination, "coordination"),
        (search, "search"),
        (maintenance, "maintenance"),
        (dashboard, "dashboard"),
        (solicitation, "solicitation"),
        (roundtrip, "roundtrip"),
        (authority, "authority"),
        (insert_menu, "insert_actions"),
        (shared, "shared"),
    ]


PARTS_FALLBACK_MS = 500  # parts of a window that is never painted (minimized) still load

# One bootstrap for both windows lives in ui.bootstrap (the review window uses it without
# importing this module); re-exported here for the main window's callers.
from ui.bootstrap import (  # noqa: E402,F401
    bootstrap,
    data_dir,
    excepthook,
    init_app,
    setup_logging,
    windows,
)


def open_workspace(path: str | Path, parent=None) -> Workspace | None:
    """Open a workspace file, or explain why not (nothing is written to a refused file).
    A postgresql:// address opens a shared workspace (its password from the keyring)."""
    if is_server(path):
        from ui.shared.connect import open_shared

        address = path if isinstance(path, ServerAddress) else ServerAddress(str(path))
        return open_shared(address, parent)
    try:
        ws = Workspace.open(path)
    except WorkspaceInUse as exc:
        if not messages.confirm(
            parent,
            "Workspace already open",
            f"{exc}\n\nOpen a read-only view instead?",
            ok="Open read-only",
        ):
            return None
        return open_read_only(path, parent)
    except DamagedWorkspace as exc:
        log.warning("Could not open %s: %s", path, exc)
        from ui.maintenance.recovery import offer_restore

        return offer_restore(path, str(exc), parent, altered=isinstance(exc, AlteredWorkspace))
    except StoreError as exc:
        log.warning("Could not open %s: %s", path, exc)
        messages.error(parent, "Cannot open workspace", str(exc))
        return None
    if ws.migrated_backup:
        messages.info(
            parent,
            "Workspace updated",
            f"{path} was updated to this version of CNE Workbench.\n\n"
            f"A copy of the old file was kept at {ws.migrated_backup}.",
        )
    return ws


def open_read_only(path: str | Path, parent=None) -> Workspace | None:
    try:
        return Workspace.open(path, read_only=True)
    except StoreError as exc:
        messages.error(parent, "Cannot open workspace", str(exc))
        return None


def create_workspace(path: str | Path, *, demo: bool = False, parent=None) -> Workspace | None:
    path = Path(path)
    if path.suffix != WORKSPACE_SUFFIX:
        path = path.with_name(path.name + WORKSPACE_SUFFIX)
    if path.exists():
        messages.error(
            parent,
            "Cannot create workspace",
            f"{path} already exists; choose another name or open it instead.",
        )
        return None
    try:
        if demo:
            from workbench import demo as demo_module

            demo_module.write_demo(path)
            return open_workspace(path, parent)
        return Workspace.create(path)
    except (OSError, StoreError) as exc:
        messages.error(parent, "Cannot create workspace", f"{path}: {exc}")
        return None


def open_and_show(path: str | Path):
    """Open a workspace in a window of its own; None (the reason shown) if it cannot be."""
    ws = open_workspace(path)
    return None if ws is None else show_window(ws)


def show_window(ws: Workspace):
    from ui import window_layout
    from ui.main_window import MainWindow

    window = MainWindow(ws, opener=lambda p: _open_from_window(window, p), reopen=open_and_show)
    windows.append(window)
    window.destroyed.connect(lambda *_: windows.remove(window) if window in windows else None)
    app_settings.remember_workspace(ws.path)
    if not app_settings.settings().contains("window/geometry"):
        window_layout.first_size(window)  # the first time; later the size the user left
    window.show()
    # The parts cost a few hundred milliseconds of imports and reads: paint the window first.
    _AfterFirstPaint(window, lambda: install_parts(window))
    log.info("Opened %s", ws.path)
    return window


def install_parts(window) -> None:
    """Install every part into the window (once), then restore its dock layout."""
    if window.parts_installed or window.closing:
        return
    for module, attribute in parts():
        setattr(window, attribute, module.install(window))
    window.finish_parts()
    # Everything alive now (Qt wrappers, the loaded modules, the first reads) lives as long as
    # the window; without this, each full garbage collection re-scans it all and stalls
    # typing for 50-80 ms on a large workspace.
    gc.freeze()


class _AfterFirstPaint(QObject):
    """Calls `fn` on the event-loop turn after the window's first paint."""

    def __init__(self, window, fn):
        super().__init__(window)
        self._window, self._fn = window, fn
        window.installEventFilter(self)
        QTimer.singleShot(PARTS_FALLBACK_MS, self, self._fire)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint and self._fn is not None:
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        if self._fn is None:
            return
        fn, self._fn = self._fn, None
        self._window.removeEventFilter(self)
        fn()


def _ask_path(choice: str, parent=None, file_filter: str = FILE_FILTER) -> Path | None:
    start = str(Path.home())
    if choice == "open":
        path, _ = QFileDialog.getOpenFileName(parent, "Open workspace", start, file_filter)
    else:
        title = "Create demo workspace" if choice == "demo" else "New workspace"
        name = "demo" if choice == "demo" else "workspace"
        path, _ = QFileDialog.getSaveFileName(
            parent, title, str(Path(start) / f"{name}{WORKSPACE_SUFFIX}"), FILE_FILTER
        )
    return Path(path) if path else None


def workspace_for_choice(choice: str, parent=None) -> Workspace | None:
    path = _ask_path(choice, parent)
    if path is None:
        return None
    if choice == "open":
        return open_workspace(path, parent)
    return create_workspace(path, demo=choice == "demo", parent=parent)


def _open_from_window(window, path: str | None) -> None:
    if path == "new":
        ws = workspace_for_choice("new", window)
    elif path is not None and is_server(path):
        ws = open_workspace(path, window)  # a shared workspace from Open Recent
    else:
        chosen = _ask_path("open", window, OPEN_FILTER) if path is None else Path(path)
        if chosen is None:
            return
        if chosen.suffix.lower() == PACKET_SUFFIX:
            from ui.review import open_packet

            open_packet(chosen, parent=window)  # beside the workspace, which stays open
            return
        ws = open_workspace(chosen, window)
    if ws is None:
        return
    if ws.path.resolve() == window.ws.path.resolve():
        ws.close()  # already open here
        return
    show_window(ws)
    window.close()


def run(argv: list[str]) -> int:
    app = bootstrap()
    log.info("Starting with %s", argv)
    if argv and argv[0] == "review":
        from ui.review import run as review  # the reviewer's window needs no workspace

        return review(argv)
    if argv and argv[0] == "open":
        if len(argv) != 2:
            messages.error(None, "CNE Workbench", USAGE)
            return 2
        ws = open_workspace(argv[1])
    elif argv:
        messages.error(None, "CNE Workbench", USAGE)
        return 2
    else:
        ws = None
        last = app_settings.last_workspace()
        if last and (is_server(last) or Path(last).exists()):
            ws = open_workspace(last)
        while ws is None:
            from ui.start_dialog import StartDialog

            choice = StartDialog.get_choice()
            if choice is None:
                return 0
            ws = workspace_for_choice(choice)
    if ws is None:
        return 1
    show_window(ws)
    return app.exec()
