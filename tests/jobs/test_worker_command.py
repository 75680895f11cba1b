"""`shinsa worker` options and refusals, run in this process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shinsa.jobs.actions import do_register_worker
from shinsa.jobs.models import WorkerHeartbeat
from tests.jobs.tasks_for_test import log_run, logged_run_keys


def test_it_drains_only_the_queues_it_was_given_and_removes_its_heartbeat(test_tables):
    media = log_run.using(queue_name="media").enqueue(key="m", seconds=0)
    default = log_run.enqueue(key="d", seconds=0)

    call_command("worker", "--once", "--queue", "media", "--worker-id", "w1", verbosity=0)

    assert DBTaskResult.objects.get(id=media.id).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(id=default.id).status == TaskResultStatus.READY
    assert logged_run_keys() == ["m"]
    assert not WorkerHeartbeat.objects.exists()


def test_it_requeues_what_it_held_when_restarted_under_the_same_id(test_tables):
    task = DBTaskResult.objects.get(id=log_run.enqueue(key="again", seconds=0).id)
    task.claim("fixed")  # the worker "fixed" died while running it
    do_register_worker(worker_id="fixed", pid=1, host="h", stale_after=timedelta(minutes=1))
    WorkerHeartbeat.objects.filter(worker_id="fixed").update(last_seen=task.started_at - timedelta(hours=1))

    call_command("worker", "--once", "--worker-id", "fixed", verbosity=0)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["fixed", "fixed"]


def test_it_refuses_an_unknown_queue(transactional_db):
    with pytest.raises(CommandError, match="Unknown queue nope; the queues are: default, media, audit"):
        call_command("worker", "--once", "--queue", "nope")


def test_it_refuses_a_worker_id_that_a_live_worker_uses(transactional_db):
    do_register_worker(worker_id="busy", pid=42, host="elsewhere", stale_after=timedelta(minutes=1))
    with pytest.raises(CommandError, match="in use by a running worker \\(pid 42 on elsewhere\\)"):
        call_command("worker", "--once", "--worker-id", "busy")
