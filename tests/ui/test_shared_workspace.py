"""A shared workspace in the app: opening one (password from the keyring, never the settings),
others' changes within two seconds with who made them, and a merge when two saved one section."""

from __future__ import annotations

import urllib.parse

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests import pgserver
from ui.shared import install as shared_install
from ui.shared.connect import KEYRING_SERVICE, keyring_key, open_shared
from ui.shared.open_dialog import OpenSharedDialog
from workbench import documents, sections
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
