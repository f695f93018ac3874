"""The core's SQL text as psycopg reads it: placeholders, literal %, casts and quoted text."""

from __future__ import annotations

import pytest

from db.sql import PlaceholderError, first_keyword, inserted_table, to_psycopg


def test_question_marks_become_positional_placeholders():
    assert to_psycopg("SELECT a FROM t WHERE b = ? AND c = ?") == (
        "SELECT a FROM t WHERE b = %s AND c = %s",
        "positional",
    )


def test_names_become_named_placeholders_and_casts_stay_casts():
    sql, style = to_psycopg("SELECT id::text FROM t WHERE a = :a AND b = :b_2")
    assert sql == "SELECT id::text FROM t WHERE a = %(a)s AND b = %(b_2)s"
    assert style == "named"


def test_a_literal_percent_is_doubled_only_when_placeholders_are_read():
    assert to_psycopg("SELECT 1 WHERE x LIKE '50%' AND y = ?")[0] == (
        "SELECT 1 WHERE x LIKE '50%%' AND y = %s"
    )
    # Without placeholders psycopg reads no % at all: the text goes as written.
    assert to_psycopg("SELECT '50%'") == ("SELECT '50%'", None)


def test_quoted_text_comments_and_function_bodies_are_left_alone():
    sql, _ = to_psycopg(
        "SELECT 'it''s :x ?', \"col?\" FROM t -- :y ?\nWHERE a = ? /* :z */ AND $f$ ? :w $f$ = ''"
    )
    assert sql == (
        "SELECT 'it''s :x ?', \"col?\" FROM t -- :y ?\nWHERE a = %s /* :z */ AND $f$ ? :w $f$ = ''"
    )


def test_mixing_styles_is_refused():
    with pytest.raises(PlaceholderError):
        to_psycopg("SELECT ? , :a")


def test_the_table_an_insert_writes_to_unless_it_returns_its_own_columns():
    assert inserted_table("  INSERT INTO sections (a) VALUES (?)") == "sections"
    assert inserted_table("INSERT INTO t (a) VALUES (1) RETURNING a") is None
    assert inserted_table("UPDATE t SET a = 1") is None


def test_first_keyword_skips_comments():
    assert first_keyword("-- why\n/* more */ create table t (a int)") == "CREATE"
    assert first_keyword("   ") == ""
