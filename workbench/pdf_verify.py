"""verify_pdf: is a file exactly a published version (and which), modified, or unknown?"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from workbench.authority.signed_heads import HeadSignature
from workbench.coordination.publication_pdfs import sha256
from workbench.errors import WorkbenchError
from workbench.maintenance import heads
from workbench.pdf.build import IDENTITY_PREFIX, VARIANTS, build_pdf
from workbench.pdf.sign import SignatureCheck, check_signatures

PUBLISHED = "published"  # byte for byte a published version (optionally plus valid signatures)
MODIFIED = "modified"  # claims to come from a publication here, but its bytes differ
DRAFT = "draft"  # an export of a draft: never a published version
UNKNOWN = "unknown"  # nothing in this workspace produced it

_EOF = re.compile(rb"%%EOF[ \t]*(\r\n|\r|\n)?")
_IDENTITY = re.compile(
    IDENTITY_PREFIX.encode()
    + rb" document=(\d+) version=(\d+) published=([0-9A-Za-z:+.\-]+) variant=(plain|crm)"
)


@dataclass(frozen=True)
class VerifyResult:
    status: str
    message: str
    document_id: int | None = None
    title: str | None = None
    version: int | None = None
    published_at: str | None = None
    published_by: str | None = None
    variant: str | None = None
    publication_id: int | None = None
    signatures: tuple[SignatureCheck, ...] = field(default=())
    # The audit head the published bytes record, as `check --against` judges it (None: not a
    # published version, or one published before heads were recorded).
    audit_head: HeadCheck | None = None

    @property
    def exact(self) -> bool:
        """The file is a published version, any signature on it holds, and so does its head."""
        head_holds = self.audit_head is None or not self.audit_head.faults
        return self.status == PUBLISHED and all(s.ok for s in self.signatures) and head_holds

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "exact": self.exact,
            "message": self.message,
            "document_id": self.document_id,
            "title": self.title,
            "version": self.version,
            "published_at": self.published_at,
            "published_by": self.published_by,
            "variant": self.variant,
            "publication_id": self.publication_id,
            "signatures": [s.__dict__ | {"ok": s.ok} for s in self.signatures],
            "audit_head": self.audit_head.as_dict() if self.audit_head else None,
        }


@dataclass(frozen=True)
class HeadCheck:
    """Who signed the audit head recorded in a published PDF, and whether the log holds it."""

    entries: int
    hash: str
    signature: HeadSignature
    faults: tuple[str, ...]  # the head does not hold, or the log no longer contains it

    def describe(self) -> str:
        if self.faults:
            return " ".join(self.faults)
        return (
            f"Its audit head (entry {self.entries}) is {self.signature.describe()}, and this "
            "workspace's log still holds it."
        )

    def as_dict(self) -> dict:
        return {
            "entries": self.entries,
            "hash": self.hash,
            "state": self.signature.state,
            "signer": self.signature.signer,
            "holds": not self.faults,
            "faults": list(self.faults),
        }


_BY_HASH = """
SELECT pp.variant, p.id AS publication_id, p.document_id, p.version, p.published_at,
       p.published_by, d.title
FROM publication_pdfs pp
JOIN publications p ON p.id = pp.publication_id
JOIN documents d ON d.id = p.document_id
WHERE pp.sha256 = ?
"""


# The fingerprint a publication row itself keeps (its plain PDF): what counts for a version
# published before per-variant fingerprints were stored, whose PDF a newer layout would not
# render byte for byte again.
_BY_ROW_HASH = """
SELECT 'plain' AS variant, p.id AS publication_id, p.document_id, p.version, p.published_at,
       p.published_by, d.title
FROM publications p
JOIN documents d ON d.id = p.document_id
WHERE p.pdf_sha256 = ?
"""


# Every export of a published version is in the audit log with its SHA-256: a copy exported
# after a layout change (footnotes moved to the page foot, say) is still exactly what this
# workspace produced from the frozen snapshot, though its bytes differ from the fingerprint
# recorded at publication.
def _by_export(ws) -> str:
    """The first export of a published version with this SHA-256 (the JSON fields through the
    engine's dialect, db.dialects)."""
    j = ws.db.dialect
    return f"""
SELECT a.entity_id AS document_id, {j.json_int("a.details", "version")} AS version,
       {j.json_text("a.details", "variant")} AS variant
FROM audit_log a
WHERE a.action = 'document.export_pdf' AND a.entity = 'document'
  AND {j.json_text("a.details", "sha256")} = ? AND {j.json_true("a.details", "published")}
ORDER BY a.id LIMIT 1
"""


def _lookup(ws, digest: str) -> dict | None:
    found = next(ws.db.query(_BY_HASH, [digest]), None)
    found = found or next(ws.db.query(_BY_ROW_HASH, [digest]), None)
    if found is not None:
        return found
    export = next(ws.db.query(_by_export(ws), [digest]), None)
    if export is None or export["variant"] not in VARIANTS:
        return None
    pub = _publication(ws, export["document_id"], export["version"])
    if pub is None:
        return None
    return {k: v for k, v in pub.items() if k != "snapshot"} | {"variant": export["variant"]}


def _prefixes(data: bytes) -> list[bytes]:
    """Every earlier revision of the file (each ends at an %%EOF), longest first."""
    ends = [m.end() for m in _EOF.finditer(data)]
    return [data[:end] for end in reversed(ends) if end < len(data)]


def _publication(ws, document_id: int, version: int) -> dict | None:
    return next(
        ws.db.query(
            "SELECT p.id AS publication_id, p.document_id, p.version, p.published_at, "
            "p.published_by, p.snapshot, d.title FROM publications p "
            "JOIN documents d ON d.id = p.document_id WHERE p.document_id = ? AND p.version = ?",
            [document_id, version],
        ),
        None,
    )


def _rendered_match(ws, pub: dict, variant: str, candidates: list[bytes]) -> bool:
    # A publication made before its fingerprints were stored is rendered again to compare.
    stored = next(
        ws.db.query(
            "SELECT 1 FROM publication_pdfs WHERE publication_id = ?", [pub["publication_id"]]
        ),
        None,
    )
    if stored is not None:
        return False
    from workbench.figures import for_snapshot

    snapshot = json.loads(pub["snapshot"])
    data = build_pdf(snapshot, include_crm=VARIANTS[variant], figures=for_snapshot(ws, snapshot))
    digest = sha256(data)
    return any(sha256(c) == digest for c in candidates)


def _describe(row: dict) -> str:
    variant = " with the CRM appendix" if row["variant"] == "crm" else ""
    return (
        f"{row['title']}, version {row['version']}{variant}, published {row['published_at']} "
        f"by {row['published_by']}"
    )


def _head_check(ws, published: bytes) -> HeadCheck | None:
    """The head the published bytes record, judged as `check --against` judges it."""
    try:
        recorded = heads.recorded_head_in_pdf(published, "this PDF")
    except WorkbenchError:
        return None  # published before heads were recorded: nothing to judge
    signature = heads.signature_of(ws, recorded)
    faults = tuple(heads.compare(ws, recorded, signature))
    return HeadCheck(recorded.head.entries, recorded.head.hash, signature, faults)


def _published(ws, message: str, row: dict, sigs, published: bytes) -> VerifyResult:
    """A published version's answer, with who signed the audit head its bytes record."""
    head = _head_check(ws, published)
    if head is not None:
        message = f"{message} {head.describe()}"
    return _result(PUBLISHED, message, row, sigs, head)


def _result(
    status: str, message: str, row: dict | None, sigs, head: HeadCheck | None = None
) -> VerifyResult:
    row = row or {}
    return VerifyResult(
        status,
        message,
        row.get("document_id"),
        row.get("title"),
        row.get("version"),
        row.get("published_at"),
        row.get("published_by"),
        row.get("variant"),
        row.get("publication_id"),
        tuple(sigs),
        head,
    )


def _signature_counts(ws, certificate: bytes) -> bool:
    """A certificate in the directory, or one issued under the pinned root."""
    from workbench.authority import keys, trust

    if not certificate:
        return False
    try:
        if trust.person_for_certificate(ws, certificate) is not None:
            return True
        anchors = trust.trust_anchors(ws)
        return bool(anchors) and keys.chains_to(certificate, anchors)
    except Exception:  # an unreadable certificate in a file from outside
        return False


def _signed_after_publication(ws, data: bytes, sigs, appended: int) -> tuple[str, str]:
    """('', signer) when the only change after the published bytes is one counting signature.

    Anything else is what makes the file "modified", in words: a second update (text whited
    out, a stamp), a signature that does not hold, or one by a certificate no one vouches for.
    """
    from workbench.pdf_updates import signature_only_update

    if appended > 1:
        return "more than a signature was added after it was published", ""
    if len(sigs) != 1:
        return "an update other than one signature was added after it was published", ""
    (sig,) = sigs
    if not sig.ok:
        return "its signature does not hold", ""
    change = signature_only_update(data)
    if change:
        return f"the signature's update also changes the file ({change})", ""
    if not _signature_counts(ws, sig.certificate):
        return (
            f"it is signed by {sig.signer or 'someone'}, whose certificate is neither in the "
            "directory nor issued by the pinned root, so the signature does not count",
            "",
        )
    return "", sig.signer


def verify_pdf(ws, data: bytes) -> VerifyResult:
    """Which published version `data` is, byte for byte, or why it is not one."""
    sigs = check_signatures(data)
    sig_note = "".join(f" The {s.describe()}." for s in sigs)

    row = _lookup(ws, sha256(data))
    if row is not None:
        message = f"Exactly the published {_describe(row)}.{sig_note}"
        return _published(ws, message, row, sigs, data)

    prefixes = _prefixes(data)
    for appended, prefix in enumerate(prefixes, 1):
        row = _lookup(ws, sha256(prefix))
        if row is None:
            continue
        problem, signer = _signed_after_publication(ws, data, sigs, appended)
        if not problem:
            message = f"The published {_describe(row)}, signed by {signer}.{sig_note}"
            return _published(ws, message, row, sigs, prefix)
        return _result(
            MODIFIED,
            f"Modified: starts as the published {_describe(row)}, but {problem}.{sig_note}",
            row,
            sigs,
        )

    claim = _IDENTITY.search(data)
    if claim is None:
        return _result(
            UNKNOWN,
            f"Unknown: this file is not a PDF exported by the CNE Workbench.{sig_note}",
            None,
            sigs,
        )
    doc_id, version, published, variant = (
        int(claim.group(1)),
        int(claim.group(2)),
        claim.group(3).decode(),
        claim.group(4).decode(),
    )
    if published == "draft":
        return _result(
            DRAFT,
            f"A draft export (document {doc_id}, version {version}); drafts are never a "
            f"published version.{sig_note}",
            {"document_id": doc_id, "version": version, "variant": variant},
            sigs,
        )
    pub = _publication(ws, doc_id, version)
    if pub is None or pub["published_at"] != published:
        return _result(
            UNKNOWN,
            f"Unknown: it claims to be version {version} of document {doc_id} published "
            f"{published}, which this workspace did not publish.{sig_note}",
            None,
            sigs,
        )
    row = dict(pub, variant=variant)
    message = f"The published {_describe(row)}.{sig_note}"
    if _rendered_match(ws, pub, variant, [data]):
        return _published(ws, message, row, sigs, data)
    if (
        prefixes
        and not _signed_after_publication(ws, data, sigs, 1)[0]
        and _rendered_match(ws, pub, variant, prefixes[:1])
    ):
        return _published(ws, message, row, sigs, prefixes[0])
    return _result(
        MODIFIED,
        f"Modified: it claims to be the published {_describe(row)}, but its contents differ "
        f"from that publication.{sig_note}",
        row,
        sigs,
    )
