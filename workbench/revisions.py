"""Labelled revisions of a document, the section texts they pin, and diffs between them."""

from __future__ import annotations

import json
from dataclasses import dataclass

from workbench import audit
from workbench.diffing import ParagraphDiff, diff_text, diff_words
from workbench.documents import document
from workbench.errors import NotFound, WorkbenchError
from workbench.sections import outline
from workbench.workspace import use_case


@dataclass(frozen=True)
class RevisionInfo:
    id: int
    document_id: int
    label: str
    document_version: int
    created_at: str
    created_by: str


@dataclass(frozen=True)
class RevisionSection:
    section_id: int
    number: str
    depth: int
    kind: str
    heading: str
    body: str
    content_hash: str
    equities: tuple[str, ...]


@dataclass(frozen=True)
class SectionDiff:
    section_id: int
    number: str
    old_number: str
    status: str  # "added" | "removed" | "changed" | "unchanged"
    old_heading: str
    new_heading: str
    heading_words: tuple
    paragraphs: tuple[ParagraphDiff, ...]


def ensure_section_revision(ws, section_id: int) -> int:
    """The stored revision for a section's current text, created on first need."""
    row = next(
        ws.db.query("SELECT heading, body, content_hash FROM sections WHERE id = ?", [section_id]),
        None,
    )
    if row is None:
        raise NotFound(f"No section with id {section_id}.")
    existing = next(
        ws.db.query(
            "SELECT id FROM section_revisions WHERE section_id = ? AND content_hash = ?",
            [section_id, row["content_hash"]],
        ),
        None,
    )
    if existing:
        return existing["id"]
    cur = ws.db.execute(
        "INSERT INTO section_revisions (section_id, heading, body, content_hash, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [section_id, row["heading"], row["body"], row["content_hash"], ws.now()],
    )
    return cur.lastrowid


def section_revision(ws, revision_id: int) -> dict:
    row = next(ws.db.query("SELECT * FROM section_revisions WHERE id = ?", [revision_id]), None)
    if row is None:
        raise NotFound(f"No section revision {revision_id}.")
    return row


@use_case
def snapshot_revision(ws, doc_id: int, label: str) -> int:
    label = " ".join(label.split())
    if not label:
        raise WorkbenchError("A revision needs a label.")
    doc = document(ws, doc_id)
    cur = ws.db.execute(
        "INSERT INTO document_revisions (document_id, label, document_version, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?)",
        [doc_id, label, doc.version, ws.now(), ws.actor],
    )
    rev_id = cur.lastrowid
    rows = []
    for ordinal, e in enumerate(outline(ws, doc_id)):
        srev = ensure_section_revision(ws, e.id)
        rows.append(
            (
                rev_id,
                ordinal,
                e.id,
                srev,
                e.parent_id,
                e.depth,
                e.number,
                e.kind,
                json.dumps(list(e.equities)),
            )
        )
    ws.db.executemany(
        "INSERT INTO document_revision_sections (document_revision_id, ordinal, section_id, "
        "section_revision_id, parent_id, depth, number, kind, equities) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    audit.record(
        ws,
        "revision.snapshot",
        "document",
        doc_id,
        revision_id=rev_id,
        label=label,
        sections=len(rows),
    )
    return rev_id


def list_revisions(ws, doc_id: int) -> list[RevisionInfo]:
    return [
        RevisionInfo(
            r["id"],
            r["document_id"],
            r["label"],
            r["document_version"],
            r["created_at"],
            r["created_by"],
        )
        for r in ws.db.query(
            "SELECT * FROM document_revisions WHERE document_id = ? ORDER BY id DESC", [doc_id]
        )
    ]


def revision_sections(ws, revision_id: int) -> list[RevisionSection]:
    rows = list(
        ws.db.query(
            "SELECT d.*, r.heading, r.body, r.content_hash FROM document_revision_sections d "
            "JOIN section_revisions r ON r.id = d.section_revision_id "
            "WHERE d.document_revision_id = ? ORDER BY d.ordinal",
            [revision_id],
        )
    )
    if not rows and not next(
        ws.db.query("SELECT 1 FROM document_revisions WHERE id = ?", [revision_id]), None
    ):
        raise NotFound(f"No revision {revision_id}.")
    return [
        RevisionSection(
            r["section_id"],
            r["number"],
            r["depth"],
            r["kind"],
            r["heading"],
            r["body"],
            r["content_hash"],
            tuple(json.loads(r["equities"])),
        )
        for r in rows
    ]


def current_sections(ws, doc_id: int) -> list[RevisionSection]:
    entries = outline(ws, doc_id)
    bodies = {
        r["id"]: r["body"]
        for r in ws.db.query(
            "SELECT id, body FROM sections WHERE document_id = ? AND deleted_at IS NULL", [doc_id]
        )
    }
    return [
        RevisionSection(
            e.id, e.number, e.depth, e.kind, e.heading, bodies[e.id], e.content_hash, e.equities
        )
        for e in entries
    ]


def diff_sections(old: list[RevisionSection], new: list[RevisionSection]) -> list[SectionDiff]:
    """Sections matched by identity, in the new order, with removed ones where they stood."""
    old_by_id = {s.section_id: s for s in old}
    new_ids = {s.section_id for s in new}
    out: list[SectionDiff] = []
    old_iter = [s for s in old if s.section_id not in new_ids]
    removed_after: dict[int | None, list[RevisionSection]] = {}
    prev_new: int | None = None
    old_order = [s.section_id for s in old]
    for s in old_iter:
        # Attach a removed section after the nearest earlier section that survives.
        idx = old_order.index(s.section_id)
        anchor = next(
            (old_order[i] for i in range(idx - 1, -1, -1) if old_order[i] in new_ids), None
        )
        removed_after.setdefault(anchor, []).append(s)

    def emit_removed(anchor):
        for r in removed_after.get(anchor, []):
            out.append(
                SectionDiff(
                    r.section_id,
                    "",
                    r.number,
                    "removed",
                    r.heading,
                    "",
                    (),
                    tuple(diff_text(r.body, "")),
                )
            )

    emit_removed(None)
    for s in new:
        o = old_by_id.get(s.section_id)
        if o is None:
            out.append(
                SectionDiff(
                    s.section_id,
                    s.number,
                    "",
                    "added",
                    "",
                    s.heading,
                    (),
                    tuple(diff_text("", s.body)),
                )
            )
        else:
            paras = diff_text(o.body, s.body)
            changed = o.content_hash != s.content_hash
            words = tuple(diff_words(o.heading, s.heading)) if o.heading != s.heading else ()
            out.append(
                SectionDiff(
                    s.section_id,
                    s.number,
                    o.number,
                    "changed" if changed else "unchanged",
                    o.heading,
                    s.heading,
                    words,
                    tuple(paras),
                )
            )
        prev_new = s.section_id
        emit_removed(prev_new)
    return out


def diff_revisions(
    ws, doc_id: int, old_revision: int, new_revision: int | None
) -> list[SectionDiff]:
    """Diff two labelled revisions; new_revision None means the current text."""
    old = revision_sections(ws, old_revision)
    new = (
        current_sections(ws, doc_id)
        if new_revision is None
        else revision_sections(ws, new_revision)
    )
    return diff_sections(old, new)
