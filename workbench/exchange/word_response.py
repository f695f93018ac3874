"""Importing a returned Word file: a preview per section, then its comments and changes as CRM rows.

The Word review copy says which workspace and request it was written for (custom document
properties) and wraps every section in a bookmark named for its section and revision, so a
comment or tracked change lands on the section and revision the reviewer read even after they
reordered or retitled. A Word file that did not come from us is placed by its headings, and
the analyst says which organization it speaks for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from workbench import audit
from workbench.coordination import requests as rq
from workbench.coordination.comments import (
    COMMENT_TYPES,
    CRITICAL_GROUNDS,
    comment_problem,
    next_item_no,
)
from workbench.directory import organization
from workbench.documents import document
from workbench.errors import NotFound
from workbench.exchange import provenance
from workbench.exchange.formats import ExchangeError, read_limited
from workbench.exchange.word_markup import (
    MAX_FILE_BYTES,
    Markup,
    ReturnedWord,
    clean,
    parse_returned_word,
)
from workbench.numbering import reference
from workbench.revisions import ensure_section_revision
from workbench.sections import MAX_BODY, outline
from workbench.word import hooks
from workbench.workspace import use_case

# The names the Word review copy writes.
PROPERTY_WORKSPACE = hooks.PROPERTY_WORKSPACE
PROPERTY_REQUEST = hooks.PROPERTY_REQUEST
PROPERTY_DOCUMENT = hooks.PROPERTY_DOCUMENT
# A reviewer's words are kept whole; no section can hold more than this, so no change can.
MAX_TEXT = MAX_BODY
DEFAULT_TYPE = "S"
_TYPE_WORDS = {"critical": "C", "substantive": "S", "administrative": "A"}
# "Critical:", "C:", "[S]", "(A)", "Critical (law):", "S -" at the start of a comment.
_MARKER = re.compile(
    r"^\s*(?:\[\s*(?P<b>[CSA])\s*\]|\(\s*(?P<p>[CSA])\s*\)|"
    r"(?P<w>critical|substantive|administrative|[CSA])\s*(?:\(\s*(?P<g>[a-z ]{2,20})\s*\))?"
    r"\s*[:\-–—])\s*",
    re.IGNORECASE,
)
_GROUND_WORDS = {
    "law": ("law", "statut", "legal", "u.s.c", "usc", "authority"),
    "policy": ("policy", "executive order", "directive"),
    "safety": ("safety", "risk", "life", "limb", "materiel"),
    "waste": ("waste", "appropriation", "funds", "abuse"),
    "burden": ("burden", "resource", "staffing", "workload"),
}
WHOLE_DOCUMENT = "The document as a whole (not placed in the text)"
_NUMBER_PREFIX = re.compile(r"^\s*(?:§\s*)?(?:\d+(?:\.\d+)*\.?|[A-Z]\.|Appendix [A-Z]\.?)\s+")


@dataclass(frozen=True)
class PreviewItem:
    index: int
    kind: str  # comment | insertion | deletion | replacement | move
    author: str
    date: str
    section_id: int | None  # None: could not be placed; about the document as a whole
    section_revision_id: int | None
    placed: bool  # False: could not be placed; attached to the document
    reference: str  # where it lands, as the analyst reads it
    type: str
    type_marked: bool  # False: no marker; the default was assumed (asked in the preview)
    critical_ground: str | None
    ground_assumed: bool
    comment: str
    quoted_passage: str
    proposed_wording: str
    location_detail: str
    replies: tuple = ()
    duplicate: bool = False  # already in the CRM: importing it again changes nothing

    @property
    def kind_label(self) -> str:
        return {
            "comment": "Comment",
            "insertion": "Insertion",
            "deletion": "Deletion",
            "replacement": "Replacement",
            "move": "Moved text",
        }[self.kind]


@dataclass(frozen=True)
class WordPreview:
    file_name: str
    digest: str
    document_id: int
    document_title: str
    organization: str
    request_id: int | None
    from_our_copy: bool  # the file names the request it answers
    items: tuple[PreviewItem, ...]
    already_imported: bool = False

    @property
    def new_items(self) -> tuple[PreviewItem, ...]:
        return tuple(i for i in self.items if not i.duplicate)

    @property
    def unplaced(self) -> tuple[PreviewItem, ...]:
        return tuple(i for i in self.items if not i.placed)

    def by_section(self) -> list[tuple[str, list[PreviewItem]]]:
        """(where, items) in the file's order; what could not be placed comes last."""
        groups: dict[str, list[PreviewItem]] = {}
        for i in sorted(self.items, key=lambda i: not i.placed):
            groups.setdefault(i.reference, []).append(i)
        return list(groups.items())

    def summary(self) -> str:
        comments = sum(1 for i in self.new_items if i.kind == "comment")
        changes = len(self.new_items) - comments
        text = (
            f"{self.file_name}: {comments} comment(s) and {changes} tracked change(s) from "
            f"{self.organization} on {self.document_title}"
        )
        if self.request_id is not None:
            text += f" (request {self.request_id})"
        text += "."
        if self.unplaced:
            text += f" {unplaced_words(len(self.unplaced))}"
        dup = len(self.items) - len(self.new_items)
        if dup:
            text += f" {dup} already imported."
        return text

    def report(self) -> str:
        """The preview as plain text, per section (the command line's --dry-run)."""
        lines = [self.summary()]
        for where, items in self.by_section():
            lines.append(f"{where}:")
            for i in items:
                mark = "" if i.type_marked else " (type assumed)"
                dup = " [already imported]" if i.duplicate else ""
                lines.append(
                    f"  {i.type}{mark} {i.kind_label.lower()} by {i.author or 'unknown'}: "
                    f"{_short(i.comment, 100)}{dup}"
                )
        return "\n".join(lines)


@dataclass(frozen=True)
class WordImportResult:
    preview: WordPreview
    comment_ids: tuple[int, ...]
    already_imported: bool = False

    def summary(self) -> str:
        p = self.preview
        if self.already_imported or not self.comment_ids:
            return f"{p.file_name} was already imported; nothing changed."
        text = (
            f"Imported {len(self.comment_ids)} comment(s) from {p.organization}'s Word file "
            f"{p.file_name} into the CRM of {p.document_title}."
        )
        if p.unplaced:
            text += f" {unplaced_words(len(p.unplaced))}"
        return text


def unplaced_words(n: int) -> str:
    if n == 1:
        return "1 could not be placed in the text and is kept as a comment on the whole document."
    return f"{n} could not be placed in the text and are kept as comments on the whole document."


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def read_returned_word(path: str | os.PathLike) -> tuple[bytes, ReturnedWord]:
    data = read_limited(path, MAX_FILE_BYTES, "Word file")
    return data, parse_returned_word(data)


def is_word_file(path: str | os.PathLike) -> bool:
    p = Path(path)
    if p.suffix.lower() == ".docx":
        return True
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return head[:4] == b"PK\x03\x04" and b"word/" in head


# -- which request, document and organization -------------------------------------------------
def _int(value: str | None) -> int | None:
    try:
        n = int(value or "")
    except ValueError:
        return None
    return n if 0 < n < 2**62 else None


def _resolve(ws, word: ReturnedWord, org_code: str | None, document_id: int | None):
    """(request or None, document id, organization code, from our copy)."""
    props = word.properties
    if props.get(PROPERTY_REQUEST) or props.get(PROPERTY_WORKSPACE):
        if props.get(PROPERTY_WORKSPACE) != ws.workspace_id:
            raise ExchangeError(
                "This Word file is a review copy from another workspace; import it there. "
                "Nothing was imported."
            )
        rid = _int(props.get(PROPERTY_REQUEST))
        if rid is None:
            raise ExchangeError("This Word file's request number is damaged; nothing imported.")
        try:
            req = rq.request(ws, rid)
        except NotFound:
            raise ExchangeError(
                f"This Word file answers review request {rid}, which this workspace does not "
                "have. Nothing was imported."
            ) from None
        named_doc = _int(props.get(PROPERTY_DOCUMENT))
        if named_doc is not None and named_doc != req.document_id:
            raise ExchangeError(
                f"This Word file names another document than review request {rid}; it was "
                "altered. Nothing was imported."
            )
        if req.stored_status == "withdrawn":
            raise ExchangeError(
                f"Review request {rid} to {req.organization} was recalled; its returned copy "
                "is not accepted."
            )
        if org_code and organization(ws, org_code).code != req.organization:
            raise ExchangeError(
                f"This Word file answers the request to {req.organization}; it cannot be "
                f"imported as {organization(ws, org_code).code}'s."
            )
        if document_id is not None and document_id != req.document_id:
            raise ExchangeError(
                f"This Word file answers a request on another document (request {rid})."
            )
        return req, req.document_id, req.organization, True
    if not org_code:
        raise ExchangeError(
            "This Word file did not come from CNE Workbench: say which organization it is "
            "from (--organization CODE)."
        )
    code = organization(ws, org_code).code
    doc_id = document_id if document_id is not None else _guess_document(ws, word)
    document(ws, doc_id)
    found = [r for r in rq.list_requests(ws, doc_id) if r.organization == code and r.is_open] or [
        r
        for r in rq.list_requests(ws, doc_id)
        if r.organization == code and r.stored_status != "withdrawn"
    ]
    return (found[-1] if found else None), doc_id, code, False


def _sections_seen(ws, word: ReturnedWord) -> list[tuple[int, str]]:
    """(section id, content hash of the revision its bookmark names) for every marked section."""
    named = {(m.section_id, m.revision_id) for m in word.items if m.section_id is not None}
    revisions = {r for _, r in named if r is not None}
    marks = ",".join("?" * len(revisions)) or "NULL"
    hashes = {
        (r["section_id"], r["id"]): r["content_hash"]
        for r in ws.db.query(
            f"SELECT id, section_id, content_hash FROM section_revisions WHERE id IN ({marks})",
            sorted(revisions),
        )
    }
    # A revision that is not that section's (or not in this workspace) hashes to nothing.
    return [(sid, hashes.get((sid, rev), "")) for sid, rev in sorted(named, key=str)]


def _dates(word: ReturnedWord) -> list[str]:
    """Every date the file gives its comments, changes and replies."""
    dates = [m.date for m in word.items if m.date]
    dates += [r.date for m in word.items for r in m.replies if r.date]
    return dates


def _norm_heading(text: str) -> str:
    return clean(_NUMBER_PREFIX.sub("", text or "")).casefold()


def _guess_document(ws, word: ReturnedWord) -> int:
    wanted = {_norm_heading(h) for h in word.headings if h}
    best, best_score = None, 0
    for row in ws.db.query("SELECT id FROM documents WHERE deleted_at IS NULL ORDER BY id"):
        score = sum(1 for e in outline(ws, row["id"]) if _norm_heading(e.heading) in wanted)
        if score > best_score:
            best, best_score = row["id"], score
    if best is None:
        raise ExchangeError(
            "None of this Word file's headings match a document in this workspace: say which "
            "document it comments on (--document)."
        )
    return best


# -- the preview --------------------------------------------------------------------------------
def _marker(text: str) -> tuple[str | None, str | None, str]:
    """(type or None, ground word or None, the text without the marker)."""
    m = _MARKER.match(text)
    if not m:
        return None, None, text
    letter = m.group("b") or m.group("p") or m.group("w")
    kind = _TYPE_WORDS.get(letter.lower(), letter.upper())
    rest = text[m.end() :]
    if not rest.strip():
        return None, None, text
    return kind, m.group("g"), rest


def _ground(hint: str | None, text: str) -> tuple[str, bool]:
    """A Critical comment's ground: named in the marker, else found in its words, else assumed."""
    for source in (hint or "", text):
        low = source.lower()
        if low.strip() in CRITICAL_GROUNDS:
            return low.strip(), False
        for ground, words in _GROUND_WORDS.items():
            if any(w in low for w in words):
                return ground, False
    return "policy", True


def _change_text(m: Markup) -> str:
    if m.kind == "insertion":
        return f"Insert “{m.inserted}”."
    if m.kind == "deletion":
        return f"Delete “{m.deleted}”."
    if m.kind == "replacement":
        return f"Replace “{m.deleted}” with “{m.inserted}”."
    return f"Move “{_short(m.inserted, 200)}” here ({m.where})."


def build_preview(
    ws,
    path: str | os.PathLike,
    *,
    organization_code: str | None = None,
    document_id: int | None = None,
    parsed: tuple[bytes, ReturnedWord] | None = None,
) -> WordPreview:
    """What importing this file would add, per section; writes nothing."""
    p = Path(path)
    data, word = parsed or read_returned_word(p)
    req, doc_id, code, ours = _resolve(ws, word, organization_code, document_id)
    if ours and req is not None:
        # A copy that claims a request is held to what CNE sent in it, as a response file is.
        provenance.check_claims(
            ws, req, seen=_sections_seen(ws, word), dates=_dates(word), what="Word file"
        )
    doc = document(ws, doc_id)
    entries = outline(ws, doc_id)
    if not entries:
        raise ExchangeError(f"{doc.title} has no sections to attach comments to.")
    live = {e.id: e for e in entries}
    by_heading: dict[str, int] = {}
    for e in entries:
        by_heading.setdefault(_norm_heading(e.heading), e.id)
    pinned = {s.section_id: s.section_revision_id for s in req.sections} if req else {}
    revisions = _revisions_of(ws, doc_id)
    existing = _existing(ws, doc_id, code)
    items = []
    for n, m in enumerate(word.items):
        sid = m.section_id if m.section_id in live else None
        if sid is None and not ours:
            sid = by_heading.get(_norm_heading(m.heading))
        placed = sid is not None
        rev = None
        if sid is not None:
            rev = m.revision_id if (sid, m.revision_id) in revisions else pinned.get(sid)
        if m.kind == "comment":
            kind, ground_hint, text = _marker(m.text)
            text = clean(text) or "(empty comment)"
        else:
            kind, ground_hint, text = None, None, _change_text(m)
        marked = kind is not None
        kind = kind or DEFAULT_TYPE
        ground, assumed = (None, False)
        if kind == "C":
            ground, assumed = _ground(ground_hint, text)
        detail = _detail(m, placed, live)
        item = PreviewItem(
            n,
            m.kind,
            clean(m.author)[:500] or "Unknown reviewer",
            m.date,
            sid,
            rev,
            placed,
            _reference(live[sid]) if sid is not None else WHOLE_DOCUMENT,
            kind,
            marked,
            ground,
            assumed,
            _whole(text, n),
            _whole(m.passage, n),
            _whole(m.proposed, n) if m.kind != "comment" else "",
            detail,
            m.replies,
        )
        items.append(replace(item, duplicate=_key(item) in existing))
    digest = hashlib.sha256(data).hexdigest()
    return WordPreview(
        p.name, digest, doc_id, doc.title, code, req.id if req else None, ours, tuple(items)
    )


def _whole(text: str, n: int) -> str:
    """The text as the reviewer wrote it; never cut (one more than a section holds is refused)."""
    if len(text) > MAX_TEXT:
        raise ExchangeError(
            f"Item {n + 1} of the Word file is {len(text):,} characters long, more than a "
            f"section can hold ({MAX_TEXT:,}); nothing was imported."
        )
    return text


def _reference(e) -> str:
    return f"{reference(e.number)} {e.heading}".strip()


def _detail(m: Markup, placed: bool, live: dict) -> str:
    parts = []
    if not placed:
        where = f"under “{m.heading}”" if m.heading else "outside the sections sent"
        parts.append(f"Not placed in the text ({where}); about the document as a whole")
    if m.kind != "comment":
        parts.append(f"Tracked {m.kind} in the Word file")
    else:
        parts.append("Word comment")
    if m.where and m.kind != "move":
        parts.append(f"on a {m.where}")
    if m.end_section_id is not None and m.kind == "comment":
        end = live.get(m.end_section_id)
        end_name = _reference(end) if end else f"“{m.end_heading}”" if m.end_heading else "on"
        parts.append(f"spans to {end_name}")
    return "; ".join(parts)[:1000]


def _key(item: PreviewItem) -> tuple:
    return (item.section_id, item.author, item.comment, item.quoted_passage)


def _existing(ws, doc_id: int, code: str) -> set[tuple]:
    return {
        (r["section_id"], r["reviewer_name"], r["comment"], r["quoted_passage"])
        for r in ws.db.query(
            "SELECT c.section_id, c.reviewer_name, c.comment, c.quoted_passage FROM comments c "
            "JOIN organizations o ON o.id = c.organization_id "
            "WHERE c.document_id = ? AND o.code = ?",
            [doc_id, code],
        )
    }


def _revisions_of(ws, doc_id: int) -> set[tuple[int, int]]:
    return {
        (r["section_id"], r["id"])
        for r in ws.db.query(
            "SELECT v.id, v.section_id FROM section_revisions v JOIN sections s "
            "ON s.id = v.section_id WHERE s.document_id = ?",
            [doc_id],
        )
    }


def _day(date: str, fallback: dt.date) -> str:
    try:
        return dt.datetime.fromisoformat(date.replace("Z", "+00:00")).date().isoformat()
    except (ValueError, AttributeError):
        return fallback.isoformat()


# -- the import ---------------------------------------------------------------------------------
@use_case
def import_word_response(
    ws,
    path: str | os.PathLike,
    *,
    organization_code: str | None = None,
    document_id: int | None = None,
    types: dict[int, str] | None = None,
    grounds: dict[int, str] | None = None,
) -> WordImportResult:
    """Every comment and tracked change of a returned Word file as CRM comments, in one
    transaction; what is already in the CRM is not added again. `types` and `grounds` are the
    analyst's answers in the preview, by item index."""
    preview = build_preview(ws, path, organization_code=organization_code, document_id=document_id)
    types, grounds = types or {}, grounds or {}
    items = []
    for i in preview.new_items:
        kind = types.get(i.index, i.type)
        if kind not in COMMENT_TYPES:
            raise ExchangeError(f"A comment's type is C, S or A, not {kind!r}.")
        ground = grounds.get(i.index, i.critical_ground) if kind == "C" else None
        if kind == "C" and ground not in CRITICAL_GROUNDS:
            ground = _ground(None, i.comment)[0]
        problem = comment_problem(kind, i.comment, ground)
        if problem:
            raise ExchangeError(f"Item {i.index + 1} ({i.reference}): {problem}")
        items.append((i, kind, ground))
    if not items:
        return WordImportResult(preview, (), already_imported=True)
    org_id = organization(ws, preview.organization).id
    first = next_item_no(ws, preview.document_id)
    now, today = ws.now(), ws.today()
    revision: dict[int, int] = {}  # section id -> the revision its comments cite
    rows = []
    for n, (i, kind, ground) in enumerate(items):
        rev = i.section_revision_id
        if rev is None and i.section_id is not None:
            rev = revision.get(i.section_id) or ensure_section_revision(ws, i.section_id)
            revision[i.section_id] = rev
        rows.append(
            (
                preview.document_id,
                first + n,
                preview.request_id,
                org_id,
                i.author,
                "",
                _day(i.date, today),
                kind,
                i.section_id,
                rev,
                i.location_detail,
                i.quoted_passage,
                i.comment,
                "",
                ground,
                i.proposed_wording,
                now,
                ws.actor,
            )
        )
    ws.db.executemany(
        "INSERT INTO comments (document_id, item_no, request_id, organization_id, reviewer_name, "
        "reviewer_title, response_date, type, section_id, section_revision_id, location_detail, "
        "quoted_passage, comment, rationale, critical_ground, proposed_wording, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    ids = {
        r["item_no"]: r["id"]
        for r in ws.db.query(
            "SELECT id, item_no FROM comments WHERE document_id = ? AND item_no >= ?",
            [preview.document_id, first],
        )
    }
    comment_ids = tuple(ids[first + n] for n in range(len(items)))
    replies = [
        (
            comment_ids[n],
            clean(r.author)[:500] or "Unknown reviewer",
            r.date or now,
            r.text,
        )
        for n, (i, _, _) in enumerate(items)
        for r in i.replies
        if r.text.strip()
    ]
    ws.db.executemany(
        "INSERT INTO comment_replies (comment_id, author, at, text) VALUES (?, ?, ?, ?)", replies
    )
    if preview.request_id is not None:
        rq.mark_returned(ws, preview.request_id)
    audit.record(
        ws,
        "exchange.word_import",
        "document",
        preview.document_id,
        file=preview.file_name[:500],
        digest=preview.digest,
        organization=preview.organization,
        request_id=preview.request_id,
        comments=sum(1 for i, _, _ in items if i.kind == "comment"),
        changes=sum(1 for i, _, _ in items if i.kind != "comment"),
        unplaced=sum(1 for i, _, _ in items if not i.placed),
        replies=len(replies),
        item_numbers=[first, first + len(items) - 1],
        types_chosen=len(types),
    )
    return WordImportResult(preview, comment_ids)
