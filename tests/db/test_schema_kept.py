"""The expected schema kept in the app's cache: the same check, without building it each open."""

from __future__ import annotations

import json
import sqlite3

import pytest

from db import migrations, schema
from workbench.errors import AlteredWorkspace
from workbench.workspace import Workspace

APPLIED = tuple(migrations.names())


@pytest.fixture
def kept(tmp_path):
    folder = tmp_path / "cache" / "schema"
    schema.keep_expected_in(folder)
    yield folder
    schema.keep_expected_in(None)


def test_kept_once_then_read_instead_of_built(kept, monkeypatch):
    built = schema.expected_schema(APPLIED)
    (file,) = kept.iterdir()
    schema.expected_schema.cache_clear()

    def no_build(_applied):
        raise AssertionError("built again")

    monkeypatch.setattr(schema, "_built", no_build)
    assert schema.expected_schema(APPLIED) == built
    assert file.stat().st_size > 1000


def test_an_unreadable_kept_schema_is_built_again(kept):
    built = schema.expected_schema(APPLIED)
    (file,) = kept.iterdir()
    file.write_text('[["table", "documents"')  # a half-written file
    schema.expected_schema.cache_clear()
    assert schema.expected_schema(APPLIED) == built
    assert len(json.loads(file.read_text())) == len(built)


def test_another_sqlite_or_other_migrations_keep_their_own(kept, monkeypatch):
    schema.expected_schema(APPLIED)
    schema.expected_schema(APPLIED[:-1])
    monkeypatch.setattr(sqlite3, "sqlite_version", "0.0.0")
    schema.expected_schema.cache_clear()
    schema.expected_schema(APPLIED)
    assert len(list(kept.iterdir())) == 3


def test_an_altered_workspace_is_refused_with_a_kept_schema(kept, tmp_path):
    path = tmp_path / "w.cnew"
    Workspace.create(path).close()
    Workspace.open(path).close()  # the expected schema is kept now
    schema.expected_schema.cache_clear()
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TRIGGER soften AFTER INSERT ON comments BEGIN "
        "UPDATE comments SET type = 'A' WHERE id = new.id; END"
    )
    conn.commit()
    conn.close()
    with pytest.raises(AlteredWorkspace, match="soften"):
        Workspace.open(path)


def test_a_workspace_reopens_as_it_was_with_schemas_kept(kept, ws, ws_path):
    # On either engine: opening with the app's cache folder set checks and opens as before.
    from workbench import documents

    doc = documents.create_document(ws, "strategy", "Kept")
    ws.close()
    with Workspace.open(ws_path, actor="analyst.one") as again:
        assert [d.id for d in documents.list_documents(again)] == [doc]
    if not isinstance(ws_path, str):  # a file's schema is compared with the kept one
        assert len(list(kept.iterdir())) == 1
