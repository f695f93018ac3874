"""Figures on screen: a text view that shows the stored images it is given and loads nothing else.

Qt's text views load any resource a page names (a local path such as /dev/zero, a file URL);
FigureBrowser answers only `figure:ID` images, from bytes handed to it by the caller (the
workspace's store, or a review packet), and nothing at all for any other name.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QImage, QImageReader, QPainter
from PySide6.QtWidgets import QTextBrowser

from workbench.images import SVG, FigureImage, check_svg
from workbench.markdown_model import figure_ref

MAX_SIDE = 1600  # pixels an on-screen copy is drawn at, at most


def to_qimage(image: FigureImage) -> QImage | None:
    """The picture as a QImage, or None when it cannot be drawn (damaged, or an unsafe SVG)."""
    if image.media_type == SVG:
        from PySide6.QtSvg import QSvgRenderer

        try:
            check_svg(image.data)
        except Exception:
            return None
        renderer = QSvgRenderer(QByteArray(image.data))
        if not renderer.isValid():
            return None
        size = renderer.defaultSize()
        if size.isEmpty():
            size = QSize(image.width, image.height)
        size = size.scaled(QSize(MAX_SIDE, MAX_SIDE), Qt.AspectRatioMode.KeepAspectRatio)
        out = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        out.fill(Qt.GlobalColor.white)
        painter = QPainter(out)
        renderer.render(painter)
        painter.end()
        return out
    # Decoded at most MAX_SIDE on a side: a JPEG decodes at the smaller size directly (a 36 MP
    # photo took 1.4 s and 144 MB at full size, on the UI thread; 0.4 s and 10 MB so).
    buffer = QBuffer()
    buffer.setData(QByteArray(image.data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if size.isValid() and (size.width() > MAX_SIDE or size.height() > MAX_SIDE):
        reader.setScaledSize(
            size.scaled(QSize(MAX_SIDE, MAX_SIDE), Qt.AspectRatioMode.KeepAspectRatio)
        )
    out = reader.read()
    return None if out.isNull() else out


class FigureBrowser(QTextBrowser):
    """A read-only rich-text view whose only images are the figures set with set_figures."""

    width_changed = Signal()  # figures are fitted to the width: the owner renders again

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self._figures: Mapping[int, FigureImage] = {}
        self._cache: dict[tuple[int, str], QImage | None] = {}

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._figures and abs(event.size().width() - event.oldSize().width()) > 20:
            # Figures are sized to the view when rendered: the owner renders again.
            self.width_changed.emit()

    def figure_width(self) -> int:
        """The widest a figure may be drawn here without a horizontal scroll bar."""
        if not self.isVisible():
            return 420  # not laid out yet: a preview's usual width; width_changed follows
        return max(80, self.viewport().width() - 40)

    def set_figures(self, figures: Mapping[int, FigureImage] | None) -> None:
        self._figures = dict(figures or {})

    def image_for(self, figure_id: int) -> QImage | None:
        image = self._figures.get(figure_id)
        if image is None:
            return None
        key = (figure_id, image.sha256)
        if key not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = to_qimage(image)
        return self._cache[key]

    def loadResource(self, kind: int, url: QUrl | str):  # noqa: N802 (Qt override)
        name = url.toString() if isinstance(url, QUrl) else str(url)
        fid = figure_ref(name)
        if fid is None:
            return None  # never a file, never a URL
        return self.image_for(fid)
