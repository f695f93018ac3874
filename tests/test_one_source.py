"""One place for each rule: checked over the source, so a second copy cannot creep back."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("workbench", "ui", "db")


def _sources():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def _hits(pattern: str) -> list[str]:
    rx = re.compile(pattern)
    return [
        str(p.relative_to(ROOT)) for p in _sources() if rx.search(p.read_text(encoding="utf-8"))
    ]


def test_only_documents_py_writes_a_documents_status():
    assert _hits(r"UPDATE documents SET[^\"']*status") == ["workbench/documents.py"]


def test_every_exported_file_goes_through_the_one_atomic_writer():
    # The rename that makes a written file appear whole lives in workbench/files.py; the store's
    # own copies (backups, restores, the demo's fresh file) are SQLite files, not exports.
    allowed = {
        "workbench/files.py",
        "db/connection.py",
        "db/schema.py",  # the expected schemas kept in the app's cache folder, not an export
        "workbench/maintenance/backups.py",
        "workbench/demo.py",
        "workbench/exchange/review.py",  # sets a superseded draft aside, no new content
    }
    assert set(_hits(r"os\.replace\(|\.replace\(out\)|\.rename\(")) <= allowed


def test_the_critical_ground_rule_is_stated_once():
    assert _hits(r"must cite its ground|cites no ground") == ["workbench/coordination/comments.py"]


def test_a_documents_lifecycle_refuses_a_move_it_does_not_know(ws):
    import pytest

    from workbench import documents
    from workbench.errors import RuleViolation

    doc = documents.create_document(ws, "strategy", "Lifecycle")
    assert documents.set_status(ws, doc, "in_coordination")
    assert not documents.set_status(ws, doc, "in_coordination")  # a second request: no move
    with pytest.raises(RuleViolation, match="in coordination cannot become draft"):
        documents.set_status(ws, doc, "draft")
    assert documents.set_status(ws, doc, "published")
    assert not documents.set_status(ws, doc, "in_coordination")  # stays published
    assert documents.set_status(ws, doc, "draft", new_version=True)
    after = documents.document(ws, doc)
    assert (after.status, after.version) == ("draft", 2)
