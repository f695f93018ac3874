"""`check` against someone holding the file: schema, replay, and heads recorded in what left."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from workbench import audit, directory, documents, sections
from workbench.authority.identity import acting_as
from workbench.cli import main as cli
from workbench.coordination import requests as rq
from workbench.coordination.comments import add_comment, adjudicate_comment
from workbench.coordination.gate import publication_blockers
from workbench.coordination.positions import record_position
from workbench.coordination.publication import publish
from workbench.exchange.packets import export_packet
from workbench.exports import export_pdf
from workbench.maintenance.backups import take_backup
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace


@pytest.fixture
def objection(ws, clock):
    """USCG non-concurs with a Critical comment; a second document was coordinated, published."""
    directory.add_person(ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"])
    doc = documents.create_document(ws, "strategy", "Maritime Transit Zone Strategy")
    s = sections.add_section(
        ws, doc, heading="Interdiction", body="Cutters stop SPSS vessels.", equities=["USCG"]
    )
    rid = rq.create_request(ws, doc, "USCG", send=True)
    crit = add_comment(
        ws,
        doc,
        organization_code="USCG",
        type="C",
        critical_ground="safety",
        section_id=s,
        comment_text="Boarding a semi-submersible at night endangers the boarding team.",
        request_id=rid,
    )
    record_position(ws, doc, "USCG", "non_concur", by_name="Capt. Lee Odiña", request_id=rid)
    other = documents.create_document(ws, "sop", "SLT Outreach SOP")
    t = sections.add_section(ws, other, heading="Scope", body="Outreach.", equities=["CBP"])
    orid = rq.create_request(ws, other, "CBP", send=True)
    record_position(ws, other, "CBP", "concur", by_name="Pat Moreno", request_id=orid)
    clock.advance(days=1)
    assert publication_blockers(ws, other).publishable
    with acting_as(ws, "Dana Reyes"):
        publish(ws, other)
    return {"doc": doc, "section": s, "critical": crit, "other": other, "other_section": t}


def _raw(ws) -> sqlite3.Connection:
    ws.close()
    return sqlite3.connect(str(ws.path))


def _recompute_chain(conn: sqlite3.Connection) -> None:
    """What a careful adversary does after rewriting entries: a consistent SHA-256 chain."""
    prev = audit.GENESIS
    rows = conn.execute(
        "SELECT id, at, actor, action, entity, entity_id, details, person_id, os_account "
        "FROM audit_log ORDER BY id"
    ).fetchall()
    for id_, at, actor, action, entity, entity_id, details, person_id, account in rows:
        digest = audit._entry_hash(
            prev, at, actor, action, entity, entity_id, details, person_id, account
        )
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", [prev, digest, id_]
        )
        prev = digest
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", [prev])


def test_a_coordinated_and_published_workspace_replays_cleanly(ws, objection):
    ws.close()
    report = check_workspace(ws.path)
    assert report.ok, report.findings
    assert "audit replay" in report.ran and "schema" in report.ran


@pytest.mark.sqlite_only
def test_rewriting_the_objection_and_recomputing_the_chain_is_caught(ws, objection):
    conn = _raw(ws)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE comments SET type = 'A', critical_ground = NULL")
    conn.execute(
        "UPDATE positions SET position = 'concur' WHERE organization_id = "
        "(SELECT id FROM organizations WHERE code = 'USCG')"
    )
    conn.commit()
    _recompute_chain(conn)
    conn.commit()
    conn.close()
    report = check_workspace(ws.path)
    assert not report.problems("audit chain")  # the chain itself was made consistent again
    assert "The trigger audit_log_no_update is missing." in report.problems("schema")
    replayed = report.problems("audit replay")
    assert any(
        "is Administrative, but the audit log recorded it as Critical" in p for p in replayed
    ), replayed
    assert any("reads concur, but the audit log recorded non_concur" in p for p in replayed)


@pytest.mark.sqlite_only
def test_rewriting_state_and_the_log_together_is_caught_against_a_packet(ws, objection, tmp_path):
    packet = export_packet(
        ws, rq.list_requests(ws, objection["doc"])[0].id, tmp_path / "p.cnereview"
    )
    conn = _raw(ws)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE comments SET type = 'A', critical_ground = NULL")
    # The adversary rewrites the audit entry too, so replay agrees with the tables.
    for id_, details in conn.execute(
        "SELECT id, details FROM audit_log WHERE action = 'comment.add'"
    ).fetchall():
        conn.execute(
            "UPDATE audit_log SET details = ? WHERE id = ?",
            [details.replace('"type":"C"', '"type":"A"'), id_],
        )
    _recompute_chain(conn)
    conn.commit()
    conn.close()
    report = check_workspace(ws.path, against=packet)
    faults = report.problems("against")
    assert faults and "The log was rewritten after the packet for review request" in faults[0]
    assert cli(["check", str(ws.path), "--against", str(packet)]) == 1


@pytest.mark.sqlite_only
def test_editing_comments_and_positions_without_an_audit_entry_is_caught(ws, objection):
    conn = _raw(ws)
    conn.execute("UPDATE comments SET disposition = 'accepted' WHERE type = 'C'")
    conn.execute(
        "UPDATE comments SET comment = 'Fine as written.' WHERE id = ?", [objection["critical"]]
    )
    conn.execute(
        "INSERT INTO positions (document_id, organization_id, position, by_name, at, "
        "document_version, recorded_by) SELECT ?, id, 'concur', 'Someone', '2026-11-03', 1, "
        "'x' FROM organizations WHERE code = 'USCG'",
        [objection["doc"]],
    )
    conn.commit()
    conn.close()
    faults = check_workspace(ws.path).problems("audit replay")
    assert any("has the disposition accepted, but the audit log says open" in f for f in faults)
    assert any("was rewritten after it was recorded" in f for f in faults)
    assert any("position" in f and "has no audit entry" in f for f in faults), faults


@pytest.mark.sqlite_only
def test_deleting_the_log_tail_and_the_position_is_caught(ws, objection):
    conn = _raw(ws)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    pid = conn.execute("SELECT max(id) FROM positions").fetchone()[0]
    conn.execute("DELETE FROM positions WHERE id = ?", [pid])
    last = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    conn.execute("DELETE FROM audit_log WHERE id > ?", [last - 3])
    conn.commit()
    conn.close()
    report = check_workspace(ws.path)
    assert any("ends early" in p for p in report.problems("audit chain"))
    assert "The trigger audit_log_no_delete is missing." in report.problems("schema")


@pytest.mark.sqlite_only
def test_an_after_insert_trigger_that_demotes_critical_comments_is_a_fault(ws, objection):
    conn = _raw(ws)
    conn.execute(
        "CREATE TRIGGER soften AFTER INSERT ON comments WHEN new.type = 'C' BEGIN "
        "UPDATE comments SET type = 'A', critical_ground = NULL WHERE id = new.id; END"
    )
    conn.commit()
    conn.close()
    report = check_workspace(ws.path)
    assert report.problems("schema") == ["Unknown trigger soften (not part of the schema)."]
    assert cli(["check", str(ws.path)]) == 1


@pytest.mark.sqlite_only
def test_a_table_replaced_by_a_view_is_a_fault(ws, objection):
    conn = _raw(ws)
    conn.execute("ALTER TABLE waivers RENAME TO waivers_real")
    conn.execute("CREATE VIEW waivers AS SELECT * FROM waivers_real WHERE 0")
    conn.commit()
    conn.close()
    faults = check_workspace(ws.path).problems("schema")
    assert "The table waivers was replaced by a view." in faults
    assert "Unknown table waivers_real (not part of the schema)." in faults


@pytest.mark.sqlite_only
def test_rolling_back_to_an_older_copy_is_caught_against_a_backup_and_a_pdf(
    ws, objection, tmp_path, clock
):
    older = tmp_path / "older.cnew"
    ws.backup(older)
    # Work goes on: a disposition, a backup, the PDF of the published version.
    adjudicate_comment(ws, objection["critical"], "rejected", "Night boardings are trained.")
    backup = take_backup(ws, "manual")
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(export_pdf(ws, objection["other"]).data)
    path = ws.path
    ws.close()
    assert check_workspace(path, against=backup).ok
    report = check_workspace(path, against=pdf)
    assert report.ok and "still holds the head recorded in sop.pdf" in report.summary()
    shutil.copy(older, path)  # the rollback
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    assert check_workspace(path).ok  # on its own the older copy looks sound
    faults = check_workspace(path, against=backup).problems("against")
    assert faults and "rolled back to an older copy" in faults[0]


@pytest.mark.sqlite_only
def test_a_pdf_records_the_head_at_publication(ws, objection, tmp_path):
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(export_pdf(ws, objection["other"]).data)
    conn = _raw(ws)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'nobody' WHERE id = 2")
    _recompute_chain(conn)
    conn.commit()
    conn.close()
    faults = check_workspace(ws.path, against=pdf).problems("against")
    assert faults and faults[0].startswith("The log was rewritten after version 1 of document"), (
        faults
    )
    assert "was published" in faults[0]


def test_a_file_with_no_head_is_named_not_a_traceback(ws, objection, tmp_path, capsys):
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    ws.close()
    assert cli(["check", str(ws.path), "--against", str(other)]) == 1
    out = capsys.readouterr().out
    assert "against" in out and "Traceback" not in out


@pytest.mark.sqlite_only
def test_restore_refuses_a_backup_with_an_extra_trigger(ws, objection, tmp_path):
    from db.errors import StoreError
    from workbench.maintenance.backups import restore_backup

    bad = tmp_path / "bad.cnew"
    ws.backup(bad)
    path = ws.path
    ws.close()
    conn = sqlite3.connect(str(bad))
    conn.execute(
        "CREATE TRIGGER soften AFTER INSERT ON comments BEGIN "
        "UPDATE comments SET type = 'A' WHERE id = new.id; END"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="was altered and is not restored: Unknown trigger soften"):
        restore_backup(path, bad)
    assert path.read_bytes() == before
    with Workspace.open(path) as again:
        assert again.db.execute("SELECT count(*) FROM comments").fetchone()[0] == 1


def test_a_stored_figure_swapped_by_hand_is_detected(ws):
    import hashlib

    from tests.workbench.pdf.golden import SVG
    from workbench import figures

    doc = documents.create_document(ws, "strategy", "Figures")
    fid = figures.add_figure(ws, doc, SVG, alt="Chart", caption="c")
    assert not check_workspace(ws.path).problems("figures")
    other = SVG.replace(b"Seizures", b"Arrivals")
    ws.db.execute("DROP TRIGGER figures_no_update" + (" ON figures" if ws.shared else ""))
    ws.db.execute(
        "UPDATE figures SET data = ?, size = ?, sha256 = ? WHERE id = ?",
        [other, len(other), hashlib.sha256(other).hexdigest(), fid],
    )
    report = check_workspace(ws.path)
    (fault,) = report.problems("figures")
    assert "not the one the audit log recorded" in fault
    # What `workbench check` and Tools → Check Workspace print names it too.
    lines = report.lines()
    assert f"{'figures':<13} FAULT" in lines and f"  - {fault}" in lines


# -- the head is signed in what leaves the building ---------------------------------------------
def _rewrite_log(ws) -> str:
    """The adversary rewrites an entry and recomputes the chain; returns the new newest hash."""
    conn = _raw(ws)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'nobody' WHERE id = 2")
    _recompute_chain(conn)
    conn.commit()
    new = conn.execute("SELECT hash FROM audit_log ORDER BY id").fetchall()
    conn.close()
    return new


@pytest.mark.sqlite_only
def test_a_pdf_head_edited_to_match_a_rewritten_log_no_longer_holds(ws, objection, tmp_path):
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(export_pdf(ws, objection["other"]).data)
    data = pdf.read_bytes()
    import re

    m = re.search(rb"audit=(\d+):([0-9a-f]{64}) audit-key=[0-9a-f]{64} audit-sig=", data)
    assert m, "the published PDF carries a signed head"
    n = int(m.group(1))
    hashes = _rewrite_log(ws)
    # The careful adversary also edits the head in the PDF to the rewritten log's.
    pdf.write_bytes(data.replace(m.group(2), hashes[n - 1][0].encode()))
    report = check_workspace(ws.path, against=pdf)
    faults = report.problems("against")
    assert faults == [
        "The audit head recorded in sop.pdf does not hold (the head was changed after it was "
        "signed), so it cannot vouch for the log."
    ], faults


@pytest.mark.sqlite_only
def test_a_packet_head_edited_to_match_a_rewritten_log_no_longer_holds(ws, objection, tmp_path):
    import json

    packet = export_packet(
        ws, rq.list_requests(ws, objection["doc"])[0].id, tmp_path / "p.cnereview"
    )
    value = json.loads(packet.read_text(encoding="utf-8"))
    n = value["audit_head"]["entries"]
    hashes = _rewrite_log(ws)
    value["audit_head"]["hash"] = hashes[n - 1][0]
    packet.write_text(json.dumps(value), encoding="utf-8")
    faults = check_workspace(ws.path, against=packet).problems("against")
    assert (
        len(faults) == 1
        and "does not hold (the head was changed after it was signed)" in (faults[0])
    )


def test_the_head_in_a_pdf_is_signed_by_the_director_who_published(ws, clock, tmp_path):
    from tests import pki
    from workbench.authority import keys, trust

    dana = directory.add_person(
        ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"]
    )
    ident = pki.make("Dana Reyes", kind="ec")
    trust.set_person_certificate(ws, dana, ident.der)
    doc = documents.create_document(ws, "sop", "SLT Outreach SOP")
    sections.add_section(ws, doc, heading="Scope", body="Outreach.", equities=["CBP"])
    rid = rq.create_request(ws, doc, "CBP", send=True)
    record_position(ws, doc, "CBP", "concur", by_name="Pat Moreno", request_id=rid)
    clock.advance(days=1)
    signer = keys.load_pkcs12(ident.write_p12(tmp_path / "d.p12"), "secret", person_id=dana)
    with acting_as(ws, "Dana Reyes"):
        publish(ws, doc, signer=signer)
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(export_pdf(ws, doc).data)
    ws.close()
    report = check_workspace(ws.path, against=pdf)
    assert report.ok, report.findings
    assert report.summary().endswith("; that head is signed by Dana Reyes.")


def _backup_and_close(ws):
    backup = take_backup(ws, "manual")
    path = ws.path
    ws.close()
    return path, backup


@pytest.mark.sqlite_only
def test_a_backup_is_signed_and_check_compares_its_signed_head(ws, objection):
    path, backup = _backup_and_close(ws)
    assert backup.with_name(backup.name + ".sig").is_file()
    report = check_workspace(path, against=backup)
    assert report.ok and "that head is sealed by the workspace key" in report.summary()


@pytest.mark.sqlite_only
def test_restore_refuses_a_backup_whose_contents_were_changed(ws, objection):
    from db.errors import DamagedWorkspace
    from workbench.maintenance.backups import restore_backup

    path, backup = _backup_and_close(ws)
    conn = sqlite3.connect(str(backup))  # no schema change: the comment is simply softened
    conn.execute("UPDATE comments SET type = 'A', critical_ground = NULL")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DamagedWorkspace, match="was changed after it was taken"):
        restore_backup(path, backup)
    assert path.read_bytes() == before
    faults = check_workspace(path, against=backup).problems("against")
    assert faults and "was changed after it was taken" in faults[0]


@pytest.mark.sqlite_only
def test_restore_refuses_a_backup_resigned_with_someone_elses_key(ws, objection):
    import base64
    import json

    from tests import pki
    from workbench.authority import canonical, keys
    from workbench.maintenance import backup_seals
    from workbench.maintenance.backups import restore_backup

    path, backup = _backup_and_close(ws)
    conn = sqlite3.connect(str(backup))
    conn.execute("UPDATE comments SET type = 'A', critical_ground = NULL")
    conn.commit()
    conn.close()
    # The forger writes a fresh seal over the altered bytes, with a key of their own.
    sidecar = backup_seals.seal_path(backup)
    seal = json.loads(sidecar.read_text())
    head = {k: v for k, v in seal["head"].items() if k != "signature"}
    head["file_sha256"] = backup_seals.file_sha256(backup)
    forger = pki.make("CNE Workbench workspace office (root)", kind="ec")
    signer = keys.from_private_key(forger.key, forger.der, source="workspace")
    head["signature"] = {
        "certificate": base64.b64encode(forger.der).decode(),
        "value": base64.b64encode(signer.sign(canonical.canonical_json(head))).decode(),
        "signer": signer.name,
    }
    seal["head"] = head
    sidecar.write_text(json.dumps(seal))
    with pytest.raises(Exception, match="signed by a key this workspace does not know"):
        restore_backup(path, backup)


@pytest.mark.sqlite_only
def test_an_unsigned_backup_is_restored_only_when_asked(ws, objection, capsys):
    from workbench.maintenance import backup_seals
    from workbench.maintenance.backups import UnsignedBackup, restore_backup

    path, backup = _backup_and_close(ws)
    backup_seals.seal_path(backup).unlink()  # a backup from before backups were signed
    before = path.read_bytes()
    with pytest.raises(UnsignedBackup, match="is not signed"):
        restore_backup(path, backup)
    assert path.read_bytes() == before
    assert cli(["restore", str(path), str(backup)]) == 1
    assert "--unsigned" in capsys.readouterr().err
    assert cli(["restore", str(path), str(backup), "--unsigned"]) == 0
    assert "(unsigned)" in capsys.readouterr().out
