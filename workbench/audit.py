"""The append-only audit log: each entry chained to the previous one by SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from workbench.errors import RuleViolation

GENESIS = "0" * 64


def _entry_hash(
    prev_hash: str,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    details: str,
    person_id: int | None = None,
    os_account: str | None = None,
) -> str:
    fields = [prev_hash, at, actor, action, entity, entity_id, details]
    if person_id is not None or os_account is not None:
        # Entries written before identities existed hash as they always did.
        fields += [person_id, os_account]
    return hashlib.sha256(_ENCODER.encode(fields).encode("utf-8")).hexdigest()


_HASHED_HEAD = '["' + GENESIS + '",'


def _entry_tail(*fields) -> str:
    """What follows the previous hash in the text `_entry_hash` hashes (its fields but the
    first): the hashed text is '["' + previous hash + '",' + this, as a 64-digit hex hash
    needs no escaping. Lets the server chain an entry whose predecessor the client never saw."""
    text = _ENCODER.encode([GENESIS, *fields])
    assert text.startswith(_HASHED_HEAD)
    return text[len(_HASHED_HEAD) :]


# What json.dumps(..., ensure_ascii=False, separators=(",", ":")) makes, without building an
# encoder per call (a check hashes every entry: a third of its time went to the building).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ENCODER_STR = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


def fingerprint(*parts) -> str:
    """SHA-256 of a row's decisive fields, kept in its audit entry so `check` can replay it."""
    return hashlib.sha256(_ENCODER_STR.encode(list(parts)).encode("utf-8")).hexdigest()


COMMENT_FIELDS = (
    "type",
    "critical_ground",
    "section_id",
    "quoted_passage",
    "comment",
    "rationale",
    "proposed_wording",
)


def comment_digest(row) -> str:
    """The fingerprint of a comment's content (a mapping holding COMMENT_FIELDS)."""
    return fingerprint(*(row[k] for k in COMMENT_FIELDS))


# Taking a document offline, bringing it back and breaking its lease change it while it is out.
OFFLINE_ACTIONS = ("document.take_offline", "document.bring_back", "document.break_lease")
# What may be done to the document in its offline copy (and is brought back): its text,
# outline and figures, its comment resolution matrix, and exports (recorded here on return).
OFFLINE_EDITS = ("section.", "comment.", "figure.", "document.replace_all", "document.export_")
# Entities that belong to one document, and the table that says which.
_DOCUMENT_TABLES = {
    "section": "sections",
    "comment": "comments",
    "review_request": "review_requests",
    "position": "positions",
    "waiver": "waivers",
    "publication": "publications",
    "figure": "figures",
}


class CheckedOut(RuleViolation):
    """A change to a document that is offline (or, in an offline copy, to anything else)."""


def _document_of(ws, entity: str, entity_id: int | None, details: dict) -> int | None:
    doc = details.get("document_id")
    if isinstance(doc, int) and not isinstance(doc, bool):
        return doc
    if entity == "document":
        return entity_id
    table = _DOCUMENT_TABLES.get(entity)
    if table is None or entity_id is None:
        return None
    row = next(ws.db.query(f"SELECT document_id FROM {table} WHERE id = ?", [entity_id]), None)
    return row["document_id"] if row else None


def _when(at: str, *, time: bool = True) -> str:
    """'02 Nov 2026 09:00 UTC' from a stored UTC timestamp (as it is, if it is not one)."""
    try:
        when = dt.datetime.strptime(at[:16], "%Y-%m-%dT%H:%M")
    except ValueError:
        return at
    return f"{when:%d %b %Y %H:%M} UTC" if time else f"{when:%d %b %Y}"


def _has_checkouts(ws) -> bool:
    """Whether the schema knows check-outs (a file older than m016, mid-upgrade, does not)."""
    if getattr(ws, "_knows_checkouts", False):
        return True
    known = "checkouts" in ws.db.table_names()
    if known:
        try:
            ws._knows_checkouts = True
        except AttributeError:
            pass
    return known


def offline_edit_refused(
    ws, action: str, entity: str, entity_id: int | None, details: dict, document_id: int
) -> str | None:
    """Why an entry may not be made in the offline copy of `document_id`: "elsewhere" (about
    anything but that document), "kind" (not a text, outline, figure, comment or export change),
    or None (it may). The one rule: the copy's guard applies it as each entry is written, and
    Bring Back to every entry the copy's log holds after it went out (offline.bring_back)."""
    if action.startswith("spelling."):
        return None  # the workspace dictionary: brought back with the document
    if _document_of(ws, entity, entity_id, details) != document_id:
        return "elsewhere"
    return None if action.startswith(OFFLINE_EDITS) else "kind"


def _offline_guard(ws, action: str, entity: str, entity_id: int | None, details: dict) -> None:
    """Refuse an entry that would change a document someone has taken offline, or, in the
    offline copy itself, anything but that document's text and comments. Every use-case
    writes its entry here, so no path around it changes a checked-out document."""
    if action in OFFLINE_ACTIONS or not _has_checkouts(ws):
        return
    # Both facts in one statement: every save asks (a round trip each on a shared workspace).
    state = next(
        ws.db.query(
            "SELECT (SELECT value FROM meta WHERE key = 'offline_copy') AS copy, "
            "(SELECT 1 FROM checkouts WHERE returned_at IS NULL AND broken_at IS NULL "
            "LIMIT 1) AS out"
        )
    )
    copy = state["copy"]
    if copy is not None:
        mine = next(
            ws.db.query(
                "SELECT c.document_id, d.title FROM checkouts c JOIN documents d ON "
                "d.id = c.document_id WHERE c.token = ? AND c.returned_at IS NULL "
                "AND c.broken_at IS NULL",
                [copy],
            ),
            None,
        )
        if mine is None:
            return  # brought back: an ordinary workspace file again
        refused = offline_edit_refused(ws, action, entity, entity_id, details, mine["document_id"])
        if refused == "elsewhere":
            raise CheckedOut(
                f"This is the offline copy of {mine['title']}; nothing else changes here "
                "(it could not be brought back)."
            )
        if refused:
            raise CheckedOut(
                f"Offline, {mine['title']} takes text, outline, figure and comment changes; "
                "bring it back first (File → Bring Back…) to do this."
            )
        return
    if state["out"] is None:
        return
    doc = _document_of(ws, entity, entity_id, details)
    if doc is None or doc in getattr(ws, "offline_exempt", ()):
        return
    out = next(
        ws.db.query(
            "SELECT c.holder, c.taken_at, c.lease_until, d.title FROM checkouts c "
            "JOIN documents d ON d.id = c.document_id WHERE c.document_id = ? "
            "AND c.returned_at IS NULL AND c.broken_at IS NULL",
            [doc],
        ),
        None,
    )
    if out is not None:
        until = _when(out["lease_until"], time=False)
        lease = (
            f"lease expired on {until}" if out["lease_until"] < ws.now() else f"lease until {until}"
        )
        raise CheckedOut(
            f"{out['holder']} has {out['title']} offline (since {_when(out['taken_at'])}, "
            f"{lease}); it is read-only until it is brought back or the Director breaks the lease."
        )


def record(ws, action: str, entity: str = "", entity_id: int | None = None, **details) -> None:
    """Append one entry; call inside the use-case's transaction, after its other writes (a text
    save holds the chain's lock from here to its commit: other saves queue only for that)."""
    _offline_guard(ws, action, entity, entity_id, details)
    db = ws.db
    at = ws.now()
    text = json.dumps(
        details, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    person_id = getattr(ws, "person_id", None)
    account = getattr(ws, "os_account", None) or ""
    db.claim_chain()
    if db.shares_writer_lock:
        # A text save on a shared workspace: the entry is chained by the server at COMMIT, in
        # the round trip that commits, so saves queue for the chain only while it runs.
        tail = _entry_tail(at, ws.actor, action, entity, entity_id, text, person_id, account)
        digest = db.dialect.sha256_hex("""'["' || head.hash || '",' || ?""")
        db.at_commit(
            "WITH head AS (SELECT coalesce((SELECT hash FROM audit_log ORDER BY id DESC "
            "LIMIT 1), ?) AS hash), entry AS (INSERT INTO audit_log (at, actor, action, entity, "
            "entity_id, details, prev_hash, hash, person_id, os_account) SELECT ?, ?, ?, ?, "
            f"CAST(? AS BIGINT), ?, head.hash, {digest}, CAST(? AS BIGINT), ? FROM head "
            "RETURNING hash) INSERT INTO meta (key, value) SELECT 'audit_head', hash FROM entry "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [GENESIS, at, ws.actor, action, entity, entity_id, text, tail, person_id, account],
        )
        return
    row = next(db.query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"), None)
    prev = row["hash"] if row else GENESIS
    digest = _entry_hash(prev, at, ws.actor, action, entity, entity_id, text, person_id, account)
    db.execute(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, details, prev_hash, hash, "
        "person_id, os_account) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [at, ws.actor, action, entity, entity_id, text, prev, digest, person_id, account],
    )
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [digest],
    )


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int | None
    details: dict


def entries(
    ws,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    action_prefix: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    sql = "SELECT id, at, actor, action, entity, entity_id, details FROM audit_log WHERE 1=1"
    params: list = []
    if entity is not None:
        sql += " AND entity = ?"
        params.append(entity)
    if entity_id is not None:
        sql += " AND entity_id = ?"
        params.append(entity_id)
    if action_prefix is not None:
        sql += " AND action LIKE ? ESCAPE '\\'"
        params.append(action_prefix.replace("%", "\\%").replace("_", "\\_") + "%")
    sql += " ORDER BY id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [
        AuditEntry(
            r["id"],
            r["at"],
            r["actor"],
            r["action"],
            r["entity"],
            r["entity_id"],
            json.loads(r["details"]),
        )
        for r in ws.db.query(sql, params)
    ]


def verify_chain(ws) -> list[str]:
    """Every break in the chain, in plain words; empty when the log is intact."""

    def links():
        for r in ws.db.execute(
            "SELECT id, prev_hash, hash, at, actor, action, entity, entity_id, details, "
            "person_id, os_account FROM audit_log ORDER BY id"
        ):
            id_, prev_hash, digest = r[:3]
            try:
                holds = _entry_hash(prev_hash, *r[3:]) == digest
            except (TypeError, ValueError):  # a value no entry could hold (a blob, say)
                holds = False
            yield id_, prev_hash, digest, holds

    return chain_faults(ws, links())


def rehashes(ws, entry_id: int) -> bool:
    """Whether one entry's stored hash is the hash of its fields (as `record` computed it)."""
    row = ws.db.execute(
        "SELECT prev_hash, at, actor, action, entity, entity_id, details, person_id, "
        "os_account, hash FROM audit_log WHERE id = ?",
        [entry_id],
    ).fetchone()
    if row is None:
        return False
    try:
        return _entry_hash(*row[:9]) == row[9]
    except (TypeError, ValueError):
        return False


def chain_faults(ws, links) -> list[str]:
    """The breaks in a chain read in id order as (id, prev_hash, hash, holds), where holds says
    whether the entry's hash is that of its fields; then the recorded head is compared."""
    problems: list[str] = []
    prev = GENESIS
    last_id = 0
    for id_, prev_hash, digest, holds in links:
        if prev_hash != prev:
            problems.append(
                f"Audit entry {id_} does not follow entry {last_id} "
                "(an entry was removed or reordered)."
            )
        if not holds:
            action, at = ws.db.execute(
                "SELECT action, at FROM audit_log WHERE id = ?", [id_]
            ).fetchone()
            problems.append(f"Audit entry {id_} ({action}, {at}) was altered.")
        prev = digest
        last_id = id_
    # fetchone: a shared workspace's cursor (db.postgres) is iterable but not an iterator.
    head = ws.db.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if head is not None and head[0] != prev:
        problems.append("The newest audit entries were removed (the log ends early).")
    if head is None and last_id:
        problems.append("The audit log's head record is missing.")
    return problems


@dataclass(frozen=True)
class AuditHead:
    """Where the log stood: how many entries, and the chained hash of the newest one."""

    entries: int
    hash: str

    def as_dict(self) -> dict:
        return {"entries": self.entries, "hash": self.hash}

    def token(self) -> str:
        return f"{self.entries}:{self.hash}"

    @classmethod
    def parse(cls, value) -> AuditHead | None:
        """From as_dict() or token() output read from an untrusted file; None if malformed."""
        if isinstance(value, str):
            count, _, tail = value.partition(":")
            value = {"entries": int(count) if count.isdigit() else None, "hash": tail}
        if not isinstance(value, dict):
            return None
        n, digest = value.get("entries"), value.get("hash")
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n < 2**62:
            return None
        if not isinstance(digest, str) or len(digest) != 64:
            return None
        if any(ch not in "0123456789abcdef" for ch in digest):
            return None
        return cls(n, digest)


def head(ws) -> AuditHead:
    """The log's head now (GENESIS with 0 entries for an empty log)."""
    row = next(ws.db.query("SELECT count(*) AS n, max(id) AS last FROM audit_log"))
    if not row["n"]:
        return AuditHead(0, GENESIS)
    last = next(ws.db.query("SELECT hash FROM audit_log WHERE id = ?", [row["last"]]))
    return AuditHead(row["n"], last["hash"])


def entry_hash_at(ws, n: int) -> str | None:
    """The hash of the log's n-th entry (1-based, in order), or None when it has fewer."""
    if n <= 0:
        return GENESIS
    row = next(
        ws.db.query("SELECT hash FROM audit_log ORDER BY id LIMIT 1 OFFSET ?", [n - 1]), None
    )
    return row["hash"] if row else None
