"""Sign-in throttling: five failures for one username from one address lock that pair, audited."""

from __future__ import annotations

from django.test import Client

from shinsa.audit.models import AuditEvent
from shinsa.web.models import SignInFailure
from tests.cast import PASSWORD


def _fail(client: Client, username: str = "rin"):
    return client.post("/login/", {"username": username, "password": "wrong password"})


def test_it_locks_the_pair_after_five_failures_even_for_the_right_password(cast):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(4):
        assert _fail(client).status_code == 200
    locked = _fail(client)
    assert locked.status_code == 429
    assert b"Too many failed sign-ins. Wait 15 minutes, then try again." in locked.content
    right = client.post("/login/", {"username": "rin", "password": PASSWORD})
    assert right.status_code == 429
    assert client.get("/").status_code == 302  # not signed in


def test_it_keeps_other_addresses_and_other_accounts_open(cast):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        _fail(attacker)
    elsewhere = Client(REMOTE_ADDR="203.0.113.9").post("/login/", {"username": "rin", "password": PASSWORD})
    assert elsewhere.status_code == 302
    other = attacker.post("/login/", {"username": "sora", "password": PASSWORD})
    assert other.status_code == 302


def test_it_unlocks_when_the_failures_leave_the_window(cast, settings):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        _fail(client)
    SignInFailure.objects.update(failed_at_ms=1)  # long ago
    assert client.post("/login/", {"username": "rin", "password": PASSWORD}).status_code == 302


def test_it_says_so_in_japanese(cast):
    client = Client(REMOTE_ADDR="198.51.100.7", headers={"accept-language": "ja"})
    for _ in range(5):
        response = _fail(client)
    assert response.status_code == 429
    assert "サインインの失敗が多すぎます" in response.content.decode()


def test_it_audits_failures_locks_and_successes_without_secrets(cast):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        _fail(client)
    _fail(client, username="nobody-such")
    Client(REMOTE_ADDR="203.0.113.9").post("/login/", {"username": "sora", "password": PASSWORD})

    failed = AuditEvent.objects.filter(verb="auth.login_failed")
    assert failed.filter(object_type="accounts.user", object_id=str(cast.rin.pk)).count() == 5
    unknown = failed.get(object_type="auth.sign_in")
    assert unknown.after["known_account"] is False
    locked = AuditEvent.objects.get(verb="auth.locked")
    assert locked.object_id == str(cast.rin.pk) and locked.after["failures"] == 5
    success = AuditEvent.objects.get(verb="auth.login")
    assert success.actor == cast.sora
    dumped = repr(list(AuditEvent.objects.values()))
    for secret in ("wrong password", PASSWORD, "nobody-such", "198.51.100.7", "203.0.113.9"):
        assert secret not in dumped


def test_it_forgets_failures_after_a_successful_sign_in(cast):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(4):
        _fail(client)
    assert client.post("/login/", {"username": "rin", "password": PASSWORD}).status_code == 302
    assert SignInFailure.objects.count() == 0
