"""A shared workspace in the app: opening one (password from the keyring, never the settings),
others' changes within two seconds with who made them, and a merge when two saved one section."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox

from tests import pgserver
from ui.authority import install as authority_install
from ui.shared import install as shared_install
from ui.shared.connect import KEYRING_SERVICE, keyring_key, open_shared
from ui.shared.open_dialog import OpenSharedDialog
from workbench import documents, figures, sections
from workbench.workspace import ServerAddress, Workspace


class MemoryKeyring(KeyringBackend):
    """The system keyring, for a test: passwords kept in this object only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self):
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def shared_url(pg_databases):
    url = pg_databases.workspace()
    yield url
    pg_databases.release(url)


@pytest.fixture
def shared_window(qtbot, shared_url, clock):
    from ui.main_window import MainWindow

    ws = Workspace.open(shared_url, actor="Analyst One")
    ws.clock = clock
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    # The parts the shared one builds on, in the app's order (ui.app): its Authority menu.
    authority_install.install(window)
    window.shared = shared_install.install(window)
    yield window
    window.close()


def _as(url: str, login: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(netloc=login + "@"))


def test_others_changes_show_within_two_seconds_with_who_made_them(qtbot, shared_window):
    window = shared_window
    doc = documents.create_document(window.ws, "strategy", "Shared Strategy")
    sid = sections.add_section(window.ws, doc, heading="Maritime", body="Cutters patrol.")
    window.workspace_changed.emit()
    window.navigator.select("section", sid)
    qtbot.waitUntil(lambda: window.editor.body.toPlainText() == "Cutters patrol.")
    qtbot.waitUntil(lambda: len(window.shared.changes.own_pids) == 2, timeout=5000)
    other = Workspace.open(str(window.ws.path), actor="Avery Lin")
    try:
        sections.edit_section(other, sid, body="Cutters and aircraft patrol.")
    finally:
        other.close()
    qtbot.waitUntil(
        lambda: window.editor.body.toPlainText() == "Cutters and aircraft patrol.", timeout=2000
    )
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Avery Lin edited section {sid} at "), message
    # The window's own saves are not announced to it as someone else's.
    window.shared.seen.clear()
    window.editor.body.setPlainText("Cutters, aircraft and drones patrol.")
    window.autosave.flush_now()
    window.ops.flush()
    qtbot.wait(800)
    assert window.shared.seen == []


def test_two_saves_of_one_section_end_in_a_merge_and_nothing_is_lost(qtbot, shared_window, clock):
    window = shared_window
    doc = documents.create_document(window.ws, "strategy", "Shared Strategy")
    sid = sections.add_section(window.ws, doc, heading="Maritime", body="Cutters patrol.")
    window.workspace_changed.emit()
    window.navigator.select("section", sid)
    qtbot.waitUntil(lambda: window.editor.body.toPlainText() == "Cutters patrol.")
    window.editor.body.setFocus()
    window.editor.body.moveCursor(window.editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor.body, " At night.")
    other = Workspace.open(str(window.ws.path), actor="Avery Lin")
    other.clock = clock
    try:
        sections.edit_section(other, sid, body="Cutters and aircraft patrol.")
    finally:
        other.close()
    window.autosave.flush_now()
    window.ops.flush()
    qtbot.waitUntil(lambda: window.shared.merge_dialog is not None, timeout=3000)
    dialog = window.shared.merge_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert str(dialog.conflict).startswith("Avery Lin changed this section at ")
    assert dialog.their_body.toPlainText() == "Cutters and aircraft patrol."
    assert dialog.your_body.toPlainText() == "Cutters patrol. At night."
    assert sections.section(window.ws, sid).body == "Cutters and aircraft patrol."
    assert "merge to save" in window.save_state.text()
    dialog.your_body.selectAll()
    qtbot.keyClicks(dialog.your_body, "Cutters and aircraft patrol at night.")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    window.ops.flush()
    qtbot.waitUntil(
        lambda: sections.section(window.ws, sid).body == "Cutters and aircraft patrol at night."
    )
    assert window.autosave.conflicts() == [] and not window.autosave.dirty


def test_the_open_dialog_builds_the_address_and_the_keyring_keeps_the_password(
    qtbot, pg_databases, shared_url, memory_keyring, tmp_path
):
    login = pgserver.PASSWORD_ROLE
    admin = Workspace.open(shared_url)
    try:
        admin.db.execute(
            f"DO $$ BEGIN CREATE ROLE {login} LOGIN PASSWORD 's3cret-pw'; "
            f"EXCEPTION WHEN duplicate_object THEN ALTER ROLE {login} PASSWORD 's3cret-pw'; END $$"
        )
        from db import pg_roles

        pg_roles.grant_login(admin.db, login, "analyst")
    finally:
        admin.close()
    parts = urllib.parse.urlsplit(shared_url)
    socket = urllib.parse.parse_qs(parts.query)["host"][0]
    dialog = OpenSharedDialog(None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.host, socket)
    qtbot.keyClicks(dialog.database, parts.path.lstrip("/"))
    dialog.user.clear()
    qtbot.keyClicks(dialog.user, login)
    open_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Open)
    assert open_button.isEnabled()
    address, password, remember = dialog.result_address()
    assert password is None and remember and address.user == login
    assert address.dbname == parts.path.lstrip("/") and address.host == socket
    # No password anywhere yet: the server refuses, the dialog asks; typed and remembered.
    asked = []

    def answer(self):
        asked.append(self.problem.text())
        self.password.setText("s3cret-pw")
        return True

    from ui.shared import open_dialog

    original = open_dialog.OpenSharedDialog.exec
    open_dialog.OpenSharedDialog.exec = answer
    try:
        ws = open_shared(address)
    finally:
        open_dialog.OpenSharedDialog.exec = original
    assert ws is not None and len(asked) == 1
    try:
        assert not ws.read_only
    finally:
        ws.close()
    key = keyring_key(address)
    assert memory_keyring.passwords == {(KEYRING_SERVICE, key): "s3cret-pw"}
    # Next time the keyring answers: no dialog at all; and the settings never hold it.
    again = ServerAddress(str(address))
    assert again.password is None and "s3cret" not in str(again)
    ws = open_shared(again, ask=False)
    assert ws is not None
    ws.close()
    for f in (tmp_path / "settings").rglob("*"):
        if f.is_file():
            assert b"s3cret" not in f.read_bytes()


def _menu_action(window, menu_title: str, name: str):
    """The action as the user finds it: in its menu on the menu bar."""
    from PySide6.QtGui import QAction

    menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == menu_title
    )
    found = [a for a in menu.actions() if a.objectName() == name]
    assert found, f"{name} is not in the {menu_title} menu"
    assert isinstance(found[0], QAction) and found[0].isEnabled()
    return found[0]


@pytest.fixture
def offline_office(shared_window):
    from workbench import directory
    from workbench.authority import identity

    ws = shared_window.ws
    directory.add_person(ws, "Avery Lin", organization="CNE", roles=["analyst"])
    directory.add_person(ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"])
    identity.act_as(ws, "Avery Lin")
    doc = documents.create_document(ws, "strategy", "Shared Strategy")
    sid = sections.add_section(ws, doc, heading="Maritime", body="Cutters patrol.")
    other = documents.create_document(ws, "sop", "Outreach SOP")
    osid = sections.add_section(ws, other, heading="Scope", body="Outreach.")
    shared_window.workspace_changed.emit()
    return {"doc": doc, "sid": sid, "other": other, "osid": osid}


def _take_offline(qtbot, window, sid, out, monkeypatch, dialogs, days=None, seen=None):
    """Document → Take Offline…, answering its dialog with the keyboard: the copy's file
    chosen with Browse…, and (given) the lease typed in days."""
    from PySide6.QtWidgets import QFileDialog

    from ui.shared.take_offline_dialog import TakeOfflineDialog

    window.navigator.select("section", sid)
    qtbot.waitUntil(lambda: window.editor.section_id == sid)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))

    def answer(dialog):
        qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
        assert dialog.path.text() == str(out)
        if days is not None:
            dialog.days.setFocus()
            dialog.days.selectAll()
            qtbot.keyClicks(dialog.days, str(days))
            assert dialog.days.value() == days
        if seen is not None:
            seen.append((dialog.windowTitle(), dialog.until.text()))
            dialog.show()
            dialog.grab().save(str(out.with_name("take-offline-dialog.png")))
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(TakeOfflineDialog, "exec", answer)
    _menu_action(window, "Document", "takeOffline").trigger()
    window.ops.flush()
    qtbot.waitUntil(lambda: "Taken offline" in [t for _, t, _ in dialogs.shown])


def test_take_offline_work_in_the_copy_and_bring_it_back_from_the_menus(
    qtbot, shared_window, offline_office, tmp_path, monkeypatch, dialogs
):
    from PySide6.QtWidgets import QFileDialog

    from ui.main_window import MainWindow
    from workbench.authority import identity

    window, sid = shared_window, offline_office["sid"]
    out = tmp_path / "maritime.cnew"
    _take_offline(qtbot, window, sid, out, monkeypatch, dialogs)
    assert out.exists()
    # Here it is read-only, saying who has it and since when; other documents are not.
    qtbot.waitUntil(lambda: window.shared.offline.banner.isVisible())
    assert window.shared.offline.banner.text().startswith(
        "Shared Strategy: Avery Lin has it offline since "
    )
    assert window.editor.body.isReadOnly() and window.editor.heading.isReadOnly()
    # A snapshot would change it: not offered; the holder may bring it back from the bar.
    assert not window.history.snapshot_button.isEnabled()
    assert window.shared.offline.bring_back_button.isVisible()
    window.grab().save(str(tmp_path / "shared-offline.png"))
    window.navigator.select("section", offline_office["osid"])
    qtbot.waitUntil(lambda: window.editor.section_id == offline_office["osid"])
    qtbot.waitUntil(lambda: not window.shared.offline.banner.isVisible())
    assert not window.editor.body.isReadOnly()
    assert window.history.snapshot_button.isEnabled()

    # On the laptop: the copy is a workspace file; its document is the one that can change.
    copy_ws = Workspace.open(out, actor="Analyst One")
    identity.act_as(copy_ws, "Avery Lin")
    laptop = MainWindow(copy_ws)
    qtbot.addWidget(laptop)
    laptop.resize(1200, 800)
    laptop.show()
    qtbot.waitExposed(laptop)
    laptop.shared = shared_install.install(laptop)
    # The copy holds that document only (and what it refers to), not the whole workspace.
    (only,) = laptop.navigator.find_documents("")
    assert only.text(0).startswith("Shared Strategy")
    laptop.navigator.select("section", sid)
    qtbot.waitUntil(lambda: laptop.editor.section_id == sid)
    qtbot.waitUntil(lambda: laptop.shared.offline.banner.text().startswith("Offline copy of "))
    assert not laptop.editor.body.isReadOnly()
    laptop.editor.body.moveCursor(laptop.editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(laptop.editor.body, " Aircraft too.")
    assert laptop.autosave.flush_sync(), laptop.autosave.state
    # A figure inserted offline (Insert → Figure…) is the document's too.
    from PySide6.QtCore import QTimer

    from tests.ui.test_insert_menu import png
    from ui import insert_menu

    insert_menu.install(laptop)
    laptop.editor.body.moveCursor(laptop.editor.body.textCursor().MoveOperation.End)

    def insert_figure():
        dialog = laptop.figure_dialog
        dialog.load_file(png(tmp_path))
        qtbot.keyClicks(dialog.alt, "Patrol areas")
        qtbot.keyClicks(dialog.caption, "Where cutters patrol")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, insert_figure)
    laptop.findChild(QAction, "insertFigure").trigger()
    laptop.ops.flush()
    qtbot.waitUntil(lambda: "figure:" in laptop.editor.body.toPlainText())
    assert laptop.autosave.flush_sync(), laptop.autosave.state
    laptop.ops.flush()
    assert not [d for d in dialogs.shown if d[0] == "error"], dialogs.shown
    qtbot.wait(200)  # the layout settles around the banner's wrapped lines
    laptop.grab().save(str(tmp_path / "laptop-offline.png"))
    # Bring Back in the copy says where to do it instead.
    _menu_action(laptop, "File", "bringBack").trigger()
    assert (
        dialogs.shown[-1][1] == "Bring Back" and "This is the offline copy" in dialogs.shown[-1][2]
    )
    laptop.close()
    copy_ws.close()

    # Back at the office: Bring Back… (the bar's button, as File → Bring Back…) replays the
    # change as Avery Lin.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    window.navigator.select("section", sid)
    qtbot.waitUntil(lambda: window.shared.offline.bring_back_button.isVisible())
    qtbot.mouseClick(window.shared.offline.bring_back_button, Qt.MouseButton.LeftButton)
    window.ops.flush()
    qtbot.waitUntil(lambda: ("info", "Brought back") in [(k, t) for k, t, _ in dialogs.shown])
    assert dialogs.shown[-1][2] == "Brought back: 1 section changed, 1 figure added."
    (figure,) = figures.list_figures(window.ws, offline_office["doc"])
    assert figure.alt == "Patrol areas"
    text = "Cutters patrol. Aircraft too."
    expected = f'{text}\n\n![Patrol areas](figure:{figure.id} "Where cutters patrol")\n\n'
    assert sections.section(window.ws, sid).body == expected
    window.navigator.select("section", sid)
    qtbot.waitUntil(lambda: window.editor.section_id == sid)
    qtbot.waitUntil(lambda: window.editor.body.toPlainText() == expected)
    qtbot.waitUntil(lambda: not window.editor.body.isReadOnly())
    qtbot.waitUntil(lambda: not window.shared.offline.banner.isVisible())
    # The same copy again: one line, nothing changes.
    _menu_action(window, "File", "bringBack").trigger()
    window.ops.flush()
    qtbot.waitUntil(lambda: dialogs.shown[-1][0] == "error")
    assert "already brought back" in dialogs.shown[-1][2] and "\n" not in dialogs.shown[-1][2]


def test_the_director_breaks_the_lease_from_the_authority_menu(
    qtbot, shared_window, offline_office, tmp_path, monkeypatch, dialogs
):
    from workbench import offline
    from workbench.authority import identity

    window, sid = shared_window, offline_office["sid"]
    _take_offline(qtbot, window, sid, tmp_path / "out.cnew", monkeypatch, dialogs)
    qtbot.waitUntil(lambda: window.editor.body.isReadOnly())
    # Avery may not break it: told so before being asked why.
    _menu_action(window, "Authority", "breakLease").trigger()
    assert dialogs.shown[-1][0] == "error" and "Only the Director" in dialogs.shown[-1][2]
    assert "ask" not in dialogs.kinds()
    identity.act_as(window.ws, "Dana Reyes")
    dialogs.text_answers = ["Avery is on leave; the draft is due Friday."]
    _menu_action(window, "Authority", "breakLease").trigger()
    window.ops.flush()
    asked = [s for s in dialogs.shown if s[0] == "ask"][-1]
    assert asked[1] == "Break Offline Lease" and "Avery Lin has it offline since" in asked[2]
    assert "your decision (unsigned)" in asked[2]
    qtbot.waitUntil(lambda: ("info", "Lease broken") in [(k, t) for k, t, _ in dialogs.shown])
    qtbot.waitUntil(lambda: offline.checkout(window.ws, offline_office["doc"]) is None)
    qtbot.waitUntil(lambda: not window.editor.body.isReadOnly())
    qtbot.waitUntil(lambda: not window.shared.offline.banner.isVisible())


def test_the_lease_is_chosen_in_the_dialog_and_an_expired_one_shows_and_can_be_broken(
    qtbot, shared_window, offline_office, tmp_path, monkeypatch, dialogs, clock
):
    from workbench import offline
    from workbench.authority import identity

    window, sid, doc = shared_window, offline_office["sid"], offline_office["doc"]
    seen: list = []
    _take_offline(qtbot, window, sid, tmp_path / "out.cnew", monkeypatch, dialogs, 3, seen)
    # 2 Nov 09:00 UTC and three days: the dialog said when, and the check-out holds it.
    assert seen[0][0] == "Take Shared Strategy Offline"
    ends = dt.datetime(2026, 11, 5, 9, 0, tzinfo=dt.UTC).astimezone()  # shown in local time
    assert seen[0][1] == f"until {ends:%A %d %B %Y, %H:%M}"
    assert offline.checkout(window.ws, doc).lease_until == "2026-11-05T09:00:00Z"
    assert "lease until 05 Nov 2026" in dialogs.shown[-1][2]
    banner = window.shared.offline.banner
    qtbot.waitUntil(lambda: banner.isVisible())
    assert "(lease until 05 Nov 2026)" in banner.text()
    assert not window.shared.offline.break_button.isVisible()
    row = window.navigator.item_for("document", doc)
    assert row.text(0) == "Shared Strategy — offline"
    assert "Avery Lin has it offline since" in row.toolTip(0)

    # Four days on, the lease has run out: the header says so, and so does the navigator.
    clock.advance(days=4)
    window.workspace_changed.emit()
    expired = "Shared Strategy: checked out to Avery Lin since 02 Nov "
    qtbot.waitUntil(lambda: banner.text().startswith(expired))
    assert "— lease expired on 05 Nov 2026" in banner.text()
    assert window.editor.body.isReadOnly()
    qtbot.waitUntil(lambda: row.text(0) == "Shared Strategy — lease expired")
    assert "Checked out to Avery Lin since 02 Nov" in row.toolTip(0)
    assert "lease expired on 05 Nov 2026" in row.toolTip(0)
    # Avery is not the Director: no Break Lease beside it.
    assert not window.shared.offline.break_button.isVisible()
    qtbot.wait(100)
    window.grab().save(str(tmp_path / "expired-lease.png"))
    # The Director sees Break Lease… there, and it asks why before breaking it.
    identity.act_as(window.ws, "Dana Reyes")
    window.workspace_changed.emit()
    button = window.shared.offline.break_button
    qtbot.waitUntil(lambda: button.isVisible())
    assert not window.shared.offline.bring_back_button.isVisible()  # not hers to bring back
    qtbot.wait(100)
    window.grab().save(str(tmp_path / "expired-lease-director.png"))
    dialogs.text_answers = ["The lease ran out and the draft is due."]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    window.ops.flush()
    asked = [s for s in dialogs.shown if s[0] == "ask"][-1]
    assert "checked out to Avery Lin since" in asked[2] and "lease expired on" in asked[2]
    qtbot.waitUntil(lambda: ("info", "Lease broken") in [(k, t) for k, t, _ in dialogs.shown])
    assert offline.checkout(window.ws, doc) is None
    qtbot.waitUntil(lambda: not banner.isVisible())
    qtbot.waitUntil(lambda: row.text(0) == "Shared Strategy")
    qtbot.waitUntil(lambda: not window.editor.body.isReadOnly())


def test_a_take_offline_that_fails_in_the_app_says_so_and_leaves_no_file(
    qtbot, shared_window, offline_office, tmp_path, monkeypatch, dialogs
):
    from PySide6.QtWidgets import QFileDialog

    from ui.shared.take_offline_dialog import TakeOfflineDialog
    from workbench import offline
    from workbench.errors import WorkbenchError

    window, sid = shared_window, offline_office["sid"]
    out = tmp_path / "laptop" / "out.cnew"
    out.parent.mkdir()
    real_mark = offline._mark_copy

    def written_then_lost(dest, token, source):
        real_mark(dest, token, source)
        raise WorkbenchError("The connection to the server was lost; nothing was saved.")

    monkeypatch.setattr(offline, "_mark_copy", written_then_lost)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))

    def answer(dialog):
        qtbot.mouseClick(dialog.browse, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(TakeOfflineDialog, "exec", answer)
    window.navigator.select("section", sid)
    qtbot.waitUntil(lambda: window.editor.section_id == sid)
    _menu_action(window, "Document", "takeOffline").trigger()
    window.ops.flush()
    qtbot.waitUntil(lambda: dialogs.shown and dialogs.shown[-1][0] == "error")
    assert "connection to the server was lost" in dialogs.shown[-1][2]
    assert list(out.parent.iterdir()) == []
    assert offline.checkout(window.ws, offline_office["doc"]) is None
    assert not window.shared.offline.banner.isVisible() and not window.editor.body.isReadOnly()


def test_the_status_bar_names_a_shared_workspace_once_not_by_its_escaped_address(shared_window):
    from PySide6.QtWidgets import QLabel

    bar = shared_window.statusBar()
    shown = [w.text() for w in bar.findChildren(QLabel) if w.isVisible() and w.text()]
    name = shared_window.ws.path.name
    assert [t for t in shown if name in t] == [f"Shared: {name}"], shown
    assert not [t for t in shown if "%2F" in t or "postgresql://" in t], shown
    assert str(shared_window.ws.path) in shared_window.shared.label.toolTip()  # on demand
