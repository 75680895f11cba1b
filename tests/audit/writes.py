"""For the audit tests: writing events through the real ``record`` and tampering with rows
the way someone with direct database access would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def connect_directly(
    *, user: str | None = None, dbname: str | None = None, autocommit: bool = False
) -> psycopg.Connection:
    """A second PostgreSQL connection outside Django: to the test database unless ``dbname``."""
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=user or params["USER"],
        password=None if user else (params["PASSWORD"] or None),
        dbname=dbname or params["NAME"],
        autocommit=autocommit,
        connect_timeout=5,
    )


def run_shinsa(
    *args: str, user: str | None = None, dbname: str | None = None, extra_env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the real ``shinsa`` console script against the test database (committed data only)."""
    params = connection.settings_dict
    if on_postgres():
        host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        url = f"postgres://{user or params['USER']}@{host}/{dbname or params['NAME']}"
    else:
        url = f"sqlite:///{params['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "SHINSA_LANG": "en", **(extra_env or {})}
    shinsa = Path(sys.executable).with_name("shinsa")
    return subprocess.run(
        [str(shinsa), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
