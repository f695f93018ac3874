"""Who may do what in a shared workspace, enforced by the server: three group roles.

- `cne_viewer` reads everything and writes nothing (the app opens read-only for it).
- `cne_analyst` writes the drafting and coordination record, but no Director decision:
  no publication, no waiver, no override, and decisions only of the kinds anyone may sign.
- `cne_director` writes everything an analyst does, plus the Director's decisions.
Nobody, the owner included, can change or remove an audit entry or a signed decision: the
privileges are not granted and a trigger refuses it (db/pg_counterparts.py). People log in as
their own PostgreSQL roles made members of one group (`workbench roles … --grant`).
"""

from __future__ import annotations

import re

VIEWER, ANALYST, DIRECTOR = "cne_viewer", "cne_analyst", "cne_director"
ROLES = {"viewer": VIEWER, "analyst": ANALYST, "director": DIRECTOR}
WRITERS = (ANALYST, DIRECTOR)
# Kinds of signed decision an analyst may record (the rest are the Director's).
ANALYST_DECISIONS = ("withdraw", "approve")
# Written once, never changed or removed, by anyone.
INSERT_ONLY = ("audit_log", "decisions")
# Never changed once written (removed only with what holds them).
NEVER_CHANGED = ("figures",)
# Tables only the Director adds rows to.
DIRECTOR_ONLY_INSERT = ("publications", "waivers")
_LOGIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.@-]{0,62}")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def existing_roles(store) -> set[str]:
    return {
        r["rolname"]
        for r in store.query(
            "SELECT rolname FROM pg_roles WHERE rolname IN (?, ?, ?)", [VIEWER, ANALYST, DIRECTOR]
        )
    }


def can_create_roles(store) -> bool:
    row = next(
        store.query(
            "SELECT rolcreaterole OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user"
        )
    )
    return bool(row["ok"])


def ensure_roles(store) -> set[str]:
    """Create the three group roles where this account may; returns those that exist."""
    have = existing_roles(store)
    missing = [r for r in (VIEWER, ANALYST, DIRECTOR) if r not in have]
    if missing and can_create_roles(store):
        for role in missing:
            # Another workspace on the same server may create it at the same moment.
            store.execute(
                "DO $$ BEGIN CREATE ROLE " + role + " NOLOGIN; "
                "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            )
        have = existing_roles(store)
    return have


def grant(store) -> None:
    """(Re)grant the roles' privileges on every table of this workspace's schema."""
    have = ensure_roles(store)
    schema = next(store.query("SELECT current_schema() AS s"))["s"]
    tables = store.table_names()
    everyone = [r for r in (VIEWER, ANALYST, DIRECTOR) if r in have]
    writers = [r for r in WRITERS if r in have]
    if everyone:
        who = ", ".join(everyone)
        store.execute(f"GRANT USAGE ON SCHEMA {_q(schema)} TO {who}")
        store.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {_q(schema)} TO {who}")
    if writers:
        who = ", ".join(writers)
        store.execute(f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {_q(schema)} TO {who}")
        store.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {_q(schema)} TO {who}")
        for table in INSERT_ONLY:
            if table in tables:
                store.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {who}")
        for table in NEVER_CHANGED:
            if table in tables:
                store.execute(f"REVOKE UPDATE ON {table} FROM {who}")
        store.execute(f"REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM {who}")
    if ANALYST in have:
        for table in DIRECTOR_ONLY_INSERT:
            if table in tables:
                store.execute(f"REVOKE INSERT ON {table} FROM {ANALYST}")
    _policies(store, have, tables)


def _policies(store, have: set[str], tables: list[str]) -> None:
    """Row rules: an analyst's signed decisions and non-concurrence events stop short of the
    Director's (override, waive, publish, no-coordination rulings)."""
    kinds = ", ".join(f"'{k}'" for k in ANALYST_DECISIONS)
    rules = {
        "decisions": f"kind IN ({kinds})",
        "nonconcurrence_events": "kind <> 'overridden'",
    }
    for table, analyst_check in rules.items():
        if table not in tables:
            continue
        store.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name in ("read", "analyst", "director", "change"):
            store.execute(f"DROP POLICY IF EXISTS {table}_{name} ON {table}")
        store.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING (true)")
        store.execute(f"CREATE POLICY {table}_change ON {table} FOR UPDATE USING (true)")
        if ANALYST in have:
            store.execute(
                f"CREATE POLICY {table}_analyst ON {table} FOR INSERT TO {ANALYST} "
                f"WITH CHECK ({analyst_check})"
            )
        if DIRECTOR in have:
            store.execute(
                f"CREATE POLICY {table}_director ON {table} FOR INSERT TO {DIRECTOR} "
                "WITH CHECK (true)"
            )


def grant_login(store, login: str, role: str) -> None:
    """Make `login` (an existing PostgreSQL login role) a member of one group role only."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose from {', '.join(ROLES)}.")
    if not _LOGIN.fullmatch(login):
        raise ValueError(f"{login!r} is not a database account name.")
    for other in ROLES.values():
        if other != ROLES[role]:
            store.execute(f"REVOKE {other} FROM {_q(login)}")
    store.execute(f"GRANT {ROLES[role]} TO {_q(login)}")


def role_of(store) -> str | None:
    """The group role the connected account acts in: 'director', 'analyst', 'viewer', or None
    for the workspace's owner (or a superuser), who is not limited by the roles."""
    row = (
        next(
            store.query(
                "SELECT pg_has_role(current_user, ?, 'MEMBER') AS d, "
                "pg_has_role(current_user, ?, 'MEMBER') AS a, "
                "pg_has_role(current_user, ?, 'MEMBER') AS v, "
                "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su, "
                "(SELECT tableowner = current_user FROM pg_tables "
                " WHERE schemaname = current_schema() AND tablename = 'audit_log') AS owner",
                [DIRECTOR, ANALYST, VIEWER],
            )
        )
        if existing_roles(store) == {VIEWER, ANALYST, DIRECTOR}
        else None
    )
    if row is None or row["su"] or row["owner"]:
        return None
    for key, name in (("d", "director"), ("a", "analyst"), ("v", "viewer")):
        if row[key]:
            return name
    return "viewer"
