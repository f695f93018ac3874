"""The app's side: the quick check warns about damage, read-only banner, full disk while
typing keeps the text, Restore from Backup swaps the file and reopens it, backup on close."""

from __future__ import annotations

import sys

import pytest
from helpers import hold, populate, raw
from PySide6.QtCore import QSettings, QStandardPaths

from ui import messages
from ui.maintenance.install import SETTING_ON_CLOSE, install
from ui.navigator import SECTION
from workbench import sections
from workbench.maintenance import backups
from workbench.workspace import Workspace


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    QStandardPaths.setTestModeEnabled(True)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(tmp_path / "settings"))
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))
    hook = sys.excepthook
    yield
    sys.excepthook = hook


@pytest.fixture
def shown(monkeypatch) -> list[tuple[str, str, str]]:
    """Every message box the user would have seen, answered with OK."""
    seen: list[tuple[str, str, str]] = []
    monkeypatch.setattr(messages, "error", lambda p, t, x: seen.append(("error", t, x)))
    monkeypatch.setattr(messages, "info", lambda p, t, x: seen.append(("info", t, x)))
    monkeypatch.setattr(messages, "crash", lambda p, e: seen.append(("crash", "", repr(e))))
    monkeypatch.setattr(
        messages, "confirm", lambda p, t, x, ok="OK": seen.append(("confirm", t, x)) or True
    )
    return seen


def _window(qtbot, ws):
    from ui import app as ui_app
    from ui.main_window import MainWindow

    w = MainWindow(ws, reopen=ui_app.open_and_show)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _installed(qtbot, ws):
    w = _window(qtbot, ws)
    with qtbot.waitSignal(_part_signal(w, install), timeout=10000) as blocker:
        pass
    return w, w.maintenance, blocker.args[0]


def _part_signal(w, install_fn):
    w.maintenance = install_fn(w)
    return w.maintenance.check_finished


def test_menu_entries_and_a_quiet_check_on_a_sound_workspace(qtbot, ws, shown):
    populate(ws)
    w, part, report = _installed(qtbot, ws)
    names = [a.objectName() for a in w.menuBar().actions()[0].menu().actions()]
    assert {"checkWorkspace", "backUpNow", "restoreFromBackup"} <= set(names)
    assert report.ok and report.quick
    assert shown == []  # nothing to say about a sound file
    w.close()


def test_the_quick_check_after_opening_warns_that_the_file_is_damaged(qtbot, ws, shown):
    populate(ws)
    conn = raw(ws.path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET details = '{}' WHERE id = 2")
    conn.commit()
    conn.close()
    w, part, report = _installed(qtbot, ws)
    assert not report.ok
    (kind, title, text) = shown[-1]
    assert (kind, title) == ("error", "This workspace is damaged")
    assert "Audit entry 2" in text and "Restore from Backup" in text
    w.close()


def test_check_workspace_from_the_menu_reports_in_full(qtbot, ws, shown):
    populate(ws)
    w, part, _ = _installed(qtbot, ws)
    with qtbot.waitSignal(part.check_finished, timeout=10000) as blocker:
        part.check_now()
    assert blocker.args[0].ok and not blocker.args[0].quick
    assert shown[-1][0] == "info" and "audit chain   ok" in shown[-1][2]
    w.close()


def test_a_read_only_workspace_shows_a_banner_and_takes_no_close_backup(qtbot, ws_path, shown):
    with Workspace.create(ws_path) as w0:
        populate(w0)
    ws = Workspace.open(ws_path, read_only=True)
    w, part, _ = _installed(qtbot, ws)
    banner = w.findChild(type(w.save_state), "readOnlyBanner")
    assert banner is not None and "Read-only" in banner.text()
    assert w.windowTitle().endswith("(read-only)")
    assert shown[0][:2] == ("info", "Opened read-only")
    assert w.editor.body.isReadOnly() and w.editor.heading.isReadOnly()
    w.close()
    assert backups.list_backups(ws_path) == []


def test_a_full_disk_while_typing_keeps_the_text_and_says_why(qtbot, ws, shown):
    ids = populate(ws)
    w, part, _ = _installed(qtbot, ws)
    w.navigator.reload()
    w.navigator.select(SECTION, ids["s1"])

    def limit(pages_extra):
        def job(worker):
            pages = worker.db.execute("PRAGMA page_count").fetchone()[0]
            worker.db.execute(f"PRAGMA max_page_count = {pages + pages_extra}")

        w.ops.run(job)
        assert w.ops.flush()

    limit(1)
    w.editor.body.setPlainText("Patrol the transit zone. " * 5000)
    w.autosave.flush_now()
    qtbot.waitUntil(lambda: w.save_state.text().startswith("Save failed"), timeout=5000)
    assert "is full" in w.save_state.text()
    assert w.autosave.dirty
    assert w.editor.body.toPlainText().startswith("Patrol the transit zone.")
    assert sections.section(ws, ids["s1"]).body == "Stop SPSS vessels at sea."
    limit(100_000)  # space freed: the retry saves it
    assert w.autosave.flush_sync(timeout=15.0)
    assert sections.section(ws, ids["s1"]).body.startswith("Patrol the transit zone.")
    assert not [s for s in shown if s[0] == "crash"]
    w.close()


def test_restore_from_backup_swaps_the_file_and_reopens_it(qtbot, ws, shown, monkeypatch):
    from ui import app as ui_app

    monkeypatch.setattr(ui_app, "parts", lambda: [])  # only this part; others have their own tests

    ids = populate(ws)
    good = backups.take_backup(ws, "manual")
    sections.edit_section(ws, ids["s1"], body="Rewritten after the backup")
    w, part, _ = _installed(qtbot, ws)
    part.choose_backup = lambda found: next(b.path for b in found if b.path == good)
    new = part.restore()
    try:
        assert new is not None and new is not w
        assert not w.isVisible()
        assert sections.section(new.ws, ids["s1"]).body == "Stop SPSS vessels at sea."
        assert shown[-1][0] == "info" and "was restored from" in shown[-1][2]
        confirm = next(x for k, _t, x in shown if k == "confirm")
        assert "The backup is sealed by the workspace key" in confirm
        kept = [b for b in backups.list_backups(ws.path) if b.reason == "before-restore"]
        with Workspace.open(kept[0].path, read_only=True) as old:
            assert sections.section(old, ids["s1"]).body == "Rewritten after the backup"
    finally:
        if new is not None:
            qtbot.addWidget(new)
            new.close()
            if new in ui_app.windows:
                ui_app.windows.remove(new)


def test_restore_refuses_an_altered_backup_before_the_window_closes(qtbot, ws, shown, monkeypatch):
    from ui import app as ui_app

    monkeypatch.setattr(ui_app, "parts", lambda: [])
    populate(ws)
    bad = backups.take_backup(ws, "manual")
    conn = raw(bad)
    conn.execute("UPDATE comments SET type = 'A', critical_ground = NULL")
    conn.commit()
    conn.close()
    w, part, _ = _installed(qtbot, ws)
    part.choose_backup = lambda found: bad
    before = ws.path.read_bytes()
    assert part.restore() is None
    kind, _title, text = shown[-1]
    assert kind == "error" and "was changed after it was taken" in text
    assert w.isVisible() and not [k for k, _t, _x in shown if k == "confirm"]
    assert ws.path.read_bytes() == before
    w.close()


def test_an_unsigned_backup_is_restored_after_a_plain_warning(qtbot, ws, shown, monkeypatch):
    from ui import app as ui_app
    from workbench.maintenance import backup_seals

    monkeypatch.setattr(ui_app, "parts", lambda: [])
    ids = populate(ws)
    old = backups.take_backup(ws, "manual")
    backup_seals.seal_path(old).unlink()
    sections.edit_section(ws, ids["s1"], body="Rewritten after the backup")
    w, part, _ = _installed(qtbot, ws)
    part.choose_backup = lambda found: old
    new = part.restore()
    try:
        confirm = next(x for k, _t, x in shown if k == "confirm")
        assert "This backup is not signed" in confirm
        assert new is not None
        assert sections.section(new.ws, ids["s1"]).body == "Stop SPSS vessels at sea."
    finally:
        if new is not None:
            qtbot.addWidget(new)
            new.close()
            if new in ui_app.windows:
                ui_app.windows.remove(new)


def test_closing_after_changes_takes_a_backup_unless_turned_off(qtbot, ws_path, shown):
    with Workspace.create(ws_path) as w0:
        ids = populate(w0)
    ws = Workspace.open(ws_path)
    w, _, _ = _installed(qtbot, ws)
    sections.edit_section(ws, ids["s1"], body="Changed in the window")
    w.close()
    (b,) = backups.list_backups(ws_path)
    assert b.reason == "close"
    QSettings("DHS CNE", "CNE Workbench").setValue(SETTING_ON_CLOSE, False)
    ws = Workspace.open(ws_path)
    w, _, _ = _installed(qtbot, ws)
    sections.edit_section(ws, ids["s1"], body="Changed again")
    w.close()
    assert len(backups.list_backups(ws_path)) == 1


def test_a_second_window_on_a_workspace_open_elsewhere_is_told(ws_path, shown, monkeypatch):
    from ui import app as ui_app

    with Workspace.create(ws_path) as w0:
        populate(w0)
    holder = hold(ws_path)
    try:
        # Told who holds it, and offered a read-only view; declining opens nothing.
        monkeypatch.setattr(
            messages, "confirm", lambda p, t, x, ok="OK": shown.append(("confirm", t, x)) and False
        )
        assert ui_app.open_workspace(ws_path) is None
        (kind, title, text) = shown[-1]
        assert kind == "confirm" and "already open in another CNE Workbench window" in text
        assert f"process {holder.pid}" in text
        # Accepting gives a read-only workspace that refuses writes.
        monkeypatch.setattr(messages, "confirm", lambda p, t, x, ok="OK": True)
        ws = ui_app.open_workspace(ws_path)
        try:
            assert ws is not None and ws.read_only
        finally:
            ws.close()
    finally:
        holder.kill()
        holder.wait()
    with Workspace.open(ws_path) as again:  # nothing was damaged, and no stale lock remains
        assert again.schema_version > 0


def test_a_full_check_from_the_menu_is_where_the_next_opening_check_starts(qtbot, ws, shown):
    from workbench import audit
    from workbench.maintenance import opening_check

    populate(ws)
    w, part, report = _installed(qtbot, ws)
    assert report.ran == ("file", "audit chain")  # the opening check: in place, no copy
    through = opening_check.newest_audit_id(ws)
    with qtbot.waitSignal(part.check_finished, timeout=10000):
        part.check_now()
    w.ops.flush()
    (entry,) = audit.entries(ws, action_prefix=opening_check.ACTION)
    assert entry.details == {"through": through}
    w.close()


def _menu_action(w, name):
    return next(a for a in w.menuBar().actions()[0].menu().actions() if a.objectName() == name)


def test_check_against_a_packet_from_the_file_menu(qtbot, ws, shown, tmp_path):
    import json

    from workbench.exchange.packets import export_packet

    ids = populate(ws)
    packet = export_packet(ws, ids["request"], tmp_path / "uscg.cnereview")
    w, part, _ = _installed(qtbot, ws)
    part.choose_against = lambda: packet
    with qtbot.waitSignal(part.check_finished, timeout=10000) as blocker:
        _menu_action(w, "checkAgainst").trigger()
    assert blocker.args[0].ok
    assert (
        shown[-1][0] == "info"
        and "still holds the head recorded in uscg.cnereview" in (shown[-1][2])
    )
    # A packet exported from a later state of the log than this file holds: rolled back.
    later = json.loads(packet.read_text())
    later["audit_head"]["entries"] += 50
    forged = tmp_path / "later.cnereview"
    forged.write_text(json.dumps(later))
    part.choose_against = lambda: forged
    with qtbot.waitSignal(part.check_finished, timeout=10000) as blocker:
        _menu_action(w, "checkAgainst").trigger()
    assert not blocker.args[0].ok
    kind, _title, text = shown[-1]
    assert kind == "error" and "rolled back to an older copy" in text
    # The same packet with its head edited to match: the head's signature no longer holds.
    later["audit_head"]["entries"] -= 50
    later["audit_head"]["at"] = "2026-01-01T00:00:00Z"
    forged.write_text(json.dumps(later))
    with qtbot.waitSignal(part.check_finished, timeout=10000) as blocker:
        _menu_action(w, "checkAgainst").trigger()
    assert not blocker.args[0].ok
    assert "does not hold (the head was changed after it was signed)" in shown[-1][2]
    w.close()


def test_verify_pdf_from_the_file_menu(qtbot, ws, shown, tmp_path):
    from workbench import directory, documents, sections
    from workbench.authority.identity import acting_as
    from workbench.coordination import requests as rq
    from workbench.coordination.positions import record_position
    from workbench.coordination.publication import publish
    from workbench.exports import export_pdf

    directory.add_person(ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"])
    doc = documents.create_document(ws, "sop", "SLT Outreach SOP")
    sections.add_section(ws, doc, heading="Scope", body="Outreach.", equities=["CBP"])
    rid = rq.create_request(ws, doc, "CBP", send=True)
    record_position(ws, doc, "CBP", "concur", by_name="Pat Moreno", request_id=rid)
    with acting_as(ws, "Dana Reyes"):
        publish(ws, doc)
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(export_pdf(ws, doc).data)
    w, part, _ = _installed(qtbot, ws)
    part.choose_pdf = lambda: pdf
    with qtbot.waitSignal(part.verify_finished, timeout=20000) as blocker:
        _menu_action(w, "verifyPdf").trigger()
    assert blocker.args[0].exact
    assert shown[-1][:2] == ("info", "Verify PDF") and "Exactly the published" in shown[-1][2]
    # Who signed the audit head the PDF records (as Check Against… says).
    assert "Its audit head (entry " in shown[-1][2]
    assert "is sealed by the workspace key" in shown[-1][2] and "log still holds it" in shown[-1][2]
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(pdf.read_bytes() + b"\n1 0 obj\n<< >>\nendobj\n%%EOF\n")
    part.choose_pdf = lambda: edited
    with qtbot.waitSignal(part.verify_finished, timeout=20000) as blocker:
        _menu_action(w, "verifyPdf").trigger()
    assert not blocker.args[0].exact
    assert shown[-1][0] == "error" and shown[-1][2].startswith("Modified:")
    w.close()


def test_a_quiet_moment_after_changes_backs_up_in_the_background(qtbot, ws_path, monkeypatch):
    monkeypatch.setattr("ui.maintenance.idle_backup.IDLE_MS", 50)
    with Workspace.create(ws_path) as w0:
        ids = populate(w0)
    ws = Workspace.open(ws_path)
    w, part, _ = _installed(qtbot, ws)
    w.ops.run(sections.edit_section, ids["s1"], body="Changed, then left alone")
    assert w.ops.flush(10)
    # Taken once things are quiet (a copy that a late write overtook is tried again).
    idle = part.idle_backup
    qtbot.waitUntil(lambda: idle.job is not None and idle.job.taken is not None, timeout=30000)
    (b,) = backups.list_backups(ws_path)
    assert b.reason == "auto" and idle.job.taken == b.path
    w.close()  # nothing new since: closing has nothing to copy
    assert [x.path for x in backups.list_backups(ws_path)] == [b.path]
    with Workspace.open(b.path, read_only=True) as copy:
        assert sections.section(copy, ids["s1"]).body == "Changed, then left alone"
