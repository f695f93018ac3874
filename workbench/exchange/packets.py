"""Review packets: one file per review request, holding what the reviewer must read and answer."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from workbench import audit
from workbench.authority import signed_heads
from workbench.coordination import requests as rq
from workbench.directory import organization
from workbench.documents import document
from workbench.errors import RuleViolation
from workbench.exchange.formats import (
    FORMAT_VERSION,
    MAX_PACKET_BYTES,
    PACKET_FORMAT,
    ExchangeError,
    Fields,
    canonical,
    check_envelope,
    digest,
    dump,
    parse_json,
    read_limited,
    write_atomic,
)
from workbench.sections import content_hash, outline
from workbench.workspace import use_case

MAX_SECTIONS = 5_000


@dataclass(frozen=True)
class PacketSection:
    section_id: int
    number: str
    depth: int
    kind: str
    heading: str
    body: str
    content_hash: str
    # The fingerprint of the text as it arrived (before NULs were dropped for display),
    # recomputed here: the response quotes it so CNE can tell what the reviewer was shown.
    seen_hash: str = ""

    @property
    def title(self) -> str:
        return f"{self.number} {self.heading}".strip()


@dataclass(frozen=True)
class Packet:
    workspace_id: str
    request_id: int
    document_id: int
    document_title: str
    document_version: int
    marking: str
    organization_code: str
    organization_name: str
    reviewer_name: str
    reviewer_email: str
    suspense_date: str
    instructions: str
    exported_at: str
    sections: tuple[PacketSection, ...]
    digest: str  # SHA-256 of the packet's content (all but its signature): what CNE sent
    signer: str = ""  # the certificate's name when the signature holds
    signer_fingerprint: str = ""
    # Why the packet cannot be confirmed as CNE's (shown loudly), or "" when it is signed.
    signature_problem: str = ""
    # figure id -> workbench.figures.FigureImage: the pictures the sections place, carried
    # inside the packet (and so under its signature), each checked by content and hash.
    figures: dict = field(default_factory=dict)
    # Who vouches: "person" (the sender's own certificate; `signer_issuer` names who issued
    # it) or "workspace" (CNE's workspace key, for offices whose people have no keys).
    signer_kind: str = ""
    signer_issuer: str = ""

    def section(self, section_id: int) -> PacketSection | None:
        return next((s for s in self.sections if s.section_id == section_id), None)


def build_packet(ws, request_id: int) -> dict:
    req = rq.request(ws, request_id)
    doc = document(ws, req.document_id)
    org = organization(ws, req.organization_id)
    order = {e.id: e for e in outline(ws, req.document_id)}
    texts = {
        r["id"]: r
        for r in ws.db.query(
            "SELECT v.id, v.heading, v.body, v.content_hash FROM section_revisions v "
            "JOIN review_request_sections q ON q.section_revision_id = v.id "
            "WHERE q.request_id = ?",
            [request_id],
        )
    }
    rank = {sid: i for i, sid in enumerate(order)}
    ranked = sorted(req.sections, key=lambda s: rank.get(s.section_id, len(rank)))
    sections = []
    for s in ranked:
        entry = order.get(s.section_id)
        text = texts[s.section_revision_id]
        sections.append(
            {
                "section_id": s.section_id,
                "number": entry.number if entry else "",
                "depth": entry.depth if entry else 0,
                "kind": entry.kind if entry else "narrative",
                "heading": text["heading"],
                "body": text["body"],
                "content_hash": text["content_hash"],
            }
        )
    packet = {
        "format": PACKET_FORMAT,
        "version": FORMAT_VERSION,
        "workspace_id": ws.workspace_id,
        "request_id": req.id,
        "document_id": doc.id,
        "document_title": doc.title,
        "document_version": req.document_version,
        "marking": doc.marking,
        "organization": {"code": org.code, "name": org.name},
        "reviewer": {"name": req.reviewer_name, "email": req.reviewer_email},
        "suspense_date": req.suspense_date,
        "instructions": req.instructions,
        "exported_at": ws.now(),
        "sections": sections,
        "figures": packet_figures(ws, [s["body"] for s in sections]),
        # Where the log stood when this left, signed: `workbench check --against` compares it.
        "audit_head": signed_heads.sign_head(ws, f"the packet for review request {req.id}"),
    }
    return sign_packet(ws, packet)


def packet_figures(ws, bodies: list[str]) -> list[dict]:
    """The stored figures the sections place, bytes and all: a reviewer must see them."""
    from workbench.figures import images, referenced_ids

    order = referenced_ids(bodies)
    found = images(ws, order)
    return [
        {
            "id": f.id,
            "media_type": f.media_type,
            "sha256": f.sha256,
            "alt": f.alt,
            "caption": f.caption,
            "data": base64.b64encode(f.data).decode("ascii"),
        }
        for f in (found[i] for i in order if i in found)
    ]


def _parse_figures(value: dict, what: str) -> dict:
    """The packet's figures, each decoded and checked like a figure being added to a store."""
    from workbench.images import MAX_BYTES, FigureImage, inspect

    raw = value.get("figures")
    if raw is None:
        return {}  # a packet from before figures travelled
    if not isinstance(raw, list) or len(raw) > MAX_SECTIONS:
        raise ExchangeError(f"The {what} is malformed: its figures are not a list.")
    out = {}
    for n, entry in enumerate(raw, 1):
        f = Fields(entry, f"figure {n}", what)
        fid = f.int("id")
        text = f.str("data", max_len=MAX_BYTES * 4 // 3 + 8)
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ExchangeError(f"Figure {n} of this {what} is damaged.") from None
        if hashlib.sha256(data).hexdigest() != f.str("sha256", max_len=64):
            raise ExchangeError(
                f"Figure {n} of this {what} was changed after CNE sent it. Ask CNE for a "
                "fresh copy."
            )
        try:
            info = inspect(data, f"Figure {n} of this {what}")
        except ExchangeError:
            raise
        except Exception as exc:  # WorkbenchError from the checks: one line, said as such
            raise ExchangeError(str(exc)) from None
        out[fid] = FigureImage(
            fid,
            info.media_type,
            data,
            info.width,
            info.height,
            f.str("alt", required=False, max_len=2000),
            f.str("caption", required=False, max_len=4000),
        )
    return out


def sign_packet(ws, packet: dict) -> dict:
    """The packet with CNE's signature over its content: the sender's own key where the
    directory holds their certificate and it is open, the workspace's key otherwise.

    A read-only workspace, whose key cannot be made, sends it unsigned: the review window
    says so loudly. No secret travels in the packet: whoever holds it cannot answer as CNE's
    addressee, only as an unauthenticated reviewer.
    """
    key = signed_heads.signing_key(ws)
    if key is None:
        return packet
    return dict(
        packet,
        signature={
            "certificate": base64.b64encode(key.certificate).decode("ascii"),
            "value": base64.b64encode(key.sign(canonical(packet))).decode("ascii"),
            "signer": key.name,
        },
    )


def packet_bytes(packet: dict) -> bytes:
    """The packet file's bytes; refused when a reviewer's copy could not open it (too large)."""
    data = dump(packet)
    if len(data) > MAX_PACKET_BYTES:
        raise ExchangeError(
            f"The packet would be {len(data) / 1e6:.0f} MB, more than the "
            f"{MAX_PACKET_BYTES // 1_000_000} MB a review packet may be; its figures are too "
            "large. Store them at screen size (PNG or JPEG) and send again."
        )
    return data


def content_digest(packet: dict) -> str:
    """The digest a response quotes: the packet without its signature."""
    return digest({k: v for k, v in packet.items() if k != "signature"})


def record_sent(ws, request_id: int, packet: dict, kind: str = "packet") -> str:
    """Within a use-case: remember what went out, so a response to other text is refused."""
    sent = content_digest(packet)
    ws.db.execute(
        "INSERT INTO exchange_packets (request_id, digest, kind, exported_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (request_id, digest) DO NOTHING",
        [request_id, sent, kind, ws.now()],
    )
    return sent


def prepare_request_for_export(ws, request_id: int) -> rq.ReviewRequest:
    """Within a use-case: a packet or workbook may go out only for an open request.

    A draft request is sent first: handing out the packet is the sending.
    """
    req = rq.request(ws, request_id)
    if req.stored_status == "withdrawn":
        raise RuleViolation(f"Review request {request_id} was withdrawn; nothing can be sent.")
    if req.stored_status == "draft":
        rq.send_request(ws, request_id)
        req = rq.request(ws, request_id)
    return req


@use_case
def export_packet(ws, request_id: int, path: str | os.PathLike) -> Path:
    """Write the request's review packet; returns the path written."""
    req = prepare_request_for_export(ws, request_id)
    out = Path(path)
    if out.is_dir():
        raise ExchangeError(f"{out} is a folder; name the packet file to write.")
    data = build_packet(ws, request_id)
    write_atomic(out, packet_bytes(data))
    record_packet_sent(ws, req, data, out.name)
    return out


def record_packet_sent(ws, req: rq.ReviewRequest, packet: dict, file_name: str) -> None:
    """Within a use-case: `packet` went out as `file_name` (remembered and on the log)."""
    sent = record_sent(ws, req.id, packet)
    audit.record(
        ws,
        "exchange.packet_export",
        "review_request",
        req.id,
        document_id=req.document_id,
        organization=req.organization,
        file=file_name,
        packet_sha256=sent,
        signed=bool(packet.get("signature")),
    )


def parse_packet(value: dict) -> Packet:
    what = "review packet"
    check_envelope(value, PACKET_FORMAT, what)
    f = Fields(value, "the packet", what)
    org = f.obj("organization")
    reviewer = f.obj("reviewer")
    raw_sections = f.list("sections", MAX_SECTIONS)
    if not raw_sections:
        raise ExchangeError("The review packet holds no sections to review.")
    sections = []
    for n, raw in enumerate(raw_sections, 1):
        s = Fields(raw, f"section {n}", what)
        sec = PacketSection(
            s.int("section_id"),
            s.str("number", max_len=100),
            s.int("depth"),
            s.str("kind", max_len=40),
            s.str("heading", max_len=10_000),
            s.str("body", max_len=5_000_000),
            s.str("content_hash", max_len=64),
            content_hash(raw["heading"], raw["body"]),  # both checked as text just above
        )
        if sec.seen_hash != sec.content_hash:
            raise ExchangeError(
                f"Section {sec.number or n} of this packet was changed after CNE sent it (its "
                "text no longer matches its fingerprint). Ask CNE for a fresh copy."
            )
        sections.append(sec)
    signer, fingerprint, problem, kind, issuer = _check_signature(value)
    figures = _parse_figures(value, what)
    return Packet(
        f.str("workspace_id", max_len=100),
        f.int("request_id"),
        f.int("document_id"),
        f.str("document_title", max_len=1000),
        f.int("document_version"),
        f.str("marking", max_len=1000),
        org.str("code", max_len=100),
        org.str("name", max_len=1000),
        reviewer.str("name", required=False, max_len=1000),
        reviewer.str("email", required=False, max_len=1000),
        f.str("suspense_date", max_len=40),
        f.str("instructions", required=False),
        f.str("exported_at", required=False, max_len=40),
        tuple(sections),
        content_digest(value),
        signer,
        fingerprint,
        problem,
        figures,
        kind,
        issuer,
    )


def _check_signature(value: dict) -> tuple[str, str, str, str, str]:
    """(signer, fingerprint, problem, kind, issuer); refuses a packet whose signature fails."""
    from workbench.authority import keys, workspace_key

    sig = value.get("signature")
    if sig is None:
        return (
            "",
            "",
            (
                "This packet is not signed by CNE, so nothing shows that its text, suspense and "
                "instructions are the ones CNE sent. Confirm them with CNE before you answer."
            ),
            "",
            "",
        )
    try:
        cert = base64.b64decode(sig["certificate"], validate=True)
        signature = base64.b64decode(sig["value"], validate=True)
        name = keys.subject_name(cert)
        fingerprint = keys.fingerprint(cert)
        kind = "workspace" if workspace_key.is_workspace_style(cert) else "person"
        issuer = keys.issuer_name(cert)
    except Exception:  # any malformed field: the signature cannot be read
        raise ExchangeError(
            "This packet's signature is damaged, so it cannot be confirmed as CNE's. Ask CNE "
            "for a fresh copy."
        ) from None
    unsigned = {k: v for k, v in value.items() if k != "signature"}
    if not keys.verify(cert, canonical(unsigned), signature):
        raise ExchangeError(
            "This packet was changed after CNE signed it (its text, suspense or instructions "
            "differ from what was sent). Do not answer it; ask CNE for a fresh copy."
        )
    return name, fingerprint, "", kind, issuer


def read_packet(path: str | os.PathLike) -> Packet:
    data = read_limited(path, MAX_PACKET_BYTES, "review packet")
    return parse_packet(parse_json(data, "review packet"))
