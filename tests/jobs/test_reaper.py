"""The reaper (shinsa.jobs.housekeeping.reap_lost_tasks) against the real database."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shinsa.audit.models import AuditEvent
from shinsa.jobs.actions import RequeueOutcome, do_prune_heartbeats, do_register_worker, do_touch_heartbeat
from shinsa.jobs.housekeeping import reap_lost_tasks
from shinsa.jobs.models import WorkerHeartbeat
from tests.jobs.tasks_for_test import log_run

pytestmark = pytest.mark.db_sensitive

NOW = timedelta(0)  # stale_after=0: any heartbeat written before this moment counts as stale
MINUTE = timedelta(minutes=1)


def _running_task(*worker_ids: str) -> DBTaskResult:
    """A task claimed once per given worker id, through the backend's own enqueue and claim."""
    task = DBTaskResult.objects.get(id=log_run.enqueue(key="x", seconds=0).id)
    for worker_id in worker_ids:
        task.claim(worker_id)
    return task


def _reap(*, stale_after: timedelta, max_attempts: int = 3, me: str | None = "me") -> dict:
    time.sleep(0.01)  # heartbeats written just now must be in the past
    return reap_lost_tasks(
        backend_name="default", stale_after=stale_after, max_attempts=max_attempts, exclude_worker_id=me
    )


def test_it_puts_back_the_task_of_a_worker_that_stopped_heartbeating(db):
    do_register_worker(worker_id="gone", pid=1, host="h", stale_after=MINUTE)
    task = _running_task("gone")

    assert _reap(stale_after=NOW)[RequeueOutcome.REQUEUED] == 1

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY and task.started_at is None
    assert task.worker_ids == ["gone"]  # the attempt stays counted
    event = AuditEvent.objects.get(verb="task.requeued")
    assert event.object_id == str(task.id) and event.after["attempts"] == 1


def test_it_fails_the_task_for_good_after_the_last_attempt(db):
    do_register_worker(worker_id="gone", pid=1, host="h", stale_after=MINUTE)
    task = _running_task("w1", "w2", "gone")

    assert _reap(stale_after=NOW, max_attempts=3)[RequeueOutcome.FAILED] == 1

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "shinsa.jobs.actions.WorkerLost"
    assert "attempt 3 of 3" in task.traceback
    assert AuditEvent.objects.get(verb="task.failed").before["worker_id"] == "gone"


def test_it_leaves_alone_a_worker_that_is_alive_and_the_caller_itself(db):
    do_register_worker(worker_id="alive", pid=1, host="h", stale_after=MINUTE)
    do_register_worker(worker_id="me", pid=2, host="h", stale_after=MINUTE)
    alive, mine = _running_task("alive"), _running_task("me")

    assert _reap(stale_after=MINUTE) == dict.fromkeys(RequeueOutcome, 0)
    assert _reap(stale_after=NOW, me="me")[RequeueOutcome.REQUEUED] == 1  # only "alive", now stale

    alive.refresh_from_db()
    mine.refresh_from_db()
    assert (alive.status, mine.status) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    assert not AuditEvent.objects.filter(object_id=str(mine.id)).exists()


def test_it_waits_out_the_stale_period_for_a_worker_without_heartbeat_row(db):
    task = _running_task("a-plain-db-worker")

    assert _reap(stale_after=MINUTE)[RequeueOutcome.REQUEUED] == 0
    assert _reap(stale_after=NOW)[RequeueOutcome.REQUEUED] == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_it_keeps_a_fresh_heartbeat_fresh_and_prunes_only_old_unreferenced_ones(db):
    do_touch_heartbeat(worker_id="w", pid=3, host="h")  # creates the row when missing
    first_seen = WorkerHeartbeat.objects.get(worker_id="w").last_seen
    time.sleep(0.01)
    do_touch_heartbeat(worker_id="w", pid=3, host="h")
    assert WorkerHeartbeat.objects.get(worker_id="w").last_seen > first_seen

    old = WorkerHeartbeat.objects.get(worker_id="w")
    old.last_seen -= timedelta(days=2)
    old.save(update_fields=["last_seen"])
    do_register_worker(worker_id="busy", pid=4, host="h", stale_after=MINUTE)
    WorkerHeartbeat.objects.filter(worker_id="busy").update(last_seen=old.last_seen)
    _running_task("busy")

    assert do_prune_heartbeats(backend_name="default") == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["busy"]
