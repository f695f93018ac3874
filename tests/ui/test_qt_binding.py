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


def test_modules_imported_after_qt_are_not_read_as_text_and_kept(tmp_path, monkeypatch):
    # PySide6 reads the source of every module imported after it (to see whether it selects
    # a __feature__) and linecache keeps it: 22 MB of a window's memory. ui turns that off.
    import linecache

    import ui  # noqa: F401

    module = tmp_path / "freshly_imported_module.py"
    module.write_text("VALUE = 1\n" + "# filler\n" * 5000)
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__("freshly_imported_module")  # the import statement's way (PySide6 hooks it)
    assert str(module) not in linecache.cache
