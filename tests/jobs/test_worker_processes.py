"""`shinsa worker` as real processes: a killed worker's task is retried once, without duplicates,
and two workers never run the same task."""

from __future__ import annotations

import signal

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shinsa.audit.models import AuditEvent
from shinsa.jobs.models import WorkerHeartbeat
from tests.jobs.processes import shinsa_env, start_shinsa, stop, wait_for
from tests.jobs.tasks_for_test import log_run, logged_run_keys, write_rows_once, written_rows

pytestmark = pytest.mark.db_sensitive

FAST_HEARTBEATS = {"SHINSA_WORKER_HEARTBEAT_SECONDS": "1", "SHINSA_WORKER_STALE_SECONDS": "2"}


def _status(task_id: str) -> str:
    return DBTaskResult.objects.get(id=task_id).status


def test_it_retries_a_task_whose_worker_was_killed_without_duplicating_rows(test_tables, tmp_path):
    marker = tmp_path / "paused"
    result = write_rows_once.enqueue(key="k1", count=6, pause_marker=str(marker), pause_seconds=120)
    env = shinsa_env(**FAST_HEARTBEATS)
    log = tmp_path / "workers.log"

    first = start_shinsa("worker", "--worker-id", "first", "--interval", "0.2", env=env, log=log)
    try:
        wait_for(marker.exists, seconds=60, what="the task to pause half-way", log=log)
        assert _status(result.id) == TaskResultStatus.RUNNING
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert written_rows() == []  # the half-written rows rolled back

    second = start_shinsa("worker", "--worker-id", "second", "--interval", "0.2", env=env, log=log)
    try:
        wait_for(
            lambda: _status(result.id) == TaskResultStatus.SUCCESSFUL,
            seconds=60,
            what="the task to be retried and succeed",
            log=log,
        )
    finally:
        assert stop(second) == 0

    assert written_rows() == [("k1", n) for n in range(6)]
    task = DBTaskResult.objects.get(id=result.id)
    assert task.worker_ids == ["first", "second"]
    assert task.return_value == 6
    requeued = AuditEvent.objects.get(verb="task.requeued", object_id=str(result.id))
    assert requeued.actor_label == "worker"
    assert requeued.before["worker_id"] == "first" and requeued.after == {
        "status": "READY",
        "attempts": 1,
        "task": "write_rows_once",
    }
    assert AuditEvent.objects.filter(pk=requeued.pk, seal__isnull=False).exists()
    # The killed worker's heartbeat stays for whoever investigates; the stopped one removed its own.
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["first"]


def test_it_never_runs_a_task_twice_with_two_workers(test_tables, tmp_path):
    env = shinsa_env(**FAST_HEARTBEATS)
    log = tmp_path / "workers.log"
    workers = [
        start_shinsa("worker", "--worker-id", name, "--interval", "0.05", env=env, log=log)
        for name in ("a", "b")
    ]
    try:
        wait_for(
            lambda: WorkerHeartbeat.objects.count() == 2, seconds=60, what="both workers to start", log=log
        )
        results = [log_run.enqueue(key=f"t{n}", seconds=0.2) for n in range(16)]
        wait_for(
            lambda: DBTaskResult.objects.successful().count() == len(results),
            seconds=90,
            what="all tasks to finish",
            log=log,
        )
    finally:
        codes = [stop(worker) for worker in workers]
    assert codes == [0, 0]

    assert logged_run_keys() == sorted(f"t{n}" for n in range(16))
    claims = [DBTaskResult.objects.get(id=r.id).worker_ids for r in results]
    assert all(len(ids) == 1 for ids in claims)
    assert {ids[0] for ids in claims} == {"a", "b"}  # both really took part
