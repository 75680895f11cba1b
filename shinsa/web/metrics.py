"""Figures for Prometheus, read from the database at scrape time (so every web process reports the same).

Gauges only: review queue depth and age, SLA risk, background-task queue depth and age, task
latency and failures over the last hour, live workers and unsealed audit events. The task figures
over a window are gauges (``*_last_hour``), not counters, because task rows are pruned.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

WINDOW = datetime.timedelta(hours=1)
SLA_RISK = datetime.timedelta(hours=1)  # "at risk": due within the next hour
LATENCY_SAMPLE = 5000  # most recent finished tasks of the window used for the quantiles


def _label(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Exposition:
    """Prometheus text format 0.0.4: HELP and TYPE once per family, then its samples."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(
        self, name: str, kind: str, text: str, samples: Iterable[tuple[dict[str, object], float]]
    ) -> None:
        self.lines.append(f"# HELP {name} {text}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            shown = ",".join(f'{key}="{_label(val)}"' for key, val in sorted(labels.items()))
            self.lines.append(f"{name}{{{shown}}} {value:g}" if shown else f"{name} {value:g}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def review_families(out: Exposition, now: datetime.datetime) -> None:
    from shinsa.review.models import ItemStatus, Queue, WorkItem

    queues = list(Queue.objects.filter(active=True).values_list("id", flat=True))
    depth: dict[tuple[str, str], int] = {(q, s): 0 for q in queues for s in ("open", "claimed", "held")}
    oldest: dict[str, float] = dict.fromkeys(queues, 0.0)
    live = WorkItem.objects.filter(status__in=[ItemStatus.OPEN, ItemStatus.CLAIMED, ItemStatus.HELD])
    for row in live.values("queue_id", "status").annotate(n=Count("id"), first=Min("created_at")):
        depth[(row["queue_id"], row["status"])] = row["n"]
        if row["status"] == ItemStatus.OPEN:
            oldest[row["queue_id"]] = max(0.0, (now - row["first"]).total_seconds())
    risk: dict[tuple[str, str], int] = {(q, s): 0 for q in queues for s in ("at_risk", "breached")}
    for row in live.filter(due_at__lt=now).values("queue_id").annotate(n=Count("id")):
        risk[(row["queue_id"], "breached")] = row["n"]
    for row in (
        live.filter(due_at__gte=now, due_at__lt=now + SLA_RISK).values("queue_id").annotate(n=Count("id"))
    ):
        risk[(row["queue_id"], "at_risk")] = row["n"]
    out.family(
        "shinsa_review_queue_depth",
        "gauge",
        "Live review items per queue and status.",
        (({"queue": q, "status": s}, n) for (q, s), n in sorted(depth.items())),
    )
    out.family(
        "shinsa_review_queue_oldest_age_seconds",
        "gauge",
        "Age of the oldest open item per queue (0 when none is open).",
        (({"queue": q}, age) for q, age in sorted(oldest.items())),
    )
    out.family(
        "shinsa_review_sla_items",
        "gauge",
        "Live items past their SLA deadline (breached) or due within the hour (at_risk), per queue.",
        (({"queue": q, "state": s}, n) for (q, s), n in sorted(risk.items())),
    )


def task_families(out: Exposition, now: datetime.datetime) -> None:
    from django_tasks_db.models import DBTaskResult

    from shinsa.jobs.models import WorkerHeartbeat

    queues = settings.TASKS["default"].get("QUEUES", ["default"])
    waiting: dict[tuple[str, str], int] = {(q, s): 0 for q in queues for s in ("ready", "running")}
    oldest: dict[str, float] = dict.fromkeys(queues, 0.0)
    pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    for row in pending.values("queue_name", "status").annotate(n=Count("id"), first=Min("enqueued_at")):
        waiting[(row["queue_name"], row["status"].lower())] = row["n"]
        if row["status"] == "READY":
            oldest[row["queue_name"]] = max(0.0, (now - row["first"]).total_seconds())
    finished = DBTaskResult.objects.filter(finished_at__gte=now - WINDOW, started_at__isnull=False)
    outcomes: dict[tuple[str, str], int] = defaultdict(int)
    for row in finished.values("task_path", "status").annotate(n=Count("id")):
        outcomes[(row["task_path"].rsplit(".", 1)[-1], row["status"].lower())] = row["n"]
    durations: dict[str, list[float]] = defaultdict(list)
    recent = finished.order_by("-finished_at").values_list("task_path", "started_at", "finished_at")
    for path, started, ended in recent[:LATENCY_SAMPLE]:
        durations[path.rsplit(".", 1)[-1]].append((ended - started).total_seconds())
    out.family(
        "shinsa_task_queue_depth",
        "gauge",
        "Background tasks waiting (ready) or running, per queue.",
        (({"queue": q, "status": s}, n) for (q, s), n in sorted(waiting.items())),
    )
    out.family(
        "shinsa_task_queue_oldest_age_seconds",
        "gauge",
        "How long the oldest ready task of each queue has waited.",
        (({"queue": q}, age) for q, age in sorted(oldest.items())),
    )
    out.family(
        "shinsa_tasks_finished_last_hour",
        "gauge",
        "Tasks that finished in the last hour, per task and outcome (failed = a failure).",
        (({"task": t, "status": s}, n) for (t, s), n in sorted(outcomes.items())),
    )
    out.family(
        "shinsa_task_duration_seconds_last_hour",
        "gauge",
        "Run time of the tasks finished in the last hour (p50, p99), per task.",
        (
            ({"task": t, "quantile": str(q)}, _quantile(values, q))
            for t, values in sorted(durations.items())
            for q in (0.5, 0.99)
        ),
    )
    stale = now - datetime.timedelta(seconds=_stale_seconds())
    out.family(
        "shinsa_workers_alive",
        "gauge",
        "Workers whose heartbeat is fresh.",
        [({}, WorkerHeartbeat.objects.filter(last_seen__gte=stale).count())],
    )


def audit_families(out: Exposition) -> None:
    from shinsa.audit.models import AuditEvent

    out.family(
        "shinsa_audit_unsealed_events",
        "gauge",
        "Audit events not yet sealed into the hash chain.",
        [({}, AuditEvent.objects.filter(seal__isnull=True).count())],
    )


def _stale_seconds() -> int:
    return settings.WORKER_STALE_SECONDS


def render_metrics(now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    out = Exposition()
    review_families(out, now)
    task_families(out, now)
    audit_families(out)
    return out.text()
