from __future__ import annotations

import logging
import os
import signal
import socket
from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import OperationalError
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import valid_interval, validate_worker_id

from shinsa.commands import ShinsaCommand
from shinsa.jobs.actions import WorkerIdInUse, do_register_worker, do_remove_heartbeat, do_requeue_lost_task
from shinsa.jobs.housekeeping import Housekeeping, WorkerIdentity
from shinsa.jobs.queries import task_ids_last_claimed_by
from shinsa.jobs.tracing import TracingWorker

STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]


def default_worker_id(host: str, pid: int) -> str:
    """host:pid:random — readable in the heartbeat table, unique across restarts, at most 64 characters."""
    return f"{host[:40]}:{pid}:{get_random_string(8)}"


class Command(ShinsaCommand):
    help = (
        "Run a background worker: tasks one at a time, heartbeats, retry of dead workers' tasks.\n"
        "Also puts back the tasks of workers that stopped heartbeating and seals audit events."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            metavar="NAME",
            help="A queue to take tasks from; repeat for several (default: all queues).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the tasks that are ready now, then exit (tests, the demo).",
        )
        parser.add_argument(
            "--worker-id", type=validate_worker_id, help="Unique id (default: host:pid:random)."
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait between looks at an empty queue (default: 1).",
        )

    def handle(
        self, *, queues: list[str] | None, once: bool, worker_id: str | None, interval: float, **options: Any
    ) -> None:
        if options["verbosity"] == 0:
            for name in ("django_tasks_db", "django.tasks", "shinsa.jobs"):
                logging.getLogger(name).setLevel(logging.WARNING)
        backend_name = DEFAULT_TASK_BACKEND_ALIAS
        queue_names = self._checked_queues(backend_name, queues)
        host, pid = socket.gethostname(), os.getpid()
        identity = WorkerIdentity(
            worker_id=worker_id or default_worker_id(host, pid), pid=pid, host=host, backend_name=backend_name
        )
        stale_after = timedelta(seconds=settings.WORKER_STALE_SECONDS)
        try:
            do_register_worker(worker_id=identity.worker_id, pid=pid, host=host, stale_after=stale_after)
        except OperationalError as error:
            raise CommandError(
                _("The worker cannot reach the database: %(error)s") % {"error": error}
            ) from None
        except WorkerIdInUse as error:
            raise CommandError(
                _("Worker id %(id)s is in use by a running worker (pid %(pid)s on %(host)s).")
                % {"id": identity.worker_id, "pid": error.heartbeat.pid, "host": error.heartbeat.host}
            ) from None
        # A worker restarting under a fixed id cannot be running what it claimed before it stopped.
        for task_id in task_ids_last_claimed_by(backend_name=backend_name, worker_id=identity.worker_id):
            do_requeue_lost_task(
                actor="worker",
                task_id=task_id,
                lost_worker_id=identity.worker_id,
                stale_after=None,
                max_attempts=settings.TASK_MAX_ATTEMPTS,
            )
        housekeeping = Housekeeping(
            identity=identity,
            every=timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS),
            stale_after=stale_after,
            max_attempts=settings.TASK_MAX_ATTEMPTS,
        )
        worker = TracingWorker(
            queue_names=queue_names,
            interval=interval,
            batch=once,
            backend_name=backend_name,
            startup_delay=not once,
            max_tasks=None,
            worker_id=identity.worker_id,
            excluded_queue_names=[],
        )
        # One round before the first claim, so a lost task is back in the queue even for --once.
        housekeeping.tick()
        housekeeping.start()
        previous_handlers = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
        try:
            worker.configure_signals()  # first signal: finish the current task, then stop
            worker.run()
        finally:
            for sig, handler in previous_handlers.items():
                signal.signal(sig, handler)
            housekeeping.stop()
            if once:
                housekeeping.tick()  # seal what the drained tasks recorded
            do_remove_heartbeat(worker_id=identity.worker_id)

    def _checked_queues(self, backend_name: str, queues: list[str] | None) -> list[str]:
        if not queues:
            return ["*"]
        known = settings.TASKS[backend_name].get("QUEUES") or []
        for name in queues:
            if known and name not in known:
                raise CommandError(
                    _("Unknown queue %(name)s; the queues are: %(queues)s.")
                    % {"name": name, "queues": ", ".join(known)}
                )
        return list(dict.fromkeys(queues))
