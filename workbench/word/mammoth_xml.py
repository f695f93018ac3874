"""mammoth's XML parts parsed with lxml: the same tree mammoth builds through minidom, faster.

mammoth parses every part (document, notes, styles, numbering) into a minidom DOM and copies it
into its own XmlElement/XmlText nodes; that was half of its time on a long document. lxml parses
the same bytes in C and the copy is made straight from its tree: the nodes are equal to
mammoth's own (tests/workbench/word/test_mammoth_xml.py compares them on the whole corpus).
A part lxml would read differently (a DOCTYPE or entities, CDATA, which minidom keeps apart and
mammoth drops) or refuses (bad XML, too deep or too large) goes to mammoth's own parser, so its
errors and results stay mammoth's.
"""

from __future__ import annotations

import io
from typing import Any

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_MAMMOTH_OWN = (b"<!DOCTYPE", b"<!ENTITY", b"<![CDATA[")


def parse_xml(fileobj, namespace_mapping=None) -> Any:
    """mammoth.docx.xmlparser.parse_xml's result (namespaces named by mapping's prefixes)."""
    from mammoth.docx import xmlparser

    data = fileobj.read()
    if any(mark in data for mark in _MAMMOTH_OWN) or _utf16(data):
        return xmlparser.parse_xml(io.BytesIO(data), namespace_mapping)
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return xmlparser.parse_xml(io.BytesIO(data), namespace_mapping)
    prefixes = {uri: prefix for prefix, uri in namespace_mapping or ()}
    names: dict[str, str] = {}
    element, text = xmlparser.XmlElement, xmlparser.XmlText

    def name(tag: str) -> str:
        found = names.get(tag)
        if found is None:
            found = tag
            if tag[:1] == "{":
                uri, local = tag[1:].split("}", 1)
                prefix = prefixes.get(uri)
                if prefix is not None:
                    found = f"{prefix}:{local}"
            names[tag] = found
        return found

    def convert(el) -> Any:
        children: list[Any] = []
        if el.text:
            children.append(text(el.text))
        for child in el:
            if isinstance(child.tag, str):  # comments and processing instructions are dropped
                children.append(convert(child))
            if child.tail:  # ... and the text after them stays a node of its own, as in minidom
                children.append(text(child.tail))
        return element(name(el.tag), {name(k): v for k, v in el.attrib.items()}, children)

    return convert(root)


def _utf16(data: bytes) -> bool:
    """A part not in UTF-8 (a UTF-16 byte order mark): left to mammoth's own parser."""
    return data[:2] in (b"\xff\xfe", b"\xfe\xff")


def install() -> None:
    """mammoth reads its parts through parse_xml (idempotent; the trees are the same). A
    mammoth whose parser is laid out otherwise keeps its own: slower, never wrong."""
    try:
        from mammoth.docx import office_xml, xmlparser
    except ImportError:
        return
    if office_xml.parse_xml is xmlparser.parse_xml and hasattr(xmlparser, "XmlText"):
        office_xml.parse_xml = parse_xml
