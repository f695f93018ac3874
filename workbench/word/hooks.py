"""What a Word copy we wrote says about itself: section bookmarks and custom properties.

A returned review copy is mapped back with these: each section's heading paragraph opens a
bookmark `cne_s{section_id}_r{revision_id}` (`cne_s{section_id}` when no revision is pinned)
that closes after the section's last block, and docProps/custom.xml carries the workspace and
request it was written for (PROPERTY_* names below).
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

PROPERTY_WORKSPACE = "cne-workspace-id"
PROPERTY_REQUEST = "cne-request-id"
PROPERTY_DOCUMENT = "cne-document-id"
PROPERTY_VERSION = "cne-document-version"
PROPERTY_ORGANIZATION = "cne-organization"
PROPERTY_KIND = "cne-copy"  # "review" or "export"

_BOOKMARK = re.compile(r"cne_s(\d{1,12})(?:_r(\d{1,12}))?")
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
MAX_PROPERTIES_BYTES = 1024 * 1024


def section_bookmark(section_id: int, revision_id: int | None = None) -> str:
    """The bookmark name wrapping a section (at most 40 characters, as Word requires)."""
    return f"cne_s{section_id}" + (f"_r{revision_id}" if revision_id is not None else "")


def parse_section_bookmark(name: str) -> tuple[int, int | None] | None:
    """(section_id, revision_id or None) for one of our bookmark names, else None."""
    m = _BOOKMARK.fullmatch(name or "")
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def read_custom_properties(data: bytes) -> dict[str, str]:
    """The custom document properties of a .docx ({} when it has none or they are unreadable)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo("docProps/custom.xml")
            if info.file_size > MAX_PROPERTIES_BYTES:
                return {}
            raw = z.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        return {}
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        return {}
    out: dict[str, str] = {}
    for prop in root.iter(f"{_CUSTOM}property"):
        name = prop.get("name")
        if name:
            out[name] = "".join(prop.itertext()).strip()
    return out
