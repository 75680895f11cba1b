"""API token format (pure): ``shn_<prefix>_<secret>``; only the prefix and the secret's SHA-256 are stored.

The secret has 256 bits of entropy, so a fast hash is enough (no password stretching needed); the prefix
finds the row, and the hash is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

SCHEME = "shn"
_TOKEN = re.compile(r"shn_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")


@dataclass(frozen=True)
class NewToken:
    prefix: str
    secret_hash: str
    plaintext: str  # shown once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def new_token() -> NewToken:
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)  # 43 characters
    return NewToken(prefix=prefix, secret_hash=hash_secret(secret), plaintext=f"{SCHEME}_{prefix}_{secret}")


def split_token(presented: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed token, else None."""
    match = _TOKEN.fullmatch(presented.strip())
    return (match.group(1), match.group(2)) if match else None


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
