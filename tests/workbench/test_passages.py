"""A passage quoted from the rendered text is found in the Markdown source."""

from __future__ import annotations

from workbench.passages import find_passage

BODY = (
    "The **Coast Guard** will *patrol* the\nEastern Pacific, see [the plan](https://x.gov/p)"
    " and `JIATF` data."
)


def test_exact_text_is_found_as_is():
    assert find_passage(BODY, "will") == (BODY.index("will"), BODY.index("will") + 4)


def test_markup_and_line_breaks_are_ignored():
    start, end = find_passage(BODY, "Coast Guard will patrol the Eastern Pacific")
    assert BODY[start:end] == "**Coast Guard** will *patrol* the\nEastern Pacific"
    start, end = find_passage(BODY, "see the plan and JIATF data")
    assert BODY[start:end] == "see [the plan](https://x.gov/p) and `JIATF` data"


def test_the_span_takes_whole_markup_so_a_replacement_leaves_none_half_open():
    start, end = find_passage(BODY, "Coast Guard will patrol")
    assert BODY[start:end] == "**Coast Guard** will *patrol*"


def test_what_is_not_there_is_not_found():
    assert find_passage(BODY, "Atlantic") is None
    assert find_passage(BODY, "   ") is None
    assert find_passage(BODY, "Guard  will  patrol  Eastern") is None


def test_a_footnote_citation_is_not_in_the_text_a_reader_quotes():
    body = "Seizures rose.[^2] Patrols grew.\n\n[^2]: JIATF data."
    start, end = find_passage(body, "Seizures rose. Patrols grew.")
    assert body[start:end] == "Seizures rose.[^2] Patrols grew."


def test_a_passage_quoted_from_a_preview_across_a_citation_or_a_cell_break_is_found():
    body = "Seizures rose.[^1] Patrols grew.\n\n| Q1 | First line.<br>Second line. |"
    start, end = find_passage(body, "Seizures rose.[1] Patrols")
    assert body[start:end] == "Seizures rose.[^1] Patrols"
    start, end = find_passage(body, "First line. Second line.")
    assert body[start:end] == "First line.<br>Second line."
