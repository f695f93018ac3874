"""Send for Review: a request, files and an e-mail draft per organization; all or nothing."""

from __future__ import annotations

import email
from email import policy
from types import SimpleNamespace

import pytest

from workbench import documents, sections
from workbench.coordination import requests as rq
from workbench.errors import WorkbenchError
from workbench.exchange import send_review as sr
from workbench.exchange.packets import read_packet


@pytest.fixture
def strategy(ws, council):
    doc = documents.create_document(ws, "strategy", "SPSS Counternarcotics Strategy")
    intro = sections.add_section(ws, doc, heading="Purpose", body="Why this strategy exists.")
    maritime = sections.add_section(
        ws, doc, heading="Maritime interdiction", body="SPSS vessels.", equities=["USCG"]
    )
    ports = sections.add_section(
        ws, doc, heading="Ports of entry", body="Screening at ports.", equities=["CBP"]
    )
    return SimpleNamespace(doc=doc, intro=intro, maritime=maritime, ports=ports)


def test_addressees_come_from_the_equities_with_the_liaison(ws, strategy):
    found = {a.organization: a for a in sr.addressees(ws, strategy.doc)}
    assert set(found) == {"USCG", "CBP"}
    assert found["USCG"].section_ids == (strategy.maritime,)
    assert found["USCG"].reviewer_name == "Capt. Lee Odiña"


def test_a_draft_request_is_offered_and_sent_the_same_way(ws, strategy, tmp_path):
    rid = rq.create_request(
        ws, strategy.doc, "USCG", section_ids=[strategy.intro, strategy.maritime]
    )
    [uscg] = [a for a in sr.addressees(ws, strategy.doc) if a.organization == "USCG"]
    assert uscg.draft_request_id == rid and uscg.section_ids == (strategy.intro, strategy.maritime)
    result = sr.send_for_review(
        ws, strategy.doc, [sr.Recipient("USCG", uscg.section_ids, rid)], tmp_path / "out"
    )
    assert [s.request_id for s in result.sent] == [rid]
    assert rq.request(ws, rid).stored_status == "sent"


def test_files_per_organization_and_an_eml_with_its_attachments(ws, strategy, tmp_path):
    ws.db.execute("UPDATE people SET email = 'lee.odina@uscg.mil' WHERE name = 'Capt. Lee Odiña'")
    out = tmp_path / "review"
    due = sr.suspense_for(ws, 20)
    result = sr.send_for_review(
        ws,
        strategy.doc,
        [sr.Recipient("USCG", (strategy.maritime,)), sr.Recipient("CBP", (strategy.ports,))],
        out,
        suspense_workdays=20,
        instructions="Concentrate on the interdiction figures.",
        produce=sr.Produce(packet=True, workbook=True, email=True),
    )
    assert {s.organization for s in result.sent} == {"USCG", "CBP"}
    uscg = next(s for s in result.sent if s.organization == "USCG")
    assert sorted(p.name for p in (out / "USCG").iterdir()) == [
        "SPSS-Counternarcotics-Strategy-USCG-CRM.xlsx",
        "SPSS-Counternarcotics-Strategy-USCG-review-request.eml",
        "SPSS-Counternarcotics-Strategy-USCG.cnereview",
    ]
    req = rq.request(ws, uscg.request_id)
    assert req.stored_status == "sent" and req.suspense_date == due
    assert req.instructions == "Concentrate on the interdiction figures."
    assert read_packet(uscg.files[0]).request_id == uscg.request_id
    msg = email.message_from_bytes(uscg.email.read_bytes(), policy=policy.default)
    [to] = msg["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Capt. Lee Odiña", "lee.odina@uscg.mil")
    assert due in msg["Subject"] and "SPSS Counternarcotics Strategy" in msg["Subject"]
    assert msg["X-Unsent"] == "1"
    body = msg.get_body(("plain",)).get_content()
    assert "Concentrate on the interdiction figures." in body and "§2 Maritime interdiction" in body
    attached = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    assert set(attached) == {p.name for p in uscg.files}
    assert attached[uscg.files[0].name] == uscg.files[0].read_bytes()


def test_cancel_or_failure_sends_nothing_and_leaves_no_file(ws, strategy, tmp_path):
    out = tmp_path / "review"
    calls = []

    def progress(done, total, label):
        calls.append((done, total, label))
        return done < 1  # cancel before the second organization

    with pytest.raises(sr.Cancelled, match="nothing was sent"):
        sr.send_for_review(
            ws,
            strategy.doc,
            [sr.Recipient("USCG", (strategy.maritime,)), sr.Recipient("CBP", (strategy.ports,))],
            out,
            progress=progress,
        )
    assert calls == [(0, 2, "USCG"), (1, 2, "CBP")]
    assert rq.list_requests(ws, strategy.doc) == []
    assert not out.exists()
    (out / "CBP").mkdir(parents=True)
    (out / "CBP" / "earlier.txt").write_text("keep me")
    with pytest.raises(WorkbenchError, match="already holds files"):
        sr.send_for_review(ws, strategy.doc, [sr.Recipient("CBP", (strategy.ports,))], out)
    with pytest.raises(WorkbenchError, match="at least one file"):
        sr.send_for_review(
            ws, strategy.doc, [sr.Recipient("USCG", (strategy.maritime,))], tmp_path / "x",
            produce=sr.Produce(packet=False, workbook=False, word=False),
        )  # fmt: skip
    assert rq.list_requests(ws, strategy.doc) == []
