"""Bulk solicitation: one packet per external reviewer, a cover list, and who has answered."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench import audit
from workbench.coordination import requests as rq
from workbench.directory import add_organization, add_person
from workbench.documents import document
from workbench.exchange.formats import PACKET_SUFFIX, ExchangeError, read_limited
from workbench.exchange.request_files import Cancelled, RequestFiles
from workbench.sections import outline
from workbench.workspace import use_case

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_REVIEWERS = 5_000
COVER_LIST = "cover-list.csv"


@dataclass(frozen=True)
class ExternalReviewer:
    name: str
    agency: str
    email: str
    title: str = ""


@dataclass(frozen=True)
class SolicitationResult:
    solicitation_id: int
    request_ids: tuple[int, ...]
    packets: tuple[Path, ...]
    cover_list: Path


@dataclass(frozen=True)
class ReviewerStatus:
    request_id: int
    name: str
    organization: str
    email: str
    suspense_date: str
    status: str  # sent | overdue | returned | withdrawn | draft
    returned_at: str | None
    packet_file: str
    agency: str = ""  # the organization's name as the reviewer wrote it (the code is generated)


@dataclass(frozen=True)
class SolicitationStatus:
    solicitation_id: int
    document_id: int
    created_at: str
    reviewers: tuple[ReviewerStatus, ...]

    @property
    def asked(self) -> int:
        return sum(r.status != "withdrawn" for r in self.reviewers)

    @property
    def answered(self) -> int:
        return sum(r.status == "returned" for r in self.reviewers)

    @property
    def overdue(self) -> tuple[ReviewerStatus, ...]:
        return tuple(r for r in self.reviewers if r.status == "overdue")

    @property
    def waiting(self) -> tuple[ReviewerStatus, ...]:
        return tuple(r for r in self.reviewers if r.status in ("sent", "overdue", "draft"))

    @property
    def response_rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0

    def summary(self) -> str:
        return (
            f"{self.answered} of {self.asked} answered ({self.response_rate:.0%}); "
            f"{len(self.overdue)} overdue, {len(self.waiting) - len(self.overdue)} not yet due."
        )


def _cell(row: dict, *names: str) -> str:
    for n in names:
        if row.get(n):
            return " ".join(str(row[n]).split())
    return ""


def read_reviewers(path: str | os.PathLike) -> list[ExternalReviewer]:
    """Reviewers from a CSV with columns name, agency and email (title optional)."""
    data = read_limited(path, MAX_CSV_BYTES, "reviewer list")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # spreadsheets on Windows save this
    reader = csv.DictReader(io.StringIO(text.replace("\x00", "")))
    if not reader.fieldnames:
        raise ExchangeError("The reviewer list is empty.")
    heads = {h.strip().casefold(): h for h in reader.fieldnames if h}
    if "name" not in heads or not ({"agency", "organization"} & set(heads)):
        raise ExchangeError(
            "The reviewer list needs a header row with columns name, agency and email."
        )
    out, problems = [], []
    for n, raw in enumerate(reader, 2):
        row = {k.strip().casefold(): v for k, v in raw.items() if isinstance(k, str)}
        r = ExternalReviewer(
            _cell(row, "name"),
            _cell(row, "agency", "organization"),
            _cell(row, "email", "e-mail"),
            _cell(row, "title"),
        )
        if not any((r.name, r.agency, r.email)):
            continue
        if not r.name or not r.agency:
            problems.append(f"row {n}: a reviewer needs a name and an agency")
        elif r.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", r.email):
            problems.append(f"row {n}: {r.email!r} is not an e-mail address")
        out.append(r)
        if len(out) > MAX_REVIEWERS:
            raise ExchangeError(f"The reviewer list has more than {MAX_REVIEWERS:,} reviewers.")
    if problems:
        raise ExchangeError(
            f"The reviewer list has {len(problems)} problem(s): " + "; ".join(problems[:10]) + "."
        )
    if not out:
        raise ExchangeError("The reviewer list names no reviewers.")
    return out


def _code_for(agency: str, taken: set[str]) -> str:
    words = re.findall(r"[A-Za-z0-9]+", agency)
    base = "".join(w[0] for w in words if w.lower() not in ("of", "the", "and", "for"))
    base = (base.upper() or "SLT")[:10]
    code, n = base, 1
    while code.casefold() in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "reviewer"


@use_case
def solicit(
    ws,
    document_id: int,
    reviewers: list[ExternalReviewer],
    folder: str | os.PathLike,
    *,
    section_ids=None,
    suspense_workdays: int | None = None,
    suspense_date: str | None = None,
    instructions: str = "",
    workbook: bool = False,
    word: bool = False,
    progress: Callable[[int, int, str], bool] | None = None,
) -> SolicitationResult:
    """One review request and one packet per reviewer, written to folder with a cover list.

    `workbook` and `word` add a CRM workbook and a Word review copy beside each packet, so a
    reviewer with nothing installed can answer in Excel or Word. `progress(done, total, name)`
    is called before each reviewer's files; returning False cancels (nothing is kept).
    """
    doc = document(ws, document_id)
    if not reviewers:
        raise ExchangeError("Name at least one reviewer.")
    if section_ids is None:
        section_ids = [e.id for e in outline(ws, document_id)]
    if not section_ids:
        raise ExchangeError(f"{doc.title} has no sections to send.")
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ExchangeError(f"{out} is a file; name a folder for the packets.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExchangeError(f"{out} cannot be made: {exc.strerror or exc}.") from None
    if any(out.glob("*" + PACKET_SUFFIX)) or (out / COVER_LIST).exists():
        raise ExchangeError(f"{out} already holds packets; choose an empty folder.")

    orgs = {
        r["name"].casefold(): r["code"] for r in ws.db.query("SELECT code, name FROM organizations")
    }
    codes = {r["code"].casefold(): r["code"] for r in ws.db.query("SELECT code FROM organizations")}
    people = {
        (r["email"].casefold() or r["name"].casefold(), r["organization_id"]): r["id"]
        for r in ws.db.query("SELECT id, name, email, organization_id FROM people")
    }
    org_ids = {r["code"]: r["id"] for r in ws.db.query("SELECT id, code FROM organizations")}
    cur = ws.db.execute(
        "INSERT INTO solicitations (document_id, created_at, created_by, folder, instructions) "
        "VALUES (?, ?, ?, ?, ?)",
        [document_id, ws.now(), ws.actor, str(out), instructions],
    )
    sol_id = cur.lastrowid
    planned: list[tuple[ExternalReviewer, int, str]] = []
    used_names: set[str] = set()
    for n, r in enumerate(reviewers, 1):
        code = orgs.get(r.agency.casefold()) or codes.get(r.agency.casefold())
        if code is None:
            code = _code_for(r.agency, set(codes))
            oid = add_organization(ws, code, r.agency, "slt")
            orgs[r.agency.casefold()], codes[code.casefold()], org_ids[code] = code, code, oid
        key = (r.email.casefold() or r.name.casefold(), org_ids[code])
        pid = people.get(key)
        if pid is None:
            pid = add_person(
                ws,
                r.name,
                title=r.title,
                organization=code,
                email=r.email,
                roles=["external_reviewer"],
            )
            people[key] = pid
        rid = rq.create_request(
            ws,
            document_id,
            code,
            section_ids=section_ids,
            reviewer_person_id=pid,
            reviewer_name=r.name,
            reviewer_email=r.email,
            suspense_workdays=suspense_workdays,
            suspense_date=suspense_date,
            instructions=instructions,
            send=True,
        )
        name = f"{n:03d}-{_slug(r.name)}{PACKET_SUFFIX}"
        while name in used_names:
            name = f"{n:03d}-{_slug(r.name)}-{len(used_names)}{PACKET_SUFFIX}"
        used_names.add(name)
        planned.append((r, rid, name))
    ws.db.executemany(
        "INSERT INTO solicitation_requests (solicitation_id, request_id, packet_file) "
        "VALUES (?, ?, ?)",
        [(sol_id, rid, name) for _, rid, name in planned],
    )
    # Staged until the last is written, so a failure or a cancel leaves no file behind.
    files = RequestFiles(ws)
    try:
        cover = io.StringIO()
        writer = csv.writer(cover)
        writer.writerow(
            ["No.", "Name", "Title", "Agency", "E-mail", "Request", "Suspense", "Packet file"]
            + ["Workbook file"] * workbook
            + ["Word file"] * word
        )
        for n, (r, rid, name) in enumerate(planned, 1):
            if progress is not None and progress(n - 1, len(planned), r.name) is False:
                raise Cancelled("Cancelled: nothing was sent and no file was left behind.")
            stem = name[: -len(PACKET_SUFFIX)]
            done = files.write(
                rid,
                packet=out / name,
                workbook=out / f"{stem}-CRM.xlsx" if workbook else None,
                word=out / f"{stem}.docx" if word else None,
            )
            extra = [p.name for p, _ in done.files[1:]]
            writer.writerow(
                [n, r.name, r.title, r.agency, r.email, rid, done.packet["suspense_date"], name]
                + extra
            )
        files.put(out / COVER_LIST, cover.getvalue())
        if progress is not None:
            progress(len(planned), len(planned), "")
        files.commit()
    except BaseException as exc:
        files.discard()
        if isinstance(exc, OSError):  # a full disk: one line, nothing sent
            raise ExchangeError(
                f"The packets could not be written to {out}: {exc.strerror or exc}. "
                "Nothing was sent."
            ) from None
        raise
    audit.record(
        ws,
        "exchange.solicit",
        "document",
        document_id,
        solicitation_id=sol_id,
        reviewers=len(planned),
        folder=str(out),
    )
    return SolicitationResult(
        sol_id,
        tuple(rid for _, rid, _ in planned),
        tuple(out / name for _, _, name in planned),
        out / COVER_LIST,
    )


def solicitations(ws, document_id: int | None = None) -> list[SolicitationStatus]:
    """Each bulk solicitation (newest last) with every reviewer's standing."""
    sql = "SELECT * FROM solicitations"
    params: list = []
    if document_id is not None:
        sql += " WHERE document_id = ?"
        params.append(document_id)
    out = []
    names = {r["code"]: r["name"] for r in ws.db.query("SELECT code, name FROM organizations")}
    for s in ws.db.query(sql + " ORDER BY id", params):
        links = {
            r["request_id"]: r["packet_file"]
            for r in ws.db.query(
                "SELECT request_id, packet_file FROM solicitation_requests "
                "WHERE solicitation_id = ?",
                [s["id"]],
            )
        }
        reqs = [r for r in rq.list_requests(ws, s["document_id"]) if r.id in links]
        out.append(
            SolicitationStatus(
                s["id"],
                s["document_id"],
                s["created_at"],
                tuple(
                    ReviewerStatus(
                        r.id,
                        r.reviewer_name,
                        r.organization,
                        r.reviewer_email,
                        r.suspense_date,
                        r.status,
                        r.returned_at,
                        links[r.id],
                        names.get(r.organization, r.organization),
                    )
                    for r in reqs
                ),
            )
        )
    return out


def reminder_csv(status: SolicitationStatus) -> str:
    """Everyone still to answer, overdue first: name, agency, e-mail, suspense, packet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Agency", "E-mail", "Suspense", "Overdue", "Request", "Packet file"])
    waiting = sorted(status.waiting, key=lambda r: (r.status != "overdue", r.suspense_date, r.name))
    for r in waiting:
        writer.writerow(
            [
                _csv_safe(r.name),
                _csv_safe(r.agency or r.organization),
                _csv_safe(r.email),
                r.suspense_date,
                "yes" if r.status == "overdue" else "no",
                r.request_id,
                r.packet_file,
            ]
        )
    return out.getvalue()


def _csv_safe(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet; a reviewer's name never is.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
