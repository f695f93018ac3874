"""PDF fixtures: a hand-built snapshot, a really published strategy, a self-signed certificate."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from workbench import documents, sections
from workbench.authority.identity import acting_as
from workbench.authority.rulings import override_nonconcurrence, waive_review
from workbench.coordination.comments import add_comment, adjudicate_comment
from workbench.coordination.positions import record_position
from workbench.coordination.publication import publish

HOSTILE = [
    "a < b and c > d & e",
    "an unclosed <b> bold",
    '<font color="[[[x]]]">coloured</font>',
    '<a href="javascript:alert(1)">click me</a>',
    '<img src="/etc/passwd"/>',
]


def make_snapshot(*, published: bool = True, sections_count: int = 3) -> dict:
    """A snapshot in the shape coordination.publication.document_snapshot produces."""
    secs = []
    for i in range(1, sections_count + 1):
        secs.append(
            {
                "section_id": i * 10,
                "number": str(i),
                "depth": 0,
                "kind": "narrative",
                "heading": f"Chapter heading {i}",
                "body": f"Body text of chapter {i}.\n\n" + ("Filler sentence. " * 120),
                "content_hash": f"h{i}",
                "equities": ["USCG"],
            }
        )
        secs.append(
            {
                "section_id": i * 10 + 1,
                "number": f"{i}.1",
                "depth": 1,
                "kind": "narrative",
                "heading": f"Subsection heading {i}",
                "body": "Short body.",
                "content_hash": f"h{i}.1",
                "equities": [],
            }
        )
    secs.append(
        {
            "section_id": 99,
            "number": "Tenet 1",
            "depth": 0,
            "kind": "tenet",
            "heading": "Unity of effort",
            "body": "Components act as one.",
            "content_hash": "t1",
            "equities": [],
        }
    )
    return {
        "document": {
            "id": 7,
            "kind": "strategy",
            "kind_label": "Strategy",
            "title": "Maritime Border Counternarcotics Strategy",
            "marking": "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
            "version": 3,
            "status": "published" if published else "in_coordination",
            "lead": "CNE",
            "co_lead": "DOJ",
            "due_date": None,
        },
        "published_at": "2026-11-20T15:00:00Z" if published else None,
        "published_by": "Dana Reyes" if published else None,
        "sections": secs,
        "coordination": {
            "organizations": [
                {
                    "code": "USCG",
                    "name": "U.S. Coast Guard",
                    "position": "concur",
                    "position_label": "Concur",
                    "by_name": "Capt. Lee Odiña",
                    "by_title": "Assistant Commandant for Operations",
                    "at": "2026-11-10T12:00:00Z",
                    "document_version": 3,
                    "events": [],
                },
                {
                    "code": "CBP",
                    "name": "U.S. Customs and Border Protection",
                    "position": "non_concur",
                    "position_label": "Non-concur",
                    "by_name": "Pat Moreno",
                    "by_title": "Deputy Commissioner",
                    "at": "2026-11-11T12:00:00Z",
                    "document_version": 2,
                    "events": [
                        {
                            "kind": "overridden",
                            "by_name": "Dana Reyes",
                            "by_title": "Director",
                            "at": "2026-11-18T10:00:00Z",
                            "reason": "Port screening stays as written.",
                        }
                    ],
                },
            ],
            "waivers": [
                {
                    "organization": "FLETC",
                    "section_number": "2",
                    "by_name": "Dana Reyes",
                    "at": "2026-11-19T10:00:00Z",
                    "reason": "No training equities.",
                }
            ],
        },
        "crm": [
            {
                "item_no": 1,
                "organization": "USCG",
                "reviewer_name": "Capt. Lee Odiña",
                "reviewer_title": "Liaison",
                "response_date": "2026-11-09",
                "type": "S",
                "section_number": "1",
                "quoted_passage": "Filler sentence.",
                "comment": "Incomplete and inaccurate.",
                "rationale": "Detection rates differ.",
                "critical_ground": None,
                "proposed_wording": "Better sentence.",
                "disposition": "accepted_with_modification",
                "disposition_label": "Accepted with modification",
                "disposition_rationale": "Reworded.",
            }
        ],
    }


def pages_text(data: bytes) -> list[str]:
    # Section numbers are joined to their headings by no-break spaces.
    return [p.extract_text().replace("\xa0", " ") for p in PdfReader(io.BytesIO(data)).pages]


def placed_text(page) -> list[tuple[str, float, float, bool]]:
    """(text, x, y, rotated) for each text run on a page, in page coordinates."""
    runs: list[tuple[str, float, float, bool]] = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        # Combine text and current matrices (pypdf hands both over separately).
        a, b, c, d, e, f = cm
        x = tm[4] * a + tm[5] * c + e
        y = tm[4] * b + tm[5] * d + f
        rotated = abs(tm[1] * a + tm[0] * b) > 1e-6 or abs(b) > 1e-6
        runs.append((text.strip(), x, y, rotated))

    page.extract_text(visitor_text=visit)
    return runs


@dataclass
class Published:
    doc: int
    publication_id: int
    intro: int
    maritime: int
    tenet: int


@pytest.fixture
def published(ws, clock, council) -> Published:
    """A strategy coordinated and published through the real use-cases."""
    doc = documents.create_document(ws, "strategy", "SPSS Counternarcotics Strategy", co_lead="DOJ")
    intro = sections.add_section(ws, doc, heading="Purpose", body="Why this *strategy* exists.")
    maritime = sections.add_section(
        ws,
        doc,
        heading="Maritime interdiction",
        body="SPSS vessels travel slowly.\n\n- They carry up to ten tons.\n- They ride low.",
        equities=["USCG"],
    )
    sections.add_section(
        ws, doc, heading="Ports of entry", body="Screening at ports.", equities=["CBP"]
    )
    tenet = sections.add_section(
        ws, doc, kind="tenet", heading="Unity of effort", body="Components act as one."
    )
    clock.advance(days=1)
    record_position(
        ws,
        doc,
        "USCG",
        "concur_with_comment",
        by_name="Capt. Lee Odiña",
        by_title="Assistant Commandant for Operations",
    )
    cid = add_comment(
        ws,
        doc,
        organization_code="USCG",
        type="S",
        section_id=maritime,
        comment_text="Ten tons understates recent loads.",
        rationale="Seizures in 2026 exceeded twelve tons.",
        proposed_wording="They carry more than ten tons.",
        reviewer_name="Capt. Lee Odiña",
        reviewer_title="Assistant Commandant for Operations",
    )
    adjudicate_comment(ws, cid, "rejected", "The figure is the design capacity.")
    record_position(
        ws, doc, "CBP", "non_concur", by_name="Pat Moreno", by_title="Deputy Commissioner"
    )
    with acting_as(ws, "Dana Reyes"):
        override_nonconcurrence(ws, doc, "CBP", reason="Port screening stays as written.")
        waive_review(ws, doc, "DOJ", reason="Co-lead drafted it.")
        clock.advance(days=1)
        publication_id = publish(ws, doc)
    return Published(doc, publication_id, intro, maritime, tenet)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed signing certificate in a PKCS#12 file, with its password."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Dana Reyes"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DHS CNE"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    password = b"correct horse"
    blob = pkcs12.serialize_key_and_certificates(
        b"dana", key, cert, None, serialization.BestAvailableEncryption(password)
    )
    path = tmp_path_factory.mktemp("cert") / "dana.p12"
    path.write_bytes(blob)
    return path, password
