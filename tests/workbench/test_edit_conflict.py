"""Two people saving the same section: the second is told who changed it and when, and keeps
both texts to merge; nothing either typed is written over or lost."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench import documents, sections
from workbench.sections import EditConflict


def test_the_second_save_is_told_who_changed_the_section_and_when(ws, clock):
    doc = documents.create_document(ws, "strategy", "Shared Strategy")
    sid = sections.add_section(ws, doc, heading="Maritime", body="Cutters patrol.")
    opened = sections.section(ws, sid).content_hash  # what both editors started from
    other = ws.for_thread()
    try:
        other.actor = "Avery Lin"
        clock.advance(minutes=42)
        other.clock = clock
        theirs = sections.edit_section(
            other, sid, body="Cutters and aircraft patrol.", expected_hash=opened
        )
    finally:
        other.close()
    clock.advance(minutes=3)
    with pytest.raises(EditConflict) as caught:
        sections.edit_section(ws, sid, body="Cutters patrol at night.", expected_hash=opened)
    conflict = caught.value
    local = dt.datetime(2026, 11, 2, 9, 42, tzinfo=dt.UTC).astimezone()
    assert str(conflict) == f"Avery Lin changed this section at {local:%H:%M} since you opened it."
    assert conflict.theirs == ("Maritime", "Cutters and aircraft patrol.")
    assert conflict.yours == ("Maritime", "Cutters patrol at night.")
    assert conflict.their_hash == theirs
    assert sections.section(ws, sid).body == "Cutters and aircraft patrol."  # nothing written
    merged = "Cutters and aircraft patrol at night."
    sections.edit_section(ws, sid, body=merged, expected_hash=conflict.their_hash)
    assert sections.section(ws, sid).body == merged


def test_a_save_from_the_text_it_started_from_needs_no_merge(ws):
    doc = documents.create_document(ws, "strategy", "Shared Strategy")
    sid = sections.add_section(ws, doc, heading="Air", body="Radar.")
    h = sections.section(ws, sid).content_hash
    h2 = sections.edit_section(ws, sid, body="Radar and balloons.", expected_hash=h)
    sections.edit_section(ws, sid, body="Radar, balloons.", expected_hash=h2)
    # Typing back what is already stored is never a conflict, whatever it started from.
    assert sections.edit_section(ws, sid, body="Radar, balloons.", expected_hash=h)
