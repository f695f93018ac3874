"""An SVG figure drawn as a PNG picture (what Word files carry beside the SVG), without Qt.

resvg draws it (resvg-py: a Rust renderer shipped as wheels for every platform, no system
library). Text is set in the shipped faces only, never a font found on this machine, so a copy
looks the same wherever it is made, as the PDF's drawing of the same SVG does.
"""

from __future__ import annotations

import functools
import logging
from xml.etree import ElementTree

import resources
from workbench.errors import WorkbenchError
from workbench.images import check_svg

MAX_PNG_PIXELS = 16_000_000  # a drawing for a page needs far fewer; bounds time and memory
MAX_PNG_SIDE = 8_000
_SANS, _MONO = "DejaVu Sans", "DejaVu Sans Mono"
# Body faces first; the fallbacks cover CJK, Hangul and emoji (resvg falls back per character).
_FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
    "DejaVuSansMono.ttf",
    "DroidSansFallbackFull.ttf",
    "NanumGothic.ttf",
    "SymbolaEmoji.ttf",
)

log = logging.getLogger(__name__)


@functools.cache
def _fonts() -> dict:
    folder = resources.path("fonts")
    return {
        "skip_system_fonts": True,
        "font_files": [str(folder / name) for name in _FONT_FILES],
        # Every family the SVG may name (Arial, serif, ...) is set in the shipped faces.
        "font_family": _SANS,
        "serif_family": _SANS,
        "sans_serif_family": _SANS,
        "cursive_family": _SANS,
        "fantasy_family": _SANS,
        "monospace_family": _MONO,
    }


def _text(data: bytes) -> str:
    """The SVG as a string (resvg takes text); another encoding is re-read by its declaration."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ElementTree.tostring(ElementTree.fromstring(data), encoding="unicode")


def svg_png(data: bytes, width_px: int) -> bytes | None:
    """The SVG drawn `width_px` pixels wide (its height in proportion) as PNG bytes, or None
    when it cannot be drawn (refused by `check_svg`, damaged, or of no size)."""
    try:
        width, height = check_svg(data)  # again here: the store may have been edited by hand
        width_px = max(1, min(int(width_px), MAX_PNG_SIDE))
        height_px = max(1, round(width_px * height / max(1, width)))
        if height_px > MAX_PNG_SIDE or width_px * height_px > MAX_PNG_PIXELS:
            scale = min(MAX_PNG_SIDE / height_px, (MAX_PNG_PIXELS / (width_px * height_px)) ** 0.5)
            width_px = max(1, int(width_px * scale))
        import resvg_py

        png = resvg_py.svg_to_bytes(svg_string=_text(data), width=width_px, **_fonts())
        return bytes(png) or None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # a panic in resvg arrives as pyo3's PanicException
        if not isinstance(exc, (WorkbenchError, ValueError)):
            log.exception("resvg failed on an SVG figure")
        log.warning("An SVG figure cannot be drawn as a picture: %s", exc)
        return None
