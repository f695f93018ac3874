"""Coordination at a glance: stages, outstanding and overdue reviews, open comments, due dates."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field

from workbench.coordination import closures, workdays
from workbench.documents import DOCUMENT_KINDS
from workbench.errors import NotFound

STAGES = {"draft": "Draft", "in_coordination": "Coordination", "published": "Published"}
COMMENT_TYPE_ORDER = ("C", "S", "A")


def _date(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso[:10]) if iso else None


@functools.lru_cache(maxsize=4096)
def workdays_overdue(
    suspense: dt.date, today: dt.date, calendar: workdays.Calendar = workdays.FEDERAL
) -> int:
    """Whole workdays that have passed since the suspense date (0 while it is not late).

    A reply due Friday is not late on Saturday or Sunday, nor on a Monday holiday: nobody
    could have answered then. It is one workday late on the next workday.
    """
    return max(0, calendar.workdays_between(suspense, today))


is_overdue = workdays.is_overdue  # one rule for the gate, the coordination view and here


@dataclass(frozen=True)
class DocumentProgress:
    id: int
    title: str
    kind: str
    status: str
    version: int
    stage_since: str
    days_in_stage: int
    due_date: str | None
    outstanding: dict[str, int] = field(default_factory=dict)
    overdue: dict[str, int] = field(default_factory=dict)
    workdays_late: dict[str, int] = field(default_factory=dict)  # the worst, per organization
    open_critical: dict[str, int] = field(default_factory=dict)
    open_substantive: dict[str, int] = field(default_factory=dict)

    @property
    def stage_label(self) -> str:
        return STAGES[self.status]

    @property
    def kind_label(self) -> str:
        return DOCUMENT_KINDS[self.kind]

    @property
    def total_outstanding(self) -> int:
        return sum(self.outstanding.values())

    @property
    def total_overdue(self) -> int:
        return sum(self.overdue.values())

    @property
    def total_critical(self) -> int:
        return sum(self.open_critical.values())

    @property
    def total_substantive(self) -> int:
        return sum(self.open_substantive.values())

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "stage": self.stage_label,
            "version": self.version,
            "stage_since": self.stage_since,
            "days_in_stage": self.days_in_stage,
            "due_date": self.due_date,
            "reviews_outstanding": self.outstanding,
            "reviews_overdue": self.overdue,
            "workdays_late": self.workdays_late,
            "open_critical": self.open_critical,
            "open_substantive": self.open_substantive,
        }


@dataclass(frozen=True)
class SolicitationRate:
    document_id: int
    title: str
    solicitation_id: int | None  # None: the document's requests to state, local and tribal
    asked: int
    answered: int
    sent_at: str = ""  # when its first request went out

    @property
    def rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0

    @property
    def label(self) -> str:
        """What a reader knows it by: when it was sent (its number means nothing to them)."""
        if self.solicitation_id:
            sent = f" sent {self.sent_at[:10]}" if self.sent_at else ""
            return f"solicitation{sent}, {self.asked} reviewers"
        return "SLT reviewers"

    def as_dict(self) -> dict:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "solicitation_id": self.solicitation_id,
            "asked": self.asked,
            "answered": self.answered,
            "sent_at": self.sent_at,
            "response_rate": round(self.rate, 4),
        }


@dataclass(frozen=True)
class DueItem:
    document_id: int
    title: str
    kind: str
    status: str
    due_date: str
    days_left: int  # calendar days; negative once past
    workdays_left: int  # negative: workdays late
    published_at: str | None

    @property
    def late(self) -> bool:
        """Unpublished past its due date, or published after it."""
        due = _date(self.due_date)
        if self.status == "published" and self.published_at:
            published = _date(self.published_at)
            # Both are non-empty dates: a DueItem is made only for a document with a due date.
            assert published is not None and due is not None
            return published > due
        return self.days_left < 0

    @property
    def state(self) -> str:
        if self.status == "published":
            return "published late" if self.late else "published on time"
        if self.late:
            return f"LATE by {-self.days_left} day{'s' if self.days_left != -1 else ''}"
        if self.days_left == 0:
            return "due today"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"

    def as_dict(self) -> dict:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "due_date": self.due_date,
            "days_left": self.days_left,
            "workdays_left": self.workdays_left,
            "late": self.late,
            "state": self.state,
        }


@dataclass(frozen=True)
class Dashboard:
    today: str
    documents: tuple[DocumentProgress, ...]
    solicitations: tuple[SolicitationRate, ...]
    due: tuple[DueItem, ...]
    open_comments_by_org: dict[str, dict[str, int]]  # org -> {'C': n, 'S': n, 'A': n}
    markings: tuple[str, ...] = ()  # every handling marking of the documents it lists

    def as_dict(self) -> dict:
        return {
            "today": self.today,
            "documents": [d.as_dict() for d in self.documents],
            "solicitations": [s.as_dict() for s in self.solicitations],
            "due": [d.as_dict() for d in self.due],
            "open_comments_by_organization": self.open_comments_by_org,
        }


def _has_table(ws, name: str) -> bool:
    return name in ws.db.table_names()


def dashboard(ws) -> Dashboard:
    """Every live document's progress, in a handful of aggregate queries.

    Rows are read as tuples and each distinct date parsed once: at 16,000 documents the
    per-row dicts and date parsing cost more than the queries."""
    today = ws.today()
    calendar = closures.calendar(ws)
    conn = ws.db.conn
    docs = conn.execute(
        "SELECT id, title, kind, status, version, due_date, created_at, marking FROM documents "
        "WHERE deleted_at IS NULL ORDER BY title COLLATE NOCASE"
    ).fetchall()
    new_version_at = dict(
        conn.execute(
            "SELECT entity_id, max(at) AS at FROM audit_log WHERE entity = 'document' "
            "AND action = 'document.new_version' GROUP BY entity_id"
        )
    )
    first_sent = dict(
        conn.execute(
            "SELECT q.document_id, min(q.sent_at) AS at FROM review_requests q "
            "JOIN documents d ON d.id = q.document_id AND q.document_version = d.version "
            "WHERE q.sent_at IS NOT NULL GROUP BY q.document_id"
        )
    )
    published_at = dict(
        conn.execute(
            "SELECT document_id, max(published_at) AS at FROM publications GROUP BY document_id"
        )
    )
    dates: dict[str, dt.date] = {}

    def day(iso: str) -> dt.date:
        d = dates.get(iso)
        if d is None:
            d = dates[iso] = dt.date.fromisoformat(iso[:10])
        return d

    outstanding: dict[int, dict[str, int]] = {}
    overdue: dict[int, dict[str, int]] = {}
    late_by: dict[int, dict[str, int]] = {}
    lateness: dict[str, int] = {}
    for doc, code, suspense, n in conn.execute(
        "SELECT q.document_id, o.code, q.suspense_date, count(*) AS n FROM review_requests q "
        "JOIN organizations o ON o.id = q.organization_id WHERE q.status = 'sent' "
        "GROUP BY q.document_id, o.code, q.suspense_date"
    ):
        counts = outstanding.get(doc)
        if counts is None:
            counts = outstanding[doc] = {}
        counts[code] = counts.get(code, 0) + n
        late = lateness.get(suspense)
        if late is None:
            late = lateness[suspense] = workdays_overdue(day(suspense), today, calendar)
        if late >= 1:
            overdue.setdefault(doc, {}).setdefault(code, 0)
            overdue[doc][code] += n
            worst = late_by.setdefault(doc, {})
            worst[code] = max(worst.get(code, 0), late)
    open_by_doc: dict[int, dict[str, dict[str, int]]] = {}
    by_org: dict[str, dict[str, int]] = {}
    live = {d[0] for d in docs}
    codes = dict(conn.execute("SELECT id, code FROM organizations"))
    # Kept current by the comments' triggers (m013): no scan of every open comment.
    for doc_id, org_id, ctype, n in conn.execute(
        "SELECT document_id, organization_id, type, n FROM open_comment_counts "
        "ORDER BY document_id, organization_id, type"
    ):
        if doc_id not in live:
            continue
        code = codes[org_id]
        if ctype != "A":
            open_by_doc.setdefault(doc_id, {}).setdefault(ctype, {})[code] = n
        counts = by_org.get(code)
        if counts is None:
            counts = by_org[code] = dict.fromkeys(COMMENT_TYPE_ORDER, 0)
        counts[ctype] += n
    progress = []
    due_items = []
    empty: dict[str, dict[str, int]] = {}
    for doc_id, title, kind, status, version, due_date, created_at, _marking in docs:
        if status == "published":
            since = published_at.get(doc_id) or created_at
        elif status == "in_coordination":
            since = first_sent.get(doc_id) or new_version_at.get(doc_id) or created_at
        else:
            since = new_version_at.get(doc_id) if version > 1 else None
            since = since or created_at
        open_c = open_by_doc.get(doc_id, empty)
        progress.append(
            DocumentProgress(
                doc_id,
                title,
                kind,
                status,
                version,
                since,
                max(0, (today - day(since)).days),
                due_date,
                outstanding.get(doc_id, {}),
                overdue.get(doc_id, {}),
                late_by.get(doc_id, {}),
                open_c.get("C", {}),
                open_c.get("S", {}),
            )
        )
        if due_date:
            due = day(due_date)
            due_items.append(
                DueItem(
                    doc_id,
                    title,
                    kind,
                    status,
                    due_date,
                    (due - today).days,
                    calendar.workdays_between(today, due),
                    published_at.get(doc_id),
                )
            )
    due_items.sort(key=lambda i: (i.status == "published", i.due_date, i.title))
    by_org = dict(
        sorted(
            by_org.items(),
            key=lambda kv: (-sum(kv[1].values()), -kv[1]["C"], -kv[1]["S"], kv[0]),
        )
    )
    return Dashboard(
        today.isoformat(),
        tuple(progress),
        tuple(solicitation_rates(ws)),
        tuple(due_items),
        by_org,
        tuple(sorted({d[7] for d in docs})),
    )


def open_comment_counts(ws) -> dict[tuple[int, int, str], int]:
    """(document id, organization id, type) -> comments with no disposition, not superseded."""
    return {
        (doc, org, ctype): n
        for doc, org, ctype, n in ws.db.conn.execute(
            "SELECT document_id, organization_id, type, n FROM open_comment_counts "
            "ORDER BY document_id, organization_id, type"
        )
    }


def solicitation_rates(ws) -> list[SolicitationRate]:
    """Answered / asked for each solicitation of external reviewers.

    A bulk solicitation groups its requests; requests to state, local and tribal reviewers
    outside one count as their document's solicitation. Withdrawn and unsent requests were
    never asked.
    """
    grouped = _has_table(ws, "solicitation_requests")
    group = "sr.solicitation_id" if grouped else "NULL"
    join = "LEFT JOIN solicitation_requests sr ON sr.request_id = q.id" if grouped else ""
    rows = ws.db.query(
        f"""
        SELECT q.document_id, d.title, {group} AS solicitation_id, count(*) AS asked,
               min(q.sent_at) AS sent_at,
               sum(CASE WHEN q.status = 'returned'
                   OR EXISTS (SELECT 1 FROM comments c WHERE c.document_id = q.document_id
                       AND c.organization_id = q.organization_id
                       AND (c.request_id = q.id OR c.request_id IS NULL))
                   OR EXISTS (SELECT 1 FROM positions p WHERE p.document_id = q.document_id
                       AND p.organization_id = q.organization_id
                       AND (p.request_id = q.id OR p.request_id IS NULL)) THEN 1 ELSE 0 END)
                   AS answered
        FROM review_requests q
        JOIN organizations o ON o.id = q.organization_id
        JOIN documents d ON d.id = q.document_id
        {join}
        WHERE q.status IN ('sent', 'returned') AND d.deleted_at IS NULL
          AND ({group} IS NOT NULL OR o.kind = 'slt')
        GROUP BY q.document_id, d.title, {group}
        ORDER BY d.title COLLATE NOCASE, {group}
        """
    )
    return [
        SolicitationRate(
            r["document_id"],
            r["title"],
            r["solicitation_id"],
            r["asked"],
            r["answered"] or 0,
            r["sent_at"] or "",
        )
        for r in rows
    ]


# -- a document's timeline -----------------------------------------------------------------
@dataclass(frozen=True)
class Phase:
    stage: str
    version: int
    start: str
    end: str | None  # None: still in it

    @property
    def label(self) -> str:
        return STAGES[self.stage]


@dataclass(frozen=True)
class TimelineEvent:
    at: str
    action: str
    label: str


@dataclass(frozen=True)
class Timeline:
    document_id: int
    title: str
    today: str
    phases: tuple[Phase, ...]
    events: tuple[TimelineEvent, ...]

    def as_dict(self) -> dict:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "phases": [
                {"stage": p.stage, "version": p.version, "start": p.start, "end": p.end}
                for p in self.phases
            ],
            "events": [{"at": e.at, "action": e.action, "label": e.label} for e in self.events],
        }


def timeline(ws, document_id: int) -> Timeline:
    """Draft → coordination → published, per version, from the audit log."""
    row = next(
        ws.db.query(
            "SELECT title FROM documents WHERE id = ? AND deleted_at IS NULL", [document_id]
        ),
        None,
    )
    if row is None:
        raise NotFound(f"No document with id {document_id}.")
    rows = ws.db.query(
        """
        SELECT id, at, action, details FROM audit_log
        WHERE entity = 'document' AND entity_id = :d
          AND action IN ('document.create', 'document.new_version', 'document.publish')
        UNION ALL
        SELECT id, at, action, details FROM audit_log
        WHERE entity = 'review_request'
          AND action IN ('request.send', 'request.extend', 'request.withdraw')
          AND entity_id IN (SELECT id FROM review_requests WHERE document_id = :d)
        ORDER BY id
        """,
        {"d": document_id},
    )
    events: list[TimelineEvent] = []
    phases: list[Phase] = []
    stage: str | None = None
    version = 1
    start = ""  # set together with stage, and read only once stage is set

    def close(at: str) -> None:
        if stage is not None:
            phases.append(Phase(stage, version, start, at))

    for r in rows:
        details = json.loads(r["details"] or "{}")
        action, at = r["action"], r["at"]
        if action == "document.create":
            stage, start = "draft", at
            label = "Created"
        elif action == "document.new_version":
            close(at)
            version = details.get("version", version + 1)
            stage, start = "draft", at
            label = f"Version {version} started"
        elif action == "request.extend":
            label = (
                f"Suspense for {details.get('organization', '?')} extended to "
                f"{details.get('new', '?')}: {details.get('reason', '')}"
            )
        elif action == "request.withdraw":
            label = f"Request to {details.get('organization', '?')} recalled"
        elif action == "request.send":
            label = f"Sent to {details.get('organization', '?')}"
            if stage == "draft":
                close(at)
                stage, start = "in_coordination", at
        else:
            label = f"Published version {details.get('version', version)}"
            close(at)
            stage, start = "published", at
        events.append(TimelineEvent(at, action, label))
    if stage is not None:
        phases.append(Phase(stage, version, start, None))
    return Timeline(document_id, row["title"], ws.now(), tuple(phases), tuple(events))
