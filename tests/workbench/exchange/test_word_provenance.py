"""A returned Word file that claims a request is held to what CNE sent in it, like a response file.

Each test is an attack someone holding the review copy could try: text CNE never sent, a
section never sent, dates outside the request's life, an answer to a version already
published, a copy of another workspace. Each is refused, in one line, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from word_fixture import build

from workbench import directory, sections
from workbench.authority.identity import acting_as
from workbench.cli import main as cli
from workbench.coordination import comments as cm
from workbench.coordination import requests as rq
from workbench.coordination.positions import record_position
from workbench.coordination.publication import publish
from workbench.exchange.formats import ExchangeError
from workbench.exchange.word_response import build_preview, import_word_response

RETURNED = Path(__file__).resolve().parents[2] / "fixtures" / "word" / "returned_review_copy.docx"


@pytest.fixture
def sent(ws):
    return build(ws)


def _edited(tmp_path, part: str, old: str, new: str) -> Path:
    """The returned copy with one XML part edited as someone holding it would."""
    out = tmp_path / "edited.docx"
    with zipfile.ZipFile(RETURNED) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                text = data.decode("utf-8")
                assert old in text, f"{old!r} not in {part}"
                data = text.replace(old, new).encode("utf-8")
            dst.writestr(info, data)
    return out


def _refused(ws, path, match) -> None:
    with pytest.raises(ExchangeError, match=match):
        build_preview(ws, path)
    with pytest.raises(ExchangeError, match=match):
        import_word_response(ws, path)
    assert cm.list_comments(ws, 1) == []


def test_the_untouched_copy_is_accepted(ws, sent):
    assert len(build_preview(ws, RETURNED).items) == 10


def test_text_cne_never_sent_is_refused(ws, sent, tmp_path):
    # The bookmark names a revision of §2 that was never sent in this request.
    sections.edit_section(ws, sent.maritime, body="SPSS vessels travel at night.")
    newer = max(r["id"] for r in ws.db.query("SELECT id FROM section_revisions"))
    newer = newer if newer != sent.revisions[sent.maritime] else newer + 1
    forged = _edited(tmp_path, "word/document.xml", "cne_s2_r2", f"cne_s2_r{newer}")
    _refused(ws, forged, r"holds text for §2 that CNE never sent in request 1")


def test_a_section_never_sent_is_refused(ws, sent, tmp_path):
    from workbench.revisions import ensure_section_revision

    extra = sections.add_section(ws, sent.doc, heading="Budget", body="Two cutters.")
    rev = ensure_section_revision(ws, extra)
    forged = _edited(tmp_path, "word/document.xml", "cne_s3_r3", f"cne_s{extra}_r{rev}")
    _refused(ws, forged, r"comments on §4, which CNE did not send in request 1")


def test_a_comment_dated_after_today_is_refused(ws, sent, tmp_path):
    forged = _edited(
        tmp_path,
        "word/comments.xml",
        'w:date="2026-11-06T09:10:00Z"',
        'w:date="2999-01-01T00:00:00Z"',
    )
    _refused(ws, forged, r"dated 2999-01-01, outside the life of request 1")


def test_a_copy_dated_before_the_request_was_sent_is_refused(ws, sent, tmp_path):
    forged = _edited(
        tmp_path,
        "word/comments.xml",
        'w:date="2026-11-06T09:10:00Z"',
        'w:date="2026-10-01T09:10:00Z"',
    )
    _refused(ws, forged, r"dated 2026-10-01, outside the life of request 1 \(sent 2026-11-02")


def test_a_copy_answering_a_published_version_is_refused(ws, sent, clock):
    directory.add_person(ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"])
    record_position(ws, sent.doc, "USCG", "concur", by_name="Lt. Cmdr. Ana Ruiz", request_id=1)
    cbp = rq.create_request(ws, sent.doc, "CBP", send=True)
    record_position(ws, sent.doc, "CBP", "concur", by_name="Pat Moreno", request_id=cbp)
    with acting_as(ws, "Dana Reyes"):
        publish(ws, sent.doc)
    _refused(ws, RETURNED, r"Version 1 of this document was already published")


def test_the_command_line_refuses_in_one_line(ws, ws_path, sent, tmp_path, capsys):
    forged = _edited(
        tmp_path,
        "word/comments.xml",
        'w:date="2026-11-06T09:10:00Z"',
        'w:date="2999-01-01T00:00:00Z"',
    )
    assert cli(["import-response", str(ws_path), str(forged), "--dry-run"]) == 1
    err = capsys.readouterr().err.strip()
    assert "outside the life of request 1" in err and "\n" not in err


def test_dates_within_a_days_slack_are_accepted(ws, sent):
    ws.clock.now = dt.datetime(2026, 11, 5, 12, 0, tzinfo=dt.UTC)  # the comments: 11-06 morning
    assert len(build_preview(ws, RETURNED).items) == 10
