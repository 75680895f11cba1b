"""The claim statement: take the best eligible item for one reviewer, atomically.

PostgreSQL: ``SELECT id … FOR UPDATE SKIP LOCKED`` picks the first eligible open item in rank order that
no other transaction is claiming, then a conditional ``UPDATE`` marks it claimed. SQLite: the transaction
began with ``BEGIN IMMEDIATE`` (settings), so claimers are serialised by the write lock; the same
conditional ``UPDATE … WHERE id = ? AND status = 'open'`` must change exactly one row. Both paths run
the same code: ``select_for_update`` is a no-op on SQLite and the rowcount check guards both.

The eligibility filter is SQL built from the reviewer's ``ReviewerRouting`` (shinsa.review.routing), so
no item rows are loaded into Python to decide who may take them.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from shinsa.review.models import ON_REQUEST_KINDS, ItemStatus, WorkItem, WorkItemSkip
from shinsa.review.routing import ReviewerRouting


def eligibility_filter(routing: ReviewerRouting) -> Q:
    """The routing rules of ``routing.is_eligible`` as a filter over WorkItem."""
    language = Q(required_language="")
    for code, levels in routing.language_levels:
        language |= Q(required_language=code, required_level__in=levels)
    graphic = Q(graphic_level=0)
    if not routing.exposure_budget_spent:
        for category, level in routing.clearances:
            graphic |= Q(graphic_category=category, graphic_level__lte=level)
    territory = Q(sensitive=False) | Q(territory="")
    if routing.territories:
        territory |= Q(territory__in=sorted(routing.territories))
    return (
        Q(queue_id__in=sorted(routing.queue_ids))
        & Q(policy_area__in=sorted(routing.policy_areas))
        & language
        & graphic
        & territory
        & Q(escalation_tier__lte=routing.max_escalation_tier)
        & (Q(excluded_reviewer__isnull=True) | ~Q(excluded_reviewer_id=routing.reviewer_id))
    )


def claim_next(
    routing: ReviewerRouting,
    *,
    now: datetime.datetime,
    lease_expires_at: datetime.datetime,
    queue_id: str | None = None,
    kind: str | None = None,
    avoid_high_severity: bool = False,
) -> int | None:
    """Claim the first eligible item in (rank, id) order; its id, or None when there is none.

    Items held for this person come first. With ``avoid_high_severity`` a low-severity item is taken
    first when one is eligible, so one person does not get high-severity items back to back.
    """
    if not routing.queue_ids or not routing.policy_areas:
        return None
    variants = ["held", "open_low", "open"] if avoid_high_severity else ["held", "open"]
    with transaction.atomic():
        for variant in variants:
            sql, params = _candidate_sql(routing, queue_id, kind, variant)
            item_id = _take(
                sql, params, now=now, lease_expires_at=lease_expires_at, reviewer_id=routing.reviewer_id
            )
            if item_id is not None:
                return item_id
    return None


@lru_cache(maxsize=1024)
def _candidate_sql(
    routing: ReviewerRouting, queue_id: str | None, kind: str | None, variant: str
) -> tuple[str, tuple[Any, ...]]:
    """The SELECT … FOR UPDATE SKIP LOCKED of one claim attempt, compiled once per routing (the ORM's
    compile costs more than the query itself)."""
    condition = eligibility_filter(routing) & ~Exists(
        WorkItemSkip.objects.filter(item_id=OuterRef("pk"), reviewer_id=routing.reviewer_id)
    )
    if queue_id is not None:
        condition &= Q(queue_id=queue_id)
    if kind is not None:
        condition &= Q(kind=kind)
    else:
        condition &= ~Q(kind__in=ON_REQUEST_KINDS)  # audit work only for those who ask for it
    # Open items are asked for with a plain status = 'open' so the partial index of open items in rank
    # order serves the scan (an OR with 'held' would defeat it).
    if variant == "held":
        condition &= Q(status=ItemStatus.HELD, held_for_id=routing.reviewer_id)
    else:
        condition &= Q(status=ItemStatus.OPEN)
    if variant == "open_low":
        condition &= Q(high_severity=False)
    query = (
        WorkItem.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(condition)
        .order_by("rank_ms", "id")
        .values_list("id", "status")[:1]
    ).query
    sql, params = query.sql_with_params()
    return sql, tuple(params)


# The conditional UPDATE: it changes the row only while it still has the status the SELECT saw.
_CONDITIONAL_CLAIM = (
    f"UPDATE {WorkItem._meta.db_table} SET status = %s, claimed_by_id = %s, claimed_at = %s,"  # noqa: S608
    " lease_expires_at = %s, held_for_id = NULL, updated_at = %s WHERE id = %s AND status = %s"
)


def _take(
    sql: str,
    params: tuple[Any, ...],
    *,
    now: datetime.datetime,
    lease_expires_at: datetime.datetime,
    reviewer_id: int,
) -> int | None:
    # A candidate can vanish between the SELECT and the UPDATE only where rows are not locked; then the
    # rowcount is 0 and the next candidate is tried.
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchone()
        if found is None:
            return None
        item_id, status = found
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.execute(
                _CONDITIONAL_CLAIM,
                [
                    ItemStatus.CLAIMED.value,
                    reviewer_id,
                    adapt(now),
                    adapt(lease_expires_at),
                    adapt(now),
                    item_id,
                    status,
                ],
            )
            if cursor.rowcount == 1:
                return item_id
