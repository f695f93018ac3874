"""Reading a returned Word file's comments and tracked changes, each placed in its section."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from workbench.exchange.formats import ExchangeError
from workbench.word.hooks import parse_section_bookmark

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_PART = 64 * 1024 * 1024
MAX_ENTRIES = 5_000
MAX_RATIO = 200  # a part that inflates more than this is a zip bomb, not a document
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Reply:
    author: str
    date: str
    text: str


@dataclass(frozen=True)
class Markup:
    """One thing a reviewer did in the file: a comment, or a tracked change."""

    kind: str  # comment | insertion | deletion | replacement | move
    author: str
    date: str
    section_id: int | None  # from the section bookmark it stands in (None: before any)
    revision_id: int | None
    heading: str  # the last heading above it, for files without our bookmarks
    passage: str  # the text commented on, or the paragraph as it was
    text: str  # the comment's words (for changes, empty: the change says it)
    inserted: str = ""
    deleted: str = ""
    proposed: str = ""  # the paragraph as the reviewer would have it
    where: str = ""  # heading, table cell, spans …
    end_section_id: int | None = None  # a comment whose range ends in another section
    end_heading: str = ""
    replies: tuple[Reply, ...] = ()


@dataclass(frozen=True)
class ReturnedWord:
    properties: dict[str, str]
    items: tuple[Markup, ...]
    headings: tuple[str, ...] = field(default=(), repr=False)

    @property
    def comment_count(self) -> int:
        return sum(1 for i in self.items if i.kind == "comment")

    @property
    def change_count(self) -> int:
        return sum(1 for i in self.items if i.kind != "comment")


def clean(text: str) -> str:
    return _SPACE.sub(" ", (text or "").replace("\x00", "")).strip()


# -- the package ----------------------------------------------------------------------------
def _open(data: bytes) -> zipfile.ZipFile:
    if len(data) > MAX_FILE_BYTES:
        raise ExchangeError(
            f"The Word file is {len(data) / 1e6:.1f} MB; a returned copy may be at most "
            f"{MAX_FILE_BYTES // 1_000_000} MB."
        )
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ExchangeError(
            "This is not a readable Word document (.docx); it is damaged or another kind of "
            "file. Nothing was imported."
        ) from None
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise ExchangeError("The Word file unpacks to far more than a document; not imported.")
    for i in infos:
        if i.file_size > MAX_PART or i.file_size > MAX_RATIO * max(i.compress_size, 1) + 65536:
            raise ExchangeError(
                "The Word file is built to unpack to far more than it holds (a zip bomb); "
                "not imported."
            )
    if "word/document.xml" not in z.namelist():
        raise ExchangeError("This is not a Word document (.docx): it has no document text.")
    return z


def _part(z: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    if name not in z.namelist():
        return None
    try:
        with z.open(name) as fh:
            raw = fh.read(MAX_PART + 1)  # never trust the size the header claims
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise ExchangeError("The Word file is damaged (a part cannot be unpacked).") from None
    if len(raw) > MAX_PART:
        raise ExchangeError("The Word file unpacks to far more than a document; not imported.")
    # No DTDs: entity expansion and external entities are how XML parsers get abused.
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise ExchangeError("The Word file contains XML declarations a document never has.")
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        raise ExchangeError(f"The Word file is damaged ({name} cannot be read).") from None


def _properties(z: zipfile.ZipFile) -> dict[str, str]:
    root = _part(z, "docProps/custom.xml")
    out: dict[str, str] = {}
    if root is None:
        return out
    for prop in root.iter(f"{CUSTOM}property"):
        name = prop.get("name")
        if name:
            out[name] = "".join(prop.itertext()).strip()[:200]
    return out


def _comment_bodies(z: zipfile.ZipFile) -> tuple[dict[str, tuple[str, str, str]], dict]:
    """id -> (author, date, text); and id -> parent id from commentsExtended (Word's replies)."""
    root = _part(z, "word/comments.xml")
    bodies: dict[str, tuple[str, str, str]] = {}
    para_of: dict[str, str] = {}  # last paragraph's w14:paraId -> comment id
    if root is None:
        return bodies, {}
    for c in root.iter(f"{W}comment"):
        cid = c.get(f"{W}id", "")
        paras = [p for p in c.iter(f"{W}p")]
        text = "\n".join(
            "".join(t.text or "" for t in p.iter(f"{W}t")).strip() for p in paras
        ).strip()
        bodies[cid] = (c.get(f"{W}author", "") or "", c.get(f"{W}date", "") or "", text)
        if paras and (para_id := paras[-1].get(f"{W14}paraId")):
            para_of[para_id] = cid
    parents: dict[str, str] = {}
    ext = _part(z, "word/commentsExtended.xml")
    if ext is not None:
        for e in ext.iter(f"{W15}commentEx"):
            me, parent = para_of.get(e.get(f"{W15}paraId", "")), e.get(f"{W15}paraIdParent")
            if me is not None and parent and para_of.get(parent) is not None:
                parents[me] = para_of[parent]
    return bodies, parents


# -- the walk ---------------------------------------------------------------------------------
@dataclass
class _Place:
    section_id: int | None = None
    revision_id: int | None = None
    heading: str = ""


@dataclass
class _Open:
    cid: str
    place: _Place
    where: str
    text: list[str] = field(default_factory=list)
    end: _Place | None = None


def _is_heading(p: ElementTree.Element) -> bool:
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return False
    style = ppr.find(f"{W}pStyle")
    if style is not None and re.match(r"(?i)heading|title", style.get(f"{W}val", "")):
        return True
    return ppr.find(f"{W}outlineLvl") is not None


def _segments(p: ElementTree.Element, parents: dict) -> list[tuple[str, str, str, str]]:
    """The paragraph's text as (state, text, author, date): plain, ins, del, move_to, move_from."""
    out: list[tuple[str, str, str, str]] = []
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t" or tag == f"{W}delText":
            state, author, date = "plain", "", ""
            node = parents.get(el)
            while node is not None and node is not p:
                kind = {
                    f"{W}ins": "ins",
                    f"{W}del": "del",
                    f"{W}moveTo": "move_to",
                    f"{W}moveFrom": "move_from",
                }.get(node.tag)
                if kind:
                    state, author, date = kind, node.get(f"{W}author", ""), node.get(f"{W}date", "")
                    break
                node = parents.get(node)
            out.append((state, el.text or "", author, date))
        elif tag == f"{W}tab":
            out.append(("plain", " ", "", ""))
    return out


def parse_returned_word(data: bytes) -> ReturnedWord:
    """Every comment (with its replies) and tracked change in a .docx, in reading order."""
    z = _open(data)
    props = _properties(z)
    bodies, ext_parents = _comment_bodies(z)
    root = _part(z, "word/document.xml")
    body = root.find(f"{W}body") if root is not None else None
    if body is None:
        raise ExchangeError("This is not a Word document (.docx): it has no document text.")
    parents = {child: node for node in body.iter() for child in node}
    place = _Place()
    opened: dict[str, _Open] = {}
    ranged: dict[str, _Open] = {}
    point: dict[str, tuple[_Place, str]] = {}
    order: list[str] = []  # comment ids by their reference, in reading order
    follows: dict[str, str] = {}  # a range-less comment placed right after another: a reply
    changes: list[Markup] = []
    headings: list[str] = []
    last_ref: str | None = None
    previous_text = ""
    for p in body.iter(f"{W}p"):
        in_cell = any(a.tag == f"{W}tc" for a in _ancestors(p, parents))
        heading = _is_heading(p)
        segs = _segments(p, parents)
        before = clean("".join(t for s, t, _, _ in segs if s in ("plain", "del", "move_from")))
        after = clean("".join(t for s, t, _, _ in segs if s in ("plain", "ins", "move_to")))
        where = "heading" if heading else ("table cell" if in_cell else "")
        if heading:
            headings.append(after or before)
            place = _Place(place.section_id, place.revision_id, after or before)
        for el in p.iter():
            tag = el.tag
            if tag == f"{W}bookmarkStart":
                found = parse_section_bookmark(el.get(f"{W}name", ""))
                if found:
                    sid, rev = found
                    keep = heading or sid == place.section_id
                    place = _Place(sid, rev, place.heading if keep else "")
            elif tag == f"{W}commentRangeStart":
                cid = el.get(f"{W}id", "")
                opened[cid] = _Open(cid, _copy(place), where)
                last_ref = None
            elif tag == f"{W}commentRangeEnd":
                cid = el.get(f"{W}id", "")
                if cid in opened:
                    o = opened.pop(cid)
                    o.end = _copy(place)
                    ranged[cid] = o
            elif tag == f"{W}commentReference":
                cid = el.get(f"{W}id", "")
                if cid not in ranged and cid not in opened and cid not in point:
                    point[cid] = (_copy(place), where)
                    if last_ref is not None:
                        follows[cid] = last_ref
                if cid not in order:
                    order.append(cid)
                last_ref = follows.get(cid, cid)
            elif tag in (f"{W}t", f"{W}delText") and el.text and el.text.strip():
                if tag == f"{W}t" and not _inside(el, p, parents, (f"{W}del", f"{W}moveFrom")):
                    for o in opened.values():
                        o.text.append(el.text)
                last_ref = None
        changes.extend(_changes(segs, place, before, after, previous_text, in_cell, heading))
        if before:
            previous_text = before  # new paragraphs go after the last one the reviewer was sent
        for o in opened.values():
            o.text.append("\n")
    items = _pair_moves(changes)
    comments = _comments(order, bodies, ranged, point, follows, ext_parents)
    return ReturnedWord(props, tuple(comments + items), tuple(headings))


def _copy(place: _Place) -> _Place:
    return _Place(place.section_id, place.revision_id, place.heading)


def _ancestors(el, parents):
    node = parents.get(el)
    while node is not None:
        yield node
        node = parents.get(node)


def _inside(el, stop, parents, tags) -> bool:
    node = parents.get(el)
    while node is not None and node is not stop:
        if node.tag in tags:
            return True
        node = parents.get(node)
    return False


def _changes(segs, place: _Place, before: str, after: str, previous: str, in_cell, heading):
    """The tracked changes of one paragraph: runs of changed text, a deletion next to an
    insertion by the same author being one replacement."""
    where = "heading" if heading else ("table cell" if in_cell else "")
    runs: list[list | None] = []  # [kinds set, deleted, inserted, author, date]; None: a break
    for state, text, author, date in segs:
        if state == "plain":
            if text.strip():
                runs.append(None)
            continue
        current = runs[-1] if runs and runs[-1] is not None else None
        if current is None or current[3] != author:
            current = [set(), [], [], author, date]
            runs.append(current)
        current[0].add("move" if state.startswith("move") else state)
        (current[1] if state in ("del", "move_from") else current[2]).append(text)
    out = []
    for r in runs:
        if r is None:
            continue
        kinds, deleted, inserted, author, date = r
        deleted, inserted = clean("".join(deleted)), clean("".join(inserted))
        if not deleted and not inserted:
            continue
        if "move" in kinds:
            kind = "move_from" if deleted else "move_to"
        elif deleted and inserted:
            kind = "replacement"
        else:
            kind = "deletion" if deleted else "insertion"
        whole_new = not before and bool(after)
        passage = before
        proposed = after
        if whole_new:
            # A paragraph of its own: it goes after the paragraph before it.
            passage = previous
            proposed = (previous + "\n\n" + after).strip()
        out.append(
            Markup(
                kind,
                author,
                date,
                place.section_id,
                place.revision_id,
                place.heading,
                passage,
                "",
                inserted=inserted,
                deleted=deleted,
                proposed=proposed,
                where=where,
            )
        )
    return out


def _pair_moves(changes: list[Markup]) -> list[Markup]:
    """A paragraph deleted in one place and inserted word for word elsewhere is one move."""
    out: list[Markup] = []
    pending_to: dict[str, int] = {}
    pending_from: dict[str, int] = {}
    for m in changes:
        text = m.deleted if m.kind in ("deletion", "move_from") else m.inserted
        if m.kind in ("deletion", "move_from") and not m.inserted:
            match = pending_to.pop(text, None)
            if match is not None and len(text) > 20:
                out[match] = _move(m, out[match])
                continue
            pending_from[text] = len(out)
        elif m.kind in ("insertion", "move_to") and not m.deleted:
            match = pending_from.pop(text, None)
            if match is not None and len(text) > 20:
                out[match] = _move(out[match], m)
                continue
            pending_to[text] = len(out)
        out.append(m)
    return [_plain_kind(m) for m in out]


def _plain_kind(m: Markup) -> Markup:
    if m.kind == "move_from":
        return _with(m, kind="deletion")
    if m.kind == "move_to":
        return _with(m, kind="insertion")
    return m


def _with(m: Markup, **changes) -> Markup:
    from dataclasses import replace

    return replace(m, **changes)


def _move(source: Markup, target: Markup) -> Markup:
    """Anchored where the text now stands; it says where it came from."""
    return _with(
        target,
        kind="move",
        deleted=source.deleted,
        where=(target.where + "; " if target.where else "") + f"moved from {_place_name(source)}",
        end_section_id=source.section_id,
        end_heading=source.heading,
    )


def _place_name(m: Markup) -> str:
    return f"“{m.heading}”" if m.heading else "earlier in the document"


def _comments(order, bodies, ranged, point, follows, ext_parents) -> list[Markup]:
    replies: dict[str, list[Reply]] = {}
    parent_of: dict[str, str] = {}
    for cid in order:
        parent = ext_parents.get(cid) or follows.get(cid)
        if parent is not None and parent != cid and cid in bodies:
            while parent in parent_of:
                parent = parent_of[parent]
            parent_of[cid] = parent
            author, date, text = bodies[cid]
            if text:
                replies.setdefault(parent, []).append(Reply(author, date, text))
    out = []
    for cid in order:
        if cid in parent_of or cid not in bodies:
            continue
        author, date, text = bodies[cid]
        if cid in ranged:
            o = ranged[cid]
            start, end, where = o.place, o.end, o.where
            passage = "\n".join(clean(t) for t in "".join(o.text).split("\n") if clean(t))
        else:
            start, where = point.get(cid, (_Place(), ""))
            end, passage = None, ""
        spans = end is not None and end.section_id != start.section_id
        out.append(
            Markup(
                "comment",
                author,
                date,
                start.section_id,
                start.revision_id,
                start.heading,
                passage,
                text,
                where=where,
                end_section_id=end.section_id if spans else None,
                end_heading=end.heading if spans else "",
                replies=tuple(replies.get(cid, ())),
            )
        )
    return out
