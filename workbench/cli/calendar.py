"""Command-line commands for the office calendar: the closures every suspense skips."""

from __future__ import annotations

from workbench.cli import command, open_workspace, print_json


def register(sub) -> None:
    p = command(
        sub,
        "closures",
        "the office's own closure days (beyond federal holidays), skipped by every suspense",
        _closures,
    )
    p.add_argument("path")
    p.add_argument("action", choices=["list", "add", "remove"], nargs="?", default="list")
    p.add_argument("day", nargs="?", help="YYYY-MM-DD (add, remove)")
    p.add_argument("reason", nargs="?", default="", help="why the office is closed (add)")
    p.add_argument("--json", action="store_true")


def _closures(args) -> int:
    from workbench.cli import CliError
    from workbench.coordination import closures

    if args.action != "list" and not args.day:
        raise CliError(f"closures {args.action}: name the day (YYYY-MM-DD)", 2)
    with open_workspace(args.path, read_only=args.action == "list") as ws:
        if args.action == "add":
            day = closures.add_closure(ws, args.day, args.reason)
            print(f"{day} is now an office closure; suspenses counted from now skip it.")
        elif args.action == "remove":
            closures.remove_closure(ws, args.day)
            print(f"{args.day} is no longer an office closure.")
        else:
            found = closures.list_closures(ws)
            if args.json:
                print_json([c.__dict__ for c in found])
            elif not found:
                print("No office closures (federal holidays are always skipped).")
            for c in found:
                print(f"{c.day}  {c.reason}  (added by {c.added_by})")
    return 0
