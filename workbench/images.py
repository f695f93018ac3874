"""Images checked by their content (PNG, JPEG, self-contained SVG): no store, no Qt.

What workbench.figures stores, what review packets carry and what the PDF draws all pass
through inspect() / check_svg(); the PDF package may import this module (it reads no store).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from xml.parsers import expat
from xml.parsers.expat import ExpatError

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
    fonts, no entities, no processing instructions (Qt reads the local file an
    `xml-stylesheet` names), and no `<use>` nesting that multiplies into more than
    MAX_SVG_ELEMENTS drawn elements (ten levels of ten uses froze the window). Read with expat
    itself, so a declared encoding cannot hide a declaration from the check. Run on every
    render too, since the file may have been edited by hand.
    """
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _refuse(_DOCTYPE.format(label=label))
    scan = _SvgScan(label)
    try:
        scan.parse(data)
    except (ExpatError, ValueError, RecursionError):
        raise _refuse(f"{label} is not a readable SVG image (the XML is damaged).") from None
    if scan.root is None or _local(scan.root.tag) != "svg":
        raise _refuse(f"{label} is not an SVG image.")
    scan.check_expansion()
    return _svg_size(scan.root)


_DOCTYPE = (
    "{label} declares a document type or entities, which can name outside files; "
    "save it again as plain SVG."
)


class _Node:
    __slots__ = ("tag", "attrib", "children", "use")

    def __init__(self, tag: str, attrib: dict[str, str]):
        self.tag, self.attrib = tag, attrib
        self.children: list[_Node] = []
        self.use: str | None = None  # the id a <use> draws again

    def get(self, key: str) -> str | None:
        return self.attrib.get(key)


class _SvgScan:
    """One expat pass over an SVG: every refusal of check_svg, and the element tree."""

    def __init__(self, label: str):
        self.label = label
        self.root: _Node | None = None
        self.stack: list[_Node] = []
        self.ids: dict[str, _Node] = {}
        self.count = 0
        self.style: list[str] | None = None  # text of the <style> being read

    def parse(self, data: bytes) -> None:
        parser = expat.ParserCreate(namespace_separator="}")
        parser.XmlDeclHandler = self._declaration
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.ProcessingInstructionHandler = self._instruction
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.Parse(bytes(data), True)

    def _declaration(self, version, encoding, standalone) -> None:
        if encoding and encoding.lower().replace("_", "-") not in _PLAIN_ENCODINGS:
            raise _refuse(f"{self.label} is written in the {encoding} encoding; save it as UTF-8.")

    def _doctype(self, *args) -> None:
        raise _refuse(_DOCTYPE.format(label=self.label))

    def _instruction(self, target, data) -> None:
        raise _refuse(
            f"{self.label} holds a processing instruction (<?{target[:40]} ...?>), which can "
            "name an outside style sheet; save it again as plain SVG."
        )

    def _start(self, tag: str, attrib: dict[str, str]) -> None:
        self.count += 1
        if self.count > MAX_SVG_ELEMENTS:
            raise _refuse(f"{self.label} has more than {MAX_SVG_ELEMENTS:,} elements.")
        node = _Node(tag, attrib)
        name = _local(tag)
        if name in _SVG_FORBIDDEN:
            raise _refuse(
                f"{self.label} contains a {name} element; a figure cannot run code or embed."
            )
        for key, value in attrib.items():
            attr = _local(key)
            if attr.startswith("on"):
                raise _refuse(f"{self.label} contains a script handler ({attr}).")
            if attr == "href":
                if not _safe_reference(value):
                    raise _refuse(
                        f"{self.label} links to something outside itself ({value[:60]}); embed "
                        "the picture in the SVG or save it as PNG."
                    )
                if name == "use":
                    node.use = value.strip()[1:] if value.strip().startswith("#") else None
            if attr == "id":
                self.ids.setdefault(value, node)
            if "url(" in value.lower() and not _urls_internal(value):
                raise _refuse(f"{self.label} names an outside address in {attr}.")
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)
        if name == "style":
            self.style = []

    def _text(self, text: str) -> None:
        if self.style is not None:
            self.style.append(text)

    def _end(self, tag: str) -> None:
        self.stack.pop()
        if self.style is not None and _local(tag) == "style":
            text = "".join(self.style)
            self.style = None
            if "@import" in text.lower() or not _urls_internal(text):
                raise _refuse(f"{self.label} has a style that loads something from outside it.")

    def check_expansion(self) -> None:
        """Refuse <use> references that loop, or that draw more than MAX_SVG_ELEMENTS."""
        if self.root is None:
            return
        size: dict[int, int] = {}  # id(node) -> elements drawn for it, uses expanded
        open_: set[int] = set()  # on the current path: reaching one again is a loop
        stack: list[tuple[_Node, bool]] = [(self.root, False)]
        while stack:
            node, done = stack.pop()
            key = id(node)
            target = self.ids.get(node.use) if node.use else None
            parts = [*node.children, *([target] if target is not None else [])]
            if done:
                open_.discard(key)
                total = 1 + sum(size[id(p)] for p in parts)
                if total > MAX_SVG_ELEMENTS:
                    raise _refuse(
                        f"{self.label} draws more than {MAX_SVG_ELEMENTS:,} elements once its "
                        "<use> references are followed."
                    )
                size[key] = total
                continue
            if key in size:
                continue
            open_.add(key)
            stack.append((node, True))
            for part in parts:
                if id(part) in open_:
                    raise _refuse(f"{self.label} has <use> references that loop.")
                if id(part) not in size:
                    stack.append((part, False))


_PLAIN_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii"}


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
