"""Command-line commands for identity and authority: whoami, log, approve, certificates, roots."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli import CliError, command, open_workspace, print_json


def register(sub) -> None:
    p = command(sub, "whoami", "who you act as in a workspace; --set NAME remembers it", _whoami)
    p.add_argument("path")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--set", metavar="NAME", help="remember this person for this OS account")
    group.add_argument("--forget", action="store_true", help="forget the remembered person")
    p = command(sub, "log", "the audit log: who did what, when, as which OS account", _log)
    p.add_argument("path")
    p.add_argument("--document", "-d", help="only this document's entries")
    p.add_argument("--person", help="only this person's entries")
    p.add_argument("--action", help="only actions starting with this (e.g. document.publish)")
    p.add_argument("--since", help="from this date (YYYY-MM-DD)")
    p.add_argument("--until", help="to this date (YYYY-MM-DD)")
    p.add_argument("--limit", type=int, default=None)
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    p = command(sub, "decisions", "signed decisions on a document and whether they count", _list)
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True)
    p.add_argument("--json", action="store_true")
    p = command(sub, "approve", "clear your step of a document's approval chain (signed)", _approve)
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True)
    p.add_argument("--note", default="")
    add_key_options(p)
    p = command(
        sub,
        "no-coordination",
        "the Director rules that a document nobody was asked to review needs no one (signed)",
        _no_coordination,
    )
    p.add_argument("path")
    p.add_argument("--document", "-d", required=True)
    p.add_argument("--reason", required=True)
    add_key_options(p)
    p = command(sub, "certificate", "store a person's public signing certificate", _certificate)
    p.add_argument("path")
    p.add_argument("--person", required=True, help="name or id in the directory")
    p.add_argument("file", help="certificate (.pem/.crt/.cer/.der), or a .p12 with --password-file")
    p.add_argument("--password-file", type=Path)
    p = command(sub, "pin-root", "pin the CNE root or intermediate signers must chain to", _pin)
    p.add_argument("path")
    p.add_argument("file", help="the CA certificate (PEM or DER)")
    p = command(sub, "roots", "list the pinned trust roots (subject, fingerprint)", _roots)
    p.add_argument("path")
    p.add_argument("--json", action="store_true")
    p = command(sub, "unpin-root", "unpin a trust root (by its SHA-256 fingerprint)", _unpin)
    p.add_argument("path")
    p.add_argument("fingerprint", help="the fingerprint `workbench roots` lists (or its start)")


def add_key_options(p: argparse.ArgumentParser) -> None:
    """--key F.p12 --password-file F, or --token MODULE:TOKEN:KEY --pin-file F."""
    g = p.add_argument_group("signing key (for a person with a certificate in the directory)")
    g.add_argument("--key", type=Path, help="PKCS#12 file (.p12/.pfx) with your key")
    g.add_argument("--password-file", type=Path, help="file holding the .p12 password")
    g.add_argument("--token", help="smart card: MODULE.so:TOKEN-LABEL:KEY-LABEL")
    g.add_argument("--pin-file", type=Path, help="file holding the card's PIN")


def _secret(path: Path | None, what: str) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        raise CliError(f"workbench: cannot read the {what} file {path}.") from None


def signer_from_args(ws, args):
    """The acting person's key as the options name it, or None (no key given)."""
    from workbench.authority import keys

    person_id = ws.person_id
    if getattr(args, "key", None) and getattr(args, "token", None):
        raise CliError("workbench: give --key or --token, not both.")
    if getattr(args, "key", None):
        return keys.load_pkcs12(
            args.key, _secret(args.password_file, "password"), person_id=person_id
        )
    if getattr(args, "token", None):
        parts = args.token.rsplit(":", 2)
        if len(parts) != 3 or not all(parts):
            raise CliError("workbench: --token is MODULE.so:TOKEN-LABEL:KEY-LABEL.")
        pin = _secret(args.pin_file, "PIN")
        if pin is None:
            raise CliError("workbench: a card needs its PIN: --pin-file FILE.")
        return keys.load_pkcs11(parts[0], parts[1], pin, parts[2], person_id=person_id)
    return None


def _whoami(args) -> int:
    from workbench.authority import identity

    with open_workspace(args.path, read_only=True) as ws:
        if args.set:
            person = identity.act_as(ws, args.set)
            assert person is not None  # act_as finds a person for any reference (or raises)
            identity.remember(ws, person.id)
            print(f"You act as {person.name} in {ws.path.name} (OS account {ws.os_account}).")
            return 0
        if args.forget:
            identity.remember(ws, None)
            print(f"Forgot who you are in {ws.path.name}.")
            return 0
        person = identity.current(ws)
        if person is None:
            raise CliError(
                "workbench: no one: choose with 'workbench whoami PATH --set NAME' or --as NAME."
            )
        title = f", {person.title}" if person.title else ""
        print(f"{person.name}{title} (OS account {ws.os_account or 'unknown'})")
    return 0


def _log(args) -> int:
    from workbench.authority import auditlog
    from workbench.documents import find_document

    with open_workspace(args.path, read_only=True) as ws:
        doc_id = find_document(ws, args.document).id if args.document else None
        rows = auditlog.entries(
            ws,
            document_id=doc_id,
            person=args.person,
            action=args.action,
            since=args.since,
            until=args.until,
            limit=args.limit,
        )
    if args.json:
        print_json([r.as_dict() for r in rows])
    elif args.csv:
        auditlog.write_csv(rows, sys.stdout)
    else:
        for r in rows:
            print(r.line())
        if not rows:
            print("No entries.")
    return 0


def _list(args) -> int:
    from workbench.authority import decisions
    from workbench.documents import find_document

    with open_workspace(args.path, read_only=True) as ws:
        doc = find_document(ws, args.document)
        found = decisions.decisions(ws, doc.id)
    if args.json:
        print_json(
            [
                {
                    "id": d.id,
                    "kind": d.kind,
                    "version": d.document_version,
                    "by": d.by_name,
                    "at": d.at,
                    "reason": d.reason,
                    "signature": d.signature_label,
                    "counts": d.counts,
                }
                for d in found
            ]
        )
        return 0
    for d in found:
        counts = "" if d.counts else " — does not count"
        print(
            f"{d.at}  v{d.document_version}  {d.label}  {d.by_name}  [{d.signature_label}]{counts}"
        )
    if not found:
        print(f"No decisions on {doc.title}.")
    return 0


def _approve(args) -> int:
    from workbench.authority import approvals, rulings
    from workbench.documents import find_document

    with open_workspace(args.path) as ws:
        doc = find_document(ws, args.document)
        signer = signer_from_args(ws, args)
        waiting = approvals.pending(ws, doc.id)
        rulings.approve(ws, doc.id, note=args.note, signer=signer)
        assert waiting is not None  # approve raises when no step is waiting
        print(f"{waiting.step.title} cleared version {doc.version} of {doc.title}.")
    return 0


def _no_coordination(args) -> int:
    from workbench.authority.rulings import no_coordination_required
    from workbench.documents import find_document

    with open_workspace(args.path) as ws:
        doc = find_document(ws, args.document)
        no_coordination_required(ws, doc.id, reason=args.reason, signer=signer_from_args(ws, args))
        print(f"Recorded: {doc.title} version {doc.version} needs no coordination.")
    return 0


def _certificate(args) -> int:
    from workbench.authority import identity, keys, trust

    try:
        data = Path(args.file).read_bytes()
    except OSError:
        raise CliError(f"workbench: cannot read {args.file}.") from None
    if args.password_file is not None or Path(args.file).suffix.lower() in (".p12", ".pfx"):
        data = keys.load_pkcs12(args.file, _secret(args.password_file, "password")).certificate
    with open_workspace(args.path) as ws:
        person = identity.find_person(ws, args.person)
        trust.set_person_certificate(ws, person.id, data)
        print(f"Stored the certificate of {keys.subject_name(data)} for {person.name}.")
    return 0


def _pin(args) -> int:
    from workbench.authority import keys, trust

    try:
        data = Path(args.file).read_bytes()
    except OSError:
        raise CliError(f"workbench: cannot read {args.file}.") from None
    with open_workspace(args.path) as ws:
        trust.pin_trust_anchor(ws, data)
        print(f"Pinned {keys.subject_name(data)}: signers must chain to it.")
    return 0


def _roots(args) -> int:
    from workbench.authority import trust

    with open_workspace(args.path, read_only=True) as ws:
        found = trust.pinned(ws)
    if args.json:
        print_json([a.__dict__ for a in found])
    elif not found:
        print("No trust root is pinned: any certificate the directory holds for a person counts.")
    for a in [] if args.json else found:
        print(f"{a.fingerprint}  {a.pinned_at[:10]}  {a.subject}")
    return 0


def _unpin(args) -> int:
    from workbench.authority import trust

    wanted = args.fingerprint.strip().lower().replace(":", "").replace(" ", "")
    with open_workspace(args.path) as ws:
        matches = [a for a in trust.pinned(ws) if wanted and a.fingerprint.startswith(wanted)]
        if len(matches) != 1:
            why = "matches no pinned root" if not matches else "matches more than one pinned root"
            raise CliError(f"workbench: {args.fingerprint} {why} (see workbench roots).")
        trust.unpin_trust_anchor(ws, matches[0].fingerprint)
        print(f"Unpinned {matches[0].subject}.")
    return 0
