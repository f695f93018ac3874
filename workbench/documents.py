"""Documents: create, rename, update, delete, list, and find by id or title fragment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from workbench import audit
from workbench.directory import organization
from workbench.errors import NotFound, RuleViolation, WorkbenchError
from workbench.workspace import use_case

DOCUMENT_KINDS = {
    "strategy": "Strategy",
    "doctrine": "Doctrine",
    "directive": "Directive",
    "sop": "SOP",
    "report_to_congress": "Report to Congress",
    "study": "Study / contract",
    "implementation_plan": "Implementation plan",
}
STATUSES = {"draft": "Draft", "in_coordination": "In coordination", "published": "Published"}
DEFAULT_MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
MAX_TITLE = 500


@dataclass(frozen=True)
class Document:
    id: int
    kind: str
    title: str
    marking: str
    status: str
    version: int
    lead: str | None
    co_lead: str | None
    due_date: str | None
    created_at: str
    updated_at: str
    section_count: int = 0

    @property
    def kind_label(self) -> str:
        return DOCUMENT_KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]


_SELECT = """
SELECT d.*, l.code AS lead_code, c.code AS co_lead_code,
       (SELECT count(*) FROM sections s
         WHERE s.document_id = d.id AND s.deleted_at IS NULL) AS section_count
FROM documents d
LEFT JOIN organizations l ON l.id = d.lead_org_id
LEFT JOIN organizations c ON c.id = d.co_lead_org_id
"""


def _doc(r) -> Document:
    return Document(
        r["id"],
        r["kind"],
        r["title"],
        r["marking"],
        r["status"],
        r["version"],
        r["lead_code"],
        r["co_lead_code"],
        r["due_date"],
        r["created_at"],
        r["updated_at"],
        r["section_count"],
    )


# Counting every document's sections in one pass over the live-sections index, rather than
# one correlated count per document.
_SELECT_ALL = """
SELECT d.*, l.code AS lead_code, c.code AS co_lead_code,
       coalesce(n.section_count, 0) AS section_count
FROM documents d
LEFT JOIN organizations l ON l.id = d.lead_org_id
LEFT JOIN organizations c ON c.id = d.co_lead_org_id
LEFT JOIN (SELECT document_id, count(*) AS section_count FROM sections
           WHERE deleted_at IS NULL GROUP BY document_id) n ON n.document_id = d.id
"""


def list_documents(ws) -> list[Document]:
    return [
        _doc(r)
        for r in ws.db.query(
            _SELECT_ALL + " WHERE d.deleted_at IS NULL ORDER BY d.title COLLATE NOCASE"
        )
    ]


class DocumentRow(NamedTuple):
    """What a list of every document shows of each: no leads, dates or section counts."""

    id: int
    kind: str
    title: str
    marking: str
    status: str
    version: int


def document_rows(ws) -> list[DocumentRow]:
    """Every live document in title order, as `list_documents` orders them, read as plain
    rows: the outline lists thousands and shows only these fields."""
    return list(
        map(
            DocumentRow._make,
            ws.db.execute(
                "SELECT id, kind, title, marking, status, version FROM documents "
                "WHERE deleted_at IS NULL ORDER BY title COLLATE NOCASE, id"
            ).fetchall(),
        )
    )


def document(ws, doc_id: int) -> Document:
    # Remembered until the file changes: one gate asks for its document four times, and the
    # section count behind it is a scan of the document's sections.
    return ws.cached(("document", doc_id), lambda: _read_document(ws, doc_id))


def _read_document(ws, doc_id: int) -> Document:
    row = next(ws.db.query(_SELECT + " WHERE d.id = ? AND d.deleted_at IS NULL", [doc_id]), None)
    if row is None:
        raise NotFound(f"No document with id {doc_id}.")
    return _doc(row)


def find_document(ws, ref: str | int) -> Document:
    """A document named by its id or by a fragment of its title that matches only one."""
    text = str(ref).strip()
    if not text:
        raise WorkbenchError("Name a document by its id or a fragment of its title.")
    if text.isdigit():
        try:
            return document(ws, int(text))
        except NotFound:
            pass
    needle = text.casefold()
    docs = list_documents(ws)
    exact = [d for d in docs if d.title.casefold() == needle]
    if len(exact) == 1:
        return exact[0]
    matches = [d for d in docs if needle in d.title.casefold()]
    if not matches:
        raise NotFound(f"No document matches {text!r}.")
    if len(matches) > 1:
        names = "; ".join(f"{d.id}: {d.title}" for d in matches[:5])
        raise WorkbenchError(
            f"{text!r} matches {len(matches)} documents ({names}); use the id or a longer fragment."
        )
    return matches[0]


def _check_kind(kind: str) -> None:
    if kind not in DOCUMENT_KINDS:
        raise WorkbenchError(
            f"Unknown document kind {kind!r}; choose one of {', '.join(DOCUMENT_KINDS)}."
        )


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise WorkbenchError("A document needs a title.")
    if len(title) > MAX_TITLE:
        raise WorkbenchError(f"A title may be at most {MAX_TITLE} characters.")
    return title


def _check_date(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise WorkbenchError(f"{value!r} is not a date (use YYYY-MM-DD).") from None


def _org_id(ws, code):
    return organization(ws, code).id if code else None


@use_case
def create_document(
    ws,
    kind: str,
    title: str,
    *,
    marking: str = DEFAULT_MARKING,
    lead: str | None = "CNE",
    co_lead: str | None = None,
    due_date: str | None = None,
) -> int:
    _check_kind(kind)
    title = _check_title(title)
    marking = " ".join(marking.split()) or DEFAULT_MARKING
    now = ws.now()
    cur = ws.db.execute(
        "INSERT INTO documents (kind, title, marking, lead_org_id, co_lead_org_id, due_date, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            kind,
            title,
            marking,
            _org_id(ws, lead),
            _org_id(ws, co_lead),
            _check_date(due_date),
            now,
            now,
        ],
    )
    audit.record(
        ws, "document.create", "document", cur.lastrowid, kind=kind, title=title, marking=marking
    )
    return cur.lastrowid


@use_case
def rename_document(ws, doc_id: int, title: str) -> None:
    old = document(ws, doc_id)
    title = _check_title(title)
    if title == old.title:
        return
    ws.db.execute(
        "UPDATE documents SET title = ?, updated_at = ? WHERE id = ?", [title, ws.now(), doc_id]
    )
    audit.record(ws, "document.rename", "document", doc_id, old=old.title, new=title)


_UNSET = object()


@use_case
def update_document(
    ws, doc_id: int, *, kind=_UNSET, marking=_UNSET, lead=_UNSET, co_lead=_UNSET, due_date=_UNSET
) -> None:
    document(ws, doc_id)
    changes: dict = {}
    if kind is not _UNSET:
        _check_kind(kind)
        changes["kind"] = kind
    if marking is not _UNSET:
        marking = " ".join(str(marking).split())
        if not marking:
            raise WorkbenchError("A document must carry a handling marking.")
        changes["marking"] = marking
    if lead is not _UNSET:
        changes["lead_org_id"] = _org_id(ws, lead)
    if co_lead is not _UNSET:
        changes["co_lead_org_id"] = _org_id(ws, co_lead)
    if due_date is not _UNSET:
        changes["due_date"] = _check_date(due_date)
    if not changes:
        return
    sets = ", ".join(f"{k} = ?" for k in changes)
    ws.db.execute(
        f"UPDATE documents SET {sets}, updated_at = ? WHERE id = ?",
        [*changes.values(), ws.now(), doc_id],
    )
    audit.record(ws, "document.update", "document", doc_id, **changes)


@use_case
def delete_document(ws, doc_id: int) -> None:
    doc = document(ws, doc_id)
    ws.db.execute("UPDATE documents SET deleted_at = ? WHERE id = ?", [ws.now(), doc_id])
    audit.record(ws, "document.delete", "document", doc_id, title=doc.title)


@use_case
def restore_document(ws, doc_id: int) -> None:
    row = next(
        ws.db.query(
            "SELECT title FROM documents WHERE id = ? AND deleted_at IS NOT NULL", [doc_id]
        ),
        None,
    )
    if row is None:
        raise NotFound(f"No deleted document with id {doc_id}.")
    ws.db.execute("UPDATE documents SET deleted_at = NULL WHERE id = ?", [doc_id])
    audit.record(ws, "document.restore", "document", doc_id, title=row["title"])


# The lifecycle, in one place: which status may follow which, and by what.
_STATUS_MOVES = {
    ("draft", "in_coordination"),  # the first review request is sent
    ("in_coordination", "published"),  # the Director publishes
    ("draft", "published"),  # published where no coordination was required
    ("published", "draft"),  # the next version is started
}


def set_status(ws, doc_id: int, status: str, *, new_version: bool = False) -> bool:
    """Move a document along its lifecycle, inside the caller's use-case. The only writer of
    documents.status; returns False (and changes nothing) when it is already past that point."""
    if status not in STATUSES:
        raise ValueError(f"unknown document status {status!r}")
    current = document(ws, doc_id).status
    if current == status:
        return False
    if (current, status) not in _STATUS_MOVES:
        if status == "in_coordination":
            return False  # a request for a published version leaves it published
        raise RuleViolation(
            f"A document that is {STATUSES[current].lower()} cannot become "
            f"{STATUSES[status].lower()} directly."
        )
    bump = ", version = version + 1" if new_version else ""
    ws.db.execute(
        f"UPDATE documents SET status = ?, updated_at = ?{bump} WHERE id = ?",
        [status, ws.now(), doc_id],
    )
    return True


def prepare_for_edit(ws, doc_id: int) -> None:
    """Mark the document about to change; refused while its current version is published."""
    refuse_published(ws, doc_id)
    touch(ws, doc_id)


def refuse_published(ws, doc_id: int) -> None:
    """RuleViolation when the document's current version is published, NotFound when it is gone.

    A published version is read-only: editing starts only with an explicit
    `start_next_version`, so no keystroke, paste or undo turns it back into a draft.
    """
    row = next(
        ws.db.query(
            "SELECT title, status, version FROM documents WHERE id = ? AND deleted_at IS NULL",
            [doc_id],
        ),
        None,
    )
    if row is None:
        raise NotFound(f"No document with id {doc_id}.")
    refuse_if_published(row["title"], row["status"], row["version"])


def refuse_if_published(title: str, status: str, version: int) -> None:
    """RuleViolation when a document in this state may not change (see refuse_published)."""
    if status == "published":
        raise RuleViolation(
            f"Version {version} of {title} is published and cannot be changed; "
            f"start version {version + 1} to edit it (Document → Start Version {version + 1})."
        )


def touch(ws, doc_id: int) -> None:
    """The document changed now (its `updated_at`); every edit of it writes this row, so a
    text save on a shared workspace writes it as it commits (`at_commit`)."""
    ws.db.at_commit("UPDATE documents SET updated_at = ? WHERE id = ?", [ws.now(), doc_id])


@use_case
def start_next_version(ws, doc_id: int) -> Document:
    """Start the next draft of a published document; the published version stays frozen."""
    doc = document(ws, doc_id)
    if doc.status != "published":
        raise RuleViolation(
            f"{doc.title} is not published: version {doc.version} is the draft being edited."
        )
    set_status(ws, doc_id, "draft", new_version=True)
    audit.record(
        ws,
        "document.new_version",
        "document",
        doc_id,
        version=doc.version + 1,
        after_published=doc.version,
    )
    return document(ws, doc_id)


def require_status(doc: Document, *allowed: str) -> None:
    if doc.status not in allowed:
        raise RuleViolation(f"{doc.title} is {doc.status_label.lower()}.")
