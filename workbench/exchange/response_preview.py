"""What importing a response file or filled workbook would add, per section, writing nothing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from workbench.coordination.comments import comment
from workbench.exchange.responses import import_response

WHOLE_DOCUMENT = "The document as a whole"


class _RollBack(Exception):
    pass


@dataclass(frozen=True)
class ResponsePreview:
    file_name: str
    summary: str
    already_imported: bool
    groups: tuple[tuple[str, tuple[str, ...]], ...]

    def report(self) -> str:
        lines = [self.summary]
        for where, items in self.groups:
            lines.append(f"{where}:")
            lines += [f"  {line}" for line in items]
        return "\n".join(lines)


def preview_response(ws, path: str | os.PathLike) -> ResponsePreview:
    """The import run inside a transaction that is rolled back: its checks, refusals and
    outcome exactly as the import would have them, and nothing kept."""
    p = Path(path)
    out: dict = {}
    try:
        with ws.db.atomic():
            result = import_response(ws, p)
            # Comments about the document as a whole first, as the CRM sorts them.
            groups: dict[str, list[str]] = {WHOLE_DOCUMENT: []}
            for cid in result.comment_ids:
                c = comment(ws, cid)
                where = WHOLE_DOCUMENT if c.about_document else c.reference
                groups.setdefault(where, []).append(
                    f"{c.type} {c.type_label}: {' '.join(c.comment.split())[:160]}"
                )
            if not groups[WHOLE_DOCUMENT]:
                del groups[WHOLE_DOCUMENT]
            out["preview"] = ResponsePreview(
                p.name,
                result.summary().replace("Imported ", "Will import ", 1),
                result.already_imported,
                tuple((k, tuple(v)) for k, v in groups.items()),
            )
            raise _RollBack
    except _RollBack:
        pass
    finally:
        pending = getattr(ws, "_after_commit", None)
        if pending:
            pending.clear()  # nothing was committed, so nothing follows
    return out["preview"]
