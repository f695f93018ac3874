"""Whether an incoming response may stand: the packet it answers, its text, dates, and signer."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable

from workbench.coordination import requests as rq
from workbench.coordination.comments import passage_in
from workbench.exchange.formats import ExchangeError, canonical
from workbench.numbering import reference

UNAUTHENTICATED = "unauthenticated reviewer"
# A reviewer exports a few drafts before sending one; a number far beyond would lock them out.
MAX_SEQUENCE_STEP = 100
# Clocks on other networks drift; a response dated a day either side is still believable.
CLOCK_SLACK = dt.timedelta(days=1)


def _sent_digests(ws, request_id: int) -> set[str]:
    return {
        r["digest"]
        for r in ws.db.query(
            "SELECT digest FROM exchange_packets WHERE request_id = ?", [request_id]
        )
    }


def check_packet(ws, req: rq.ReviewRequest, body: dict, numbers: dict) -> None:
    """The response must answer a packet CNE sent for this request, about the text sent."""
    if body["packet_digest"] not in _sent_digests(ws, req.id):
        raise ExchangeError(
            f"This response answers text CNE never sent for review request {req.id} (no packet "
            "or workbook sent for it has that content). Nothing was imported."
        )
    check_claims(ws, req, seen=body["sections_seen"], numbers=numbers)


# -- what any returned file claims about its request (response files and Word copies alike) --
def check_claims(
    ws,
    req: rq.ReviewRequest,
    *,
    seen: Iterable[tuple[int, str]] = (),
    dates: Iterable[str] = (),
    numbers: dict | None = None,
    what: str = "response",
) -> None:
    """Refuse a file that claims this request but could not be an answer to it: text or
    sections CNE never sent in it (`seen`: section id and the content hash the reviewer read),
    a version already published, a date outside the request's life. One place for both the
    response file and the returned Word copy."""
    check_not_published(ws, req)
    numbers = numbers if numbers is not None else _numbers(ws, req)
    pinned = {s.section_id: s.content_hash for s in req.sections}
    for section_id, hash_seen in seen:
        where = reference(numbers[section_id]) if section_id in numbers else "a section"
        if section_id not in pinned:
            raise ExchangeError(
                f"This {what} comments on {where}, which CNE did not send in request {req.id}. "
                "Nothing was imported."
            )
        if pinned[section_id] != hash_seen:
            raise ExchangeError(
                f"The reviewer saw text for {where} that CNE never sent in request {req.id} "
                "(the packet was edited on its way). Nothing was imported."
                if what == "response"
                else f"This {what} holds text for {where} that CNE never sent in request "
                f"{req.id}. Nothing was imported."
            )
    for when in dates:
        check_date(ws, req, when, what)


def _numbers(ws, req: rq.ReviewRequest) -> dict:
    from workbench.sections import section_numbers

    return section_numbers(ws, req.document_id)


def check_not_published(ws, req: rq.ReviewRequest) -> None:
    published = next(
        ws.db.query(
            "SELECT 1 FROM publications WHERE document_id = ? AND version = ?",
            [req.document_id, req.document_version],
        ),
        None,
    )
    if published:
        raise ExchangeError(
            f"Version {req.document_version} of this document was already published; a "
            f"response to request {req.id} can no longer change its record. Nothing was imported."
        )


def check_date(ws, req: rq.ReviewRequest, when: str, what: str = "response") -> None:
    """A date the file gives must fall within the request's life (a day's slack each side)."""
    at = _at(when)
    now = ws.clock().astimezone(dt.UTC)
    sent = _at(req.sent_at or req.created_at)
    if at is not None and (at > now + CLOCK_SLACK or (sent and at < sent - CLOCK_SLACK)):
        raise ExchangeError(
            f"This {what} is dated {when[:10]}, outside the life of request "
            f"{req.id} (sent {(req.sent_at or req.created_at)[:10]}, today "
            f"{now.date().isoformat()}). Nothing was imported."
        )


def _person_named(ws, name: str) -> dict | None:
    return next(
        ws.db.query(
            "SELECT p.id, p.name, o.code FROM people p LEFT JOIN organizations o "
            "ON o.id = p.organization_id WHERE p.name = ? COLLATE NOCASE",
            [name.strip()],
        ),
        None,
    )


def authenticate(ws, req: rq.ReviewRequest, raw_body: dict, signature) -> str:
    """'signed by NAME' when the reviewer's key signed it, else UNAUTHENTICATED; or refuse."""
    from workbench.authority import keys, trust

    name = str(raw_body.get("reviewer_name", "")).strip()
    named = _person_named(ws, name)
    if named is not None and named["code"] != req.organization:
        where = named["code"] or "no organization"
        raise ExchangeError(
            f"This response is given in the name of {named['name']} ({where}), who does not "
            f"speak for {req.organization}. Nothing was imported."
        )
    if signature is None:
        return UNAUTHENTICATED
    try:
        cert = base64.b64decode(signature["certificate"], validate=True)
        value = base64.b64decode(signature["value"], validate=True)
        signer = keys.subject_name(cert)
    except Exception:  # a malformed signature block in a file from outside
        raise ExchangeError("This response's signature is damaged; nothing was imported.") from None
    person = trust.person_for_certificate(ws, cert)
    status = trust.check(ws, canonical(raw_body), value, cert, person_id=person)
    if not status.counts:
        why = status.reason or "it is not a reviewer's key in the directory"
        raise ExchangeError(
            f"This response's signature by {signer} does not count ({why}). Nothing was imported."
        )
    holder = next(
        ws.db.query(
            "SELECT p.name, o.code FROM people p LEFT JOIN organizations o "
            "ON o.id = p.organization_id WHERE p.id = ?",
            [person],
        )
    )
    if holder["code"] != req.organization:
        raise ExchangeError(
            f"This response is signed by {holder['name']}, who does not speak for "
            f"{req.organization}. Nothing was imported."
        )
    if holder["name"].casefold() != name.casefold():
        raise ExchangeError(
            f"This response names {name} but is signed by {holder['name']}. Nothing was imported."
        )
    return f"signed by {holder['name']}"


def _sent_texts(ws, req: rq.ReviewRequest) -> dict[int, tuple[str, str]]:
    ids = [s.section_revision_id for s in req.sections]
    marks = ",".join("?" * len(ids)) or "NULL"
    rows = {
        r["id"]: (r["heading"], r["body"])
        for r in ws.db.query(
            f"SELECT id, heading, body FROM section_revisions WHERE id IN ({marks})", ids
        )
    }
    return {s.section_id: rows.get(s.section_revision_id, ("", "")) for s in req.sections}


def _at(text: str) -> dt.datetime | None:
    try:
        at = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def check_content(ws, req: rq.ReviewRequest, body: dict, previous: dict | None, source: str):
    """Refuse what the reviewer could not have said about this request, with the reason."""
    check_not_published(ws, req)
    if body["position"] == "concur" and any(c["type"] == "C" for c in body["comments"]):
        raise ExchangeError(
            "This response concurs but carries a Critical comment (a Critical comment makes the "
            "position a non-concurrence). Nothing was imported."
        )
    texts = _sent_texts(ws, req)
    for n, c in enumerate(body["comments"], 1):
        passage = c["quoted_passage"]
        if not passage:
            continue
        # A comment about the document as a whole may quote any section that was sent.
        sid = c["section_id"]
        candidates = texts.values() if sid is None else [texts.get(sid, ("", ""))]
        if not any(passage_in(passage, heading, text) for heading, text in candidates):
            raise ExchangeError(
                f"Comment {n} quotes a passage that is not in the text sent for review "
                f"(\u201c{passage[:60]}\u201d). Nothing was imported."
            )
    check_date(ws, req, body["created_at"])
    if source != "workbook":
        last = previous["sequence"] if previous else 0
        if body["sequence"] > last + MAX_SEQUENCE_STEP:
            raise ExchangeError(
                f"This response's sequence number ({body['sequence']}) is far beyond the next "
                f"response expected ({last + 1}); it was altered. Nothing was imported."
            )
