"""build_docx: Word numbering as in the app, marking, cover, contents, record and CRM."""

from __future__ import annotations

import io
import subprocess
import zipfile
from dataclasses import dataclass

import docx
import pytest
from docx.oxml.ns import qn
from word_helpers import CHART_SVG, MARKING

from tests import libreoffice
from workbench import sections
from workbench.coordination.publication import document_snapshot
from workbench.markdown_model import cross_reference
from workbench.word.hooks import section_bookmark
from workbench.word.writer import build_docx


def _lvl_text(d, paragraph) -> str | None:
    """The number Word prints for a numbered paragraph's level, as its lvlText pattern."""
    ppr = paragraph._p.pPr
    if ppr is None or ppr.numPr is None:
        return None
    num_id, ilvl = str(ppr.numPr.numId.val), str(ppr.numPr.ilvl.val)
    root = d.part.numbering_part.element
    abstract = next(
        n.find(qn("w:abstractNumId")).get(qn("w:val"))
        for n in root.iter(qn("w:num"))
        if n.get(qn("w:numId")) == num_id
    )
    for a in root.iter(qn("w:abstractNum")):
        if a.get(qn("w:abstractNumId")) == abstract:
            for lvl in a.iter(qn("w:lvl")):
                if lvl.get(qn("w:ilvl")) == ilvl:
                    return lvl.find(qn("w:lvlText")).get(qn("w:val"))
    return None


@pytest.fixture
def full(ws, strategy):
    sections.add_section(ws, strategy.doc_id, heading="Unity of effort", kind="tenet")
    annex = sections.add_section(ws, strategy.doc_id, heading="Authorities", kind="appendix")
    sections.add_section(ws, strategy.doc_id, parent_id=annex, heading="Statutes")
    return document_snapshot(ws, strategy.doc_id)


def test_headings_use_word_numbering_that_prints_the_apps_numbers(full):
    d = docx.Document(io.BytesIO(build_docx(full)))
    heads = [
        (p.style.name, p.text, _lvl_text(d, p))
        for p in d.paragraphs
        if p.style.name.startswith("Heading")
        and p.text != "Coordination record"
        and p.text != "Waivers"
    ]
    assert heads == [
        ("Heading 1", "Purpose", "%1"),
        ("Heading 2", "Threat", "%1.%2"),
        ("Heading 1", "Operations", "%1"),
        ("Heading 1", "Unity of effort", "Tenet %1"),
        ("Heading 1", "Authorities", "Appendix %1"),
        ("Heading 2", "Statutes", "%1.%2"),
    ]
    numbers = [s["number"] for s in full["sections"]]
    assert numbers == ["1", "1.1", "2", "Tenet 1", "Appendix A", "A.1"]


def test_cover_contents_record_and_crm(full):
    d = docx.Document(io.BytesIO(build_docx(full, include_crm=True)))
    text = [p.text for p in d.paragraphs]
    assert "Maritime Border and Transit Zone Strategy" in text
    assert "Draft for coordination. Not approved for release." in text
    instr = "".join(t.text for t in d.element.body.iter(qn("w:instrText")))
    assert "TOC" in instr
    assert "1.1 Threat" in text and "Appendix A Authorities" in text  # the contents' entries
    assert "Coordination record" in text and "Appendix: Comment Resolution Matrix" in text
    assert d.sections[-1].orientation == 1  # the CRM is landscape
    for sec in d.sections:
        assert sec.header.paragraphs[0].text == MARKING


def test_marking_in_every_section_header_and_core_properties(full):
    d = docx.Document(io.BytesIO(build_docx(full, include_crm=True)))
    assert d.core_properties.keywords == MARKING
    assert d.core_properties.author == "DHS Office of Counternarcotics Enforcement"


def _libreoffice_text(data: bytes, tmp_path) -> list[str]:
    """The export converted to PDF by LibreOffice (tools/apt-packages-test), as page texts."""
    src = tmp_path / "export.docx"
    src.write_bytes(data)
    pdf = libreoffice.convert(src, "pdf", tmp_path, profile=tmp_path / "lo")
    return libreoffice.pdf_text(pdf, layout=True).split("\f")


def test_libreoffice_opens_the_export(full, tmp_path):
    """LibreOffice renders it: marking on every page, numbers kept."""
    pages = [p for p in _libreoffice_text(build_docx(full, include_crm=True), tmp_path) if p]
    text = "\f".join(pages)
    assert all(p.count(MARKING) == 2 for p in pages)
    for expected in ("1.1 Threat", "Tenet 1", "Appendix A", "A.1", "Eastern Pacific"):
        assert expected in text


def test_libreoffice_keeps_the_record_and_crm_headings_whole(tmp_path):
    """The record and CRM tables set their column widths: LibreOffice's even split broke
    'Organization' and 'Disposition' mid-word and put one word of a name on each line."""
    import word_golden

    pages = _libreoffice_text(build_docx(word_golden.snapshot(), include_crm=True), tmp_path)
    lines = [line.split() for page in pages for line in page.splitlines()]
    record = next((words for words in lines if words[:1] == ["Organization"]), [])
    assert record == ["Organization", "Position", "By", "Date", "Version"]
    crm = next((words for words in lines if words[:2] == ["No.", "Source"]), [])
    assert crm[-1:] == ["Disposition"]
    assert any(" ".join(words).startswith("USCG Concur Capt. Lee Odiña") for words in lines)


@dataclass(frozen=True)
class StoredImage:
    """What the figure store hands the writer (workbench.figures.FigureImage's fields)."""

    id: int
    media_type: str
    data: bytes
    width: int
    height: int
    alt: str = ""
    caption: str = ""


@pytest.fixture
def rich(ws, strategy):
    """Footnotes, a cross-reference, lettered and roman lists and a figure."""
    body = (
        "Cutters patrol the zone[^1] as §-referenced in "
        + cross_reference(strategy.operations)
        + '.\n\n{type="a i"}\n\n1. Screen cargo.\n2. Share intelligence.\n'
        "   1. Within DHS.\n   2. With partners.\n\n"
        '![Map of the transit zone](figure:7 "The eastern Pacific corridor")\n\n'
        "[^1]: Coast Guard cutter reports, 2026.\n"
    )
    sections.edit_section(ws, strategy.threat, body=body)
    return document_snapshot(ws, strategy.doc_id)


def _figures(png_bytes):
    return {7: StoredImage(7, "image/png", png_bytes, 200, 100, "Map", "Stored caption")}


def test_footnotes_are_real_word_footnotes(rich, png_bytes):
    data = build_docx(rich, figures=_figures(png_bytes))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        notes = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
    assert "Coast Guard cutter reports, 2026." in notes
    assert body.count("<w:footnoteReference ") == 1
    assert "[^1]" not in body and "Coast Guard cutter reports" not in body


def test_cross_reference_is_a_field_printing_the_current_number(ws, strategy, rich, png_bytes):
    d = docx.Document(io.BytesIO(build_docx(rich, figures=_figures(png_bytes))))
    instr = " ".join(t.text for t in d.element.body.iter(qn("w:instrText")))
    mark = section_bookmark(strategy.operations, None)
    assert f"REF {mark}" in instr
    threat = next(p for p in d.paragraphs if p.text.startswith("Cutters patrol"))
    assert "§2." in threat.text  # the cached result Word and LibreOffice show
    # A section inserted before it: the export prints the new number.
    sections.add_section(ws, strategy.doc_id, heading="Scope", index=0)
    d = docx.Document(io.BytesIO(build_docx(document_snapshot(ws, strategy.doc_id))))
    threat = next(p for p in d.paragraphs if p.text.startswith("Cutters patrol"))
    assert "§3." in threat.text


def test_lettered_and_roman_lists_use_word_number_formats(rich, png_bytes):
    d = docx.Document(io.BytesIO(build_docx(rich, figures=_figures(png_bytes))))
    fmts = {}
    for p in d.paragraphs:
        if p.text in ("Screen cargo.", "Within DHS."):
            fmts[p.text] = _num_format(d, p)
    assert fmts == {"Screen cargo.": "lowerLetter", "Within DHS.": "lowerRoman"}


def test_figures_are_pictures_with_alt_text_and_a_numbered_caption(rich, png_bytes):
    data = build_docx(rich, figures=_figures(png_bytes))
    d = docx.Document(io.BytesIO(data))
    (shape,) = d.inline_shapes
    assert shape._inline.docPr.get("descr") == "Map of the transit zone"
    caption = next(p for p in d.paragraphs if p.style.name == "Caption")
    assert caption.text == "Figure 1. The eastern Pacific corridor"
    assert "SEQ Figure" in "".join(t.text for t in caption._p.iter(qn("w:instrText")))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())


def test_a_figure_not_in_the_store_is_named_not_dropped(rich):
    d = docx.Document(io.BytesIO(build_docx(rich)))
    assert any("[Figure 1: Map of the transit zone" in p.text for p in d.paragraphs)


def test_export_then_import_keeps_notes_and_list_styles(ws, rich, png_bytes, tmp_path):
    from workbench.word.reader import read_docx

    md = read_docx(build_docx(rich, figures=_figures(png_bytes))).markdown
    assert "Cutters patrol the zone[^1]" in md
    assert "[^1]: Coast Guard cutter reports, 2026." in md
    assert '{type="a i"}\n\n1. Screen cargo.\n2. Share intelligence.\n   1. Within DHS.' in md
    # The caption comes back as the figure's caption (Word's "Figure 1." is the app's to give).
    assert '![Map of the transit zone](figure:word-image-1 "The eastern Pacific corridor")' in md


def _num_format(d, paragraph) -> str | None:
    ppr = paragraph._p.pPr
    num_id, ilvl = str(ppr.numPr.numId.val), str(ppr.numPr.ilvl.val)
    root = d.part.numbering_part.element
    abstract = next(
        n.find(qn("w:abstractNumId")).get(qn("w:val"))
        for n in root.iter(qn("w:num"))
        if n.get(qn("w:numId")) == num_id
    )
    for a in root.iter(qn("w:abstractNum")):
        if a.get(qn("w:abstractNumId")) == abstract:
            for lvl in a.iter(qn("w:lvl")):
                if lvl.get(qn("w:ilvl")) == ilvl:
                    return lvl.find(qn("w:numFmt")).get(qn("w:val"))
    return None


def test_libreoffice_shows_footnotes_at_the_foot_and_fields_with_numbers(rich, png_bytes, tmp_path):
    pages = _libreoffice_text(build_docx(rich, figures=_figures(png_bytes)), tmp_path)
    page = next(p for p in pages if "Cutters patrol" in p)
    body, foot = page.split("Coast Guard cutter reports, 2026.")
    assert "the zone1 as §-referenced in §2." in " ".join(body.split())
    assert MARKING in foot  # the note sits at the foot of its page, above the footer
    flat = " ".join(page.split())
    assert "a. Screen cargo. b. Share intelligence. i. Within DHS. ii. With partners." in flat
    assert "Figure 1. The eastern Pacific corridor" in flat


def test_record_says_what_changed_since_the_last_approval():
    import word_golden

    snap = word_golden.snapshot()
    snap["since_last_approval"] = {
        "version": 1,
        "published_at": "2026-11-04T12:00:00Z",
        "counts": {"changed": 1, "added": 1, "removed": 0, "moved": 0},
        "sections": [
            {
                "label": "1.1 Threat",
                "number": "1.1",
                "old_number": "2",
                "status": "changed",
                "blocks": [
                    {
                        "runs": [
                            ["equal", "They carry up to "],
                            ["delete", "ten"],
                            ["insert", "twelve"],
                            ["equal", " tons."],
                        ]
                    }
                ],
            },
            {"label": "3 Air domain", "number": "3", "status": "added", "blocks": []},
        ],
    }
    d = docx.Document(io.BytesIO(build_docx(snap)))
    text = [p.text for p in d.paragraphs]
    start = text.index("What changed since the last approval")
    assert text[start + 1].startswith("Compared with version 1, the last one published (November 4")
    assert "1 changed, 1 added sections." in text[start + 1]
    assert "1.1 Threat (was 2) — changed" in text
    change = d.paragraphs[text.index("They carry up to tentwelve tons.")]
    struck = next(r for r in change.runs if r.text == "ten")
    added = next(r for r in change.runs if r.text == "twelve")
    assert struck.font.strike and str(struck.font.color.rgb) == "B3261E"
    assert added.font.underline and str(added.font.color.rgb) == "1A4FA0"
    assert "3 Air domain — added" in text


def _svg_snapshot(ws, strategy):
    body = 'Before.\n\n![Seizure chart](figure:9 "Seizures by quarter")\n\nAfter.'
    sections.edit_section(ws, strategy.threat, body=body)
    snap = document_snapshot(ws, strategy.doc_id)
    figures = {9: StoredImage(9, "image/svg+xml", CHART_SVG, 400, 200, "Chart", "")}
    return snap, figures


def test_svg_figure_is_embedded_as_svg_with_a_png_beside_it(ws, strategy):
    from PIL import Image

    snap, figures = _svg_snapshot(ws, strategy)
    data = build_docx(snap, figures=figures)
    d = docx.Document(io.BytesIO(data))
    (shape,) = d.inline_shapes
    assert shape._inline.docPr.get("descr") == "Seizure chart"
    assert (shape.width, shape.height) == (400 * 9525, 200 * 9525)  # 96 dpi, as PNGs are
    (blip,) = shape._inline.xpath(".//a:blip")
    png_part = d.part.related_parts[blip.get(qn("r:embed"))]
    svg_blips = blip.xpath(".//*[local-name()='svgBlip']")
    assert len(svg_blips) == 1
    svg_part = d.part.related_parts[svg_blips[0].get(qn("r:embed"))]
    assert svg_part.blob == CHART_SVG and svg_part.content_type == "image/svg+xml"
    with Image.open(io.BytesIO(png_part.blob)) as png:
        assert png.format == "PNG" and png.size == (800, 400)  # twice the size shown, for print
        assert png.convert("RGB").getpixel((100, 100)) == (0x2E, 0x8B, 0x57)
    assert "cannot be drawn" not in "\n".join(p.text for p in d.paragraphs)


def test_libreoffice_shows_the_svg_figure(ws, strategy, tmp_path):
    from PIL import Image

    snap, figures = _svg_snapshot(ws, strategy)
    _libreoffice_text(build_docx(snap, figures=figures), tmp_path)
    listed = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "export.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert any(line.split()[3:5] == ["800", "400"] for line in listed.splitlines()[2:])
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(tmp_path / "export.pdf"), str(tmp_path / "page")],
        check=True,
    )
    green = 0
    for page in sorted(tmp_path.glob("page-*.png")):
        with Image.open(page) as im:
            colours = im.convert("RGB").getcolors(1 << 20) or []
            green += sum(n for n, rgb in colours if _near(rgb, (0x2E, 0x8B, 0x57)))
    assert green > 2000  # the chart's green area on the rendered page


def _near(rgb, want, slack=12) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(rgb, want, strict=True))


def test_an_svg_that_cannot_be_drawn_is_named_not_dropped(ws, strategy):
    snap, _ = _svg_snapshot(ws, strategy)
    hostile = b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script/></svg>'
    figures = {9: StoredImage(9, "image/svg+xml", hostile, 9, 9, "Chart", "")}
    d = docx.Document(io.BytesIO(build_docx(snap, figures=figures)))
    assert not d.inline_shapes
    assert any("[Figure 1: Seizure chart — cannot be drawn]" in p.text for p in d.paragraphs)


@pytest.fixture
def notes(ws, strategy):
    """A note cited twice (once in a table), one cited once, and one nobody cites."""
    body = (
        "Cutters patrol[^1] the zone[^2].\n\nAircraft patrol it too[^1].\n\n"
        "| Asset | Source |\n|---|---|\n| Cutters | reports[^2] |\n\n"
        "[^1]: Coast Guard cutter reports, 2026.\n"
        "[^2]: CBP air and marine logs.\n"
        "[^old]: A note whose mark was deleted.\n"
    )
    sections.edit_section(ws, strategy.threat, body=body)
    return document_snapshot(ws, strategy.doc_id)


def test_a_note_cited_again_is_a_noteref_to_its_first_mark(notes):
    data = build_docx(notes)
    d = docx.Document(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        footnotes = z.read("word/footnotes.xml").decode()
    assert footnotes.count("Coast Guard cutter reports, 2026.") == 1
    assert footnotes.count("CBP air and marine logs.") == 1
    body = d.element.body
    refs = [r.get(qn("w:id")) for r in body.iter(qn("w:footnoteReference"))]
    assert refs == ["1", "2"]  # one mark per note; Word numbers them 1 and 2
    instr = [t.text.strip() for t in body.iter(qn("w:instrText")) if "NOTEREF" in t.text]
    assert instr == ["NOTEREF _RefNote1 \\f \\h", "NOTEREF _RefNote2 \\f \\h"]
    marks = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    # Each bookmark holds the note's first mark, which the field points at.
    for name, note in (("_RefNote1", "1"), ("_RefNote2", "2")):
        held = marks[name].getnext()
        assert held.find(qn("w:footnoteReference")).get(qn("w:id")) == note
    again = next(p for p in d.paragraphs if p.text.startswith("Aircraft"))
    assert again.text == "Aircraft patrol it too1."  # the field's cached result


def test_a_note_nobody_cites_prints_as_typed(notes):
    d = docx.Document(io.BytesIO(build_docx(notes)))
    (typed,) = [p for p in d.paragraphs if "deleted" in p.text]
    assert typed.text == "[^old]: A note whose mark was deleted."
    assert typed.runs[0].italic


def test_libreoffice_prints_a_note_cited_twice_once(notes, tmp_path):
    pages = _libreoffice_text(build_docx(notes), tmp_path)
    page = next(p for p in pages if "Cutters patrol" in p)
    flat = " ".join(page.split())
    assert "Cutters patrol1 the zone2. Aircraft patrol it too1." in flat
    assert "Cutters reports2" in flat
    assert "[^old]: A note whose mark was deleted." in flat
    assert flat.count("Coast Guard cutter reports, 2026.") == 1
    assert flat.count("CBP air and marine logs.") == 1


def test_export_then_import_cites_the_same_note_again(notes):
    from workbench.word.reader import read_docx

    md = read_docx(build_docx(notes)).markdown
    assert "Cutters patrol[^1] the zone[^2]." in md
    assert "Aircraft patrol it too[^1]." in md
    assert "| Cutters | reports[^2] |" in md
    assert md.count("[^1]: Coast Guard cutter reports, 2026.") == 1
    assert md.count("[^2]: CBP air and marine logs.") == 1
    assert "A note whose mark was deleted." in md


def test_libreoffice_resave_keeps_a_note_cited_again(notes, tmp_path):
    """LibreOffice writes the field back with an empty bookmark just before the note's mark."""
    from workbench.word.reader import read_docx

    src = tmp_path / "notes.docx"
    src.write_bytes(build_docx(notes))
    out = tmp_path / "resaved"
    libreoffice.convert(src, "docx:MS Word 2007 XML", out, profile=tmp_path / "lo")
    md = read_docx((out / "notes.docx").read_bytes()).markdown
    assert "Aircraft patrol it too[^1]." in md
    assert "| Cutters | reports[^2] |" in md
    assert md.count("[^2]: CBP air and marine logs.") == 1
