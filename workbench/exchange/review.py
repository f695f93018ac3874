"""Review mode without a workspace: a reviewer's comments and position on one packet, as a file."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbench.coordination.comments import (
    COMMENT_TYPES,
    comment_problem,
    passage_in,
)
from workbench.coordination.positions import POSITIONS
from workbench.exchange.formats import (
    FORMAT_VERSION,
    MAX_RESPONSE_BYTES,
    RESPONSE_FORMAT,
    RESPONSE_SUFFIX,
    ExchangeError,
    canonical,
    check_response_body,
    dump,
    write_atomic,
)
from workbench.exchange.packets import Packet, read_packet

DRAFT_SUFFIX = ".draft.json"
WHOLE_DOCUMENT = "The document as a whole"
DRAFT_FORMAT = "cne-review-draft"


@dataclass(frozen=True)
class DraftComment:
    client_id: str
    section_id: int | None  # None: about the document as a whole
    type: str
    comment: str
    quoted_passage: str = ""
    rationale: str = ""
    critical_ground: str | None = None
    proposed_wording: str = ""
    location_detail: str = ""

    @property
    def type_label(self) -> str:
        return COMMENT_TYPES[self.type]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _current_time() -> dt.datetime:
    return _utc_now()  # looked up at each call, so tests can set the reviewer's clock


@dataclass
class ReviewSession:
    """One reviewer's work on one packet; every change can be saved beside the packet."""

    packet: Packet
    packet_path: Path
    reviewer_name: str = ""
    reviewer_title: str = ""
    position: str | None = None
    comments: list[DraftComment] = field(default_factory=list)
    sequence: int = 0
    dirty: bool = False
    notice: str = ""
    clock: Callable[[], dt.datetime] = _current_time

    # -- opening and saving ----------------------------------------------------------------
    @classmethod
    def open(cls, packet_path: str | os.PathLike, *, clock=_current_time) -> ReviewSession:
        path = Path(packet_path)
        packet = read_packet(path)
        session = cls(packet, path, reviewer_name=packet.reviewer_name, clock=clock)
        session._load_draft()
        return session

    @property
    def draft_path(self) -> Path:
        return self.packet_path.with_name(self.packet_path.name + DRAFT_SUFFIX)

    def suggested_response_path(self) -> Path:
        stem = self.packet_path.name.removesuffix(".cnereview")
        return self.packet_path.with_name(stem + RESPONSE_SUFFIX)

    def _load_draft(self) -> None:
        p = self.draft_path
        if not p.exists():
            return
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            if data.get("format") != DRAFT_FORMAT:
                raise ValueError("not a draft")
            if (data["workspace_id"], data["request_id"]) != (
                self.packet.workspace_id,
                self.packet.request_id,
            ):
                raise ValueError("another request")
            comments = [DraftComment(**c) for c in data["comments"]]
            for c in comments:
                about = c.section_id is None or self.packet.section(c.section_id) is not None
                if not about or c.type not in COMMENT_TYPES:
                    raise ValueError("unknown section")
        except (OSError, ValueError, KeyError, TypeError):
            # Keep the unreadable draft aside rather than overwrite what someone typed.
            aside = p.with_name(p.name + ".unreadable")
            os.replace(p, aside)
            self.notice = f"The saved work in progress could not be read; it was kept as {aside}."
            return
        self.reviewer_name = str(data.get("reviewer_name", self.reviewer_name))
        self.reviewer_title = str(data.get("reviewer_title", ""))
        pos = data.get("position")
        self.position = pos if pos in POSITIONS else None
        self.sequence = int(data.get("sequence", 0))
        self.comments = comments

    def save(self) -> None:
        """Write work in progress next to the packet (atomically: old or new, never half)."""
        data = {
            "format": DRAFT_FORMAT,
            "version": FORMAT_VERSION,
            "workspace_id": self.packet.workspace_id,
            "request_id": self.packet.request_id,
            "reviewer_name": self.reviewer_name,
            "reviewer_title": self.reviewer_title,
            "position": self.position,
            "sequence": self.sequence,
            "saved_at": self._now(),
            "comments": [c.__dict__ for c in self.comments],
        }
        write_atomic(self.draft_path, dump(data))
        self.dirty = False

    def _now(self) -> str:
        return self.clock().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    # -- editing ---------------------------------------------------------------------------
    def _checked(self, c: DraftComment) -> DraftComment:
        section = None if c.section_id is None else self.packet.section(c.section_id)
        if c.section_id is not None and section is None:
            raise ExchangeError(
                "Choose one of the sections in this packet, or the document as a whole."
            )
        problem = comment_problem(c.type, c.comment, c.critical_ground)
        if problem:
            raise ExchangeError(problem)
        if c.type != "C":
            c = replace(c, critical_ground=None)
        passage = c.quoted_passage.strip()
        # A comment on the document as a whole needs no passage; one it quotes must stand in
        # some section sent (CNE refuses a passage it never sent).
        candidates = self.packet.sections if section is None else (section,)
        if passage and not any(passage_in(passage, s.heading, s.body) for s in candidates):
            where = "any section of this packet" if section is None else section.title
            raise ExchangeError(
                f"The quoted passage is not in {where}; copy it exactly from the text."
            )
        return replace(c, quoted_passage=passage)

    def add_comment(
        self, section_id: int | None, type: str, comment: str, **fields
    ) -> DraftComment:
        """A new comment on a section, or on the document as a whole (`section_id` None)."""
        c = self._checked(
            DraftComment(uuid.uuid4().hex, section_id, type, comment.strip(), **fields)
        )
        self.comments.append(c)
        self.dirty = True
        return c

    def update_comment(self, client_id: str, **changes) -> DraftComment:
        for i, c in enumerate(self.comments):
            if c.client_id == client_id:
                new = self._checked(replace(c, **changes))
                self.comments[i] = new
                self.dirty = True
                return new
        raise ExchangeError("That comment is no longer in this review.")

    def remove_comment(self, client_id: str) -> None:
        self.comments = [c for c in self.comments if c.client_id != client_id]
        self.dirty = True

    def set_position(self, position: str | None) -> None:
        if position is not None and position not in POSITIONS:
            raise ExchangeError("A position is Concur, Concur with comment or Non-concur.")
        self.position = position
        self.dirty = True

    def set_reviewer(self, name: str, title: str = "") -> None:
        self.reviewer_name, self.reviewer_title = name.strip(), title.strip()
        self.dirty = True

    # -- the response ----------------------------------------------------------------------
    def problems(self) -> list[str]:
        """What stops the response from being exported, in plain words."""
        out = []
        if not self.reviewer_name.strip():
            out.append("Enter your name: the response says who gave the position.")
        if self.position is None:
            out.append(f"Set {self.packet.organization_code}'s position on the document.")
        if self.position == "concur" and self.comments:
            out.append("You concur but have comments: choose Concur with comment.")
        if any(c.type == "C" for c in self.comments) and self.position == "concur":
            out.append("A Critical comment makes the position a non-concurrence.")
        return out

    def sections_seen(self) -> list[dict]:
        """Each section's fingerprint, recomputed from the text this window was given to show."""
        return [
            {"section_id": s.section_id, "content_hash": s.seen_hash} for s in self.packet.sections
        ]

    def response(self, signer=None) -> dict:
        """The response file's content; signed with the reviewer's key when one is given."""
        problems = self.problems()
        if problems:
            raise ExchangeError(problems[0])
        # One more than the last: CNE accepts only the next few, so a huge number cannot
        # lock the reviewer out of answering again.
        self.sequence = self.sequence + 1
        body = {
            "workspace_id": self.packet.workspace_id,
            "request_id": self.packet.request_id,
            "document_id": self.packet.document_id,
            "response_id": uuid.uuid4().hex,
            "sequence": self.sequence,
            "created_at": self._now(),
            "reviewer_name": self.reviewer_name.strip(),
            "reviewer_title": self.reviewer_title.strip(),
            "position": self.position,
            "packet_digest": self.packet.digest,
            "sections_seen": self.sections_seen(),
            "comments": [
                {
                    "client_id": c.client_id,
                    "section_id": c.section_id,
                    "type": c.type,
                    "quoted_passage": c.quoted_passage,
                    "location_detail": c.location_detail,
                    "comment": c.comment,
                    "rationale": c.rationale,
                    "critical_ground": c.critical_ground,
                    "proposed_wording": c.proposed_wording,
                }
                for c in self.comments
            ],
        }
        check_response_body(body)
        out = {
            "format": RESPONSE_FORMAT,
            "version": FORMAT_VERSION,
            "marking": self.packet.marking,
            "body": body,
        }
        if signer is not None:
            out["signature"] = {
                "certificate": base64.b64encode(signer.certificate).decode("ascii"),
                "value": base64.b64encode(signer.sign(canonical(body))).decode("ascii"),
            }
        return out

    def export_response(self, path: str | os.PathLike, signer=None) -> Path:
        out = Path(path)
        data = dump(self.response(signer))
        if len(data) > MAX_RESPONSE_BYTES:
            raise ExchangeError("The response is too large to send; split it into two.")
        write_atomic(out, data)
        self.save()
        return out
