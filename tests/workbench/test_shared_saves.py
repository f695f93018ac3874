"""Text saves on a shared workspace run side by side: analysts saving different sections do not
queue behind each other's whole transactions, while a second save of the same section, a
structural edit and the audit chain still see one save after another."""

from __future__ import annotations

import threading

import psycopg
import pytest

from workbench import audit, documents, sections
from workbench.maintenance.check import check_workspace
from workbench.sections import EditConflict
from workbench.text_input import UnstorableText
from workbench.workspace import Workspace


@pytest.fixture
def shared(pg_databases, clock):
    url = pg_databases.workspace()
    ws = Workspace.open(url, actor="Avery Lin")
    ws.clock = clock
    yield ws
    ws.close()
    pg_databases.release(url)


class PausedClock:
    """The workspace clock of a save stopped mid-transaction: its first reading (edit_section
    reads the time once its section is locked and checked) waits until `go` is set."""

    def __init__(self, clock):
        self.clock = clock
        self.reached = threading.Event()
        self.go = threading.Event()
        self.first = True

    def __call__(self):
        if self.first:
            self.first = False
            self.reached.set()
            assert self.go.wait(20)
        return self.clock()


class Running:
    """A call on a thread of its own, its result or error kept."""

    def __init__(self, fn, *args, **kwargs):
        self.result = self.error = None
        self.thread = threading.Thread(target=self._run, args=(fn, args, kwargs), daemon=True)
        self.thread.start()

    def _run(self, fn, args, kwargs):
        try:
            self.result = fn(*args, **kwargs)
        except BaseException as exc:  # handed to the test
            self.error = exc

    def done(self, timeout: float) -> bool:
        self.thread.join(timeout)
        return not self.thread.is_alive()


def _document(ws, n=3):
    doc = documents.create_document(ws, "strategy", "Maritime Transit Zone Strategy")
    ids = [sections.add_section(ws, doc, heading=f"Part {i}", body="Draft.") for i in range(n)]
    return doc, ids


def _paused_save(ws, section_id, body):
    """A second analyst's save of `section_id`, stopped with its transaction open."""
    other = ws.for_thread()
    other.actor = "Jordan Reyes"
    paused = PausedClock(ws.clock)
    other.clock = paused
    save = Running(sections.edit_section, other, section_id, body=body)
    assert paused.reached.wait(20)
    return other, paused, save


def test_a_save_of_another_section_does_not_wait_for_one_in_progress(shared):
    ws = shared
    doc, (first, second, _) = _document(ws)
    other, paused, theirs = _paused_save(ws, first, "Cutters patrol the corridor.")
    try:
        mine = Running(sections.edit_section, ws, second, body="Aircraft patrol the coast.")
        assert mine.done(10), "a save of another section waited for the one in progress"
        assert mine.error is None
        assert sections.section(ws, second).body == "Aircraft patrol the coast."
    finally:
        paused.go.set()
        assert theirs.done(20)
        other.close()
    assert theirs.error is None
    assert sections.section(ws, first).body == "Cutters patrol the corridor."
    edits = audit.entries(ws, action_prefix="section.edit")  # newest first: in commit order
    assert [(e.actor, e.entity_id) for e in edits] == [
        ("Jordan Reyes", first),
        ("Avery Lin", second),
    ]
    assert audit.verify_chain(ws) == []
    assert check_workspace(ws.path).ok


def test_a_second_save_of_the_same_section_waits_and_is_told_of_the_first(shared):
    ws = shared
    doc, (sid, _, _) = _document(ws)
    opened = sections.section(ws, sid).content_hash
    other, paused, theirs = _paused_save(ws, sid, "Cutters patrol at night.")
    try:
        mine = Running(
            sections.edit_section, ws, sid, body="Cutters patrol by day.", expected_hash=opened
        )
        assert not mine.done(0.5), "the second save did not wait for the first one's commit"
    finally:
        paused.go.set()
        assert theirs.done(20)
        other.close()
    assert mine.done(20)
    assert theirs.error is None
    assert isinstance(mine.error, EditConflict), mine.error
    assert mine.error.by == "Jordan Reyes"
    assert mine.error.yours == ("Part 0", "Cutters patrol by day.")
    assert sections.section(ws, sid).body == "Cutters patrol at night."  # not written over


def test_a_structural_edit_waits_for_a_text_save_in_progress(shared):
    ws = shared
    doc, (first, second, third) = _document(ws)
    other, paused, theirs = _paused_save(ws, first, "Cutters patrol the corridor.")
    try:
        move = Running(sections.move_section, ws, third, None, 0)
        assert not move.done(0.5), "a move ran beside a text save"
    finally:
        paused.go.set()
        assert theirs.done(20)
        other.close()
    assert move.done(20) and move.error is None and theirs.error is None
    assert [s.id for s in sections.outline(ws, doc)] == [third, first, second]
    assert [e.action for e in audit.entries(ws, limit=2)] == ["section.move", "section.edit"]
    assert audit.verify_chain(ws) == []


HOSTILE = [
    "Café “quoted” — naïve façade, 東京, emoji 🚢, Greek Ω",
    'Back\\slash, "double quotes", \'single\', a "," that looks like a field break',
    "Tab\tnew\nline\r return, \x01\x1f controls, \u2028 line and \u2029 paragraph separators",
    "$$ dollar quotes $$, % percent, ? question, :name, -- comment, /* block */",
]


def test_entries_the_server_chains_hash_exactly_as_the_client_would(shared):
    ws = shared
    doc, ids = _document(ws, len(HOSTILE))
    ws.actor = "Zoë O'Brien-Łukasz"
    for sid, text in zip(ids, HOSTILE, strict=True):
        sections.edit_section(ws, sid, heading=text[:40], body=text)
    edits = audit.entries(ws, action_prefix="section.edit")
    assert len(edits) == len(HOSTILE)
    for entry in edits:
        assert audit.rehashes(ws, entry.id)
    row = ws.db.execute(
        "SELECT prev_hash, at, actor, action, entity, entity_id, details, person_id, "
        "os_account, hash FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert audit._entry_hash(*row[:9]) == row[9]
    assert audit.verify_chain(ws) == []
    head = ws.db.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()[0]
    assert head == audit.head(ws).hash == row[9]
    assert check_workspace(ws.path).ok


def test_text_no_server_can_hold_is_refused_and_the_next_save_works(shared):
    ws = shared
    doc, (sid, _, _) = _document(ws)
    before = audit.head(ws)
    ws.actor = "Ann\x00Other"  # reaches only the audit entry, chained at commit
    with pytest.raises(UnstorableText):
        sections.edit_section(ws, sid, body="Never stored.")
    assert not ws.db.in_transaction
    assert sections.section(ws, sid).body == "Draft."
    assert audit.head(ws) == before
    ws.actor = "Ann Other"
    sections.edit_section(ws, sid, body="Stored.")
    assert sections.section(ws, sid).body == "Stored."
    assert audit.verify_chain(ws) == []


def test_a_refusal_at_commit_keeps_nothing_of_the_save(shared):
    ws = shared
    doc, (sid, _, _) = _document(ws)
    before = audit.head(ws)
    ws.db.execute(
        "CREATE TRIGGER no_touch BEFORE UPDATE OF updated_at ON documents FOR EACH ROW "
        "EXECUTE FUNCTION cne_refuse_change('documents are frozen')"
    )
    with pytest.raises(psycopg.Error, match="documents are frozen"):
        sections.edit_section(ws, sid, body="Never stored.")
    assert not ws.db.in_transaction
    assert sections.section(ws, sid).body == "Draft."
    assert audit.head(ws) == before
    ws.db.execute("DROP TRIGGER no_touch ON documents")
    sections.edit_section(ws, sid, body="Stored.")
    assert sections.section(ws, sid).body == "Stored."
    assert audit.verify_chain(ws) == []
