"""The demo's coordination history: who was asked, who answered, what stands in the way."""

from __future__ import annotations

import datetime as dt

from workbench.authority.identity import acting_as
from workbench.coordination import comments as cm
from workbench.coordination import positions as po
from workbench.coordination import requests as rq
from workbench.coordination import reviews
from workbench.coordination.publication import publish
from workbench.directory import liaison_for, organization
from workbench.sections import outline

SPSS_CRITICAL = (
    "The description of SPSS interdiction is incomplete and inaccurate: it omits that operating "
    "a stateless SPSS is itself a federal crime, so the section implies a case is lost when the "
    "load sinks, and it understates the risk to boarding teams."
)
SPSS_PASSAGE = "sinking the vessel and its load."
SPSS_WORDING = (
    "sinking the vessel and its load. Operating a stateless SPSS on an international voyage is "
    "itself a federal crime, so the crew can be prosecuted even when the load is lost, and "
    "boarding teams will not enter a flooding vessel."
)


def _section(ws, doc_id: int, heading: str) -> int:
    return next(e.id for e in outline(ws, doc_id) if e.heading == heading)


def _reviewer(ws, code: str) -> tuple[str, str]:
    liaison = liaison_for(ws, organization(ws, code).id)
    if liaison:
        return liaison.name, liaison.title
    return f"{code} reviewing official", "Action officer"


def _concur(ws, doc_id: int, request_id: int, position: str = "concur") -> None:
    r = rq.request(ws, request_id)
    name, title = _reviewer(ws, r.organization)
    po.record_position(
        ws, doc_id, r.organization, position, by_name=name, by_title=title, request_id=request_id
    )


def _routed(ws, doc_id: int) -> dict[str, int]:
    return {rq.request(ws, i).organization: i for i in reviews.route_document(ws, doc_id)}


def seed(ws, docs: dict[str, int]) -> None:
    """Within the demo's transaction; moves the workspace clock back to date what happens."""
    real_clock = ws.clock
    start = real_clock()

    def at(days_ago: int) -> None:
        when = start - dt.timedelta(days=days_ago)
        ws.clock = lambda: when

    try:
        _doctrine(ws, docs["doctrine"], at)
        _maritime(ws, docs["maritime"], at)
        _southwest(ws, docs["southwest"], at)
        _spss(ws, docs["spss"], at)
    finally:
        ws.clock = real_clock


def _director(ws) -> str:
    from workbench.directory import people

    return people(ws, role="director")[0].name


def _doctrine(ws, doc: int, at) -> None:
    """Fully coordinated: every review current, comments adjudicated, one typo left (a warning)."""
    at(40)
    req = _routed(ws, doc)
    at(33)
    ia = req["I&A"]
    name, title = _reviewer(ws, "I&A")
    sub = cm.add_comment(
        ws,
        doc,
        organization_code="I&A",
        type="S",
        request_id=ia,
        section_id=_section(ws, doc, "Intelligence-Driven Operations"),
        comment_text="The tenet should say that intelligence is shared with state and local "
        "fusion centers, not only within the Department.",
        rationale="Incomplete: omits the fusion-center channel.",
        reviewer_name=name,
        reviewer_title=title,
    )
    _concur(ws, doc, ia, "concur_with_comment")
    for code in ("ICE", "USCG"):
        _concur(ws, doc, req[code])
    at(31)
    cbp = req["CBP"]
    name, title = _reviewer(ws, "CBP")
    cm.add_comment(
        ws,
        doc,
        organization_code="CBP",
        type="A",
        request_id=cbp,
        section_id=_section(ws, doc, "Defense in Depth"),
        comment_text="Use the office symbol OFO rather than 'field operations'.",
        reviewer_name=name,
        reviewer_title=title,
    )
    _concur(ws, doc, cbp)
    at(28)
    cm.adjudicate_comment(
        ws,
        sub,
        "accepted_with_modification",
        "Added fusion centers to the tenet's second paragraph in the next "
        "revision rather than the first.",
    )


def _maritime(ws, doc: int, at) -> None:
    """Coordinated and published: the version a PDF can be verified against."""
    at(70)
    req = _routed(ws, doc)
    at(60)
    for rid in req.values():
        _concur(ws, doc, rid)
    at(55)
    with acting_as(ws, _director(ws)):
        publish(ws, doc)


def _southwest(ws, doc: int, at) -> None:
    """In coordination: some answers in, one Substantive comment open, local partners silent."""
    at(21)
    req = _routed(ws, doc)
    at(6)
    _concur(ws, doc, req["I&A"])
    ice = req["ICE"]
    name, title = _reviewer(ws, "ICE")
    cm.add_comment(
        ws,
        doc,
        organization_code="ICE",
        type="S",
        request_id=ice,
        section_id=_section(ws, doc, "Disrupting Illicit Finance"),
        comment_text="ICE's Bulk Cash Smuggling Center already studies how proceeds move south; "
        "cite its work before any new study is commissioned.",
        rationale="Avoids duplicating existing work.",
        reviewer_name=name,
        reviewer_title=title,
    )
    _concur(ws, doc, ice, "concur_with_comment")


def _spss(ws, doc: int, at) -> None:
    """Blocked for exactly two reasons: USCG's Critical comment and CBP's outstanding review."""
    at(24)
    req = _routed(ws, doc)
    at(10)
    uscg = req["USCG"]
    name, title = _reviewer(ws, "USCG")
    cm.add_comment(
        ws,
        doc,
        organization_code="USCG",
        type="C",
        request_id=uscg,
        section_id=_section(ws, doc, "Interdiction and Evidence Preservation"),
        comment_text=SPSS_CRITICAL,
        critical_ground="safety",
        rationale="As written, the section invites boarding teams to enter sinking vessels to "
        "save evidence: an unnecessary risk to life and limb.",
        quoted_passage=SPSS_PASSAGE,
        proposed_wording=SPSS_WORDING,
        reviewer_name=name,
        reviewer_title=title,
    )
    _concur(ws, doc, uscg, "non_concur")
    for code in ("I&A", "ICE", "DOJ", "S&T"):
        if code in req:
            _concur(ws, doc, req[code])
