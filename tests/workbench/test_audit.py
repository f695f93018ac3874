"""The audit chain: one entry per use-case, append-only, and tampering is detected."""

from __future__ import annotations

import sqlite3

import pytest

from workbench import audit, directory, documents, revisions, sections


def _count(ws) -> int:
    return ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def test_a_fresh_workspace_has_an_intact_chain(ws):
    assert audit.verify_chain(ws) == []
    (seed,) = audit.entries(ws)
    assert seed.action == "directory.seed" and seed.actor == "analyst.one"


def test_every_use_case_adds_exactly_one_entry(ws, clock):
    doc = documents.create_document(ws, "strategy", "Maritime Strategy")
    steps = [
        ("document.rename", lambda: documents.rename_document(ws, doc, "Maritime Strategy 2")),
        ("document.update", lambda: documents.update_document(ws, doc, due_date="2027-01-15")),
        ("section.add", lambda: sections.add_section(ws, doc, heading="Intro")),
        ("section.add", lambda: sections.add_section(ws, doc, heading="Scope")),
    ]
    ids: list[int] = []
    for action, step in steps:
        before = _count(ws)
        result = step()
        if action == "section.add":
            ids.append(result)
        assert _count(ws) == before + 1, action
        assert audit.entries(ws, limit=1)[0].action == action
    a, b = ids
    more = [
        ("section.edit", lambda: sections.edit_section(ws, a, body="New text")),
        ("section.move", lambda: sections.move_section(ws, b, None, 0)),
        ("section.equities", lambda: sections.set_equities(ws, a, ["USCG"])),
        ("section.kind", lambda: sections.set_section_kind(ws, a, "tenet")),
        ("revision.snapshot", lambda: revisions.snapshot_revision(ws, doc, "Draft 1")),
        ("section.delete", lambda: sections.delete_section(ws, b)),
        ("section.restore", lambda: sections.restore_section(ws, b, None, 0)),
        ("organization.add", lambda: directory.add_organization(ws, "PCSO", "Sheriff", "slt")),
        ("person.add", lambda: directory.add_person(ws, "Pat Example", organization="CBP")),
        ("document.delete", lambda: documents.delete_document(ws, doc)),
        ("document.restore", lambda: documents.restore_document(ws, doc)),
    ]
    for action, step in more:
        clock.advance(minutes=1)
        before = _count(ws)
        step()
        assert _count(ws) == before + 1, action
        latest = audit.entries(ws, limit=1)[0]
        assert latest.action == action
        assert latest.at == ws.now() and latest.actor == "analyst.one"
    assert audit.verify_chain(ws) == []


def test_a_failed_use_case_leaves_no_entry(ws):
    before = _count(ws)
    with pytest.raises(Exception, match="kind"):
        documents.create_document(ws, "memo", "Not a kind")
    assert _count(ws) == before


def test_entries_filter_by_entity_and_prefix(ws):
    doc = documents.create_document(ws, "doctrine", "Doctrine")
    sid = sections.add_section(ws, doc, kind="tenet", heading="Unity of Effort")
    assert [e.action for e in audit.entries(ws, entity="section", entity_id=sid)] == ["section.add"]
    assert [e.action for e in audit.entries(ws, action_prefix="document.")] == ["document.create"]
    # "_" in a prefix is literal, not a LIKE wildcard.
    assert audit.entries(ws, action_prefix="document_") == []
    assert audit.entries(ws, entity="document")[0].details["title"] == "Doctrine"


def test_updating_or_deleting_entries_is_refused(ws):
    documents.create_document(ws, "strategy", "S")
    # sqlite3.IntegrityError or psycopg's IntegrityConstraintViolation, raised by a trigger.
    with pytest.raises(Exception, match="append-only"):
        ws.db.execute("UPDATE audit_log SET actor = 'someone.else'")
    with pytest.raises(Exception, match="append-only"):
        ws.db.execute("DELETE FROM audit_log WHERE id = 1")
    assert audit.verify_chain(ws) == []


def _tamper(ws, *statements: str) -> None:
    """Bypass the triggers the way someone with a raw SQLite tool (or the database's owner on
    PostgreSQL) could."""
    if ws.shared:
        with ws.db.atomic():
            ws.db.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
            for sql in statements:
                ws.db.execute(sql)
            ws.db.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")
        return
    conn = sqlite3.connect(str(ws.path))
    with conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        for sql in statements:
            conn.execute(sql)
    conn.close()


@pytest.fixture
def logged(ws):
    doc = documents.create_document(ws, "strategy", "Southwest Border Strategy")
    for n in range(4):
        sections.add_section(ws, doc, heading=f"Section {n}")
    assert _count(ws) == 6
    return ws


def test_an_edited_entry_is_detected(logged):
    _tamper(logged, "UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
    problems = audit.verify_chain(logged)
    assert len(problems) == 1
    assert "Audit entry 3" in problems[0] and "altered" in problems[0]


def test_editing_the_details_of_an_entry_is_detected(logged):
    _tamper(logged, """UPDATE audit_log SET details = '{"title":"Other"}' WHERE id = 2""")
    assert any("Audit entry 2" in p for p in audit.verify_chain(logged))


def test_deleting_the_last_entry_is_detected(logged):
    _tamper(logged, "DELETE FROM audit_log WHERE id = 6")
    problems = audit.verify_chain(logged)
    assert problems == ["The newest audit entries were removed (the log ends early)."]


def test_deleting_a_middle_entry_is_detected(logged):
    _tamper(logged, "DELETE FROM audit_log WHERE id = 4")
    problems = audit.verify_chain(logged)
    assert len(problems) == 1
    assert "Audit entry 5 does not follow entry 3" in problems[0]


def test_deleting_the_whole_log_is_detected(logged):
    _tamper(logged, "DELETE FROM audit_log")
    assert audit.verify_chain(logged) != []


def test_removing_the_head_record_is_detected(logged):
    _tamper(logged, "DELETE FROM meta WHERE key = 'audit_head'")
    assert audit.verify_chain(logged) == ["The audit log's head record is missing."]


# Helpers that write an entry on behalf of the use-case that calls them.
_CALLED_INSIDE_USE_CASES = {"seed_directory", "prepare_for_edit", "record"}


@pytest.mark.parametrize("module", [documents, sections, directory, revisions, audit])
def test_every_function_that_writes_an_entry_is_a_use_case(module):
    import inspect

    writers = [
        (name, fn)
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__
        and name not in _CALLED_INSIDE_USE_CASES
        and "audit.record(" in inspect.getsource(inspect.unwrap(fn))
    ]
    assert writers or module is audit
    for name, fn in writers:
        assert getattr(fn, "is_use_case", False), f"{module.__name__}.{name}"
