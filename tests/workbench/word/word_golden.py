"""The golden Word export: a fixed snapshot, and a structural dump of a .docx to compare.

`dump(data)` prints, one line a block, what a reader of the file gets: each paragraph's style,
its Word numbering (format and level text), bookmarks, and its text with emphasis, links,
fields (instruction and cached result), footnote references and pictures (alt text, size,
SHA-256); tables cell by cell; the footnotes; headers and footers; core properties.
tests/fixtures/word/make_golden.py writes it to tests/fixtures/word/golden/; test_word_golden.py
compares.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from word_helpers import png  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NOW = "2026-11-20T15:00:00Z"


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


@dataclass(frozen=True)
class StoredImage:
    id: int
    media_type: str
    data: bytes
    width: int
    height: int
    alt: str = ""
    caption: str = ""


def figures() -> dict:
    return {5: StoredImage(5, "image/png", png(), 320, 160, "Map of the corridor", "Corridor")}


def snapshot() -> dict:
    """A draft strategy with every kind of block the writer handles."""
    body = (
        "Semi-submersibles carry **most** cocaine through the *transit zone*[^1]; see "
        "[§](section:30) and [§](section:41). Read [the plan](https://www.dhs.gov/plan).\n\n"
        "[^1]: Coast Guard cutter reports, fiscal year 2026.\n\n"
        '{type="a i"}\n\n1. Screen cargo.\n2. Share intelligence.\n'
        "   1. Within DHS.\n   2. With partners.\n\n"
        "- A bullet\n   - nested bullet\n\n"
        "> Speak with one voice.\n\n"
        '![Map of the eastern Pacific corridor](figure:5 "The eastern Pacific corridor")\n\n'
        "| Port | Seizures | Notes |\n|---|--:|:-:|\n| Miami | 40 | In each<br>cell |\n"
        "| Nogales | 120 | ~~old~~ `code` |\n\n"
        "    literal code\n\n---\n\nLast words[^2].\n\n[^2]: A second note."
    )

    def sec(sid, number, depth, kind, heading, text=""):
        return {
            "section_id": sid,
            "number": number,
            "depth": depth,
            "kind": kind,
            "heading": heading,
            "body": text,
            "content_hash": f"h{sid}",
            "equities": [],
        }

    return {
        "document": {
            "id": 7,
            "kind": "strategy",
            "kind_label": "Strategy",
            "title": "Maritime Border Counternarcotics Strategy",
            "marking": "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
            "version": 3,
            "status": "in_coordination",
            "lead": "CNE",
            "lead_name": "Office of Counternarcotics Enforcement",
            "co_lead": "USCG",
            "co_lead_name": "U.S. Coast Guard",
            "due_date": "2026-12-15",
        },
        "published_at": None,
        "published_by": None,
        "sections": [
            sec(10, "1", 0, "narrative", "Purpose", "This strategy guides interdiction."),
            sec(20, "1.1", 1, "narrative", "Threat", body),
            sec(30, "2", 0, "narrative", "Operations", "Patrol and interdict."),
            sec(31, "Tenet 1", 0, "tenet", "Unity of effort", "Components act as one."),
            sec(40, "Appendix A", 0, "appendix", "Authorities", "6 U.S.C. 112."),
            sec(41, "A.1", 1, "narrative", "Statutes", "Title 46."),
        ],
        "coordination": {
            "organizations": [
                {
                    "code": "USCG",
                    "name": "U.S. Coast Guard",
                    "position": "concur",
                    "position_label": "Concur",
                    "by_name": "Capt. Lee Odiña",
                    "by_title": "Assistant Commandant for Operations",
                    "at": "2026-11-10T12:00:00Z",
                    "document_version": 3,
                    "events": [],
                }
            ],
            "waivers": [],
        },
        "crm": [
            {
                "item_no": 1,
                "organization": "USCG",
                "reviewer_name": "Capt. Lee Odiña",
                "reviewer_title": "Liaison",
                "response_date": "2026-11-09",
                "type": "S",
                "section_number": "1.1",
                "quoted_passage": "most cocaine",
                "comment": "Cite the source.",
                "rationale": "Figures differ.",
                "critical_ground": None,
                "proposed_wording": "most cocaine (USCG, 2026)",
                "disposition": "accepted",
                "disposition_label": "Accepted",
                "disposition_rationale": "",
            }
        ],
    }


# -- the dump ------------------------------------------------------------------------------
class _Numbering:
    def __init__(self, z: zipfile.ZipFile):
        self.levels: dict[tuple[str, str], str] = {}
        if "word/numbering.xml" not in z.namelist():
            return
        root = etree.fromstring(z.read("word/numbering.xml"))
        abstract = {}
        for a in root.iter(q(W, "abstractNum")):
            lv = {}
            for lvl in a.iter(q(W, "lvl")):
                fmt = lvl.find(q(W, "numFmt"))
                text = lvl.find(q(W, "lvlText"))
                lv[lvl.get(q(W, "ilvl"))] = (
                    f"{fmt.get(q(W, 'val')) if fmt is not None else '?'} "
                    f'"{text.get(q(W, "val")) if text is not None else ""}"'
                )
            abstract[a.get(q(W, "abstractNumId"))] = lv
        self.starts: dict[tuple[str, str], str] = {}
        for n in root.iter(q(W, "num")):
            nid = n.get(q(W, "numId"))
            aid = n.find(q(W, "abstractNumId")).get(q(W, "val"))
            for ilvl, desc in abstract.get(aid, {}).items():
                self.levels[(nid, ilvl)] = desc
            for o in n.iter(q(W, "lvlOverride")):
                start = o.find(q(W, "startOverride"))
                if start is not None:
                    self.starts[(nid, o.get(q(W, "ilvl")))] = start.get(q(W, "val"))

    def describe(self, ppr) -> str:
        num = ppr.find(q(W, "numPr")) if ppr is not None else None
        if num is None:
            return ""
        nid = num.find(q(W, "numId")).get(q(W, "val"))
        ilvl = num.find(q(W, "ilvl")).get(q(W, "val"))
        start = self.starts.get((nid, ilvl))
        return f" num[{ilvl}]={self.levels.get((nid, ilvl), '?')}" + (
            f" start={start}" if start else ""
        )


def _runs(p, rels: dict[str, str], media: dict[str, bytes]) -> str:
    out: list[str] = []
    field: list[str] | None = None  # instruction, then result, of an open field
    result = False
    for el in p.iter():
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag == "fldChar":
            kind = el.get(q(W, "fldCharType"))
            if kind == "begin":
                field, result = ["", ""], False
            elif kind == "separate":
                result = True
            elif kind == "end" and field is not None:
                out.append(f"{{{field[0].strip()} = {field[1]}}}")
                field = None
        elif tag == "instrText" and field is not None:
            field[0] += el.text or ""
        elif tag == "t":
            text = el.text or ""
            if field is not None and result:
                field[1] += text
                continue
            rpr = el.getparent().find(q(W, "rPr"))
            marks = ""
            if rpr is not None:
                for name, mark in (("b", "**"), ("i", "*"), ("strike", "~~")):
                    if rpr.find(q(W, name)) is not None:
                        marks += mark
                fonts = rpr.find(q(W, "rFonts"))
                if fonts is not None and "Courier" in (fonts.get(q(W, "ascii")) or ""):
                    marks += "`"
            out.append(f"{marks}{text}{marks[::-1]}")
        elif tag == "br":
            out.append("<page break>" if el.get(q(W, "type")) == "page" else "⏎")
        elif tag == "tab":
            out.append("⇥")
        elif tag == "hyperlink":
            rid = el.get(q(R, "id"))
            target = rels.get(rid, "") if rid else "#" + (el.get(q(W, "anchor")) or "")
            out.append(f"<link {target}>")
        elif tag in ("bookmarkStart",):
            out.append(f"<bookmark {el.get(q(W, 'name'))}>")
        elif tag == "footnoteReference":
            out.append(f"<footnote {el.get(q(W, 'id'))}>")
        elif tag == "inline" and el.tag == q(WP, "inline"):
            extent, doc_pr = el.find(q(WP, "extent")), el.find(q(WP, "docPr"))
            blip = next(el.iter(q(A, "blip")), None)
            data = (
                media.get(rels.get(blip.get(q(R, "embed")) or "", ""), b"")
                if blip is not None
                else b""
            )
            out.append(
                f'<picture descr="{doc_pr.get("descr")}" '
                f"{int(extent.get('cx')) // 9525}x{int(extent.get('cy')) // 9525}px "
                f"sha256={hashlib.sha256(data).hexdigest()[:16]}>"
            )
    if field is not None:  # a field whose result runs on (the contents)
        out.append(f"{{{field[0].strip()} = {field[1]}…")
    return "".join(out)


def _block(el, numbering: _Numbering, rels, media, indent: str = "") -> list[str]:
    tag = etree.QName(el).localname
    if tag == "p":
        ppr = el.find(q(W, "pPr"))
        style = ppr.find(q(W, "pStyle")) if ppr is not None else None
        name = style.get(q(W, "val")) if style is not None else "Normal"
        jc = ppr.find(q(W, "jc")) if ppr is not None else None
        align = f" align={jc.get(q(W, 'val'))}" if jc is not None else ""
        text = _runs(el, rels, media)
        if ppr is not None and ppr.find(q(W, "sectPr")) is not None:
            text += " <section break>"
        if ppr is not None and ppr.find(q(W, "pBdr")) is not None:
            text += " <rule>"
        return [f"{indent}P [{name}]{numbering.describe(ppr)}{align} {text}".rstrip()]
    if tag == "tbl":
        rows = el.findall(q(W, "tr"))
        lines = [f"{indent}TABLE {len(rows)} rows"]
        for tr in rows:
            head = " header" if tr.find(f"{q(W, 'trPr')}/{q(W, 'tblHeader')}") is not None else ""
            cells = []
            for tc in tr.findall(q(W, "tc")):
                parts = [_runs(p, rels, media) for p in tc.findall(q(W, "p"))]
                cells.append(" / ".join(parts))
            lines.append(f"{indent}  |{head} " + " | ".join(cells) + " |")
        return lines
    if tag == "bookmarkEnd":
        return []
    if tag == "sectPr":
        return [f"{indent}SECTION END"]
    return [f"{indent}{tag.upper()}"]


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    name = re.sub(r"([^/]+)$", r"_rels/\1.rels", part)
    if name not in z.namelist():
        return {}
    root = etree.fromstring(z.read(name))
    out = {}
    for rel in root:
        target = rel.get("Target") or ""
        if rel.get("TargetMode") != "External":
            target = "word/" + target if not target.startswith("/") else target[1:]
        out[rel.get("Id")] = target
    return out


def dump(data: bytes) -> str:
    lines: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}
        numbering = _Numbering(z)
        core = etree.fromstring(z.read("docProps/core.xml"))
        for el in core:
            name = etree.QName(el).localname
            if name in ("title", "subject", "keywords", "creator", "category"):
                lines.append(f"CORE {name}: {el.text}")
        for part in sorted(
            n for n in z.namelist() if re.fullmatch(r"word/(header|footer)\d+\.xml", n)
        ):
            root = etree.fromstring(z.read(part))
            rels = _rels(z, part)
            for p in root.iter(q(W, "p")):
                lines.append(f"{part[5:-4].upper()} " + _runs(p, rels, media))
        body = etree.fromstring(z.read("word/document.xml")).find(q(W, "body"))
        rels = _rels(z, "word/document.xml")
        for el in body:
            lines += _block(el, numbering, rels, media)
        if "word/footnotes.xml" in z.namelist():
            root = etree.fromstring(z.read("word/footnotes.xml"))
            rels = _rels(z, "word/footnotes.xml")
            for note in root.iter(q(W, "footnote")):
                if note.get(q(W, "type")):
                    continue
                text = " / ".join(_runs(p, rels, media) for p in note.iter(q(W, "p")))
                lines.append(f"FOOTNOTE {note.get(q(W, 'id'))}: {text}")
        custom = "docProps/custom.xml"
        if custom in z.namelist():
            root = etree.fromstring(z.read(custom))
            for prop in root:
                lines.append(f"CUSTOM {prop.get('name')} = {''.join(prop.itertext())}")
    return "\n".join(lines) + "\n"
