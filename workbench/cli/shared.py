"""Command-line commands for shared workspaces: copy, roles, offline, bring-back, break-lease."""

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
    p = command(
        sub,
        "offline",
        "take a document offline into a workspace file of your own (a check-out with a lease; "
        "read-only for everyone else until you bring it back); without -d, what is offline",
        _offline,
    )
    p.add_argument("path")
    p.add_argument("--document", "-d", help="id or unique title fragment")
    p.add_argument("-o", "--output", help="the offline copy to write (a new .cnew file)")
    p.add_argument("--days", type=int, default=14, help="the lease (default 14 days)")
    p = command(
        sub, "bring-back", "bring an offline copy's changes back and release the document",
        _bring_back,
    )  # fmt: skip
    p.add_argument("path")
    p.add_argument("copy", help="the offline copy (.cnew)")
    p = command(
        sub, "break-lease", "end someone's check-out of a document (the Director, with a reason)",
        _break_lease,
    )  # fmt: skip
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True)
    p.add_argument("--reason", required=True)


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


def _offline(args) -> int:
    from workbench import offline
    from workbench.cli import open_workspace, output_file
    from workbench.documents import find_document

    if args.document is None:
        with open_workspace(args.path, read_only=True) as ws:
            held = offline.open_checkouts(ws)
            for out in held:
                print(f"{out.title}: {out.describe(ws.clock())}, copy {out.copy_name}")
        if not held:
            print("Nothing is offline.")
        return 0
    if not args.output:
        raise CliError("workbench: name the offline copy to write with -o FILE.cnew.")
    dest = output_file(args.output)
    with open_workspace(args.path) as ws:
        doc = find_document(ws, args.document)
        out = offline.take_offline(ws, doc.id, dest, days=args.days)
    print(f"{out.title} is offline in {dest}: {out.describe()}.")
    print(f"Bring it back with: workbench bring-back {args.path} {dest}")
    return 0


def _bring_back(args) -> int:
    from workbench import offline
    from workbench.cli import open_workspace

    with open_workspace(args.path) as ws:
        brought = offline.bring_back(ws, args.copy)
    print(f"Brought back: {brought.summary()}.")
    return 0


def _break_lease(args) -> int:
    from workbench import offline
    from workbench.cli import open_workspace
    from workbench.documents import find_document

    with open_workspace(args.path) as ws:
        doc = find_document(ws, args.document)
        out = offline.break_lease(ws, doc.id, args.reason)
    print(f"The lease on {out.title} held by {out.holder} is broken; it is editable again.")
    return 0
