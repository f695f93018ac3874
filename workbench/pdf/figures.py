"""Figures in the PDF: the stored image scaled to the frame, with its numbered caption."""

from __future__ import annotations

import functools
import io
import logging

from reportlab.graphics import renderPDF
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from workbench.pdf import styles as st
from workbench.pdf.textblock import Run, TextBlock

PX_TO_PT = 0.75  # a pixel is 1/96 inch, a point 1/72
MAX_HEIGHT_SHARE = 0.55  # of the frame's height, so a caption and some text fit beside it

log = logging.getLogger(__name__)


class FigureNumbers:
    """Figures are numbered through the document in the order they first appear."""

    def __init__(self) -> None:
        self.numbers: dict[int, int] = {}

    def number(self, figure_id: int) -> int:
        if figure_id not in self.numbers:
            self.numbers[figure_id] = len(self.numbers) + 1
        return self.numbers[figure_id]


def caption_text(number: int, caption: str) -> str:
    caption = " ".join((caption or "").split())
    return f"Figure {number}. {caption}" if caption else f"Figure {number}."


@functools.cache
def _svg_fonts() -> None:
    """SVG text is set in the document's own faces, never in a font found on this machine.

    A published version is rendered again and must give the same bytes anywhere, so svglib's
    font search (files by guessed name, then fontconfig) is replaced by the shipped faces.
    """
    from svglib.fonts import get_global_font_map

    faces = {
        ("normal", "normal"): st.SANS,
        ("bold", "normal"): st.SANS_BOLD,
        ("normal", "italic"): st.SANS_ITALIC,
        ("bold", "italic"): st.SANS_BOLD_ITALIC,
    }

    def find_font(font_name: str, weight: str = "normal", style: str = "normal"):
        heavy = str(weight).lower() in ("bold", "bolder", "600", "700", "800", "900")
        bold = "bold" if heavy else "normal"
        italic = "italic" if str(style).lower() in ("italic", "oblique") else "normal"
        return faces[(bold, italic)], False

    get_global_font_map().find_font = find_font  # type: ignore[method-assign]


def _svg_drawing(data: bytes):
    from svglib.svglib import svg2rlg

    from workbench.images import check_svg

    check_svg(data)  # again at every render: the store may have been edited by hand
    st.register_fonts()
    _svg_fonts()
    logging.getLogger("svglib").setLevel(logging.ERROR)
    return svg2rlg(io.BytesIO(data), resolve_entities=False)


class SvgFlowable(Flowable):
    """A reportlab drawing from a checked SVG, scaled to the size chosen for it."""

    def __init__(self, drawing, width: float, height: float):
        super().__init__()
        self.drawing = drawing
        self.width, self.height = width, height
        self.hAlign = "CENTER"

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        d = self.drawing
        sx = self.width / max(1e-6, float(d.width or 1))
        sy = self.height / max(1e-6, float(d.height or 1))
        self.canv.saveState()
        self.canv.scale(sx, sy)
        renderPDF.draw(d, self.canv, 0, 0)
        self.canv.restoreState()


def _fit(width_px: int, height_px: int, max_w: float, max_h: float) -> tuple[float, float]:
    w, h = max(1, width_px) * PX_TO_PT, max(1, height_px) * PX_TO_PT
    scale = min(1.0, max_w / w, max_h / h)
    return w * scale, h * scale


def _picture(image, max_w: float, max_h: float) -> Flowable | None:
    """The image itself, or None when its bytes cannot be drawn."""
    from reportlab.platypus import Image

    from workbench.images import SVG

    try:
        if image.media_type == SVG:
            drawing = _svg_drawing(image.data)
            if drawing is None:
                return None
            w, h = _fit(
                round(float(drawing.width or image.width) / PX_TO_PT),
                round(float(drawing.height or image.height) / PX_TO_PT),
                max_w,
                max_h,
            )
            return SvgFlowable(drawing, w, h)
        w, h = _fit(image.width, image.height, max_w, max_h)
        flowable = Image(io.BytesIO(image.data), width=w, height=h)
        flowable.hAlign = "CENTER"
        return flowable
    except Exception as exc:  # a damaged or hostile image prints as missing, never aborts
        log.warning("Figure %s cannot be drawn: %s", getattr(image, "id", "?"), exc)
        return None


def _missing(number: int, alt: str, width: float) -> Flowable:
    style = st.paragraph_styles()["figure_missing"]
    text = TextBlock(
        [Run(f"Figure {number} cannot be shown: its image is not in this workspace. ({alt})")],
        style,
    )
    box = Table([[text]], colWidths=[min(width, 320)], hAlign="CENTER")
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, st.RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return box


def figure_flowables(
    image, number: int, alt: str, caption: str, width: float, frame_height: float
) -> list[Flowable]:
    """A figure and its caption, kept on one page."""
    styles = st.paragraph_styles()
    picture = _picture(image, width, frame_height * MAX_HEIGHT_SHARE) if image else None
    if picture is None:
        picture = _missing(number, alt, width)
    caption_block = TextBlock([Run(caption_text(number, caption))], styles["figure_caption"])
    # Chained by keepWithNext rather than wrapped in KeepTogether, so a heading just before
    # (itself keepWithNext) joins the chain and never stays behind at the foot of a page.
    flow = [Spacer(1, 6), picture, Spacer(1, 4), caption_block]
    for flowable in flow[:-1]:
        flowable.keepWithNext = 1
    return flow
