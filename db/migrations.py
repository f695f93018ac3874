"""The workspace schema, as an ordered set of sqlite-utils migrations (never edit a shipped one)."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

SET_NAME = "cne_workbench"
MIGRATIONS_TABLE = Migrations.migrations_table
MIGRATIONS = Migrations(SET_NAME)


def names() -> list[str]:
    return [m.name for m in MIGRATIONS._migrations]


def _script(db: sqlite_utils.Database, sql: str) -> None:
    for statement in _split(sql):
        db.execute(statement)


def _split(sql: str) -> list[str]:
    # Statements are separated by a line holding only ";;" so trigger bodies keep their own ";".
    return [s.strip() for s in sql.split("\n;;\n") if s.strip()]


@MIGRATIONS(name="m001_foundation")
def m001_foundation(db: sqlite_utils.Database) -> None:
    _script(
        db,
        """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
;;
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('cne', 'dhs', 'federal', 'slt', 'other')),
    liaison_title TEXT NOT NULL DEFAULT ''
)
;;
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (trim(name) != ''),
    title TEXT NOT NULL DEFAULT '',
    organization_id INTEGER REFERENCES organizations(id) ON DELETE RESTRICT,
    email TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
)
;;
CREATE TABLE person_roles (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN
        ('analyst', 'director', 'liaison', 'detailee', 'external_reviewer')),
    designated_on TEXT,
    position_description TEXT NOT NULL DEFAULT '',
    UNIQUE (person_id, role)
)
;;
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('strategy', 'doctrine', 'directive', 'sop',
        'report_to_congress', 'study', 'implementation_plan')),
    title TEXT NOT NULL CHECK (trim(title) != ''),
    marking TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in_coordination', 'published')),
    version INTEGER NOT NULL DEFAULT 1,
    lead_org_id INTEGER REFERENCES organizations(id) ON DELETE RESTRICT,
    co_lead_org_id INTEGER REFERENCES organizations(id) ON DELETE RESTRICT,
    due_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
)
;;
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'narrative'
        CHECK (kind IN ('narrative', 'tenet', 'action_item', 'appendix')),
    heading TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    deleted_at TEXT,
    deletion_batch TEXT
)
;;
CREATE INDEX sections_tree ON sections (document_id, parent_id, position)
;;
CREATE TABLE section_equities (
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    PRIMARY KEY (section_id, organization_id)
) WITHOUT ROWID
;;
CREATE INDEX section_equities_org ON section_equities (organization_id)
;;
CREATE TABLE section_revisions (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    heading TEXT NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (section_id, content_hash)
)
;;
CREATE TABLE document_revisions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    document_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
)
;;
CREATE TABLE document_revision_sections (
    document_revision_id INTEGER NOT NULL
        REFERENCES document_revisions(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    section_revision_id INTEGER NOT NULL REFERENCES section_revisions(id),
    parent_id INTEGER,
    depth INTEGER NOT NULL,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    equities TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (document_revision_id, ordinal)
)
;;
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL DEFAULT '',
    entity_id INTEGER,
    details TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
)
;;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END
;;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END
""",
    )


@MIGRATIONS(name="m002_coordination")
def m002_coordination(db: sqlite_utils.Database) -> None:
    _script(
        db,
        """
CREATE TABLE review_requests (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    reviewer_person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    reviewer_name TEXT NOT NULL DEFAULT '',
    reviewer_email TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'sent', 'returned', 'withdrawn')),
    suspense_date TEXT NOT NULL,
    suspense_workdays INTEGER,
    instructions TEXT NOT NULL DEFAULT '',
    document_version INTEGER NOT NULL,
    token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    sent_at TEXT,
    returned_at TEXT,
    withdrawn_at TEXT,
    withdrawn_reason TEXT
)
;;
CREATE INDEX review_requests_document ON review_requests (document_id, organization_id)
;;
CREATE TABLE review_request_sections (
    request_id INTEGER NOT NULL REFERENCES review_requests(id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    section_revision_id INTEGER NOT NULL REFERENCES section_revisions(id),
    PRIMARY KEY (request_id, section_id)
) WITHOUT ROWID
;;
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    item_no INTEGER NOT NULL,
    request_id INTEGER REFERENCES review_requests(id) ON DELETE SET NULL,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    reviewer_name TEXT NOT NULL DEFAULT '',
    reviewer_title TEXT NOT NULL DEFAULT '',
    response_date TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('C', 'S', 'A')),
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    section_revision_id INTEGER REFERENCES section_revisions(id),
    location_detail TEXT NOT NULL DEFAULT '',
    quoted_passage TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL CHECK (trim(comment) != ''),
    rationale TEXT NOT NULL DEFAULT '',
    critical_ground TEXT CHECK (critical_ground IS NULL OR critical_ground IN
        ('law', 'policy', 'safety', 'waste', 'burden')),
    proposed_wording TEXT NOT NULL DEFAULT '',
    disposition TEXT CHECK (disposition IS NULL OR disposition IN
        ('accepted', 'accepted_with_modification', 'rejected')),
    disposition_rationale TEXT NOT NULL DEFAULT '',
    disposition_by TEXT,
    disposition_at TEXT,
    wording_applied_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    superseded_by_id INTEGER REFERENCES comments(id),
    UNIQUE (document_id, item_no),
    CHECK (type != 'C' OR critical_ground IS NOT NULL),
    CHECK (disposition IS NULL OR disposition = 'accepted'
        OR trim(disposition_rationale) != '')
)
;;
CREATE INDEX comments_section ON comments (section_id)
;;
CREATE TABLE comment_replies (
    id INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    at TEXT NOT NULL,
    text TEXT NOT NULL CHECK (trim(text) != '')
)
;;
CREATE TABLE positions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    request_id INTEGER REFERENCES review_requests(id) ON DELETE SET NULL,
    position TEXT NOT NULL CHECK (position IN ('concur', 'concur_with_comment', 'non_concur')),
    by_name TEXT NOT NULL CHECK (trim(by_name) != ''),
    by_title TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    document_version INTEGER NOT NULL,
    recorded_by TEXT NOT NULL
)
;;
CREATE INDEX positions_document ON positions (document_id, organization_id)
;;
CREATE TABLE position_sections (
    position_id INTEGER NOT NULL REFERENCES positions(id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (position_id, section_id)
) WITHOUT ROWID
;;
CREATE TABLE nonconcurrence_events (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    position_id INTEGER REFERENCES positions(id) ON DELETE CASCADE,
    last_critical_comment_id INTEGER REFERENCES comments(id),
    kind TEXT NOT NULL CHECK (kind IN ('cleared', 'withdrawn', 'overridden')),
    by_name TEXT NOT NULL,
    by_title TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    document_version INTEGER NOT NULL,
    CHECK (kind = 'cleared' OR trim(reason) != '')
)
;;
CREATE TABLE waivers (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    section_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    document_version INTEGER NOT NULL,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (trim(reason) != ''),
    revoked_at TEXT
)
;;
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    pdf_sha256 TEXT,
    UNIQUE (document_id, version)
)
""",
    )


@MIGRATIONS(name="m003_pdf")
def m003_pdf(db: sqlite_utils.Database) -> None:
    # The fingerprint of each PDF a publication renders to, so verify-pdf can name the version.
    _script(
        db,
        """
CREATE TABLE publication_pdfs (
    publication_id INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    variant TEXT NOT NULL CHECK (variant IN ('plain', 'crm')),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (publication_id, variant)
) WITHOUT ROWID
;;
CREATE INDEX publication_pdfs_sha256 ON publication_pdfs (sha256)
""",
    )


@MIGRATIONS(name="m004_exchange")
def m004_exchange(db: sqlite_utils.Database) -> None:
    _script(
        db,
        """
CREATE TABLE exchange_imports (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES review_requests(id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('response', 'workbook')),
    response_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    digest TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    reviewer_name TEXT NOT NULL DEFAULT '',
    position_id INTEGER REFERENCES positions(id) ON DELETE SET NULL,
    comment_count INTEGER NOT NULL DEFAULT 0,
    stale_count INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    superseded_by_import_id INTEGER REFERENCES exchange_imports(id),
    UNIQUE (request_id, digest)
)
;;
CREATE INDEX exchange_imports_request ON exchange_imports (request_id, sequence)
;;
CREATE TABLE exchange_import_comments (
    import_id INTEGER NOT NULL REFERENCES exchange_imports(id) ON DELETE CASCADE,
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    made_on_changed_text INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, comment_id)
) WITHOUT ROWID
;;
CREATE INDEX exchange_import_comments_comment ON exchange_import_comments (comment_id)
;;
CREATE TABLE solicitations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    folder TEXT NOT NULL DEFAULT '',
    instructions TEXT NOT NULL DEFAULT ''
)
;;
CREATE TABLE solicitation_requests (
    solicitation_id INTEGER NOT NULL REFERENCES solicitations(id) ON DELETE CASCADE,
    request_id INTEGER NOT NULL REFERENCES review_requests(id) ON DELETE CASCADE,
    packet_file TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (solicitation_id, request_id)
) WITHOUT ROWID
""",
    )


# -- m005_search: full-text search, the study/contract registry, deconfliction consultations --
_FTS_OPTIONS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"


@MIGRATIONS(name="m005_search")
def m005_search(db: sqlite_utils.Database) -> None:
    # External-content FTS5 over views of the live rows, so the index never stores a second
    # copy of the text and 'rebuild' (the backfill for older workspaces) sees only live rows.
    _script(
        db,
        f"""
CREATE TABLE studies (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL CHECK (trim(title) != ''),
    kind TEXT NOT NULL DEFAULT 'study' CHECK (kind IN ('study', 'contract')),
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    office TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'underway', 'completed', 'cancelled')),
    year INTEGER,
    abstract TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    amount INTEGER,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
;;
CREATE INDEX studies_organization ON studies (organization_id)
;;
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    study_id INTEGER REFERENCES studies(id) ON DELETE CASCADE,
    related_study_id INTEGER REFERENCES studies(id) ON DELETE SET NULL,
    related_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    consulted INTEGER NOT NULL CHECK (consulted IN (0, 1)),
    whom TEXT NOT NULL DEFAULT '',
    organization_id INTEGER REFERENCES organizations(id) ON DELETE RESTRICT,
    consulted_on TEXT,
    outcome TEXT NOT NULL CHECK (trim(outcome) != ''),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK (document_id IS NOT NULL OR study_id IS NOT NULL),
    CHECK (consulted = 0 OR trim(whom) != '')
)
;;
CREATE INDEX consultations_document ON consultations (document_id)
;;
CREATE TABLE published_sections (
    id INTEGER PRIMARY KEY,
    publication_id INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    section_id INTEGER,
    number TEXT NOT NULL DEFAULT '',
    heading TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT ''
)
;;
CREATE INDEX published_sections_publication ON published_sections (publication_id)
;;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id)
;;
CREATE INDEX comments_document_open ON comments (document_id, disposition, type)
;;
CREATE VIEW search_documents_src AS
    SELECT id, title FROM documents WHERE deleted_at IS NULL
;;
CREATE VIEW search_sections_src AS
    SELECT id, heading, body FROM sections WHERE deleted_at IS NULL
;;
CREATE VIEW search_comments_src AS
    SELECT id, comment, rationale, proposed_wording, quoted_passage FROM comments
    WHERE superseded_by_id IS NULL
;;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, content = 'search_documents_src', content_rowid = 'id', {_FTS_OPTIONS})
;;
CREATE VIRTUAL TABLE sections_fts USING fts5(
    heading, body, content = 'search_sections_src', content_rowid = 'id', {_FTS_OPTIONS})
;;
CREATE VIRTUAL TABLE comments_fts USING fts5(
    comment, rationale, proposed_wording, quoted_passage,
    content = 'search_comments_src', content_rowid = 'id', {_FTS_OPTIONS})
;;
CREATE VIRTUAL TABLE studies_fts USING fts5(
    title, abstract, office, contact, content = 'studies', content_rowid = 'id', {_FTS_OPTIONS})
;;
CREATE VIRTUAL TABLE published_fts USING fts5(
    heading, body, content = 'published_sections', content_rowid = 'id', {_FTS_OPTIONS})
;;
INSERT INTO documents_fts (documents_fts, rank) VALUES ('rank', 'bm25(1.0)')
;;
INSERT INTO sections_fts (sections_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)')
;;
INSERT INTO comments_fts (comments_fts, rank) VALUES ('rank', 'bm25(1.0, 0.6, 0.6, 0.3)')
;;
INSERT INTO studies_fts (studies_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0, 2.0, 0.5)')
;;
INSERT INTO published_fts (published_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)')
;;
CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents WHEN new.deleted_at IS NULL
BEGIN
    INSERT INTO documents_fts (rowid, title) VALUES (new.id, new.title);
END
;;
CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, deleted_at ON documents
BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title)
        SELECT 'delete', old.id, old.title WHERE old.deleted_at IS NULL;
    INSERT INTO documents_fts (rowid, title)
        SELECT new.id, new.title WHERE new.deleted_at IS NULL;
END
;;
CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents WHEN old.deleted_at IS NULL
BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title) VALUES ('delete', old.id, old.title);
END
;;
CREATE TRIGGER sections_fts_ai AFTER INSERT ON sections WHEN new.deleted_at IS NULL
BEGIN
    INSERT INTO sections_fts (rowid, heading, body) VALUES (new.id, new.heading, new.body);
END
;;
CREATE TRIGGER sections_fts_au AFTER UPDATE OF heading, body, deleted_at ON sections
BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading, body)
        SELECT 'delete', old.id, old.heading, old.body WHERE old.deleted_at IS NULL;
    INSERT INTO sections_fts (rowid, heading, body)
        SELECT new.id, new.heading, new.body WHERE new.deleted_at IS NULL;
END
;;
CREATE TRIGGER sections_fts_ad AFTER DELETE ON sections WHEN old.deleted_at IS NULL
BEGIN
    INSERT INTO sections_fts (sections_fts, rowid, heading, body)
        VALUES ('delete', old.id, old.heading, old.body);
END
;;
CREATE TRIGGER comments_fts_ai AFTER INSERT ON comments WHEN new.superseded_by_id IS NULL
BEGIN
    INSERT INTO comments_fts (rowid, comment, rationale, proposed_wording, quoted_passage)
        VALUES (new.id, new.comment, new.rationale, new.proposed_wording, new.quoted_passage);
END
;;
CREATE TRIGGER comments_fts_au AFTER UPDATE OF
    comment, rationale, proposed_wording, quoted_passage, superseded_by_id ON comments
BEGIN
    INSERT INTO comments_fts
        (comments_fts, rowid, comment, rationale, proposed_wording, quoted_passage)
        SELECT 'delete', old.id, old.comment, old.rationale, old.proposed_wording,
            old.quoted_passage WHERE old.superseded_by_id IS NULL;
    INSERT INTO comments_fts (rowid, comment, rationale, proposed_wording, quoted_passage)
        SELECT new.id, new.comment, new.rationale, new.proposed_wording, new.quoted_passage
        WHERE new.superseded_by_id IS NULL;
END
;;
CREATE TRIGGER comments_fts_ad AFTER DELETE ON comments WHEN old.superseded_by_id IS NULL
BEGIN
    INSERT INTO comments_fts
        (comments_fts, rowid, comment, rationale, proposed_wording, quoted_passage)
        VALUES ('delete', old.id, old.comment, old.rationale, old.proposed_wording,
            old.quoted_passage);
END
;;
CREATE TRIGGER studies_fts_ai AFTER INSERT ON studies
BEGIN
    INSERT INTO studies_fts (rowid, title, abstract, office, contact)
        VALUES (new.id, new.title, new.abstract, new.office, new.contact);
END
;;
CREATE TRIGGER studies_fts_au AFTER UPDATE OF title, abstract, office, contact ON studies
BEGIN
    INSERT INTO studies_fts (studies_fts, rowid, title, abstract, office, contact)
        VALUES ('delete', old.id, old.title, old.abstract, old.office, old.contact);
    INSERT INTO studies_fts (rowid, title, abstract, office, contact)
        VALUES (new.id, new.title, new.abstract, new.office, new.contact);
END
;;
CREATE TRIGGER studies_fts_ad AFTER DELETE ON studies
BEGIN
    INSERT INTO studies_fts (studies_fts, rowid, title, abstract, office, contact)
        VALUES ('delete', old.id, old.title, old.abstract, old.office, old.contact);
END
;;
CREATE TRIGGER published_sections_fts_ai AFTER INSERT ON published_sections
BEGIN
    INSERT INTO published_fts (rowid, heading, body) VALUES (new.id, new.heading, new.body);
END
;;
CREATE TRIGGER published_sections_fts_ad AFTER DELETE ON published_sections
BEGIN
    INSERT INTO published_fts (published_fts, rowid, heading, body)
        VALUES ('delete', old.id, old.heading, old.body);
END
;;
CREATE TRIGGER publications_search_ai AFTER INSERT ON publications
BEGIN
    INSERT INTO published_sections
        (publication_id, document_id, version, section_id, number, heading, body)
    SELECT new.id, new.document_id, new.version, json_extract(j.value, '$.section_id'),
           coalesce(json_extract(j.value, '$.number'), ''),
           coalesce(json_extract(j.value, '$.heading'), ''),
           coalesce(json_extract(j.value, '$.body'), '')
    FROM json_each(CASE WHEN json_valid(new.snapshot) THEN new.snapshot ELSE '{{}}' END,
                   '$.sections') AS j;
END
;;
INSERT INTO published_sections
    (publication_id, document_id, version, section_id, number, heading, body)
SELECT p.id, p.document_id, p.version, json_extract(j.value, '$.section_id'),
       coalesce(json_extract(j.value, '$.number'), ''),
       coalesce(json_extract(j.value, '$.heading'), ''),
       coalesce(json_extract(j.value, '$.body'), '')
FROM publications AS p,
     json_each(CASE WHEN json_valid(p.snapshot) THEN p.snapshot ELSE '{{}}' END,
               '$.sections') AS j
ORDER BY p.id, j.key
;;
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')
;;
INSERT INTO sections_fts (sections_fts) VALUES ('rebuild')
;;
INSERT INTO comments_fts (comments_fts) VALUES ('rebuild')
;;
INSERT INTO studies_fts (studies_fts) VALUES ('rebuild')
;;
INSERT INTO published_fts (published_fts) VALUES ('rebuild')
""",
    )


@MIGRATIONS(name="m006_read_indexes")
def m006_read_indexes(db: sqlite_utils.Database) -> None:
    # A covering index over live sections: the outline and section counts read it without
    # touching the 2 KB section bodies (500-section outline ~16 ms → a few ms).
    db.execute(
        "CREATE INDEX sections_live_outline ON sections "
        "(document_id, position, id, parent_id, kind, heading, content_hash, changed_at) "
        "WHERE deleted_at IS NULL"
    )
    # The dashboard and the gate count a document's comments by organization, type and state.
    db.execute(
        "CREATE INDEX comments_by_document ON comments "
        "(document_id, organization_id, type, disposition, superseded_by_id, request_id)"
    )


@MIGRATIONS(name="m007_office_closures")
def m007_office_closures(db: sqlite_utils.Database) -> None:
    # Days the office is closed beyond the federal calendar (executive orders, weather): every
    # suspense and overdue count skips them.
    db.execute(
        "CREATE TABLE office_closures ("
        " day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
        " reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),"
        " added_by TEXT NOT NULL, added_at TEXT NOT NULL)"
    )


@MIGRATIONS(name="m008_identity")
def m008_identity(db: sqlite_utils.Database) -> None:
    # Who acted and with what authority: each person's public certificate, the pinned trust
    # anchors, the workspace's own certificates (their private halves never live in the file),
    # the audit entry's person and OS account, signed decisions and approval chains.
    _script(
        db,
        """
ALTER TABLE people ADD COLUMN certificate BLOB
;;
ALTER TABLE audit_log ADD COLUMN person_id INTEGER
;;
ALTER TABLE audit_log ADD COLUMN os_account TEXT
;;
CREATE TABLE trust_anchors (
    id INTEGER PRIMARY KEY,
    certificate BLOB NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
    subject TEXT NOT NULL,
    pinned_at TEXT NOT NULL
)
;;
CREATE TABLE workspace_keys (
    id INTEGER PRIMARY KEY,
    certificate BLOB NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
    created_at TEXT NOT NULL,
    os_account TEXT NOT NULL DEFAULT ''
)
;;
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN
        ('publish', 'waive', 'override', 'withdraw', 'no_coordination', 'approve')),
    subject TEXT NOT NULL DEFAULT '',
    document_version INTEGER NOT NULL,
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    at TEXT NOT NULL,
    record TEXT NOT NULL,
    signature BLOB,
    certificate BLOB,
    key_source TEXT NOT NULL DEFAULT 'none' CHECK (key_source IN ('person', 'workspace', 'none'))
)
;;
CREATE INDEX decisions_document ON decisions (document_id, kind, document_version)
;;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'a decision is never changed');
END
;;
CREATE TABLE approval_steps (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL CHECK (trim(title) != ''),
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    UNIQUE (kind, position)
)
""",
    )


@MIGRATIONS(name="m009_coordination_sequence")
def m009_coordination_sequence(db: sqlite_utils.Database) -> None:
    # Whether a non-concurrence still stands depends on what came first: the position or the
    # acceptance of its Critical comments. That order is kept on the rows themselves, from one
    # counter, rather than read back from audit-log ids (which a log rewrite would change).
    db.execute("ALTER TABLE positions ADD COLUMN seq INTEGER")
    db.execute("ALTER TABLE comments ADD COLUMN disposition_seq INTEGER")
    db.execute(
        "UPDATE positions SET seq = (SELECT max(a.id) FROM audit_log a WHERE a.entity = "
        "'position' AND a.entity_id = positions.id AND a.action = 'position.record')"
    )
    db.execute(
        "UPDATE comments SET disposition_seq = (SELECT max(a.id) FROM audit_log a WHERE "
        "a.entity = 'comment' AND a.entity_id = comments.id AND a.action = 'comment.adjudicate') "
        "WHERE disposition IS NOT NULL"
    )
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('coordination_seq', "
        "(SELECT coalesce(max(id), 0) FROM audit_log)) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
    )


@MIGRATIONS(name="m010_exchange_evidence")
def m010_exchange_evidence(db: sqlite_utils.Database) -> None:
    # What each packet or workbook sent said (its digest), so a response to text CNE never
    # sent is refused; and how each imported response was authenticated (a reviewer's
    # signature, or none: '' marks responses imported before, under the shared token).
    _script(
        db,
        """
CREATE TABLE exchange_packets (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES review_requests(id) ON DELETE CASCADE,
    digest TEXT NOT NULL CHECK (length(digest) = 64),
    kind TEXT NOT NULL CHECK (kind IN ('packet', 'workbook')),
    exported_at TEXT NOT NULL,
    UNIQUE (request_id, digest)
)
;;
ALTER TABLE exchange_imports ADD COLUMN authentication TEXT NOT NULL DEFAULT ''
""",
    )


# The search index's triggers queue what changed instead of writing FTS5 themselves: SQLite
# refuses FTS5 writes from any trigger once PRAGMA trusted_schema=OFF (which every connection
# sets, so nothing a file's schema asks for runs beyond innocuous functions). db.search_index
# applies the queue at the top level before each commit. Which rows are indexed (live sections
# and documents, comments not superseded) is unchanged from m005; c1..c4 hold the indexed
# columns in the FTS table's order. A publication's searchable sections (read from its
# snapshot with json_extract, which SQLite 3.40 does not count as innocuous) are queued too.
@MIGRATIONS(name="m011_search_queue")
def m011_search_queue(db: sqlite_utils.Database) -> None:
    _script(
        db,
        """
DROP TRIGGER documents_fts_ai
;;
DROP TRIGGER documents_fts_au
;;
DROP TRIGGER documents_fts_ad
;;
DROP TRIGGER sections_fts_ai
;;
DROP TRIGGER sections_fts_au
;;
DROP TRIGGER sections_fts_ad
;;
DROP TRIGGER comments_fts_ai
;;
DROP TRIGGER comments_fts_au
;;
DROP TRIGGER comments_fts_ad
;;
DROP TRIGGER studies_fts_ai
;;
DROP TRIGGER studies_fts_au
;;
DROP TRIGGER studies_fts_ad
;;
DROP TRIGGER published_sections_fts_ai
;;
DROP TRIGGER published_sections_fts_ad
;;
DROP TRIGGER publications_search_ai
;;
CREATE TABLE search_queue (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert', 'delete')),
    row_id INTEGER NOT NULL,
    c1 TEXT,
    c2 TEXT,
    c3 TEXT,
    c4 TEXT
)
;;
CREATE TRIGGER documents_search_ai AFTER INSERT ON documents
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1)
        SELECT 'documents_fts', 'insert', new.id, new.title WHERE new.deleted_at IS NULL;
END
;;
CREATE TRIGGER documents_search_au AFTER UPDATE OF title, deleted_at ON documents
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1)
        SELECT 'documents_fts', 'delete', old.id, old.title WHERE old.deleted_at IS NULL;
    INSERT INTO search_queue (target, op, row_id, c1)
        SELECT 'documents_fts', 'insert', new.id, new.title WHERE new.deleted_at IS NULL;
END
;;
CREATE TRIGGER documents_search_ad AFTER DELETE ON documents
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1)
        SELECT 'documents_fts', 'delete', old.id, old.title WHERE old.deleted_at IS NULL;
END
;;
CREATE TRIGGER sections_search_ai AFTER INSERT ON sections
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2)
        SELECT 'sections_fts', 'insert', new.id, new.heading, new.body WHERE new.deleted_at IS NULL;
END
;;
CREATE TRIGGER sections_search_au AFTER UPDATE OF heading, body, deleted_at ON sections
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2)
        SELECT 'sections_fts', 'delete', old.id, old.heading, old.body WHERE old.deleted_at IS NULL;
    INSERT INTO search_queue (target, op, row_id, c1, c2)
        SELECT 'sections_fts', 'insert', new.id, new.heading, new.body WHERE new.deleted_at IS NULL;
END
;;
CREATE TRIGGER sections_search_ad AFTER DELETE ON sections
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2)
        SELECT 'sections_fts', 'delete', old.id, old.heading, old.body WHERE old.deleted_at IS NULL;
END
;;
CREATE TRIGGER comments_search_ai AFTER INSERT ON comments
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2, c3, c4)
        SELECT 'comments_fts', 'insert', new.id, new.comment, new.rationale,
            new.proposed_wording, new.quoted_passage WHERE new.superseded_by_id IS NULL;
END
;;
CREATE TRIGGER comments_search_au AFTER UPDATE OF
    comment, rationale, proposed_wording, quoted_passage, superseded_by_id ON comments
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2, c3, c4)
        SELECT 'comments_fts', 'delete', old.id, old.comment, old.rationale,
            old.proposed_wording, old.quoted_passage WHERE old.superseded_by_id IS NULL;
    INSERT INTO search_queue (target, op, row_id, c1, c2, c3, c4)
        SELECT 'comments_fts', 'insert', new.id, new.comment, new.rationale,
            new.proposed_wording, new.quoted_passage WHERE new.superseded_by_id IS NULL;
END
;;
CREATE TRIGGER comments_search_ad AFTER DELETE ON comments
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2, c3, c4)
        SELECT 'comments_fts', 'delete', old.id, old.comment, old.rationale,
            old.proposed_wording, old.quoted_passage WHERE old.superseded_by_id IS NULL;
END
;;
CREATE TRIGGER studies_search_ai AFTER INSERT ON studies
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2, c3, c4)
        SELECT 'studies_fts', 'insert', new.id, new.title, new.abstract, new.office, new.contact;
END
;;
CREATE TRIGGER studies_search_au AFTER UPDATE OF title, abstract, office, contact ON studies
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2, c3, c4)
        SELECT 'studies_fts', 'delete', old.id, old.title, old.abstract, old.office, old.contact;
    INSERT INTO search_queue (target, op, row_id, c1, c2, c3, c4)
        SELECT 'studies_fts', 'insert', new.id, new.title, new.abstract, new.office, new.contact;
END
;;
CREATE TRIGGER studies_search_ad AFTER DELETE ON studies
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2, c3, c4)
        SELECT 'studies_fts', 'delete', old.id, old.title, old.abstract, old.office, old.contact;
END
;;
CREATE TRIGGER published_sections_search_ai AFTER INSERT ON published_sections
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2)
        SELECT 'published_fts', 'insert', new.id, new.heading, new.body;
END
;;
CREATE TRIGGER published_sections_search_ad AFTER DELETE ON published_sections
BEGIN
    INSERT INTO search_queue (target, op, row_id, c1, c2)
        SELECT 'published_fts', 'delete', old.id, old.heading, old.body;
END
;;
CREATE TRIGGER publications_search_ai AFTER INSERT ON publications
BEGIN
    INSERT INTO search_queue (target, op, row_id) VALUES ('published_sections', 'insert', new.id);
END
""",
    )


@MIGRATIONS(name="m012_figures")
def m012_figures(db: sqlite_utils.Database) -> None:
    # Figures live inside the workspace file, so a document never depends on a path that can
    # move or change. A stored figure is never changed: published snapshots name it by id and
    # hash, and re-rendering a published version must draw the same picture.
    _script(
        db,
        """
CREATE TABLE figures (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    media_type TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/svg+xml')),
    data BLOB NOT NULL,
    size INTEGER NOT NULL CHECK (size = length(data)),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    alt TEXT NOT NULL CHECK (trim(alt) != ''),
    caption TEXT NOT NULL DEFAULT '',
    source_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
)
;;
CREATE INDEX figures_document ON figures (document_id)
;;
CREATE TRIGGER figures_no_update BEFORE UPDATE ON figures
BEGIN
    SELECT RAISE(ABORT, 'a stored figure is never changed');
END
""",
    )


@MIGRATIONS(name="m013_open_comment_counts")
def m013_open_comment_counts(db: sqlite_utils.Database) -> None:
    # The dashboard's open comments, counted as comments are written instead of by a scan of
    # every open comment on each refresh (seconds on a large workspace). A comment is open
    # while it has no disposition and has not been superseded. Triggers keep each document's
    # counts by organization and type; only plain SQL in them (trusted_schema is off).
    _script(
        db,
        """
CREATE TABLE open_comment_counts (
    document_id INTEGER NOT NULL,
    organization_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    n INTEGER NOT NULL CHECK (n > 0),
    PRIMARY KEY (document_id, organization_id, type)
) WITHOUT ROWID
;;
INSERT INTO open_comment_counts (document_id, organization_id, type, n)
    SELECT document_id, organization_id, type, count(*) FROM comments
    WHERE disposition IS NULL AND superseded_by_id IS NULL
    GROUP BY document_id, organization_id, type
;;
CREATE TRIGGER open_comment_counts_ai AFTER INSERT ON comments
WHEN new.disposition IS NULL AND new.superseded_by_id IS NULL
BEGIN
    INSERT INTO open_comment_counts (document_id, organization_id, type, n)
        VALUES (new.document_id, new.organization_id, new.type, 1)
        ON CONFLICT (document_id, organization_id, type) DO UPDATE SET n = n + 1;
END
;;
CREATE TRIGGER open_comment_counts_ad AFTER DELETE ON comments
WHEN old.disposition IS NULL AND old.superseded_by_id IS NULL
BEGIN
    DELETE FROM open_comment_counts WHERE document_id = old.document_id
        AND organization_id = old.organization_id AND type = old.type AND n = 1;
    UPDATE open_comment_counts SET n = n - 1 WHERE document_id = old.document_id
        AND organization_id = old.organization_id AND type = old.type;
END
;;
CREATE TRIGGER open_comment_counts_au_old AFTER UPDATE OF document_id, organization_id, type,
    disposition, superseded_by_id ON comments
WHEN old.disposition IS NULL AND old.superseded_by_id IS NULL
BEGIN
    DELETE FROM open_comment_counts WHERE document_id = old.document_id
        AND organization_id = old.organization_id AND type = old.type AND n = 1;
    UPDATE open_comment_counts SET n = n - 1 WHERE document_id = old.document_id
        AND organization_id = old.organization_id AND type = old.type;
END
;;
CREATE TRIGGER open_comment_counts_au_new AFTER UPDATE OF document_id, organization_id, type,
    disposition, superseded_by_id ON comments
WHEN new.disposition IS NULL AND new.superseded_by_id IS NULL
BEGIN
    INSERT INTO open_comment_counts (document_id, organization_id, type, n)
        VALUES (new.document_id, new.organization_id, new.type, 1)
        ON CONFLICT (document_id, organization_id, type) DO UPDATE SET n = n + 1;
END
""",
    )


# A comment may be about the document as a whole (section_id NULL): a returned Word comment
# outside every section, a foreign file's comment under no heading we know. SQLite cannot drop
# a NOT NULL in place, so the table is rebuilt by SQLite's own procedure: new table, copy,
# drop, rename. migrate() runs with foreign keys off, else dropping the old table would
# cascade into replies and import records; legacy_alter_table keeps the rename from re-reading
# views and triggers that name the table (search_comments_src) while it is briefly missing.
# The table's own indexes and triggers are recreated from their stored SQL, unchanged.
@MIGRATIONS(name="m014_document_comments")
def m014_document_comments(db: sqlite_utils.Database) -> None:
    if db.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise RuntimeError("m014 rebuilds the comments table: run it with foreign keys off.")
    own = [
        r[0]
        for r in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'comments' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
        )
    ]
    old = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'comments'")
    definition = old.fetchone()[0]
    nullable = definition.replace(
        "section_id INTEGER NOT NULL REFERENCES sections(id)",
        "section_id INTEGER REFERENCES sections(id)",
    ).replace("CREATE TABLE comments (", "CREATE TABLE comments_m014 (", 1)
    if nullable.count("comments_m014") != 1 or "section_id INTEGER NOT NULL" in nullable:
        raise RuntimeError("m014 does not recognise the comments table it must rebuild.")
    db.execute("PRAGMA legacy_alter_table=ON")
    try:
        db.execute(nullable)
        db.execute("INSERT INTO comments_m014 SELECT * FROM comments")
        db.execute("DROP TABLE comments")
        db.execute("ALTER TABLE comments_m014 RENAME TO comments")
    finally:
        db.execute("PRAGMA legacy_alter_table=OFF")
    for sql in own:
        db.execute(sql)


# What each table's writes change on the dashboard: (table, the document(s) a row belongs to,
# the columns the dashboard reads). Document 0 stands for every document.
DASHBOARD_SOURCES = (
    ("documents", "{row}.id", "title, kind, status, version, due_date, created_at, marking, "
     "deleted_at"),
    ("review_requests", "{row}.document_id", "document_id, organization_id, document_version, "
     "sent_at, status, suspense_date"),
    ("comments", "{row}.document_id", "document_id, organization_id, type, disposition, "
     "superseded_by_id, request_id"),
    ("positions", "{row}.document_id", "document_id, organization_id, request_id"),
    ("publications", "{row}.document_id", "document_id, published_at"),
    ("solicitation_requests",
     "(SELECT document_id FROM review_requests WHERE id = {row}.request_id)",
     "solicitation_id, request_id"),
    ("organizations", "0", "code, kind"),
    ("office_closures", "0", "day"),
)  # fmt: skip


def _mark_changed(document: str) -> str:
    """A trigger statement noting that `document`'s dashboard figures may have changed."""
    return (
        "INSERT INTO dashboard_changes (document_id, seq) "
        f"SELECT {document}, (SELECT coalesce(max(seq), 0) + 1 FROM dashboard_changes) "
        f"WHERE {document} IS NOT NULL "
        "ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq;"
    )


@MIGRATIONS(name="m015_dashboard_changes")
def m015_dashboard_changes(db: sqlite_utils.Database) -> None:
    # The dashboard re-reads only the documents written since its last refresh: triggers note
    # each such document with a rising sequence number (plain SQL, trusted_schema off). And
    # the solicitation figures join solicitation_requests by request: an index for that join
    # (without one SQLite built a transient index on every refresh). The navigator's blocked
    # badges look for rejected Critical comments and the events that lift them: indexes for
    # those two (on a large workspace each look scanned every comment, seconds at 16x).
    statements = [
        "CREATE INDEX solicitation_requests_request ON solicitation_requests (request_id)",
        "CREATE INDEX comments_rejected_critical ON comments (document_id, organization_id) "
        "WHERE type = 'C' AND disposition = 'rejected' AND superseded_by_id IS NULL",
        "CREATE INDEX nonconcurrence_events_document ON nonconcurrence_events "
        "(document_id, organization_id, kind)",
        "CREATE TABLE dashboard_changes (\n"
        "    document_id INTEGER PRIMARY KEY,  -- 0: every document\n"
        "    seq INTEGER NOT NULL\n"
        ")",
        "CREATE INDEX dashboard_changes_seq ON dashboard_changes (seq)",
    ]
    for table, document, columns in DASHBOARD_SOURCES:
        new, old = document.format(row="new"), document.format(row="old")
        statements += [
            f"CREATE TRIGGER dashboard_changes_{table}_ai AFTER INSERT ON {table}\n"
            f"BEGIN\n    {_mark_changed(new)}\nEND",
            f"CREATE TRIGGER dashboard_changes_{table}_ad AFTER DELETE ON {table}\n"
            f"BEGIN\n    {_mark_changed(old)}\nEND",
            f"CREATE TRIGGER dashboard_changes_{table}_au AFTER UPDATE OF {columns} ON {table}\n"
            f"BEGIN\n    {_mark_changed(old)}\n    {_mark_changed(new)}\nEND",
        ]
    statements.append(
        "CREATE TRIGGER dashboard_changes_new_version AFTER INSERT ON audit_log\n"
        "WHEN new.entity = 'document' AND new.action = 'document.new_version'\n"
        f"BEGIN\n    {_mark_changed('new.entity_id')}\nEND"
    )
    for statement in statements:
        db.execute(statement)


# A document taken offline (a check-out into a workspace file of its own): who has it, since
# when, until when the lease runs, where the audit log stood when the copy was made (a copy
# brought back must continue exactly that log), and how it ended: brought back, or broken by
# the Director's signed decision (a new decision kind, so the decisions table is rebuilt to
# widen its CHECK, by m014's procedure). At most one open check-out per document.
@MIGRATIONS(name="m016_offline_checkouts")
def m016_offline_checkouts(db: sqlite_utils.Database) -> None:
    if db.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise RuntimeError("m016 rebuilds the decisions table: run it with foreign keys off.")
    own = [
        r[0]
        for r in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'decisions' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
        )
    ]
    old = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'decisions'")
    definition = old.fetchone()[0]
    kinds = "('publish', 'waive', 'override', 'withdraw', 'no_coordination', 'approve')"
    wider = definition.replace(kinds, kinds[:-1] + ", 'break_lease')", 1).replace(
        "CREATE TABLE decisions (", "CREATE TABLE decisions_m016 (", 1
    )
    if wider.count("decisions_m016") != 1 or "'break_lease'" not in wider:
        raise RuntimeError("m016 does not recognise the decisions table it must rebuild.")
    db.execute("PRAGMA legacy_alter_table=ON")
    try:
        db.execute(wider)
        db.execute("INSERT INTO decisions_m016 SELECT * FROM decisions")
        db.execute("DROP TABLE decisions")
        db.execute("ALTER TABLE decisions_m016 RENAME TO decisions")
    finally:
        db.execute("PRAGMA legacy_alter_table=OFF")
    for sql in own:
        db.execute(sql)
    _script(db, CHECKOUTS)


CHECKOUTS = """
CREATE TABLE checkouts (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    holder TEXT NOT NULL CHECK (trim(holder) != ''),
    os_account TEXT NOT NULL DEFAULT '',
    token TEXT NOT NULL UNIQUE CHECK (length(token) = 32),
    taken_at TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    copy_name TEXT NOT NULL DEFAULT '',
    base_entries INTEGER NOT NULL,
    base_hash TEXT NOT NULL CHECK (length(base_hash) = 64),
    returned_at TEXT,
    broken_at TEXT,
    broken_by TEXT,
    broken_reason TEXT NOT NULL DEFAULT '',
    break_decision_id INTEGER REFERENCES decisions(id) ON DELETE RESTRICT
)
;;
CREATE UNIQUE INDEX checkouts_open ON checkouts (document_id)
    WHERE returned_at IS NULL AND broken_at IS NULL
"""


@MIGRATIONS(name="m017_shared_search")
def m017_shared_search(db: sqlite_utils.Database) -> None:
    # PostgreSQL's search functions and index storage change (db/pg_counterparts.py); FTS5
    # here is unchanged. The migration exists so both engines' schemas keep one history.
    pass
