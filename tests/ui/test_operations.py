"""The worker: one thread with its own connection, results in order on the UI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication

from ui.operations import Operations
from workbench import documents


@pytest.fixture
def ops(ws):
    o = Operations(ws)
    yield o
    o.shutdown()


def test_writes_run_on_one_worker_thread_with_its_own_connection(qtbot, ws, ops):
    seen = []

    def where(w):
        seen.append((threading.current_thread().name, w is not ws, w.db.conn is not ws.db.conn))
        return documents.create_document(w, "study", "Bulk cash study")

    results = []
    ops.run(
        where,
        on_done=lambda doc_id: results.append(
            (doc_id, threading.current_thread() is threading.main_thread())
        ),
    )
    ops.run(
        where,
        on_done=lambda doc_id: results.append(
            (doc_id, threading.current_thread() is threading.main_thread())
        ),
    )
    assert ops.flush()
    assert seen == [("workbench-writer", True, True)] * 2
    assert results == [(1, True), (2, True)]
    # The UI connection reads what the worker committed.
    assert [d.title for d in documents.list_documents(ws)] == ["Bulk cash study"] * 2


def test_results_arrive_through_the_event_loop(qtbot, ws, ops):
    got = []
    with qtbot.waitSignal(ops.job_finished, timeout=3000):
        ops.run(documents.create_document, "sop", "Budget review SOP", on_done=got.append)
    assert got == [1]


def test_errors_go_to_on_error_or_are_shown(qtbot, ws, ops, dialogs):
    dialogs.expect_crash()
    errors = []
    ops.run(documents.create_document, "strategy", "  ", on_error=errors.append)
    ops.run(documents.rename_document, 99, "x")
    ops.run(lambda w: 1 / 0)
    assert ops.flush()
    assert str(errors[0]) == "A document needs a title."
    assert dialogs.shown[0] == ("error", "CNE Workbench", "No document with id 99.")
    assert dialogs.shown[1][:2] == ("crash", "ZeroDivisionError")
    # A failed use-case wrote nothing; the worker keeps going afterwards.
    assert documents.list_documents(ws) == []
    ops.run(documents.create_document, "sop", "After the errors")
    assert ops.flush()
    assert len(documents.list_documents(ws)) == 1


def test_long_operations_show_busy_and_flush_waits(qtbot, ws, ops):
    states = []
    ops.busy_changed.connect(lambda busy, label: states.append((busy, label)))
    gate = threading.Event()
    ops.run(lambda w: gate.wait(5), busy="Exporting…")
    assert ops.pending == 1
    assert not ops.flush(timeout=0.05)  # still running
    gate.set()
    assert ops.flush()
    QApplication.processEvents()
    assert states == [(True, "Exporting…"), (False, "")]
    assert ops.pending == 0


def test_shutdown_refuses_new_work(qtbot, ws):
    o = Operations(ws)
    o.run(documents.create_document, "sop", "Queued before closing")
    assert o.shutdown()
    assert len(documents.list_documents(ws)) == 1
    with pytest.raises(RuntimeError):
        o.run(documents.create_document, "sop", "Too late")
