"""Word in: what a Word draft must keep (tables, lists, notes, title, links, quotes, figures)."""

from __future__ import annotations

import io
import re
import struct
import zlib

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from word_helpers import CHART_SVG, MARKING, make_strategy

from workbench import figures, sections
from workbench.documents import document
from workbench.exchange.drafts import import_draft, read_draft
from workbench.markdown_model import cross_reference
from workbench.sections import outline, section
from workbench.word.export import export_docx
from workbench.word.reader import read_docx


def _png() -> bytes:
    """A 2x2 red PNG, made here so the test needs no image file."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _hyperlink(paragraph, text: str, url: str) -> None:
    rid = paragraph.part.relate_to(
        url,
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t>{text}</w:t></w:r>'
            "</w:hyperlink>"
        )
    )


@pytest.fixture
def draft(tmp_path):
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "CUI//SP-LEI"
    d.add_paragraph("Northern Border Counternarcotics Strategy", style="Title")
    toc = d.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("Contents", style="Heading 1")
    d.add_paragraph("1. Purpose\t1", style=toc)
    d.add_paragraph("VII. Questions\t2", style=toc)
    d.add_heading("1. Purpose", 1)
    p = d.add_paragraph("Traffickers ")
    p.add_run("move ").bold = True
    p.add_run("fentanyl across the border. See ")
    _hyperlink(p, "the plan", "https://www.dhs.gov/plan")
    p.add_run(".")
    d.add_paragraph("First step.", style="List Number")
    d.add_paragraph("Second step.", style="List Number")
    d.add_paragraph("An aside between the steps.")
    d.add_paragraph("Third step.", style="List Number")
    d.add_paragraph("Speak with one voice.", style="Quote")
    d.add_heading("VII. Questions", 2)
    t = d.add_table(rows=3, cols=3)
    for c, text in enumerate(["Port", "Seizures", "Notes"]):
        t.cell(0, c).text = text
    t.cell(1, 0).text = "Blaine"
    t.cell(1, 1).text = "12"
    t.cell(1, 2).text = "In each"
    t.cell(1, 2).add_paragraph("Cell.")
    merged = t.cell(2, 0).merge(t.cell(2, 1))
    merged.text = "Total"
    t.cell(2, 2).text = "n/a"
    d.add_paragraph().add_run().add_picture(io.BytesIO(_png()))
    d.inline_shapes[0]._inline.docPr.set("descr", "Map of the northern ports")
    path = tmp_path / "northern.docx"
    d.save(path)
    return path


def test_word_draft_keeps_its_structure(ws, draft):
    doc_id = import_draft(ws, draft)
    doc = document(ws, doc_id)
    assert doc.title == "Northern Border Counternarcotics Strategy"  # the Title paragraph
    assert doc.marking == "CUI//SP-LEI"
    # Word's contents are gone; typed heading numbers are not doubled.
    assert [(e.number, e.heading) for e in outline(ws, doc_id)] == [
        ("1", "Purpose"),
        ("1.1", "Questions"),
    ]
    purpose = section(ws, outline(ws, doc_id)[0].id).body
    assert "Traffickers **move** fentanyl" in purpose  # no "**move **"
    assert "[the plan](https://www.dhs.gov/plan)" in purpose
    # The list goes on at 3 after the aside, as Word numbers it.
    assert "1. First step.\n2. Second step." in purpose
    assert "An aside between the steps.\n\n3. Third step." in purpose
    assert "> Speak with one voice." in purpose
    questions = section(ws, outline(ws, doc_id)[1].id).body
    assert "| Port | Seizures | Notes |" in questions
    assert "| Blaine | 12 | In each<br>Cell. |" in questions
    assert "| Total |   | n/a |" in questions
    assert "Merged cells" in questions  # flattened with a note
    # The picture is stored in the workspace as a figure with its alt text.
    (fig,) = figures.list_figures(ws, doc_id)
    assert (fig.media_type, fig.alt) == ("image/png", "Map of the northern ports")
    assert figures.figure_bytes(ws, fig.id) == _png()
    assert f"![Map of the northern ports](figure:{fig.id})" in questions


def test_image_only_file_is_imported(ws, tmp_path):
    d = docx.Document()
    d.add_paragraph().add_run().add_picture(io.BytesIO(_png()))
    d.save(tmp_path / "figure.docx")
    doc_id = import_draft(ws, tmp_path / "figure.docx")
    (fig,) = figures.list_figures(ws, doc_id)
    assert fig.alt == "Picture 1 of figure.docx"  # Word gave none; the store needs one
    body = section(ws, outline(ws, doc_id)[0].id).body
    assert body == f"![Picture 1 of figure.docx](figure:{fig.id})"


def test_exported_figure_comes_back_as_a_stored_figure_with_its_caption(ws, tmp_path):
    s = make_strategy(ws)
    fid = figures.add_figure(
        ws, s.doc_id, _png(), alt="Map of the zone", caption="The eastern Pacific corridor"
    )
    sections.edit_section(ws, s.threat, body=f'![Map of the zone](figure:{fid} "Transit zone")')
    path = tmp_path / "export.docx"
    path.write_bytes(export_docx(ws, s.doc_id).data)
    new = import_draft(ws, path)
    (back,) = figures.list_figures(ws, new)
    assert figures.figure_bytes(ws, back.id) == _png()
    assert (back.alt, back.caption) == ("Map of the zone", "Transit zone")
    threat = section(ws, outline(ws, new)[1].id).body
    assert threat == f'![Map of the zone](figure:{back.id} "Transit zone")'


def test_exported_svg_figure_comes_back_as_the_same_svg(ws, tmp_path):
    s = make_strategy(ws)
    fid = figures.add_figure(ws, s.doc_id, CHART_SVG, alt="Seizure chart", caption="By quarter")
    sections.edit_section(ws, s.threat, body=f'![Seizure chart](figure:{fid} "By quarter")')
    path = tmp_path / "export.docx"
    path.write_bytes(export_docx(ws, s.doc_id).data)
    new = import_draft(ws, path)
    (back,) = figures.list_figures(ws, new)
    assert back.media_type == "image/svg+xml"
    assert figures.figure_bytes(ws, back.id) == CHART_SVG  # the SVG, not the PNG beside it
    assert (back.alt, back.caption) == ("Seizure chart", "By quarter")
    threat = section(ws, outline(ws, new)[1].id).body
    assert threat == f'![Seizure chart](figure:{back.id} "By quarter")'


def test_over_long_heading_is_named_by_its_first_words(ws, tmp_path):
    d = docx.Document()
    long = " ".join(f"word{i}" for i in range(80))
    d.add_heading(long, 1)
    d.save(tmp_path / "long.docx")
    (entry,) = outline(ws, import_draft(ws, tmp_path / "long.docx"))
    assert entry.heading == " ".join(f"word{i}" for i in range(12)) + "…"
    assert section(ws, entry.id).body == long


def test_export_then_import_loses_nothing(ws, tmp_path):
    s = make_strategy(ws)
    sections.add_section(
        ws, s.doc_id, heading="Unity", kind="tenet", body="All act as *one*.\n\n> Quoted."
    )
    annex = sections.add_section(
        ws, s.doc_id, heading="Authorities", kind="appendix", body="- 6 U.S.C. 112\n   - nested"
    )
    sections.add_section(ws, s.doc_id, parent_id=annex, heading="Statutes", body="3. third")
    sections.edit_section(
        ws,
        s.threat,
        body="Cutters patrol[^1] as "
        + cross_reference(s.operations)
        + " and "
        + cross_reference(annex)
        + " say.\n\n[^1]: Coast Guard reports, 2026.\n\n"
        + '{type="a I"}\n\n1. Screen.\n2. Share.\n   1. Within.',
    )
    path = tmp_path / "export.docx"
    path.write_bytes(export_docx(ws, s.doc_id, include_crm=True).data)
    new = import_draft(ws, path)
    assert document(ws, new).title == document(ws, s.doc_id).title
    assert document(ws, new).marking == MARKING
    old_ids = [e.id for e in outline(ws, s.doc_id)]
    new_ids = [e.id for e in outline(ws, new)]

    def shape(doc_id, ids):
        # Cross-references name the imported sections: compared by position in the outline.
        def body(e):
            return re.sub(
                r"section:(\d+)",
                lambda m: f"section:#{ids.index(int(m[1]))}",
                section(ws, e.id).body,
            )

        return [(e.number, e.kind, e.heading, e.depth, body(e)) for e in outline(ws, doc_id)]

    assert shape(new, new_ids) == shape(s.doc_id, old_ids)
    assert "[§](section:" in section(ws, new_ids[1]).body


def test_internal_links_that_are_not_numbers_keep_their_words(ws, tmp_path):
    d = docx.Document()
    heading = d.add_heading("Background", 1)
    heading._p.insert(1, parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="1" w:name="_Ref_bg"/>'))
    heading._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="1"/>'))
    p = d.add_paragraph("See ")
    for text in ("the background", "§1"):
        p._p.append(
            parse_xml(
                f'<w:hyperlink {nsdecls("w")} w:anchor="_Ref_bg"><w:r><w:t>{text}</w:t></w:r>'
                "</w:hyperlink>"
            )
        )
        p.add_run(" and ")
    d.save(tmp_path / "links.docx")
    doc_id = import_draft(ws, tmp_path / "links.docx")
    first = outline(ws, doc_id)[0]
    assert first.heading == "Background"
    assert section(ws, first.id).body == f"See the background and [§](section:{first.id}) and"


def test_read_docx_counts_what_it_kept(draft):
    result = read_docx(draft.read_bytes())
    assert result.tables == 1 and result.figures == 1 and result.flattened == ["table 1"]


def _with_body_xml(tmp_path, xml: str):
    d = docx.Document()
    d.add_heading("Findings", 1)
    d.add_paragraph("Before.")
    d.element.body.insert(2, parse_xml(xml.format(nsdecls("w"))))
    d.add_paragraph("After.")
    path = tmp_path / "odd.docx"
    d.save(path)
    return path


def test_right_to_left_runs_and_simple_fields_stay_in_place(tmp_path):
    path = _with_body_xml(
        tmp_path,
        '<w:p {}><w:dir w:val="rtl"><w:r><w:t>Mirrored words.</w:t></w:r></w:dir>'
        '<w:fldSimple w:instr="REF _Ref1"><w:r><w:t> Table 4</w:t></w:r></w:fldSimple></w:p>',
    )
    draft = read_docx(path.read_bytes())
    assert "Before.\n\nMirrored words. Table 4\n\nAfter." in draft.markdown
    assert draft.unplaced == 0


def test_text_the_conversion_loses_is_kept_at_the_end_and_said(ws, tmp_path):
    """Ruby text (phonetic guides) is dropped by the converter: the paragraph is rescued."""
    path = _with_body_xml(
        tmp_path,
        "<w:p {}><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>Tokyo</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>Kanji</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>",
    )
    preview = read_draft(path)
    assert preview.unplaced == 1
    last = preview.sections[-1]
    assert last.heading == "Text the import could not place"
    assert "TokyoKanji" in last.body and "nothing is lost" in last.body
    doc_id = import_draft(ws, path)
    assert outline(ws, doc_id)[-1].heading == "Text the import could not place"
