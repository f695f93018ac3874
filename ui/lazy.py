"""Re-reading a panel after a change without stalling typing: coalesced, and only when seen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class LazyReload(QObject):
    """Calls reload after delay_ms (coalescing requests) if the widget is visible, else on show.

    Every autosave emits workspace_changed; re-reading four panels in the same turn as the
    outline would block the UI thread past 50 ms, so each panel takes its own turn and a
    hidden one waits until it is shown.
    """

    def __init__(self, widget: QWidget, reload, delay_ms: int = 0):
        super().__init__(widget)
        self._widget = widget
        self._reload = reload
        self._stale = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._run)
        widget.installEventFilter(self)

    def request(self, *_args) -> None:
        if self._widget.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def now(self, *_args) -> None:
        """Re-read at once (the user asked for another document): nothing to coalesce."""
        if self._widget.isVisible():
            self._timer.stop()
            self._run()
        else:
            self._stale = True

    def _run(self) -> None:
        if not self._widget.isVisible():  # hidden (or its window closed) since the request
            self._stale = True
            return
        self._stale = False
        self._reload()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self._widget and event.type() == QEvent.Type.Show and self._stale:
            self._timer.start()
        return False
