"""Every control of the full window, and every table header, has an accessible name."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui import accessibility
from ui.navigator import SECTION
from workbench import documents, sections


def test_every_control_and_header_is_named(qtbot, tmp_path):
    from tests.ui.test_window_layout import open_window
    from workbench import demo

    window = open_window(qtbot, demo.write_demo(tmp_path / "demo.cnew"))
    doc = next(d for d in documents.list_documents(window.ws) if "Self-Propelled" in d.title)
    window.navigator.select(SECTION, sections.outline(window.ws, doc.id)[1].id)
    qtbot.wait(50)
    unnamed = [
        (type(w).__name__, w.objectName(), w.parentWidget().objectName())
        for w in window.findChildren(QWidget)
        if accessibility.is_control(w) and not accessibility.spoken_name(w)
    ]
    assert unnamed == [], unnamed
    headers = [h for h in window.findChildren(accessibility.QHeaderView) if h.isVisible()]
    assert headers and all(h.accessibleName().endswith("column headers") for h in headers)
    window.close()
