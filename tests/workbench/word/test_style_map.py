"""The style map the Word import reads with: mammoth's defaults kept, rules the file cannot
use left out."""

from __future__ import annotations

import mammoth.options

from workbench.word.style_map import MAMMOTH_DEFAULTS, OURS, style_map


def test_the_copied_defaults_are_mammoths_own():
    """mammoth is told to add no defaults, so the copy must be exactly what it would add
    (a newer mammoth with other defaults fails here rather than importing differently)."""
    ours = mammoth.options._read_style_map("\n".join(MAMMOTH_DEFAULTS))
    assert not ours.messages
    assert ours.value == mammoth.options._default_style_map


def test_rules_for_styles_the_file_lacks_are_left_out():
    rules = style_map({"Normal", "Heading1", "TOC1"}, {"Normal", "heading 1", "TOC 1"})
    lines = rules.split("\n")
    assert "p.Heading1 => h1:fresh" in lines and "p.Heading2 => h2:fresh" not in lines
    # Names compare without case, as mammoth compares them.
    assert "p[style-name='Heading 1'] => h1:fresh" in lines
    assert "p[style-name='heading 1'] => h1:fresh" in lines
    assert "p[style-name^='toc '] => !" in lines
    assert "p[style-name^='Contents '] => !" not in lines
    assert "p[style-name='Title'] => p.doc-title:fresh" not in lines
    # Rules naming no style (lists) always stay, in mammoth's order after ours.
    assert "p:ordered-list(1) => ol > li:fresh" in lines
    assert lines.index("p[style-name^='toc '] => !") < lines.index("p.Heading1 => h1:fresh")


def test_unknown_styles_keep_every_rule():
    assert style_map(None, None).split("\n") == list(OURS + MAMMOTH_DEFAULTS)
