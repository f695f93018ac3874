"""The workspace's own signing key, for offices whose people have no personal keys.

Only its certificate is in the workspace (`workspace_keys`); the private half is a file in the
user's data folder, so someone holding a copy of the workspace cannot sign with it. A copy
opened by another OS account or machine makes its own key and adds its certificate.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import audit
from workbench.authority import keys
from workbench.files import write_atomic
from workbench.workspace import use_case

if TYPE_CHECKING:
    from cryptography import x509

# cryptography is imported where it is used (~16 MB resident; see keys.py).
# The organization a workspace key's self-made certificate names: how a reader who has no
# directory (a reviewer) tells CNE's workspace key from a person's certificate.
ORGANIZATION = "CNE Workbench workspace"
KEY_DIR_ENV = "CNE_WORKBENCH_KEYS"  # tests and managed installs point this elsewhere
VALID_YEARS = 20


def key_dir() -> Path:
    """Where this OS account keeps workspace keys (the app's data folder, like QStandardPaths)."""
    override = os.environ.get(KEY_DIR_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "DHS CNE" / "CNE Workbench" / "keys"


def key_path(workspace_id: str, fingerprint: str) -> Path:
    """Where this OS account keeps the private half of a workspace key."""
    return key_dir() / f"{workspace_id or 'workspace'}-{fingerprint[:32]}.pem"


def _key_path(ws, fingerprint: str) -> Path:
    return key_path(ws.workspace_id, fingerprint)


def os_account() -> str:
    try:
        return getpass.getuser() or ""
    except Exception:  # no login name in some containers
        return ""


def certificates(ws) -> list[bytes]:
    """Every certificate the workspace's own keys have had (DER), oldest first."""
    return [bytes(r["certificate"]) for r in ws.db.query("SELECT certificate FROM workspace_keys")]


def is_workspace_certificate(ws, certificate: bytes) -> bool:
    fp = keys.fingerprint(certificate)
    return bool(list(ws.db.query("SELECT 1 FROM workspace_keys WHERE fingerprint = ?", [fp])))


def is_workspace_style(certificate: bytes) -> bool:
    """Whether a certificate is a self-made workspace key's (by its subject, not by trust)."""
    from cryptography import x509

    cert = keys.load_certificate(certificate)
    orgs = cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)
    self_signed = cert.subject == cert.issuer
    return self_signed and any(o.value == ORGANIZATION for o in orgs)


def signer(ws, *, create: bool = True) -> keys.Signer | None:
    """The workspace key this OS account holds; made (and its certificate stored) when missing.

    None when this account holds none and the workspace is read-only or create is False.
    """
    from cryptography.hazmat.primitives import serialization

    for row in ws.db.query("SELECT fingerprint, certificate FROM workspace_keys ORDER BY id DESC"):
        path = _key_path(ws, row["fingerprint"])
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError):
            continue
        try:
            return keys.from_private_key(key, bytes(row["certificate"]), source="workspace")
        except Exception:
            continue  # a stray key file that belongs to another certificate
    if not create or ws.read_only:
        return None
    return create_key(ws)


def _self_signed(key, name: str) -> x509.Certificate:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = dt.datetime.now(dt.UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(x509.NameOID.COMMON_NAME, name),
            x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, ORGANIZATION),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path, data)  # mkstemp makes the file 0600: readable by this account only


@use_case
def create_key(ws) -> keys.Signer:
    """Make a new workspace key: private half in the data folder, certificate in the file."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    account = os_account()
    label = ws.name or "workspace"
    cert = _self_signed(key, f"CNE Workbench workspace {label} ({account or 'unknown account'})")
    der = cert.public_bytes(serialization.Encoding.DER)
    fp = keys.fingerprint(der)
    ws.db.execute(
        "INSERT INTO workspace_keys (certificate, fingerprint, created_at, os_account) "
        "VALUES (?, ?, ?, ?)",
        [der, fp, ws.now(), account],
    )
    _write_private(
        _key_path(ws, fp),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    audit.record(ws, "authority.workspace_key", "workspace_keys", None, fingerprint=fp)
    return keys.from_private_key(key, der, source="workspace")
