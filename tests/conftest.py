"""Shared fixtures. The cast of people lives in tests/cast.py."""

from __future__ import annotations

import pytest

from tests.cast import Cast, make_cast


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # The cast's accounts would otherwise spend seconds on PBKDF2 in every test that uses them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_unless_a_test_asks(settings):
    # A request or command that activates Japanese must not leak into the next test's messages.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
