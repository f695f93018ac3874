"""Workspace-wide full-text search: safe queries, ranked hits, highlighted snippets, filters."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from workbench.documents import STATUSES

# Snippet highlight markers: control characters that never occur in typed text, so the
# UI can escape everything else and then turn these into markup.
MARK_START, MARK_END = "\x02", "\x03"
ELLIPSIS = "…"
SNIPPET_TOKENS = 16
DEFAULT_LIMIT = 25
MAX_TERMS = 16
MAX_QUERY = 400
MIN_PREFIX = 3

KINDS = {
    "document": "Document",
    "section": "Section",
    "published": "Published section",
    "comment": "Comment",
    "study": "Study / contract",
}
COMMENT_STATUSES = {"open": "Open", "adjudicated": "Adjudicated"}
STUDY_STATUSES = {
    "planned": "Planned",
    "underway": "Underway",
    "completed": "Completed",
    "cancelled": "Cancelled",
}
ALL_STATUSES = {**STATUSES, **COMMENT_STATUSES, **STUDY_STATUSES}

_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_WORD = re.compile(r"[^\W_]", re.UNICODE)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CHUNK = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Query:
    """User text turned into an FTS5 expression that cannot be a syntax error."""

    text: str
    fts: str
    terms: tuple[str, ...]
    hint: str = ""

    @property
    def empty(self) -> bool:
        return not self.fts


def _phrase(words: str) -> str:
    # Inside double quotes FTS5 treats everything as text; the tokenizer splits "I&A" or
    # "U.S." into a phrase exactly as it split the indexed text.
    return '"' + words.replace('"', '""') + '"'


def build_query(text: str, *, any_term: bool = False) -> Query:
    """Quote each word (balanced "…" pairs stay phrases) and prefix-match the last one.

    Stray quotes and operator words never reach FTS5 as syntax: they are dropped or quoted,
    and `hint` says what was ignored. `any_term` joins terms with OR (for related work).
    """
    # NUL ends an SQL string early; parentheses would group in FTS5 and mean nothing to
    # a person typing, so both become spaces before anything else.
    raw = re.sub(r"[\x00()]", " ", (text or "")[:MAX_QUERY])
    hints: list[str] = []
    if raw.count('"') % 2:
        raw = raw.replace('"', " ")
        hints.append("An unmatched quotation mark was ignored.")
    terms: list[tuple[str, bool]] = []  # (words, is_phrase)
    dropped_ops = False
    for m in _CHUNK.finditer(raw):
        phrase, word = m.group(1), m.group(2)
        if phrase is not None:
            if _WORD.search(phrase):
                terms.append((" ".join(phrase.split()), True))
            continue
        if word in _OPERATORS:
            dropped_ops = True
            continue
        word = word.lstrip("-+^*").rstrip("*")
        if _WORD.search(word):
            terms.append((word, False))
    if dropped_ops:
        hints.append("Search operators are ignored: every word must match.")
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        hints.append(f"Only the first {MAX_TERMS} words were searched.")
    if not terms:
        if (text or "").strip():
            hint = "Type a word to search for: punctuation and operators alone find nothing."
        else:
            hint = "Type a word to search for."
        return Query(text or "", "", (), hint)
    parts = [_phrase(w) for w, _ in terms]
    last, last_is_phrase = terms[-1]
    # Prefix-match the word being typed once it has MIN_PREFIX letters: shorter prefixes
    # match so much of the index that ranking them cannot keep up with typing.
    if not last_is_phrase and len(_TOKEN.findall(last)[-1]) >= MIN_PREFIX:
        parts[-1] += "*"
    joiner = " OR " if any_term else " "
    return Query(text or "", joiner.join(parts), tuple(w for w, _ in terms), " ".join(hints))


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    document_id: int | None
    section_id: int | None
    title: str
    context: str
    snippet: str
    score: float
    organization: str
    status: str
    version: int | None = None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return ALL_STATUSES.get(self.status, self.status)

    def snippet_text(self, start: str = "[", end: str = "]") -> str:
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)

    def snippet_html(self) -> str:
        return (
            html.escape(self.snippet)
            .replace(MARK_START, "<b>")
            .replace(MARK_END, "</b>")
            .replace("\n", " ")
        )

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "document_id": self.document_id,
            "section_id": self.section_id,
            "title": self.title,
            "context": self.context,
            "snippet": self.snippet_text(),
            "score": round(self.score, 4),
            "organization": self.organization,
            "status": self.status,
            "version": self.version,
        }


@dataclass(frozen=True)
class SearchResults:
    query: Query
    hits: tuple[Hit, ...] = ()
    more: bool = False
    filters: dict = field(default_factory=dict)

    @property
    def hint(self) -> str:
        if self.query.empty or self.hits:
            return self.query.hint
        extra = " Try fewer words or remove a filter." if self.query.terms else ""
        return (self.query.hint + " No matches." + extra).strip()


# Each kind: the FTS table, the SQL producing (id, document_id, section_id, org, status,
# title, context, version, snippet) for its matches, and how an organization filter applies.
_ORG_FILTER_DOC = "(d.lead_org_id = :org OR d.co_lead_org_id = :org)"
_KIND_SQL = {
    "document": (
        "documents_fts",
        """SELECT 'document' AS kind, f.rowid AS id, d.id AS document_id,
           CAST(NULL AS INTEGER) AS section_id,
           f.rank AS score, coalesce(l.code, '') AS organization, d.status AS status,
           d.title AS title, '' AS context, CAST(NULL AS INTEGER) AS version, {snippet} AS snippet
           FROM {src} f JOIN documents d ON d.id = f.rowid
           LEFT JOIN organizations l ON l.id = d.lead_org_id
           WHERE {match} d.deleted_at IS NULL {org} {status}""",
        _ORG_FILTER_DOC,
        "d.status",
    ),
    "section": (
        "sections_fts",
        """SELECT 'section' AS kind, f.rowid AS id, s.document_id AS document_id,
           s.id AS section_id, f.rank AS score, coalesce(l.code, '') AS organization,
           d.status AS status, s.heading AS title, d.title AS context,
           CAST(NULL AS INTEGER) AS version, {snippet} AS snippet
           FROM {src} f JOIN sections s ON s.id = f.rowid
           JOIN documents d ON d.id = s.document_id
           LEFT JOIN organizations l ON l.id = d.lead_org_id
           WHERE {match} d.deleted_at IS NULL {org} {status}""",
        "(" + _ORG_FILTER_DOC + " OR EXISTS (SELECT 1 FROM section_equities e "
        "WHERE e.section_id = s.id AND e.organization_id = :org))",
        "d.status",
    ),
    "published": (
        "published_fts",
        """SELECT 'published' AS kind, f.rowid AS id, p.document_id AS document_id,
           p.section_id AS section_id, f.rank AS score, coalesce(l.code, '') AS organization,
           'published' AS status, p.heading AS title, d.title AS context,
           p.version AS version, {snippet} AS snippet
           FROM {src} f JOIN published_sections p ON p.id = f.rowid
           JOIN documents d ON d.id = p.document_id
           LEFT JOIN organizations l ON l.id = d.lead_org_id
           WHERE {match} d.deleted_at IS NULL {org} {status}""",
        _ORG_FILTER_DOC,
        "'published'",
    ),
    "comment": (
        "comments_fts",
        """SELECT 'comment' AS kind, f.rowid AS id, c.document_id AS document_id,
           c.section_id AS section_id, f.rank AS score, o.code AS organization,
           CASE WHEN c.disposition IS NULL THEN 'open' ELSE 'adjudicated' END AS status,
           'Comment ' || c.item_no || ' (' || c.type || ')' AS title, d.title AS context,
           CAST(NULL AS INTEGER) AS version, {snippet} AS snippet
           FROM {src} f JOIN comments c ON c.id = f.rowid
           JOIN documents d ON d.id = c.document_id
           JOIN organizations o ON o.id = c.organization_id
           WHERE {match} d.deleted_at IS NULL {org} {status}""",
        "c.organization_id = :org",
        "CASE WHEN c.disposition IS NULL THEN 'open' ELSE 'adjudicated' END",
    ),
    "study": (
        "studies_fts",
        """SELECT 'study' AS kind, f.rowid AS id, t.document_id AS document_id,
           CAST(NULL AS INTEGER) AS section_id, f.rank AS score, o.code AS organization,
           t.status AS status, t.title AS title, trim(o.code || ' ' || t.office) AS context,
           t.year AS version, {snippet} AS snippet
           FROM {src} f JOIN studies t ON t.id = f.rowid
           JOIN organizations o ON o.id = t.organization_id
           WHERE {match} 1 = 1 {org} {status}""",
        "t.organization_id = :org",
        "t.status",
    ),
}


def _org_id(ws, code: str | None) -> int | None:
    if not code:
        return None
    from workbench.directory import organization

    return organization(ws, code).id


def search(
    ws,
    text: str,
    *,
    kinds=None,
    organization: str | None = None,
    status: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SearchResults:
    """Ranked hits across documents, sections, published text, comments and studies.

    Never raises on what a person typed: an unusable query comes back empty with a hint.
    """
    from workbench.errors import WorkbenchError

    query = build_query(text)
    kinds = list(kinds) if kinds else list(KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise WorkbenchError(f"Unknown kind {unknown[0]!r}; choose from {', '.join(KINDS)}.")
    if status and status not in ALL_STATUSES:
        raise WorkbenchError(f"Unknown status {status!r}; choose from {', '.join(ALL_STATUSES)}.")
    filters = {"kinds": kinds, "organization": organization, "status": status}
    if query.empty:
        return SearchResults(query, (), False, filters)
    org = _org_id(ws, organization)
    limit = max(1, int(limit))
    fulltext = ws.db.dialect.fulltext
    params = {"org": org, "status": status, "n": limit + 1}
    params.update(fulltext.parameters(query.fts))
    rows = list(ws.db.query(_ranked_sql(fulltext, kinds, org is not None, bool(status)), params))
    more = len(rows) > limit
    rows = sorted(rows, key=lambda r: (r["score"], r["kind"], r["id"]))[:limit]
    rows = fulltext.with_snippets(rows, params, (MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS))
    hits = tuple(
        Hit(
            r["kind"],
            r["id"],
            r["document_id"],
            r["section_id"],
            r["title"] or "(untitled)",
            r["context"] or "",
            " ".join((r["snippet"] or "").split()),
            -float(r["score"]),
            r["organization"] or "",
            r["status"] or "",
            r["version"],
        )
        for r in rows
    )
    return SearchResults(query, hits, more, filters)


def _ranked_sql(fulltext, kinds: list[str], by_org: bool, by_status: bool) -> str:
    """One statement: every kind ranked over ALL its matches, merged, the best n with snippets.

    Each arm is FTS5's own `ORDER BY rank` (its xBestIndex takes the order, so nothing is
    sorted again) joined by rowid to its rows; SQLite merges the sorted arms as co-routines and
    stops after n rows, so a snippet is made only for a row pulled into the result (at most n
    plus one per kind), by the same cursor that matched it. A second pass of snippets, one
    seek per hit, re-ran the whole match (every term a prefix covers) for each hit.
    The merge orders by score alone: more keys would make SQLite sort each arm itself,
    making a snippet for every match; `search` breaks ties by kind and id.
    The engine's own parts (the index, its rank, snippets, how arms merge) come from
    `fulltext` (db.dialects): on PostgreSQL snippets are made after the merge, in Python, for
    the rows kept (`with_snippets`).
    """
    parts = []
    marks = (MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS)
    for kind in kinds:
        table, sql, org_sql, status_sql = _KIND_SQL[kind]
        src, match = fulltext.source(table, limited=False)
        parts.append(
            sql.format(
                src=src,
                match=match,
                org=f"AND {org_sql}" if by_org else "",
                status=f"AND {status_sql} = :status" if by_status else "",
                snippet=fulltext.arm_snippet(table, _ROW_ALIAS[kind], *marks),
            )
        )
    arms = [(kind, _KIND_SQL[kind][0]) for kind in kinds]
    return fulltext.merge(parts, arms, _COLUMNS, marks)


# The alias of each kind's indexed row in its SQL, and the columns every arm yields.
_ROW_ALIAS = {"document": "d", "section": "s", "published": "p", "comment": "c", "study": "t"}
_COLUMNS = (
    "kind",
    "id",
    "document_id",
    "section_id",
    "score",
    "organization",
    "status",
    "title",
    "context",
    "version",
)
