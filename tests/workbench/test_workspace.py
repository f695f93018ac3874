"""The Workspace handle: creation, clock, transactions around use-cases, threads, backups."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest

from workbench import audit, directory, documents
from workbench.errors import WorkbenchError
from workbench.workspace import Workspace, use_case


def test_create_records_identity_and_seeds_the_directory(ws):
    assert re.fullmatch(r"[0-9a-f]{32}", ws.workspace_id)
    created = next(ws.db.query("SELECT value FROM meta WHERE key = 'created_at'"))["value"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created)
    assert len(directory.organizations(ws)) == len(directory.SEED_ORGANIZATIONS)
    assert ws.actor == "analyst.one"


def test_create_without_seed(tmp_path):
    with Workspace.create(tmp_path / "bare.cnew", seed=False) as ws:
        assert directory.organizations(ws) == []
        assert audit.entries(ws) == []


def test_two_workspaces_have_different_ids(tmp_path):
    with Workspace.create(tmp_path / "a.cnew") as a, Workspace.create(tmp_path / "b.cnew") as b:
        assert a.workspace_id != b.workspace_id


def test_create_refuses_to_overwrite(ws, ws_path):
    with pytest.raises(FileExistsError):
        Workspace.create(ws_path)


def test_now_is_utc_whatever_the_clock_zone(ws, clock):
    clock.now = dt.datetime(2026, 11, 2, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert ws.now() == "2026-11-03T01:30:00Z"


def test_today_follows_the_clock(ws, clock):
    assert ws.today() == dt.date(2026, 11, 2)
    clock.advance(days=3)
    assert ws.today() == dt.date(2026, 11, 5)


def test_reopening_keeps_data_and_actor(ws, ws_path):
    documents.create_document(ws, "strategy", "Persisted")
    ws.close()
    with Workspace.open(ws_path, actor="liaison.uscg") as again:
        assert again.actor == "liaison.uscg"
        assert [d.title for d in documents.list_documents(again)] == ["Persisted"]


@use_case
def _create_then_fail(ws, title):
    documents.create_document(ws, "strategy", title)
    raise WorkbenchError("changed my mind")


@use_case
def _outer_survives_inner_failure(ws):
    documents.create_document(ws, "strategy", "Kept")
    try:
        _create_then_fail(ws, "Dropped")
    except WorkbenchError:
        pass
    return documents.create_document(ws, "strategy", "Also kept")


def test_a_failing_use_case_writes_nothing(ws):
    entries = len(audit.entries(ws))
    with pytest.raises(WorkbenchError, match="changed my mind"):
        _create_then_fail(ws, "Never")
    assert documents.list_documents(ws) == []
    assert len(audit.entries(ws)) == entries
    assert not ws.db.conn.in_transaction


def test_a_nested_use_case_rolls_back_only_its_own_savepoint(ws):
    _outer_survives_inner_failure(ws)
    assert [d.title for d in documents.list_documents(ws)] == ["Also kept", "Kept"]
    assert audit.verify_chain(ws) == []
    assert _outer_survives_inner_failure.is_use_case


def test_use_cases_commit(ws, ws_path):
    documents.create_document(ws, "strategy", "Committed")
    assert not ws.db.conn.in_transaction
    other = Workspace.open(ws_path)
    try:
        assert [d.title for d in documents.list_documents(other)] == ["Committed"]
    finally:
        other.close()


def test_for_thread_gives_a_working_handle_in_another_thread(ws):
    results = []

    def work():
        handle = ws.for_thread()
        try:
            results.append(documents.create_document(handle, "study", "From a worker"))
            results.append(handle.actor)
        finally:
            handle.close()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert results[1] == ws.actor
    assert documents.document(ws, results[0]).title == "From a worker"
    assert audit.entries(ws, limit=1)[0].at == ws.now()  # the worker shares the clock


def test_backup_is_a_complete_openable_copy(ws, tmp_path):
    documents.create_document(ws, "doctrine", "Backed up")
    dest = tmp_path / "copy.cnew"
    ws.backup(dest)
    assert not (tmp_path / "copy.cnew.partial").exists()
    with Workspace.open(dest) as copy:
        assert copy.workspace_id == ws.workspace_id
        assert [d.title for d in documents.list_documents(copy)] == ["Backed up"]
        assert audit.verify_chain(copy) == []
