"""Reads about background work: which workers are alive and which RUNNING tasks lost their worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import BooleanField, DateTimeField, DurationField, ExpressionWrapper, Q, Value
from django.db.models.functions import Now
from django_tasks_db.models import DBTaskResult

from shinsa.jobs.models import WorkerHeartbeat


def stale_cutoff(stale_after: timedelta) -> ExpressionWrapper:
    """The database's own "now minus stale_after", so clocks of different machines never matter."""
    return ExpressionWrapper(
        Now() - Value(stale_after, output_field=DurationField()), output_field=DateTimeField()
    )


def live_worker_ids(*, stale_after: timedelta) -> set[str]:
    return set(
        WorkerHeartbeat.objects.filter(last_seen__gte=stale_cutoff(stale_after)).values_list(
            "worker_id", flat=True
        )
    )


def is_worker_live(*, worker_id: str, stale_after: timedelta) -> bool:
    return WorkerHeartbeat.objects.filter(
        worker_id=worker_id, last_seen__gte=stale_cutoff(stale_after)
    ).exists()


@dataclass(frozen=True)
class LostTask:
    task_id: str
    worker_id: str


def attempts_of(task: DBTaskResult) -> int:
    """Each claim by a worker appends its id to ``worker_ids``: one entry per attempt."""
    return len(task.worker_ids)


def lost_tasks(*, backend_name: str, stale_after: timedelta, exclude_worker_id: str | None) -> list[LostTask]:
    """RUNNING tasks whose last worker stopped sending heartbeats.

    A worker with no heartbeat row at all (pruned, or never a `shinsa worker`) counts as lost once
    the task has been running for longer than ``stale_after``. ``exclude_worker_id`` is the caller
    itself: a worker running the reaper is alive by definition.
    """
    running = (
        DBTaskResult.objects.running()
        .filter(backend_name=backend_name)
        .annotate(
            started_long_ago=ExpressionWrapper(
                Q(started_at__lt=stale_cutoff(stale_after)), output_field=BooleanField()
            )
        )
        .values_list("id", "worker_ids", "started_long_ago")
    )
    candidates = [
        (str(task_id), worker_ids[-1] if worker_ids else "", old) for task_id, worker_ids, old in running
    ]
    if not candidates:
        return []
    known = set(
        WorkerHeartbeat.objects.filter(worker_id__in={w for _, w, _ in candidates}).values_list(
            "worker_id", flat=True
        )
    )
    live = live_worker_ids(stale_after=stale_after)
    lost = []
    for task_id, worker_id, started_long_ago in candidates:
        if worker_id == exclude_worker_id or worker_id in live:
            continue
        if worker_id in known or started_long_ago:
            lost.append(LostTask(task_id=task_id, worker_id=worker_id))
    return lost


def task_ids_last_claimed_by(*, backend_name: str, worker_id: str) -> list[str]:
    """RUNNING tasks whose last claim was by ``worker_id`` (used when a worker restarts under its id)."""
    return [
        str(task.id)
        for task in DBTaskResult.objects.running().filter(backend_name=backend_name).only("id", "worker_ids")
        if task.worker_ids and task.worker_ids[-1] == worker_id
    ]
