"""Splitting Markdown into a heading tree while keeping each body as Markdown source."""

from __future__ import annotations

from workbench.markdown_sections import ParsedSection, nest, split_sections

STRATEGY = """\
Front matter before any heading.

# Introduction

Opening paragraph with *emphasis*.

- a list item
- another

## Maritime {kind=tenet equities=USCG,CBP}

| a | b |
|---|---|
| 1 | 2 |

### Detail

Deep text.

# Appendix {kind=appendix}
"""


def test_split_keeps_preamble_levels_bodies_and_attributes():
    preamble, secs = split_sections(STRATEGY)
    assert preamble == "Front matter before any heading."
    assert [(s.level, s.heading) for s in secs] == [
        (1, "Introduction"),
        (2, "Maritime"),
        (3, "Detail"),
        (1, "Appendix"),
    ]
    assert secs[0].body == "Opening paragraph with *emphasis*.\n\n- a list item\n- another"
    assert secs[1].attrs == {"kind": "tenet", "equities": "USCG,CBP"}
    assert secs[1].body == "| a | b |\n|---|---|\n| 1 | 2 |"
    assert secs[3] == ParsedSection(1, "Appendix", "", {"kind": "appendix"})


def test_nest_pairs_each_section_with_its_parent():
    _, secs = split_sections(STRATEGY)
    assert [parent for _, parent in nest(secs)] == [None, 0, 1, None]


def test_nest_handles_skipped_levels_and_shallower_returns():
    secs = [ParsedSection(level, str(i), "") for i, level in enumerate([2, 4, 3, 1, 3])]
    assert [parent for _, parent in nest(secs)] == [None, 0, 0, None, 3]


def test_headings_inside_code_blocks_and_quotes_are_body_text():
    text = "# Real\n\n```\n# not a heading\n```\n\n> # quoted\n\nAfter."
    _, secs = split_sections(text)
    assert [s.heading for s in secs] == ["Real"]
    assert "# not a heading" in secs[0].body and "> # quoted" in secs[0].body


def test_setext_headings_and_closing_hashes():
    _, secs = split_sections("Title\n=====\n\nBody.\n\n## Second ##\nMore.")
    assert [(s.level, s.heading, s.body) for s in secs] == [
        (1, "Title", "Body."),
        (2, "Second", "More."),
    ]


def test_no_headings_is_all_preamble():
    assert split_sections("Just text.\n\nTwo paragraphs.") == ("Just text.\n\nTwo paragraphs.", [])


def test_windows_line_endings():
    _, secs = split_sections("# A\r\n\r\nx\r\n\r\n# B\r\ny")
    assert [(s.heading, s.body) for s in secs] == [("A", "x"), ("B", "y")]


def test_form_feeds_and_line_separators_do_not_shift_sections():
    # Text pasted from Word carries page breaks (\f) and U+2028 line separators.
    _, secs = split_sections("# A\n\npage one\fpage two\u2028same line\n\n# B\n\nbody b")
    assert [(s.heading, s.body) for s in secs] == [
        ("A", "page one\fpage two\u2028same line"),
        ("B", "body b"),
    ]


def test_braces_without_attributes_stay_in_the_heading():
    _, secs = split_sections("# Budget {FY2026}\n\nText.\n\n# Plan {kind=appendix}")
    assert [(s.heading, s.attrs) for s in secs] == [
        ("Budget {FY2026}", {}),
        ("Plan", {"kind": "appendix"}),
    ]
