"""Every row of every table, to prove that bad input left stored data exactly as it was."""

from __future__ import annotations

from django.db import connection


def dump_tables(*, skip: frozenset[str] = frozenset()) -> dict[str, list[tuple]]:
    """Each table's rows (all columns, sorted), read with plain SQL so no model or manager filters them."""
    tables: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            if name in skip:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")  # noqa: S608 - introspected names
            tables[name] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return tables


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """Names of the tables whose rows differ (added, removed or changed)."""
    return [name for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]
