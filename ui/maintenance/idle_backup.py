"""Backups once changes rest, taken in the background: closing is left little or nothing to copy."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

from workbench.maintenance import backups

IDLE_MS = 60_000  # a minute without a change
MIN_GAP_S = 600.0  # at most one background backup every ten minutes


class IdleBackup(QObject):
    """After a minute without changes, a backup on a thread of its own if the newest one lacks
    something recorded (this session's work, or what the last closing left for later).

    A large workspace takes seconds to copy: closing, which waits at most
    backups.CLOSE_BUDGET_S, then finds it done. A change while it runs, or closing, gives
    it up; the next quiet minute tries again."""

    def __init__(self, window, keep: int):
        super().__init__(window)
        self.ws = window.ws
        self._keep = keep
        self._idle_ms = IDLE_MS
        self._min_gap_s = MIN_GAP_S
        self._last = -MIN_GAP_S
        self._started = 0.0
        self.job: backups.BackgroundBackup | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._due)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._retry_if_given_up)
        window.workspace_changed.connect(self._rest)
        # Before the closing backup's hook: a copy still running is given up, not waited for.
        self.ws.close_hooks.insert(0, self._closing)
        self._rest()  # what the last session left to back up, once this one is quiet

    def _rest(self) -> None:
        self._timer.start(self._idle_ms)

    def _due(self) -> None:
        if self.ws.closed:
            return
        job = self.job
        if job is not None and job.running():
            self._rest()
            return
        if job is not None and job.taken is not None:
            self._last = self._started  # the gap counts from a backup actually taken
        wait = self._last + self._min_gap_s - time.monotonic()
        if wait > 0:
            self._timer.start(int(wait * 1000) + 1)
            return
        self._started = time.monotonic()
        self.job = backups.BackgroundBackup(self.ws, self._keep)
        self._retry.start(self._idle_ms)

    def _retry_if_given_up(self) -> None:
        # A change during the copy (or one still being written) gave it up: try again once
        # things are quiet, without waiting for the next change.
        job = self.job
        if job is None or self.ws.closed:
            return
        if job.running():
            self._retry.start(self._idle_ms)
        elif job.given_up and not self._timer.isActive():
            self._rest()

    def _closing(self, _ws) -> None:
        self._timer.stop()
        self._retry.stop()
        if self.job is not None:
            self.job.stop()
