"""Re-reading a panel after a change without stalling typing: coalesced, and only when seen."""

from __future__ import annotations

import datetime as dt
import weakref
from collections import deque

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _Turns(QObject):
    """Runs queued reloads one per event-loop turn, so input and painting get in between.

    Several zero-delay timers expiring together would all run in the same turn: four panels
    re-read back to back after an autosave (~70 ms on a 500-section document) block typing.
    """

    def __init__(self):
        super().__init__()
        self._queue: deque[LazyReload] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next)

    def add(self, reload: LazyReload) -> None:
        if reload not in self._queue:
            self._queue.append(reload)
        self._timer.start()

    def discard(self, reload: LazyReload) -> None:
        if reload in self._queue:
            self._queue.remove(reload)

    def _next(self) -> None:
        if self._queue:
            self._queue.popleft()._run()
        if self._queue:
            self._timer.start()


def seen(widget: QWidget) -> bool:
    """On screen: shown, and not a dock tabbed behind another one (Qt keeps such a dock and
    its contents "visible", with nothing of it on screen, and shows it without a Show event)."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


_turns: _Turns | None = None
_waiting: weakref.WeakSet[LazyReload] = weakref.WeakSet()  # every reload, for drain()


def _shared_turns() -> _Turns:
    global _turns
    if _turns is None:
        _turns = _Turns()
    return _turns


class LazyReload(QObject):
    """Calls reload after delay_ms (coalescing requests) if the widget is seen, else when it is.

    Every autosave emits workspace_changed; each panel then re-reads in a turn of its own, and
    a hidden one (or a dock tabbed behind another) waits until it is painted: a dashboard
    behind the CRM's tab costs nothing at start.
    """

    def __init__(
        self,
        widget: QWidget,
        reload,
        delay_ms: int = 0,
        *,
        reader=None,
        prepare=None,
        show=None,
        pending=None,
    ):
        """With `reader`, `prepare()` (UI thread) returns `job(ws)`, run on the reader thread,
        and `show(result)` puts it on screen: the re-read after a change never blocks typing.
        A result overtaken by a synchronous reload (see `supersede`) is dropped. `pending()`,
        if given, clears what `now` made out of date while the new read runs.

        A result equal to the one shown last (compared on the reader thread, with the day, as
        a panel may show what is late) is not shown again: most writes change nothing a panel
        shows, and refilling thousands of rows and measuring their columns blocked typing."""
        super().__init__(widget)
        self._widget = widget
        self._reload = reload
        self._reader, self._prepare, self._show = reader, prepare, show
        self._pending = pending
        self._generation = 0
        self._shown: tuple | None = None  # (day, result) the panel shows, when it came from here
        self._stale = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._due)
        _waiting.add(self)
        widget.installEventFilter(self)
        self.destroyed.connect(lambda *_: _shared_turns().discard(self))

    def _due(self) -> None:
        if self._reader is not None:
            # A read off the UI thread costs this thread only asking for it (its result is
            # shown in a turn of its own when it arrives): ask now, while the window paints,
            # rather than after the turns of every panel queued before it.
            _shared_turns().discard(self)
            self._run()
        else:
            _shared_turns().add(self)

    def request(self, *_args) -> None:
        if seen(self._widget):
            self._timer.start()
        else:
            self._stale = True

    def now(self, *_args) -> None:
        """Re-read at once (the user asked for another document): nothing to coalesce.

        With a reader the read still runs off the UI thread (a document with thousands of
        comments takes a while to read); `pending` shows that the old contents are gone."""
        if seen(self._widget):
            self._timer.stop()
            _shared_turns().discard(self)
            self._stale = False
            self.supersede()
            if self._reader is None:
                self._reload()
                return
            if self._pending is not None:
                self._pending()
            self._read()
        else:
            self._stale = True
            if self._pending is not None:
                self._shown = None  # cleared: the read on show must fill it again
                self._pending()

    def supersede(self) -> None:
        """The panel re-read itself: a background read still running is out of date."""
        self._generation += 1
        self._shown = None  # what the panel shows now did not come from here

    def _run(self) -> None:
        if not seen(self._widget):  # hidden (or its window closed) since the request
            self._stale = True
            return
        self._stale = False
        if self._reader is None:
            self._reload()
            return
        self._read()

    def _read(self) -> None:
        generation = self._generation
        job, shown = self._prepare(), self._shown

        def read(ws):
            result = (dt.date.today(), job(ws))
            return _UNCHANGED if result == shown else result

        def done(result) -> None:
            if generation != self._generation:
                return
            if not seen(self._widget):  # hidden, or its window closed, meanwhile
                self._stale = True
                return
            if result is _UNCHANGED:
                return
            self._shown = result
            self._show(result[1])

        self._reader.request(f"lazy-{id(self)}", read, on_done=done, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        # The document or section went away while it was read: read again as things are now.
        from workbench.errors import NotFound

        if isinstance(exc, NotFound):
            if seen(self._widget):
                self._reload()
            else:
                self._stale = True
        else:
            raise exc

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        # A dock whose tab is chosen is painted, not shown (it never was hidden). Painting
        # again does not restart a debounce already running: it would never run out.
        if self._stale and obj is self._widget and event.type() in _SEEN_EVENTS:
            if not self._timer.isActive():
                self._timer.start()
        return False


_SEEN_EVENTS = (QEvent.Type.Show, QEvent.Type.Paint)
_UNCHANGED = object()  # a re-read found what the panel already shows


def _delayed() -> list[LazyReload]:
    """The reloads waiting out their delay (a panel whose window has gone is passed over)."""
    out = []
    for reload in list(_waiting):
        try:
            if reload._timer.isActive():
                out.append(reload)
        except RuntimeError:  # its Qt object was deleted with its widget
            _waiting.discard(reload)
    return out


def drain(timeout: float = 10.0) -> None:
    """Run every queued reload now and wait for the background reads they started (tests, and
    anything that must see the panels current)."""
    from ui.search.reader import live_readers

    turns = _shared_turns()
    QCoreApplication.sendPostedEvents()  # paint what was just shown: a panel seen reads
    for _ in range(50):
        # A reload still in its delay is queued too: on a busy machine the delay may not have
        # run out when the caller asks for current panels.
        for reload in _delayed():
            reload._timer.stop()
            turns.add(reload)
        while turns._queue:
            turns._next()
        busy = [r for r in live_readers() if not r.idle()]
        if not busy and not _delayed():
            return
        for r in busy:
            r.wait_read(timeout)
        QCoreApplication.sendPostedEvents()  # the readers' queued results
