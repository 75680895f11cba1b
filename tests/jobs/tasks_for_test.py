"""Tasks that exist only for the tests: real processes import them through PYTHONPATH=<repo root>.

They write to tables the tests create with raw SQL (see ``tests/jobs/conftest.py``), so no
production model is needed to prove that a killed task leaves no duplicate rows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import connection, transaction
from django.tasks import task

ROWS_TABLE = "jobs_test_rows"
RUNS_TABLE = "jobs_test_runs"


@task()
def write_rows_once(key: str, count: int, pause_marker: str, pause_seconds: float) -> int:
    """Write rows (key, 0..count-1) in one transaction, unless they are there already.

    On its first attempt it stops half-way (inside the transaction) for ``pause_seconds`` after
    creating ``pause_marker``, so a test can kill the worker with half the rows written but not
    committed.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {ROWS_TABLE} WHERE task_key = %s", [key])  # noqa: S608
        if cursor.fetchone()[0]:
            return 0
        for n in range(count):
            if n == count // 2 and not Path(pause_marker).exists():
                Path(pause_marker).write_text(str(os.getpid()))
                time.sleep(pause_seconds)
            cursor.execute(f"INSERT INTO {ROWS_TABLE} (task_key, n) VALUES (%s, %s)", [key, n])  # noqa: S608
    return count


@task()
def log_run(key: str, seconds: float) -> str:
    """Append one row per execution (no unique key: a task run twice would show twice)."""
    time.sleep(seconds)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {RUNS_TABLE} (task_key, pid) VALUES (%s, %s)", [key, os.getpid()])  # noqa: S608
    return key


def written_rows() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT task_key, n FROM {ROWS_TABLE} ORDER BY task_key, n")  # noqa: S608
        return cursor.fetchall()


def logged_run_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT task_key FROM {RUNS_TABLE} ORDER BY task_key")  # noqa: S608
        return [key for (key,) in cursor.fetchall()]
