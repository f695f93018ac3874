"""The search, studies and dashboard commands end to end, including hostile input and PDF."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from workbench import documents, sections, studies
from workbench.cli import main
from workbench.coordination import comments


@pytest.fixture
def path(ws, ws_path):
    doc = documents.create_document(ws, "study", "Criminal proceeds study", due_date="2026-01-15")
    sid = sections.add_section(
        ws, doc, heading="Bulk cash", body="Couriers carry bulk currency.", equities=["ICE"]
    )
    comments.add_comment(
        ws,
        doc,
        organization_code="ICE",
        type="C",
        section_id=sid,
        critical_ground="law",
        comment_text="Bulk cash reporting thresholds are misstated.",
    )
    studies.add_study(
        ws,
        "Bulk cash smuggling trends",
        "ICE",
        office="Bulk Cash Smuggling Center",
        status="completed",
        year=2024,
        abstract="Currency couriers and trade-based laundering.",
    )
    return str(ws_path)


def test_search_json(path, capsys):
    assert main(["search", path, "bulk cash", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {h["kind"] for h in out["hits"]} == {"section", "comment", "study"}
    section = next(h for h in out["hits"] if h["kind"] == "section")
    assert "[bulk]" in section["snippet"].lower()
    assert out["fts"] == '"bulk" "cash"*'


def test_search_filters_and_text(path, capsys):
    assert main(["search", path, "bulk", "--kind", "study", "--org", "ICE"]) == 0
    out = capsys.readouterr().out
    assert "[Study / contract] Bulk cash smuggling trends — ICE Bulk Cash Smuggling Center" in out
    assert "Comment" not in out


@pytest.mark.parametrize("query", ['"', "AND", "((", "NEAR(", "*"])
def test_search_hostile_queries_exit_zero_with_a_hint(path, capsys, query):
    assert main(["search", path, query]) == 0
    assert "Type a word" in capsys.readouterr().out


def test_unknown_org_is_one_line_error(path, capsys):
    assert main(["search", path, "bulk", "--org", "NOPE"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("workbench: ") and err.count("\n") == 1


def test_studies_add_list_related(path, capsys):
    assert (
        main(
            [
                "studies",
                path,
                "add",
                "How traffickers use criminal proceeds",
                "--org",
                "CNE",
                "--amount",
                "500000",
                "--abstract",
                "Bulk currency and laundering",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Registered study" in out
    assert "Bulk cash smuggling trends (ICE Bulk Cash Smuggling Center" in out
    assert main(["studies", path, "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["amount"] for s in listed] == [None, 500000]
    assert main(["studies", path, "related", "currency couriers", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["office"] == "Bulk Cash Smuggling Center"
    assert main(["studies", path]) == 2


def test_dashboard_json_and_pdf(path, tmp_path, capsys):
    pdf = tmp_path / "dash.pdf"
    assert main(["dashboard", path, "--json", "--pdf", str(pdf)]) == 0
    board = json.loads(capsys.readouterr().out)
    [doc] = board["documents"]
    assert doc["open_critical"] == {"ICE": 1}
    assert board["due"][0]["late"] is True
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert text.count("UNCLASSIFIED//FOR OFFICIAL USE ONLY") == 2
    assert "Criminal proceeds study" in text and "LATE by" in text


def test_dashboard_text(path, ws, capsys):
    from workbench import directory

    # A county office a solicitation added: shown by its name, never its made-up code.
    directory.add_organization(ws, "C1SSO-2", "Cochise County Sheriff's Office", "slt")
    doc = documents.find_document(ws, "Criminal proceeds study")
    sid = sections.outline(ws, doc.id)[0].id
    comments.add_comment(
        ws, doc.id, organization_code="C1SSO-2", type="S", section_id=sid, comment_text="Add us."
    )
    assert main(["dashboard", path]) == 0
    out = capsys.readouterr().out
    assert "Criminal proceeds study" in out and "ICE" in out
    assert "Cochise County Sheriff's Office" in out and "C1SSO" not in out
