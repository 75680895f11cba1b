"""Reads the chain back from the database and checks it with ``shinsa.audit.chain``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from shinsa.audit.chain import (
    Anchor,
    ChainBreak,
    EventFields,
    Link,
    StoredLink,
    WalkResult,
    walk_chain,
)
from shinsa.audit.models import AuditEvent, AuditSeal

PAGE_SIZE = 2000
_EVENT_FIELDS = (
    "pk",
    "occurred_at",
    "actor_id",
    "actor_label",
    "verb",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "request_id",
)


@dataclass(frozen=True, slots=True)
class Unsealed:
    count: int  # unsealed for longer than the grace period: a problem
    waiting: int  # unsealed, but recent: the sealer has yet to pass
    oldest_event_id: int | None
    oldest_occurred_at: datetime | None
    grace_seconds: int


@dataclass(frozen=True, slots=True)
class AnchorCheck:
    anchor: Anchor
    found_hash: str | None  # None: the chain no longer reaches that position

    @property
    def holds(self) -> bool:
        return self.found_hash == self.anchor.hash


@dataclass(frozen=True, slots=True)
class Verification:
    walk: WalkResult
    total_seals: int
    unsealed: Unsealed
    anchor: AnchorCheck | None

    @property
    def first_break(self) -> ChainBreak | None:
        return self.walk.first_break

    @property
    def intact(self) -> bool:
        anchor_ok = self.anchor is None or self.anchor.holds
        return self.walk.first_break is None and self.unsealed.count == 0 and anchor_ok


def verify_chain(*, anchor: Anchor | None = None, now: datetime | None = None) -> Verification:
    """Walk every seal in position order and look for events left unsealed past the grace period."""
    walk = walk_chain(_stored_links(), position_of_hash=_position_of_hash)
    anchor_check = None
    if anchor is not None:
        found = AuditSeal.objects.filter(position=anchor.position).values_list("hash", flat=True).first()
        anchor_check = AnchorCheck(anchor=anchor, found_hash=found)
    return Verification(
        walk=walk,
        total_seals=AuditSeal.objects.count(),
        unsealed=unsealed_events(now=now),
        anchor=anchor_check,
    )


def unsealed_events(*, now: datetime | None = None) -> Unsealed:
    grace = settings.AUDIT_SEAL_GRACE_SECONDS
    cutoff = (now or timezone.now()) - timedelta(seconds=grace)
    unsealed = AuditEvent.objects.filter(seal__isnull=True)
    late = unsealed.filter(occurred_at__lt=cutoff)
    oldest = late.order_by("occurred_at", "pk").values_list("pk", "occurred_at").first()
    return Unsealed(
        count=late.count() if oldest else 0,
        waiting=unsealed.filter(occurred_at__gte=cutoff).count(),
        oldest_event_id=oldest[0] if oldest else None,
        oldest_occurred_at=oldest[1] if oldest else None,
        grace_seconds=grace,
    )


def _stored_links() -> Iterator[StoredLink]:
    """Seals in position order with their events, page by page (keyset), so memory stays flat."""
    after = 0
    while True:
        seals = list(
            AuditSeal.objects.filter(position__gt=after)
            .order_by("position")
            .values_list("position", "event_id", "prev_hash", "hash")[:PAGE_SIZE]
        )
        if not seals:
            return
        in_page = AuditEvent.objects.filter(seal__position__gt=after, seal__position__lte=seals[-1][0])
        events = {row[0]: EventFields(*row) for row in in_page.values_list(*_EVENT_FIELDS)}
        for position, event_id, prev_hash, hash_ in seals:
            yield StoredLink(link=Link(position, event_id, prev_hash, hash_), event=events.get(event_id))
        after = seals[-1][0]


def _position_of_hash(hash_: str) -> int | None:
    return AuditSeal.objects.filter(hash=hash_).values_list("position", flat=True).first()
