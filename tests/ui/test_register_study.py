"""Registering a $500,000 study in the app asks, before work starts, about ICE's prior work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from ui.search.install import install
from ui.search.studies_dialog import RegisterStudyDialog, register_study
from workbench import studies


def test_register_then_record_that_ice_was_consulted(qtbot, window, ws):
    bcsc = studies.add_study(
        ws, "Bulk cash smuggling and criminal proceeds", "ICE",
        office="Bulk Cash Smuggling Center", status="completed", year=2024,
        abstract="How trafficking organizations move and launder drug proceeds.",
        contact="BCSC Chief of Analysis",
    )  # fmt: skip
    install(window)
    assert window.findChild(QAction, "registerStudy") is not None

    dialog = RegisterStudyDialog(window, ws)
    qtbot.addWidget(dialog)
    dialog.accept()  # no title: refused, with the reason
    assert dialog.result() != RegisterStudyDialog.DialogCode.Accepted
    assert dialog.message.text() == "A study needs a title."
    qtbot.keyClicks(dialog.title, "Study of how traffickers use criminal proceeds")
    dialog.organization.setCurrentIndex(dialog.organization.findData("CNE"))
    dialog.amount.setValue(500_000)
    qtbot.keyClicks(dialog.abstract, "Where drug proceeds go and how they are laundered.")
    dialog.accept()
    assert dialog.result() == RegisterStudyDialog.DialogCode.Accepted

    register_study(window, dialog.values())
    assert window.ops.flush(10)
    new = next(s for s in studies.list_studies(ws) if s.id != bcsc)
    assert (new.organization, new.amount) == ("CNE", 500_000)
    prompt = window.last_deconfliction
    assert prompt is not None, "the related ICE study should have been offered"
    qtbot.addWidget(prompt)
    assert prompt.table.topLevelItem(0).text(1) == "ICE Bulk Cash Smuggling Center"
    prompt.consulted_yes.setChecked(True)  # the analyst says so; nothing is preset
    qtbot.keyClicks(prompt.outcome, "BCSC's report covers it; study scope cut to casinos.")
    with qtbot.waitSignal(prompt.recorded, timeout=5000):
        qtbot.mouseClick(prompt.record_button, Qt.MouseButton.LeftButton)
    [c] = studies.consultations(ws, None, study_id=new.id)
    assert c.consulted and c.related_study_id == bcsc and c.organization == "ICE"


def test_registering_completed_prior_work_does_not_ask_to_deconflict_it(qtbot, window, ws):
    studies.add_study(
        ws,
        "Bulk cash smuggling routes",
        "ICE",
        office="Bulk Cash Smuggling Center",
        status="completed",
        year=2024,
        abstract="How trafficking organizations move drug proceeds in bulk cash.",
    )
    register_study(
        window,
        {
            "title": "Bulk cash smuggling routes across the southwest border",
            "organization_code": "ICE",
            "status": "completed",
            "year": 2025,
            "abstract": "Where bulk cash from drug proceeds crosses the border.",
        },
    )
    assert window.ops.flush(10)
    assert window.last_deconfliction is None
    assert len(studies.list_studies(ws)) == 2
