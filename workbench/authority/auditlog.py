"""Reading the audit log for people: filters by document, person, action and date; CSV."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass

# Entities whose rows belong to one document, and how to find that document.
_DOCUMENT_OF = {
    "section": "SELECT document_id FROM sections WHERE id = a.entity_id",
    "comment": "SELECT document_id FROM comments WHERE id = a.entity_id",
    "review_request": "SELECT document_id FROM review_requests WHERE id = a.entity_id",
    "position": "SELECT document_id FROM positions WHERE id = a.entity_id",
    "waiver": "SELECT document_id FROM waivers WHERE id = a.entity_id",
    "publication": "SELECT document_id FROM publications WHERE id = a.entity_id",
}
CSV_COLUMNS = ("id", "at", "person", "os_account", "action", "entity", "entity_id", "details")


@dataclass(frozen=True)
class LogRow:
    """One audit entry as a reader sees it: who (the person), as which OS account, did what."""

    id: int
    at: str
    person: str
    person_id: int | None
    os_account: str
    action: str
    entity: str
    entity_id: int | None
    document_id: int | None
    details: dict

    def as_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        account = f" [{self.os_account}]" if self.os_account else ""
        target = f" {self.entity} {self.entity_id}" if self.entity_id is not None else ""
        return f"{self.at}  {self.person}{account}  {self.action}{target}"


def _document_expr(ws) -> str:
    cases = " ".join(f"WHEN '{e}' THEN ({sql})" for e, sql in _DOCUMENT_OF.items())
    return (
        "COALESCE(CASE a.entity WHEN 'document' THEN a.entity_id "
        f"{cases} END, {ws.db.dialect.json_int('a.details', 'document_id')})"
    )


def entries(
    ws,
    *,
    document_id: int | None = None,
    person: str | int | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[LogRow]:
    """Entries newest first. person matches a directory id or a name (case-insensitive)."""
    doc = _document_expr(ws)
    sql = (
        f"SELECT a.id, a.at, a.actor, a.person_id, a.os_account, a.action, a.entity, "
        f"a.entity_id, a.details, {doc} AS document_id FROM audit_log a WHERE 1=1"
    )
    params: list = []
    if document_id is not None:
        sql += f" AND {doc} = ?"
        params.append(document_id)
    if person is not None and str(person).strip():
        ref = str(person).strip()
        if ref.isdigit():
            sql += " AND a.person_id = ?"
            params.append(int(ref))
        else:
            sql += " AND a.actor = ? COLLATE NOCASE"
            params.append(ref)
    if action:
        sql += " AND a.action LIKE ? ESCAPE '\\'"
        params.append(action.replace("%", "\\%").replace("_", "\\_") + "%")
    if since:
        sql += " AND a.at >= ?"
        params.append(since[:10])
    if until:
        sql += " AND substr(a.at, 1, 10) <= ?"
        params.append(until[:10])
    sql += " ORDER BY a.id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    out = []
    for r in ws.db.query(sql, params):
        try:
            details = json.loads(r["details"])
        except ValueError:
            details = {"unreadable": r["details"]}
        out.append(
            LogRow(
                r["id"],
                r["at"],
                r["actor"],
                r["person_id"],
                r["os_account"] or "",
                r["action"],
                r["entity"],
                r["entity_id"],
                r["document_id"],
                details if isinstance(details, dict) else {"value": details},
            )
        )
    return out


def actions_in_log(ws) -> list[str]:
    return [r["action"] for r in ws.db.query("SELECT DISTINCT action FROM audit_log ORDER BY 1")]


def readable(details: dict) -> str:
    """An entry's details for reading: "key: value" pairs, lists joined (JSON stays in CSV)."""

    def value(v) -> str:
        if isinstance(v, list):
            return ", ".join(value(x) for x in v) or "none"
        if isinstance(v, dict):
            return json.dumps(v, ensure_ascii=False, sort_keys=True)
        if v is None:
            return "none"
        if isinstance(v, bool):
            return "yes" if v else "no"
        return str(v)

    return " · ".join(f"{k.replace('_', ' ')}: {value(v)}" for k, v in sorted(details.items()))


def people_in_log(ws) -> list[str]:
    return [r["actor"] for r in ws.db.query("SELECT DISTINCT actor FROM audit_log ORDER BY actor")]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet must not run a formula someone typed into a name or a reason.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(rows: list[LogRow], out) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    r.id,
                    r.at,
                    r.person,
                    r.os_account,
                    r.action,
                    r.entity,
                    r.entity_id,
                    json.dumps(r.details, ensure_ascii=False, sort_keys=True),
                )
            ]
        )
