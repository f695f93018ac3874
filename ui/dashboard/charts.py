"""Charts painted with QPainter: open comments by organization, a document's timeline."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from workbench.dashboard import STAGES, Timeline

TYPE_COLORS = {"C": QColor("#b3261e"), "S": QColor("#e8a33d"), "A": QColor("#9aa5b1")}
TYPE_NAMES = {"C": "Critical", "S": "Substantive", "A": "Administrative"}
STAGE_COLORS = {
    "draft": QColor("#7f8c9a"),
    "in_coordination": QColor("#2f6db5"),
    "published": QColor("#2e7d32"),
}


class OpenCommentsChart(QWidget):
    """Stacked horizontal bars, one per organization, Critical first."""

    def __init__(self, parent=None, top: int = 12):
        super().__init__(parent)
        self.top = top
        self.data: list[tuple[str, dict[str, int]]] = []
        self.names: dict[str, str] = {}
        self.setAccessibleName("Open comments by organization")
        self.setMinimumHeight(60)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_data(
        self, by_org: dict[str, dict[str, int]], names: dict[str, str] | None = None
    ) -> None:
        """`names`: what to show for a code (a local agency's name rather than its code)."""
        self.data = list(by_org.items())[: self.top]
        self.names = dict(names or {})
        total = sum(sum(c.values()) for _, c in self.data)
        self.setToolTip(
            "\n".join(
                f"{self.names.get(org, org)}: {c.get('C', 0)} Critical, "
                f"{c.get('S', 0)} Substantive, {c.get('A', 0)} Administrative"
                for org, c in self.data
            )
        )
        # Rows of at least a line each: in a short panel the chart scrolls rather than squashes.
        self.setMinimumHeight(30 + (self.fontMetrics().height() + 2) * max(2, len(self.data)))
        self.setAccessibleDescription(
            f"{total} open comments across {len(self.data)} organizations"
        )
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(360, 40 + 20 * max(3, len(self.data)))

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        text = self.palette().windowText().color()
        w, h = self.width(), self.height()
        x = 4
        for t in ("C", "S", "A"):
            p.fillRect(QRectF(x, 6, 10, 10), TYPE_COLORS[t])
            p.setPen(text)
            p.drawText(int(x + 14), 6 + fm.ascent() - 1, TYPE_NAMES[t])
            x += 24 + fm.horizontalAdvance(TYPE_NAMES[t])
        if not self.data:
            p.drawText(4, 40, "No open comments.")
            return
        # Names (a local agency's can be long) take at most a third of the width, elided.
        most = max(60, w // 3)
        labels = [
            fm.elidedText(self.names.get(org, org), Qt.TextElideMode.ElideRight, most)
            for org, _ in self.data
        ]
        label_w = max(fm.horizontalAdvance(label) for label in labels) + 10
        top = 26
        row_h = max(float(fm.height() + 2), min(22.0, (h - top - 4) / len(self.data)))
        biggest = max(sum(c.values()) for _, c in self.data) or 1
        scale = (w - label_w - 40) / biggest
        for i, (_org, counts) in enumerate(self.data):
            y = top + i * row_h
            p.setPen(text)
            p.drawText(
                QRectF(0, y, label_w - 6, row_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                labels[i],
            )
            bx = float(label_w)
            for t in ("C", "S", "A"):
                bw = counts.get(t, 0) * scale
                if bw > 0:
                    p.fillRect(QRectF(bx, y + 2, bw, row_h - 4), TYPE_COLORS[t])
                bx += bw
            p.setPen(text)
            p.drawText(
                QRectF(bx + 4, y, 40, row_h),
                Qt.AlignmentFlag.AlignVCenter,
                str(sum(counts.values())),
            )
        p.end()


def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso[:10])


class TimelineChart(QWidget):
    """A document's path draft → coordination → published, one band per phase, over time."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self.setAccessibleName("Document timeline")
        self.setMinimumHeight(70)

    def set_timeline(self, timeline: Timeline | None) -> None:
        self.timeline = timeline
        if timeline is not None:
            self.setAccessibleDescription(
                "; ".join(f"{p.label} v{p.version} from {p.start[:10]}" for p in timeline.phases)
            )
            self.setToolTip("\n".join(f"{e.at[:10]}  {e.label}" for e in timeline.events))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(420, 78)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        text = self.palette().windowText().color()
        p.setPen(text)
        t = self.timeline
        if t is None or not t.phases:
            p.drawText(4, 20, "Select a document to see its timeline.")
            return
        start = _day(t.phases[0].start)
        end = max(_day(t.today), start + dt.timedelta(days=1))
        span = (end - start).days or 1
        left, right = 4.0, self.width() - 4.0
        band_y, band_h = 22.0, 22.0

        def x_of(day: dt.date) -> float:
            return left + (right - left) * (day - start).days / span

        p.drawText(4, 14, t.title)
        for phase in t.phases:
            x0 = x_of(_day(phase.start))
            x1 = x_of(_day(phase.end)) if phase.end else right
            rect = QRectF(x0, band_y, max(2.0, x1 - x0), band_h)
            p.fillRect(rect, STAGE_COLORS[phase.stage])
            label = f"{STAGES[phase.stage]} v{phase.version}"
            if fm.horizontalAdvance(label) + 6 < rect.width():
                p.setPen(QColor("white"))
                p.drawText(rect.adjusted(4, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, label)
        p.setPen(QPen(text, 1))
        for e in t.events:
            x = x_of(_day(e.at))
            p.drawLine(int(x), int(band_y + band_h), int(x), int(band_y + band_h + 5))
        p.drawText(4, int(band_y + band_h + 8 + fm.ascent()), start.isoformat())
        today = end.isoformat()
        p.drawText(
            int(right - fm.horizontalAdvance(today)), int(band_y + band_h + 8 + fm.ascent()), today
        )
        p.end()
