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


def test_a_send_reads_the_directory_once_however_many_organizations(
    ws, strategy, tmp_path, monkeypatch
):
    from workbench import directory

    for n in range(6):
        code = f"SLT{n}"
        directory.add_organization(ws, code, f"County {n}", "slt")
        directory.add_person(ws, f"Sheriff {n}", organization=code, roles=["liaison"])
    reads = []
    read_people = directory.people
    monkeypatch.setattr(
        directory, "people", lambda *a, **k: reads.append(k) or read_people(*a, **k)
    )
    result = sr.send_for_review(
        ws,
        strategy.doc,
        [sr.Recipient(f"SLT{n}", (strategy.intro,)) for n in range(6)],
        tmp_path / "out",
        produce=sr.Produce(packet=True, workbook=False, word=False, email=False),
    )
    assert reads == [{"role": "liaison"}]  # the liaisons, once for the whole send
    names = [rq.request(ws, s.request_id).reviewer_name for s in result.sent]
    assert names == [f"Sheriff {n}" for n in range(6)]  # each organization's own liaison


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


def test_each_reviewer_of_the_same_sections_gets_files_of_their_own(ws, strategy, tmp_path):
    # The workbook and Word copy are rendered once for the sections and filled in per request:
    # each must still name its own request, organization and reviewer, and answer for it.
    import io
    import json

    import docx
    from openpyxl import load_workbook

    from workbench.coordination.comments import list_comments
    from workbench.exchange.packets import content_digest
    from workbench.exchange.responses import import_response
    from workbench.word import hooks

    ws.db.execute("UPDATE people SET name = 'Kim & <Sons> \"Jr\"' WHERE name = 'Capt. Lee Odiña'")
    both = (strategy.intro, strategy.maritime)
    result = sr.send_for_review(
        ws,
        strategy.doc,
        [sr.Recipient("USCG", both), sr.Recipient("CBP", both)],
        tmp_path / "out",
        produce=sr.Produce(packet=True, workbook=True, word=True, email=False),
    )
    for sent in result.sent:
        req = rq.request(ws, sent.request_id)
        packet, workbook, word = sent.files
        wb = load_workbook(workbook)
        response = {r[0].value: r[1].value for r in wb["Response"].iter_rows(max_col=2) if r[0]}
        assert response["Review request"] == req.id
        assert response["Organization"].startswith(f"{sent.organization} — ")
        assert response["Reviewer name"] == req.reviewer_name
        meta = {r[0].value: r[1].value for r in wb["Request"].iter_rows(max_col=2) if r[0]}
        assert meta["request_id"] == req.id
        assert meta["packet_digest"] == content_digest(json.loads(packet.read_bytes()))
        props = hooks.read_custom_properties(word.read_bytes())
        assert props[hooks.PROPERTY_REQUEST] == str(req.id)
        assert props[hooks.PROPERTY_ORGANIZATION] == sent.organization
        first_page = [p.text for p in docx.Document(io.BytesIO(word.read_bytes())).paragraphs]
        assert any(t.startswith(f"Review copy for {sent.organization} — ") for t in first_page)
        table = docx.Document(io.BytesIO(word.read_bytes())).tables[0]
        facts = {r.cells[0].text: r.cells[1].text for r in table.rows}
        assert facts["Review request"] == str(req.id)
        assert facts["Reviewer"] == (req.reviewer_name or "—")
    uscg = next(s for s in result.sent if s.organization == "USCG")
    assert rq.request(ws, uscg.request_id).reviewer_name == 'Kim & <Sons> "Jr"'

    cbp = next(s for s in result.sent if s.organization == "CBP")
    wb = load_workbook(cbp.files[1])
    wb["Response"]["B9"], wb["Response"]["B11"] = "Dana Cruz", "Concur with comment"
    wb["Comments"]["D3"], wb["Comments"]["E3"] = "A", "Typo in the purpose."
    wb.save(cbp.files[1])
    assert import_response(ws, cbp.files[1]).added == 1
    [comment] = list_comments(ws, strategy.doc)
    assert (comment.organization, comment.request_id) == ("CBP", cbp.request_id)


def test_a_folder_that_cannot_be_made_or_a_full_disk_is_one_line_and_sends_nothing(
    ws, strategy, tmp_path, monkeypatch
):
    from workbench.exchange.formats import ExchangeError
    from workbench.files import StagedFiles

    blocker = tmp_path / "a-file.txt"
    blocker.write_text("not a folder")
    recipients = [sr.Recipient("USCG", (strategy.maritime,))]
    with pytest.raises(ExchangeError, match="could not be written to .*Nothing was sent"):
        sr.send_for_review(ws, strategy.doc, recipients, blocker / "review")

    def full(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(StagedFiles, "commit", full)
    out = tmp_path / "review"
    with pytest.raises(ExchangeError, match="No space left on device. Nothing was sent"):
        sr.send_for_review(ws, strategy.doc, recipients, out, produce=sr.Produce(workbook=True))
    assert rq.list_requests(ws, strategy.doc) == []
    assert not out.exists()  # not even a hidden partial file or an empty folder
