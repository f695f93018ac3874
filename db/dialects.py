"""The few SQL constructs SQLite and PostgreSQL spell differently, as fragments for the core."""

from __future__ import annotations

import re
from typing import Any

# Each full-text index: the table it indexes and the columns, in the order FTS5 knows them.
FULLTEXT_INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "documents_fts": ("documents", ("title",)),
    "sections_fts": ("sections", ("heading", "body")),
    "comments_fts": ("comments", ("comment", "rationale", "proposed_wording", "quoted_passage")),
    "studies_fts": ("studies", ("title", "abstract", "office", "contact")),
    "published_fts": ("published_sections", ("heading", "body")),
}

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PHRASE = re.compile(r'"((?:[^"]|"")*)"(\*?)')
_ONE_WORD = re.compile(r"[^\W_]+")


def _key(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a JSON key the dialect writes: {key!r}")
    return key


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def parse_fts5(expression: str) -> tuple[list[tuple[str, bool]], bool]:
    """([(phrase, prefix-matched)], any phrase may match) of an FTS5 expression we built.

    The core builds only quoted phrases, each maybe followed by `*`, joined by spaces (all
    must match) or by OR (any may).
    """
    phrases = [
        (m.group(1).replace('""', '"'), bool(m.group(2))) for m in _PHRASE.finditer(expression)
    ]
    outside = _PHRASE.sub(" ", expression)
    return phrases, "OR" in outside.split()


def _finder(phrases: list[str]) -> str:
    """A regex (PostgreSQL's, case-insensitive) for a word starting with a word of the query.

    cne_snippet gives ts_headline the text around its first match instead of the whole text;
    words are letters and digits only, so none needs escaping. A word the regex misses (an
    accent the query lacks) only makes the snippet read the whole text.
    """
    words = {w.lower() for p in phrases for w in _ONE_WORD.findall(p)}
    if not words:
        return ""
    return r"\m(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))[:32]) + r")\w*"


class SqliteFullText:
    """FTS5: `MATCH` against the index table; rank is bm25 (lower is better)."""

    def parameters(self, expression: str) -> dict[str, Any]:
        return {"q": expression}

    def source(self, index: str, *, limited: bool) -> tuple[str, str]:
        if limited:
            src = f"(SELECT rowid, rank FROM {index} WHERE {index} MATCH :q ORDER BY rank LIMIT :m)"
            return src, ""
        return index, f"{index} MATCH :q AND"

    def snippet(
        self, index: str, base: str, start: str, end: str, ellipsis: str, tokens: int
    ) -> str:
        return (
            f"snippet({index}, -1, {_literal(start)}, {_literal(end)}, {_literal(ellipsis)}, "
            f"{int(tokens)})"
        )

    def arm_snippet(self, index: str, base: str, *marks: Any) -> str:
        # Made by the cursor that matched the row, only for rows the merge pulls in.
        return self.snippet(index, base, *marks)

    def merge(self, arms: list[str], kinds: list[tuple[str, str]], columns, marks) -> str:
        """The arms (each in FTS5's rank order) merged, the best :n kept."""
        return " UNION ALL ".join(arms) + " ORDER BY score LIMIT :n"

    def with_snippets(self, rows: list[dict], params: dict[str, Any], marks) -> list[dict]:
        return rows  # FTS5 made each row's snippet in the statement


class PostgresFullText:
    """tsvector/GIN: the `<index>` tables hold each live row's weighted vector (db/pg_schema)."""

    # ts_rank weights {D, C, B, A}; columns are weighted A, B, C, D in FTS5's column order.
    WEIGHTS = {
        "documents_fts": "{0.1, 0.2, 0.4, 1.0}",
        "sections_fts": "{0.1, 0.2, 0.25, 1.0}",
        "comments_fts": "{0.3, 0.6, 0.6, 1.0}",
        "studies_fts": "{0.125, 0.5, 0.25, 1.0}",
        "published_fts": "{0.1, 0.2, 0.25, 1.0}",
    }
    QUERY = "cne_tsquery(:q, :qp, :qany)"
    # A snippet highlights each phrase of the query wherever it is, as FTS5's does: with every
    # phrase required, ts_headline found no passage holding them all when they stood apart and
    # showed the text's first words, nothing highlighted.
    ANY_QUERY = "cne_tsquery(:q, :qp, 1)"

    def parameters(self, expression: str) -> dict[str, Any]:
        """The phrases (each read by websearch_to_tsquery), which are prefixes, and the joiner.

        A prefix applies to a single word only (to_tsquery's `word:*`); a longer phrase typed
        with `*` matches as written.
        """
        phrases, any_word = parse_fts5(expression)
        words = [p.replace('"', " ") for p, _ in phrases]
        prefixes = [int(star and bool(_ONE_WORD.fullmatch(p))) for p, star in phrases]
        return {"q": words, "qp": prefixes, "qany": int(any_word), "qfind": _finder(words)}

    def source(self, index: str, *, limited: bool) -> tuple[str, str]:
        weights = self.WEIGHTS[index]
        src = (
            f"(SELECT x.id AS rowid, -ts_rank('{weights}', x.doc, q.q) AS rank "
            f"FROM {index} x, {self.QUERY} AS q(q) WHERE x.doc @@ q.q"
        )
        # In rank order: an arm that keeps its best rows (merge()) then joins its tables for
        # those rows only, not for every match.
        src += " ORDER BY rank LIMIT :m)" if limited else " ORDER BY rank, x.id)"
        return src, ""

    def snippet(
        self, index: str, base: str, start: str, end: str, ellipsis: str, tokens: int
    ) -> str:
        _, columns = FULLTEXT_INDEXES[index]
        texts = "ARRAY[" + ", ".join(f"{base}.{c}" for c in columns) + "]"
        # The row's stored vector says which column matches best without parsing any text.
        stored = f"(SELECT v.doc FROM {index} v WHERE v.id = {base}.id)"
        marks = ", ".join(_literal(m) for m in (start, end, ellipsis))
        query = self.ANY_QUERY
        return f"cne_snippet({texts}, {stored}, {query}, :qfind, {marks}, {int(tokens)})"

    def arm_snippet(self, index: str, base: str, *marks: Any) -> str:
        # The row's indexed columns, in order: `with_snippets` makes the snippet from them in
        # Python, for the rows kept (an arm reads them only for the rows its LIMIT passes).
        _, columns = FULLTEXT_INDEXES[index]
        return "ARRAY[" + ", ".join(f"{base}.{c}" for c in columns) + "]::text[]"

    def merge(self, arms: list[str], kinds: list[tuple[str, str]], columns, marks) -> str:
        """The arms ranked together, the best :n kept, each with its indexed text (in its
        `snippet` column) for `with_snippets` to make the snippet from."""
        # Each arm keeps its own best :n first (its kind is one value, so score and id order
        # it as the whole does): PostgreSQL then reads the sorted matches and joins their
        # rows until :n pass the arm's conditions, instead of joining every match.
        # Ties broken as `search` breaks them (kind, id): without it PostgreSQL keeps any of
        # the rows tied at the limit, so the last hits of a page could change run to run.
        best = [
            f"SELECT * FROM ({arm} ORDER BY score, id LIMIT :n) AS arm{i}"
            for i, arm in enumerate(arms)
        ]
        return " UNION ALL ".join(best) + " ORDER BY score, kind, id LIMIT :n"

    def with_snippets(self, rows: list[dict], params: dict[str, Any], marks) -> list[dict]:
        """Each row's snippet made in Python from its text (db.pg_snippets): ts_headline on
        the server parsed every kept row's whole column, most of a search's time."""
        from db import pg_snippets

        start, end, ellipsis, tokens = marks
        maker = pg_snippets.Snippets(
            pg_snippets.phrases(params["q"], params["qp"]), (start, end, ellipsis), tokens
        )
        return [{**r, "snippet": maker.make(r["snippet"] or [])} for r in rows]


class SqliteDialect:
    name = "sqlite"
    fulltext = SqliteFullText()

    def for_update(self, table: str) -> str:
        """Appended to a SELECT whose rows of `table` (a name or alias in it) the transaction is
        about to change: SQLite's one writer needs no row lock."""
        return ""

    def sha256_hex(self, expression: str) -> str:
        """SQLite has no SHA-256: its one writer hashes in Python (workbench.audit)."""
        raise NotImplementedError("SQLite computes no SHA-256")

    def json_int(self, column: str, key: str) -> str:
        return f"json_extract({column}, '$.{_key(key)}')"

    def json_text(self, column: str, key: str) -> str:
        return f"json_extract({column}, '$.{_key(key)}')"

    def json_true(self, column: str, key: str) -> str:
        """A condition: the JSON field is true (or 1)."""
        return f"json_extract({column}, '$.{_key(key)}') = 1"


class PostgresDialect:
    name = "postgresql"
    fulltext = PostgresFullText()

    def for_update(self, table: str) -> str:
        """Text saves share the writers' lock: a second save of the same section waits here for
        the first one's commit, then reads its text (READ COMMITTED re-reads a row it waited
        for)."""
        return f" FOR UPDATE OF {_key(table)}"

    def sha256_hex(self, expression: str) -> str:
        """The SHA-256 of a text's UTF-8 bytes in lower-case hex, as Python's hexdigest()."""
        return f"encode(sha256(convert_to({expression}, 'UTF8')), 'hex')"

    def json_int(self, column: str, key: str) -> str:
        # cne_json_int (db/pg_schema): NULL for a missing key, a non-integer or unreadable JSON.
        return f"cne_json_int({column}, '{_key(key)}')"

    def json_text(self, column: str, key: str) -> str:
        return f"cne_json_text({column}, '{_key(key)}')"

    def json_true(self, column: str, key: str) -> str:
        return f"cne_json_text({column}, '{_key(key)}') IN ('true', '1')"
