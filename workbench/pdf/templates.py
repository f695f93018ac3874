"""Page templates: the marking on every page, the DRAFT watermark, "Page N of M", bookmarks.

Everything that depends on the final page count (the "of M" on each page and the page numbers
in the contents) is drawn as a PDF form XObject that is referenced while the pages are laid out
and defined once layout has finished. One layout pass therefore suffices: nothing about the
pages' geometry depends on those numbers, because the contents reserve a fixed-width column.
"""

from __future__ import annotations

import datetime as dt
import time

from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from workbench.pdf import styles as st
from workbench.pdf.footnotes import FootNotes

DRAFT_NOTICE = "DRAFT — NOT FOR DISTRIBUTION"


class Cancelled(Exception):
    """The export was cancelled by the person who started it."""


class Layout:
    """What layout learns and the deferred forms need: where each heading landed, page count."""

    def __init__(self, progress=None, cancelled=None):
        self.footnotes = FootNotes(
            st.PAGE_SIZE[0] - 2 * st.MARGIN_X, st.PAGE_SIZE[1] - st.MARGIN_TOP - st.MARGIN_BOTTOM
        )
        self.pages: dict[str, int] = {}
        self.toc_keys: list[str] = []
        self.page_count = 0
        self.progress = progress
        self.cancelled = cancelled
        self.total = 1
        self.done = 0
        self._last_reported = -1.0

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("The PDF export was cancelled.")

    def report(self, fraction: float) -> None:
        # Throttled so a progress dialog is not flooded with thousands of tiny updates.
        if self.progress is None:
            return
        if fraction - self._last_reported >= 0.01 or (fraction >= 1.0 > self._last_reported):
            self._last_reported = fraction
            self.progress(min(1.0, fraction))


def _timestamp(at: dt.datetime) -> TimeStamp:
    ts = TimeStamp(invariant=True)
    t = at.astimezone(dt.UTC).timestamp()
    ts.t = t
    ts.lt = time.gmtime(t)
    ts.YMDhms = tuple(ts.lt)[:6]
    ts.dhh = ts.dmm = 0
    ts.tzname = "UTC"
    return ts


def canvas_maker(layout: Layout, at: dt.datetime):
    """A canvas class whose dates are `at` and which defines the deferred forms before saving."""

    class _Canvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _timestamp(at)

        def save(self):
            _define_forms(self, layout)
            super().save()

    return _Canvas


def _define_forms(canv: Canvas, layout: Layout) -> None:
    total = layout.page_count
    for n in range(1, total + 1):
        canv.beginForm(f"pageof{n}", -200, -4, 0, 12)
        canv.setFont(st.SANS, st.FOOTER_SIZE)
        canv.setFillColor(st.MUTED)
        canv.drawRightString(0, 0, f"Page {n} of {total}")
        canv.endForm()
    for key in layout.toc_keys:
        canv.beginForm(f"toc.{key}", -st.TOC_PAGE_COLUMN, -4, 0, 14)
        canv.setFont(st.SANS, 9.5)
        canv.setFillColor(st.INK)
        page = layout.pages.get(key)
        canv.drawRightString(0, 0, str(page) if page else "")
        canv.endForm()


class Heading(Flowable):
    """A heading paragraph that becomes a bookmark, and whose page the contents will show."""

    def __init__(self, paragraph, key: str, title: str, level: int, layout: Layout):
        super().__init__()
        self.paragraph = paragraph
        self.key = key
        self.title = title
        self.level = level
        self.layout = layout
        self.keepWithNext = getattr(paragraph.style, "keepWithNext", 0)

    def wrap(self, aw, ah):
        self.width, self.height = self.paragraph.wrap(aw, ah)
        return self.width, self.height

    def split(self, aw, ah):
        parts = self.paragraph.split(aw, ah)
        if not parts:
            return []
        return [Heading(parts[0], self.key, self.title, self.level, self.layout), *parts[1:]]

    def getSpaceBefore(self):
        return self.paragraph.getSpaceBefore()

    def getSpaceAfter(self):
        return self.paragraph.getSpaceAfter()

    def draw(self):
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + 6)
        canv.addOutlineEntry(self.title, self.key, self.level, closed=self.level >= 1)
        self.layout.pages.setdefault(self.key, canv.getPageNumber())
        self.paragraph.drawOn(canv, 0, 0)


class Bookmark(Flowable):
    """An invisible outline entry (for the cover, which has no heading of its own)."""

    _ZEROSIZE = 1

    def __init__(self, key: str, title: str, layout: Layout):
        super().__init__()
        self.key, self.title, self.layout = key, title, layout
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, 0)
        self.layout.pages.setdefault(self.key, self.canv.getPageNumber())


class ContentsEntry(Flowable):
    """One line of the contents: text, dot leader, and the page number (a deferred form)."""

    def __init__(self, paragraph, key: str, layout: Layout):
        super().__init__()
        self.paragraph = paragraph
        self.key = key
        self.layout = layout
        layout.toc_keys.append(key)

    def wrap(self, aw, ah):
        self.width = aw
        _, self.height = self.paragraph.wrap(aw - st.TOC_PAGE_COLUMN - 8, ah)
        return aw, self.height

    def getSpaceBefore(self):
        return self.paragraph.getSpaceBefore()

    def getSpaceAfter(self):
        return self.paragraph.getSpaceAfter()

    def draw(self):
        canv = self.canv
        p = self.paragraph
        p.drawOn(canv, 0, 0)
        style = p.style
        nlines = max(1, len(p.lines))
        baseline = self.height - style.fontSize - (nlines - 1) * style.leading
        right = self.width
        start = min(p.last_line_end() + 4, right - st.TOC_PAGE_COLUMN)
        end = right - st.TOC_DOTS_GAP
        if end - start > 6:
            canv.saveState()
            canv.setStrokeColor(st.RULE)
            canv.setLineWidth(0.7)
            canv.setDash(0.7, 2.8)
            canv.line(start, baseline + 0.5, end, baseline + 0.5)
            canv.restoreState()
        canv.saveState()
        canv.translate(right, baseline)
        canv.doForm(f"toc.{self.key}")
        canv.restoreState()
        canv.linkRect("", self.key, (0, 0, right, self.height), relative=1, thickness=0)


class WorkbenchDoc(BaseDocTemplate):
    """The document: cover, portrait body and landscape appendix pages, all marked alike."""

    def __init__(self, buf, *, marking: str, footer: str, draft: bool, layout: Layout, **kwargs):
        super().__init__(
            buf,
            pagesize=st.PAGE_SIZE,
            leftMargin=st.MARGIN_X,
            rightMargin=st.MARGIN_X,
            topMargin=st.MARGIN_TOP,
            bottomMargin=st.MARGIN_BOTTOM,
            invariant=1,
            **kwargs,
        )
        self.marking = marking
        self.footer = footer
        self.draft = draft
        self.layout = layout
        self.addPageTemplates(
            [
                self._template("cover", st.PAGE_SIZE),
                self._template("body", st.PAGE_SIZE),
                self._template("landscape", st.LANDSCAPE_SIZE),
            ]
        )

    def _template(self, name: str, size) -> PageTemplate:
        width, height = size
        frame = Frame(
            st.MARGIN_X,
            st.MARGIN_BOTTOM,
            width - 2 * st.MARGIN_X,
            height - st.MARGIN_TOP - st.MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=f"{name}-frame",
        )
        return PageTemplate(
            id=name,
            frames=[frame],
            onPage=self._begin_page,
            onPageEnd=self._decorate,
            pagesize=size,
        )

    def _begin_page(self, canv: Canvas, doc) -> None:
        # The notes of the last page raised its frame's bottom; a new page starts clear.
        for frame in doc.pageTemplate.frames:
            frame._y1p = frame._y1 + frame._bottomPadding
        self.layout.footnotes.new_page()

    def frame_width(self, template: str = "body") -> float:
        width = (st.LANDSCAPE_SIZE if template == "landscape" else st.PAGE_SIZE)[0]
        return width - 2 * st.MARGIN_X

    def _decorate(self, canv: Canvas, doc) -> None:
        self.layout.footnotes.draw_page(canv, st.MARGIN_X, st.MARGIN_BOTTOM)
        width, height = canv._pagesize
        n = canv.getPageNumber()
        self.layout.page_count = max(self.layout.page_count, n)
        canv.saveState()
        if self.draft:
            canv.saveState()
            canv.setFillColor(st.WATERMARK)
            canv.setFillAlpha(st.WATERMARK_ALPHA)
            canv.setFont(st.SANS_BOLD, st.WATERMARK_SIZE)
            canv.translate(width / 2, height / 2)
            canv.rotate(52 if width < height else 30)
            canv.drawCentredString(0, -st.WATERMARK_SIZE * 0.35, "DRAFT")
            canv.restoreState()
        canv.setFillColor(st.INK)
        canv.setFont(st.SANS_BOLD, st.MARKING_SIZE)
        canv.drawCentredString(width / 2, height - st.MARKING_INSET, self.marking)
        canv.drawCentredString(width / 2, st.MARKING_INSET - st.MARKING_SIZE, self.marking)
        canv.setStrokeColor(st.RULE)
        canv.setLineWidth(0.5)
        canv.line(
            st.MARGIN_X,
            height - st.MARGIN_TOP + 24,
            width - st.MARGIN_X,
            height - st.MARGIN_TOP + 24,
        )
        canv.line(st.MARGIN_X, st.FOOTER_INSET + 12, width - st.MARGIN_X, st.FOOTER_INSET + 12)
        canv.setFont(st.SANS, st.FOOTER_SIZE)
        canv.setFillColor(st.MUTED)
        if self.draft:
            canv.setFont(st.SANS_BOLD, st.FOOTER_SIZE)
            canv.setFillColor(st.WATERMARK)
            canv.drawString(st.MARGIN_X, st.FOOTER_INSET, DRAFT_NOTICE)
        else:
            canv.drawString(st.MARGIN_X, st.FOOTER_INSET, self.footer)
        canv.translate(width - st.MARGIN_X, st.FOOTER_INSET)
        canv.doForm(f"pageof{n}")
        canv.restoreState()
        self.layout.check()

    def afterFlowable(self, flowable) -> None:
        room = self.layout.footnotes.take_pending()
        if room:
            # The notes just placed were part of the flowable's height while it was fitted;
            # the flow gets that room back and the frame's bottom rises over the notes.
            self.frame._y += room
            self.frame._y1p += room
        seq = getattr(flowable, "_seq", None)
        if seq is not None:
            self.layout.done = max(self.layout.done, seq)
            self.layout.report(0.15 + 0.8 * self.layout.done / self.layout.total)
