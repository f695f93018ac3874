"""The look of an exported document as data: fonts, page geometry, colours, paragraph styles."""

from __future__ import annotations

import functools

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

import resources

FONT_DIR = resources.path("fonts")

SANS = "CNESans"
SANS_BOLD = "CNESans-Bold"
SANS_ITALIC = "CNESans-Oblique"
SANS_BOLD_ITALIC = "CNESans-BoldOblique"
MONO = "CNEMono"

FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}

# Page geometry in points (US Letter; the CRM appendix turns landscape for its columns).
PAGE_SIZE = letter
LANDSCAPE_SIZE = landscape(letter)
MARGIN_X = 72
MARGIN_TOP = 78
MARGIN_BOTTOM = 78
MARKING_INSET = 30  # distance of the marking line from the top/bottom edge
FOOTER_INSET = 46  # baseline of the page number / draft notice line

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5a6270")
RULE = colors.HexColor("#9aa3ad")
ACCENT = colors.HexColor("#1f3b63")
TENET_BG = colors.HexColor("#eef2f8")
ACTION_BG = colors.HexColor("#f3f5ee")
QUOTE_BG = colors.HexColor("#f4f4f4")
TABLE_HEAD_BG = colors.HexColor("#dfe5ee")
TABLE_GRID = colors.HexColor("#b9c0c9")
WATERMARK = colors.HexColor("#c0392b")
WATERMARK_ALPHA = 0.14
NON_CONCUR = colors.HexColor("#9b1c1c")
# Redline marks (the redline PDF and the record's "what changed since the last approval").
REDLINE_INSERT = "#1a4fa0"
REDLINE_DELETE = "#b3261e"
REDLINE_MOVED = "#7a4d00"

MARKING_SIZE = 9
FOOTER_SIZE = 8
WATERMARK_SIZE = 150
LIST_INDENT = 18
QUOTE_INDENT = 14
TOC_PAGE_COLUMN = 36
TOC_DOTS_GAP = 22  # room for a three-digit page number after the dot leader


def _hyphenation_language(lang: str = "en_US") -> str:
    """pyphen's dictionary for `lang`, or "" (no hyphenation) where it cannot be loaded, as in
    a frozen bundle that left pyphen's data behind: text then breaks at spaces only."""
    try:
        import pyphen

        pyphen.Pyphen(lang=lang)
    except Exception:
        return ""
    return lang


HYPHENATION = _hyphenation_language()  # "" turns hyphenation off for a style
# What headings, labels and tables of contents share: set flush left, never hyphenated.
_LEFT = dict(alignment=TA_LEFT, hyphenationLang="")

# Styles as data: name -> (parent, attributes). Built once into ParagraphStyles. Body text is
# justified and hyphenated; a section's table cells are flush left and hyphenated.
PARAGRAPH_STYLES: dict[str, tuple[str | None, dict]] = {
    "body": (
        None,
        dict(
            fontName=SANS,
            fontSize=10,
            leading=14,
            spaceAfter=6,
            textColor=INK,
            alignment=TA_JUSTIFY,
            hyphenationLang=HYPHENATION,
            splitLongWords=1,
            bulletFontName=SANS,
            bulletFontSize=10,
        ),
    ),
    "list": ("body", dict(spaceAfter=3)),
    "code": ("body", dict(fontName=MONO, fontSize=8.5, leading=11, spaceBefore=2, spaceAfter=8)),
    "cell": ("body", dict(fontSize=8.5, leading=11, spaceAfter=0, **_LEFT)),
    "cell_head": ("cell", dict(fontName=SANS_BOLD)),
    "cell_small": ("cell", dict(fontSize=7.5, leading=9.5)),
    "cell_small_head": ("cell_small", dict(fontName=SANS_BOLD)),
    # A section's own tables: long words in narrow columns are hyphenated.
    "md_cell": ("cell", dict(hyphenationLang=HYPHENATION)),
    "md_cell_head": ("md_cell", dict(fontName=SANS_BOLD)),
    "md_h1": (
        "body",
        dict(fontName=SANS_BOLD, fontSize=11.5, leading=15, spaceBefore=6, **_LEFT),
    ),
    "md_h2": ("md_h1", dict(fontSize=10.5, leading=14, spaceBefore=4)),
    "md_h3": ("md_h1", dict(fontName=SANS_BOLD_ITALIC, fontSize=10, leading=14, spaceBefore=2)),
    "h1": (
        "body",
        dict(
            fontName=SANS_BOLD,
            fontSize=15,
            leading=19,
            spaceBefore=16,
            spaceAfter=8,
            textColor=ACCENT,
            keepWithNext=1,
            **_LEFT,
        ),
    ),
    "h2": (
        "h1",
        dict(fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=6),
    ),
    "h3": ("h1", dict(fontSize=11, leading=14, spaceBefore=10, spaceAfter=4)),
    "tenet_label": (
        "body",
        dict(
            fontName=SANS_BOLD,
            fontSize=8,
            leading=10,
            textColor=ACCENT,
            leftIndent=10,
            spaceBefore=0,
            spaceAfter=2,
            keepWithNext=1,
            **_LEFT,
        ),
    ),
    "tenet_heading": (
        "h2",
        dict(spaceBefore=0, leftIndent=10, rightIndent=10, textColor=INK),
    ),
    "title_page_org": (
        "body",
        dict(
            fontName=SANS_BOLD,
            fontSize=10,
            leading=13,
            textColor=MUTED,
            alignment=TA_CENTER,
            hyphenationLang="",
        ),
    ),
    "title_page_kind": (
        "title_page_org",
        dict(
            fontName=SANS_BOLD,
            fontSize=12,
            leading=16,
            textColor=ACCENT,
            alignment=TA_CENTER,
            spaceBefore=110,
            spaceAfter=10,
        ),
    ),
    "title_page_title": (
        "title_page_org",
        dict(
            fontName=SANS_BOLD,
            fontSize=24,
            leading=30,
            textColor=INK,
            alignment=TA_CENTER,
            spaceAfter=30,
        ),
    ),
    "title_page_fact": ("body", dict(fontSize=10.5, leading=15, spaceAfter=0, **_LEFT)),
    "title_page_fact_label": ("title_page_fact", dict(fontName=SANS_BOLD, alignment=TA_RIGHT)),
    "title_page_notice": (
        "title_page_org",
        dict(fontName=SANS, fontSize=9, leading=13, spaceBefore=40),
    ),
    "contents_title": ("h1", dict(spaceBefore=0, spaceAfter=14)),
    "toc0": ("body", dict(fontName=SANS_BOLD, fontSize=10, leading=13, spaceBefore=5, **_LEFT)),
    "toc1": (
        "toc0",
        dict(fontName=SANS, fontSize=9.5, leading=12.5, leftIndent=16, spaceBefore=0, spaceAfter=2),
    ),
    "toc2": ("toc1", dict(fontSize=9, leading=12, leftIndent=32, spaceAfter=1)),
    "toc3": ("toc1", dict(fontSize=9, leading=12, leftIndent=48, spaceAfter=1)),
    "record_note": ("body", dict(fontSize=9, leading=12, textColor=MUTED, **_LEFT)),
    "record_change_head": ("body", dict(fontSize=9.5, leading=12.5, spaceBefore=4, **_LEFT)),
    "record_change": ("body", dict(fontSize=9, leading=12, leftIndent=12, spaceAfter=3, **_LEFT)),
    "footnote": (
        "body",
        dict(
            fontSize=8,
            leading=10,
            spaceAfter=0,
            alignment=TA_LEFT,
            leftIndent=6.5,
            firstLineIndent=-6.5,
        ),
    ),
    "figure_caption": (
        "body",
        dict(fontName=SANS_ITALIC, fontSize=9, leading=12, alignment=TA_CENTER, spaceAfter=10),
    ),
    "figure_missing": ("body", dict(fontSize=9, leading=12, textColor=MUTED, alignment=TA_CENTER)),
}


@functools.cache
def register_fonts() -> None:
    """Embed the shipped DejaVu faces once per process, as one family so <b>/<i> work."""
    from reportlab.lib.fonts import addMapping

    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD_ITALIC)
    for face in (SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC):
        addMapping(face, 0, 0, face)
    addMapping(MONO, 0, 0, MONO)
    addMapping(MONO, 1, 0, MONO)
    addMapping(MONO, 0, 1, MONO)
    addMapping(MONO, 1, 1, MONO)


@functools.cache
def paragraph_styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    built: dict[str, ParagraphStyle] = {}
    for name, (parent, attrs) in PARAGRAPH_STYLES.items():
        built[name] = ParagraphStyle(name, parent=built[parent] if parent else None, **attrs)
    return built


@functools.cache
def variant(name: str, indent: float = 0, quote: bool = False) -> ParagraphStyle:
    """A paragraph style shifted right for list/quote nesting (cached: styles are immutable)."""
    base = paragraph_styles()[name]
    if not indent and not quote:
        return base
    return ParagraphStyle(
        f"{base.name}@{indent}{'q' if quote else ''}",
        parent=base,
        leftIndent=base.leftIndent + indent,
        bulletIndent=base.leftIndent + indent - LIST_INDENT + 4,
        textColor=MUTED if quote else base.textColor,
    )
