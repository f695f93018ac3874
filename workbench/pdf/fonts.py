"""Per-character font fallback: CJK, Hangul and emoji are printed and stay in the text layer.

DejaVu (the document's faces) covers Latin, Greek, Cyrillic and many symbols. A character it
lacks is set in the first shipped fallback face that has it: Droid Sans Fallback (CJK
ideographs and kana; Apache 2.0), NanumGothic (Hangul; SIL OFL 1.1, unmodified) or a subset
of Symbola (emoji and pictographs; free for any use). They ship in resources/fonts, so a
published PDF renders the same on any machine.
A fallback face is loaded only when some text needs it (the CJK face takes a quarter second).
"""

from __future__ import annotations

import functools

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from workbench.pdf import styles as st

FALLBACK_FILES = {
    "CNEFallbackCJK": "DroidSansFallbackFull.ttf",
    "CNEFallbackHangul": "NanumGothic.ttf",
    "CNEFallbackSymbols": "SymbolaEmoji.ttf",
}
_SAFE_BELOW = 0x0250  # Latin, Latin-1, Latin Extended A/B: always in DejaVu
SAFE_BELOW = chr(_SAFE_BELOW)


def _utf16(code: int) -> str:
    if code <= 0xFFFF:
        return f"{code:04X}"
    code -= 0x10000
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 pairs.

    reportlab writes every code as "%04X", so an emoji (U+1F600) became five hex digits and
    the text layer read another character; the BMP entries are byte for byte the same.
    """
    text = _reportlab_cmap(fontname, subset)
    if all(v <= 0xFFFF for v in subset):
        return text
    for i, v in enumerate(subset):
        if v > 0xFFFF:
            text = text.replace(f"<{i:02X}> <{v:04X}>", f"<{i:02X}> <{_utf16(v)}>", 1)
    return text


_reportlab_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@functools.cache
def _cmap(font_name: str) -> frozenset[int] | dict:
    if font_name in FALLBACK_FILES:
        pdfmetrics.registerFont(TTFont(font_name, str(st.FONT_DIR / FALLBACK_FILES[font_name])))
    return pdfmetrics.getFont(font_name).face.charToGlyph


def has_glyph(font_name: str, ch: str) -> bool:
    return ord(ch) in _cmap(font_name)


@functools.cache
def face_for(font_name: str, ch: str) -> str:
    """The face that prints `ch`: the run's own when it has the glyph, else a fallback."""
    if ord(ch) < _SAFE_BELOW or has_glyph(font_name, ch):
        return font_name
    if font_name != st.SANS and has_glyph(st.SANS, ch):
        return st.SANS  # a bold or mono run: DejaVu Sans regular before a foreign face
    for fallback in FALLBACK_FILES:
        if has_glyph(fallback, ch):
            return fallback
    return font_name  # nothing has it: the character still goes into the text layer


def split_faces(text: str, font_name: str) -> list[tuple[str, str]]:
    """`text` cut into (piece, face) runs so each character is printed by a face that has it."""
    if not text or max(text) < SAFE_BELOW:
        return [(text, font_name)]
    out: list[tuple[str, str]] = []
    for ch in text:
        face = face_for(font_name, ch)
        if out and out[-1][1] == face:
            out[-1] = (out[-1][0] + ch, face)
        else:
            out.append((ch, face))
    return out


def breaks_anywhere(ch: str) -> bool:
    """CJK ideographs, kana and full-width forms: a line may break after any of them."""
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x2FA1F
        or 0x3000 <= code <= 0x303F
    )
