"""Opening a really damaged workspace offers the newest backup that passes the check."""

from __future__ import annotations

import sqlite3

from ui import app as ui_app
from workbench import documents
from workbench.maintenance import backups
from workbench.workspace import Workspace


def _damaged_with_backups(tmp_path):
    path = tmp_path / "office.cnew"
    with Workspace.create(path) as ws:
        documents.create_document(ws, "strategy", "Northern Border Strategy")
        backups.take_backup(ws, "manual")
        documents.create_document(ws, "sop", "Outreach SOP (after the backup)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut off: no log to replay, really damaged
    return path


def test_a_damaged_workspace_offers_the_sound_backup_and_opens_it(qapp, tmp_path, dialogs):
    path = _damaged_with_backups(tmp_path)
    dialogs.confirm_answer = True
    ws = ui_app.open_workspace(path)
    try:
        assert ws is not None
        titles = [d.title for d in documents.list_documents(ws)]
        assert titles == ["Northern Border Strategy"]
    finally:
        ws.close()
    kind, title, text = dialogs.shown[0]
    assert (kind, title) == ("confirm", "Workspace is damaged")
    assert "truncated" in text and "Restore it?" in text
    # The damaged file was kept among the backups, not thrown away.
    assert any(b.reason == "before-restore" for b in backups.list_backups(path))


def test_declining_the_offer_changes_nothing(qapp, tmp_path, dialogs):
    path = _damaged_with_backups(tmp_path)
    before = path.read_bytes()
    dialogs.confirm_answer = False
    assert ui_app.open_workspace(path) is None
    assert path.read_bytes() == before


def test_without_a_sound_backup_the_damage_is_explained(qapp, tmp_path, dialogs):
    path = tmp_path / "alone.cnew"
    with Workspace.create(path) as ws:
        documents.create_document(ws, "strategy", "Northern Border Strategy")
    path.write_bytes(path.read_bytes()[:9000])
    assert ui_app.open_workspace(path) is None
    kind, _, text = dialogs.shown[0]
    assert kind == "error" and "No backup of it passes the check" in text


def _altered_with_backup(tmp_path, *, backup: bool):
    path = tmp_path / "office.cnew"
    with Workspace.create(path) as ws:
        documents.create_document(ws, "strategy", "Northern Border Strategy")
        if backup:
            backups.take_backup(ws, "manual")
    conn = sqlite3.connect(str(path))
    conn.execute(
        "CREATE TRIGGER soften AFTER INSERT ON comments WHEN new.type = 'C' BEGIN "
        "UPDATE comments SET type = 'A', critical_ground = NULL WHERE id = new.id; END"
    )
    conn.commit()
    conn.close()
    return path


def test_an_altered_workspace_is_refused_and_names_the_fault(qapp, tmp_path, dialogs):
    path = _altered_with_backup(tmp_path, backup=False)
    before = path.read_bytes()
    assert ui_app.open_workspace(path) is None
    kind, title, text = dialogs.shown[0]
    assert (kind, title) == ("error", "Cannot open workspace")
    assert "was altered outside CNE Workbench" in text and "Unknown trigger soften" in text
    assert "workbench check" in text
    assert path.read_bytes() == before


def test_an_altered_workspace_offers_its_sound_backup(qapp, tmp_path, dialogs):
    path = _altered_with_backup(tmp_path, backup=True)
    dialogs.confirm_answer = True
    ws = ui_app.open_workspace(path)
    try:
        assert ws is not None
        names = {r["name"] for r in ws.db.query("SELECT name FROM sqlite_master")}
        assert "soften" not in names
    finally:
        ws.close()
    kind, title, text = dialogs.shown[0]
    assert (kind, title) == ("confirm", "Workspace was altered")
    assert "Unknown trigger soften" in text and "The altered file is kept" in text
    # The altered file is kept as evidence.
    kept = [b for b in backups.list_backups(path) if b.reason == "before-restore"]
    assert kept and b"soften" in kept[0].path.read_bytes()


def test_a_backup_the_director_signed_is_offered_as_signed_when_the_file_is_damaged(
    qapp, tmp_path, dialogs
):
    from tests import pki
    from workbench import directory
    from workbench.authority import keys, trust
    from workbench.authority.identity import acting_as

    path = tmp_path / "office.cnew"
    root = pki.make("CNE Test Root CA", ca=True)
    ident = pki.make("Dana Reyes", issuer=root)
    with Workspace.create(path) as ws:
        dana = directory.add_person(
            ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"]
        )
        trust.pin_trust_anchor(ws, root.der)
        trust.set_person_certificate(ws, dana, ident.der)
        documents.create_document(ws, "strategy", "Northern Border Strategy")
        p12 = ident.write_p12(tmp_path / "dana.p12")
        with acting_as(ws, "Dana Reyes"):
            ws.signer = keys.load_pkcs12(p12, "secret", person_id=dana)
            backups.take_backup(ws, "manual")
    path.write_bytes(path.read_bytes()[:9000])
    dialogs.confirm_answer = True
    ws = ui_app.open_workspace(path)
    try:
        assert ws is not None
        assert [d.title for d in documents.list_documents(ws)] == ["Northern Border Strategy"]
    finally:
        ws.close()
    kind, _, text = dialogs.shown[0]
    assert kind == "confirm"
    assert (
        "It is signed by Dana Reyes (judged by the backup's own directory and the root it pins, "
        "\u201cCNE Test Root CA\u201d, SHA-256 "
    ) in text, text
