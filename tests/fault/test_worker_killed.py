"""A `shinsa worker` SIGKILLed in the middle of a real catalog task (the fingerprint of a stored file).

The stored file is swapped for a FIFO, so the first worker is provably inside the task (blocked
reading the file) when it is killed. A second worker then retries it: one Fingerprint row, one
audit event for it, and the audit chain still verifies.
"""

from __future__ import annotations

import io
import os
import signal

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shinsa.audit.models import AuditEvent
from shinsa.catalog.models import AssetVersion, Fingerprint
from tests.catalog.manifests import one_file_title, write_json
from tests.hostile import files as hostile
from tests.jobs.processes import run_shinsa, shinsa_env, start_shinsa, stop, wait_for

pytestmark = pytest.mark.db_sensitive

FAST_HEARTBEATS = {"SHINSA_WORKER_HEARTBEAT_SECONDS": "1", "SHINSA_WORKER_STALE_SECONDS": "2"}


def _fingerprint_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path="shinsa.catalog.tasks.fingerprint_asset_version")


def test_a_worker_killed_mid_fingerprint_is_retried_and_records_it_once(
    transactional_db, media_root, delivery
):
    (delivery / "poster.png").write_bytes(hostile.small_png())
    manifest = write_json(delivery, [one_file_title("kill-1", "artwork", "poster.png")])
    call_command("ingest", str(manifest), stdout=io.StringIO())
    version = AssetVersion.objects.get(asset__title_version__title__external_id="kill-1")
    stored = media_root / version.file.name
    content = stored.read_bytes()
    stored.unlink()
    os.mkfifo(stored)  # opening it blocks until someone writes: the task cannot finish on its own

    env = shinsa_env(SHINSA_MEDIA_ROOT=str(media_root), **FAST_HEARTBEATS)
    log = media_root.parent / "workers.log"
    first = start_shinsa("worker", "--worker-id", "first", "--interval", "0.2", env=env, log=log)
    try:
        wait_for(
            lambda: _fingerprint_task().status == TaskResultStatus.RUNNING,
            seconds=60,
            what="the fingerprint task to start",
            log=log,
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert not Fingerprint.objects.exists()

    stored.unlink()
    stored.write_bytes(content)  # the file is readable again
    second = start_shinsa("worker", "--worker-id", "second", "--interval", "0.2", env=env, log=log)
    try:
        wait_for(
            lambda: _fingerprint_task().status == TaskResultStatus.SUCCESSFUL,
            seconds=60,
            what="the retried fingerprint to succeed",
            log=log,
        )
    finally:
        assert stop(second) == 0

    task = _fingerprint_task()
    assert task.worker_ids == ["first", "second"]
    assert list(Fingerprint.objects.values_list("asset_version_id", "status")) == [(version.pk, "ok")]
    events = AuditEvent.objects.filter(verb="catalog.asset_version.fingerprinted")
    assert events.count() == 1
    assert AuditEvent.objects.filter(verb="task.requeued", object_id=str(task.id)).count() == 1

    seal = run_shinsa("-m", "shinsa.cli", "audit", "seal", env=env, seconds=120)
    assert seal.returncode == 0, seal.stderr
    verify = run_shinsa("-m", "shinsa.cli", "audit", "verify", env=env, seconds=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr
