"""Word files other programs made (Microsoft Word, LibreOffice, Google Docs, pandoc): each
imports without a crash and loses nothing (every word, table, note and picture is accounted for
against a count taken straight from the XML), and what a user relies on survives."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import corpus
import pytest

from workbench import figures
from workbench.documents import document
from workbench.exchange.drafts import docx_marking, import_draft, read_draft, read_word_draft
from workbench.exchange.formats import ExchangeError
from workbench.markdown_model import blocks as model_blocks
from workbench.sections import outline, section
from workbench.word.inventory import inventory, missing_words
from workbench.word.reader import read_docx

FILES = corpus.files()


def test_the_corpus_is_in_place_with_files_from_three_producers():
    assert corpus.CACHE.exists(), "the Word corpus is fetched by tools/setup-env test"
    producers = Counter(corpus.producer(p) for p in FILES)
    assert len(FILES) >= 90, producers
    assert producers["Microsoft Word"] >= 40, producers
    assert producers["LibreOffice"] >= 5, producers
    assert producers["Google Docs"] >= 1, producers


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_every_corpus_file_imports_and_loses_nothing(path):
    data = path.read_bytes()
    if path.name in corpus.NOT_WORD:
        with pytest.raises(ExchangeError, match="not a Word document"):
            read_word_draft(data)
        return
    counted = inventory(data)
    draft = read_word_draft(data)
    assert draft.unplaced == 0  # nothing had to be rescued at the end
    if "review_copy" not in path.name:  # a copy we wrote drops its own cover on purpose
        assert missing_words(counted, draft.markdown, draft.title or "") == Counter()
    assert draft.tables == counted.tables
    assert draft.notes == counted.notes
    assert draft.figures == counted.pictures
    assert draft.markdown.count("[^") == 2 * draft.notes  # each note cited once, defined once
    try:
        preview = read_draft(path)
    except ExchangeError as exc:  # only a file with nothing in it says so
        assert "has no text to import" in str(exc)
        assert not counted.words and not counted.tables and not counted.pictures
    else:
        assert preview.sections


# -- Microsoft Word (python-docx's test files) ---------------------------------------------
def test_word_hyperlinks_keep_their_targets():
    md = read_docx(corpus.find("par-hyperlinks.docx").read_bytes()).markdown
    assert "One [awesome hyperlink](http://yahoo.com/)." in md
    assert "the [second one](http://python.org/), and the [third](http://yahoo.com/)" in md


def test_word_tables_keep_their_cells():
    md = read_docx(corpus.find("tbl-having-applied-style.docx").read_bytes()).markdown
    assert md.count("| foobar | barfoo |\n|---|---|\n| foo | bar |") == 3
    assert "| foo to you | and a hearty foo to you too sir! |" in md


def test_word_pictures_become_stored_figures(ws):
    doc_id = import_draft(ws, corpus.find("having-images.docx"))
    stored = figures.list_figures(ws, doc_id)
    assert len(stored) == 5
    (entry,) = outline(ws, doc_id)
    body = section(ws, entry.id).body
    assert [f"](figure:{f.id})" in body for f in stored] == [True] * 5


def test_tiff_becomes_a_png_figure_and_unstorable_pictures_are_named(ws):
    tiff = import_draft(ws, corpus.find("attachment_is_tiff.docx"))
    (fig,) = figures.list_figures(ws, tiff)
    assert (fig.media_type, fig.alt) == ("image/png", "A description...")
    linked = import_draft(ws, corpus.find("external_image.docx"))
    assert figures.list_figures(ws, linked) == []
    body = section(ws, outline(ws, linked)[0].id).body
    assert "*[Picture not imported: A description... — the picture is not inside" in body
    emf = read_draft(corpus.find("image_data_inside_object_tag.docx"))
    assert emf.unstorable == ["EMF pictures cannot be stored as figures (PNG, JPEG or SVG can)"]


def test_word_core_properties_give_the_title():
    assert read_docx(corpus.find("doc-coreprops.docx").read_bytes()).title == "Title"


def test_word_heading_styles_become_sections(ws):
    doc_id = import_draft(ws, corpus.find("par-known-styles.docx"))
    assert [e.heading for e in outline(ws, doc_id)] == ["", "Heading 1"]


# -- PyDocX's files (Word, LibreOffice, Google Docs, hand-made) ----------------------------
def test_nested_lists_continue_after_the_sub_list():
    md = read_docx(corpus.find("nested_lists.docx").read_bytes()).markdown
    assert "3. three\n   1. AAA\n   2. BBB\n   3. CCC\n      1. alpha\n4. four\n5. xxx" in md


def test_title_style_named_by_id_only_gives_the_title():
    """has_title.docx names a style "Title" that its styles.xml does not define."""
    draft = read_docx(corpus.find("has_title.docx").read_bytes())
    assert draft.title == "Title" and draft.markdown.strip() == "Text"


def test_merged_and_nested_table_cells_are_flattened_with_a_note():
    draft = read_docx(corpus.find("table_col_row_span.docx").read_bytes())
    assert "| 5 | 6 |   | 7 |\n| 8 |   |   | 9 |" in draft.markdown
    assert draft.markdown.count("Merged cells in the Word table above were split") == 2
    nested = read_docx(corpus.find("nested_tables.docx").read_bytes()).markdown
    assert "| CCC | DDD; EEE<br>FFF; GGG |" in nested and "table inside one of its cells" in nested


def test_text_around_a_nested_table_stays_in_its_cell():
    md = read_docx(corpus.find("blk-paras-and-tables.docx").read_bytes()).markdown
    assert "| Text before<br>Table<br>Between<br>Text after |" in md


def test_google_docs_export_imports():
    draft = read_docx(corpus.find("export_from_googledocs.docx").read_bytes())
    assert "Beauty will save the world." in draft.markdown


def test_a_style_without_a_type_does_not_stop_the_import():
    """track_changes_on.docx has a w:style with no w:type, which mammoth alone refuses."""
    draft = read_docx(corpus.find("track_changes_on.docx").read_bytes())
    assert draft.markdown.strip()


# -- LibreOffice ---------------------------------------------------------------------------
def test_libreoffice_report_keeps_notes_lists_table_title_and_marking(ws):
    doc_id = import_draft(ws, corpus.FIXTURES / "libreoffice-ig-report.docx")
    doc = document(ws, doc_id)
    assert doc.title == "Inspector General Review of Coordination"
    assert doc.marking == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    entries = outline(ws, doc_id)
    assert [(e.number, e.heading) for e in entries] == [
        ("1", "Findings"),
        ("1.1", "Seizures by port"),
    ]
    findings = section(ws, entries[0].id).body
    # Footnotes stay with the sentence that cites them, defined in the same section.
    assert "The Coast Guard was not consulted[^1]. CBP concurred late[^2]." in findings
    assert "[^1]: Interview with USCG liaison, March 2026." in findings
    assert "[^2]: CBP memorandum of 4 May 2026." in findings
    # The list continues at 3 after the paragraph, as LibreOffice numbered it.
    assert "2. Record every position.\n   1. Concurrences.\n   2. Non-concurrences." in findings
    assert "The office agreed.\n\n3. Publish only when cleared." in findings
    seizures = section(ws, entries[1].id).body
    assert "| Miami | 40 | In each<br>Cell. |" in seizures
    assert "| Total |   | 40 |" in seizures and "Merged cells" in seizures
    # The endnote is numbered after the footnotes and attached where it is cited.
    assert "endnote[^3]." in seizures and "[^3]: CNE records, 2026." in seizures


def test_libreoffice_row_spans_and_embedded_pictures():
    rows = read_docx(corpus.find("table_with_multi_rowspan.docx").read_bytes())
    assert rows.tables == 1 and "Merged cells" in rows.markdown
    picture = read_docx(corpus.find("image_data_inside_object_tag.docx").read_bytes())
    assert picture.figures == 1


# -- pandoc (made here from Markdown; tools/apt-packages-test) ------------------------------
PANDOC_SOURCE = """---
title: Southwest Border Counternarcotics Strategy
---

# Purpose

Fentanyl crosses at ports of entry[^1]. See [the plan](https://www.dhs.gov/plan).

> Speak with one voice.

a. Screen cargo.
b. Share intelligence.

Between the lists.

i. First phase.
ii. Second phase.

# Seizures

| Port | Seizures |
|------|---------:|
| Nogales | 120 |
| San Ysidro | 95 |

![Map of the ports of entry](map.png)

[^1]: CBP seizure statistics, fiscal year 2026.
"""


@pytest.fixture
def pandoc_docx(tmp_path, png_bytes):
    assert shutil.which("pandoc"), "pandoc is in tools/apt-packages-test"
    (tmp_path / "map.png").write_bytes(png_bytes)
    (tmp_path / "src.md").write_text(PANDOC_SOURCE, encoding="utf-8")
    out = tmp_path / "pandoc.docx"
    subprocess.run(
        ["pandoc", "src.md", "--toc", "-o", out.name],  # with Word's contents field
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def test_pandoc_file_keeps_title_notes_table_figure_quote_and_link(ws, pandoc_docx):
    counted = inventory(pandoc_docx.read_bytes())
    draft = read_word_draft(pandoc_docx.read_bytes())
    assert missing_words(counted, draft.markdown, draft.title or "") == Counter()
    doc_id = import_draft(ws, pandoc_docx)
    assert document(ws, doc_id).title == "Southwest Border Counternarcotics Strategy"
    purpose, seizures = outline(ws, doc_id)  # no section for the table of contents
    body = section(ws, purpose.id).body
    assert "Table of Contents" not in body
    assert "Fentanyl crosses at ports of entry[^1]." in body
    assert "[^1]: CBP seizure statistics, fiscal year 2026." in body
    assert "[the plan](https://www.dhs.gov/plan)" in body
    assert "> Speak with one voice." in body
    assert "{type=a}\n\n1. Screen cargo.\n2. Share intelligence." in body
    assert "{type=i}\n\n1. First phase.\n2. Second phase." in body
    table = section(ws, seizures.id).body
    assert "| Port | Seizures |\n|---|---|\n| Nogales | 120 |\n| San Ysidro | 95 |" in table
    (fig,) = figures.list_figures(ws, doc_id)
    assert fig.alt == "Map of the ports of entry"
    assert f"![Map of the ports of entry](figure:{fig.id} " in table


# -- handling markings ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "header, marking",
    [
        ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
        ("Unclassified // For Official Use Only", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
        ("FOUO", "FOUO"),
        ("U//FOUO", "U//FOUO"),
        ("CUI", "CUI"),
        ("CUI//SP-LEI", "CUI//SP-LEI"),
        ("CUI//SP-PRVCY//FEDCON", "CUI//SP-PRVCY//FEDCON"),
        ("Page 3 — CUI//SP-LEI — Draft", "CUI//SP-LEI"),
        ("LAW ENFORCEMENT SENSITIVE", "LAW ENFORCEMENT SENSITIVE"),
    ],
)
def test_markings_in_headers_are_recognised(tmp_path, header, marking):
    import docx

    d = docx.Document()
    d.sections[0].footer.paragraphs[0].text = header
    d.add_paragraph("Text.")
    path = tmp_path / "marked.docx"
    d.save(path)
    assert docx_marking(path.read_bytes()) == marking


def test_lettered_and_roman_word_lists_keep_their_styles():
    """lists_with_styles.docx: 1., then i., A), a) on the levels below (hand-written XML)."""
    md = read_docx(corpus.find("lists_with_styles.docx").read_bytes()).markdown
    assert md.startswith('{type="1 i A a"}\n\n1. AAA\n2. BBB\n   1. CCC')
    blocks = [b.marker for b in model_blocks(md) if b.kind == "ordered"]
    assert blocks == ["1", "2", "i", "ii", "A", "a"]
