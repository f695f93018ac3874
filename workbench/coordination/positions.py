"""Positions on a document (concur, with comment, non-concur) and how non-concurrence ends."""

from __future__ import annotations

from dataclasses import dataclass

from workbench import audit
from workbench.coordination import requests as rq
from workbench.coordination.sequence import next_seq
from workbench.directory import organization
from workbench.documents import document
from workbench.errors import NotFound, RuleViolation, WorkbenchError
from workbench.sections import outline
from workbench.workspace import use_case

POSITIONS = {
    "concur": "Concur",
    "concur_with_comment": "Concur with comment",
    "non_concur": "Non-concur",
}
EVENT_LABELS = {"cleared": "Cleared", "withdrawn": "Withdrawn", "overridden": "Overridden"}


@dataclass(frozen=True)
class Position:
    id: int
    document_id: int
    organization: str
    organization_id: int
    request_id: int | None
    position: str
    by_name: str
    by_title: str
    at: str
    document_version: int
    reviewed: dict  # section id -> content hash the reviewer saw

    @property
    def label(self) -> str:
        return POSITIONS[self.position]


@dataclass(frozen=True)
class NonConcurrenceEvent:
    id: int
    kind: str
    by_name: str
    by_title: str
    at: str
    reason: str
    document_version: int

    @property
    def label(self) -> str:
        return EVENT_LABELS[self.kind]


@dataclass(frozen=True)
class NonConcurrence:
    """An organization's objection to a document and where it stands."""

    organization: str
    organization_id: int
    position: Position | None
    critical_ids: tuple[int, ...]
    open_critical_ids: tuple[int, ...]  # no disposition yet
    rejected_critical_ids: tuple[int, ...]
    state: (
        str  # "pending" (awaits adjudication) | "standing" | "cleared" | "withdrawn" | "overridden"
    )
    resolved_by: NonConcurrenceEvent | None

    @property
    def stands(self) -> bool:
        return self.state in ("pending", "standing")


def positions(ws, document_id: int, organization_code: str | None = None) -> list[Position]:
    sql = (
        "SELECT p.*, o.code FROM positions p JOIN organizations o ON o.id = p.organization_id "
        "WHERE p.document_id = ?"
    )
    params: list = [document_id]
    if organization_code:
        sql += " AND o.code = ?"
        params.append(organization_code)
    rows = list(ws.db.query(sql + " ORDER BY p.id", params))
    reviewed: dict[int, dict] = {}
    for r in ws.db.query(
        "SELECT x.* FROM position_sections x JOIN positions p ON p.id = x.position_id "
        "WHERE p.document_id = ?",
        [document_id],
    ):
        reviewed.setdefault(r["position_id"], {})[r["section_id"]] = r["content_hash"]
    return [
        Position(
            r["id"],
            r["document_id"],
            r["code"],
            r["organization_id"],
            r["request_id"],
            r["position"],
            r["by_name"],
            r["by_title"],
            r["at"],
            r["document_version"],
            reviewed.get(r["id"], {}),
        )
        for r in rows
    ]


def latest_positions(ws, document_id: int) -> dict[str, Position]:
    out: dict[str, Position] = {}
    for p in positions(ws, document_id):
        out[p.organization] = p
    return out


def _events(ws, document_id: int) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for r in ws.db.query(
        "SELECT * FROM nonconcurrence_events WHERE document_id = ? ORDER BY id", [document_id]
    ):
        out.setdefault(r["organization_id"], []).append(r)
    return out


def events(ws, document_id: int, organization_id: int) -> list[NonConcurrenceEvent]:
    return [
        NonConcurrenceEvent(
            r["id"],
            r["kind"],
            r["by_name"],
            r["by_title"],
            r["at"],
            r["reason"],
            r["document_version"],
        )
        for r in _events(ws, document_id).get(organization_id, [])
    ]


def nonconcurrences(ws, document_id: int) -> list[NonConcurrence]:
    """Every organization that non-concurs, or did: by position or by a Critical comment."""
    latest = latest_positions(ws, document_id)
    criticals: dict[int, list[dict]] = {}
    codes: dict[int, str] = {}
    for r in ws.db.query(
        "SELECT c.id, c.organization_id, c.disposition, o.code FROM comments c "
        "JOIN organizations o ON o.id = c.organization_id WHERE c.document_id = ? "
        "AND c.type = 'C' AND c.superseded_by_id IS NULL ORDER BY c.id",
        [document_id],
    ):
        criticals.setdefault(r["organization_id"], []).append(r)
        codes[r["organization_id"]] = r["code"]
    for p in latest.values():
        codes.setdefault(p.organization_id, p.organization)
    events_by_org = _events(ws, document_id)
    accepted_at = _acceptance_order(ws, [c["id"] for cs in criticals.values() for c in cs])
    out = []
    for org_id, code in codes.items():
        pos = latest.get(code)
        crit = criticals.get(org_id, [])
        if pos is not None and pos.position == "non_concur" and crit:
            # A non-concurrence answers to its own Critical comments: those accepted before the
            # position was given cannot clear it (an objection raised after an acceptance).
            given = _position_seq(ws, pos.id)
            crit = [
                c
                for c in crit
                if c["disposition"] not in ACCEPTING or accepted_at.get(c["id"], 0) > given
            ]
        if not crit and (pos is None or pos.position != "non_concur"):
            continue
        open_ids = tuple(c["id"] for c in crit if c["disposition"] is None)
        rejected = tuple(c["id"] for c in crit if c["disposition"] == "rejected")
        last_critical = crit[-1]["id"] if crit else None
        resolved = None
        for e in reversed(events_by_org.get(org_id, [])):
            if (
                e["kind"] in ("withdrawn", "overridden")
                and e["position_id"] == (pos.id if pos else None)
                and e["last_critical_comment_id"] == last_critical
            ):
                resolved = NonConcurrenceEvent(
                    e["id"],
                    e["kind"],
                    e["by_name"],
                    e["by_title"],
                    e["at"],
                    e["reason"],
                    e["document_version"],
                )
                break
        if resolved:
            state = resolved.kind
        elif open_ids:
            state = "pending"
        elif crit and not rejected:
            state = "cleared"
        else:
            state = "standing"
        out.append(
            NonConcurrence(
                code, org_id, pos, tuple(c["id"] for c in crit), open_ids, rejected, state, resolved
            )
        )
    return out


ACCEPTING = ("accepted", "accepted_with_modification")


def _position_seq(ws, position_id: int) -> int:
    """Where the position stands in the coordination order (see coordination/sequence.py)."""
    row = next(ws.db.query("SELECT seq FROM positions WHERE id = ?", [position_id]))
    return row["seq"] or 0


def _acceptance_order(ws, comment_ids: list[int]) -> dict[int, int]:
    if not comment_ids:
        return {}
    marks = ",".join("?" * len(comment_ids))
    return {
        r["id"]: r["disposition_seq"] or 0
        for r in ws.db.query(
            f"SELECT id, disposition_seq FROM comments WHERE id IN ({marks})", comment_ids
        )
    }


def nonconcurrence(ws, document_id: int, organization_code: str) -> NonConcurrence | None:
    code = organization(ws, organization_code).code
    return next((n for n in nonconcurrences(ws, document_id) if n.organization == code), None)


def note_clearance(ws, document_id: int, organization_id: int) -> None:
    """Within a use-case: when acceptance clears a non-concurrence, the record says so."""
    code = organization(ws, organization_id).code
    nc = nonconcurrence(ws, document_id, code)
    if nc is None or nc.state != "cleared":
        return
    last_critical = nc.critical_ids[-1] if nc.critical_ids else None
    already = next(
        ws.db.query(
            "SELECT 1 FROM nonconcurrence_events WHERE document_id = ? AND organization_id = ? AND "
            "kind = 'cleared' AND last_critical_comment_id IS NOT DISTINCT FROM ?",
            [document_id, organization_id, last_critical],
        ),
        None,
    )
    if already:
        return
    doc = document(ws, document_id)
    ws.db.execute(
        "INSERT INTO nonconcurrence_events (document_id, organization_id, position_id, "
        "last_critical_comment_id, kind, by_name, at, reason, document_version) "
        "VALUES (?, ?, ?, ?, 'cleared', ?, ?, ?, ?)",
        [
            document_id,
            organization_id,
            nc.position.id if nc.position else None,
            last_critical,
            ws.actor,
            ws.now(),
            "All Critical comments accepted.",
            doc.version,
        ],
    )
    audit.record(
        ws,
        "nonconcurrence.cleared",
        "document",
        document_id,
        organization=code,
        reason="All Critical comments accepted",
    )


def _reviewed_sections(
    ws, document_id: int, org_code: str, request_id: int | None, section_ids
) -> dict[int, str]:
    current = {e.id: e.content_hash for e in outline(ws, document_id)}
    if request_id is not None:
        req = rq.request(ws, request_id)
        if req.document_id != document_id or req.organization != org_code:
            raise WorkbenchError(
                f"Review request {request_id} is not {org_code}'s request for this document."
            )
        if req.stored_status == "withdrawn":
            raise RuleViolation(f"Review request {request_id} was withdrawn.")
        return {s.section_id: s.content_hash for s in req.sections}
    if section_ids is None:
        section_ids = rq.sections_with_equities(ws, document_id, org_code)
    missing = [s for s in section_ids if s not in current]
    if missing:
        raise NotFound(f"Section {missing[0]} is not in this document.")
    return {s: current[s] for s in section_ids}


@use_case
def record_position(
    ws,
    document_id: int,
    organization_code: str,
    position: str,
    *,
    by_name: str,
    by_title: str = "",
    at: str | None = None,
    request_id: int | None = None,
    section_ids=None,
) -> int:
    """An organization's position, bound to the text of each section its reviewer saw."""
    doc = document(ws, document_id)
    org = organization(ws, organization_code)
    if position not in POSITIONS:
        raise WorkbenchError(f"A position is one of {', '.join(POSITIONS.values())}.")
    if not by_name.strip():
        raise WorkbenchError("Say who gave the position.")
    reviewed = _reviewed_sections(ws, document_id, org.code, request_id, section_ids)
    cur = ws.db.execute(
        "INSERT INTO positions (document_id, organization_id, request_id, position, by_name, "
        "by_title, at, document_version, recorded_by, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            org.id,
            request_id,
            position,
            by_name.strip(),
            by_title.strip(),
            at or ws.now(),
            doc.version,
            ws.actor,
            next_seq(ws),
        ],
    )
    pid = cur.lastrowid
    ws.db.executemany(
        "INSERT INTO position_sections (position_id, section_id, content_hash) VALUES (?, ?, ?)",
        [(pid, s, h) for s, h in reviewed.items()],
    )
    if request_id is not None:
        rq.mark_returned(ws, request_id)
    audit.record(
        ws,
        "position.record",
        "position",
        pid,
        document_id=document_id,
        organization=org.code,
        position=position,
        by_name=by_name.strip(),
        by_title=by_title.strip(),
        sections=sorted(reviewed),
    )
    note_clearance(ws, document_id, org.id)
    return pid


def require_director(ws, by_name: str | None = None) -> str:
    """The acting person's name, who must hold the Director role (a typed name proves nothing).

    by_name, where a caller still passes one, must name the acting person: it cannot speak for
    anyone else.
    """
    from workbench.authority import decisions

    person = decisions.require_director(ws)
    _same_person(person, by_name)
    return person.name


def _same_person(person, by_name: str | None) -> None:
    if by_name is not None and by_name.strip().casefold() != person.name.casefold():
        raise RuleViolation(
            f"You are acting as {person.name}; a decision cannot be recorded in the name of "
            f"{by_name.strip() or 'someone else'}."
        )


def _end_nonconcurrence(
    ws,
    document_id: int,
    organization_code: str,
    kind: str,
    by_name: str,
    by_title: str,
    reason: str,
) -> int:
    org = organization(ws, organization_code)
    nc = nonconcurrence(ws, document_id, org.code)
    if nc is None or not nc.stands:
        raise RuleViolation(f"{org.code} has no standing non-concurrence on this document.")
    if not reason.strip():
        raise WorkbenchError("A withdrawal or override must say why.")
    doc = document(ws, document_id)
    cur = ws.db.execute(
        "INSERT INTO nonconcurrence_events (document_id, organization_id, position_id, "
        "last_critical_comment_id, kind, by_name, by_title, at, reason, document_version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            org.id,
            nc.position.id if nc.position else None,
            nc.critical_ids[-1] if nc.critical_ids else None,
            kind,
            by_name.strip(),
            by_title.strip(),
            ws.now(),
            reason.strip(),
            doc.version,
        ],
    )
    audit.record(
        ws,
        f"nonconcurrence.{kind}",
        "document",
        document_id,
        organization=org.code,
        by_name=by_name.strip(),
        by_title=by_title.strip(),
        reason=reason.strip(),
    )
    return cur.lastrowid


@use_case
def withdraw_nonconcurrence(
    ws,
    document_id: int,
    organization_code: str,
    *,
    reason: str,
    by_name: str | None = None,
    by_title: str | None = None,
) -> int:
    """The organization's withdrawal: the acting person must be one of its people.

    Users withdraw through `workbench.authority.rulings`, which also signs the decision.
    """
    from workbench.authority import identity

    person = identity.require_person(ws)
    _same_person(person, by_name)
    org = organization(ws, organization_code)
    if person.organization_id != org.id:
        raise RuleViolation(
            f"Only someone of {org.code} can withdraw its non-concurrence; you are acting as "
            f"{person.name}"
            + (f" ({person.organization_code})." if person.organization_code else ".")
        )
    title = (by_title or "").strip() or person.title
    if not title:
        raise WorkbenchError(
            f"A withdrawal says at what level it is signed: give {person.name} a title in the "
            "directory."
        )
    return _end_nonconcurrence(
        ws, document_id, organization_code, "withdrawn", person.name, title, reason
    )


@use_case
def override_nonconcurrence(
    ws,
    document_id: int,
    organization_code: str,
    *,
    reason: str,
    by_name: str | None = None,
) -> int:
    """The Director decides an impasse; the reason is printed in the coordination record.

    Users override through `workbench.authority.rulings`, which also signs the decision.
    """
    director = require_director(ws, by_name)
    return _end_nonconcurrence(
        ws, document_id, organization_code, "overridden", director, "Director", reason
    )


def position_authentication(ws, document_id: int) -> dict[int, str]:
    """Position id -> how the response that gave it was authenticated ("" for older imports)."""
    return {
        r["position_id"]: r["authentication"]
        for r in ws.db.query(
            "SELECT x.position_id, x.authentication FROM exchange_imports x "
            "JOIN review_requests q ON q.id = x.request_id "
            "WHERE q.document_id = ? AND x.position_id IS NOT NULL",
            [document_id],
        )
    }
