"""The packet and response file formats: reading untrusted bytes, canonical JSON, digests."""

from __future__ import annotations

import builtins
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal, NoReturn, overload

from workbench.coordination.comments import (
    COMMENT_TYPES,
    CRITICAL_GROUNDS,
    MAX_FIELD,
    comment_problem,
)
from workbench.coordination.positions import POSITIONS
from workbench.errors import WorkbenchError
from workbench.files import write_atomic  # noqa: F401 (the exchange modules' writer)

PACKET_FORMAT = "cne-review-packet"
RESPONSE_FORMAT = "cne-review-response"
FORMAT_VERSION = 1
PACKET_SUFFIX = ".cnereview"
RESPONSE_SUFFIX = ".cneresponse"
MAX_PACKET_BYTES = 64 * 1024 * 1024
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_COMMENTS = 10_000


class ExchangeError(WorkbenchError):
    """A packet, response or workbook that cannot be used; the message says why."""


def canonical(value) -> bytes:
    """The exact bytes a signature or digest covers: key order and spacing never change it."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def digest(body: dict) -> str:
    return hashlib.sha256(canonical(body)).hexdigest()


def read_limited(path: str | os.PathLike, limit: int, what: str) -> bytes:
    p = Path(path)
    if p.is_dir():
        raise ExchangeError(f"{p.name} is a folder, not a {what}.")
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise ExchangeError(f"There is no file {p}.") from None
    if size > limit:
        raise ExchangeError(
            f"{p.name} is {size / 1e6:.1f} MB; a {what} may be at most {limit // 1_000_000} MB."
        )
    with p.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:  # the file grew while we read it
        raise ExchangeError(f"{p.name} is too large for a {what}.")
    return data


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def parse_json(data: bytes, what: str) -> dict:
    """A JSON object from untrusted bytes; any failure is an ExchangeError naming the file kind."""
    if not data.strip():
        raise ExchangeError(f"The {what} is empty.")
    try:
        text = data.decode("utf-8-sig")
        value = json.loads(text, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ExchangeError(
            f"This is not a readable {what} (it is damaged, truncated, or another kind of file)."
        ) from None
    if not isinstance(value, dict):
        raise ExchangeError(f"This is not a {what}.")
    if "\\ud" in text.lower():
        # A JSON escape can spell half of a surrogate pair, which no file can store: say so
        # now rather than fail later when the text is saved, signed or quoted.
        try:
            canonical(value)
        except UnicodeEncodeError:
            raise ExchangeError(
                f"The {what} holds a broken character (half of a surrogate pair) that cannot "
                "be stored; ask for a fresh copy."
            ) from None
    return value


def check_envelope(value: dict, fmt: str, what: str) -> None:
    if value.get("format") != fmt:
        other = value.get("format")
        if other in (PACKET_FORMAT, RESPONSE_FORMAT):
            kind = "review packet" if other == PACKET_FORMAT else "review response"
            raise ExchangeError(f"This file is a {kind}, not a {what}.")
        raise ExchangeError(f"This is not a {what}.")
    version = value.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExchangeError(f"The {what} has no format version.")
    if version > FORMAT_VERSION:
        raise ExchangeError(
            f"The {what} was written by a newer CNE Workbench (format {version}); "
            "update to open it."
        )
    if version < 1:
        raise ExchangeError(f"The {what} has an unknown format version.")


class Fields:
    """Typed access to one JSON object from an untrusted file, with messages that locate faults.

    Its methods str, int and list shadow the builtins inside the class, so its annotations name
    them through builtins.
    """

    def __init__(self, value, where: str, what: str):
        if not isinstance(value, dict):
            raise ExchangeError(f"The {what} is malformed: {where} is not an object.")
        self.value, self.where, self.what = value, where, what

    def _fail(self, key: builtins.str, problem: builtins.str) -> NoReturn:
        raise ExchangeError(f"The {self.what} is malformed: {self.where} {key!r} {problem}.")

    def str(
        self, key: builtins.str, *, required: bool = True, max_len: builtins.int = MAX_FIELD
    ) -> builtins.str:
        v = self.value.get(key)
        if v is None and not required:
            return ""
        if not isinstance(v, str):
            self._fail(key, "is missing or not text")
        if len(v) > max_len:
            self._fail(key, f"is longer than {max_len:,} characters")
        return v.replace("\x00", "")

    @overload
    def int(self, key: builtins.str, *, required: Literal[True] = True) -> builtins.int: ...

    @overload
    def int(self, key: builtins.str, *, required: bool) -> builtins.int | None: ...

    def int(self, key: builtins.str, *, required: bool = True) -> builtins.int | None:
        v = self.value.get(key)
        if v is None and not required:
            return None
        if not isinstance(v, int) or isinstance(v, bool) or not (0 <= v < 2**62):
            self._fail(key, "is missing or not a whole number")
        return v

    def int_or_null(self, key: builtins.str) -> builtins.int | None:
        """A whole number or an explicit null; a missing key is a fault, not a null."""
        if key not in self.value:
            self._fail(key, "is missing")
        return self.int(key, required=False)

    def choice(self, key: builtins.str, choices, *, required: bool = True) -> builtins.str | None:
        v = self.value.get(key)
        if v is None and not required:
            return None
        if not isinstance(v, str) or v not in choices:
            self._fail(key, f"must be one of {', '.join(choices)}")
        return v

    def list(self, key: builtins.str, max_len: builtins.int) -> builtins.list:
        v = self.value.get(key)
        if not isinstance(v, list):
            self._fail(key, "is missing or not a list")
        if len(v) > max_len:
            self._fail(key, f"has more than {max_len:,} entries")
        return v

    def obj(self, key: builtins.str) -> Fields:
        return Fields(self.value.get(key), f"{self.where} {key!r}", self.what)


def check_comment(raw, n: int, what: str) -> dict:
    """One reviewer comment, validated to what add_comment accepts. Its `section_id` is null
    for a comment about the document as a whole; the key itself is always there."""
    f = Fields(raw, f"comment {n}", what)
    c: dict[str, Any] = {
        "client_id": f.str("client_id", max_len=100),
        "section_id": f.int_or_null("section_id"),
        "type": f.choice("type", list(COMMENT_TYPES)),
        "quoted_passage": f.str("quoted_passage", required=False),
        "location_detail": f.str("location_detail", required=False, max_len=1000),
        "comment": f.str("comment"),
        "rationale": f.str("rationale", required=False),
        "critical_ground": f.choice("critical_ground", list(CRITICAL_GROUNDS), required=False),
        "proposed_wording": f.str("proposed_wording", required=False),
    }
    for key in ("quoted_passage", "location_detail", "comment", "rationale", "proposed_wording"):
        c[key] = str(c[key]).strip()
    problem = comment_problem(c["type"], c["comment"], c["critical_ground"])
    if problem:
        raise ExchangeError(f"Comment {n} in the {what}: {problem}")
    if c["type"] != "C":
        c["critical_ground"] = None
    return c


def check_response_body(body, what: str = "review response") -> dict:
    """The response's content, typed; raises ExchangeError on anything out of shape."""
    f = Fields(body, "the body", what)
    out: dict[str, Any] = {
        "workspace_id": f.str("workspace_id", max_len=100),
        "request_id": f.int("request_id"),
        "document_id": f.int("document_id"),
        "response_id": f.str("response_id", max_len=100),
        "sequence": f.int("sequence"),
        "created_at": f.str("created_at", max_len=40),
        "reviewer_name": f.str("reviewer_name", max_len=500),
        "reviewer_title": f.str("reviewer_title", required=False, max_len=500),
        "position": f.choice("position", list(POSITIONS)),
    }
    if not out["reviewer_name"].strip():
        raise ExchangeError(f"The {what} does not say who gave the position.")
    raw = f.list("comments", MAX_COMMENTS)
    out["comments"] = [check_comment(c, n, what) for n, c in enumerate(raw, 1)]
    ids = [c["client_id"] for c in out["comments"]]
    if len(set(ids)) != len(ids):
        raise ExchangeError(f"The {what} is malformed: two comments share one id.")
    out["packet_digest"] = f.str("packet_digest", required=False, max_len=64)
    seen: list[tuple[int, str]] = []
    if body.get("sections_seen") is not None:
        for n, raw_seen in enumerate(f.list("sections_seen", MAX_COMMENTS), 1):
            s = Fields(raw_seen, f"seen section {n}", what)
            seen.append((s.int("section_id"), s.str("content_hash", max_len=64)))
    out["sections_seen"] = seen
    return out


def dump(value: dict) -> bytes:
    # No indent: json's C encoder only runs without one, and 160 packets must write quickly.
    return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
