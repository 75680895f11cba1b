from __future__ import annotations

import pytest

from shinsa.api.actions import do_create_api_token
from tests.catalog.conftest import delivery, media_root  # noqa: F401 - shared fixtures
from tests.review.conftest import team, version  # noqa: F401 - shared fixtures
from tests.security.conftest import world  # noqa: F401 - shared fixture


@pytest.fixture
def token_for(db):
    """A real token for a user (created through the action), as the header value to send."""

    def make(user, name: str = "tests", scopes=("read", "review", "ingest", "admin")) -> dict[str, str]:
        _token, plaintext = do_create_api_token(actor="system", user=user, name=name, scopes=scopes)
        return {"Authorization": f"Bearer {plaintext}"}

    return make


def pytest_terminal_summary(terminalreporter) -> None:
    """The fuzz counts (tests/api/test_fuzz.py), when it ran."""
    import sys

    module = sys.modules.get("tests.api.test_fuzz")
    if module is not None and module.COUNTS:
        terminalreporter.write_line(module.summary())
