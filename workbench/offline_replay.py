"""Bringing an offline copy's changes back: replayed through the ordinary use-cases, as the holder.

What the copy may change (audit.OFFLINE_EDITS) comes back: the document's sections (added,
edited, restored, moved, deleted, their kind and equities), its figures, its comment resolution
matrix (comments, dispositions, replies, the "wording applied" mark), the workspace dictionary's
words, and the exports made offline (what left, and when, as the copy's log reports it). Ids made in
the copy are not those made here meanwhile: new sections and figures get ids here, and every
`section:ID` / `figure:ID` reference in the text follows them. After the replay, the document
here is compared with the copy's; anything that would not come back refuses the whole of it
(the transaction rolls back), naming what, so nothing typed offline is ever dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from workbench import audit, figures, sections, spelling
from workbench.errors import NotFound, WorkbenchError

_REFERENCE = re.compile(r"(\]\(\s*)(section|figure)(:)([1-9][0-9]{0,17})")


@dataclass(frozen=True)
class Brought:
    """What came back from an offline copy."""

    document_id: int
    sections_added: int = 0
    sections_changed: int = 0
    sections_moved: int = 0
    sections_deleted: int = 0
    figures_added: int = 0
    comments_added: int = 0
    comments_adjudicated: int = 0
    wording_marks: int = 0
    replies_added: int = 0
    exports: int = 0
    dictionary_words: int = 0

    def summary(self) -> str:
        parts = [
            (self.sections_added, "section added", "sections added"),
            (self.sections_changed, "section changed", "sections changed"),
            (self.sections_moved, "section moved", "sections moved"),
            (self.sections_deleted, "section deleted", "sections deleted"),
            (self.figures_added, "figure added", "figures added"),
            (self.comments_added, "comment added", "comments added"),
            (self.comments_adjudicated, "disposition", "dispositions"),
            (self.wording_marks, "wording marked applied", "wordings marked applied"),
            (self.replies_added, "reply", "replies"),
            (self.exports, "export recorded", "exports recorded"),
            (self.dictionary_words, "dictionary change", "dictionary changes"),
        ]
        said = [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]
        return ", ".join(said) if said else "no changes"

    def counts(self) -> dict[str, int]:
        """The non-zero counts, for the audit entry."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "document_id" and getattr(self, f.name)
        }


def _rows(db, sql: str, params) -> dict[int, dict]:
    return {r["id"]: r for r in db.query(sql, params)}


def _depth_order(rows: dict[int, dict]) -> list[int]:
    """Section ids with every parent before its children."""

    def depth(sid: int) -> int:
        n, seen = 0, set()
        while rows[sid]["parent_id"] is not None and rows[sid]["parent_id"] in rows:
            if sid in seen:
                break
            seen.add(sid)
            sid = rows[sid]["parent_id"]
            n += 1
        return n

    return sorted(rows, key=lambda s: (depth(s), rows[s]["position"], s))


def _equities(db, section_id: int) -> list[str]:
    return [
        r["code"]
        for r in db.query(
            "SELECT o.code FROM section_equities e JOIN organizations o ON o.id = "
            "e.organization_id WHERE e.section_id = ? ORDER BY o.code",
            [section_id],
        )
    ]


class _Ids:
    """Where the copy's sections and figures are here (the same id for those it was given)."""

    def __init__(self) -> None:
        self.sections: dict[int, int] = {}
        self.figures: dict[int, int] = {}
        self.comments: dict[int, int] = {}

    def text(self, text: str) -> str:
        """`text` with its cross-references and figures pointing at their ids here."""
        if not text or "](" not in text:
            return text

        def renumbered(m: re.Match) -> str:
            kind, old = m.group(2), int(m.group(4))
            new = (self.sections if kind == "section" else self.figures).get(old, old)
            return f"{m.group(1)}{kind}{m.group(3)}{new}"

        return _REFERENCE.sub(renumbered, text)


def replay(ws, copy, doc: int, base_entries: int, copy_name: str) -> Brought:
    """Make the copy's changes to document `doc` here (inside the caller's use-case)."""
    ids = _Ids()
    counts: dict[str, int] = {}
    counts["figures_added"] = _figures(ws, copy, doc, ids)
    counts.update(_sections(ws, copy, doc, ids))
    counts.update(_comments(ws, copy, doc, ids))
    counts["sections_deleted"] = _deletions(ws, copy, doc, ids)
    later = list(_entries_after(copy, base_entries))
    counts["exports"] = _exports(ws, later, doc, copy_name)
    counts["dictionary_words"] = _dictionary(ws, later)
    left = _left_behind(ws, copy, doc, ids)
    if left:
        more = f" and {len(left) - 3} more" if len(left) > 3 else ""
        raise WorkbenchError(
            f"{copy_name} holds changes that cannot be brought back ({'; '.join(left[:3])}"
            f"{more}); nothing was brought back, and they stay in the copy."
        )
    return Brought(doc, **counts)


def _figures(ws, copy, doc: int, ids: _Ids) -> int:
    """Figures added offline, stored here (their ids here may differ)."""
    ours = {
        r["id"]: (r["document_id"], r["sha256"])
        for r in ws.db.query("SELECT id, document_id, sha256 FROM figures")
    }
    added = 0
    for r in copy.query("SELECT * FROM figures WHERE document_id = ? ORDER BY id", [doc]):
        if ours.get(r["id"]) == (doc, r["sha256"]):
            ids.figures[r["id"]] = r["id"]
            continue
        ids.figures[r["id"]] = figures.add_figure(
            ws, doc, bytes(r["data"]), alt=r["alt"], caption=r["caption"],
            source_name=r["source_name"],
        )  # fmt: skip
        added += 1
    return added


def _sections(ws, copy, doc: int, ids: _Ids) -> dict[str, int]:
    sql = "SELECT * FROM sections WHERE document_id = ?"
    theirs, ours = _rows(copy, sql, [doc]), _rows(ws.db, sql, [doc])
    ids.sections.update({sid: sid for sid in theirs if sid in ours})
    added = changed = moved = 0
    new: list[int] = []
    # A section added and deleted offline is made here too when a comment is on it (or on a
    # section under it), so the comment keeps its place; it is deleted again afterwards.
    commented = {
        r["section_id"]
        for r in copy.query(
            "SELECT DISTINCT section_id FROM comments WHERE document_id = ? "
            "AND section_id IS NOT NULL",
            [doc],
        )
    }
    wanted: set[int] = set()
    for sid in commented:
        while sid in theirs and sid not in wanted:
            wanted.add(sid)
            sid = theirs[sid]["parent_id"]
    # New sections, parents first (created at the end of their parent; placed below).
    for sid in _depth_order(theirs):
        t = theirs[sid]
        if sid in ids.sections or (t["deleted_at"] is not None and sid not in wanted):
            continue
        parent = ids.sections.get(t["parent_id"]) if t["parent_id"] is not None else None
        ids.sections[sid] = sections.add_section(
            ws, doc, parent_id=parent, kind=t["kind"], heading=t["heading"],
            body=ids.text(t["body"]), equities=_equities(copy, sid),
        )  # fmt: skip
        new.append(sid)
        added += 1
    # A new section's references to sections added after it point here only now.
    for sid in new:
        body = ids.text(theirs[sid]["body"])
        if body != sections.section(ws, ids.sections[sid]).body:
            sections.edit_section(ws, ids.sections[sid], body=body)
    # Text, kind and equities of the sections both have; restored ones come back first.
    for sid in _depth_order(theirs):
        t, here = theirs[sid], ids.sections.get(sid)
        if here is None or sid not in ours or t["deleted_at"] is not None:
            continue
        o = ours[sid]
        if o["deleted_at"] is not None:
            parent = ids.sections.get(t["parent_id"]) if t["parent_id"] is not None else None
            sections.restore_section(ws, here, parent, 0)
            changed += 1
        body = ids.text(t["body"])
        if (t["heading"], body) != (o["heading"], o["body"]):
            sections.edit_section(ws, here, heading=t["heading"], body=body)
            changed += 1
        if t["kind"] != o["kind"]:
            sections.set_section_kind(ws, here, t["kind"])
        if _equities(copy, sid) != _equities(ws.db, here):
            sections.set_equities(ws, here, _equities(copy, sid))
    # The outline as the copy has it: each live section under its parent, in its order.
    for sid in _depth_order(theirs):
        t = theirs[sid]
        if t["deleted_at"] is not None or sid not in ids.sections:
            continue
        parent = ids.sections.get(t["parent_id"]) if t["parent_id"] is not None else None
        index = _siblings(theirs, t["parent_id"]).index(sid)
        if sections.location(ws, ids.sections[sid]) != (parent, index):
            sections.move_section(ws, ids.sections[sid], parent, index)
            moved += 1
    return {"sections_added": added, "sections_changed": changed, "sections_moved": moved}


def _deletions(ws, copy, doc: int, ids: _Ids) -> int:
    """Sections deleted offline, after the comments on them came back: the topmost of each
    deleted subtree (its descendants go with it)."""
    sql = "SELECT * FROM sections WHERE document_id = ?"
    theirs, ours = _rows(copy, sql, [doc]), _rows(ws.db, sql, [doc])
    deleted = 0
    for sid in _depth_order(theirs):
        here = ours.get(ids.sections.get(sid, -1))
        if theirs[sid]["deleted_at"] is None or here is None or here["deleted_at"] is not None:
            continue
        try:
            sections.delete_section(ws, here["id"])
            deleted += 1
        except NotFound:
            pass  # deleted with its parent just now
    return deleted


def _siblings(rows: dict[int, dict], parent_id: int | None) -> list[int]:
    return sorted(
        (s for s, r in rows.items() if r["parent_id"] == parent_id and r["deleted_at"] is None),
        key=lambda s: (rows[s]["position"], s),
    )


def _comments(ws, copy, doc: int, ids: _Ids) -> dict[str, int]:
    """The comment resolution matrix: new comments, dispositions, wording marks, replies."""
    from workbench.coordination import comments as cm

    csql = "SELECT * FROM comments WHERE document_id = ?"
    their_c, our_c = _rows(copy, csql, [doc]), _rows(ws.db, csql, [doc])
    codes = {r["id"]: r["code"] for r in copy.query("SELECT id, code FROM organizations")}
    cids = {cid: cid for cid in their_c if cid in our_c}
    ids_of = ids.sections
    added = adjudicated = marked = replies = 0
    for cid in sorted(their_c):
        c = their_c[cid]
        if cid in cids:
            continue
        cids[cid] = cm.add_comment(
            ws, doc, organization_code=codes[c["organization_id"]], type=c["type"],
            section_id=ids_of.get(c["section_id"]) if c["section_id"] is not None else None,
            comment_text=c["comment"], rationale=c["rationale"],
            critical_ground=c["critical_ground"], proposed_wording=c["proposed_wording"],
            quoted_passage=c["quoted_passage"], location_detail=c["location_detail"],
            reviewer_name=c["reviewer_name"], reviewer_title=c["reviewer_title"],
            response_date=c["response_date"], request_id=c["request_id"],
        )  # fmt: skip
        added += 1
    for cid in sorted(their_c):
        c, here = their_c[cid], cids[cid]
        now = next(
            ws.db.query(
                "SELECT disposition, disposition_rationale, wording_applied_at FROM comments "
                "WHERE id = ?",
                [here],
            )
        )
        theirs_said = (c["disposition"], c["disposition_rationale"] or "")
        if theirs_said != (now["disposition"], now["disposition_rationale"] or ""):
            if now["disposition"] is not None:
                cm.reopen_comment(ws, here)
            if c["disposition"] is not None:
                cm.adjudicate_comment(ws, here, c["disposition"], c["disposition_rationale"])
            adjudicated += 1
        # The text its wording went into came back with the sections; the mark comes here.
        applied = c["wording_applied_at"] is not None
        if applied != (now["wording_applied_at"] is not None):
            cm.mark_wording_applied(ws, here, applied, at=c["wording_applied_at"])
            marked += 1
    # A reply is already here when its id is, on the same comment (ids made elsewhere since
    # the copy was taken can coincide with new ones made in it).
    our_replies = {
        r["id"]: r["comment_id"] for r in ws.db.query("SELECT id, comment_id FROM comment_replies")
    }
    for r in copy.query("SELECT * FROM comment_replies ORDER BY id"):
        if r["comment_id"] not in their_c or our_replies.get(r["id"]) == r["comment_id"]:
            continue
        cm.add_reply(ws, cids[r["comment_id"]], r["text"])
        replies += 1
    ids.comments = cids
    return {
        "comments_added": added,
        "comments_adjudicated": adjudicated,
        "wording_marks": marked,
        "replies_added": replies,
    }


def _entries_after(copy, base_entries: int):
    """The copy's audit entries made offline (after the log it was taken with)."""
    import json

    for r in copy.query(
        "SELECT at, action, entity_id, details FROM audit_log ORDER BY id LIMIT -1 OFFSET ?",
        [base_entries],
    ):
        try:
            details = json.loads(r["details"])
        except ValueError:
            details = {}
        yield r["at"], r["action"], r["entity_id"], details if isinstance(details, dict) else {}


def _exports(ws, later, doc: int, copy_name: str) -> int:
    """Each export made offline, recorded here as the copy's log reports it (what left, and
    when), as `document.offline_export`: never as an export this workspace made, since anyone
    holding the copy can write its log, and verify-pdf trusts a published export's SHA-256."""
    n = 0
    for at, action, entity_id, details in later:
        if not action.startswith("document.export_") or entity_id != doc:
            continue
        reported = {k: v for k, v in details.items() if k not in _EXPORT_OWN}
        audit.record(
            ws, "document.offline_export", "document", doc, export=action,
            offline_at=at, offline_copy=copy_name, reported=reported,
        )  # fmt: skip
        n += 1
    return n


_EXPORT_OWN = ("export", "offline_at", "offline_copy", "reported")


def _dictionary(ws, later) -> int:
    """Words added to (or removed from) the workspace dictionary offline."""
    n = 0
    for _at, action, _eid, details in later:
        if action == "spelling.add_word" and isinstance(details.get("word"), str):
            if details["word"] not in spelling.own_words(ws):
                spelling.add_word(ws, details["word"])
                n += 1
        elif action == "spelling.remove_word":
            words = details.get("words") or [details.get("word")]
            present = [w for w in words if isinstance(w, str) and w in spelling.own_words(ws)]
            if present:
                spelling.remove_words(ws, present)
                n += 1
    return n


_COMPARED = (
    "type", "critical_ground", "quoted_passage", "comment", "rationale", "proposed_wording",
    "disposition", "disposition_rationale", "reviewer_name", "reviewer_title",
    "location_detail", "response_date",
)  # fmt: skip


def _left_behind(ws, copy, doc: int, ids: _Ids) -> list[str]:
    """What of the copy's document the replay did not make here, in words."""
    left: list[str] = []
    sql = "SELECT * FROM sections WHERE document_id = ?"
    theirs, ours = _rows(copy, sql, [doc]), _rows(ws.db, sql, [doc])
    for sid in _depth_order(theirs):
        t, here = theirs[sid], ours.get(ids.sections.get(sid, -1))
        name = f"section “{t['heading'] or sid}”"
        if here is None:
            if t["deleted_at"] is None:
                left.append(f"{name} is not here")
            continue
        if (t["deleted_at"] is None) != (here["deleted_at"] is None):
            left.append(f"{name} is {'deleted' if t['deleted_at'] else 'live'} offline")
        elif t["deleted_at"] is None:
            if (t["heading"], ids.text(t["body"])) != (here["heading"], here["body"]):
                left.append(f"{name}'s text differs")
            if t["kind"] != here["kind"] or _equities(copy, sid) != _equities(ws.db, here["id"]):
                left.append(f"{name}'s kind or equities differ")
    for r in copy.query("SELECT id, alt FROM figures WHERE document_id = ?", [doc]):
        if r["id"] not in ids.figures:
            left.append(f"figure “{r['alt']}”")
    csql = "SELECT * FROM comments WHERE document_id = ?"
    their_c, our_c = _rows(copy, csql, [doc]), _rows(ws.db, csql, [doc])
    cids = ids.comments
    for cid, c in their_c.items():
        here = our_c.get(cids.get(cid, -1))
        name = f"comment {c['item_no']}"
        if here is None:
            left.append(f"{name} is not here")
            continue
        differ = [k for k in _COMPARED if (c[k] or "") != (here[k] or "")]
        if ids.sections.get(c["section_id"], c["section_id"]) != here["section_id"]:
            differ.append("section")
        if (c["wording_applied_at"] is None) != (here["wording_applied_at"] is None):
            differ.append("wording applied")
        if differ:
            left.append(f"{name}'s {', '.join(d.replace('_', ' ') for d in differ)}")
        replies = [r["text"] for r in copy.query(
            "SELECT text FROM comment_replies WHERE comment_id = ?", [cid])]  # fmt: skip
        ours_said = [r["text"] for r in ws.db.query(
            "SELECT text FROM comment_replies WHERE comment_id = ?", [here["id"]])]  # fmt: skip
        if any(replies.count(t) > ours_said.count(t) for t in replies):
            left.append(f"a reply to {name}")
    return left
