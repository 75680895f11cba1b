"""The pure redactor: tokens, Authorization values, passwords and given secrets never survive."""

from __future__ import annotations

import logging

from shinsa.api.tokens import new_token
from shinsa.lib.redaction import REDACTED, RedactingFilter, redact


def test_it_removes_api_tokens_wherever_they_appear():
    token = new_token().plaintext
    for text in (f"GET /api/v1/titles?token={token}", f"Not Found: /{token}", f"'{token}'"):
        cleaned = redact(text)
        assert token not in cleaned
        assert token.split("_")[2] not in cleaned


def test_it_removes_authorization_values_and_bearer_credentials():
    token = new_token().plaintext
    for text in (
        f"{{'HTTP_AUTHORIZATION': 'Bearer {token}'}}",
        "Authorization: Basic dXNlcjpwYXNz",
        '"authorization": "Token abc.def-123"',
        "sent Bearer eyJhbGciOi.payload.sig upstream",
    ):
        cleaned = redact(text)
        assert REDACTED in cleaned
        for secret in (token, "dXNlcjpwYXNz", "abc.def-123", "eyJhbGciOi.payload.sig"):
            assert secret not in cleaned


def test_it_removes_passwords_and_form_secrets():
    text = "POST body username=rin&password=hunter2hunter2&csrfmiddlewaretoken=abc123 {'password1': 'p4ss'}"
    cleaned = redact(text)
    for secret in ("hunter2hunter2", "abc123", "p4ss"):
        assert secret not in cleaned
    assert "username=rin" in cleaned


def test_it_removes_the_given_secrets_verbatim_and_keeps_ordinary_text():
    assert redact("key is s3cr3t-value-xyz here", ["s3cr3t-value-xyz"]) == f"key is {REDACTED} here"
    assert redact("Bearer of good news: the queue is empty") != ""
    assert redact("the passage of time") == "the passage of time"


def test_the_filter_redacts_arguments_and_tracebacks():
    token = new_token().plaintext
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "token %s and key %s", (token, "k" * 40), None
    )
    try:
        raise ValueError(f"bad {token}")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter(secrets=["k" * 40, "short"]).filter(record)
    assert token not in record.getMessage() and "k" * 40 not in record.getMessage()
    assert token not in record.exc_text
