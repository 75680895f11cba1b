"""Reads for the console's pages beyond what the apps' own queries give. Each costs a fixed number of
queries whatever the data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shinsa.accounts.models import User
from shinsa.audit.models import AuditEvent
from shinsa.catalog.models import AssetVersion, Title, TitleKind
from shinsa.catalog.queries import TitleRow, with_display_title
from shinsa.jobs.queries import live_worker_ids
from shinsa.policy.current import current_policies


@dataclass(frozen=True)
class TaskCounts:
    ready: int
    running: int
    failed: int
    oldest_ready_enqueued_at: datetime | None
    live_workers: int


def task_counts() -> TaskCounts:
    """Background tasks waiting, running and failed, how long the oldest waiting one has waited, and how
    many workers sent a heartbeat within the stale window. Two queries."""
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
        live_workers=len(live_worker_ids(stale_after=timedelta(seconds=settings.WORKER_STALE_SECONDS))),
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


@dataclass(frozen=True)
class Ancestor:
    external_id: str
    kind: str
    number: int | None
    display_title: str


def title_ancestors(title: TitleRow, *, language: str) -> list[Ancestor]:
    """The series and season above a title, outermost first, for breadcrumbs. One query."""
    if title.parent is None:
        return []
    above = with_display_title(
        Title.objects.filter(
            Q(children__external_id=title.external_id) | Q(children__children__external_id=title.external_id)
        ),
        language,
    ).values("external_id", "kind", "number", "display_title", "parent__external_id")
    by_id = {row["external_id"]: row for row in above}
    chain: list[Ancestor] = []
    current = title.parent
    while current in by_id and len(chain) < len(by_id):
        row = by_id[current]
        chain.insert(0, Ancestor(row["external_id"], row["kind"], row["number"], row["display_title"]))
        current = row["parent__external_id"]
    return chain


@dataclass(frozen=True)
class CatalogCounts:
    by_kind: dict[str, int]
    asset_versions: int
    last_change: AuditEvent | None


def catalog_counts() -> CatalogCounts:
    """Titles per kind, stored asset versions, and the latest catalog change. Three queries."""
    by_kind = {kind: 0 for kind in TitleKind.values}
    for row in Title.objects.order_by().values("kind").annotate(count=Count("pk")):
        by_kind[row["kind"]] = row["count"]
    return CatalogCounts(
        by_kind=by_kind,
        asset_versions=AssetVersion.objects.count(),
        last_change=AuditEvent.objects.filter(verb__startswith="catalog.")
        .order_by("-occurred_at", "-pk")
        .first(),
    )


@dataclass(frozen=True)
class PolicyAreaRow:
    name: str
    severity: str
    clauses: int


@dataclass(frozen=True)
class PolicyOverview:
    version: str
    file_count: int
    areas: list[PolicyAreaRow]


def policy_overview(*, language: str) -> PolicyOverview:
    """The policy set in force (loaded once per process, no query); raises InvalidPolicySet."""
    policies = current_policies()
    clauses_per_area = Counter(clause.area for clause in policies.clauses)
    return PolicyOverview(
        version=policies.version,
        file_count=len(policies.files),
        areas=[
            PolicyAreaRow(area.name.in_language(language), area.severity.value, clauses_per_area[area.id])
            for area in policies.areas
        ],
    )


@dataclass(frozen=True)
class ReviewSummary:
    waiting: int  # open items this person may be routed to now
    claimed: int  # items they hold
    exposure_minutes: int  # graphic minutes watched today (weighted)
    budget_minutes: int
    budget_spent: bool


def review_summary(user: User) -> ReviewSummary:
    """The home page's "My queue": what waits for this person and what they hold. Fixed query count."""
    from shinsa.review.actions.claiming import routing_for
    from shinsa.review.claims import eligibility_filter
    from shinsa.review.console import exposure_today
    from shinsa.review.counting import capped_count
    from shinsa.review.models import ItemStatus, WorkItem, WorkKind

    routing = routing_for(user)
    waiting = capped_count(
        WorkItem.objects.filter(
            eligibility_filter(routing), status=ItemStatus.OPEN, kind__in=[WorkKind.REVIEW, WorkKind.GOLD]
        )
    )
    claimed = WorkItem.objects.filter(status=ItemStatus.CLAIMED, claimed_by=user).count()
    exposure = exposure_today(user)
    return ReviewSummary(
        waiting=waiting,
        claimed=claimed,
        exposure_minutes=exposure.spent_minutes,
        budget_minutes=exposure.budget_minutes,
        budget_spent=routing.exposure_budget_spent,
    )


@dataclass(frozen=True)
class EscalationSummary:
    escalated: int  # open items raised to a tier this person handles
    confirmations: int  # high-impact decisions by others waiting for a second person
    appeals: int


def escalation_summary(user: User) -> EscalationSummary:
    from shinsa.review.actions.actors import max_escalation_tier
    from shinsa.review.console import special_counts
    from shinsa.review.counting import capped_count
    from shinsa.review.models import ItemStatus, WorkItem

    escalated = capped_count(
        WorkItem.objects.filter(
            status=ItemStatus.OPEN, escalation_tier__gte=1, escalation_tier__lte=max_escalation_tier(user)
        )
    )
    counts = special_counts(user)
    return EscalationSummary(
        escalated=escalated, confirmations=counts["confirmations"], appeals=counts["appeals"]
    )


@dataclass(frozen=True)
class QualitySummary:
    audits_waiting: int  # sampled decisions of others not yet audited
    audits_to_classify: int  # this person's blind answers still to classify
    disputed: int
    sessions_open: int  # calibration sessions not closed


def quality_summary(user: User) -> QualitySummary:
    from shinsa.quality.models import AuditSample, CalibrationSession, Phase, SampleStatus

    samples = AuditSample.objects.order_by().aggregate(
        waiting=Count("pk", filter=Q(status=SampleStatus.PENDING) & ~Q(reviewer=user)),
        to_classify=Count("pk", filter=Q(status=SampleStatus.ANSWERED, auditor=user)),
        disputed=Count("pk", filter=Q(status=SampleStatus.DISPUTED)),
    )
    sessions = CalibrationSession.objects.exclude(phase=Phase.CLOSED).count()
    return QualitySummary(
        audits_waiting=samples["waiting"],
        audits_to_classify=samples["to_classify"],
        disputed=samples["disputed"],
        sessions_open=sessions,
    )
