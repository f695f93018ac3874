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


def test_a_document_and_the_directory_follow_changes_from_another_connection(ws):
    from workbench import directory

    doc = documents.create_document(ws, "strategy", "Cache test")
    sections.add_section(ws, doc, heading="One")
    assert documents.document(ws, doc).section_count == 1
    before = {o.code for o in directory.organizations(ws)}
    other = ws.for_thread()
    try:
        documents.rename_document(other, doc, "Renamed elsewhere")
        sections.add_section(other, doc, heading="Two")
        directory.add_organization(other, "NEWORG", "A new partner", "federal")
    finally:
        other.close()
    d = documents.document(ws, doc)
    assert (d.title, d.section_count) == ("Renamed elsewhere", 2)
    assert {o.code for o in directory.organizations(ws)} == before | {"NEWORG"}
    directory.organizations(ws).clear()  # a caller's list is its own
    assert len(directory.organizations(ws)) == len(before) + 1
    assert "NEWORG" not in directory.cne_codes(ws)
