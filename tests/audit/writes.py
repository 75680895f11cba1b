"""For the audit tests: writing events through the real ``record`` and tampering with rows
the way someone with direct database access would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction

from shinsa.audit import record
from shinsa.audit.models import AuditEvent


def write_event(
    verb: str = "test.touch", object_id: str = "1", actor: object = "system", **extra
) -> AuditEvent:
    with transaction.atomic():
        return record(actor=actor, verb=verb, object_type="test.thing", object_id=object_id, **extra)


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


postgres_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
)


@contextmanager
def tampering() -> Iterator[None]:
    """Switch off what guards audit rows in the database (the PostgreSQL trigger, foreign keys), as
    a superuser could, so a test can edit rows behind the application's back. Autocommit tests only."""
    with connection.cursor() as cursor:
        if on_postgres():
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            if on_postgres():
                cursor.execute("SET session_replication_role = DEFAULT")
            else:
                cursor.execute("PRAGMA foreign_keys = ON")


def raw_sql(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def connect_directly(*, user: str | None = None, autocommit: bool = False) -> psycopg.Connection:
    """A second PostgreSQL connection to the test database, outside Django (optionally as ``user``)."""
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=user or params["USER"],
        password=None if user else (params["PASSWORD"] or None),
        dbname=params["NAME"],
        autocommit=autocommit,
        connect_timeout=5,
    )
