"""Dashboard figures against hand-computed fixtures; overdue across weekends and holidays."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from workbench import dashboard, directory, documents, sections
from workbench.authority.identity import acting_as
from workbench.authority.rulings import no_coordination_required
from workbench.coordination import comments, positions, requests
from workbench.coordination.publication import publish

D = dt.date


@pytest.mark.parametrize(
    "suspense, today, late",
    [
        (D(2026, 11, 6), D(2026, 11, 6), 0),  # due today (Friday)
        (D(2026, 11, 6), D(2026, 11, 7), 0),  # Saturday: nobody could have answered
        (D(2026, 11, 6), D(2026, 11, 8), 0),  # Sunday
        (D(2026, 11, 6), D(2026, 11, 9), 1),  # Monday: one workday late
        (D(2026, 11, 10), D(2026, 11, 11), 0),  # Veterans Day (Wednesday)
        (D(2026, 11, 10), D(2026, 11, 12), 1),
        (D(2026, 11, 25), D(2026, 11, 26), 0),  # Thanksgiving
        (D(2026, 11, 25), D(2026, 11, 30), 2),  # Friday 27th and Monday 30th
        (D(2027, 1, 15), D(2027, 1, 18), 0),  # Friday, then Martin Luther King Day
        (D(2027, 1, 15), D(2027, 1, 19), 1),
        (D(2026, 12, 31), D(2027, 1, 4), 1),  # New Year's Day on a Friday
        (D(2026, 11, 20), D(2026, 11, 10), 0),  # not yet due
    ],
)
def test_workdays_overdue(suspense, today, late):
    assert dashboard.workdays_overdue(suspense, today) == late
    assert dashboard.is_overdue(suspense, today) is (late >= 1)


SLT = ["AZDPS", "TXDPS", "NMSP", "SDSO", "CAHP"]


@pytest.fixture
def fixture(ws, clock):
    """Monday 2026-11-02: a report to Congress out to USCG, CBP, ICE and five SLT agencies."""
    for code in SLT:
        directory.add_organization(ws, code, f"{code} agency", "slt")
    report = documents.create_document(
        ws, "report_to_congress", "Annual Report to Congress", due_date="2026-12-15"
    )
    sea = sections.add_section(ws, report, heading="Maritime", equities=["USCG"])
    land = sections.add_section(ws, report, heading="Land border", equities=["CBP", "ICE"])
    uscg = requests.create_request(ws, report, "USCG", send=True)  # due 2026-11-17
    cbp = requests.create_request(ws, report, "CBP", send=True)
    ice = requests.create_request(ws, report, "ICE", suspense_date="2026-11-06", send=True)
    slt = {
        code: requests.create_request(ws, report, code, section_ids=[land], send=True)
        for code in SLT
    }
    requests.create_request(ws, report, "DEA", section_ids=[land])  # a draft, never sent
    requests.withdraw_request(ws, slt["CAHP"], "Sent to the wrong office.")
    comments.add_comment(
        ws,
        report,
        organization_code="USCG",
        type="C",
        section_id=sea,
        request_id=uscg,
        comment_text="Cutter hours are wrong.",
        critical_ground="safety",
    )
    comments.add_comment(
        ws, report, organization_code="USCG", type="S", section_id=sea, comment_text="Incomplete."
    )
    comments.add_comment(
        ws, report, organization_code="USCG", type="S", section_id=sea, comment_text="Inaccurate."
    )
    done = comments.add_comment(
        ws,
        report,
        organization_code="CBP",
        type="S",
        section_id=land,
        request_id=cbp,
        comment_text="Ports list outdated.",
    )
    comments.adjudicate_comment(ws, done, "accepted")
    comments.add_comment(
        ws, report, organization_code="CBP", type="A", section_id=land, comment_text="Typo."
    )
    comments.add_comment(
        ws,
        report,
        organization_code="AZDPS",
        type="S",
        section_id=land,
        request_id=slt["AZDPS"],
        comment_text="Add tribal lands.",
    )
    positions.record_position(
        ws, report, "TXDPS", "concur", by_name="Chief Ortiz", request_id=slt["TXDPS"]
    )
    late = documents.create_document(
        ws, "report_to_congress", "Semiannual Report", due_date="2026-11-06"
    )
    documents.create_document(ws, "doctrine", "CN Doctrine")
    clock.advance(days=7)  # Monday 2026-11-09
    return {"report": report, "late": late, "ice": ice, "cbp": cbp}


def _progress(board, title):
    return next(d for d in board.documents if d.title == title)


def test_document_progress(ws, fixture):
    board = dashboard.dashboard(ws)
    assert board.today == "2026-11-09"
    assert [d.title for d in board.documents] == [
        "Annual Report to Congress",
        "CN Doctrine",
        "Semiannual Report",
    ]
    report = _progress(board, "Annual Report to Congress")
    assert (report.stage_label, report.days_in_stage) == ("Coordination", 7)
    # Sent and not returned: a position returns TXDPS's request; AZDPS's comment alone
    # does not (more may come), and CAHP's was withdrawn.
    assert report.outstanding == {
        "USCG": 1,
        "CBP": 1,
        "ICE": 1,
        "AZDPS": 1,
        "NMSP": 1,
        "SDSO": 1,
    }
    assert report.overdue == {"ICE": 1}
    assert report.workdays_late == {"ICE": 1}
    assert report.open_critical == {"USCG": 1}
    assert report.open_substantive == {"USCG": 2, "AZDPS": 1}
    assert (report.total_critical, report.total_substantive) == (1, 3)
    doctrine = _progress(board, "CN Doctrine")
    assert (doctrine.stage_label, doctrine.days_in_stage, doctrine.total_outstanding) == (
        "Draft",
        7,
        0,
    )


def test_overdue_waits_for_a_workday_after_the_weekend(ws, fixture, clock):
    clock.advance(days=-2)  # Saturday 2026-11-07: ICE's Friday suspense has passed
    assert _progress(dashboard.dashboard(ws), "Annual Report to Congress").overdue == {}
    clock.advance(days=2)
    assert _progress(dashboard.dashboard(ws), "Annual Report to Congress").overdue == {"ICE": 1}


def test_returned_requests_are_no_longer_outstanding(ws, fixture):
    requests.mark_returned(ws, fixture["ice"])
    report = _progress(dashboard.dashboard(ws), "Annual Report to Congress")
    assert "ICE" not in report.outstanding and report.overdue == {}


def test_open_comments_by_organization(ws, fixture):
    assert dashboard.dashboard(ws).open_comments_by_org == {
        "USCG": {"C": 1, "S": 2, "A": 0},
        "AZDPS": {"C": 0, "S": 1, "A": 0},
        "CBP": {"C": 0, "S": 0, "A": 1},
    }


def test_slt_solicitation_response_rate(ws, fixture):
    [rate] = dashboard.dashboard(ws).solicitations
    # Asked: four SLT agencies (CAHP's request was withdrawn); answered: AZDPS and TXDPS.
    assert (rate.title, rate.asked, rate.answered) == ("Annual Report to Congress", 4, 2)
    assert rate.rate == 0.5 and rate.label == "SLT reviewers"


def test_due_dates_count_down_and_flag_late(ws, fixture):
    due = dashboard.dashboard(ws).due
    assert [(d.title, d.days_left, d.workdays_left, d.late, d.state) for d in due] == [
        ("Semiannual Report", -3, -1, True, "LATE by 3 days"),
        # 36 calendar days; workdays skip weekends, Veterans Day and Thanksgiving.
        ("Annual Report to Congress", 36, 24, False, "36 days left"),
    ]


def test_published_after_due_date_is_published_late(ws, clock):
    directory.add_person(ws, "Dana Director", organization="CNE", roles=["director"])
    doc = documents.create_document(ws, "report_to_congress", "Report", due_date="2026-11-03")
    sections.add_section(ws, doc, heading="Findings", body="Seizures rose.")
    clock.advance(days=3)
    with acting_as(ws, "Dana Director"):
        no_coordination_required(ws, doc, reason="CNE's own statistics; no equities.")
        publish(ws, doc)
    [item] = dashboard.dashboard(ws).due
    assert item.late and item.state == "published late"
    assert _progress(dashboard.dashboard(ws), "Report").stage_label == "Published"


def test_timeline_through_draft_coordination_published_and_next_version(ws, clock):
    directory.add_person(ws, "Dana Director", organization="CNE", roles=["director"])
    doc = documents.create_document(ws, "directive", "Policy coordination directive")
    sid = sections.add_section(ws, doc, heading="Purpose", body="Coordinate.")
    clock.advance(days=2)
    rid = requests.create_request(ws, doc, "PLCY", section_ids=[sid], send=True)
    requests.mark_returned(ws, rid)
    clock.advance(days=5)
    with acting_as(ws, "Dana Director"):
        publish(ws, doc)
    clock.advance(days=1)
    documents.start_next_version(ws, doc)
    sections.edit_section(ws, sid, body="Coordinate policy.")
    t = dashboard.timeline(ws, doc)
    assert [(p.stage, p.version, p.start[:10], p.end and p.end[:10]) for p in t.phases] == [
        ("draft", 1, "2026-11-02", "2026-11-04"),
        ("in_coordination", 1, "2026-11-04", "2026-11-09"),
        ("published", 1, "2026-11-09", "2026-11-10"),
        ("draft", 2, "2026-11-10", None),
    ]
    assert [e.label for e in t.events] == [
        "Created",
        "Sent to PLCY",
        "Published version 1",
        "Version 2 started",
    ]
    board = dashboard.dashboard(ws)
    assert _progress(board, "Policy coordination directive").stage_since[:10] == "2026-11-10"


def test_deleted_documents_leave_the_dashboard(ws, fixture):
    documents.delete_document(ws, fixture["report"])
    board = dashboard.dashboard(ws)
    assert "Annual Report to Congress" not in [d.title for d in board.documents]
    assert board.open_comments_by_org == {} and board.solicitations == ()


def test_bulk_solicitation_groups_its_requests(ws, fixture):
    """Requests grouped into a solicitation count together, whatever the organizations' kind."""
    report = fixture["report"]
    cur = ws.db.execute(
        "INSERT INTO solicitations (document_id, created_at, created_by) VALUES (?, 't', 'x')",
        [report],
    )
    for rid in (fixture["ice"], fixture["cbp"]):
        ws.db.execute(
            "INSERT INTO solicitation_requests (solicitation_id, request_id) VALUES (?, ?)",
            [cur.lastrowid, rid],
        )
    rates = {
        r.solicitation_id: (r.asked, r.answered) for r in dashboard.dashboard(ws).solicitations
    }
    # ICE has not answered; CBP's comment on its request counts as an answer.
    assert rates == {None: (4, 2), cur.lastrowid: (2, 1)}
    # Known by when it went out and to how many, not by its number in the workspace.
    bulk = next(r for r in dashboard.dashboard(ws).solicitations if r.solicitation_id)
    assert bulk.label == "solicitation sent 2026-11-02, 2 reviewers"


def test_dashboard_pdf_headers_are_never_broken_mid_word():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from workbench.dashboard_pdf import HEAD, SMALL_BOLD, header_fit

    widths = header_fit([0.27 * 500, 55, 35, 35, 90, 20, 20], HEAD)
    for w, text in zip(widths, HEAD, strict=True):
        for word in text.split():
            assert stringWidth(word, SMALL_BOLD.fontName, SMALL_BOLD.fontSize) + 12 <= w + 1e-6
    assert abs(sum(widths) - (0.27 * 500 + 255)) < 1e-6  # the table keeps its width


def test_dashboard_pdf_reads_whole_words_and_agency_names(ws, fixture, tmp_path):
    from workbench.dashboard_pdf import HEAD, write_dashboard_pdf

    ws.db.execute("UPDATE organizations SET name = 'Arizona DPS' WHERE code = 'AZDPS'")
    out = write_dashboard_pdf(ws, tmp_path / "dashboard.pdf")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = set(text.split())
    for header in HEAD:
        for word in header.split():
            assert word in words, f"{word!r} of {header!r} is broken in the PDF"
    # A state agency's open comment is shown by its name, never by its generated code.
    assert "Arizona DPS" in " ".join(text.split())
    assert "AZDPS" not in text
