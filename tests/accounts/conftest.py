"""Fixtures for account tests."""

from __future__ import annotations

import pytest

from shinsa.audit.models import AuditEvent


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


from tests.accounts.oidc_provider import idp  # noqa: E402, F401 - the local OIDC provider, for SSO tests
