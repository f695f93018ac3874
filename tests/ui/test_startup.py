"""Starting the app: refusing foreign files untouched, usage errors, logging, the crash hook."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui import app
from ui import settings as app_settings
from workbench import demo as demo_module
from workbench.workspace import Workspace


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
    dialogs.expect_crash()
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


def test_start_dialog_choices_create_a_new_or_a_demo_workspace(qtbot, tmp_path, monkeypatch):
    from ui.start_dialog import StartDialog
    from workbench import documents

    dialog = StartDialog()
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.buttons["demo"], Qt.MouseButton.LeftButton)
    assert dialog.choice == "demo" and dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(app, "_ask_path", lambda choice, parent=None: tmp_path / choice)
    written = []

    def write_demo(path):  # the real one builds the full demo; here: what the app does with it
        written.append(path)
        with Workspace.create(path) as w:
            for title in ("Doctrine", "Strategy", "Report"):
                documents.create_document(w, "strategy", title)

    monkeypatch.setattr(demo_module, "write_demo", write_demo)
    new = app.workspace_for_choice("new")
    assert new.path == tmp_path / "new.cnew"
    assert documents.list_documents(new) == []
    new.close()
    demo = app.workspace_for_choice("demo")
    assert written == [tmp_path / "demo.cnew"]
    assert demo.path == tmp_path / "demo.cnew"
    assert len(documents.list_documents(demo)) == 3
    demo.close()


def test_creating_over_an_existing_file_is_refused(tmp_path, dialogs):
    existing = tmp_path / "keep.cnew"
    existing.write_bytes(b"precious")
    assert app.create_workspace(existing) is None
    assert "already exists" in dialogs.shown[-1][2]
    assert existing.read_bytes() == b"precious"


def test_file_new_workspace_opens_an_empty_workspace_in_place_of_this_one(
    qtbot, ws, tmp_path, monkeypatch, dialogs
):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence

    target = tmp_path / "my office"
    monkeypatch.setattr(
        app.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "workspaces")
    )
    window = app.show_window(ws)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    (action,) = [a for a in window.findChildren(QAction) if a.text() == "&New Workspace…"]
    assert (
        action.shortcut().matches(QKeySequence("Ctrl+N")) == QKeySequence.SequenceMatch.ExactMatch
    )
    window.activateWindow()
    qtbot.waitUntil(lambda: window.focusWidget() is not None)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(w.ws.path.name == "my office.cnew" for w in app.windows))
    (new,) = [w for w in app.windows if w.ws.path.name == "my office.cnew"]
    qtbot.addWidget(new)
    assert (tmp_path / "my office.cnew").exists()
    assert dialogs.shown == []
    new.close()


def test_the_parts_leave_their_dialogs_and_packet_writers_unloaded_until_used():
    # Every part is imported right after the first paint; what only a dialog or a menu
    # command needs is loaded when that is used, so the window is settled sooner.
    code = (
        "import sys; from ui import app; app.parts(); "
        "print(sorted(m for m in sys.modules if m in {"
        "'workbench.exchange.solicit', 'workbench.exchange.request_files', "
        "'ui.authority.identity_dialog', 'ui.authority.chains_dialog', "
        "'ui.authority.key_dialog', 'ui.authority.log_viewer', "
        "'ui.authority.trust_roots_dialog'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
