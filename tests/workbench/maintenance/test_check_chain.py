"""`check` hashes the audit chain from payloads SQLite builds: the same verdicts as the app's."""

from __future__ import annotations

import sqlite3

import pytest

from tests import pgserver
from workbench import audit, documents
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace

HOSTILE = [
    'a "quoted" \\ backslash',
    "tab\tnewline\ncarriage\rform\x0cbell\x07 nul\x00 escape\x1b del\x7f",
    "line\u2028separator\u2029paragraph",
    "emoji \U0001f6a2 and combining e\u0301 and rtl \u202eevil",
    "</script><b>{not json}</b>",
    "",
]
if pgserver.engine() == "postgresql":  # PostgreSQL's text holds no NUL: the rest, unchanged
    HOSTILE = [text.replace("\x00", "") for text in HOSTILE]


@pytest.fixture
def hostile_log(ws):
    documents.create_document(ws, "strategy", "Ordinary")
    for n, text in enumerate(HOSTILE):
        ws.actor = text or "someone"
        ws.os_account = HOSTILE[-n - 1]
        ws.person_id = n if n % 2 else None
        with ws.db.atomic():
            audit.record(ws, f"test.{n}", "document", n or None, note=text, nested={"t": text})
    return ws


def _tamper(path, *statements) -> None:
    conn = sqlite3.connect(str(path))
    (guard,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'"
    ).fetchone()
    conn.execute("DROP TRIGGER audit_log_no_update")
    for sql in statements:
        conn.execute(sql)
    conn.execute(guard)
    conn.commit()
    conn.close()


def test_entries_holding_any_text_pass_the_check_as_they_pass_the_app(hostile_log):
    assert audit.verify_chain(hostile_log) == []
    hostile_log.close()
    report = check_workspace(hostile_log.path)
    assert report.ok, report.findings


@pytest.mark.sqlite_only  # a raw SQLite tool edits the file
def test_an_entry_edited_by_hand_is_named_by_the_check(hostile_log):
    path = hostile_log.path
    hostile_log.close()
    _tamper(
        path, "UPDATE audit_log SET details = replace(details, 'quoted', 'QUOTED') WHERE id = 3"
    )
    faults = check_workspace(path).problems("audit chain")
    assert len(faults) == 1 and faults[0].startswith("Audit entry 3 (test.0, ")
    assert faults[0].endswith("was altered.")
    with Workspace.open(path, read_only=True) as again:
        assert audit.verify_chain(again) == faults


@pytest.mark.sqlite_only  # a raw SQLite tool edits the file
def test_a_value_no_entry_could_hold_is_a_fault_not_a_traceback(hostile_log):
    path = hostile_log.path
    hostile_log.close()
    _tamper(path, "UPDATE audit_log SET actor = x'00ff' WHERE id = 4")
    faults = check_workspace(path).problems("audit chain")
    assert faults == [faults[0]] and faults[0].startswith("Audit entry 4 (test.1, ")
