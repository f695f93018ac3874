"""The study and contract registry, related prior work, and recorded deconfliction answers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from workbench import audit
from workbench.directory import organization
from workbench.documents import document
from workbench.errors import NotFound, WorkbenchError
from workbench.search import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    STUDY_STATUSES,
    build_query,
)
from workbench.workspace import use_case

STUDY_KINDS = {"study": "Study", "contract": "Contract"}
MAX_TEXT = 100_000
RELATED_LIMIT = 8
# Words that say nothing about the subject of a study; matching on them ranks noise.
STOPWORDS = frozenset(
    """a about after against all also an and any are as at be been before between both but by
    can could did do does for from had has have how in into is it its may more most new no not
    of on or other our over should so such than that the their them then there these they this
    those through to under up use used uses using was we were what when where which while who
    why will with within would study report review plan strategy draft analysis dhs cne
    national annual""".split()
)


@dataclass(frozen=True)
class Study:
    id: int
    title: str
    kind: str
    organization: str
    organization_name: str
    office: str
    status: str
    year: int | None
    abstract: str
    contact: str
    amount: int | None
    document_id: int | None
    created_at: str
    updated_at: str

    @property
    def status_label(self) -> str:
        return STUDY_STATUSES[self.status]

    @property
    def owner(self) -> str:
        """Who to ask: 'ICE Bulk Cash Smuggling Center'."""
        return f"{self.organization} {self.office}".strip()

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "organization": self.organization,
            "office": self.office,
            "status": self.status,
            "year": self.year,
            "abstract": self.abstract,
            "contact": self.contact,
            "amount": self.amount,
            "document_id": self.document_id,
        }


_SELECT = """
SELECT t.*, o.code, o.name AS org_name FROM studies t
JOIN organizations o ON o.id = t.organization_id
"""


def _study(r) -> Study:
    return Study(
        r["id"],
        r["title"],
        r["kind"],
        r["code"],
        r["org_name"],
        r["office"],
        r["status"],
        r["year"],
        r["abstract"],
        r["contact"],
        r["amount"],
        r["document_id"],
        r["created_at"],
        r["updated_at"],
    )


def list_studies(ws, *, organization_code: str | None = None, status: str | None = None):
    sql = _SELECT + " WHERE 1=1"
    params: list[object] = []
    if organization_code:
        sql += " AND t.organization_id = ?"
        params.append(organization(ws, organization_code).id)
    if status:
        _check_status(status)
        sql += " AND t.status = ?"
        params.append(status)
    sql += " ORDER BY coalesce(t.year, 0) DESC, t.title COLLATE NOCASE"
    return [_study(r) for r in ws.db.query(sql, params)]


def study(ws, study_id: int) -> Study:
    row = next(ws.db.query(_SELECT + " WHERE t.id = ?", [study_id]), None)
    if row is None:
        raise NotFound(f"No study or contract with id {study_id}.")
    return _study(row)


def _clean(value, what: str, *, required: bool = False) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if what != "abstract":
        text = " ".join(text.split())
    if required and not text:
        raise WorkbenchError(f"A study or contract needs a {what}.")
    if len(text) > MAX_TEXT:
        raise WorkbenchError(f"The {what} is too long (at most {MAX_TEXT:,} characters).")
    return text


def _check_status(status: str) -> None:
    if status not in STUDY_STATUSES:
        raise WorkbenchError(
            f"Unknown status {status!r}; choose one of {', '.join(STUDY_STATUSES)}."
        )


def _check_kind(kind: str) -> None:
    if kind not in STUDY_KINDS:
        raise WorkbenchError(f"Unknown kind {kind!r}; choose study or contract.")


def _check_year(year) -> int | None:
    if year in (None, ""):
        return None
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise WorkbenchError(f"{year!r} is not a year.") from None
    if not 1900 <= y <= 2200:
        raise WorkbenchError(f"{y} is not a plausible year.")
    return y


def _check_amount(amount) -> int | None:
    if amount in (None, ""):
        return None
    try:
        value = int(str(amount).replace(",", "").replace("$", "").strip())
    except ValueError:
        raise WorkbenchError(f"{amount!r} is not an amount in dollars.") from None
    if value < 0:
        raise WorkbenchError("An amount cannot be negative.")
    return value


@use_case
def add_study(
    ws,
    title: str,
    organization_code: str,
    *,
    kind: str = "study",
    office: str = "",
    status: str = "planned",
    year: int | None = None,
    abstract: str = "",
    contact: str = "",
    amount: int | None = None,
    document_id: int | None = None,
) -> int:
    """Register a study or contract, CNE's or a component's, so later work can find it."""
    title = _clean(title, "title", required=True)
    org = organization(ws, organization_code)
    _check_kind(kind)
    _check_status(status)
    if document_id is not None:
        document(ws, document_id)
    now = ws.now()
    cur = ws.db.execute(
        "INSERT INTO studies (title, kind, organization_id, office, status, year, abstract, "
        "contact, amount, document_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            title,
            kind,
            org.id,
            _clean(office, "office"),
            status,
            _check_year(year),
            _clean(abstract, "abstract"),
            _clean(contact, "contact"),
            _check_amount(amount),
            document_id,
            now,
            now,
        ],
    )
    audit.record(
        ws, "study.add", "study", cur.lastrowid, title=title, organization=org.code, kind=kind
    )
    return cur.lastrowid


_UNSET = object()


@use_case
def update_study(
    ws,
    study_id: int,
    *,
    title=_UNSET,
    organization_code=_UNSET,
    kind=_UNSET,
    office=_UNSET,
    status=_UNSET,
    year=_UNSET,
    abstract=_UNSET,
    contact=_UNSET,
    amount=_UNSET,
) -> None:
    study(ws, study_id)
    changes: dict = {}
    if title is not _UNSET:
        changes["title"] = _clean(title, "title", required=True)
    if organization_code is not _UNSET:
        changes["organization_id"] = organization(ws, organization_code).id
    if kind is not _UNSET:
        _check_kind(kind)
        changes["kind"] = kind
    if office is not _UNSET:
        changes["office"] = _clean(office, "office")
    if status is not _UNSET:
        _check_status(status)
        changes["status"] = status
    if year is not _UNSET:
        changes["year"] = _check_year(year)
    if abstract is not _UNSET:
        changes["abstract"] = _clean(abstract, "abstract")
    if contact is not _UNSET:
        changes["contact"] = _clean(contact, "contact")
    if amount is not _UNSET:
        changes["amount"] = _check_amount(amount)
    if not changes:
        return
    sets = ", ".join(f"{k} = ?" for k in changes)
    ws.db.execute(
        f"UPDATE studies SET {sets}, updated_at = ? WHERE id = ?",
        [*changes.values(), ws.now(), study_id],
    )
    audit.record(ws, "study.update", "study", study_id, **changes)


# -- related work --------------------------------------------------------------------------
@dataclass(frozen=True)
class RelatedWork:
    kind: str  # 'study' or 'document'
    id: int
    title: str
    organization: str
    office: str
    status: str
    year: int | None
    contact: str
    snippet: str
    score: float

    @property
    def owner(self) -> str:
        return f"{self.organization} {self.office}".strip()

    def snippet_text(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "organization": self.organization,
            "office": self.office,
            "status": self.status,
            "year": self.year,
            "contact": self.contact,
            "snippet": self.snippet_text(),
            "score": round(self.score, 4),
        }


_STEM = re.compile(r"(?:ations?|ings?|ers?|ed|es|s)$")


def subject_terms(title: str, abstract: str = "") -> list[str]:
    """The words that carry a title's and abstract's subject, title words first."""
    seen: dict[str, None] = {}
    for word in re.findall(r"[^\W_]+", f"{title} {abstract}".casefold()):
        if len(word) < 3 or word in STOPWORDS or word.isdigit():
            continue
        seen.setdefault(word, None)
    return list(seen)[:24]


def _related_query(title: str, abstract: str) -> str:
    parts = []
    for word in subject_terms(title, abstract):
        # A crude suffix strip plus prefix match lets "traffickers" find "trafficking"
        # without a stemmer (which would break prefix search as a person types).
        stem = _STEM.sub("", word) if len(word) > 5 else word
        parts.append(build_query(stem).fts if len(stem) >= 4 else f'"{stem}"')
    return " OR ".join(p for p in parts if p)


def related_work(
    ws,
    title: str,
    abstract: str = "",
    *,
    exclude_document_id: int | None = None,
    exclude_study_id: int | None = None,
    limit: int = RELATED_LIMIT,
) -> list[RelatedWork]:
    """Existing studies, contracts and documents most like the described work, best first.

    Any subject word may match; bm25 rewards the rarer, shared words.
    """
    fts = _related_query(title, abstract)
    if not fts:
        return []
    limit = max(1, int(limit))
    fulltext = ws.db.dialect.fulltext
    studies_src, studies_match = fulltext.source("studies_fts", limited=False)
    documents_src, documents_match = fulltext.source("documents_fts", limited=False)
    marks = (MARK_START, MARK_END, ELLIPSIS, 14)
    sql = f"""
        SELECT * FROM (
          SELECT 'study' AS kind, t.id, t.title, o.code AS organization, t.office,
                 t.status, t.year, t.contact, f.rank AS score,
                 {fulltext.snippet("studies_fts", "t", *marks)} AS snippet
          FROM {studies_src} f JOIN studies t ON t.id = f.rowid
          JOIN organizations o ON o.id = t.organization_id
          WHERE {studies_match} t.id IS DISTINCT FROM coalesce(:xs, -1)
            AND t.document_id IS DISTINCT FROM coalesce(:xd, -1)
          ORDER BY f.rank LIMIT :n) AS studies_found
        UNION ALL
        SELECT * FROM (
          SELECT 'document' AS kind, d.id, d.title, coalesce(o.code, '') AS organization,
                 '' AS office, d.status, CAST(substr(d.created_at, 1, 4) AS INTEGER) AS year,
                 '' AS contact, f.rank * 0.8 AS score,
                 {fulltext.snippet("documents_fts", "d", *marks)} AS snippet
          FROM {documents_src} f JOIN documents d ON d.id = f.rowid
          LEFT JOIN organizations o ON o.id = d.lead_org_id
          WHERE {documents_match} d.deleted_at IS NULL AND d.id != coalesce(:xd, -1)
            AND NOT EXISTS (SELECT 1 FROM studies s WHERE s.document_id = d.id)
          ORDER BY f.rank LIMIT :n) AS documents_found
        ORDER BY score LIMIT :n
        """
    params = {"xs": exclude_study_id, "xd": exclude_document_id, "n": limit}
    params.update(fulltext.parameters(fts))
    rows = list(ws.db.query(sql, params))
    return [
        RelatedWork(
            r["kind"],
            r["id"],
            r["title"],
            r["organization"],
            r["office"],
            r["status"],
            r["year"],
            r["contact"],
            " ".join((r["snippet"] or "").split()),
            -float(r["score"]),
        )
        for r in rows
    ]


# -- consultations -------------------------------------------------------------------------
OUTCOMES_HINT = "what the owners said: e.g. no overlap; scope narrowed; their report reused"


@dataclass(frozen=True)
class Consultation:
    id: int
    document_id: int | None
    study_id: int | None
    related_study_id: int | None
    related_document_id: int | None
    related_title: str
    consulted: bool
    whom: str
    organization: str
    consulted_on: str | None
    outcome: str
    recorded_at: str
    recorded_by: str

    @property
    def summary(self) -> str:
        what = f" about “{self.related_title}”" if self.related_title else ""
        if self.consulted:
            org = f" ({self.organization})" if self.organization else ""
            when = f" on {self.consulted_on}" if self.consulted_on else ""
            return f"Consulted {self.whom}{org}{when}{what}: {self.outcome}"
        return f"Not consulted{what}: {self.outcome}"

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "document_id": self.document_id,
            "study_id": self.study_id,
            "related_study_id": self.related_study_id,
            "related_document_id": self.related_document_id,
            "related_title": self.related_title,
            "consulted": self.consulted,
            "whom": self.whom,
            "organization": self.organization,
            "consulted_on": self.consulted_on,
            "outcome": self.outcome,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by,
        }


def _check_day(value) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise WorkbenchError(f"{value!r} is not a date (use YYYY-MM-DD).") from None


@use_case
def record_consultation(
    ws,
    document_id: int | None,
    *,
    consulted: bool,
    outcome: str,
    whom: str = "",
    organization_code: str | None = None,
    consulted_on=None,
    related_study_id: int | None = None,
    related_document_id: int | None = None,
    study_id: int | None = None,
) -> int:
    """Record whether the owners of related prior work were asked before work started."""
    if document_id is None and study_id is None:
        raise WorkbenchError("Say which document or study the consultation is for.")
    if document_id is not None:
        document(ws, document_id)
    if study_id is not None:
        study(ws, study_id)
    if related_study_id is not None:
        study(ws, related_study_id)
    if related_document_id is not None:
        document(ws, related_document_id)
    whom = " ".join(str(whom or "").split())
    outcome = str(outcome or "").replace("\x00", "").strip()
    if len(outcome) > MAX_TEXT or len(whom) > 1000:
        raise WorkbenchError("The answer is too long.")
    if consulted and not whom:
        raise WorkbenchError("Say whom you consulted (name, office or both).")
    if not outcome:
        raise WorkbenchError(
            "Record the outcome: "
            + (OUTCOMES_HINT if consulted else "why the owners were not consulted")
            + "."
        )
    day = _check_day(consulted_on)
    if consulted and day is None:
        day = ws.today().isoformat()
    if day is not None and day > ws.today().isoformat():
        raise WorkbenchError("A consultation cannot be dated in the future.")
    org_id = organization(ws, organization_code).id if organization_code else None
    if org_id is None and related_study_id is not None:
        org_id = organization(ws, study(ws, related_study_id).organization).id
    cur = ws.db.execute(
        "INSERT INTO consultations (document_id, study_id, related_study_id, "
        "related_document_id, consulted, whom, organization_id, consulted_on, outcome, "
        "recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            study_id,
            related_study_id,
            related_document_id,
            1 if consulted else 0,
            whom,
            org_id,
            day if consulted else None,
            outcome,
            ws.now(),
            ws.actor,
        ],
    )
    audit.record(
        ws,
        "consultation.record",
        "document" if document_id is not None else "study",
        document_id if document_id is not None else study_id,
        consultation_id=cur.lastrowid,
        consulted=bool(consulted),
        whom=whom,
        related_study_id=related_study_id,
        related_document_id=related_document_id,
    )
    return cur.lastrowid


def consultations(ws, document_id: int | None = None, *, study_id: int | None = None):
    sql = """
    SELECT c.*, coalesce(o.code, '') AS code,
           coalesce(t.title, d.title, '') AS related_title
    FROM consultations c
    LEFT JOIN organizations o ON o.id = c.organization_id
    LEFT JOIN studies t ON t.id = c.related_study_id
    LEFT JOIN documents d ON d.id = c.related_document_id
    """
    if study_id is not None:
        rows = ws.db.query(sql + " WHERE c.study_id = ? ORDER BY c.id", [study_id])
    else:
        rows = ws.db.query(sql + " WHERE c.document_id = ? ORDER BY c.id", [document_id])
    return [
        Consultation(
            r["id"],
            r["document_id"],
            r["study_id"],
            r["related_study_id"],
            r["related_document_id"],
            r["related_title"],
            bool(r["consulted"]),
            r["whom"],
            r["code"],
            r["consulted_on"],
            r["outcome"],
            r["recorded_at"],
            r["recorded_by"],
        )
        for r in rows
    ]
