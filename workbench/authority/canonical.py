"""Canonical JSON for signed records: sorted keys, no whitespace, UTF-8, no floats' ambiguity."""

from __future__ import annotations

import hashlib
import json


def canonical_json(record) -> bytes:
    """The one byte string a record signs: sorted keys, no spaces, UTF-8 (not \\u-escaped).

    NaN and infinities are refused (they have no JSON form every reader agrees on).
    """
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def digest(record) -> str:
    """SHA-256 (hex) of the record's canonical JSON."""
    return hashlib.sha256(canonical_json(record)).hexdigest()
