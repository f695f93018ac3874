"""Bring Back against a copy its holder edited with a database tool: refused, nothing changed."""

from __future__ import annotations

import sqlite3

import pytest

from db import migrations
from tests import pgserver
from tests.workbench import test_offline
from tests.workbench.test_offline import (
    _around_the_app,
    _rechain,
    _refused_and_nothing_changed,
    _typed_offline,
)
from workbench import audit, documents, offline, sections
from workbench.coordination import comments

ALTERED = "altered outside CNE Workbench"
office = test_offline.office  # the fixture: a document with sections and a comment


def _rows(ws, doc) -> tuple:
    """What Bring Back could change here, besides the head and outline the helper compares."""
    return (
        list(ws.db.query("SELECT * FROM comments WHERE document_id = ? ORDER BY id", [doc])),
        list(ws.db.query("SELECT id, kind FROM decisions ORDER BY id")),
        list(ws.db.query("SELECT * FROM waivers ORDER BY id")),
    )


def _refused(ws, doc, path, match):
    before = _rows(ws, doc)
    _refused_and_nothing_changed(ws, doc, path, match)
    assert _rows(ws, doc) == before


def _taken(ws, office, tmp_path):
    path = tmp_path / "out.cnew"
    offline.take_offline(ws, office["doc"], path)
    _typed_offline(path, office["a"], "Typed offline.")
    return path, path.read_bytes()


def _entries(path) -> list[sqlite3.Row]:
    raw = sqlite3.connect(path)
    raw.row_factory = sqlite3.Row
    rows = raw.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
    raw.close()
    return rows


def _q(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def test_a_quoted_shared_entry_rewritten_inserted_or_deleted_is_refused(ws, office, tmp_path):
    doc = office["doc"]
    path, pristine = _taken(ws, office, tmp_path)
    quoted = [r for r in _entries(path) if r["action"] == "section.add"]
    assert quoted, "the copy quotes the shared log's entries about the document"
    # One quoted entry's words rewritten, the chain recomputed: it holds by itself.
    target = quoted[0]
    forged = target["details"].replace("Scope", "Scope, forged")
    assert forged != target["details"]
    _around_the_app(path, f"UPDATE audit_log SET details = {_q(forged)} WHERE id = {target['id']}")
    _rechain(path)
    _refused(ws, doc, path, "does not continue the log it was taken from")
    # A forged entry slipped in among the quoted ones.
    path.write_bytes(pristine)
    at = target["id"]
    cols = "at, actor, action, entity, entity_id, details, prev_hash, hash, person_id, os_account"
    _around_the_app(
        path,
        f"UPDATE audit_log SET id = -id WHERE id > {at}",
        "UPDATE audit_log SET id = 1 - id WHERE id < 0",
        f"INSERT INTO audit_log (id, {cols}) SELECT {at + 1}, at, actor, 'comment.adjudicate', "
        f"'comment', {office['comment']}, details, 'x', 'forged', person_id, os_account "
        f"FROM audit_log WHERE id = {at}",
    )
    _rechain(path)
    _refused(ws, doc, path, "does not continue the log it was taken from")
    # One quoted entry deleted (not the root).
    path.write_bytes(pristine)
    _around_the_app(path, f"DELETE FROM audit_log WHERE id = {quoted[-1]['id']}")
    _rechain(path)
    _refused(ws, doc, path, "does not continue the log it was taken from")
    path.write_bytes(pristine)
    assert offline.bring_back(ws, path).summary() == "1 section changed"


def _offline_entry(path, action, entity, entity_id, details: str):
    """An entry appended to the copy's log as the app would (then rechained)."""
    last = _entries(path)[-1]
    _around_the_app(
        path,
        "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, details, prev_hash, "
        f"hash, person_id, os_account) VALUES ({last['id'] + 1}, {_q(last['at'])}, "
        f"'Dana Reyes', {_q(action)}, {_q(entity)}, {entity_id}, {_q(details)}, '', '', "
        f"NULL, '')",
    )
    _rechain(path)


@pytest.mark.parametrize(
    "action",
    ["review.waive", "document.publish", "document.break_lease", "nonconcurrence.record",
     "position.record", "document.delete"],
)  # fmt: skip
def test_a_decision_forged_in_the_copys_log_is_refused(ws, office, tmp_path, action):
    doc = office["doc"]
    path, _ = _taken(ws, office, tmp_path)
    _offline_entry(path, action, "document", doc, f'{{"document_id": {doc}}}')
    _refused(ws, doc, path, ALTERED)


def test_an_entry_about_another_document_in_the_copys_log_is_refused(ws, office, tmp_path):
    doc = office["doc"]
    path, _ = _taken(ws, office, tmp_path)
    _offline_entry(
        path, "section.edit", "section", office["a"], f'{{"document_id": {office["other"]}}}'
    )
    _refused(ws, doc, path, ALTERED)


def test_rows_changed_without_their_audit_entries_are_refused(ws, office, tmp_path):
    doc = office["doc"]
    critical = comments.add_comment(
        ws, doc, organization_code="CBP", type="C", section_id=office["c"],
        comment_text="Screening is wrong.", critical_ground="law",
    )  # fmt: skip
    path, pristine = _taken(ws, office, tmp_path)
    # A disposition written into the table, with no entry saying who decided it.
    _around_the_app(
        path,
        "UPDATE comments SET disposition = 'rejected', disposition_rationale = 'No.' "
        f"WHERE id = {critical}",
    )
    _refused(ws, doc, path, ALTERED)
    # A critical comment deleted.
    path.write_bytes(pristine)
    _around_the_app(path, f"DELETE FROM comments WHERE id = {critical}")
    _refused(ws, doc, path, ALTERED)
    # A comment added with no entry.
    path.write_bytes(pristine)
    _around_the_app(
        path,
        "INSERT INTO comments (document_id, item_no, organization_id, type, section_id, comment, "
        "response_date, created_at, created_by) SELECT document_id, 99, organization_id, 'S', "
        f"section_id, 'Planted.', response_date, created_at, created_by FROM comments "
        f"WHERE id = {office['comment']}",
    )
    _refused(ws, doc, path, ALTERED)
    path.write_bytes(pristine)
    assert offline.bring_back(ws, path).summary() == "1 section changed"
    assert comments.comment(ws, critical).disposition is None


def test_a_copy_given_another_check_outs_token_is_refused(ws, office, tmp_path):
    doc, other = office["doc"], office["other"]
    sections.add_section(ws, other, heading="Outreach", body="Schools.")
    path, _ = _taken(ws, office, tmp_path)
    offline.take_offline(ws, other, tmp_path / "sop.cnew")
    raw = sqlite3.connect(tmp_path / "sop.cnew")
    token = raw.execute("SELECT value FROM meta WHERE key = 'offline_copy'").fetchone()[0]
    raw.close()
    _around_the_app(path, f"UPDATE meta SET value = {_q(token)} WHERE key = 'offline_copy'")
    before = offline.checkout(ws, other)
    _refused(ws, other, path, "does not continue the log it was taken from")
    assert offline.checkout(ws, other) == before and offline.checkout(ws, doc) is not None


def test_a_newer_or_foreign_or_truncated_file_or_the_workspace_itself_is_refused(
    ws,
    office,
    tmp_path,
):
    doc = office["doc"]
    path, pristine = _taken(ws, office, tmp_path)
    _around_the_app(
        path,
        f"INSERT INTO {migrations.MIGRATIONS_TABLE} (migration_set, name, applied_at) "
        f"VALUES ({_q(migrations.SET_NAME)}, 'm999_from_the_future', '2030-01-01')",
    )
    _refused(ws, doc, path, "cannot be read as an offline copy .*newer CNE Workbench")
    foreign = tmp_path / "foreign.cnew"
    raw = sqlite3.connect(foreign)
    raw.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    raw.execute("INSERT INTO meta VALUES ('offline_copy', 'x')")
    raw.commit()
    raw.close()
    _refused(ws, doc, foreign, "cannot be read as an offline copy")
    path.write_bytes(pristine[: len(pristine) // 2])
    _refused(ws, doc, path, "cannot be read as an offline copy .*truncated")
    if pgserver.engine() != "postgresql":
        _refused(ws, doc, ws.path, "is not an offline copy")
    path.write_bytes(pristine)
    assert documents.document(ws, doc).title == "Maritime Strategy"
    assert offline.bring_back(ws, path).summary() == "1 section changed"
    assert audit.verify_chain(ws) == []


def test_a_signed_decision_planted_or_rewritten_in_the_copy_is_refused(ws, office, tmp_path):
    from workbench.authority import identity, rulings

    doc, other = office["doc"], office["other"]
    sections.add_section(ws, other, heading="Outreach", body="Schools.")
    identity.act_as(ws, "Dana Reyes")
    rulings.no_coordination_required(ws, other, reason="CNE's own outreach.")
    identity.act_as(ws, "Avery Lin")
    # A copy carrying the Director's real decision comes back.
    sop = tmp_path / "sop.cnew"
    offline.take_offline(ws, other, sop)
    pristine = sop.read_bytes()
    # Its record rewritten (the table's no-update trigger dropped around the app).
    _around_the_app(sop, "UPDATE decisions SET record = replace(record, 'outreach', 'all')")
    _refused(ws, other, sop, r"a decision \(no_coordination\) that was not made here")
    sop.write_bytes(pristine)
    assert offline.bring_back(ws, sop).summary() == "no changes"
    # An override planted in a copy, with no entry: nothing replays it, and it is refused.
    path, _ = _taken(ws, office, tmp_path)
    _around_the_app(
        path,
        "INSERT INTO decisions (document_id, kind, subject, document_version, at, record) "
        f"VALUES ({doc}, 'override', 'organization:2', 1, '2026-11-02T09:00:00Z', '{{}}')",
    )
    _refused(ws, doc, path, r"altered outside CNE Workbench \(it holds a decision \(override\)")


@pytest.mark.parametrize(
    "change",
    ["title = 'Hijacked'", "status = 'published'", "marking = 'UNCLASSIFIED'", "version = 7"],
)
def test_the_documents_own_record_changed_in_the_copy_is_refused(ws, office, tmp_path, change):
    doc = office["doc"]
    path, _ = _taken(ws, office, tmp_path)
    _around_the_app(path, f"UPDATE documents SET {change} WHERE id = {doc}")
    _refused(ws, doc, path, r"altered outside CNE Workbench \(the document's \w+ differs\)")
    assert documents.document(ws, doc).title == "Maritime Strategy"


def test_a_sections_text_changed_without_its_entry_is_refused(ws, office, tmp_path):
    doc = office["doc"]
    path, pristine = _taken(ws, office, tmp_path)
    # Its recorded hash recomputed too (anyone can): only the log can say what was typed.
    for sid in (office["a"], office["b"]):  # edited offline, and not
        hashed = sections.content_hash("Air" if sid == office["b"] else "Scope", "Planted.")
        _around_the_app(
            path,
            f"UPDATE sections SET body = 'Planted.', content_hash = {_q(hashed)} WHERE id = {sid}",
        )
        _refused(ws, doc, path, "holds text its audit log does not record")
        path.write_bytes(pristine)
    assert offline.bring_back(ws, path).summary() == "1 section changed"
