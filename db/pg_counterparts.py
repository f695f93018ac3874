"""PostgreSQL counterparts of the SQLite migrations (what SQLite spells its own way, by hand)."""

from __future__ import annotations

from db import migrations
from db.migrations import CHECKOUTS
from db.pg_ddl import counterpart, replay, run_sqlite_migration, script, translated_ddl
from db.postgres import WRITER_LOCK

# ts_rank reads weights A-D; each index weights its columns A, B, C, D in FTS5's column order.
# index: (table, indexed columns, the column that takes a row out of the index, if any)
_VECTORS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "documents_fts": ("documents", ("title",), "deleted_at"),
    "sections_fts": ("sections", ("heading", "body"), "deleted_at"),
    "comments_fts": (
        "comments",
        ("comment", "rationale", "proposed_wording", "quoted_passage"),
        "superseded_by_id",
    ),
    "studies_fts": ("studies", ("title", "abstract", "office", "contact"), None),
    "published_fts": ("published_sections", ("heading", "body"), None),
}


def _vector(columns: tuple[str, ...], row: str) -> str:
    return " || ".join(
        f"setweight(to_tsvector('cne_search', cne_search_text({row}.{c})), '{w}')"
        for c, w in zip(columns, "ABCD", strict=False)
    )


@counterpart("m001_foundation")
def m001_foundation(store) -> None:
    # What the SQLite file has built in: a case-insensitive collation for COLLATE NOCASE, a
    # search configuration like FTS5's unicode61 (no stemming, accents removed), JSON readers
    # that never fail on a damaged value, and the triggers' functions.
    unaccent = _unaccent_schema(store)
    script(
        store,
        f"""
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2',
    deterministic = false)
;;
CREATE TEXT SEARCH CONFIGURATION cne_search (COPY = pg_catalog.simple)
;;
ALTER TEXT SEARCH CONFIGURATION cne_search
    ALTER MAPPING FOR word, hword, hword_part WITH {unaccent}.unaccent, simple
;;
CREATE FUNCTION cne_jsonb(doc text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN doc::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$
;;
CREATE FUNCTION cne_json_int(doc text, key text) RETURNS bigint LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v jsonb := cne_jsonb(doc) -> key;
BEGIN
    IF jsonb_typeof(v) = 'number' AND (v #>> '{{}}') ~ '^-?[0-9]{{1,18}}$' THEN
        RETURN (v #>> '{{}}')::bigint;
    END IF;
    RETURN NULL;
END $$
;;
CREATE FUNCTION cne_json_text(doc text, key text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT cne_jsonb(doc) ->> key
$$
;;
CREATE FUNCTION cne_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$
;;
CREATE FUNCTION cne_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Delivered at commit, to every listening client: who did what, from which session.
    PERFORM pg_notify('cne_changes', json_build_object(
        'schema', TG_TABLE_SCHEMA, 'id', NEW.id, 'at', NEW.at, 'actor', NEW.actor,
        'action', NEW.action, 'entity', NEW.entity, 'entity_id', NEW.entity_id,
        'pid', pg_backend_pid())::text);
    RETURN NULL;
END $$
""",
    )
    script(store, _SEARCH_FUNCTIONS)
    run_sqlite_migration(store, "m001_foundation", skip=lambda s: "CREATE TRIGGER" in s)
    script(
        store,
        """
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION cne_refuse_change('the audit log is append-only')
;;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION cne_refuse_change('the audit log is append-only')
;;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION cne_refuse_change('the audit log is append-only')
;;
CREATE TRIGGER audit_log_announce AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION cne_announce_change()
""",
    )


# Full-text search helpers (cne_search_text, cne_tsquery, cne_snippet): read by db.dialects.
_SEARCH_FUNCTIONS = r"""
CREATE FUNCTION cne_search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    -- The parser reads <x> as markup and <script>… as hidden: < and > become private-use
    -- characters (read as spaces) so every typed word is indexed.
    SELECT translate(coalesce(t, ''), '<>', U&'\E000\E001')
$$
;;
CREATE FUNCTION cne_tsquery(words text[], prefixes bigint[], any_word bigint)
RETURNS tsquery LANGUAGE plpgsql STABLE AS $$
DECLARE
    result tsquery;
    part tsquery;
BEGIN
    -- Each phrase through websearch_to_tsquery (never a syntax error); the word being typed
    -- as a prefix. All must match, or with any_word = 1 any may.
    FOR i IN 1 .. coalesce(array_length(words, 1), 0) LOOP
        IF prefixes[i] = 1 THEN
            part := to_tsquery('cne_search', quote_literal(cne_search_text(words[i])) || ':*');
        ELSE
            part := websearch_to_tsquery('cne_search', '"' || cne_search_text(words[i]) || '"');
        END IF;
        IF numnode(part) = 0 THEN
            CONTINUE;
        ELSIF result IS NULL THEN
            result := part;
        ELSIF any_word = 1 THEN
            result := result || part;
        ELSE
            result := result && part;
        END IF;
    END LOOP;
    RETURN coalesce(result, ''::tsquery);
END $$
;;
CREATE FUNCTION cne_snippet(texts text[], q tsquery, start_sel text, stop_sel text,
    ellipsis text, max_words int) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    best int := 1;
    best_rank real := -1;
    r real;
    body text;
    frag text;
    bare text;
    at int;
BEGIN
    -- Like FTS5's snippet(-1): a passage from the column the query matches best, with an
    -- ellipsis where the passage starts or ends inside the text.
    FOR i IN 1 .. coalesce(array_length(texts, 1), 0) LOOP
        r := ts_rank(to_tsvector('cne_search', cne_search_text(texts[i])), q);
        IF r > best_rank THEN
            best := i;
            best_rank := r;
        END IF;
    END LOOP;
    body := cne_search_text(texts[best]);
    IF coalesce(array_length(regexp_split_to_array(btrim(body), '\s+'), 1), 0) <= max_words THEN
        frag := ts_headline('cne_search', body, q,
            format('StartSel=%s, StopSel=%s, HighlightAll=true', start_sel, stop_sel));
    ELSE
        frag := ts_headline('cne_search', body, q, format(
            'StartSel=%s, StopSel=%s, MaxWords=%s, MinWords=%s, MaxFragments=1',
            start_sel, stop_sel, max_words, greatest(1, max_words / 2)));
        bare := replace(replace(frag, start_sel, ''), stop_sel, '');
        at := strpos(body, bare);
        IF at > 1 THEN
            frag := ellipsis || frag;
        END IF;
        IF at = 0 OR at + length(bare) <= length(rtrim(body, E' \t\r\n.,;:!?"''')) THEN
            frag := frag || ellipsis;
        END IF;
    END IF;
    RETURN translate(frag, U&'\E000\E001', '<>');
END $$
"""


def _unaccent_schema(store) -> str:
    """The schema holding the unaccent dictionary, installing the extension if need be."""
    row = next(
        store.query(
            "SELECT n.nspname AS schema FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
        ),
        None,
    )
    if row is None:
        # unaccent is a trusted extension: the database's owner may install it.
        store.execute("CREATE EXTENSION unaccent SCHEMA public")
        return "public"
    return '"' + row["schema"].replace('"', '""') + '"'


replay("m002_coordination")
replay("m003_pdf")
replay("m004_exchange")


@counterpart("m005_search")
def m005_search(store) -> None:
    # Tables and indexes as SQLite has them; FTS5's virtual tables become `<name>_fts` tables
    # of weighted tsvectors with GIN indexes, kept by one trigger function per indexed table.
    def by_hand(statement: str) -> bool:
        return "_fts" in statement or "json_each" in statement or "CREATE TRIGGER" in statement

    run_sqlite_migration(store, "m005_search", skip=by_hand)
    for index, (table, columns, gone) in _VECTORS.items():
        live_new = f"NEW.{gone} IS NULL" if gone else "TRUE"
        live_row = f"r.{gone} IS NULL" if gone else "TRUE"
        watched = ", ".join(columns + ((gone,) if gone else ()))
        script(
            store,
            f"""
CREATE TABLE {index} (id BIGINT PRIMARY KEY, doc TSVECTOR NOT NULL)
;;
CREATE INDEX {index}_doc ON {index} USING gin (doc)
;;
CREATE FUNCTION {index}_sync() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM {index} WHERE id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND {live_new} THEN
        INSERT INTO {index} (id, doc) VALUES (NEW.id, {_vector(columns, "NEW")});
    END IF;
    RETURN NULL;
END $$
;;
CREATE TRIGGER {index}_sync AFTER INSERT OR DELETE OR UPDATE OF {watched}
    ON {table} FOR EACH ROW EXECUTE FUNCTION {index}_sync()
;;
INSERT INTO {index} (id, doc)
    SELECT r.id, {_vector(columns, "r")} FROM {table} AS r WHERE {live_row}
""",
        )
    script(
        store,
        """
CREATE FUNCTION cne_published_sections(snapshot text)
RETURNS TABLE (n bigint, section_id bigint, number text, heading text, body text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT j.n, cne_json_int(j.value::text, 'section_id'),
           coalesce(j.value ->> 'number', ''), coalesce(j.value ->> 'heading', ''),
           coalesce(j.value ->> 'body', '')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(cne_jsonb(snapshot) -> 'sections') = 'array'
                                   THEN cne_jsonb(snapshot) -> 'sections' ELSE '[]' END)
         WITH ORDINALITY AS j(value, n)
    WHERE jsonb_typeof(j.value) = 'object'
$$
;;
CREATE FUNCTION publications_search_ai() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO published_sections
        (publication_id, document_id, version, section_id, number, heading, body)
    SELECT NEW.id, NEW.document_id, NEW.version, p.section_id, p.number, p.heading, p.body
    FROM cne_published_sections(NEW.snapshot) AS p ORDER BY p.n;
    RETURN NULL;
END $$
;;
CREATE TRIGGER publications_search_ai AFTER INSERT ON publications
    FOR EACH ROW EXECUTE FUNCTION publications_search_ai()
;;
INSERT INTO published_sections
    (publication_id, document_id, version, section_id, number, heading, body)
SELECT pub.id, pub.document_id, pub.version, p.section_id, p.number, p.heading, p.body
FROM publications AS pub, cne_published_sections(pub.snapshot) AS p
ORDER BY pub.id, p.n
""",
    )


@counterpart("m006_read_indexes")
def m006_read_indexes(store) -> None:
    # SQLite's covering index holds the heading too; a PostgreSQL b-tree entry is limited to
    # ~2.7 KB, so a long heading would make the section unsaveable. The heading stays out.
    store.execute(
        "CREATE INDEX sections_live_outline ON sections (document_id, position, id) "
        "INCLUDE (parent_id, kind, content_hash, changed_at) WHERE deleted_at IS NULL"
    )
    store.execute(
        "CREATE INDEX comments_by_document ON comments "
        "(document_id, organization_id, type, disposition, superseded_by_id, request_id)"
    )


@counterpart("m007_office_closures")
def m007_office_closures(store) -> None:
    store.execute(
        "CREATE TABLE office_closures ("
        " day TEXT PRIMARY KEY CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),"
        " reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),"
        " added_by TEXT NOT NULL, added_at TEXT NOT NULL)"
    )


@counterpart("m008_identity")
def m008_identity(store) -> None:
    run_sqlite_migration(store, "m008_identity", skip=lambda s: "CREATE TRIGGER" in s)
    store.execute(
        "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions FOR EACH ROW "
        "EXECUTE FUNCTION cne_refuse_change('a decision is never changed')"
    )


replay("m009_coordination_sequence")
replay("m010_exchange_evidence")


@counterpart("m011_search_queue")
def m011_search_queue(store) -> None:
    # SQLite's triggers may not write FTS5 tables under trusted_schema=OFF, so m011 queues
    # index changes for db.search_index to apply. PostgreSQL's trigger functions (m005) keep
    # the tsvector tables current in the same transaction: there is nothing to queue.
    pass


@counterpart("m012_figures")
def m012_figures(store) -> None:
    run_sqlite_migration(store, "m012_figures", skip=lambda s: "CREATE TRIGGER" in s)
    store.execute(
        "CREATE TRIGGER figures_no_update BEFORE UPDATE ON figures FOR EACH ROW "
        "EXECUTE FUNCTION cne_refuse_change('a stored figure is never changed')"
    )


@counterpart("m013_open_comment_counts")
def m013_open_comment_counts(store) -> None:
    # The table and its first counts as SQLite has them; one trigger function keeps them.
    run_sqlite_migration(store, "m013_open_comment_counts", skip=lambda s: "CREATE TRIGGER" in s)
    script(
        store,
        """
CREATE FUNCTION open_comment_counts_sync() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.disposition IS NULL
            AND OLD.superseded_by_id IS NULL THEN
        DELETE FROM open_comment_counts WHERE document_id = OLD.document_id
            AND organization_id = OLD.organization_id AND type = OLD.type AND n = 1;
        UPDATE open_comment_counts SET n = n - 1 WHERE document_id = OLD.document_id
            AND organization_id = OLD.organization_id AND type = OLD.type;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.disposition IS NULL
            AND NEW.superseded_by_id IS NULL THEN
        INSERT INTO open_comment_counts AS c (document_id, organization_id, type, n)
            VALUES (NEW.document_id, NEW.organization_id, NEW.type, 1)
            ON CONFLICT (document_id, organization_id, type) DO UPDATE SET n = c.n + 1;
    END IF;
    RETURN NULL;
END $$
;;
CREATE TRIGGER open_comment_counts_sync AFTER INSERT OR DELETE
    OR UPDATE OF document_id, organization_id, type, disposition, superseded_by_id
    ON comments FOR EACH ROW EXECUTE FUNCTION open_comment_counts_sync()
""",
    )


@counterpart("m014_document_comments")
def m014_document_comments(store) -> None:
    # SQLite rebuilds the table to drop NOT NULL; PostgreSQL alters the column in place.
    store.execute("ALTER TABLE comments ALTER COLUMN section_id DROP NOT NULL")


@counterpart("m015_dashboard_changes")
def m015_dashboard_changes(store) -> None:
    # The other indexes as SQLite has them; the table and the triggers that feed it by hand:
    # one trigger function per table, each noting the document(s) a row belongs to.
    run_sqlite_migration(
        store,
        "m015_dashboard_changes",
        skip=lambda s: "CREATE TRIGGER" in s or "dashboard_changes" in s,
    )
    script(
        store,
        f"""
CREATE TABLE dashboard_changes (
    document_id BIGINT PRIMARY KEY,  -- 0: every document
    seq BIGINT NOT NULL
)
;;
CREATE INDEX dashboard_changes_seq ON dashboard_changes (seq)
;;
CREATE FUNCTION dashboard_changes_mark(doc bigint) RETURNS void LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    IF doc IS NULL THEN
        RETURN;
    END IF;
    -- The writers' lock (use-cases hold it already): a write by anything else waits too, so
    -- each seq is above every committed one and a reader that saw seq n misses no later one.
    PERFORM pg_advisory_xact_lock({WRITER_LOCK});
    INSERT INTO dashboard_changes (document_id, seq)
        VALUES (doc, (SELECT coalesce(max(seq), 0) + 1 FROM dashboard_changes))
        ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq;
END $$
;;
CREATE FUNCTION dashboard_changes_new_version() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM dashboard_changes_mark(NEW.entity_id);
    RETURN NULL;
END $$
;;
CREATE TRIGGER dashboard_changes_new_version AFTER INSERT ON audit_log FOR EACH ROW
    WHEN (NEW.entity = 'document' AND NEW.action = 'document.new_version')
    EXECUTE FUNCTION dashboard_changes_new_version()
""",
    )
    for table, document, columns in migrations.DASHBOARD_SOURCES:
        script(
            store,
            f"""
CREATE FUNCTION dashboard_changes_{table}() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM dashboard_changes_mark({document.format(row="OLD")});
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM dashboard_changes_mark({document.format(row="NEW")});
    END IF;
    RETURN NULL;
END $$
;;
CREATE TRIGGER dashboard_changes_{table} AFTER INSERT OR DELETE OR UPDATE OF {columns}
    ON {table} FOR EACH ROW EXECUTE FUNCTION dashboard_changes_{table}()
""",
        )


# The triggers m015 adds (workbench.maintenance.check_shared knows them as part of the schema).
DASHBOARD_TRIGGERS = ("dashboard_changes_new_version",) + tuple(
    f"dashboard_changes_{table}" for table, _, _ in migrations.DASHBOARD_SOURCES
)


@counterpart("m016_offline_checkouts")
def m016_offline_checkouts(store) -> None:
    # SQLite rebuilds decisions to widen its CHECK; PostgreSQL swaps the constraint in place.
    store.execute("ALTER TABLE decisions DROP CONSTRAINT decisions_kind_check")
    store.execute(
        "ALTER TABLE decisions ADD CONSTRAINT decisions_kind_check CHECK (kind IN ('publish', "
        "'waive', 'override', 'withdraw', 'no_coordination', 'approve', 'break_lease'))"
    )
    for statement in migrations._split(CHECKOUTS):
        store.execute(translated_ddl(statement))


@counterpart("m017_shared_search")
def m017_shared_search(store) -> None:
    # Ranking reads every match's stored vector: kept in the row's own page (STORAGE MAIN, no
    # compression below a page), not in TOAST, reading it is one page instead of an index
    # lookup and three chunks (search p95 on 10,000 sections: ~2× faster). Rows already
    # stored move in (`|| ''` makes a new value); the GIN index is built again once.
    for index in _VECTORS:
        script(
            store,
            f"""
ALTER TABLE {index} SET (toast_tuple_target = 8160)
;;
ALTER TABLE {index} ALTER COLUMN doc SET STORAGE MAIN
;;
DROP INDEX {index}_doc
;;
UPDATE {index} SET doc = doc || ''::tsvector
;;
CREATE INDEX {index}_doc ON {index} USING gin (doc)
""",
        )
    script(store, _SEARCH_FUNCTIONS_M017)


# m017: cne_tsquery is IMMUTABLE (it reads only its arguments and the fixed configuration, as
# to_tsquery(regconfig, text) does), so a plan folds it into a constant the planner can
# estimate. cne_snippet takes the row's stored weighted vector: the best column is chosen from
# it (the parts of each weight, ranked as to_tsvector of that column alone ranks), and only
# that column is parsed, once, by ts_headline.
_SEARCH_FUNCTIONS_M017 = r"""
ALTER FUNCTION cne_tsquery(text[], bigint[], bigint) IMMUTABLE
;;
DROP FUNCTION cne_snippet(text[], tsquery, text, text, text, int)
;;
CREATE FUNCTION cne_snippet(texts text[], doc tsvector, q tsquery, find text,
    start_sel text, stop_sel text, ellipsis text, max_words int) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    best int := 1;
    best_rank real := -1;
    r real;
    body text;
    hit text;
    piece text;
    cut int := 0;
    frag text;
    bare text;
    at int;
BEGIN
    -- Like FTS5's snippet(-1): a passage from the column the query matches best, with an
    -- ellipsis where the passage starts or ends inside the text. Column i is weighted with
    -- the i-th of A-D in `doc`; each weight 0.1 ranks it as its unweighted vector would.
    IF coalesce(array_length(texts, 1), 0) > 1 THEN
        FOR i IN 1 .. least(array_length(texts, 1), 4) LOOP
            IF doc IS NULL THEN
                r := ts_rank(to_tsvector('cne_search', cne_search_text(texts[i])), q);
            ELSE
                r := ts_rank('{0.1, 0.1, 0.1, 0.1}',
                    ts_filter(doc, ARRAY[substr('abcd', i, 1)]::"char"[]), q);
            END IF;
            IF r > best_rank THEN
                best := i;
                best_rank := r;
            END IF;
        END LOOP;
    END IF;
    body := coalesce(texts[best], '');
    -- More than max_words words? Anchored, it reads only the first max_words + 1.
    IF body !~ ('^\s*(?:\S+\s+){' || max_words || '}\S') THEN
        frag := ts_headline('cne_search', cne_search_text(body), q,
            format('StartSel=%s, StopSel=%s, HighlightAll=true', start_sel, stop_sel));
    ELSE
        -- ts_headline parses all the text it is given (~0.2 ms for 300 words): give it the
        -- 600 characters around the first word `find` (the query's words as a regex) finds,
        -- and the whole text only when they hold no highlighted word after all.
        IF coalesce(find, '') <> '' AND length(body) > 600 THEN
            hit := (regexp_match(body, find, 'i'))[1];
            IF hit IS NOT NULL THEN
                cut := greatest(1, strpos(body, hit) - 150);
            END IF;
        END IF;
        IF cut > 0 THEN
            piece := substr(body, cut, 600);
            IF cut > 1 THEN
                piece := regexp_replace(piece, '^\S*\s+', '');  -- the word cut at the start
            END IF;
            IF cut + 600 <= length(body) THEN
                -- and at the end (reversed, the regex is anchored: it reads one word)
                piece := reverse(regexp_replace(reverse(piece), '^\S*\s+', ''));
            END IF;
            frag := ts_headline('cne_search', cne_search_text(piece), q, format(
                'StartSel=%s, StopSel=%s, MaxWords=%s, MinWords=%s, MaxFragments=1',
                start_sel, stop_sel, max_words, greatest(1, max_words / 2)));
            IF strpos(frag, start_sel) = 0 THEN
                frag := NULL;
            END IF;
        END IF;
        IF frag IS NULL THEN
            frag := ts_headline('cne_search', cne_search_text(body), q, format(
                'StartSel=%s, StopSel=%s, MaxWords=%s, MinWords=%s, MaxFragments=1',
                start_sel, stop_sel, max_words, greatest(1, max_words / 2)));
        END IF;
        bare := translate(replace(replace(frag, start_sel, ''), stop_sel, ''),
            U&'\E000\E001', '<>');
        at := strpos(body, bare);
        IF at > 1 THEN
            frag := ellipsis || frag;
        END IF;
        IF at = 0 OR at + length(bare) <= length(rtrim(body, E' \t\r\n.,;:!?"''')) THEN
            frag := frag || ellipsis;
        END IF;
    END IF;
    RETURN translate(frag, U&'\E000\E001', '<>');
END $$
"""
