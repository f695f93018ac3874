"""`workbench check`: each kind of damage is found, named, and makes the command fail."""

from __future__ import annotations

import pytest
from helpers import digest, populate, raw

from workbench import sections
from workbench.cli import main as cli
from workbench.maintenance.check import check_workspace


@pytest.fixture
def closed(ws, ws_path):
    ids = populate(ws)
    ws.close()
    return ws_path, ids


def test_a_sound_workspace_passes_every_check(closed, capsys):
    path, _ = closed
    before = digest(path)
    report = check_workspace(path)
    assert report.ok, report.findings
    assert report.ran == (
        "file",
        "integrity",
        "schema",
        "foreign keys",
        "search index",
        "audit chain",
        "audit replay",
        "figures",
    )
    assert cli(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "no problems found" in out and "FAULT" not in out
    assert digest(path) == before  # checking never writes


def test_editing_a_past_audit_entry_by_hand_is_detected(closed, capsys):
    path, _ = closed
    conn = raw(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'someone.else' WHERE action = 'comment.add'")
    conn.commit()
    conn.close()
    report = check_workspace(path)
    assert report.problems("audit chain") and "was altered" in report.problems("audit chain")[0]
    assert cli(["check", str(path)]) == 1
    assert "audit chain   FAULT" in capsys.readouterr().out


@pytest.mark.parametrize("which", ["middle", "newest"])
def test_deleting_an_audit_entry_by_hand_is_detected(closed, which):
    path, _ = closed
    conn = raw(path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    pick = "(SELECT max(id) FROM audit_log)" if which == "newest" else "3"
    conn.execute(f"DELETE FROM audit_log WHERE id = {pick}")
    conn.commit()
    conn.close()
    problems = check_workspace(path).problems("audit chain")
    expected = "ends early" if which == "newest" else "does not follow"
    assert any(expected in p for p in problems), problems


def test_a_search_index_out_of_step_with_the_text_is_detected(closed):
    path, ids = closed
    conn = raw(path)
    conn.execute("DROP TRIGGER sections_search_au")
    conn.execute(
        "UPDATE sections SET body = 'Rewritten behind the index' WHERE id = ?", [ids["s1"]]
    )
    conn.commit()
    conn.close()
    problems = check_workspace(path).problems("search index")
    assert problems and "sections_fts" in problems[0]


def test_a_broken_reference_is_detected(closed):
    path, _ = closed
    conn = raw(path)  # foreign keys are off on a plain connection
    conn.execute("INSERT INTO section_equities (section_id, organization_id) VALUES (99999, 1)")
    conn.commit()
    conn.close()
    problems = check_workspace(path).problems("foreign keys")
    assert problems == ["A section_equities row refers to a sections row that does not exist."]


def test_overwritten_pages_are_detected_and_the_check_does_not_crash(ws, ws_path, capsys):
    doc = populate(ws)["doc"]
    for n in range(40):
        sections.add_section(ws, doc, heading=f"Annex {n}", body="Port of entry. " * 400)
    ws.close()
    data = bytearray(ws_path.read_bytes())
    page = 4096
    # Scribble over the middle pages' b-tree headers, leaving the file's header intact.
    for p in range(len(data) // page // 3, len(data) // page // 3 + 6):
        data[p * page : p * page + 16] = b"\xff" * 16
    ws_path.write_bytes(bytes(data))
    report = check_workspace(ws_path)
    assert not report.ok
    assert cli(["check", str(ws_path)]) == 1
    out = capsys.readouterr()
    assert "is damaged" in out.out and "Traceback" not in out.err


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "empty"),
        (b"Minutes of the council\n", "not a database"),
        (b"SQLite format 3\x00" + b"\x00" * 80, "truncated"),
    ],
)
def test_a_file_that_is_not_a_workspace_fails_the_check_with_one_line(
    tmp_path, capsys, content, expected
):
    path = tmp_path / "x.cnew"
    path.write_bytes(content)
    report = check_workspace(path)
    assert [f.check for f in report.findings] == ["file"]
    assert expected in report.findings[0].message
    assert cli(["check", str(path)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_check_reports_json(closed, capsys):
    import json

    path, _ = closed
    assert cli(["check", "--json", "--quick", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["quick"] is True and data["findings"] == []
