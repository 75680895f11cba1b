"""On-call test fixtures: the shared audit log."""

from tests.accounts.conftest import audit_log  # noqa: F401 - shared fixture
