"""The worker's task runner with a request id per task, so task logs and audit events can be joined.

Each run gets ``task-<task id>`` as its request id (the same context variable the web middleware
sets): every log line written while the task runs carries it (``SHINSA_LOG_FORMAT=json`` prints it as
``request_id``), and so does every audit event the task records. One line is logged when a task
starts and one when it ends, with its outcome and run time.
"""

from __future__ import annotations

import logging
import time

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from shinsa.web.request_context import reset_request_id, set_request_id

logger = logging.getLogger("shinsa.jobs")


class TracingWorker(Worker):
    def run_task(self, db_task_result: DBTaskResult) -> None:
        token = set_request_id(f"task-{db_task_result.id}")
        started = time.monotonic()
        name = db_task_result.task_path.rsplit(".", 1)[-1]
        logger.info("task %s started (attempt %d)", name, len(db_task_result.worker_ids))
        try:
            super().run_task(db_task_result)
        finally:
            logger.info(
                "task %s %s in %.3f s",
                name,
                str(db_task_result.status).lower(),
                time.monotonic() - started,
            )
            reset_request_id(token)
