"""The demo workspace: its content, its revision history, and how it is written to disk."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from workbench import audit, demo, directory, documents, revisions, sections
from workbench.errors import WorkbenchError
from workbench.workspace import Workspace

KEYS = {"doctrine", "spss", "southwest", "northern", "maritime", "report", "study"}


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    return demo.write_demo(tmp_path_factory.mktemp("demo") / "demo.cnew")


@pytest.fixture
def dws(demo_path):
    ws = Workspace.open(demo_path)
    yield ws
    ws.close()


def _by_title(ws) -> dict[str, documents.Document]:
    return {d.title: d for d in documents.list_documents(ws)}


def _bodies(ws, doc_id):
    return [(e, sections.section(ws, e.id).body) for e in sections.outline(ws, doc_id)]


def test_build_demo_returns_every_document_by_key(ws):
    ids = demo.build_demo(ws)
    assert set(ids) == KEYS
    assert documents.document(ws, ids["doctrine"]).kind == "doctrine"
    assert documents.document(ws, ids["report"]).kind == "report_to_congress"
    assert documents.document(ws, ids["study"]).kind == "study"
    assert "Semi-Submersible" in documents.document(ws, ids["spss"]).title
    assert audit.verify_chain(ws) == []


def test_demo_documents_and_leads(dws):
    docs = _by_title(dws)
    assert set(docs) >= {
        "Draft Counternarcotics Doctrine",
        "National Southwest Border Counternarcotics Strategy",
        "Northern Border Counternarcotics Strategy",
        "Maritime Border and Transit Zone Counternarcotics Strategy",
    }
    southwest = docs["National Southwest Border Counternarcotics Strategy"]
    assert (southwest.lead, southwest.co_lead) == ("CNE", "DOJ")
    assert all(d.marking == documents.DEFAULT_MARKING for d in docs.values())
    report = next(d for d in docs.values() if d.kind == "report_to_congress")
    assert dt.date.fromisoformat(report.due_date) > dt.date.today()
    assert any(d.kind == "study" and "Criminal Proceeds" in d.title for d in docs.values())


def test_doctrine_has_eight_numbered_tenets(dws):
    doctrine = _by_title(dws)["Draft Counternarcotics Doctrine"]
    tenets = [e.number for e in sections.outline(dws, doctrine.id) if e.kind == "tenet"]
    assert tenets == [f"Tenet {n}" for n in range(1, 9)]


def test_strategies_have_numbered_subsections_and_action_items(dws):
    for title in (
        "National Southwest Border Counternarcotics Strategy",
        "Northern Border Counternarcotics Strategy",
        "Maritime Border and Transit Zone Counternarcotics Strategy",
    ):
        numbers = [e.number for e in sections.outline(dws, _by_title(dws)[title].id)]
        assert "1" in numbers and "3.1" in numbers, title
        assert "Appendix A" in numbers, title
        assert "Action Item 1" in numbers and "Action Item 3" in numbers, title


def test_equities_follow_the_subject(dws):
    docs = _by_title(dws)
    maritime = sections.outline(
        dws, docs["Maritime Border and Transit Zone Counternarcotics Strategy"].id
    )
    interdiction = next(e for e in maritime if e.heading == "Interdiction and Apprehension")
    assert interdiction.equities == ("USCG",)
    southwest = sections.outline(
        dws, docs["National Southwest Border Counternarcotics Strategy"].id
    )
    by_heading = {e.heading: e.equities for e in southwest}
    assert by_heading["Trafficking Methods at the Ports of Entry"] == ("CBP",)
    assert by_heading["Disrupting Illicit Finance"] == ("ICE",)
    assert by_heading["Threat Overview"] == ("I&A",)


def test_spss_strategy_touches_coast_guard_and_one_cbp_section(dws):
    spss = next(d for d in documents.list_documents(dws) if "Semi-Submersible" in d.title)
    outline = sections.outline(dws, spss.id)
    assert sum("USCG" in e.equities for e in outline) >= 3
    assert [e.heading for e in outline if "CBP" in e.equities] == [
        "Landing Points and Coastal Ports"
    ]


def test_every_document_is_labelled_sample_text(dws):
    for doc in documents.list_documents(dws):
        first_body = _bodies(dws, doc.id)[0][1]
        assert first_body.startswith(demo.SAMPLE_NOTICE), doc.title


def test_section_prose_is_realistic_markdown_of_60_to_200_words(dws):
    all_bodies = []
    for doc in documents.list_documents(dws):
        for entry, body in _bodies(dws, doc.id):
            words = len(re.findall(r"[A-Za-z0-9$%&']+", body))
            assert 60 <= words <= 200, f"{doc.title} {entry.number}: {words} words"
            all_bodies.append(body)
    text = "\n".join(all_bodies)
    assert "\n- " in text and "\n1. " in text  # lists
    assert "\n|---|" in text  # a table
    assert "**" in text  # emphasis


def test_directory_has_the_coordinating_council(dws):
    liaisons = {p.organization_code: p for p in directory.people(dws, role="liaison")}
    assert set(liaisons) >= {"USCG", "CBP", "ICE", "I&A", "OPS", "PLCY"}
    for code, person in liaisons.items():
        org = directory.organization(dws, code)
        assert person.title == org.liaison_title, code
        (role,) = [r for r in person.roles if r.role == "liaison"]
        dt.date.fromisoformat(role.designated_on)
    (director,) = directory.people(dws, role="director")
    assert director.organization_code == "CNE"
    assert len(directory.people(dws, role="analyst")) == 2
    (detailee,) = directory.people(dws, role="detailee")
    assert detailee.organization_code == "ICE"
    assert "Bulk Cash Smuggling Center" in detailee.roles[0].position_description
    reviewers = directory.people(dws, role="external_reviewer")
    assert len(reviewers) >= 2
    assert {directory.organization(dws, p.organization_code).kind for p in reviewers} == {"slt"}


def test_revision_history_shows_one_changed_section(dws):
    southwest = _by_title(dws)["National Southwest Border Counternarcotics Strategy"]
    (rev,) = revisions.list_revisions(dws, southwest.id)
    assert rev.label == demo.REVISION_LABEL
    diffs = revisions.diff_revisions(dws, southwest.id, rev.id, None)
    changed = [d for d in diffs if d.status != "unchanged"]
    assert [d.new_heading for d in changed] == [demo.REVISED_HEADING]
    ops = [p.op for p in changed[0].paragraphs]
    assert ops == ["replace", "equal", "insert"]
    inserted = [w.text for w in changed[0].paragraphs[0].words if w.op == "insert"]
    assert "methamphetamine" in "".join(inserted)


def test_demo_audit_chain_is_intact(dws):
    assert audit.verify_chain(dws) == []
    assert audit.entries(dws, action_prefix="revision.snapshot")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_workspace_key_made_in_the_demo_names_the_demo_file_not_its_temporary_one(demo_path):
    from workbench.authority import keys, workspace_key

    with Workspace.open(demo_path, read_only=True) as ws:
        names = [keys.subject_name(c) for c in workspace_key.certificates(ws)]
    assert names, "the demo signs its packets and publications with a workspace key"
    for name in names:
        assert name.startswith("CNE Workbench workspace demo ("), name


def test_write_demo_refuses_an_existing_file(tmp_path):
    target = tmp_path / "mine.cnew"
    target.write_text("precious")
    with pytest.raises(WorkbenchError, match="already exists"):
        demo.write_demo(target)
    assert target.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.cnew"]


def test_write_demo_replace_overwrites_and_clears_stale_wal(tmp_path):
    target = tmp_path / "demo.cnew"
    target.write_text("old")
    stale_wal = tmp_path / "demo.cnew-wal"
    stale_wal.write_bytes(b"not this database's log")
    assert demo.write_demo(target, replace=True) == target
    assert not stale_wal.exists()
    with Workspace.open(target) as ws:
        assert len(documents.list_documents(ws)) == len(KEYS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.cnew"]


def test_a_failed_demo_leaves_nothing_half_written(tmp_path, monkeypatch):
    target = tmp_path / "demo.cnew"
    target.write_text("keep me")
    before = _digest(target)

    def broken(ws):
        documents.create_document(ws, "strategy", "Half a demo")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(demo, "build_demo", broken)
    with pytest.raises(RuntimeError):
        demo.write_demo(target, replace=True)
    assert _digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.cnew"]
    with pytest.raises(RuntimeError):
        demo.write_demo(tmp_path / "fresh.cnew")
    assert not (tmp_path / "fresh.cnew").exists()


def test_write_demo_rejects_a_folder_or_missing_parent(tmp_path):
    with pytest.raises(WorkbenchError, match="folder"):
        demo.write_demo(tmp_path)
    with pytest.raises(WorkbenchError, match="does not exist"):
        demo.write_demo(tmp_path / "nowhere" / "demo.cnew")


def test_unwrap_joins_paragraph_lines_and_keeps_lists_and_tables():
    source = (
        "A paragraph\nwrapped here.\n\n- item one\n  continued\n- item two\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert demo.unwrap(source) == (
        "A paragraph wrapped here.\n\n- item one continued\n- item two\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )


def test_demo_file_without_front_block_is_rejected(tmp_path):
    bad = tmp_path / "x.md"
    bad.write_text("# Heading\n\nBody\n")
    with pytest.raises(ValueError, match="front block"):
        demo.parse_demo_document(bad)


def test_missing_demo_content_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_DIR", tmp_path / "not-installed")
    with pytest.raises(WorkbenchError, match="demo content is missing"):
        demo.write_demo(tmp_path / "demo.cnew")
    assert list(tmp_path.iterdir()) == []


def test_a_storage_failure_is_reported_as_one_clear_error(tmp_path, monkeypatch):
    import sqlite3

    def unwritable(path, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(demo.Workspace, "create", unwritable)
    with pytest.raises(WorkbenchError, match="Cannot write the demo workspace"):
        demo.write_demo(tmp_path / "demo.cnew")
    assert list(tmp_path.iterdir()) == []
