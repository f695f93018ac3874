"""Every text colour of both themes keeps WCAG AA contrast (4.5:1) on its background."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from ui import theme
from ui.markdown_highlighter import MarkdownHighlighter

R = QPalette.ColorRole
AA = 4.5
# (text role, background role) pairs the widgets actually draw.
PAIRS = [
    (R.WindowText, R.Window),
    (R.Text, R.Base),
    (R.Text, R.AlternateBase),
    (R.ButtonText, R.Button),
    (R.HighlightedText, R.Highlight),
    (R.ToolTipText, R.ToolTipBase),
    (R.PlaceholderText, R.Base),
    (R.PlaceholderText, R.Window),  # hints and the document line are drawn in it on Window
    (R.Link, R.Base),
]


@pytest.mark.parametrize("name", ["light", "dark"])
def test_palette_text_contrast(name):
    pal = theme.palette(name)
    low = [
        (fg.name, bg.name, round(theme.contrast_ratio(pal.color(fg), pal.color(bg)), 2))
        for fg, bg in PAIRS
        if theme.contrast_ratio(pal.color(fg), pal.color(bg)) < AA
    ]
    assert low == []


@pytest.mark.parametrize("name", ["light", "dark"])
def test_status_colours_contrast(name):
    pal = theme.palette(name)
    low = []
    for status in theme.STATUS_COLORS:
        color = theme.status_color(status, pal)
        for bg in (R.Base, R.Window, R.AlternateBase):
            ratio = theme.contrast_ratio(color, pal.color(bg))
            if ratio < AA:
                low.append((status, bg.name, round(ratio, 2)))
    assert low == []


@pytest.mark.parametrize("name", ["light", "dark"])
def test_editor_syntax_colours_contrast(qapp, name):
    from PySide6.QtGui import QTextDocument, QTextFormat

    pal = theme.palette(name)
    highlighter = MarkdownHighlighter(QTextDocument(), pal)
    base = pal.color(R.Base)
    low = [
        (key, round(theme.contrast_ratio(fmt.foreground().color(), base), 2))
        for key, fmt in highlighter.formats.items()
        if fmt.hasProperty(QTextFormat.Property.ForegroundBrush)
        and theme.contrast_ratio(fmt.foreground().color(), base) < AA
    ]
    assert low == []


def test_the_ratio_is_wcags():
    assert round(theme.contrast_ratio(QColor("#000000"), QColor("#ffffff")), 1) == 21.0
    assert round(theme.contrast_ratio(QColor("#767676"), QColor("#ffffff")), 2) == 4.54
