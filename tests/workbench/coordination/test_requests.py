"""Review requests go to the organizations whose equities a section touches, pinned to its text."""

import datetime as dt

import pytest

from workbench import audit, sections
from workbench.coordination import requests as rq
from workbench.coordination import reviews
from workbench.errors import RuleViolation, WorkbenchError


def test_default_sections_are_those_with_the_organizations_equities(ws, strategy):
    rid = rq.create_request(ws, strategy.doc, "USCG")
    r = rq.request(ws, rid)
    assert r.section_ids == (strategy.maritime,)
    assert r.reviewer_name == "Capt. Lee Odiña"  # the liaison, from the directory
    assert r.status == "draft"


def test_request_is_pinned_to_the_revision_sent(ws, strategy):
    rid = rq.create_request(ws, strategy.doc, "USCG", send=True)
    before = rq.request(ws, rid).sections[0].content_hash
    sections.edit_section(ws, strategy.maritime, body="Changed after sending.")
    assert rq.request(ws, rid).sections[0].content_hash == before
    assert sections.section(ws, strategy.maritime).content_hash != before


def test_suspense_defaults_to_ten_workdays_from_today(ws, strategy):
    # The clock says Monday 2 November 2026; ten workdays on, with Veterans Day (11th) skipped.
    rid = rq.create_request(ws, strategy.doc, "USCG", send=True)
    assert rq.request(ws, rid).suspense_date == "2026-11-17"


def test_overdue_is_derived_from_the_suspense_date(ws, strategy, clock):
    rid = rq.create_request(ws, strategy.doc, "CBP", suspense_workdays=2, send=True)
    assert rq.request(ws, rid).status == "sent"
    clock.advance(days=3)  # Thursday: past a Wednesday suspense
    assert rq.request(ws, rid).status == "overdue"


def test_organization_without_equities_needs_explicit_sections(ws, strategy):
    with pytest.raises(RuleViolation, match="ICE has no equities"):
        rq.create_request(ws, strategy.doc, "ICE")
    rid = rq.create_request(ws, strategy.doc, "ICE", section_ids=[strategy.intro])
    assert rq.request(ws, rid).section_ids == (strategy.intro,)


def test_explicit_suspense_date_must_be_a_date(ws, strategy):
    with pytest.raises(WorkbenchError, match="not a date"):
        rq.create_request(ws, strategy.doc, "USCG", suspense_date="next week")


def test_route_sends_one_request_per_organization_with_equities(ws, strategy):
    ids = reviews.route_document(ws, strategy.doc)
    reqs = [rq.request(ws, i) for i in ids]
    assert sorted(r.organization for r in reqs) == ["CBP", "USCG"]
    assert all(r.status == "sent" for r in reqs)
    assert reviews.route_document(ws, strategy.doc) == []  # nothing new to send


def test_route_after_a_change_sends_only_the_changed_section(ws, strategy):
    from workbench.coordination.positions import record_position

    usc, cbp = reviews.route_document(ws, strategy.doc)
    record_position(ws, strategy.doc, "USCG", "concur", by_name="Capt. Lee Odiña", request_id=usc)
    sections.edit_section(ws, strategy.maritime, body="Revised maritime text.")
    again = reviews.route_document(ws, strategy.doc)
    assert len(again) == 1
    r = rq.request(ws, again[0])
    assert (r.organization, r.section_ids) == ("USCG", (strategy.maritime,))


def test_withdraw_needs_a_reason_and_an_open_request(ws, strategy):
    rid = rq.create_request(ws, strategy.doc, "USCG", send=True)
    with pytest.raises(WorkbenchError, match="why"):
        rq.withdraw_request(ws, rid, "  ")
    rq.withdraw_request(ws, rid, "Superseded by the revised draft")
    assert rq.request(ws, rid).status == "withdrawn"
    with pytest.raises(RuleViolation):
        rq.withdraw_request(ws, rid, "again")


def test_sending_puts_the_document_in_coordination_and_is_audited(ws, strategy):
    from workbench.documents import document

    rid = rq.create_request(ws, strategy.doc, "USCG")
    assert document(ws, strategy.doc).status == "draft"
    rq.send_request(ws, rid)
    assert document(ws, strategy.doc).status == "in_coordination"
    actions = [e.action for e in audit.entries(ws, entity="review_request", entity_id=rid)]
    assert actions == ["request.send", "request.create"]
    with pytest.raises(RuleViolation):
        rq.send_request(ws, rid)


def test_set_suspense(ws, strategy):
    rid = rq.create_request(ws, strategy.doc, "USCG", send=True)
    rq.set_suspense(ws, rid, (dt.date(2026, 12, 1)).isoformat())
    assert rq.request(ws, rid).suspense_date == "2026-12-01"
