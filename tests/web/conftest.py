"""Fixtures for the web console's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from shinsa.accounts.models import User


@pytest.fixture
def client_for(db) -> Callable[[User], Client]:
    """A test client signed in as the given person (a real session, like a browser's)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # The cast's six accounts cost seconds per test with the production hasher; the flow is the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
