"""Taking a document offline and bringing it back: a check-out with a lease, not a merge engine.

`take_offline` records who has the document and until when, and writes a workspace file that
holds it (the document's rows and what they refer to, and the directory: offline_scope; its
own audit log, rooted in a signed statement of the shared head: offline_log; marked as that
check-out's offline copy). While it
is out, nobody changes the document in the workspace (audit.record refuses any entry about
it), and in the copy nothing but that document's text, outline and comments changes.
`bring_back` replays what changed in the copy through the ordinary use-cases, as the holder,
then closes the check-out; the Director may `break_lease` instead, and the copy keeps its
changes (nothing typed offline is lost, it simply no longer comes back).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from db import connection
from workbench import audit, documents, offline_log, offline_replay, offline_scope, sections
from workbench.errors import RuleViolation, WorkbenchError
from workbench.maintenance import replay_quick
from workbench.use_cases import use_case

COPY_KEY = "offline_copy"  # meta key of an offline copy: the check-out's token
SOURCE_KEY = "offline_source"  # where it came from (the address, never a password)
RETURNED_KEY = "offline_returned"  # a copy already brought back: the token it had
DEFAULT_LEASE_DAYS = 14
Brought = offline_replay.Brought  # what bring_back returns
LEASE_DAYS = (1, 90)  # the shortest and longest lease one may take


@dataclass(frozen=True)
class Checkout:
    id: int
    document_id: int
    title: str
    holder: str
    person_id: int | None
    taken_at: str
    lease_until: str
    copy_name: str
    returned_at: str | None
    broken_at: str | None
    broken_by: str | None
    broken_reason: str
    break_decision_id: int | None

    @property
    def open(self) -> bool:
        return self.returned_at is None and self.broken_at is None

    def describe(self, now: dt.datetime | None = None) -> str:
        """'Avery Lin has it offline since 02 Nov 10:42 (lease until 16 Nov 2026)', or, once
        the lease has run out at `now`, 'checked out to Avery Lin since 02 Nov 10:42 — lease
        expired on 16 Nov 2026'."""
        since, until = _day_time(self.taken_at), day(self.lease_until)
        if now is not None and self.overdue(now):
            return f"checked out to {self.holder} since {since} — lease expired on {until}"
        return f"{self.holder} has it offline since {since} (lease until {until})"

    def held_by(self, ws) -> bool:
        """Whether the person acting in `ws` holds it (the one who may bring it back)."""
        if self.person_id is not None:
            return ws.person_id == self.person_id
        return ws.actor == self.holder

    def overdue(self, now: dt.datetime) -> bool:
        """The lease has run out (the Director may break it; nothing changes by itself)."""
        return self.lease_until < now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(at: str) -> str:
    """'16 Nov 2026': a lease's end as a person reads it."""
    return _day_time(at, time=False)


def lease_end(start: dt.datetime, days: int) -> dt.datetime:
    """When a lease of `days` taken at `start` runs out."""
    return (start + dt.timedelta(days=int(days))).astimezone(dt.UTC)


def _day_time(at: str, *, time: bool = True) -> str:
    try:
        when = dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return at
    return f"{when:%d %b %H:%M}" if time else f"{when:%d %b %Y}"


_SELECT = (
    "SELECT c.id, c.document_id, d.title, c.holder, c.person_id, c.taken_at, c.lease_until, "
    "c.copy_name, c.returned_at, c.broken_at, c.broken_by, c.broken_reason, c.break_decision_id "
    "FROM checkouts c JOIN documents d ON d.id = c.document_id"
)


def _checkout(row) -> Checkout:
    return Checkout(**row)


def checkout(ws, document_id: int) -> Checkout | None:
    """The document's open check-out, if it is offline."""
    row = next(
        ws.db.query(
            _SELECT + " WHERE c.document_id = ? AND c.returned_at IS NULL AND c.broken_at IS NULL",
            [document_id],
        ),
        None,
    )
    return _checkout(row) if row else None


def open_checkouts(ws) -> list[Checkout]:
    return [
        _checkout(r)
        for r in ws.db.query(
            _SELECT + " WHERE c.returned_at IS NULL AND c.broken_at IS NULL ORDER BY c.taken_at"
        )
    ]


def offline_copy(ws) -> Checkout | None:
    """In an offline copy: the check-out it belongs to (None in any other workspace)."""
    token = next(ws.db.query("SELECT value FROM meta WHERE key = ?", [COPY_KEY]), None)
    if token is None:
        return None
    row = next(ws.db.query(_SELECT + " WHERE c.token = ?", [token["value"]]), None)
    return _checkout(row) if row else None


def offline_source(ws) -> str | None:
    row = next(ws.db.query("SELECT value FROM meta WHERE key = ?", [SOURCE_KEY]), None)
    return row["value"] if row else None


# -- taking it offline ------------------------------------------------------------------------
@use_case
def take_offline(ws, document_id: int, dest, *, days: int = DEFAULT_LEASE_DAYS) -> Checkout:
    """Check the document out to the acting person and write its offline copy to `dest`."""
    from workbench.authority import identity
    from workbench.maintenance import copying

    person = identity.require_person(ws)
    doc = documents.document(ws, document_id)
    dest = Path(dest)
    if dest.suffix != ".cnew":
        dest = dest.with_name(dest.name + ".cnew")
    if dest.exists():
        raise WorkbenchError(f"{dest} already exists; choose a new file for the offline copy.")
    if not dest.parent.is_dir():
        raise WorkbenchError(f"The folder {dest.parent} does not exist.")
    if not LEASE_DAYS[0] <= int(days) <= LEASE_DAYS[1]:
        raise WorkbenchError(f"A lease runs from {LEASE_DAYS[0]} to {LEASE_DAYS[1]} days.")
    held = checkout(ws, document_id)
    if held is not None:
        raise RuleViolation(f"{doc.title} is already offline: {held.describe(ws.clock())}.")
    now = ws.now()
    until = lease_end(ws.clock(), days)
    lease_until = until.strftime("%Y-%m-%dT%H:%M:%SZ")
    token = uuid.uuid4().hex
    audit.record(
        ws,
        "document.take_offline",
        "document",
        document_id,
        document_id=document_id,
        holder=person.name,
        lease_until=lease_until,
        copy=dest.name,
    )
    # The copy holds the log up to here; what it brings back must continue exactly this log.
    base = audit.head(ws)
    cur = ws.db.execute(
        "INSERT INTO checkouts (document_id, person_id, holder, os_account, token, taken_at, "
        "lease_until, copy_name, base_entries, base_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [document_id, person.id, person.name, ws.os_account, token, now, lease_until,
         dest.name, base.entries, base.hash],
    )  # fmt: skip
    # The copy is made inside this transaction: it holds the check-out it belongs to, and a
    # failure (a full disk) leaves neither a check-out nor a file. Only this document's rows
    # go (and the rows they refer to), with a log of its own: the signed head, then this
    # log's entries about the document (offline_log).
    signed = offline_log.signed_statement(ws, document_id, token, base)
    only = offline_scope.selection(ws.db, document_id) | {"audit_log": ("1 = 0", [])}
    copying.copy_to_file(
        ws, dest, only=only,
        log=lambda target: offline_log.write_log(ws, target, document_id, token, base, signed),
    )  # fmt: skip
    # From here the file is this check-out's: if the check-out is not saved after all (the
    # shared store's commit fails, the server goes away), the file goes too, or its holder
    # would work in a copy that can never come back.
    ws.on_rollback(lambda: copying.remove_file(dest))
    _mark_copy(dest, token, str(ws.path))
    found = checkout(ws, document_id)
    assert found is not None and found.id == cur.lastrowid
    return found


def _mark_copy(dest: Path, token: str, source: str) -> None:
    """Mark the new file as this check-out's offline copy, and say where it came from."""
    store = connection.connect(dest)
    try:
        with store.atomic():
            store.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [COPY_KEY, token])
            store.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [SOURCE_KEY, source])
    finally:
        store.close()


# -- bringing it back -------------------------------------------------------------------------
@use_case
def bring_back(ws, copy_path) -> Brought:
    """Replay the offline copy's changes to its document, as the holder, and close the
    check-out. Refused (nothing changes) when the lease was broken or the copy is another's."""
    copy_path = Path(copy_path)
    try:
        copy, _ = connection.open_workspace_db(copy_path, read_only=True)
    except Exception as exc:
        raise WorkbenchError(
            f"{copy_path.name} cannot be read as an offline copy ({exc})."
        ) from exc
    try:
        token = next(
            copy.query("SELECT value FROM meta WHERE key IN (?, ?)", [COPY_KEY, RETURNED_KEY]),
            None,
        )
        if token is None:
            raise WorkbenchError(f"{copy_path.name} is not an offline copy of a document.")
        row = next(ws.db.query(_SELECT + " WHERE c.token = ?", [token["value"]]), None)
        if row is None:
            raise WorkbenchError(
                f"{copy_path.name} was taken offline from another workspace "
                f"({_source(copy)}), not from {ws.path.name}."
            )
        out = _checkout(row)
        base = row_base(ws, out.id)
        _refuse_altered(ws, copy, copy_path, out.document_id, token["value"], base)
        if out.broken_at is not None:
            decided = break_decision(ws, out)
            sealed = decided.signature_label if decided is not None else "no signed decision"
            raise RuleViolation(
                f"{out.broken_by} broke the lease on {out.title} on {_day_time(out.broken_at)}, "
                f'saying "{out.broken_reason}" (decision {sealed}); its changes cannot come '
                f"back, and they stay in {copy_path.name}."
            )
        if out.returned_at is not None:
            raise RuleViolation(f"{out.title} was already brought back from this copy.")
        if not out.held_by(ws):
            raise RuleViolation(f"Only {out.holder} can bring {out.title} back.")
        ws.offline_exempt = {out.document_id}
        try:
            before = offline_log.entries_before_offline(copy, base)
            brought = offline_replay.replay(ws, copy, out.document_id, before, copy_path.name)
        finally:
            ws.offline_exempt = set()
        now = ws.now()
        ws.db.execute("UPDATE checkouts SET returned_at = ? WHERE id = ?", [now, out.id])
        audit.record(
            ws,
            "document.bring_back",
            "document",
            out.document_id,
            document_id=out.document_id,
            holder=out.holder,
            **brought.counts(),
        )
    finally:
        copy.close()
    ws.after_commit(lambda: _retire_copy(copy_path))
    return brought


def row_base(ws, checkout_id: int) -> audit.AuditHead:
    row = next(
        ws.db.query("SELECT base_entries, base_hash FROM checkouts WHERE id = ?", [checkout_id])
    )
    return audit.AuditHead(row["base_entries"], row["base_hash"])


class _Reader:
    """The copy's store where audit's readers expect a workspace."""

    def __init__(self, store):
        self.db = store


def _refuse_altered(ws, copy, copy_path: Path, doc: int, token: str, base) -> None:
    """A copy comes back only as the app left it: its audit log intact and continuing the log
    this check-out wrote (offline_log: its root names this check-out and the head then, and
    quotes the shared log's entries about the document unchanged), so a copy edited outside
    the app, or one made from another copy's log, changes nothing here."""
    reader = _Reader(copy)
    problems = audit.verify_chain(reader)
    if not problems:
        gap = offline_log.continuation_problem(ws, copy, doc, token, base)
        gap = gap or offline_log.offline_entry_problem(copy, doc, base)
        gap = gap or offline_log.text_problem(ws, copy, doc, base)
        problems = [gap] if gap else []
    if not problems:
        # Every row the log accounts for follows from it (as `check` asks of any workspace):
        # a disposition, comment or waiver written into a table without its entry is refused.
        problems = replay_quick.replay_faults(copy.conn)
    if not problems:
        problems = _decisions_problem(ws, copy, doc) or _document_problem(ws, copy, doc)
    if not problems:
        for r in copy.query("SELECT id, heading, body, content_hash FROM sections"):
            if sections.content_hash(r["heading"], r["body"]) != r["content_hash"]:
                problems = [f"section {r['id']}'s text does not match its recorded hash"]
                break
    if problems:
        first = problems[0].rstrip(".")
        if first[1:2].islower():  # "Comment 2 ..." reads on in lower case; "USCG's ..." not
            first = first[0].lower() + first[1:]
        raise WorkbenchError(
            f"{copy_path.name} was altered outside CNE Workbench ({first}); nothing was "
            "brought back."
        )


_DOCUMENT = (
    "SELECT kind, title, marking, status, version, lead_org_id, co_lead_org_id, due_date, "
    "deleted_at FROM documents WHERE id = ?"
)


def _document_problem(ws, copy, doc: int) -> list[str]:
    """The document's own record (title, kind, marking, status, leads, due date) is never
    changed offline (the copy's guard refuses it) and is not replayed: it must be as here."""
    ours, theirs = (
        next(ws.db.query(_DOCUMENT, [doc]), None),
        next(copy.query(_DOCUMENT, [doc]), None),
    )
    if theirs is None or ours is None:
        return ["it does not hold the document it was taken offline for"]
    differ = [k for k in ours if ours[k] != theirs[k]]
    return [f"the document's {differ[0].replace('_', ' ')} differs"] if differ else []


_DECISION = "SELECT id, kind, subject, record, signature FROM decisions WHERE document_id = ?"


def _decisions_problem(ws, copy, doc: int) -> list[str]:
    """A signed decision is never made offline (the copy's guard refuses each kind) and none is
    replayed: every decision the copy holds about the document must be one made here, unchanged
    (here may hold more: the Director's break_lease)."""
    ours = {r["id"]: r for r in ws.db.query(_DECISION, [doc])}
    for r in copy.query(_DECISION, [doc]):
        here = ours.get(r["id"])
        same = here is not None and all(
            (bytes(here[k]) if isinstance(here[k], memoryview) else here[k]) == r[k]
            for k in ("kind", "subject", "record", "signature")
        )
        if not same:
            return [f"it holds a decision ({r['kind']}) that was not made here"]
    return []


def _source(copy) -> str:
    row = next(copy.query("SELECT value FROM meta WHERE key = ?", [SOURCE_KEY]), None)
    return row["value"] if row else "unknown"


def _retire_copy(path: Path) -> None:
    """The copy is no longer offline: its document reads as it was when brought back."""
    store = connection.connect(path)
    try:
        with store.atomic():
            store.execute("UPDATE meta SET key = ? WHERE key = ?", [RETURNED_KEY, COPY_KEY])
    finally:
        store.close()


# -- breaking the lease -----------------------------------------------------------------------
@use_case
def break_lease(ws, document_id: int, reason: str, *, signer=None) -> Checkout:
    """The Director ends a check-out, by a signed decision: the document is editable here
    again, and the offline copy can no longer be brought back (its holder keeps what it
    holds)."""
    from workbench.authority import decisions

    person = decisions.require_director(ws)
    reason = (reason or "").strip()
    if not reason:
        raise WorkbenchError("Say why the lease is broken; the holder is told.")
    if len(reason) > 2000:
        raise WorkbenchError("Keep the reason under 2,000 characters.")
    out = checkout(ws, document_id)
    if out is None:
        raise RuleViolation(f"{documents.document(ws, document_id).title} is not offline.")
    decision_id = decisions.sign_decision(
        ws,
        "break_lease",
        document_id,
        subject=f"checkout:{out.id}",
        reason=reason,
        details={
            "holder": out.holder,
            "taken_at": out.taken_at,
            "lease_until": out.lease_until,
            "copy": out.copy_name,
        },
        signer=signer,
    )
    ws.db.execute(
        "UPDATE checkouts SET broken_at = ?, broken_by = ?, broken_reason = ?, "
        "break_decision_id = ? WHERE id = ?",
        [ws.now(), person.name, reason, decision_id, out.id],
    )
    audit.record(
        ws, "document.break_lease", "document", document_id,
        document_id=document_id, holder=out.holder, reason=reason, decision_id=decision_id,
    )  # fmt: skip
    row = next(ws.db.query(_SELECT + " WHERE c.id = ?", [out.id]))
    return _checkout(row)


def break_decision(ws, out: Checkout):
    """The signed decision that broke this lease (its signature checked), or None."""
    from workbench.authority import decisions

    if out.break_decision_id is None:
        return None
    found = decisions.decisions(ws, out.document_id, subject=f"checkout:{out.id}")
    return next((d for d in found if d.id == out.break_decision_id), None)
