"""Sign-in throttling: after N failures for one username from one address within a window, that pair
is locked until the oldest failure leaves the window. See docs/security.md."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.http import HttpRequest

from shinsa.web.models import SignInFailure


def now_ms() -> int:
    return int(time.time() * 1000)


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR, not X-Forwarded-For: a client can forge the latter. Behind a proxy every client
    # shares its address, so the lock becomes per username (stricter, never looser).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def throttle_key(username: str, address: str) -> str:
    message = f"{username.strip().casefold()}\n{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def window_start(at_ms: int) -> int:
    return at_ms - settings.SIGN_IN_WINDOW_SECONDS * 1000


def is_locked(*, username: str, address: str, at_ms: int | None = None) -> bool:
    at_ms = now_ms() if at_ms is None else at_ms
    recent = SignInFailure.objects.filter(
        key=throttle_key(username, address), failed_at_ms__gt=window_start(at_ms)
    )
    return recent.count() >= settings.SIGN_IN_MAX_FAILURES
