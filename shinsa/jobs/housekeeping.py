"""What a `shinsa worker` does beside running tasks, every few seconds in a side thread.

1. Heartbeat: touch this worker's ``WorkerHeartbeat`` row.
2. Reaper: put RUNNING tasks whose worker stopped heartbeating back to READY (or fail them after
   ``TASK_MAX_ATTEMPTS``), audited.
3. Seal: call ``shinsa.audit.sealing.seal_pending()`` so audit events join the hash chain.
4. On-call: escalate unacknowledged pages past their time; about once a minute, check the conditions
   that page (SLA risk, backlog, failed screening).

The thread has its own database connection (Django connections are per thread), so a slow task
never holds up the heartbeat on PostgreSQL. On SQLite a task's write transaction blocks every other
writer, the heartbeat included: keep task transactions shorter than ``WORKER_STALE_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import close_old_connections, connections

from shinsa.audit.sealing import seal_pending
from shinsa.jobs.actions import (
    RequeueOutcome,
    do_prune_heartbeats,
    do_requeue_lost_task,
    do_touch_heartbeat,
)
from shinsa.jobs.queries import lost_tasks
from shinsa.oncall.actions import do_escalate_pages
from shinsa.oncall.conditions import check_conditions
from shinsa.review.actions import do_expire_leases

logger = logging.getLogger("shinsa.jobs")
CONDITIONS_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class WorkerIdentity:
    worker_id: str
    pid: int
    host: str
    backend_name: str


def reap_lost_tasks(
    *, backend_name: str, stale_after: timedelta, max_attempts: int, exclude_worker_id: str | None
) -> dict[RequeueOutcome, int]:
    """One pass of the reaper; returns how many tasks were requeued, failed, or left alone."""
    counts = dict.fromkeys(RequeueOutcome, 0)
    for lost in lost_tasks(
        backend_name=backend_name, stale_after=stale_after, exclude_worker_id=exclude_worker_id
    ):
        result = do_requeue_lost_task(
            actor="worker",
            task_id=lost.task_id,
            lost_worker_id=lost.worker_id,
            stale_after=stale_after,
            max_attempts=max_attempts,
        )
        counts[result.outcome] += 1
        if result.outcome is not RequeueOutcome.UNCHANGED:
            logger.warning(
                "Task %s %s: worker %s stopped sending heartbeats (attempt %d of %d)",
                lost.task_id,
                result.outcome,
                lost.worker_id,
                result.attempts,
                max_attempts,
            )
    return counts


class Housekeeping:
    """Heartbeat, reaper, review lease expiry and audit sealing for one worker; ``tick()`` is one round."""

    def __init__(
        self,
        *,
        identity: WorkerIdentity,
        every: timedelta,
        stale_after: timedelta,
        max_attempts: int,
    ) -> None:
        self.identity = identity
        self.every = every
        self.stale_after = stale_after
        self.max_attempts = max_attempts
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conditions_checked_at: float | None = None

    def tick(self) -> None:
        me = self.identity
        do_touch_heartbeat(worker_id=me.worker_id, pid=me.pid, host=me.host)
        reap_lost_tasks(
            backend_name=me.backend_name,
            stale_after=self.stale_after,
            max_attempts=self.max_attempts,
            exclude_worker_id=me.worker_id,
        )
        do_prune_heartbeats(backend_name=me.backend_name)
        do_expire_leases(actor="worker")
        do_escalate_pages(actor="worker")
        now = time.monotonic()
        checked = self._conditions_checked_at
        if checked is None or now - checked >= CONDITIONS_EVERY.total_seconds():
            check_conditions()
            self._conditions_checked_at = now
        seal_pending()

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.every.total_seconds()):
                try:
                    self.tick()
                except Exception:
                    # A locked SQLite file or a dropped connection must not stop the heartbeat for good:
                    # log it, drop the connection, and try again next round.
                    logger.exception("Worker housekeeping failed; retrying in %s", self.every)
                    connections.close_all()
                else:
                    close_old_connections()
        finally:
            connections.close_all()  # this thread's connections only

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop, name=f"housekeeping-{self.identity.worker_id}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 40.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
