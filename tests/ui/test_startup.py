"""Starting the app: refusing foreign files untouched, usage errors, logging, the crash hook."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from PySide6.QtWidgets import QApplication

from ui import app
from ui import settings as app_settings


@pytest.fixture(autouse=True)
def no_windows_left():
    yield
    for w in list(app.windows):
        w.close()
    app.windows.clear()


def test_opening_a_text_file_shows_the_reason_and_writes_nothing(tmp_path, dialogs):
    path = tmp_path / "notes.cnew"
    path.write_bytes(b"Meeting notes, not a workspace.\n")
    before = path.read_bytes()
    assert app.run(["open", str(path)]) == 1
    (kind, title, text), *_ = dialogs.shown
    assert kind == "error" and title == "Cannot open workspace"
    assert str(path) in text and "not a CNE Workbench workspace" in text
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["notes.cnew"]
    assert app_settings.recent_workspaces() == []


def test_opening_a_foreign_database_leaves_it_byte_identical(tmp_path, dialogs):
    path = tmp_path / "contacts.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('USCG liaison')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert app.run(["open", str(path)]) == 1
    assert dialogs.kinds() == ["error"]
    assert "not a CNE Workbench workspace" in dialogs.shown[0][2]
    assert path.read_bytes() == before
    assert not (tmp_path / "contacts.db-wal").exists()


def test_missing_file_and_bad_usage(tmp_path, dialogs):
    assert app.run(["open", str(tmp_path / "gone.cnew")]) == 1
    assert "does not exist" in dialogs.shown[-1][2]
    assert app.run(["open"]) == 2
    assert "Usage" in dialogs.shown[-1][2]
    assert app.run(["review", "packet.cnrp"]) == 2
    assert "not available" in dialogs.shown[-1][2]


def test_open_remembers_the_workspace_and_shows_the_window(qtbot, ws, ws_path, monkeypatch):
    # exec() would block the test; the window is what matters.
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    ws.close()
    assert app.run(["open", str(ws_path)]) == 0
    (window,) = app.windows
    assert window.isVisible()
    assert window.ws.path == ws_path
    assert app_settings.last_workspace() == str(ws_path.resolve())
    assert app_settings.recent_workspaces() == [str(ws_path.resolve())]
    assert app.data_dir().joinpath("workbench.log").exists()


def test_uncaught_error_is_logged_shown_and_typing_is_retried(qtbot, ws, ws_path, dialogs):
    app.setup_logging()
    window = app.show_window(ws)
    calls = []
    window.autosave.flush_now = lambda: calls.append("flush")
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        app.excepthook(*sys.exc_info())
    assert calls == ["flush"]
    assert dialogs.shown[-1] == ("crash", "RuntimeError", "boom in a slot")
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    assert "boom in a slot" in app.data_dir().joinpath("workbench.log").read_text()
