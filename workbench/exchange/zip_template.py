"""An Office file (.xlsx, .docx) rendered once with stand-in values, then filled per recipient.

Rendering a CRM workbook through openpyxl or a Word copy through python-docx takes a tenth of a
second or more; sending one document to 160 reviewers renders the same sections 160 times while
only a handful of strings differ (the request number, the organization, the reviewer, the packet
digest). So the file is rendered once with a unique stand-in (`Slots.text` / `Slots.number`)
where each of those goes, and each reviewer's copy swaps the stand-ins for its own values in the
XML parts that hold them. The stand-ins carry a random nonce, so no document text can match one.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

# XML 1.0 cannot carry C0 controls (bar tab, newline, CR), lone surrogates or U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Slots:
    """Stand-ins for the values that differ between recipients, by name."""

    nonce: str = field(default_factory=lambda: secrets.token_hex(6))
    tokens: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """A stand-in string for `name` (letters and digits only: no escaping can alter it)."""
        return self.tokens.setdefault(name, f"CNESLOT{self.nonce}{name.upper()}X")

    def number(self, name: str) -> int:
        """A stand-in integer for `name` (for a cell a reader must find numeric): 16 digits,
        below 2**53 so a spreadsheet writes it exactly."""
        token = self.tokens.get(name)
        if token is None:
            token = str(8 * 10**15 + secrets.randbelow(10**15))
            self.tokens[name] = token
        return int(token)


class ZipTemplate:
    """A rendered package whose stand-ins `fill` replaces with one recipient's values."""

    def __init__(self, data: bytes, slots: Slots):
        self._tokens = dict(slots.tokens)
        # The parts without stand-ins, compressed once as a package of their own; each fill
        # appends its own parts to a copy of it, so only those are compressed again.
        self._slotted: list[tuple[zipfile.ZipInfo, bytes]] = []
        found: set[str] = set()
        base = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as z, zipfile.ZipFile(base, "w") as fixed:
            for info in z.infolist():
                raw = z.read(info)
                here = {n for n, t in self._tokens.items() if t.encode() in raw}
                if here:
                    found |= here
                    self._slotted.append((info, raw))
                else:
                    fixed.writestr(info, raw)
        self._base = base.getvalue()
        missing = set(self._tokens) - found
        if missing:  # the renderer changed and a value would silently stay a stand-in
            raise RuntimeError(f"The template lost its slots: {', '.join(sorted(missing))}")

    def fill(self, values: dict[str, object]) -> bytes:
        """The package with every stand-in replaced by its value (XML-escaped, trimmed)."""
        if set(values) != set(self._tokens):
            raise ValueError(f"fill needs exactly {sorted(self._tokens)}, got {sorted(values)}")
        swaps = [
            (self._tokens[n].encode(), escape(_NOT_XML.sub("", str(v)).strip()).encode())
            for n, v in values.items()
        ]
        buf = io.BytesIO(self._base)
        buf.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buf, "a") as out:
            for info, raw in self._slotted:
                for token, value in swaps:
                    raw = raw.replace(token, value)
                out.writestr(info, raw)
        return buf.getvalue()


def template_key(*parts: object) -> str:
    """A cache key for everything a template was rendered from."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()
