"""Crash injection: a forked child runs a stream of real actions until it is SIGKILLed.

A zygote process imports the app once and forks one child per round, so a kill costs
milliseconds, not an interpreter start. Each child appends one line to a report file after
every committed action (the audit entry's id and hash, and the row it made); the parent kills
it at a random moment and then checks the file and every reported action.
Used by tests/reliability/test_crash_injection.py and bench/soak_crash.py.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workbench import audit, documents, sections  # noqa: E402
from workbench.authority import trust, workspace_key  # noqa: E402, F401  (see below)
from workbench.coordination import comments, positions, requests  # noqa: E402
from workbench.errors import WorkbenchError  # noqa: E402

# Imported before the zygote forks: the import action signs packets, and loading the key layer
# (cryptography's x509) in every child would take longer than most children live.
from workbench.exchange import packets, responses, review  # noqa: E402, F401
from workbench.maintenance import backups  # noqa: E402
from workbench.maintenance.check import check_workspace  # noqa: E402
from workbench.workspace import Workspace  # noqa: E402

SAMPLES = [
    "Interdiction of self-propelled semi-submersibles in the Eastern Pacific.",
    "מדיניות אכיפה — right-to-left text from a partner nation's liaison.",
    "سياسة مكافحة المخدرات",
    "Combining marks: e\u0301 a\u0308 n\u0303 \u0915\u094d\u0937",
    "Emoji in a reviewer's note 🚤🛃🇺🇸 and a ZWJ family 👩‍👩‍👧.",
    "NUL\x00inside\x00the text",
    "**Markdown** with a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
]


def _text(rng: random.Random, longest: int = 6000) -> str:
    parts = []
    while sum(map(len, parts)) < rng.randint(10, longest):
        parts.append(rng.choice(SAMPLES))
    return "\n\n".join(parts)


# -- the workspace the children work on ---------------------------------------------------------
def prepare(path: Path | str) -> None:
    with Workspace.create(path, actor="setup") as ws:
        doc = documents.create_document(ws, "strategy", "Maritime Transit Zone Strategy")
        for n, codes in enumerate((["USCG"], ["CBP"], ["USCG", "CBP"], [], ["ICE"])):
            sections.add_section(
                ws, doc, heading=f"Section {n + 1}", body=SAMPLES[n], equities=codes
            )
        # The workspace key exists, as in an office that has sent packets before: otherwise
        # every import until the first commits makes (and fsyncs) a key the kill then discards.
        workspace_key.signer(ws)


def _doc(ws) -> int:
    return documents.list_documents(ws)[0].id


def _live(ws, rng, with_equities: bool = False):
    entries = sections.outline(ws, _doc(ws))
    if with_equities:
        entries = [e for e in entries if e.equities]
    if not entries:
        raise WorkbenchError("no section to act on")
    return rng.choice(entries)


# Each action commits one use-case and returns (table, id) of a row that must then exist.
def a_edit(ws, rng, scratch):
    e = _live(ws, rng)
    sections.edit_section(ws, e.id, body=_text(rng))
    return "sections", e.id


def a_add(ws, rng, scratch):
    codes = rng.choice([[], ["USCG"], ["CBP"]])
    sid = sections.add_section(ws, _doc(ws), heading=_text(rng, 80)[:200], equities=codes)
    return "sections", sid


def a_delete(ws, rng, scratch):
    if len(sections.outline(ws, _doc(ws))) < 6:
        raise WorkbenchError("keep some sections")
    e = _live(ws, rng)
    sections.delete_section(ws, e.id)
    return "sections", e.id


def a_comment(ws, rng, scratch):
    e = _live(ws, rng)
    kind = rng.choice("CSA")
    cid = comments.add_comment(
        ws,
        _doc(ws),
        organization_code=rng.choice(["USCG", "CBP", "ICE"]),
        type=kind,
        section_id=e.id,
        comment_text=_text(rng, 400),
        critical_ground="safety" if kind == "C" else None,
    )
    return "comments", cid


def a_adjudicate(ws, rng, scratch):
    open_ = [c for c in comments.list_comments(ws, _doc(ws)) if c.is_open]
    if not open_:
        raise WorkbenchError("nothing to adjudicate")
    c = rng.choice(open_)
    comments.adjudicate_comment(ws, c.id, rng.choice(["accepted", "rejected"]), "Considered.")
    return "comments", c.id


def a_reply(ws, rng, scratch):
    found = comments.list_comments(ws, _doc(ws))
    if not found:
        raise WorkbenchError("nothing to reply to")
    return "comment_replies", comments.add_reply(ws, rng.choice(found).id, _text(rng, 200))


def a_request(ws, rng, scratch):
    e = _live(ws, rng, with_equities=True)
    rid = requests.create_request(ws, _doc(ws), e.equities[0], section_ids=[e.id], send=True)
    return "review_requests", rid


def a_position(ws, rng, scratch):
    e = _live(ws, rng, with_equities=True)
    pid = positions.record_position(
        ws,
        _doc(ws),
        e.equities[0],
        rng.choice(["concur", "concur_with_comment", "non_concur"]),
        by_name="Liaison " + rng.choice(SAMPLES)[:20],
        section_ids=[e.id],
    )
    return "positions", pid


def a_import(ws, rng, scratch):
    """A reviewer's response file: packet out, comments and a position back, imported."""
    from workbench.exchange.packets import export_packet
    from workbench.exchange.responses import import_response
    from workbench.exchange.review import ReviewSession

    e = _live(ws, rng, with_equities=True)
    rid = requests.create_request(ws, _doc(ws), e.equities[0], section_ids=[e.id], send=True)
    packet = export_packet(ws, rid, scratch / f"r{rid}.cnereview")
    session = ReviewSession.open(packet)
    session.set_reviewer("Reviewer " + str(rid), "Liaison")
    session.add_comment(e.id, "S", _text(rng, 300))
    session.set_position("concur_with_comment")
    response = session.export_response(scratch / f"r{rid}.response")
    import_response(ws, response)
    row = next(ws.db.query("SELECT max(id) AS id FROM exchange_imports"))
    return "exchange_imports", row["id"]


def a_backup(ws, rng, scratch):
    backups.take_backup(ws, "manual", keep=3)
    return None, None


ACTIONS = {
    "edit": (a_edit, 30),
    "add": (a_add, 8),
    "delete": (a_delete, 3),
    "comment": (a_comment, 12),
    "adjudicate": (a_adjudicate, 8),
    "reply": (a_reply, 5),
    "request": (a_request, 5),
    "position": (a_position, 6),
    "import": (a_import, 6),
    "backup": (a_backup, 1),
}


def run_child(path: Path | str, seed: int, report: Path, scratch: Path) -> None:
    """Act until killed; after each commit append {action, audit id, hash, table, row}."""
    rng = random.Random(seed)
    names = list(ACTIONS)
    weights = [ACTIONS[n][1] for n in names]
    scratch.mkdir(exist_ok=True)
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    ws = Workspace.open(path, actor="crash.child")
    while True:
        name = rng.choices(names, weights)[0]
        try:
            table, row_id = ACTIONS[name][0](ws, rng, scratch)
        except WorkbenchError:
            continue
        head = next(ws.db.query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"))
        line = {"action": name, "audit_id": head["id"], "hash": head["hash"]}
        line.update(table=table, row=row_id)
        os.write(fd, (json.dumps(line) + "\n").encode())


# -- the zygote ---------------------------------------------------------------------------------
def zygote() -> None:
    """Read 'PATH SEED REPORT SCRATCH' lines; fork a child for each and print its pid."""
    # Load the holiday calendars once here (0.2 s each time otherwise): requests count workdays.
    from workbench.coordination.workdays import federal_holidays

    federal_holidays(2026)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    # Load what a running app has loaded long before a user acts: the federal calendar's first
    # use costs ~0.1 s, longer than many children live, so no request would ever commit.
    import datetime as dt

    from workbench.coordination.workdays import federal_holidays

    for year in range(dt.date.today().year - 1, dt.date.today().year + 3):
        federal_holidays(year)
    # Opening compares the file's schema with the exact schema of its version, built once per
    # process in memory (~30 ms, far more under load): a running app has it long before anyone
    # acts, and every child would pay it before its first action.
    from db import migrations, schema

    schema.expected_schema(tuple(migrations.names()))
    for line in sys.stdin:
        path, seed, report, scratch = line.split("\t")
        pid = os.fork()
        if pid == 0:
            try:
                # A file's path, or a shared workspace's postgresql:// address.
                run_child(path, int(seed), Path(report), Path(scratch.strip()))
            finally:
                os._exit(1)
        print(pid, flush=True)


@dataclass
class Verdict:
    kills: int = 0
    committed_checked: int = 0
    actions: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def verify(path: Path | str, report: Path) -> tuple[list[str], list[dict]]:
    """After a kill: the file opens, every check passes, every reported action is there."""
    problems: list[str] = []
    lines = []
    if report.exists():
        for raw in report.read_text(encoding="utf-8").splitlines():
            try:
                lines.append(json.loads(raw))
            except ValueError:
                problems.append(f"torn report line {raw!r}")  # os.write of a line is atomic
    result = check_workspace(path)
    problems += [f"{f.check}: {f.message}" for f in result.findings]
    with Workspace.open(path, actor="verifier") as ws:
        problems += audit.verify_chain(ws)
        stored = {r["id"]: r["hash"] for r in ws.db.query("SELECT id, hash FROM audit_log")}
        for entry in lines:
            if stored.get(entry["audit_id"]) != entry["hash"]:
                problems.append(f"committed {entry['action']} (audit {entry['audit_id']}) lost")
            if entry["table"]:
                found = next(
                    ws.db.query(
                        f"SELECT 1 AS x FROM {entry['table']} WHERE id = ?", [entry["row"]]
                    ),
                    None,
                )
                if found is None:
                    problems.append(f"{entry['table']} row {entry['row']} is missing")
    for b in backups.list_backups(path) if isinstance(path, Path) else ():
        bad = check_workspace(b.path, quick=True).findings
        problems += [f"backup {b.path.name}: {f.message}" for f in bad]
    return problems, lines


def _wait_gone(pid: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.002)
    raise RuntimeError(f"child {pid} did not die")


def campaign(
    folder: Path,
    *,
    rounds: int | None = None,
    seconds: float | None = None,
    seed: int = 1,
    max_delay: float = 0.3,
    log=None,
    enough=None,
    location: str | None = None,
) -> Verdict:
    """Kill children at random moments, `rounds` times or for `seconds`, verifying each time.

    `enough(kills, actions)` may end the campaign early once it has seen what it needs.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    # `location`: a shared workspace's empty database (postgresql://…) instead of a file.
    path: Path | str = location or folder / "crash.cnew"
    prepare(path)
    report = folder / "committed.jsonl"
    scratch = folder / "exchange"
    verdict = Verdict()
    zyg = subprocess.Popen(
        [sys.executable, __file__, "--zygote"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(ROOT),
    )
    started = time.monotonic()
    try:
        n = 0
        while (rounds is None or n < rounds) and (
            seconds is None or time.monotonic() - started < seconds
        ):
            n += 1
            zyg.stdin.write(f"{path}\t{rng.randrange(1 << 30)}\t{report}\t{scratch}\n")
            zyg.stdin.flush()
            pid = int(zyg.stdout.readline())
            # Mostly mid-stream, sometimes while the child is still opening the file.
            time.sleep(rng.choice([rng.uniform(0, 0.01), rng.uniform(0, max_delay)]))
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)
            verdict.kills += 1
            problems, lines = verify(path, report)
            verdict.committed_checked = len(lines)
            verdict.actions = {}
            for entry in lines:
                verdict.actions[entry["action"]] = verdict.actions.get(entry["action"], 0) + 1
            verdict.failures += [f"round {n}: {p}" for p in problems]
            if log:
                log(n, len(lines), problems)
            if problems or (enough and enough(verdict.kills, verdict.actions)):
                break
    finally:
        zyg.stdin.close()
        zyg.wait(timeout=10)
    return verdict


if __name__ == "__main__" and "--zygote" in sys.argv:
    zygote()
