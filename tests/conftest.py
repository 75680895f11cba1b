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


@pytest.fixture(autouse=True)
def second_factor_at_test_sign_in(request, monkeypatch):
    """``client.login``/``force_login`` stand for a whole sign-in, second factor included: people whose
    roles need one get a confirmed TOTP device and a verified session, as after typing a real code.
    Tests of the second factor itself are marked ``second_factor`` and sign in for real."""
    if request.node.get_closest_marker("second_factor"):
        return
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shinsa.accounts.second_factor import confirmed_device, user_needs_second_factor

    original = Client._login

    def login(self, user, backend=None):
        original(self, user, backend)
        if user_needs_second_factor(user):
            device = confirmed_device(user) or TOTPDevice.objects.create(user=user, confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "_login", login)
