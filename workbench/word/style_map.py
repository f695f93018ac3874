"""The style map mammoth reads a Word draft with: which Word styles become which HTML.

It is the whole map (mammoth's own defaults are copied in, and mammoth is told to add none),
so that the rules naming styles a file does not have can be left out for that file: mammoth
tries every rule on every paragraph and run, and on a long draft that was a seventh of the
import. `tests/workbench/word/test_style_map.py` keeps the copy equal to mammoth's defaults.
"""

from __future__ import annotations

import re

# Ours first (the first rule that matches wins); "!" drops a paragraph (the contents).
OURS = (
    "p[style-name='Title'] => p.doc-title:fresh",
    "p[style-name='Subtitle'] => p.doc-subtitle:fresh",
    "p[style-name='Caption'] => p.caption:fresh",
    "p[style-name='Image Caption'] => p.caption:fresh",
    "p[style-name='Quote'] => blockquote > p:fresh",
    "p[style-name='Intense Quote'] => blockquote > p:fresh",
    "p[style-name='Quotations'] => blockquote > p:fresh",
    "p[style-name='Block Text'] => blockquote > p:fresh",
    # Word's "toc 1".."toc 9" and "TOC Heading", LibreOffice's "Contents 1".."Contents 10" and
    # "Contents Heading" (style names compare without case).
    "p[style-name^='toc '] => !",
    "p[style-name^='Contents '] => !",
)
# mammoth's default style map (mammoth/options.py), in its order.
MAMMOTH_DEFAULTS = (
    *(f"p.Heading{n} => h{n}:fresh" for n in range(1, 7)),
    *(f"p[style-name='Heading {n}'] => h{n}:fresh" for n in range(1, 7)),
    *(f"p[style-name='heading {n}'] => h{n}:fresh" for n in range(1, 7)),
    "p.Heading => h1:fresh",
    "p[style-name='Heading'] => h1:fresh",
    "r[style-name='Strong'] => strong",
    "p[style-name='footnote text'] => p:fresh",
    "r[style-name='footnote reference'] =>",
    "p[style-name='endnote text'] => p:fresh",
    "r[style-name='endnote reference'] =>",
    "p[style-name='annotation text'] => p:fresh",
    "r[style-name='annotation reference'] =>",
    "p[style-name='Footnote'] => p:fresh",
    "r[style-name='Footnote anchor'] =>",
    "p[style-name='Endnote'] => p:fresh",
    "r[style-name='Endnote anchor'] =>",
    *(
        f"p:unordered-list({n}) => " + "ul|ol > li > " * (n - 1) + "ul > li:fresh"
        for n in range(1, 6)
    ),
    *(
        f"p:ordered-list({n}) => " + "ul|ol > li > " * (n - 1) + "ol > li:fresh"
        for n in range(1, 6)
    ),
    "r[style-name='Hyperlink'] =>",
    "p[style-name='Normal'] => p:fresh",
    "p.Body => p:fresh",
    "p[style-name='Body'] => p:fresh",
)
RULES = OURS + MAMMOTH_DEFAULTS

_SELECTOR = re.compile(r"^[pr](?:\.([\w-]+))?(?:\[style-name(\^?=)'([^']*)'\])?")


def style_map(style_ids: set[str] | None, style_names: set[str] | None) -> str:
    """The rules that can match in a file whose styles have these ids and names (None: not
    known, every rule kept); names compare without case, as mammoth compares them."""
    names = None if style_names is None else {n.upper() for n in style_names}
    kept = []
    for rule in RULES:
        m = _SELECTOR.match(rule)
        style_id, op, name = (m[1], m[2], m[3]) if m else (None, None, None)
        if style_id and style_ids is not None and style_id not in style_ids:
            continue
        if name is not None and names is not None:
            wanted = name.upper()
            if op == "=" and wanted not in names:
                continue
            if op == "^=" and not any(n.startswith(wanted) for n in names):
                continue
        kept.append(rule)
    return "\n".join(kept)
