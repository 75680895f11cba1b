"""SCRAM-SHA-256 password verifiers (RFC 5802 / 7677) in PostgreSQL's stored format.

``ALTER ROLE ... PASSWORD`` accepts a verifier in place of the password, so the clear password never
travels to the server or into its statement log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

ITERATIONS = 4096  # PostgreSQL's own default (scram_iterations)


def scram_sha256_verifier(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """``SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>``, all base64.

    Only ASCII passwords are accepted: the server would apply SASLprep to others, which is not
    reproduced here.
    """
    if not password or not password.isascii():
        raise ValueError("the password must be non-empty ASCII")
    salt = os.urandom(16) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("ascii"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"
