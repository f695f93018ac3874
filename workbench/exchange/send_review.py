"""Send for Review: requests to the chosen organizations, their files, and an e-mail draft each.

Writes into a folder the analyst picks, one sub-folder per organization: the `.cnereview`
packet, a CRM workbook and a Word review copy (as chosen), and an `.eml` draft addressed to the
liaison with every file attached and the suspense in the subject, which any mail client opens.
One transaction: a failure or a cancel sends nothing and leaves no file behind.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.policy
import mimetypes
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path

from workbench import audit
from workbench.coordination import requests as rq
from workbench.coordination.workdays import add_workdays
from workbench.directory import liaisons as directory_liaisons
from workbench.directory import organization, organizations
from workbench.documents import document
from workbench.errors import WorkbenchError
from workbench.exchange.formats import PACKET_SUFFIX, ExchangeError
from workbench.exchange.request_files import Cancelled, RequestFiles
from workbench.numbering import reference
from workbench.sections import outline
from workbench.workspace import use_case

SUSPENSE_PRESETS = {
    10: "Internal review (10 workdays)",
    20: "Formal (20 workdays)",
    45: "Formal (45 workdays)",
}
EMAIL_SUFFIX = ".eml"


@dataclass(frozen=True)
class Produce:
    """What each reviewer gets."""

    packet: bool = True
    workbook: bool = False
    word: bool = False
    email: bool = True

    def check(self) -> None:
        if not (self.packet or self.workbook or self.word):
            raise WorkbenchError("Choose at least one file to send: packet, workbook or Word copy.")


@dataclass(frozen=True)
class Addressee:
    """One organization the dialog offers, with the sections it has equities in."""

    organization: str
    name: str
    section_ids: tuple[int, ...]
    reviewer_name: str
    reviewer_email: str
    draft_request_id: int | None = None  # a request kept as a draft, sent by this


@dataclass(frozen=True)
class Recipient:
    organization: str
    section_ids: tuple[int, ...]
    draft_request_id: int | None = None


@dataclass(frozen=True)
class SentTo:
    organization: str
    request_id: int
    folder: Path
    files: tuple[Path, ...]
    email: Path | None
    suspense_date: str


@dataclass(frozen=True)
class SendResult:
    folder: Path
    sent: tuple[SentTo, ...] = field(default=())

    def summary(self) -> str:
        orgs = ", ".join(s.organization for s in self.sent)
        files = sum(len(s.files) + (s.email is not None) for s in self.sent)
        return f"Sent for review to {orgs}: {files} file(s) written to {self.folder}."


def suspense_for(ws, workdays: int | None = None, date: str | None = None) -> str:
    """The suspense a choice gives, as the dialog shows it before anything is sent."""
    if date:
        try:
            return dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise WorkbenchError(f"{date!r} is not a date (use YYYY-MM-DD).") from None
    n = rq.DEFAULT_SUSPENSE_WORKDAYS if workdays is None else int(workdays)
    if n < 1:
        raise WorkbenchError("A suspense must be at least one workday away.")
    return add_workdays(ws.today(), n).isoformat()


def addressees(ws, document_id: int) -> list[Addressee]:
    """Every organization with equities in the document (with its sections), and every
    organization with a draft request (with that request's sections): the dialog's rows."""
    entries = outline(ws, document_id)
    drafts = {
        r.organization: r for r in rq.list_requests(ws, document_id) if r.stored_status == "draft"
    }
    liaisons = directory_liaisons(ws)
    out = []
    for o in organizations(ws):
        if o.kind == "cne":
            continue
        draft = drafts.get(o.code)
        if draft is not None:
            sections = draft.section_ids
        else:
            sections = tuple(e.id for e in entries if o.code in e.equities)
        if not sections:
            continue
        liaison = liaisons.get(o.id)
        out.append(
            Addressee(
                o.code,
                o.name,
                sections,
                draft.reviewer_name if draft else (liaison.name if liaison else ""),
                draft.reviewer_email if draft else (liaison.email if liaison else ""),
                draft.id if draft else None,
            )
        )
    return out


def word_copy_available() -> bool:
    try:
        from workbench.word.review_copy import write_review_copy  # noqa: F401
    except ImportError:
        return False
    return True


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:50] or "document"


@use_case
def send_for_review(
    ws,
    document_id: int,
    recipients: list[Recipient],
    folder: str | os.PathLike,
    *,
    suspense_workdays: int | None = None,
    suspense_date: str | None = None,
    instructions: str = "",
    produce: Produce = Produce(),
    progress: Callable[[int, int, str], bool] | None = None,
) -> SendResult:
    """Create (or send the draft) request for each recipient and write its files.

    `progress(done, total, label)` is called before each organization; returning False
    cancels: the transaction rolls back and the files written so far are removed.
    """
    doc = document(ws, document_id)
    produce.check()
    if not recipients:
        raise WorkbenchError("Choose at least one organization to send to.")
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ExchangeError(f"{out} is a file; choose a folder for the review files.")
    codes = [organization(ws, r.organization).code for r in recipients]
    if len(set(codes)) != len(codes):
        raise WorkbenchError("An organization is listed twice; send it one request.")
    taken = [c for c in codes if (out / c).exists() and any((out / c).iterdir())]
    if taken:
        raise ExchangeError(
            f"{out / taken[0]} already holds files; choose another folder so nothing is "
            "overwritten."
        )
    if produce.word and not word_copy_available():
        raise WorkbenchError("The Word review copy is not available in this build.")
    files = RequestFiles(ws)
    entries = outline(ws, document_id)  # the e-mails name the sections; the text is not changed
    liaisons = directory_liaisons(ws)  # once for the send, not once per request
    made_dirs: list[Path] = []
    sent: list[SentTo] = []
    stem = _slug(doc.title)
    try:
        if not out.exists():
            out.mkdir(parents=True)
            made_dirs.append(out)
        for n, (r, code) in enumerate(zip(recipients, codes, strict=True)):
            if progress is not None and progress(n, len(recipients), code) is False:
                raise Cancelled("Cancelled: nothing was sent and no file was left behind.")
            if r.draft_request_id is not None:
                rid = r.draft_request_id
                req = rq.request(ws, rid)
                if req.stored_status != "draft" or req.document_id != document_id:
                    raise WorkbenchError(f"Review request {rid} is not a draft of {doc.title}.")
                if suspense_workdays is not None or suspense_date is not None:
                    rq.set_suspense(ws, rid, suspense_for(ws, suspense_workdays, suspense_date))
                rq.send_request(ws, rid)
            else:
                rid = rq.create_request(
                    ws,
                    document_id,
                    code,
                    section_ids=list(r.section_ids),
                    suspense_workdays=suspense_workdays,
                    suspense_date=suspense_date,
                    instructions=instructions,
                    send=True,
                    liaisons=liaisons,
                )
            sub = out / code
            if not sub.exists():
                sub.mkdir()
                made_dirs.append(sub)
            name = f"{stem}-{code}"
            attachments = files.write(
                rid,
                packet=sub / f"{name}{PACKET_SUFFIX}" if produce.packet else None,
                workbook=sub / f"{name}-CRM.xlsx" if produce.workbook else None,
                word=sub / f"{name}-review-copy.docx" if produce.word else None,
            ).files
            req = rq.request(ws, rid)
            draft = None
            if produce.email:
                draft = sub / f"{name}-review-request{EMAIL_SUFFIX}"
                files.put(draft, review_email(ws, req, attachments, entries))
            paths = tuple(p for p, _ in attachments)
            sent.append(SentTo(code, rid, sub, paths, draft, req.suspense_date))
        if progress is not None:
            progress(len(recipients), len(recipients), "")
        files.commit()
    except BaseException as exc:
        files.discard()
        for d in reversed(made_dirs):
            try:
                d.rmdir()
            except OSError:
                pass
        if isinstance(exc, OSError):  # a full disk, a folder that cannot be made: one line
            raise ExchangeError(
                f"The review files could not be written to {out}: {exc.strerror or exc}. "
                "Nothing was sent."
            ) from None
        raise
    audit.record(
        ws,
        "exchange.send_for_review",
        "document",
        document_id,
        organizations=codes,
        requests=[s.request_id for s in sent],
        folder=str(out),
        packet=produce.packet,
        workbook=produce.workbook,
        word=produce.word,
        email=produce.email,
    )
    return SendResult(out, tuple(sent))


def _long_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d:%A} {d.day} {d:%B %Y}"


def review_email(
    ws, req: rq.ReviewRequest, attachments: list[tuple[Path, bytes]], entries=None
) -> bytes:
    """An unsent e-mail draft (RFC 5322 .eml) to the request's reviewer, files attached
    (each a path, for its name, and its content). `entries`: the document's outline, when
    the caller has read it already."""
    doc = document(ws, req.document_id)
    org = organization(ws, req.organization)
    numbers = {e.id: e for e in (entries or outline(ws, req.document_id))}
    msg = EmailMessage()
    if req.reviewer_email:
        msg["To"] = formataddr((req.reviewer_name, req.reviewer_email))
    msg["Subject"] = (
        f"[{doc.marking}] For review: {doc.title} — {org.code} suspense {req.suspense_date}"
    )
    msg["Date"] = formatdate(localtime=False)
    msg["X-Unsent"] = "1"  # mail clients open it as a draft to send, not as a received message
    lines = [
        f"{req.reviewer_name or org.name},",
        "",
        f"CNE asks {org.name} ({org.code}) to review {doc.title} (version {doc.version}).",
        f"Please respond by {_long_date(req.suspense_date)} (the suspense).",
        "",
        "Sections for your review:",
    ]
    for sid in req.section_ids:
        e = numbers.get(sid)
        if e is not None:
            lines.append(f"  {reference(e.number)} {e.heading}")
    if req.instructions.strip():
        lines += ["", "Instructions:", req.instructions.strip()]
    lines += ["", "Attached:"]
    for p, _ in attachments:
        lines.append(f"  {p.name} — {_what(p)}")
    lines += [
        "",
        "Mark each comment Critical, Substantive or Administrative; a Critical comment must cite "
        "its ground. Return the completed file by replying to this message.",
        "",
        f"Review request {req.id}. Handling: {doc.marking}.",
    ]
    msg.set_content("\n".join(lines))
    msg.make_mixed()
    for p, data in attachments:
        msg.attach(_attachment(p, data))
    return bytes(msg)


def _attachment(p: Path, data: bytes) -> EmailMessage:
    # What add_attachment makes, but encoded by base64.encodebytes (C) rather than the email
    # package's line-by-line Python encoder: a third of the time of 160 e-mails with 3 files.
    part = EmailMessage(policy=email.policy.default)
    part["Content-Type"] = _content_type(p)
    part["Content-Transfer-Encoding"] = "base64"
    part.add_header("Content-Disposition", "attachment", filename=p.name)
    part.set_payload(base64.encodebytes(data).decode("ascii"))
    return part


def _what(p: Path) -> str:
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        return "CRM workbook: fill in the yellow cells and the Comments sheet"
    if suffix == ".docx":
        return "Word review copy: comment and track changes in Word"
    return "review packet: open it with CNE Workbench (workbench review FILE)"


def _content_type(p: Path) -> str:
    if p.suffix.lower() == ".cnereview":
        return "application/json"
    return mimetypes.guess_type(p.name)[0] or "application/octet-stream"
