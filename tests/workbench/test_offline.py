"""Take Offline / Bring Back: a check-out with a lease the Director can break."""

from __future__ import annotations

import sqlite3

import pytest

from workbench import audit, directory, documents, offline, sections
from workbench.audit import CheckedOut
from workbench.authority import identity
from workbench.coordination import comments
from workbench.errors import NotFound, RuleViolation, WorkbenchError
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace


@pytest.fixture
def office(ws, council):
    directory.add_person(ws, "Avery Lin", organization="CNE", roles=["analyst"])
    identity.act_as(ws, "Avery Lin")
    doc = documents.create_document(ws, "strategy", "Maritime Strategy")
    a = sections.add_section(ws, doc, heading="Scope", body="Cutters.", equities=["USCG"])
    b = sections.add_section(ws, doc, heading="Air", body="Radar.")
    c = sections.add_section(ws, doc, heading="Ports", body="Screening.", equities=["CBP"])
    cid = comments.add_comment(
        ws, doc, organization_code="USCG", type="S", section_id=a, comment_text="Say cutters."
    )
    other = documents.create_document(ws, "sop", "Outreach SOP")
    return {"doc": doc, "a": a, "b": b, "c": c, "comment": cid, "other": other}


def _outline(ws, doc) -> list[tuple]:
    entries = sections.outline(ws, doc)
    return [(e.depth, e.heading, sections.section(ws, e.id).body) for e in entries]


def test_a_document_taken_offline_is_read_only_here_and_comes_back_changed(ws, office, tmp_path):
    doc = office["doc"]
    out = offline.take_offline(ws, doc, tmp_path / "maritime-offline")
    assert out.holder == "Avery Lin" and out.copy_name == "maritime-offline.cnew"
    assert offline.checkout(ws, doc).describe().startswith("Avery Lin has it offline since ")
    # Here, nobody changes it while it is out, its holder included; other documents are open.
    with pytest.raises(CheckedOut, match="Avery Lin has Maritime Strategy offline"):
        sections.edit_section(ws, office["a"], body="Changed here.")
    with pytest.raises(CheckedOut):
        comments.add_comment(
            ws, doc, organization_code="CBP", type="A", section_id=office["c"], comment_text="x"
        )
    sections.add_section(ws, office["other"], heading="Meanwhile", body="Elsewhere.")
    copy_path = tmp_path / "maritime-offline.cnew"
    with Workspace.open(copy_path) as copy:
        identity.act_as(copy, "Avery Lin")
        assert offline.offline_copy(copy).document_id == doc
        sections.edit_section(copy, office["a"], body="Cutters and aircraft.")
        new = sections.add_section(
            copy, doc, parent_id=office["a"], heading="Night", body="At night.", equities=["ICE"]
        )
        sections.delete_section(copy, office["b"])
        sections.move_section(copy, office["c"], None, 0)
        comments.adjudicate_comment(copy, office["comment"], "accepted")
        comments.add_reply(copy, office["comment"], "Done in §1.")
        comments.add_comment(
            copy, doc, organization_code="USCG", type="A", section_id=new,
            comment_text="Typo in the new section.",
        )  # fmt: skip
        # The copy holds this document only; nothing else can be made in it.
        assert [d.title for d in documents.list_documents(copy)] == ["Maritime Strategy"]
        with pytest.raises(NotFound):
            sections.add_section(copy, office["other"], heading="Lost?", body="No.")
        with pytest.raises(CheckedOut, match="offline copy of Maritime Strategy"):
            documents.create_document(copy, "sop", "Lost?")
        expected = _outline(copy, doc)
    brought = offline.bring_back(ws, copy_path)
    assert brought.summary() == (
        "1 section added, 1 section changed, 1 section moved, 1 section deleted, "
        "1 comment added, 1 disposition, 1 reply"
    )
    assert _outline(ws, doc) == expected
    night = next(e for e in sections.outline(ws, doc) if e.heading == "Night")
    assert night.equities == ("ICE",)
    crm = comments.list_comments(ws, doc)
    assert [c.comment for c in crm] == ["Say cutters.", "Typo in the new section."]
    assert crm[0].disposition == "accepted" and crm[1].section_id == night.id
    assert offline.checkout(ws, doc) is None
    sections.edit_section(ws, office["a"], body="Editable here again.")
    assert check_workspace(ws.path).ok
    with Workspace.open(copy_path, read_only=True) as copy:
        assert offline.offline_copy(copy) is None  # the copy is an ordinary file now
    with pytest.raises(RuleViolation, match="already brought back"):
        offline.bring_back(ws, copy_path)


def test_the_director_breaks_the_lease_and_the_copy_keeps_its_changes(ws, office, tmp_path):
    doc = office["doc"]
    offline.take_offline(ws, doc, tmp_path / "out.cnew", days=3)
    with pytest.raises(RuleViolation, match="already offline: Avery Lin has it"):
        offline.take_offline(ws, doc, tmp_path / "again.cnew")
    with Workspace.open(tmp_path / "out.cnew") as copy:
        identity.act_as(copy, "Avery Lin")
        sections.edit_section(copy, office["a"], body="Typed offline.")
    with pytest.raises(RuleViolation, match="Only the Director"):
        offline.break_lease(ws, doc, "Avery is on leave.")
    identity.act_as(ws, "Dana Reyes")
    with pytest.raises(RuleViolation, match="Only Avery Lin can bring"):
        offline.bring_back(ws, tmp_path / "out.cnew")
    broken = offline.break_lease(ws, doc, "Avery is on leave; the draft is due Friday.")
    assert broken.broken_by == "Dana Reyes" and not broken.open
    sections.edit_section(ws, office["a"], body="Carried on here.")
    identity.act_as(ws, "Avery Lin")
    with pytest.raises(RuleViolation, match="Dana Reyes broke the lease .* stay in out.cnew"):
        offline.bring_back(ws, tmp_path / "out.cnew")
    assert sections.section(ws, office["a"]).body == "Carried on here."
    with Workspace.open(tmp_path / "out.cnew", read_only=True) as copy:
        assert sections.section(copy, office["a"]).body == "Typed offline."  # nothing lost


def test_a_copy_from_elsewhere_or_an_ordinary_file_is_refused(ws, office, tmp_path):
    plain = tmp_path / "plain.cnew"
    Workspace.create(plain).close()
    with pytest.raises(Exception, match="not an offline copy"):
        offline.bring_back(ws, plain)
    with pytest.raises(Exception, match="already exists"):
        offline.take_offline(ws, office["doc"], plain)
    assert offline.checkout(ws, office["doc"]) is None


def test_the_command_line_takes_it_offline_lists_it_and_brings_it_back(
    ws, ws_path, office, tmp_path, capsys
):
    from workbench.cli import main as cli

    ws.close()
    out = tmp_path / "cli-offline.cnew"
    args = ["offline", str(ws_path), "-d", "Maritime", "-o", str(out), "--as", "Avery Lin"]
    assert cli(args) == 0
    assert "is offline in" in capsys.readouterr().out
    assert cli(["offline", str(ws_path)]) == 0
    assert "Maritime Strategy: Avery Lin has it offline since" in capsys.readouterr().out
    assert cli(["bring-back", str(ws_path), str(out), "--as", "Dana Reyes"]) == 1
    assert "Only Avery Lin can bring" in capsys.readouterr().err
    assert cli(["bring-back", str(ws_path), str(out), "--as", "Avery Lin"]) == 0
    assert "Brought back: no changes." in capsys.readouterr().out
    assert cli(["bring-back", str(ws_path), str(out), "--as", "Avery Lin"]) == 1
    err = capsys.readouterr().err
    assert "already brought back" in err and len(err.strip().splitlines()) == 1
    # Out again, and the Director ends it.
    again = tmp_path / "again.cnew"
    assert (
        cli(["offline", str(ws_path), "-d", "Maritime", "-o", str(again), "--as", "Avery Lin"]) == 0
    )
    capsys.readouterr()
    brk = ["break-lease", str(ws_path), "-d", "Maritime", "--reason", "On leave."]
    assert cli([*brk, "--as", "Avery Lin"]) == 1
    assert "Only the Director" in capsys.readouterr().err
    assert cli([*brk, "--as", "Dana Reyes"]) == 0
    assert "held by Avery Lin is broken" in capsys.readouterr().out
    assert cli(["offline", str(ws_path)]) == 0
    assert capsys.readouterr().out == "Nothing is offline.\n"


def _refused_and_nothing_changed(ws, doc, copy_path, match):
    before = (audit.head(ws), _outline(ws, doc), offline.checkout(ws, doc))
    with pytest.raises(WorkbenchError, match=match) as refused:
        offline.bring_back(ws, copy_path)
    assert "\n" not in str(refused.value)
    assert (audit.head(ws), _outline(ws, doc), offline.checkout(ws, doc)) == before


def _typed_offline(copy_path, section_id, body):
    with Workspace.open(copy_path) as copy:
        identity.act_as(copy, "Avery Lin")
        sections.edit_section(copy, section_id, body=body)


def _around_the_app(path, *statements):
    """Change a workspace file as a database tool can: its guarding triggers dropped, the
    change made, the triggers put back (so the file's schema is as the app left it)."""
    raw = sqlite3.connect(path)
    triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        raw.execute(f'DROP TRIGGER "{name}"')
    for sql in statements:
        raw.execute(sql)
    for _, create in triggers:
        raw.execute(create)
    raw.commit()
    raw.close()


def _rechain(path):
    """Recompute every entry's hash and the head, as anyone holding the file can."""
    raw = sqlite3.connect(path)
    raw.row_factory = sqlite3.Row
    prev, rows = audit.GENESIS, raw.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
    fixed = []
    for r in rows:
        digest = audit._entry_hash(
            prev, r["at"], r["actor"], r["action"], r["entity"], r["entity_id"], r["details"],
            r["person_id"], r["os_account"],
        )  # fmt: skip
        fixed.append((prev, digest, r["id"]))
        prev = digest
    sql = [
        f"UPDATE audit_log SET prev_hash = '{p}', hash = '{h}' WHERE id = {i}" for p, h, i in fixed
    ]
    raw.close()
    _around_the_app(path, *sql, f"UPDATE meta SET value = '{prev}' WHERE key = 'audit_head'")


def test_a_tampered_copy_is_refused_in_one_line_and_changes_nothing(ws, office, tmp_path):
    doc = office["doc"]
    offline.take_offline(ws, doc, tmp_path / "out.cnew")
    _typed_offline(tmp_path / "out.cnew", office["a"], "Typed offline.")
    pristine = (tmp_path / "out.cnew").read_bytes()
    # Text changed with a database tool, around the app: its recorded hash no longer agrees.
    _around_the_app(
        tmp_path / "out.cnew", f"UPDATE sections SET body = 'Forged.' WHERE id = {office['b']}"
    )
    _refused_and_nothing_changed(ws, doc, tmp_path / "out.cnew", "altered outside CNE Workbench")
    # An audit entry rewritten (a change hidden from the log).
    (tmp_path / "out.cnew").write_bytes(pristine)
    _around_the_app(
        tmp_path / "out.cnew",
        "UPDATE audit_log SET actor = 'Someone Else' WHERE id = (SELECT max(id) FROM audit_log)",
    )
    _refused_and_nothing_changed(ws, doc, tmp_path / "out.cnew", "was altered")
    # A consistent log, recomputed, that does not continue the one the copy was taken from.
    (tmp_path / "out.cnew").write_bytes(pristine)
    _around_the_app(tmp_path / "out.cnew", "DELETE FROM audit_log WHERE id = 1")
    _rechain(tmp_path / "out.cnew")
    with Workspace.open(tmp_path / "out.cnew", read_only=True) as forged:
        assert audit.verify_chain(forged) == []  # it holds together by itself
    _refused_and_nothing_changed(
        ws, doc, tmp_path / "out.cnew", "does not continue the log it was taken from"
    )
    # Not a workspace at all.
    (tmp_path / "junk.cnew").write_bytes(b"PK\x03\x04 not a workspace")
    _refused_and_nothing_changed(ws, doc, tmp_path / "junk.cnew", "cannot be read")
    # The copy as the app left it still comes back.
    (tmp_path / "out.cnew").write_bytes(pristine)
    assert offline.bring_back(ws, tmp_path / "out.cnew").summary() == "1 section changed"
    assert sections.section(ws, office["a"]).body == "Typed offline."


def test_a_copy_brought_back_twice_or_from_another_workspace_is_refused(ws, office, tmp_path):
    import shutil

    doc = office["doc"]
    offline.take_offline(ws, doc, tmp_path / "out.cnew")
    _typed_offline(tmp_path / "out.cnew", office["a"], "First pass.")
    shutil.copy(tmp_path / "out.cnew", tmp_path / "duplicate.cnew")
    offline.bring_back(ws, tmp_path / "out.cnew")
    _refused_and_nothing_changed(ws, doc, tmp_path / "out.cnew", "already brought back")
    _refused_and_nothing_changed(ws, doc, tmp_path / "duplicate.cnew", "already brought back")
    # The same document, taken offline from another workspace by the same person.
    other = Workspace.create(tmp_path / "elsewhere.cnew", actor="analyst.one")
    directory.add_person(other, "Avery Lin", organization="CNE", roles=["analyst"])
    identity.act_as(other, "Avery Lin")
    theirs = documents.create_document(other, "strategy", "Maritime Strategy")
    sections.add_section(other, theirs, heading="Scope", body="Elsewhere.")
    offline.take_offline(other, theirs, tmp_path / "theirs.cnew")
    other.close()
    _refused_and_nothing_changed(
        ws, doc, tmp_path / "theirs.cnew", r"taken offline from another workspace \(.*elsewhere"
    )


def test_the_lease_break_is_the_directors_signed_decision(ws, office, tmp_path):
    from workbench.authority import decisions

    doc = office["doc"]
    offline.take_offline(ws, doc, tmp_path / "out.cnew", days=3)
    with pytest.raises(
        CheckedOut,
        match=r"\(since \d\d \w\w\w 2\d\d\d \d\d:\d\d UTC, lease until \d\d \w\w\w 2\d\d\d\)",
    ):
        sections.edit_section(ws, office["a"], body="x")
    identity.act_as(ws, "Dana Reyes")
    with pytest.raises(WorkbenchError, match="Say why"):
        offline.break_lease(ws, doc, "  ")
    broken = offline.break_lease(ws, doc, "Avery is on leave.")
    decided = offline.break_decision(ws, broken)
    assert decided is not None and decided.kind == "break_lease" and decided.counts
    assert decided.by_name == "Dana Reyes" and decided.reason == "Avery is on leave."
    assert [d.label for d in decisions.decisions(ws, doc)] == ["Offline lease broken"]
    with pytest.raises(RuleViolation, match="is not offline"):
        offline.break_lease(ws, doc, "Again.")


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_check_out_the_shared_store_fails_to_save_leaves_no_offline_copy(
    ws, office, tmp_path, monkeypatch
):
    import contextlib

    doc = office["doc"]
    folder = tmp_path / "laptop"
    folder.mkdir()
    before = audit.head(ws)
    real_atomic = ws.db.atomic

    @contextlib.contextmanager
    def commit_fails():
        outermost = not ws.db.in_transaction
        with real_atomic():
            yield ws.db
            if outermost:
                # The copy is written by now; the store's own save is what fails.
                assert (folder / "out.cnew").exists()
                raise OSError(28, "No space left on device")

    monkeypatch.setattr(ws.db, "atomic", commit_fails)
    with pytest.raises(Exception, match="No space left|disk is full|full"):
        offline.take_offline(ws, doc, folder / "out.cnew")
    monkeypatch.undo()
    assert _leftovers(folder) == []  # no copy that could never come back
    assert offline.checkout(ws, doc) is None and audit.head(ws) == before
    # Nothing half-done: the same check-out succeeds afterwards, into the same name.
    assert offline.take_offline(ws, doc, folder / "out.cnew").copy_name == "out.cnew"
    assert (folder / "out.cnew").exists()


def test_a_check_out_that_fails_after_writing_its_copy_removes_it(
    ws, office, tmp_path, monkeypatch
):
    doc = office["doc"]
    folder = tmp_path / "laptop"
    folder.mkdir()
    real_mark = offline._mark_copy

    def marked_then_fails(dest, token, source):
        real_mark(dest, token, source)
        raise WorkbenchError("The removable drive was pulled out.")

    monkeypatch.setattr(offline, "_mark_copy", marked_then_fails)
    with pytest.raises(WorkbenchError, match="drive was pulled out"):
        offline.take_offline(ws, doc, folder / "out.cnew")
    assert _leftovers(folder) == [] and offline.checkout(ws, doc) is None
    # A file already there is never touched, even by a failing check-out.
    (folder / "mine.cnew").write_bytes(b"someone's own file")
    with pytest.raises(WorkbenchError, match="already exists"):
        offline.take_offline(ws, doc, folder / "mine.cnew")
    assert (folder / "mine.cnew").read_bytes() == b"someone's own file"


def test_an_expired_lease_says_so_everywhere_it_is_named(
    ws, office, tmp_path, clock, capsys, monkeypatch
):
    doc = office["doc"]
    with pytest.raises(WorkbenchError, match="from 1 to 90 days"):
        offline.take_offline(ws, doc, tmp_path / "long.cnew", days=91)
    assert not (tmp_path / "long.cnew").exists()
    offline.take_offline(ws, doc, tmp_path / "out.cnew", days=2)
    out = offline.checkout(ws, doc)
    assert out.lease_until == "2026-11-04T09:00:00Z" and not out.overdue(clock())
    assert out.describe(clock()) == out.describe()  # within the lease: who and until when
    clock.advance(days=2, seconds=1)
    assert out.overdue(clock())
    assert out.describe(clock()) == (
        "checked out to Avery Lin since 02 Nov 09:00 — lease expired on 04 Nov 2026"
    )
    with pytest.raises(CheckedOut, match=r"since 02 Nov 2026 09:00 UTC, lease expired on 04 Nov"):
        sections.edit_section(ws, office["a"], body="x")
    with pytest.raises(RuleViolation, match="already offline: checked out to Avery Lin since"):
        offline.take_offline(ws, doc, tmp_path / "again.cnew")
    # The command line lists it the same way (on the same day).
    import workbench.cli as cli_module
    from workbench.cli import main as cli

    opened = cli_module.open_workspace

    def on_the_same_day(path, **kw):
        workspace = opened(path, **kw)
        workspace.clock = clock
        return workspace

    monkeypatch.setattr(cli_module, "open_workspace", on_the_same_day)
    assert cli(["offline", str(ws.path)]) == 0
    said = capsys.readouterr().out
    assert said == (
        "Maritime Strategy: checked out to Avery Lin since 02 Nov 09:00 — lease expired on "
        "04 Nov 2026, copy out.cnew\n"
    )


def test_figures_cross_references_wording_marks_exports_and_words_come_back(ws, office, tmp_path):
    from tests.workbench.test_figures import png_bytes
    from workbench import exports, figures, spelling
    from workbench.markdown_model import figure_markdown

    doc = office["doc"]
    wording = comments.add_comment(
        ws, doc, organization_code="USCG", type="S", section_id=office["b"],
        comment_text="Name the radar.", quoted_passage="Radar.",
        proposed_wording="Over-the-horizon radar.",
    )  # fmt: skip
    offline.take_offline(ws, doc, tmp_path / "out.cnew")
    # Meanwhile here, another document takes the ids the copy will give its new rows.
    sections.add_section(ws, office["other"], heading="Taken here", body="Meanwhile.")
    other_figure = figures.add_figure(ws, office["other"], png_bytes(color="blue"), alt="Blue")
    with Workspace.open(tmp_path / "out.cnew") as copy:
        identity.act_as(copy, "Avery Lin")
        chart = figures.add_figure(
            copy, doc, png_bytes(color="red"), alt="Seizures by month", caption="Seizures"
        )
        assert chart == other_figure  # the same id, a different image
        annex = sections.add_section(copy, doc, heading="Annex", body="Tables.")
        summary = sections.add_section(
            copy, doc, heading="Summary",
            body=f"See [§](section:{annex}).\n\n{figure_markdown(chart, 'Seizures', '')}",
        )  # fmt: skip
        comments.adjudicate_comment(copy, wording, "accepted")
        comments.apply_proposed_wording(copy, wording)
        spelling.add_word(copy, "Semisubmersible")
        pdf = exports.export_pdf(copy, doc)
    brought = offline.bring_back(ws, tmp_path / "out.cnew")
    assert brought.summary() == (
        "2 sections added, 1 section changed, 1 figure added, 1 disposition, "
        "1 wording marked applied, 1 export recorded, 1 dictionary change"
    )
    here = {e.heading: e.id for e in sections.outline(ws, doc)}
    assert here["Annex"] != annex and here["Summary"] != summary  # ids taken here meanwhile
    stored = figures.list_figures(ws, doc)
    assert [f.alt for f in stored] == ["Seizures by month"] and stored[0].id != chart
    assert figures.figure_bytes(ws, stored[0].id) == png_bytes(color="red")
    assert figures.figure_bytes(ws, other_figure) == png_bytes(color="blue")  # untouched
    body = sections.section(ws, here["Summary"]).body
    assert f"(section:{here['Annex']})" in body and f"(figure:{stored[0].id} " in body
    crm = {c.id: c for c in comments.list_comments(ws, doc)}
    assert crm[wording].wording_applied_at is not None and crm[wording].disposition == "accepted"
    assert sections.section(ws, office["b"]).body == "Over-the-horizon radar."
    assert "Semisubmersible" in spelling.own_words(ws)
    (export,) = audit.entries(ws, action_prefix="document.offline_export")
    assert export.details["export"] == "document.export_pdf"
    assert export.details["reported"]["sha256"] == pdf.sha256
    assert export.details["offline_copy"] == "out.cnew"
    # Reported by the copy, not made here: never a fingerprint verify-pdf trusts.
    assert not audit.entries(ws, action_prefix="document.export_")
    assert check_workspace(ws.path).ok


def test_what_cannot_come_back_refuses_the_whole_copy_naming_it(ws, office, tmp_path):
    doc = office["doc"]
    offline.take_offline(ws, doc, tmp_path / "out.cnew")
    _typed_offline(tmp_path / "out.cnew", office["a"], "Typed offline.")
    # A change no use-case brings back (made around the app, where the log does not hold
    # it: a comment's own words would be refused as altered, its location is not recorded).
    _around_the_app(
        tmp_path / "out.cnew",
        f"UPDATE comments SET location_detail = 'p. 4' WHERE id = {office['comment']}",
    )
    _refused_and_nothing_changed(
        ws, doc, tmp_path / "out.cnew",
        r"holds changes that cannot be brought back \(comment 1's location detail\); nothing was "
        r"brought back, and they stay in the copy",
    )  # fmt: skip
    assert sections.section(ws, office["a"]).body == "Cutters."


def test_comments_on_sections_deleted_offline_and_forward_references_come_back(
    ws, office, tmp_path
):
    doc = office["doc"]
    offline.take_offline(ws, doc, tmp_path / "out.cnew")
    sections.add_section(ws, office["other"], heading="Taken here", body="Meanwhile.")
    with Workspace.open(tmp_path / "out.cnew") as copy:
        identity.act_as(copy, "Avery Lin")
        # A section added offline, commented on, then deleted again.
        draft = sections.add_section(copy, doc, heading="Draft annex", body="Rough.")
        comments.add_comment(
            copy, doc, organization_code="USCG", type="A", section_id=draft,
            comment_text="Drop this annex.",
        )  # fmt: skip
        sections.delete_section(copy, draft)
        # An existing section commented on, then deleted.
        on_air = comments.add_comment(
            copy, doc, organization_code="CBP", type="S", section_id=office["b"],
            comment_text="Air belongs elsewhere.",
        )  # fmt: skip
        comments.adjudicate_comment(copy, on_air, "accepted")
        sections.delete_section(copy, office["b"])
        # A new section that refers to one added after it.
        first = sections.add_section(copy, doc, heading="First", body="Later.")
        second = sections.add_section(copy, doc, heading="Second", body="Text.")
        sections.edit_section(copy, first, body=f"See [§](section:{second}).")
        expected = _outline(copy, doc)
    brought = offline.bring_back(ws, tmp_path / "out.cnew")
    assert "2 sections deleted" in brought.summary() and "2 comments added" in brought.summary()
    here = {e.heading: e.id for e in sections.outline(ws, doc)}
    assert sections.section(ws, here["First"]).body == f"See [§](section:{here['Second']})."
    assert [(d, h) for d, h, _ in _outline(ws, doc)] == [(d, h) for d, h, _ in expected]
    crm = {c.comment: c for c in comments.list_comments(ws, doc)}
    placed = crm["Drop this annex."].section_id
    assert placed is not None and placed != draft  # its own section here, deleted as offline
    row = next(ws.db.query("SELECT heading, deleted_at FROM sections WHERE id = ?", [placed]))
    assert row["heading"] == "Draft annex" and row["deleted_at"] is not None
    assert crm["Air belongs elsewhere."].section_id == office["b"]
    assert crm["Air belongs elsewhere."].disposition == "accepted"
    assert check_workspace(ws.path).ok


def _count(store, sql: str, params=()) -> int:
    return next(store.query(sql, list(params)))["n"]


def test_the_copy_holds_only_its_document_and_check_passes_on_it(ws, tmp_path):
    """Take Offline copies one document, its coordination record and what it refers to; the
    copy's audit log is its own chain, rooted in a signed statement of the shared head, quoting
    the shared log's entries about that document only; `check` verifies it."""
    from workbench import demo, offline_log

    ids = demo.build_demo(ws)
    directory.add_person(ws, "Avery Lin", organization="CNE", roles=["analyst"])
    identity.act_as(ws, "Avery Lin")
    sql = {
        "sections": "SELECT count(*) AS n FROM sections WHERE document_id = ?",
        "comments": "SELECT count(*) AS n FROM comments WHERE document_id = ?",
        "positions": "SELECT count(*) AS n FROM positions WHERE document_id = ?",
        "review_requests": "SELECT count(*) AS n FROM review_requests WHERE document_id = ?",
        "publications": "SELECT count(*) AS n FROM publications WHERE document_id = ?",
        "section_revisions": "SELECT count(*) AS n FROM section_revisions r JOIN sections s "
        "ON s.id = r.section_id WHERE s.document_id = ?",
    }
    coordinated = 0
    titles = {d.id: d.title for d in documents.list_documents(ws)}
    for key, doc in sorted(ids.items()):
        path = tmp_path / f"{key}.cnew"
        offline.take_offline(ws, doc, path)
        head = audit.head(ws)
        mine = offline_log.document_entries(ws, doc)
        with Workspace.open(path, read_only=True) as copy:
            # Its log: the root (the shared head, signed), then this document's entries only.
            log = list(copy.db.query("SELECT action, details FROM audit_log ORDER BY id"))
            assert log[0]["action"] == offline_log.ROOT_ACTION
            root = offline_log.root_statement(copy.db)
            assert root["base"] == head.as_dict() and root["quoted"] == len(mine) == len(log) - 1
            assert root["signed_head"]["hash"] == head.hash
            assert [e["action"] for e in log[1:]] == [e["action"] for e in mine]
            text = " ".join(e["details"] for e in log)
            assert not [t for d, t in titles.items() if d != doc and t in text], key
            assert [d.id for d in documents.list_documents(copy)] == [doc], key
            for table, query in sql.items():
                here, there = _count(ws.db, query, [doc]), _count(copy.db, query, [doc])
                assert there == here, (key, table)
                total = _count(copy.db, f"SELECT count(*) AS n FROM {table}")
                assert total == there, (key, table)  # nothing of another document
            coordinated += _count(copy.db, sql["comments"], [doc]) > 0
        report = check_workspace(path)
        assert report.ok, (key, report.lines())
        assert report.head.entries == len(mine) + 1 and report.scope == doc
        assert f"scope         an offline copy of document {doc}:" in report.lines()[-1]
        # Nothing changed offline: it comes back as it went, and the shared log still checks.
        assert offline.bring_back(ws, path).summary() == "no changes"
        assert check_workspace(path).ok  # brought back, it is still a sound copy
    assert coordinated >= 2  # documents with a comment resolution matrix were among them
    assert check_workspace(ws.path).ok


@pytest.mark.sqlite_only
def test_check_excuses_only_the_other_documents_rows_of_a_whole_log_copy(ws, office, tmp_path):
    """A copy taken before copies had their own log carries the whole log but only its
    document's rows: check does not call the other documents' rows missing from it."""
    import shutil

    from workbench import offline_scope
    from workbench.maintenance import copying

    elsewhere = sections.add_section(ws, office["other"], heading="Scope", body="Outreach.")
    theirs = comments.add_comment(
        ws, office["other"], organization_code="CBP", type="A", section_id=elsewhere,
        comment_text="Name the sheriffs.",
    )  # fmt: skip
    offline.take_offline(ws, office["doc"], tmp_path / "own.cnew")
    token = next(ws.db.query("SELECT token FROM checkouts"))["token"]
    path = tmp_path / "out.cnew"
    copying.copy_to_file(ws, path, only=offline_scope.selection(ws.db, office["doc"]))
    offline._mark_copy(path, token, str(ws.path))
    ws.close()
    pristine = path.read_bytes()
    # The whole-log copy lacks the other document's comment the log records: sound.
    assert check_workspace(path).ok
    # A comment cut from a workspace is missing, as ever (the file is no copy).
    shutil.copy(ws.path, tmp_path / "cut.cnew")
    _around_the_app(tmp_path / "cut.cnew", f"DELETE FROM comments WHERE id = {theirs}")
    found = check_workspace(tmp_path / "cut.cnew").lines()
    assert any(f"Comment {theirs}, recorded in the audit log, is missing" in m for m in found)
    # In the copy, one of its own document's comments cut is missing too.
    _around_the_app(path, f"DELETE FROM comments WHERE id = {office['comment']}")
    found = check_workspace(path).lines()
    assert any(f"Comment {office['comment']}, recorded" in m for m in found), found
    assert not any(f"Comment {theirs}," in m for m in found)
    # A copy whose meta names no check-out its log records is judged as a whole workspace.
    path.write_bytes(pristine)
    _around_the_app(path, "UPDATE meta SET value = 'forged' WHERE key = 'offline_copy'")
    found = check_workspace(path).lines()
    assert any(f"Comment {theirs}, recorded in the audit log, is missing" in m for m in found)
    # The copy Take Offline writes now has no other document's entries to excuse.
    assert check_workspace(tmp_path / "own.cnew").ok
    _around_the_app(tmp_path / "own.cnew", f"DELETE FROM comments WHERE id = {office['comment']}")
    found = check_workspace(tmp_path / "own.cnew").lines()
    assert any(f"Comment {office['comment']}, recorded" in m for m in found), found


def test_rows_of_other_documents_that_the_document_refers_to_go_with_it(ws, office, tmp_path):
    from workbench import studies

    doc, other = office["doc"], office["other"]
    bcsc = studies.add_study(ws, "Bulk cash smuggling trends", "ICE", status="completed")
    theirs = studies.add_study(ws, "Outreach survey", "CBP", document_id=other)
    studies.record_consultation(
        ws, doc, consulted=True, whom="BCSC analysts", outcome="Shared their findings.",
        related_study_id=bcsc, related_document_id=other,
    )  # fmt: skip
    studies.record_consultation(
        ws, doc, consulted=False, outcome="Not asked.", related_study_id=theirs
    )
    sections.add_section(ws, other, heading="Scope", body="Outreach.")
    offline.take_offline(ws, doc, tmp_path / "out.cnew")
    with Workspace.open(tmp_path / "out.cnew", read_only=True) as copy:
        # The document it refers to is there as a row (no text of its own), as are the studies.
        assert sorted(d.id for d in documents.list_documents(copy)) == sorted([doc, other])
        assert _count(copy.db, "SELECT count(*) AS n FROM sections WHERE document_id = ?",
                      [other]) == 0  # fmt: skip
        assert {s.id for s in studies.list_studies(copy)} == {bcsc, theirs}
        assert len(studies.consultations(copy, doc)) == 2
    assert check_workspace(tmp_path / "out.cnew").ok
    assert offline.bring_back(ws, tmp_path / "out.cnew").summary() == "no changes"
