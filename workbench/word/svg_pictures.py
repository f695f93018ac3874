"""Word pictures that carry an SVG beside their PNG (Office's svgBlip extension), for the import.

Word (and our own export) stores an SVG picture twice: a PNG every program shows and the SVG
Word prefers. mammoth hands the reader the PNG; the figure should be the SVG it stands for.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile

from lxml import etree

from workbench.errors import WorkbenchError
from workbench.images import check_svg

SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAX_BYTES = 50 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def svg_twins(data: bytes) -> dict[str, bytes]:
    """SHA-256 of each picture's PNG (or other fallback) -> the SVG it stands for, for the
    pictures of the body that carry one that `check_svg` accepts (else the PNG is the figure)."""
    out: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            body = z.read("word/document.xml")
            if b"svgBlip" not in body:
                return out
            rels = _relationships(z, "word/_rels/document.xml.rels")
            root = etree.fromstring(body, _PARSER)
            for svg_blip in root.iter(SVG_BLIP):
                blip = next((a for a in svg_blip.iterancestors(_A_BLIP)), None)
                if blip is None:
                    continue
                fallback = _part(z, rels.get(blip.get(_R_EMBED, "")))
                svg = _part(z, rels.get(svg_blip.get(_R_EMBED, "")))
                if fallback and svg and _usable(svg):
                    out[hashlib.sha256(fallback).hexdigest()] = svg
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError):
        return out
    return out


def _relationships(z: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Relationship id -> part name inside the package (internal targets only)."""
    root = etree.fromstring(z.read(name), _PARSER)
    out = {}
    for rel in root.iter(f"{_RELS_NS}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("word", target)
        out[rel.get("Id") or ""] = posixpath.normpath(path)
    return out


def _part(z: zipfile.ZipFile, name: str | None) -> bytes | None:
    if not name:
        return None
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_BYTES:
        return None
    return z.read(info)


def _usable(svg: bytes) -> bool:
    try:
        check_svg(svg)
    except WorkbenchError:
        return False
    return True
