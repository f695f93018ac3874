"""The demo workspace: CNE's coordinating council and sample documents, built from resources/."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import resources
from workbench import directory, documents, revisions, sections
from workbench.coordination import demo_state
from workbench.errors import WorkbenchError
from workbench.markdown_sections import nest, split_sections
from workbench.workspace import Workspace

DEMO_DIR = resources.path("demo")
DEMO_ACTOR = "demo.setup"
SAMPLE_NOTICE = "*Sample text for demonstration; not DHS policy.*"
FRONT_FENCE = "+++"

# The revision history the demo shows: a labelled snapshot, then one edit after it.
REVISED_DOCUMENT = "southwest"
DRAFTED_DAYS_AGO = 90
REVISION_LABEL = "Draft for internal coordination"
REVISED_HEADING = "Interdiction at and between the Ports of Entry"
REVISION_OLD = (
    "prioritizing the crossings where intelligence shows the greatest volume of fentanyl."
)
REVISION_NEW = (
    "prioritizing the crossings where the joint threat assessment shows the greatest "
    "volume of fentanyl and methamphetamine."
)
REVISION_ADDED = (
    "CBP will also pilot the use of advance passenger information to select northbound "
    "vehicles for secondary inspection at two high-volume crossings, and will report the "
    "results to CNE before deciding whether to extend the pilot."
)
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s")


@dataclass
class DemoDocument:
    """One resources/demo/*.md file: metadata from its front block, and its sections."""

    key: str
    kind: str
    title: str
    body: str
    lead: str | None = "CNE"
    co_lead: str | None = None
    marking: str = documents.DEFAULT_MARKING
    due_date: str | None = None
    due_in_days: int | None = None
    source: Path = field(default_factory=Path)


def parse_demo_document(path: Path) -> DemoDocument:
    """Split a demo file into its TOML front block (between +++ lines) and Markdown body."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_FENCE:
        raise ValueError(f"{path.name}: a demo document starts with a {FRONT_FENCE} front block")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_FENCE)
    except StopIteration:
        raise ValueError(f"{path.name}: the front block is not closed") from None
    meta = tomllib.loads("\n".join(lines[1:end]))
    body = "\n".join(lines[end + 1 :])
    return DemoDocument(body=body, source=path, **meta)


def _require_content() -> None:
    if not DEMO_DIR.is_dir():
        # resources/ is read from the source tree; a non-editable install would not carry it.
        raise WorkbenchError(f"The demo content is missing ({DEMO_DIR} does not exist).")


def demo_documents() -> list[DemoDocument]:
    _require_content()
    return [parse_demo_document(p) for p in sorted(DEMO_DIR.glob("*.md"))]


def _load_directory(ws) -> None:
    data = tomllib.loads((DEMO_DIR / "directory.toml").read_text(encoding="utf-8"))
    for org in data.get("organizations", []):
        directory.add_organization(
            ws, org["code"], org["name"], org["kind"], org.get("liaison_title", "")
        )
    for person in data.get("people", []):
        roles = [
            directory.Role(
                r["role"],
                r.get("designated_on"),
                " ".join(r.get("position_description", "").split()),
            )
            for r in person.get("roles", [])
        ]
        directory.add_person(
            ws,
            person["name"],
            title=person.get("title", ""),
            organization=person.get("organization"),
            email=person.get("email", ""),
            roles=roles,
        )


def _add_document(ws, spec: DemoDocument, today: dt.date) -> int:
    due = spec.due_date
    if due is None and spec.due_in_days is not None:
        # Relative, so the report is always "due soon" whenever the demo is written.
        due = (today + dt.timedelta(days=spec.due_in_days)).isoformat()
    doc_id = documents.create_document(
        ws,
        spec.kind,
        spec.title,
        marking=spec.marking,
        lead=spec.lead,
        co_lead=spec.co_lead,
        due_date=due,
    )
    _, parsed = split_sections(spec.body)
    ids: list[int] = []
    for sec, parent in nest(parsed):
        equities = [c for c in sec.attrs.get("equities", "").split(",") if c]
        ids.append(
            sections.add_section(
                ws,
                doc_id,
                parent_id=ids[parent] if parent is not None else None,
                kind=sec.attrs.get("kind", "narrative"),
                heading=sec.heading,
                body=unwrap(sec.body),
                equities=equities,
            )
        )
    return doc_id


def unwrap(markdown: str) -> str:
    """Join hard-wrapped lines so each paragraph or list item is one line of source.

    The files are wrapped for reading in a text editor; the workbench's editor wraps by itself,
    and ragged source lines would look like deliberate line breaks there.
    """
    out: list[str] = []
    for line in markdown.splitlines():
        stripped = line.strip()
        starts_block = (
            not stripped
            or not out
            or not out[-1].strip()
            or stripped.startswith("|")
            or out[-1].lstrip().startswith("|")
            or _LIST_ITEM.match(stripped) is not None
        )
        if starts_block:
            out.append(line.rstrip())
        else:
            out[-1] = f"{out[-1]} {stripped}"
    return "\n".join(out)


def _revise(ws, doc_id: int) -> None:
    """Snapshot a labelled revision, then change one section so history and diff show it."""
    revisions.snapshot_revision(ws, doc_id, REVISION_LABEL)
    target = next(e for e in sections.outline(ws, doc_id) if e.heading == REVISED_HEADING)
    body = sections.section(ws, target.id).body
    if REVISION_OLD not in body:
        raise ValueError(f"the demo revision expects {REVISION_OLD!r} in {REVISED_HEADING!r}")
    new_body = body.replace(REVISION_OLD, REVISION_NEW) + "\n\n" + REVISION_ADDED
    sections.edit_section(ws, target.id, body=new_body)


def build_demo(ws) -> dict[str, int]:
    """Fill a fresh workspace with the demo directory and documents; ids by short key.

    Keys: doctrine, southwest, northern, maritime, spss, report, study.
    """
    _require_content()
    real_clock = ws.clock
    now = real_clock()
    with ws.db.atomic():
        # Drafted three months ago, so each document's timeline (created, sent for
        # coordination, published) reads in order; due dates still count from today.
        ws.clock = lambda: now - dt.timedelta(days=DRAFTED_DAYS_AGO)
        try:
            _load_directory(ws)
            ids = {spec.key: _add_document(ws, spec, now.date()) for spec in demo_documents()}
            _revise(ws, ids[REVISED_DOCUMENT])
        finally:
            ws.clock = real_clock
        demo_state.seed(ws, ids)
    return ids


def write_demo(path: str | os.PathLike, replace: bool = False) -> Path:
    """Write the demo workspace to path; an existing file is refused unless replace is set."""
    path = Path(path)
    if path.is_dir():
        raise WorkbenchError(f"{path} is a folder; name a file for the demo workspace.")
    if path.exists() and not replace:
        raise WorkbenchError(f"{path} already exists; use --force to replace it.")
    if not path.parent.is_dir():
        raise WorkbenchError(f"Cannot write {path}: the folder {path.parent} does not exist.")
    if path.exists():
        # Command-line writes no longer need the window's claim, but replacing the whole file
        # under an open window would pull it from under the analyst: that still needs the claim.
        from db import connection

        claim = connection.acquire_instance_lock(path)
        if claim is not None:
            claim.release()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    _remove_with_sidecars(tmp)
    try:
        ws = Workspace.create(tmp, actor=DEMO_ACTOR)
        ws.name = path.stem  # not the temporary file's: keys made here name the demo's file
        try:
            build_demo(ws)
        finally:
            ws.close()  # the last close checkpoints the WAL into the main file
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # A -wal left by an earlier file at this path would be replayed into the new one.
        _remove_with_sidecars(path, main=False)
        os.replace(tmp, path)
    except sqlite3.Error as exc:
        _remove_with_sidecars(tmp)
        # e.g. a read-only folder: SQLite says "unable to open database file".
        raise WorkbenchError(f"Cannot write the demo workspace {path} ({exc}).") from exc
    except BaseException:
        _remove_with_sidecars(tmp)
        raise
    return path


def _remove_with_sidecars(path: Path, *, main: bool = True) -> None:
    names = ["-wal", "-shm", "-journal"]
    targets = [path.with_name(path.name + s) for s in names]
    if main:
        targets.insert(0, path)
    for p in targets:
        try:
            p.unlink()
        except FileNotFoundError:
            pass
