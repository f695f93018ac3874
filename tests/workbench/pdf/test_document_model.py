"""The document model in the PDF: cross-references, footnotes, figures, soft hyphens."""

from __future__ import annotations

from tests.workbench.pdf.conftest import make_snapshot, pages_text
from workbench.pdf import build_pdf


def _pdf(first_body: str, second_body: str = "", *, insert_before: bool = False) -> str:
    snap = make_snapshot(published=False, sections_count=2)
    snap["sections"][0]["body"] = first_body
    snap["sections"][2]["body"] = second_body or "Second chapter."
    if insert_before:  # a section inserted ahead renumbers the target
        for s in snap["sections"]:
            if s["section_id"] == 20:
                s["number"] = "3"
    data = build_pdf(snap, include_contents=False)
    return " ".join(" ".join(pages_text(data)).split())


def test_cross_reference_prints_the_targets_current_number():
    body = "See [§](section:20) and [§](section:777)."
    assert "See §2 and §[section removed]." in _pdf(body)
    assert "See §3 and" in _pdf(body, insert_before=True)


def _lines_with_positions(data: bytes) -> list[tuple[int, float, str]]:
    """(page, baseline y, text) of every text run drawn, in drawing order."""
    import io

    from pypdf import PdfReader

    out: list[tuple[int, float, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                out.append((number, round(tm[5] * cm[3] + cm[5], 1), text))

        page.extract_text(visitor_text=visit)
    return out


def test_footnotes_are_numbered_through_the_document_and_set_at_the_foot_of_their_page():
    snap = make_snapshot(published=False, sections_count=2)
    long = "Interdiction requires coordination across components. " * 60
    snap["sections"][0]["body"] = (
        "Seizures rose[^a] sharply[^b].\n\n[^a]: CBP data.\n\n[^b]: USCG data."
    )
    snap["sections"][2]["body"] = f"{long}\n\nAgain[^x].\n\n[^x]: ICE data."
    data = build_pdf(snap, include_contents=False)
    text = " ".join(" ".join(pages_text(data)).split())
    assert "Seizures rose1 sharply2." in text  # superscript marks
    assert "[^" not in text and "[1]" not in text
    runs = _lines_with_positions(data)

    def where(needle: str) -> tuple[int, float]:
        return next((p, y) for p, y, t in runs if needle in t)

    cited, note_a, note_b = where("Seizures rose"), where("CBP data."), where("USCG data.")
    again, note_x = where("Again"), where("ICE data.")
    # Each note is on its citation's page, below all of that page's text, in citation order.
    assert note_a[0] == note_b[0] == cited[0] and note_x[0] == again[0]
    assert cited[1] > note_a[1] > note_b[1]
    assert again[1] > note_x[1]
    body_on_page = [y for p, y, t in runs if p == again[0] and "Interdiction" in t]
    assert min(body_on_page) > note_x[1] + 10  # text never runs into the notes
    assert note_x[1] > 78  # above the bottom margin (the footer lives below it)


def test_the_notes_cited_in_a_table_are_set_too():
    text = _pdf("| a | b |\n|---|---|\n| cell[^t] | x |\n\n[^t]: Table note.")
    assert "Table note." in text and "cell1" in text


def test_soft_hyphens_are_not_printed_and_figures_print_their_caption():
    text = _pdf('en\u00adforce\u00adment\n\n![Map of routes](figure:4 "Transit zone")')
    assert "enforcement" in text and "en-force" not in text and "\u00ad" not in text
    # A figure this snapshot's store does not have prints framed, numbered, with its caption.
    assert "Figure 1 cannot be shown" in text and "(Map of routes)" in text
    assert "Figure 1. Transit zone" in text


def test_lettered_and_roman_lists_print_their_letters_and_numerals():
    text = _pdf('{type="a i"}\n\n1. Screen cargo.\n2. Share.\n   1. Within DHS.\n   2. Beyond.')
    assert "a. Screen cargo. b. Share. i. Within DHS. ii. Beyond." in text
    assert "{type" not in text


def test_braces_that_are_not_a_list_style_stay_text():
    text = _pdf("{TBD}\n\n{type=x}\n\n1. One.")
    assert "{TBD}" in text and "{type=x}" in text and "1. One." in text


def test_a_note_nobody_cites_still_prints_as_typed():
    text = _pdf("Text without a mark.\n\n[^a]: A note nobody cites\n    on two lines.")
    assert "[^a]: A note nobody cites on two lines." in text
