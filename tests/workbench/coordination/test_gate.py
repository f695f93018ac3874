"""Each publication-gate rule on its own: the blocker appears, then goes at the right moment."""

import json

import pytest

from workbench import documents, sections
from workbench.authority import rulings
from workbench.authority.identity import acting_as
from workbench.coordination import comments as cm
from workbench.coordination import positions as po
from workbench.coordination import publication as pub
from workbench.coordination import reviews
from workbench.coordination.gate import publication_blockers
from workbench.errors import RuleViolation


def messages(ws, doc):
    return [b.message for b in publication_blockers(ws, doc).blockers]


def concur_all(ws, s):
    po.record_position(ws, s.doc, "USCG", "concur", by_name="Capt. Lee Odiña")
    po.record_position(ws, s.doc, "CBP", "concur", by_name="Pat Moreno")


def test_unreviewed_sections_block_naming_organization_and_section(ws, strategy):
    assert messages(ws, strategy.doc) == ["USCG has not reviewed §2", "CBP has not reviewed §3"]
    concur_all(ws, strategy)
    assert publication_blockers(ws, strategy.doc).publishable


def test_outstanding_request_is_named_with_its_suspense(ws, strategy):
    reviews.route_document(ws, strategy.doc)
    assert messages(ws, strategy.doc) == [
        "USCG has not reviewed §2 (review request 1 due 2026-11-17)",
        "CBP has not reviewed §3 (review request 2 due 2026-11-17)",
    ]


def test_edit_after_review_makes_only_that_section_stale(ws, strategy, clock):
    concur_all(ws, strategy)
    clock.advance(days=18)  # 20 November
    sections.edit_section(ws, strategy.ports, body="Screening at all ports of entry.")
    assert messages(ws, strategy.doc) == ["CBP has not reviewed §3 since it changed on 2026-11-20"]
    states = {
        (s.organization, s.section_id): s.state for s in reviews.review_states(ws, strategy.doc)
    }
    assert states == {("USCG", strategy.maritime): "current", ("CBP", strategy.ports): "stale"}
    po.record_position(ws, strategy.doc, "CBP", "concur", by_name="Pat Moreno")
    assert messages(ws, strategy.doc) == []


def test_critical_comment_blocks_until_adjudicated(ws, strategy):
    concur_all(ws, strategy)
    cid = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Incomplete and inaccurate.",
        critical_ground="safety",
    )
    assert messages(ws, strategy.doc) == ["USCG: Critical comment 1 on §2 has no disposition"]
    cm.adjudicate_comment(ws, cid, "accepted")
    assert messages(ws, strategy.doc) == []


def test_rejected_critical_stands_until_withdrawn(ws, strategy):
    concur_all(ws, strategy)
    cid = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Wrong.",
        critical_ground="policy",
    )
    cm.adjudicate_comment(ws, cid, "rejected", "Consistent with the 2025 policy memo.")
    assert messages(ws, strategy.doc) == [
        "USCG non-concurs: Critical comment 1 on §2 was rejected; USCG must withdraw its "
        "non-concurrence or the Director override it"
    ]
    # A withdrawal is USCG's own: not an analyst typing its liaison's name, not CBP.
    with pytest.raises(RuleViolation, match="Say who you are"):
        rulings.withdraw_nonconcurrence(
            ws, strategy.doc, "USCG", by_name="Capt. Lee Odiña", reason="Memo reviewed"
        )
    with acting_as(ws, "Pat Moreno"), pytest.raises(RuleViolation, match="someone of USCG"):
        rulings.withdraw_nonconcurrence(ws, strategy.doc, "USCG", reason="Memo reviewed")
    with acting_as(ws, "Capt. Lee Odiña"):
        rulings.withdraw_nonconcurrence(
            ws,
            strategy.doc,
            "USCG",
            reason="Letter of 2026-11-12 withdraws the non-concurrence.",
        )
    assert messages(ws, strategy.doc) == []
    nc = po.nonconcurrence(ws, strategy.doc, "USCG")
    assert nc.state == "withdrawn"
    assert nc.resolved_by.by_title == "Assistant Commandant for Operations"


def test_nonconcurring_position_stands_until_overridden_by_the_director(ws, strategy):
    po.record_position(ws, strategy.doc, "USCG", "non_concur", by_name="Capt. Lee Odiña")
    po.record_position(ws, strategy.doc, "CBP", "concur", by_name="Pat Moreno")
    assert messages(ws, strategy.doc)[0].startswith("USCG non-concurs (Capt. Lee Odiña, ")
    with acting_as(ws, "Pat Moreno"), pytest.raises(RuleViolation, match="Only the Director"):
        rulings.override_nonconcurrence(ws, strategy.doc, "USCG", reason="x")
    with acting_as(ws, "Dana Reyes"):
        rulings.override_nonconcurrence(
            ws,
            strategy.doc,
            "USCG",
            reason="Impasse decided at the Council meeting of 2026-11-10.",
        )
    assert messages(ws, strategy.doc) == []
    record = pub.coordination_record(ws, strategy.doc)
    uscg = next(o for o in record["organizations"] if o["code"] == "USCG")
    assert uscg["events"][0]["kind"] == "overridden"
    assert "Council meeting" in uscg["events"][0]["reason"]


def test_a_new_critical_comment_revives_a_withdrawn_nonconcurrence(ws, strategy):
    concur_all(ws, strategy)
    first = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Wrong.",
        critical_ground="law",
    )
    cm.adjudicate_comment(ws, first, "rejected", "Disagree.")
    with acting_as(ws, "Capt. Lee Odiña"):
        rulings.withdraw_nonconcurrence(ws, strategy.doc, "USCG", reason="Withdrawn by letter.")
    second = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Still wrong.",
        critical_ground="law",
    )
    cm.adjudicate_comment(ws, second, "rejected", "Disagree again.")
    assert po.nonconcurrence(ws, strategy.doc, "USCG").state == "standing"


def test_acceptance_clears_nonconcurrence_and_the_record_says_so(ws, strategy):
    po.record_position(ws, strategy.doc, "USCG", "non_concur", by_name="Capt. Lee Odiña")
    cid = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Wrong.",
        critical_ground="safety",
    )
    cm.adjudicate_comment(ws, cid, "accepted")
    nc = po.nonconcurrence(ws, strategy.doc, "USCG")
    assert nc.state == "cleared"
    uscg_events = po.events(ws, strategy.doc, nc.organization_id)
    assert [e.kind for e in uscg_events] == ["cleared"]
    assert "accepted" in uscg_events[0].reason


def test_substantive_blocks_administrative_only_warns(ws, strategy):
    concur_all(ws, strategy)
    s = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="CBP",
        type="S",
        section_id=strategy.ports,
        comment_text="Incomplete.",
    )
    a = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="CBP",
        type="A",
        section_id=strategy.ports,
        comment_text="Office symbol is wrong.",
    )
    report = publication_blockers(ws, strategy.doc)
    assert [b.message for b in report.blockers] == [
        "CBP: Substantive comment 1 on §3 has no disposition"
    ]
    assert [w.message for w in report.warnings] == ["CBP: Administrative comment 2 on §3 is open"]
    cm.adjudicate_comment(ws, s, "accepted_with_modification", "Reworded differently.")
    report = publication_blockers(ws, strategy.doc)
    assert report.publishable and len(report.warnings) == 1
    assert a


def test_director_waiver_excuses_a_review_with_a_recorded_reason(ws, strategy):
    po.record_position(ws, strategy.doc, "USCG", "concur", by_name="Capt. Lee Odiña")
    with acting_as(ws, "Capt. Lee Odiña"), pytest.raises(RuleViolation):
        rulings.waive_review(ws, strategy.doc, "CBP", reason="x")
    with acting_as(ws, "Dana Reyes"):
        wid = rulings.waive_review(
            ws,
            strategy.doc,
            "CBP",
            section_id=strategy.ports,
            reason="Section unchanged since 2025.",
        )
    assert messages(ws, strategy.doc) == []
    reviews.revoke_waiver(ws, wid)
    assert messages(ws, strategy.doc) == ["CBP has not reviewed §3"]


def test_blocker_items_point_at_their_place(ws, strategy):
    cid = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Wrong.",
        critical_ground="safety",
    )
    items = publication_blockers(ws, strategy.doc).blockers
    critical = next(i for i in items if i.rule == "critical")
    assert (critical.organization, critical.section_id, critical.comment_id) == (
        "USCG",
        strategy.maritime,
        cid,
    )


def test_publish_refused_while_blocked_then_freezes_the_version(ws, strategy):
    with acting_as(ws, "Dana Reyes"), pytest.raises(RuleViolation, match="USCG has not reviewed"):
        pub.publish(ws, strategy.doc)
    concur_all(ws, strategy)
    with acting_as(ws, "Pat Moreno"), pytest.raises(RuleViolation, match="Only the Director"):
        pub.publish(ws, strategy.doc)
    with acting_as(ws, "dana reyes"):
        pub.publish(ws, strategy.doc)
    doc = documents.document(ws, strategy.doc)
    assert (doc.status, doc.version) == ("published", 1)
    frozen = pub.published_snapshot(ws, strategy.doc, 1)
    assert frozen["published_by"] == "Dana Reyes"
    assert [o["position"] for o in frozen["coordination"]["organizations"]] == ["concur", "concur"]
    # Later edits start version 2; the published text is never edited in place.
    with pytest.raises(RuleViolation, match="published"):
        sections.edit_section(ws, strategy.maritime, body="Version two text.")
    report = publication_blockers(ws, strategy.doc)
    assert report.published and report.summary().startswith("Version 1 is published")
    assert report.blockers == [] and not report.publishable
    documents.start_next_version(ws, strategy.doc)
    sections.edit_section(ws, strategy.maritime, body="Version two text.")
    doc = documents.document(ws, strategy.doc)
    assert (doc.status, doc.version) == ("draft", 2)
    assert pub.published_snapshot(ws, strategy.doc, 1) == frozen
    maritime = next(s for s in frozen["sections"] if s["section_id"] == strategy.maritime)
    assert maritime["body"].startswith("SPSS vessels travel slowly.")
    assert messages(ws, strategy.doc) == ["USCG has not reviewed §2 since it changed on 2026-11-02"]
    row = next(ws.db.query("SELECT snapshot FROM publications"))
    assert json.loads(row["snapshot"]) == frozen


def test_crm_csv_has_every_column_and_neutralises_formulas(ws, strategy):
    cm.add_comment(
        ws,
        strategy.doc,
        organization_code="CBP",
        type="S",
        section_id=strategy.ports,
        comment_text='=HYPERLINK("http://x")',
        reviewer_name="Pat Moreno",
    )
    text = pub.crm_csv(ws, strategy.doc)
    header, row = text.splitlines()[:2]
    assert header.startswith("Item,Organization,Reviewer,Title,Date,Type,Section,Passage,Comment")
    assert "'=HYPERLINK" in row


@pytest.mark.sqlite_only
def test_publishing_takes_a_backup_after_it_commits(ws, strategy):
    from workbench.maintenance.backups import list_backups
    from workbench.workspace import Workspace

    concur_all(ws, strategy)
    with acting_as(ws, "Dana Reyes"):
        pub.publish(ws, strategy.doc)
    (backup,) = list_backups(ws.path)
    assert backup.reason == "publish"
    # The copy holds the publication: it was taken after the commit, not before.
    with Workspace.open(backup.path, read_only=True) as copy:
        assert pub.publications(copy, strategy.doc)[0].published_by == "Dana Reyes"


def test_a_nonconcurrence_given_after_a_critical_was_accepted_still_blocks(ws, strategy):
    concur_all(ws, strategy)
    cid = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Wrong.",
        critical_ground="law",
    )
    cm.adjudicate_comment(ws, cid, "accepted")
    assert messages(ws, strategy.doc) == []
    # Later USCG objects again, with no new Critical comment: the old acceptance cannot clear it.
    po.record_position(ws, strategy.doc, "USCG", "non_concur", by_name="Capt. Lee Odiña")
    assert messages(ws, strategy.doc)[0].startswith("USCG non-concurs (Capt. Lee Odiña, ")
    with acting_as(ws, "Capt. Lee Odiña"):
        rulings.withdraw_nonconcurrence(ws, strategy.doc, "USCG", reason="Withdrawn by letter.")
    assert messages(ws, strategy.doc) == []


@pytest.mark.sqlite_only
def test_the_order_of_position_and_acceptance_is_kept_on_the_rows_not_in_the_log(ws, strategy):
    """A non-concurrence answers to its own Critical comments by the coordination order; audit
    ids may be renumbered (a copy to another engine, a replayed log) without changing it."""
    concur_all(ws, strategy)
    cid = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Wrong.",
        critical_ground="law",
    )
    cm.adjudicate_comment(ws, cid, "accepted")
    po.record_position(ws, strategy.doc, "USCG", "non_concur", by_name="Capt. Lee Odiña")
    before = messages(ws, strategy.doc)
    seq = ws.db.execute("SELECT seq FROM positions ORDER BY id DESC LIMIT 1").fetchone()[0]
    accepted = ws.db.execute("SELECT disposition_seq FROM comments WHERE id = ?", [cid]).fetchone()
    assert accepted[0] < seq
    # Renumber the log backwards (as a copy elsewhere might): the answer must not change.
    triggers = [r[0] for r in ws.db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    for t in triggers:
        if t.startswith("audit"):
            ws.db.execute(f'DROP TRIGGER "{t}"')
    ws.db.execute("UPDATE audit_log SET id = -id")
    assert messages(ws, strategy.doc) == before
    assert before[0].startswith("USCG non-concurs")
