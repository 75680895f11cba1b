"""Reads behind the home page's sections. Each returns plain data in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shinsa.accounts.models import User
from shinsa.audit.models import AuditEvent


@dataclass(frozen=True)
class TaskCounts:
    ready: int
    running: int
    failed: int
    oldest_ready_enqueued_at: datetime | None


def task_counts() -> TaskCounts:
    """Background tasks waiting, running and failed, plus how long the oldest waiting one has waited."""
    ready = Q(status=TaskResultStatus.READY)
    # order_by() drops the model's default ordering, which would otherwise leak into the aggregate.
    row = DBTaskResult.objects.order_by().aggregate(
        ready=Count("pk", filter=ready),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
        oldest_ready=Min("enqueued_at", filter=ready),
    )
    return TaskCounts(
        ready=row["ready"],
        running=row["running"],
        failed=row["failed"],
        oldest_ready_enqueued_at=row["oldest_ready"],
    )


def recent_audit_events(*, limit: int = 10) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("-occurred_at", "-pk")[:limit])


@dataclass(frozen=True)
class UserCounts:
    active: int
    without_role: int


def user_counts() -> UserCounts:
    """Active accounts, and how many of them hold no role (they can sign in but see nothing)."""
    row = User.objects.filter(is_active=True).aggregate(
        active=Count("pk", distinct=True),
        without_role=Count("pk", distinct=True, filter=Q(role_grants__isnull=True)),
    )
    return UserCounts(active=row["active"], without_role=row["without_role"])
