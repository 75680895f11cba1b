"""The claim statement: take the best eligible item for one reviewer, atomically, in one round trip.

``UPDATE … SET status = 'claimed', … WHERE id = (SELECT id … ORDER BY rank_ms, id LIMIT 1 FOR UPDATE OF
… SKIP LOCKED) AND status = 'open' RETURNING *``. PostgreSQL: the sub-SELECT picks the first eligible
open item in rank order that no other transaction is claiming and locks it. SQLite: the transaction
began with ``BEGIN IMMEDIATE`` (settings), so claimers are serialised by the write lock (the ``FOR
UPDATE`` clause is not emitted there). The claimed row comes back from ``RETURNING`` (SQLite ≥ 3.35), so
nothing is read again.

The eligibility filter is SQL built from the reviewer's ``ReviewerRouting`` (shinsa.review.routing), so
no item rows are loaded into Python to decide who may take them.
"""

from __future__ import annotations

import datetime
from contextlib import nullcontext
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from shinsa.audit import recording
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
    not_excluded = Q(excluded_reviewer__isnull=True) | ~Q(excluded_reviewer_id=routing.reviewer_id)
    regular = (
        Q(legal_only=False)
        & Q(queue_id__in=sorted(routing.queue_ids))
        & Q(policy_area__in=sorted(routing.policy_areas))
        & language
        & graphic
        & territory
        & Q(escalation_tier__lte=routing.max_escalation_tier)
        & not_excluded
    )
    if not routing.legal:
        return regular
    return regular | (Q(legal_only=True) & graphic & not_excluded)


def claim_next(
    routing: ReviewerRouting,
    *,
    now: datetime.datetime,
    lease_expires_at: datetime.datetime,
    queue_id: str | None = None,
    kind: str | None = None,
    avoid_high_severity: bool = False,
    has_held: bool = True,
    audit_event: dict[str, Any] | None = None,
) -> WorkItem | None:
    """Claim the first eligible item in (rank, id) order and return it as claimed, or None.

    One statement per attempt: ``UPDATE … WHERE id = (SELECT id … FOR UPDATE SKIP LOCKED LIMIT 1) AND
    status = … RETURNING *``. Items held for this person come first (skipped when ``has_held`` is False:
    the claim context knows). With ``avoid_high_severity`` a low-severity item is taken first when one
    is eligible, so one person does not get high-severity items back to back.

    With ``audit_event`` (``shinsa.audit.recording.event_values``, its object id left to the claim) the
    claim's audit event is written too: on PostgreSQL by the claim statement itself (a data-modifying
    CTE, so claim and event commit together even outside a transaction), elsewhere by an INSERT in the
    same transaction.
    """
    if not routing.legal and (not routing.queue_ids or not routing.policy_areas):
        return None
    variants = ["open_low", "open"] if avoid_high_severity else ["open"]
    if has_held:
        variants.insert(0, "held")
    # No savepoint: the attempts are reads until one claims, and the caller's transaction owns them. No
    # transaction at all where each attempt writes its audit event itself (one statement, atomic alone).
    alone = audit_event is not None and audits_in_statement()
    with nullcontext() if alone else transaction.atomic(savepoint=False):
        for variant in variants:
            sql, params, status = _claim_sql(routing, queue_id, kind, variant)
            item = _take(
                sql,
                params,
                status,
                now=now,
                lease_expires_at=lease_expires_at,
                routing=routing,
                audit_event=audit_event,
            )
            if item is not None:
                return item
    return None


def audits_in_statement() -> bool:
    """Whether the claim statement writes its own audit event (one statement: atomic on its own)."""
    return connection.vendor == "postgresql"


_COLUMNS = [field for field in WorkItem._meta.concrete_fields]


@lru_cache(maxsize=1024)
def _claim_sql(
    routing: ReviewerRouting, queue_id: str | None, kind: str | None, variant: str
) -> tuple[str, tuple[Any, ...], str]:
    """The claim statement of one attempt, compiled once per routing (the ORM's compile costs more than
    the query itself): the conditional UPDATE around the SELECT … FOR UPDATE SKIP LOCKED of the
    candidate, returning the claimed row."""
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
    # The status is written into the statement, not passed as a parameter: the statement is prepared,
    # and a generic plan may use a partial index only when its predicate is in the text.
    if variant == "held":
        status = ItemStatus.HELD.value
        condition &= Q(status=RawSQL("'held'", ()), held_for_id=routing.reviewer_id)
    else:
        status = ItemStatus.OPEN.value
        condition &= Q(status=RawSQL("'open'", ()))
    if variant == "open_low":
        condition &= Q(high_severity=False)
    query = (
        WorkItem.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(condition)
        .order_by("rank_ms", "id")
        .values_list("id")[:1]
    ).query
    with transaction.atomic(savepoint=False):  # Django compiles FOR UPDATE only inside a transaction
        select, params = query.sql_with_params()
    table = WorkItem._meta.db_table
    returning = ", ".join(connection.ops.quote_name(field.column) for field in _COLUMNS)
    sql = (
        f"UPDATE {table} SET status = %s, claimed_by_id = %s, claimed_at = %s, lease_expires_at = %s,"  # noqa: S608
        f" held_for_id = NULL, updated_at = %s WHERE id = ({select}) AND status = %s RETURNING {returning}"
    )
    return sql, tuple(params), status


def _take(
    sql: str,
    params: tuple[Any, ...],
    status: str,
    *,
    now: datetime.datetime,
    lease_expires_at: datetime.datetime,
    routing: ReviewerRouting,
    audit_event: dict[str, Any] | None,
) -> WorkItem | None:
    # On PostgreSQL the sub-SELECT locks the candidate (skipping rows others hold), so the outer status
    # check holds for it; on SQLite the transaction holds the write lock (BEGIN IMMEDIATE). No row back
    # means no eligible candidate.
    adapt = connection.ops.adapt_datetimefield_value
    values = [ItemStatus.CLAIMED.value, routing.reviewer_id, adapt(now), adapt(lease_expires_at), adapt(now)]
    params = [*values, *params, status]
    in_statement = audit_event is not None and audits_in_statement()
    if in_statement:
        # WITH claimed AS (UPDATE … RETURNING …), audited AS (INSERT … SELECT … FROM claimed)
        insert, insert_params = recording.insert_per_row("claimed", "claimed.id", audit_event)
        sql = _with_audit(sql, insert)
        params += insert_params
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    if audit_event is not None and not in_statement:
        recording.insert_event({**audit_event, "object_id": str(row[0])})
    converted = []
    for (expression, converters), value in zip(_converters(connection.vendor), row, strict=True):
        for converter in converters:
            value = converter(value, expression, connection)  # noqa: PLW2901 - the DB value, converted
        converted.append(value)
    return WorkItem.from_db(connection.alias, [field.attname for field in _COLUMNS], converted)


@lru_cache(maxsize=1024)
def _with_audit(claim: str, insert: str) -> str:
    # The same string object every time, so psycopg's prepared-statement lookup is a cheap hash hit.
    return f"WITH claimed AS ({claim}), audited AS ({insert}) SELECT * FROM claimed"  # noqa: S608


def prepared_cursor() -> Any:
    """A cursor for the statements on every claim's path. On PostgreSQL one with server-side binding:
    psycopg prepares a statement a connection runs five times, so it is planned once per connection
    rather than on every claim (planning the claim costs more than running it)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


@lru_cache(maxsize=4)
def _converters(vendor: str) -> list[tuple[Any, list[Any]]]:
    """The backend's and the fields' converters for each returned column, as the ORM applies them."""
    table = WorkItem._meta.db_table
    found = []
    for field in _COLUMNS:
        column = field.get_col(table)
        found.append(
            (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
        )
    return found
