"""Remembered reads never go stale: a change by this connection or another shows at once."""

from workbench import documents, sections


def test_outline_follows_changes_from_this_and_other_connections(ws):
    doc = documents.create_document(ws, "strategy", "Cache test")
    first = sections.add_section(ws, doc, heading="One")
    assert [e.heading for e in sections.outline(ws, doc)] == ["One"]
    sections.edit_section(ws, first, heading="Uno")  # this connection
    assert [e.heading for e in sections.outline(ws, doc)] == ["Uno"]
    other = ws.for_thread()  # another connection, as the writer thread has
    try:
        sections.add_section(other, doc, heading="Two")
        sections.edit_section(other, first, heading="Eins")
    finally:
        other.close()
    assert [e.title for e in sections.outline(ws, doc)] == ["1 Eins", "2 Two"]
    assert sections.section_numbers(ws, doc) == {e.id: e.number for e in sections.outline(ws, doc)}


def test_callers_cannot_spoil_the_remembered_outline(ws):
    doc = documents.create_document(ws, "strategy", "Cache test")
    sections.add_section(ws, doc, heading="One")
    sections.outline(ws, doc).clear()
    sections.section_numbers(ws, doc).clear()
    assert len(sections.outline(ws, doc)) == 1
    assert len(sections.section_numbers(ws, doc)) == 1


def test_a_refused_use_case_leaves_no_phantom_in_the_outline(ws):
    import pytest

    from workbench.errors import RuleViolation
    from workbench.workspace import use_case

    doc = documents.create_document(ws, "strategy", "Cache test")
    sections.add_section(ws, doc, heading="One")
    assert len(sections.outline(ws, doc)) == 1

    @use_case
    def add_then_refuse(w):
        sections.add_section(w, doc, heading="Phantom")
        assert len(sections.outline(w, doc)) == 2  # seen inside the transaction
        raise RuleViolation("refused after the read")

    with pytest.raises(RuleViolation):
        add_then_refuse(ws)
    assert [e.heading for e in sections.outline(ws, doc)] == ["One"]
    assert len(sections.section_numbers(ws, doc)) == 1
