"""Webhook signatures (pure): HMAC-SHA256 over ``"<timestamp>.<body>"``, one ``v1=`` per active key.

Header: ``Shinsa-Signature: t=1764057600,v1=<hex>,v1=<hex>``. During a key rotation two keys are
active and both signatures are sent; a receiver accepts the delivery when any ``v1`` matches its key
and the timestamp is recent (replay protection).
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Shinsa-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], timestamp: int, body: bytes) -> str:
    parts = [f"t={timestamp}"] + [f"v1={signature(secret, timestamp, body)}" for secret in secrets if secret]
    return ",".join(parts)


def verify(
    header: str, body: bytes, secret: str, *, now: float, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> bool:
    """Whether ``header`` carries a valid signature of ``body`` under ``secret``, made recently."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
