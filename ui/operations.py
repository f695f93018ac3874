"""The one path for core writes: a single worker thread with its own workspace connection.

Modelled on Anki's aqt/operations: the UI thread calls `ops.run(fn, *args, on_done=...)`,
the worker runs `fn(worker_ws, *args)` and the result (or the error) comes back to the UI
thread through a queued signal. Reads for display stay on the UI thread with the UI's own
connection; WAL lets them run while the worker writes.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from ui import messages
from workbench.errors import StoreError, WorkbenchError

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Job:
    fn: Callable[..., Any]
    args: tuple
    kwargs: dict
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    busy: str = ""
    started: float = field(default_factory=time.monotonic)
    # Who acts, as it stood on the UI thread when the job was queued (switching identity
    # later does not change a queued job's author).
    identity: tuple = (None, None, None)


class Operations(QObject):
    """Runs core calls off the UI thread, strictly in the order they were submitted."""

    busy_changed = Signal(bool, str)  # a long operation started / all of them ended
    job_finished = Signal(object)  # a Job that completed without error, after its callback
    _ready = Signal()

    def __init__(self, ws, parent_widget: Callable[[], QWidget | None] = lambda: None):
        super().__init__()
        self._source = ws
        self._parent_widget = parent_widget
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._results: collections.deque = collections.deque()
        self._cond = threading.Condition()
        self._pending = 0
        self._busy: list[Job] = []
        self._closed = False
        self._ready.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._work, name="workbench-writer", daemon=True)
        self._thread.start()

    # -- UI thread ---------------------------------------------------------------------------
    def run(
        self,
        fn: Callable[..., Any],
        *args,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        busy: str = "",
        **kwargs,
    ) -> Job:
        """Queue `fn(worker_ws, *args, **kwargs)`. `busy` names a long operation for the
        status bar. Without `on_error`, errors are shown (user errors as-is, others as a crash).
        """
        if self._closed:
            raise RuntimeError("The workspace is closed.")
        job = Job(fn, args, kwargs, on_done, on_error, busy)
        src = self._source
        job.identity = (
            getattr(src, "person_id", None),
            getattr(src, "actor", None),
            getattr(src, "signer", None),
        )
        with self._cond:
            self._pending += 1
        if busy:
            self._busy.append(job)
            self.busy_changed.emit(True, busy)
        self._jobs.put(job)
        return job

    @property
    def pending(self) -> int:
        with self._cond:
            return self._pending

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait for every queued job (and the jobs their callbacks queue) and deliver results.

        Returns False if work is still pending when the timeout runs out.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                self._cond.wait_for(
                    lambda: self._pending == 0, max(0.0, deadline - time.monotonic())
                )
            self._deliver()
            if self.pending == 0 and not self._results:
                return True
            if time.monotonic() >= deadline:
                return False

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Finish queued work, then stop the worker and close its connection."""
        done = self.flush(timeout)
        if not self._closed:
            self._closed = True
            self._jobs.put(None)
            self._thread.join(timeout)
        return done

    def report_error(self, exc: BaseException) -> None:
        if isinstance(exc, WorkbenchError | StoreError):
            log.info("Refused: %s", exc)
            messages.error(self._parent_widget(), "CNE Workbench", str(exc))
        else:
            messages.crash(self._parent_widget(), exc)

    def _deliver(self) -> None:
        while self._results:
            job, result, exc = self._results.popleft()
            if job in self._busy:
                self._busy.remove(job)
                if not self._busy:
                    self.busy_changed.emit(False, "")
            try:
                if exc is not None:
                    if job.on_error is not None:
                        job.on_error(exc)
                    else:
                        self.report_error(exc)
                    continue
                if job.on_done is not None:
                    job.on_done(result)
                self.job_finished.emit(job)
            except Exception as callback_exc:  # a bug in a callback must not stop delivery
                messages.crash(self._parent_widget(), callback_exc)

    # -- worker thread -----------------------------------------------------------------------
    def _work(self) -> None:
        ws = None
        opening_error: BaseException | None = None
        try:
            # Created here, on the worker thread: sqlite connections belong to one thread.
            ws = self._source.for_thread()
        except BaseException as exc:
            opening_error = exc
            log.exception("The worker could not open the workspace")
        while True:
            job = self._jobs.get()
            if job is None:
                break
            try:
                if opening_error is not None:
                    raise opening_error
                ws.person_id, actor, ws.signer = job.identity
                ws.actor = actor or ws.actor
                outcome = (job, job.fn(ws, *job.args, **job.kwargs), None)
            except BaseException as exc:
                outcome = (job, None, exc)
            elapsed = time.monotonic() - job.started
            if elapsed > 1.0:
                log.info("%s took %.1f s", getattr(job.fn, "__name__", job.fn), elapsed)
            self._results.append(outcome)
            with self._cond:
                self._pending -= 1
                self._cond.notify_all()
            self._ready.emit()
        if ws is not None:
            ws.close()
