"""Append-only, hash-chained record of every action. Write through ``shinsa.audit.record``.

Events are sealed into the hash chain after commit by ``shinsa.audit.sealing.seal_pending`` and
checked by ``shinsa audit verify``; see docs/audit.md.
"""

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
    """Write one AuditEvent inside the caller's transaction (see ``shinsa.audit.recording``).

    ``before``/``after`` are small dicts of plain JSON values (at most 4 KB each): ids, states and
    short summaries, never personal data or whole objects. Raises ``AuditPayloadError`` otherwise.
    """
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
