"""SQL text as the core writes it (`?` and `:name` placeholders) turned into psycopg's style."""

from __future__ import annotations

import functools
import re

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_INSERT = re.compile(r"\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


class PlaceholderError(ValueError):
    """A statement mixes `?` and `:name` placeholders, which neither engine accepts."""


@functools.lru_cache(maxsize=4096)
def to_psycopg(sql: str) -> tuple[str, str | None]:
    """(statement for psycopg, "positional" | "named" | None when it has no placeholders).

    `?` becomes `%s`, `:name` becomes `%(name)s` and a literal `%` becomes `%%`; text inside
    quotes, $$-quoted bodies, quoted identifiers and comments is left alone, and `::type` casts
    stay casts. A statement without placeholders comes back unchanged (psycopg then reads no
    `%` in it).
    """
    out: list[str] = []
    style: str | None = None
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            end = _quoted_end(sql, i, ch)
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "$" and (d := _DOLLAR.match(sql, i)) is not None:
            close = sql.find(d.group(0), d.end())
            end = len(sql) if close < 0 else close + len(d.group(0))
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "/" and sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "?":
            style = _style(style, "positional")
            out.append("%s")
            i += 1
        elif ch == ":" and sql.startswith("::", i):
            out.append("::")
            i += 2
        elif ch == ":" and (m := _NAME.match(sql, i + 1)) is not None:
            style = _style(style, "named")
            out.append(f"%({m.group(0)})s")
            i = m.end()
        elif ch == "%":
            out.append("%%")
            i += 1
        else:
            out.append(ch)
            i += 1
    if style is None:
        return sql, None
    return "".join(out), style


def _quoted_end(sql: str, start: int, quote: str) -> int:
    """Index just past the quoted text starting at `start` (a doubled quote is part of it)."""
    i = start + 1
    while True:
        j = sql.find(quote, i)
        if j < 0:
            return len(sql)
        if sql.startswith(quote * 2, j):
            i = j + 2
            continue
        return j + 1


def _style(current: str | None, new: str) -> str:
    if current is not None and current != new:
        raise PlaceholderError("A statement cannot mix ? and :name placeholders.")
    return new


def inserted_table(sql: str) -> str | None:
    """The table an `INSERT INTO t ...` without its own RETURNING writes to, else None."""
    m = _INSERT.match(sql)
    if m is None or _RETURNING.search(sql):
        return None
    return m.group(1).lower()


def first_keyword(sql: str) -> str:
    """The statement's first word, upper-cased (comments and blank lines skipped)."""
    text = sql.lstrip()
    while text.startswith("--") or text.startswith("/*"):
        if text.startswith("--"):
            cut = text.find("\n")
            text = "" if cut < 0 else text[cut + 1 :].lstrip()
        else:
            cut = text.find("*/")
            text = "" if cut < 0 else text[cut + 2 :].lstrip()
    m = _NAME.match(text)
    return m.group(0).upper() if m else ""
