"""The installed Qt binding must not leak references to None (PySide6 6.12.0 on Python 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer


def test_void_qt_calls_keep_none_alive(qapp):
    # A binding that drops a reference to None per call crashes the app after a few thousand
    # calls ("deallocating None"); a long drafting session makes millions.
    obj, timer = QObject(), QTimer()
    before = sys.getrefcount(None)
    for _ in range(2000):
        obj.setObjectName("x")
        timer.start(1000)
        timer.stop()
        qapp.processEvents()
    assert before - sys.getrefcount(None) < 100
