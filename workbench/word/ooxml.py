"""Low-level WordprocessingML pieces python-docx lacks: bookmarks, fields, numbering, properties."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement

# XML 1.0 cannot carry C0 controls (bar tab, newline, CR), lone surrogates or U+FFFE/U+FFFF;
# user text holding them must still export, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def clean(text: object) -> str:
    """User text made storable in XML (never markup: python-docx escapes what it writes)."""
    return _NOT_XML.sub("", "" if text is None else str(text))


# -- bookmarks ----------------------------------------------------------------------------
class Bookmarks:
    """Numbers bookmarks uniquely within one document."""

    def __init__(self):
        self.next_id = 1

    def start(self, name: str):
        el = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{self.next_id}" w:name="{name}"/>')
        self.next_id += 1
        return el, self.next_id - 1

    @staticmethod
    def end(bookmark_id: int):
        return parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{bookmark_id}"/>')


# -- fields -------------------------------------------------------------------------------
def run_xml(inner: str) -> object:
    """A w:r element from its inner XML (for field characters)."""
    return parse_xml(f"<w:r {nsdecls('w')}>{inner}</w:r>")


def add_field(
    paragraph, instruction: str, placeholder: str = "", *, half_points: int = 0, into=None
) -> None:
    """A complex field (PAGE, NUMPAGES, REF ...) with a cached result Word updates; `into` is
    the element its runs go in (a hyperlink), else the paragraph."""
    p = paragraph._p if into is None else into
    rpr = f'<w:rPr><w:sz w:val="{half_points}"/></w:rPr>' if half_points else ""
    p.append(run_xml(f'{rpr}<w:fldChar w:fldCharType="begin" w:dirty="true"/>'))
    instr = escape(f" {instruction} ")
    p.append(run_xml(f'{rpr}<w:instrText xml:space="preserve">{instr}</w:instrText>'))
    p.append(run_xml(f'{rpr}<w:fldChar w:fldCharType="separate"/>'))
    if placeholder:
        p.append(run_xml(f'{rpr}<w:t xml:space="preserve">{escape(clean(placeholder))}</w:t>'))
    p.append(run_xml(f'{rpr}<w:fldChar w:fldCharType="end"/>'))


def header_row(row) -> None:
    """Repeat this table row at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


def update_fields_on_open(document) -> None:
    """Ask Word to refresh fields (the contents' page numbers) when the file is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        settings.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))


# -- numbering ----------------------------------------------------------------------------
def lvl_xml(ilvl: int, fmt: str, text: str, indent: int, hanging: int, start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{escape(text, {chr(34): "&quot;"})}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
    )


class Numbering:
    """Adds abstract numbering definitions and list instances to a document's numbering part."""

    def __init__(self, document):
        self.root = document.part.numbering_part.element
        ids = [int(n.get(qn("w:abstractNumId"))) for n in self.root.iter(qn("w:abstractNum"))]
        self.next_abstract = max(ids, default=0) + 1
        nums = [int(n.get(qn("w:numId"))) for n in self.root.iter(qn("w:num"))]
        self.next_num = max(nums, default=0) + 1

    def abstract(self, levels: list[str], *, multilevel: bool = True) -> int:
        aid = self.next_abstract
        self.next_abstract += 1
        kind = "multilevel" if multilevel else "singleLevel"
        el = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
            f'<w:multiLevelType w:val="{kind}"/>{"".join(levels)}</w:abstractNum>'
        )
        # The schema wants every abstractNum before the first num.
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(el)
        else:
            self.root.append(el)
        return aid

    def instance(self, abstract_id: int, start: int | None = None, *, level: int = 0) -> int:
        """A list of that definition; start restarts its counting at `level` (0-8)."""
        nid = self.next_num
        self.next_num += 1
        override = (
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if start is not None
            else ""
        )
        self.root.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{abstract_id}"/>'
                f"{override}</w:num>"
            )
        )
        return nid

    def heading_list(self, first: str, fmt0: str = "decimal") -> int:
        """Section numbers 1, 1.1, 1.1.1 (or Appendix A, A.1) on heading levels 0-8."""
        levels = [lvl_xml(0, fmt0, first, 0, 0)]
        for i in range(1, 9):
            text = ".".join(f"%{n}" for n in range(1, i + 2))
            levels.append(lvl_xml(i, "decimal", text, 0, 0))
        return self.instance(self.abstract(levels))

    def bullet_list(self) -> int:
        marks = ("•", "◦", "▪")
        levels = [lvl_xml(i, "bullet", marks[i % 3], 720 * (i + 1), 360) for i in range(9)]
        return self.abstract(levels)


def set_numbering(paragraph, num_id: int, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        ),
        *(
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ),
    )


# -- custom document properties -----------------------------------------------------------
def set_custom_properties(document, values: dict[str, str]) -> None:
    """docProps/custom.xml: File > Properties > Custom in Word; how a returned copy says
    which workspace and request it belongs to."""
    props = "".join(
        f'<property fmtid="{_CUSTOM_FMTID}" pid="{pid}" name="{escape(clean(name))}">'
        f"<vt:lpwstr>{escape(clean(value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{props}</Properties>'
    ).encode()
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, xml, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def add_hyperlink(paragraph, url: str) -> BaseOxmlElement:
    """A w:hyperlink to an external target; runs go inside the returned element."""
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}" w:history="1"/>')
    paragraph._p.append(link)
    return link


# -- footnotes ----------------------------------------------------------------------------
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
)


class _NoteParent:
    """What python-docx's Paragraph needs of its parent: the part its relationships go to."""

    def __init__(self, part):
        self.part = part


class Footnotes:
    """Real Word footnotes (word/footnotes.xml): Word numbers them and sets them at the foot of
    the page that cites them. The part is made on the first note."""

    def __init__(self, document):
        self.doc = document
        self.part = None
        self.next_id = 1
        self.text_style = self.ref_style = ""  # style ids, looked up once

    def _ensure(self) -> None:
        if self.part is not None:
            return
        from docx.enum.style import WD_STYLE_TYPE
        from docx.opc.part import XmlPart
        from docx.shared import Pt

        root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}>{_SEPARATORS}</w:footnotes>")
        package = self.doc.part.package
        self.part = XmlPart(PackURI("/word/footnotes.xml"), _FOOTNOTES_CT, root, package)
        self.doc.part.relate_to(self.part, RT.FOOTNOTES)
        styles = self.doc.styles
        names = {s.name for s in styles}
        if "footnote text" not in names:
            text = styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
            text.base_style = styles["Normal"]
            text.font.size = Pt(9)
            text.paragraph_format.space_after = Pt(0)
        if "footnote reference" not in names:
            ref = styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
            ref.font.superscript = True
        self.text_style = styles["footnote text"].style_id
        self.ref_style = styles["footnote reference"].style_id

    def add(self):
        """A new footnote; returns (its id, its first paragraph as a python-docx Paragraph)."""
        from docx.text.paragraph import Paragraph

        self._ensure()
        assert self.part is not None
        nid = self.next_id
        self.next_id += 1
        style, ref_style = self.text_style, self.ref_style
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{nid}"><w:p><w:pPr><w:pStyle w:val="{style}"/>'
            f'</w:pPr><w:r><w:rPr><w:rStyle w:val="{ref_style}"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        self.part.element.append(note)
        return nid, Paragraph(note[0], _NoteParent(self.part))

    def more(self, nid: int):
        """A further paragraph of footnote nid."""
        from docx.text.paragraph import Paragraph

        assert self.part is not None
        note = next(n for n in self.part.element if n.get(qn("w:id")) == str(nid))
        style = self.text_style
        p = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>')
        note.append(p)
        return Paragraph(p, _NoteParent(self.part))

    def reference(self, paragraph, nid: int):
        """The superscript mark in the text that cites footnote nid (returns the run)."""
        ref_style = self.ref_style
        run = run_xml(
            f'<w:rPr><w:rStyle w:val="{ref_style}"/></w:rPr><w:footnoteReference w:id="{nid}"/>'
        )
        paragraph._p.append(run)
        return run

    def cross_reference(self, paragraph, bookmark: str, number: int) -> None:
        """Footnote `number` cited again: a NOTEREF field to the bookmark on its first mark,
        formatted as a note mark (\\f) and linked to it (\\h); `number` is the cached result."""
        rpr = f'<w:rPr><w:rStyle w:val="{self.ref_style}"/></w:rPr>'
        instr = escape(f" NOTEREF {bookmark} \\f \\h ")
        for inner in (
            '<w:fldChar w:fldCharType="begin"/>',
            f'<w:instrText xml:space="preserve">{instr}</w:instrText>',
            '<w:fldChar w:fldCharType="separate"/>',
            f"<w:t>{number}</w:t>",
            '<w:fldChar w:fldCharType="end"/>',
        ):
            paragraph._p.append(run_xml(rpr + inner))


def add_internal_link(paragraph, bookmark: str) -> BaseOxmlElement:
    """A w:hyperlink to a bookmark in this document; runs go inside the returned element."""
    link = parse_xml(f'<w:hyperlink {nsdecls("w")} w:anchor="{escape(bookmark)}" w:history="1"/>')
    paragraph._p.append(link)
    return link
