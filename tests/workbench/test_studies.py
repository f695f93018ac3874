"""The study registry, related prior work, and recorded deconfliction consultations."""

from __future__ import annotations

import pytest

from workbench import audit, documents, search, studies
from workbench.errors import NotFound, WorkbenchError


def _registry(ws):
    bcsc = studies.add_study(
        ws,
        "Bulk cash smuggling: how trafficking organizations move and launder criminal proceeds",
        "ICE",
        office="Bulk Cash Smuggling Center",
        status="completed",
        year=2024,
        abstract="Analysis of currency couriers, trade-based laundering and the proceeds of "
        "drug trafficking organizations crossing the Southwest border.",
        contact="BCSC Chief of Analysis",
        amount="$350,000",
    )
    spss = studies.add_study(
        ws,
        "Self-propelled semi-submersible vessel detection",
        "USCG",
        office="Office of Counter Drug and Transnational Crime",
        kind="contract",
        status="underway",
        year=2025,
        abstract="Sensors and patrol tactics for low-profile vessels in the transit zone.",
    )
    tunnels = studies.add_study(
        ws,
        "Cross-border tunnel detection technology",
        "S&T",
        status="planned",
        year=2026,
        abstract="Seismic sensing of tunnels under the Southwest border.",
    )
    return bcsc, spss, tunnels


def test_add_and_list_studies(ws):
    bcsc, spss, tunnels = _registry(ws)
    s = studies.study(ws, bcsc)
    assert s.owner == "ICE Bulk Cash Smuggling Center"
    assert (s.status_label, s.year, s.amount) == ("Completed", 2024, 350_000)
    assert [x.id for x in studies.list_studies(ws)] == [tunnels, spss, bcsc]
    assert [x.id for x in studies.list_studies(ws, organization_code="uscg")] == [spss]
    assert [x.id for x in studies.list_studies(ws, status="planned")] == [tunnels]
    entry = audit.entries(ws, action_prefix="study.add", limit=1)[0]
    assert (entry.entity_id, entry.details["organization"]) == (tunnels, "S&T")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"title": "  "}, "needs a title"),
        ({"status": "done"}, "Unknown status"),
        ({"kind": "grant"}, "Unknown kind"),
        ({"year": "soon"}, "not a year"),
        ({"amount": "lots"}, "not an amount"),
    ],
)
def test_study_input_errors(ws, kwargs, message):
    args = {"title": "A study", **kwargs}
    with pytest.raises(WorkbenchError, match=message):
        studies.add_study(ws, args.pop("title"), "ICE", **args)


def test_update_study_keeps_index_current(ws):
    bcsc, _, _ = _registry(ws)
    studies.update_study(ws, bcsc, status="cancelled", abstract="Casino junket laundering.")
    assert studies.study(ws, bcsc).status == "cancelled"
    assert [h.id for h in search.search(ws, "junket").hits] == [bcsc]
    assert search.search(ws, "couriers", kinds=["study"]).hits == ()
    hit = search.search(ws, "bulk cash", kinds=["study"], status="cancelled").hits[0]
    assert (hit.id, hit.organization, hit.context) == (
        bcsc,
        "ICE",
        "ICE Bulk Cash Smuggling Center",
    )


def test_related_work_finds_the_bcsc_study_first(ws):
    bcsc, spss, tunnels = _registry(ws)
    found = studies.related_work(
        ws, "How traffickers use criminal proceeds", "A $500,000 study of money laundering"
    )
    assert found[0].kind == "study" and found[0].id == bcsc
    assert found[0].owner == "ICE Bulk Cash Smuggling Center"
    assert "[" in found[0].snippet_text()
    assert spss not in [r.id for r in found if r.kind == "study"]


def test_related_work_includes_documents_but_not_the_new_one_itself(ws):
    _registry(ws)
    old = documents.create_document(ws, "strategy", "Semi-submersible vessel strategy")
    new = documents.create_document(ws, "study", "Semi-submersible vessel detection options")
    found = studies.related_work(
        ws, "Semi-submersible vessel detection options", exclude_document_id=new
    )
    kinds_ids = [(r.kind, r.id) for r in found]
    assert ("document", new) not in kinds_ids
    assert ("document", old) in kinds_ids
    assert kinds_ids[0][0] == "study"  # the USCG contract matches every word


def test_related_work_with_nothing_to_match(ws):
    _registry(ws)
    assert studies.related_work(ws, "The a of and") == []
    assert studies.related_work(ws, '"((*') == []
    assert studies.related_work(ws, "Quantum gravimetry") == []


def test_record_consultation_shows_on_document(ws, clock):
    bcsc, _, _ = _registry(ws)
    doc = documents.create_document(ws, "study", "Criminal proceeds study")
    cid = studies.record_consultation(
        ws,
        doc,
        consulted=True,
        whom="BCSC Chief of Analysis",
        consulted_on="2026-10-30",
        outcome="Their 2024 report covers couriers; our scope narrowed to casinos.",
        related_study_id=bcsc,
    )
    [c] = studies.consultations(ws, doc)
    assert c.id == cid and c.consulted and c.organization == "ICE"
    assert c.summary == (
        "Consulted BCSC Chief of Analysis (ICE) on 2026-10-30 about “Bulk cash smuggling: how "
        "trafficking organizations move and launder criminal proceeds”: Their 2024 report "
        "covers couriers; our scope narrowed to casinos."
    )
    entry = audit.entries(ws, action_prefix="consultation.", limit=1)[0]
    assert (entry.entity, entry.entity_id, entry.details["consulted"]) == ("document", doc, True)


def test_not_consulted_needs_a_reason_and_consulted_needs_whom(ws):
    doc = documents.create_document(ws, "study", "Criminal proceeds study")
    with pytest.raises(WorkbenchError, match="whom you consulted"):
        studies.record_consultation(ws, doc, consulted=True, outcome="fine")
    with pytest.raises(WorkbenchError, match="why the owners were not consulted"):
        studies.record_consultation(ws, doc, consulted=False, outcome=" ")
    with pytest.raises(WorkbenchError, match="future"):
        studies.record_consultation(
            ws, doc, consulted=True, whom="X", outcome="ok", consulted_on="2027-01-01"
        )
    with pytest.raises(NotFound):
        studies.record_consultation(ws, 999, consulted=False, outcome="none")
    studies.record_consultation(ws, doc, consulted=False, outcome="No related work exists.")
    [c] = studies.consultations(ws, doc)
    assert c.summary == "Not consulted: No related work exists."
    assert c.consulted_on is None


def test_consulted_defaults_to_today(ws):
    doc = documents.create_document(ws, "study", "Criminal proceeds study")
    studies.record_consultation(ws, doc, consulted=True, whom="ICE HSI", outcome="No overlap")
    assert studies.consultations(ws, doc)[0].consulted_on == ws.today().isoformat()
