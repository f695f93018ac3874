"""Decision dialogs decide nothing for the user; their defaults follow the context."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog

from ui.coordination import dialogs
from ui.coordination.install import install
from ui.navigator import SECTION
from workbench import directory, sections
from workbench.coordination import comments as cm


def orgs(ws):
    return [o for o in directory.organizations(ws) if o.kind != "cne"]


def test_record_position_presets_neither_organization_nor_position(qtbot, ws):
    dialog = dialogs.RecordPositionDialog(None, orgs(ws), today=dt.date(2026, 11, 2))
    qtbot.addWidget(dialog)
    assert dialog.organization.currentData() is None
    assert dialog.position.currentData() is None
    dialog.set_organization("ICE")
    qtbot.keyClicks(dialog.by_name, "J. Doe")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Choose the position" in dialog.problem_label.text()
    dialog.set_position("concur")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_record_position_follows_the_organization_in_context(qtbot, ws):
    dialog = dialogs.RecordPositionDialog(None, orgs(ws), organization="CBP")
    qtbot.addWidget(dialog)
    assert dialog.organization.currentData() == "CBP"
    assert dialog.position.currentData() is None


def test_add_comment_presets_no_type_and_takes_the_organization_given(qtbot, ws):
    dialog = dialogs.AddCommentDialog(None, orgs(ws), section_label="Tenet 3", organization="ICE")
    qtbot.addWidget(dialog)
    assert dialog.organization.currentData() == "ICE"
    assert dialog.type.currentData() is None
    plain = dialogs.AddCommentDialog(None, orgs(ws), section_label="Tenet 3")
    qtbot.addWidget(plain)
    assert plain.organization.currentData() is None


def comment_on(ws, doc_id, sid, **extra):
    args = dict(organization_code="USCG", type="S", section_id=sid, comment_text="Unclear.")
    args.update(extra)
    return cm.comment(ws, cm.add_comment(ws, doc_id, **args))


def test_adjudicate_presets_no_disposition_and_shows_passage_and_wording(qtbot, ws, doc_id):
    sid = sections.add_section(ws, doc_id, heading="Scope", body="Two cutters patrol.")
    c = comment_on(ws, doc_id, sid, quoted_passage="Two cutters", proposed_wording="Four cutters")
    dialog = dialogs.AdjudicateDialog(None, c)
    qtbot.addWidget(dialog)
    assert dialog.disposition is None
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.hint)))
    assert "Two cutters" in texts and "Four cutters" in texts
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Choose the disposition" in dialog.problem_label.text()


def test_add_comment_from_the_window_follows_the_sections_only_equity(
    qtbot, ws, doc_id, window, monkeypatch
):
    coordination = install(window)
    sid = sections.add_section(ws, doc_id, kind="tenet", heading="Finance", equities=["ICE"])
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    seen = {}

    def fake_get(parent, organizations, **kwargs):
        seen.update(kwargs)
        return None

    monkeypatch.setattr(dialogs.AddCommentDialog, "get_comment", fake_get)
    coordination.controller.add_comment()
    assert seen["organization"] == "ICE"


def test_apply_wording_without_a_passage_asks_before_replacing_the_text(
    qtbot, ws, doc_id, window, dialogs
):
    coordination = install(window)
    body = "The Coast Guard leads maritime interdiction. " * 14
    sid = sections.add_section(ws, doc_id, heading="Purpose", body=body, equities=["USCG"])
    c = comment_on(ws, doc_id, sid, proposed_wording="USCG leads maritime interdiction.")
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    ctrl = coordination.controller
    ctrl.set_comment(c.id)
    dialogs.confirm_answer = False
    ctrl.accept_and_apply()
    assert window.ops.flush()
    kind, title, text = dialogs.shown[-1]
    assert kind == "confirm" and title == "Replace the whole section text?"
    assert f"{len(body):,} characters become 33" in text
    assert "+ Inserted:\nUSCG leads maritime interdiction." in text
    assert sections.section(ws, sid).body == body  # refused: nothing changed
    assert cm.comment(ws, c.id).disposition is None
    dialogs.confirm_answer = True
    ctrl.accept_and_apply()
    assert window.ops.flush()
    assert sections.section(ws, sid).body == "USCG leads maritime interdiction."
