"""The sealer: links committed, unsealed audit events into the hash chain, after their commit.

Writers only insert ``AuditEvent`` rows; they never read or lock the chain head, so any number of
them commit side by side. One sealer at a time (a PostgreSQL advisory lock; SQLite's write lock is
global anyway) appends what has been committed since its last pass, in id order. An event whose
transaction commits late is simply appended later: chain order is seal order.

Call ``seal_pending()`` every few seconds (``shinsa worker`` does) or run ``shinsa audit seal``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from shinsa.audit.chain import Link, extend_chain
from shinsa.audit.models import AuditEvent, AuditSeal

# Any constant shared by all sealers; "SHINSA" in ASCII.
SEALER_LOCK_KEY = 0x5348494E5341
DEFAULT_BATCH = 500
# Regular passes look only at events newer than one sealed this long ago (see _recent_floor).
MIN_LOOKBACK_SECONDS = 3600


def seal_pending(
    *, batch: int = DEFAULT_BATCH, full: bool = False, wait: bool = False, now: datetime | None = None
) -> int:
    """Seal every committed, unsealed event; returns how many were sealed.

    Works in short transactions of up to ``batch`` events. When another sealer is running it
    returns 0 at once, or with ``wait`` queues behind it. ``full`` also looks for events whose
    transaction stayed open for more than an hour (a regular pass skips the old part of the table
    to stay cheap on large chains). ``now`` is the sealing time (default: the clock).
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    total = 0
    while True:
        sealed = _seal_batch(batch=batch, full=full, wait=wait, now=now or timezone.now())
        if sealed is None:
            return total
        total += sealed
        if sealed < batch:
            return total


def chain_head() -> Link | None:
    row = (
        AuditSeal.objects.order_by("-position")
        .values_list("position", "event_id", "prev_hash", "hash")
        .first()
    )
    return Link(*row) if row else None


def _seal_batch(*, batch: int, full: bool, wait: bool, now: datetime) -> int | None:
    floor = 0 if full else _recent_floor(now)
    pending = AuditEvent.objects.filter(pk__gt=floor, seal__isnull=True)
    # A plain read first: an idle sealer never takes SQLite's write lock or opens a transaction.
    if not pending.exists():
        return 0
    with transaction.atomic():
        if not _take_sealer_lock(wait=wait):
            return None
        events = list(pending.order_by("pk")[:batch])
        if not events:
            return 0
        links = extend_chain(chain_head(), (event.chain_fields() for event in events))
        AuditSeal.objects.bulk_create(
            AuditSeal(
                position=link.position,
                event_id=link.event_id,
                prev_hash=link.prev_hash,
                hash=link.hash,
                sealed_at=now,
            )
            for link in links
        )
        return len(links)


def _take_sealer_lock(*, wait: bool) -> bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK_KEY])
                return True
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEALER_LOCK_KEY])
            return bool(cursor.fetchone()[0])
    # SQLite: Shinsa opens every transaction IMMEDIATE, so this one already holds the write lock.
    return True


def _recent_floor(now: datetime) -> int:
    """An event id below which a regular pass need not look.

    Take any event sealed at least the lookback ago. Every smaller id was allocated before it was,
    so a still-unsealed one belongs to a transaction open longer than the lookback: rare, reported
    by ``shinsa audit verify`` once past the grace period, and sealed by a full pass.
    """
    lookback = max(MIN_LOOKBACK_SECONDS, settings.AUDIT_SEAL_GRACE_SECONDS)
    cutoff = now - timedelta(seconds=lookback)
    floor = (
        AuditSeal.objects.filter(sealed_at__lte=cutoff)
        .order_by("-sealed_at")
        .values_list("event_id", flat=True)
        .first()
    )
    return floor or 0
