"""The redline structure: sections added, removed, changed and moved; words, table rows, refs."""

from __future__ import annotations

import pytest

from workbench import documents, revisions, sections
from workbench.errors import NotFound, WorkbenchError
from workbench.markdown_model import cross_reference
from workbench.redline import DELETE, EQUAL, INSERT, Side, compare, parse_spec, redline


def _text(marks, op) -> str:
    return "".join(m.piece.text for m in marks if m.op == op)


@pytest.fixture
def doc(ws):
    return documents.create_document(ws, "strategy", "Southwest Border Strategy")


@pytest.fixture
def secs(ws, doc):
    return {
        "intro": sections.add_section(ws, doc, heading="Introduction", body="CBP scans cargo."),
        "ports": sections.add_section(
            ws, doc, heading="Ports", body="| a | b |\n|---|---|\n| 1 | 2 |"
        ),
        "finance": sections.add_section(ws, doc, heading="Finance", body="ICE leads."),
        "gone": sections.add_section(ws, doc, heading="Annex", body="To be removed."),
    }


def test_words_tables_sections_and_moves_between_revision_and_draft(ws, doc, secs):
    r1 = revisions.snapshot_revision(ws, doc, "Before CBP")
    sections.edit_section(ws, secs["intro"], body="CBP scans **all** cargo.")
    sections.edit_section(ws, secs["ports"], body="| a | b |\n|---|---|\n| 1 | 3 |\n| 4 | 5 |")
    sections.move_section(ws, secs["finance"], None, 0)
    sections.delete_section(ws, secs["gone"])
    added = sections.add_section(ws, doc, heading="Air", body="New text.")

    red = redline(ws, doc, f"r{r1}", "draft")
    by_id = {s.section_id: s for s in red.sections}
    assert [s.section_id for s in red.sections] == [
        secs["finance"],
        secs["intro"],
        secs["ports"],
        secs["gone"],
        added,
    ]
    intro = by_id[secs["intro"]]
    assert intro.status == "changed" and (intro.old_number, intro.number) == ("1", "2")
    (block,) = intro.blocks
    assert _text(block.marks, INSERT) == "all "
    assert [m.piece.text for m in block.marks if m.op == INSERT and m.piece.bold] == ["all"]
    assert _text(block.marks, EQUAL) == "CBP scans cargo."
    table = by_id[secs["ports"]].blocks[0]
    assert [r.op for r in table.rows] == [EQUAL, "changed", INSERT]
    assert (
        _text(table.rows[1].cells[1], DELETE) == "2"
        and _text(table.rows[1].cells[1], INSERT) == "3"
    )
    assert by_id[secs["finance"]].moved and by_id[secs["finance"]].status == "unchanged"
    assert not by_id[secs["intro"]].moved
    assert by_id[secs["gone"]].status == "removed" and by_id[secs["gone"]].number == ""
    assert _text(by_id[secs["gone"]].blocks[0].marks, DELETE) == "To be removed."
    assert by_id[added].status == "added"
    assert red.counts() == {"added": 1, "removed": 1, "changed": 2, "moved": 1}
    assert [s.label for s in red.changed] == [
        "1 Finance",
        "2 Introduction",
        "3 Ports",
        "4 Annex",
        "4 Air",
    ]
    assert red.new.author == "analyst.one" and red.old.label.startswith(f"Revision r{r1}")


def test_renumbered_cross_reference_is_not_an_edit(ws, doc, secs):
    ref = cross_reference(secs["finance"])
    sections.edit_section(ws, secs["intro"], body=f"See {ref} for funds.")
    r1 = revisions.snapshot_revision(ws, doc, "One")
    sections.add_section(ws, doc, heading="Inserted", body="", index=0)
    red = redline(ws, doc, f"r{r1}", "draft")
    intro = next(s for s in red.sections if s.section_id == secs["intro"])
    assert intro.status == "unchanged"
    (xref,) = [m.piece for m in intro.blocks[0].marks if m.piece.kind == "xref"]
    assert xref.text == "§4"  # the newer side's number


def test_footnotes_and_figures_are_blocks_and_pieces():
    old = Side("r1", "A", "x", "t", 1, ())
    from workbench.redline import SectionText

    a = SectionText(1, "1", 1, "H", "Text[^1].\n\n[^1]: Old note.")
    b = SectionText(1, "1", 1, "H", 'Text[^1].\n\n![Map](figure:4 "Routes")\n\n[^1]: New note.')
    red = compare(Side("r1", "A", "x", "t", 1, (a,)), Side("r2", "B", "y", "t", 1, (b,)))
    kinds = [(c.op, c.kind) for c in red.sections[0].blocks]
    assert kinds == [(EQUAL, "paragraph"), (INSERT, "figure"), ("changed", "footnote")]
    fig = red.sections[0].blocks[1].marks[0].piece
    assert (fig.kind, fig.target, fig.text, fig.title) == ("figure", 4, "Map", "Routes")
    assert old.sections == ()


def test_specs_and_bad_specs(ws, doc, secs):
    assert parse_spec("v3") == ("version", 3)
    assert parse_spec("3") == ("version", 3)
    assert parse_spec("r12") == ("revision", 12)
    assert parse_spec("Draft") == ("draft", None)
    with pytest.raises(WorkbenchError, match="Cannot read 'yesterday'"):
        parse_spec("yesterday")
    with pytest.raises(NotFound, match="never published"):
        redline(ws, doc, "v1", "draft")
    with pytest.raises(NotFound, match="no revision r99"):
        redline(ws, doc, "r99", "draft")
    with pytest.raises(WorkbenchError, match="two different"):
        redline(ws, doc, "draft", "draft")
