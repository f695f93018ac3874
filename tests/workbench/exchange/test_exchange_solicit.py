"""Bulk solicitation of SLT officials: packets, cover list, response rate, overdue, reminders."""

from __future__ import annotations

import csv

import pytest
from exchange_helpers import make_review

from workbench.directory import organizations, people
from workbench.exchange.formats import ExchangeError
from workbench.exchange.packets import read_packet
from workbench.exchange.responses import import_response
from workbench.exchange.review import ReviewSession
from workbench.exchange.solicit import read_reviewers, reminder_csv, solicit, solicitations


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "slt.csv"
    rows = [("Name", "Title", "Agency", "E-mail")]
    for n in range(160):
        rows.append(
            (
                f"Official {n:03d}",
                "Sheriff",
                f"County {n % 40} Sheriff's Office",
                f"o{n}@slt.example",
            )
        )
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def test_160_packets_with_cover_list_and_tracking(ws, clock, roster, tmp_path):
    review = make_review(ws)
    folder = tmp_path / "out"
    result = solicit(ws, review.doc_id, read_reviewers(roster), folder, suspense_workdays=10)
    assert len(result.packets) == 160 and all(p.exists() for p in result.packets)
    with result.cover_list.open(encoding="utf-8") as f:
        cover = list(csv.DictReader(f))
    assert len(cover) == 160 and cover[0]["Name"] == "Official 000"
    slt = [o for o in organizations(ws) if o.kind == "slt"]
    assert len(slt) == 40  # one per agency, shared by its officials
    assert len(people(ws, role="external_reviewer")) == 160
    first = read_packet(result.packets[0])
    assert first.reviewer_name == "Official 000"
    assert [s.number for s in first.sections] == ["1", "1.1", "2"]

    session = ReviewSession.open(result.packets[0])
    session.set_position("concur")
    import_response(ws, session.export_response(tmp_path / "r.cneresponse"))
    (status,) = solicitations(ws, review.doc_id)
    assert (status.asked, status.answered, len(status.overdue)) == (160, 1, 0)
    assert status.summary().startswith("1 of 160 answered (1%)")

    clock.advance(days=30)
    (status,) = solicitations(ws, review.doc_id)
    assert len(status.overdue) == 159
    reminders = list(csv.DictReader(reminder_csv(status).splitlines()))
    assert len(reminders) == 159
    assert "Official 000" not in {r["Name"] for r in reminders}
    assert reminders[0]["Overdue"] == "yes" and reminders[0]["E-mail"].endswith("@slt.example")
    # The agency as the reviewer list named it, not the code the directory generated for it.
    assert {r["Agency"] for r in reminders} == {f"County {n} Sheriff's Office" for n in range(40)}
    assert {r.agency for r in status.reviewers} == {r["Agency"] for r in reminders}


def test_existing_folder_with_packets_is_refused(ws, roster, tmp_path):
    review = make_review(ws)
    folder = tmp_path / "out"
    solicit(ws, review.doc_id, read_reviewers(roster)[:2], folder)
    with pytest.raises(ExchangeError, match="already holds packets"):
        solicit(ws, review.doc_id, read_reviewers(roster)[:2], folder)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("who,where\nA,B\n", "needs a header row"),
        ("name,agency,email\nA,,a@x.example\n", "row 2: a reviewer needs a name and an agency"),
        ("name,agency,email\nA,B,not-an-address\n", "is not an e-mail address"),
        ("name,agency,email\n,,\n", "names no reviewers"),
    ],
)
def test_bad_reviewer_lists_are_refused(tmp_path, text, match):
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExchangeError, match=match):
        read_reviewers(path)
