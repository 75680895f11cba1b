"""Fixtures for account tests."""

from __future__ import annotations

import pytest

from shinsa.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The cast hashes six passwords per test; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def audit_log(db):
    """The audit events written during the test, after the cast was created."""

    class Log:
        def __init__(self) -> None:
            self.start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        def events(self) -> list[AuditEvent]:
            return list(AuditEvent.objects.filter(pk__gt=self.start).order_by("pk"))

        def verbs(self) -> list[str]:
            return [event.verb for event in self.events()]

    return Log
