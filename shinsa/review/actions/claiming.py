"""Claims and leases: next item, heartbeat, view, release, skip, reassign, hold, expiry, exposure."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm, user_can
from shinsa.accounts.models import User
from shinsa.accounts.queries import wellness_settings_for
from shinsa.accounts.roles import Perm, Role, permissions_for
from shinsa.accounts.wellness import weighted_exposure_ms
from shinsa.audit.recording import event_values
from shinsa.policy import schemas
from shinsa.policy.current import current_policies
from shinsa.review import claims, gates
from shinsa.review.actions.actors import Actor, _may_manage_work, _person, escalation_tier_for
from shinsa.review.errors import ReviewError
from shinsa.review.models import (
    LIVE_STATUSES,
    ExposureEntry,
    ItemStatus,
    Queue,
    WorkItem,
    WorkItemSkip,
)
from shinsa.review.queries import ClaimContext, claim_context
from shinsa.review.routing import (
    ItemNeeds,
    ReviewerRouting,
    is_eligible,
    reviewer_routing,
)

LEASE = datetime.timedelta(minutes=10)


# --- claims --------------------------------------------------------------------------------------


def exposure_budget_spent(user: User, *, today: datetime.date | None = None) -> bool:
    """Whether today's weighted exposure has reached the person's daily budget."""
    day = today or timezone.now().date()
    spent = ExposureEntry.objects.filter(reviewer=user, day=day).aggregate(ms=Sum("weighted_ms"))["ms"] or 0
    return spent >= wellness_settings_for(user).daily_exposure_budget_minutes * 60_000


def routing_for(user: User) -> ReviewerRouting:
    """The person's routing now, the queues their gates close taken out (what the claim applies)."""
    routing = _routing(user.pk, claim_context(user.pk), current_policies().queues, stamped=False)
    closed = gates.closed_queues(user)
    return dataclasses.replace(routing, queue_ids=routing.queue_ids - closed) if closed else routing


def _routing(
    user_id: int, context: ClaimContext, queues: Iterable[schemas.Queue], *, stamped: bool
) -> ReviewerRouting:
    perms = permissions_for(frozenset(Role(role) for role in context.roles))
    return reviewer_routing(
        reviewer_id=user_id,
        profile=context.profile,
        queues=queues,
        # A stamped routing leaves the budget to the claim statement, which reads it on every claim.
        exposure_budget_spent=context.exposure_budget_spent and not stamped,
        max_escalation_tier=escalation_tier_for(perms),
        legal=Perm.HANDLE_LEGAL in perms,
        stamp=context.routing_stamp if stamped else None,
    )


# Per process, each reviewer's claim routing and the policy queues it was built from. A claim checks
# in its own statement that the routing's stamp (skills, clearances, roles) still holds, so an entry is
# never served stale; when the claim finds nothing with a cached routing, the routing is read again.
_CLAIM_ROUTINGS: dict[int, tuple[object, ReviewerRouting]] = {}


def _claim_routing(user_id: int, queues: Iterable[schemas.Queue]) -> ReviewerRouting:
    routing = _routing(user_id, claim_context(user_id), queues, stamped=True)
    if len(_CLAIM_ROUTINGS) >= 4096:
        _CLAIM_ROUTINGS.clear()
    _CLAIM_ROUTINGS[user_id] = (queues, routing)
    return routing


def do_claim_next_item(
    *, actor: Actor, queue: Queue | str | None = None, kind: str | None = None
) -> WorkItem | None:
    """Claim the best item the person may take (optionally from one queue or of one kind), with a lease.

    Without ``kind`` the on-request kinds (audit, label) are not offered: people ask for those by kind.
    On PostgreSQL the claim and its audit event are one statement, atomic on its own, so no transaction
    is opened around it; with the person's routing cached that statement is the claim's one round trip.
    Elsewhere they share one transaction."""
    reviewer = _person(actor)
    require_perm(reviewer, Perm.REVIEW_ITEMS)
    if claims.audits_in_statement():
        return _claim_next_item(reviewer, queue, kind)
    with transaction.atomic():
        return _claim_next_item(reviewer, queue, kind)


def _claim_next_item(reviewer: User, queue: Queue | str | None, kind: str | None) -> WorkItem | None:
    now = timezone.now()
    lease_expires_at = now + LEASE
    audit_event = event_values(
        actor=reviewer,
        verb="review.item.claimed",
        object_type=WorkItem._meta.label_lower,
        object_id=None,  # the claimed row's id, filled in by the claim
        before=None,
        after={"claimed_at": now.isoformat(), "lease_expires_at": lease_expires_at.isoformat()},
        reason="",
    )
    queues = current_policies().queues
    cached = _CLAIM_ROUTINGS.get(reviewer.pk)
    routing = cached[1] if cached is not None and cached[0] is queues else _claim_routing(reviewer.pk, queues)
    while True:
        item = claims.claim_next(
            routing,
            now=now,
            lease_expires_at=lease_expires_at,
            queue_id=queue.pk if isinstance(queue, Queue) else queue,
            kind=kind,
            audit_event=audit_event,
        )
        if item is not None or cached is None:
            return item
        # Nothing claimed with a cached routing: its stamp may no longer hold. Read it again, once.
        cached, fresh = None, _claim_routing(reviewer.pk, queues)
        if fresh == routing:
            return None
        routing = fresh


def _claimed_by(
    actor: Actor, item: WorkItem, rows: QuerySet[WorkItem] | None = None
) -> tuple[User, WorkItem]:
    """The item locked and re-read (``rows``: annotated as the caller needs), when ``actor`` holds its
    claim. Its title version and title come with it (decisions' webhooks and the API name them)."""
    reviewer = _person(actor)
    require_perm(reviewer, Perm.REVIEW_ITEMS)
    rows = WorkItem.objects.all() if rows is None else rows
    locked = rows.select_for_update(of=("self",)).select_related("title_version__title").get(pk=item.pk)
    if locked.status != ItemStatus.CLAIMED or locked.claimed_by_id != reviewer.pk:
        raise ReviewError(_("You do not hold this item; claim it first."))
    return reviewer, locked


def set_holder(
    item: WorkItem,
    *,
    status: str,
    now: datetime.datetime,
    claimant: User | None = None,
    held_for: User | None = None,
) -> None:
    """Move the item to ``status`` with the claim fields that status requires (the CHECK constraints)."""
    item.status = status
    item.claimed_by = claimant
    item.claimed_at = now if claimant else None
    item.lease_expires_at = now + LEASE if claimant else None
    item.held_for = held_for
    item.updated_at = now
    if status == ItemStatus.DECIDED:
        item.decided_at = now
    item.save()


def _back_to_open(item: WorkItem, now: datetime.datetime) -> None:
    set_holder(item, status=ItemStatus.OPEN, now=now)


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
        legal_only=item.legal_only,
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
    set_holder(locked, status=ItemStatus.CLAIMED, now=now, claimant=to)
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
    set_holder(locked, status=ItemStatus.HELD, now=now, held_for=person)
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


# --- items several people work on in turn (labeling overlap) -------------------------------------


@transaction.atomic
def do_hand_on_item(*, actor: Actor, item: WorkItem, done: bool, note: str) -> WorkItem:
    """The holder finished their share of an item that several people answer in turn (a label item with
    overlap): it is done, or it goes back to its queue for the next person and is never offered to the
    holder again."""
    reviewer, locked = _claimed_by(actor, item)
    now = timezone.now()
    if done:
        set_holder(locked, status=ItemStatus.DECIDED, now=now)
    else:
        WorkItemSkip.objects.get_or_create(item=locked, reviewer=reviewer, defaults={"reason": note})
        _back_to_open(locked, now)
    audit.record(
        actor=reviewer,
        verb="review.item.handed_on",
        obj=locked,
        after={"at": now.isoformat(), "done": done},
        reason=note,
    )
    return locked


@transaction.atomic
def do_keep_item_from(*, actor: Actor, item: WorkItem, people: list[User], reason: str) -> None:
    """Never offer ``item`` to ``people`` (they already answered the same question elsewhere)."""
    if not reason.strip():
        raise ReviewError(_("Say why the item is kept from these people."))
    for person in people:
        WorkItemSkip.objects.get_or_create(item=item, reviewer=person, defaults={"reason": reason})
    if people:
        audit.record(
            actor=actor,
            verb="review.item.kept_from",
            obj=item,
            after={"people": sorted(p.pk for p in people)},
            reason=reason,
        )
