"""The exchange commands end to end through `main.main`, with one-line errors."""

from __future__ import annotations

import csv

import docx
import pytest
from exchange_helpers import make_review

import main
from workbench.exchange.review import ReviewSession
from workbench.workspace import Workspace


@pytest.fixture(autouse=True)
def real_reviewer_clock(monkeypatch):
    """These workspaces run on the real clock (the CLI's), so the reviewer does too."""
    import datetime as dt

    from workbench.exchange import review

    monkeypatch.setattr(review, "_utc_now", lambda: dt.datetime.now(dt.UTC))


@pytest.fixture
def setup(tmp_path):
    path = tmp_path / "w.cnew"
    with Workspace.create(path) as ws:
        review = make_review(ws)
    return path, review


def _err(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_packet_response_import(setup, tmp_path, capsys):
    path, review = setup
    packet = tmp_path / "p.cnereview"
    assert (
        main.main(["packet", str(path), "--request", str(review.request_id), "-o", str(packet)])
        == 0
    )
    session = ReviewSession.open(packet)
    session.set_position("concur")
    response = session.export_response(tmp_path / "p.cneresponse")
    assert main.main(["import-response", str(path), str(response)]) == 0
    assert "Imported USCG (Rear Admiral Jane Hale)'s response" in capsys.readouterr().out
    assert main.main(["import-response", str(path), str(response)]) == 0
    assert "already imported; nothing changed" in capsys.readouterr().out


def test_a_dry_run_lists_what_would_arrive_per_section_and_writes_nothing(setup, tmp_path, capsys):
    path, review = setup
    packet = tmp_path / "p.cnereview"
    main.main(["packet", str(path), "--request", str(review.request_id), "-o", str(packet)])
    session = ReviewSession.open(packet)
    session.add_comment(session.packet.sections[1].section_id, "A", "Name the cutters.")
    session.add_comment(None, "S", "Add a section on funding.")
    session.set_position("concur_with_comment")
    response = session.export_response(tmp_path / "p.cneresponse")
    capsys.readouterr()
    assert main.main(["import-response", str(path), str(response), "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Will import USCG (Rear Admiral Jane Hale)'s response")
    assert out[1:] == [
        "The document as a whole:",
        "  S Substantive: Add a section on funding.",
        "§2:",
        "  A Administrative: Name the cutters.",
        "Dry run: nothing was written.",
    ]
    with Workspace.open(path) as ws:
        assert ws.db.execute("SELECT count(*) FROM comments").fetchone()[0] == 0


def test_refusals_are_one_line(setup, tmp_path, capsys):
    path, review = setup
    bad = tmp_path / "bad.cneresponse"
    bad.write_bytes(b"{")
    assert main.main(["import-response", str(path), str(bad)]) == 1
    assert "not a readable review response" in _err(capsys)
    assert main.main(["packet", str(path), "--request", "99", "-o", str(tmp_path / "x")]) == 1
    assert "No review request 99" in _err(capsys)


def test_workbook_command(setup, tmp_path, capsys):
    path, review = setup
    out = tmp_path / "w.xlsx"
    assert main.main(["workbook", str(path), "-r", str(review.request_id), "-o", str(out)]) == 0
    assert out.stat().st_size > 0


def test_solicit_and_status(setup, tmp_path, capsys):
    path, _ = setup
    roster = tmp_path / "r.csv"
    roster.write_text("name,agency,email\nAna,Yuma PD,ana@yuma.example\nBo,Pima SO,bo@p.example\n")
    folder = tmp_path / "out"
    args = ["solicit", str(path), "-d", "Maritime", "--reviewers", str(roster), "-o", str(folder)]
    assert main.main(args) == 0
    assert "Wrote 2 packet(s)" in capsys.readouterr().out
    reminders = tmp_path / "remind.csv"
    assert (
        main.main(["solicitations", str(path), "-d", "Maritime", "--reminders", str(reminders)])
        == 0
    )
    assert "0 of 2 answered (0%)" in capsys.readouterr().out
    with reminders.open(encoding="utf-8") as f:
        assert [r["Name"] for r in csv.DictReader(f)] == ["Ana", "Bo"]


def test_solicit_with_workbooks_and_word_copies(setup, tmp_path, capsys):
    path, _ = setup
    roster = tmp_path / "r.csv"
    roster.write_text("name,agency,email\nAna,Yuma PD,ana@yuma.example\n")
    folder = tmp_path / "out"
    args = ["solicit", str(path), "-d", "Maritime", "--reviewers", str(roster), "-o", str(folder)]
    assert main.main([*args, "--workbook", "--word"]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert [n.rsplit(".", 1)[-1] for n in names if n.startswith("001")] == [
        "xlsx",
        "cnereview",
        "docx",
    ]


def test_import_draft_command(setup, tmp_path, capsys):
    path, _ = setup
    d = docx.Document()
    d.sections[0].footer.paragraphs[0].text = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    d.add_heading("Purpose", 1)
    d.add_paragraph("Text.")
    d.save(tmp_path / "SLT Outreach SOP.docx")
    args = ["import-draft", str(path), str(tmp_path / "SLT Outreach SOP.docx"), "--kind", "sop"]
    assert main.main(args) == 0
    out = capsys.readouterr().out
    assert "Imported SLT Outreach SOP as document 2: 1 section(s)" in out
    assert "UNCLASSIFIED//FOR OFFICIAL USE ONLY" in out
