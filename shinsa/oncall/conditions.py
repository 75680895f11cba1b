"""Conditions that page the person on call, checked by the worker's housekeeping about once a minute:
SLA breach risk, a queue's backlog over its threshold, and failed screening tasks. (Anomalies page from
``shinsa.insights.actions.do_record_anomaly`` when the detector finds them.)"""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone

from shinsa.oncall.actions import do_raise_page
from shinsa.oncall.models import PageKind
from shinsa.review.models import LIVE_STATUSES, WorkItem

SLA_RISK_WITHIN = datetime.timedelta(hours=2)
BACKLOG_THRESHOLD = 200
SCREENING_TASKS = ("shinsa.catalog.tasks.", "shinsa.screening.")
FAILED_LOOKBACK = datetime.timedelta(days=1)


def check_conditions(*, now: datetime.datetime | None = None) -> int:
    """Raise (or count a repeat of) each page the current state calls for; returns how many."""
    now = now or timezone.now()
    raised = 0
    at_risk = (
        WorkItem.objects.filter(status__in=LIVE_STATUSES, due_at__lte=now + SLA_RISK_WITHIN)
        .values("queue_id")
        .annotate(n=Count("id"))
    )
    for row in at_risk:
        do_raise_page(
            actor="worker",
            kind=PageKind.SLA_RISK,
            condition=f"sla_risk:{row['queue_id']}",
            summary=f"{row['n']} items in queue {row['queue_id']} are due within 2 hours or overdue",
            detail={"queue": row["queue_id"], "items": row["n"]},
            now=now,
        )
        raised += 1
    backlog = WorkItem.objects.filter(status__in=LIVE_STATUSES).values("queue_id").annotate(n=Count("id"))
    for row in backlog:
        if row["n"] > BACKLOG_THRESHOLD:
            do_raise_page(
                actor="worker",
                kind=PageKind.BACKLOG,
                condition=f"backlog:{row['queue_id']}",
                summary=(
                    f"Queue {row['queue_id']} holds {row['n']} live items (threshold {BACKLOG_THRESHOLD})"
                ),
                detail={"queue": row["queue_id"], "items": row["n"]},
                now=now,
            )
            raised += 1
    raised += _failed_screening(now)
    return raised


def _failed_screening(now: datetime.datetime) -> int:
    from django_tasks_db.models import DBTaskResult

    raised = 0
    failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - FAILED_LOOKBACK)
    for result in failed.only("id", "task_path"):
        if not result.task_path.startswith(SCREENING_TASKS):
            continue
        do_raise_page(
            actor="worker",
            kind=PageKind.SCREENING_FAILED,
            condition=f"screening_failed:{result.id}",
            summary=f"Screening task {result.task_path.rsplit('.', 1)[-1]} failed ({result.id})",
            detail={"task": str(result.id), "path": result.task_path},
            now=now,
        )
        raised += 1
    return raised
