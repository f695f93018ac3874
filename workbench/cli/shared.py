"""Command-line commands for shared workspaces on PostgreSQL: copy, roles."""

from __future__ import annotations

from workbench.cli import CliError


def register(sub) -> None:
    from workbench.cli import command

    p = command(
        sub,
        "copy",
        "copy a whole workspace between a file and PostgreSQL (postgresql://…), every row, "
        "revision, audit entry and signature; the copy is compared with its source",
        _copy,
    )
    p.add_argument("source", help="a workspace file or postgresql://[user@]host/database")
    p.add_argument("dest", help="a new file, or an empty PostgreSQL database (or ?schema=)")
    p = command(
        sub,
        "roles",
        "who may do what in a shared workspace: list the roles, or --grant LOGIN ROLE "
        "(analyst, director or viewer; run as the workspace's owner)",
        _roles,
    )
    p.add_argument("path", help="postgresql://owner@host/database")
    p.add_argument("--grant", nargs=2, metavar=("LOGIN", "ROLE"))


def _copy(args) -> int:
    from workbench.maintenance import copying

    def progress(done: int, total: int, table: str) -> bool:
        return True

    report = copying.copy_workspace(args.source, args.dest, progress=progress)
    print(report.summary())
    return 0


def _roles(args) -> int:
    from db import pg_roles, server
    from db.address import ServerAddress, is_server

    if not is_server(args.path):
        raise CliError("workbench: roles apply to a shared workspace (postgresql://…).")
    store, _ = server.open_workspace_db(ServerAddress(args.path))
    try:
        if args.grant:
            login, role = args.grant
            try:
                pg_roles.grant_login(store, login, role)
            except ValueError as exc:
                raise CliError(f"workbench: {exc}") from None
            print(f"{login} now has the {role} role in {store.address.name}.")
            return 0
        for row in store.query(
            "SELECT r.rolname AS login, g.rolname AS role FROM pg_auth_members m "
            "JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid "
            "WHERE g.rolname IN (?, ?, ?) ORDER BY g.rolname, r.rolname",
            list(pg_roles.ROLES.values()),
        ):
            name = next(k for k, v in pg_roles.ROLES.items() if v == row["role"])
            print(f"{row['login']:<24} {name}")
    finally:
        store.close()
    return 0
