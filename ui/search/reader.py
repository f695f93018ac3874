"""Reads off the UI thread: one reader thread with its own connection, newest request wins."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)
_live: weakref.WeakSet = weakref.WeakSet()


def live_readers() -> list[BackgroundReader]:
    """Every reader not yet closed (ui.lazy.drain waits for them)."""
    return [r for r in list(_live) if not r._closed]


class BackgroundReader(QObject):
    """Run `fn(reader_ws, *args)` on a reader thread; deliver the result on the UI thread.

    Each `key` holds at most one waiting request: a newer one replaces it, and a result that
    was overtaken by a newer request for its key is dropped, so typing never queues work.
    """

    _ready = Signal(object)

    def __init__(self, ws, parent: QObject | None = None):
        super().__init__(parent)
        self._source = ws
        self._cond = threading.Condition()
        self._waiting: dict[str, tuple] = {}
        self._serial: dict[str, int] = {}
        self._closed = False
        self.last_ms: dict[str, float] = {}
        self._busy = False
        self._undelivered = 0  # results emitted, not yet delivered on the UI thread
        self._ready.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._work, name="workbench-reader", daemon=True)
        self._thread.start()
        _live.add(self)

    def request(
        self,
        key: str,
        fn: Callable[..., Any],
        *args,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        **kwargs,
    ) -> None:
        with self._cond:
            if self._closed:
                return
            serial = self._serial.get(key, 0) + 1
            self._serial[key] = serial
            self._waiting[key] = (serial, fn, args, kwargs, on_done, on_error)
            self._cond.notify_all()

    def idle(self) -> bool:
        with self._cond:
            return not self._waiting and not self._busy and not self._undelivered

    def wait_read(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is waiting or being read (results may still be undelivered)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._waiting and not self._busy, timeout)

    def close(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._closed = True
            self._waiting.clear()
            self._cond.notify_all()
        self._thread.join(timeout)

    def _deliver(self, outcome) -> None:
        key, serial, on_done, on_error, result, exc = outcome
        with self._cond:
            self._undelivered -= 1
        if serial != self._serial.get(key):
            return  # overtaken by a newer request for the same view
        if exc is None:
            on_done(result)
        elif on_error is not None:
            on_error(exc)
        else:
            log.error("Background read failed", exc_info=exc)

    def _work(self) -> None:
        ws = None
        try:
            # Opened on this thread: a sqlite connection belongs to the thread that made it.
            ws = self._source.for_thread()
        except BaseException:
            log.exception("The reader could not open the workspace")
        while True:
            with self._cond:
                while not self._waiting and not self._closed:
                    self._cond.wait()
                if self._closed:
                    break
                key = next(iter(self._waiting))
                serial, fn, args, kwargs, on_done, on_error = self._waiting.pop(key)
                self._busy = True
            started = time.perf_counter()
            try:
                if ws is None:
                    raise RuntimeError("The workspace could not be opened for reading.")
                result, exc = fn(ws, *args, **kwargs), None
            except BaseException as e:  # delivered to the UI thread, never lost here
                result, exc = None, e
            self.last_ms[key] = (time.perf_counter() - started) * 1000
            with self._cond:
                self._undelivered += 1
            # Posted before the read counts as done: wait_read() then sendPostedEvents() delivers
            # it. Emitted after, a loaded machine could leave drain() nothing to deliver yet.
            self._ready.emit((key, serial, on_done, on_error, result, exc))
            with self._cond:
                self._busy = False
                self._cond.notify_all()
        if ws is not None:
            ws.close()
