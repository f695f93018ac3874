"""The numbers Word prints before numbered paragraphs (headings and list items), as Word counts.

mammoth drops generated numbers; the reader needs them to tell a tenet or an appendix heading,
to continue a list where Word continues it, and to keep a/b/c and i/ii styles.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn

_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
_ROMAN += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


@dataclass(frozen=True)
class Label:
    """One numbered paragraph: its text (to match mammoth's output), level, format and value."""

    text: str
    is_heading: bool
    ilvl: int
    fmt: str  # decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet, ...
    value: int
    label: str  # what Word prints, e.g. "Tenet 3", "b.", "iv)"


def roman(n: int) -> str:
    out = ""
    for v, s in _ROMAN:
        while n >= v:
            out += s
            n -= v
    return out


def letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(97 + rem) + out
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return letters(n)
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerRoman":
        return roman(n)
    if fmt == "upperRoman":
        return roman(n).upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _val(el, tag: str, default=None):
    child = el.find(qn(tag)) if el is not None else None
    return child.get(qn("w:val")) if child is not None else default


class _Definitions:
    def __init__(self, document):
        self.levels: dict[str, dict[int, dict]] = {}  # abstractNumId -> ilvl -> level info
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstract, overrides)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for a in root.iter(qn("w:abstractNum")):
            aid = a.get(qn("w:abstractNumId"))
            lv = {}
            for lvl in a.iter(qn("w:lvl")):
                try:
                    i = int(lvl.get(qn("w:ilvl")) or 0)
                    start = int(_val(lvl, "w:start", "1") or 1)
                except ValueError:
                    continue
                lv[i] = {
                    "fmt": _val(lvl, "w:numFmt", "decimal"),
                    "text": _val(lvl, "w:lvlText", f"%{i + 1}."),
                    "start": start,
                }
            self.levels[aid] = lv
        for n in root.iter(qn("w:num")):
            overrides = {}
            for o in n.iter(qn("w:lvlOverride")):
                start = _val(o, "w:startOverride")
                if start is not None and start.isdigit():
                    overrides[int(o.get(qn("w:ilvl")) or 0)] = int(start)
            self.nums[n.get(qn("w:numId"))] = (_val(n, "w:abstractNumId"), overrides)


def _style_numbering(style) -> tuple[str | None, int]:
    seen = 0
    while style is not None and seen < 20:
        ppr = style.element.pPr
        if ppr is not None and ppr.numPr is not None:
            num = ppr.numPr.numId.val if ppr.numPr.numId is not None else None
            ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
            return (str(num) if num is not None else None), int(ilvl or 0)
        style = style.base_style
        seen += 1
    return None, 0


def numbered_paragraphs(document) -> list[Label]:
    """Every paragraph Word numbers, in document order, with the label Word prints."""
    defs = _Definitions(document)
    if not defs.nums:
        return []
    counters: dict[str, list[int]] = {}
    started: set[str] = set()
    style_cache: dict[str, tuple[str | None, int]] = {}
    name_cache: dict[str, str] = {"": ""}
    styles = document.styles
    out: list[Label] = []
    for p in document.element.body.iter(qn("w:p")):
        ppr = p.pPr
        num_id, ilvl = None, 0
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
            num_id = str(ppr.numPr.numId.val)
            ilvl = int(ppr.numPr.ilvl.val) if ppr.numPr.ilvl is not None else 0
        elif style_id:
            if style_id not in style_cache:
                try:
                    style_cache[style_id] = _style_numbering(styles.get_by_id(style_id, 1))
                except (KeyError, ValueError, AttributeError):
                    style_cache[style_id] = (None, 0)
            num_id, ilvl = style_cache[style_id]
        if not num_id or num_id == "0" or num_id not in defs.nums:
            continue
        abstract, overrides = defs.nums[num_id]
        levels = defs.levels.get(abstract, {})
        ilvl = max(0, min(ilvl, 8))
        lvl = levels.get(ilvl, {"fmt": "decimal", "text": f"%{ilvl + 1}.", "start": 1})
        c = counters.setdefault(abstract, [0] * 9)
        if num_id not in started:
            started.add(num_id)
            for lv, start in overrides.items():  # a restarted list (Word's "Restart at")
                if 0 <= lv < 9:
                    c[lv] = start - 1
        if c[ilvl] == 0 and ilvl not in overrides:
            c[ilvl] = lvl["start"] - 1
        c[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            c[deeper] = 0
        label = lvl["text"] or ""
        for k in range(ilvl, -1, -1):
            info = levels.get(k, {"fmt": "decimal", "start": 1})
            value = c[k] or info["start"]
            label = label.replace(f"%{k + 1}", format_number(value, info["fmt"]))
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        style_name = name_cache.get(style_id or "")
        if style_name is None:  # python-docx looks a style up by an XPath search each time
            try:
                style_name = styles.get_by_id(style_id, 1).name or ""
            except (KeyError, ValueError, AttributeError):
                style_name = ""
            name_cache[style_id or ""] = style_name
        is_heading = style_name.lower().startswith(("heading", "title"))
        out.append(Label(text, is_heading, ilvl, lvl["fmt"], c[ilvl], label.strip()))
    return out
