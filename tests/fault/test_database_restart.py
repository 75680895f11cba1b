"""The database restarts while real processes claim review items (a throwaway cluster, never the shared one).

Four reviewer processes claim from one queue, pausing after each claim; part-way through, the
PostgreSQL cluster is restarted (fast shutdown: every connection is cut, open transactions roll
back). The claimers reconnect and carry on. Afterwards every item is held by exactly one reviewer,
none is lost, each committed claim wrote exactly one audit event, and the audit chain verifies.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.fault.cluster import Cluster, postgres_bin
from tests.jobs.processes import run_shinsa

pytestmark = pytest.mark.db_sensitive

ROOT = Path(__file__).resolve().parents[2]
ITEMS = 120
CLAIMERS = 4


@pytest.fixture
def cluster():
    if postgres_bin() is None:
        pytest.skip("the PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed")
    made = Cluster()
    try:
        made.start()
        made.create_database("shinsa")
        yield made
    finally:
        made.remove()


def _shinsa(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_shinsa(*args, env=env, seconds=300)


def _count(url: str, sql: str) -> int:
    with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=5) as conn:
        return conn.execute(sql).fetchone()[0]


def test_claims_survive_a_database_restart_with_no_item_held_twice_or_lost(cluster, tmp_path):
    url = cluster.url("shinsa")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "shinsa.settings",
        "SHINSA_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(ROOT),
        "SHINSA_LANG": "en",
    }
    migrated = _shinsa(env, "-m", "shinsa.cli", "manage", "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    seeded = _shinsa(env, "-m", "tests.fault.claimer", "seed", str(ITEMS), str(CLAIMERS))
    assert seeded.returncode == 0, seeded.stderr[-3000:]

    claimers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.fault.claimer", "claim", f"claimer{n}", "0.05"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(CLAIMERS)
    ]
    claimed_sql = "SELECT count(*) FROM review_workitem WHERE status = 'claimed'"
    deadline = time.monotonic() + 120
    while _count(url, claimed_sql) < ITEMS // 4:
        assert time.monotonic() < deadline, "the claimers did not get going"
        time.sleep(0.05)
    cluster.restart()
    assert _count(url, claimed_sql) < ITEMS  # the restart really happened mid-way

    reports = []
    for process in claimers:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err[-3000:]
        reports.append(json.loads(out))

    assert sum(report["errors"] for report in reports) > 0  # the claimers really lost their connections
    held = [item for report in reports for item in report["holding"]]
    assert len(held) == len(set(held)) == ITEMS  # none held twice, none lost
    for report in reports:
        assert set(report["claimed"]) <= set(report["holding"])
    assert _count(url, claimed_sql) == ITEMS
    assert _count(url, "SELECT count(*) FROM audit_auditevent WHERE verb = 'review.item.claimed'") == ITEMS

    sealed = _shinsa(env, "-m", "shinsa.cli", "audit", "seal")
    assert sealed.returncode == 0, sealed.stderr
    verified = _shinsa(env, "-m", "shinsa.cli", "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
