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


def test_footnotes_are_numbered_through_the_document_in_citation_order():
    text = _pdf(
        "Seizures rose[^a] sharply[^b].\n\n[^a]: CBP data.\n\n[^b]: USCG data.",
        "Again[^x].\n\n[^x]: ICE data.",
    )
    assert "Seizures rose[1] sharply[2]." in text
    assert "[1] CBP data." in text and "[2] USCG data." in text
    assert "Again[3]." in text and "[3] ICE data." in text
    assert "[^" not in text


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
