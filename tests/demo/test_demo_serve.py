"""`shinsa demo` serve mode as a real process: gunicorn and a worker start, /healthz answers, and
Ctrl-C (SIGINT) stops all three cleanly. Runs against its own SQLite file in a temporary var dir."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import sys
import urllib.request
from pathlib import Path

import pytest

from shinsa.demo.people import DEMO_PEOPLE
from tests.jobs.processes import start_shinsa, stop, wait_for

READY = re.compile(r"running at (http://\S+) \(web pid (\d+), worker pid (\d+)\)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def count(database: Path, sql: str) -> int:
    with sqlite3.connect(database, timeout=30) as db:
        return db.execute(sql).fetchone()[0]


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_it_serves_the_console_with_a_worker_and_stops_both_on_ctrl_c(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    database = var / "shinsa.sqlite3"
    with sqlite3.connect(database) as db:  # --reset must throw this away
        db.execute("CREATE TABLE leftover (x)")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SHINSA_VAR_DIR=str(var), SHINSA_LANG="en", PYTHONUNBUFFERED="1")
    log = tmp_path / "demo.log"

    demo = start_shinsa("demo", "--reset", "--port", str(free_port()), env=env, log=log)
    try:
        ready = wait_for(
            lambda: READY.search(log.read_text()), seconds=300, what="the demo to be ready", log=log
        )
        url, web_pid, worker_pid = ready.group(1), int(ready.group(2)), int(ready.group(3))
        with urllib.request.urlopen(url + "healthz", timeout=10) as response:  # noqa: S310 - http://127.0.0.1
            assert json.load(response) == {"status": "ok", "database": "sqlite"}
        assert b"gunicorn" in Path(f"/proc/{web_pid}/cmdline").read_bytes()
        assert b"worker" in Path(f"/proc/{worker_pid}/cmdline").read_bytes()
        wait_for(
            lambda: count(database, "SELECT COUNT(*) FROM jobs_workerheartbeat") == 1,
            seconds=30,
            what="the worker's heartbeat",
            log=log,
        )
        assert count(database, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'leftover'") == 0
        assert count(database, "SELECT COUNT(*) FROM accounts_user") == len(DEMO_PEOPLE)
        demo.send_signal(signal.SIGINT)  # what Ctrl-C sends (the children have their own session)
        code = demo.wait(60)
    finally:
        stop(demo, seconds=60)

    assert code == 0, log.read_text()[-3000:]
    assert not alive(web_pid) and not alive(worker_pid)
    assert count(database, "SELECT COUNT(*) FROM jobs_workerheartbeat") == 0  # the worker stopped cleanly
    assert "Demo stopped." in log.read_text()
