from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from shinsa.audit.models import AuditEvent
from shinsa.web.request_context import current_request_id

# Payloads are ids and short summaries. A cap keeps whole objects (and the free text of reporters
# that they may carry) out of a chain that can never be edited or erased.
MAX_PAYLOAD_BYTES = 4096
MAX_LABEL_LENGTH = 64


class AuditPayloadError(ValueError):
    """``audit.record`` was called with something that must not go into the chain."""


def record_event(
    *,
    actor: Any,
    verb: str,
    obj: Any,
    object_type: str | None,
    object_id: str | int | None,
    before: dict | None,
    after: dict | None,
    reason: str,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    values = event_values(
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        reason=reason,
    )
    return insert_event(values)


def event_values(
    *,
    actor: Any,
    verb: str,
    object_type: str | None,
    object_id: str | int | None,
    before: dict | None,
    after: dict | None,
    reason: str,
) -> dict[str, Any]:
    """The checked column values of one event, stamped now (``AuditPayloadError`` on bad input)."""
    if not object_type:
        raise ValueError("audit.record needs obj or object_type")
    object_id_text = "" if object_id is None else str(object_id)
    _check_label("verb", verb)
    _check_label("object_type", object_type)
    if len(object_id_text) > MAX_LABEL_LENGTH:
        raise AuditPayloadError(f"audit object_id is longer than {MAX_LABEL_LENGTH} characters")
    _check_payload("before", before)
    _check_payload("after", after)
    user = actor if getattr(actor, "pk", None) is not None else None
    label = actor.get_username() if user is not None else str(actor or "system")
    now = timezone.now()
    # Whole milliseconds: Django's serialisers (dumpdata) keep no more, so a dump restores a chain that
    # still verifies.
    return {
        "occurred_at": now.replace(microsecond=now.microsecond // 1000 * 1000),
        "actor_id": user.pk if user is not None else None,
        "actor_label": label,
        "verb": verb,
        "object_type": object_type,
        "object_id": object_id_text,
        "before": before,
        "after": after,
        "reason": reason,
        "request_id": current_request_id(),
    }


def insert_per_row(source: str, object_id_sql: str, values: dict[str, Any]) -> tuple[str, list[Any]]:
    """``INSERT … SELECT`` of one event per row of ``source`` (a CTE of the same statement), its object
    id read from the row by ``object_id_sql`` and every other column from ``values`` (``event_values``).
    For a change and its audit event written by one statement, so they commit or fail together."""
    connection = transaction.get_connection()
    sql, fields = _insert_per_row_sql(connection.vendor, source, object_id_sql)
    return sql, [field.get_db_prep_save(values[field.attname], connection) for field in fields]


@lru_cache(maxsize=16)
def _insert_per_row_sql(vendor: str, source: str, object_id_sql: str) -> tuple[str, list[Any]]:
    connection = transaction.get_connection()
    fields = _fields()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # Typed placeholders: with server-side binding a NULL parameter has no type of its own.
    selected = ", ".join(
        f"CAST({object_id_sql if field.attname == 'object_id' else '%s'} AS {field.db_type(connection)})"
        for field in fields
    )
    table = quote(AuditEvent._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) SELECT {selected} FROM {source}"  # noqa: S608
    return sql, [field for field in fields if field.attname != "object_id"]


def _fields() -> list[Any]:
    return [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]


def insert_event(values: dict[str, Any]) -> AuditEvent:
    """Write one event of ``event_values`` in the caller's transaction: one precompiled INSERT …
    RETURNING id (the ORM's save path costs more than the insert itself on hot paths such as claims);
    the row is built from the values written, with no read back."""
    connection = transaction.get_connection()
    sql, fields = _insert_sql(connection.vendor)
    params = [field.get_db_prep_save(values[field.attname], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (pk,) = cursor.fetchone()
    event = AuditEvent(pk=pk, **values)
    event._state.adding = False
    event._state.db = connection.alias
    return event


@lru_cache(maxsize=4)
def _insert_sql(vendor: str) -> tuple[str, list[Any]]:
    connection = transaction.get_connection()
    fields = _fields()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quote(AuditEvent._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {quote('id')}", fields  # noqa: S608


def _check_label(name: str, value: str) -> None:
    if not isinstance(value, str) or not value or len(value) > MAX_LABEL_LENGTH:
        raise AuditPayloadError(
            f"audit {name} must be a non-empty string of at most {MAX_LABEL_LENGTH} characters"
        )


def _check_payload(name: str, payload: dict | None) -> None:
    if payload is None:
        return
    if not isinstance(payload, dict):
        raise AuditPayloadError(
            f"audit {name} must be a dict of ids and short summaries, not {type(payload).__name__}"
        )
    try:
        encoded = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as error:
        raise AuditPayloadError(
            f"audit {name} must hold plain JSON values (strings, numbers, lists): {error}"
        ) from None
    if len(encoded) > MAX_PAYLOAD_BYTES:
        raise AuditPayloadError(
            f"audit {name} is {len(encoded)} bytes; at most {MAX_PAYLOAD_BYTES} are allowed: record ids "
            "and short summaries, not whole objects or free text"
        )
