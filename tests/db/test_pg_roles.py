"""Roles in the database: what an analyst, the Director and a viewer may do, enforced by the
server whatever a client sends; the audit log is insert-only for every role."""

from __future__ import annotations

import urllib.parse

import psycopg
import pytest

from db import pg_roles
from db.address import ServerAddress
from db.errors import ReadOnlyWorkspace
from db.postgres import connect
from workbench import audit, documents, sections
from workbench.workspace import Workspace

LOGINS = {"avery_analyst": "analyst", "dana_director": "director", "val_viewer": "viewer"}


def _as(url: str, login: str) -> str:
    parts = urllib.parse.urlsplit(url)
    netloc = login + "@" + parts.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


@pytest.fixture
def office(pg_databases):
    """A shared workspace with a document, and one login in each role."""
    url = pg_databases.workspace()
    owner = Workspace.open(url, actor="owner")
    for login, role in LOGINS.items():
        owner.db.execute(
            "DO $$ BEGIN CREATE ROLE " + login + " LOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        pg_roles.grant_login(owner.db, login, role)
    doc = documents.create_document(owner, "strategy", "Shared Strategy")
    owner.close()
    yield url, doc
    pg_databases.drop(url)


def test_an_analyst_drafts_but_cannot_rewrite_the_log_or_decide_for_the_director(office):
    url, doc = office
    ws = Workspace.open(_as(url, "avery_analyst"), actor="Avery Lin")
    try:
        assert not ws.read_only
        sid = sections.add_section(ws, doc, heading="Maritime", body="Cutters.")
        assert sections.section(ws, sid).body == "Cutters."
        for statement in (
            "UPDATE audit_log SET actor = 'someone else'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "UPDATE decisions SET record = '{}'",
            "INSERT INTO publications (document_id, version, published_at, published_by, "
            "snapshot) VALUES (1, 1, 'now', 'Avery Lin', '{}')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                ws.db.execute(statement)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ws.db.execute(
                "INSERT INTO decisions (document_id, kind, document_version, at, record) "
                "VALUES (?, 'publish', 1, 'now', '{}')",
                [doc],
            )
        assert audit.verify_chain(ws) == []
    finally:
        ws.close()


def test_the_director_records_decisions_but_cannot_rewrite_the_log_either(office):
    url, doc = office
    store = connect(ServerAddress(_as(url, "dana_director")))
    try:
        store.execute(
            "INSERT INTO decisions (document_id, kind, document_version, at, record) "
            "VALUES (?, 'publish', 1, 'now', '{}')",
            [doc],
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            store.execute("DELETE FROM audit_log")
    finally:
        store.close()


def test_a_viewer_opens_read_only_and_the_server_refuses_its_writes(office):
    url, doc = office
    ws = Workspace.open(_as(url, "val_viewer"))
    try:
        assert ws.read_only and "viewer" in ws.read_only_reason
        assert documents.document(ws, doc).title == "Shared Strategy"
        with pytest.raises(ReadOnlyWorkspace):
            documents.create_document(ws, "sop", "Not allowed")
    finally:
        ws.close()
    store = connect(ServerAddress(_as(url, "val_viewer")))
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            store.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    finally:
        store.close()
    with pytest.raises(ReadOnlyWorkspace, match="viewer"):
        Workspace.open(_as(url, "val_viewer"), read_only=False)


def test_even_the_owner_cannot_change_the_log_while_its_guards_stand(office):
    url, _ = office
    store = connect(ServerAddress(url))
    try:
        for statement in ("UPDATE audit_log SET actor = 'x'", "TRUNCATE audit_log"):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
                store.execute(statement)
        assert pg_roles.role_of(store) is None  # the owner is not limited by the roles
    finally:
        store.close()


def test_grant_login_puts_an_account_in_exactly_one_role(office):
    url, _ = office
    store = connect(ServerAddress(url))
    try:
        pg_roles.grant_login(store, "avery_analyst", "director")
        other = connect(ServerAddress(_as(url, "avery_analyst")))
        assert pg_roles.role_of(other) == "director"
        other.close()
        pg_roles.grant_login(store, "avery_analyst", "analyst")
        with pytest.raises(ValueError):
            pg_roles.grant_login(store, "avery_analyst", "superuser")
        with pytest.raises(ValueError):
            pg_roles.grant_login(store, 'x"; DROP TABLE meta; --', "analyst")
    finally:
        store.close()
