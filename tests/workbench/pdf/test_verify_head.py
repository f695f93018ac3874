"""verify-pdf names who signed the audit head a published PDF records, as `check --against`."""

from __future__ import annotations

import sqlite3

import pytest

from tests import pki
from workbench import audit, directory, documents, sections
from workbench.authority import keys, trust
from workbench.authority.identity import acting_as
from workbench.cli import main as cli
from workbench.coordination import requests as rq
from workbench.coordination.positions import record_position
from workbench.coordination.publication import publish
from workbench.exports import export_pdf
from workbench.pdf_verify import verify_pdf
from workbench.workspace import Workspace


def _publish(ws, clock, signer=None) -> int:
    doc = documents.create_document(ws, "sop", "SLT Outreach SOP")
    sections.add_section(ws, doc, heading="Scope", body="Outreach.", equities=["CBP"])
    rid = rq.create_request(ws, doc, "CBP", send=True)
    record_position(ws, doc, "CBP", "concur", by_name="Pat Moreno", request_id=rid)
    clock.advance(days=1)
    with acting_as(ws, "Dana Reyes"):
        publish(ws, doc, signer=signer)
    return doc


@pytest.fixture
def dana(ws) -> int:
    return directory.add_person(
        ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"]
    )


def _head_entries(result) -> int:
    assert result.audit_head is not None
    return result.audit_head.entries


def test_the_director_who_published_signed_the_head_and_verify_says_so(
    ws, clock, dana, tmp_path, capsys
):
    ident = pki.make("Dana Reyes", kind="ec")
    trust.set_person_certificate(ws, dana, ident.der)
    signer = keys.load_pkcs12(ident.write_p12(tmp_path / "d.p12"), "secret", person_id=dana)
    doc = _publish(ws, clock, signer)
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(export_pdf(ws, doc).data)
    result = verify_pdf(ws, pdf.read_bytes())
    assert result.exact
    n = _head_entries(result)
    assert result.message.endswith(
        f"Its audit head (entry {n}) is signed by Dana Reyes, and this workspace's log still "
        "holds it."
    ), result.message
    assert result.as_dict()["audit_head"]["signer"] == "Dana Reyes"
    ws.close()
    assert cli(["verify-pdf", str(ws.path), str(pdf)]) == 0
    assert "is signed by Dana Reyes" in capsys.readouterr().out


def test_a_head_sealed_by_the_workspace_key_is_named_so(ws, clock, dana, tmp_path):
    doc = _publish(ws, clock)
    result = verify_pdf(ws, export_pdf(ws, doc).data)
    assert result.exact
    assert f"is sealed by the workspace key \u201cCNE Workbench workspace {ws.name} (" in (
        result.message
    )


@pytest.mark.sqlite_only  # a raw SQLite tool rewrites the file
def test_a_log_rewritten_after_publication_makes_the_pdf_not_exact(
    ws, clock, dana, tmp_path, capsys
):
    doc = _publish(ws, clock)
    pdf = tmp_path / "sop.pdf"
    pdf.write_bytes(export_pdf(ws, doc).data)
    path = ws.path
    ws.close()
    # The careful adversary rewrites an early entry, recomputes the chain, and puts the guard
    # back, so the file still opens and its own chain checks out.
    conn = sqlite3.connect(str(path))
    (guard,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'"
    ).fetchone()
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'nobody' WHERE id = 2")
    prev = audit.GENESIS
    for row in conn.execute(
        "SELECT id, at, actor, action, entity, entity_id, details, person_id, os_account "
        "FROM audit_log ORDER BY id"
    ).fetchall():
        prev_hash, digest = prev, audit._entry_hash(prev, *row[1:])
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", [prev_hash, digest, row[0]]
        )
        prev = digest
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", [prev])
    conn.execute(guard)
    conn.commit()
    conn.close()
    with Workspace.open(path, read_only=True) as reader:
        result = verify_pdf(reader, pdf.read_bytes())
    assert result.status == "published" and not result.exact
    assert "The log was rewritten after version 1 of document" in result.message
    assert "no longer matches the head recorded in this PDF" in result.message
    assert cli(["verify-pdf", str(path), str(pdf)]) == 1
    assert "The log was rewritten" in capsys.readouterr().out


@pytest.mark.sqlite_only  # a raw SQLite tool rewrites the file
def test_a_head_whose_key_the_workspace_does_not_know_does_not_hold(ws, clock, dana, tmp_path):
    doc = _publish(ws, clock)
    data = export_pdf(ws, doc).data
    # A copy of the workspace whose workspace keys were swapped for another's: the PDF's head
    # names a key the file no longer lists.
    guards = [
        r["sql"]
        for r in ws.db.query(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'workspace_keys'"
        )
    ]
    for r in ws.db.query(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'workspace_keys'"
    ):
        ws.db.execute(f'DROP TRIGGER "{r["name"]}"')
    ws.db.execute("DELETE FROM workspace_keys")
    for sql in guards:
        ws.db.execute(sql)
    result = verify_pdf(ws, data)
    assert not result.exact
    assert "does not hold (signed by a key this workspace does not know)" in result.message
