"""What every window needs first: the application, the log and the crash handler.

Both the main window (ui.app) and the reviewer's window (ui.review) start through `bootstrap`,
so a crash in either is logged, shown, and followed by another attempt to save typing.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

from ui import messages, theme
from ui import settings as app_settings
from workbench.coordination import workdays
from workbench.workspace import keep_schema_checks_in

log = logging.getLogger("ui")
windows: list = []  # open main windows (kept referenced so they are not collected)
_log_handler: logging.Handler | None = None


def data_dir() -> Path:
    path = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    path.mkdir(parents=True, exist_ok=True)
    return path


def setup_logging() -> Path:
    """A rotating log in the app data folder; returns its path."""
    global _log_handler
    path = data_dir() / "workbench.log"
    root = logging.getLogger()
    if _log_handler is not None:
        root.removeHandler(_log_handler)
        _log_handler.close()
    _log_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    _log_handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    root.addHandler(_log_handler)
    root.setLevel(logging.INFO)
    return path


_in_hook = False


def excepthook(exc_type, exc, tb) -> None:
    """Log any uncaught error, show it, and push pending typing to the workspace again."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("Uncaught exception\n%s", text)
    for window in list(windows):
        try:  # the edit buffer stays dirty; this just asks for another attempt
            window.autosave.flush_now()
        except Exception:
            log.exception("Retrying autosave after a crash failed")
    if _in_hook or QApplication.instance() is None:
        return  # an error while showing the dialog: logged, not shown again
    _in_hook = True
    try:
        messages.crash(windows[-1] if windows else None, exc)
    finally:
        _in_hook = False


def init_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(app_settings.ORGANIZATION)
    app.setOrganizationDomain("dhs.gov")
    app.setApplicationName(app_settings.APPLICATION)
    app.setApplicationDisplayName(app_settings.APPLICATION)
    app.setWindowIcon(theme.app_icon())
    theme.apply(app, app_settings.theme())
    # Each year's federal calendar is read from the cache after the first time, so a window
    # counts workdays without loading the holidays package (~17 MB).
    cache = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    workdays.keep_calendars_in(Path(cache) / "calendars" if cache else None)
    # And the schema each workspace version must have (built from the migrations otherwise).
    keep_schema_checks_in(Path(cache) / "schema" if cache else None)
    return app


def bootstrap() -> QApplication:
    """What every window needs first: the application, the log and the crash handler."""
    app = init_app()
    setup_logging()
    sys.excepthook = excepthook
    return app
