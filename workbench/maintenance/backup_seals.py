"""Signed backups: a sidecar NAME.sig holding the backup's audit head and its bytes' SHA-256,
signed by whoever acts (where they have a key) or the workspace key.

A backup that left the office carries its head like a packet or a PDF (`check --against`);
`restore` refuses a backup whose bytes or head no longer match their signature.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
from pathlib import Path

from db import connection
from db.errors import StoreError
from workbench.audit import GENESIS, AuditHead
from workbench.authority import keys, signed_heads, trust, workspace_key
from workbench.authority.signed_heads import HeadSignature
from workbench.errors import WorkbenchError
from workbench.files import write_atomic

SUFFIX = ".sig"
FORMAT = "cne-workbench-backup-seal"
MAX_SEAL_BYTES = 1024 * 1024


def seal_path(backup: str | os.PathLike) -> Path:
    backup = Path(backup)
    return backup.with_name(backup.name + SUFFIX)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def log_head(path: str | os.PathLike) -> AuditHead:
    """The head of a backup's own audit log (its entry count and newest hash)."""
    path = Path(path)
    try:
        connection._probe(path)
        db = connection.connect_read_only(path)
    except (StoreError, sqlite3.Error) as exc:
        raise WorkbenchError(f"{path.name} cannot be read as a backup ({exc}).") from None
    try:
        n, last = db.execute("SELECT count(*), max(id) FROM audit_log").fetchone()
        digest = GENESIS
        if n:
            digest = db.execute("SELECT hash FROM audit_log WHERE id = ?", [last]).fetchone()[0]
    except sqlite3.Error as exc:
        raise WorkbenchError(f"The backup {path.name} cannot be read ({exc}).") from None
    finally:
        db.close()
    head = AuditHead.parse({"entries": n, "hash": digest})
    if head is None:
        raise WorkbenchError(f"The backup {path.name} holds a damaged audit log.")
    return head


def seal_backup(ws, backup: Path, reason: str) -> Path | None:
    """Sign the backup's head and bytes beside it; None where no key can sign (read-only)."""
    head = log_head(backup)
    record = signed_heads.head_record(
        ws,
        f"backup ({reason})",
        head,
        file_sha256=file_sha256(backup),
        file_size=backup.stat().st_size,
    )
    signed = signed_heads.sign_record(ws, record)
    if "signature" not in signed:
        return None
    out = seal_path(backup)
    write_atomic(out, json.dumps({"format": FORMAT, "version": 1, "head": signed}, indent=1))
    return out


def read_seal(backup: Path) -> dict | None:
    """The signed head beside a backup; None when it has none; {} when it is unreadable."""
    sidecar = seal_path(backup)
    if not sidecar.is_file():
        return None
    try:
        if sidecar.stat().st_size > MAX_SEAL_BYTES:
            return {}
        value = json.loads(sidecar.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return {}
    head = value.get("head")
    return head if isinstance(head, dict) else {}


def seal_problem(backup: Path, seal: dict, head: AuditHead) -> str:
    """Why the backup's bytes or log no longer match what was signed ("" when they match)."""
    if not seal or AuditHead.parse(seal) is None:
        return f"The signature file beside the backup {backup.name} is damaged."
    if seal.get("file_sha256") != file_sha256(backup):
        return f"The backup {backup.name} was changed after it was taken (its bytes differ)."
    if (seal.get("entries"), seal.get("hash")) != (head.entries, head.hash):
        return f"The backup {backup.name} holds another audit log than the one it was signed with."
    return ""


def _held_here(seal: dict) -> bool:
    """Whether this OS account holds the private half of the workspace key that sealed it."""
    cert = _certificate(seal)
    wid = seal.get("workspace")
    if cert is None or not isinstance(wid, str):
        return False
    try:
        fp = keys.fingerprint(cert)
    except WorkbenchError:
        return False
    return workspace_key.key_path(wid, fp).is_file()


def _certificate(seal: dict) -> bytes | None:
    try:
        return base64.b64decode(seal["signature"]["certificate"], validate=True)
    except Exception:  # a malformed field: no certificate to name
        return None


def verify_backup(
    backup: str | os.PathLike, current: str | os.PathLike | None = None
) -> tuple[HeadSignature, str]:
    """(HeadSignature, problem): whether a backup is as it was signed, and if not, why.

    The key must be one the current workspace lists (its workspace keys, its directory): the
    file the backup would replace is the authority. When that file cannot be read (it is
    damaged), a workspace key this OS account holds still counts, and so does a person's
    certificate (it travels in the seal) judged by the backup's own directory and pinned root;
    the words say so and show the fingerprint to compare. Any other workspace key could be
    the forger's own, so the backup is then unconfirmed.
    """
    backup = Path(backup)
    seal = read_seal(backup)
    if seal is None:
        return HeadSignature(signed_heads.UNSIGNED), ""
    problem = seal_problem(backup, seal, log_head(backup))
    if problem:
        return HeadSignature(signed_heads.INVALID, reason=problem), problem
    db = _open(Path(current)) if current is not None else None
    confirmed_by_current = db is not None
    if db is None:
        db = _open(backup)
    if db is None:
        return HeadSignature(signed_heads.UNSIGNED, reason="it cannot be read"), ""
    try:
        status = signed_heads.verify(_Reader(db), seal)
        if not confirmed_by_current and status.state == signed_heads.SIGNED:
            status = _judged_by_the_backup(_Reader(db), seal, status)
    finally:
        db.close()
    if status.state == signed_heads.INVALID:
        return status, f"The backup {backup.name}'s signature does not hold ({status.reason})."
    confirmed = (
        confirmed_by_current
        or status.state == signed_heads.SIGNED
        or (status.state == signed_heads.SEALED and _held_here(seal))
    )
    if not confirmed:
        return HeadSignature(
            signed_heads.UNSIGNED,
            status.signer,
            "its key cannot be confirmed while the workspace it belongs to cannot be read",
        ), ""
    return status, ""


def _judged_by_the_backup(reader, seal: dict, status: HeadSignature) -> HeadSignature:
    """A person's signature on a backup whose workspace cannot be read: said to be judged by
    the backup's own directory, and the root it pins (named, with its fingerprint) if any."""
    cert = _certificate(seal)
    why = "the workspace it would replace cannot be read"
    if cert is None:  # verify found one; kept for the type checker
        return status
    for root in trust.trust_anchors(reader):
        if keys.chains_to(cert, [root], at=signed_heads.signed_at(seal)):
            name, fp = keys.subject_name(root), keys.short_fingerprint(keys.fingerprint(root))
            basis = (
                f"judged by the backup's own directory and the root it pins, \u201c{name}\u201d, "
                f"SHA-256 {fp}, as {why}"
            )
            return HeadSignature(status.state, status.signer, basis=basis)
    basis = (
        f"judged only by the backup's own directory, which holds their certificate, SHA-256 "
        f"{keys.short_fingerprint(keys.fingerprint(cert))}, as {why} and the backup pins no root"
    )
    return HeadSignature(status.state, status.signer, basis=basis)


class _Reader:
    def __init__(self, db):
        self.db = db


def _open(path: Path):
    """A read-only connection to a workspace file, or None when it cannot be read."""
    try:
        connection._probe(path)
        return connection.connect_read_only(path)
    except (StoreError, sqlite3.Error, OSError):
        return None
