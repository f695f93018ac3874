"""What an offline copy of one document holds: that document's rows, and what they refer to.

Worked out from the schema's foreign keys, so a table added later is placed without a list to
keep: a table whose rows belong to a document (a `document_id`, or a reference to a table that
does) is copied for this document only; every other table (the directory, keys and trust
anchors, office closures, the workspace's meta) is copied whole. Rows of this
document that refer to rows of another document (a consultation's related study, say) bring
those rows too, so every reference in the copy holds.

The audit log is not copied: the copy gets a chain of its own (offline_log), rooted in a
signed statement of the shared head and quoting the shared log's entries about the document.
"""

from __future__ import annotations

Only = dict[str, tuple[str, list]]


def _owned_tables(store, tables: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Tables whose rows belong to a document, each with its references to such tables
    (its own rows included: a section's parent, a comment's successor)."""
    refs = {t: [(c, p) for c, p in store.references(t) if p in tables] for t in tables}
    owned = {"documents"}
    grew = True
    while grew:
        grew = False
        for t in tables:
            if t not in owned and any(p in owned and p != t for _, p in refs[t]):
                owned.add(t)
                grew = True
    return {t: [(c, p) for c, p in refs[t] if p in owned] for t in owned}


def selection(store, document_id: int) -> Only:
    """For each table that belongs to documents, the WHERE clause selecting this document's
    rows and the rows they refer to (transfer.Only)."""
    from db import transfer

    tables = transfer.recorded_tables(store)
    owned = _owned_tables(store, tables)
    base: dict[str, tuple[str, list]] = {}

    def own(t: str, seen: tuple[str, ...] = ()) -> tuple[str, list]:
        """The rows of `t` that are this document's (its own, or under its own rows)."""
        if t in base:
            return base[t]
        if t == "documents":
            found: tuple[str, list] = ("id = ?", [document_id])
        elif ("document_id", "documents") in owned[t]:
            found = ("document_id = ?", [document_id])
        else:
            # Under any of its parents that are the document's (one may be unset: an import
            # with no position is still its request's).
            parts, values = [], []
            for column, parent in owned[t]:
                if parent == t or parent in seen:
                    continue
                clause, params = own(parent, seen + (t,))
                parts.append(f'"{column}" IN (SELECT id FROM "{parent}" WHERE {clause})')
                values += params
            found = (" OR ".join(parts), values)
        base[t] = found
        return found

    for t in owned:
        own(t)
    # Rows of other documents that these refer to (few: a consultation's related study and
    # its document), by id, until every reference is inside the selection.
    extra: dict[str, set[int]] = {t: set() for t in owned}

    def where(t: str) -> tuple[str, list]:
        clause, params = base[t]
        if extra[t]:
            ids = ", ".join(str(int(i)) for i in sorted(extra[t]))
            clause = f"({clause}) OR id IN ({ids})"
        return clause, params

    grew = True
    while grew:
        grew = False
        for t, refs in owned.items():
            for column, parent in refs:
                clause, params = where(t)
                outer, outer_params = where(parent)
                missing = {
                    r["v"]
                    for r in store.query(
                        f'SELECT DISTINCT "{column}" AS v FROM "{t}" WHERE ({clause}) '
                        f'AND "{column}" IS NOT NULL AND "{column}" NOT IN '
                        f'(SELECT id FROM "{parent}" WHERE {outer})',
                        params + outer_params,
                    )
                }
                if missing - extra[parent]:
                    extra[parent] |= missing
                    grew = True
    return {t: where(t) for t in owned}
