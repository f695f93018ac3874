"""Command-line commands for maintenance: check, backup, backups, restore."""

from __future__ import annotations

from workbench.cli import EXIT_ERROR, print_json


def register(sub) -> None:
    from workbench.cli import command

    p = command(
        sub,
        "check",
        "check a workspace for damage and tampering: integrity, schema, foreign keys, search "
        "index, audit chain, state replayed from the log (exit 1 on any fault)",
        _check,
    )
    p.add_argument("path")
    p.add_argument(
        "--against",
        metavar="FILE",
        help="a published PDF, review packet or backup: the log must still hold its audit head",
    )
    p.add_argument("--quick", action="store_true", help="a faster, less thorough page check")
    p.add_argument("--json", action="store_true")
    p = command(sub, "backup", "copy a workspace safely, even while it is open", _backup)
    p.add_argument("path")
    p.add_argument("dest", help="a new file, or a folder to put the copy in")
    p = command(sub, "backups", "list a workspace's backups, newest first", _backups)
    p.add_argument("path")
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        "restore",
        "replace a workspace with one of its backups (the current file is kept as a backup)",
        _restore,
    )
    p.add_argument("path")
    p.add_argument("backup", help="a backup file (see `workbench backups PATH`)")
    p.add_argument(
        "--unsigned",
        action="store_true",
        help="restore a backup that carries no signature (taken before backups were signed, "
        "or without a key); a backup whose signature fails is never restored",
    )


def _check(args) -> int:
    from db.address import is_server
    from workbench.maintenance.check import check_workspace

    report = check_workspace(args.path, quick=args.quick, against=args.against)
    if args.json:
        print_json(
            {
                "path": str(report.path),
                "ok": report.ok,
                "quick": report.quick,
                "checked": list(report.ran),
                "findings": [{"check": f.check, "message": f.message} for f in report.findings],
                "against": report.against,
                "audit_head": report.head.as_dict() if report.head else None,
            }
        )
    else:
        print(report.summary())
        for line in report.lines():
            print(line)
        if not report.ok and not is_server(args.path):
            _offer_backup(args.path)
    return 0 if report.ok else EXIT_ERROR


def _offer_backup(path) -> None:
    from workbench.maintenance.backups import newest_sound_backup

    good = newest_sound_backup(path)
    if good is None:
        print("No backup of it passes the check either.")
    else:
        print(f"The newest backup that passes the check: {good.path} ({good.label}).")
        print(f"Restore it with: workbench restore {path} {good.path}")


def _backup(args) -> int:
    from workbench.maintenance.backups import backup_signed_file

    dest, signed = backup_signed_file(args.path, args.dest)
    print(f"Backed up {args.path} to {dest}" + ("" if signed else " (not signed: no key here)"))
    return 0


def _backups(args) -> int:
    from workbench.maintenance.backups import list_backups, signature_words

    found = list_backups(args.path)
    words = [signature_words(args.path, b.path) for b in found]
    if args.json:
        print_json(
            [
                {
                    "path": str(b.path),
                    "taken_at": b.taken_at.isoformat(),
                    "reason": b.reason,
                    "size": b.size,
                    "signature": w,
                }
                for b, w in zip(found, words, strict=True)
            ]
        )
        return 0
    if not found:
        print(f"No backups of {args.path}.")
    for b, w in zip(found, words, strict=True):
        print(f"{b.label} [{w}]  {b.path}")
    return 0


def _restore(args) -> int:
    from workbench.maintenance.backups import restore_backup

    result = restore_backup(args.path, args.backup, allow_unsigned=args.unsigned)
    how = result.signature.describe() if result.signature else "unsigned"
    print(f"Restored {args.path} from {result.restored_from.name} ({how}).")
    if result.kept_current_as:
        print(f"The file it replaced was kept as {result.kept_current_as}.")
    return 0
