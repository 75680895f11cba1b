"""Queues and work items: sync queues from the policy files, create or merge items (dedup key)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.accounts.skills import TERRITORY_CODES
from shinsa.catalog.models import TitleVersion
from shinsa.policy.current import current_policies
from shinsa.policy.schemas import Priority
from shinsa.review import priority
from shinsa.review.actions.actors import Actor, _require
from shinsa.review.errors import ReviewError
from shinsa.review.models import (
    LIVE_STATUSES,
    Queue,
    WorkItem,
    WorkItemReport,
    WorkItemSignal,
    WorkKind,
)
from shinsa.review.routing import (
    language_requirement_for,
    queue_for,
)


@dataclass(frozen=True, kw_only=True, slots=True)
class IncomingSignal:
    """An automated signal that raised (or adds to) an item."""

    source: str  # e.g. "screening:lexicon"
    ref: str  # the signal's own id
    confidence: float  # 0.0–1.0
    start_ms: int | None = None  # where in the media it fired, when it says
    end_ms: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class IncomingReport:
    """Customer reports of one reason (policies/report_reasons.toml)."""

    reason: str
    count: int = 1


# --- queues --------------------------------------------------------------------------------------


@transaction.atomic
def do_sync_queues(*, actor: Actor) -> list[str]:
    """Copy policies/queues.toml into Queue rows; queues no longer in the files become inactive."""
    _require(actor, Perm.MANAGE_QUEUES)
    policies = current_policies()
    now = timezone.now()
    changed: list[str] = []
    for queue in policies.queues:
        fields = {
            "name_ja": queue.name.ja,
            "name_en": queue.name.en,
            "policy_areas": list(queue.policy_areas),
            "territories": list(queue.territories),
            "languages": [[need.language, need.min_level] for need in queue.languages],
            "clearance": dict(queue.clearance),
            "sla": queue.sla,
            "active": True,
        }
        row = Queue.objects.select_for_update().filter(pk=queue.id).first()
        if row is None or any(getattr(row, name) != value for name, value in fields.items()):
            changed.append(queue.id)
        Queue.objects.update_or_create(
            pk=queue.id, defaults=fields | {"policy_version": policies.version, "synced_at": now}
        )
    gone = list(
        Queue.objects.filter(active=True).exclude(pk__in=policies.queues.ids).values_list("pk", flat=True)
    )
    Queue.objects.filter(pk__in=gone).update(active=False, synced_at=now)
    if changed or gone:
        audit.record(
            actor=actor,
            verb="review.queues.synced",
            object_type="review.queue",
            object_id="*",
            after={"changed": changed, "deactivated": gone, "policy_version": policies.version},
        )
    return changed


def _queue_row(queue_id: str) -> Queue:
    row = Queue.objects.filter(pk=queue_id, active=True).first()
    if row is None:
        do_sync_queues(actor="system")
        row = Queue.objects.get(pk=queue_id)
    return row


# --- items ---------------------------------------------------------------------------------------


def _score_and_rank(item: WorkItem) -> None:
    item.priority_score = priority.priority_score(
        priority.PriorityInputs(
            severity=item.severity,
            max_confidence=item.max_confidence,
            report_count=item.report_count,
            audience_reach=item.audience_reach,
        )
    )
    item.rank_ms = priority.rank_ms(due_ms=int(item.due_at.timestamp() * 1000), score=item.priority_score)


def _upsert_problems(
    *,
    policy_area: str,
    kind: str,
    territory: str,
    signal: IncomingSignal | None,
    report: IncomingReport | None,
    graphic_category: str,
    graphic_level: int,
    audience_reach: int,
) -> list[str]:
    policies = current_policies()
    problems: list[str] = []
    if policy_area not in policies.areas:
        problems.append(_("Unknown policy area “%(area)s”.") % {"area": policy_area})
    if kind not in WorkKind.values:
        problems.append(_("Unknown kind of work “%(kind)s”.") % {"kind": kind})
    if territory and territory not in TERRITORY_CODES:
        problems.append(_("Unknown territory “%(code)s”.") % {"code": territory})
    if signal is not None and not 0.0 <= signal.confidence <= 1.0:
        problems.append(_("A signal's confidence must be between 0 and 1."))
    if report is not None:
        reason = policies.report_reasons.get(report.reason)
        if reason is None:
            problems.append(_("Unknown report reason “%(reason)s”.") % {"reason": report.reason})
        elif reason.area != policy_area:
            problems.append(
                _("Report reason “%(reason)s” belongs to the policy area “%(area)s”.")
                % {"reason": report.reason, "area": reason.area}
            )
        if report.count < 1:
            problems.append(_("A report count must be at least 1."))
    if graphic_level and graphic_category not in policies.wellness_presets:
        problems.append(_("Unknown graphic category “%(category)s”.") % {"category": graphic_category})
    if not 0 <= graphic_level <= 3:
        problems.append(_("A graphic level is 0 to 3."))
    if audience_reach < 0:
        problems.append(_("Audience reach cannot be negative."))
    return problems


@transaction.atomic
def do_upsert_item(
    *,
    actor: Actor,
    title_version: TitleVersion,
    policy_area: str,
    kind: str = WorkKind.REVIEW,
    severity: str | None = None,
    territory: str = "",
    signal: IncomingSignal | None = None,
    report: IncomingReport | None = None,
    audience_reach: int = 0,
    language: str = "",
    sensitive: bool = False,
    graphic_category: str = "",
    graphic_level: int = 0,
    excluded_reviewer: User | None = None,
    due_by: datetime.datetime | None = None,
    legal_only: bool = False,
) -> WorkItem:
    """Create the live item for (title version, policy area, kind), or merge into the one that exists.

    ``due_by`` is an outside deadline (an availability window's start, a statutory date): the item is
    due by the earlier of it and the queue's SLA.

    ``legal_only`` puts the item in the restricted legal queue (only people with handle_legal); an item on
    a title version with quarantined media always goes there.

    A merge adds the signal or report, keeps the strongest needs (sensitivity, graphic level), the
    earliest deadline and the largest reach, and re-scores that one item. Concurrent upserts of one key
    meet at the partial unique constraint: the loser re-reads the winner's row and merges into it.
    """
    _require(actor, Perm.REVIEW_ITEMS)
    problems = _upsert_problems(
        policy_area=policy_area,
        kind=kind,
        territory=territory,
        signal=signal,
        report=report,
        graphic_category=graphic_category,
        graphic_level=graphic_level,
        audience_reach=audience_reach,
    )
    policies = current_policies()
    area = policies.areas.get(policy_area)
    severity = severity or (area.severity.value if area else "")
    if severity and severity not in priority.SEVERITY_POINTS:
        problems.append(_("Unknown severity “%(severity)s”.") % {"severity": severity})
    queue = queue_for(policies.queues, policy_area=policy_area, territory=territory) if area else None
    if area is not None and queue is None:
        problems.append(_("No queue serves the policy area “%(area)s”.") % {"area": policy_area})
    if problems:
        raise ReviewError(*problems)
    assert queue is not None
    sla_priority = priority.SLA_PRIORITY_FOR_SEVERITY[severity]
    if report is not None:
        sla_priority = priority.more_urgent(
            sla_priority, policies.report_reasons[report.reason].priority.value
        )
    now = timezone.now()
    due_at = now + datetime.timedelta(milliseconds=policies.slas[queue.sla].target_ms(Priority(sla_priority)))
    if due_by is not None:
        due_at = min(due_at, due_by)
    required_language, required_level = (
        language_requirement_for(language, sensitive=sensitive) if language else ("", "")
    )
    legal_only = legal_only or _has_quarantined_media(title_version)
    key = {"title_version": title_version, "policy_area": policy_area, "kind": kind}
    # Label items are never merged: each belongs to one labeling task (shinsa.labeling keeps that key).
    item = _live_item(key) if kind != WorkKind.LABEL else None
    created = False
    if item is None:
        item = WorkItem(
            **key,
            queue=_queue_row(queue.id),
            territory=territory,
            severity=severity,
            high_severity=severity in priority.HIGH_SEVERITIES,
            sla_priority=sla_priority,
            due_at=due_at,
            audience_reach=audience_reach,
            required_language=required_language,
            required_level=required_level,
            graphic_category=graphic_category if graphic_level else "",
            graphic_level=graphic_level,
            sensitive=sensitive,
            excluded_reviewer=excluded_reviewer,
            legal_only=legal_only,
            created_at=now,
            updated_at=now,
        )
        _score_and_rank(item)
        try:
            with transaction.atomic():
                item.save()
            created = True
        except IntegrityError:
            # Another transaction created the live item for this key first: merge into it.
            item = _live_item(key)
            if item is None:
                raise
    before = _item_summary(item)
    if not created:
        item.legal_only = item.legal_only or legal_only
        _merge_needs(
            item,
            due_at=due_at,
            sla_priority=sla_priority,
            audience_reach=audience_reach,
            required_language=required_language,
            required_level=required_level,
            sensitive=sensitive,
            graphic_category=graphic_category,
            graphic_level=graphic_level,
            now=now,
        )
    if signal is not None:
        _add_signal(item, signal, now)
    if report is not None:
        _add_report(item, report, now)
    _score_and_rank(item)
    item.save()
    audit.record(
        actor=actor,
        verb="review.item.created" if created else "review.item.merged",
        obj=item,
        before=None if created else before,
        after=_item_summary(item)
        | {"signal": signal.ref if signal else None, "report": report.reason if report else None},
    )
    return item


def _has_quarantined_media(title_version: TitleVersion) -> bool:
    from shinsa.catalog.models import AssetVersion

    return AssetVersion.objects.filter(
        asset__title_version=title_version, quarantined_at__isnull=False
    ).exists()


def _live_item(key: dict[str, Any]) -> WorkItem | None:
    return WorkItem.objects.select_for_update().filter(status__in=LIVE_STATUSES, **key).first()


def _item_summary(item: WorkItem) -> dict[str, Any]:
    return {
        "status": item.status,
        "score": item.priority_score,
        "rank_ms": item.rank_ms,
        "signals": item.signal_count,
        "reports": item.report_count,
        "due_at": item.due_at.isoformat(),
    }


def _merge_needs(
    item: WorkItem,
    *,
    due_at: datetime.datetime,
    sla_priority: str,
    audience_reach: int,
    required_language: str,
    required_level: str,
    sensitive: bool,
    graphic_category: str,
    graphic_level: int,
    now: datetime.datetime,
) -> None:
    """Keep the stronger of the existing and incoming needs; never relax what the item asks."""
    item.due_at = min(item.due_at, due_at)
    item.sla_priority = priority.more_urgent(item.sla_priority, sla_priority)
    item.audience_reach = max(item.audience_reach, audience_reach)
    item.sensitive = item.sensitive or sensitive
    if required_language and not item.required_language:
        item.required_language, item.required_level = required_language, required_level
    if item.required_language:
        item.required_language, item.required_level = language_requirement_for(
            item.required_language, sensitive=item.sensitive
        )
    if graphic_level > item.graphic_level:
        item.graphic_category, item.graphic_level = graphic_category, graphic_level
    item.updated_at = now


def _add_signal(item: WorkItem, signal: IncomingSignal, now: datetime.datetime) -> None:
    row, created = WorkItemSignal.objects.get_or_create(
        item=item,
        source=signal.source,
        ref=signal.ref,
        defaults={
            "confidence": signal.confidence,
            "start_ms": signal.start_ms,
            "end_ms": signal.end_ms,
            "first_seen_at": now,
            "last_seen_at": now,
        },
    )
    if not created:
        WorkItemSignal.objects.filter(pk=row.pk).update(count=F("count") + 1, last_seen_at=now)
    item.signal_count += 1
    item.max_confidence = max(item.max_confidence, signal.confidence)


def _add_report(item: WorkItem, report: IncomingReport, now: datetime.datetime) -> None:
    row, created = WorkItemReport.objects.get_or_create(
        item=item,
        reason=report.reason,
        defaults={"count": report.count, "first_seen_at": now, "last_seen_at": now},
    )
    if not created:
        WorkItemReport.objects.filter(pk=row.pk).update(count=F("count") + report.count, last_seen_at=now)
    item.report_count += report.count
