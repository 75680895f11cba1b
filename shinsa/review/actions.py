"""Every change to review work. Each runs in a transaction and is audited in it.

``actor`` is the signed-in User, or a non-empty string naming trusted server-side code ("system",
"screening", "worker"). Invalid input raises ``ReviewError`` (one sentence per problem) and stores
nothing; a missing permission raises ``MissingPermission``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm, user_can
from shinsa.accounts.models import User
from shinsa.accounts.queries import skill_profile_for, wellness_settings_for
from shinsa.accounts.roles import Perm
from shinsa.accounts.skills import TERRITORY_CODES
from shinsa.accounts.wellness import weighted_exposure_ms
from shinsa.catalog.models import Availability, TitleVersion
from shinsa.policy.current import current_policies
from shinsa.policy.schemas import Priority
from shinsa.review import claims, priority
from shinsa.review.errors import ReviewError
from shinsa.review.evidence import EvidenceRow, evidence_problems
from shinsa.review.models import (
    LIVE_STATUSES,
    Appeal,
    AppealOutcome,
    AvailabilityChange,
    Confirmation,
    Decision,
    DecisionAction,
    DecisionSource,
    DecisionStatus,
    Escalation,
    Evidence,
    ExposureEntry,
    ItemStatus,
    Queue,
    WorkItem,
    WorkItemReport,
    WorkItemSignal,
    WorkItemSkip,
    WorkKind,
)
from shinsa.review.routing import (
    TIER_NAMES,
    TIER_POLICY_LEGAL,
    TIER_SENIOR,
    TIER_SPECIALIST,
    ItemNeeds,
    ReviewerRouting,
    is_eligible,
    language_requirement_for,
    queue_for,
    reviewer_routing,
)

Actor = User | str
LEASE = datetime.timedelta(minutes=10)
# Time each escalation tier has to act, from the moment the item reaches it.
ESCALATION_SLA = {TIER_SENIOR: datetime.timedelta(hours=24), TIER_POLICY_LEGAL: datetime.timedelta(hours=72)}


@dataclass(frozen=True, kw_only=True, slots=True)
class IncomingSignal:
    """An automated signal that raised (or adds to) an item."""

    source: str  # e.g. "screening:lexicon"
    ref: str  # the signal's own id
    confidence: float  # 0.0–1.0


@dataclass(frozen=True, kw_only=True, slots=True)
class IncomingReport:
    """Customer reports of one reason (policies/report_reasons.toml)."""

    reason: str
    count: int = 1


# --- who may act ---------------------------------------------------------------------------------


def _is_code(actor: Actor) -> bool:
    if isinstance(actor, str):
        if not actor.strip():
            raise ValueError("a string actor must name the code acting, e.g. 'system'")
        return True
    return False


def _require(actor: Actor, perm: Perm) -> None:
    if not _is_code(actor):
        require_perm(actor, perm)


def _person(actor: Actor) -> User:
    if _is_code(actor):
        raise ReviewError(_("Only a signed-in person can do this."))
    assert isinstance(actor, User)
    return actor


def _may_manage_work(actor: Actor) -> None:
    """Reassigning and holding work: ops managers and senior reviewers."""
    if _is_code(actor) or user_can(actor, Perm.MANAGE_QUEUES):
        return
    require_perm(actor, Perm.HANDLE_ESCALATIONS)


def max_escalation_tier(user: User) -> int:
    if user_can(user, Perm.EDIT_POLICIES) and user_can(user, Perm.HANDLE_ESCALATIONS):
        return TIER_POLICY_LEGAL
    if user_can(user, Perm.HANDLE_ESCALATIONS):
        return TIER_SENIOR
    return TIER_SPECIALIST


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
) -> WorkItem:
    """Create the live item for (title version, policy area, kind), or merge into the one that exists.

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
    if severity not in priority.SEVERITY_POINTS:
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
    required_language, required_level = (
        language_requirement_for(language, sensitive=sensitive) if language else ("", "")
    )
    key = {"title_version": title_version, "policy_area": policy_area, "kind": kind}
    item = _live_item(key)
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
        defaults={"confidence": signal.confidence, "first_seen_at": now, "last_seen_at": now},
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


# --- claims --------------------------------------------------------------------------------------


def exposure_budget_spent(user: User, *, today: datetime.date | None = None) -> bool:
    """Whether today's weighted exposure has reached the person's daily budget."""
    day = today or timezone.now().date()
    spent = ExposureEntry.objects.filter(reviewer=user, day=day).aggregate(ms=Sum("weighted_ms"))["ms"] or 0
    return spent >= wellness_settings_for(user).daily_exposure_budget_minutes * 60_000


def routing_for(user: User) -> ReviewerRouting:
    """The person's routing as the claim query uses it."""
    queues = [q for q in current_policies().queues]
    return reviewer_routing(
        reviewer_id=user.pk,
        profile=skill_profile_for(user),
        queues=queues,
        exposure_budget_spent=exposure_budget_spent(user),
        max_escalation_tier=max_escalation_tier(user),
    )


def _last_decision_was_high_severity(user: User) -> bool:
    last = (
        Decision.objects.filter(reviewer=user)
        .order_by("-decided_at", "-id")
        .values_list("item__high_severity", flat=True)[:1]
    )
    return bool(list(last) and list(last)[0])


@transaction.atomic
def do_claim_next_item(
    *, actor: Actor, queue: Queue | str | None = None, kind: str | None = None
) -> WorkItem | None:
    """Claim the best item the person may take (optionally from one queue or of one kind), with a lease."""
    reviewer = _person(actor)
    require_perm(reviewer, Perm.REVIEW_ITEMS)
    now = timezone.now()
    item_id = claims.claim_next(
        routing_for(reviewer),
        now=now,
        lease_expires_at=now + LEASE,
        queue_id=queue.pk if isinstance(queue, Queue) else queue,
        kind=kind,
        avoid_high_severity=_last_decision_was_high_severity(reviewer),
    )
    if item_id is None:
        return None
    item = WorkItem.objects.get(pk=item_id)
    audit.record(
        actor=reviewer,
        verb="review.item.claimed",
        obj=item,
        after={"claimed_at": now.isoformat(), "lease_expires_at": item.lease_expires_at.isoformat()},
    )
    return item


def _claimed_by(actor: Actor, item: WorkItem) -> tuple[User, WorkItem]:
    """The item locked and re-read, when ``actor`` holds its claim."""
    reviewer = _person(actor)
    require_perm(reviewer, Perm.REVIEW_ITEMS)
    locked = WorkItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != ItemStatus.CLAIMED or locked.claimed_by_id != reviewer.pk:
        raise ReviewError(_("You do not hold this item; claim it first."))
    return reviewer, locked


def _back_to_open(item: WorkItem, now: datetime.datetime) -> None:
    item.status = ItemStatus.OPEN
    item.claimed_by = None
    item.claimed_at = None
    item.lease_expires_at = None
    item.updated_at = now
    item.save()


@transaction.atomic
def do_heartbeat_claim(*, actor: Actor, item: WorkItem) -> WorkItem:
    """Extend the holder's lease (the console calls this while the item is open)."""
    locked = _claimed_by(actor, item)[1]
    now = timezone.now()
    locked.lease_expires_at = now + LEASE
    locked.updated_at = now
    locked.save(update_fields=["lease_expires_at", "updated_at"])
    return locked


@transaction.atomic
def do_record_item_view(*, actor: Actor, item: WorkItem) -> None:
    """The holder opened the item (time on task starts at the first view)."""
    reviewer, locked = _claimed_by(actor, item)
    audit.record(
        actor=reviewer, verb="review.item.viewed", obj=locked, after={"at": timezone.now().isoformat()}
    )


@transaction.atomic
def do_release_item(*, actor: Actor, item: WorkItem) -> WorkItem:
    """Give the item back to the queue."""
    reviewer, locked = _claimed_by(actor, item)
    now = timezone.now()
    _back_to_open(locked, now)
    audit.record(actor=reviewer, verb="review.item.released", obj=locked, after={"at": now.isoformat()})
    return locked


@transaction.atomic
def do_skip_item(*, actor: Actor, item: WorkItem, reason: str) -> WorkItem:
    """Give the item back and never be offered it again."""
    if not reason.strip():
        raise ReviewError(_("Say why you skip the item."))
    reviewer, locked = _claimed_by(actor, item)
    now = timezone.now()
    WorkItemSkip.objects.get_or_create(item=locked, reviewer=reviewer, defaults={"reason": reason.strip()})
    _back_to_open(locked, now)
    audit.record(
        actor=reviewer,
        verb="review.item.skipped",
        obj=locked,
        after={"at": now.isoformat()},
        reason=reason.strip(),
    )
    return locked


def _needs(item: WorkItem) -> ItemNeeds:
    return ItemNeeds(
        queue_id=item.queue_id,
        policy_area=item.policy_area,
        territory=item.territory,
        required_language=item.required_language,
        required_level=item.required_level,
        graphic_category=item.graphic_category,
        graphic_level=item.graphic_level,
        sensitive=item.sensitive,
        escalation_tier=item.escalation_tier,
        excluded_reviewer_id=item.excluded_reviewer_id,
    )


def _live_locked(item: WorkItem) -> WorkItem:
    locked = WorkItem.objects.select_for_update().get(pk=item.pk)
    if locked.status not in LIVE_STATUSES:
        raise ReviewError(_("This item is already decided."))
    return locked


def _check_eligible(person: User, item: WorkItem) -> None:
    if not user_can(person, Perm.REVIEW_ITEMS) or not is_eligible(routing_for(person), _needs(item)):
        raise ReviewError(_("%(person)s may not be given this item.") % {"person": person.username})


@transaction.atomic
def do_reassign_item(*, actor: Actor, item: WorkItem, to: User) -> WorkItem:
    """Give the item to another eligible reviewer, claimed in their name with a fresh lease."""
    _may_manage_work(actor)
    locked = _live_locked(item)
    _check_eligible(to, locked)
    before = {"status": locked.status, "claimed_by": locked.claimed_by_id}
    now = timezone.now()
    locked.status = ItemStatus.CLAIMED
    locked.claimed_by = to
    locked.claimed_at = now
    locked.lease_expires_at = now + LEASE
    locked.held_for = None
    locked.updated_at = now
    locked.save()
    audit.record(
        actor=actor, verb="review.item.reassigned", obj=locked, before=before, after={"claimed_by": to.pk}
    )
    return locked


@transaction.atomic
def do_hold_item_for(*, actor: Actor, item: WorkItem, person: User) -> WorkItem:
    """Keep the item for one named eligible reviewer: only they can claim it."""
    _may_manage_work(actor)
    locked = _live_locked(item)
    _check_eligible(person, locked)
    before = {"status": locked.status, "claimed_by": locked.claimed_by_id}
    now = timezone.now()
    locked.status = ItemStatus.HELD
    locked.held_for = person
    locked.claimed_by = None
    locked.claimed_at = None
    locked.lease_expires_at = None
    locked.updated_at = now
    locked.save()
    audit.record(
        actor=actor, verb="review.item.held", obj=locked, before=before, after={"held_for": person.pk}
    )
    return locked


def do_expire_leases(*, actor: Actor = "worker", now: datetime.datetime | None = None) -> int:
    """Return items whose lease lapsed to their queue; how many. The worker calls this every tick."""
    moment = now or timezone.now()
    expired = 0
    with transaction.atomic():
        lapsed = list(
            WorkItem.objects.select_for_update(skip_locked=True)
            .filter(status=ItemStatus.CLAIMED, lease_expires_at__lt=moment)
            .order_by("id")[:500]
        )
        for item in lapsed:
            holder = item.claimed_by_id
            _back_to_open(item, moment)
            audit.record(
                actor=actor,
                verb="review.item.lease_expired",
                obj=item,
                before={"claimed_by": holder},
                after={"at": moment.isoformat()},
            )
            expired += 1
    return expired


@transaction.atomic
def do_record_exposure(*, actor: Actor, item: WorkItem, viewed_ms: int) -> ExposureEntry | None:
    """Count graphic media the holder actually watched against their daily budget."""
    reviewer, locked = _claimed_by(actor, item)
    if viewed_ms <= 0:
        raise ReviewError(_("Viewing time must be positive."))
    if not locked.graphic_level:
        return None
    preset = current_policies().wellness_presets[locked.graphic_category]
    entry = ExposureEntry.objects.create(
        reviewer=reviewer,
        item=locked,
        category=locked.graphic_category,
        viewed_ms=viewed_ms,
        weighted_ms=weighted_exposure_ms(viewed_ms, preset),
        day=timezone.now().date(),
    )
    audit.record(
        actor=reviewer,
        verb="review.exposure.recorded",
        obj=locked,
        after={"category": entry.category, "viewed_ms": viewed_ms, "weighted_ms": entry.weighted_ms},
    )
    return entry


# --- decisions -----------------------------------------------------------------------------------

# Actions that take the title out of territories, and need evidence.
_TAKEDOWN = (DecisionAction.RESTRICT, DecisionAction.REMOVE)
_NEEDS_EVIDENCE = (
    DecisionAction.RESTRICT,
    DecisionAction.REMOVE,
    DecisionAction.AGE_GATE,
    DecisionAction.EDIT_REQUEST,
)


def _today() -> datetime.date:
    return timezone.now().date()


def _live_windows(title_version_id: int, territories: Iterable[str]) -> list[Availability]:
    """Windows of the version in ``territories`` that are open today or start later."""
    today = _today()
    return list(
        Availability.objects.select_for_update()
        .filter(title_version_id=title_version_id, territory__in=sorted(territories))
        .exclude(ends_on__lte=today)
        .order_by("territory", "starts_on")
    )


def _available_territories(title_version_id: int) -> set[str]:
    return {w.territory for w in _live_windows(title_version_id, TERRITORY_CODES)}


def _asset_durations(title_version_id: int, rows: Sequence[EvidenceRow]) -> tuple[dict[int, int], list[str]]:
    """Known durations of the assets the evidence points into, and problems with those asset ids."""
    from shinsa.catalog.models import Asset, Fingerprint

    asset_ids = {row.asset_id for row in rows if row.asset_id is not None}
    if not asset_ids:
        return {}, []
    owned = set(
        Asset.objects.filter(pk__in=asset_ids, title_version_id=title_version_id).values_list("pk", flat=True)
    )
    problems = [
        _("Evidence points into asset %(asset)s, which is not part of this title version.")
        % {"asset": asset_id}
        for asset_id in sorted(asset_ids - owned)
    ]
    durations: dict[int, int] = {}
    for fingerprint in Fingerprint.objects.filter(asset_version__asset_id__in=owned).order_by(
        "asset_version__number"
    ):
        duration = fingerprint.facts.get("duration_ms") if isinstance(fingerprint.facts, dict) else None
        if isinstance(duration, int) and duration > 0:
            durations[fingerprint.asset_version.asset_id] = duration  # the newest version wins
    return durations, problems


def _parse_evidence(evidence: Sequence[EvidenceRow | dict[str, Any]]) -> tuple[list[EvidenceRow], list[str]]:
    rows: list[EvidenceRow] = []
    problems: list[str] = []
    for number, entry in enumerate(evidence, start=1):
        if isinstance(entry, EvidenceRow):
            rows.append(entry)
            continue
        try:
            rows.append(EvidenceRow.from_dict(dict(entry)))
        except (TypeError, ValueError) as error:
            problems.append(
                _("Evidence %(number)s is malformed: %(error)s") % {"number": number, "error": error}
            )
    return rows, problems


def _decision_problems(
    *,
    item: WorkItem,
    action: str,
    clause_id: str,
    territories: list[str],
    rows: list[EvidenceRow],
    note: str,
    source: str,
) -> list[str]:
    policies = current_policies()
    problems: list[str] = []
    if action not in DecisionAction.values:
        problems.append(_("Unknown action “%(action)s”.") % {"action": action})
    if clause_id not in policies.clauses:
        problems.append(_("The clause “%(clause)s” is not in the policies in force.") % {"clause": clause_id})
    if source not in DecisionSource.values:
        problems.append(_("Unknown source “%(source)s”.") % {"source": source})
    for code in territories:
        if code not in TERRITORY_CODES:
            problems.append(_("Unknown territory “%(code)s”.") % {"code": code})
    if action == DecisionAction.RESTRICT and not territories:
        problems.append(_("Name the territories to restrict."))
    if action in _NEEDS_EVIDENCE and not rows:
        problems.append(_("This action needs evidence: a time range, a subtitle cue, a frame or a note."))
    if action == DecisionAction.EDIT_REQUEST and not any(row.kind == "time_range" for row in rows):
        problems.append(_("An edit request needs the time ranges to edit."))
    if action == DecisionAction.ESCALATE:
        if not note.strip():
            problems.append(_("Say why you escalate."))
        if item.escalation_tier >= TIER_POLICY_LEGAL:
            problems.append(_("This item is already at the highest tier."))
    durations, asset_problems = _asset_durations(item.title_version_id, rows)
    problems += asset_problems
    problems += evidence_problems(rows, duration_ms=durations)
    return problems


def _is_high_impact(*, action: str, source: str, territories: Sequence[str], available: set[str]) -> bool:
    """Remove, anything ordered by a legal or government authority, and a restriction covering every
    territory where the version is shown (a takedown in all but name)."""
    if action == DecisionAction.REMOVE or source == DecisionSource.LEGAL_ORDER:
        return True
    return action == DecisionAction.RESTRICT and bool(available) and available <= set(territories)


@transaction.atomic
def do_decide(
    *,
    actor: Actor,
    item: WorkItem,
    action: str,
    clause_id: str,
    territories: Sequence[str] = (),
    evidence: Sequence[EvidenceRow | dict[str, Any]] = (),
    note: str = "",
    source: str,
    automated_detection: bool,
) -> Decision:
    """Decide the item the actor holds. High-impact decisions wait for ``do_confirm_decision``; others take
    effect at once (restrict and remove end the version's availability in the territories)."""
    reviewer, locked = _claimed_by(actor, item)
    codes = sorted({code.strip().upper() for code in territories})
    rows, problems = _parse_evidence(evidence)
    problems += _decision_problems(
        item=locked,
        action=action,
        clause_id=clause_id,
        territories=codes,
        rows=rows,
        note=note,
        source=source,
    )
    if problems:
        raise ReviewError(*problems)
    policies = current_policies()
    available = _available_territories(locked.title_version_id)
    if action == DecisionAction.REMOVE and not codes:
        codes = sorted(available)
    high_impact = _is_high_impact(action=action, source=source, territories=codes, available=available)
    now = timezone.now()
    decision = Decision.objects.create(
        item=locked,
        title_version_id=locked.title_version_id,
        reviewer=reviewer,
        action=action,
        territories=codes,
        clause_id=clause_id,
        clause_version=policies.clauses[clause_id].version,
        policy_version=policies.version,
        note=note.strip(),
        source=source,
        automated_detection=automated_detection,
        work_kind=locked.kind,
        status=DecisionStatus.PENDING_CONFIRMATION if high_impact else DecisionStatus.FINAL,
        high_impact=high_impact,
        decided_at=now,
        final_at=None if high_impact else now,
    )
    Evidence.objects.bulk_create(
        Evidence(
            decision=decision,
            kind=row.kind,
            asset_id=row.asset_id,
            start_ms=row.start_ms,
            end_ms=row.end_ms,
            cue_index=row.cue_index,
            note=row.note,
        )
        for row in rows
    )
    ended = [] if high_impact else _apply_to_availability(decision)
    if action == DecisionAction.ESCALATE:
        _escalate(locked, decision, reviewer=reviewer, reason=note.strip(), now=now)
    else:
        locked.status = ItemStatus.DECIDED
        locked.claimed_by = None
        locked.claimed_at = None
        locked.lease_expires_at = None
        locked.decided_at = now
        locked.updated_at = now
        locked.save()
    audit.record(
        actor=reviewer,
        verb="review.decision.made",
        obj=decision,
        after={
            "item": locked.pk,
            "action": action,
            "territories": codes,
            "clause": clause_id,
            "clause_version": decision.clause_version,
            "status": decision.status,
            "evidence": len(rows),
            "source": source,
            "automated_detection": automated_detection,
            "availability_ended": ended,
        },
    )
    return decision


def _escalate(
    item: WorkItem, decision: Decision, *, reviewer: User, reason: str, now: datetime.datetime
) -> None:
    to_tier = item.escalation_tier + 1
    due_at = now + ESCALATION_SLA[to_tier]
    Escalation.objects.create(
        item=item,
        decision=decision,
        from_tier=item.escalation_tier,
        to_tier=to_tier,
        reason=reason,
        needs_territory_specialist=item.sensitive and bool(item.territory),
        raised_by=reviewer,
        raised_at=now,
        due_at=due_at,
    )
    item.escalation_tier = to_tier
    item.due_at = min(item.due_at, due_at) if to_tier == TIER_SENIOR else due_at
    _score_and_rank(item)
    _back_to_open(item, now)
    audit.record(
        actor=reviewer,
        verb="review.item.escalated",
        obj=item,
        after={"tier": TIER_NAMES[to_tier], "due_at": due_at.isoformat()},
        reason=reason,
    )


def _apply_to_availability(decision: Decision) -> list[list[str]]:
    """End (or withdraw, if not yet begun) the version's windows in the decision's territories; keep what
    was there. Idempotent: windows already ended are not touched again."""
    if decision.action not in _TAKEDOWN or not decision.territories:
        return []
    today = _today()
    ended: list[list[str]] = []
    for window in _live_windows(decision.title_version_id, decision.territories):
        change, created = AvailabilityChange.objects.get_or_create(
            decision=decision,
            territory=window.territory,
            starts_on=window.starts_on,
            defaults={
                "title_version_id": decision.title_version_id,
                "previous_ends_on": window.ends_on,
                "new_ends_on": today if window.starts_on < today else None,
            },
        )
        if not created:
            continue
        if window.starts_on < today:
            window.ends_on = today
            window.save(update_fields=["ends_on"])
        else:
            window.delete()
        ended.append([window.territory, window.starts_on.isoformat()])
    return ended


def _restore_availability(decision: Decision) -> list[list[str]]:
    """Put back the windows the decision ended, unless another decision in force still takes the version
    out of that territory. Idempotent: a restored change is not restored twice."""
    still_out: set[str] = set()
    for other in Decision.objects.filter(
        title_version_id=decision.title_version_id, status=DecisionStatus.FINAL, action__in=_TAKEDOWN
    ).exclude(pk=decision.pk):
        still_out |= set(other.territories)
    restored: list[list[str]] = []
    now = timezone.now()
    for change in AvailabilityChange.objects.select_for_update().filter(
        decision=decision, restored_at__isnull=True
    ):
        if change.territory in still_out:
            continue
        Availability.objects.update_or_create(
            title_version_id=change.title_version_id,
            territory=change.territory,
            starts_on=change.starts_on,
            defaults={"ends_on": change.previous_ends_on},
        )
        change.restored_at = now
        change.save(update_fields=["restored_at"])
        restored.append([change.territory, change.starts_on.isoformat()])
    return restored


@transaction.atomic
def do_confirm_decision(*, actor: Actor, decision: Decision, note: str = "") -> Decision:
    """The second reviewer confirms a pending high-impact decision; it takes effect now."""
    confirmer = _person(actor)
    require_perm(confirmer, Perm.CONFIRM_HIGH_IMPACT)
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.reviewer_id == confirmer.pk:
        raise ReviewError(_("A decision needs a second person: you cannot confirm your own."))
    if locked.status != DecisionStatus.PENDING_CONFIRMATION:
        raise ReviewError(_("This decision is not waiting for confirmation."))
    now = timezone.now()
    Confirmation.objects.create(
        decision=locked,
        decider_id=locked.reviewer_id,
        confirmer=confirmer,
        note=note.strip(),
        confirmed_at=now,
    )
    locked.status = DecisionStatus.FINAL
    locked.final_at = now
    locked.save(update_fields=["status", "final_at"])
    ended = _apply_to_availability(locked)
    audit.record(
        actor=confirmer,
        verb="review.decision.confirmed",
        obj=locked,
        before={"status": DecisionStatus.PENDING_CONFIRMATION},
        after={"status": locked.status, "availability_ended": ended},
    )
    return locked


# --- appeals -------------------------------------------------------------------------------------


@transaction.atomic
def do_open_appeal(*, actor: Actor, decision: Decision, reason: str, opened_by: str = "appellant") -> Appeal:
    """Reopen a final decision as appeal work for someone other than its reviewer."""
    _require(actor, Perm.REVIEW_ITEMS)
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    problems: list[str] = []
    if not reason.strip():
        problems.append(_("Say what the appeal is about."))
    if locked.status != DecisionStatus.FINAL or locked.action == DecisionAction.ESCALATE:
        problems.append(_("Only a final decision can be appealed."))
    if Appeal.objects.filter(decision=locked, outcome="").exists():
        problems.append(_("This decision already has an open appeal."))
    if problems:
        raise ReviewError(*problems)
    original = locked.item
    item = do_upsert_item(
        actor=actor,
        title_version=locked.title_version,
        policy_area=original.policy_area,
        kind=WorkKind.APPEAL,
        territory=original.territory,
        sensitive=original.sensitive,
        graphic_category=original.graphic_category,
        graphic_level=original.graphic_level,
        excluded_reviewer=locked.reviewer,
        language=original.required_language,
    )
    appeal = Appeal.objects.create(
        decision=locked,
        item=item,
        original_reviewer_id=locked.reviewer_id,
        reason=reason.strip(),
        opened_by=opened_by,
    )
    audit.record(
        actor=actor, verb="review.appeal.opened", obj=appeal, after={"decision": locked.pk, "item": item.pk}
    )
    return appeal


@transaction.atomic
def do_decide_appeal(*, actor: Actor, appeal: Appeal, outcome: str, note: str = "") -> Appeal:
    """Uphold or overturn; an overturn restores the availability the decision had ended."""
    reviewer = _person(actor)
    require_perm(reviewer, Perm.REVIEW_ITEMS)
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    problems: list[str] = []
    if outcome not in AppealOutcome.values:
        problems.append(_("An appeal is upheld or overturned, not “%(outcome)s”.") % {"outcome": outcome})
    if locked.original_reviewer_id == reviewer.pk:
        problems.append(_("Someone other than the original reviewer must decide the appeal."))
    if locked.outcome:
        problems.append(_("This appeal is already decided."))
    if problems:
        raise ReviewError(*problems)
    item = _claimed_by(reviewer, locked.item)[1]
    now = timezone.now()
    locked.outcome = outcome
    locked.decided_by = reviewer
    locked.decided_at = now
    locked.note = note.strip()
    locked.save()
    decision = Decision.objects.select_for_update().get(pk=locked.decision_id)
    restored: list[list[str]] = []
    if outcome == AppealOutcome.OVERTURNED:
        decision.status = DecisionStatus.OVERTURNED
        decision.save(update_fields=["status"])
        restored = _restore_availability(decision)
    if not Appeal.objects.filter(item=item, outcome="").exists():
        item.status = ItemStatus.DECIDED
        item.claimed_by = None
        item.claimed_at = None
        item.lease_expires_at = None
        item.decided_at = now
        item.updated_at = now
        item.save()
    audit.record(
        actor=reviewer,
        verb="review.appeal.decided",
        obj=locked,
        after={"outcome": outcome, "decision": decision.pk, "availability_restored": restored},
    )
    return locked
