"""The coordination commands end to end: route, requests, status, publish, crm."""

import csv
import json

import openpyxl
import pytest

import main
from workbench import demo


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return demo.write_demo(tmp_path_factory.mktemp("cli") / "demo.cnew")


@pytest.fixture
def path(demo_file, tmp_path):
    copy = tmp_path / "demo.cnew"
    copy.write_bytes(demo_file.read_bytes())
    return str(copy)


def test_status_exits_3_and_names_the_blockers(path, capsys):
    assert main.main(["status", path, "-d", "Semi-Submersible"]) == 3
    out = capsys.readouterr().out
    assert "BLOCKER  USCG: Critical comment 1 on §4 has no disposition" in out
    assert "BLOCKER  CBP has not reviewed §6" in out


def test_status_json_and_exit_0_when_publishable(path, capsys):
    assert main.main(["status", path, "-d", "Doctrine", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["publishable"] is True
    assert report["warnings"][0]["rule"] == "administrative"


def test_publish_blocked_prints_blockers_on_stderr(path, capsys):
    argv = ["publish", path, "-d", "Semi-Submersible", "--as", "Harper Quillfeather"]
    assert main.main(argv) == 3
    assert "USCG: Critical comment 1" in capsys.readouterr().err


def test_by_a_name_on_the_command_line_impersonates_no_one(path, capsys):
    # The attack: `--by "harper quillfeather"` published as the Director from any account.
    assert main.main(["publish", path, "-d", "Doctrine", "--by", "harper quillfeather"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Say who you are" in err
    argv = ["publish", path, "-d", "Doctrine", "--as", "Sam Redline", "--by", "Harper Quillfeather"]
    assert main.main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Only the Director" in err and "Sam Redline" in err
    assert main.main(["info", path, "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)["documents"]
    assert next(d for d in docs if d["kind"] == "doctrine")["status"] != "published"


def test_publish_the_doctrine_as_the_remembered_director(path, capsys):
    assert main.main(["whoami", path, "--set", "harper quillfeather"]) == 0
    assert "You act as Harper Quillfeather" in capsys.readouterr().out
    assert main.main(["publish", path, "-d", "Doctrine"]) == 0
    assert "Published Draft Counternarcotics Doctrine, version 1." in capsys.readouterr().out
    assert main.main(["info", path, "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)["documents"]
    assert next(d for d in docs if d["kind"] == "doctrine")["status"] == "published"
    # Published is its own state: status says so and exits 0; publishing again is refused.
    assert main.main(["status", path, "-d", "Doctrine", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["state"] == "published" and report["blockers"] == []
    assert main.main(["publish", path, "-d", "Doctrine"]) == 1
    assert "Version 1 is published" in capsys.readouterr().err
    # The log names the person, and the OS account separately.
    assert main.main(["log", path, "-d", "Doctrine", "--action", "document.publish", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["person"] == "Harper Quillfeather" and entry["person_id"] is not None
    assert entry["os_account"] != "Harper Quillfeather"


def test_route_then_requests(path, capsys):
    assert main.main(["route", path, "-d", "Northern Border"]) == 0
    routed = capsys.readouterr().out
    assert routed.startswith("Request ")
    assert main.main(["requests", path, "-d", "Northern Border", "--json"]) == 0
    reqs = json.loads(capsys.readouterr().out)
    assert reqs and {r["status"] for r in reqs} == {"sent"}
    assert main.main(["route", path, "-d", "Northern Border"]) == 0
    assert capsys.readouterr().out.startswith("Nothing to route")


def test_crm_csv_and_xlsx(path, tmp_path, capsys):
    out = tmp_path / "crm.csv"
    assert main.main(["crm", path, "-d", "Southwest", "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["Organization"] == "ICE" and rows[0]["Type"] == "S"
    book = tmp_path / "crm.xlsx"
    assert main.main(["crm", path, "-d", "Southwest", "-o", str(book)]) == 0
    sheet = openpyxl.load_workbook(book).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "ICE" in values


def test_unknown_document_is_one_line(path, capsys):
    assert main.main(["status", path, "-d", "No such thing"]) == 1
    err = capsys.readouterr().err
    assert err == "workbench: No document matches 'No such thing'.\n"


@pytest.mark.parametrize(
    "command",
    [
        ["crm", "-d", "Southwest", "-o"],
        ["export-pdf", "-d", "Maritime Border", "-o"],
        ["dashboard", "--pdf"],
    ],
)
def test_an_unusable_output_path_is_named_as_the_user_gave_it(path, tmp_path, capsys, command):
    folder = tmp_path / "a folder"
    folder.mkdir()
    assert main.main([command[0], path, *command[1:], str(folder)]) == 1
    assert capsys.readouterr().err == f"workbench: {folder} is a folder; name a file to write.\n"
    missing = tmp_path / "no such folder" / "out.file"
    assert main.main([command[0], path, *command[1:], str(missing)]) == 1
    assert capsys.readouterr().err == (f"workbench: the folder {missing.parent} does not exist.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a folder", "demo.cnew"]
