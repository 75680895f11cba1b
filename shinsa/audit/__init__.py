"""Append-only, hash-chained record of every action. Write through ``shinsa.audit.record``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shinsa.audit.models import AuditEvent


def record(
    *,
    actor: Any,
    verb: str,
    obj: Any = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Write one AuditEvent inside the caller's transaction (see ``shinsa.audit.recording``)."""
    from shinsa.audit.recording import record_event

    return record_event(
        actor=actor,
        verb=verb,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        reason=reason,
    )
