"""The redline between two states of a document: the one structure both redline writers consume.

A `Redline` lists every section of the newer state in its order, with the sections removed since
the older state where they stood. Each `SectionChange` says whether the section was added,
removed, changed or unchanged and whether it moved (its place among the surviving sections
changed); its heading and blocks carry inline `Mark`s (equal / insert / delete) over the shared
inline model (`workbench.markdown_model.Piece`), so a writer never parses Markdown again:

- the PDF writer (`workbench.pdf.redline`) underlines insertions in colour and strikes deletions;
- the Word writer turns insert/delete marks into `w:ins`/`w:del` attributed to `new.author` at
  `new.at`.

A state ("side") is named as the user types it: ``3`` or ``v3`` a published version, ``r12`` a
labelled revision (its id), ``draft`` the current text.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field

from workbench.documents import find_document
from workbench.errors import NotFound, WorkbenchError
from workbench.markdown_model import Block, Piece, blocks

EQUAL, INSERT, DELETE, CHANGED = "equal", "insert", "delete", "changed"
_WORD = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_SPEC = re.compile(r"(?:v(?:ersion)?\s*)?(\d+)|r(?:ev(?:ision)?)?\s*(\d+)|(draft|current)", re.I)


@dataclass(frozen=True)
class SectionText:
    """A section as one side of the comparison holds it."""

    section_id: int
    number: str
    depth: int
    heading: str
    body: str


@dataclass(frozen=True)
class Side:
    """One state compared: its label as printed, who made it and when (ISO 8601, UTC)."""

    spec: str  # normalised: "v3", "r12" or "draft"
    label: str  # "Published version 3", "Revision 12 “For CBP”", "Current draft (version 4)"
    author: str
    at: str
    version: int | None
    sections: tuple[SectionText, ...] = field(repr=False, default=())


@dataclass(frozen=True)
class Mark:
    """A piece of inline text and what happened to it."""

    op: str  # EQUAL | INSERT | DELETE
    piece: Piece


@dataclass(frozen=True)
class RowChange:
    op: str  # EQUAL | INSERT | DELETE | CHANGED
    cells: tuple[tuple[Mark, ...], ...]
    header: bool


@dataclass(frozen=True)
class BlockChange:
    """A block of a section body: op EQUAL / INSERT / DELETE, or CHANGED (marks say where).

    old/new are the block on each side (None where absent). marks is the inline text for
    every kind but tables (rows) and rules; a CHANGED block's kind is the newer block's.
    """

    op: str
    kind: str
    old: Block | None
    new: Block | None
    marks: tuple[Mark, ...] = ()
    rows: tuple[RowChange, ...] = ()

    @property
    def block(self) -> Block:
        block = self.new or self.old
        assert block is not None  # a change has a block on at least one side
        return block


@dataclass(frozen=True)
class SectionChange:
    section_id: int
    number: str  # in the newer state ("" when removed)
    old_number: str  # in the older state ("" when added)
    depth: int
    status: str  # "added" | "removed" | "changed" | "unchanged"
    moved: bool
    heading: tuple[Mark, ...]
    blocks: tuple[BlockChange, ...]

    @property
    def touched(self) -> bool:
        return self.status != "unchanged" or self.moved

    @property
    def label(self) -> str:
        """How the summary page names it: number and heading on the side it exists."""
        number = self.number or self.old_number
        text = "".join(m.piece.text for m in self.heading if m.op != DELETE) or "".join(
            m.piece.text for m in self.heading
        )
        return f"{number} {text}".strip()


@dataclass(frozen=True)
class Redline:
    document_id: int
    title: str
    marking: str
    kind_label: str
    old: Side
    new: Side
    sections: tuple[SectionChange, ...]

    @property
    def changed(self) -> tuple[SectionChange, ...]:
        return tuple(s for s in self.sections if s.touched)

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0, "moved": 0}
        for s in self.sections:
            if s.status in out:
                out[s.status] += 1
            out["moved"] += s.moved
        return out


# -- inline ---------------------------------------------------------------------------------
def _key(p: Piece) -> tuple:
    # A cross-reference compares by target: "§2" -> "§3" after renumbering is no edit.
    text = "" if p.kind == "xref" else p.text
    return (text, p.kind, p.bold, p.italic, p.strike, p.code, p.href, p.target, p.title)


def _tokens(items) -> list[Piece]:
    out: list[Piece] = []
    for p in items:
        if p.kind != "text" or not p.text:
            out.append(p)
            continue
        for word in _WORD.findall(p.text):
            out.append(
                Piece(word, bold=p.bold, italic=p.italic, strike=p.strike, code=p.code, href=p.href)
            )
    return out


def _merge(marks: list[Mark]) -> tuple[Mark, ...]:
    """Neighbouring text marks of one op and formatting joined (the texts joined once)."""
    out: list[Mark] = []
    head: Mark | None = None
    texts: list[str] = []

    def flush() -> None:
        if head is None:
            return
        if len(texts) == 1:
            out.append(head)
            return
        p = head.piece
        joined = Piece(
            "".join(texts), bold=p.bold, italic=p.italic, strike=p.strike, code=p.code, href=p.href
        )
        out.append(Mark(head.op, joined))

    for m in marks:
        if (
            head is not None
            and head.op == m.op
            and m.piece.kind == "text"
            and head.piece.kind == "text"
            and _key(head.piece)[1:] == _key(m.piece)[1:]
        ):
            texts.append(m.piece.text)
            continue
        flush()
        head, texts = m, [m.piece.text]
    flush()
    return tuple(out)


def diff_inline(old, new) -> tuple[Mark, ...]:
    """Word-level marks between two runs of pieces (formatting changes count as edits)."""
    a, b = _tokens(old), _tokens(new)
    marks: list[Mark] = []
    matcher = difflib.SequenceMatcher(None, [_key(p) for p in a], [_key(p) for p in b], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            marks += [Mark(EQUAL, p) for p in b[j1:j2]]
            continue
        marks += [Mark(DELETE, p) for p in a[i1:i2]]
        marks += [Mark(INSERT, p) for p in b[j1:j2]]
    return _merge(marks)


def _all(op: str, items) -> tuple[Mark, ...]:
    # A whole run with one op needs no word diff: its pieces are already one per formatting
    # (tokenizing a 200-page document's unchanged text word by word cost seconds).
    return tuple(Mark(op, p) for p in items if p.kind != "text" or p.text)


# -- blocks ---------------------------------------------------------------------------------
def _cell_key(cell) -> tuple:
    return tuple(_key(p) for p in cell)


def _rows(op: str, block: Block) -> tuple[RowChange, ...]:
    return tuple(
        RowChange(op, tuple(_all(op, c) for c in row), r < block.header_rows)
        for r, row in enumerate(block.rows)
    )


def _table_rows(old: Block, new: Block) -> tuple[RowChange, ...]:
    a = [tuple(_cell_key(c) for c in r) for r in old.rows]
    b = [tuple(_cell_key(c) for c in r) for r in new.rows]
    out: list[RowChange] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, False).get_opcodes():
        if tag == "equal":
            for r in range(j1, j2):
                cells = tuple(_all(EQUAL, c) for c in new.rows[r])
                out.append(RowChange(EQUAL, cells, r < new.header_rows))
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(olds), len(news))):
            i = olds[k] if k < len(olds) else None
            j = news[k] if k < len(news) else None
            if i is not None and j is not None:
                orow, nrow = old.rows[i], new.rows[j]
                width = max(len(orow), len(nrow))
                cells = tuple(
                    diff_inline(orow[c] if c < len(orow) else (), nrow[c] if c < len(nrow) else ())
                    for c in range(width)
                )
                out.append(RowChange(CHANGED, cells, j < new.header_rows))
            elif i is not None:
                cells = tuple(_all(DELETE, c) for c in old.rows[i])
                out.append(RowChange(DELETE, cells, i < old.header_rows))
            else:
                assert j is not None  # k is below len(news) when it is not below len(olds)
                cells = tuple(_all(INSERT, c) for c in new.rows[j])
                out.append(RowChange(INSERT, cells, j < new.header_rows))
    return tuple(out)


def _whole(op: str, block: Block) -> BlockChange:
    if block.kind == "table":
        return BlockChange(
            op,
            "table",
            block if op != INSERT else None,
            block if op != DELETE else None,
            rows=_rows(op, block),
        )
    old = block if op != INSERT else None
    new = block if op != DELETE else None
    return BlockChange(op, block.kind, old, new, marks=_all(op, block.pieces))


def _pair(old: Block, new: Block) -> list[BlockChange]:
    if old.kind == "table" and new.kind == "table":
        return [BlockChange(CHANGED, "table", old, new, rows=_table_rows(old, new))]
    if "table" in (old.kind, new.kind) or "rule" in (old.kind, new.kind):
        return [_whole(DELETE, old), _whole(INSERT, new)]
    marks = diff_inline(old.pieces, new.pieces)
    op = CHANGED if any(m.op != EQUAL for m in marks) or old.kind != new.kind else EQUAL
    return [BlockChange(op, new.kind, old, new, marks=marks)]


def _block_key(b: Block) -> tuple:
    if b.kind == "table":
        return (b.kind, tuple(tuple(_cell_key(c) for c in r) for r in b.rows), b.header_rows)
    return (b.kind, b.level, b.marker, b.label, tuple(_key(p) for p in b.pieces))


def diff_blocks(old: list[Block], new: list[Block]) -> tuple[BlockChange, ...]:
    """Blocks aligned first; replaced blocks paired one-to-one and diffed by word."""
    out: list[BlockChange] = []
    a, b = [_block_key(x) for x in old], [_block_key(x) for x in new]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, False).get_opcodes():
        if tag == "equal":
            out += [_whole(EQUAL, blk) for blk in new[j1:j2]]
            continue
        out += _replace_group(old[i1:i2], new[j1:j2])
    return tuple(out)


def _replace_group(olds: list[Block], news: list[Block]) -> list[BlockChange]:
    # Pair replaced blocks of the same kind in order; an added figure between two edited
    # paragraphs is an insertion, not a paragraph rewritten as a figure.
    out: list[BlockChange] = []
    kinds = difflib.SequenceMatcher(None, [b.kind for b in olds], [b.kind for b in news], False)
    for tag, i1, i2, j1, j2 in kinds.get_opcodes():
        if tag == "equal":
            for o, n in zip(olds[i1:i2], news[j1:j2], strict=True):
                out += _pair(o, n)
            continue
        out += [_whole(DELETE, o) for o in olds[i1:i2]]
        out += [_whole(INSERT, n) for n in news[j1:j2]]
    return out


# -- sections -------------------------------------------------------------------------------
def _moved(old_ids: list[int], new_ids: list[int]) -> set[int]:
    """Surviving sections outside the longest common order: the ones the author moved."""
    common = set(old_ids) & set(new_ids)
    a = [i for i in old_ids if i in common]
    b = [i for i in new_ids if i in common]
    kept: set[int] = set()
    for m in difflib.SequenceMatcher(None, a, b, False).get_matching_blocks():
        kept.update(a[m.a : m.a + m.size])
    return common - kept


def compare(
    old: Side,
    new: Side,
    *,
    document_id: int = 0,
    title: str = "",
    marking: str = "",
    kind_label: str = "",
) -> Redline:
    """The redline between two sides (pure: no workspace)."""
    old_num = {s.section_id: s.number for s in old.sections}
    new_num = {s.section_id: s.number for s in new.sections}
    old_by_id = {s.section_id: s for s in old.sections}
    new_ids = [s.section_id for s in new.sections]
    old_ids = [s.section_id for s in old.sections]
    moved = _moved(old_ids, new_ids)
    alive = set(new_ids)
    anchors = alive - moved
    removed_after: dict[int | None, list[SectionText]] = {}
    for idx, s in enumerate(old.sections):
        if s.section_id in alive:
            continue
        # A removed section stands after the nearest earlier section that survives in place.
        anchor = next((old_ids[i] for i in range(idx - 1, -1, -1) if old_ids[i] in anchors), None)
        removed_after.setdefault(anchor, []).append(s)

    out: list[SectionChange] = []

    def emit_removed(anchor) -> None:
        for r in removed_after.get(anchor, ()):
            heading = _all(DELETE, [Piece(r.heading)] if r.heading else [])
            body = tuple(_whole(DELETE, b) for b in blocks(r.body, old_num))
            out.append(
                SectionChange(r.section_id, "", r.number, r.depth, "removed", False, heading, body)
            )

    emit_removed(None)
    for s in new.sections:
        o = old_by_id.get(s.section_id)
        if o is None:
            heading = _all(INSERT, [Piece(s.heading)] if s.heading else [])
            body = tuple(_whole(INSERT, b) for b in blocks(s.body, new_num))
            out.append(
                SectionChange(s.section_id, s.number, "", s.depth, "added", False, heading, body)
            )
        else:
            heading = diff_inline(
                [Piece(o.heading)] if o.heading else [], [Piece(s.heading)] if s.heading else []
            )
            body = diff_blocks(blocks(o.body, old_num), blocks(s.body, new_num))
            edited = any(m.op != EQUAL for m in heading) or any(b.op != EQUAL for b in body)
            status = "changed" if edited else "unchanged"
            out.append(
                SectionChange(
                    s.section_id,
                    s.number,
                    o.number,
                    s.depth,
                    status,
                    s.section_id in moved,
                    heading,
                    body,
                )
            )
        emit_removed(s.section_id)
    return Redline(document_id, title, marking, kind_label, old, new, tuple(out))


# -- loading sides from a workspace ---------------------------------------------------------
def parse_spec(spec: str) -> tuple[str, int | None]:
    """("version", N) / ("revision", id) / ("draft", None) from what the user typed."""
    m = _SPEC.fullmatch(str(spec or "").strip())
    if not m:
        raise WorkbenchError(
            f"Cannot read {spec!r} as a version: use a published version (3 or v3), "
            "a revision (r12) or 'draft'."
        )
    if m.group(1):
        return "version", int(m.group(1))
    if m.group(2):
        return "revision", int(m.group(2))
    return "draft", None


def _from_snapshot_sections(rows) -> tuple[SectionText, ...]:
    return tuple(
        SectionText(
            int(r["section_id"]),
            str(r.get("number") or ""),
            int(r.get("depth") or 1),
            str(r.get("heading") or ""),
            str(r.get("body") or ""),
        )
        for r in rows
    )


def load_side(ws, doc, spec: str) -> Side:
    """One side of a redline of document `doc` (a workbench.documents.Document)."""
    what, n = parse_spec(spec)
    if what == "version":
        row = next(
            ws.db.query(
                "SELECT published_at, published_by, snapshot FROM publications "
                "WHERE document_id = ? AND version = ?",
                [doc.id, n],
            ),
            None,
        )
        if row is None:
            have = ", ".join(
                str(r["version"])
                for r in ws.db.query(
                    "SELECT version FROM publications WHERE document_id = ? ORDER BY version",
                    [doc.id],
                )
            )
            raise NotFound(
                f"Version {n} of {doc.title} was never published "
                f"(published versions: {have or 'none'})."
            )
        snap = json.loads(row["snapshot"])
        return Side(
            f"v{n}",
            f"Published version {n}",
            row["published_by"] or "",
            row["published_at"] or "",
            n,
            _from_snapshot_sections(snap.get("sections") or ()),
        )
    if what == "revision":
        from workbench.revisions import revision_sections

        assert n is not None  # parse_spec gives a revision its id
        row = next(
            ws.db.query(
                "SELECT id, document_id, label, document_version, created_at, created_by "
                "FROM document_revisions WHERE id = ?",
                [n],
            ),
            None,
        )
        if row is None or row["document_id"] != doc.id:
            raise NotFound(f"{doc.title} has no revision r{n}.")
        secs = tuple(
            SectionText(s.section_id, s.number, s.depth, s.heading, s.body)
            for s in revision_sections(ws, n)
        )
        return Side(
            f"r{n}",
            f"Revision r{n} “{row['label']}”",
            row["created_by"] or "",
            row["created_at"] or "",
            row["document_version"],
            secs,
        )
    from workbench.revisions import current_sections

    secs = tuple(
        SectionText(s.section_id, s.number, s.depth, s.heading, s.body)
        for s in current_sections(ws, doc.id)
    )
    return Side(
        "draft",
        f"Current draft (version {doc.version})",
        ws.actor or "",
        ws.now(),
        doc.version,
        secs,
    )


def redline(ws, ref: str | int, old: str, new: str) -> Redline:
    """The redline of document `ref` from state `old` to state `new` (specs as typed)."""
    doc = find_document(ws, ref)
    a, b = load_side(ws, doc, old), load_side(ws, doc, new)
    if a.spec == b.spec:
        raise WorkbenchError(f"Both sides are {a.label}: choose two different versions.")
    return compare(
        a,
        b,
        document_id=doc.id,
        title=doc.title,
        marking=doc.marking or "",
        kind_label=doc.kind_label,
    )
