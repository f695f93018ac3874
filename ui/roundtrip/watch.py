"""Shows what another program (the command line) wrote to the open workspace within a second."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)
POLL_MS = 700


class ExternalChanges(QObject):
    """Polls SQLite's PRAGMA data_version, which moves when any other connection commits.

    The window's own writer thread is another connection too, so the version seen when the
    window last announced a change is remembered: only commits nobody announced refresh.
    """

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._seen = self._version()
        self._announcing = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        window.workspace_changed.connect(self._announced)
        if not getattr(window.ws, "shared", False):
            # A shared workspace hears of others' commits from its server (ui.shared.changes).
            self.timer.start()

    def _version(self):
        try:
            # SQLite's PRAGMA data_version; a shared workspace's running-transaction snapshot.
            return self.window.ws.db.external_stamp()
        except Exception:  # closing, the file went away, the server is unreachable
            return None

    def _announced(self) -> None:
        if not self._announcing:
            self._seen = self._version()

    def poll(self) -> None:
        if self.window.closing or self.window.ops.pending:
            return  # the window's own write is under way; its completion refreshes
        now = self._version()
        if now is None or now == self._seen:
            return
        self._seen = now
        log.info("The workspace was changed by another program; refreshing")
        self._announcing = True
        try:
            self.window.workspace_changed.emit()
        finally:
            self._announcing = False
