"""Sending a page: an e-mail through Django's mail backend and a signed JSON webhook.

Runs after the page's transaction commits (never holding the database while a network call waits);
each attempt is kept as a ``Delivery`` row, and a failure is recorded, not raised.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from shinsa import audit
from shinsa.oncall.models import Delivery, DeliveryChannel, Page
from shinsa.oncall.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

logger = logging.getLogger("shinsa.oncall")
WEBHOOK_TIMEOUT_SECONDS = 5


def payload(page: Page) -> dict[str, Any]:
    return {
        "page": page.pk,
        "kind": page.kind,
        "condition": page.condition,
        "summary": page.summary,
        "status": page.status,
        "level": page.level,
        "paged": page.paged_user.username if page.paged_user else None,
        "rotation": page.rotation.slug if page.rotation else None,
        "opened_at": page.opened_at.isoformat(),
        "repeats": page.repeats,
    }


def _email(page: Page) -> tuple[str, bool, str]:
    user = page.paged_user
    if user is None or not user.email:
        return "", False, "no e-mail address"
    subject = f"[Shinsa page #{page.pk}] {page.summary}"[:200]
    body = (
        f"{page.summary}\n\nKind: {page.kind}\nCondition: {page.condition}\nLevel: {page.level}\n"
        f"Acknowledge at {settings.SHINSA_BASE_URL}/oncall/pages/{page.pk}/\n"
    )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception as error:  # a mail server being down must not lose the page
        return user.email, False, str(error)[:500]
    return user.email, True, ""


def _webhook(page: Page, url: str) -> tuple[bool, str]:
    body = json.dumps(payload(page), ensure_ascii=False, sort_keys=True).encode()
    timestamp = int(time.time())
    # The URL comes from settings or a rotation an ops manager set: http(s) only, checked on save.
    request = urllib.request.Request(  # noqa: S310
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(settings.SHINSA_ONCALL_WEBHOOK_SECRET, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            return 200 <= response.status < 300, "" if response.status < 300 else f"HTTP {response.status}"
    except (urllib.error.URLError, OSError) as error:
        return False, str(error)[:500]


def deliver(page_id: int) -> list[Delivery]:
    """Send the page to the person it is with now, by e-mail and to the rotation's webhook."""
    page = Page.objects.select_related("paged_user", "rotation").get(pk=page_id)
    attempts: list[tuple[str, str, bool, str]] = []
    recipient, ok, error = _email(page)
    attempts.append((DeliveryChannel.EMAIL, recipient or "-", ok, error))
    url = (page.rotation.webhook_url if page.rotation else "") or settings.SHINSA_ONCALL_WEBHOOK_URL
    if url:
        ok, error = _webhook(page, url)
        attempts.append((DeliveryChannel.WEBHOOK, url, ok, error))
    with transaction.atomic():
        rows = [
            Delivery.objects.create(
                page=page, channel=channel, recipient=recipient, level=page.level, ok=ok, error=error
            )
            for channel, recipient, ok, error in attempts
        ]
        audit.record(
            actor="oncall",
            verb="oncall.page.delivered",
            obj=page,
            after={"level": page.level, "deliveries": [[c, r, ok] for c, r, ok, _ in attempts]},
        )
    for channel, recipient, ok, error in attempts:
        if not ok:
            logger.warning("Page %s: %s delivery to %s failed: %s", page.pk, channel, recipient, error)
    return rows
