"""mammoth_xml gives mammoth the very tree its own minidom parser gives, on every corpus file."""

from __future__ import annotations

import io
import zipfile

import corpus
import pytest
from mammoth.docx import office_xml, xmlparser

from workbench.word import mammoth_xml

NAMESPACES = office_xml._namespaces  # the prefixes mammoth names its parts' elements with


def _parts(path) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as z:
            return [(n, z.read(n)) for n in z.namelist() if n.endswith((".xml", ".rels"))]
    except zipfile.BadZipFile:
        return []


FILES = corpus.files()


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_every_part_of_every_corpus_file_parses_to_mammoths_own_tree(path):
    for name, data in _parts(path):
        try:
            want = xmlparser.parse_xml(io.BytesIO(data), NAMESPACES)
        except Exception as exc:  # mammoth refuses it: so must we, the same way
            with pytest.raises(type(exc)):
                mammoth_xml.parse_xml(io.BytesIO(data), NAMESPACES)
            continue
        assert mammoth_xml.parse_xml(io.BytesIO(data), NAMESPACES) == want, name


@pytest.mark.parametrize(
    "xml",
    [
        # text around a comment and a processing instruction stays three nodes, as in minidom
        b'<w:t xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        b' xml:space="preserve">a <!-- c --> b<?pi x?>c</w:t>',
        # CDATA (which minidom keeps apart and mammoth drops) and entities: mammoth's own parser
        b"<a>x<![CDATA[y]]>z</a>",
        b'<!DOCTYPE a [<!ENTITY e "words">]><a>&e;</a>',
        # an element in no namespace, one in a namespace mammoth has no prefix for, attributes
        b'<a b="1" xmlns:q="urn:q" q:c="2"><q:d>&amp;&lt;</q:d>\n  </a>',
        "<a>\u00e9t\u00e9</a>".encode("utf-16"),
    ],
)
def test_odd_parts_parse_as_mammoth_parses_them(xml):
    want = xmlparser.parse_xml(io.BytesIO(xml), NAMESPACES)
    assert mammoth_xml.parse_xml(io.BytesIO(xml), NAMESPACES) == want


def test_bad_xml_is_refused_as_mammoth_refuses_it():
    with pytest.raises(Exception) as theirs:
        xmlparser.parse_xml(io.BytesIO(b"<a><b></a>"), NAMESPACES)
    with pytest.raises(theirs.type):
        mammoth_xml.parse_xml(io.BytesIO(b"<a><b></a>"), NAMESPACES)


def test_install_makes_mammoth_read_through_it():
    mammoth_xml.install()
    assert office_xml.parse_xml is mammoth_xml.parse_xml


def test_a_libreoffice_draft_imports_as_through_mammoths_own_parser(ws, monkeypatch):
    """The same sections, headings, notes and tables come into the workspace either way."""
    from workbench.exchange.drafts import import_draft
    from workbench.sections import outline, section

    path = corpus.find("libreoffice-ig-report.docx")

    def imported() -> list[tuple[str, str]]:
        doc_id = import_draft(ws, path)
        return [(section(ws, e.id).heading, section(ws, e.id).body) for e in outline(ws, doc_id)]

    ours = imported()
    monkeypatch.setattr(mammoth_xml, "install", lambda: None)
    monkeypatch.setattr(office_xml, "parse_xml", xmlparser.parse_xml)
    theirs = imported()
    assert ours == theirs
    assert len(ours) == 2 and any("[^1]:" in body for _, body in ours)


def test_a_mammoth_laid_out_otherwise_keeps_its_own_parser(monkeypatch):
    def other(fileobj, namespace_mapping=None):
        return xmlparser.parse_xml(fileobj, namespace_mapping)

    monkeypatch.setattr(office_xml, "parse_xml", other)
    mammoth_xml.install()
    assert office_xml.parse_xml is other
