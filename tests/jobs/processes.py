"""Run real `shinsa` processes against the live test database (used by tests/jobs and tests/demo)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[2]


def live_database_url() -> str:
    """A DATABASE_URL for the database this test process is using right now (the test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "postgres", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def shinsa_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=live_database_url(),
        SHINSA_VAR_DIR=str(settings.VAR_DIR),
        PYTHONPATH=str(REPO_ROOT),  # so workers can import tests.jobs.tasks_for_test
        PYTHONUNBUFFERED="1",
        SHINSA_LANG="en",
    )
    env.update(extra)
    return env


def start_shinsa(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start `shinsa ARGS...` in its own process group, output to ``log`` (never a pipe that can fill)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "shinsa.cli", *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for(
    condition: Callable[[], object], *, seconds: float, what: str, log: Path | None = None
) -> object:
    """Poll ``condition`` until it returns something truthy; after ``seconds`` fail naming ``what``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {seconds}s waiting for {what}\n{tail}")


def stop(process: subprocess.Popen, *, seconds: float = 20) -> int:
    """SIGTERM the process, wait (bounded), SIGKILL its whole group if it will not go."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
        raise


def run_shinsa(*args: str, env: dict[str, str], seconds: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS...`` from the repository root to the end, output captured (for short commands)."""
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=seconds
    )
