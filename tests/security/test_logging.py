"""Through the real logging configuration: requests leave no secret in the log, and JSON lines carry
the request id."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from shinsa.api.actions import do_create_api_token
from shinsa.api.tokens import split_token
from shinsa.lib.jsonlog import JsonFormatter
from shinsa.lib.redaction import RedactingFilter
from tests.cast import PASSWORD


@pytest.fixture
def log_output(settings) -> Iterator[io.StringIO]:
    """The configured console handler, writing into a buffer for the test."""
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactingFilter) for f in h.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def test_it_leaves_no_token_password_or_key_in_the_log(cast, settings, log_output):
    _, token = do_create_api_token(actor=cast.rin, user=cast.rin, name="laptop")
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.get("/api/v1/titles", headers={"authorization": f"Bearer {token}x"})  # 401, logged
    client.get(f"/{token}")  # a token pasted into a URL: 404, logged with its path
    client.post("/login/", {"username": "rin", "password": "hunter2-not-it"})
    for _ in range(5):
        client.post("/login/", {"username": "rin", "password": PASSWORD + "!"})  # ends locked: 429
    logging.getLogger("shinsa.test").warning("settings dump SECRET_KEY=%s", settings.SECRET_KEY)

    written = log_output.getvalue()
    assert "Unauthorized: /api/v1/titles" in written and "Not Found" in written and "Too Many" in written
    # The secret part itself may contain "_" (URL-safe base64): take it as the token parser does.
    for secret in (token, split_token(token)[1], "hunter2-not-it", PASSWORD, settings.SECRET_KEY):
        assert secret not in written


def test_it_writes_json_lines_with_the_request_id(cast, log_output):
    handler = next(h for h in logging.getLogger().handlers if h.stream is log_output)
    previous = handler.formatter
    handler.setFormatter(JsonFormatter())
    try:
        response = Client().get("/no-such-page/", headers={"x-request-id": "req-42"})
    finally:
        handler.setFormatter(previous)
    assert response["X-Request-ID"] == "req-42"
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    not_found = next(line for line in lines if line["message"].startswith("Not Found"))
    assert not_found["request_id"] == "req-42"
    assert not_found["level"] == "WARNING" and not_found["logger"] == "django.request"
    assert not_found["status"] == 404
