"""Find and replace across sections: matching rules, one transaction, one undo step."""

from __future__ import annotations

import pytest

from workbench import documents, find_replace, sections
from workbench.errors import WorkbenchError
from workbench.undo import ReplaceAll, UndoStack


@pytest.fixture
def doc(ws):
    doc_id = documents.create_document(ws, "strategy", "Maritime Strategy")
    a = sections.add_section(ws, doc_id, heading="Coast Guard role", body="The coast guard leads.")
    b = sections.add_section(
        ws, doc_id, heading="Partners", body="Coastal states and the Coast Guard."
    )
    return doc_id, a, b


def test_find_all_in_reading_order_with_case_and_whole_word(ws, doc):
    doc_id, a, b = doc
    hits = find_replace.find_all(ws, doc_id, "coast guard")
    assert [(h.section_id, h.field, h.start) for h in hits] == [
        (a, "heading", 0),
        (a, "body", 4),
        (b, "body", 23),
    ]
    assert len(find_replace.find_all(ws, doc_id, "Coast Guard", match_case=True)) == 2
    assert len(find_replace.find_all(ws, doc_id, "coast")) == 4
    assert len(find_replace.find_all(ws, doc_id, "coast", whole_word=True)) == 3  # not Coastal


def test_find_sees_unsaved_typing(ws, doc):
    doc_id, a, _ = doc
    hits = find_replace.find_all(ws, doc_id, "USCG", overrides={a: ("Coast Guard role", "USCG")})
    assert [(h.section_id, h.field) for h in hits] == [(a, "body")]


def test_replace_all_is_one_undoable_step(ws, doc):
    doc_id, a, b = doc
    stack = UndoStack()
    command = stack.perform(ws, ReplaceAll(doc_id, "Coast Guard", "USCG", whole_word=True))
    assert command.result.count == 3
    assert sections.section(ws, a).heading == "USCG role"
    assert sections.section(ws, a).body == "The USCG leads."
    assert sections.section(ws, b).body == "Coastal states and the USCG."
    actions = [r["action"] for r in ws.db.query("SELECT action FROM audit_log")]
    assert actions[-1] == "document.replace_all"
    stack.undo(ws)
    assert sections.section(ws, a).body == "The coast guard leads."
    assert sections.section(ws, b).body == "Coastal states and the Coast Guard."
    assert sections.section(ws, a).heading == "Coast Guard role"
    stack.redo(ws)
    assert sections.section(ws, b).body == "Coastal states and the USCG."


def test_replacement_text_is_literal(ws, doc):
    doc_id, a, _ = doc
    find_replace.replace_all(ws, doc_id, "leads", r"\1 leads \g<0>")
    assert sections.section(ws, a).body == r"The coast guard \1 leads \g<0>."


def test_nothing_to_replace_is_a_clear_error_and_changes_nothing(ws, doc):
    doc_id, a, _ = doc
    before = ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(WorkbenchError, match="not in this document"):
        find_replace.replace_all(ws, doc_id, "Fentanyl", "x")
    with pytest.raises(WorkbenchError, match="Type the text"):
        find_replace.find_all(ws, doc_id, "")
    assert ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
