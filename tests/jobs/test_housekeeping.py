"""The worker's side thread: heartbeats on its own connection, reaping, and audit sealing."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from shinsa.audit import sealing
from shinsa.audit.models import AuditEvent
from shinsa.jobs.actions import do_register_worker
from shinsa.jobs.housekeeping import Housekeeping, WorkerIdentity
from shinsa.jobs.models import WorkerHeartbeat
from tests.jobs.tasks_for_test import log_run


def housekeeping(worker_id: str, *, every: float = 0.05, stale_after: timedelta = timedelta(minutes=1)):
    identity = WorkerIdentity(worker_id=worker_id, pid=1, host="h", backend_name="default")
    do_register_worker(worker_id=worker_id, pid=1, host="h", stale_after=stale_after)
    return Housekeeping(
        identity=identity, every=timedelta(seconds=every), stale_after=stale_after, max_attempts=3
    )


def test_it_keeps_the_heartbeat_going_from_its_thread_until_stopped(transactional_db):
    keeper = housekeeping("w")
    first = WorkerHeartbeat.objects.get(worker_id="w").last_seen
    keeper.start()
    try:
        deadline = time.monotonic() + 10
        while WorkerHeartbeat.objects.get(worker_id="w").last_seen == first and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        keeper.stop(timeout=10)
    assert WorkerHeartbeat.objects.get(worker_id="w").last_seen > first
    assert not keeper._thread.is_alive()


@pytest.mark.db_sensitive
def test_it_seals_the_audit_events_it_records(transactional_db):
    from django_tasks_db.models import DBTaskResult

    do_register_worker(worker_id="gone", pid=2, host="h", stale_after=timedelta(minutes=1))
    DBTaskResult.objects.get(id=log_run.enqueue(key="s", seconds=0).id).claim("gone")
    time.sleep(0.01)

    housekeeping("me", stale_after=timedelta(0)).tick()

    event = AuditEvent.objects.get(verb="task.requeued")
    assert sealing.chain_head().event_id == event.pk
