from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from shinsa.audit.models import AuditEvent
from shinsa.web.request_context import current_request_id


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
    if not object_type:
        raise ValueError("audit.record needs obj or object_type")
    user = actor if getattr(actor, "pk", None) is not None else None
    label = actor.get_username() if user is not None else str(actor or "system")
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=user,
        actor_label=label,
        verb=verb,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        before=before,
        after=after,
        reason=reason,
        request_id=current_request_id(),
    )
