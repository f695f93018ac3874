"""Self-made certificates for tests: a CNE root, an intermediate, people's keys, .p12 files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

NOW = dt.datetime.now(dt.UTC)
VALID_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@dataclass
class Identity:
    """A key and its certificate (DER), as a CA or an end entity."""

    key: object
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def write_p12(self, path: Path, password: bytes = b"secret") -> Path:
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"key",
                self.key,
                self.cert,
                None,
                serialization.BestAvailableEncryption(password),
            )
        )
        return path


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(x509.NameOID.COMMON_NAME, cn),
            x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, "DHS CNE (test)"),
        ]
    )


def make(
    cn: str,
    *,
    issuer: Identity | None = None,
    ca: bool = False,
    kind: str = "ec",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> Identity:
    """A certificate for cn, self-signed unless an issuer is given."""
    key = (
        rsa.generate_private_key(65537, 2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer.cert.subject if issuer else _name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # Valid from well before the tests' fixed clock (2026-11-02), whatever today's date is.
        .not_valid_before(not_before or VALID_FROM)
        .not_valid_after(not_after or NOW + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Identity(key, cert)


def hierarchy() -> tuple[Identity, Identity]:
    """A CNE root and an intermediate it issued."""
    root = make("CNE Test Root CA", ca=True)
    return root, make("CNE Test Issuing CA", issuer=root, ca=True)
