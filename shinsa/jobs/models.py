from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running `shinsa worker`, touched every few seconds by its side thread.

    The reaper treats a worker whose row has gone stale as dead and puts its RUNNING task back.
    Times come from the database clock, so workers on different machines compare fairly.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    pid = models.PositiveIntegerField()
    host = models.CharField(max_length=255)

    def __str__(self) -> str:
        return f"{self.worker_id} (pid {self.pid} on {self.host})"
