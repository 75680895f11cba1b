"""Outgoing webhooks: ``emit(event_type, payload)`` records one delivery per subscribed endpoint in the
caller's transaction and, once it commits, the task worker sends each (``shinsa.api.tasks``), signed
(``shinsa.api.signing``) and retried with exponential backoff. Every try is logged.

Bodies carry ids and facts only: never media, file paths or URLs to frames, artwork or video (graphic
content must not leave the console); ``emit`` refuses a payload that looks like it carries any.

Events: ``decision.made``, ``decision.confirmed``, ``appeal.decided``, ``rating.published`` (and any
other app may emit its own, e.g. ``page.*``).
"""

from __future__ import annotations

import datetime
import json
import secrets as secrets_module
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

EVENT_TYPES = ("decision.made", "decision.confirmed", "appeal.decided", "rating.published")
# Keys that would carry media or a way to fetch it; webhook bodies hold ids instead.
_MEDIA_KEYS = frozenset(
    {
        "file",
        "files",
        "path",
        "url",
        "uri",
        "frame",
        "frames",
        "image",
        "thumbnail",
        "artwork",
        "media",
        "proxy",
    }
)


class WebhookError(Exception):
    """An endpoint cannot be added or changed; the message is one sentence for the user."""


def new_secret() -> str:
    return "whsec_" + secrets_module.token_urlsafe(32)


def media_free(payload: Any, where: str = "payload") -> None:
    """Raise ValueError when ``payload`` holds anything but JSON values without media-bearing keys."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            if not isinstance(key, str) or key.lower() in _MEDIA_KEYS:
                raise ValueError(f"{where}.{key}: webhook bodies carry ids, never media or links to it")
            media_free(value, f"{where}.{key}")
    elif isinstance(payload, list | tuple):
        for index, value in enumerate(payload):
            media_free(value, f"{where}[{index}]")
    elif isinstance(payload, bytes | bytearray | memoryview):
        raise ValueError(f"{where}: bytes are not allowed in a webhook body")
    elif isinstance(payload, str) and payload.startswith(("data:", "file:")):
        raise ValueError(f"{where}: inline data is not allowed in a webhook body")


def emit(event_type: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue ``payload`` for every active endpoint that wants ``event_type``; sent after commit."""
    media_free(payload)
    endpoints = [
        endpoint for endpoint in WebhookEndpoint.objects.filter(active=True) if endpoint.wants(event_type)
    ]
    if not endpoints:
        return []
    event_id = uuid.uuid4().hex
    body = json.dumps(
        {"id": event_id, "type": event_type, "created_at": timezone.now(), "data": payload},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=event_id,
            event_type=event_type,
            body=body,
            next_attempt_at=timezone.now(),
        )
        for endpoint in endpoints
    ]
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def _enqueue(delivery_ids: list[int], run_after: datetime.datetime | None = None) -> None:
    from shinsa.api.tasks import deliver_webhook

    task = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    for delivery_id in delivery_ids:
        task.enqueue(delivery_id)


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before try ``attempts + 1``: base, 2×base, 4×base, … capped at one day."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    return datetime.timedelta(seconds=min(seconds, 86_400))


# --- endpoints -----------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise WebhookError(_("%(url)s is not an http(s) URL") % {"url": url}) from None
    return url


def _check_events(event_types: list[str]) -> list[str]:
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        raise WebhookError(
            _("unknown event %(event)s (known: %(known)s)")
            % {"event": unknown[0], "known": ", ".join(EVENT_TYPES)}
        )
    return sorted(set(event_types))


@transaction.atomic
def do_add_webhook(*, actor: Any, name: str, url: str, event_types: list[str] = ()) -> WebhookEndpoint:  # type: ignore[assignment]
    name = name.strip()
    if not name or len(name) > 64:
        raise WebhookError(_("a webhook needs a name of 1 to 64 characters"))
    if WebhookEndpoint.objects.filter(name=name).exists():
        raise WebhookError(_("there is already a webhook named %(name)s") % {"name": name})
    endpoint = WebhookEndpoint.objects.create(
        name=name, url=_check_url(url), event_types=_check_events(list(event_types)), secret=new_secret()
    )
    audit.record(
        actor=actor,
        verb="api.webhook.added",
        obj=endpoint,
        after={"url": url, "events": endpoint.event_types},
    )
    return endpoint


@transaction.atomic
def do_rotate_webhook_secret(*, actor: Any, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new current key; the old one keeps signing (both are sent) until ``do_retire_webhook_secret``."""
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    locked.previous_secret = locked.secret
    locked.secret = new_secret()
    locked.rotated_at = timezone.now()
    locked.save(update_fields=["previous_secret", "secret", "rotated_at"])
    audit.record(actor=actor, verb="api.webhook.secret_rotated", obj=locked, after={"two_keys_active": True})
    return locked


@transaction.atomic
def do_retire_webhook_secret(*, actor: Any, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Stop signing with the previous key (once every receiver checks the new one)."""
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if locked.previous_secret:
        locked.previous_secret = ""
        locked.save(update_fields=["previous_secret"])
        audit.record(
            actor=actor, verb="api.webhook.secret_retired", obj=locked, after={"two_keys_active": False}
        )
    return locked


@transaction.atomic
def do_set_webhook_active(*, actor: Any, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if locked.active != active:
        locked.active = active
        locked.save(update_fields=["active"])
        audit.record(
            actor=actor, verb="api.webhook.activated" if active else "api.webhook.paused", obj=locked
        )
    return locked


# --- delivery bookkeeping (the task's writes; not actions of a person, so not audited) ----------


@transaction.atomic
def do_record_webhook_attempt(
    *, delivery_id: int, status_code: int | None, error: str, duration_ms: int
) -> WebhookDelivery | None:
    """Log one try; mark delivered (2xx), schedule the next try, or give up after the last. Returns
    the delivery when another try is due (the caller enqueues it), else None."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    if delivery.status != WebhookDelivery.Status.PENDING:
        return None
    now = timezone.now()
    delivery.attempts += 1
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        at=now,
        status_code=status_code,
        error=error[:500],
        duration_ms=duration_ms,
    )
    delivery.last_status_code = status_code
    delivery.last_error = error[:500]
    retry = None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        retry = delivery
    delivery.save()
    if retry is not None:
        when = retry.next_attempt_at
        transaction.on_commit(lambda: _enqueue([delivery_id], run_after=when))
    return retry
