"""A file written on a thread of its own, with progress and Cancel: the PDF, Word and redline
exports share this one job, so none of them writes half a file or blocks the window."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from ui import messages
from workbench.errors import StoreError, WorkbenchError
from workbench.files import refuse_workspace_target, write_atomic

log = logging.getLogger(__name__)


class ExportJob(QObject):
    """Subclasses say what to produce; the thread, its connection, the atomic write and the
    fingerprint are here. Signals arrive on the UI thread through queued connections."""

    progress = Signal(float)
    done = Signal(object)  # what produce() returned beside the bytes
    failed = Signal(object)  # the exception
    cancelled = Signal()
    thread_name = "export"

    def __init__(self, ws, path: Path):
        super().__init__()
        self.ws, self.path = ws, path
        self.digest = ""
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)

    def produce(self, ws) -> tuple[bytes, object]:
        """The file's bytes and what `done` reports; runs on the job's thread."""
        raise NotImplementedError

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        from workbench.pdf import Cancelled

        ws = None
        try:
            ws = self.ws.for_thread()  # created here: a connection belongs to its thread
            refuse_workspace_target(self.path)
            data, result = self.produce(ws)
            if self._cancel.is_set():
                raise Cancelled("cancelled")
            write_atomic(self.path, data)
            self.digest = hashlib.sha256(data).hexdigest()
        except Cancelled:
            self.cancelled.emit()
        except BaseException as exc:
            self.failed.emit(exc)
        else:
            self.done.emit(result)
        finally:
            if ws is not None:
                ws.close()


def run_with_progress(
    window,
    job: ExportJob,
    *,
    title: str,
    label: str,
    object_name: str,
    on_done: Callable[[object], None],
    cancelled_text: str,
) -> QProgressDialog:
    """Start the job under a cancelable progress dialog; the window keeps it referenced while
    it runs (closing the window waits for it) and hears how it ended."""
    progress = QProgressDialog(label, "Cancel", 0, 100, window)
    progress.setObjectName(object_name)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.canceled.connect(job.cancel)
    queued = Qt.ConnectionType.QueuedConnection  # emitted on the export thread
    job.progress.connect(lambda f: progress.setValue(round(max(0.0, min(1.0, f)) * 100)), queued)
    path = job.path

    def finish() -> None:
        progress.canceled.disconnect(job.cancel)
        progress.close()
        progress.deleteLater()
        window.pdf_exports.remove(job)

    def done(result) -> None:
        finish()
        on_done(result)

    def failed(exc: BaseException) -> None:
        finish()
        log.warning("%s to %s failed: %s", title, path, exc, exc_info=exc)
        if isinstance(exc, WorkbenchError | StoreError | OSError):
            messages.error(window, title, f"{path.name} was not written: {exc}")
        else:
            messages.crash(window, exc)

    def cancelled() -> None:
        finish()
        window.statusBar().showMessage(cancelled_text, 10000)

    job.done.connect(done, queued)
    job.failed.connect(failed, queued)
    job.cancelled.connect(cancelled, queued)
    window.pdf_exports.append(job)  # every running export, whatever it writes
    job.start()
    return progress
