"""HMAC-SHA256 signatures of webhook deliveries (pure).

The sender signs ``<timestamp>.<body>`` with the shared secret and sends ``X-Shinsa-Timestamp`` (Unix
seconds) and ``X-Shinsa-Signature: sha256=<hex>``. A receiver recomputes it, compares in constant time
and refuses timestamps older than ``TOLERANCE_SECONDS`` (a replayed delivery).
"""

from __future__ import annotations

import hashlib
import hmac

TOLERANCE_SECONDS = 300
TIMESTAMP_HEADER = "X-Shinsa-Timestamp"
SIGNATURE_HEADER = "X-Shinsa-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: int) -> bool:
    """Whether ``signature`` is the sender's for this body and the timestamp is recent."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)
