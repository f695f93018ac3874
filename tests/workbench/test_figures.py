"""Figures stored in the workspace: checked by content, immutable, drawn from the store."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from workbench import documents, figures, sections
from workbench.coordination.publication import document_snapshot
from workbench.errors import WorkbenchError
from workbench.exports import export_pdf
from workbench.markdown_model import figure_markdown
from workbench.pdf import build_pdf


def png_bytes(width=320, height=200, color="orange", kind="PNG") -> bytes:
    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).ellipse([10, 10, width - 10, height - 10], fill=color)
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150" viewBox="0 0 300 150">'
    b'<rect x="5" y="5" width="290" height="140" fill="#dfe5ee"/>'
    b'<text x="150" y="80" font-family="Arial" font-size="24">Seizures</text></svg>'
)


def _use_laughs() -> bytes:
    levels = ['<g id="a0"><rect width="1" height="1"/></g>']
    for i in range(1, 10):
        levels.append(f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * 10 + "</g>")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><defs>'
        + "".join(levels)
        + '</defs><use href="#a9"/></svg>'
    ).encode()


@pytest.fixture
def doc(ws):
    return documents.create_document(ws, "strategy", "Figures")


def test_png_jpeg_and_svg_are_stored_with_kind_size_and_hash_from_their_content(ws, doc):
    png, jpeg = png_bytes(), png_bytes(kind="JPEG")
    a = figures.add_figure(ws, doc, png, alt="Circle", caption="A circle", source_name="c.jpg")
    b = figures.add_figure(ws, doc, jpeg, alt="Circle, JPEG", caption="Same")
    c = figures.add_figure(ws, doc, SVG, alt="Box", caption="Vector")
    got = {f.id: f for f in figures.list_figures(ws, doc)}
    assert got[a].media_type == "image/png"  # named .jpg, but its content is PNG
    assert (got[a].width, got[a].height) == (320, 200)
    assert got[b].media_type == "image/jpeg"
    assert (got[c].media_type, got[c].width, got[c].height) == ("image/svg+xml", 300, 150)
    assert figures.figure_bytes(ws, a) == png
    assert got[a].sha256 == figures.images(ws, [a])[a].sha256
    entry = ws.db.query("SELECT * FROM audit_log WHERE action = 'figure.add'")
    assert len(list(entry)) == 3


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\0" * 20, "not a PNG, JPEG or SVG"),
        (png_bytes()[:200], "damaged or truncated"),
        (b"%PDF-1.7\n", "not a PNG, JPEG or SVG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "script"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="/etc/passwd" width="9" height="9"/></svg>',
            "outside itself",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.example/a.png"/>'
            b"</svg>",
            "outside itself",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&e;</text></svg>',
            "document type",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://x/a.css);'
            b"</style></svg>",
            "from outside",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"></svg>', "script handler"),
        (b"<svg><rect", "damaged"),
        # Qt reads the local file an xml-stylesheet names (/dev/zero: until memory runs out)
        (
            b'<?xml version="1.0"?><?xml-stylesheet type="text/css" href="/dev/zero"?>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>',
            "processing instruction",
        ),
        # ten levels of ten <use>: 10^9 rectangles, and the window froze drawing them
        (_use_laughs(), "once its <use> references are followed"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><g><use href="#a"/></g></g></svg>',
            "loop",
        ),
        # a declaration the byte check cannot see, in a single-byte encoding expat reads
        (
            b'<?xml version="1.0" encoding="cp037"?>'
            + '<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&e;</text></svg>'.encode("cp037"),
            "save it as UTF-8",
        ),
        (b"<?xml version='1.0'?><html/>", "not an SVG"),
    ],
)
def test_bad_images_are_refused_in_one_line_and_nothing_is_stored(ws, doc, data, words):
    with pytest.raises(WorkbenchError) as caught:
        figures.add_figure(ws, doc, data, alt="x", caption="y")
    message = str(caught.value)
    assert words in message and "\n" not in message
    assert figures.list_figures(ws, doc) == []


def test_size_and_pixel_limits(ws, doc, monkeypatch):
    from workbench import images

    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    with pytest.raises(WorkbenchError, match="at most"):
        figures.add_figure(ws, doc, png_bytes(600, 600), alt="x")
    monkeypatch.setattr(images, "MAX_BYTES", 10_000_000)
    monkeypatch.setattr(images, "MAX_PIXELS", 10_000)
    with pytest.raises(WorkbenchError, match="million pixels"):
        figures.add_figure(ws, doc, png_bytes(200, 100), alt="x")


def test_alt_text_is_required_and_the_store_never_changes_a_figure(ws, doc):
    with pytest.raises(WorkbenchError, match="alt text"):
        figures.add_figure(ws, doc, png_bytes(), alt="  ", caption="c")
    fid = figures.add_figure(ws, doc, png_bytes(), alt="a", caption="c")
    with pytest.raises(Exception, match="never changed"):  # a trigger's refusal, either engine
        ws.db.execute("UPDATE figures SET data = ? WHERE id = ?", [b"x", fid])


def _placed(ws, doc):
    a = figures.add_figure(ws, doc, png_bytes(), alt="Circle", caption="Stored caption")
    b = figures.add_figure(ws, doc, SVG, alt="Box", caption="Vector")
    sections.add_section(
        ws,
        doc,
        heading="One",
        body=f"Before.\n\n{figure_markdown(b, 'Box', 'The vector box')}\n\nAfter.",
    )
    sections.add_section(
        ws,
        doc,
        heading="Two",
        body=f"![Circle](figure:{a})\n\n| x |\n|---|\n| ![Box](figure:{b}) |",
    )
    return a, b


def test_the_pdf_draws_each_figure_from_the_store_with_numbered_captions(ws, doc):
    a, b = _placed(ws, doc)
    data = export_pdf(ws, doc).data
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Numbered in order of first appearance; the markdown's caption wins, else the stored one.
    assert "Figure 1. The vector box" in text
    assert "Figure 2. Stored caption" in text
    assert "[Figure 1: Box]" in text  # a table cell cannot hold a picture: it names it
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 1  # the PNG; the SVG is drawn as vector paths
    snap = document_snapshot(ws, doc)
    assert [e["id"] for e in snap["figures"]] == [b, a]


def test_a_figure_missing_from_the_store_or_changed_prints_as_missing(ws, doc):
    a, b = _placed(ws, doc)
    snap = document_snapshot(ws, doc)
    snap["figures"][0]["sha256"] = "0" * 64  # the box's recorded hash no longer matches
    found = figures.for_snapshot(ws, snap)
    assert set(found) == {a}
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(build_pdf(snap, figures=found))).pages
    )
    assert "Figure 1 cannot be shown" in text


def test_a_hostile_svg_in_the_store_is_not_drawn(ws, doc):
    fid = figures.add_figure(ws, doc, SVG, alt="Box", caption="c")
    sections.add_section(ws, doc, heading="One", body=f"![Box](figure:{fid})")
    ws.db.execute("DROP TRIGGER figures_no_update" + (" ON figures" if ws.shared else ""))
    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
    ws.db.execute("UPDATE figures SET data = ?, size = ? WHERE id = ?", [evil, len(evil), fid])
    snap = document_snapshot(ws, doc)
    text = PdfReader(io.BytesIO(build_pdf(snap, figures=figures.for_snapshot(ws, snap))))
    assert "cannot be shown" in "\n".join(p.extract_text() for p in text.pages)


def test_lone_surrogates_in_alt_text_are_refused_in_one_line(ws, doc):
    with pytest.raises(WorkbenchError, match="cannot be stored"):
        figures.add_figure(ws, doc, png_bytes(), alt="bad \ud800 text", caption="c")
