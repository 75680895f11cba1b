"""Every change to on-call: rotations, overrides and swaps, handoff notes, calendar feeds, and pages
(raise with dedup and silences, acknowledge, resolve, escalate, silence). Each runs in a transaction
with its audit record; deliveries go out after commit.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm, user_can
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.oncall import schedule
from shinsa.oncall.errors import OncallError
from shinsa.oncall.models import (
    LIVE_PAGE,
    CalendarFeed,
    HandoffNote,
    Page,
    PageKind,
    PageStatus,
    Rotation,
    RotationMember,
    ShiftOverride,
    Silence,
)

Actor = Any  # a User, or a string naming trusted code ("worker", "insights")
MAX_SILENCE = datetime.timedelta(days=7)


def _manage(actor: Actor) -> None:
    if not isinstance(actor, str):
        require_perm(actor, Perm.MANAGE_ONCALL)


def covers(rotation: Rotation) -> list[schedule.Cover]:
    return [
        schedule.Cover(user_id=o.user_id, starts_at=o.starts_at, ends_at=o.ends_at)
        for o in rotation.overrides.order_by("created_at", "pk")
    ]


def escalation_chain(rotation: Rotation, at: datetime.datetime) -> list[int]:
    return schedule.chain(rotation.plan(), covers(rotation), at)


# --- rotations -----------------------------------------------------------------------------------


@transaction.atomic
def do_create_rotation(
    *,
    actor: Actor,
    slug: str,
    name_en: str,
    name_ja: str,
    pattern: str,
    zone: str,
    first_day: datetime.date,
    handoff_hour: int,
    members: Sequence[User],
    escalate_after_minutes: int = 15,
    webhook_url: str = "",
) -> Rotation:
    _manage(actor)
    problems = []
    if pattern not in schedule.Pattern.__members__.values():
        problems.append(_("Unknown shift pattern “%(pattern)s”.") % {"pattern": pattern})
    if zone not in schedule.ZONES:
        problems.append(_("Unknown time zone “%(zone)s”.") % {"zone": zone})
    if not 0 <= handoff_hour <= 23:
        problems.append(_("The handoff hour is 0 to 23."))
    if escalate_after_minutes < 1:
        problems.append(_("Escalation needs at least one minute."))
    if not members or len({m.pk for m in members}) != len(members):
        problems.append(_("A rotation needs its members, each once."))
    if Rotation.objects.filter(slug=slug).exists():
        problems.append(_("A rotation “%(slug)s” exists already.") % {"slug": slug})
    if problems:
        raise OncallError(*problems)
    rotation = Rotation.objects.create(
        slug=slug,
        name_en=name_en,
        name_ja=name_ja,
        pattern=pattern,
        zone=zone,
        first_day=first_day,
        handoff_hour=handoff_hour,
        escalate_after_minutes=escalate_after_minutes,
        webhook_url=webhook_url,
    )
    RotationMember.objects.bulk_create(
        RotationMember(rotation=rotation, user=user, position=n) for n, user in enumerate(members)
    )
    audit.record(
        actor=actor,
        verb="oncall.rotation.created",
        obj=rotation,
        after={"pattern": pattern, "zone": zone, "members": [m.username for m in members]},
    )
    return rotation


@transaction.atomic
def do_add_override(
    *,
    actor: Actor,
    rotation: Rotation,
    user: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
    swap_of: int | None = None,
) -> ShiftOverride:
    """``user`` covers [starts_at, ends_at) of the rotation. A person may cover for others themselves;
    putting someone else on call needs the on-call management permission."""
    if isinstance(actor, str) or actor.pk != user.pk:
        _manage(actor)
    problems = []
    if ends_at <= starts_at:
        problems.append(_("An override must end after it starts."))
    if not reason.strip():
        problems.append(_("Say why the override is needed."))
    if not user.is_active:
        problems.append(_("Only an active account can be on call."))
    if problems:
        raise OncallError(*problems)
    override = ShiftOverride.objects.create(
        rotation=rotation,
        user=user,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        swap_of=swap_of,
        created_by=None if isinstance(actor, str) else actor,
    )
    audit.record(
        actor=actor,
        verb="oncall.override.added",
        obj=override,
        after={
            "rotation": rotation.slug,
            "user": user.username,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "reason": reason.strip(),
        },
    )
    return override


@transaction.atomic
def do_swap_shifts(
    *, actor: Actor, rotation: Rotation, first_index: int, second_index: int, reason: str
) -> tuple[ShiftOverride, ShiftOverride]:
    """The people of two scheduled shifts trade them: two overrides, each naming the other shift."""
    _manage(actor)
    plan = rotation.plan()
    if not plan.members or first_index == second_index or min(first_index, second_index) < 0:
        raise OncallError(_("Pick two different shifts of this rotation."))
    first, second = schedule.shift_by_index(plan, first_index), schedule.shift_by_index(plan, second_index)
    if first.user_id == second.user_id:
        raise OncallError(_("Both shifts belong to the same person."))
    users = {u.pk: u for u in User.objects.filter(pk__in=[first.user_id, second.user_id])}
    return (
        do_add_override(
            actor=actor,
            rotation=rotation,
            user=users[second.user_id],
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            reason=reason,
            swap_of=second_index,
        ),
        do_add_override(
            actor=actor,
            rotation=rotation,
            user=users[first.user_id],
            starts_at=second.starts_at,
            ends_at=second.ends_at,
            reason=reason,
            swap_of=first_index,
        ),
    )


@transaction.atomic
def do_write_handoff_note(*, actor: User, rotation: Rotation, text: str) -> HandoffNote:
    require_perm(actor, Perm.TAKE_PAGES)
    if not text.strip():
        raise OncallError(_("Write what the next person should know."))
    note = HandoffNote.objects.create(rotation=rotation, author=actor, text=text.strip()[:4000])
    audit.record(actor=actor, verb="oncall.handoff.written", obj=note, after={"rotation": rotation.slug})
    return note


@transaction.atomic
def do_rotate_calendar_feed(*, actor: User) -> CalendarFeed:
    """A new secret for the person's own feed URL; the old URL stops working."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"nonce": secrets.token_urlsafe(24), "rotated_at": timezone.now()}
    )
    audit.record(actor=actor, verb="oncall.calendar.rotated", obj=feed, after={"user": actor.username})
    return feed


# --- pages ---------------------------------------------------------------------------------------


def active_silence(condition: str, now: datetime.datetime) -> Silence | None:
    return Silence.objects.filter(condition=condition, until__gt=now).order_by("-until").first()


def _paging_rotation() -> Rotation | None:
    """Pages go to the active rotation named "primary", else the first active weekly one, else any."""
    rotations = Rotation.objects.filter(active=True)
    return (
        rotations.filter(slug="primary").first()
        or rotations.filter(pattern=schedule.Pattern.WEEKLY).first()
        or rotations.first()
    )


def _chain_user(rotation: Rotation | None, level: int, now: datetime.datetime) -> User | None:
    if rotation is None:
        return None
    chain = escalation_chain(rotation, now)
    if not chain:
        return None
    return User.objects.get(pk=chain[min(level, len(chain) - 1)])


def _deliver_after_commit(page: Page) -> None:
    from shinsa.oncall.delivery import deliver

    page_id = page.pk
    transaction.on_commit(lambda: deliver(page_id))


@transaction.atomic
def do_raise_page(
    *,
    actor: Actor,
    kind: str,
    condition: str,
    summary: str,
    detail: dict[str, Any] | None = None,
    rotation: Rotation | None = None,
    now: datetime.datetime | None = None,
) -> Page | None:
    """Page the person on call about ``condition``; a live page of the same condition only counts a
    repeat, and a silenced condition is recorded but sends nothing. Returns the page, or None when
    silenced without a live page."""
    if kind not in PageKind.values:
        raise OncallError(_("Unknown kind of page “%(kind)s”.") % {"kind": kind})
    now = now or timezone.now()
    live = Page.objects.select_for_update().filter(condition=condition, status__in=LIVE_PAGE).first()
    silence = active_silence(condition, now)
    if live is not None:
        live.repeats += 1
        live.last_seen_at = now
        # A repeat is counted, not audited: conditions are re-checked every minute.
        live.save(update_fields=["repeats", "last_seen_at"])
        return live
    if silence is not None:
        return None
    rotation = rotation or _paging_rotation()
    paged = _chain_user(rotation, 0, now)
    page = Page(
        kind=kind,
        condition=condition[:200],
        summary=summary[:500],
        detail=detail or {},
        rotation=rotation,
        paged_user=paged,
        opened_at=now,
        last_seen_at=now,
        next_escalation_at=now + datetime.timedelta(minutes=rotation.escalate_after_minutes)
        if rotation
        else None,
    )
    try:
        with transaction.atomic():
            page.save()
    except IntegrityError:  # another transaction raised the same condition first
        return do_raise_page(
            actor=actor, kind=kind, condition=condition, summary=summary, detail=detail, now=now
        )
    audit.record(
        actor=actor,
        verb="oncall.page.raised",
        obj=page,
        after={
            "kind": kind,
            "condition": page.condition,
            "summary": page.summary,
            "paged": paged.username if paged else None,
            "rotation": rotation.slug if rotation else None,
        },
    )
    _deliver_after_commit(page)
    return page


def _live_page(page: Page) -> Page:
    locked = Page.objects.select_for_update().get(pk=page.pk)
    if locked.status not in LIVE_PAGE:
        raise OncallError(_("This page is resolved already."))
    return locked


@transaction.atomic
def do_acknowledge_page(*, actor: User, page: Page, now: datetime.datetime | None = None) -> Page:
    """The person paged (or anyone who takes pages) owns it now: escalation stops."""
    require_perm(actor, Perm.TAKE_PAGES)
    locked = _live_page(page)
    if locked.status == PageStatus.ACKNOWLEDGED:
        raise OncallError(_("This page is acknowledged already."))
    locked.status = PageStatus.ACKNOWLEDGED
    locked.acked_by, locked.acked_at = actor, now or timezone.now()
    locked.next_escalation_at = None
    locked.save()
    audit.record(
        actor=actor,
        verb="oncall.page.acknowledged",
        obj=locked,
        before={"status": PageStatus.OPEN, "level": locked.level},
        after={"status": locked.status},
    )
    return locked


@transaction.atomic
def do_resolve_page(*, actor: User, page: Page) -> Page:
    require_perm(actor, Perm.TAKE_PAGES)
    locked = _live_page(page)
    before = locked.status
    locked.status, locked.resolved_at, locked.next_escalation_at = PageStatus.RESOLVED, timezone.now(), None
    if locked.acked_by is None:
        locked.acked_by, locked.acked_at = actor, locked.resolved_at
    locked.save()
    audit.record(actor=actor, verb="oncall.page.resolved", obj=locked, before={"status": before})
    return locked


@transaction.atomic
def do_silence_condition(
    *, actor: User, condition: str, minutes: int, reason: str, now: datetime.datetime | None = None
) -> Silence:
    """Repeats of ``condition`` send nothing for ``minutes`` (at most a week); the reason is kept."""
    require_perm(actor, Perm.TAKE_PAGES)
    now = now or timezone.now()
    problems = []
    if not condition.strip():
        problems.append(_("Name the condition to silence."))
    if not reason.strip():
        problems.append(_("Say why the condition is silenced."))
    if not 1 <= minutes <= MAX_SILENCE.total_seconds() // 60:
        problems.append(_("A silence lasts from one minute to seven days."))
    if problems:
        raise OncallError(*problems)
    silence = Silence.objects.create(
        condition=condition.strip()[:200],
        reason=reason.strip()[:500],
        until=now + datetime.timedelta(minutes=minutes),
        created_by=actor,
        created_at=now,
    )
    audit.record(
        actor=actor,
        verb="oncall.condition.silenced",
        obj=silence,
        after={"condition": silence.condition, "until": silence.until.isoformat(), "reason": silence.reason},
    )
    return silence


@transaction.atomic
def do_escalate_pages(*, actor: Actor = "worker", now: datetime.datetime | None = None) -> list[Page]:
    """Open pages nobody acknowledged in time go to the next person in the chain (housekeeping)."""
    now = now or timezone.now()
    due = list(
        Page.objects.select_for_update(of=("self",))
        .filter(status=PageStatus.OPEN, next_escalation_at__lte=now, rotation__isnull=False)
        .select_related("rotation", "paged_user")
    )
    escalated = []
    for page in due:
        rotation = page.rotation
        assert rotation is not None
        chain = escalation_chain(rotation, now)
        before = {"level": page.level, "paged": page.paged_user.username if page.paged_user else None}
        if page.level + 1 < len(chain):
            page.level += 1
            page.paged_user = User.objects.get(pk=chain[page.level])
        # At the end of the chain the last person is paged again each period, never nobody.
        page.next_escalation_at = now + datetime.timedelta(minutes=rotation.escalate_after_minutes)
        page.save(update_fields=["level", "paged_user", "next_escalation_at"])
        audit.record(
            actor=actor,
            verb="oncall.page.escalated",
            obj=page,
            before=before,
            after={"level": page.level, "paged": page.paged_user.username if page.paged_user else None},
        )
        _deliver_after_commit(page)
        escalated.append(page)
    return escalated


def may_see_page(user: User) -> bool:
    return user_can(user, Perm.TAKE_PAGES) or user_can(user, Perm.MANAGE_ONCALL)
