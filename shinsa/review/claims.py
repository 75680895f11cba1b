"""The claim statement: take the best eligible item for one reviewer, atomically, in one round trip.

``UPDATE … SET status = 'claimed', … WHERE id = COALESCE((SELECT id … ORDER BY rank_ms, id LIMIT 1 FOR
UPDATE OF … SKIP LOCKED), …) AND status IN ('open', 'held') RETURNING *``. PostgreSQL: a sub-SELECT
picks the first eligible item in rank order that no other transaction is claiming and locks it.
SQLite: the transaction began with ``BEGIN IMMEDIATE`` (settings), so claimers are serialised by the
write lock (the ``FOR UPDATE`` clause is not emitted there). The claimed row comes back from
``RETURNING`` (SQLite ≥ 3.35), so nothing is read again.

The eligibility filter is SQL built from the reviewer's ``ReviewerRouting`` (shinsa.review.routing), so
no item rows are loaded into Python to decide who may take them.
"""

from __future__ import annotations

import datetime
import enum
import re
from contextlib import nullcontext
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from shinsa.audit import recording
from shinsa.review import gates
from shinsa.review.models import ON_REQUEST_KINDS, ItemStatus, WorkItem, WorkItemSkip
from shinsa.review.queries import EXPOSURE_SPENT_SQL, LAST_DECISION_HIGH_SQL, routing_stamp_sql
from shinsa.review.routing import ReviewerRouting


class _Slot:
    """A parameter the claim statement is compiled with and each claim fills in with its own value."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


TODAY, _NOW, _LEASE_END = _Slot("the claim's day"), _Slot("now"), _Slot("lease end")


def eligibility_filter(routing: ReviewerRouting) -> Q:
    """The routing rules of ``routing.is_eligible`` as a filter over WorkItem.

    For a stamped routing (``ReviewerRouting.stamp``: a reviewer's claim) the exposure budget and the
    queue gates are not taken from ``routing`` but evaluated by the statement itself, so a routing
    cached across claims never serves a graphic item past the budget or a queue the person was
    closed out of; such a filter carries the ``TODAY`` parameter."""
    live = routing.stamp is not None
    language = Q(required_language="")
    for code, levels in routing.language_levels:
        language |= Q(required_language=code, required_level__in=levels)
    clearance = Q()
    for category, level in routing.clearances:
        clearance |= Q(graphic_category=category, graphic_level__lte=level)
    graphic = Q(graphic_level=0)
    if live and routing.clearances:
        person = routing.reviewer_id
        spent = RawSQL(EXPOSURE_SPENT_SQL, (person, TODAY, person), BooleanField())  # noqa: S611 - ours
        graphic |= ~Q(spent) & clearance
    elif not routing.exposure_budget_spent and routing.clearances:
        graphic |= clearance
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
    closed = gates.closed_queues_sql(routing.reviewer_id) if live else None
    if closed is not None:
        regular &= ~Q(queue_id__in=RawSQL(*closed))  # noqa: S611 - the registered gates' SQL
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
    audit_event: dict[str, Any] | None = None,
) -> WorkItem | None:
    """Claim the first eligible item in (rank, id) order and return it as claimed, or None.

    One statement: ``UPDATE … WHERE id = COALESCE((held), (low), (open)) … RETURNING *``, each candidate
    a ``SELECT id … ORDER BY rank_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED`` that PostgreSQL runs only when
    the ones before it found nothing. Items held for this person come first. With
    ``avoid_high_severity`` a low-severity item is taken first when one is eligible, so one person does
    not get high-severity items back to back; for a stamped routing the statement reads the person's
    last decision itself and also checks that the routing stamp still holds (no row back when it does
    not: the caller rebuilds the routing).

    With ``audit_event`` (``shinsa.audit.recording.event_values``, its object id left to the claim) the
    claim's audit event is written too: on PostgreSQL by the claim statement itself (a data-modifying
    CTE, so claim and event commit together even outside a transaction), elsewhere by an INSERT in the
    same transaction.
    """
    if not routing.legal and (not routing.queue_ids or not routing.policy_areas):
        return None
    adapt = connection.ops.adapt_datetimefield_value
    slots = {_NOW: adapt(now), _LEASE_END: adapt(lease_expires_at), TODAY: now.date()}
    in_statement = audit_event is not None and audits_in_statement()
    if in_statement:
        # WITH claimed AS (UPDATE … RETURNING …), audited AS (INSERT … SELECT … FROM claimed)
        insert, insert_params = recording.insert_per_row("claimed", "claimed.id", audit_event)
        sql, used = _postgres_statement(
            routing, queue_id, kind, avoid_high_severity, insert, len(insert_params)
        )
        params = [*(slots[slot] for slot in used), *insert_params]
    else:
        sql, template = _claim_sql(routing, queue_id, kind, avoid_high_severity)
        params = [slots[param] if isinstance(param, _Slot) else param for param in template]
    # No transaction where the statement writes its audit event itself (one statement, atomic alone).
    with nullcontext() if in_statement else transaction.atomic(savepoint=False):
        with _cursor(raw=in_statement) as cursor:
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


def audits_in_statement() -> bool:
    """Whether the claim statement writes its own audit event (one statement: atomic on its own)."""
    return connection.vendor == "postgresql"


_COLUMNS = [field for field in WorkItem._meta.concrete_fields]


@lru_cache(maxsize=1024)
def _claim_sql(
    routing: ReviewerRouting, queue_id: str | None, kind: str | None, avoid_high_severity: bool
) -> tuple[str, tuple[Any, ...]]:
    """The claim statement, compiled once per routing (the ORM's compile costs more than the query
    itself): the conditional UPDATE around the candidates' SELECT … FOR UPDATE SKIP LOCKED, returning
    the claimed row; and its parameters, the claim's own values among them as ``_Slot``s."""
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
    held = _candidate(condition & Q(status=RawSQL("'held'", ()), held_for_id=routing.reviewer_id))
    open_ = condition & Q(status=RawSQL("'open'", ()))
    candidates = [held]
    if routing.stamp is not None:
        low_sql, low_params = _candidate(open_ & Q(high_severity=False))
        candidates.append(
            (f"CASE WHEN {LAST_DECISION_HIGH_SQL} THEN ({low_sql}) END", (routing.reviewer_id, *low_params))
        )
    elif avoid_high_severity:
        candidates.append(_candidate(open_ & Q(high_severity=False)))
    candidates.append(_candidate(open_))
    choice = ", ".join(f"({sql})" for sql, _ in candidates)
    params = [param for _, candidate_params in candidates for param in candidate_params]
    checks = ""
    if routing.stamp is not None:
        stamp_sql, people = routing_stamp_sql(connection.vendor)
        checks = f" AND {stamp_sql} = %s"
        params += [routing.reviewer_id] * people + [routing.stamp]
    table = WorkItem._meta.db_table
    returning = ", ".join(connection.ops.quote_name(field.column) for field in _COLUMNS)
    values = (ItemStatus.CLAIMED.value, routing.reviewer_id, _NOW, _LEASE_END, _NOW)
    sql = (
        f"UPDATE {table} SET status = %s, claimed_by_id = %s, claimed_at = %s, lease_expires_at = %s,"  # noqa: S608
        f" held_for_id = NULL, updated_at = %s WHERE id = COALESCE({choice})"
        f" AND status IN ('open', 'held'){checks} RETURNING {returning}"
    )
    return sql, (*values, *params)


def _candidate(condition: Q) -> tuple[str, tuple[Any, ...]]:
    query = (
        WorkItem.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(condition)
        .order_by("rank_ms", "id")
        .values_list("id")[:1]
    ).query
    with transaction.atomic(savepoint=False):  # Django compiles FOR UPDATE only inside a transaction
        return query.sql_with_params()


@lru_cache(maxsize=1024)
def _postgres_statement(
    routing: ReviewerRouting,
    queue_id: str | None,
    kind: str | None,
    avoid_high_severity: bool,
    insert: str,
    insert_params: int,
) -> tuple[str, tuple[_Slot, ...]]:
    """The claim and its audit event as one PostgreSQL statement in native ``$n`` placeholders, the
    routing's values written in as literals: the claim's own values and the event's are its only
    parameters. So psycopg sends the long text as it is (no placeholder conversion on every claim) and
    the prepared statement's generic plan is as good as a custom one, planned once per connection.
    Returns the statement and the slots its first parameters stand for (the event's follow)."""
    claim, template = _claim_sql(routing, queue_id, kind, avoid_high_severity)
    sql = f"WITH claimed AS ({claim}), audited AS ({insert}) SELECT * FROM claimed"  # noqa: S608
    numbers: dict[_Slot, int] = {}
    pieces, placed = [], 0
    for piece in re.split(r"(%s|%%)", sql):
        if piece == "%%":
            pieces.append("%")
        elif piece != "%s":
            pieces.append(piece)
        elif placed < len(template) and isinstance(template[placed], _Slot):
            pieces.append(f"${numbers.setdefault(template[placed], len(numbers) + 1)}")
        elif placed < len(template):
            pieces.append(_literal(template[placed]))
        else:  # the event's values, after the claim's (every slot is numbered by then)
            pieces.append(f"${len(numbers) + placed - len(template) + 1}")
        placed += piece == "%s"
    assert placed == len(template) + insert_params, "one parameter for every placeholder"
    return "".join(pieces), tuple(numbers)


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


def _literal(value: Any) -> str:
    """``value`` as a PostgreSQL literal, quoted by psycopg (choices enums as their values)."""
    from psycopg import sql

    if isinstance(value, enum.Enum):
        value = value.value
    return sql.Literal(value).as_string(connection.connection)


def _cursor(*, raw: bool) -> Any:
    """A cursor for the claim statement. On PostgreSQL one with server-side binding: psycopg prepares a
    statement a connection runs five times, so it is planned once per connection rather than on every
    claim (planning the claim costs more than running it); ``raw``: one for ``$n`` placeholders."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    cursor_class = _raw_binding_cursor() if raw else ServerBindingCursor
    with connection.wrap_database_errors:
        return connection._prepare_cursor(cursor_class(connection.connection))


@lru_cache(maxsize=1)
def _raw_binding_cursor() -> type:
    import psycopg
    from django.db.backends.postgresql.base import CursorMixin

    class RawBindingCursor(CursorMixin, psycopg.RawCursor):
        pass

    return RawBindingCursor
