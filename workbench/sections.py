"""Sections: the numbered tree of a document, its text, equities, and structural edits."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from workbench import audit
from workbench.directory import organization_ids
from workbench.documents import prepare_for_edit, refuse_if_published, touch
from workbench.errors import NotFound, RuleViolation, WorkbenchError
from workbench.numbering import number_tree
from workbench.text_input import checked_text
from workbench.use_cases import concurrent_use_case
from workbench.workspace import use_case

SECTION_KINDS = {
    "narrative": "Section",
    "tenet": "Tenet",
    "action_item": "Action item",
    "appendix": "Appendix",
}
MAX_HEADING = 1000
MAX_BODY = 5_000_000


def content_hash(heading: str, body: str) -> str:
    return hashlib.sha256(f"{heading}\x1f{body}".encode()).hexdigest()


@dataclass(frozen=True)
class OutlineEntry:
    id: int
    parent_id: int | None
    depth: int
    number: str
    kind: str
    heading: str
    equities: tuple[str, ...]
    content_hash: str
    changed_at: str

    @property
    def title(self) -> str:
        return f"{self.number} {self.heading}".strip()


@dataclass(frozen=True)
class Section:
    id: int
    document_id: int
    parent_id: int | None
    kind: str
    heading: str
    body: str
    equities: tuple[str, ...]
    content_hash: str
    changed_at: str
    number: str


# A live section as the outline reads it: plain tuples, not dicts (a long strategy has
# hundreds of sections and the outline is re-read after every write).
_ID, _PARENT, _KIND, _HEADING, _HASH, _CHANGED = range(6)


def _live_rows(ws, doc_id: int) -> list[tuple]:
    return ws.db.execute(
        "SELECT id, parent_id, kind, heading, content_hash, changed_at FROM sections "
        "WHERE document_id = ? AND deleted_at IS NULL ORDER BY position",
        [doc_id],
    ).fetchall()


def _tree_order(rows: list[tuple]) -> list[tuple[tuple, int]]:
    children: dict[int | None, list[tuple]] = {}
    for r in rows:
        children.setdefault(r[_PARENT], []).append(r)
    ordered: list[tuple[tuple, int]] = []
    stack = [(r, 0) for r in reversed(children.get(None, []))]
    while stack:
        r, depth = stack.pop()
        ordered.append((r, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(r[_ID], [])))
    return ordered


def equities_by_section(ws, doc_id: int) -> dict[int, tuple[str, ...]]:
    # Driven from the document's live sections (covering index) rather than from every
    # equity row in the workspace; organization codes come from the small directory table.
    codes = dict(ws.db.execute("SELECT id, code FROM organizations").fetchall())
    out: dict[int, list[int]] = {}
    for sid, org in ws.db.execute(
        "SELECT e.section_id, e.organization_id FROM sections s "
        "JOIN section_equities e ON e.section_id = s.id "
        "WHERE s.document_id = ? AND s.deleted_at IS NULL",
        [doc_id],
    ):
        out.setdefault(sid, []).append(org)
    return {sid: tuple(codes[o] for o in sorted(orgs)) for sid, orgs in out.items()}


def outline(ws, doc_id: int) -> list[OutlineEntry]:
    """The live sections of a document in reading order, with their numbers."""
    return list(ws.cached(("outline", doc_id), lambda: tuple(_read_outline(ws, doc_id))))


def _read_outline(ws, doc_id: int) -> list[OutlineEntry]:
    ordered = _tree_order(_live_rows(ws, doc_id))
    numbers = number_tree((r[_ID], r[_PARENT], r[_KIND]) for r, _ in ordered)
    equities = equities_by_section(ws, doc_id)
    return [
        OutlineEntry(
            r[_ID],
            r[_PARENT],
            depth,
            numbers[r[_ID]],
            r[_KIND],
            r[_HEADING],
            equities.get(r[_ID], ()),
            r[_HASH],
            r[_CHANGED],
        )
        for r, depth in ordered
    ]


def section_numbers(ws, doc_id: int) -> dict[int, str]:
    numbers = ws.cached(("numbers", doc_id), lambda: {e.id: e.number for e in outline(ws, doc_id)})
    return dict(numbers)


def section(ws, section_id: int) -> Section:
    row = next(
        ws.db.query("SELECT * FROM sections WHERE id = ? AND deleted_at IS NULL", [section_id]),
        None,
    )
    if row is None:
        raise NotFound(f"No section with id {section_id}.")
    eq = tuple(
        r["code"]
        for r in ws.db.query(
            "SELECT o.code FROM section_equities e "
            "JOIN organizations o ON o.id = e.organization_id WHERE e.section_id = ? ORDER BY o.id",
            [section_id],
        )
    )
    number = section_numbers(ws, row["document_id"]).get(section_id, "")
    return Section(
        row["id"],
        row["document_id"],
        row["parent_id"],
        row["kind"],
        row["heading"],
        row["body"],
        eq,
        row["content_hash"],
        row["changed_at"],
        number,
    )


def _row(ws, section_id: int, *, include_deleted: bool = False) -> dict:
    sql = "SELECT * FROM sections WHERE id = ?"
    if not include_deleted:
        sql += " AND deleted_at IS NULL"
    row = next(ws.db.query(sql, [section_id]), None)
    if row is None:
        raise NotFound(f"No section with id {section_id}.")
    return row


def _sibling_ids(ws, doc_id: int, parent_id: int | None, exclude: int | None = None) -> list[int]:
    rows = ws.db.query(
        "SELECT id FROM sections WHERE document_id = ? AND parent_id IS NOT DISTINCT FROM ? "
        "AND deleted_at IS NULL ORDER BY position",
        [doc_id, parent_id],
    )
    return [r["id"] for r in rows if r["id"] != exclude]


def _place(ws, doc_id: int, parent_id: int | None, section_id: int, index: int | None) -> int:
    """Put section_id among parent_id's live children at index; returns the index used."""
    siblings = _sibling_ids(ws, doc_id, parent_id, exclude=section_id)
    index = len(siblings) if index is None else max(0, min(index, len(siblings)))
    siblings.insert(index, section_id)
    ws.db.executemany(
        "UPDATE sections SET position = ?, parent_id = ? WHERE id = ?",
        [(pos, parent_id, sid) for pos, sid in enumerate(siblings)],
    )
    return index


def _check_parent(ws, doc_id: int, parent_id: int | None) -> None:
    if parent_id is None:
        return
    parent = _row(ws, parent_id)
    if parent["document_id"] != doc_id:
        raise WorkbenchError("A section's parent must be in the same document.")


def _check_text(heading: str, body: str) -> None:
    checked_text(heading, "heading")
    checked_text(body, "section text")
    if len(heading) > MAX_HEADING:
        raise WorkbenchError(f"A heading may be at most {MAX_HEADING} characters.")
    if len(body) > MAX_BODY:
        raise WorkbenchError("A section's text may be at most 5 million characters.")


@use_case
def add_section(
    ws,
    doc_id: int,
    *,
    parent_id: int | None = None,
    index: int | None = None,
    kind: str = "narrative",
    heading: str = "",
    body: str = "",
    equities=(),
) -> int:
    if kind not in SECTION_KINDS:
        raise WorkbenchError(f"Unknown section kind {kind!r}.")
    _check_text(heading, body)
    prepare_for_edit(ws, doc_id)
    _check_parent(ws, doc_id, parent_id)
    now = ws.now()
    cur = ws.db.execute(
        "INSERT INTO sections (document_id, parent_id, position, kind, heading, body, "
        "content_hash, created_at, updated_at, changed_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?)",
        [doc_id, parent_id, kind, heading, body, content_hash(heading, body), now, now, now],
    )
    sid = cur.lastrowid
    index = _place(ws, doc_id, parent_id, sid, index)
    _write_equities(ws, sid, organization_ids(ws, equities))
    audit.record(
        ws,
        "section.add",
        "section",
        sid,
        document_id=doc_id,
        parent_id=parent_id,
        index=index,
        kind=kind,
        heading=heading,
    )
    return sid


def _descendant_ids(ws, section_id: int) -> set[int]:
    return {
        r["id"]
        for r in ws.db.query(
            "WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL "
            "SELECT s.id FROM sections s JOIN sub ON s.parent_id = sub.id) SELECT id FROM sub",
            [section_id],
        )
    }


def location(ws, section_id: int) -> tuple[int | None, int]:
    """(parent id, index among live siblings) of a live section."""
    row = _row(ws, section_id)
    siblings = _sibling_ids(ws, row["document_id"], row["parent_id"])
    return row["parent_id"], siblings.index(section_id)


@use_case
def move_section(ws, section_id: int, parent_id: int | None, index: int | None) -> None:
    row = _row(ws, section_id)
    doc_id = row["document_id"]
    _check_parent(ws, doc_id, parent_id)
    if parent_id is not None and parent_id in _descendant_ids(ws, section_id):
        raise RuleViolation("A section cannot be moved inside itself.")
    old_parent, old_index = location(ws, section_id)
    if parent_id == old_parent:
        others = len(_sibling_ids(ws, doc_id, parent_id, exclude=section_id))
        if (others if index is None else max(0, min(index, others))) == old_index:
            return  # already there: a published document must not gain a new version
    prepare_for_edit(ws, doc_id)
    if old_parent != parent_id:
        # Close the gap in the old sibling list before joining the new one.
        remaining = _sibling_ids(ws, doc_id, old_parent, exclude=section_id)
        ws.db.executemany(
            "UPDATE sections SET position = ? WHERE id = ?",
            [(pos, sid) for pos, sid in enumerate(remaining)],
        )
    new_index = _place(ws, doc_id, parent_id, section_id, index)
    audit.record(
        ws,
        "section.move",
        "section",
        section_id,
        document_id=doc_id,
        from_parent=old_parent,
        from_index=old_index,
        to_parent=parent_id,
        to_index=new_index,
    )


def indent_target(ws, section_id: int) -> tuple[int | None, int] | None:
    """Where indenting puts a section: last child of its previous sibling, if it has one."""
    parent, index = location(ws, section_id)
    if index == 0:
        return None
    doc_id = _row(ws, section_id)["document_id"]
    prev = _sibling_ids(ws, doc_id, parent)[index - 1]
    return prev, len(_sibling_ids(ws, doc_id, prev))


def outdent_target(ws, section_id: int) -> tuple[int | None, int] | None:
    """Where outdenting puts a section: right after its parent, one level up."""
    parent, _ = location(ws, section_id)
    if parent is None:
        return None
    grand, parent_index = location(ws, parent)
    return grand, parent_index + 1


@use_case
def delete_section(ws, section_id: int) -> str:
    """Remove a section and its subsections; returns the batch that restore_section brings back.

    Deletion is soft: comments, reviews and revisions that cite the section keep their target.
    """
    row = _row(ws, section_id)
    doc_id = row["document_id"]
    prepare_for_edit(ws, doc_id)
    parent, index = location(ws, section_id)
    batch = uuid.uuid4().hex
    ids = [i for i in _descendant_ids(ws, section_id)]
    now = ws.now()
    # Descendants deleted earlier keep their own batch, so they are not counted here.
    count = ws.db.executemany(
        "UPDATE sections SET deleted_at = ?, deletion_batch = ? WHERE id = ? "
        "AND deleted_at IS NULL",
        [(now, batch, i) for i in ids],
    ).rowcount
    remaining = _sibling_ids(ws, doc_id, parent)
    ws.db.executemany(
        "UPDATE sections SET position = ? WHERE id = ?",
        [(pos, sid) for pos, sid in enumerate(remaining)],
    )
    audit.record(
        ws,
        "section.delete",
        "section",
        section_id,
        document_id=doc_id,
        parent_id=parent,
        index=index,
        batch=batch,
        heading=row["heading"],
        count=count,
    )
    return batch


@use_case
def restore_section(ws, section_id: int, parent_id: int | None, index: int) -> None:
    row = _row(ws, section_id, include_deleted=True)
    if row["deleted_at"] is None:
        raise RuleViolation("That section is not deleted.")
    doc_id = row["document_id"]
    if row["parent_id"] is not None:
        parent = _row(ws, row["parent_id"], include_deleted=True)
        if parent["deletion_batch"] == row["deletion_batch"]:
            # Restoring a member alone would revive its whole batch at stale positions.
            raise RuleViolation(
                f"That section was deleted together with {parent['heading'] or 'its parent'!r}; "
                "restore that instead."
            )
    prepare_for_edit(ws, doc_id)
    _check_parent(ws, doc_id, parent_id)  # the parent must be live, and in this document
    ws.db.execute(
        "UPDATE sections SET deleted_at = NULL, deletion_batch = NULL WHERE deletion_batch = ?",
        [row["deletion_batch"]],
    )
    _place(ws, doc_id, parent_id, section_id, index)
    audit.record(
        ws,
        "section.restore",
        "section",
        section_id,
        document_id=doc_id,
        parent_id=parent_id,
        index=index,
    )


@concurrent_use_case
def edit_section(
    ws,
    section_id: int,
    *,
    heading: str | None = None,
    body: str | None = None,
    expected_hash: str | None = None,
) -> str:
    """Change heading and/or body; returns the content hash. Unchanged text writes nothing.

    `expected_hash` is the text the editor started from: when someone else has saved the
    section since, EditConflict says who and when, and nothing is written.

    Saves of different sections run side by side on a shared workspace: this one locks its
    section's row as it reads it (with its document's state, in one statement), and sends its
    text and what every save writes (the audit chain, the document's `updated_at`) with its
    COMMIT (`at_commit`), so saves queue only while the server appends and commits.
    """
    row = next(
        ws.db.query(
            "SELECT s.*, d.title AS document_title, d.status AS document_status, "
            "d.version AS document_version FROM sections s LEFT JOIN documents d "
            "ON d.id = s.document_id AND d.deleted_at IS NULL "
            "WHERE s.id = ? AND s.deleted_at IS NULL" + ws.db.dialect.for_update("s"),
            [section_id],
        ),
        None,
    )
    if row is None:
        raise NotFound(f"No section with id {section_id}.")
    new_heading = row["heading"] if heading is None else heading
    new_body = row["body"] if body is None else body
    _check_text(new_heading, new_body)
    new_hash = content_hash(new_heading, new_body)
    if new_hash == row["content_hash"]:
        return new_hash
    if expected_hash is not None and expected_hash != row["content_hash"]:
        raise EditConflict.since(ws, row, expected_hash, new_heading, new_body)
    if row["document_status"] is None:
        raise NotFound(f"No document with id {row['document_id']}.")
    refuse_if_published(row["document_title"], row["document_status"], row["document_version"])
    now = ws.now()
    # Its row is locked already: on a shared workspace the text goes with the COMMIT too.
    ws.db.at_commit(
        "UPDATE sections SET heading = ?, body = ?, content_hash = ?, updated_at = ?, "
        "changed_at = ? WHERE id = ?",
        [new_heading, new_body, new_hash, now, now, section_id],
    )
    details: dict = {
        "document_id": row["document_id"],
        "old_hash": row["content_hash"],
        "new_hash": new_hash,
    }
    if new_heading != row["heading"]:
        details["heading"] = new_heading
    audit.record(ws, "section.edit", "section", section_id, **details)
    touch(ws, row["document_id"])  # at commit on a shared workspace, as the audit entry is
    return new_hash


class EditConflict(RuleViolation):
    """Someone else saved the section after this editor opened it; both texts are kept here."""

    def __init__(self, message: str, *, section_id: int, by: str, at: str, base_hash: str,
                 theirs: tuple[str, str], their_hash: str, yours: tuple[str, str]):  # fmt: skip
        super().__init__(message)
        self.section_id = section_id
        self.by = by
        self.at = at
        self.base_hash = base_hash
        self.theirs = theirs
        self.their_hash = their_hash
        self.yours = yours

    @classmethod
    def since(cls, ws, row, base_hash: str, heading: str, body: str) -> EditConflict:
        last = next(
            ws.db.query(
                "SELECT actor, at FROM audit_log WHERE entity = 'section' AND entity_id = ? "
                "ORDER BY id DESC LIMIT 1",
                [row["id"]],
            ),
            None,
        )
        by = last["actor"] if last else "Someone"
        at = last["at"] if last else row["updated_at"]
        return cls(
            f"{by} changed this section {_when(at, ws.now())} since you opened it.",
            section_id=row["id"],
            by=by,
            at=at,
            base_hash=base_hash,
            theirs=(row["heading"], row["body"]),
            their_hash=row["content_hash"],
            yours=(heading, body),
        )


def _when(at: str, now: str) -> str:
    """'at 10:42' (local time), with the day when it was not today."""
    import datetime as dt

    try:
        then = dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone()
        today = dt.datetime.fromisoformat(now.replace("Z", "+00:00")).astimezone().date()
    except ValueError:
        return f"at {at}"
    if then.date() == today:
        return f"at {then:%H:%M}"
    return f"on {then:%d %b} at {then:%H:%M}"


def _write_equities(ws, section_id: int, org_ids: list[int]) -> None:
    ws.db.execute("DELETE FROM section_equities WHERE section_id = ?", [section_id])
    ws.db.executemany(
        "INSERT INTO section_equities (section_id, organization_id) VALUES (?, ?) "
        "ON CONFLICT DO NOTHING",
        [(section_id, o) for o in org_ids],
    )


@use_case
def set_equities(ws, section_id: int, codes) -> None:
    row = _row(ws, section_id)
    new_ids = organization_ids(ws, codes)
    old_ids = {
        r["organization_id"]
        for r in ws.db.query(
            "SELECT organization_id FROM section_equities WHERE section_id = ?", [section_id]
        )
    }
    if old_ids == set(new_ids):
        return
    old = section(ws, section_id).equities
    prepare_for_edit(ws, row["document_id"])
    _write_equities(ws, section_id, new_ids)
    new = section(ws, section_id).equities
    audit.record(
        ws,
        "section.equities",
        "section",
        section_id,
        document_id=row["document_id"],
        old=list(old),
        new=list(new),
    )


@use_case
def set_section_kind(ws, section_id: int, kind: str) -> None:
    if kind not in SECTION_KINDS:
        raise WorkbenchError(f"Unknown section kind {kind!r}.")
    row = _row(ws, section_id)
    if row["kind"] == kind:
        return
    prepare_for_edit(ws, row["document_id"])
    ws.db.execute("UPDATE sections SET kind = ? WHERE id = ?", [kind, section_id])
    audit.record(
        ws,
        "section.kind",
        "section",
        section_id,
        document_id=row["document_id"],
        old=row["kind"],
        new=kind,
    )
