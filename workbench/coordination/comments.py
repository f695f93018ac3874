"""The comment resolution matrix: comments, dispositions, replies, and applying proposed wording."""

from __future__ import annotations

from dataclasses import dataclass

from workbench import audit, sections
from workbench.coordination.sequence import next_seq
from workbench.diffing import ParagraphDiff, diff_text
from workbench.directory import organization
from workbench.documents import document
from workbench.errors import NotFound, RuleViolation, WorkbenchError
from workbench.passages import find_passage, keep_citations
from workbench.revisions import ensure_section_revision, section_revision
from workbench.undo import Command
from workbench.workspace import use_case

COMMENT_TYPES = {"C": "Critical", "S": "Substantive", "A": "Administrative"}
CRITICAL_GROUNDS = {
    "law": "Violation of law",
    "policy": "Contradiction of Executive Branch or Department policy",
    "safety": "Unnecessary risk to safety, life, limb or materiel",
    "waste": "Waste or abuse of appropriations",
    "burden": "Unreasonable burden on a component's resources",
}
DISPOSITIONS = {
    "accepted": "Accepted",
    "accepted_with_modification": "Accepted with modification",
    "rejected": "Rejected",
}
ACCEPTING = ("accepted", "accepted_with_modification")
MAX_FIELD = 100_000


@dataclass(frozen=True)
class Reply:
    id: int
    author: str
    at: str
    text: str


@dataclass(frozen=True)
class Comment:
    id: int
    document_id: int
    item_no: int
    request_id: int | None
    organization: str
    organization_id: int
    reviewer_name: str
    reviewer_title: str
    response_date: str
    type: str
    section_id: int | None  # None: about the document as a whole (no section)
    section_number: str
    section_revision_id: int | None
    location_detail: str
    quoted_passage: str
    comment: str
    rationale: str
    critical_ground: str | None
    proposed_wording: str
    disposition: str | None
    disposition_rationale: str
    disposition_by: str | None
    disposition_at: str | None
    wording_applied_at: str | None
    created_at: str
    made_on_hash: str | None
    section_hash: str | None  # None for a comment about the whole document
    replies: tuple[Reply, ...] = ()

    @property
    def type_label(self) -> str:
        return COMMENT_TYPES[self.type]

    @property
    def disposition_label(self) -> str:
        return DISPOSITIONS.get(self.disposition or "", "")

    @property
    def critical_ground_label(self) -> str:
        return CRITICAL_GROUNDS.get(self.critical_ground or "", "")

    @property
    def is_open(self) -> bool:
        return self.disposition is None

    @property
    def on_earlier_revision(self) -> bool:
        """The section has changed since the reviewer read it."""
        return (
            self.section_hash is not None
            and self.made_on_hash is not None
            and self.made_on_hash != self.section_hash
        )

    @property
    def about_document(self) -> bool:
        """About the document as a whole, not one section (a Word comment outside them all)."""
        return self.section_id is None

    @property
    def reference(self) -> str:
        return location_reference(self.section_id, self.section_number)

    @property
    def location(self) -> str:
        """The CRM's Location cell: the section number, or "Document"."""
        return DOCUMENT_LOCATION if self.section_id is None else self.section_number


DOCUMENT_LOCATION = "Document"


def location_reference(section_id: int | None, number: str) -> str:
    """How a message names where a comment stands: "§2.1", "the document as a whole"."""
    from workbench.numbering import reference

    if section_id is None:
        return "the document as a whole"
    return reference(number) if number else "a deleted section"


_SELECT = """
SELECT c.*, o.code, r.content_hash AS made_on_hash, s.content_hash AS section_hash
FROM comments c
JOIN organizations o ON o.id = c.organization_id
LEFT JOIN sections s ON s.id = c.section_id
LEFT JOIN section_revisions r ON r.id = c.section_revision_id
"""


def _load(ws, document_id: int, where: str = "", params=()) -> list[Comment]:
    numbers = sections.section_numbers(ws, document_id)
    rows = list(
        ws.db.query(
            _SELECT
            + " WHERE c.document_id = ? AND c.superseded_by_id IS NULL"
            + where
            + " ORDER BY c.item_no",
            [document_id, *params],
        )
    )
    replies: dict[int, list[Reply]] = {}
    if rows:
        for r in ws.db.query(
            "SELECT p.* FROM comment_replies p JOIN comments c ON c.id = p.comment_id "
            "WHERE c.document_id = ? ORDER BY p.id",
            [document_id],
        ):
            replies.setdefault(r["comment_id"], []).append(
                Reply(r["id"], r["author"], r["at"], r["text"])
            )
    return [
        Comment(
            r["id"],
            r["document_id"],
            r["item_no"],
            r["request_id"],
            r["code"],
            r["organization_id"],
            r["reviewer_name"],
            r["reviewer_title"],
            r["response_date"],
            r["type"],
            r["section_id"],
            numbers.get(r["section_id"], "") if r["section_id"] is not None else "",
            r["section_revision_id"],
            r["location_detail"],
            r["quoted_passage"],
            r["comment"],
            r["rationale"],
            r["critical_ground"],
            r["proposed_wording"],
            r["disposition"],
            r["disposition_rationale"],
            r["disposition_by"],
            r["disposition_at"],
            r["wording_applied_at"],
            r["created_at"],
            r["made_on_hash"],
            r["section_hash"],
            tuple(replies.get(r["id"], ())),
        )
        for r in rows
    ]


def list_comments(
    ws,
    document_id: int,
    *,
    section_id: int | None = None,
    open_only: bool = False,
    types=None,
    organization_code: str | None = None,
) -> list[Comment]:
    where = ""
    params: list[object] = []
    if section_id is not None:
        where += " AND c.section_id = ?"
        params.append(section_id)
    if open_only:
        where += " AND c.disposition IS NULL"
    if types:
        where += f" AND c.type IN ({','.join('?' * len(types))})"
        params.extend(types)
    if organization_code:
        where += " AND o.code = ?"
        params.append(organization_code)
    return _load(ws, document_id, where, params)


def comment(ws, comment_id: int) -> Comment:
    row = next(ws.db.query("SELECT document_id FROM comments WHERE id = ?", [comment_id]), None)
    if row is None:
        raise NotFound(f"No comment {comment_id}.")
    found = _load(ws, row["document_id"], " AND c.id = ?", [comment_id])
    if not found:
        raise NotFound(f"Comment {comment_id} was superseded by a newer response.")
    return found[0]


def _clean(value: str, what: str) -> str:
    value = (value or "").replace("\x00", "")
    if len(value) > MAX_FIELD:
        raise WorkbenchError(f"The {what} is too long (at most {MAX_FIELD:,} characters).")
    return value.strip()


CRITICAL_GROUND_RULE = (
    "a Critical comment must cite its ground: violation of law; contradiction of Executive "
    "Branch or Department policy; unnecessary risk to safety, life, limb or materiel; waste or "
    "abuse of appropriations; or unreasonable burden on a component's resources."
)


def comment_problems(
    type: str | None, comment_text: str, critical_ground: str | None
) -> list[tuple[str, str]]:
    """What is wrong with a comment as a reviewer filled it in, as (field, message) pairs.

    The one statement of the rule: the core, review mode, the workbook import and the dialogs
    all ask it (the field lets a workbook name the cell).
    """
    found = []
    if type not in COMMENT_TYPES:
        found.append(("type", "choose C, S or A (Critical, Substantive, Administrative)"))
    if not (comment_text or "").strip():
        found.append(("comment", "say what is wrong in the Comment: a comment needs text"))
    if type == "C" and critical_ground not in CRITICAL_GROUNDS:
        found.append(("critical_ground", CRITICAL_GROUND_RULE))
    return found


def comment_problem(type: str | None, comment_text: str, critical_ground: str | None) -> str:
    """The first problem as a sentence, or "" when the comment may be filed."""
    found = comment_problems(type, comment_text, critical_ground)
    if not found:
        return ""
    text = found[0][1]
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def next_item_no(ws, document_id: int) -> int:
    row = next(
        ws.db.query("SELECT max(item_no) AS n FROM comments WHERE document_id = ?", [document_id])
    )
    return (row["n"] or 0) + 1


@use_case
def add_comment(
    ws,
    document_id: int,
    *,
    organization_code: str,
    type: str,
    section_id: int | None,
    comment_text: str,
    rationale: str = "",
    critical_ground: str | None = None,
    proposed_wording: str = "",
    quoted_passage: str = "",
    location_detail: str = "",
    reviewer_name: str = "",
    reviewer_title: str = "",
    response_date: str | None = None,
    request_id: int | None = None,
    section_revision_id: int | None = None,
) -> int:
    """One CRM row. The revision is the one the reviewer read: the request's, else the current.
    `section_id` None: a comment about the document as a whole (it cites no revision)."""
    document(ws, document_id)
    org = organization(ws, organization_code)
    comment_text = _clean(comment_text, "comment")
    problem = comment_problem(type, comment_text, critical_ground)
    if problem:
        raise WorkbenchError(problem)
    if type != "C":
        critical_ground = None
    if section_id is None:
        section_revision_id = None
    else:
        section_revision_id = _revision_read(
            ws, document_id, section_id, request_id, section_revision_id
        )
    item_no = next_item_no(ws, document_id)
    cur = ws.db.execute(
        "INSERT INTO comments (document_id, item_no, request_id, organization_id, reviewer_name, "
        "reviewer_title, response_date, type, section_id, section_revision_id, location_detail, "
        "quoted_passage, comment, rationale, critical_ground, proposed_wording, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            item_no,
            request_id,
            org.id,
            _clean(reviewer_name, "name"),
            _clean(reviewer_title, "title"),
            response_date or ws.today().isoformat(),
            type,
            section_id,
            section_revision_id,
            _clean(location_detail, "location"),
            _clean(quoted_passage, "quoted passage"),
            comment_text,
            _clean(rationale, "rationale"),
            critical_ground,
            _clean(proposed_wording, "proposed wording"),
            ws.now(),
            ws.actor,
        ],
    )
    stored = next(ws.db.query("SELECT * FROM comments WHERE id = ?", [cur.lastrowid]))
    audit.record(
        ws,
        "comment.add",
        "comment",
        cur.lastrowid,
        document_id=document_id,
        item_no=item_no,
        organization=org.code,
        type=type,
        section_id=section_id,
        text_sha256=audit.comment_digest(stored),
    )
    return cur.lastrowid


def _revision_read(
    ws, document_id: int, section_id: int, request_id: int | None, revision_id: int | None
) -> int:
    row = next(ws.db.query("SELECT document_id FROM sections WHERE id = ?", [section_id]), None)
    if row is None or row["document_id"] != document_id:
        raise NotFound(f"Section {section_id} is not in this document.")
    if revision_id is None and request_id is not None:
        pinned = next(
            ws.db.query(
                "SELECT section_revision_id FROM review_request_sections "
                "WHERE request_id = ? AND section_id = ?",
                [request_id, section_id],
            ),
            None,
        )
        revision_id = pinned["section_revision_id"] if pinned else None
    return revision_id if revision_id is not None else ensure_section_revision(ws, section_id)


@use_case
def adjudicate_comment(ws, comment_id: int, disposition: str, rationale: str = "") -> None:
    c = comment(ws, comment_id)
    if disposition not in DISPOSITIONS:
        raise WorkbenchError(f"A disposition is one of {', '.join(DISPOSITIONS.values())}.")
    rationale = _clean(rationale, "rationale")
    if disposition != "accepted" and not rationale:
        raise WorkbenchError(f"{DISPOSITIONS[disposition]} needs a rationale for the reviewer.")
    ws.db.execute(
        "UPDATE comments SET disposition = ?, disposition_rationale = ?, disposition_by = ?, "
        "disposition_at = ?, disposition_seq = ? WHERE id = ?",
        [disposition, rationale, ws.actor, ws.now(), next_seq(ws), comment_id],
    )
    audit.record(
        ws,
        "comment.adjudicate",
        "comment",
        comment_id,
        document_id=c.document_id,
        item_no=c.item_no,
        organization=c.organization,
        disposition=disposition,
        previous=c.disposition,
        rationale=rationale,
    )
    if c.type == "C":
        from workbench.coordination.positions import note_clearance

        note_clearance(ws, c.document_id, c.organization_id)


@use_case
def reopen_comment(ws, comment_id: int) -> None:
    """Take back a disposition (e.g. to undo an acceptance)."""
    c = comment(ws, comment_id)
    ws.db.execute(
        "UPDATE comments SET disposition = NULL, disposition_rationale = '', "
        "disposition_by = NULL, disposition_at = NULL, disposition_seq = NULL WHERE id = ?",
        [comment_id],
    )
    audit.record(
        ws,
        "comment.reopen",
        "comment",
        comment_id,
        document_id=c.document_id,
        item_no=c.item_no,
        previous=c.disposition,
    )


@use_case
def add_reply(ws, comment_id: int, text: str) -> int:
    c = comment(ws, comment_id)
    text = _clean(text, "reply")
    if not text:
        raise WorkbenchError("A reply needs text.")
    cur = ws.db.execute(
        "INSERT INTO comment_replies (comment_id, author, at, text) VALUES (?, ?, ?, ?)",
        [comment_id, ws.actor, ws.now(), text],
    )
    audit.record(
        ws, "comment.reply", "comment", comment_id, document_id=c.document_id, item_no=c.item_no
    )
    return cur.lastrowid


def passage_span(body: str, passage: str) -> tuple[int, int] | None:
    """Where a quoted passage stands in a body (the first place), or None. A passage quoted
    from the rendered text (no ** or link markup, lines joined) is found too."""
    return find_passage(body, passage)


def passage_in(passage: str, heading: str, body: str) -> bool:
    """Whether a reviewer's quoted passage is a section's heading or stands in its text."""
    return passage == heading or passage_span(body, passage) is not None


def changes_since_comment(ws, comment_id: int) -> list[ParagraphDiff]:
    c = comment(ws, comment_id)
    if c.section_id is None:
        return []  # about the whole document: no one section's text to compare
    old = section_revision(ws, c.section_revision_id)["body"] if c.section_revision_id else ""
    current = next(ws.db.query("SELECT body FROM sections WHERE id = ?", [c.section_id]))
    return diff_text(old, current["body"])


def _wording_applied(ws, comment_id: int, applied: bool) -> None:
    ws.db.execute(
        "UPDATE comments SET wording_applied_at = ? WHERE id = ?",
        [ws.now() if applied else None, comment_id],
    )


@use_case
def apply_proposed_wording(ws, comment_id: int) -> str:
    """Replace the quoted passage with the proposed wording; returns the body it replaced."""
    c = comment(ws, comment_id)
    if not c.proposed_wording:
        raise RuleViolation(f"Comment {c.item_no} proposes no wording.")
    if c.disposition not in ACCEPTING:
        raise RuleViolation(f"Comment {c.item_no} must be accepted before its wording is applied.")
    if c.section_id is None:
        raise RuleViolation(
            f"Comment {c.item_no} is about the document as a whole, not one section; put its "
            "wording where it belongs by hand."
        )
    s = sections.section(ws, c.section_id)
    if c.quoted_passage:
        span = passage_span(s.body, c.quoted_passage)
        if span is None:
            raise RuleViolation(
                f"The passage comment {c.item_no} quotes is no longer in "
                f"{c.reference}; revise the text by hand."
            )
        wording = keep_citations(s.body[span[0] : span[1]], c.proposed_wording)
        new_body = s.body[: span[0]] + wording + s.body[span[1] :]
    else:
        new_body = c.proposed_wording
    sections.edit_section(ws, c.section_id, body=new_body)
    _wording_applied(ws, comment_id, True)
    audit.record(
        ws,
        "comment.apply_wording",
        "comment",
        comment_id,
        document_id=c.document_id,
        item_no=c.item_no,
        section_id=c.section_id,
    )
    return s.body


@use_case
def mark_wording_applied(ws, comment_id: int, applied: bool, *, at: str | None = None) -> None:
    """Only the mark that a comment's wording is in the text (or no longer is), when the text
    itself came separately: bringing back an offline copy, whose sections carry the change."""
    c = comment(ws, comment_id)
    if applied and c.section_id is None:
        raise RuleViolation(f"Comment {c.item_no} is about the document as a whole.")
    ws.db.execute(
        "UPDATE comments SET wording_applied_at = ? WHERE id = ?",
        [(at or ws.now()) if applied else None, comment_id],
    )
    audit.record(
        ws,
        "comment.apply_wording" if applied else "comment.unapply_wording",
        "comment",
        comment_id,
        document_id=c.document_id,
        item_no=c.item_no,
        section_id=c.section_id,
        text_brought_back=True,
    )


@use_case
def unapply_proposed_wording(ws, comment_id: int, previous_body: str) -> None:
    c = comment(ws, comment_id)
    assert c.section_id is not None  # applied only to a section's text
    sections.edit_section(ws, c.section_id, body=previous_body)
    _wording_applied(ws, comment_id, False)
    audit.record(
        ws,
        "comment.unapply_wording",
        "comment",
        comment_id,
        document_id=c.document_id,
        item_no=c.item_no,
        section_id=c.section_id,
    )


class AcceptAndApplyWording(Command):
    """Accept a comment and put its proposed wording in the text: one undoable step."""

    def __init__(self, comment_id: int):
        self.comment_id = comment_id
        self._previous_body: str | None = None
        self._previous: tuple | None = None

    @property
    def text(self) -> str:
        return "Apply proposed wording"

    def do(self, ws) -> None:
        c = comment(ws, self.comment_id)
        self._previous = (c.disposition, c.disposition_rationale)
        if c.disposition not in ACCEPTING:
            adjudicate_comment(ws, self.comment_id, "accepted")
        self._previous_body = apply_proposed_wording(ws, self.comment_id)

    def undo(self, ws) -> None:
        assert self._previous_body is not None and self._previous is not None  # done before
        unapply_proposed_wording(ws, self.comment_id, self._previous_body)
        disposition, rationale = self._previous
        if disposition is None:
            reopen_comment(ws, self.comment_id)
        elif disposition not in ACCEPTING:
            adjudicate_comment(ws, self.comment_id, disposition, rationale)
