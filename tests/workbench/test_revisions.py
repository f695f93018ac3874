"""Labelled revisions pin what the reader saw; diffs compare them by section identity."""

from __future__ import annotations

import pytest

from workbench import audit, documents, revisions, sections
from workbench.errors import NotFound, WorkbenchError


@pytest.fixture
def doc(ws):
    return documents.create_document(ws, "strategy", "Southwest Border Strategy")


@pytest.fixture
def secs(ws, doc):
    ids = {
        "intro": sections.add_section(ws, doc, heading="Introduction", body="Para one.\n\nTwo."),
        "ports": sections.add_section(
            ws, doc, heading="Ports of Entry", body="CBP scans vehicles.", equities=["CBP"]
        ),
        "finance": sections.add_section(ws, doc, heading="Illicit Finance", body="ICE leads."),
    }
    return ids


def test_snapshot_pins_text_numbers_and_equities(ws, doc, secs, clock):
    rev = revisions.snapshot_revision(ws, doc, "  Draft   for coordination ")
    (info,) = revisions.list_revisions(ws, doc)
    assert (info.id, info.label, info.document_version, info.created_by) == (
        rev,
        "Draft for coordination",
        1,
        "analyst.one",
    )
    clock.advance(days=1)
    sections.edit_section(ws, secs["ports"], body="CBP scans all vehicles.")
    sections.move_section(ws, secs["finance"], None, 0)
    sections.set_equities(ws, secs["ports"], ["CBP", "USCG"])
    pinned = revisions.revision_sections(ws, rev)
    assert [(s.number, s.heading) for s in pinned] == [
        ("1", "Introduction"),
        ("2", "Ports of Entry"),
        ("3", "Illicit Finance"),
    ]
    assert pinned[1].body == "CBP scans vehicles." and pinned[1].equities == ("CBP",)
    assert audit.entries(ws, action_prefix="revision.snapshot")[0].details["sections"] == 3


def test_labels_are_required_and_revisions_listed_newest_first(ws, doc, secs):
    with pytest.raises(WorkbenchError, match="label"):
        revisions.snapshot_revision(ws, doc, "   ")
    first = revisions.snapshot_revision(ws, doc, "First")
    second = revisions.snapshot_revision(ws, doc, "Second")
    assert [r.id for r in revisions.list_revisions(ws, doc)] == [second, first]
    with pytest.raises(NotFound):
        revisions.snapshot_revision(ws, 9999, "Nothing")
    with pytest.raises(NotFound):
        revisions.revision_sections(ws, 9999)


def test_unchanged_text_shares_one_section_revision(ws, doc, secs):
    a = revisions.ensure_section_revision(ws, secs["intro"])
    assert revisions.ensure_section_revision(ws, secs["intro"]) == a
    sections.edit_section(ws, secs["intro"], body="Changed.")
    b = revisions.ensure_section_revision(ws, secs["intro"])
    assert b != a
    sections.edit_section(ws, secs["intro"], body="Para one.\n\nTwo.")
    assert revisions.ensure_section_revision(ws, secs["intro"]) == a
    assert revisions.section_revision(ws, a)["body"] == "Para one.\n\nTwo."


def test_an_empty_document_snapshots_as_empty(ws):
    doc = documents.create_document(ws, "study", "Empty")
    rev = revisions.snapshot_revision(ws, doc, "Nothing yet")
    assert revisions.revision_sections(ws, rev) == []


def test_diff_against_current_text(ws, doc, secs):
    rev = revisions.snapshot_revision(ws, doc, "Before")
    sections.edit_section(ws, secs["ports"], body="CBP scans every vehicle.")
    sections.edit_section(ws, secs["intro"], heading="Overview")
    sections.delete_section(ws, secs["finance"])
    new = sections.add_section(ws, doc, index=0, heading="Summary", body="Short.")
    diffs = revisions.diff_revisions(ws, doc, rev, None)
    assert [(d.section_id, d.status, d.number, d.old_number) for d in diffs] == [
        (new, "added", "1", ""),
        (secs["intro"], "changed", "2", "1"),
        (secs["ports"], "changed", "3", "2"),
        (secs["finance"], "removed", "", "3"),
    ]
    added, intro, ports, removed = diffs
    assert [p.op for p in added.paragraphs] == ["insert"]
    assert ("delete", "Introduction") in [(w.op, w.text) for w in intro.heading_words]
    assert ("insert", "Overview") in [(w.op, w.text) for w in intro.heading_words]
    assert [p.op for p in intro.paragraphs] == ["equal", "equal"]
    (para,) = ports.paragraphs
    assert para.op == "replace"
    assert [(w.op, w.text) for w in para.words if w.op != "equal"] == [
        ("delete", " vehicles"),
        ("insert", " every vehicle"),
    ]
    assert removed.old_heading == "Illicit Finance" and removed.paragraphs[0].op == "delete"


def test_diff_between_two_revisions_and_unchanged_sections(ws, doc, secs):
    first = revisions.snapshot_revision(ws, doc, "First")
    sections.edit_section(ws, secs["finance"], body="ICE leads, with Treasury.")
    second = revisions.snapshot_revision(ws, doc, "Second")
    sections.edit_section(ws, secs["intro"], body="Rewritten after the second revision.")
    diffs = revisions.diff_revisions(ws, doc, first, second)
    assert [d.status for d in diffs] == ["unchanged", "unchanged", "changed"]
    assert all(p.op == "equal" for p in diffs[0].paragraphs)


def test_removed_sections_appear_where_they_stood(ws, doc, secs):
    rev = revisions.snapshot_revision(ws, doc, "Before")
    sections.delete_section(ws, secs["intro"])
    sections.delete_section(ws, secs["finance"])
    diffs = revisions.diff_revisions(ws, doc, rev, None)
    assert [(d.section_id, d.status) for d in diffs] == [
        (secs["intro"], "removed"),
        (secs["ports"], "unchanged"),
        (secs["finance"], "removed"),
    ]


def test_current_sections_reads_live_text(ws, doc, secs):
    current = revisions.current_sections(ws, doc)
    assert [s.body for s in current][1] == "CBP scans vehicles."
    assert current[1].equities == ("CBP",) and current[1].depth == 0
