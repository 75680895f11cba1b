"""State changes for background work: worker heartbeats and putting back tasks whose worker died."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.db import transaction
from django.db.models.functions import Now
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shinsa import audit
from shinsa.jobs.models import WorkerHeartbeat
from shinsa.jobs.queries import attempts_of, is_worker_live, stale_cutoff

# A dead worker's heartbeat row is kept this long for people looking into an incident, then pruned.
HEARTBEAT_RETENTION = timedelta(days=1)


class WorkerLost(Exception):
    """Recorded as a task's error when its worker died on the last allowed attempt."""


class WorkerIdInUse(Exception):
    def __init__(self, heartbeat: WorkerHeartbeat) -> None:
        super().__init__(
            f"worker id {heartbeat.worker_id} is in use by pid {heartbeat.pid} on {heartbeat.host}"
        )
        self.heartbeat = heartbeat


@transaction.atomic
def do_register_worker(*, worker_id: str, pid: int, host: str, stale_after: timedelta) -> WorkerHeartbeat:
    """Start the heartbeat row of a worker; refuses an id that a live worker is still using."""
    existing = WorkerHeartbeat.objects.select_for_update().filter(worker_id=worker_id).first()
    if existing is not None and is_worker_live(worker_id=worker_id, stale_after=stale_after):
        raise WorkerIdInUse(existing)
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"started_at": Now(), "last_seen": Now(), "pid": pid, "host": host[:255]},
    )
    return WorkerHeartbeat.objects.get(worker_id=worker_id)


def do_touch_heartbeat(*, worker_id: str, pid: int, host: str) -> None:
    """Mark the worker alive now (one UPDATE; recreates the row should someone have pruned it)."""
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=Now()):
        WorkerHeartbeat.objects.get_or_create(
            worker_id=worker_id,
            defaults={"started_at": Now(), "last_seen": Now(), "pid": pid, "host": host[:255]},
        )


def do_remove_heartbeat(*, worker_id: str) -> None:
    """A worker that stops cleanly leaves no heartbeat behind (it finished its task first)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def do_prune_heartbeats(*, backend_name: str) -> int:
    """Delete heartbeats silent for longer than HEARTBEAT_RETENTION that no RUNNING task points at."""
    still_referenced = {
        ids[-1]
        for ids in DBTaskResult.objects.running()
        .filter(backend_name=backend_name)
        .values_list("worker_ids", flat=True)
        if ids
    }
    old = WorkerHeartbeat.objects.filter(last_seen__lt=stale_cutoff(HEARTBEAT_RETENTION)).exclude(
        worker_id__in=still_referenced
    )
    deleted, _ = old.delete()
    return deleted


class RequeueOutcome(StrEnum):
    REQUEUED = "requeued"
    FAILED = "failed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Requeued:
    task_id: str
    outcome: RequeueOutcome
    attempts: int


@transaction.atomic
def do_requeue_lost_task(
    *,
    actor: str,
    task_id: str,
    lost_worker_id: str,
    stale_after: timedelta | None,
    max_attempts: int,
) -> Requeued:
    """Put a RUNNING task whose worker died back to READY, or fail it after ``max_attempts`` attempts.

    Everything is checked again under the row lock: the task must still be RUNNING under
    ``lost_worker_id`` and, unless ``stale_after`` is None (the worker is known to be gone: it is
    restarting under the same id), that worker's heartbeat must still be stale.
    """
    task = DBTaskResult.objects.select_for_update().filter(id=task_id).first()
    if (
        task is None
        or task.status != TaskResultStatus.RUNNING
        or not task.worker_ids
        or task.worker_ids[-1] != lost_worker_id
        or (stale_after is not None and is_worker_live(worker_id=lost_worker_id, stale_after=stale_after))
    ):
        return Requeued(task_id=task_id, outcome=RequeueOutcome.UNCHANGED, attempts=0)
    attempts = attempts_of(task)
    before = {"status": task.status, "worker_id": lost_worker_id, "attempts": attempts}
    if attempts >= max_attempts:
        error = WorkerLost(f"worker {lost_worker_id} died during attempt {attempts} of {max_attempts}")
        task.status = TaskResultStatus.FAILED
        task.finished_at = timezone.now()
        task.return_value = None
        task.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
        task.traceback = f"{task.exception_class_path}: {error}\n"
        task.save(
            update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"]
        )
        outcome, verb = RequeueOutcome.FAILED, "task.failed"
    else:
        task.status = TaskResultStatus.READY
        task.started_at = None
        task.save(update_fields=["status", "started_at"])
        outcome, verb = RequeueOutcome.REQUEUED, "task.requeued"
    audit.record(
        actor=actor,
        verb=verb,
        obj=task,
        before=before,
        after={"status": task.status, "attempts": attempts, "task": task.task_path.rsplit(".", 1)[-1]},
        reason=f"worker {lost_worker_id} stopped sending heartbeats",
    )
    return Requeued(task_id=task_id, outcome=outcome, attempts=attempts)
