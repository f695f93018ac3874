"""Signing keys: a person's (PKCS#12 file or PKCS#11 token), verification, and chain checks.

A `Signer` signs bytes with SHA-256 (RSA PKCS#1 v1.5 or ECDSA, whatever the key is) and carries
its certificate. `verify` checks one signature; `chains_to` checks a certificate against a pinned
root or intermediate. Nothing here touches the workspace: `workbench.authority.trust` stores
certificates, and `workbench.authority.workspace_key` holds the workspace's own key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from cryptography import x509

# cryptography is imported where it is used: it is ~16 MB resident, and a window whose
# documents carry no signed decision never needs it.

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
MAX_CHAIN = 6  # root → intermediates → signer; deeper than this is not a CNE hierarchy


def load_certificate(data: bytes | x509.Certificate) -> x509.Certificate:
    """A certificate from PEM or DER bytes; a one-line error for anything else."""
    from cryptography import x509

    if isinstance(data, x509.Certificate):
        return data
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except (ValueError, TypeError):
        raise WorkbenchError("That is not an X.509 certificate (PEM or DER).") from None


def certificate_der(cert: bytes | x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return load_certificate(cert).public_bytes(serialization.Encoding.DER)


def fingerprint(cert: bytes | x509.Certificate) -> str:
    """SHA-256 of the certificate's DER encoding, hex: how the workspace names a certificate."""
    return hashlib.sha256(certificate_der(cert)).hexdigest()


def short_fingerprint(fp: str) -> str:
    """The first 16 hex digits in groups of four, as the Trust Roots dialog shows them."""
    return " ".join(fp[i : i + 4] for i in range(0, 16, 4)) + " \u2026"


def subject_name(cert: bytes | x509.Certificate) -> str:
    """The certificate's common name (or its whole subject when it has none)."""
    from cryptography import x509

    cert = load_certificate(cert)
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def issuer_name(cert: bytes | x509.Certificate) -> str:
    """The common name of whoever issued the certificate (itself, for a self-signed one)."""
    from cryptography import x509

    cert = load_certificate(cert)
    names = cert.issuer.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.issuer.rfc4514_string()


@dataclass(frozen=True)
class Signer:
    """Signs bytes with one private key; `certificate` is its public half (DER).

    `source` is "pkcs12", "pkcs11" or "workspace"; `person_id` is the directory person the key
    belongs to (None for the workspace's own key).
    """

    certificate: bytes
    source: str
    person_id: int | None
    _sign: Callable[[bytes], bytes] = field(repr=False, compare=False)
    _close: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def sign(self, data: bytes) -> bytes:
        """The signature over data (SHA-256 with the key's own algorithm)."""
        try:
            return self._sign(bytes(data))
        except WorkbenchError:
            raise
        except Exception as exc:  # a token pulled out, a PIN locked meanwhile...
            raise WorkbenchError(f"The key could not sign ({type(exc).__name__}).") from None

    @property
    def certificate_pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return load_certificate(self.certificate).public_bytes(serialization.Encoding.PEM)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    @property
    def name(self) -> str:
        return subject_name(self.certificate)

    def with_person(self, person_id: int | None) -> Signer:
        return Signer(self.certificate, self.source, person_id, self._sign, self._close)

    def close(self) -> None:
        """Release a token session (no-op for a file key)."""
        if self._close is not None:
            self._close()

    def pdf_signer(self):
        """A pyHanko signer that signs through this key (for PAdES signatures on PDFs)."""
        from asn1crypto import algos
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        cert = asn1_x509.Certificate.load(self.certificate)
        algo = {
            "rsa": "sha256_rsa",
            "ec": "sha256_ecdsa",
        }.get(cert.public_key.algorithm, "sha256_rsa")
        sign = self.sign

        class _KeySigner(signers.Signer):
            async def async_sign_raw(self, data, digest_algorithm, dry_run=False):
                if digest_algorithm != "sha256":
                    raise WorkbenchError("Only SHA-256 signatures are supported.")
                return sign(data)

        return _KeySigner(
            signing_cert=cert,
            cert_registry=SimpleCertificateStore.from_certs([cert]),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": algo}),
        )


def _private_key_signer(key) -> Callable[[bytes], bytes]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    if isinstance(key, rsa.RSAPrivateKey):
        return lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return lambda data: key.sign(data, ec.ECDSA(hashes.SHA256()))
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign
    raise WorkbenchError("The key is neither RSA, EC nor Ed25519; it cannot sign here.")


def from_private_key(
    key, certificate: bytes | x509.Certificate, *, source: str, person_id: int | None = None
) -> Signer:
    """A signer over an in-memory private key (the workspace key, tests)."""
    from cryptography.hazmat.primitives import serialization

    cert = load_certificate(certificate)
    if cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise WorkbenchError("The certificate does not belong to the private key.")
    return Signer(certificate_der(cert), source, person_id, _private_key_signer(key))


def load_pkcs12(
    path: str | Path, password: bytes | str | None, *, person_id: int | None = None
) -> Signer:
    """The key and certificate in a PKCS#12 (.p12/.pfx) file."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(path)
    if isinstance(password, str):
        password = password.encode("utf-8")
    try:
        data = path.read_bytes()
    except OSError:
        raise WorkbenchError(f"No certificate file at {path}.") from None
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, password or None)
    except (ValueError, TypeError):
        key = cert = None
    if key is None or cert is None:
        raise WorkbenchError(
            f"Could not open {path.name}: the password is wrong or it is not a PKCS#12 file "
            "with a key and a certificate."
        )
    return from_private_key(key, cert, source="pkcs12", person_id=person_id)


def load_pkcs11(
    module: str | Path,
    token_label: str,
    pin: str,
    key_label: str,
    *,
    person_id: int | None = None,
) -> Signer:
    """The private key `key_label` on a PKCS#11 token (smart card, SoftHSM2) and its certificate.

    The certificate is the token's certificate object with the key's label or id. The session
    stays open until `Signer.close()` (a card may ask for the PIN once per session).
    """
    import pkcs11
    from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass

    try:
        lib = pkcs11.lib(str(module))
    except Exception:
        raise WorkbenchError(f"No PKCS#11 module could be loaded from {module}.") from None
    try:
        token = lib.get_token(token_label=token_label)
    except Exception:
        raise WorkbenchError(
            f"No smart card or token labelled {token_label!r} is present."
        ) from None
    try:
        session = token.open(user_pin=pin)
    except pkcs11.PinIncorrect:
        raise WorkbenchError("The PIN is wrong.") from None
    except pkcs11.PinLocked:
        raise WorkbenchError("The card's PIN is locked.") from None
    except Exception as exc:
        raise WorkbenchError(f"The token could not be opened ({type(exc).__name__}).") from None
    try:
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=key_label)
    except Exception:
        session.close()
        raise WorkbenchError(f"The token holds no private key labelled {key_label!r}.") from None
    cert_der = None
    for attrs in ({Attribute.LABEL: key_label}, {Attribute.ID: key[Attribute.ID]}):
        objects = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, **attrs}))
        if objects:
            cert_der = bytes(objects[0][Attribute.VALUE])
            break
    if cert_der is None:
        session.close()
        raise WorkbenchError(f"The token holds no certificate for the key {key_label!r}.")
    # python-pkcs11 types get_key() as the base Key, which lacks sign(); a private key object it
    # returns has SignMixin at run time, hence the two ignores on key.sign below.
    if key.key_type == KeyType.EC:

        def sign(data: bytes) -> bytes:
            from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

            digest = hashlib.sha256(data).digest()
            raw = key.sign(digest, mechanism=Mechanism.ECDSA)  # type: ignore[attr-defined]
            half = len(raw) // 2
            r, s = int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
            return encode_dss_signature(r, s)  # DER, as cryptography and CMS expect

    else:

        def sign(data: bytes) -> bytes:
            raw = key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS)  # type: ignore[attr-defined]
            return bytes(raw)

    return Signer(certificate_der(cert_der), "pkcs11", person_id, sign, session.close)


def verify(certificate: bytes | x509.Certificate, data: bytes, signature: bytes) -> bool:
    """Whether signature is the certificate's key's SHA-256 signature over data."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    try:
        public = load_certificate(certificate).public_key()
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, ed25519.Ed25519PublicKey):
            public.verify(signature, data)
        else:
            return False
    except (InvalidSignature, WorkbenchError, ValueError, TypeError):
        return False
    return True


def _is_ca(cert: x509.Certificate) -> bool:
    from cryptography import x509

    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _valid_at(cert: x509.Certificate, at: dt.datetime) -> bool:
    return cert.not_valid_before_utc <= at <= cert.not_valid_after_utc


def chains_to(
    certificate: bytes | x509.Certificate,
    roots: Iterable[bytes | x509.Certificate],
    intermediates: Iterable[bytes | x509.Certificate] = (),
    *,
    at: dt.datetime | None = None,
) -> bool:
    """Whether the certificate is a root, or is issued (through CA intermediates) by one.

    Every link's signature is checked and every certificate must be valid at `at` (now by
    default); an issuer must be a CA. A pinned intermediate counts as a root.
    """
    at = at or dt.datetime.now(dt.UTC)
    try:
        cert = load_certificate(certificate)
        anchors = [load_certificate(r) for r in roots]
        pool = [load_certificate(c) for c in intermediates]
    except WorkbenchError:
        return False
    anchor_prints = {fingerprint(a) for a in anchors}
    current = cert
    for _depth in range(MAX_CHAIN):
        if not _valid_at(current, at):
            return False
        if fingerprint(current) in anchor_prints:
            return True
        issuer = _issuer_of(current, anchors + pool)
        if issuer is None:
            return False
        current = issuer
    return False


def _issuer_of(cert: x509.Certificate, candidates: list[x509.Certificate]):
    from cryptography.exceptions import InvalidSignature

    for candidate in candidates:
        if candidate.subject != cert.issuer or not _is_ca(candidate):
            continue
        if fingerprint(candidate) == fingerprint(cert):
            continue
        try:
            cert.verify_directly_issued_by(candidate)
        except (InvalidSignature, ValueError, TypeError):
            continue
        return candidate
    return None
