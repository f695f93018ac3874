"""Text no file can store (a lone surrogate) is refused in one line, and nothing is written."""

from __future__ import annotations

import pytest

from workbench import documents, sections
from workbench.errors import WorkbenchError


@pytest.fixture
def section(ws):
    doc = documents.create_document(ws, "strategy", "Plan")
    return sections.add_section(ws, doc, heading="Purpose", body="Kept text.")


@pytest.mark.parametrize("field", ["heading", "body"])
def test_edit_section_with_a_lone_surrogate_says_so_in_one_line(ws, section, field):
    before = sections.section(ws, section)
    entries = ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(WorkbenchError) as caught:
        sections.edit_section(ws, section, **{field: "Line one\nbroken \udc80 here"})
    message = str(caught.value)
    assert "\n" not in message and "U+DC80" in message and "cannot be stored" in message
    assert "line 2" in message and 'after "broken"' in message
    assert sections.section(ws, section) == before
    assert ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == entries


def test_any_use_case_refuses_unstorable_text_in_one_line(ws):
    with pytest.raises(WorkbenchError) as caught:
        documents.create_document(ws, "strategy", "Title \ud83d half an emoji")
    assert "cannot be stored" in str(caught.value)
    assert not isinstance(caught.value, UnicodeError)
    assert documents.list_documents(ws) == []


def test_a_packet_spelling_half_a_surrogate_pair_is_refused_in_one_line(tmp_path):
    from workbench.exchange.formats import ExchangeError, parse_json

    with pytest.raises(ExchangeError, match="broken character"):
        parse_json(b'{"format": "x", "text": "bad \\ud800 half"}', "review packet")
    # A whole pair written as escapes is an ordinary character.
    assert parse_json(b'{"text": "ok \\ud83d\\ude00"}', "review packet")["text"] == "ok 😀"
