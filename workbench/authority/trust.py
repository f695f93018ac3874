"""Which certificates the workspace trusts: each person's, and the pinned CNE root/intermediate.

`check(ws, ...)` is the one place that decides whether a stored signature counts: it verifies
the signature, requires the certificate to be the person's certificate in the directory and,
where anchors are pinned, to chain to one of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench import audit
from workbench.authority import keys, workspace_key
from workbench.errors import NotFound, RuleViolation
from workbench.workspace import use_case

SIGNED = "signed"  # a person's key, trusted by the directory (and the pinned root)
UNSIGNED = "unsigned"  # no personal signature (possibly sealed by the workspace key)
INVALID = "invalid"  # a signature that does not verify, or a certificate not trusted


@dataclass(frozen=True)
class SignatureStatus:
    """Whether one stored signature counts, and the plain words that say so."""

    state: str
    reason: str = ""
    signer: str = ""  # the certificate's name, when there is one
    sealed: bool = False  # unsigned but intact under the workspace key

    @property
    def counts(self) -> bool:
        return self.state == SIGNED

    def describe(self) -> str:
        if self.state == SIGNED:
            return f"signed by {self.signer}"
        if self.state == UNSIGNED:
            return "unsigned"
        return f"signature INVALID ({self.reason})"


# -- the directory's certificates ------------------------------------------------------------
def person_certificate(ws, person_id: int) -> bytes | None:
    row = next(ws.db.query("SELECT certificate FROM people WHERE id = ?", [person_id]), None)
    if row is None:
        raise NotFound(f"No person with id {person_id}.")
    return bytes(row["certificate"]) if row["certificate"] is not None else None


@use_case
def set_person_certificate(ws, person_id: int, certificate: bytes | None) -> None:
    """Store (or, with None, remove) a person's public signing certificate."""
    person_certificate(ws, person_id)  # NotFound for a stranger
    der = keys.certificate_der(certificate) if certificate is not None else None
    if der is not None:
        cert = keys.load_certificate(der)
        if cert.not_valid_after_utc < ws.clock().astimezone(dt.UTC):
            raise RuleViolation("That certificate has expired; it cannot sign decisions.")
        anchors = trust_anchors(ws)
        if anchors and not keys.chains_to(der, anchors, at=ws.clock().astimezone(dt.UTC)):
            raise RuleViolation(
                f"The certificate of {keys.subject_name(der)} is not issued by the pinned "
                "trust root."
            )
    ws.db.execute("UPDATE people SET certificate = ? WHERE id = ?", [der, person_id])
    audit.record(
        ws,
        "person.certificate" if der else "person.certificate_removed",
        "person",
        person_id,
        fingerprint=keys.fingerprint(der) if der else None,
        subject=keys.subject_name(der) if der else None,
    )


def person_for_certificate(ws, certificate: bytes) -> int | None:
    """The directory person whose stored certificate this is."""
    der = keys.certificate_der(certificate)
    row = next(ws.db.query("SELECT id FROM people WHERE certificate = ?", [der]), None)
    return row["id"] if row else None


# -- pinned roots ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PinnedAnchor:
    fingerprint: str
    subject: str
    pinned_at: str


def pinned(ws) -> list[PinnedAnchor]:
    """The pinned roots, oldest first, as the Trust Roots dialog lists them."""
    return [
        PinnedAnchor(r["fingerprint"], r["subject"], r["pinned_at"])
        for r in ws.db.query(
            "SELECT fingerprint, subject, pinned_at FROM trust_anchors ORDER BY id"
        )
    ]


def trust_anchors(ws) -> list[bytes]:
    return [bytes(r["certificate"]) for r in ws.db.query("SELECT certificate FROM trust_anchors")]


@use_case
def pin_trust_anchor(ws, certificate: bytes) -> str:
    """Pin a CNE root or intermediate: people's certificates must chain to it from now on."""
    der = keys.certificate_der(certificate)
    fp = keys.fingerprint(der)
    ws.db.execute(
        "INSERT INTO trust_anchors (certificate, fingerprint, subject, pinned_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT(fingerprint) DO NOTHING",
        [der, fp, keys.subject_name(der), ws.now()],
    )
    audit.record(ws, "trust.pin", "trust_anchors", None, fingerprint=fp)
    return fp


@use_case
def unpin_trust_anchor(ws, fingerprint: str) -> None:
    if not list(ws.db.query("SELECT 1 FROM trust_anchors WHERE fingerprint = ?", [fingerprint])):
        raise NotFound("That certificate is not pinned.")
    ws.db.execute("DELETE FROM trust_anchors WHERE fingerprint = ?", [fingerprint])
    audit.record(ws, "trust.unpin", "trust_anchors", None, fingerprint=fingerprint)


def keys_configured(ws) -> bool:
    """Whether anyone in the directory has a certificate, or a root is pinned.

    Once keys exist, unsigned decisions no longer count (a name is not proof).
    """
    row = next(
        ws.db.query(
            "SELECT EXISTS (SELECT 1 FROM people WHERE certificate IS NOT NULL) "
            "OR EXISTS (SELECT 1 FROM trust_anchors) AS configured"
        )
    )
    return bool(row["configured"])


# -- checking a stored signature -------------------------------------------------------------
def check(
    ws,
    data: bytes,
    signature: bytes | None,
    certificate: bytes | None,
    *,
    person_id: int | None,
    at: dt.datetime | None = None,
) -> SignatureStatus:
    """Whether `signature` over data is person_id's, by the workspace's own rules.

    No signature, or one by the workspace key, is UNSIGNED (sealed when it verifies);
    a person's signature is SIGNED only when it verifies, the certificate is that person's in
    the directory and, where roots are pinned, chains to one.
    """
    if signature is None or certificate is None:
        return SignatureStatus(UNSIGNED)
    try:
        name = keys.subject_name(certificate)
    except Exception:
        return SignatureStatus(INVALID, "the certificate is unreadable")
    if not keys.verify(certificate, data, signature):
        return SignatureStatus(INVALID, "the record was altered after signing", name)
    if workspace_key.is_workspace_certificate(ws, certificate):
        return SignatureStatus(UNSIGNED, signer=name, sealed=True)
    if person_id is None:
        return SignatureStatus(INVALID, "signed by no one in the directory", name)
    stored = person_certificate(ws, person_id)
    if stored is None or keys.fingerprint(stored) != keys.fingerprint(certificate):
        return SignatureStatus(INVALID, "not the certificate the directory holds", name)
    anchors = trust_anchors(ws)
    when = at or ws.clock().astimezone(dt.UTC)
    if anchors and not keys.chains_to(certificate, anchors, at=when):
        return SignatureStatus(INVALID, "the certificate does not chain to the pinned root", name)
    return SignatureStatus(SIGNED, signer=name)
