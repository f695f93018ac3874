"""Coordination dialogs refuse what the CRM rules forbid, and say why inside the dialog."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from ui.coordination import dialogs
from workbench import directory, sections
from workbench.coordination import comments as cm
from workbench.coordination.gate import GateItem, GateReport


def _comment(ws, doc_id, type_="S"):
    sid = sections.add_section(ws, doc_id, heading="Detection", body="Cueing finds SPSS.")
    cid = cm.add_comment(
        ws,
        doc_id,
        organization_code="USCG",
        type=type_,
        section_id=sid,
        comment_text="Incomplete and inaccurate.",
        critical_ground="safety" if type_ == "C" else None,
    )
    return cm.comment(ws, cid)


def test_rejection_without_rationale_is_refused(qtbot, ws, doc_id):
    dialog = dialogs.AdjudicateDialog(None, _comment(ws, doc_id))
    qtbot.addWidget(dialog)
    assert "rationale is required" in dialog.hint.text()
    qtbot.mouseClick(dialog.choices["rejected"], Qt.MouseButton.LeftButton)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problem_label.isVisibleTo(dialog)
    assert dialog.problem_label.text() == "Rejected needs a rationale for the reviewer."

    qtbot.keyClicks(dialog.rationale, "   ")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted

    qtbot.keyClicks(dialog.rationale, "Contradicts Department policy on boarding.")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values() == ("rejected", "Contradicts Department policy on boarding.")


def test_plain_acceptance_needs_no_rationale_but_modification_does(qtbot, ws, doc_id):
    dialog = dialogs.AdjudicateDialog(None, _comment(ws, doc_id))
    qtbot.addWidget(dialog)
    dialog.set_disposition("accepted_with_modification")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.set_disposition("accepted")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values() == ("accepted", "")


def _add_dialog(qtbot, ws, **kwargs):
    orgs = [o for o in directory.organizations(ws) if o.kind != "cne"]
    dialog = dialogs.AddCommentDialog(
        None, orgs, section_label="3 Detection", today=dt.date(2026, 11, 2), **kwargs
    )
    qtbot.addWidget(dialog)
    return dialog


def test_critical_comment_requires_a_ground(qtbot, ws):
    dialog = _add_dialog(qtbot, ws, quoted_passage="cueing", reviewers={"USCG": ("R. T.", "ACO")})
    dialog.set_organization("USCG")
    assert dialog.reviewer_name.text() == "R. T."  # the liaison, prefilled
    assert not dialog.critical_ground.isEnabled()
    dialog.set_type("C")
    assert dialog.critical_ground.isEnabled()
    qtbot.keyClicks(dialog.comment, "Incomplete and inaccurate.")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "must cite its ground" in dialog.problem_label.text()

    assert dialog.critical_ground.count() == 1 + len(cm.CRITICAL_GROUNDS)
    dialog.set_critical_ground("safety")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    values = dialog.values()
    assert values["type"] == "C" and values["critical_ground"] == "safety"
    assert values["quoted_passage"] == "cueing"
    assert values["organization_code"] == "USCG"
    assert values["response_date"] == "2026-11-02"


def test_substantive_comment_drops_a_ground_chosen_before_the_type_changed(qtbot, ws):
    dialog = _add_dialog(qtbot, ws)
    dialog.set_organization("USCG")
    dialog.set_type("C")
    dialog.set_critical_ground("law")
    dialog.set_type("S")
    qtbot.keyClicks(dialog.comment, "Confusing.")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values()["critical_ground"] is None


def test_comment_text_is_required(qtbot, ws):
    dialog = _add_dialog(qtbot, ws)
    dialog.set_organization("USCG")
    dialog.set_type("S")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Comment" in dialog.problem_label.text()


def test_waiver_and_override_need_a_reason(qtbot):
    waive = dialogs.WaiveDialog(
        None, {"CBP": [7]}, director="Harper Quillfeather", numbers={7: "6"}
    )
    qtbot.addWidget(waive)
    assert waive.director.text() == "Harper Quillfeather"
    assert [waive.section.itemText(i) for i in range(waive.section.count())] == [
        "All its sections",
        "Section 6",
    ]
    waive.accept()
    assert waive.result() != QDialog.DialogCode.Accepted
    qtbot.keyClicks(waive.reason, "CBP's equity is peripheral; liaison agreed by phone.")
    waive.accept()
    assert waive.result() == QDialog.DialogCode.Accepted
    assert waive.values()["organization_code"] == "CBP"

    override = dialogs.OverrideDialog(None, "USCG", director="Harper Quillfeather")
    qtbot.addWidget(override)
    override.accept()
    assert override.result() != QDialog.DialogCode.Accepted
    assert "reason" in override.problem_label.text()


def test_publish_dialog_will_not_accept_while_the_gate_has_blockers(qtbot):
    report = GateReport(1, (GateItem("blocker", "review", "CBP has not reviewed §6", "CBP", 7),))
    dialog = dialogs.PublishDialog(None, "SPSS Strategy", 1, report, director="H. Q.")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "CBP has not reviewed §6" in dialog.problem_label.text()


def test_new_request_suspense_and_sending_are_separate_choices(qtbot, ws, doc_id):
    sid = sections.add_section(ws, doc_id, heading="Detection", equities=["USCG"])
    sections.add_section(ws, doc_id, heading="Landing points", equities=["CBP"])
    orgs = [o for o in directory.organizations(ws) if o.kind != "cne"]
    dialog = dialogs.NewRequestDialog(
        None, orgs, sections.outline(ws, doc_id), today=dt.date(2026, 11, 2)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_organization("USCG")
    assert dialog.by_workdays.isChecked() and dialog.send_now.isChecked()
    assert dialog.workdays.value() == 10
    assert dialog.section_ids() == [sid]
    qtbot.mouseClick(dialog.by_date, Qt.MouseButton.LeftButton)
    assert dialog.send_now.isChecked() and dialog.date.isEnabled()
    dialog.date.setDate(dialog.date.date().addDays(30))
    dialog.accept()
    assert dialog.values() == {
        "org_code": "USCG",
        "section_ids": [sid],
        "instructions": "",
        "send": True,
        "suspense_date": "2026-12-02",
    }


def test_gate_reasons_are_grouped_by_organization(qtbot):
    from ui.coordination.gate_panel import group_title, grouped

    items = [
        GateItem("blocker", "review", "USCG has not reviewed §3.1", "USCG", 1),
        GateItem("blocker", "review", "CBP has not reviewed §3.2", "CBP", 2),
        GateItem("blocker", "critical", "Critical comment 4 from USCG is open", "USCG"),
        GateItem("warning", "administrative", "1 administrative comment open", None),
    ]
    groups = grouped(items)
    assert [org for org, _ in groups] == [None, "USCG", "CBP"]
    assert [len(g) for _, g in groups] == [1, 2, 1]
    assert group_title("USCG", 2, 0) == "USCG — 2 blocking"
    assert group_title(None, 0, 1) == "The document — 1 warning"
