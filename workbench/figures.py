"""Figures: PNG, JPEG and SVG images stored inside the workspace file, checked by their content.

A section places a stored figure with ``![alt](figure:ID "Caption")`` (markdown_model); every
reader and writer draws it from the store, never from a path. A stored figure never changes
(a trigger refuses updates), so a published version names it by id and SHA-256 and renders
the same picture years later.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench import audit
from workbench.documents import document
from workbench.errors import NotFound, WorkbenchError
from workbench.images import (  # noqa: F401  (the figure API names them too)
    JPEG,
    MAX_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    MEDIA_TYPES,
    PNG,
    SVG,
    FigureImage,
    ImageInfo,
    check_svg,
    inspect,
)
from workbench.markdown_model import FIGURE_SCHEME
from workbench.workspace import use_case

MAX_ALT = 1000
MAX_CAPTION = 2000

_REF = re.compile(r"!\[[^\]]*\]\(\s*" + re.escape(FIGURE_SCHEME) + r"([1-9][0-9]{0,17})")


@dataclass(frozen=True)
class Figure:
    id: int
    document_id: int
    media_type: str
    alt: str
    caption: str
    width: int
    height: int
    size: int
    sha256: str
    source_name: str
    created_at: str

    @property
    def markdown(self) -> str:
        """What the editor inserts to place this figure in a section."""
        from workbench.markdown_model import figure_markdown

        return figure_markdown(self.id, self.alt, self.caption)


def _clean_line(text: str, limit: int, what: str) -> str:
    from workbench.text_input import checked_text

    text = " ".join(checked_text(text or "", what).split())
    if len(text) > limit:
        raise WorkbenchError(f"The {what} may be at most {limit:,} characters.")
    return text


@use_case
def add_figure(
    ws, document_id: int, data: bytes, *, alt: str, caption: str = "", source_name: str = ""
) -> int:
    """Store an image for a document; returns the figure id to place with figure_markdown."""
    doc = document(ws, document_id)
    alt = _clean_line(alt, MAX_ALT, "alt text")
    if not alt:
        raise WorkbenchError(
            "A figure needs alt text: say what it shows for readers who cannot see it."
        )
    caption = _clean_line(caption, MAX_CAPTION, "caption")
    source_name = _clean_line(source_name, 255, "file name")
    info = inspect(bytes(data), source_name or "The file")
    digest = hashlib.sha256(data).hexdigest()
    cur = ws.db.execute(
        "INSERT INTO figures (document_id, media_type, data, size, sha256, width, height, alt, "
        "caption, source_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            doc.id,
            info.media_type,
            bytes(data),
            len(data),
            digest,
            info.width,
            info.height,
            alt,
            caption,
            source_name,
            ws.now(),
        ],
    )
    audit.record(
        ws,
        "figure.add",
        "figure",
        cur.lastrowid,
        document_id=doc.id,
        media_type=info.media_type,
        size=len(data),
        sha256=digest,
        alt=alt,
        caption=caption,
        file=source_name,
    )
    return int(cur.lastrowid)


_COLUMNS = (
    "id, document_id, media_type, alt, caption, width, height, size, sha256, source_name, "
    "created_at"
)


def _figure(row: dict) -> Figure:
    return Figure(**{k: row[k] for k in Figure.__dataclass_fields__})


def figure(ws, figure_id: int) -> Figure:
    row = next(ws.db.query(f"SELECT {_COLUMNS} FROM figures WHERE id = ?", [figure_id]), None)
    if row is None:
        raise NotFound(f"No figure with id {figure_id}.")
    return _figure(row)


def figure_bytes(ws, figure_id: int) -> bytes:
    """The stored image exactly as it was added."""
    row = next(ws.db.query("SELECT data FROM figures WHERE id = ?", [figure_id]), None)
    if row is None:
        raise NotFound(f"No figure with id {figure_id}.")
    return bytes(row["data"])


def list_figures(ws, document_id: int) -> list[Figure]:
    """A document's stored figures, oldest first."""
    return [
        _figure(r)
        for r in ws.db.query(
            f"SELECT {_COLUMNS} FROM figures WHERE document_id = ? ORDER BY id", [document_id]
        )
    ]


def referenced_ids(bodies: Iterable[str]) -> list[int]:
    """Figure ids the texts place, in order of first appearance (a cheap scan, no parse)."""
    seen: dict[int, None] = {}
    for body in bodies:
        if body and FIGURE_SCHEME in body:
            for match in _REF.finditer(body):
                seen.setdefault(int(match.group(1)), None)
    return list(seen)


def images(ws, ids: Iterable[int]) -> dict[int, FigureImage]:
    """The stored figures named, with their bytes (ids not in the store are left out)."""
    wanted = sorted({int(i) for i in ids})
    out: dict[int, FigureImage] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for r in ws.db.query(
            "SELECT id, media_type, data, width, height, alt, caption FROM figures "
            f"WHERE id IN ({marks})",
            chunk,
        ):
            out[r["id"]] = FigureImage(
                r["id"],
                r["media_type"],
                bytes(r["data"]),
                r["width"],
                r["height"],
                r["alt"],
                r["caption"],
            )
    return out


def snapshot_entries(ws, bodies: Iterable[str]) -> list[dict]:
    """What a snapshot records of the figures its text places: id, kind, size and SHA-256."""
    found = images(ws, referenced_ids(bodies))
    return [
        {
            "id": f.id,
            "media_type": f.media_type,
            "sha256": f.sha256,
            "width": f.width,
            "height": f.height,
        }
        for f in (found[i] for i in referenced_ids(bodies) if i in found)
    ]


def for_snapshot(ws, snapshot: Mapping) -> dict[int, FigureImage]:
    """The images a snapshot's text places, from the store, each matching its recorded hash.

    A snapshot made before figures existed records none: the ids its text names are looked up
    directly. A figure whose bytes no longer match the snapshot is left out (the renderers say
    it is missing) rather than drawn as something other than what was approved.
    """
    recorded = snapshot.get("figures")
    bodies = [str(s.get("body") or "") for s in snapshot.get("sections") or ()]
    if not isinstance(recorded, list):
        return images(ws, referenced_ids(bodies))
    wanted = [e["id"] for e in recorded if isinstance(e, dict) and isinstance(e.get("id"), int)]
    found = images(ws, wanted)
    out = {}
    for entry in recorded:
        if not isinstance(entry, dict):
            continue
        image = found.get(entry.get("id"))  # type: ignore[arg-type]
        if image is not None and image.sha256 == entry.get("sha256"):
            out[image.id] = image
    return out


def figure_numbers(bodies: Iterable[str]) -> dict[int, int]:
    """Figure id -> its number in a document whose section texts are `bodies`, in order."""
    return {fid: n for n, fid in enumerate(referenced_ids(bodies), 1)}


def document_bodies(ws, document_id: int, shown: Mapping[int, str] | None = None) -> list[str]:
    """The live sections' texts in reading order; `shown` overrides some (unsaved typing)."""
    from workbench.sections import outline

    stored = {
        r["id"]: r["body"]
        for r in ws.db.query(
            "SELECT id, body FROM sections WHERE document_id = ? AND deleted_at IS NULL",
            [document_id],
        )
    }
    shown = shown or {}
    return [shown.get(e.id, stored.get(e.id, "")) for e in outline(ws, document_id)]
