"""Documents: create, rename, update, delete and restore, find by id or title fragment."""

from __future__ import annotations

import pytest

from workbench import audit, documents, sections
from workbench.errors import NotFound, RuleViolation, WorkbenchError


def test_create_with_defaults(ws):
    doc_id = documents.create_document(ws, "strategy", "  Northern   Border\nStrategy ")
    doc = documents.document(ws, doc_id)
    assert doc.title == "Northern Border Strategy"
    assert (doc.kind_label, doc.status_label, doc.version) == ("Strategy", "Draft", 1)
    assert doc.marking == documents.DEFAULT_MARKING
    assert (doc.lead, doc.co_lead, doc.due_date) == ("CNE", None, None)
    assert doc.created_at == doc.updated_at == ws.now()
    assert doc.section_count == 0


def test_create_with_co_lead_and_due_date(ws):
    doc_id = documents.create_document(
        ws,
        "report_to_congress",
        "Annual Report",
        lead="CNE",
        co_lead="doj",
        due_date="2027-02-01",
        marking="UNCLASSIFIED",
    )
    doc = documents.document(ws, doc_id)
    assert (doc.co_lead, doc.due_date, doc.marking) == ("DOJ", "2027-02-01", "UNCLASSIFIED")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "memo", "title": "X"}, "Unknown document kind"),
        ({"kind": "study", "title": "   "}, "needs a title"),
        ({"kind": "study", "title": "x" * 501}, "at most 500"),
        ({"kind": "study", "title": "X", "due_date": "next Friday"}, "not a date"),
        ({"kind": "study", "title": "X", "lead": "NOPE"}, "No organization"),
    ],
)
def test_create_refuses_bad_input(ws, kwargs, message):
    with pytest.raises(WorkbenchError, match=message):
        documents.create_document(ws, **kwargs)
    assert documents.list_documents(ws) == []


def test_rename(ws):
    doc_id = documents.create_document(ws, "strategy", "Draft Title")
    documents.rename_document(ws, doc_id, "Final Title")
    assert documents.document(ws, doc_id).title == "Final Title"
    (entry,) = audit.entries(ws, action_prefix="document.rename")
    assert entry.details == {"old": "Draft Title", "new": "Final Title"}
    documents.rename_document(ws, doc_id, " Final  Title ")
    assert len(audit.entries(ws, action_prefix="document.rename")) == 1
    with pytest.raises(WorkbenchError):
        documents.rename_document(ws, doc_id, "")


def test_update_fields(ws, clock):
    doc_id = documents.create_document(ws, "directive", "Policy Coordination Directive")
    clock.advance(hours=1)
    documents.update_document(
        ws, doc_id, kind="sop", co_lead="PLCY", due_date="2027-03-31", marking="UNCLASSIFIED"
    )
    doc = documents.document(ws, doc_id)
    assert (doc.kind, doc.co_lead, doc.due_date, doc.marking) == (
        "sop",
        "PLCY",
        "2027-03-31",
        "UNCLASSIFIED",
    )
    assert doc.updated_at == ws.now() != doc.created_at
    documents.update_document(ws, doc_id, co_lead=None, due_date="")
    doc = documents.document(ws, doc_id)
    assert (doc.co_lead, doc.due_date) == (None, None)
    with pytest.raises(WorkbenchError, match="marking"):
        documents.update_document(ws, doc_id, marking="  ")
    with pytest.raises(WorkbenchError, match="kind"):
        documents.update_document(ws, doc_id, kind="memo")


def test_delete_hides_and_restore_brings_back(ws):
    doc_id = documents.create_document(ws, "study", "Criminal Proceeds Study")
    sections.add_section(ws, doc_id, heading="Background")
    documents.delete_document(ws, doc_id)
    assert documents.list_documents(ws) == []
    with pytest.raises(NotFound):
        documents.document(ws, doc_id)
    with pytest.raises(NotFound):
        documents.delete_document(ws, doc_id)
    documents.restore_document(ws, doc_id)
    assert documents.document(ws, doc_id).section_count == 1
    with pytest.raises(NotFound, match="No deleted document"):
        documents.restore_document(ws, doc_id)


def test_list_is_sorted_by_title_ignoring_case(ws):
    for title in ("maritime Strategy", "Doctrine", "Annual Report"):
        documents.create_document(ws, "strategy", title)
    assert [d.title for d in documents.list_documents(ws)] == [
        "Annual Report",
        "Doctrine",
        "maritime Strategy",
    ]


@pytest.fixture
def library(ws):
    return {
        "sw": documents.create_document(ws, "strategy", "Southwest Border Strategy"),
        "nb": documents.create_document(ws, "strategy", "Northern Border Strategy"),
        "spss": documents.create_document(ws, "strategy", "SPSS Strategy"),
    }


def test_find_by_id_and_fragment(ws, library):
    assert documents.find_document(ws, library["nb"]).id == library["nb"]
    assert documents.find_document(ws, str(library["sw"])).id == library["sw"]
    assert documents.find_document(ws, "northern").id == library["nb"]
    assert documents.find_document(ws, "  SPSS ").id == library["spss"]


def test_find_exact_title_wins_over_longer_matches(ws, library):
    exact = documents.create_document(ws, "strategy", "Border Strategy")
    assert documents.find_document(ws, "border strategy").id == exact


def test_find_ambiguous_fragment_names_the_candidates(ws, library):
    with pytest.raises(WorkbenchError, match="matches 2 documents") as info:
        documents.find_document(ws, "Border")
    assert "Southwest Border Strategy" in str(info.value)
    assert "Northern Border Strategy" in str(info.value)


def test_find_nothing(ws, library):
    with pytest.raises(NotFound, match="No document matches"):
        documents.find_document(ws, "Doctrine")
    with pytest.raises(WorkbenchError, match="Name a document"):
        documents.find_document(ws, " ")
    documents.delete_document(ws, library["spss"])
    with pytest.raises(NotFound):
        documents.find_document(ws, "SPSS")


def test_find_a_number_that_is_not_an_id_searches_titles(ws):
    doc = documents.create_document(ws, "report_to_congress", "Report 2026")
    assert documents.find_document(ws, "2026").id == doc


def _publish_directly(ws, doc_id):
    # Publishing is a separate use-case; only the status matters for these tests.
    ws.db.execute("UPDATE documents SET status = 'published' WHERE id = ?", [doc_id])


def test_a_published_version_is_read_only_until_the_next_version_is_started(ws):
    doc_id = documents.create_document(ws, "strategy", "Maritime Strategy")
    sid = sections.add_section(ws, doc_id, heading="Interdiction", body="Old text.")
    _publish_directly(ws, doc_id)
    # The attack: one keystroke silently turned a published document back into a draft.
    with pytest.raises(RuleViolation, match="Version 1 of Maritime Strategy is published"):
        sections.edit_section(ws, sid, body="New text.")
    assert documents.document(ws, doc_id).status == "published"
    assert sections.section(ws, sid).body == "Old text."
    documents.start_next_version(ws, doc_id)
    sections.edit_section(ws, sid, body="New text.")
    doc = documents.document(ws, doc_id)
    assert (doc.status, doc.version) == ("draft", 2)
    (entry,) = audit.entries(ws, action_prefix="document.new_version")
    assert entry.details == {"version": 2, "after_published": 1}
    sections.edit_section(ws, sid, body="Newer text.")
    assert documents.document(ws, doc_id).version == 2
    with pytest.raises(RuleViolation, match="not published"):
        documents.start_next_version(ws, doc_id)


def test_undo_never_unpublishes(ws):
    from workbench.undo import AddSection, UndoStack

    doc_id = documents.create_document(ws, "strategy", "Maritime Strategy")
    stack = UndoStack()
    stack.perform(ws, AddSection(doc_id, heading="Interdiction", body="Text."))
    _publish_directly(ws, doc_id)
    # Undoing the last change before publication would change the published version.
    with pytest.raises(RuleViolation, match="published"):
        stack.undo(ws)
    doc = documents.document(ws, doc_id)
    assert (doc.status, doc.version) == ("published", 1)
    assert [e.heading for e in sections.outline(ws, doc_id)] == ["Interdiction"]
    assert stack.can_undo  # still there, refused, not lost


@pytest.mark.parametrize("change", ["add", "move", "delete", "equities", "kind"])
def test_every_structural_change_to_a_published_document_is_refused(ws, change):
    doc_id = documents.create_document(ws, "strategy", "Maritime Strategy")
    a = sections.add_section(ws, doc_id, heading="A")
    sections.add_section(ws, doc_id, heading="B")
    _publish_directly(ws, doc_id)
    outline_before = [(e.id, e.heading, e.kind, e.equities) for e in sections.outline(ws, doc_id)]
    change_it = {
        "add": lambda: sections.add_section(ws, doc_id, heading="C"),
        "move": lambda: sections.move_section(ws, a, None, 1),
        "delete": lambda: sections.delete_section(ws, a),
        "equities": lambda: sections.set_equities(ws, a, ["USCG"]),
        "kind": lambda: sections.set_section_kind(ws, a, "appendix"),
    }[change]
    with pytest.raises(RuleViolation, match="published"):
        change_it()
    doc = documents.document(ws, doc_id)
    assert (doc.status, doc.version) == ("published", 1)
    assert [(e.id, e.heading, e.kind, e.equities) for e in sections.outline(ws, doc_id)] == (
        outline_before
    )
    documents.start_next_version(ws, doc_id)
    change_it()
    assert documents.document(ws, doc_id).version == 2


@pytest.mark.parametrize("noop", ["edit", "equities", "kind", "move"])
def test_a_change_that_changes_nothing_keeps_a_published_version(ws, noop):
    doc_id = documents.create_document(ws, "strategy", "Maritime Strategy")
    a = sections.add_section(ws, doc_id, heading="A", body="Text", equities=["USCG"])
    sections.add_section(ws, doc_id, heading="B")
    _publish_directly(ws, doc_id)
    entries_before = len(audit.entries(ws))
    {
        "edit": lambda: sections.edit_section(ws, a, heading="A", body="Text"),
        "equities": lambda: sections.set_equities(ws, a, ["USCG"]),
        "kind": lambda: sections.set_section_kind(ws, a, "narrative"),
        "move": lambda: sections.move_section(ws, a, None, 0),
    }[noop]()
    doc = documents.document(ws, doc_id)
    assert (doc.status, doc.version) == ("published", 1)
    assert len(audit.entries(ws)) == entries_before


def test_require_status(ws):
    doc = documents.document(ws, documents.create_document(ws, "strategy", "S"))
    documents.require_status(doc, "draft")
    with pytest.raises(RuleViolation, match="S is draft"):
        documents.require_status(doc, "published")
