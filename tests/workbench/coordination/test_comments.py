"""The comment resolution matrix: numbering, required fields, dispositions, applying wording."""

import pytest

from workbench import audit, sections
from workbench.coordination import comments as cm
from workbench.coordination import requests as rq
from workbench.errors import RuleViolation, WorkbenchError
from workbench.undo import UndoStack


def _critical(ws, strategy, **kw):
    args = dict(
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Incomplete and inaccurate.",
        critical_ground="safety",
        rationale="Understates the threat to boarding teams.",
        quoted_passage="travel slowly",
        proposed_wording="travel at up to 12 knots",
        reviewer_name="Capt. Lee Odiña",
    )
    args.update(kw)
    return cm.add_comment(ws, strategy.doc, **args)


def test_item_numbers_are_unique_and_sequential_in_a_document(ws, strategy):
    a = _critical(ws, strategy)
    b = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="CBP",
        type="A",
        section_id=strategy.ports,
        comment_text="Typo.",
    )
    assert [cm.comment(ws, a).item_no, cm.comment(ws, b).item_no] == [1, 2]


def test_critical_comment_must_cite_a_ground(ws, strategy):
    with pytest.raises(WorkbenchError, match="must cite its ground"):
        _critical(ws, strategy, critical_ground=None)
    with pytest.raises(WorkbenchError):
        _critical(ws, strategy, critical_ground="because")


def test_comment_needs_text_and_a_valid_type(ws, strategy):
    with pytest.raises(WorkbenchError, match="needs text"):
        _critical(ws, strategy, comment_text="   ")
    with pytest.raises(WorkbenchError, match="C, S or A"):
        _critical(ws, strategy, type="X")


def test_rejection_and_modification_need_a_rationale(ws, strategy):
    cid = _critical(ws, strategy)
    for disposition in ("rejected", "accepted_with_modification"):
        with pytest.raises(WorkbenchError, match="needs a rationale"):
            cm.adjudicate_comment(ws, cid, disposition, "")
    cm.adjudicate_comment(ws, cid, "rejected", "The figure comes from the 2025 assessment.")
    c = cm.comment(ws, cid)
    assert (c.disposition, c.disposition_by) == ("rejected", "analyst.one")
    cm.adjudicate_comment(ws, cid, "accepted")
    assert cm.comment(ws, cid).disposition == "accepted"


def test_comment_on_earlier_revision_is_flagged_with_the_changes(ws, strategy):
    rid = rq.create_request(ws, strategy.doc, "USCG", send=True)
    sections.edit_section(
        ws, strategy.maritime, body="SPSS vessels travel slowly.\n\nThey carry up to twelve tons."
    )
    cid = _critical(ws, strategy, request_id=rid)  # the reviewer read the text sent
    c = cm.comment(ws, cid)
    assert c.on_earlier_revision
    changed = [d for d in cm.changes_since_comment(ws, cid) if d.op != "equal"]
    assert len(changed) == 1
    assert ("insert", " twelve") in [(w.op, w.text) for w in changed[0].words]


def test_comment_on_current_text_is_not_flagged(ws, strategy):
    assert not cm.comment(ws, _critical(ws, strategy)).on_earlier_revision


def test_accept_and_apply_wording_is_one_undoable_step(ws, strategy):
    cid = _critical(ws, strategy)
    before = sections.section(ws, strategy.maritime).body
    stack = UndoStack()
    stack.perform(ws, cm.AcceptAndApplyWording(cid))
    assert "travel at up to 12 knots" in sections.section(ws, strategy.maritime).body
    assert cm.comment(ws, cid).disposition == "accepted"
    stack.undo(ws)
    assert sections.section(ws, strategy.maritime).body == before
    assert cm.comment(ws, cid).disposition is None
    assert cm.comment(ws, cid).wording_applied_at is None
    stack.redo(ws)
    assert "12 knots" in sections.section(ws, strategy.maritime).body


def test_apply_wording_refused_when_passage_no_longer_there(ws, strategy):
    cid = _critical(ws, strategy)
    cm.adjudicate_comment(ws, cid, "accepted")
    sections.edit_section(ws, strategy.maritime, body="Rewritten entirely.")
    with pytest.raises(RuleViolation, match="no longer in §2"):
        cm.apply_proposed_wording(ws, cid)


def test_filters_and_replies(ws, strategy):
    a = _critical(ws, strategy)
    cm.add_comment(
        ws,
        strategy.doc,
        organization_code="CBP",
        type="S",
        section_id=strategy.ports,
        comment_text="Incomplete.",
    )
    assert [c.id for c in cm.list_comments(ws, strategy.doc, types=["C"])] == [a]
    assert len(cm.list_comments(ws, strategy.doc, organization_code="CBP")) == 1
    assert len(cm.list_comments(ws, strategy.doc, section_id=strategy.maritime)) == 1
    cm.adjudicate_comment(ws, a, "accepted")
    assert len(cm.list_comments(ws, strategy.doc, open_only=True)) == 1
    cm.add_reply(ws, a, "Will revise in the next draft.")
    assert cm.comment(ws, a).replies[0].text == "Will revise in the next draft."


def test_every_comment_action_is_audited(ws, strategy):
    cid = _critical(ws, strategy)
    cm.adjudicate_comment(ws, cid, "accepted")
    cm.add_reply(ws, cid, "Thanks.")
    cm.apply_proposed_wording(ws, cid)
    actions = [e.action for e in audit.entries(ws, entity="comment", entity_id=cid)]
    assert actions == [
        "comment.apply_wording",
        "comment.reply",
        "comment.adjudicate",
        "comment.add",
    ]
    assert audit.verify_chain(ws) == []


def test_one_rule_for_a_comment_in_the_core_review_mode_and_the_dialog():
    """The core, the review window and the Add Comment dialog say the same thing."""
    from workbench.coordination.comments import comment_problem

    assert comment_problem("C", "The interdiction figure is wrong.", None).startswith(
        "A Critical comment must cite its ground"
    )
    assert comment_problem("C", "Wrong.", "law") == ""
    assert comment_problem("S", "Wrong.", None) == ""
    assert "needs text" in comment_problem("A", "  ", None)
    assert "C, S or A" in comment_problem("X", "Wrong.", None)


def test_wording_from_a_word_file_applies_across_a_footnote_and_keeps_its_citation(ws, strategy):
    """Word's text has no "[^1]": a tracked change in a cited sentence still applies, and the
    note stays cited where it was."""
    body = "SPSS vessels travel slowly.[^1] They carry up to ten tons.\n\n[^1]: JIATF-South, 2025."
    sections.edit_section(ws, strategy.maritime, body=body)
    cid = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="S",
        section_id=strategy.maritime,
        comment_text="Insert “cocaine”.",
        quoted_passage="SPSS vessels travel slowly. They carry up to ten tons.",
        proposed_wording="SPSS vessels travel slowly. They carry up to ten tons of cocaine.",
    )
    cm.adjudicate_comment(ws, cid, "accepted")
    cm.apply_proposed_wording(ws, cid)
    assert sections.section(ws, strategy.maritime).body == (
        "SPSS vessels travel slowly.[^1] They carry up to ten tons of cocaine.\n\n"
        "[^1]: JIATF-South, 2025."
    )
