"""The core's SQL runs on SQLite and PostgreSQL: no SQLite-only construct in workbench/'s SQL.

What the engines spell differently comes from `ws.db.dialect` (db/dialects.py); DEVELOPERS.md,
"SQL that runs on both", lists the portable spellings. Only the maintenance modules that work
on the workspace file itself (its pages, backups, a raw SQLite copy) may speak SQLite.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE_ONLY = {
    "workbench/maintenance/check.py",
    "workbench/maintenance/backups.py",
    "workbench/maintenance/opening_check.py",
    "workbench/maintenance/heads.py",
    "workbench/maintenance/replay_quick.py",
}
_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|WHERE)\b")
SQLITE_ONLY = {
    "json_*() (use ws.db.dialect.json_int/json_text/json_true)": re.compile(
        r"\bjson_(extract|each|valid|set|insert|object|array|group_array|type|patch|remove)\s*\("
    ),
    "PRAGMA (a store method, e.g. ws.db.change_stamp())": re.compile(r"\bPRAGMA\b"),
    "sqlite_master (ws.db.table_names())": re.compile(r"\bsqlite_(master|schema|sequence)\b"),
    "INSERT OR … (INSERT … ON CONFLICT … DO NOTHING/UPDATE)": re.compile(
        r"\bINSERT\s+OR\s+\w+|\bREPLACE\s+INTO\b", re.I
    ),
    "IS ? (IS NOT DISTINCT FROM ?)": re.compile(r"\bIS\s+(NOT\s+)?[?:]"),
    "MATCH (ws.db.dialect.fulltext)": re.compile(r"\bMATCH\s+[?:']"),
    "GLOB": re.compile(r"\bGLOB\b"),
    "group_concat (string_agg differs: aggregate in Python)": re.compile(r"\bgroup_concat\s*\("),
    "strftime/julianday (dates are ISO text: compare or compute in Python)": re.compile(
        r"\b(strftime|julianday)\s*\("
    ),
    "rowid (an id column; f.rowid only from the full-text source)": re.compile(
        r"(?<!f\.)\browid\b"
    ),
}


def _sql_strings(path: Path):
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for tok in tokens:
        if tok.type == tokenize.STRING and _SQL.search(tok.string):
            yield tok.start[0], tok.string


def test_the_core_writes_no_sqlite_only_sql():
    found = []
    for path in sorted((ROOT / "workbench").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in FILE_ONLY:
            continue
        for line, text in _sql_strings(path):
            for what, pattern in SQLITE_ONLY.items():
                if pattern.search(text):
                    found.append(f"{rel}:{line}: {what}")
    assert not found, "SQLite-only SQL in the core (see DEVELOPERS.md):\n" + "\n".join(found)
