"""Shared bench helpers: a large generated workspace (cached in bench/out/), timing statistics."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"

BIG_DOCUMENT_SECTIONS = 500
BIG_DOCUMENT_TITLE = "Bench: National Interdiction Strategy (500 sections)"
DOC_KINDS = ("strategy", "doctrine", "directive", "sop", "report_to_congress", "study")
SECTION_KINDS = ("narrative", "narrative", "narrative", "tenet", "action_item")
MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
GENERATOR_VERSION = 1  # bump when the generated content changes


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    letters = "abcdefghiklmnoprstuvy"
    common = (
        "the of and to in interdiction maritime border cartel fentanyl precursor "
        "coordination component liaison strategy enforcement intelligence seizure "
        "transit corridor partner nation port entry screening analysis"
    ).split()
    words = list(common)
    while len(words) < size:
        words.append("".join(rng.choice(letters) for _ in range(rng.randint(2, 11))))
    return words


def _body(rng: random.Random, vocab: list[str], words: int) -> str:
    """Markdown of about `words` words in paragraphs of 40–80 words, some as list items."""
    out: list[str] = []
    left = words
    while left > 0:
        n = min(left, rng.randint(40, 80))
        text = " ".join(rng.choices(vocab, k=n))
        text = text[:1].upper() + text[1:] + "."
        out.append(("- " if rng.random() < 0.15 else "") + text)
        left -= n
    return "\n\n".join(out)


def _heading(rng: random.Random, vocab: list[str]) -> str:
    return " ".join(rng.choices(vocab, k=rng.randint(2, 6))).capitalize()


def _shape(count: int) -> list[int | None]:
    """Parent index (into the same list) for each of `count` sections, depth up to three.

    500 sections give 20 top-level sections, each with 4 children of 5 subsections each.
    """
    parents: list[int | None] = []
    if count >= 20:
        top = max(1, count // 25)
        for _ in range(top):
            if len(parents) >= count:
                break
            t = len(parents)
            parents.append(None)
            for _ in range(4):
                if len(parents) >= count:
                    break
                c = len(parents)
                parents.append(t)
                for _ in range(5):
                    if len(parents) >= count:
                        break
                    parents.append(c)
        while len(parents) < count:
            parents.append(None)
        return parents
    # Small documents: a few top-level sections with one level of subsections.
    for i in range(count):
        parents.append(None if i % 3 == 0 else i - i % 3)
    return parents


def schema_key() -> str:
    """Changes whenever a migration is added, so a cached workspace follows the schema."""
    from db import migrations

    return hashlib.sha256("\n".join(migrations.names()).encode()).hexdigest()[:8]


def make_large_workspace(
    path: str | os.PathLike,
    documents: int = 1000,
    sections: int = 10000,
    words: int = 300,
    seed: int = 0,
) -> dict:
    """Write a new workspace at `path` with `documents` documents holding `sections` sections of
    about `words` words; one document has 500 sections (when there are that many).

    Goes through `Workspace.create` (schema, identity, seeded directory) and then inserts
    rows directly in one transaction. Returns facts about it (ids the benches use).
    """
    from workbench.sections import content_hash
    from workbench.workspace import Workspace

    path = Path(path)
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    ws = Workspace.create(path, actor="bench")
    db = ws.db
    t0 = time.perf_counter()
    org_ids = [r["id"] for r in db.query("SELECT id FROM organizations ORDER BY id")]
    now = ws.now()
    big = min(BIG_DOCUMENT_SECTIONS, sections) if documents else 0
    rest_docs = max(0, documents - 1)
    rest = sections - big
    per_doc = [rest // rest_docs + (1 if i < rest % rest_docs else 0) for i in range(rest_docs)]
    conn = db.conn
    big_doc_id = None
    big_section_ids: list[int] = []
    with db.atomic():
        for d in range(documents):
            is_big = d == 0
            title = (
                BIG_DOCUMENT_TITLE if is_big else f"Bench document {d:04d}: " + _heading(rng, vocab)
            )
            cur = conn.execute(
                "INSERT INTO documents (kind, title, marking, lead_org_id, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                [DOC_KINDS[d % len(DOC_KINDS)], title, MARKING, org_ids[0], now, now],
            )
            doc_id = cur.lastrowid
            count = big if is_big else per_doc[d - 1]
            ids: list[int] = []
            positions: dict[int | None, int] = {}
            for parent_index in _shape(count):
                parent_id = None if parent_index is None else ids[parent_index]
                position = positions.get(parent_id, 0)
                positions[parent_id] = position + 1
                heading = _heading(rng, vocab)
                body = _body(rng, vocab, words)
                kind = "narrative" if parent_id is not None else rng.choice(SECTION_KINDS)
                cur = conn.execute(
                    "INSERT INTO sections (document_id, parent_id, position, kind, heading, body, "
                    "content_hash, created_at, updated_at, changed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        doc_id,
                        parent_id,
                        position,
                        kind,
                        heading,
                        body,
                        content_hash(heading, body),
                        now,
                        now,
                        now,
                    ],
                )
                sid = cur.lastrowid
                ids.append(sid)
                for org in rng.sample(org_ids, k=rng.randint(0, 3)):
                    conn.execute(
                        "INSERT INTO section_equities (section_id, organization_id) VALUES (?, ?)",
                        [sid, org],
                    )
            if is_big:
                big_doc_id, big_section_ids = doc_id, ids
    facts = {
        "path": str(path),
        "documents": documents,
        "sections": sections,
        "words": words,
        "seed": seed,
        "big_document_id": big_doc_id,
        "big_document_sections": len(big_section_ids),
        "big_document_section_ids": big_section_ids,
        "insert_seconds": round(time.perf_counter() - t0, 2),
    }
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    facts["bytes"] = path.stat().st_size
    return facts


def cached_workspace(
    documents: int = 1000, sections: int = 10000, words: int = 300, seed: int = 0
) -> dict:
    """The generated workspace for these parameters, made once and kept in bench/out/."""
    OUT.mkdir(parents=True, exist_ok=True)
    key = f"d{documents}-s{sections}-w{words}-r{seed}-g{GENERATOR_VERSION}-m{schema_key()}"
    path = OUT / f"large-{key}.cnew"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return json.loads(meta.read_text())
    for stale in (path, meta, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    t0 = time.perf_counter()
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    facts = make_large_workspace(partial, documents, sections, words, seed)
    os.replace(partial, path)
    facts["path"] = str(path)
    facts["generate_seconds"] = round(time.perf_counter() - t0, 2)
    meta.write_text(json.dumps(facts))
    return facts


def cached_variant(facts: dict, name: str, prepare) -> dict:
    """The cached workspace of `facts` after `prepare(path)` (e.g. coordination added), made
    once beside it and kept: adding 800,000 comments to the 16x workspace takes minutes.
    `name` must change whenever what `prepare` writes changes."""
    base = Path(facts["path"])
    path = base.with_name(f"{base.stem}-{name}.cnew")
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            stale.unlink(missing_ok=True)
        shutil.copyfile(base, partial)
        prepare(partial)
        os.replace(partial, path)
        for stale in (Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}.lock")):
            stale.unlink(missing_ok=True)
    return facts | {"path": str(path), "bytes": path.stat().st_size}


def working_copy(facts: dict, name: str) -> Path:
    """A scratch copy of a cached workspace for a bench that writes (the cache stays pristine)."""
    dest = OUT / "scratch" / f"{name}.cnew"
    dest.parent.mkdir(parents=True, exist_ok=True)
    for stale in (dest, Path(f"{dest}-wal"), Path(f"{dest}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(facts["path"], dest)
    return dest


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(value: float | None, target: float | None) -> str:
    if target is None:
        return "info"
    if value is None:
        return "FAIL"
    return "PASS" if value <= target else "FAIL"


def add_comments(path: Path, document_id: int, section_ids: list[int], count: int, seed=0) -> dict:
    """Give one document `count` comments (4 in 10 adjudicated) from the organizations asked to
    review it, with direct SQL in one transaction (triggers fire as for the core's inserts)."""
    from workbench.workspace import Workspace

    rng = random.Random(seed + 7)
    ws = Workspace.open(path, actor="bench")
    db, conn = ws.db, ws.db.conn
    now = ws.now()
    vocab = _vocabulary(rng, 800)
    with db.atomic():
        orgs = [r["id"] for r in db.query("SELECT id FROM organizations WHERE kind != 'cne'")][:8]
        for org in orgs:
            conn.execute(
                "INSERT INTO review_requests (document_id, organization_id, status, "
                "suspense_date, document_version, token, created_at, created_by, sent_at) "
                "VALUES (?, ?, 'sent', '2026-12-15', 1, ?, ?, 'bench', ?)",
                [document_id, org, f"c{document_id}-{org}-{seed}", now, now],
            )
        start = next(
            db.query(
                "SELECT coalesce(max(item_no), 0) AS n FROM comments WHERE document_id = ?",
                [document_id],
            )
        )["n"]
        for i in range(count):
            kind = rng.choice("CSSAAA")
            disposed = rng.random() < 0.4
            conn.execute(
                "INSERT INTO comments (document_id, item_no, organization_id, response_date, "
                "type, section_id, comment, rationale, critical_ground, disposition, "
                "disposition_rationale, created_at, created_by) "
                "VALUES (?, ?, ?, '2026-11-01', ?, ?, ?, ?, ?, ?, ?, ?, 'bench')",
                [
                    document_id,
                    start + i + 1,
                    rng.choice(orgs),
                    kind,
                    rng.choice(section_ids),
                    " ".join(rng.choices(vocab, k=rng.randint(15, 45))).capitalize() + ".",
                    " ".join(rng.choices(vocab, k=10)),
                    "law" if kind == "C" else None,
                    "rejected" if disposed else None,
                    "Out of scope." if disposed else "",
                    now,
                ],
            )
        conn.execute(
            "UPDATE documents SET status = 'in_coordination' WHERE id = ? AND status = 'draft'",
            [document_id],
        )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return {"document_id": document_id, "comments": count, "requests": len(orgs)}
