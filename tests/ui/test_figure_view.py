"""Figures on screen are drawn at most MAX_SIDE pixels on a side, whatever their size."""

from __future__ import annotations

import io

from PIL import Image

from ui.figure_view import MAX_SIDE, to_qimage
from workbench.images import JPEG, PNG, FigureImage


def _image(kind: str, width: int, height: int) -> FigureImage:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "orange").save(out, "PNG" if kind == PNG else "JPEG")
    return FigureImage(1, kind, out.getvalue(), width, height)


def test_a_large_photo_is_decoded_at_screen_size_not_in_full(qapp):
    """A 36 MP photo held at full size cost 144 MB per view and over a second on the UI thread."""
    for kind in (JPEG, PNG):
        shown = to_qimage(_image(kind, 4800, 2400))
        assert shown is not None
        assert (shown.width(), shown.height()) == (MAX_SIDE, MAX_SIDE // 2)


def test_a_small_image_keeps_its_size(qapp):
    shown = to_qimage(_image(PNG, 320, 200))
    assert (shown.width(), shown.height()) == (320, 200)
