"""The deconfliction prompt, driven by qtbot, records whom, when and the outcome."""

from __future__ import annotations

import threading

from PySide6.QtCore import QDate, Qt

from ui import lazy
from ui.search.deconfliction import DeconflictionDialog
from ui.search.install import install
from workbench import audit, documents, studies


def _bcsc(ws):
    return studies.add_study(
        ws,
        "Bulk cash smuggling and criminal proceeds",
        "ICE",
        office="Bulk Cash Smuggling Center",
        status="completed",
        year=2024,
        abstract="How trafficking organizations move and launder drug proceeds.",
        contact="BCSC Chief of Analysis",
    )


def test_prompt_records_the_consultation(qtbot, window, ws, tmp_path):
    bcsc = _bcsc(ws)
    doc = documents.create_document(ws, "study", "How traffickers use criminal proceeds")
    dialog = DeconflictionDialog.for_document(window, ws, window.ops, doc)
    qtbot.addWidget(dialog)
    assert dialog.table.topLevelItem(0).text(1) == "ICE Bulk Cash Smuggling Center"
    assert dialog.whom.text() == "BCSC Chief of Analysis"  # filled from the registry
    assert "<b>proceeds</b>" in dialog.detail.text().lower()
    assert not (dialog.consulted_yes.isChecked() or dialog.consulted_no.isChecked())
    qtbot.mouseClick(dialog.consulted_yes, Qt.MouseButton.LeftButton)  # nothing is preset
    dialog.when.setDate(QDate(2026, 10, 30))
    qtbot.keyClicks(dialog.outcome, "Their report covers couriers; scope narrowed to casinos.")
    dialog.grab().save(str(tmp_path.parent / "deconfliction.png"))
    with qtbot.waitSignal(dialog.recorded, timeout=5000) as sig:
        qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    [c] = studies.consultations(ws, doc)
    assert c.id == sig.args[0]
    assert (c.consulted, c.whom, c.organization, c.consulted_on) == (
        True,
        "BCSC Chief of Analysis",
        "ICE",
        "2026-10-30",
    )
    assert c.related_study_id == bcsc
    assert c.outcome == "Their report covers couriers; scope narrowed to casinos."
    assert dialog.result() == DeconflictionDialog.DialogCode.Accepted
    assert audit.entries(ws, action_prefix="consultation.", limit=1)[0].entity_id == doc


def test_missing_outcome_keeps_dialog_open_with_the_reason(qtbot, window, ws):
    _bcsc(ws)
    doc = documents.create_document(ws, "study", "Criminal proceeds of traffickers")
    dialog = DeconflictionDialog.for_document(window, ws, window.ops, doc)
    qtbot.addWidget(dialog)
    dialog.consulted_no.setChecked(True)
    assert not dialog.whom.isEnabled()
    dialog.record()
    window.ops.flush()
    assert "why the owners were not consulted" in dialog.error.text()
    assert dialog.isVisible() and dialog.record_button.isEnabled()
    assert studies.consultations(ws, doc) == []
    dialog.outcome.setPlainText("Director waived: congressionally mandated study.")
    dialog.record()
    window.ops.flush()
    [c] = studies.consultations(ws, doc)
    assert not c.consulted and c.whom == "" and c.consulted_on is None


def test_no_prompt_when_nothing_is_related(window, ws):
    doc = documents.create_document(ws, "doctrine", "Quantum gravimetry")
    assert DeconflictionDialog.for_document(window, ws, window.ops, doc) is None


def test_creating_a_document_in_the_window_prompts_and_shows_on_document(qtbot, window, ws):
    _bcsc(ws)
    install(window)
    window.outline.new_document(
        {"kind": "study", "title": "Laundering of criminal proceeds", "lead": "CNE"}
    )
    window.ops.flush()
    qtbot.waitUntil(lambda: getattr(window, "last_deconfliction", None) is not None, timeout=5000)
    dialog = window.last_deconfliction
    assert dialog.isVisible()
    dialog.outcome.setPlainText("No overlap: BCSC covers couriers only.")
    dialog.record()
    assert "Say whether the owners were consulted" in dialog.error.text()
    dialog.consulted_yes.setChecked(True)
    dialog.record()
    window.ops.flush()
    doc = dialog.document_id
    window.show_panel(window.prior_work_panel)
    window.prior_work_panel.set_document(doc)
    lazy.drain()
    assert "Consulted BCSC Chief of Analysis (ICE)" in window.prior_work_panel.label.text()


def test_the_prior_work_tab_reads_when_seen_and_off_the_ui_thread(qtbot, window, ws, monkeypatch):
    install(window)
    window.show()
    bcsc = _bcsc(ws)
    doc = documents.create_document(ws, "study", "How traffickers use criminal proceeds")
    reads = []
    real = studies.consultations

    def counted(*args, **kwargs):
        reads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(studies, "consultations", counted)
    prior = window.prior_work_panel
    window.show_panel(window.search_panel)  # the Prior work tab is behind another
    prior.set_document(doc)
    for _ in range(3):
        window.workspace_changed.emit()
    lazy.drain()
    assert reads == []  # nobody could see it: nothing was read
    studies.record_consultation(
        ws, document_id=doc, related_study_id=bcsc, consulted=True,
        whom="BCSC Chief of Analysis", organization_code="ICE", outcome="No overlap.",
    )  # fmt: skip
    window.show_panel(prior)
    lazy.drain()
    assert reads == [False]  # once, when shown, on the reader thread
    assert "Consulted BCSC Chief of Analysis (ICE)" in prior.label.text()
