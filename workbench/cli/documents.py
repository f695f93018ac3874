"""Command-line commands for workspaces and documents: new, demo, info."""

from __future__ import annotations

from workbench.cli import CliError, command, open_workspace, output_file, print_json


def register(sub) -> None:
    p = command(sub, "new", "create a new, empty workspace (the directory of DHS offices)", _new)
    p.add_argument("path", help="the workspace file to create (.cnew is added if missing)")
    p = command(sub, "demo", "write a demo workspace modelled on CNE's practice", _demo)
    p.add_argument("path")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p = command(sub, "info", "list a workspace's documents", _info)
    p.add_argument("path")
    p.add_argument("--json", action="store_true")


def _new(args) -> int:
    from db.address import ServerAddress, is_server
    from workbench.workspace import WORKSPACE_SUFFIX, Workspace

    if is_server(args.path):
        address = ServerAddress(args.path)
        Workspace.create(address).close()
        print(
            f"New shared workspace set up in {address.name}; open it with: workbench open {address}"
        )
        return 0
    path = output_file(args.path)
    if path.suffix != WORKSPACE_SUFFIX:
        path = path.with_name(path.name + WORKSPACE_SUFFIX)
    if path.exists():
        raise CliError(f"workbench: {path} already exists; choose another name or open it.")
    Workspace.create(path).close()
    print(f"New workspace written to {path}; open it with: workbench open {path}")
    return 0


def _demo(args) -> int:
    from workbench import demo

    path = demo.write_demo(args.path, replace=args.force)
    print(f"Demo workspace written to {path}")
    return 0


def _info(args) -> int:
    from workbench.documents import list_documents

    with open_workspace(args.path, read_only=True) as ws:
        docs = list_documents(ws)
        if args.json:
            print_json(
                {
                    "workspace": str(ws.path),
                    "schema_version": ws.schema_version,
                    "documents": [
                        {
                            "id": d.id,
                            "title": d.title,
                            "kind": d.kind,
                            "status": d.status,
                            "version": d.version,
                            "sections": d.section_count,
                            "marking": d.marking,
                            "due_date": d.due_date,
                        }
                        for d in docs
                    ],
                }
            )
            return 0
        if not docs:
            print("No documents.")
        for d in docs:
            print(
                f"{d.id:>4}  {d.kind_label:<20} {d.status_label:<16} "
                f"{d.section_count:>4} sections  {d.title}"
            )
    return 0
