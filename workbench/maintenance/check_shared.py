"""Checking a shared workspace on PostgreSQL: its guards, references, search, the audit log.

The server keeps pages and constraints sound itself; what an owner or superuser could still do
(disable a guard trigger, load rows with checks off, rewrite the log) is what is checked here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from db.address import ServerAddress
from db.dialects import FULLTEXT_INDEXES
from db.errors import StoreError
from db.pg_counterparts import DASHBOARD_TRIGGERS
from workbench import audit
from workbench.maintenance import heads, replay

# (table, trigger) pairs that must exist and be enabled: they keep the record append-only.
GUARDS = (
    ("audit_log", "audit_log_no_update"),
    ("audit_log", "audit_log_no_delete"),
    ("audit_log", "audit_log_no_truncate"),
    ("decisions", "decisions_no_update"),
    ("figures", "figures_no_update"),
) + tuple((table, f"{index}_sync") for index, (table, _) in FULLTEXT_INDEXES.items())


class _Reader:
    def __init__(self, store):
        self.db = store


def _guards(store) -> list[str]:
    out = []
    found = {
        (r["tbl"], r["name"]): r["enabled"]
        for r in store.query(
            "SELECT c.relname AS tbl, t.tgname AS name, t.tgenabled AS enabled "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
        )
    }
    for table, trigger in GUARDS:
        state = found.get((table, trigger))
        if state is None:
            out.append(f"The trigger {trigger} on {table} is missing.")
        elif state == "D":
            out.append(f"The trigger {trigger} on {table} is switched off.")
    for (table, trigger), _ in sorted(found.items()):
        if not any(trigger == g for _, g in GUARDS) and trigger not in _KNOWN_TRIGGERS:
            out.append(f"Unknown trigger {trigger} on {table} (not part of the schema).")
    return out


_KNOWN_TRIGGERS = {
    "audit_log_announce",
    "publications_search_ai",
    "open_comment_counts_sync",
    *DASHBOARD_TRIGGERS,
}


def _foreign_keys(store) -> list[str]:
    out = []
    for table in store.table_names():
        for column, parent in store.references(table):
            n = next(
                store.query(
                    f'SELECT count(*) AS n FROM "{table}" c WHERE c."{column}" IS NOT NULL '
                    f'AND NOT EXISTS (SELECT 1 FROM "{parent}" p WHERE p.id = c."{column}")'
                )
            )["n"]
            if n:
                out.append(f"{n} {table} row(s) refer to a {parent} row that does not exist.")
    return out


def _search_index(store) -> list[str]:
    out = []
    for index, (table, _) in FULLTEXT_INDEXES.items():
        live = {"sections": "deleted_at IS NULL", "documents": "deleted_at IS NULL"}.get(table)
        if table == "comments":
            live = "superseded_by_id IS NULL"
        where = f"WHERE {live}" if live else ""
        n = next(
            store.query(
                f"SELECT count(*) AS n FROM ((SELECT id FROM {table} {where}) "
                f"EXCEPT ALL (SELECT id FROM {index})) AS missing"
            )
        )["n"]
        extra = next(
            store.query(
                f"SELECT count(*) AS n FROM ((SELECT id FROM {index}) "
                f"EXCEPT ALL (SELECT id FROM {table} {where})) AS extra"
            )
        )["n"]
        if n or extra:
            out.append(f"The search index {index} does not match the text it indexes.")
    return out


def check_shared(
    address: ServerAddress, *, quick: bool, against, report, finding, most: int, extra=()
):
    """Every fault found in the shared workspace, in plain words. Reads only.

    Called by check.check_workspace, which hands over its report and finding types (`report`,
    `finding`), how many findings each check may name (`most`) and the checks it shares with
    a file's (`extra`: (name, fn(store)) pairs).
    """
    from db import server

    findings: list = []
    ran = ["connection"]
    try:
        store, _ = server.open_workspace_db(address, read_only=True)
    except StoreError as exc:
        findings.append(finding("connection", str(exc)))
        return report(address, quick, tuple(findings), tuple(ran))
    comparison = heads.HeadComparison(against)
    if comparison.error:
        findings.append(finding("against", comparison.error))
    reader = _Reader(store)
    try:
        with store.snapshot():
            steps: list[tuple[str, Callable[[], list[str]]]] = [
                ("schema", lambda: _guards(store)),
                ("foreign keys", lambda: _foreign_keys(store)),
                ("search index", lambda: _search_index(store)),
                ("audit chain", lambda: audit.verify_chain(reader)),
                ("audit replay", lambda: replay.replay_faults(store.conn)),  # type: ignore[arg-type]
            ]
            for name, fn in extra:
                steps.append((name, functools.partial(fn, store)))
            if comparison.error:
                ran.append("against")
            steps += comparison.steps(reader)
            for name, step in steps:
                ran.append(name)
                problems = step()
                findings.extend(finding(name, m) for m in problems[:most])
            head = audit.head(reader)
    finally:
        store.close()
    note = comparison.note({f.check for f in findings})
    return report(
        address,
        quick,
        tuple(findings),
        tuple(ran),
        note,
        head,
    )
