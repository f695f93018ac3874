"""Progress and Cancel for a batch a use-case writes on the writer thread (one step a reviewer).

The use-case calls the object as `progress(done, total, label) -> bool` from the writer
thread; the step reaches the dialog through a queued signal, and Cancel sets an event the next
call answers with False (the use-case then rolls back and removes its files).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class BatchProgress(QObject):
    moved = Signal(int, int, str)

    def __init__(
        self,
        parent: QWidget,
        *,
        title: str,
        label: str,
        total: int,
        step: Callable[[str], str] = lambda name: f"Writing the files for {name}…",
    ):
        super().__init__(parent)
        self.cancelled = threading.Event()
        self.step = step
        self.box = QProgressDialog(label, "Cancel", 0, max(1, total), parent)
        self.box.setObjectName("batchProgress")
        self.box.setWindowTitle(title)
        self.box.setWindowModality(Qt.WindowModality.WindowModal)
        self.box.setMinimumDuration(0)
        self.box.setAutoClose(False)
        self.box.setAutoReset(False)
        self.box.canceled.connect(self.cancel)
        self.moved.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self.box.setValue(0)
        self.box.show()

    def __call__(self, done: int, total: int, label: str) -> bool:
        """From the writer thread: one more step done; False once the user cancelled."""
        self.moved.emit(done, total, label)
        return not self.cancelled.is_set()

    def cancel(self) -> None:
        # The box hides itself; the use-case's error callback says how it ended.
        self.cancelled.set()

    def _show(self, done: int, total: int, label: str) -> None:
        if self.box is None or self.cancelled.is_set():
            return
        self.box.setMaximum(max(1, total))
        self.box.setValue(done)
        if label:
            self.box.setLabelText(f"{self.step(label)} ({done + 1} of {total})")

    def close(self) -> None:
        if self.box is not None:
            self.box.canceled.disconnect(self.cancel)
            self.box.close()
            self.box.deleteLater()
            self.box = None  # type: ignore[assignment]
