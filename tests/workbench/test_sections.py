"""Sections: the tree (add, move, reparent, indent, delete, restore), text, hashes, equities."""

from __future__ import annotations

import pytest

from workbench import audit, documents, sections
from workbench.errors import NotFound, RuleViolation, WorkbenchError


@pytest.fixture
def doc(ws):
    return documents.create_document(ws, "strategy", "Maritime Border Strategy")


def _shape(ws, doc_id):
    return [(e.number, e.heading) for e in sections.outline(ws, doc_id)]


@pytest.fixture
def tree(ws, doc):
    """1 Intro / 2 Goals (2.1 Detect, 2.2 Interdict) / 3 Partners."""
    ids = {"intro": sections.add_section(ws, doc, heading="Intro")}
    ids["goals"] = sections.add_section(ws, doc, heading="Goals")
    ids["detect"] = sections.add_section(ws, doc, parent_id=ids["goals"], heading="Detect")
    ids["interdict"] = sections.add_section(ws, doc, parent_id=ids["goals"], heading="Interdict")
    ids["partners"] = sections.add_section(ws, doc, heading="Partners")
    return ids


def test_add_builds_a_numbered_outline(ws, doc, tree):
    assert _shape(ws, doc) == [
        ("1", "Intro"),
        ("2", "Goals"),
        ("2.1", "Detect"),
        ("2.2", "Interdict"),
        ("3", "Partners"),
    ]
    entry = sections.outline(ws, doc)[2]
    assert (entry.depth, entry.parent_id, entry.title) == (1, tree["goals"], "2.1 Detect")
    assert documents.document(ws, doc).section_count == 5


def test_add_at_an_index(ws, doc, tree):
    sections.add_section(ws, doc, index=0, heading="Summary")
    sections.add_section(ws, doc, parent_id=tree["goals"], index=1, heading="Monitor")
    sections.add_section(ws, doc, index=99, heading="Annex")
    assert [h for _, h in _shape(ws, doc)] == [
        "Summary",
        "Intro",
        "Goals",
        "Detect",
        "Monitor",
        "Interdict",
        "Partners",
        "Annex",
    ]


def test_add_refuses_bad_input(ws, doc, tree):
    other = documents.create_document(ws, "study", "Other")
    with pytest.raises(WorkbenchError, match="same document"):
        sections.add_section(ws, other, parent_id=tree["goals"])
    with pytest.raises(WorkbenchError, match="kind"):
        sections.add_section(ws, doc, kind="chapter")
    with pytest.raises(NotFound):
        sections.add_section(ws, doc, parent_id=99999)
    with pytest.raises(NotFound):
        sections.add_section(ws, doc, equities=["NOPE"])
    with pytest.raises(WorkbenchError, match="heading"):
        sections.add_section(ws, doc, heading="x" * 1001)
    assert len(sections.outline(ws, doc)) == 5


def test_section_read(ws, doc, tree):
    sid = sections.add_section(
        ws, doc, parent_id=tree["goals"], heading="Ports", body="Body", equities=["CBP", "USCG"]
    )
    s = sections.section(ws, sid)
    assert (s.number, s.heading, s.body, s.parent_id) == ("2.3", "Ports", "Body", tree["goals"])
    assert set(s.equities) == {"CBP", "USCG"}
    assert s.content_hash == sections.content_hash("Ports", "Body")


def test_move_within_siblings(ws, doc, tree):
    sections.move_section(ws, tree["partners"], None, 0)
    assert [h for n, h in _shape(ws, doc) if "." not in n] == ["Partners", "Intro", "Goals"]
    sections.move_section(ws, tree["partners"], None, None)
    assert [h for n, h in _shape(ws, doc) if "." not in n] == ["Intro", "Goals", "Partners"]


def test_reparent_renumbers_both_places(ws, doc, tree):
    sections.move_section(ws, tree["detect"], tree["partners"], 0)
    assert _shape(ws, doc) == [
        ("1", "Intro"),
        ("2", "Goals"),
        ("2.1", "Interdict"),
        ("3", "Partners"),
        ("3.1", "Detect"),
    ]
    sections.move_section(ws, tree["goals"], None, 0)  # a section moves with its subtree
    assert _shape(ws, doc)[:2] == [("1", "Goals"), ("1.1", "Interdict")]


def test_move_refuses_own_subtree_and_other_documents(ws, doc, tree):
    with pytest.raises(RuleViolation, match="inside itself"):
        sections.move_section(ws, tree["goals"], tree["detect"], 0)
    with pytest.raises(RuleViolation, match="inside itself"):
        sections.move_section(ws, tree["goals"], tree["goals"], 0)
    other = documents.create_document(ws, "study", "Other")
    foreign = sections.add_section(ws, other, heading="Elsewhere")
    with pytest.raises(WorkbenchError, match="same document"):
        sections.move_section(ws, tree["intro"], foreign, 0)
    assert [h for _, h in _shape(ws, doc)] == ["Intro", "Goals", "Detect", "Interdict", "Partners"]


def test_indent_and_outdent_targets(ws, doc, tree):
    assert sections.indent_target(ws, tree["intro"]) is None  # first sibling
    assert sections.indent_target(ws, tree["partners"]) == (tree["goals"], 2)
    assert sections.outdent_target(ws, tree["intro"]) is None  # already top level
    assert sections.outdent_target(ws, tree["interdict"]) == (None, 2)
    sections.move_section(ws, tree["partners"], *sections.indent_target(ws, tree["partners"]))
    assert _shape(ws, doc)[-1] == ("2.3", "Partners")
    sections.move_section(ws, tree["detect"], *sections.outdent_target(ws, tree["detect"]))
    assert _shape(ws, doc) == [
        ("1", "Intro"),
        ("2", "Goals"),
        ("2.1", "Interdict"),
        ("2.2", "Partners"),
        ("3", "Detect"),
    ]


def test_delete_removes_the_subtree_and_restore_brings_it_back(ws, doc, tree):
    before = _shape(ws, doc)
    batch = sections.delete_section(ws, tree["goals"])
    assert _shape(ws, doc) == [("1", "Intro"), ("2", "Partners")]
    assert documents.document(ws, doc).section_count == 2
    for sid in (tree["goals"], tree["detect"]):
        with pytest.raises(NotFound):
            sections.section(ws, sid)
    deleted = list(ws.db.query("SELECT id FROM sections WHERE deletion_batch = ?", [batch]))
    assert {r["id"] for r in deleted} == {tree["goals"], tree["detect"], tree["interdict"]}
    sections.restore_section(ws, tree["goals"], None, 1)
    assert _shape(ws, doc) == before


def test_restoring_a_parent_does_not_revive_children_deleted_earlier(ws, doc, tree):
    sections.delete_section(ws, tree["detect"])
    sections.delete_section(ws, tree["goals"])
    (entry,) = audit.entries(ws, action_prefix="section.delete", entity_id=tree["goals"])
    assert entry.details["count"] == 2  # goals and interdict; detect was already gone
    sections.restore_section(ws, tree["goals"], None, 1)
    assert [h for _, h in _shape(ws, doc)] == ["Intro", "Goals", "Interdict", "Partners"]
    sections.restore_section(ws, tree["detect"], tree["goals"], 0)
    assert _shape(ws, doc)[2] == ("2.1", "Detect")


def test_restore_refuses_a_live_section_or_a_deleted_parent(ws, doc, tree):
    with pytest.raises(RuleViolation, match="not deleted"):
        sections.restore_section(ws, tree["intro"], None, 0)
    sections.delete_section(ws, tree["detect"])
    sections.delete_section(ws, tree["goals"])
    with pytest.raises(NotFound):
        sections.restore_section(ws, tree["detect"], tree["goals"], 0)


def test_edit_changes_the_content_hash_and_records_it(ws, doc, tree, clock):
    old = sections.section(ws, tree["intro"])
    clock.advance(minutes=5)
    new_hash = sections.edit_section(ws, tree["intro"], body="The transit zone.")
    s = sections.section(ws, tree["intro"])
    assert s.body == "The transit zone." and s.content_hash == new_hash != old.content_hash
    assert s.changed_at == ws.now() != old.changed_at
    entry = audit.entries(ws, limit=1)[0]
    assert entry.action == "section.edit"
    assert entry.details == {
        "document_id": doc,
        "old_hash": old.content_hash,
        "new_hash": new_hash,
    }
    sections.edit_section(ws, tree["intro"], heading="Introduction")
    assert audit.entries(ws, limit=1)[0].details["heading"] == "Introduction"


def test_heading_and_body_are_hashed_apart(ws, doc):
    a = sections.add_section(ws, doc, heading="ab", body="c")
    b = sections.add_section(ws, doc, heading="a", body="bc")
    assert sections.section(ws, a).content_hash != sections.section(ws, b).content_hash


def test_an_unchanged_edit_writes_nothing(ws, doc, tree, clock):
    before = sections.section(ws, tree["intro"])
    count = len(audit.entries(ws))
    clock.advance(hours=1)
    assert sections.edit_section(ws, tree["intro"], heading="Intro", body="") == before.content_hash
    assert sections.edit_section(ws, tree["intro"]) == before.content_hash
    assert len(audit.entries(ws)) == count
    assert sections.section(ws, tree["intro"]).changed_at == before.changed_at


def test_equities(ws, doc, tree):
    sections.set_equities(ws, tree["detect"], ["USCG", "i&a"])
    assert sections.section(ws, tree["detect"]).equities == ("USCG", "I&A")
    (entry,) = audit.entries(ws, action_prefix="section.equities")
    assert (entry.details["old"], entry.details["new"]) == ([], ["USCG", "I&A"])
    sections.set_equities(ws, tree["detect"], ["I&A", "USCG", "USCG"])
    assert len(audit.entries(ws, action_prefix="section.equities")) == 1
    assert sections.equities_by_section(ws, doc) == {tree["detect"]: ("USCG", "I&A")}
    sections.set_equities(ws, tree["detect"], [])
    assert sections.section(ws, tree["detect"]).equities == ()
    with pytest.raises(NotFound):
        sections.set_equities(ws, tree["detect"], ["ZZZ"])


def test_section_kind(ws, doc, tree):
    sections.set_section_kind(ws, tree["partners"], "appendix")
    assert _shape(ws, doc)[-1] == ("Appendix A", "Partners")
    with pytest.raises(WorkbenchError, match="kind"):
        sections.set_section_kind(ws, tree["partners"], "annex")


def test_a_section_deleted_with_its_parent_is_restored_through_the_parent(ws, doc, tree):
    sections.delete_section(ws, tree["goals"])
    with pytest.raises(RuleViolation, match="deleted together with 'Goals'"):
        sections.restore_section(ws, tree["detect"], None, 0)
    assert [h for _, h in _shape(ws, doc)] == ["Intro", "Partners"]


def test_restore_refuses_a_parent_in_another_document(ws, doc, tree):
    other = documents.create_document(ws, "study", "Other")
    foreign = sections.add_section(ws, other, heading="Elsewhere")
    sections.delete_section(ws, tree["intro"])
    with pytest.raises(WorkbenchError, match="same document"):
        sections.restore_section(ws, tree["intro"], foreign, 0)
    assert [e.heading for e in sections.outline(ws, other)] == ["Elsewhere"]
