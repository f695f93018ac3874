"""Footnotes at the foot of the page that cites them, numbered through the document.

A paragraph that cites a note carries the note's own TextBlock. While it is being fitted, its
height includes the room the note needs at the page foot; once it is drawn the note joins
the page's list, and the document template gives the room back to the flow and raises the
frame's bottom instead (WorkbenchDoc.afterFlowable), so text never runs into the notes. At
the page's end the notes are drawn under a short rule. Notes too long for a page foot (more
than MAX_FOOT_SHARE of the frame) are set under their paragraph instead, never dropped.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from workbench.pdf import styles as st

SEPARATOR = 10.0  # the rule and the gap above a page's first note
MAX_FOOT_SHARE = 0.45
RULE_WIDTH = 144.0


class FootNotes:
    """The notes waiting for the current page's foot and the room they take there."""

    def __init__(self, width: float, frame_height: float):
        self.width, self.frame_height = width, frame_height
        self.page: list = []
        self.used = 0.0  # points kept clear at this page's foot
        self.pending = 0.0  # kept by the flowable just drawn: returned to the flow after it

    def height_of(self, note) -> float:
        return note.wrap(self.width, self.frame_height)[1]

    def reserve(self, notes) -> tuple[float, bool]:
        """(room the notes need, whether at the page foot) if placed on this page now."""
        height = sum(self.height_of(n) for n in notes)
        separator = 0.0 if self.page else SEPARATOR
        if self.used + height + separator > self.frame_height * MAX_FOOT_SHARE:
            return height, False
        return height + separator, True

    def place(self, notes, room: float) -> None:
        self.page.extend(notes)
        self.used += room
        self.pending += room

    def take_pending(self) -> float:
        room, self.pending = self.pending, 0.0
        return room

    def new_page(self) -> None:
        self.page, self.used, self.pending = [], 0.0, 0.0

    def draw_page(self, canv, x: float, bottom: float) -> None:
        """The page's notes, in citation order, above `bottom` (the frame's bottom edge)."""
        if not self.page:
            return
        top = bottom + self.used
        canv.saveState()
        canv.setStrokeColor(st.RULE)
        canv.setLineWidth(0.5)
        canv.line(x, top - 3, x + min(self.width * 0.3, RULE_WIDTH), top - 3)
        canv.restoreState()
        self.draw_notes(canv, self.page, x, top - SEPARATOR)
        self.page = []

    def draw_notes(self, canv, notes, x: float, top: float) -> None:
        y = top
        for note in notes:
            y -= self.height_of(note)
            note.drawOn(canv, x, y)


class NoteAnchor(Flowable):
    """The notes cited where a note cannot be carried (a table cell): placed after it."""

    def __init__(self, notes, footnotes: FootNotes):
        super().__init__()
        self.notes, self.footnotes = list(notes), footnotes
        self.at_foot = True

    def wrap(self, aw, ah):
        self.width = aw
        self.height, self.at_foot = self.footnotes.reserve(self.notes)
        return aw, self.height

    def draw(self):
        if self.at_foot:
            self.footnotes.place(self.notes, self.height)
        else:
            self.footnotes.draw_notes(self.canv, self.notes, 0, self.height)
