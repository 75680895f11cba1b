"""Background work of the API: sending webhook deliveries (run by ``shinsa worker``)."""

from __future__ import annotations

import time

import requests
from django.conf import settings
from django.tasks import task

from shinsa.api.models import WebhookDelivery
from shinsa.api.signing import HEADER, signature_header
from shinsa.api.webhooks import do_record_webhook_attempt


@task()
def deliver_webhook(delivery_id: int) -> str:
    """POST one delivery, signed with every active key of its endpoint; record the try and, on
    failure, schedule the next one with backoff. No redirects are followed. At least once: a receiver
    may see an event twice after a crash and should de-duplicate on ``Shinsa-Event-Id``."""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status
    endpoint = delivery.endpoint
    body = delivery.body.encode("utf-8")
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Shinsa-Webhooks/1",
        "Shinsa-Event": delivery.event_type,
        "Shinsa-Event-Id": delivery.event_id,
        "Shinsa-Delivery": str(delivery.pk),
        HEADER: signature_header([endpoint.secret, endpoint.previous_secret], timestamp, body),
    }
    started = time.monotonic()
    status_code, error = None, ""
    try:
        response = requests.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except requests.RequestException as failure:
        error = f"{type(failure).__name__}: {failure}"[:500]
    duration_ms = int((time.monotonic() - started) * 1000)
    do_record_webhook_attempt(
        delivery_id=delivery.pk, status_code=status_code, error=error, duration_ms=duration_ms
    )
    return WebhookDelivery.objects.get(pk=delivery.pk).status
