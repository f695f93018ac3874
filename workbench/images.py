"""Images checked by their content (PNG, JPEG, self-contained SVG): no store, no Qt.

What workbench.figures stores, what review packets carry and what the PDF draws all pass
through inspect() / check_svg(); the PDF package may import this module (it reads no store).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from xml.etree import ElementTree

from workbench.errors import WorkbenchError

PNG, JPEG, SVG = "image/png", "image/jpeg", "image/svg+xml"
MEDIA_TYPES = {PNG: "PNG", JPEG: "JPEG", SVG: "SVG"}
MAX_BYTES = 10 * 1024 * 1024  # a figure; twenty fit a review packet with room to spare
MAX_PIXELS = 40_000_000  # 40 megapixels: more than any page can show
MAX_SIDE = 20_000
MAX_SVG_ELEMENTS = 200_000

_SVG_NS = "http://www.w3.org/2000/svg"
# Elements that run code or pull in other documents: never part of a stored figure.
_SVG_FORBIDDEN = {
    "script",
    "foreignobject",
    "iframe",
    "object",
    "embed",
    "audio",
    "video",
    "handler",
    "listener",
    "discard",
}
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|jpg|gif);base64,", re.IGNORECASE)
_URL = re.compile(r"url\(\s*(['\"]?)([^)'\"]*)\1\s*\)", re.IGNORECASE)
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*$")
_UNIT_PX = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


@dataclass(frozen=True)
class ImageInfo:
    """What the content of an image file is, whatever its name says."""

    media_type: str
    width: int  # pixels (SVG: CSS pixels of its declared size)
    height: int


@dataclass(frozen=True)
class FigureImage:
    """A figure's bytes with what a renderer needs; what snapshots and packets carry."""

    id: int
    media_type: str
    data: bytes
    width: int
    height: int
    alt: str = ""
    caption: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _refuse(message: str) -> WorkbenchError:
    return WorkbenchError(message)


def inspect(data: bytes, name: str = "") -> ImageInfo:
    """The image's kind and size, judged by its content; a one-line WorkbenchError if unusable."""
    label = name or "The file"
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise _refuse(f"{label} is empty.")
    if len(data) > MAX_BYTES:
        raise _refuse(
            f"{label} is {len(data) / 1e6:.1f} MB; a figure may be at most "
            f"{MAX_BYTES // (1024 * 1024)} MB."
        )
    head = bytes(data[:16])
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        return _raster(bytes(data), label)
    if _looks_like_svg(bytes(data)):
        width, height = check_svg(bytes(data), label)
        return ImageInfo(SVG, width, height)
    raise _refuse(f"{label} is not a PNG, JPEG or SVG image.")


def _raster(data: bytes, label: str) -> ImageInfo:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
        if kind not in ("PNG", "JPEG"):
            raise _refuse(f"{label} is not a PNG, JPEG or SVG image.")
        if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
            raise _refuse(
                f"{label} is {width} × {height} pixels; a figure may have at most "
                f"{MAX_PIXELS // 1_000_000} million pixels and {MAX_SIDE:,} on a side."
            )
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # a truncated or damaged file fails here, not at export
    except WorkbenchError:
        raise
    except Exception:  # Pillow's many error types for damaged files
        raise _refuse(f"{label} is damaged or truncated; it cannot be read as an image.") from None
    return ImageInfo(PNG if kind == "PNG" else JPEG, width, height)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--")


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _safe_reference(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or bool(_DATA_IMAGE.match(value))


def check_svg(data: bytes, label: str = "The SVG") -> tuple[int, int]:
    """(width, height) of a self-contained SVG; refuses one that names anything outside itself.

    Nothing an SVG may reference is ever fetched: no scripts, no external images, styles or
    fonts, no entities. Run on every render too, since the file may have been edited by hand.
    """
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _refuse(
            f"{label} declares a document type or entities, which can name outside files; "
            "save it again as plain SVG."
        )
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError, RecursionError):
        raise _refuse(f"{label} is not a readable SVG image (the XML is damaged).") from None
    if _local(root.tag) != "svg":
        raise _refuse(f"{label} is not an SVG image.")
    count = 0
    for element in root.iter():
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise _refuse(f"{label} has more than {MAX_SVG_ELEMENTS:,} elements.")
        tag = _local(element.tag)
        if tag in _SVG_FORBIDDEN:
            raise _refuse(f"{label} contains a {tag} element; a figure cannot run code or embed.")
        for key, value in element.attrib.items():
            attr = _local(key)
            if attr.startswith("on"):
                raise _refuse(f"{label} contains a script handler ({attr}).")
            if attr == "href" and not _safe_reference(value):
                raise _refuse(
                    f"{label} links to something outside itself ({value[:60]}); embed the "
                    "picture in the SVG or save it as PNG."
                )
            if "url(" in value.lower() and not _urls_internal(value):
                raise _refuse(f"{label} names an outside address in {attr}.")
        if tag == "style":
            text = element.text or ""
            if "@import" in text.lower() or not _urls_internal(text):
                raise _refuse(f"{label} has a style that loads something from outside it.")
    return _svg_size(root)


def _urls_internal(text: str) -> bool:
    return all(_safe_reference(m.group(2)) for m in _URL.finditer(text))


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    if not match or match.group(2) in ("%", "em", "ex"):
        return None
    number = float(match.group(1))
    return number * _UNIT_PX.get(match.group(2) or "px", 1.0)


def _svg_size(root) -> tuple[int, int]:
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    vb_w = vb_h = None
    if len(box) == 4:
        try:
            vb_w, vb_h = float(box[2]), float(box[3])
        except ValueError:
            vb_w = vb_h = None
    if vb_w and vb_h and vb_w > 0 and vb_h > 0:
        if width and not height:
            height = width * vb_h / vb_w
        elif height and not width:
            width = height * vb_w / vb_h
        elif not width:
            width, height = vb_w, vb_h
    width, height = width or 400.0, height or 300.0
    return max(1, min(MAX_SIDE, round(width))), max(1, min(MAX_SIDE, round(height)))
