"""The audit log's head, signed, for what leaves the building (packets, published PDFs, backups).

A signed head is the record {entries, hash, workspace, event, at, ...} and a signature over its
canonical JSON by whoever acts, where they have a key the directory holds, or else by the
workspace's own key. Whoever holds the file can later ask whether the workspace's log still
contains that head (`workbench check --against`); the signature means the head written in the
file cannot itself be edited to match a rewritten log.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from workbench import audit
from workbench.authority import canonical, keys, trust, workspace_key

SIGNED = "signed"  # by a person's key the directory holds (and the pinned root, if any)
SEALED = "sealed"  # by a workspace key this workspace lists
UNSIGNED = "unsigned"  # no signature at all (written before heads were signed, or no key)
INVALID = "invalid"  # a signature that fails, or a key the workspace does not know
RECORD_FIELDS = ("entries", "hash", "workspace", "event", "at")


@dataclass(frozen=True)
class HeadSignature:
    state: str
    signer: str = ""
    reason: str = ""
    # What the signature was judged against, when not the workspace the file belongs to (a
    # backup whose workspace cannot be read is judged by its own directory and pinned root).
    basis: str = ""

    @property
    def holds(self) -> bool:
        """The head is as it was recorded (a signature by a key the workspace trusts)."""
        return self.state in (SIGNED, SEALED)

    def describe(self) -> str:
        if self.state == SIGNED:
            return f"signed by {self.signer}" + (f" ({self.basis})" if self.basis else "")
        if self.state == SEALED:
            return f"sealed by the workspace key \u201c{self.signer}\u201d"
        if self.state == UNSIGNED:
            return "unsigned"
        return f"signature INVALID ({self.reason})"


def signing_key(ws, signer: keys.Signer | None = None) -> keys.Signer | None:
    """Whoever acts, with the key the directory holds for them; else the workspace's own key.

    None only where no workspace key can be made (a read-only workspace this account holds
    no key for): the head then goes out unsigned.
    """
    signer = signer or getattr(ws, "signer", None)
    person = getattr(ws, "person_id", None)
    if signer is not None and signer.source != "workspace" and person is not None:
        stored = trust.person_certificate(ws, person)
        if stored is not None and keys.fingerprint(stored) == signer.fingerprint:
            return signer
    return workspace_key.signer(ws, create=not ws.read_only)


def sign_record(ws, record: dict, signer: keys.Signer | None = None) -> dict:
    """record plus its "signature" (certificate, value, signer name), or record unchanged."""
    key = signing_key(ws, signer)
    if key is None:
        return dict(record)
    return dict(
        record,
        signature={
            "certificate": base64.b64encode(key.certificate).decode("ascii"),
            "value": base64.b64encode(key.sign(canonical.canonical_json(record))).decode("ascii"),
            "signer": key.name,
        },
    )


def publication_event(document_id: int, version: int) -> str:
    """The event a published PDF's head names (rebuilt from the PDF's keywords to verify it)."""
    return f"publication of document {document_id} version {version}"


def head_record(ws, event: str, head: audit.AuditHead | None = None, **extra) -> dict:
    head = head or audit.head(ws)
    record = {
        "entries": head.entries,
        "hash": head.hash,
        "workspace": ws.workspace_id,
        "event": event,
        "at": ws.now(),
    }
    record.update(extra)
    return record


def sign_head(
    ws,
    event: str,
    *,
    head: audit.AuditHead | None = None,
    signer: keys.Signer | None = None,
    **extra,
) -> dict:
    """The log's head now (or `head`), signed: what a packet, PDF or backup carries."""
    return sign_record(ws, head_record(ws, event, head, **extra), signer)


def _certificate_by_fingerprint(reader, fp: str) -> bytes | None:
    """A certificate the workspace knows (a workspace key's, a person's, a decision's)."""
    for sql in (
        "SELECT certificate FROM workspace_keys WHERE fingerprint = ?",
        "SELECT certificate FROM people WHERE certificate IS NOT NULL",
        "SELECT DISTINCT certificate FROM decisions WHERE certificate IS NOT NULL",
    ):
        params = [fp] if "?" in sql else []
        for row in reader.db.query(sql, params):
            cert = bytes(row["certificate"])
            if keys.fingerprint(cert) == fp:
                return cert
    return None


def _at(text) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(str(text), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def signed_at(signed: dict) -> dt.datetime | None:
    """When a signed head says it was signed (None when it does not say it readably)."""
    return _at(signed.get("at"))


def verify(reader, signed: dict, *, certificate: bytes | None = None) -> HeadSignature:
    """Whether a signed head read from a file holds, by this workspace's keys and directory.

    `reader` has `.db` (a Workspace, or check's reader of a private copy). The certificate is
    the one in signed["signature"], or (a PDF, which names only its fingerprint) `certificate`.
    A key counts when the workspace lists it as its own or as a person's directory certificate
    (chaining to the pinned root, if any); any other key may be anyone's.
    """
    sig = signed.get("signature")
    if sig is None:
        return HeadSignature(UNSIGNED)
    try:
        cert = certificate or base64.b64decode(sig["certificate"], validate=True)
        value = base64.b64decode(sig["value"], validate=True)
        name = keys.subject_name(cert)
    except Exception:  # any malformed field from a file that came from outside
        return HeadSignature(INVALID, reason="the signature is damaged")
    record = {k: v for k, v in signed.items() if k != "signature"}
    try:
        data = canonical.canonical_json(record)
    except (TypeError, ValueError):
        return HeadSignature(INVALID, name, "the head is damaged")
    if not keys.verify(cert, data, value):
        return HeadSignature(INVALID, name, "the head was changed after it was signed")
    wid = next(reader.db.query("SELECT value FROM meta WHERE key = 'workspace_id'"), None)
    if wid is None or record.get("workspace") != wid["value"]:
        return HeadSignature(INVALID, name, "it was signed for another workspace")
    if workspace_key.is_workspace_certificate(reader, cert):
        return HeadSignature(SEALED, name)
    person = trust.person_for_certificate(reader, cert)
    if person is None:
        return HeadSignature(INVALID, name, "signed by a key this workspace does not know")
    status = trust.check(reader, data, value, cert, person_id=person, at=_at(record.get("at")))
    if not status.counts:
        return HeadSignature(INVALID, name, status.reason)
    return HeadSignature(SIGNED, name)


def certificate_for(reader, fp: str) -> bytes | None:
    """The certificate a PDF's compact signature names by fingerprint, if the workspace has it."""
    if not isinstance(fp, str) or len(fp) != 64:
        return None
    return _certificate_by_fingerprint(reader, fp.lower())
