"""Coordination at a glance: stages, outstanding and overdue reviews, open comments, due dates."""

from __future__ import annotations

import bisect
import collections
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


def _has_table(db, name: str) -> bool:
    return name in db.table_names()


_CHUNK = 500  # ids per IN list (SQLite allows 999 parameters in old builds)
# SQLite's NOCASE folds ASCII letters only and compares the rest code point by code point.
_NOCASE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
FULL_SHARE = 0.25  # more documents changed than this share: read them all again


def _title_key(title: str, doc_id: int) -> tuple[str, int]:
    """The order of `ORDER BY title COLLATE NOCASE, id` on SQLite (PostgreSQL's nocase is an
    ICU collation, which Python does not reproduce: see LiveDashboard._update)."""
    return title.translate(_NOCASE), doc_id


def _rows(conn, sql: str, column: str, ids: list[int] | None) -> list[tuple]:
    """`sql` with `{only}` as nothing (every document) or as `AND column IN (ids)`."""
    if ids is None:
        return conn.execute(sql.format(only="")).fetchall()
    out: list[tuple] = []
    for at in range(0, len(ids), _CHUNK):
        chunk = ids[at : at + _CHUNK]
        only = f"AND {column} IN ({', '.join('?' * len(chunk))})"
        out.extend(conn.execute(sql.format(only=only), chunk).fetchall())
    return out


@dataclass
class _Figures:
    """What the queries say about some documents (or all), by document id."""

    docs: list[tuple]  # id, title, kind, status, version, due_date, created_at, marking
    progress: dict[int, DocumentProgress]
    due: dict[int, DueItem]
    open_counts: dict[int, list[tuple[str, str, int]]]  # organization code, type, n
    rates: dict[int, list[SolicitationRate]]


def _read(conn, ids: list[int] | None, today: dt.date, calendar: workdays.Calendar) -> _Figures:
    """The figures of these documents (None: every live document), in a handful of aggregate
    queries. Rows are read as tuples and each distinct date parsed once: at 16,000 documents
    the per-row dicts and date parsing cost more than the queries."""
    docs = _rows(
        conn,
        "SELECT id, title, kind, status, version, due_date, created_at, marking FROM documents "
        "WHERE deleted_at IS NULL {only} ORDER BY title COLLATE NOCASE, id",
        "id",
        ids,
    )
    new_version_at = dict(
        _rows(
            conn,
            "SELECT entity_id, max(at) AS at FROM audit_log WHERE entity = 'document' "
            "AND action = 'document.new_version' {only} GROUP BY entity_id",
            "entity_id",
            ids,
        )
    )
    first_sent = dict(
        _rows(
            conn,
            "SELECT q.document_id, min(q.sent_at) AS at FROM review_requests q "
            "JOIN documents d ON d.id = q.document_id AND q.document_version = d.version "
            "WHERE q.sent_at IS NOT NULL {only} GROUP BY q.document_id",
            "q.document_id",
            ids,
        )
    )
    published_at = dict(
        _rows(
            conn,
            "SELECT document_id, max(published_at) AS at FROM publications WHERE 1 = 1 {only} "
            "GROUP BY document_id",
            "document_id",
            ids,
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
    for doc, code, suspense, n in _rows(
        conn,
        "SELECT q.document_id, o.code, q.suspense_date, count(*) AS n FROM review_requests q "
        "JOIN organizations o ON o.id = q.organization_id WHERE q.status = 'sent' {only} "
        "GROUP BY q.document_id, o.code, q.suspense_date",
        "q.document_id",
        ids,
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
    live = {d[0] for d in docs}
    codes = dict(conn.execute("SELECT id, code FROM organizations"))
    open_counts: dict[int, list[tuple[str, str, int]]] = {}
    # Kept current by the comments' triggers (m013): no scan of every open comment.
    for doc_id, org_id, ctype, n in _rows(
        conn,
        "SELECT document_id, organization_id, type, n FROM open_comment_counts WHERE 1 = 1 "
        "{only} ORDER BY document_id, organization_id, type",
        "document_id",
        ids,
    ):
        if doc_id in live:
            open_counts.setdefault(doc_id, []).append((codes[org_id], ctype, n))
    progress: dict[int, DocumentProgress] = {}
    due_items: dict[int, DueItem] = {}
    for doc_id, title, kind, status, version, due_date, created_at, _marking in docs:
        if status == "published":
            since = published_at.get(doc_id) or created_at
        elif status == "in_coordination":
            since = first_sent.get(doc_id) or new_version_at.get(doc_id) or created_at
        else:
            since = new_version_at.get(doc_id) if version > 1 else None
            since = since or created_at
        open_c: dict[str, dict[str, int]] = {}
        for code, ctype, n in open_counts.get(doc_id, ()):
            if ctype != "A":
                open_c.setdefault(ctype, {})[code] = n
        progress[doc_id] = DocumentProgress(
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
        if due_date:
            due = day(due_date)
            due_items[doc_id] = DueItem(
                doc_id,
                title,
                kind,
                status,
                due_date,
                (due - today).days,
                calendar.workdays_between(today, due),
                published_at.get(doc_id),
            )
    rates: dict[int, list[SolicitationRate]] = {}
    for rate in _solicitation_rates(conn, ids):
        rates.setdefault(rate.document_id, []).append(rate)
    return _Figures(docs, progress, due_items, open_counts, rates)


def _solicitation_rows(conn, ids: list[int] | None) -> list[tuple]:
    grouped = _has_table(conn, "solicitation_requests")
    group = "sr.solicitation_id" if grouped else "NULL"
    join = "LEFT JOIN solicitation_requests sr ON sr.request_id = q.id" if grouped else ""
    return _rows(
        conn,
        f"""
        SELECT q.document_id, d.title, {group} AS solicitation_id, count(*) AS asked,
               sum(CASE WHEN q.status = 'returned'
                   OR EXISTS (SELECT 1 FROM comments c WHERE c.document_id = q.document_id
                       AND c.organization_id = q.organization_id
                       AND (c.request_id = q.id OR c.request_id IS NULL))
                   OR EXISTS (SELECT 1 FROM positions p WHERE p.document_id = q.document_id
                       AND p.organization_id = q.organization_id
                       AND (p.request_id = q.id OR p.request_id IS NULL)) THEN 1 ELSE 0 END)
                   AS answered,
               min(q.sent_at) AS sent_at
        FROM review_requests q
        JOIN organizations o ON o.id = q.organization_id
        JOIN documents d ON d.id = q.document_id
        {join}
        WHERE q.status IN ('sent', 'returned') AND d.deleted_at IS NULL
          AND ({group} IS NOT NULL OR o.kind = 'slt') {{only}}
        GROUP BY q.document_id, d.title, {group}
        ORDER BY d.title COLLATE NOCASE, q.document_id, {group}
        """,
        "q.document_id",
        ids,
    )


def _solicitation_rates(conn, ids: list[int] | None) -> list[SolicitationRate]:
    return [
        SolicitationRate(doc_id, title, sol_id, asked, answered or 0, sent_at or "")
        for doc_id, title, sol_id, asked, answered, sent_at in _solicitation_rows(conn, ids)
    ]


def solicitation_rates(ws) -> list[SolicitationRate]:
    """Answered / asked for each solicitation of external reviewers.

    A bulk solicitation groups its requests; requests to state, local and tribal reviewers
    outside one count as their document's solicitation. Withdrawn and unsent requests were
    never asked.
    """
    return _solicitation_rates(ws.db, None)


def open_comment_counts(ws) -> dict[tuple[int, int, str], int]:
    """(document id, organization id, type) -> comments with no disposition, not superseded."""
    return {
        (doc, org, ctype): n
        for doc, org, ctype, n in ws.db.execute(
            "SELECT document_id, organization_id, type, n FROM open_comment_counts "
            "ORDER BY document_id, organization_id, type"
        )
    }


class LiveDashboard:
    """The dashboard kept between refreshes: each refresh reads again only the documents
    written since the last one.

    The schema's triggers (m015) note in `dashboard_changes` every document whose figures a
    write can have changed (its row, requests, comments, positions, publications, a new
    version), and document 0 for a change that touches them all (an organization, an office
    closure); a new day reads everything again. The figures are exactly `dashboard(ws)`'s;
    a document untouched keeps the very objects of the last refresh. One per reader: not
    for use from two threads at once.
    """

    def __init__(self):
        self._seq: int | None = None
        self._file: tuple | None = None  # which workspace file the state is of
        self._today: dt.date | None = None
        self._rows: dict[int, tuple] = {}  # document id -> its documents row
        self._order: list[int] = []  # document ids in title order
        self._keys: list[tuple[str, int]] = []  # their sort keys, for bisect
        self._figures: _Figures | None = None
        self._by_org: dict[str, dict[str, int]] = {}
        self._markings: collections.Counter[str] = collections.Counter()
        self.board: Dashboard | None = None
        self.documents_read = 0  # at the last refresh: how many documents were read again

    def refresh(self, ws) -> Dashboard:
        conn = ws.db
        with conn.snapshot():
            today = ws.today()
            calendar = closures.calendar(ws)
            fed = _has_table(conn, "dashboard_changes")
            seq = (
                conn.execute("SELECT max(seq) FROM dashboard_changes").fetchone()[0]
                if fed
                else None
            )
            seq = seq or 0
            file = (str(ws.path), ws.workspace_id)
            changed: list[int] | None = None
            if (
                fed
                and self.board is not None
                and self._seq is not None
                and file == self._file
                and today == self._today
                and seq >= self._seq
            ):
                changed = [
                    r[0]
                    for r in conn.execute(
                        "SELECT document_id FROM dashboard_changes WHERE seq > ?", [self._seq]
                    )
                ]
                if not changed:
                    self.documents_read = 0
                    return self.board
                if 0 in changed or len(changed) > FULL_SHARE * max(1, len(self._rows)):
                    changed = None
            if changed is None:
                self._full(conn, today, calendar)
            else:
                self._update(conn, sorted(changed), today, calendar)
                if self._figures is None:  # a document moved where Python cannot place it
                    self._full(conn, today, calendar)
            self._seq, self._file, self._today = seq if fed else None, file, today
            self.board = self._assemble(today)
            return self.board

    def _full(self, conn, today: dt.date, calendar: workdays.Calendar) -> None:
        figures = _read(conn, None, today, calendar)
        self._figures = figures
        self._rows = {r[0]: r for r in figures.docs}
        self._order = [r[0] for r in figures.docs]
        self._keys = [_title_key(r[1], r[0]) for r in figures.docs]
        self._markings = collections.Counter(r[7] for r in figures.docs)
        self._by_org = {}
        for counts in figures.open_counts.values():
            self._count(counts, +1)
        self.documents_read = len(figures.docs)

    def _update(self, conn, ids: list[int], today: dt.date, calendar: workdays.Calendar) -> None:
        fresh = _read(conn, ids, today, calendar)
        kept = self._figures
        assert kept is not None  # a partial refresh follows a full one
        rows = {r[0]: r for r in fresh.docs}
        if conn.engine != "sqlite" and any(
            (self._rows.get(i) or (0, None))[1] != (rows.get(i) or (0, None))[1] for i in ids
        ):
            # Added, removed or renamed: its place in PostgreSQL's (ICU) title order is the
            # server's to say; read everything again.
            self._figures = None
            return
        for doc_id in ids:
            was, now = self._rows.pop(doc_id, None), rows.get(doc_id)
            if was is not None:
                self._markings[was[7]] -= 1
                if now is None or now[1] != was[1]:  # gone, or its title moves it
                    at = bisect.bisect_left(self._keys, _title_key(was[1], doc_id))
                    del self._keys[at], self._order[at]
            if now is not None:
                self._markings[now[7]] += 1
                self._rows[doc_id] = now
                if was is None or now[1] != was[1]:
                    key = _title_key(now[1], doc_id)
                    at = bisect.bisect_left(self._keys, key)
                    self._keys.insert(at, key)
                    self._order.insert(at, doc_id)
            self._count(kept.open_counts.pop(doc_id, ()), -1)
            self._count(fresh.open_counts.get(doc_id, ()), +1)
            _replace(kept.progress, fresh.progress, doc_id)
            _replace(kept.due, fresh.due, doc_id)
            _replace(kept.open_counts, fresh.open_counts, doc_id)
            _replace(kept.rates, fresh.rates, doc_id)
        self._markings = +self._markings  # drops markings no document has any more
        self.documents_read = len(ids)

    def _count(self, counts, sign: int) -> None:
        for code, ctype, n in counts:
            totals = self._by_org.get(code)
            if totals is None:
                totals = self._by_org[code] = dict.fromkeys(COMMENT_TYPE_ORDER, 0)
            totals[ctype] += sign * n
            if not any(totals.values()):
                del self._by_org[code]

    def _assemble(self, today: dt.date) -> Dashboard:
        figures = self._figures
        assert figures is not None
        progress = figures.progress
        due_items = [figures.due[i] for i in self._order if i in figures.due]
        due_items.sort(key=lambda i: (i.status == "published", i.due_date, i.title))
        rates = figures.rates
        by_org = dict(
            sorted(
                ((code, dict(n)) for code, n in self._by_org.items()),
                key=lambda kv: (-sum(kv[1].values()), -kv[1]["C"], -kv[1]["S"], kv[0]),
            )
        )
        return Dashboard(
            today.isoformat(),
            tuple(progress[i] for i in self._order),
            tuple(r for i in self._order for r in rates.get(i, ())),
            tuple(due_items),
            by_org,
            tuple(sorted(self._markings)),
        )


def _replace(kept: dict, fresh: dict, key) -> None:
    if key in fresh:
        kept[key] = fresh[key]
    else:
        kept.pop(key, None)


def dashboard(ws) -> Dashboard:
    """Every live document's progress, read afresh (a window keeps a `LiveDashboard`)."""
    return LiveDashboard().refresh(ws)


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
