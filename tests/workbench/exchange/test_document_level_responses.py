"""A reviewer's comment on the document as a whole, in the .cnereview/.cneresponse round trip:
a null section id, no passage required, any passage it quotes from the text that was sent."""

from __future__ import annotations

import json

import pytest
from exchange_helpers import snapshot

from workbench.coordination.comments import list_comments
from workbench.coordination.gate import publication_blockers
from workbench.exchange.formats import ExchangeError
from workbench.exchange.packets import export_packet
from workbench.exchange.response_preview import preview_response
from workbench.exchange.responses import import_response
from workbench.exchange.review import ReviewSession


@pytest.fixture
def session(ws, review, tmp_path) -> ReviewSession:
    # USCG's request carries §1.1 Threat and §2 Operations; §1 Purpose was not sent.
    return ReviewSession.open(export_packet(ws, review.request_id, tmp_path / "uscg.cnereview"))


def _respond(session: ReviewSession, path, position="non_concur"):
    session.set_reviewer("CAPT Ann Ruiz", "Chief of Staff")
    session.set_position(position)
    return session.export_response(path)


def _rewrite(path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["body"]["comments"])
    path.write_text(json.dumps(data), encoding="utf-8")


def _refused(ws, path, match) -> None:
    before = snapshot(ws)
    with pytest.raises(ExchangeError, match=match):
        import_response(ws, path)
    assert snapshot(ws) == before


def test_a_comment_on_the_document_as_a_whole_arrives_as_one(ws, review, session, tmp_path):
    session.add_comment(
        None, "C", "The strategy omits go-fast vessels altogether.", critical_ground="policy"
    )
    # A passage is optional; one quoted may come from any section sent.
    session.add_comment(None, "S", "Say which cutters, throughout.", quoted_passage="two cutters")
    session.add_comment(session.packet.sections[0].section_id, "A", "Typo.")
    out = _respond(session, tmp_path / "uscg.cneresponse")
    sent = json.loads(out.read_text(encoding="utf-8"))["body"]["comments"]
    assert [c["section_id"] for c in sent[:2]] == [None, None]

    result = import_response(ws, out)
    assert (result.added, result.changed_since) == (3, ())
    crm = {c.comment: c for c in list_comments(ws, review.doc_id)}
    whole = crm["The strategy omits go-fast vessels altogether."]
    assert whole.about_document and whole.section_id is None
    assert (whole.location, whole.reference) == ("Document", "the document as a whole")
    assert whole.section_revision_id is None and whole.reviewer_name == "CAPT Ann Ruiz"
    quoted = crm["Say which cutters, throughout."]
    assert quoted.about_document and quoted.quoted_passage == "two cutters"
    assert crm["Typo."].section_number == "1.1"
    blockers = [b.message for b in publication_blockers(ws, review.doc_id).blockers]
    assert any("on the document as a whole" in m and "Critical" in m for m in blockers), blockers

    before = snapshot(ws)
    assert import_response(ws, out).already_imported
    assert snapshot(ws) == before


def test_a_newer_response_keeps_an_unchanged_document_comment(ws, review, session, tmp_path):
    session.add_comment(None, "S", "Add a section on funding.")
    import_response(ws, _respond(session, tmp_path / "first.cneresponse", "concur_with_comment"))
    session.add_comment(None, "A", "Spell out SPSS.")
    again = import_response(ws, _respond(session, tmp_path / "second.cneresponse"))
    assert (again.added, again.kept, again.superseded, again.withdrawn) == (1, 1, 0, 0)
    assert [c.about_document for c in list_comments(ws, review.doc_id)] == [True, True]


def test_the_reviewers_draft_keeps_a_document_comment(session):
    session.add_comment(None, "S", "Add a section on funding.")
    session.save()
    again = ReviewSession.open(session.packet_path)
    assert again.notice == ""  # not set aside as unreadable
    assert [(c.section_id, c.comment) for c in again.comments] == [
        (None, "Add a section on funding.")
    ]


def test_review_mode_refuses_a_passage_in_no_section_sent(session):
    with pytest.raises(ExchangeError, match="not in any section of this packet"):
        session.add_comment(None, "S", "Wrong.", quoted_passage="tunnels under the border")
    # §1 Purpose is in the document but was not sent to USCG.
    with pytest.raises(ExchangeError, match="not in any section of this packet"):
        session.add_comment(None, "S", "Wrong.", quoted_passage="guides maritime interdiction")
    assert session.add_comment(None, "S", "Heading.", quoted_passage="Operations")
    assert session.comments[0].section_id is None


def test_the_preview_lists_document_comments_under_the_document_as_a_whole(
    ws, review, session, tmp_path
):
    session.add_comment(session.packet.sections[1].section_id, "A", "Name the cutters.")
    session.add_comment(None, "S", "Add a section on funding.")
    preview = preview_response(ws, _respond(session, tmp_path / "uscg.cneresponse"))
    assert [where for where, _ in preview.groups] == ["The document as a whole", "§2"]
    report = preview.report().splitlines()
    at = report.index("The document as a whole:")
    assert report[at + 1] == "  S Substantive: Add a section on funding."
    assert list_comments(ws, review.doc_id) == []  # the preview wrote nothing


# -- what a hostile or damaged response claims ------------------------------------------------
@pytest.fixture
def response(session, tmp_path):
    session.add_comment(None, "S", "Add a section on funding.")
    return _respond(session, tmp_path / "uscg.cneresponse")


def test_a_document_comment_quoting_text_never_sent_is_refused(ws, response):
    def quote(text):
        return lambda comments: comments[0].update(quoted_passage=text)

    _rewrite(response, quote("tunnels under the border"))
    _refused(ws, response, "quotes a passage that is not in the text sent for review")
    # Text of the document that was not sent in this request (§1 went to nobody) is refused too.
    _rewrite(response, quote("This strategy guides maritime interdiction."))
    _refused(ws, response, "quotes a passage that is not in the text sent for review")


def test_a_section_not_sent_is_still_refused(ws, review, response):
    _rewrite(response, lambda comments: comments[0].update(section_id=review.section_ids[0]))
    _refused(ws, response, "on a section that was not sent for review")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda c: c.pop("section_id"), "'section_id' is missing"),
        (lambda c: c.update(section_id="Document"), "'section_id' is missing or not a whole"),
        (lambda c: c.update(section_id=-1), "'section_id' is missing or not a whole"),
    ],
    ids=["no key", "text", "negative"],
)
def test_a_malformed_section_is_refused_not_taken_for_the_document(ws, response, change, match):
    _rewrite(response, lambda comments: change(comments[0]))
    _refused(ws, response, match)


def test_a_signed_document_comment_cannot_be_moved_onto_a_section(ws, review, session, tmp_path):
    from tests import pki
    from workbench import directory
    from workbench.authority import keys, trust

    hale = next(p.id for p in directory.people(ws) if p.name == "Rear Admiral Jane Hale")
    identity = pki.make("Rear Admiral Jane Hale")
    trust.set_person_certificate(ws, hale, identity.der)
    key = keys.from_private_key(identity.key, identity.der, source="pkcs12")
    session.add_comment(None, "C", "Omits go-fast vessels.", critical_ground="policy")
    session.set_reviewer("Rear Admiral Jane Hale")
    session.set_position("non_concur")
    out = session.export_response(tmp_path / "signed.cneresponse", key)
    signed = out.read_text(encoding="utf-8")
    sid = session.packet.sections[0].section_id
    _rewrite(out, lambda comments: comments[0].update(section_id=sid))
    _refused(ws, out, "does not count \\(the record was altered")
    out.write_text(signed, encoding="utf-8")
    assert import_response(ws, out).authentication == "signed by Rear Admiral Jane Hale"
    (whole,) = list_comments(ws, review.doc_id)
    assert whole.about_document


def test_check_replays_an_imported_document_comment(ws, review, session, tmp_path):
    from workbench.maintenance.check import check_workspace

    session.add_comment(None, "S", "Add a section on funding.")
    import_response(ws, _respond(session, tmp_path / "uscg.cneresponse"))
    path = ws.path
    ws.close()
    assert check_workspace(path).problems("audit replay") == []
    from workbench.workspace import Workspace

    with Workspace.open(path) as again:  # someone files it under a section behind the log
        again.db.execute("UPDATE comments SET section_id = ?", [review.section_ids[1]])
    assert check_workspace(path).problems("audit replay") != []
