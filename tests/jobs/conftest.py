from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from tests.jobs.tasks_for_test import ROWS_TABLE, RUNS_TABLE


@pytest.fixture
def test_tables(transactional_db) -> Iterator[None]:
    """Tables the test tasks write to, created with raw SQL and visible to worker processes."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {ROWS_TABLE} (task_key varchar(64) NOT NULL, n integer NOT NULL, "
            "CONSTRAINT jobs_test_rows_once UNIQUE (task_key, n))"
        )
        cursor.execute(f"CREATE TABLE {RUNS_TABLE} (task_key varchar(64) NOT NULL, pid integer NOT NULL)")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {ROWS_TABLE}")
        cursor.execute(f"DROP TABLE {RUNS_TABLE}")


from tests.catalog.conftest import delivery, media_root  # noqa: F401, E402 - shared fixtures
